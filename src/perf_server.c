/*
 * perf_server.c - the sctpu-perf server: listen on every backend's
 * transport, accept associations (they join tests with their HELLO, see
 * perf_server_control.c), watch the running tests, and run the loop.
 *
 * One test runs at a time unless --max-clients says more; a client that
 * vanishes (no data for --timeout) has its test aborted, so the next one
 * gets served. With --no-control every association is a test of its own
 * that only receives: a sink for any SCTP sender (tsctp, kernel SCTP).
 * A test's own life is in perf_server_test.c.
 */
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_port.h"
#include "log.h"
#include "perf_server_priv.h"
#include "sctp_plan.h"
#include "units.h"
#include "fd_limit.h"
#include "workers.h"

#define CLOSE_GRACE_S 5
#define STOP_GRACE_S 2 /* a stopping server's wait for closes, as echo's */

void perf_server_maybe_exit(struct perf_server *srv)
{
    if (srv->tests != NULL)
        return;
    if (srv->stopping || (srv->cfg->one_off && srv->completed > 0))
        event_base_loopexit(srv->rt.base, NULL);
}

void perf_server_flow_release(struct server_flow *sf)
{
    struct perf_server *srv = sf->srv;

    *sf->pprev = sf->next;
    if (sf->next != NULL)
        sf->next->pprev = sf->pprev;
    srv->nassocs--;
    free(sf);
}

/* "ADDR:PORT (SCTP port N)" of conn, for log lines. */
static const char *conn_name(struct transport_conn *conn, char *buf, size_t len)
{
    struct transport_assoc_info info;
    char name[NETADDR_STRLEN];

    if (transport_get_info(conn, &info) < 0)
        snprintf(buf, len, "an unknown peer");
    else
        snprintf(buf, len, "%s (SCTP port %u)",
                 transport_peer_name(&info, name, sizeof(name)),
                 (unsigned)info.peer_sctp_port);
    return buf;
}

/*
 * The kernel backend holds a socket per association: make room for
 * --max-associations of them (raising the soft RLIMIT_NOFILE), or say
 * up front where accepts will start failing.
 */
static void server_check_nofile(const struct perf_server *srv)
{
    uint64_t need = (uint64_t)srv->cfg->max_assocs + 64;
    uint64_t soft = 0;
    uint64_t hard = 0;
    unsigned int i;

    for (i = 0; i < srv->rt.nall; i++)
        if (strcmp(srv->listeners[i].view.ops->name, "kernel") == 0)
            break;
    if (i == srv->rt.nall || fd_limit_ensure(need, &soft, &hard) == 0)
        return;
    log_warn("--max-associations %u: the kernel backend needs a descriptor "
             "per association, but RLIMIT_NOFILE allows %llu (hard limit "
             "%llu): accepts past about that many will fail; raise it "
             "(ulimit -n)",
             srv->cfg->max_assocs, (unsigned long long)soft,
             (unsigned long long)hard);
}

/*
 * Past --max-associations: tell the client why (an ERROR its sctpu-perf
 * prints) and shut the association down. A flood of them logs one line
 * a second, with how many were refused since the last.
 */
static void refuse_association(struct perf_server *srv,
                               struct transport_conn *conn)
{
    struct transport_msginfo info;
    uint8_t buf[256];
    char name[NETADDR_STRLEN + 32];
    char why[160];
    uint64_t now = perf_now_ns();
    int len;

    snprintf(why, sizeof(why),
             "the server has %u associations open, its limit "
             "(--max-associations %u): try again later",
             srv->nassocs, srv->cfg->max_assocs);
    srv->refused++;
    if (srv->refused_log_ns == 0 || now - srv->refused_log_ns >= 1000000000u) {
        uint64_t more = srv->refused - srv->refused_logged - 1;

        log_warn("refused an association from %s: %u open, the limit "
                 "(--max-associations); %llu refused in all",
                 conn_name(conn, name, sizeof(name)), srv->nassocs,
                 (unsigned long long)srv->refused);
        if (more > 0)
            log_warn("(%llu more refused since the last such line)",
                     (unsigned long long)more);
        srv->refused_logged = srv->refused;
        srv->refused_log_ns = now;
    }
    memset(&info, 0, sizeof(info));
    info.ppid = PERF_PPID_CONTROL; /* any stream: the PPID marks control */
    len = perf_proto_encode_text(buf, sizeof(buf), PERF_MSG_ERROR, why);
    if (len > 0)
        (void)transport_send(conn, buf, (size_t)len, &info);
    transport_conn_free(conn, false);
}

static void on_accept(struct transport_conn *conn, void *arg)
{
    const struct server_listener *l = arg;
    struct perf_server *srv = l->srv;
    struct server_flow *sf = NULL;

    if (srv->nassocs >= srv->cfg->max_assocs) {
        refuse_association(srv, conn);
        return;
    }
    sf = calloc(1, sizeof(*sf));
    if (sf != NULL) {
        sf->srv = srv;
        sf->listener = l;
        sf->flow = perf_flow_new(srv->rt.base, conn, &perf_server_flow_ops, sf);
    }
    if (sf == NULL || sf->flow == NULL) {
        log_err("accept: out of memory; aborting the association");
        transport_conn_free(conn, true);
        free(sf);
        return;
    }
    sf->accepted_ns = perf_now_ns();
    sf->next = srv->flows;
    if (sf->next != NULL)
        sf->next->pprev = &sf->next;
    sf->pprev = &srv->flows;
    srv->flows = sf;
    srv->nassocs++;
    perf_flow_set_tag(sf->flow, -1);
    if (srv->cfg->no_control)
        perf_server_raw_start(srv, sf);
}

/*
 * --hello-timeout: an association that joined no test in time (no HELLO,
 * or refused as busy and left open) is told why and closed; until then
 * it holds a slot of --max-associations and a flow's memory.
 */
static void close_silent_flows(struct perf_server *srv, uint64_t now)
{
    uint64_t limit = (uint64_t)(srv->cfg->hello_timeout_s * 1e9);
    struct server_flow *sf = srv->flows;
    char name[NETADDR_STRLEN + 32];
    char why[128];
    uint8_t buf[256];

    if (srv->cfg->no_control)
        return;
    while (sf != NULL) {
        struct server_flow *next = sf->next;

        if (sf->test == NULL && now - sf->accepted_ns > limit) {
            snprintf(why, sizeof(why),
                     "no HELLO within %.3g s (--hello-timeout): closing",
                     srv->cfg->hello_timeout_s);
            log_warn("association from %s: %s",
                     conn_name(perf_flow_conn(sf->flow), name, sizeof(name)),
                     why);
            perf_server_send_ctrl(
                sf->flow,
                perf_proto_encode_text(buf, sizeof(buf), PERF_MSG_ERROR, why),
                buf);
            perf_flow_free(sf->flow, false);
            perf_server_flow_release(sf);
        }
        sf = next;
    }
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

        if (perf_flow_idle_ns(t->flows[i], now) > limit &&
            (!t->send_done[i] || !t->recv_done[i])) {
            snprintf(why, len,
                     "no data on association %u for %.3g s: the client is "
                     "gone",
                     i + 1, cfg->timeout_s);
            return true;
        }
        if (last_rx < t->start_ns)
            last_rx = t->start_ns; /* nothing yet: count from the start */
        if (rcv != 0 && perf_server_receives(&t->params) && !t->recv_done[i] &&
            now - last_rx > rcv + perf_flow_rx_gap_ns(t->flows[i])) {
            snprintf(why, len,
                     "no data received on association %u for %u ms "
                     "(--rcv-timeout)",
                     i + 1, cfg->rcv_timeout_ms);
            return true;
        }
    }
    return false;
}

/*
 * --max-duration: a test with no time limit of its own (-t 0, -n, -k,
 * which a 1 bit/s pace makes last for ever) ends at the ceiling; a timed
 * one (PARAMS over the ceiling were refused) gets --timeout on top of its
 * -t and -O to drain, then ends too.
 */
static bool test_too_long(const struct perf_test *t, uint64_t now, char *why,
                          size_t len)
{
    const struct perf_config *cfg = t->srv->cfg;
    const struct perf_params *p = &t->params;
    bool timed = p->bytes == 0 && p->messages == 0 && p->duration_ms != 0;
    double limit_s = cfg->max_duration_s;

    if (cfg->max_duration_s <= 0 || t->phase != ST_RUNNING)
        return false;
    if (timed)
        limit_s = (double)(p->duration_ms + p->omit_ms) / 1000 + cfg->timeout_s;
    if ((double)(now - t->start_ns) / 1e9 <= limit_s)
        return false;
    if (timed)
        snprintf(why, len,
                 "the test ran %.3g s past its -t %.3g s (and -O): ended",
                 cfg->timeout_s, (double)p->duration_ms / 1000);
    else
        snprintf(why, len,
                 "the test reached the server's --max-duration %.3g s "
                 "(it has no -t of its own): ended",
                 cfg->max_duration_s);
    return true;
}

/* Bytes test t moved so far, both ways, over all its associations. */
static uint64_t test_bytes(const struct perf_test *t)
{
    uint64_t sum = 0;
    unsigned int i;

    for (i = 0; i < t->count; i++)
        sum += perf_flow_bytes_moved(t->flows[i]);
    return sum;
}

/*
 * --server-bitrate-limit RATE[/SEC]: the test's average over each period
 * of SEC seconds (5 by default, as iperf3's), both ways and all
 * associations together, must stay within RATE. The test asked for at
 * most RATE (perf_server_control.c refused more); this catches a client
 * that sends more than it asked for.
 */
static bool test_too_fast(struct perf_test *t, uint64_t now, char *why,
                          size_t len)
{
    const struct perf_config *cfg = t->srv->cfg;
    uint64_t period = (uint64_t)cfg->server_rate_period_s * 1000000000u;
    uint64_t bytes;
    double secs;
    double bps;
    char avg[32];
    char lim[32];

    if (cfg->server_rate_limit_bps == 0 || t->phase != ST_RUNNING)
        return false;
    bytes = test_bytes(t);
    if (t->rate_since_ns == 0 || bytes < t->rate_bytes) {
        /* the first tick, or -O's end reset the counts */
        t->rate_since_ns = now;
        t->rate_bytes = bytes;
        return false;
    }
    if (now - t->rate_since_ns < period)
        return false;
    secs = (double)(now - t->rate_since_ns) / 1e9;
    bps = (double)(bytes - t->rate_bytes) * 8 / secs;
    t->rate_since_ns = now;
    t->rate_bytes = bytes;
    if (bps <= (double)cfg->server_rate_limit_bps)
        return false;
    units_format_rate(avg, sizeof(avg), bps);
    units_format_rate(lim, sizeof(lim), (double)cfg->server_rate_limit_bps);
    snprintf(why, len,
             "the test averaged %s over %.3g s, above the server's bitrate "
             "limit %s (--server-bitrate-limit)",
             avg, secs, lim);
    return true;
}

/* Whether test t must be aborted now, and why. */
static bool test_must_abort(struct perf_test *t, uint64_t now, char *why,
                            size_t len)
{
    const struct perf_config *cfg = t->srv->cfg;
    uint64_t idle = (uint64_t)(cfg->idle_timeout_s * 1e9);

    if (t->phase == ST_CLOSING)
        return false;
    if (t->phase == ST_GATHERING && !t->have_params &&
        now - t->phase_ns > (uint64_t)(cfg->hello_timeout_s * 1e9)) {
        snprintf(why, len, "no PARAMS within %.3g s (--hello-timeout)",
                 cfg->hello_timeout_s);
        return true;
    }
    if (test_too_long(t, now, why, len) || test_too_fast(t, now, why, len))
        return true;
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
    perf_report_lines(cfg, cfg->json || cfg->csv ? stderr : stdout, line);
    event_base_loopexit(srv->rt.base, NULL);
}

/*
 * Whether a finished test's associations have had their time to close.
 * The client closes them once it has the results, so the grace counts
 * from when it acknowledged them. Through heavy loss the results can
 * take longer than the grace to get there (an ABORT then destroyed them:
 * lab_loss_reorder at 20 % loss), and the client waits --timeout for
 * them, so the server waits as long before it gives up on them.
 */
static bool closing_expired(struct perf_test *t, uint64_t now, char *why,
                            size_t len)
{
    uint64_t grace = CLOSE_GRACE_S * 1000000000ull;
    uint64_t wait = (uint64_t)(t->srv->cfg->timeout_s * 1e9);

    if (wait < grace)
        wait = grace;
    if (t->winding_down) { /* no results: the ERROR is all it sent */
        snprintf(why, len, "the client did not close within %d s",
                 CLOSE_GRACE_S);
        return now - t->phase_ns > grace;
    }
    if (t->results_acked_ns == 0 && perf_flow_all_delivered(t->flows[0]))
        t->results_acked_ns = now;
    if (t->results_acked_ns != 0) {
        snprintf(why, len,
                 "the client did not close within %d s of acknowledging "
                 "the results",
                 CLOSE_GRACE_S);
        return now - t->results_acked_ns > grace;
    }
    snprintf(why, len,
             "the client did not acknowledge the results within %.3g s",
             (double)wait / 1e9);
    return now - t->phase_ns > wait;
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

        perf_server_test_report_paths(t);
        if (t->phase == ST_CLOSING) {
            if (closing_expired(t, now, why, sizeof(why))) {
                log_warn("test %u: %s; aborting its associations", t->id, why);
                perf_server_test_free(t, true);
            }
        } else if (test_must_abort(t, now, why, sizeof(why)))
            perf_server_test_abort(t, "%s", why);
        t = next;
    }
    close_silent_flows(srv, now);
    server_check_idle(srv, now);
}

/* The grace is over (or a second signal came): what has not closed is
 * aborted, and the server exits. */
static void stop_now(evutil_socket_t fd, short what, void *arg)
{
    struct perf_server *srv = arg;

    (void)fd;
    (void)what;
    while (srv->tests != NULL)
        perf_server_test_free(srv->tests, true);
    event_base_loopexit(srv->rt.base, NULL);
}

/*
 * SIGINT/SIGTERM: every running test is told why (ERROR) and its
 * associations shut down gracefully; the server exits once they are
 * closed, or after the closing grace. Leaving at once (ERROR, ABORT,
 * exit) lost both in Docker: `docker stop` took the docker-proxy of a
 * published port down with the container before it had relayed them,
 * and the client waited out its 8 s watchdog instead of hearing why.
 */
static void server_stop(void *arg)
{
    struct perf_server *srv = arg;
    struct perf_test *t;
    struct perf_test *next;

    struct timeval grace = { STOP_GRACE_S, 0 };

    if (srv->stopping) {
        stop_now(-1, 0, srv); /* the second signal */
        return;
    }
    srv->stopping = true;
    if (event_base_once(srv->rt.base, -1, EV_TIMEOUT, stop_now, srv, &grace) <
        0) {
        log_warn("no timer for the stop grace: stopping at once");
        stop_now(-1, 0, srv);
        return;
    }
    log_info("stopping: closing the associations of %s tests",
             srv->tests ? "running" : "no");
    for (t = srv->tests; t != NULL; t = next) {
        next = t->next;
        if (t->phase != ST_CLOSING)
            perf_server_test_wind_down(t, "the server is shutting down");
    }
    perf_server_maybe_exit(srv);
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
            "Server listening on SCTP port %u over %s %s (backend %s: %s)%s%s"
            "\n",
            (unsigned)cfg->port, udp ? "UDP" : "IP",
            srv->listeners[i].view.local, ops->name, stack,
            workers_count() > 1 ? ", " : "", workers_label());
    }
    if (used < sizeof(banner))
        snprintf(banner + used, sizeof(banner) - used,
                 "-----------------------------------------------------------"
                 "\n");
    perf_report_lines(cfg, cfg->json || cfg->csv ? stderr : stdout, banner);
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
    tc.max_peers = cfg->max_peers;
    tc.workers = (uint16_t)workers_count();
    sock_opts_to_transport(&cfg->sock, &tc);
    tc.streams = cfg->sock.out_streams;
    tc.interleave = cfg->interleave;
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
    server_check_nofile(&srv);
    /* sctp_plan_max_burst: 4 MTUs of chunks are at least 5 packets. */
    if (cfg->sack_freq > SCTP_PLAN_STACK_MAX_BURST + 1)
        log_warn("--sack-freq %u: a client that sends without the same "
                 "--sack-freq keeps SCTP's Max.Burst of 4 and may send "
                 "fewer packets per SACK than that, so its data moves one "
                 "burst per --sack-delay; sctpu-perf clients given "
                 "--sack-freq %u raise their Max.Burst to match",
                 (unsigned)cfg->sack_freq, (unsigned)cfg->sack_freq);

    event_base_dispatch(srv.rt.base);

    while (srv.tests != NULL)
        perf_server_test_free(srv.tests, true);
    while (srv.flows != NULL) {
        perf_flow_free(srv.flows->flow, true);
        perf_server_flow_release(srv.flows);
    }
    if (srv.refused > 0)
        log_info("refused %llu associations in all (--max-associations %u)",
                 (unsigned long long)srv.refused, cfg->max_assocs);
    event_free(srv.watchdog_ev);
    runtime_close(&srv.rt);
    return srv.exit_code;
}
