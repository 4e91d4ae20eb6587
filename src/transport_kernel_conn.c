/*
 * transport_kernel_conn.c - one kernel SCTP association as the workload
 * uses it: send (with SCTP_SNDINFO and PR-SCTP), recv (notifications
 * taken aside), shutdown, free, and the queries
 * (status, tuning, path events, peer addresses).
 */
#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "log.h"
#include "netaddr.h"
#include "transport_kernel_priv.h"
#include "transport_kernel_sock.h"
#include "transport_kernel_util.h"

ssize_t kt_send(struct transport_conn *tc, const void *buf, size_t len,
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

ssize_t kt_recv(struct transport_conn *tc, void *buf, size_t len,
                struct transport_msginfo *info)
{
    struct kernel_conn *c = (struct kernel_conn *)tc;

    for (;;) {
        struct sctp_rcvinfo rcv;
        int flags = 0;
        ssize_t n;

        /* No read budget here: the workloads keep their own (perf_flow.c,
         * echo_server.c), so that a peer refilling the queue as fast as it
         * is read cannot starve their senders, on any backend. */
        if (c->state == CONN_FAILED)
            return -tc->last_errno;
        memset(&rcv, 0, sizeof(rcv));
        n = kt_read_msg(c, buf, len, 0, &flags, &rcv);
        if (n == -EAGAIN || n == -EWOULDBLOCK)
            return c->peer_shut ? 0 : -EAGAIN;
        if (n < 0) {
            kt_conn_fail(c, (int)-n);
            return n;
        }
        if (n == 0)
            return 0; /* the peer shut down, and all was read */
        if ((flags & MSG_NOTIFICATION) || c->in_note) {
            kt_take_notification(c, buf, (size_t)n, (flags & MSG_EOR) != 0);
            continue;
        }
        info->sid = rcv.rcv_sid;
        info->ppid = ntohl(rcv.rcv_ppid);
        info->unordered = (rcv.rcv_flags & SCTP_UNORDERED) != 0;
        info->eor = (flags & MSG_EOR) != 0;
        return n;
    }
}

int kt_shutdown(struct transport_conn *tc)
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
void kt_free(struct transport_conn *tc, bool abortive)
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

int kt_get_info(struct transport_conn *tc, struct transport_assoc_info *info)
{
    struct kernel_conn *c = (struct kernel_conn *)tc;
    uint64_t ipackets = UINT64_MAX; /* stays so if the kernel cannot tell */
    uint64_t now = kt_mono_ns();
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
    /* No count (no SCTP_GET_ASSOC_STATS): never claim silence, which
     * the perf client would take for a dead server. */
    if (ipackets == UINT64_MAX || ipackets != c->ipackets) {
        c->ipackets = ipackets;
        c->heard_ns = now;
    }
    info->heard_ms = (uint32_t)((now - c->heard_ns) / 1000000);
    return 0;
}

int kt_tune(struct transport_conn *tc, const struct transport_tuning *tu)
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

size_t kt_path_events(struct transport_conn *tc,
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

size_t kt_peer_addrs(struct transport_conn *tc, struct sockaddr_storage *out,
                     size_t max)
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
