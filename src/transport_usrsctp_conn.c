/*
 * transport_usrsctp_conn.c - one usrsctp association as the workload uses
 * it: its upcall turned into loop events (connected, readable, writable,
 * failed, each told once), send and recv (notifications taken aside),
 * shutdown, an abortive or graceful free, and the queries (status,
 * tuning).
 */
#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <usrsctp.h>

#include "log.h"
#include "netaddr.h"
#include "peer_table.h"
#include "sctp_sockopt.h"
#include "transport_usrsctp_priv.h"

static void conn_event_cb(evutil_socket_t fd, short what, void *arg);

static void conn_upcall(struct socket *so, void *arg, int flags)
{
    struct usrsctp_conn *c = arg;

    (void)so;
    (void)flags;
    /* We are inside usrsctp here: only mark work for the event loop. */
    event_active(c->ev, EV_READ, 0);
}

struct usrsctp_conn *ut_conn_new(struct usrsctp_transport *t, struct socket *so,
                                 struct peer *p)
{
    struct usrsctp_conn *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return NULL;
    c->ev = event_new(t->base, -1, 0, conn_event_cb, c);
    if (c->ev == NULL) {
        free(c);
        return NULL;
    }
    c->base.ops = &transport_usrsctp_ops;
    c->t = t;
    c->so = so;
    c->peer = p;
    rtt_sampler_init(&c->rtt);
    peer_assoc_up(ut_peers(), p);
    c->next_of_peer = p->conns;
    if (c->next_of_peer != NULL)
        c->next_of_peer->pprev_of_peer = &c->next_of_peer;
    c->pprev_of_peer = &p->conns;
    p->conns = c;
    ut_conn_index(c);
    c->next = t->conns;
    if (c->next != NULL)
        c->next->pprev = &c->next;
    c->pprev = &t->conns;
    t->conns = c;
    usrsctp_set_upcall(so, conn_upcall, c);
    return c;
}

/*
 * The event loop's side of an upcall: work out what changed and tell the
 * workload. The callback comes last, since it may free the connection.
 */
static void conn_event_cb(evutil_socket_t fd, short what, void *arg)
{
    struct usrsctp_conn *c = arg;
    int ev = c->so != NULL ? usrsctp_get_events(c->so) : SCTP_EVENT_ERROR;
    int out = 0;

    (void)fd;
    (void)what;
    if (c->state == CONN_CONNECTING) {
        if (ev & SCTP_EVENT_ERROR) {
            c->state = CONN_FAILED;
            c->base.last_errno = sctp_sockopt_error(c->so);
            ut_explain_connect_failure(c);
        } else if (sctp_sockopt_state(c->so) == SCTP_ESTABLISHED) {
            c->state = CONN_ESTABLISHED;
            ut_conn_set_ports(c, sctp_sockopt_bound_port(c->so, c->local_port),
                              c->peer_port);
            out |= TRANSPORT_EV_CONNECTED;
        } else {
            return;
        }
    }
    if (c->state == CONN_FAILED) {
        /* Said once; recv then reports the error. */
        if (!c->failure_told)
            out |= TRANSPORT_EV_ERROR | TRANSPORT_EV_READABLE;
        c->failure_told = true;
    } else {
        if (ev & (SCTP_EVENT_READ | SCTP_EVENT_ERROR))
            out |= TRANSPORT_EV_READABLE;
        if (c->want_write && (ev & (SCTP_EVENT_WRITE | SCTP_EVENT_ERROR))) {
            c->want_write = false;
            out |= TRANSPORT_EV_WRITABLE;
        }
    }
    if (out != 0 && c->base.cb != NULL)
        c->base.cb(&c->base, out, c->base.cb_arg);
}

/*
 * Abort the association at once and let go of its socket (a zero linger
 * close is the one abort usrsctp always carries out on the spot). The
 * connection stays with the workload, which hears of it as an error.
 */
void ut_conn_abort_socket(struct usrsctp_conn *c, int why)
{
    struct linger l = { 1, 0 };

    if (c->so == NULL)
        return;
    usrsctp_set_upcall(c->so, NULL, NULL);
    usrsctp_setsockopt(c->so, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    usrsctp_close(c->so);
    ut_flush_output();
    c->so = NULL;
    c->state = CONN_FAILED;
    ut_conn_set_tag(c, 0); /* no longer a live association's */
    c->base.last_errno = why;
    event_active(c->ev, EV_READ, 0);
}

void ut_apply_peer_pathmtu(struct usrsctp_conn *c)
{
    char err[128];

    if (c->peer->sctp_pathmtu == 0)
        return;
    if (sctp_sockopt_set_pathmtu(c->so, 0, c->peer->sctp_pathmtu, err,
                                 sizeof(err)) < 0)
        log_warn("%s", err);
}

ssize_t ut_send_msg(struct transport_conn *tc, const void *buf, size_t len,
                    const struct transport_msginfo *info)
{
    struct usrsctp_conn *c = (struct usrsctp_conn *)tc;
    struct sctp_sendv_spa spa;
    ssize_t n;

    if (c->so == NULL)
        return -tc->last_errno;
    memset(&spa, 0, sizeof(spa));
    spa.sendv_sndinfo.snd_sid = info->sid;
    spa.sendv_sndinfo.snd_ppid = htonl(info->ppid);
    spa.sendv_sndinfo.snd_flags = (info->unordered ? SCTP_UNORDERED : 0) |
                                  (info->sack_now ? SCTP_SACK_IMMEDIATELY : 0);
    spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
    if (info->pr_policy != 0) {
        spa.sendv_prinfo.pr_policy = sctp_sockopt_pr_policy(info->pr_policy);
        spa.sendv_prinfo.pr_value = info->pr_value;
        spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
    }
    n = usrsctp_sendv(c->so, buf, len, NULL, 0, &spa, sizeof(spa),
                      SCTP_SENDV_SPA, 0);
    ut_flush_output();
    if (n >= 0)
        return n;
    if (errno == EWOULDBLOCK || errno == EAGAIN) {
        c->want_write = true;
        return -EAGAIN;
    }
    /* usrsctp says ENOENT once the peer has begun SHUTDOWN: to the
     * workload that is a closed pipe. */
    tc->last_errno = errno == ENOENT ? EPIPE : errno;
    return -tc->last_errno;
}

/*
 * A notification arrives in parts when the workload's buffer is smaller
 * than it: gather the parts (its first UT_NOTIF_MAX bytes; only the
 * start of a SEND_FAILED's returned data is beyond that) and act on the
 * whole one at its end.
 */
static void gather_notification(struct usrsctp_conn *c, const void *part,
                                size_t n, bool eor)
{
    size_t room = sizeof(c->notif) - c->notif_len;

    if (!c->in_notification)
        c->notif_len = 0;
    memcpy(c->notif + c->notif_len, part, n < room ? n : room);
    c->notif_len += n < room ? n : room;
    c->in_notification = !eor;
    if (eor) {
        ut_handle_notification(c, c->notif, c->notif_len);
        c->notif_len = 0;
    }
}

ssize_t ut_recv_msg(struct transport_conn *tc, void *buf, size_t len,
                    struct transport_msginfo *info)
{
    struct usrsctp_conn *c = (struct usrsctp_conn *)tc;

    if (c->so == NULL)
        return -tc->last_errno;
    for (;;) {
        struct sctp_rcvinfo rcv;
        socklen_t infolen = sizeof(rcv);
        unsigned int infotype = 0;
        int flags = 0;
        ssize_t n;

        memset(&rcv, 0, sizeof(rcv));
        n = usrsctp_recvv(c->so, buf, len, NULL, NULL, &rcv, &infolen,
                          &infotype, &flags);
        ut_flush_output();
        if (n < 0) {
            if (errno == EWOULDBLOCK || errno == EAGAIN)
                return c->state == CONN_FAILED ? -c->base.last_errno
                       : c->peer_shut          ? 0
                                               : -EAGAIN;
            tc->last_errno = errno;
            return -errno;
        }
        if (n == 0)
            return c->state == CONN_FAILED ? -c->base.last_errno : 0;
        if ((flags & MSG_NOTIFICATION) || c->in_notification) {
            gather_notification(c, buf, (size_t)n, (flags & MSG_EOR) != 0);
            continue;
        }
        info->sid = rcv.rcv_sid;
        info->ppid = ntohl(rcv.rcv_ppid);
        info->unordered = (rcv.rcv_flags & SCTP_UNORDERED) != 0;
        info->eor = (flags & MSG_EOR) != 0;
        return n;
    }
}

int ut_shutdown_conn(struct transport_conn *tc)
{
    struct usrsctp_conn *c = (struct usrsctp_conn *)tc;
    int rc;

    if (c->so == NULL)
        return -tc->last_errno;
    rc = usrsctp_shutdown(c->so, SHUT_WR);
    ut_flush_output();
    if (rc < 0) {
        tc->last_errno = errno;
        return -errno;
    }
    return 0;
}

/*
 * Close the socket. usrsctp may go on sending SHUTDOWN or ABORT for it
 * after this; the peer handle stays registered (its entry expires later),
 * so those packets still reach the peer.
 */
void ut_conn_free(struct transport_conn *tc, bool abortive)
{
    struct usrsctp_conn *c = (struct usrsctp_conn *)tc;

    if (c == NULL)
        return;
    if (abortive) {
        ut_conn_abort_socket(c, ECONNABORTED);
    } else if (c->so != NULL) {
        usrsctp_set_upcall(c->so, NULL, NULL);
        usrsctp_close(c->so);
        ut_flush_output();
    }
    event_free(c->ev);
    ut_conn_unindex(c);
    /* unlinked in O(1): one client's thousands share one peer */
    *c->pprev_of_peer = c->next_of_peer;
    if (c->next_of_peer != NULL)
        c->next_of_peer->pprev_of_peer = c->pprev_of_peer;
    peer_assoc_down(ut_peers(), c->peer);
    c->peer->last_seen_ms = ut_now_ms();
    *c->pprev = c->next;
    if (c->next != NULL)
        c->next->pprev = c->pprev;
    free(c);
}

/* The socket buffers usrsctp really uses, read back. */
static void buffers(struct socket *so, struct transport_assoc_info *info)
{
    int v = 0;
    socklen_t len = sizeof(v);

    if (usrsctp_getsockopt(so, SOL_SOCKET, SO_SNDBUF, &v, &len) == 0 && v > 0)
        info->sndbuf = (uint32_t)v;
    len = sizeof(v);
    v = 0;
    if (usrsctp_getsockopt(so, SOL_SOCKET, SO_RCVBUF, &v, &len) == 0 && v > 0)
        info->rcvbuf = (uint32_t)v;
}

int ut_get_info(struct transport_conn *tc, struct transport_assoc_info *info)
{
    struct usrsctp_conn *c = (struct usrsctp_conn *)tc;
    struct sctp_status st;
    socklen_t len = sizeof(st);

    memset(info, 0, sizeof(*info));
    /* the peer table keeps the UDP endpoint: address and port apart */
    info->peer_addr = c->peer->addr;
    info->peer_addrlen = c->peer->addrlen;
    info->peer_encap_port = netaddr_port((struct sockaddr *)&c->peer->addr);
    netaddr_set_port((struct sockaddr *)&info->peer_addr, 0);
    info->peer_sctp_port = c->peer_port;
    info->local_sctp_port = c->local_port;
    if (c->so == NULL)
        return -tc->last_errno;
    memset(&st, 0, sizeof(st));
    if (usrsctp_getsockopt(c->so, IPPROTO_SCTP, SCTP_STATUS, &st, &len) < 0) {
        tc->last_errno = errno;
        return -errno;
    }
    info->in_streams = st.sstat_instrms;
    info->out_streams = st.sstat_outstrms;
    info->pathmtu = st.sstat_primary.spinfo_mtu;
    /* Ours, measured in microseconds, once there is a sample (this end
     * has sent data); until then usrsctp's, in whole milliseconds. */
    if (rtt_sampler_samples(&c->rtt) > 0) {
        info->srtt_us = rtt_sampler_srtt_us(&c->rtt);
        info->rttvar_us = rtt_sampler_rttvar_us(&c->rtt);
        info->rtt_resolution_us = 1;
    } else {
        info->srtt_us = st.sstat_primary.spinfo_srtt * 1000;
        info->rtt_resolution_us = 1000;
    }
    info->cwnd = st.sstat_primary.spinfo_cwnd;
    buffers(c->so, info);
    info->peer_rwnd = st.sstat_rwnd;
    info->unacked = st.sstat_unackdata;
    info->pending = st.sstat_penddata;
    info->retransmits = c->retransmits;
    info->abandoned = sctp_sockopt_abandoned(c->so);
    info->rto_ms = st.sstat_primary.spinfo_rto;
    info->heard_ms = (uint32_t)(ut_now_ms() - c->peer->last_seen_ms);
    info->send_queued = sctp_sockopt_send_queued(c->so);
    return 0;
}

int ut_set_stream_prio(struct transport_conn *tc, uint16_t sid, uint16_t prio)
{
    struct usrsctp_conn *c = (struct usrsctp_conn *)tc;
    struct sctp_stream_value v;

    if (c->so == NULL)
        return -tc->last_errno;
    memset(&v, 0, sizeof(v));
    v.assoc_id = 0; /* a connected one-to-one socket: its association */
    v.stream_id = sid;
    v.stream_value = prio;
    if (usrsctp_setsockopt(c->so, IPPROTO_SCTP, SCTP_SS_VALUE, &v, sizeof(v)) <
        0)
        return -errno;
    return 0;
}

int ut_tune(struct transport_conn *tc, const struct transport_tuning *tu)
{
    struct usrsctp_conn *c = (struct usrsctp_conn *)tc;
    char err[128];

    if (c->so == NULL)
        return -tc->last_errno;
    if (sctp_sockopt_tune(c->so, tu, err, sizeof(err)) < 0) {
        log_debug("%s", err);
        return -errno;
    }
    return 0;
}
