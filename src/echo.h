/*
 * echo.h - the echo workload: configuration, server, client.
 */
#ifndef SCTPU_ECHO_H
#define SCTPU_ECHO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sock_opts.h"

#define ECHO_MAX_SIZES 64
/* The echo service's port, which usrsctp's echo_server also uses. */
#define ECHO_DEFAULT_SCTP_PORT 7
#define ECHO_DEFAULT_UDP_PORT 9899 /* RFC 6951 */
/* --window: the most messages a client keeps in flight at once. */
#define ECHO_MAX_WINDOW 1024
/* -P: associations from one client process. usrsctp picks each one's SCTP
 * port from 49152-65535, so no more than that range holds. */
#define ECHO_MAX_PARALLEL 16384
/* --sndbuf and --rcvbuf under --compare when not given: explicit for both
 * backends (Linux SCTP does not tune its buffers to the path). */
#define ECHO_COMPARE_BUF (4u * 1024 * 1024)
/* --sack-delay and --sack-freq under --compare when not given: RFC 9260's
 * delayed SACK, which both stacks default to, set explicitly all the same
 * (as sctpu-perf --compare does), so neither run depends on a default. */
#define ECHO_COMPARE_SACK_DELAY_MS 200
#define ECHO_COMPARE_SACK_FREQ 2
/* Server caps' defaults (issue 11): associations open at once, seconds a
 * session may stay silent, bytes of grown buffers across sessions */
#define ECHO_DEFAULT_MAX_ASSOCS 1024
#define ECHO_DEFAULT_IDLE_TIMEOUT_S 60.0
#define ECHO_DEFAULT_MAX_BUFFERED (64u * 1024 * 1024)

/* Frozen after parsing; the workloads only read it. */
struct echo_config {
    bool server;
    /* client: the server; server: the bind address ("" = every one) */
    char host[256];
    bool host_list; /* -ip named more than one address */
    /* client -B: its own addresses, "a,b" as cfg->host keeps a list ("" =
     * the wildcard); several: multihoming, which needs the kernel backend */
    char bind[256];
    const char *backend;      /* NULL = default */
    int family;               /* AF_UNSPEC, AF_INET, AF_INET6 */
    uint16_t port;            /* SCTP port */
    uint16_t udp_port;        /* server: listen; client: send to */
    uint16_t local_udp_port;  /* client's own UDP port; 0 = ephemeral */
    uint16_t local_sctp_port; /* client's own SCTP port (-lport) */
    uint64_t count;           /* messages; 0 = until interrupted */
    double interval_s;        /* send start to send start */
    /* messages in flight at once, 1..ECHO_MAX_WINDOW; 0 means 1 (one at a
     * time, like ping) */
    uint32_t window;
    uint32_t sizes[ECHO_MAX_SIZES];
    size_t nsizes;
    uint16_t nstreams; /* outbound streams to ask for */
    uint32_t ppid;
    /* client: an echo with another PPID is corrupt (default: say once that
     * the server does not echo PPIDs, and verify the rest) */
    bool strict_ppid;
    /* server: answer with this PPID instead of the one received, as many
     * servers do (a kernel recv/send loop answers with 0) */
    bool reply_ppid_set;
    uint32_t reply_ppid;
    bool unordered;
    double timeout_s; /* connect, and each echo */
    bool json;
    bool quiet;
    bool once; /* server: exit after one association */
    /* server caps, so that no client chooses the server's resources */
    uint32_t max_assocs;   /* --max-associations */
    uint32_t max_peers;    /* --max-peers; 0 = the transport default */
    double idle_timeout_s; /* --idle-timeout; 0 = none */
    uint64_t max_buffered; /* --max-buffered: messages past 64k, all */
    unsigned int workers;  /* --workers: processes sharing the port */
    /* the first server-only option given, as named, for a client's error */
    char server_only[48];
    int verbosity; /* 0 normal, 1 -V, 2 -VV */
    uint32_t mtu;
    uint32_t sndbuf;
    uint32_t rcvbuf;
    uint32_t bufsize; /* bytes read per recv call */
    uint32_t rto_min_ms;
    uint32_t rto_max_ms;
    uint32_t rto_initial_ms;
    uint32_t hb_interval_ms; /* --hb-interval; 0 = default */
    /* --sack-delay, --sack-freq: this end's delayed SACK for what it
     * receives (a client: the echoes); 0 = the stack's default */
    uint32_t sack_delay_ms;
    uint32_t sack_freq;
    /* -S/--tos, --dscp, --bind-dev, --instreams, --outstreams (a
     * client's is its --nstreams) and the RFC 9260 retransmission limits */
    struct sock_opts sock;
    /* client --compare: the same run on every backend, one after the
     * other, then their RTT side by side (echo_compare.h) */
    bool compare;
    /* client -P: associations at once from this process (0/1: the one of
     * echo_client.c), each sending count messages (default 1); --hold: how
     * long they stay open and idle once all are verified */
    uint32_t parallel;
    double hold_s;
};

/* Exit statuses shared by both roles. */
enum echo_exit {
    ECHO_EXIT_OK = 0,
    /* ran, but not every echo was verified, or the peer failed */
    ECHO_EXIT_FAIL = 1,
    ECHO_EXIT_USAGE = 2, /* bad arguments, unusable address/port */
};

struct transport_config;

/* The transport settings both echo roles derive from cfg. */
void echo_transport_config(const struct echo_config *cfg, const char *bind_host,
                           int family, uint16_t udp_port, uint16_t streams,
                           struct transport_config *tc);

/* What one client run measured, as --compare tabulates it. */
struct echo_outcome {
    bool ran;        /* the association came up */
    char error[256]; /* why the run failed; "" when it did not */
    uint64_t sent;
    uint64_t received;
    uint64_t verified;
    uint64_t rtt_count; /* round trips timed; the RTTs below need one */
    uint32_t rtt_min_us;
    uint32_t rtt_p50_us;
    uint32_t rtt_p90_us;
    uint32_t rtt_p99_us;
    uint32_t rtt_max_us;
    double rtt_avg_us;
    uint32_t pathmtu;
};

int echo_server_run(const struct echo_config *cfg);
int echo_client_run(const struct echo_config *cfg);

/*
 * echo_client_run, printing the run's summary only when report is true,
 * and (when res is not NULL) what it measured in *res. Same statuses.
 */
int echo_client_run_outcome(const struct echo_config *cfg, bool report,
                            struct echo_outcome *res);

/* sctpu-echo -c HOST -P N (echo_many.c). */
int echo_many_run(const struct echo_config *cfg);

/* sctpu-echo -c HOST --compare (echo_compare.c). */
int echo_compare_run(const struct echo_config *cfg);

#endif /* SCTPU_ECHO_H */
