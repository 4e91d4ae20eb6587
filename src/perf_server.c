/*
 * perf_server.c - the sctpu-perf server: accept associations, group them
 * into tests by the client's cookie, run each test as the client asks,
 * and send back what this end measured.
 *
 * One test runs at a time unless --max-clients says more; a client that
 * vanishes (no data for --timeout) has its test aborted, so the next one
 * gets served. With --no-control every association is a test of its own
 * that only receives: a sink for any SCTP sender (tsctp, kernel SCTP).
 */
#include <errno.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "host_port.h"
#include "log.h"
#include "perf.h"
#include "perf_flow.h"
#include "perf_proto.h"
#include "perf_report.h"
#include "perf_report_intervals.h"
#include "perf_rows.h"
#include "runtime.h"
#include "units.h"

#define CLOSE_GRACE_S 5

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
    struct perf_flow *flows[PERF_MAX_PARALLEL];
    struct server_flow *sfs[PERF_MAX_PARALLEL];
    bool have_params;
    struct perf_params params;
    enum test_phase phase;
    uint64_t phase_ns;
    uint64_t start_ns;
    uint64_t last_ctrl_ns; /* the last control message from the client */
    bool send_done[PERF_MAX_PARALLEL];
    bool recv_done[PERF_MAX_PARALLEL];
    double send_secs[PERF_MAX_PARALLEL];
    double recv_secs[PERF_MAX_PARALLEL];
    struct perf_config view; /* cfg as this test runs it, for the
                                       report */
    struct perf_report *rep;
    FILE *captured; /* --get-server-output */
    char *captured_buf;
    size_t captured_len;
    struct perf_intervals *intervals;
    struct rusage ru_start;
    uint64_t timeouts_at_start; /* the runtime's T3-rtx count */
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
    uint64_t idle_since_ns; /* no test since (--idle-timeout with -1) */
};

static void test_free(struct perf_test *t, bool abortive);
static void raw_test_end(struct perf_test *t);

static void server_maybe_exit(struct perf_server *srv)
{
    if (srv->tests != NULL)
        return;
    if (srv->stopping || (srv->cfg->one_off && srv->completed > 0))
        event_base_loopexit(srv->rt.base, NULL);
}

static void test_abort(struct perf_test *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Log why, tell the client if it can still hear, drop the test. */
static void test_abort(struct perf_test *t, const char *fmt, ...)
{
    char why[256];
    uint8_t buf[512];
    va_list ap;
    int len;
    unsigned int i;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    log_warn("test %u aborted: %s", t->id, why);
    len = perf_proto_encode_text(buf, sizeof(buf), PERF_MSG_ERROR, why);
    for (i = 0; len > 0 && i < t->count && i < PERF_MAX_PARALLEL; i++)
        if (t->flows[i] != NULL)
            perf_flow_send_control(t->flows[i], buf, (size_t)len);
    if (t->srv->cfg->one_off)
        t->srv->exit_code = RUNTIME_EXIT_FAIL;
    test_free(t, true);
}

static struct perf_test *test_new(struct server_flow *sf,
                                  const struct perf_hello *h)
{
    struct perf_server *srv = sf->srv;
    struct perf_test *t = calloc(1, sizeof(*t));

    if (t == NULL)
        return NULL;
    t->srv = srv;
    t->rt = &sf->listener->view;
    t->id = ++srv->next_id;
    memcpy(t->cookie, h->cookie, sizeof(t->cookie));
    t->count = h->count;
    t->phase = ST_GATHERING;
    t->phase_ns = t->last_ctrl_ns = perf_now_ns();
    t->next = srv->tests;
    if (t->next != NULL)
        t->next->pprev = &t->next;
    t->pprev = &srv->tests;
    srv->tests = t;
    srv->running++;
    return t;
}

static struct perf_test *test_find(struct perf_server *srv,
                                   const uint8_t *cookie)
{
    struct perf_test *t;

    for (t = srv->tests; t != NULL; t = t->next)
        if (memcmp(t->cookie, cookie, PERF_COOKIE_LEN) == 0)
            return t;
    return NULL;
}

static void test_free(struct perf_test *t, bool abortive)
{
    struct perf_server *srv = t->srv;
    unsigned int i;

    for (i = 0; i < PERF_MAX_PARALLEL; i++) {
        if (t->flows[i] == NULL)
            continue;
        perf_flow_free(t->flows[i], abortive);
        free(t->sfs[i]);
    }
    *t->pprev = t->next;
    if (t->next != NULL)
        t->next->pprev = t->pprev;
    perf_intervals_free(t->intervals);
    perf_report_free(t->rep);
    if (t->captured != NULL)
        fclose(t->captured);
    free(t->captured_buf);
    if (t->phase != ST_CLOSING)
        srv->running--;
    free(t);
    srv->idle_since_ns = perf_now_ns();
    server_maybe_exit(srv);
}

static bool server_sends(const struct perf_params *p)
{
    return p->reverse || p->bidir;
}

static bool server_receives(const struct perf_params *p)
{
    return !p->reverse || p->bidir;
}

static void send_ctrl(struct perf_flow *f, int len, const uint8_t *buf)
{
    if (len > 0)
        perf_flow_send_control(f, buf, (size_t)len);
}

/* The test as the client asked, in the form the report understands. */
static void make_view(struct perf_test *t)
{
    const struct perf_params *p = &t->params;
    struct perf_config *v = &t->view;

    *v = *t->srv->cfg;
    v->duration_s = (double)p->duration_ms / 1000;
    v->bytes = p->bytes;
    v->messages = p->messages;
    v->omit_s = (double)p->omit_ms / 1000;
    v->interval_s = (double)p->interval_ms / 1000;
    v->length = p->length;
    v->parallel = p->parallel;
    v->nstreams = p->nstreams;
    v->reverse = p->reverse;
    v->bidir = p->bidir;
    v->unordered = p->unordered;
    v->verify = p->verify;
    v->nppids = p->nppids;
    memcpy(v->ppids, p->ppids, (size_t)p->nppids * sizeof(p->ppids[0]));
    v->json = t->srv->cfg->json;
}

static bool test_all_ready(const struct perf_test *t)
{
    return t->have_params && t->nflows == t->count;
}

/* Every association said HELLO and PARAMS came: tell the client how we
 * see it, and wait for START. */
static void test_send_ready(struct perf_test *t)
{
    static uint8_t
        buf[PERF_PROTO_HDR_LEN + 2 + PERF_PROTO_MAX_PARALLEL * PERF_SEEN_LEN];
    struct perf_ready ready;
    unsigned int i;

    memset(&ready, 0, sizeof(ready));
    ready.count = (uint16_t)t->count;
    make_view(t);
    t->rep = perf_report_new(&t->view, stdout);
    if (t->rep != NULL)
        perf_report_set_backend(
            t->rep, transport_conn_backend(perf_flow_conn(t->flows[0])));
    if (t->rep != NULL && t->params.get_server_output) {
        t->captured = open_memstream(&t->captured_buf, &t->captured_len);
        perf_report_tee(t->rep, t->captured);
    }
    for (i = 0; i < t->count; i++) {
        struct transport_assoc_info info;
        struct sockaddr_storage paddrs[TRANSPORT_MAX_ADDRS];
        size_t np = transport_peer_addrs(perf_flow_conn(t->flows[i]), paddrs,
                                         TRANSPORT_MAX_ADDRS);

        if (transport_get_info(perf_flow_conn(t->flows[i]), &info) == 0)
            transport_peer_name(&info, ready.seen[i], PERF_SEEN_LEN);
        if (t->rep != NULL) {
            perf_report_line(t->rep,
                             "Accepted association %u of test %u "
                             "from %s (SCTP port %u%s%s)",
                             i + 1, t->id, ready.seen[i],
                             (unsigned)info.peer_sctp_port,
                             t->srv->rt.nall > 1 ? ", backend " : "",
                             t->srv->rt.nall > 1 ? t->rt->ops->name : "");
            perf_report_peer_addrs(t->rep, i + 1, paddrs, np);
        }
    }
    send_ctrl(t->flows[0], perf_proto_encode_ready(buf, sizeof(buf), &ready),
              buf);
}

static void test_start(struct perf_test *t)
{
    const struct perf_params *p = &t->params;
    struct perf_send_params sp;
    struct perf_intervals_setup is;
    unsigned int i;

    perf_flow_send_params(p, &sp);
    t->phase = ST_RUNNING;
    t->phase_ns = t->start_ns = perf_now_ns();
    getrusage(RUSAGE_SELF, &t->ru_start);
    t->timeouts_at_start = perf_rows_timeouts(t->rt);
    for (i = 0; i < t->count; i++) {
        t->send_done[i] = !server_sends(p);
        t->recv_done[i] = !server_receives(p);
        if (server_sends(p) && perf_flow_start_send(t->flows[i], &sp) < 0) {
            test_abort(t, "out of memory");
            return;
        }
    }
    if (t->rep == NULL)
        return;
    /* The intervals (and -O) as the client cuts them, on our clock. */
    memset(&is, 0, sizeof(is));
    is.base = t->srv->rt.base;
    is.rep = t->rep;
    is.rt = t->rt;
    is.flows = t->flows;
    is.nflows = t->count;
    is.sends = server_sends(p);
    is.receives = server_receives(p);
    is.interval_s = t->view.interval_s;
    is.omit_s = t->view.omit_s;
    is.duration_s = sp.duration_ns ? t->view.duration_s : 0;
    is.start_ns = &t->start_ns;
    is.ru_start = &t->ru_start;
    is.recv_done = t->recv_done;
    is.recv_secs = t->recv_secs;
    t->intervals = perf_intervals_start(&is);
    if (t->intervals == NULL)
        test_abort(t, "out of memory");
}

/* Report the path events the test's associations queued (multihoming),
 * once its report exists. */
static void test_report_paths(struct perf_test *t)
{
    unsigned int i;

    for (i = 0; t->rep != NULL && i < t->count; i++) {
        struct transport_path_event ev[8];
        uint64_t dropped = 0;
        size_t n;
        size_t k;

        if (t->flows[i] == NULL)
            continue;
        do {
            n = transport_path_events(perf_flow_conn(t->flows[i]), ev, 8,
                                      &dropped);
            perf_report_path_dropped(t->rep, dropped);
            for (k = 0; k < n; k++) {
                double s = t->start_ns && ev[k].when_ns > t->start_ns
                               ? (double)(ev[k].when_ns - t->start_ns) / 1e9
                               : 0;

                perf_report_path_event(t->rep, i + 1, s, &ev[k]);
            }
        } while (n == 8);
    }
}

/* Our side of the final report, printed here and captured if asked. */
static void test_report_local(struct perf_test *t, double wall)
{
    struct perf_report_dir dirs[2 * PERF_MAX_PARALLEL];
    struct perf_report_final fin;
    size_t n = 0;
    unsigned int i;

    test_report_paths(t);
    for (i = 0; i < t->count; i++) {
        if (server_sends(&t->params))
            perf_rows_add_dir(dirs, &n, i + 1, true, true, t->send_secs[i],
                              perf_flow_sent(t->flows[i]));
        if (server_receives(&t->params))
            perf_rows_add_dir(dirs, &n, i + 1, false, false, t->recv_secs[i],
                              perf_flow_received(t->flows[i]));
    }
    memset(&fin, 0, sizeof(fin));
    fin.dirs = dirs;
    fin.ndirs = n;
    fin.cpu_local = perf_rows_cpu_percent(&t->ru_start, wall);
    fin.cpu_remote = -1;
    if (t->rep != NULL)
        perf_report_final(t->rep, &fin);
    if (server_sends(&t->params))
        perf_rows_warn_timeouts(
            t->rt, t->timeouts_at_start,
            perf_rows_retransmits(t->flows, t->count), t->flows[0],
            perf_rows_longest(t->send_secs, t->count, wall), "the server");
}

/* All data in both directions is through: send what we counted. */
static void test_send_results(struct perf_test *t)
{
    double wall = (double)(perf_now_ns() - t->start_ns) / 1e9;
    uint32_t cpu = (uint32_t)(perf_rows_cpu_percent(&t->ru_start, wall) * 100);
    struct perf_flow *ctrl = t->flows[0];
    uint8_t hdr[PERF_PROTO_HDR_LEN];
    unsigned int i;

    /* The last, partial interval, so the intervals add up. */
    perf_intervals_finish(t->intervals);
    test_report_local(t, wall);
    for (i = 0; i < t->count; i++) {
        struct perf_results r;
        uint8_t *buf;
        size_t cap;
        int len;

        memset(&r, 0, sizeof(r));
        r.index = (uint16_t)i;
        r.cpu_x100 = cpu;
        r.received = *perf_flow_received(t->flows[i]);
        r.sent = *perf_flow_sent(t->flows[i]);
        r.duration_us =
            (uint64_t)((server_receives(&t->params) ? t->recv_secs[i]
                                                    : t->send_secs[i]) *
                       1e6);
        cap = perf_proto_results_size(r.sent.nstreams, r.received.nstreams);
        buf = malloc(cap);
        len = buf ? perf_proto_encode_results(buf, cap, &r) : -ENOMEM;
        send_ctrl(ctrl, len, buf);
        free(buf);
    }
    if (t->captured != NULL) {
        static uint8_t buf[PERF_PROTO_HDR_LEN + PERF_TEXT_MAX];

        fflush(t->captured);
        send_ctrl(
            ctrl,
            perf_proto_encode_text(buf, sizeof(buf), PERF_MSG_SERVER_OUTPUT,
                                   t->captured_buf ? t->captured_buf : ""),
            buf);
    }
    send_ctrl(ctrl, perf_proto_encode_empty(hdr, sizeof(hdr), PERF_MSG_DONE),
              hdr);
    t->phase = ST_CLOSING;
    t->phase_ns = perf_now_ns();
    /* The next client may start while these associations close. */
    t->srv->running--;
    if (t->rep != NULL)
        perf_report_finish(t->rep);
    t->srv->completed++;
}

static void test_check_done(struct perf_test *t)
{
    unsigned int i;

    for (i = 0; i < t->count; i++)
        if (!t->send_done[i] || !t->recv_done[i])
            return;
    test_send_results(t);
}

static void on_send_done(struct perf_flow *f, void *arg)
{
    struct server_flow *sf = arg;
    struct perf_test *t = sf->test;
    uint8_t buf[PERF_PROTO_HDR_LEN];

    if (t == NULL)
        return;
    t->send_secs[sf->index] =
        perf_rows_span_secs(t->start_ns, perf_flow_send_stop_ns(f));
    t->send_done[sf->index] = true;
    send_ctrl(f, perf_proto_encode_empty(buf, sizeof(buf), PERF_MSG_END), buf);
    test_check_done(t);
}

/*
 * The client's END on association i: its data is all through, and it asks
 * us to stop ours too where that cannot cut a test short. Under -R it
 * sends nothing, so END is only ever that request (the client was
 * interrupted, or -t 0 is ending). Under --bidir a time-limited or
 * unlimited test stops with it: a timed client's END comes after our own
 * time is up, so only an interrupted one ends us early. A -n/-k test
 * sends its count whatever the client does.
 */
static void on_client_end(struct perf_test *t, unsigned int i,
                          struct perf_flow *f)
{
    const struct perf_params *p = &t->params;

    if (server_receives(p)) {
        t->recv_secs[i] =
            perf_rows_span_secs(t->start_ns, perf_flow_last_rx_ns(f));
        t->recv_done[i] = true;
    }
    if (server_sends(p) &&
        (!server_receives(p) || (p->bytes == 0 && p->messages == 0)))
        perf_flow_stop_send(f);
    test_check_done(t);
}

/* Apply the test's parameters to one of its associations. */
static int configure_flow(struct perf_test *t, struct perf_flow *f)
{
    struct transport_conn *conn = perf_flow_conn(f);
    struct transport_tuning tu = {
        .nodelay = t->params.nodelay != 0,
        .sack_delay_ms = t->params.sack_delay_ms,
        .sack_freq = t->params.sack_freq,
    };

    /* The client's bundling and SACK choices hold at both ends. */
    if (transport_tune(conn, &tu) < 0)
        log_warn("test %u: cannot apply the client's SCTP tuning: %s", t->id,
                 transport_conn_strerror(conn));
    perf_flow_set_streams(f, t->params.nstreams);
    if (t->params.verify && perf_flow_set_verify(f, t->params.length) < 0) {
        test_abort(t, "out of memory");
        return -1;
    }
    return 0;
}

/* A HELLO: join (or start) the test its cookie names. */
static bool on_hello(struct server_flow *sf, const uint8_t *msg, size_t len)
{
    struct perf_server *srv = sf->srv;
    struct perf_hello h;
    struct perf_test *t;

    if (sf->test != NULL || perf_proto_decode_hello(msg, len, &h) < 0 ||
        h.count == 0 || h.count > PERF_MAX_PARALLEL || h.index >= h.count)
        return false;
    t = test_find(srv, h.cookie);
    if (t == NULL) {
        if (srv->running >= srv->cfg->max_clients || srv->stopping) {
            uint8_t buf[256];

            send_ctrl(sf->flow,
                      perf_proto_encode_text(buf, sizeof(buf), PERF_MSG_ERROR,
                                             "the server is busy running "
                                             "another test; try again later"),
                      buf);
            log_info("refused a test: busy");
            return true;
        }
        t = test_new(sf, &h);
        if (t == NULL)
            return false;
    }
    if (h.count != t->count || t->flows[h.index] != NULL ||
        t->phase != ST_GATHERING)
        return false;
    sf->test = t;
    sf->index = h.index;
    t->flows[h.index] = sf->flow;
    t->sfs[h.index] = sf;
    t->nflows++;
    perf_flow_set_tag(sf->flow, (int)h.index);
    /* PARAMS may have come first, on association 0. */
    if (t->have_params && configure_flow(t, sf->flow) < 0)
        return false;
    if (test_all_ready(t))
        test_send_ready(t);
    return true;
}

static bool params_ok(const struct perf_params *p, unsigned int count)
{
    return p->parallel == count && p->nstreams >= 1 &&
           p->nstreams <= PERF_MAX_STREAMS && p->length >= 1 &&
           p->length <= PERF_MAX_LEN && p->pr_policy <= PERF_PR_BUF;
}

/*
 * --server-bitrate-limit: a test may ask for at most the limit, in total
 * over its associations and directions; one with no -b asks for no limit
 * at all. Refused before it starts, with what it asked and the limit (the
 * pacer then keeps an accepted test at its rate: nothing to average).
 */
static bool rate_within_limit(struct perf_test *t)
{
    const struct perf_params *p = &t->params;
    uint64_t limit = t->srv->cfg->server_rate_limit_bps;
    unsigned int ways = p->bidir ? 2 : 1;
    double total = (double)p->rate_bps * p->parallel * ways;
    char lim[32];
    char ask[32];
    char each[32];

    if (limit == 0 || (p->rate_bps != 0 && total <= (double)limit))
        return true;
    units_format_rate(lim, sizeof(lim), (double)limit);
    if (p->rate_bps == 0) {
        test_abort(t,
                   "the test asks for an unlimited rate (no -b), which "
                   "exceeds the server's bitrate limit %s: give -b",
                   lim);
        return false;
    }
    units_format_rate(ask, sizeof(ask), total);
    units_format_rate(each, sizeof(each), (double)p->rate_bps);
    test_abort(t,
               "the test asks for %s in total (-b %s x %u association%s%s), "
               "which exceeds the server's bitrate limit %s",
               ask, each, (unsigned)p->parallel, p->parallel == 1 ? "" : "s",
               p->bidir ? " x 2 directions" : "", lim);
    return false;
}

/* Under -R or --bidir this end sends with the client's PR-SCTP policy:
 * refuse, before the test starts, one our backend does not have. */
static bool pr_policy_supported(struct perf_test *t, struct server_flow *sf)
{
    const struct transport_ops *ops =
        transport_conn_backend(perf_flow_conn(sf->flow));
    char have[32];

    if (!server_sends(&t->params) ||
        transport_has_pr_policy(ops, t->params.pr_policy))
        return true;
    test_abort(t,
               "--pr-policy %s: the server's %s backend cannot send with it "
               "(it has: %s)",
               transport_pr_policy_name(t->params.pr_policy), ops->name,
               transport_pr_policy_list(ops, have, sizeof(have)));
    return false;
}

static bool on_params(struct server_flow *sf, const uint8_t *msg, size_t len)
{
    struct perf_test *t = sf->test;
    unsigned int i;

    if (t == NULL || sf->index != 0 || t->have_params ||
        perf_proto_decode_params(msg, len, &t->params) < 0)
        return false;
    if (!params_ok(&t->params, t->count)) {
        test_abort(t, "the test parameters are out of range");
        return false;
    }
    if (!rate_within_limit(t) || !pr_policy_supported(t, sf))
        return false;
    t->have_params = true;
    for (i = 0; i < PERF_MAX_PARALLEL; i++)
        if (t->flows[i] != NULL && configure_flow(t, t->flows[i]) < 0)
            return false;
    if (test_all_ready(t))
        test_send_ready(t);
    return true;
}

static bool on_control(struct perf_flow *f, const uint8_t *msg, size_t len,
                       void *arg)
{
    struct server_flow *sf = arg;
    struct perf_test *t = sf->test;
    int type = perf_proto_type(msg, len);

    if (t != NULL)
        t->last_ctrl_ns = perf_now_ns();
    switch (type) {
    case PERF_MSG_HELLO:
        if (on_hello(sf, msg, len))
            return true;
        break;
    case PERF_MSG_PARAMS:
        if (on_params(sf, msg, len))
            return true;
        return false;
    case PERF_MSG_START:
        if (t == NULL || sf->index != 0 || !test_all_ready(t) ||
            t->phase != ST_GATHERING)
            break;
        test_start(t);
        return true;
    case PERF_MSG_END:
        if (t == NULL || t->phase != ST_RUNNING)
            break;
        on_client_end(t, sf->index, f);
        return true;
    default:
        break;
    }
    /* Anything else is a protocol error: this association is done. */
    if (t != NULL) {
        test_abort(t, "unexpected control message (type %d)", type);
    } else {
        log_warn("unexpected control message (type %d) from a client", type);
        perf_flow_free(f, true);
        free(sf);
    }
    return false;
}

static void on_closed(struct perf_flow *f, int err, void *arg)
{
    struct server_flow *sf = arg;
    struct perf_test *t = sf->test;

    if (t == NULL) {
        perf_flow_free(f, err != 0);
        free(sf);
        return;
    }
    if (t->srv->cfg->no_control && t->phase == ST_RUNNING && err == 0) {
        raw_test_end(t);
        return;
    }
    if (t->phase == ST_CLOSING && err == 0) {
        if (++t->nclosed == t->count)
            test_free(t, false);
        return;
    }
    if (err == 0)
        test_abort(t, "the client closed association %u mid-test",
                   sf->index + 1);
    else
        test_abort(t, "association %u lost: %s", sf->index + 1, strerror(err));
}

static void on_connected(struct perf_flow *f, void *arg)
{
    (void)f;
    (void)arg;
}

static const struct perf_flow_ops server_flow_ops = {
    .on_connected = on_connected,
    .on_control = on_control,
    .on_send_done = on_send_done,
    .on_closed = on_closed,
};

/*
 * --no-control: every association is a test of its own that only
 * receives, reported when the sender closes it.
 */
static void raw_test_start(struct perf_server *srv, struct server_flow *sf)
{
    struct perf_hello h;
    struct perf_test *t;
    struct transport_assoc_info info;
    char name[NETADDR_STRLEN];

    memset(&h, 0, sizeof(h));
    h.count = 1;
    t = test_new(sf, &h);
    if (t == NULL) {
        perf_flow_free(sf->flow, true);
        free(sf);
        return;
    }
    sf->test = t;
    t->flows[0] = sf->flow;
    t->sfs[0] = sf;
    t->nflows = 1;
    perf_flow_set_tag(sf->flow, 0);
    t->have_params = true;
    t->params.parallel = 1;
    t->params.nstreams = 1;
    t->params.interval_ms = (uint32_t)(srv->cfg->interval_s * 1000 + 0.5);
    make_view(t);
    t->rep = perf_report_new(&t->view, stdout);
    if (t->rep != NULL)
        perf_report_set_backend(
            t->rep, transport_conn_backend(perf_flow_conn(sf->flow)));
    if (t->rep != NULL &&
        transport_get_info(perf_flow_conn(sf->flow), &info) == 0)
        perf_report_line(t->rep,
                         "Accepted association from %s (SCTP port "
                         "%u), counting what it sends",
                         transport_peer_name(&info, name, sizeof(name)),
                         (unsigned)info.peer_sctp_port);
    test_start(t);
}

/* --no-control: the sender finished; report what arrived. */
static void raw_test_end(struct perf_test *t)
{
    t->recv_secs[0] =
        perf_rows_span_secs(t->start_ns, perf_flow_last_rx_ns(t->flows[0]));
    t->recv_done[0] = true;
    perf_intervals_finish(t->intervals);
    test_report_local(t, t->recv_secs[0]);
    if (t->rep != NULL)
        perf_report_finish(t->rep);
    t->srv->completed++;
    test_free(t, false);
}

static void on_accept(struct transport_conn *conn, void *arg)
{
    const struct server_listener *l = arg;
    struct perf_server *srv = l->srv;
    struct server_flow *sf = calloc(1, sizeof(*sf));

    if (sf != NULL) {
        sf->srv = srv;
        sf->listener = l;
        sf->flow = perf_flow_new(srv->rt.base, conn, &server_flow_ops, sf);
    }
    if (sf == NULL || sf->flow == NULL) {
        log_err("accept: out of memory; aborting the association");
        transport_conn_free(conn, true);
        free(sf);
        return;
    }
    perf_flow_set_tag(sf->flow, -1);
    if (srv->cfg->no_control)
        raw_test_start(srv, sf);
}

/* The last time anything of test t moved: control, data in or out. */
static uint64_t test_last_activity(const struct perf_test *t)
{
    uint64_t last = t->last_ctrl_ns;
    unsigned int i;

    for (i = 0; t->phase == ST_RUNNING && i < t->count; i++)
        if (perf_flow_last_progress(t->flows[i]) > last)
            last = perf_flow_last_progress(t->flows[i]);
    return last;
}

/*
 * Why running test t must end now (into why), or false: an association
 * that moved nothing for --timeout, a receiver that got no data for
 * --rcv-timeout.
 */
static bool test_stalled(const struct perf_test *t, uint64_t now, char *why,
                         size_t len)
{
    const struct perf_config *cfg = t->srv->cfg;
    uint64_t limit = (uint64_t)(cfg->timeout_s * 1e9);
    uint64_t rcv = (uint64_t)cfg->rcv_timeout_ms * 1000000u;
    unsigned int i;

    for (i = 0; i < t->count; i++) {
        uint64_t last_rx = perf_flow_last_rx_ns(t->flows[i]);

        if (now - perf_flow_last_progress(t->flows[i]) > limit &&
            (!t->send_done[i] || !t->recv_done[i])) {
            snprintf(why, len,
                     "no data on association %u for %.3g s: the client is "
                     "gone",
                     i + 1, cfg->timeout_s);
            return true;
        }
        if (last_rx < t->start_ns)
            last_rx = t->start_ns; /* nothing yet: count from the start */
        if (rcv != 0 && server_receives(&t->params) && !t->recv_done[i] &&
            now - last_rx > rcv) {
            snprintf(why, len,
                     "no data received on association %u for %u ms "
                     "(--rcv-timeout)",
                     i + 1, cfg->rcv_timeout_ms);
            return true;
        }
    }
    return false;
}

/* Whether test t must be aborted now, and why. */
static bool test_must_abort(const struct perf_test *t, uint64_t now, char *why,
                            size_t len)
{
    const struct perf_config *cfg = t->srv->cfg;
    uint64_t idle = (uint64_t)(cfg->idle_timeout_s * 1e9);

    if (t->phase == ST_CLOSING)
        return false;
    if (idle != 0 && now - test_last_activity(t) > idle) {
        snprintf(why, len, "nothing moved for %.3g s (--idle-timeout)",
                 cfg->idle_timeout_s);
        return true;
    }
    if (t->phase == ST_GATHERING &&
        now - t->phase_ns > (uint64_t)(cfg->timeout_s * 1e9)) {
        snprintf(why, len, "the client did not start the test within %.3g s",
                 cfg->timeout_s);
        return true;
    }
    return t->phase == ST_RUNNING && test_stalled(t, now, why, len);
}

/* -1 --idle-timeout: no test came for that long; the server is done. */
static void server_check_idle(struct perf_server *srv, uint64_t now)
{
    const struct perf_config *cfg = srv->cfg;
    char line[128];

    if (!cfg->one_off || cfg->idle_timeout_s <= 0 || srv->tests != NULL ||
        now - srv->idle_since_ns <= (uint64_t)(cfg->idle_timeout_s * 1e9))
        return;
    snprintf(line, sizeof(line),
             "No test for %.3g s (--idle-timeout): exiting\n",
             cfg->idle_timeout_s);
    perf_report_lines(cfg, cfg->json ? stderr : stdout, line);
    event_base_loopexit(srv->rt.base, NULL);
}

/* Tests whose client went quiet are aborted so the next can run. */
static void watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
    struct perf_server *srv = arg;
    uint64_t now = perf_now_ns();
    struct perf_test *t = srv->tests;
    char why[160];

    (void)fd;
    (void)what;
    while (t != NULL) {
        struct perf_test *next = t->next;

        test_report_paths(t);
        if (t->phase == ST_CLOSING &&
            now - t->phase_ns > CLOSE_GRACE_S * 1000000000ull)
            test_free(t, true);
        else if (test_must_abort(t, now, why, sizeof(why)))
            test_abort(t, "%s", why);
        t = next;
    }
    server_check_idle(srv, now);
}

static void server_stop(void *arg)
{
    struct perf_server *srv = arg;

    srv->stopping = true;
    while (srv->tests != NULL)
        test_abort(srv->tests, "the server is shutting down");
    event_base_loopexit(srv->rt.base, NULL);
}

/* Listen on every transport of the runtime: one per backend served. */
static int server_listen(struct perf_server *srv, char *err, size_t errlen)
{
    size_t i;

    for (i = 0; i < srv->rt.nall; i++) {
        struct server_listener *l = &srv->listeners[i];

        l->srv = srv;
        l->view = srv->rt;
        l->view.t = srv->rt.all[i];
        l->view.ops = srv->rt.all[i]->ops;
        transport_local_name(l->view.t, l->view.local, sizeof(l->view.local));
        if (transport_listen(l->view.t, srv->cfg->port, on_accept, l, err,
                             errlen) < 0)
            return -1;
    }
    return 0;
}

/* Which backend listens where; -J: on stderr, as stdout is the JSON's. */
static void server_banner(const struct perf_server *srv)
{
    const struct perf_config *cfg = srv->cfg;
    char banner[1024];
    size_t used;
    size_t i;

    used = (size_t)snprintf(
        banner, sizeof(banner),
        "-----------------------------------------------------------\n");
    for (i = 0; i < srv->rt.nall && used < sizeof(banner); i++) {
        const struct transport_ops *ops = srv->listeners[i].view.ops;
        /* usrsctp always encapsulates; the kernel only with --encap */
        bool udp = ops->caps->own_udp_socket || cfg->sock.encap;
        char stack[96];

        transport_describe_stack(ops, stack, sizeof(stack));
        used += (size_t)snprintf(
            banner + used, sizeof(banner) - used,
            "Server listening on SCTP port %u over %s %s (backend %s: %s)\n",
            (unsigned)cfg->port, udp ? "UDP" : "IP",
            srv->listeners[i].view.local, ops->name, stack);
    }
    if (used < sizeof(banner))
        snprintf(banner + used, sizeof(banner) - used,
                 "-----------------------------------------------------------"
                 "\n");
    perf_report_lines(cfg, cfg->json ? stderr : stdout, banner);
    fflush(stdout);
}

int perf_server_run(const struct perf_config *cfg)
{
    struct perf_server srv;
    struct transport_config tc;
    struct host_list binds;
    struct timeval tick = { 0, 250000 };
    char err[256];
    int rc;

    memset(&srv, 0, sizeof(srv));
    srv.cfg = cfg;
    srv.idle_since_ns = perf_now_ns();
    memset(&binds, 0, sizeof(binds));
    memset(&tc, 0, sizeof(tc));
    /* -B a,b: the CLI checked the list; its strings live in binds */
    if (cfg->bind_host != NULL && host_list_parse(cfg->bind_host, &binds) < 0)
        return RUNTIME_EXIT_USAGE;
    if (transport_config_set_bind(&tc, binds.host, binds.count, err,
                                  sizeof(err)) < 0) {
        log_err("%s", err);
        return RUNTIME_EXIT_USAGE;
    }
    tc.family = cfg->family;
    tc.udp_port = cfg->udp_port;
    tc.mtu = cfg->mtu;
    tc.sndbuf = cfg->window;
    tc.rcvbuf = cfg->window;
    tc.nodelay = cfg->nodelay;
    tc.sack_delay_ms = cfg->sack_delay_ms;
    tc.sack_freq = cfg->sack_freq;
    tc.rto_min_ms = cfg->rto_min_ms;
    tc.rto_max_ms = cfg->rto_max_ms;
    tc.rto_initial_ms = cfg->rto_initial_ms;
    tc.hb_interval_ms = cfg->hb_interval_ms;
    sock_opts_to_transport(&cfg->sock, &tc);
    tc.streams = cfg->sock.out_streams;
    rc = runtime_open(&srv.rt, cfg->backend, &tc, server_stop, &srv);
    if (rc != RUNTIME_EXIT_OK)
        return rc;
    srv.watchdog_ev = event_new(srv.rt.base, -1, EV_PERSIST, watchdog_cb, &srv);
    if (srv.watchdog_ev == NULL || server_listen(&srv, err, sizeof(err)) < 0) {
        log_err("%s", srv.watchdog_ev ? err : "out of memory");
        if (srv.watchdog_ev != NULL)
            event_free(srv.watchdog_ev);
        runtime_close(&srv.rt);
        return RUNTIME_EXIT_USAGE;
    }
    event_add(srv.watchdog_ev, &tick);
    server_banner(&srv);

    event_base_dispatch(srv.rt.base);

    while (srv.tests != NULL)
        test_free(srv.tests, true);
    event_free(srv.watchdog_ev);
    runtime_close(&srv.rt);
    return srv.exit_code;
}
