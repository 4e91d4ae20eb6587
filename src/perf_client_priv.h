/*
 * perf_client_priv.h - what the sctpu-perf client's files share.
 *
 *   perf_client.c       the test: negotiation, control messages, data,
 *                       interrupts, the final report
 *   perf_client_conn.c  the associations: transports, connects, the
 *                       watchdog and timeouts, teardown
 *
 * Not for anything outside the client.
 */
#ifndef SCTPU_PERF_CLIENT_PRIV_H
#define SCTPU_PERF_CLIENT_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>

#include "host_port.h"
#include "netaddr.h"
#include "perf.h"
#include "perf_compare.h"
#include "perf_connect.h"
#include "perf_flow.h"
#include "perf_proto.h"
#include "perf_report.h"
#include "perf_report_intervals.h"
#include "runtime.h"

enum client_phase {
    CL_CONNECTING,
    CL_NEGOTIATING,
    CL_RUNNING,
    CL_FINISHING,
    CL_CLOSING,
    CL_DONE,
};

/* The server's RESULTS for one association, with room for its streams
 * (the test's data streams and the control one: r.*.streams point into
 * counts, 2 * (nstreams + 1) entries allocated with it). */
struct remote_results {
    bool have;
    struct perf_results r;
    struct perf_stream_counts counts[];
};

struct perf_client {
    const struct perf_config *cfg;
    struct runtime rt;
    /* The transport (UDP socket) association i goes through: rt.t for
     * every one, or with --udp-per-assoc one of its own for i >= 1. */
    struct transport **t;
    /* Association i's UDP endpoint as the server sees it without NAT. */
    char (*local)[NETADDR_STRLEN];
    struct perf_report *rep;
    struct transport_peer peer;
    struct host_list binds; /* -B, split: tc's bind strings live here */
    char host[NETADDR_STRLEN];
    unsigned int nflows;
    /* The per-association arrays below have nflows entries (allocated
     * with the client: -P goes up to PERF_MAX_PARALLEL). */
    struct perf_flow **flows;
    bool *up;
    bool *send_done;
    bool *recv_done;
    /* DONE came on association 1 before another association's END: the
     * associations keep no order between them, so it waits for data done */
    bool done_early;
    double *send_secs;
    double *recv_secs;
    unsigned int nup;
    unsigned int nclosed;
    /* Set-ups (-P, --connect-rate): started so far (associations
     * 0..nstarted-1), unanswered now, failed; failed[i] says which */
    unsigned int nstarted;
    unsigned int ninflight;
    unsigned int nfailed;
    bool *failed;
    struct perf_connect_bucket bucket;
    struct event *pace_ev; /* the bucket's next token */
    uint64_t connect_start_ns;
    bool connect_reported;
    char connect_error[256]; /* the first failure's reason */
    uint8_t cookie[PERF_COOKIE_LEN];
    enum client_phase phase;
    struct perf_intervals *intervals;
    struct event *watchdog_ev;
    unsigned int silence_next; /* the watchdog's next flow to ask */
    struct event *connect_ev;  /* --connect-timeout */
    struct event *rcv_ev;      /* --rcv-timeout */
    uint64_t phase_ns;         /* when the current phase began */
    uint64_t start_ns;         /* data start (after -O: counting start) */
    struct perf_ready ready;
    struct remote_results **remote;
    /* The server offered EXTRAS in READY and we asked (WANT_EXTRAS);
     * extras[i] is association i's once have_extras[i] (nflows each,
     * allocated at the first EXTRAS) */
    bool want_extras;
    struct perf_extras *extras;
    bool *have_extras;
    /* --stream: association i's per-stream latency, from the server's
     * LATENCY (or this end's flows under -R); NULL until known (nflows) */
    struct perf_latency_report **latency;
    char *server_output;
    struct rusage ru_start;
    uint64_t timeouts_at_start; /* the runtime's T3-rtx count */
    char error[512];
    struct perf_outcome *outcome; /* --compare: filled as the test runs */
    /* SIGINT/SIGTERM: the test is winding down (a second one quits). */
    bool interrupted;
    /* ... and it came before a limited test's end: what to say */
    char cut_short[160];
};

/* perf_client.c */

void perf_client_set_phase(struct perf_client *cl, enum client_phase p);

/* The test failed: say why once and stop the loop. */
void perf_client_fail(struct perf_client *cl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Does this end send (not -R, --bidir) / receive (-R, --bidir)? */
bool perf_client_sends(const struct perf_config *cfg);
bool perf_client_receives(const struct perf_config *cfg);

/* SIGINT/SIGTERM (the runtime's stop callback; arg is the client). */
void perf_client_stop(void *arg);

/* What every association's flow reports to (its arg is the client). */
extern const struct perf_flow_ops perf_client_flow_ops;

/* perf_client_conn.c */

/* Report the path events the associations queued (multihoming). */
void perf_client_report_paths(struct perf_client *cl);

/* Resolve, open the transports and timers, start every association.
 * RUNTIME_EXIT_OK, or the exit code (the error said). */
int perf_client_setup(struct perf_client *cl);

/* Start what set-ups the bucket and the in-flight bound allow now (and
 * arm the pacing timer for the rest). RUNTIME_EXIT_OK, or an exit code
 * with the error said. */
int perf_client_connect_more(struct perf_client *cl);

/* An association came up, or (up false) failed to with why: count it,
 * start more; once all are answered, report the set-ups (and fail the
 * test if any failed). */
void perf_client_connect_done(struct perf_client *cl, unsigned int i, bool up,
                              const char *why);

/* The set-ups so far as a text line and start.connect (once). */
void perf_client_report_connect(struct perf_client *cl);

/* Free the associations, the timers, the transports and cl. */
void perf_client_free(struct perf_client *cl);

/* perf_client_streams.c: --stream */

/* STREAMS before PARAMS on association 0 (nothing without --stream). */
void perf_client_send_streams(struct perf_client *cl, struct perf_flow *f);

/* Before data starts: the specs into sp; latency measured here under -R.
 * 0 or -ENOMEM. */
int perf_client_streams_start(struct perf_client *cl,
                              struct perf_send_params *sp);

/* A LATENCY from the server: false (the test failed) when malformed. */
bool perf_client_on_latency(struct perf_client *cl, const uint8_t *msg,
                            size_t len);

/* At the end under -R: this end's latency into cl->latency[]. */
void perf_client_collect_latency(struct perf_client *cl);

#endif /* SCTPU_PERF_CLIENT_PRIV_H */
