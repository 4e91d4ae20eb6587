/*
 * echo_server.c - echo every message back on its stream, with its PPID and
 * its unordered flag, to any number of clients on one UDP port. An
 * sctpu-echo client also learns how we see its address (echo_msg.h).
 */
#include <errno.h>
#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "echo.h"
#include "echo_msg.h"
#include "echo_report.h"
#include "host_port.h"
#include "impair_report.h"
#include "runtime.h"
#include "log.h"
#include "transport.h"
#include "workers.h"

#define SESSION_BUF_START (64 * 1024)
/* Released session buffers kept for reuse: a busy session takes one and
 * gives it back on every pass, and a free()/malloc() of 64k each time
 * costs page faults when glibc trims the heap in between (64k echoes ran
 * up to 15 % slower). A few are enough for one event loop. */
#define SPARE_BUFS 8
#define STOP_GRACE_S 2   /* time for SHUTDOWNs to finish on exit */
#define IDLE_TICK_MS 250 /* how often --idle-timeout is checked */
/*
 * What one session reads per readiness event before it gives the loop
 * back: 1 MiB or 256 reads, whichever comes first (as sctpu-perf's
 * receiver, perf_flow.c). Reading until -EAGAIN is not bounded when the
 * client refills the association as fast as it is echoed, and the other
 * sessions, the stop timer and signals would wait for it.
 */
#define PUMP_BUDGET_BYTES (1024 * 1024)
#define PUMP_BUDGET_READS 256

struct echo_server;

/* One association being served. */
struct echo_session {
    struct echo_server *srv;
    struct transport_conn *conn;
    uint64_t id;
    uint8_t *buf;
    size_t len;
    size_t cap;
    struct transport_msginfo info; /* of the message in buf */
    struct event *more_ev; /* the rest of a budget-cut pump, next turn */
    bool pending;          /* buf holds a whole message to echo */
    bool probed;           /* the address probe came and was met */
    uint8_t answer[ECHO_PROBE_ANSWER_MAX]; /* to send before the echo */
    size_t answer_len;                     /* 0: none to send */
    uint64_t msgs;
    uint64_t bytes;
    uint64_t unechoed; /* arrived after our SHUTDOWN: no way back */
    char peer[80];
    uint64_t start_ns; /* accepted, CLOCK_MONOTONIC: path event times */
    uint64_t last_ns;  /* the last byte in or out (--idle-timeout) */
    struct echo_session *next;
    struct echo_session **pprev;
};

/* One backend's listening transport (--backend all: one per backend). */
struct echo_listener {
    struct echo_server *srv;
    struct transport *t;
};

struct echo_server {
    const struct echo_config *cfg;
    struct runtime rt;
    struct echo_listener listeners[RUNTIME_MAX_BACKENDS]; /* rt.nall */
    struct event *stop_timer;
    struct event *idle_timer; /* --idle-timeout's tick */
    struct echo_session *sessions;
    unsigned int nsessions;     /* --max-associations counts them */
    uint64_t refused;           /* associations refused at the cap */
    uint64_t refused_logged;    /* ... of which a log line told */
    uint64_t refused_log_ns;    /* when the last such line was written */
    uint64_t buffered;          /* bytes of buffers grown past the start */
    uint8_t *spare[SPARE_BUFS]; /* released SESSION_BUF_START buffers */
    unsigned int nspare;
    uint64_t next_id;
    uint64_t served;
    bool stopping;
    int exit_code;
};

static uint64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void server_maybe_exit(struct echo_server *srv)
{
    if (srv->stopping && srv->sessions == NULL)
        event_base_loopexit(srv->rt.base, NULL);
}

static void session_release_buf(struct echo_session *s);

/* End a session: report it, free the association, forget it. */
static void session_end(struct echo_session *s, const char *why, bool abortive)
{
    struct echo_server *srv = s->srv;

    if (why == NULL && s->unechoed > 0)
        printf("[%3llu] %s closed: %llu messages, %llu bytes echoed; not "
               "echoed: %llu that arrived after the server began shutting "
               "down\n",
               (unsigned long long)s->id, s->peer, (unsigned long long)s->msgs,
               (unsigned long long)s->bytes, (unsigned long long)s->unechoed);
    else if (why == NULL)
        printf("[%3llu] %s closed: %llu messages, %llu bytes echoed\n",
               (unsigned long long)s->id, s->peer, (unsigned long long)s->msgs,
               (unsigned long long)s->bytes);
    else
        printf("[%3llu] %s failed after %llu messages: %s\n",
               (unsigned long long)s->id, s->peer, (unsigned long long)s->msgs,
               why);
    fflush(stdout);
    transport_conn_free(s->conn, abortive);
    event_free(s->more_ev);
    *s->pprev = s->next;
    if (s->next != NULL)
        s->next->pprev = s->pprev;
    srv->nsessions--;
    session_release_buf(s);
    free(s);
    if (srv->cfg->once) {
        srv->exit_code = why == NULL ? ECHO_EXIT_OK : ECHO_EXIT_FAIL;
        srv->stopping = true;
    }
    server_maybe_exit(srv);
}

/*
 * Make room for more of a message. A message may be up to ECHO_MSG_MAX
 * (1 MiB) long, and every session past its first 64k draws on one pool
 * of --max-buffered bytes, so that many sessions each sending an
 * unfinished large message cannot take the server's memory. NULL when
 * it may grow, else why not.
 */
static const char *session_grow(struct echo_session *s, char *why, size_t len)
{
    struct echo_server *srv = s->srv;
    size_t cap = s->cap * 2;
    uint8_t *buf;

    if (s->cap >= ECHO_MSG_MAX) {
        snprintf(why, len, "a message is larger than %u bytes",
                 (unsigned)ECHO_MSG_MAX);
        return why;
    }
    if (cap > ECHO_MSG_MAX)
        cap = ECHO_MSG_MAX;
    if (srv->buffered + (cap - s->cap) > srv->cfg->max_buffered) {
        snprintf(why, len,
                 "a message (%zu bytes so far) would take the buffers of "
                 "every association past --max-buffered %llu bytes (%llu in "
                 "use): aborted",
                 s->len, (unsigned long long)srv->cfg->max_buffered,
                 (unsigned long long)srv->buffered);
        return why;
    }
    buf = realloc(s->buf, cap);
    if (buf == NULL) {
        snprintf(why, len, "out of memory for a %zu-byte message", cap);
        return why;
    }
    srv->buffered += cap - s->cap;
    s->buf = buf;
    s->cap = cap;
    return NULL;
}

/* After a large message is echoed, give its buffer back to the pool. */
static void session_shrink(struct echo_session *s)
{
    uint8_t *buf;

    if (s->cap <= SESSION_BUF_START)
        return;
    buf = realloc(s->buf, SESSION_BUF_START);
    if (buf == NULL)
        return; /* keep the larger one, still counted */
    s->srv->buffered -= s->cap - SESSION_BUF_START;
    s->buf = buf;
    s->cap = SESSION_BUF_START;
}

/*
 * The buffer exists only while a message is being read or echoed: made
 * on the first byte, freed once everything that arrived is echoed. An
 * idle association then costs no buffer at all (thousands of them would
 * otherwise each keep 64k, part of it resident).
 */
static int session_take_buf(struct echo_session *s)
{
    struct echo_server *srv = s->srv;

    if (s->buf != NULL)
        return 0;
    s->buf =
        srv->nspare > 0 ? srv->spare[--srv->nspare] : malloc(SESSION_BUF_START);
    if (s->buf == NULL)
        return -ENOMEM;
    s->cap = SESSION_BUF_START;
    return 0;
}

/* Give the buffer back (to the spares when it has the starting size). */
static void session_release_buf(struct echo_session *s)
{
    struct echo_server *srv = s->srv;

    if (s->buf == NULL)
        return;
    if (s->cap > SESSION_BUF_START)
        srv->buffered -= s->cap - SESSION_BUF_START;
    if (s->cap == SESSION_BUF_START && srv->nspare < SPARE_BUFS)
        srv->spare[srv->nspare++] = s->buf;
    else
        free(s->buf);
    s->buf = NULL;
    s->cap = 0;
}

/* Everything that arrived is echoed: the session needs no buffer. */
static void session_drop_buf(struct echo_session *s)
{
    if (s->len == 0 && !s->pending)
        session_release_buf(s);
}

/*
 * The message in buf carries the address probe (see echo_msg.h): prepare
 * the answer, the client's UDP endpoint as seen here now (after any NAT
 * rebinding), to go out just before the echo. Only the first probe on an
 * association is answered.
 */
static void session_answer_probe(struct echo_session *s)
{
    struct transport_assoc_info info;
    char seen[NETADDR_STRLEN];

    s->probed = true;
    if (transport_get_info(s->conn, &info) < 0)
        return; /* no answer: the client takes the echo as no report */
    transport_peer_name(&info, seen, sizeof(seen));
    s->answer_len = echo_probe_answer(s->answer, sizeof(s->answer), seen);
    if (s->answer_len > 0)
        log_info("[%3llu] telling the client it is seen as %s",
                 (unsigned long long)s->id, seen);
}

/*
 * Send buf with the flags of the message being echoed. Returns 0 (sent),
 * 1 (dropped: the server is shutting down), -EAGAIN, or another negative
 * errno after ending (and freeing) the session.
 */
static int session_send(struct echo_session *s, const uint8_t *buf, size_t len)
{
    char why[128];
    ssize_t n = transport_send(s->conn, buf, len, &s->info);

    if (n == -EAGAIN)
        return -EAGAIN;
    if (n >= 0)
        s->last_ns = mono_ns();
    if (n < 0 && s->srv->stopping) {
        /* Our own SHUTDOWN closed the way back (usrsctp says ECONNRESET,
         * Linux EPIPE) to a message the client sent before it saw it.
         * Aborting now would turn the client's clean end into a reset:
         * drop the message, count it, and let the shutdown finish. */
        s->unechoed++;
        return 1;
    }
    if (n == -EPIPE) {
        session_end(s, "the peer shut down before its message could be echoed",
                    true);
        return -EPIPE;
    }
    if (n < 0) {
        snprintf(why, sizeof(why), "send: %s", strerror((int)-n));
        session_end(s, why, true);
        return (int)n;
    }
    return 0;
}

/*
 * Echo what can be echoed now. A message is read whole, then sent back;
 * while a send waits for room, reading stops, so a fast client is slowed
 * by its own receive window instead of filling our memory.
 */
static void session_pump(struct echo_session *s)
{
    /* A zero timeout, not event_active(): libevent runs events made
     * active during a pass in that same pass, ahead of everyone else. */
    static const struct timeval next_turn = { 0, 0 };
    char why[256];
    size_t bytes = 0;
    int reads;

    for (reads = 0;; reads++) {
        struct transport_msginfo part;
        size_t want;
        ssize_t n;

        /* The probe's answer, not counted, then the echo itself. */
        if (s->answer_len > 0) {
            if (session_send(s, s->answer, s->answer_len) < 0)
                return;
            s->answer_len = 0;
        }
        if (s->pending) {
            int sent = session_send(s, s->buf, s->len);

            if (sent < 0)
                return;
            if (sent == 0) {
                s->msgs++;
                s->bytes += s->len;
            }
            s->pending = false;
            s->len = 0;
            session_shrink(s);
        }
        if (session_take_buf(s) < 0) {
            session_end(s, "out of memory for a message", true);
            return;
        }
        if (s->len == s->cap && session_grow(s, why, sizeof(why)) != NULL) {
            session_end(s, why, true); /* its line says why */
            return;
        }
        /* The backend need not say READABLE again for data already
         * queued (usrsctp's upcall comes when more arrives): come back. */
        if (reads >= PUMP_BUDGET_READS || bytes >= PUMP_BUDGET_BYTES) {
            evtimer_add(s->more_ev, &next_turn);
            return;
        }
        want = s->cap - s->len;
        if (want > s->srv->cfg->bufsize)
            want = s->srv->cfg->bufsize;
        memset(&part, 0, sizeof(part));
        n = transport_recv(s->conn, s->buf + s->len, want, &part);
        if (n == -EAGAIN) {
            session_drop_buf(s);
            return;
        }
        if (n == 0) {
            session_end(s, NULL, false);
            return;
        }
        if (n < 0) {
            session_end(s, strerror((int)-n), true);
            return;
        }
        if (s->len == 0)
            s->info = part;
        s->last_ns = mono_ns();
        s->len += (size_t)n;
        bytes += (size_t)n;
        s->pending = part.eor;
        /* --reply-ppid: answer as a server that does not echo PPIDs (a
         * kernel recv/send loop) does: no address report either */
        if (s->pending && s->srv->cfg->reply_ppid_set)
            s->info.ppid = s->srv->cfg->reply_ppid;
        else if (s->pending && s->info.ppid == ECHO_PROBE_PPID && !s->probed)
            session_answer_probe(s);
    }
}

/* A "[path]" line for each path event the backend queued. */
static void session_paths(struct echo_session *s)
{
    struct transport_path_event ev[8];
    char what[48];
    uint64_t dropped = 0;
    size_t n;
    size_t i;

    snprintf(what, sizeof(what), "association %llu", (unsigned long long)s->id);
    do {
        n = transport_path_events(s->conn, ev, 8, &dropped);
        if (dropped > 0)
            printf("[path] %llu path events lost (queue full) (%s)\n",
                   (unsigned long long)dropped, what);
        for (i = 0; i < n; i++) {
            struct echo_path_event p;

            p.ev = ev[i];
            p.time_s = ev[i].when_ns > s->start_ns
                           ? (double)(ev[i].when_ns - s->start_ns) / 1e9
                           : 0;
            echo_report_path_line(stdout, &p, what);
        }
    } while (n == 8);
    fflush(stdout);
}

static void session_more_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    session_pump(arg);
}

static void session_event_cb(struct transport_conn *conn, int events, void *arg)
{
    (void)conn;
    if (events & TRANSPORT_EV_PATH)
        session_paths(arg);
    if (events &
        (TRANSPORT_EV_READABLE | TRANSPORT_EV_WRITABLE | TRANSPORT_EV_ERROR))
        session_pump(arg);
}

/*
 * Past --max-associations: abort the new association (sctpu-echo has no
 * channel to say why; the client sees an ABORT at once) and log it, a
 * line a second at most under a flood, with the count.
 */
static void refuse_association(struct echo_server *srv,
                               struct transport_conn *conn)
{
    struct transport_assoc_info info;
    char name[NETADDR_STRLEN];
    uint64_t now = mono_ns();

    srv->refused++;
    if (srv->refused_log_ns == 0 || now - srv->refused_log_ns >= 1000000000u) {
        uint64_t more = srv->refused - srv->refused_logged - 1;

        if (transport_get_info(conn, &info) < 0)
            memset(&info, 0, sizeof(info));
        log_warn("refused an association from %s sctp/%u: %u open, the "
                 "limit (--max-associations); %llu refused in all%s",
                 transport_peer_name(&info, name, sizeof(name)),
                 (unsigned)info.peer_sctp_port, srv->nsessions,
                 (unsigned long long)srv->refused,
                 more > 0 ? " (more since the last such line)" : "");
        srv->refused_logged = srv->refused;
        srv->refused_log_ns = now;
    }
    transport_conn_free(conn, true);
}

/* --idle-timeout: close (gracefully) sessions silent for that long. */
static void idle_timer_cb(evutil_socket_t fd, short what, void *arg)
{
    struct echo_server *srv = arg;
    uint64_t limit = (uint64_t)(srv->cfg->idle_timeout_s * 1e9);
    uint64_t now = mono_ns();
    struct echo_session *s = srv->sessions;
    char why[96];

    (void)fd;
    (void)what;
    while (s != NULL) {
        struct echo_session *next = s->next;

        if (now - s->last_ns > limit) {
            snprintf(why, sizeof(why),
                     "nothing for %.3g s (--idle-timeout): closed",
                     srv->cfg->idle_timeout_s);
            session_end(s, why, false); /* its line says why */
        }
        s = next;
    }
}

static void on_accept(struct transport_conn *conn, void *arg)
{
    const struct echo_listener *l = arg;
    struct echo_server *srv = l->srv;
    struct transport_assoc_info info;
    char name[NETADDR_STRLEN];
    struct sockaddr_storage paddrs[TRANSPORT_MAX_ADDRS];
    size_t np;
    struct echo_session *s = NULL;

    if (!srv->stopping && srv->nsessions >= srv->cfg->max_assocs) {
        refuse_association(srv, conn);
        return;
    }
    s = calloc(1, sizeof(*s));

    if (s != NULL)
        s->more_ev = evtimer_new(srv->rt.base, session_more_cb, s);
    if (s == NULL || s->more_ev == NULL || srv->stopping) {
        if (!srv->stopping)
            log_err("accept: out of memory; aborting the association");
        if (s != NULL && s->more_ev != NULL)
            event_free(s->more_ev);
        free(s);
        transport_conn_free(conn, true);
        return;
    }
    s->srv = srv;
    s->conn = conn;
    s->start_ns = s->last_ns = mono_ns();
    s->id = ++srv->next_id;
    srv->nsessions++;
    s->next = srv->sessions;
    if (s->next != NULL)
        s->next->pprev = &s->next;
    s->pprev = &srv->sessions;
    srv->sessions = s;
    srv->served++;
    transport_conn_set_cb(conn, session_event_cb, s);

    if (transport_get_info(conn, &info) < 0)
        memset(&info, 0, sizeof(info));
    snprintf(s->peer, sizeof(s->peer), "%s sctp/%u",
             transport_peer_name(&info, name, sizeof(name)),
             (unsigned)info.peer_sctp_port);
    printf("[%3llu] association from %s: streams in %u out %u, "
           "path MTU %u%s%s\n",
           (unsigned long long)s->id, s->peer, (unsigned)info.in_streams,
           (unsigned)info.out_streams, (unsigned)info.pathmtu,
           srv->rt.nall > 1 ? ", backend " : "",
           srv->rt.nall > 1 ? l->t->ops->name : "");
    np = transport_peer_addrs(conn, paddrs, TRANSPORT_MAX_ADDRS);
    if (np > 0)
        printf("[%3llu] ", (unsigned long long)s->id);
    echo_report_peer_addrs(stdout, paddrs, np);
    fflush(stdout);
}

static void stop_timer_cb(evutil_socket_t fd, short what, void *arg)
{
    struct echo_server *srv = arg;

    (void)fd;
    (void)what;
    while (srv->sessions != NULL)
        session_end(srv->sessions, "shutdown did not complete in time; aborted",
                    true);
    event_base_loopexit(srv->rt.base, NULL);
}

/* SIGINT/SIGTERM: shut every association down gracefully, then exit. */
static void server_stop(void *arg)
{
    struct echo_server *srv = arg;
    struct timeval grace = { STOP_GRACE_S, 0 };
    struct echo_session *s;

    if (srv->stopping) {
        stop_timer_cb(-1, 0, srv);
        return;
    }
    srv->stopping = true;
    log_info("stopping: shutting down %s associations",
             srv->sessions ? "open" : "no");
    for (s = srv->sessions; s != NULL; s = s->next)
        transport_shutdown(s->conn);
    evtimer_add(srv->stop_timer, &grace);
    server_maybe_exit(srv);
}

/* --impair's lines in the summary, each with the worker's prefix. */
static void impair_lines(const struct transport_counters *c)
{
    char lines[IMPAIR_REPORT_LINES][IMPAIR_REPORT_LINE_MAX];
    size_t n = impair_report_lines(c, lines);
    size_t i;

    for (i = 0; i < n; i++)
        printf("%s%s\n", workers_prefix(), lines[i]);
}

static void print_transport_counters(const struct echo_server *srv,
                                     const struct transport *t)
{
    struct transport_counters c;
    uint64_t dropped;
    bool alone = srv->rt.nall == 1;

    transport_get_counters(t, &c);
    if (c.no_datagram_counts) {
        /* kernel SCTP: no per-socket counts, so no zeros made up here */
        if (alone)
            printf("%sserved %llu associations (backend %s counts no "
                   "datagrams)\n",
                   workers_prefix(), (unsigned long long)srv->served,
                   t->ops->name);
        return;
    }
    printf("%s", workers_prefix());
    if (!alone)
        printf("%s: ", t->ops->name);
    dropped = c.rx_short + c.rx_bad_crc + c.rx_unknown_peer + c.rx_malformed;
    if (alone)
        printf("served %llu associations; ", (unsigned long long)srv->served);
    printf("%llu datagrams in, %llu dropped "
           "(%llu short, %llu bad CRC32c, %llu unknown peer, %llu malformed)\n",
           (unsigned long long)c.rx_datagrams, (unsigned long long)dropped,
           (unsigned long long)c.rx_short, (unsigned long long)c.rx_bad_crc,
           (unsigned long long)c.rx_unknown_peer,
           (unsigned long long)c.rx_malformed);
    if (c.rx_rebinds > 0)
        printf("%sfollowed %llu NAT rebindings (a peer on a new UDP port)\n",
               workers_prefix(), (unsigned long long)c.rx_rebinds);
    if (c.peers_cap == 0)
        return; /* no peer table (kernel SCTP) */
    printf("%speer table: %llu now (%llu with associations), peak %llu, cap "
           "%llu, %llu evicted\n",
           workers_prefix(), (unsigned long long)c.peers,
           (unsigned long long)c.peers_with_assoc,
           (unsigned long long)c.peers_peak, (unsigned long long)c.peers_cap,
           (unsigned long long)c.peers_evicted);
    printf("%singress: %llu INITs answered statelessly, %llu COOKIE-ECHOs "
           "refused (table full), %llu path probes, %llu associations moved "
           "alone\n",
           workers_prefix(), (unsigned long long)c.rx_stateless_init,
           (unsigned long long)c.rx_table_full,
           (unsigned long long)c.tx_path_probes,
           (unsigned long long)c.assoc_moves);
    impair_lines(&c);
    printf("%susrsctp dropped: %llu out of the blue, %llu bad vtag\n",
           workers_prefix(), (unsigned long long)c.rx_sctp_ootb,
           (unsigned long long)c.rx_sctp_bad_vtag);
}

/* What the server did, and each backend's datagram counts (one line
 * each under --backend all). */
static void print_counters(const struct echo_server *srv)
{
    size_t i;

    if (srv->rt.nall > 1)
        printf("%sserved %llu associations\n", workers_prefix(),
               (unsigned long long)srv->served);
    for (i = 0; i < srv->rt.nall; i++)
        print_transport_counters(srv, srv->rt.all[i]);
}

/* Listen on every transport of the runtime: one per backend served. */
static int server_listen(struct echo_server *srv, char *err, size_t errlen)
{
    size_t i;

    for (i = 0; i < srv->rt.nall; i++) {
        struct echo_listener *l = &srv->listeners[i];

        l->srv = srv;
        l->t = srv->rt.all[i];
        if (transport_listen(l->t, srv->cfg->port, on_accept, l, err, errlen) <
            0)
            return -1;
    }
    return 0;
}

/* Which backend listens where: a line each. A backend with its own UDP
 * socket (usrsctp) always encapsulates; the kernel only with --encap, and
 * otherwise runs SCTP directly over IP. */
static void server_banner(const struct echo_server *srv)
{
    char local[NETADDR_STRLEN];
    char stack[96];
    size_t i;

    for (i = 0; i < srv->rt.nall; i++) {
        const struct transport_ops *ops = srv->rt.all[i]->ops;
        bool udp = ops->caps->own_udp_socket || srv->cfg->sock.encap;

        transport_local_name(srv->rt.all[i], local, sizeof(local));
        transport_describe_stack(ops, stack, sizeof(stack));
        printf("sctpu-echo server: SCTP port %u over %s %s (backend %s: %s)%s%s"
               "\n",
               (unsigned)srv->cfg->port, udp ? "UDP" : "IP", local, ops->name,
               stack, workers_count() > 1 ? ", " : "", workers_label());
    }
    fflush(stdout);
}

int echo_server_run(const struct echo_config *cfg)
{
    struct echo_server srv;
    struct transport_config tc;
    struct host_list binds;
    char err[256];
    int rc;

    memset(&srv, 0, sizeof(srv));
    memset(&binds, 0, sizeof(binds));
    srv.cfg = cfg;
    srv.exit_code = ECHO_EXIT_OK;
    /* -ip/-B a,b: the addresses to serve on (the CLI checked the list) */
    if (cfg->host[0] != '\0' && host_list_parse(cfg->host, &binds) < 0)
        return ECHO_EXIT_USAGE;
    echo_transport_config(cfg, NULL, cfg->family, cfg->udp_port,
                          cfg->sock.out_streams, &tc);
    tc.workers = (uint16_t)workers_count();
    if (transport_config_set_bind(&tc, binds.host, binds.count, err,
                                  sizeof(err)) < 0) {
        log_err("%s", err);
        return ECHO_EXIT_USAGE;
    }
    rc = runtime_open(&srv.rt, cfg->backend, &tc, server_stop, &srv);
    if (rc != ECHO_EXIT_OK)
        return rc;
    srv.stop_timer = evtimer_new(srv.rt.base, stop_timer_cb, &srv);
    if (srv.stop_timer == NULL || server_listen(&srv, err, sizeof(err)) < 0) {
        log_err("%s", srv.stop_timer ? err : "out of memory");
        if (srv.stop_timer != NULL)
            event_free(srv.stop_timer);
        runtime_close(&srv.rt);
        return ECHO_EXIT_USAGE;
    }
    if (cfg->idle_timeout_s > 0) {
        struct timeval tick = { 0, IDLE_TICK_MS * 1000 };

        srv.idle_timer =
            event_new(srv.rt.base, -1, EV_PERSIST, idle_timer_cb, &srv);
        if (srv.idle_timer != NULL)
            event_add(srv.idle_timer, &tick);
        else
            log_warn("out of memory: --idle-timeout is not enforced");
    }
    server_banner(&srv);

    event_base_dispatch(srv.rt.base);

    print_counters(&srv);
    if (srv.refused > 0)
        printf("%srefused %llu associations (--max-associations %u)\n",
               workers_prefix(), (unsigned long long)srv.refused,
               (unsigned)cfg->max_assocs);
    if (srv.idle_timer != NULL)
        event_free(srv.idle_timer);
    while (srv.nspare > 0)
        free(srv.spare[--srv.nspare]);
    event_free(srv.stop_timer);
    runtime_close(&srv.rt);
    return srv.exit_code;
}
