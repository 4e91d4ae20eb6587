/*
 * perf_report.h - sctpu-perf's output: iperf3-style text as the test runs,
 * or (-J) one iperf3-shaped JSON document at the end, with SCTP extras.
 * The schema is in docs/perf-json.md.
 */
#ifndef SCTPU_PERF_REPORT_H
#define SCTPU_PERF_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "perf.h"
#include "perf_proto.h"
#include "perf_rr.h"
#include "perf_stats.h"
#include "transport.h"

struct perf_report;

/* One association, as its connect line shows it. */
struct perf_report_conn {
    unsigned int id;
    char local[PERF_SEEN_LEN];   /* our UDP endpoint, host:port */
    char remote[PERF_SEEN_LEN];  /* the peer's UDP endpoint */
    char seen_as[PERF_SEEN_LEN]; /* how the peer sees us; "" unknown */
    uint16_t local_sctp_port;
    uint16_t remote_sctp_port;
    uint16_t out_streams;
    uint16_t in_streams;
    uint32_t pmtu;
    struct transport_rto rto; /* this end's RTO bounds; zeros unknown */
    uint64_t setup_us;        /* connect call to association up; 0 unknown */
    uint32_t sndbuf;          /* socket buffers in use; 0 unknown */
    uint32_t rcvbuf;
    /* the association's peer addresses (multihoming); none when the
     * backend cannot say */
    const struct sockaddr_storage *peer_addrs;
    size_t npeer_addrs;
};

/*
 * A last interval shorter than this fraction of -i that moved nothing is
 * left out (iperf3 leaves out such a tail, too); and no regular interval
 * ends this close to a timed test's end, so no sliver follows it.
 */
#define PERF_REPORT_SHORT_FRACTION 0.1

/* One association, one direction, one interval. */
struct perf_report_row {
    unsigned int id;
    bool sender; /* this end sent these bytes */
    uint64_t bytes;
    uint64_t messages;    /* whole messages */
    uint64_t retransmits; /* sender rows */
    /* This direction had ended by the interval's end: its sender reached
     * its limit, or its receiver heard END. Its row then covers only up to
     * end (seconds from the start); one that ended before the interval
     * began, having moved nothing, is left out. */
    bool ended;
    double end;
    bool have_sctp; /* the columns below are known */
    uint32_t cwnd;
    uint32_t rwnd;
    uint32_t srtt_us;           /* smoothed RTT */
    uint32_t rttvar_us;         /* its variation; measured (1 us) only */
    uint32_t rtt_resolution_us; /* its steps: 1, or 1000 (whole ms) */
    uint32_t rto_ms;            /* the retransmission timeout now */
    uint32_t pmtu;
    /* --rr: the interval's transactions (the client's with latencies),
     * on the row of the direction the requests went; NULL otherwise */
    const struct perf_rr_stats *rr;
};

/* One association, one direction, the whole test. */
struct perf_report_dir {
    unsigned int id;
    bool sender;   /* counted by the sending end */
    bool outbound; /* data went from this end: [TX] under --bidir */
    double seconds;
    const struct perf_dir_counts *counts;
};

/* --rr: one association's transactions over the whole test. */
struct perf_report_rr {
    unsigned int id;
    double seconds;
    /* this end's count: the client's with latencies, the server's
     * (transactions answered) without */
    const struct perf_rr_stats *stats;
    /* the client's: as the server counted them, or have_server false */
    bool have_server;
    uint64_t server_transactions;
    uint64_t request_bytes;  /* sent (client) / received (server) */
    uint64_t response_bytes; /* received (client) / sent (server) */
};
struct perf_latency_report;

struct perf_report_final {
    const struct perf_report_dir *dirs;
    size_t ndirs;
    double cpu_local;      /* percent; < 0 unknown */
    double cpu_local_user; /* its user and system parts; < 0 unknown */
    double cpu_local_system;
    double cpu_remote;
    /* the server's user and system parts (its EXTRAS: only a server that
     * knows them tells them) */
    bool have_remote_parts;
    double cpu_remote_user;
    double cpu_remote_system;
    const char *server_output; /* --get-server-output, or NULL */
    /* --impair's counts on this end (every transport of it), or NULL */
    const struct transport_counters *impair;
    /* --pcap's writer on this end (its counts so far), or NULL */
    const struct pcap_writer *pcap;
    const struct perf_report_rr *rr; /* --rr: nrr associations */
    size_t nrr;
};

/* How the client's associations came up (-P, --connect-rate). */
struct perf_report_connect {
    unsigned int associations; /* -P */
    unsigned int established;
    unsigned int failed;
    uint32_t rate;         /* --connect-rate; 0 = none */
    unsigned int inflight; /* INITs unanswered at most */
    double seconds;        /* the first INIT to the last one resolved */
    /* INIT sent (the connect call) to COMM_UP, over the established */
    uint64_t p50_us;
    uint64_t p90_us;
    uint64_t p99_us;
    uint64_t max_us;
    const char *first_error; /* why the first failed one did; NULL none */
};

struct perf_report *perf_report_new(const struct perf_config *cfg, FILE *out);

/*
 * --stream: association i+1's per-stream latency in lat[i] (entries may
 * be NULL), for perf_report_final's end.streams_latency and text table.
 * The array must live until then; n 0 (the default) = not measured.
 */
void perf_report_set_latency(struct perf_report *r,
                             const struct perf_latency_report *const *lat,
                             size_t n);
void perf_report_free(struct perf_report *r);

/* The socket buffers the stack gives (for start.sndbuf_actual and
 * rcvbuf_actual); a client's first connected association sets them too. */
void perf_report_set_buffers(struct perf_report *r, uint32_t sndbuf,
                             uint32_t rcvbuf);

/* The test's cookie (the HELLO's), for iperf3's start.cookie in hex. */
/* An association's sender extremes over the intervals: iperf3's
 * end.streams[].sender min/mean/max_rtt (us), max_snd_cwnd and
 * max_snd_wnd (bytes). */
struct perf_sender_extremes {
    uint32_t min_rtt_us;
    uint32_t mean_rtt_us;
    uint32_t max_rtt_us;
    uint32_t max_snd_cwnd;
    uint32_t max_snd_wnd;
};
/* This end's own for association id (1-based); false without samples. */
bool perf_report_sender_extremes(const struct perf_report *r, unsigned int id,
                                 struct perf_sender_extremes *out);
/* The peer's (the server's EXTRAS under -R or --bidir), written in "end"
 * for association id's sender entry that this end did not send. */
void perf_report_set_remote_sender(struct perf_report *r, unsigned int id,
                                   const struct perf_sender_extremes *e);
void perf_report_set_cookie(struct perf_report *r, const uint8_t *cookie,
                            size_t len);

/* Also copy the text output to tee (the server's --get-server-output). */
void perf_report_tee(struct perf_report *r, FILE *tee);

/* The backend that runs the test, for the header and start.backend
 * (with its stack: a kernel's release, usrsctp's version). */
void perf_report_set_backend(struct perf_report *r,
                             const struct transport_ops *ops);
void perf_report_connecting(struct perf_report *r, const char *host);
void perf_report_connected(struct perf_report *r,
                           const struct perf_report_conn *c);
/* The set-ups summed up: a text line now, start.connect in the JSON. */
void perf_report_connect(struct perf_report *r,
                         const struct perf_report_connect *c);
/* One interval, start to end in seconds from the start of the test. */
/*
 * DATA retransmission timeouts (T3-rtx) that fired during the next
 * interval this end reports: a line of their own in the text (when there
 * were any) and "rtx_timeouts" in the interval's JSON sum; counted only
 * when the interval also retransmitted data.
 */
void perf_report_set_timeouts(struct perf_report *r, uint64_t count);

void perf_report_interval(struct perf_report *r, double start, double end,
                          bool omitted, const struct perf_report_row *rows,
                          size_t nrows);
/* The last, partial interval: left out when it is shorter than
 * PERF_REPORT_SHORT_FRACTION of -i and moved nothing, or is empty. */
void perf_report_last_interval(struct perf_report *r, double start, double end,
                               bool omitted, const struct perf_report_row *rows,
                               size_t nrows);
void perf_report_final(struct perf_report *r,
                       const struct perf_report_final *fin);

/*
 * A path event of association id, t seconds from the start of the data
 * (0 before it): a "[path]" line in the text at once, and an
 * element of "path_events" under "end" in the JSON. dropped events (lost
 * to a full queue) are counted there too.
 */
void perf_report_path_event(struct perf_report *r, unsigned int id, double t,
                            const struct transport_path_event *ev);
void perf_report_path_dropped(struct perf_report *r, uint64_t dropped);

/* "[ id] peer addresses: a, b" (text) for a report without connect
 * lines (the server's); n == 0 says nothing. */
void perf_report_peer_addrs(struct perf_report *r, unsigned int id,
                            const struct sockaddr_storage *addrs, size_t n);

/* A fatal error: text mode prints it; -J puts it under "error". */
void perf_report_error(struct perf_report *r, const char *msg);

/* The run failed, but the caller says why itself: only -J's "error" gets
 * msg, and text mode's closing "Done." is left out, as after any error. */
void perf_report_set_error(struct perf_report *r, const char *msg);

/* Text for out outside any report (the server's banner), each line
 * with the --timestamps and -T prefix the report's lines have. */
void perf_report_lines(const struct perf_config *cfg, FILE *out,
                       const char *text);

/* A free-form line (text mode only), like "Server listening on ...". */
void perf_report_line(struct perf_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * when as --timestamps' strftime format fmt gives it, in local time, into
 * buf; returns its length, 0 when fmt gives nothing (empty) or more than
 * len - 1 characters.
 */
size_t perf_report_timestamp(char *buf, size_t len, const char *fmt,
                             time_t when);

/* Text: "sctpu-perf Done." unless an error was reported. -J: write the
 * document. Returns 0, or -1 if it could not be built. */
int perf_report_finish(struct perf_report *r);

#endif /* SCTPU_PERF_REPORT_H */
