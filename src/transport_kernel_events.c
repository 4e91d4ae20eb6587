/*
 * transport_kernel_events.c - what the kernel backend learns besides
 * data, and what the loop tells the workload: SCTP notifications
 * (association and path changes, mapped to transport_notify's neutral
 * events, which log them and word the reasons of a failure), the path
 * events queued for the workload, and the connection's socket events
 * (connected, readable, writable, failed), each told once.
 */
#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "netaddr.h"
#include "transport_kernel_priv.h"
#include "transport_notify.h"
#include "transport_notify_stack.h"

/* A failure the workload learns of from the loop (never from inside the
 * transport_* call that found it). */
void kt_conn_fail(struct kernel_conn *c, int why)
{
    if (c->state == CONN_FAILED)
        return;
    c->state = CONN_FAILED;
    c->base.last_errno = why;
    event_active(c->defer_ev, EV_TIMEOUT, 0);
}

static void fail_conn(struct transport_conn *tc, int errnum)
{
    kt_conn_fail((struct kernel_conn *)tc, errnum);
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
    ev->state = transport_notify_path_state(spc->spc_state);
    ev->error = spc->spc_error;
    ev->when_ns = kt_mono_ns();
    c->path_untold = true;
    event_active(c->defer_ev, EV_TIMEOUT, 0);
    transport_notify_path(
        nc, netaddr_format_host((struct sockaddr *)&addr, host, sizeof(host)),
        ev->state, ev->error);
}

/* Act on a whole notification; they never reach the workload. */
static void handle_notification(struct kernel_conn *c)
{
    const struct sctp_paddr_change *spc = NULL;
    struct transport_notify_info info = { 0 };
    struct transport_notify_conn nc;
    int ev = transport_notify_decode(c->note, c->note_len, &info, &spc);

    if (ev < 0 && spc == NULL)
        return;
    notify_conn(c, &nc);
    if (spc != NULL) {
        note_paddr_change(c, &nc, spc);
        return;
    }
    if (ev == TRANSPORT_NOTIFY_COMM_UP && c->state == CONN_CONNECTING)
        c->state = CONN_ESTABLISHED;
    /* SHUTDOWN_COMP: the end of a shutdown we started. The kernel sets
     * no RCV_SHUTDOWN for that side: recv would say EAGAIN forever, and
     * the workload would wait out its grace time. */
    if (ev == TRANSPORT_NOTIFY_SHUTDOWN_EVENT ||
        ev == TRANSPORT_NOTIFY_SHUTDOWN_COMP)
        c->peer_shut = true;
    transport_notify_event(&nc, (enum transport_notify_event)ev, &info);
}

/* A piece of a notification read into buf: keep its head, act at its
 * end. */
void kt_take_notification(struct kernel_conn *c, const void *buf, size_t n,
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
ssize_t kt_read_msg(struct kernel_conn *c, void *buf, size_t len, int flags,
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
            n = kt_read_msg(c, peek, sizeof(peek), MSG_PEEK, &flags, NULL);
            if (n == -EAGAIN && c->peer_shut)
                return 0; /* all read, and nothing more will come */
            if (n <= 0)
                return n == 0 ? 0 : (int)n;
            if (!(flags & MSG_NOTIFICATION))
                return 1;
        }
        n = kt_read_msg(c, peek, sizeof(peek), 0, &flags, NULL);
        if (n < 0)
            return (int)n;
        kt_take_notification(c, peek, (size_t)n, (flags & MSG_EOR) != 0);
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
        kt_conn_fail(c, e);
        explain_connect_failure(c);
    } else if (drained == 1) {
        c->state = CONN_ESTABLISHED; /* data can only follow COMM_UP */
    } else if (drained == 0 || (drained < 0 && drained != -EAGAIN)) {
        kt_conn_fail(c, drained == 0 ? ECONNREFUSED : -drained);
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
    c->heard_ns = kt_mono_ns();
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
        kt_conn_fail(c, -drained);
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

struct kernel_conn *kt_conn_new(struct kernel_transport *t, int fd,
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

void kt_conn_set_peer(struct kernel_conn *c, const struct sockaddr *sa,
                      socklen_t len)
{
    if (len > sizeof(c->peer))
        len = sizeof(c->peer);
    memcpy(&c->peer, sa, len);
    c->peerlen = len;
    c->peer_port = netaddr_port(sa);
    netaddr_unmap(&c->peer, &c->peerlen);
}
