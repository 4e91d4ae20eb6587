/*
 * perf_report_priv.h - what the files of sctpu-perf's report share: the
 * report itself, its text tables and the numbers every line derives.
 * Not for use outside perf_report*.c.
 */
#ifndef SCTPU_PERF_REPORT_PRIV_H
#define SCTPU_PERF_REPORT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json_out.h"
#include "perf_report.h"

struct perf_report {
    const struct perf_config *cfg;
    FILE *out;
    FILE *tee;
    struct json_out j; /* -J: the whole document, built as we go */
    bool in_intervals;
    bool have_end;            /* perf_report_final wrote "end" */
    bool ruled;               /* the last text line was a "- - -" rule */
    unsigned int header_cols; /* columns of the last interval header */
    char error[512];
    const char *backend; /* the transport_ops name; NULL until set */
    char stack[96];      /* transport_describe_stack */
    size_t nconns;
    size_t nintervals;
    uint64_t timeouts; /* T3-rtx in the interval being reported */
    bool bol;          /* text: the next character starts a line */
    /* --json-stream: the start event is out; an event failed to build */
    bool streamed_start;
    bool stream_failed;
    /* path events (multihoming), for "path_events" under "end" */
    struct perf_report_path *paths;
    size_t npaths;
    size_t paths_cap;
    uint64_t paths_dropped;
    bool paths_known; /* the backend reports paths: "end" lists them */
    /* text lists associations one by one (-P up to PERF_LIST_ASSOCS, or
     * -V); otherwise the [SUM] lines only. -J always lists them. */
    bool list;
    /* start.connect, once perf_report_connect said it */
    bool have_connect;
    struct perf_report_connect connect;
    char connect_error[256];
    /* --stream: perf_report_set_latency's */
    const struct perf_latency_report *const *latency;
    size_t nlatency;
    /* iperf3's keys (perf_report_iperf3.c): the cookie in hex, the first
     * association's socket buffers, and each association's sender
     * samples for end.streams[].sender's min/mean/max_rtt */
    char cookie[2 * 32 + 1];
    uint32_t sndbuf_actual;
    uint32_t rcvbuf_actual;
    struct perf_report_samples *samples;
    size_t nsamples;
    /* the server's, from EXTRAS: have_remote[i] says remote[i] is set */
    struct perf_sender_extremes *remote;
    bool *have_remote;
    size_t nremote;
};

/* One association's sender samples over the intervals. */
struct perf_report_samples {
    uint64_t n;
    uint64_t rtt_sum;
    uint32_t rtt_min;
    uint32_t rtt_max;
    uint32_t max_cwnd;
    uint32_t max_rwnd;
};

/* iperf3's start keys with an SCTP meaning: system_info, cookie, the
 * buffers, target_bitrate (in "start"), and in "test_start" ... */
void perf_report_iperf3_start(struct perf_report *r);
/* ... target_bitrate and tos. */
void perf_report_iperf3_test_start(struct perf_report *r);
/* Note a sender row's RTT, cwnd and peer rwnd (rows without SCTP
 * figures are ignored). */
void perf_report_iperf3_sample(struct perf_report *r,
                               const struct perf_report_row *row);
/* min_rtt, mean_rtt, max_rtt (us), max_snd_cwnd, max_snd_wnd of
 * association id's sender entry in "end", when it has samples. */
void perf_report_iperf3_sender_end(struct perf_report *r, unsigned int id);
/* The same from the peer's EXTRAS, for a sender entry this end did not
 * send (nothing when the server did not tell: an older server). */
void perf_report_iperf3_remote_sender_end(struct perf_report *r,
                                          unsigned int id);

/* One path event as "end" lists it. */
struct perf_report_path {
    unsigned int id;
    double time;
    char address[PERF_SEEN_LEN];
    const char *state;
    int error;
};

/* "path_events" (and "path_events_dropped") of the "end" object, when
 * the backend reports paths. */
void perf_report_json_paths(struct perf_report *r);

/* --json-stream: start a fresh event object {"event": name, ...}. */
void perf_report_stream_begin(struct perf_report *r, const char *name);
/* --json-stream: close the event and write it as one line, flushed. */
void perf_report_stream_emit(struct perf_report *r);

/* Text output, unless -J; copied to the tee when there is one. */
void perf_report_text(struct perf_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The "- - -" rule between blocks, never twice in a row. */
void perf_report_rule(struct perf_report *r);

struct perf_text_line;

/* One direction's sum over an interval's shown rows (sender: this end's
 * sending rows); false when it has none. */
bool perf_report_interval_sum(const struct perf_report_row *rows, size_t n,
                              double start, double end, bool sender,
                              struct perf_text_line *sum);

/* --csv (perf_report_csv.c): the header, an interval's lines, the
 * totals' lines. */
void perf_report_csv_begin(struct perf_report *r);
void perf_report_csv_interval(struct perf_report *r, double start, double end,
                              bool omitted, const struct perf_report_row *rows,
                              size_t nrows);
void perf_report_csv_final(struct perf_report *r,
                           const struct perf_report_final *fin);

/* Close "start" and open "intervals", once. */
void perf_report_begin_intervals(struct perf_report *r);

/* v per second over secs; 0 for an empty period. */
double perf_report_per_sec(double v, double secs);

/*
 * Whether data going out of this end (outbound) flows client to server:
 * iperf3's "sum" / "sum_sent" direction under --bidir, the other being
 * "*_bidir_reverse", on both ends alike.
 */
bool perf_report_forward(const struct perf_report *r, bool outbound);

/* The JSON fields every amount has: the period and what moved in it. */
void perf_report_json_amounts(struct perf_report *r, double start, double end,
                              uint64_t bytes, uint64_t messages);

/* Optional columns of a text table. */
enum perf_text_cols {
    PERF_COLS_RTX = 1,       /* Rtx: sender lines */
    PERF_COLS_SCTP = 2,      /* Cwnd Rwnd SRTT-us PMTU: sender interval lines */
    PERF_COLS_ABANDONED = 4, /* Abandoned: sender end lines */
};

/* One line of an interval or end table. */
struct perf_text_line {
    unsigned int id; /* 0 = [SUM] */
    bool outbound;   /* [TX] / [RX] under --bidir */
    double start;
    double end;
    uint64_t bytes;
    uint64_t messages;
    bool sender;
    uint64_t retransmits;
    uint64_t abandoned;
    const struct perf_report_row *sctp; /* its SCTP columns, or NULL */
    const char *role; /* end tables: "sender" / "receiver", aligned */
    const char *note; /* "(omitted)", or NULL */
};

/* A table's column header line; cols is a set of enum perf_text_cols. */
void perf_report_text_header(struct perf_report *r, unsigned int cols);
void perf_report_text_line(struct perf_report *r,
                           const struct perf_text_line *l, unsigned int cols);

/* --rr: "[ id] start-end sec  RR  N trans  X trans/s  latency ..." */
void perf_report_text_rr(struct perf_report *r, unsigned int id, double start,
                         double end, const struct perf_rr_summary *s,
                         const char *note);

/* "[T3 ]  start-end sec  N retransmission timeouts (T3-rtx)" */
void perf_report_text_timeouts(struct perf_report *r, double start, double end,
                               uint64_t count);

/* A received stream's PPID as JSON: "ppid" (null when it changed, or
 * nothing arrived) and "ppid_mixed". */
void perf_report_json_ppid(struct perf_report *r,
                           const struct perf_stream_counts *s);

/* The per-stream table: its header, and one stream's line. */
void perf_report_text_streams_header(struct perf_report *r);
void perf_report_text_stream(struct perf_report *r, unsigned int id,
                             bool outbound, double secs,
                             const struct perf_stream_counts *s);

#endif /* SCTPU_PERF_REPORT_PRIV_H */
