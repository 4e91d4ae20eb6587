/*
 * perf.h - sctpu-perf's configuration, shared by its CLI, client and
 * server. Frozen after parsing.
 */
#ifndef SCTPU_PERF_H
#define SCTPU_PERF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "perf_stream_spec.h"
#include "sock_opts.h"

#define PERF_DEFAULT_PORT 5201 /* iperf3's */
/* Not RFC 6951's 9899, which sctpu-echo keeps: both servers on one host. */
#define PERF_DEFAULT_UDP_PORT 9900
#define PERF_DEFAULT_LEN (64 * 1024) /* iperf3's default for SCTP */
/*
 * -P: 10,000 associations is issue 13's target, measured (tools/bench:
 * perf-assoc-memory). Each needs a local SCTP port of its own, and with
 * --udp-per-assoc a socket, so the ephemeral range and RLIMIT_NOFILE set
 * the practical ceiling near this anyway; HELLO and PARAMS carry it in 16
 * bits.
 */
#define PERF_MAX_PARALLEL 10000
/* Above this many associations the text report lists none one by one
 * (connect lines, per-association interval rows): the [SUM]s only, unless
 * -V. -J keeps them all. */
#define PERF_LIST_ASSOCS 16
/* --connect-rate's ceiling, and the INITs a client has unanswered at once
 * whatever the rate: -P 10000 all at once would overflow the server's
 * backlog and time out in retransmissions (see perf_client_conn.c) */
#define PERF_MAX_CONNECT_RATE 100000
#define PERF_CONNECT_MAX_IN_FLIGHT 256
#define PERF_MAX_STREAMS 1024 /* data streams per association */
#define PERF_MAX_LEN (16 * 1024 * 1024)
#define PERF_TIMESTAMP_MAX 128          /* --timestamps: room for one time */
#define PERF_MAX_PPIDS PERF_MAX_STREAMS /* --ppid: at most one per stream */
/* Server caps' defaults (perf_usage.c gives the reasons) */
#define PERF_DEFAULT_MAX_ASSOCS 256
/*
 * --hello-timeout counts from the server's COMM_UP (the first COOKIE-ECHO).
 * The client says HELLO only at its own COMM_UP, when a COOKIE-ACK comes
 * back, and the HELLO must get through too: each loss on the way costs a
 * retransmission timeout, doubling from RTO.Min (1 s): 1, 2, 4, 8 s.
 * Three losses in a row crossed the old 5 s in CI on a 5 % lossy link;
 * four (15 s) stay inside 30 s. --max-associations bounds what silent
 * clients hold meanwhile.
 */
#define PERF_DEFAULT_HELLO_TIMEOUT_S 30.0
#define PERF_DEFAULT_MAX_DURATION_S 3600.0
#define PERF_DEFAULT_MAX_BUFFER (64u * 1024 * 1024)
#define PERF_RATE_PERIOD_S 5     /* iperf3's --server-bitrate-limit period */
#define PERF_MIN_INTERVAL_MS 100 /* -i: iperf3's minimum, 0.1 s */
#define PERF_RR_BURST_MAX 256    /* --rr-burst: requests in flight */
/* --interleave's largest message (perf_cli_sched.c says why) */
#define PERF_INTERLEAVE_MAX_LEN (64 * 1024)

enum perf_role {
    PERF_ROLE_SERVER = 1,
    PERF_ROLE_CLIENT = 2,
};

/* PR-SCTP policies (RFC 3758, 7496); values as on the wire. */
enum perf_pr_policy {
    PERF_PR_NONE = 0,
    PERF_PR_TTL = 1, /* give up after pr_value ms */
    PERF_PR_RTX = 2, /* give up after pr_value retransmissions */
    PERF_PR_BUF = 3, /* give up when pr_value bytes are buffered */
};

struct perf_config {
    enum perf_role role;
    char host[256];           /* client: the server, no brackets or port */
    const char *bind_host;    /* -B: local address; NULL = any */
    const char *backend;      /* NULL = default */
    int family;               /* -4 / -6 / AF_UNSPEC */
    uint16_t port;            /* -p or -c HOST:PORT: SCTP port */
    uint16_t udp_port;        /* --udp-port */
    uint16_t local_udp_port;  /* --local-udp-port (client) */
    uint16_t local_sctp_port; /* --cport (client) */
    /* --udp-per-assoc (client): association i gets a UDP socket of its
     * own (local_udp_port + i when that is given), so ECMP, RSS and load
     * balancers see -P N as N flows; false = one socket for all */
    bool udp_per_assoc;

    /*
     * How long: bytes if non-zero, else messages if non-zero, else
     * duration_s. All three 0 (-t 0) means no limit: the test runs until
     * the client is interrupted (SIGINT/SIGTERM), as in iperf3.
     */
    double duration_s; /* -t, default 10; 0 = no time limit */
    uint64_t bytes;    /* -n */
    uint64_t messages; /* -k */
    double omit_s;     /* -O: warm-up not counted */
    double interval_s; /* -i: report period; 0 = none */

    uint64_t rate_bps;     /* -b: per association; 0 = unlimited */
    uint32_t burst;        /* -b RATE/BURST: messages per burst */
    uint32_t length;       /* -l: message size */
    uint32_t window;       /* -w: SCTP socket buffers; 0 = default */
    unsigned int parallel; /* -P: associations */
    uint16_t nstreams;     /* --nstreams: data streams */
    /* --ppid: data stream i carries ppids[i % nppids]; nppids 0 = the
     * default PERF_PPID_DATA. 0 < nppids <= nstreams. */
    uint16_t nppids;
    uint32_t ppids[PERF_MAX_PPIDS];
    /* --rr REQ[/RESP]: request/response transactions, one in flight per
     * association; length is then REQ, rr_resp RESP (0 = not --rr) */
    uint32_t rr_resp;
    uint32_t rr_burst; /* --rr-burst: requests in flight (default 1) */
    bool reverse;      /* -R: server sends */
    bool bidir;        /* --bidir: both send */

    bool unordered; /* -u */
    /* --stream (client): what each listed stream sends, resolved against
     * -l, -b, -u and --pr-policy once every option is known; n 0 = off */
    struct perf_stream_specs streams;
    /* --scheduler (client): the sender's stream scheduler, TRANSPORT_SS_*
     * (0 = the stack's); --interleave (both ends): offer I-DATA */
    uint8_t scheduler;
    bool interleave; /* messages up to PERF_INTERLEAVE_MAX_LEN then */
    enum perf_pr_policy pr_policy;
    uint32_t pr_value;
    uint32_t sack_delay_ms;  /* --sack-delay; 0 = backend default */
    uint32_t sack_freq;      /* --sack-freq */
    bool nodelay;            /* --nodelay */
    uint32_t hb_interval_ms; /* --hb-interval; 0 = backend default */
    uint32_t rto_min_ms;     /* --rto-min etc.; 0 = backend default */
    uint32_t rto_max_ms;
    uint32_t rto_initial_ms;
    uint32_t mtu; /* --mtu: IP MTU of the path */
    bool verify;  /* --verify: seq + checksum per message */

    /* --compare (client): the same test on every backend, one after the
     * other, then a side-by-side table (perf_compare.h) */
    bool compare;
    bool no_control;          /* --no-control: raw sender/sink */
    bool get_server_output;   /* --get-server-output */
    bool one_off;             /* -1: server exits after one test */
    unsigned int max_clients; /* --max-clients: tests at once */

    bool json;           /* -J (also set by --json-stream) */
    bool json_stream;    /* --json-stream: one JSON object per event */
    bool csv;            /* --csv: CSV lines instead of text (not with -J) */
    bool verbose;        /* -V */
    bool forceflush;     /* --forceflush */
    const char *logfile; /* --logfile */
    const char *title;   /* -T: text lines start "TITLE:  "; NULL = none */
    /* --timestamps: text lines start with the time in this strftime
     * format; NULL = none */
    const char *timestamps;
    double timeout_s; /* connect / control timeout */

    uint32_t connect_timeout_ms; /* --connect-timeout (client); 0 = none */
    /* --connect-rate (client): association set-ups started per second;
     * 0 = as fast as PERF_CONNECT_MAX_IN_FLIGHT allows */
    uint32_t connect_rate;
    uint32_t rcv_timeout_ms; /* --rcv-timeout; 0 = --timeout's */
    double idle_timeout_s;   /* --idle-timeout (server); 0 = none */
    /* --server-bitrate-limit: the most a test may ask of the server, in
     * total over its associations and directions; 0 = no limit */
    uint64_t server_rate_limit_bps;
    /* --server-bitrate-limit RATE/SEC: the period the measured average
     * is taken over (iperf3's; default PERF_RATE_PERIOD_S) */
    uint32_t server_rate_period_s;
    /* Server caps, so that no client chooses the server's resources
     * (issue 11): associations open at once, over every test and those
     * that have not said HELLO yet */
    unsigned int max_assocs;   /* --max-associations */
    uint32_t max_peers;        /* --max-peers; 0 = the transport default */
    double hello_timeout_s;    /* --hello-timeout: HELLO and PARAMS due */
    double max_duration_s;     /* --max-duration; 0 = no ceiling */
    uint64_t max_buffer_bytes; /* --max-buffer-memory: all tests' */
    unsigned int workers;      /* --workers: processes sharing the port */
    int cpu;                   /* -A: the CPU to run on; -1 = any */

    /* -S/--tos, --dscp, --bind-dev, --instreams, --outstreams (on a
     * client always nstreams + the control stream: the parser makes them
     * agree) and the RFC 9260 retransmission limits */
    struct sock_opts sock;
};

/* Exit statuses. */
enum perf_exit {
    PERF_EXIT_OK = 0,
    PERF_EXIT_FAIL = 1,  /* the test failed or found errors */
    PERF_EXIT_USAGE = 2, /* bad arguments, unusable address/port */
};

/*
 * What one client run measured, as --compare tabulates it (filled by
 * perf_client_run_outcome; the sums come from perf_compare.c).
 */
struct perf_outcome {
    bool ran;        /* the test ran and its results came */
    char error[512]; /* why the run failed; "" when it did not */
    /* every direction's bytes and longest period, as its senders and as
     * its receivers counted them */
    uint64_t sent_bytes;
    double sent_secs;
    uint64_t received_bytes;
    double received_secs;
    uint64_t retransmits; /* DATA chunks the senders sent again */
    /* this end's SCTP state when the data was through, over nassocs
     * associations (0: unknown) */
    unsigned int nassocs;
    uint64_t srtt_us_sum;
    uint32_t srtt_resolution_us; /* the coarsest association's */
    uint64_t cwnd_sum;           /* bytes */
    uint32_t rto_ms_max;
    uint32_t pathmtu; /* association 1's */
    double cpu_local; /* percent; < 0 unknown */
    double cpu_remote;
};

/*
 * -R or --bidir: whether a receive buffer of window bytes (the client's
 * -w; 0 = not given, the default 2M) is too small for messages of length
 * bytes sent from a send buffer of sndbuf bytes. usrsctp (0.9.5.0) stalls
 * for good when the receive buffer holds fewer than 4 messages and the
 * sender's buffer is larger (-w 64k with -l 32k or 64k, -w 16k -l 8k,
 * -w 160k -l 80k; at -w 64k -l 16k and below it runs). Found in issue 11;
 * both the client's CLI and the server refuse it.
 */
static inline bool perf_window_too_small(uint32_t window, uint32_t length,
                                         uint32_t sndbuf)
{
    return window != 0 && window < sndbuf && (uint64_t)length * 4 > window;
}

int perf_server_run(const struct perf_config *cfg);
int perf_client_run(const struct perf_config *cfg);

/*
 * perf_client_run with the report going to out, and (when res is not
 * NULL) what the run measured in *res. Same exit statuses.
 */
int perf_client_run_outcome(const struct perf_config *cfg, FILE *out,
                            struct perf_outcome *res);

/* sctpu-perf -c HOST --compare (perf_compare.c). */
int perf_compare_run(const struct perf_config *cfg);

#endif /* SCTPU_PERF_H */
