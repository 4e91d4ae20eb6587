/*
 * perf_server_test.c - one test's life on the sctpu-perf server: gathered
 * from the associations whose HELLO names its cookie, started when the
 * client says START, its intervals and final report printed here, and its
 * results sent back to the client when both directions are through.
 * --no-control tests (one receive-only association each) live here too.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "host_port.h"
#include "impair_report.h"
#include "log.h"
#include "perf_server_priv.h"
#include "perf_rows.h"

/* -1 serves one test however it ends: a test that failed was it, so the
 * server exits (with a failure) once its associations are gone. */
static void count_failed_end(struct perf_test *t)
{
    if (t->srv->cfg->one_off) {
        t->srv->exit_code = RUNTIME_EXIT_FAIL;
        t->srv->completed++;
    }
}

/* Log why, tell the client if it can still hear, drop the test. */
void perf_server_test_abort(struct perf_test *t, const char *fmt, ...)
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
    for (i = 0; len > 0 && i < t->count; i++)
        if (t->flows[i] != NULL)
            perf_flow_send_control(t->flows[i], buf, (size_t)len);
    count_failed_end(t);
    perf_server_test_free(t, true);
}

void perf_server_test_wind_down(struct perf_test *t, const char *why)
{
    uint8_t buf[512];
    int len = perf_proto_encode_text(buf, sizeof(buf), PERF_MSG_ERROR, why);
    unsigned int i;

    log_warn("test %u aborted: %s", t->id, why);
    count_failed_end(t);
    if (t->phase != ST_CLOSING)
        t->srv->running--;
    t->phase = ST_CLOSING;
    t->phase_ns = perf_now_ns();
    t->winding_down = true;
    t->nclosed = 0;
    for (i = 0; i < t->count; i++) {
        if (t->flows[i] == NULL || len <= 0 ||
            perf_flow_close_with(t->flows[i], buf, (size_t)len) < 0)
            t->nclosed++; /* not there, or no memory: the grace ends it */
    }
    if (t->nclosed == t->count)
        perf_server_test_free(t, true);
}

static void free_arrays(struct perf_test *t)
{
    free(t->flows);
    free(t->sfs);
    free(t->send_done);
    free(t->recv_done);
    free(t->send_secs);
    free(t->recv_secs);
}

struct perf_test *perf_server_test_new(struct server_flow *sf,
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
    t->flows = calloc(t->count, sizeof(*t->flows));
    t->sfs = calloc(t->count, sizeof(*t->sfs));
    t->send_done = calloc(t->count, sizeof(*t->send_done));
    t->recv_done = calloc(t->count, sizeof(*t->recv_done));
    t->send_secs = calloc(t->count, sizeof(*t->send_secs));
    t->recv_secs = calloc(t->count, sizeof(*t->recv_secs));
    if (t->flows == NULL || t->sfs == NULL || t->send_done == NULL ||
        t->recv_done == NULL || t->send_secs == NULL || t->recv_secs == NULL) {
        free_arrays(t);
        free(t);
        return NULL;
    }
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

struct perf_test *perf_server_test_find(struct perf_server *srv,
                                        const uint8_t *cookie)
{
    struct perf_test *t;

    for (t = srv->tests; t != NULL; t = t->next)
        if (memcmp(t->cookie, cookie, PERF_COOKIE_LEN) == 0)
            return t;
    return NULL;
}

void perf_server_test_free(struct perf_test *t, bool abortive)
{
    struct perf_server *srv = t->srv;
    unsigned int i;

    for (i = 0; i < t->count; i++) {
        if (t->flows[i] == NULL)
            continue;
        perf_flow_free(t->flows[i], abortive);
        perf_server_flow_release(t->sfs[i]);
    }
    *t->pprev = t->next;
    if (t->next != NULL)
        t->next->pprev = t->pprev;
    perf_intervals_free(t->intervals);
    perf_report_free(t->rep);
    if (t->captured != NULL)
        fclose(t->captured);
    free(t->captured_buf);
    free(t->latency);
    if (t->phase != ST_CLOSING)
        srv->running--;
    srv->buffer_in_use -= t->buffer_bytes;
    free_arrays(t);
    free(t);
    srv->idle_since_ns = perf_now_ns();
    perf_server_maybe_exit(srv);
}

bool perf_server_sends(const struct perf_params *p)
{
    return p->reverse || p->bidir;
}

bool perf_server_receives(const struct perf_params *p)
{
    return !p->reverse || p->bidir;
}

void perf_server_send_ctrl(struct perf_flow *f, int len, const uint8_t *buf)
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
    v->rr_resp = p->rr_resp;
    v->nppids = p->nppids;
    memcpy(v->ppids, p->ppids, (size_t)p->nppids * sizeof(p->ppids[0]));
    v->json = t->srv->cfg->json;
}

bool perf_server_test_all_ready(const struct perf_test *t)
{
    return t->have_params && t->nflows == t->count;
}

/* Every association said HELLO and PARAMS came: tell the client how we
 * see it, and wait for START. */
void perf_server_test_send_ready(struct perf_test *t)
{
    static uint8_t
        buf[PERF_PROTO_HDR_LEN + 2 + PERF_READY_MAX_SEEN * PERF_SEEN_LEN];
    struct perf_ready ready;
    unsigned int i;

    memset(&ready, 0, sizeof(ready));
    ready.count =
        (uint16_t)(t->count < PERF_READY_MAX_SEEN ? t->count
                                                  : PERF_READY_MAX_SEEN);
    make_view(t);
    t->rep = perf_report_new(&t->view, stdout);
    if (t->rep != NULL)
        perf_report_set_cookie(t->rep, t->cookie, sizeof(t->cookie));
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
        char seen[PERF_SEEN_LEN] = "";
        size_t np;
        /* -P 10000: not one line each, but how many (-V: all) */
        bool listed =
            t->rep != NULL && (t->count <= PERF_LIST_ASSOCS || t->view.verbose);

        if (i == 0 && t->rep != NULL && !listed)
            perf_report_line(t->rep,
                             "Accepted %u associations of test %u (listed "
                             "one by one with -V)",
                             t->count, t->id);
        if (!listed && i >= PERF_READY_MAX_SEEN)
            continue;
        np = transport_peer_addrs(perf_flow_conn(t->flows[i]), paddrs,
                                  TRANSPORT_MAX_ADDRS);
        memset(&info, 0, sizeof(info));
        if (transport_get_info(perf_flow_conn(t->flows[i]), &info) == 0)
            transport_peer_name(&info, seen, sizeof(seen));
        if (i == 0 && t->rep != NULL)
            perf_report_set_buffers(t->rep, info.sndbuf, info.rcvbuf);
        if (i < PERF_READY_MAX_SEEN)
            memcpy(ready.seen[i], seen, sizeof(seen));
        if (listed) {
            perf_report_line(t->rep,
                             "Accepted association %u of test %u "
                             "from %s (SCTP port %u%s%s)",
                             i + 1, t->id, seen, (unsigned)info.peer_sctp_port,
                             t->srv->rt.nall > 1 ? ", backend " : "",
                             t->srv->rt.nall > 1 ? t->rt->ops->name : "");
            perf_report_peer_addrs(t->rep, i + 1, paddrs, np);
        }
    }
    /* Offered in seen[0]'s padding, which older clients ignore; a name
     * too long to leave room for it offers nothing. */
    if (ready.count >= 1 &&
        memchr(ready.seen[0], '\0', PERF_READY_CAPS_OFF) != NULL)
        ready.caps = PERF_CAP_EXTRAS;
    perf_server_send_ctrl(
        t->flows[0], perf_proto_encode_ready(buf, sizeof(buf), &ready), buf);
}

bool perf_server_test_start(struct perf_test *t)
{
    const struct perf_params *p = &t->params;
    struct perf_send_params sp;
    struct perf_intervals_setup is;
    unsigned int i;

    perf_flow_send_params(p, &sp);
    sp.streams = t->streams;
    t->phase = ST_RUNNING;
    t->phase_ns = t->start_ns = perf_now_ns();
    getrusage(RUSAGE_SELF, &t->ru_start);
    t->timeouts_at_start = perf_rows_timeouts(t->rt);
    for (i = 0; i < t->count; i++) {
        t->send_done[i] = !perf_server_sends(p);
        t->recv_done[i] = !perf_server_receives(p);
        perf_flow_mark_start(t->flows[i], perf_server_receives(p) ? &sp : NULL);
        if (t->streams.n && perf_server_receives(p) &&
            perf_flow_set_latency(t->flows[i]) < 0) {
            perf_server_test_abort(t, "out of memory");
            return false;
        }
        if (perf_server_sends(p) &&
            perf_flow_start_send(t->flows[i], &sp) < 0) {
            perf_server_test_abort(t, "out of memory");
            return false;
        }
    }
    if (t->rep == NULL)
        return true;
    /* The intervals (and -O) as the client cuts them, on our clock. */
    memset(&is, 0, sizeof(is));
    is.base = t->srv->rt.base;
    is.rep = t->rep;
    is.rt = t->rt;
    is.flows = t->flows;
    is.nflows = t->count;
    is.sends = perf_server_sends(p);
    is.receives = perf_server_receives(p);
    is.rr = p->rr_resp != 0;
    is.interval_s = t->view.interval_s;
    is.omit_s = t->view.omit_s;
    is.duration_s = sp.duration_ns ? t->view.duration_s : 0;
    is.start_ns = &t->start_ns;
    is.ru_start = &t->ru_start;
    is.recv_done = t->recv_done;
    is.recv_secs = t->recv_secs;
    t->intervals = perf_intervals_start(&is);
    if (t->intervals == NULL) {
        perf_server_test_abort(t, "out of memory");
        return false;
    }
    return true;
}

/* Report the path events the test's associations queued (multihoming),
 * once its report exists. */
void perf_server_test_report_paths(struct perf_test *t)
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
    struct perf_report_dir *dirs = calloc(2 * t->count, sizeof(*dirs));
    struct perf_report_final fin;
    struct transport_counters impair;
    struct perf_report_rr *rrs = NULL;
    /* --rr: the answers counted, without latencies (30 KiB each) */
    struct perf_rr_stats *answered = NULL;
    size_t n = 0;
    unsigned int i;

    perf_server_test_report_paths(t);
    if (dirs == NULL) {
        log_warn("test %u: out of memory for the final report", t->id);
        return;
    }
    if (t->params.rr_resp != 0) {
        answered = calloc(t->count, sizeof(*answered));
        rrs = calloc(t->count, sizeof(*rrs));
        if (answered == NULL || rrs == NULL) {
            free(answered);
            free(rrs);
            answered = NULL;
            rrs = NULL;
        }
    }
    for (i = 0; answered != NULL && i < t->count; i++) {
        perf_rr_stats_init(&answered[i]);
        answered[i].transactions = perf_flow_sent(t->flows[i])->messages;
        rrs[i].id = i + 1;
        rrs[i].seconds = t->recv_secs[i];
        rrs[i].stats = &answered[i];
        rrs[i].request_bytes = perf_flow_received(t->flows[i])->bytes;
        rrs[i].response_bytes = perf_flow_sent(t->flows[i])->bytes;
    }
    for (i = 0; i < t->count; i++) {
        if (perf_server_sends(&t->params))
            perf_rows_add_dir(dirs, &n, i + 1, true, true, t->send_secs[i],
                              perf_flow_sent(t->flows[i]));
        if (perf_server_receives(&t->params))
            perf_rows_add_dir(dirs, &n, i + 1, false, false, t->recv_secs[i],
                              perf_flow_received(t->flows[i]));
    }
    memset(&fin, 0, sizeof(fin));
    fin.dirs = dirs;
    fin.ndirs = n;
    fin.rr = rrs;
    fin.nrr = answered != NULL ? t->count : 0;
    /* one reading: host_total is exactly host_user + host_system */
    perf_rows_cpu_parts(&t->ru_start, wall, &fin.cpu_local_user,
                        &fin.cpu_local_system);
    fin.cpu_local = fin.cpu_local_user + fin.cpu_local_system;
    fin.cpu_remote = -1;
    /* the server's transport: its counts since it started */
    transport_get_counters(t->rt->t, &impair);
    if (impair_report_any(&impair))
        fin.impair = &impair;
    fin.pcap = t->srv->cfg->sock.pcap;
    if (t->rep != NULL)
        perf_report_final(t->rep, &fin);
    free(answered);
    free(rrs);
    if (perf_server_sends(&t->params))
        perf_rows_warn_timeouts(
            t->rt, t->timeouts_at_start,
            perf_rows_retransmits(t->flows, t->count), t->flows[0],
            perf_rows_longest(t->send_secs, t->count, wall), "the server");
    free(dirs);
}

/* EXTRAS for association i, which the client asked for: the CPU parts
 * and, where this end sent, its samples from this end's own report. */
static void send_extras(struct perf_test *t, unsigned int i, double cpu_user,
                        double cpu_sys)
{
    uint8_t buf[PERF_PROTO_HDR_LEN + 32];
    struct perf_extras e;
    struct perf_sender_extremes x;

    memset(&e, 0, sizeof(e));
    e.index = (uint16_t)i;
    e.cpu_user_x100 = (uint32_t)(cpu_user * 100);
    e.cpu_system_x100 = (uint32_t)(cpu_sys * 100);
    if (perf_server_sends(&t->params) && t->rep != NULL &&
        perf_report_sender_extremes(t->rep, i + 1, &x)) {
        e.have_sender = 1;
        e.min_rtt_us = x.min_rtt_us;
        e.mean_rtt_us = x.mean_rtt_us;
        e.max_rtt_us = x.max_rtt_us;
        e.max_snd_cwnd = x.max_snd_cwnd;
        e.max_snd_wnd = x.max_snd_wnd;
    }
    perf_server_send_ctrl(t->flows[0],
                          perf_proto_encode_extras(buf, sizeof(buf), &e), buf);
}

/* All data in both directions is through: send what we counted. */
static void test_send_results(struct perf_test *t)
{
    double wall = (double)(perf_now_ns() - t->start_ns) / 1e9;
    double cpu_user = 0;
    double cpu_sys = 0;
    uint32_t cpu;
    struct perf_flow *ctrl = t->flows[0];
    uint8_t hdr[PERF_PROTO_HDR_LEN];
    unsigned int i;

    /* at the end of the data, as before; one reading: RESULTS' total is
     * EXTRAS' user + system */
    perf_rows_cpu_parts(&t->ru_start, wall, &cpu_user, &cpu_sys);
    cpu = (uint32_t)((cpu_user + cpu_sys) * 100);
    /* The last, partial interval, so the intervals add up. */
    perf_intervals_finish(t->intervals);
    /* --stream: the latency, in this end's report too, then to the
     * client */
    perf_server_test_summarize_latency(t);
    test_report_local(t, wall);
    perf_server_test_send_latency(t);
    for (i = 0; i < t->count; i++) {
        struct perf_results r;
        uint8_t *buf;
        size_t cap;
        int len;

        if (t->want_extras)
            send_extras(t, i, cpu_user, cpu_sys);
        memset(&r, 0, sizeof(r));
        r.index = (uint16_t)i;
        r.cpu_x100 = cpu;
        r.received = *perf_flow_received(t->flows[i]);
        r.sent = *perf_flow_sent(t->flows[i]);
        r.duration_us =
            (uint64_t)((perf_server_receives(&t->params) ? t->recv_secs[i]
                                                         : t->send_secs[i]) *
                       1e6);
        cap = perf_proto_results_size(r.sent.nstreams, r.received.nstreams);
        buf = malloc(cap);
        len = buf ? perf_proto_encode_results(buf, cap, &r) : -ENOMEM;
        perf_server_send_ctrl(ctrl, len, buf);
        free(buf);
    }
    if (t->captured != NULL) {
        static uint8_t buf[PERF_PROTO_HDR_LEN + PERF_TEXT_MAX];

        fflush(t->captured);
        perf_server_send_ctrl(
            ctrl,
            perf_proto_encode_text(buf, sizeof(buf), PERF_MSG_SERVER_OUTPUT,
                                   t->captured_buf ? t->captured_buf : ""),
            buf);
    }
    perf_server_send_ctrl(
        ctrl, perf_proto_encode_empty(hdr, sizeof(hdr), PERF_MSG_DONE), hdr);
    t->phase = ST_CLOSING;
    t->phase_ns = perf_now_ns();
    /* The next client may start while these associations close. */
    t->srv->running--;
    if (t->rep != NULL)
        perf_report_finish(t->rep);
    t->srv->completed++;
}

void perf_server_test_check_done(struct perf_test *t)
{
    unsigned int i;

    for (i = 0; i < t->count; i++)
        if (!t->send_done[i] || !t->recv_done[i])
            return;
    test_send_results(t);
}

/*
 * --no-control: every association is a test of its own that only
 * receives, reported when the sender closes it.
 */
void perf_server_raw_start(struct perf_server *srv, struct server_flow *sf)
{
    struct perf_hello h;
    struct perf_test *t;
    struct transport_assoc_info info;
    char name[NETADDR_STRLEN];

    memset(&h, 0, sizeof(h));
    h.count = 1;
    t = perf_server_test_new(sf, &h);
    if (t == NULL) {
        perf_flow_free(sf->flow, true);
        perf_server_flow_release(sf);
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
    (void)perf_server_test_start(t); /* on failure t, sf are freed */
}

/* --no-control: the sender finished; report what arrived. */
void perf_server_raw_end(struct perf_test *t)
{
    t->recv_secs[0] =
        perf_rows_span_secs(t->start_ns, perf_flow_last_rx_ns(t->flows[0]));
    t->recv_done[0] = true;
    perf_intervals_finish(t->intervals);
    test_report_local(t, t->recv_secs[0]);
    if (t->rep != NULL)
        perf_report_finish(t->rep);
    t->srv->completed++;
    perf_server_test_free(t, false);
}
