/*
 * echo_client.c - send numbered messages, verify every echo.
 *
 * By default one message is in flight at a time, like ping: the round-trip
 * time is then the echo's alone. --window N keeps up to N in flight; echoes
 * are matched to messages by sequence number (echo_window.h), and every
 * echo is checked against exactly the message that went out (bytes,
 * length, stream, PPID, unordered flag), its round trip timed from its own
 * send. -i paces the sends; a message not echoed within --timeout fails
 * the run. Messages go round-robin over the streams both directions have.
 *
 * The first message also asks the server how it sees our UDP endpoint, to
 * show any NAT on the path (the address probe, see echo_msg.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <event2/event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "echo.h"
#include "echo_msg.h"
#include "echo_report.h"
#include "echo_window.h"
#include "impair_report.h"
#include "host_port.h"
#include "runtime.h"
#include "log.h"
#include "rtt_stats.h"
#include "transport.h"

#define FINISH_GRACE_S 2 /* wait this long for our SHUTDOWN to finish */

enum client_phase {
    PHASE_CONNECTING,
    PHASE_RUNNING,
    PHASE_FINISHING, /* SHUTDOWN sent, waiting for it to complete */
    PHASE_DONE,
};

struct echo_client {
    const struct echo_config *cfg;
    struct runtime rt;
    struct transport_conn *conn;
    struct event *send_timer; /* -i: the next send is due */
    /* connect deadline; then the oldest echo's; then the SHUTDOWN's */
    struct event *wait_timer;
    enum client_phase phase;
    bool stop_requested;
    uint8_t *txbuf;
    uint8_t *rxbuf;
    size_t rxlen;
    struct transport_msginfo rxinfo;
    uint16_t streams; /* streams used: min(in, out) */
    struct transport_assoc_info info;
    char peer[NETADDR_STRLEN + 32];
    char seen_as[NETADDR_STRLEN]; /* our endpoint as the server sees it */
    struct host_list binds;       /* -B, split: tc's bind strings live here */
    bool probe_pending;           /* message 0 asked; no verdict yet */
    bool ppid_told;               /* said the server does not echo PPIDs */
    /* sending */
    struct echo_window window; /* the messages in flight */
    bool send_due;     /* -i has passed since the last send (-i 0: always) */
    bool send_blocked; /* txbuf holds message number `sent`, waiting for room */
    size_t txlen;
    struct transport_msginfo txinfo;
    bool up; /* the association came up */
    /* CLOCK_MONOTONIC microseconds */
    uint64_t connect_us;
    uint64_t setup_us; /* connect to the association being up */
    uint64_t first_send_us;
    uint64_t last_echo_us;
    /* results */
    uint64_t sent;
    uint64_t received;
    uint64_t verified;
    uint64_t verified_bytes;
    uint64_t corrupt;
    uint64_t retransmits; /* ours, as last read from the association */
    struct rtt_stats rtt;
    char error[256];
    /* multihoming: peer addresses at connect, path events (backends that
     * report them) */
    struct sockaddr_storage peer_addrs[TRANSPORT_MAX_ADDRS];
    size_t npeer_addrs;
    struct echo_path_event paths[ECHO_REPORT_MAX_PATHS];
    size_t npaths;
    uint64_t paths_dropped;
};

static void client_pump(struct echo_client *cl);

static void set_timer(struct event *ev, double seconds)
{
    struct timeval tv;

    tv.tv_sec = (time_t)seconds;
    tv.tv_usec = (suseconds_t)((seconds - (double)tv.tv_sec) * 1e6);
    evtimer_add(ev, &tv);
}

/* End the run at once: record why (first reason wins), drop the link. */
static void client_fail(struct echo_client *cl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void client_fail(struct echo_client *cl, const char *fmt, ...)
{
    va_list ap;

    if (cl->error[0] == '\0') {
        va_start(ap, fmt);
        vsnprintf(cl->error, sizeof(cl->error), fmt, ap);
        va_end(ap);
    }
    cl->phase = PHASE_DONE;
    event_base_loopexit(cl->rt.base, NULL);
}

/* The association's retransmission count, while it can still be read
 * (a closed one cannot: keep the last figure). */
static void client_note_retransmits(struct echo_client *cl)
{
    struct transport_assoc_info info;

    if (cl->conn != NULL && transport_get_info(cl->conn, &info) == 0 &&
        info.retransmits > cl->retransmits)
        cl->retransmits = info.retransmits;
}

/* All sent, or asked to stop: close gracefully and wait for the end. */
static void client_finish(struct echo_client *cl)
{
    int rc;

    if (cl->phase != PHASE_RUNNING)
        return;
    client_note_retransmits(cl);
    cl->phase = PHASE_FINISHING;
    evtimer_del(cl->send_timer);
    rc = transport_shutdown(cl->conn);
    if (rc < 0) {
        client_fail(cl, "shutdown: %s", strerror(-rc));
        return;
    }
    set_timer(cl->wait_timer, FINISH_GRACE_S);
}

static uint64_t now_us(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_nsec / 1000;
}

static uint64_t timeout_us(const struct echo_client *cl)
{
    return (uint64_t)(cl->cfg->timeout_s * 1e6);
}

/*
 * The echo deadline: fail the run if the oldest message in flight has
 * waited --timeout, else look again when it will have. The timer is armed
 * whenever something is in flight, never later than the oldest deadline.
 */
static void client_check_deadline(struct echo_client *cl)
{
    const struct echo_flight *oldest = echo_window_oldest(&cl->window);
    uint64_t waited;

    if (oldest == NULL)
        return;
    waited = now_us() - oldest->sent_us;
    if (waited >= timeout_us(cl)) {
        client_fail(cl, "no echo for seq=%u within %.3g s",
                    (uint32_t)oldest->number, cl->cfg->timeout_s);
        return;
    }
    set_timer(cl->wait_timer, (double)(timeout_us(cl) - waited) / 1e6);
}

/* Everything sent and echoed, or asked to stop and all echoes in: end. */
static void client_maybe_finish(struct echo_client *cl)
{
    const struct echo_config *cfg = cl->cfg;

    if (cl->phase != PHASE_RUNNING || cl->window.count > 0 || cl->send_blocked)
        return;
    if (cl->stop_requested || (cfg->count && cl->sent >= cfg->count))
        client_finish(cl);
}

/* Say how the server sees us: seen_as, or why it did not say. */
static void client_print_seen(const struct echo_client *cl, const char *why)
{
    struct echo_summary s = { .local = cl->rt.local, .seen_as = cl->seen_as };

    if (cl->cfg->json)
        return;
    if (why == NULL)
        printf("local %s, seen by server as %s%s\n", s.local, s.seen_as,
               echo_summary_translated(&s) ? " (address translated)" : "");
    else
        printf("local %s, server did not report its view of our address "
               "(%s)\n",
               s.local, why);
}

/* The answer to the address probe, ahead of the echo of message 0. */
static void client_on_probe_answer(struct echo_client *cl)
{
    int rc = echo_probe_decode(cl->rxbuf, cl->rxlen, cl->rxinfo.ppid,
                               cl->seen_as, sizeof(cl->seen_as));

    cl->probe_pending = false;
    if (rc == 0 && cl->rxinfo.sid == ECHO_PROBE_SID) {
        client_print_seen(cl, NULL);
        return;
    }
    cl->seen_as[0] = '\0';
    client_print_seen(cl, "malformed answer");
}

static void say_bad(const struct echo_client *cl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* An echo that failed: a line among the echoes, or on stderr under -J
 * (stdout then holds the JSON document alone). */
static void say_bad(const struct echo_client *cl, const char *fmt, ...)
{
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (cl->cfg->json)
        log_warn("%s", line);
    else
        printf("%s\n", line);
}

/* A whole message arrived: find the message it echoes, and check it. */
static void client_on_echo(struct echo_client *cl)
{
    uint64_t now = now_us();
    struct echo_flight f;
    const char *why = NULL;
    enum echo_match match;
    uint64_t rtt;
    uint32_t seq;

    cl->received++;
    match = echo_window_take(&cl->window, cl->rxbuf, cl->rxlen, &cl->rxinfo, &f,
                             &why);
    if (match == ECHO_MATCH_NONE) {
        cl->corrupt++;
        say_bad(cl, "%zu bytes from %s: stream=%u UNEXPECTED: %s", cl->rxlen,
                cl->peer, cl->rxinfo.sid, why);
        return;
    }
    seq = (uint32_t)f.number;
    rtt = now - f.sent_us;
    if (rtt > UINT32_MAX)
        rtt = UINT32_MAX;
    cl->last_echo_us = now;
    if (f.number == 0 && cl->probe_pending) {
        /* Message 0 came back without an answer ahead of it. */
        cl->probe_pending = false;
        client_print_seen(cl, "not an sctpu-echo server");
    }
    rtt_stats_add(&cl->rtt, (uint32_t)rtt);
    if (match == ECHO_MATCH_OK && cl->window.ppid_differed == 1 &&
        !cl->ppid_told) {
        cl->ppid_told = true;
        log_warn("the server does not echo PPIDs (sent %" PRIu32
                 ", got %" PRIu32 "): verifying payload, stream and flags "
                 "only; --strict-ppid counts such echoes as corrupt",
                 cl->window.ppid_sent, cl->window.ppid_got);
    }
    if (match == ECHO_MATCH_OK) {
        cl->verified++;
        cl->verified_bytes += f.len;
        if (!cl->cfg->quiet && !cl->cfg->json)
            printf("%zu bytes from %s: seq=%u stream=%u time=%u us\n",
                   cl->rxlen, cl->peer, seq, cl->rxinfo.sid, (uint32_t)rtt);
    } else {
        cl->corrupt++;
        say_bad(cl, "%zu bytes from %s: seq=%u stream=%u CORRUPT: %s",
                cl->rxlen, cl->peer, seq, cl->rxinfo.sid, why);
    }
    if (cl->window.count == 0)
        evtimer_del(cl->wait_timer);
    client_pump(cl);
    client_maybe_finish(cl);
}

static void client_read(struct echo_client *cl)
{
    for (;;) {
        struct transport_msginfo part;
        ssize_t n;

        memset(&part, 0, sizeof(part));
        n = transport_recv(cl->conn, cl->rxbuf + cl->rxlen,
                           ECHO_MSG_MAX - cl->rxlen, &part);
        if (n == -EAGAIN)
            return;
        if (n == 0) {
            if (cl->phase == PHASE_FINISHING) {
                cl->phase = PHASE_DONE;
                event_base_loopexit(cl->rt.base, NULL);
            } else {
                client_fail(cl, "the server closed the association");
            }
            return;
        }
        if (n < 0) {
            client_fail(cl, "association lost: %s", strerror((int)-n));
            return;
        }
        if (cl->rxlen == 0)
            cl->rxinfo = part;
        cl->rxlen += (size_t)n;
        if (part.eor || cl->rxlen == ECHO_MSG_MAX) {
            if (cl->probe_pending &&
                echo_probe_is_answer(cl->rxbuf, cl->rxlen, cl->rxinfo.ppid))
                client_on_probe_answer(cl);
            else
                client_on_echo(cl);
            cl->rxlen = 0;
            if (cl->phase == PHASE_DONE)
                return;
        }
    }
}

/*
 * Send (or retry sending) the message in txbuf, message number `sent`.
 * Returns 0 when it went, -EAGAIN when it waits for room, or another
 * negative errno after failing the run.
 */
static int client_transmit(struct echo_client *cl)
{
    /* Its round trip starts when we hand it over. */
    uint64_t start = now_us();
    ssize_t n = transport_send(cl->conn, cl->txbuf, cl->txlen, &cl->txinfo);
    struct echo_flight f;

    if (n == -EAGAIN) {
        cl->send_blocked = true;
        return -EAGAIN;
    }
    cl->send_blocked = false;
    if (n < 0) {
        client_fail(cl, "send seq=%u: %s", (uint32_t)cl->sent,
                    strerror((int)-n));
        return (int)n;
    }
    memset(&f, 0, sizeof(f));
    f.number = cl->sent;
    f.sent_us = start;
    f.len = (uint32_t)cl->txlen;
    f.ppid = cl->txinfo.ppid;
    f.sid = cl->txinfo.sid;
    f.unordered = cl->txinfo.unordered;
    /* Cannot fail: client_pump prepares a message only when there is room. */
    echo_window_add(&cl->window, &f);
    if (cl->sent == 0) {
        cl->first_send_us = start;
        cl->probe_pending = true;
    }
    cl->sent++;
    if (!evtimer_pending(cl->wait_timer, NULL))
        set_timer(cl->wait_timer, cl->cfg->timeout_s);
    return 0;
}

/* Put message number `sent` in txbuf, with its stream and flags. */
static void client_prepare(struct echo_client *cl)
{
    const struct echo_config *cfg = cl->cfg;
    uint64_t n = cl->sent;

    cl->txlen = cfg->sizes[n % cfg->nsizes];
    memset(&cl->txinfo, 0, sizeof(cl->txinfo));
    cl->txinfo.sid = (uint16_t)(n % cl->streams);
    cl->txinfo.ppid = cfg->ppid;
    cl->txinfo.unordered = cfg->unordered;
    if (n == 0) {
        /* The address probe rides on message 0 (stream 0), ordered so
         * that the answer cannot fall behind the echo. */
        cl->txinfo.ppid = ECHO_PROBE_PPID;
        cl->txinfo.unordered = false;
    }
    echo_msg_fill(cl->txbuf, cl->txlen, (uint32_t)n);
}

/* May another message be prepared now? */
static bool client_may_send(const struct echo_client *cl)
{
    const struct echo_config *cfg = cl->cfg;

    return cl->send_due && !cl->stop_requested &&
           (cfg->count == 0 || cl->sent < cfg->count) &&
           !echo_window_full(&cl->window);
}

/*
 * Send what may go now: a message waiting for room first, then new ones
 * while the window has room; with -i, one each time the interval passes.
 */
static void client_pump(struct echo_client *cl)
{
    while (cl->phase == PHASE_RUNNING) {
        if (!cl->send_blocked) {
            if (!client_may_send(cl))
                return;
            client_prepare(cl);
        }
        if (client_transmit(cl) < 0)
            return;
        if (cl->cfg->interval_s > 0) {
            cl->send_due = false;
            set_timer(cl->send_timer, cl->cfg->interval_s);
        }
    }
}

static void client_on_connected(struct echo_client *cl)
{
    cl->up = true;
    cl->setup_us = now_us() - cl->connect_us;
    evtimer_del(cl->wait_timer);
    if (transport_get_info(cl->conn, &cl->info) < 0) {
        client_fail(cl, "SCTP_STATUS: %s", transport_conn_strerror(cl->conn));
        return;
    }
    cl->streams = cl->info.out_streams < cl->info.in_streams
                      ? cl->info.out_streams
                      : cl->info.in_streams;
    if (cl->streams == 0) {
        client_fail(cl, "the association has no usable stream");
        return;
    }
    cl->phase = PHASE_RUNNING;
    if (!cl->cfg->json)
        printf("connected to %s from %s in %llu us: streams out %u in %u "
               "(using %u), path MTU %u, backend %s (%s)\n",
               cl->peer, cl->rt.local, (unsigned long long)cl->setup_us,
               (unsigned)cl->info.out_streams, (unsigned)cl->info.in_streams,
               (unsigned)cl->streams, (unsigned)cl->info.pathmtu,
               cl->rt.ops->name, cl->rt.stack);
    cl->npeer_addrs =
        transport_peer_addrs(cl->conn, cl->peer_addrs, TRANSPORT_MAX_ADDRS);
    if (!cl->cfg->json)
        echo_report_peer_addrs(stdout, cl->peer_addrs, cl->npeer_addrs);
    cl->send_due = true;
    client_pump(cl);
    client_maybe_finish(cl);
}

/* Take the path events the backend queued: a line each now (text), and
 * kept for the JSON summary. */
static void client_take_paths(struct echo_client *cl)
{
    struct transport_path_event ev[8];
    uint64_t dropped = 0;
    size_t n;
    size_t i;

    do {
        n = transport_path_events(cl->conn, ev, 8, &dropped);
        cl->paths_dropped += dropped;
        for (i = 0; i < n; i++) {
            struct echo_path_event p;
            uint64_t when_us = ev[i].when_ns / 1000;

            p.ev = ev[i];
            p.time_s = when_us > cl->connect_us
                           ? (double)(when_us - cl->connect_us) / 1e6
                           : 0;
            if (!cl->cfg->json)
                echo_report_path_line(stdout, &p, NULL);
            if (cl->npaths < ECHO_REPORT_MAX_PATHS)
                cl->paths[cl->npaths++] = p;
            else
                cl->paths_dropped++;
        }
    } while (n == 8);
}

static void client_event_cb(struct transport_conn *conn, int events, void *arg)
{
    struct echo_client *cl = arg;

    if (events & TRANSPORT_EV_PATH)
        client_take_paths(cl);
    if (events & TRANSPORT_EV_ERROR) {
        if (cl->phase == PHASE_CONNECTING)
            client_fail(cl, "cannot associate with %s: %s", cl->peer,
                        transport_conn_strerror(conn));
        else
            client_fail(cl, "association lost: %s",
                        transport_conn_strerror(conn));
        return;
    }
    if (events & TRANSPORT_EV_CONNECTED)
        client_on_connected(cl);
    if ((events & TRANSPORT_EV_WRITABLE) && cl->send_blocked &&
        cl->phase == PHASE_RUNNING)
        client_pump(cl);
    if ((events & TRANSPORT_EV_READABLE) && cl->phase != PHASE_DONE &&
        cl->phase != PHASE_CONNECTING)
        client_read(cl);
}

static void send_timer_cb(evutil_socket_t fd, short what, void *arg)
{
    struct echo_client *cl = arg;

    (void)fd;
    (void)what;
    cl->send_due = true;
    client_pump(cl);
}

static void wait_timer_cb(evutil_socket_t fd, short what, void *arg)
{
    struct echo_client *cl = arg;

    (void)fd;
    (void)what;
    switch (cl->phase) {
    case PHASE_CONNECTING:
        client_fail(cl,
                    "no answer from %s within %.3g s (is the server "
                    "running, and UDP port %u reachable?)",
                    cl->peer, cl->cfg->timeout_s, (unsigned)cl->cfg->udp_port);
        break;
    case PHASE_RUNNING:
        client_check_deadline(cl);
        break;
    case PHASE_FINISHING:
        /* Everything was verified; only the goodbye went missing. */
        log_warn("the server did not complete SHUTDOWN in %d s",
                 FINISH_GRACE_S);
        cl->phase = PHASE_DONE;
        event_base_loopexit(cl->rt.base, NULL);
        break;
    case PHASE_DONE:
        break;
    }
}

/*
 * SIGINT/SIGTERM: send nothing more (a message still waiting for room is
 * dropped, never having been sent), let the echoes in flight arrive, then
 * finish; twice: now.
 */
static void client_stop(void *arg)
{
    struct echo_client *cl = arg;

    if (cl->stop_requested) {
        client_fail(cl, "interrupted");
        return;
    }
    cl->stop_requested = true;
    if (cl->phase == PHASE_CONNECTING) {
        client_fail(cl, "interrupted before the association was up");
        return;
    }
    cl->send_blocked = false;
    client_maybe_finish(cl);
}

static int client_start(struct echo_client *cl)
{
    const struct echo_config *cfg = cl->cfg;
    struct transport_peer peer;
    struct transport_config tc;
    struct host_list peers;
    char err[256];
    char host[NETADDR_STRLEN];
    int rc;

    memset(&peer, 0, sizeof(peer));
    /* -c/-ip a,b: the server's addresses (the CLI checked the list) */
    if (host_list_parse(cfg->host, &peers) < 0)
        return ECHO_EXIT_USAGE;
    if (transport_peer_resolve(&peer, peers.host, peers.count, cfg->family, err,
                               sizeof(err)) < 0) {
        log_err("%s", err);
        return ECHO_EXIT_USAGE;
    }
    peer.udp_port = cfg->udp_port;
    peer.sctp_port = cfg->port;
    netaddr_format_host((struct sockaddr *)&peer.addr, host, sizeof(host));
    snprintf(cl->peer, sizeof(cl->peer), "%s udp/%u sctp/%u", host,
             (unsigned)cfg->udp_port, (unsigned)cfg->port);

    echo_transport_config(cfg, NULL, peer.addr.ss_family, cfg->local_udp_port,
                          cfg->nstreams, &tc);
    /* -B a,b: our own addresses (the CLI checked the list); a backend that
     * cannot multihome refuses several in open() */
    if (cfg->bind[0] != '\0' && host_list_parse(cfg->bind, &cl->binds) < 0)
        return ECHO_EXIT_USAGE;
    if (transport_config_set_bind(&tc, cl->binds.host, cl->binds.count, err,
                                  sizeof(err)) < 0) {
        log_err("%s", err);
        return ECHO_EXIT_USAGE;
    }
    rc = runtime_open(&cl->rt, cfg->backend, &tc, client_stop, cl);
    if (rc != ECHO_EXIT_OK)
        return rc;
    /* Our UDP endpoint as the server would see it without NAT, when the
     * socket is bound to a wildcard (with -B it is what it is bound to). */
    if (cl->binds.count == 0)
        netaddr_route_endpoint((struct sockaddr *)&peer.addr, peer.addrlen,
                               peer.udp_port, cl->rt.local,
                               sizeof(cl->rt.local));
    cl->send_timer = evtimer_new(cl->rt.base, send_timer_cb, cl);
    cl->wait_timer = evtimer_new(cl->rt.base, wait_timer_cb, cl);
    if (cl->send_timer == NULL || cl->wait_timer == NULL) {
        log_err("out of memory");
        return ECHO_EXIT_FAIL;
    }
    cl->connect_us = now_us();
    if (transport_connect(cl->rt.t, &peer, cfg->local_sctp_port, &cl->conn, err,
                          sizeof(err)) < 0) {
        log_err("%s", err);
        return ECHO_EXIT_USAGE;
    }
    transport_conn_set_cb(cl->conn, client_event_cb, cl);
    set_timer(cl->wait_timer, cfg->timeout_s);
    return ECHO_EXIT_OK;
}

/*
 * Echoes that waited for a retransmission timeout take RTO.Min or more,
 * while the rest take the path's round trip: when the slowest are that
 * slow and the median is far faster, the timers set the tail, and the
 * user should know which option shows the path (docs/loss.md).
 */
static void warn_timeouts(const struct echo_client *cl)
{
    struct transport_rto rto;
    uint32_t p50;
    uint32_t p99;

    if (cl->rt.ops == NULL || cl->rt.t == NULL || cl->received < 100)
        return;
    transport_get_rto(cl->rt.t, &rto);
    p50 = rtt_stats_percentile(&cl->rtt, 50);
    p99 = rtt_stats_percentile(&cl->rtt, 99);
    if (rto.min_ms <= TRANSPORT_LAB_RTO_MIN_MS ||
        p99 < rto.min_ms * 1000u / 2 || p50 * 10u >= rto.min_ms * 1000u)
        return;
    log_warn("echoes waited for retransmission timeouts: p99 %u ms against a "
             "median of %u us, with RTO.Min %u ms; the timers, not the path, "
             "set the tail: --rto-min %d on both the client and the server "
             "shows what the path allows",
             (unsigned)(p99 / 1000), (unsigned)p50, (unsigned)rto.min_ms,
             TRANSPORT_LAB_RTO_MIN_MS);
}

/* --compare: what the run measured. */
static void client_outcome(const struct echo_client *cl, struct echo_outcome *o)
{
    const struct rtt_stats *r = &cl->rtt;

    memset(o, 0, sizeof(*o));
    o->ran = cl->up;
    snprintf(o->error, sizeof(o->error), "%s", cl->error);
    o->sent = cl->sent;
    o->received = cl->received;
    o->verified = cl->verified;
    o->pathmtu = cl->info.pathmtu;
    o->rtt_count = r->count;
    if (r->count == 0)
        return;
    o->rtt_min_us = r->min_us;
    o->rtt_p50_us = rtt_stats_percentile(r, 50);
    o->rtt_p90_us = rtt_stats_percentile(r, 90);
    o->rtt_p99_us = rtt_stats_percentile(r, 99);
    o->rtt_max_us = r->max_us;
    o->rtt_avg_us = rtt_stats_avg(r);
}

/* The summary (when report), and the one line that says why a run
 * failed. */
static void client_report(const struct echo_client *cl, bool report)
{
    struct echo_summary s;
    struct transport_counters counters;

    memset(&s, 0, sizeof(s));
    s.peer = cl->peer;
    s.local = cl->rt.local;
    s.seen_as = cl->seen_as[0] ? cl->seen_as : NULL;
    s.backend = cl->rt.ops ? cl->rt.ops->name : "";
    s.stack = cl->rt.stack;
    s.in_streams = cl->info.in_streams;
    s.out_streams = cl->info.out_streams;
    s.streams_used = cl->streams;
    s.pathmtu = cl->info.pathmtu;
    s.sent = cl->sent;
    s.received = cl->received;
    s.verified = cl->verified;
    s.corrupt = cl->corrupt;
    s.rtt = &cl->rtt;
    s.error = cl->error[0] ? cl->error : NULL;
    s.connected = cl->up;
    s.setup_us = cl->setup_us;
    s.window = (uint32_t)cl->window.cap;
    s.max_in_flight = (uint32_t)cl->window.max_count;
    s.elapsed_us =
        cl->last_echo_us > 0 ? cl->last_echo_us - cl->first_send_us : 0;
    s.verified_bytes = cl->verified_bytes;
    s.ppid_differed = cl->window.ppid_differed;
    s.retransmits = cl->retransmits;
    if (cl->rt.t != NULL) {
        transport_get_counters(cl->rt.t, &counters);
        if (impair_report_any(&counters))
            s.impair = &counters;
    }
    s.pcap = cl->cfg->sock.pcap;
    s.paths_known = cl->npeer_addrs > 0;
    s.peer_addrs = cl->peer_addrs;
    s.npeer_addrs = cl->npeer_addrs;
    s.paths = cl->paths;
    s.npaths = cl->npaths;
    s.paths_dropped = cl->paths_dropped;
    if (report && cl->cfg->json)
        echo_report_json(stdout, &s);
    else if (report)
        echo_report_text(stdout, &s);
    /* The one line that says why the run failed (not in the summary). */
    if (s.error != NULL)
        log_err("%s", s.error);
    warn_timeouts(cl);
}

static void client_free(struct echo_client *cl)
{
    /* A finished association closes gracefully; a failed one aborts. */
    transport_conn_free(cl->conn,
                        cl->phase != PHASE_DONE || cl->error[0] != '\0');
    if (cl->send_timer != NULL)
        event_free(cl->send_timer);
    if (cl->wait_timer != NULL)
        event_free(cl->wait_timer);
    runtime_close(&cl->rt);
    echo_window_free(&cl->window);
    free(cl->txbuf);
    free(cl->rxbuf);
    free(cl);
}

int echo_client_run(const struct echo_config *cfg)
{
    return echo_client_run_outcome(cfg, true, NULL);
}

int echo_client_run_outcome(const struct echo_config *cfg, bool report,
                            struct echo_outcome *res)
{
    struct echo_client *cl = calloc(1, sizeof(*cl));
    int rc;

    if (res != NULL) {
        memset(res, 0, sizeof(*res));
        snprintf(res->error, sizeof(res->error), "the run did not start");
    }
    if (cl == NULL) {
        log_err("out of memory");
        return ECHO_EXIT_FAIL;
    }
    cl->cfg = cfg;
    rtt_stats_init(&cl->rtt);
    cl->txbuf = malloc(ECHO_MSG_MAX);
    cl->rxbuf = malloc(ECHO_MSG_MAX);
    if (cl->txbuf == NULL || cl->rxbuf == NULL ||
        echo_window_init(&cl->window, cfg->window ? cfg->window : 1) < 0) {
        log_err("out of memory");
        client_free(cl);
        return ECHO_EXIT_FAIL;
    }
    cl->window.ppid_strict = cfg->strict_ppid;
    rc = client_start(cl);
    if (rc != ECHO_EXIT_OK) {
        client_free(cl);
        return rc;
    }
    event_base_dispatch(cl->rt.base);

    if (cl->conn != NULL)
        client_take_paths(cl); /* those queued since the last callback */
    client_note_retransmits(cl);
    client_report(cl, report);
    if (res != NULL)
        client_outcome(cl, res);
    rc = cl->error[0] == '\0' && cl->verified == cl->sent ? ECHO_EXIT_OK
                                                          : ECHO_EXIT_FAIL;
    client_free(cl);
    return rc;
}
