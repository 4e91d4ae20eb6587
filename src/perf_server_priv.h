/*
 * perf_server_priv.h - what the sctpu-perf server's files share: the
 * server, its listeners, its tests and their associations.
 *
 *   perf_server.c          accept, listeners, watchdog, the main loop
 *   perf_server_test.c     one test's life: gathering, start, results, end
 *   perf_server_control.c  the client's control messages on each flow
 *
 * Not for anything outside the server.
 */
#ifndef SCTPU_PERF_SERVER_PRIV_H
#define SCTPU_PERF_SERVER_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>

#include "perf.h"
#include "perf_flow.h"
#include "perf_proto.h"
#include "perf_report.h"
#include "perf_report_intervals.h"
#include "runtime.h"

struct perf_server;
struct server_flow;

/*
 * One backend's listening transport. With --backend all there is one per
 * backend, and a test sees the runtime as its own backend's (view: a copy
 * of the server's runtime whose t and ops are this transport's, read by
 * the T3-rtx counts; never opened or closed itself).
 */
struct server_listener {
    struct perf_server *srv;
    struct runtime view;
};

enum test_phase {
    ST_GATHERING, /* HELLOs and PARAMS arriving */
    ST_RUNNING,
    ST_CLOSING, /* results sent; waiting for the client to close */
};

struct perf_test {
    struct perf_server *srv;
    const struct runtime *rt; /* its backend's view of the runtime */
    unsigned int id;
    uint8_t cookie[PERF_COOKIE_LEN];
    unsigned int count;
    unsigned int nflows;
    unsigned int nclosed;
    /* count entries each, allocated with the test (-P up to
     * PERF_MAX_PARALLEL: no fixed arrays of that size per test) */
    struct perf_flow **flows;
    struct server_flow **sfs;
    bool have_params;
    struct perf_params params;
    /* the client asked for EXTRAS (WANT_EXTRAS): an older client never
     * does, and gets none */
    bool want_extras;
    struct perf_stream_specs streams; /* --stream: STREAMS; n 0 = none */
    /* --stream, at the end: each association's latency, then pointers
     * to them for perf_report_set_latency (one allocation) */
    struct perf_test_latency *latency;
    enum test_phase phase;
    bool winding_down; /* perf_server_test_wind_down: ST_CLOSING for good */
    uint64_t phase_ns;
    /* ST_CLOSING: when the client had acknowledged the results; 0 = not
     * yet */
    uint64_t results_acked_ns;
    uint64_t start_ns;
    uint64_t last_ctrl_ns; /* the last control message from the client */
    bool *send_done;
    bool *recv_done;
    double *send_secs;
    double *recv_secs;
    struct perf_config view; /* cfg as this test runs it, for the
                                       report */
    struct perf_report *rep;
    FILE *captured; /* --get-server-output */
    char *captured_buf;
    size_t captured_len;
    struct perf_intervals *intervals;
    struct rusage ru_start;
    uint64_t timeouts_at_start; /* the runtime's T3-rtx count */
    uint64_t buffer_bytes;      /* its message buffers (--max-buffer-memory) */
    /* --server-bitrate-limit: bytes moved (both ways) at the start of the
     * current averaging period, and when that period began */
    uint64_t rate_bytes;
    uint64_t rate_since_ns;
    struct perf_test *next;
    struct perf_test **pprev;
};

/* An accepted association; it joins a test with its HELLO. */
struct server_flow {
    struct perf_server *srv;
    const struct server_listener *listener; /* the one that accepted it */
    struct perf_test *test;
    unsigned int index;
    struct perf_flow *flow;
    uint64_t accepted_ns;     /* --hello-timeout counts from here */
    struct server_flow *next; /* every association the server holds */
    struct server_flow **pprev;
};

struct perf_server {
    const struct perf_config *cfg;
    struct runtime rt;
    struct server_listener listeners[RUNTIME_MAX_BACKENDS]; /* rt.nall */
    struct perf_report *rep; /* server-wide lines */
    struct perf_test *tests;
    unsigned int next_id;
    unsigned int running;
    unsigned int completed;
    struct event *watchdog_ev;
    bool stopping;
    int exit_code;
    uint64_t idle_since_ns;    /* no test since (--idle-timeout with -1) */
    struct server_flow *flows; /* accepted associations, in tests or not */
    unsigned int nassocs;      /* ... how many (--max-associations) */
    uint64_t refused;          /* associations refused at the cap */
    uint64_t refused_logged;   /* ... of which a log line told */
    uint64_t refused_log_ns;   /* when the last such line was written */
    uint64_t buffer_in_use;    /* running tests' buffer_bytes */
};

/* perf_server.c: forget an association's server_flow and free it (its
 * flow is the caller's to free). */
void perf_server_flow_release(struct server_flow *sf);

/* perf_server.c: end the loop once no test is left and the server is
 * stopping (or -1 has served its test). */
void perf_server_maybe_exit(struct perf_server *srv);

/* perf_server_control.c: what every accepted association's flow reports
 * to (its arg is its struct server_flow). */
extern const struct perf_flow_ops perf_server_flow_ops;

/* perf_server_test.c */

/* Log why, tell the client if it can still hear, drop (free) the test. */
void perf_server_test_abort(struct perf_test *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Log why, tell the client, and close the test's associations
 * gracefully: it is freed once they are closed, or after the closing
 * grace. For a server that is stopping. */
void perf_server_test_wind_down(struct perf_test *t, const char *why);

/* A new test for sf's HELLO h, gathering its associations; NULL: no
 * memory. */
struct perf_test *perf_server_test_new(struct server_flow *sf,
                                       const struct perf_hello *h);

/* The test with this cookie, or NULL. */
struct perf_test *perf_server_test_find(struct perf_server *srv,
                                        const uint8_t *cookie);

/* Free the test and its associations (abortive: ABORT them). */
void perf_server_test_free(struct perf_test *t, bool abortive);

/* Does this end send (-R, --bidir) / receive (not -R, --bidir)? */
bool perf_server_sends(const struct perf_params *p);
bool perf_server_receives(const struct perf_params *p);

/* Queue an encoded control message of len bytes (len <= 0: none). */
void perf_server_send_ctrl(struct perf_flow *f, int len, const uint8_t *buf);

/* Every association said HELLO and PARAMS came. */
bool perf_server_test_all_ready(const struct perf_test *t);

/* Tell the client how we see it (READY) and wait for START. */
void perf_server_test_send_ready(struct perf_test *t);

/* START came: run the test. Returns false when it could not (out of
 * memory): the test is aborted and freed, with its flows and their
 * server_flows, so the caller must not touch any of them. */
bool perf_server_test_start(struct perf_test *t);

/* Report the path events the test's associations queued. */
void perf_server_test_report_paths(struct perf_test *t);

/* Both directions of every association done? Then send the results. */
void perf_server_test_check_done(struct perf_test *t);

/* --no-control: sf is a test of its own that only receives; at the
 * sender's close, report what arrived and free the test. */
void perf_server_raw_start(struct perf_server *srv, struct server_flow *sf);
void perf_server_raw_end(struct perf_test *t);

/* perf_server_streams.c: --stream. STREAMS on association 0, between
 * its HELLO and PARAMS: decoded and kept (true), or the test aborted. */
bool perf_server_test_streams(struct perf_test *t, const uint8_t *msg,
                              size_t len);

/* With PARAMS, before READY: the kept specs against the parameters and
 * the server's limits; false when the test was aborted. */
bool perf_server_test_streams_ok(struct perf_test *t);

/* A server with --interleave takes messages up to 64 KiB (see
 * perf_cli_sched.c); false when the test was aborted for len. */
bool perf_server_test_len_interleave_ok(struct perf_test *t, uint32_t len);

/* At the end, receiving: each association's latency into t->latency and
 * t->rep (nothing when out of memory: the report goes without). */
void perf_server_test_summarize_latency(struct perf_test *t);

/* Each association's latency (LATENCY), before the RESULTS. */
void perf_server_test_send_latency(struct perf_test *t);

#endif /* SCTPU_PERF_SERVER_PRIV_H */
