/*
 * echo_many.c - sctpu-echo -c HOST -P N: N associations from one process
 * over one transport (usrsctp: one UDP socket), each sending -n messages
 * one at a time and verifying every echo (echo_msg.h), then, with --hold,
 * all staying open and idle for that long before a graceful SHUTDOWN.
 *
 * Made for measuring what a server spends per association
 * (tools/assoc-mem.sh): thousands of associations are practical because
 * each costs this process only a small struct, its usrsctp state and,
 * while a message is in flight, one receive buffer of the largest -l.
 * Handshakes run at most MANY_CONNECT_BURST at a time, so the server's
 * INIT handling is never flooded by its own test client.
 */
#include <errno.h>
#include <event2/event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "echo.h"
#include "echo_msg.h"
#include "host_port.h"
#include "impair_report.h"
#include "log.h"
#include "runtime.h"
#include "transport.h"

#define MANY_CONNECT_BURST 64 /* handshakes in progress at once */
#define MANY_TICK_MS 100      /* deadline checks */
#define MANY_PROGRESS_S 5.0   /* a progress line this often (not -q) */
/* the graceful end: at least this long, plus 1 s per 1000 associations */
#define MANY_FINISH_GRACE_S 5

enum many_state {
    MANY_IDLE,       /* not started */
    MANY_CONNECTING, /* INIT sent */
    MANY_RUNNING,    /* a message in flight */
    MANY_VERIFIED,   /* every message echoed and verified; now idle */
    MANY_CLOSING,    /* SHUTDOWN sent */
    MANY_CLOSED,     /* the shutdown completed */
};

struct many_assoc {
    struct echo_many *m;
    struct transport_conn *conn;
    enum many_state state;
    uint32_t index;
    uint16_t streams;  /* min(in, out) */
    bool blocked;      /* the message to send waits for room */
    uint64_t sent;     /* messages sent; the one in flight is sent - 1 */
    uint64_t since_us; /* connect, or the message in flight, was sent */
    uint8_t *rxbuf;    /* while a message is in flight */
    size_t rxlen;
    struct transport_msginfo rxinfo;
};

struct echo_many {
    const struct echo_config *cfg;
    struct runtime rt;
    struct transport_peer peer;
    char peer_name[NETADDR_STRLEN + 32];
    struct many_assoc *a; /* cfg->parallel of them */
    uint32_t n;
    uint32_t next_start; /* the next association to connect */
    uint32_t connecting;
    uint32_t up;       /* came up */
    uint32_t verified; /* all their messages verified */
    uint32_t closed;   /* graceful end completed */
    uint64_t echoes;   /* echoes verified, all associations */
    uint8_t *txbuf;
    size_t maxlen; /* the largest -l */
    struct event *tick;
    struct event *hold_timer;
    uint64_t start_us;
    uint64_t last_progress_us;
    uint64_t finish_deadline_us;
    bool holding;
    bool finishing;
    char error[256];
};

static uint64_t now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void many_fail(struct echo_many *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* End the run: record why (first reason wins); the associations abort. */
static void many_fail(struct echo_many *m, const char *fmt, ...)
{
    va_list ap;

    if (m->error[0] == '\0') {
        va_start(ap, fmt);
        vsnprintf(m->error, sizeof(m->error), fmt, ap);
        va_end(ap);
    }
    event_base_loopexit(m->rt.base, NULL);
}

static void many_finish(struct echo_many *m);

/*
 * A server at its --max-associations aborts each association past it,
 * during the handshake or just after it: when a's first message is not
 * echoed yet while others are up, say so.
 */
static const char *many_cap_hint(const struct many_assoc *a)
{
    const struct echo_many *m = a->m;
    bool a_up = a->state != MANY_CONNECTING;

    if (a->state > MANY_RUNNING || a->sent > 1 || m->up <= (a_up ? 1u : 0u))
        return "";
    return " (others are up: is -P above the server's --max-associations?)";
}
static void many_event_cb(struct transport_conn *conn, int events, void *arg);

/* Connect associations until MANY_CONNECT_BURST handshakes are running. */
static void many_start_more(struct echo_many *m)
{
    char err[256];

    while (m->connecting < MANY_CONNECT_BURST && m->next_start < m->n &&
           m->error[0] == '\0') {
        struct many_assoc *a = &m->a[m->next_start++];

        if (transport_connect(m->rt.t, &m->peer, 0, &a->conn, err,
                              sizeof(err)) < 0) {
            many_fail(m, "association %u: %s", (unsigned)a->index, err);
            return;
        }
        transport_conn_set_cb(a->conn, many_event_cb, a);
        a->state = MANY_CONNECTING;
        a->since_us = now_us();
        m->connecting++;
    }
}

/* All verified: hold them idle (--hold), or end now. */
static void many_all_verified(struct echo_many *m)
{
    const struct echo_config *cfg = m->cfg;
    double took = (double)(now_us() - m->start_us) / 1e6;

    printf("all %u associations up and verified (%llu echoes) in %.3f s\n",
           (unsigned)m->n, (unsigned long long)m->echoes, took);
    if (cfg->hold_s <= 0) {
        many_finish(m);
        return;
    }
    printf("holding %u associations idle for %.3g s\n", (unsigned)m->n,
           cfg->hold_s);
    fflush(stdout);
    m->holding = true;
    {
        struct timeval tv;

        tv.tv_sec = (time_t)cfg->hold_s;
        tv.tv_usec = (suseconds_t)((cfg->hold_s - (double)tv.tv_sec) * 1e6);
        evtimer_add(m->hold_timer, &tv);
    }
}

/* Send message number a->sent; its echo is verified in many_on_echo. */
static void many_send(struct many_assoc *a)
{
    struct echo_many *m = a->m;
    const struct echo_config *cfg = m->cfg;
    struct transport_msginfo info;
    size_t len = cfg->sizes[a->sent % cfg->nsizes];
    ssize_t n;

    memset(&info, 0, sizeof(info));
    info.sid = (uint16_t)(a->sent % a->streams);
    info.ppid = cfg->ppid;
    info.unordered = cfg->unordered;
    echo_msg_fill(m->txbuf, len, (uint32_t)a->sent);
    n = transport_send(a->conn, m->txbuf, len, &info);
    a->blocked = n == -EAGAIN;
    if (n == -EAGAIN)
        return; /* WRITABLE comes when there is room: sent again then */
    if (n < 0) {
        many_fail(m, "association %u: send seq=%llu: %s", (unsigned)a->index,
                  (unsigned long long)a->sent, strerror((int)-n));
        return;
    }
    a->sent++;
    a->since_us = now_us();
}

/* A whole message arrived on a: it must be exactly the one in flight. */
static void many_on_echo(struct many_assoc *a)
{
    struct echo_many *m = a->m;
    const struct echo_config *cfg = m->cfg;
    uint64_t seq = a->sent - 1;
    size_t want = cfg->sizes[seq % cfg->nsizes];
    enum echo_msg_verdict v =
        echo_msg_verify(a->rxbuf, a->rxlen, (uint32_t)seq, want);
    bool ppid_ok = !cfg->strict_ppid || a->rxinfo.ppid == cfg->ppid;

    if (v != ECHO_MSG_OK || a->rxinfo.sid != seq % a->streams || !ppid_ok ||
        a->rxinfo.unordered != cfg->unordered) {
        many_fail(m,
                  "association %u: seq=%llu CORRUPT: %s (stream %u, PPID "
                  "%u)",
                  (unsigned)a->index, (unsigned long long)seq,
                  v != ECHO_MSG_OK ? echo_msg_verdict_str(v)
                                   : "stream, PPID or flags differ",
                  (unsigned)a->rxinfo.sid, (unsigned)a->rxinfo.ppid);
        return;
    }
    m->echoes++;
    a->rxlen = 0;
    if (a->sent < cfg->count) {
        many_send(a);
        return;
    }
    /* Idle from here: the buffer is not needed any more. */
    free(a->rxbuf);
    a->rxbuf = NULL;
    a->state = MANY_VERIFIED;
    if (++m->verified == m->n)
        many_all_verified(m);
}

static void many_read(struct many_assoc *a)
{
    struct echo_many *m = a->m;

    for (;;) {
        struct transport_msginfo part;
        ssize_t n;

        memset(&part, 0, sizeof(part));
        if (a->state != MANY_RUNNING) {
            /* only the end of the association may come now */
            uint8_t byte;

            n = transport_recv(a->conn, &byte, 1, &part);
        } else {
            n = transport_recv(a->conn, a->rxbuf + a->rxlen,
                               m->maxlen - a->rxlen, &part);
        }
        if (n == -EAGAIN)
            return;
        if (n == 0 && a->state == MANY_CLOSING) {
            a->state = MANY_CLOSED;
            if (++m->closed == m->n)
                event_base_loopexit(m->rt.base, NULL);
            return;
        }
        if (n == 0) {
            many_fail(m, "association %u: the server closed it",
                      (unsigned)a->index);
            return;
        }
        if (n < 0) {
            many_fail(m, "association %u lost: %s%s", (unsigned)a->index,
                      strerror((int)-n), many_cap_hint(a));
            return;
        }
        if (a->state != MANY_RUNNING) {
            many_fail(m, "association %u: a message nobody sent",
                      (unsigned)a->index);
            return;
        }
        if (a->rxlen == 0)
            a->rxinfo = part;
        a->rxlen += (size_t)n;
        if (!part.eor && a->rxlen < m->maxlen)
            continue;
        if (!part.eor) {
            many_fail(m, "association %u: an echo longer than %zu bytes",
                      (unsigned)a->index, m->maxlen);
            return;
        }
        many_on_echo(a);
        if (m->error[0] != '\0')
            return;
    }
}

static void many_on_connected(struct many_assoc *a)
{
    struct echo_many *m = a->m;
    struct transport_assoc_info info;

    m->connecting--;
    m->up++;
    if (transport_get_info(a->conn, &info) < 0) {
        many_fail(m, "association %u: SCTP_STATUS: %s", (unsigned)a->index,
                  transport_conn_strerror(a->conn));
        return;
    }
    a->streams =
        info.out_streams < info.in_streams ? info.out_streams : info.in_streams;
    if (a->streams == 0) {
        many_fail(m, "association %u has no usable stream", (unsigned)a->index);
        return;
    }
    a->rxbuf = malloc(m->maxlen);
    if (a->rxbuf == NULL) {
        many_fail(m, "out of memory");
        return;
    }
    if (a->index == 0 && !m->cfg->quiet)
        printf("connected to %s: streams out %u in %u (using %u), path MTU "
               "%u, backend %s (%s)\n",
               m->peer_name, (unsigned)info.out_streams,
               (unsigned)info.in_streams, (unsigned)a->streams,
               (unsigned)info.pathmtu, m->rt.ops->name, m->rt.stack);
    a->state = MANY_RUNNING;
    many_send(a);
    many_start_more(m);
}

static void many_event_cb(struct transport_conn *conn, int events, void *arg)
{
    struct many_assoc *a = arg;
    struct echo_many *m = a->m;

    if (m->error[0] != '\0')
        return;
    if (events & TRANSPORT_EV_ERROR) {
        many_fail(m, "association %u: %s: %s%s", (unsigned)a->index,
                  a->state == MANY_CONNECTING ? "cannot associate"
                                              : "association lost",
                  transport_conn_strerror(conn), many_cap_hint(a));
        return;
    }
    if ((events & TRANSPORT_EV_CONNECTED) && a->state == MANY_CONNECTING)
        many_on_connected(a);
    if ((events & TRANSPORT_EV_WRITABLE) && a->state == MANY_RUNNING &&
        a->blocked)
        many_send(a);
    if ((events & TRANSPORT_EV_READABLE) && a->state >= MANY_RUNNING &&
        m->error[0] == '\0')
        many_read(a);
}

/* Send SHUTDOWN on every association; the run ends when all complete. */
static void many_finish(struct echo_many *m)
{
    uint32_t i;

    if (m->finishing)
        return;
    m->finishing = true;
    m->holding = false;
    evtimer_del(m->hold_timer);
    m->finish_deadline_us =
        now_us() + (uint64_t)(MANY_FINISH_GRACE_S + m->n / 1000) * 1000000;
    for (i = 0; i < m->n; i++) {
        struct many_assoc *a = &m->a[i];
        int rc = transport_shutdown(a->conn);

        if (rc < 0) {
            many_fail(m, "association %u: shutdown: %s", (unsigned)i,
                      strerror(-rc));
            return;
        }
        a->state = MANY_CLOSING;
    }
}

/* Deadlines: a handshake or an echo within --timeout; the goodbye. */
static void many_tick_cb(evutil_socket_t fd, short what, void *arg)
{
    struct echo_many *m = arg;
    uint64_t now = now_us();
    uint64_t limit = (uint64_t)(m->cfg->timeout_s * 1e6);
    uint32_t i;

    (void)fd;
    (void)what;
    if (m->finishing) {
        if (now > m->finish_deadline_us) {
            /* Everything was verified; only goodbyes went missing. */
            log_warn("%u of %u associations did not complete SHUTDOWN in "
                     "time",
                     (unsigned)(m->n - m->closed), (unsigned)m->n);
            event_base_loopexit(m->rt.base, NULL);
        }
        return;
    }
    for (i = 0; i < m->next_start; i++) {
        const struct many_assoc *a = &m->a[i];

        if ((a->state == MANY_CONNECTING || a->state == MANY_RUNNING) &&
            now - a->since_us >= limit) {
            many_fail(m, "association %u: %s within %.3g s", (unsigned)i,
                      a->state == MANY_CONNECTING ? "no answer to INIT"
                                                  : "no echo",
                      m->cfg->timeout_s);
            return;
        }
    }
    if (!m->cfg->quiet && !m->holding && m->verified < m->n &&
        now - m->last_progress_us >= (uint64_t)(MANY_PROGRESS_S * 1e6)) {
        m->last_progress_us = now;
        printf("%u of %u associations up, %u verified\n", (unsigned)m->up,
               (unsigned)m->n, (unsigned)m->verified);
        fflush(stdout);
    }
}

static void many_hold_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    many_finish(arg);
}

/* SIGINT/SIGTERM: during --hold, end it now (a success); else fail. */
static void many_stop(void *arg)
{
    struct echo_many *m = arg;

    if (m->holding) {
        many_finish(m);
        return;
    }
    many_fail(m, "interrupted (%u of %u associations verified)",
              (unsigned)m->verified, (unsigned)m->n);
}

static int many_open(struct echo_many *m)
{
    const struct echo_config *cfg = m->cfg;
    struct transport_config tc;
    struct host_list peers;
    char host[NETADDR_STRLEN];
    char err[256];
    struct timeval tick = { 0, MANY_TICK_MS * 1000 };

    if (host_list_parse(cfg->host, &peers) < 0)
        return ECHO_EXIT_USAGE;
    if (transport_peer_resolve(&m->peer, peers.host, peers.count, cfg->family,
                               err, sizeof(err)) < 0) {
        log_err("%s", err);
        return ECHO_EXIT_USAGE;
    }
    m->peer.udp_port = cfg->udp_port;
    m->peer.sctp_port = cfg->port;
    netaddr_format_host((struct sockaddr *)&m->peer.addr, host, sizeof(host));
    snprintf(m->peer_name, sizeof(m->peer_name), "%s udp/%u sctp/%u", host,
             (unsigned)cfg->udp_port, (unsigned)cfg->port);
    echo_transport_config(cfg, NULL, m->peer.addr.ss_family,
                          cfg->local_udp_port, cfg->nstreams, &tc);
    if (runtime_open(&m->rt, cfg->backend, &tc, many_stop, m) != ECHO_EXIT_OK)
        return ECHO_EXIT_USAGE;
    m->tick = event_new(m->rt.base, -1, EV_PERSIST, many_tick_cb, m);
    m->hold_timer = evtimer_new(m->rt.base, many_hold_cb, m);
    if (m->tick == NULL || m->hold_timer == NULL ||
        event_add(m->tick, &tick) < 0) {
        log_err("out of memory");
        return ECHO_EXIT_FAIL;
    }
    return ECHO_EXIT_OK;
}

static void many_free(struct echo_many *m)
{
    uint32_t i;

    for (i = 0; m->a != NULL && i < m->n; i++) {
        /* Finished ones close gracefully, the rest abort. */
        transport_conn_free(m->a[i].conn, m->a[i].state != MANY_CLOSED);
        free(m->a[i].rxbuf);
    }
    free(m->a);
    if (m->tick != NULL)
        event_free(m->tick);
    if (m->hold_timer != NULL)
        event_free(m->hold_timer);
    runtime_close(&m->rt);
    free(m->txbuf);
}

/* What --impair did to the one transport all associations share. */
static void many_report_impair(const struct echo_many *m)
{
    char lines[IMPAIR_REPORT_LINES][IMPAIR_REPORT_LINE_MAX];
    struct transport_counters c;
    size_t i, n;

    transport_get_counters(m->rt.t, &c);
    n = impair_report_lines(&c, lines);
    for (i = 0; i < n; i++)
        printf("%s\n", lines[i]);
}

int echo_many_run(const struct echo_config *cfg)
{
    struct echo_many m;
    size_t i;
    int rc;

    memset(&m, 0, sizeof(m));
    m.cfg = cfg;
    m.n = cfg->parallel;
    for (i = 0; i < cfg->nsizes; i++)
        if (cfg->sizes[i] > m.maxlen)
            m.maxlen = cfg->sizes[i];
    m.a = calloc(m.n, sizeof(*m.a));
    m.txbuf = malloc(m.maxlen);
    if (m.a == NULL || m.txbuf == NULL) {
        log_err("out of memory");
        many_free(&m);
        return ECHO_EXIT_FAIL;
    }
    for (i = 0; i < m.n; i++) {
        m.a[i].m = &m;
        m.a[i].index = (uint32_t)i;
    }
    rc = many_open(&m);
    if (rc != ECHO_EXIT_OK) {
        many_free(&m);
        return rc;
    }
    printf("opening %u associations to %s, %llu message%s each\n",
           (unsigned)m.n, m.peer_name, (unsigned long long)cfg->count,
           cfg->count == 1 ? "" : "s");
    fflush(stdout);
    m.start_us = m.last_progress_us = now_us();
    many_start_more(&m);
    if (m.error[0] == '\0')
        event_base_dispatch(m.rt.base);

    printf("associations: %u of %u up, %u verified, %u closed gracefully; "
           "%llu echoes verified\n",
           (unsigned)m.up, (unsigned)m.n, (unsigned)m.verified,
           (unsigned)m.closed, (unsigned long long)m.echoes);
    many_report_impair(&m);
    if (m.error[0] != '\0')
        log_err("%s", m.error);
    rc =
        m.error[0] == '\0' && m.verified == m.n ? ECHO_EXIT_OK : ECHO_EXIT_FAIL;
    many_free(&m);
    return rc;
}
