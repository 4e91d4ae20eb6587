/*
 * transport_kernel.c - SCTP in the Linux kernel, one-to-one style.
 *
 * Non-blocking SOCK_STREAM/IPPROTO_SCTP sockets, watched as fd events on
 * the one event_base, under the same workloads as the usrsctp backend.
 * The kernel runs SCTP itself: timers, retransmissions and graceful
 * close after free() happen there, so this file only maps socket states
 * and notifications to TRANSPORT_EV_* and errno values.
 *
 * With cfg->encap the kernel carries SCTP over UDP (RFC 6951, Linux >=
 * 5.11): from net.sctp.udp_port, toward the peer's UDP port; that is what
 * lets it talk to the usrsctp backend. Without it, SCTP runs over IP.
 *
 * Options and queries are in transport_kernel_sock.c, pure helpers in
 * transport_kernel_util.c.
 */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "netaddr.h"
#include "sctp_plan.h"
#include "transport.h"
#include "transport_kernel_sock.h"
#include "transport_notify.h"
#include "transport_kernel_util.h"

#define NOTE_MAX 512 /* the part of a notification we look at */
/* Bytes kt_recv hands out per wake-up of rd_ev; see kt_recv. */
#define RECV_BUDGET (1024 * 1024)

struct kernel_transport {
    struct transport head; /* first: handed out to workloads */
    struct event_base *base;
    struct transport_config cfg;
    struct sockaddr_storage local; /* cfg's bind address, port 0 */
    socklen_t locallen;
    /* cfg's bind_more, resolved: sctp_bindx()ed after the bind */
    struct sockaddr_storage more[TRANSPORT_MAX_ADDRS - 1];
    size_t nmore;
    uint16_t encap_port; /* net.sctp.udp_port in use; 0 = no UDP */
    int listen_fd;
    struct event *listen_ev;
    transport_accept_cb on_accept;
    void *accept_arg;
    uint16_t listen_port;
    struct kernel_conn *conns; /* every live connection */
};

enum conn_state {
    CONN_CONNECTING,
    CONN_ESTABLISHED,
    CONN_FAILED,
};

struct kernel_conn {
    struct transport_conn base; /* first: handed out to workloads */
    struct kernel_transport *t;
    int fd;
    struct event *rd_ev;    /* persistent: data, notifications, EOF */
    struct event *wr_ev;    /* armed after a send said -EAGAIN */
    struct event *defer_ev; /* no fd: state news for the loop to tell */
    enum conn_state state;
    bool failure_told; /* TRANSPORT_EV_ERROR was delivered */
    bool peer_shut;    /* SHUTDOWN received, or our own shutdown
                          complete: recv says 0 once drained */
    bool in_note;      /* reading a notification in parts */
    size_t note_len;
    size_t rx_turn; /* bytes kt_recv gave since rd_ev last fired */
    struct sockaddr_storage peer; /* IP address, unmapped */
    socklen_t peerlen;
    uint16_t peer_port;
    uint16_t local_port;
    uint16_t peer_udp_port; /* with UDP encapsulation */
    uint64_t ipackets;      /* the peer's packets, when get_info last saw */
    uint64_t heard_ns;      /* when that count last grew */
    /* path events not yet read: a ring, oldest at path_head */
    struct transport_path_event path_q[TRANSPORT_PATH_QUEUE];
    size_t path_head;
    size_t path_len;
    uint64_t path_dropped; /* overwritten while the queue was full */
    bool path_untold;      /* queued since TRANSPORT_EV_PATH was told */
    struct kernel_conn *next;
    struct kernel_conn **pprev;
    uint8_t note[NOTE_MAX];
    char detail[TRANSPORT_NOTIFY_DETAIL_LEN]; /* base.detail, when set */
};

static uint64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void set_err(char *err, size_t errlen, const char *what, int errnum)
{
    snprintf(err, errlen, "%s: %s", what, strerror(errnum));
}

/* A failure the workload learns of from the loop (never from inside the
 * transport_* call that found it). */
static void conn_fail(struct kernel_conn *c, int why)
{
    if (c->state == CONN_FAILED)
        return;
    c->state = CONN_FAILED;
    c->base.last_errno = why;
    event_active(c->defer_ev, EV_TIMEOUT, 0);
}

static void fail_conn(struct transport_conn *tc, int errnum)
{
    conn_fail((struct kernel_conn *)tc, errnum);
}

/* c as transport_notify sees it: named by its peer's IP address. */
static void notify_conn(struct kernel_conn *c, struct transport_notify_conn *nc)
{
    nc->conn = &c->base;
    nc->detail = c->detail;
    nc->detail_len = sizeof(c->detail);
    netaddr_format_host((struct sockaddr *)&c->peer, nc->peer,
                        sizeof(nc->peer));
    nc->peer_port = c->peer_port;
    nc->fail = fail_conn;
}

/* What a failed set-up means, in the words a user needs. */
static void explain_connect_failure(struct kernel_conn *c)
{
    struct transport_notify_conn nc;

    notify_conn(c, &nc);
    transport_notify_connect_failure(&nc);
}

/* Linux's constants in the order of transport_notify.h's enums */
static const int assoc_states[] = {
    [TRANSPORT_NOTIFY_COMM_UP] = SCTP_COMM_UP,
    [TRANSPORT_NOTIFY_COMM_LOST] = SCTP_COMM_LOST,
    [TRANSPORT_NOTIFY_RESTART] = SCTP_RESTART,
    [TRANSPORT_NOTIFY_SHUTDOWN_COMP] = SCTP_SHUTDOWN_COMP,
    [TRANSPORT_NOTIFY_CANT_STR_ASSOC] = SCTP_CANT_STR_ASSOC,
    [TRANSPORT_NOTIFY_SHUTDOWN_EVENT] = -1,
    [TRANSPORT_NOTIFY_SEND_FAILED] = -1,
    [TRANSPORT_NOTIFY_REMOTE_ERROR] = -1,
};
static const int notes[] = {
    [TRANSPORT_NOTIFY_COMM_UP] = -1,
    [TRANSPORT_NOTIFY_COMM_LOST] = -1,
    [TRANSPORT_NOTIFY_RESTART] = -1,
    [TRANSPORT_NOTIFY_SHUTDOWN_COMP] = -1,
    [TRANSPORT_NOTIFY_CANT_STR_ASSOC] = -1,
    [TRANSPORT_NOTIFY_SHUTDOWN_EVENT] = SCTP_SHUTDOWN_EVENT,
    [TRANSPORT_NOTIFY_SEND_FAILED] = SCTP_SEND_FAILED_EVENT,
    [TRANSPORT_NOTIFY_REMOTE_ERROR] = SCTP_REMOTE_ERROR,
};
static const int path_states[] = {
    [TRANSPORT_PATH_AVAILABLE] = SCTP_ADDR_AVAILABLE,
    [TRANSPORT_PATH_UNREACHABLE] = SCTP_ADDR_UNREACHABLE,
    [TRANSPORT_PATH_REMOVED] = SCTP_ADDR_REMOVED,
    [TRANSPORT_PATH_ADDED] = SCTP_ADDR_ADDED,
    [TRANSPORT_PATH_MADE_PRIMARY] = SCTP_ADDR_MADE_PRIM,
    [TRANSPORT_PATH_CONFIRMED] = SCTP_ADDR_CONFIRMED,
    [TRANSPORT_PATH_POTENTIALLY_FAILED] = SCTP_ADDR_PF,
};

/* Queue a path event for the workload (the oldest goes when full) and
 * have the loop tell it: a notification read inside recv has no event
 * of its own. */
static void note_paddr_change(struct kernel_conn *c,
                              const struct transport_notify_conn *nc,
                              const struct sctp_paddr_change *spc)
{
    struct transport_path_event *ev;
    struct sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    char host[NETADDR_STRLEN];
    int st = transport_notify_lookup(
        path_states, TRANSPORT_NOTIFY_LEN(path_states), spc->spc_state);

    if (c->path_len == TRANSPORT_PATH_QUEUE) {
        c->path_head = (c->path_head + 1) % TRANSPORT_PATH_QUEUE;
        c->path_len--;
        c->path_dropped++;
    }
    ev = &c->path_q[(c->path_head + c->path_len) % TRANSPORT_PATH_QUEUE];
    c->path_len++;
    /* copied out: the kernel's struct is packed */
    memcpy(&addr, &spc->spc_aaddr, sizeof(addr));
    netaddr_unmap(&addr, &len);
    memset(ev, 0, sizeof(*ev));
    ev->addr = addr;
    ev->state = st < 0 ? TRANSPORT_PATH_UNKNOWN : (enum transport_path_state)st;
    ev->error = spc->spc_error;
    ev->when_ns = mono_ns();
    c->path_untold = true;
    event_active(c->defer_ev, EV_TIMEOUT, 0);
    transport_notify_path(
        nc, netaddr_format_host((struct sockaddr *)&addr, host, sizeof(host)),
        ev->state, ev->error);
}

/* Act on a whole notification; they never reach the workload. */
static void handle_notification(struct kernel_conn *c)
{
    const union sctp_notification *n = (const void *)c->note;
    struct transport_notify_info info = { 0 };
    struct transport_notify_conn nc;
    int ev = -1;

    if (c->note_len < sizeof(n->sn_header))
        return;
    notify_conn(c, &nc);
    if (n->sn_header.sn_type == SCTP_PEER_ADDR_CHANGE) {
        if (c->note_len >= sizeof(n->sn_paddr_change))
            note_paddr_change(c, &nc, &n->sn_paddr_change);
        return;
    }
    if (n->sn_header.sn_type != SCTP_ASSOC_CHANGE) {
        ev = transport_notify_lookup(notes, TRANSPORT_NOTIFY_LEN(notes),
                                     n->sn_header.sn_type);
    } else if (c->note_len >= sizeof(n->sn_assoc_change)) {
        const struct sctp_assoc_change *sac = &n->sn_assoc_change;

        ev = transport_notify_lookup(
            assoc_states, TRANSPORT_NOTIFY_LEN(assoc_states), sac->sac_state);
        /* An ABORT chunk from the peer follows the fixed part. */
        info.from_peer = sac->sac_length > sizeof(*sac);
        info.out_streams = sac->sac_outbound_streams;
        info.in_streams = sac->sac_inbound_streams;
    }
    if (ev == TRANSPORT_NOTIFY_COMM_UP && c->state == CONN_CONNECTING)
        c->state = CONN_ESTABLISHED;
    /* SHUTDOWN_COMP: the end of a shutdown we started. The kernel sets
     * no RCV_SHUTDOWN for that side: recv would say EAGAIN forever, and
     * the workload would wait out its grace time. */
    if (ev == TRANSPORT_NOTIFY_SHUTDOWN_EVENT ||
        ev == TRANSPORT_NOTIFY_SHUTDOWN_COMP)
        c->peer_shut = true;
    if (ev >= 0)
        transport_notify_event(&nc, (enum transport_notify_event)ev, &info);
}

/* A piece of a notification read into buf: keep its head, act at its
 * end. */
static void take_notification(struct kernel_conn *c, const void *buf, size_t n,
                              bool eor)
{
    if (!c->in_note) {
        c->note_len = n < sizeof(c->note) ? n : sizeof(c->note);
        memcpy(c->note, buf, c->note_len);
    }
    c->in_note = !eor;
    if (eor)
        handle_notification(c);
}

/* One recvmsg: data with its SCTP_RCVINFO into buf, or -errno. */
static ssize_t read_msg(struct kernel_conn *c, void *buf, size_t len, int flags,
                        int *msg_flags, struct sctp_rcvinfo *rcv)
{
    union {
        char buf[CMSG_SPACE(sizeof(struct sctp_rcvinfo))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = { buf, len };
    struct msghdr msg;
    struct cmsghdr *cm;
    ssize_t n;

    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl.buf;
    msg.msg_controllen = sizeof(ctl.buf);
    n = recvmsg(c->fd, &msg, flags | MSG_DONTWAIT);
    if (n < 0)
        return -errno;
    *msg_flags = msg.msg_flags;
    for (cm = CMSG_FIRSTHDR(&msg); rcv != NULL && cm != NULL;
         cm = CMSG_NXTHDR(&msg, cm))
        if (cm->cmsg_level == IPPROTO_SCTP && cm->cmsg_type == SCTP_RCVINFO &&
            cm->cmsg_len >= CMSG_LEN(sizeof(*rcv)))
            memcpy(rcv, CMSG_DATA(cm), sizeof(*rcv));
    return n;
}

/*
 * Read the notifications at the head of the queue, so that readiness
 * told to the workload means data or the end. Returns 1 when data waits,
 * 0 at the end (EOF), -EAGAIN when nothing is queued, or -errno.
 */
static int drain_notifications(struct kernel_conn *c)
{
    for (;;) {
        uint8_t peek[sizeof(union sctp_notification)];
        int flags = 0;
        ssize_t n;

        if (!c->in_note) {
            n = read_msg(c, peek, sizeof(peek), MSG_PEEK, &flags, NULL);
            if (n == -EAGAIN && c->peer_shut)
                return 0; /* all read, and nothing more will come */
            if (n <= 0)
                return n == 0 ? 0 : (int)n;
            if (!(flags & MSG_NOTIFICATION))
                return 1;
        }
        n = read_msg(c, peek, sizeof(peek), 0, &flags, NULL);
        if (n < 0)
            return (int)n;
        take_notification(c, peek, (size_t)n, (flags & MSG_EOR) != 0);
    }
}

/* Did a connecting socket come up, or fail? */
static void check_connecting(struct kernel_conn *c, int drained)
{
    int e = 0;
    socklen_t len = sizeof(e);

    if (c->state != CONN_CONNECTING)
        return;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &len) == 0 && e != 0) {
        conn_fail(c, e);
        explain_connect_failure(c);
    } else if (drained == 1) {
        c->state = CONN_ESTABLISHED; /* data can only follow COMM_UP */
    } else if (drained == 0 || (drained < 0 && drained != -EAGAIN)) {
        conn_fail(c, drained == 0 ? ECONNREFUSED : -drained);
        explain_connect_failure(c);
    }
}

/* Learn the ports an association ended up with. */
static void note_established(struct kernel_conn *c)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    if (getsockname(c->fd, (struct sockaddr *)&ss, &len) == 0)
        c->local_port = netaddr_port((struct sockaddr *)&ss);
    c->heard_ns = mono_ns();
}

/*
 * The loop's side of every change: work out what to tell the workload,
 * once. The callback comes last, since it may free the connection.
 */
static void conn_tell(struct kernel_conn *c, bool readable)
{
    bool was_connecting = c->state == CONN_CONNECTING;
    int drained = -EAGAIN;
    int out = 0;

    if (readable && c->state != CONN_FAILED)
        drained = drain_notifications(c);
    check_connecting(c, drained);
    if (was_connecting && c->state == CONN_ESTABLISHED) {
        note_established(c);
        out |= TRANSPORT_EV_CONNECTED;
    }
    if (c->state == CONN_FAILED) {
        if (!c->failure_told)
            out |= TRANSPORT_EV_ERROR | TRANSPORT_EV_READABLE;
        c->failure_told = true;
        event_del(c->rd_ev);
        event_del(c->wr_ev);
    } else if (c->state == CONN_ESTABLISHED && drained >= 0) {
        out |= TRANSPORT_EV_READABLE;
        if (drained == 0)
            event_del(c->rd_ev); /* the end: told once, not forever */
    } else if (c->state == CONN_ESTABLISHED && drained != -EAGAIN) {
        conn_fail(c, -drained);
        return; /* told from defer_ev */
    }
    if (c->path_untold && c->state != CONN_CONNECTING) {
        out |= TRANSPORT_EV_PATH;
        c->path_untold = false;
    }
    if (out != 0 && c->base.cb != NULL)
        c->base.cb(&c->base, out, c->base.cb_arg);
}

static void conn_read_cb(evutil_socket_t fd, short what, void *arg)
{
    struct kernel_conn *c = arg;

    (void)fd;
    (void)what;
    c->rx_turn = 0;
    conn_tell(c, true);
}

static void conn_defer_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    conn_tell(arg, false);
}

static void conn_write_cb(evutil_socket_t fd, short what, void *arg)
{
    struct kernel_conn *c = arg;

    (void)fd;
    (void)what;
    if (c->state == CONN_ESTABLISHED && c->base.cb != NULL)
        c->base.cb(&c->base, TRANSPORT_EV_WRITABLE, c->base.cb_arg);
}

static struct kernel_conn *conn_new(struct kernel_transport *t, int fd,
                                    enum conn_state state)
{
    struct kernel_conn *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return NULL;
    c->fd = fd;
    c->t = t;
    c->state = state;
    c->base.ops = &transport_kernel_ops;
    c->rd_ev = event_new(t->base, fd, EV_READ | EV_PERSIST, conn_read_cb, c);
    c->wr_ev = event_new(t->base, fd, EV_WRITE, conn_write_cb, c);
    c->defer_ev = event_new(t->base, -1, 0, conn_defer_cb, c);
    if (c->rd_ev == NULL || c->wr_ev == NULL || c->defer_ev == NULL ||
        event_add(c->rd_ev, NULL) < 0) {
        if (c->rd_ev != NULL)
            event_free(c->rd_ev);
        if (c->wr_ev != NULL)
            event_free(c->wr_ev);
        if (c->defer_ev != NULL)
            event_free(c->defer_ev);
        free(c);
        return NULL;
    }
    c->next = t->conns;
    if (c->next != NULL)
        c->next->pprev = &c->next;
    c->pprev = &t->conns;
    t->conns = c;
    return c;
}

static void conn_set_peer(struct kernel_conn *c, const struct sockaddr *sa,
                          socklen_t len)
{
    if (len > sizeof(c->peer))
        len = sizeof(c->peer);
    memcpy(&c->peer, sa, len);
    c->peerlen = len;
    c->peer_port = netaddr_port(sa);
    netaddr_unmap(&c->peer, &c->peerlen);
}

/* A socket of the kernel's SCTP, or -errno with err written (the
 * message every user of a kernel without SCTP gets). */
static int sctp_socket(int family, char *err, size_t errlen)
{
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    IPPROTO_SCTP);
    int e;

    if (fd >= 0)
        return fd;
    e = errno;
    if (transport_kernel_no_sctp(e))
        snprintf(err, errlen, "%s", TRANSPORT_KERNEL_NO_SCTP);
    else
        set_err(err, errlen, "socket(SCTP)", e);
    return -e;
}

/* A kernel SCTP socket opens (and is closed at once). */
static int kt_probe(char *why, size_t whylen)
{
    int fd = sctp_socket(AF_INET, why, whylen);

    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

static int kt_open(struct event_base *base, const struct transport_config *cfg,
                   struct transport **out, char *err, size_t errlen)
{
    struct kernel_transport *t;
    int fd;

    t = calloc(1, sizeof(*t));
    if (t == NULL) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    t->base = base;
    t->cfg = *cfg;
    t->listen_fd = -1;
    if (netaddr_resolve(cfg->bind_host, 0, cfg->family, true, &t->local,
                        &t->locallen, err, errlen) < 0) {
        free(t);
        return -EINVAL;
    }
    if (cfg->nbind_more > TRANSPORT_MAX_ADDRS - 1 ||
        (cfg->nbind_more > 0 && cfg->bind_host == NULL)) {
        snprintf(err, errlen,
                 "more local addresses need a first one, and "
                 "at most %d in all",
                 TRANSPORT_MAX_ADDRS);
        free(t);
        return -EINVAL;
    }
    for (t->nmore = 0; t->nmore < cfg->nbind_more; t->nmore++) {
        socklen_t len;

        if (netaddr_resolve(cfg->bind_more[t->nmore], 0, t->local.ss_family,
                            true, &t->more[t->nmore], &len, err, errlen) < 0) {
            free(t);
            return -EINVAL;
        }
    }
    /* Say now, not at the first connect, when there is no SCTP at all. */
    fd = sctp_socket(t->local.ss_family, err, errlen);
    if (fd < 0) {
        free(t);
        return fd;
    }
    close(fd);
    if (cfg->encap) {
        if (kernel_sock_check_encap(cfg->udp_port, err, errlen) < 0) {
            free(t);
            return -EINVAL;
        }
        t->encap_port = (uint16_t)kernel_sock_udp_port();
    }
    t->head.ops = &transport_kernel_ops;
    *out = &t->head;
    return 0;
}

static void kt_close(struct transport *tr)
{
    struct kernel_transport *t = (struct kernel_transport *)tr;

    if (t == NULL)
        return;
    if (t->listen_ev != NULL)
        event_free(t->listen_ev);
    if (t->listen_fd >= 0)
        close(t->listen_fd);
    free(t);
}

/* Settings the kernel may not carry over from the listener. */
static void setup_accepted(struct kernel_transport *t, int fd)
{
    int on = 1;

    setsockopt(fd, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on));
    if (t->cfg.nodelay)
        setsockopt(fd, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on));
}

/* Accept every pending association and hand each to the workload. */
static void listen_cb(evutil_socket_t lfd, short what, void *arg)
{
    struct kernel_transport *t = arg;

    (void)what;
    for (;;) {
        struct sockaddr_storage from;
        socklen_t fromlen = sizeof(from);
        struct kernel_conn *c;
        int fd = accept4(lfd, (struct sockaddr *)&from, &fromlen,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);

        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                log_warn("accept: %s", strerror(errno));
            break;
        }
        setup_accepted(t, fd);
        c = conn_new(t, fd, CONN_ESTABLISHED);
        if (c == NULL) {
            struct linger l = { 1, 0 };

            log_warn("accept: out of memory; aborting the association");
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
            close(fd);
            continue;
        }
        conn_set_peer(c, (struct sockaddr *)&from, fromlen);
        if (t->encap_port)
            c->peer_udp_port = kernel_sock_peer_encap_port(
                fd, (struct sockaddr *)&from, fromlen);
        c->local_port = t->listen_port;
        c->heard_ns = mono_ns();
        t->on_accept(&c->base, t->accept_arg);
    }
}

static int kt_listen(struct transport *tr, uint16_t sctp_port,
                     transport_accept_cb on_accept, void *arg, char *err,
                     size_t errlen)
{
    struct kernel_transport *t = (struct kernel_transport *)tr;
    struct sockaddr_storage local = t->local;
    uint16_t streams = sctp_plan_streams(&t->cfg, true);
    char what[NETADDR_STRLEN + 32];
    int on = 1;
    int fd = sctp_socket(local.ss_family, err, errlen);

    if (fd < 0)
        return -1;
    if (kernel_sock_configure(fd, local.ss_family, &t->cfg, streams, 0, err,
                              errlen) < 0)
        goto out_close;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    netaddr_set_port((struct sockaddr *)&local, sctp_port);
    if (bind(fd, (struct sockaddr *)&local, t->locallen) < 0) {
        char addr[NETADDR_STRLEN];

        snprintf(what, sizeof(what), "bind SCTP %s",
                 netaddr_format((struct sockaddr *)&local, addr, sizeof(addr)));
        set_err(err, errlen, what, errno);
        goto out_close;
    }
    if (kernel_sock_bindx_add(fd, t->more, t->nmore, sctp_port, err, errlen) <
        0)
        goto out_close;
    if (listen(fd, SOMAXCONN) < 0) {
        set_err(err, errlen, "listen", errno);
        goto out_close;
    }
    t->listen_ev = event_new(t->base, fd, EV_READ | EV_PERSIST, listen_cb, t);
    if (t->listen_ev == NULL || event_add(t->listen_ev, NULL) < 0) {
        snprintf(err, errlen, "event_new: out of memory");
        goto out_close;
    }
    t->listen_fd = fd;
    t->listen_port = sctp_port;
    t->on_accept = on_accept;
    t->accept_arg = arg;
    return 0;

out_close:
    if (t->listen_ev != NULL)
        event_free(t->listen_ev);
    t->listen_ev = NULL;
    close(fd);
    return -1;
}

/* Bind a client socket when a local address or SCTP port is asked for. */
static int bind_client(struct kernel_transport *t, int fd, int family,
                       uint16_t port, char *err, size_t errlen)
{
    struct sockaddr_storage local;
    socklen_t len;

    if (t->cfg.bind_host == NULL && port == 0)
        return 0;
    if (netaddr_resolve(t->cfg.bind_host, port, family, true, &local, &len, err,
                        errlen) < 0)
        return -1;
    if (bind(fd, (struct sockaddr *)&local, len) < 0) {
        set_err(err, errlen, "bind local SCTP port", errno);
        return -1;
    }
    return kernel_sock_bindx_add(fd, t->more, t->nmore, port, err, errlen) < 0
               ? -1
               : 0;
}

static int kt_connect(struct transport *tr, const struct transport_peer *dst,
                      uint16_t local_sctp_port, struct transport_conn **out,
                      char *err, size_t errlen)
{
    struct kernel_transport *t = (struct kernel_transport *)tr;
    uint16_t streams = sctp_plan_streams(&t->cfg, false);
    int family = dst->addr.ss_family;
    struct sockaddr_storage to[TRANSPORT_MAX_ADDRS];
    size_t nto = dst->nmore + 1;
    struct kernel_conn *c;
    size_t i;
    int fd;

    if (nto > TRANSPORT_MAX_ADDRS) {
        snprintf(err, errlen, "%zu peer addresses: at most %d", nto,
                 TRANSPORT_MAX_ADDRS);
        return -1;
    }
    to[0] = dst->addr;
    for (i = 1; i < nto; i++)
        to[i] = dst->more[i - 1];
    fd = sctp_socket(family, err, errlen);

    if (fd < 0)
        return -1;
    if (kernel_sock_configure(fd, family, &t->cfg, streams,
                              t->encap_port ? dst->udp_port : 0, err,
                              errlen) < 0 ||
        bind_client(t, fd, family, local_sctp_port, err, errlen) < 0) {
        close(fd);
        return -1;
    }
    c = conn_new(t, fd, CONN_CONNECTING);
    if (c == NULL) {
        snprintf(err, errlen, "out of memory");
        close(fd);
        return -1;
    }
    netaddr_set_port((struct sockaddr *)&to[0], dst->sctp_port);
    conn_set_peer(c, (struct sockaddr *)&to[0], dst->addrlen);
    c->peer_udp_port = t->encap_port ? dst->udp_port : 0;
    c->local_port = local_sctp_port;
    /* Several addresses: sctp_connectx, the first the primary path. */
    if (nto > 1 &&
        kernel_sock_connectx(fd, to, nto, dst->sctp_port, err, errlen) < 0) {
        c->base.ops->free(&c->base, true);
        return -1;
    }
    if (nto == 1 && connect(fd, (struct sockaddr *)&to[0], dst->addrlen) < 0 &&
        errno != EINPROGRESS) {
        set_err(err, errlen, "connect", errno);
        c->base.ops->free(&c->base, true);
        return -1;
    }
    /* COMM_UP (or the failure) arrives as a notification: rd_ev. */
    *out = &c->base;
    return 0;
}

static ssize_t kt_send(struct transport_conn *tc, const void *buf, size_t len,
                       const struct transport_msginfo *info)
{
    struct kernel_conn *c = (struct kernel_conn *)tc;
    union {
        char buf[CMSG_SPACE(sizeof(struct sctp_sndinfo)) +
                 CMSG_SPACE(sizeof(struct sctp_prinfo))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = { (void *)buf, len };
    struct sctp_sndinfo snd;
    struct msghdr msg;
    struct cmsghdr *cm;
    int policy = transport_kernel_pr_policy(info->pr_policy);
    ssize_t n;

    if (c->state == CONN_FAILED)
        return -tc->last_errno;
    if (policy < 0)
        return -EOPNOTSUPP; /* Linux has no buffer-size PR-SCTP policy */
    memset(&ctl, 0, sizeof(ctl));
    memset(&snd, 0, sizeof(snd));
    snd.snd_sid = info->sid;
    snd.snd_ppid = htonl(info->ppid);
    snd.snd_flags = (info->unordered ? SCTP_UNORDERED : 0) |
                    (info->sack_now ? SCTP_SACK_IMMEDIATELY : 0);
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl.buf;
    msg.msg_controllen = CMSG_SPACE(sizeof(snd));
    cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = IPPROTO_SCTP;
    cm->cmsg_type = SCTP_SNDINFO;
    cm->cmsg_len = CMSG_LEN(sizeof(snd));
    memcpy(CMSG_DATA(cm), &snd, sizeof(snd));
    if (policy > 0) {
        struct sctp_prinfo pr = { .pr_policy = (uint16_t)policy,
                                  .pr_value = info->pr_value };

        msg.msg_controllen = sizeof(ctl.buf);
        cm = CMSG_NXTHDR(&msg, cm);
        cm->cmsg_level = IPPROTO_SCTP;
        cm->cmsg_type = SCTP_PRINFO;
        cm->cmsg_len = CMSG_LEN(sizeof(pr));
        memcpy(CMSG_DATA(cm), &pr, sizeof(pr));
    }
    n = sendmsg(c->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0)
        return n;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        event_add(c->wr_ev, NULL);
        return -EAGAIN;
    }
    /* -EMSGSIZE is for this message only; anything else ends it. */
    if (errno == EMSGSIZE)
        return -EMSGSIZE;
    tc->last_errno = errno;
    return -tc->last_errno;
}

static ssize_t kt_recv(struct transport_conn *tc, void *buf, size_t len,
                       struct transport_msginfo *info)
{
    struct kernel_conn *c = (struct kernel_conn *)tc;

    for (;;) {
        struct sctp_rcvinfo rcv;
        int flags = 0;
        ssize_t n;

        if (c->state == CONN_FAILED)
            return -tc->last_errno;
        /*
         * A fast peer (loopback, one CPU) refills the receive queue as
         * fast as we read it, each read reopening the window, so a
         * workload that reads until -EAGAIN may never get back to its
         * own sender: perf --bidir in the VM sent 0 bytes in 2 s. After
         * a budget, say -EAGAIN; rd_ev is level-triggered and calls
         * again on the next loop turn.
         */
        if (c->rx_turn >= RECV_BUDGET)
            return -EAGAIN;
        memset(&rcv, 0, sizeof(rcv));
        n = read_msg(c, buf, len, 0, &flags, &rcv);
        if (n == -EAGAIN || n == -EWOULDBLOCK)
            return c->peer_shut ? 0 : -EAGAIN;
        if (n < 0) {
            conn_fail(c, (int)-n);
            return n;
        }
        if (n == 0)
            return 0; /* the peer shut down, and all was read */
        if ((flags & MSG_NOTIFICATION) || c->in_note) {
            take_notification(c, buf, (size_t)n, (flags & MSG_EOR) != 0);
            continue;
        }
        info->sid = rcv.rcv_sid;
        info->ppid = ntohl(rcv.rcv_ppid);
        info->unordered = (rcv.rcv_flags & SCTP_UNORDERED) != 0;
        info->eor = (flags & MSG_EOR) != 0;
        c->rx_turn += (size_t)n;
        return n;
    }
}

static int kt_shutdown(struct transport_conn *tc)
{
    struct kernel_conn *c = (struct kernel_conn *)tc;

    if (c->state == CONN_FAILED)
        return -tc->last_errno;
    if (shutdown(c->fd, SHUT_WR) < 0) {
        tc->last_errno = errno;
        return -errno;
    }
    return 0;
}

/* Close the socket: the kernel finishes a graceful shutdown by itself;
 * a zero linger makes it send ABORT at once. */
static void kt_free(struct transport_conn *tc, bool abortive)
{
    struct kernel_conn *c = (struct kernel_conn *)tc;

    if (c == NULL)
        return;
    if (abortive) {
        struct linger l = { 1, 0 };

        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    }
    event_free(c->rd_ev);
    event_free(c->wr_ev);
    event_free(c->defer_ev);
    close(c->fd);
    *c->pprev = c->next;
    if (c->next != NULL)
        c->next->pprev = c->pprev;
    free(c);
}

static int kt_get_info(struct transport_conn *tc,
                       struct transport_assoc_info *info)
{
    struct kernel_conn *c = (struct kernel_conn *)tc;
    uint64_t ipackets = c->ipackets;
    uint64_t now = mono_ns();
    int rc;

    memset(info, 0, sizeof(*info));
    info->peer_addr = c->peer;
    info->peer_addrlen = c->peerlen;
    info->peer_encap_port = c->peer_udp_port; /* 0: SCTP over IP */
    info->peer_sctp_port = c->peer_port;
    info->local_sctp_port = c->local_port;
    if (c->state == CONN_FAILED)
        return -tc->last_errno;
    rc = kernel_sock_assoc_info(c->fd, c->peer.ss_family, c->t->encap_port != 0,
                                info, &ipackets);
    if (rc < 0) {
        tc->last_errno = -rc;
        return rc;
    }
    if (ipackets != c->ipackets) {
        c->ipackets = ipackets;
        c->heard_ns = now;
    }
    info->heard_ms = (uint32_t)((now - c->heard_ns) / 1000000);
    return 0;
}

static int kt_tune(struct transport_conn *tc, const struct transport_tuning *tu)
{
    struct kernel_conn *c = (struct kernel_conn *)tc;
    char err[128];
    int rc;

    if (c->state == CONN_FAILED)
        return -tc->last_errno;
    rc = kernel_sock_tune(c->fd, tu, err, sizeof(err));
    if (rc < 0)
        log_debug("%s", err);
    return rc;
}

static void kt_get_rto(const struct transport *tr, struct transport_rto *out)
{
    const struct kernel_transport *t = (const struct kernel_transport *)tr;
    int fd = t->listen_fd;

    if (fd < 0 && t->conns != NULL)
        fd = t->conns->fd;
    if (fd < 0) {
        memset(out, 0, sizeof(*out));
        return;
    }
    kernel_sock_get_rto(fd, out);
}

static void kt_get_counters(const struct transport *tr,
                            struct transport_counters *out)
{
    (void)tr;
    memset(out, 0, sizeof(*out));
    out->no_datagram_counts = true;
    if (kernel_sock_t3_timeouts(&out->rtx_timeouts) < 0)
        out->no_rtx_timeouts = true;
}

/* The local address, with the UDP port when encapsulating. */
static void kt_local_name(const struct transport *tr, char *buf, size_t len)
{
    const struct kernel_transport *t = (const struct kernel_transport *)tr;
    struct sockaddr_storage ss = t->local;
    char host[NETADDR_STRLEN];

    if (t->encap_port != 0) {
        netaddr_set_port((struct sockaddr *)&ss, t->encap_port);
        netaddr_format((struct sockaddr *)&ss, buf, len);
        return;
    }
    snprintf(buf, len, "%s (none: kernel SCTP over IP)",
             netaddr_format_host((struct sockaddr *)&ss, host, sizeof(host)));
}

static void kt_describe_stack(char *buf, size_t len)
{
    struct utsname u;

    if (uname(&u) < 0)
        snprintf(buf, len, "Linux (release unknown)");
    else
        snprintf(buf, len, "Linux %s", u.release);
}

static const struct transport_caps kt_caps = {
    /* ttl, rtx: Linux's third policy is by priority, not buffer size */
    .pr_policies = 1 << 1 | 1 << 2,
    .own_udp_socket = false,
};

static size_t kt_path_events(struct transport_conn *tc,
                             struct transport_path_event *out, size_t max,
                             uint64_t *dropped)
{
    struct kernel_conn *c = (struct kernel_conn *)tc;
    size_t n = 0;

    while (n < max && c->path_len > 0) {
        out[n++] = c->path_q[c->path_head];
        c->path_head = (c->path_head + 1) % TRANSPORT_PATH_QUEUE;
        c->path_len--;
    }
    if (dropped != NULL)
        *dropped = c->path_dropped;
    c->path_dropped = 0;
    return n;
}

static size_t kt_peer_addrs(struct transport_conn *tc,
                            struct sockaddr_storage *out, size_t max)
{
    struct kernel_conn *c = (struct kernel_conn *)tc;
    size_t n;
    size_t i;

    if (c->state == CONN_FAILED)
        return 0;
    n = kernel_sock_peer_addrs(c->fd, out, max);
    for (i = 0; i < n; i++) {
        socklen_t len = sizeof(out[i]);

        netaddr_unmap(&out[i], &len);
    }
    return n;
}

const struct transport_ops transport_kernel_ops = {
    .name = "kernel",
    .caps = &kt_caps,
    .describe_stack = kt_describe_stack,
    .probe = kt_probe,
    .open = kt_open,
    .close = kt_close,
    .listen = kt_listen,
    .connect = kt_connect,
    .send = kt_send,
    .recv = kt_recv,
    .shutdown = kt_shutdown,
    .free = kt_free,
    .get_info = kt_get_info,
    .tune = kt_tune,
    .get_rto = kt_get_rto,
    .get_counters = kt_get_counters,
    .local_name = kt_local_name,
    .path_events = kt_path_events,
    .peer_addrs = kt_peer_addrs,
};
