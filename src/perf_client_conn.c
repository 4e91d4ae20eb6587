/*
 * perf_client_conn.c - the sctpu-perf client's associations: resolve the
 * server, open the transport (one per association with --udp-per-assoc),
 * connect, watch them (--timeout, --connect-timeout, --rcv-timeout, path
 * events), and free it all at the end. What runs over them is in
 * perf_client.c.
 */
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_limit.h"
#include "log.h"
#include "perf_client_priv.h"
#include "perf_tuning.h"

#define CLOSE_GRACE_S 2
/* flows asked per watchdog tick whether the server still answers: every
 * flow each tick up to this many, a rotating window beyond (they share
 * one server, so any one of them tells a dead one) */
#define SILENCE_CHECKS_PER_TICK 16

/*
 * No data moved on association i for --timeout: tell a peer that is gone
 * from an association that is backing off after repeated retransmission
 * timeouts (the peer still answers: SACKs, heartbeat acks).
 */
static void client_stalled(struct perf_client *cl, unsigned int i)
{
    struct transport_assoc_info info;
    double limit = cl->cfg->timeout_s;

    if (transport_get_info(perf_flow_conn(cl->flows[i]), &info) < 0) {
        perf_client_fail(cl, "no data moved on association %u for %.3g s",
                         i + 1, limit);
        return;
    }
    /* Sending, and no retransmission: SCTP is not backing off, the
     * peer's SACKs are what data waits for (once, a receiver's
     * --sack-freq above what usrsctp's Max.Burst let out: see
     * sctp_plan_max_burst). */
    if (info.heard_ms < limit * 1000 && info.retransmits == 0 &&
        perf_client_sends(cl->cfg) && !cl->send_done[i])
        perf_client_fail(
            cl,
            "no data moved on association %u for %.3g s, though the "
            "server answered %.1f s ago and nothing was retransmitted: "
            "the data waits for the server's SACKs (cwnd %u, server's "
            "window %u bytes, RTO %u ms)",
            i + 1, limit, info.heard_ms / 1000.0, (unsigned)info.cwnd,
            (unsigned)info.peer_rwnd, (unsigned)info.rto_ms);
    else if (info.heard_ms < limit * 1000)
        perf_client_fail(
            cl,
            "no data moved on association %u for %.3g s, though the "
            "server answered %.1f s ago: SCTP is backing off after "
            "retransmission timeouts (RTO now %u ms), so the path "
            "is losing most packets; --rto-max bounds the backoff",
            i + 1, limit, info.heard_ms / 1000.0, (unsigned)info.rto_ms);
    else
        perf_client_fail(
            cl,
            "nothing heard from the server on association %u for "
            "%.3g s (RTO now %u ms): the server is gone, or the path "
            "to it is down",
            i + 1, limit, (unsigned)info.rto_ms);
}

/* Report the path events the associations queued (multihoming). */
void perf_client_report_paths(struct perf_client *cl)
{
    unsigned int i;

    for (i = 0; i < cl->nflows; i++) {
        struct transport_path_event ev[8];
        uint64_t dropped = 0;
        size_t n;
        size_t k;

        if (cl->flows[i] == NULL)
            continue;
        do {
            n = transport_path_events(perf_flow_conn(cl->flows[i]), ev, 8,
                                      &dropped);
            perf_report_path_dropped(cl->rep, dropped);
            for (k = 0; k < n; k++) {
                double t = cl->start_ns && ev[k].when_ns > cl->start_ns
                               ? (double)(ev[k].when_ns - cl->start_ns) / 1e9
                               : 0;

                perf_report_path_event(cl->rep, i + 1, t, &ev[k]);
            }
        } while (n == 8);
    }
}

/*
 * Data of flow i is waiting for the server's acknowledgement and nothing
 * at all has come from the server for --timeout. Sends into the socket
 * buffer count as progress, so without this a dead server went unnoticed
 * until the buffer filled: seconds at -b 10M, minutes at -b 100k.
 */
static bool server_silent(struct perf_client *cl, unsigned int i,
                          uint64_t limit_ms)
{
    struct transport_assoc_info info;

    if (cl->send_done[i] ||
        transport_get_info(perf_flow_conn(cl->flows[i]), &info) < 0)
        return false; /* a failed association is the data watchdog's */
    return info.unacked > 0 && info.heard_ms > limit_ms;
}

/* Flows stalled (nothing moved for --timeout) or waiting on a silent
 * server; the first found is reported. */
static void check_running(struct perf_client *cl, uint64_t now, uint64_t limit)
{
    unsigned int n = cl->nflows < SILENCE_CHECKS_PER_TICK
                         ? cl->nflows
                         : SILENCE_CHECKS_PER_TICK;
    unsigned int i;

    for (i = 0; i < cl->nflows; i++)
        if (perf_flow_idle_ns(cl->flows[i], now) > limit &&
            (!cl->send_done[i] || !cl->recv_done[i])) {
            client_stalled(cl, i);
            return;
        }
    if (!perf_client_sends(cl->cfg))
        return; /* a receiver's progress stops with the server's data */
    while (n-- > 0) {
        i = cl->silence_next++ % cl->nflows;
        if (server_silent(cl, i, limit / 1000000)) {
            client_stalled(cl, i);
            return;
        }
    }
}

/* Nothing moved for --timeout: say what we were waiting for. Path events
 * are reported on the same tick. */
static void watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
    struct perf_client *cl = arg;
    uint64_t limit = (uint64_t)(cl->cfg->timeout_s * 1e9);
    uint64_t now = perf_now_ns();

    (void)fd;
    (void)what;
    perf_client_report_paths(cl);
    switch (cl->phase) {
    case CL_RUNNING:
        check_running(cl, now, limit);
        break;
    case CL_CLOSING:
        if (now - cl->phase_ns > CLOSE_GRACE_S * 1000000000ull) {
            perf_client_set_phase(cl, CL_DONE);
            event_base_loopexit(cl->rt.base, NULL);
        }
        break;
    case CL_DONE:
        break;
    default:
        if (now - cl->phase_ns > limit)
            perf_client_fail(cl,
                             "%s within %.3g s (is the server running, and "
                             "UDP port %u reachable?)",
                             cl->phase == CL_CONNECTING
                                 ? "no answer from the server"
                             : cl->phase == CL_NEGOTIATING
                                 ? "the server did not accept the test"
                                 : "the server sent no results",
                             cl->cfg->timeout_s, (unsigned)cl->cfg->udp_port);
        break;
    }
}

/* --connect-timeout: the associations are not all up in time. */
static void connect_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
    struct perf_client *cl = arg;

    (void)fd;
    (void)what;
    if (cl->phase != CL_CONNECTING)
        return;
    perf_client_fail(
        cl,
        "no association with %s (UDP port %u, SCTP port %u) within "
        "--connect-timeout %u ms",
        cl->host, (unsigned)cl->peer.udp_port, (unsigned)cl->peer.sctp_port,
        cl->cfg->connect_timeout_ms);
}

/* --rcv-timeout: while this end receives, data must keep arriving. */
static void rcv_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
    struct perf_client *cl = arg;
    uint64_t limit = (uint64_t)cl->cfg->rcv_timeout_ms * 1000000u;
    uint64_t now = perf_now_ns();
    unsigned int i;

    (void)fd;
    (void)what;
    if (cl->phase != CL_RUNNING || !perf_client_receives(cl->cfg))
        return;
    for (i = 0; i < cl->nflows; i++) {
        uint64_t last = perf_flow_last_rx_ns(cl->flows[i]);

        if (last < cl->start_ns)
            last = cl->start_ns; /* nothing yet: count from the start */
        if (!cl->recv_done[i] &&
            now - last > limit + perf_flow_rx_gap_ns(cl->flows[i])) {
            perf_client_fail(cl,
                             "no data received on association %u for %u ms "
                             "(--rcv-timeout)",
                             i + 1, cl->cfg->rcv_timeout_ms);
            return;
        }
    }
}

static void pace_cb(evutil_socket_t fd, short what, void *arg);

/* The optional timers: --connect-timeout from now, --rcv-timeout's check
 * a few times per period. */
static int client_add_timers(struct perf_client *cl)
{
    const struct perf_config *c = cl->cfg;
    struct timeval tv;

    if (c->connect_timeout_ms) {
        cl->connect_ev = evtimer_new(cl->rt.base, connect_timeout_cb, cl);
        tv.tv_sec = c->connect_timeout_ms / 1000;
        tv.tv_usec = c->connect_timeout_ms % 1000 * 1000;
        if (cl->connect_ev == NULL || evtimer_add(cl->connect_ev, &tv) < 0)
            return -1;
    }
    if (c->rcv_timeout_ms && perf_client_receives(c)) {
        uint32_t step_ms = c->rcv_timeout_ms / 4;

        cl->rcv_ev = event_new(cl->rt.base, -1, EV_PERSIST, rcv_timeout_cb, cl);
        tv.tv_sec = step_ms / 1000;
        tv.tv_usec = step_ms % 1000 * 1000;
        if (cl->rcv_ev == NULL || event_add(cl->rcv_ev, &tv) < 0)
            return -1;
    }
    return 0;
}

/*
 * Association i's transport: rt's, or with --udp-per-assoc a new one on
 * the next local UDP port (ephemeral when --local-udp-port is not given),
 * and its endpoint as the server would see it without NAT (the socket
 * itself may be bound to a wildcard).
 */
static int client_open_transport(struct perf_client *cl,
                                 const struct transport_config *tc,
                                 unsigned int i)
{
    struct transport_config own = *tc;
    int rc;

    cl->t[i] = cl->rt.t;
    if (cl->cfg->udp_per_assoc && i > 0) {
        if (own.udp_port != 0)
            own.udp_port = (uint16_t)(own.udp_port + i);
        own.impair_seed_offset = 2 * (uint64_t)i; /* tx and rx seeds */
        rc = runtime_open_transport(&cl->rt, &own, &cl->t[i]);
        if (rc != RUNTIME_EXIT_OK)
            return rc;
    }
    transport_local_name(cl->t[i], cl->local[i], sizeof(cl->local[i]));
    netaddr_route_endpoint((struct sockaddr *)&cl->peer.addr, cl->peer.addrlen,
                           cl->peer.udp_port, cl->local[i],
                           sizeof(cl->local[i]));
    return RUNTIME_EXIT_OK;
}

/* Descriptors beyond the associations' own: the event loop, the shared
 * UDP socket, stdio, log files. */
#define NOFILE_SLACK 64

/*
 * A descriptor per association (the kernel backend's sockets, or
 * --udp-per-assoc's): make sure -P of them fit RLIMIT_NOFILE before the
 * first INIT, rather than failing at association 1021 with EMFILE.
 */
static int client_check_nofile(struct perf_client *cl)
{
    const char *why = cl->cfg->udp_per_assoc ? "--udp-per-assoc" : NULL;
    uint64_t need = (uint64_t)cl->nflows + NOFILE_SLACK;
    uint64_t soft = 0;
    uint64_t hard = 0;

    if (why == NULL && strcmp(cl->rt.ops->name, "kernel") == 0)
        why = "the kernel backend";
    if (why == NULL || fd_limit_ensure(need, &soft, &hard) == 0)
        return RUNTIME_EXIT_OK;
    log_err("-P %u needs about %llu file descriptors (one per association "
            "with %s), but RLIMIT_NOFILE allows %llu (hard limit %llu): "
            "raise it (ulimit -n) or lower -P",
            cl->nflows, (unsigned long long)need, why, (unsigned long long)soft,
            (unsigned long long)hard);
    return RUNTIME_EXIT_USAGE;
}

int perf_client_setup(struct perf_client *cl)
{
    const struct perf_config *c = cl->cfg;
    struct transport_config tc;
    struct perf_tuning tu;
    struct host_list peers;
    char err[256];
    unsigned int i;
    int rc;

    /* -c a,b and -B a,b: the CLI checked both lists */
    if (host_list_parse(c->host, &peers) < 0 ||
        (c->bind_host != NULL && host_list_parse(c->bind_host, &cl->binds) < 0))
        return RUNTIME_EXIT_USAGE;
    if (transport_peer_resolve(&cl->peer, peers.host, peers.count, c->family,
                               err, sizeof(err)) < 0) {
        log_err("%s", err);
        return RUNTIME_EXIT_USAGE;
    }
    netaddr_format_host((struct sockaddr *)&cl->peer.addr, cl->host,
                        sizeof(cl->host));
    cl->peer.udp_port = c->udp_port;
    cl->peer.sctp_port = c->port;
    memset(&tc, 0, sizeof(tc));
    if (transport_config_set_bind(&tc, cl->binds.host, cl->binds.count, err,
                                  sizeof(err)) < 0) {
        log_err("%s", err);
        return RUNTIME_EXIT_USAGE;
    }
    tc.family = cl->peer.addr.ss_family;
    tc.udp_port = c->local_udp_port;
    tc.mtu = c->mtu;
    tc.sndbuf = c->window;
    tc.rcvbuf = c->window;
    tc.streams = (uint16_t)(c->nstreams + (c->no_control ? 0 : 1));
    perf_tuning_from_config(c, &tu);
    tc.nodelay = tu.nodelay;
    tc.sack_delay_ms = tu.sack_delay_ms;
    tc.sack_freq = tu.sack_freq;
    tc.rto_min_ms = c->rto_min_ms;
    tc.rto_max_ms = c->rto_max_ms;
    tc.rto_initial_ms = c->rto_initial_ms;
    tc.hb_interval_ms = c->hb_interval_ms;
    sock_opts_to_transport(&c->sock, &tc);
    /* Accept only the streams the test uses (unless --in-streams says):
     * the server's outbound streams follow, and each costs it memory per
     * association (2048 by default: the -P 10000 figure, issue 13) */
    if (tc.in_streams == 0)
        tc.in_streams = tc.streams;
    tc.stream_scheduler = c->scheduler;
    tc.interleave = c->interleave;
    rc = runtime_open(&cl->rt, c->backend, &tc, perf_client_stop, cl);
    if (rc != RUNTIME_EXIT_OK)
        return rc;
    cl->watchdog_ev = event_new(cl->rt.base, -1, EV_PERSIST, watchdog_cb, cl);
    if (cl->watchdog_ev == NULL || client_add_timers(cl) < 0)
        return RUNTIME_EXIT_FAIL;
    rc = client_check_nofile(cl);
    if (rc != RUNTIME_EXIT_OK)
        return rc;
    for (i = 0; i < cl->nflows; i++) {
        rc = client_open_transport(cl, &tc, i);
        if (rc != RUNTIME_EXIT_OK)
            return rc;
    }
    perf_report_set_backend(cl->rep, cl->rt.ops);
    perf_report_connecting(cl->rep, cl->host);
    cl->pace_ev = evtimer_new(cl->rt.base, pace_cb, cl);
    if (cl->pace_ev == NULL)
        return RUNTIME_EXIT_FAIL;
    cl->connect_start_ns = perf_now_ns();
    perf_connect_bucket_init(&cl->bucket, c->connect_rate,
                             cl->connect_start_ns);
    return perf_client_connect_more(cl);
}

/* Start association i's set-up: RUNTIME_EXIT_OK or an exit code (said). */
static int connect_one(struct perf_client *cl, unsigned int i)
{
    const struct perf_config *c = cl->cfg;
    struct transport_conn *conn = NULL;
    uint16_t lport =
        c->local_sctp_port ? (uint16_t)(c->local_sctp_port + i) : 0;
    uint64_t t0 = perf_now_ns(); /* set-up time counts the call too */
    char err[256];

    if (transport_connect(cl->t[i], &cl->peer, lport, &conn, err, sizeof(err)) <
        0) {
        /* -P 10000: the likely one is the descriptor limit (the kernel
         * backend, --udp-per-assoc): say which association and how many
         * were up */
        log_err("association %u of %u: %s", i + 1, cl->nflows, err);
        return i == 0 ? RUNTIME_EXIT_USAGE : RUNTIME_EXIT_FAIL;
    }
    cl->flows[i] = perf_flow_new(cl->rt.base, conn, &perf_client_flow_ops, cl);
    if (cl->flows[i] == NULL) {
        transport_conn_free(conn, true);
        log_err("association %u of %u: out of memory", i + 1, cl->nflows);
        return RUNTIME_EXIT_FAIL;
    }
    perf_flow_set_connect_ns(cl->flows[i], t0);
    perf_flow_set_tag(cl->flows[i], (int)i);
    if (perf_flow_set_streams(cl->flows[i], c->nstreams) < 0 ||
        (c->verify && perf_flow_set_verify(cl->flows[i], c->length) < 0)) {
        log_err("association %u of %u: out of memory", i + 1, cl->nflows);
        return RUNTIME_EXIT_FAIL;
    }
    cl->nstarted++;
    cl->ninflight++;
    return RUNTIME_EXIT_OK;
}

/*
 * The set-ups go out paced by the bucket (--connect-rate) and never more
 * than PERF_CONNECT_MAX_IN_FLIGHT unanswered: 10,000 INITs at once
 * overflow the server's listen backlog and socket buffers, and the lost
 * ones wait out RTO.Initial doublings (one run: 40 s for the last ones).
 * The rest start as answers come (perf_client_connect_done) or when the
 * bucket has a token (pace_ev): the event loop, not a sleep, so the ones
 * up already run their HELLOs meanwhile.
 */
int perf_client_connect_more(struct perf_client *cl)
{
    while (cl->nstarted < cl->nflows &&
           cl->ninflight < PERF_CONNECT_MAX_IN_FLIGHT) {
        int rc;

        if (!perf_connect_bucket_take(&cl->bucket, perf_now_ns())) {
            uint64_t ns = perf_connect_bucket_wait_ns(&cl->bucket);
            struct timeval tv = { (time_t)(ns / 1000000000u),
                                  (suseconds_t)(ns % 1000000000u / 1000) };

            evtimer_add(cl->pace_ev, &tv);
            return RUNTIME_EXIT_OK;
        }
        rc = connect_one(cl, cl->nstarted);
        if (rc != RUNTIME_EXIT_OK)
            return rc;
    }
    return RUNTIME_EXIT_OK;
}

static void pace_cb(evutil_socket_t fd, short what, void *arg)
{
    struct perf_client *cl = arg;

    (void)fd;
    (void)what;
    if (cl->phase != CL_CONNECTING)
        return;
    if (perf_client_connect_more(cl) != RUNTIME_EXIT_OK)
        perf_client_fail(cl, "cannot start association %u of %u (see above)",
                         cl->nstarted + 1, cl->nflows);
}

void perf_client_report_connect(struct perf_client *cl)
{
    struct perf_report_connect rc;
    struct perf_connect_pct pct;
    uint64_t *v;
    size_t n = 0;
    unsigned int i;

    if (cl->connect_reported || cl->nstarted == 0)
        return;
    cl->connect_reported = true;
    v = calloc(cl->nflows, sizeof(*v));
    for (i = 0; v != NULL && i < cl->nflows; i++)
        if (cl->up[i] && cl->flows[i] != NULL)
            v[n++] = perf_flow_setup_us(cl->flows[i]);
    perf_connect_percentiles(v, n, &pct);
    free(v);
    memset(&rc, 0, sizeof(rc));
    rc.associations = cl->nflows;
    rc.established = cl->nup;
    rc.failed = cl->nfailed;
    rc.rate = cl->cfg->connect_rate;
    rc.inflight = PERF_CONNECT_MAX_IN_FLIGHT;
    rc.seconds = (double)(perf_now_ns() - cl->connect_start_ns) / 1e9;
    rc.p50_us = pct.p50;
    rc.p90_us = pct.p90;
    rc.p99_us = pct.p99;
    rc.max_us = pct.max;
    rc.first_error = cl->connect_error[0] ? cl->connect_error : NULL;
    perf_report_connect(cl->rep, &rc);
}

void perf_client_connect_done(struct perf_client *cl, unsigned int i, bool up,
                              const char *why)
{
    if (cl->ninflight > 0)
        cl->ninflight--;
    if (up) {
        cl->up[i] = true;
        cl->nup++;
        /* progress: the --timeout watchdog counts from the last one up */
        cl->phase_ns = perf_now_ns();
    } else {
        cl->failed[i] = true;
        cl->nfailed++;
        if (cl->connect_error[0] == '\0')
            snprintf(cl->connect_error, sizeof(cl->connect_error),
                     "association %u: %s", i + 1, why);
    }
    if (cl->nup + cl->nfailed < cl->nflows) {
        if (perf_client_connect_more(cl) != RUNTIME_EXIT_OK)
            perf_client_fail(cl,
                             "cannot start association %u of %u (see "
                             "above)",
                             cl->nstarted + 1, cl->nflows);
        return;
    }
    perf_client_report_connect(cl);
    if (cl->nfailed > 0)
        perf_client_fail(cl, "%u of %u associations could not be set up (%s)",
                         cl->nfailed, cl->nflows, cl->connect_error);
}

void perf_client_free(struct perf_client *cl)
{
    unsigned int i;

    for (i = 0; cl->flows != NULL && i < cl->nflows; i++)
        perf_flow_free(cl->flows[i], cl->phase != CL_DONE || cl->error[0]);
    for (i = 0; cl->remote != NULL && i < cl->nflows; i++)
        free(cl->remote[i]);
    for (i = 0; cl->latency != NULL && i < cl->nflows; i++)
        free(cl->latency[i]);
    perf_intervals_free(cl->intervals);
    if (cl->watchdog_ev != NULL)
        event_free(cl->watchdog_ev);
    if (cl->connect_ev != NULL)
        event_free(cl->connect_ev);
    if (cl->rcv_ev != NULL)
        event_free(cl->rcv_ev);
    if (cl->pace_ev != NULL)
        event_free(cl->pace_ev);
    /* Every connection is freed: now the sockets of their own. */
    for (i = 0; cl->t != NULL && i < cl->nflows; i++)
        if (cl->t[i] != NULL && cl->t[i] != cl->rt.t)
            transport_close(cl->t[i]);
    runtime_close(&cl->rt);
    perf_report_free(cl->rep);
    free(cl->t);
    free(cl->local);
    free(cl->flows);
    free(cl->up);
    free(cl->send_done);
    free(cl->recv_done);
    free(cl->send_secs);
    free(cl->recv_secs);
    free(cl->remote);
    free(cl->extras);
    free(cl->have_extras);
    free(cl->latency);
    free(cl->failed);
    free(cl->server_output);
    free(cl);
}
