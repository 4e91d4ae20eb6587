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
 * This file opens sockets, listens and connects, and holds the ops table.
 * Notifications and what the loop tells are in transport_kernel_events.c,
 * per-connection I/O in transport_kernel_conn.c, options and queries in
 * transport_kernel_sock.c, pure helpers in transport_kernel_util.c.
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
#include <sys/utsname.h>
#include <unistd.h>

#include "log.h"
#include "netaddr.h"
#include "sctp_plan.h"
#include "transport.h"
#include "transport_kernel_priv.h"
#include "transport_kernel_sock.h"
#include "transport_kernel_util.h"

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
        sctp_plan_fail(err, errlen, "socket(SCTP)", e);
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
        c = kt_conn_new(t, fd, CONN_ESTABLISHED);
        if (c == NULL) {
            struct linger l = { 1, 0 };

            log_warn("accept: out of memory; aborting the association");
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
            close(fd);
            continue;
        }
        kt_conn_set_peer(c, (struct sockaddr *)&from, fromlen);
        if (t->encap_port)
            c->peer_udp_port = kernel_sock_peer_encap_port(
                fd, (struct sockaddr *)&from, fromlen);
        c->local_port = t->listen_port;
        c->heard_ns = kt_mono_ns();
        /* Last: c is the workload's now, and may be gone (transport.h). */
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
        sctp_plan_fail(err, errlen, what, errno);
        goto out_close;
    }
    if (kernel_sock_bindx_add(fd, t->more, t->nmore, sctp_port, err, errlen) <
        0)
        goto out_close;
    if (listen(fd, SOMAXCONN) < 0) {
        sctp_plan_fail(err, errlen, "listen", errno);
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
        sctp_plan_fail(err, errlen, "bind local SCTP port", errno);
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
    c = kt_conn_new(t, fd, CONN_CONNECTING);
    if (c == NULL) {
        snprintf(err, errlen, "out of memory");
        close(fd);
        return -1;
    }
    netaddr_set_port((struct sockaddr *)&to[0], dst->sctp_port);
    kt_conn_set_peer(c, (struct sockaddr *)&to[0], dst->addrlen);
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
        sctp_plan_fail(err, errlen, "connect", errno);
        c->base.ops->free(&c->base, true);
        return -1;
    }
    /* COMM_UP (or the failure) arrives as a notification: rd_ev. */
    *out = &c->base;
    return 0;
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
    .multihoming = true,
};

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
