/*
 * transport_usrsctp_udp.c - the usrsctp backend's UDP side: its socket
 * (options, GRO, buffers, bind) and every datagram in: checked (length,
 * CRC32c), matched to its peer (following a NAT that moved it, adding
 * one for a listener) and fed to usrsctp. Each UDP endpoint is a peer handle (peer_table.h).
 */
#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <usrsctp.h>

#include "crc32c.h"
#include "log.h"
#include "netaddr.h"
#include "peer_table.h"
#include "route_mtu.h"
#include "sctp_plan.h"
#include "sctp_sockopt.h"
#include "sctp_wire.h"
#include "transport_ipsock.h"
#include "transport_usrsctp_priv.h"
#include "udp_icmp.h"

#define UDP_SOCKBUF (4 * 1024 * 1024)
#define REBIND_HOLD_MS 2000 /* stragglers from a peer's old NAT mapping */

/* The SCTP path MTU toward a peer: the user's --mtu, else the route's. */
uint32_t ut_pathmtu_toward(const struct usrsctp_transport *t,
                           const struct sockaddr *sa, socklen_t len)
{
    int ip_mtu = t->cfg.mtu ? (int)t->cfg.mtu : route_mtu_probe(sa, len);
    uint32_t mtu;

    if (ip_mtu <= 0) {
        log_debug("no route MTU toward peer (%s); using %u", strerror(-ip_mtu),
                  DEFAULT_PATHMTU);
        return DEFAULT_PATHMTU;
    }
    mtu = route_mtu_sctp_pathmtu(sa->sa_family, (uint32_t)ip_mtu);
    return mtu ? mtu : DEFAULT_PATHMTU;
}

/*
 * A datagram from an endpoint we do not know that carries the verification
 * tag of one of our associations, from the IP address of that
 * association's peer: the peer's NAT gave it a new UDP port (docker-proxy
 * does after a failed send, home routers after an idle timeout). The peer
 * moves to the new endpoint with all its associations, so replies follow
 * it. A straggler from the old endpoint soon after is still the peer's,
 * but does not move it back.
 */
static struct peer *follow_rebinding(struct usrsctp_transport *t,
                                     const struct sockaddr *sa, socklen_t len,
                                     const uint8_t *pkt)
{
    struct sockaddr_storage from;
    socklen_t fromlen = len;
    char was[NETADDR_STRLEN];
    char now[NETADDR_STRLEN];
    struct peer *p;

    if (len > sizeof(from))
        return NULL;
    memset(&from, 0, sizeof(from));
    memcpy(&from, sa, len);
    netaddr_unmap(&from, &fromlen);
    p = peer_table_find_rebound(ut_peers(), (struct sockaddr *)&from,
                                be32_get(pkt + 4));
    if (p == NULL || p->owner != t)
        return NULL;
    if (p->rebound_ms != 0 && ut_now_ms() - p->rebound_ms < REBIND_HOLD_MS &&
        netaddr_equal((struct sockaddr *)&from,
                      (struct sockaddr *)&p->old_addr))
        return p;
    netaddr_format((struct sockaddr *)&p->addr, was, sizeof(was));
    peer_table_rebind(ut_peers(), p, (struct sockaddr *)&from, fromlen,
                      ut_now_ms());
    t->counters.rx_rebinds++;
    log_warn("peer %s moved to %s (NAT rebinding): its associations follow",
             was, netaddr_format((struct sockaddr *)&from, now, sizeof(now)));
    return p;
}

static struct peer *peer_for_datagram(struct usrsctp_transport *t,
                                      const struct sockaddr *sa, socklen_t len,
                                      const uint8_t *pkt)
{
    struct peer *p = peer_table_find_owned(ut_peers(), sa, t);

    if (p != NULL)
        return p;
    p = follow_rebinding(t, sa, len, pkt);
    if (p != NULL || t->listener == NULL)
        return p;
    p = peer_table_add(ut_peers(), sa, len);
    if (p == NULL)
        return NULL;
    p->owner = t;
    p->sctp_pathmtu =
        ut_pathmtu_toward(t, (struct sockaddr *)&p->addr, p->addrlen);
    /* Without registration the handshake completes and the association
     * then dies. */
    usrsctp_register_address((void *)p->handle);
    return p;
}

/*
 * Before usrsctp sees a handshake packet on the listener: a COOKIE-ECHO
 * creates the association (or restarts one, RFC 9260 5.2.4, which usrsctp
 * 0.9.5.0 does itself), which takes its path MTU, and its initial congestion window,
 * from the listener's defaults, so make those the peer's now. Otherwise the
 * first large message crawls at a 1280-byte window.
 */
static void prepare_listener(struct usrsctp_transport *t, struct peer *p,
                             const uint8_t *pkt, size_t len)
{
    char err[128];

    if (sctp_wire_first_chunk_type(pkt, len) == SCTP_WIRE_COOKIE_ECHO &&
        p->sctp_pathmtu != 0 && p->sctp_pathmtu != t->listen_pathmtu) {
        if (sctp_sockopt_set_pathmtu(t->listener, SCTP_FUTURE_ASSOC,
                                     p->sctp_pathmtu, err, sizeof(err)) < 0)
            log_warn("%s", err);
        else
            t->listen_pathmtu = p->sctp_pathmtu;
    }
}

/* One datagram: check it, find its peer, hand it to usrsctp. */
void ut_input_datagram(struct usrsctp_transport *t, const struct sockaddr *from,
                       socklen_t fromlen, uint8_t *pkt, size_t n)
{
    struct peer *p;

    t->counters.rx_datagrams++;
    if (n < CRC32C_SCTP_HDR_LEN) {
        t->counters.rx_short++;
        return;
    }
    if (!crc32c_sctp_check(pkt, n)) {
        t->counters.rx_bad_crc++;
        return;
    }
    p = peer_for_datagram(t, from, fromlen, pkt);
    if (p == NULL) {
        t->counters.rx_unknown_peer++;
        return;
    }
    p->last_seen_ms = ut_now_ms();
    if (t->listener != NULL)
        prepare_listener(t, p, pkt, n);
    usrsctp_conninput((void *)p->handle, pkt, n, 0);
}

/*
 * Read one datagram, or with UDP GRO a run of equal-size ones that the
 * kernel coalesced: *seg is then their size (else the whole length).
 */
static ssize_t udp_receive(struct usrsctp_transport *t,
                           struct sockaddr_storage *from, socklen_t *fromlen,
                           size_t *seg)
{
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = { t->rxbuf, UDP_RX_MAX };
    struct msghdr msg;
    struct cmsghdr *cm;
    ssize_t n;

    memset(&msg, 0, sizeof(msg));
    msg.msg_name = from;
    msg.msg_namelen = sizeof(*from);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl.buf;
    msg.msg_controllen = sizeof(ctl.buf);
    n = recvmsg(t->fd, &msg, 0);
    if (n < 0)
        return n;
    *fromlen = msg.msg_namelen;
    *seg = (size_t)n;
    for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
        int gso = 0;

        if (cm->cmsg_level != SOL_UDP || cm->cmsg_type != UDP_GRO)
            continue;
        memcpy(&gso, CMSG_DATA(cm), sizeof(gso));
        if (gso > 0 && (size_t)gso < *seg)
            *seg = (size_t)gso;
    }
    return n;
}

/* Read what the UDP socket holds and feed it to usrsctp. */
static void udp_read_cb(evutil_socket_t fd, short what, void *arg)
{
    struct usrsctp_transport *t = arg;
    int i;

    (void)fd;
    (void)what;
    for (i = 0; i < UDP_RX_BATCH; i++) {
        struct sockaddr_storage from;
        socklen_t fromlen = sizeof(from);
        size_t seg;
        size_t off;
        ssize_t n = udp_receive(t, &from, &fromlen, &seg);

        if (n < 0) {
            /* With IP_RECVERR an ICMP error fails one read and stays in
             * the error queue (and keeps the socket readable) until
             * read from there. */
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                ut_read_icmp_errors(t, ut_peers());
            break;
        }
        if (n == 0) {
            ut_input_datagram(t, (struct sockaddr *)&from, fromlen, t->rxbuf,
                              0);
            continue;
        }
        for (off = 0; off < (size_t)n; off += seg)
            ut_input_datagram(t, (struct sockaddr *)&from, fromlen,
                              t->rxbuf + off,
                              (size_t)n - off < seg ? (size_t)n - off : seg);
    }
    ut_flush_output();
}

/*
 * UDP GSO unless SCTPU_UDP_GSO=0 (for comparing, or a path that mangles
 * it); the batch turns it off by itself where the kernel refuses it.
 */
bool ut_gso_wanted(void)
{
    const char *v = getenv("SCTPU_UDP_GSO");

    return v == NULL || strcmp(v, "0") != 0;
}

/* Bind our UDP socket; 0, or a negative errno with err written (the
 * caller tells an address in use from other failures by it). */
int ut_open_udp(struct usrsctp_transport *t, char *err, size_t errlen)
{
    struct sockaddr_storage local;
    socklen_t locallen;
    char what[NETADDR_STRLEN + 32];
    int off = 0;
    int dontfrag;
    int e;

    if (netaddr_resolve(t->cfg.bind_host, t->cfg.udp_port, t->cfg.family, true,
                        &local, &locallen, err, errlen) < 0)
        return -EINVAL;
    t->family = local.ss_family;
    t->fd = socket(t->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                   IPPROTO_UDP);
    if (t->fd < 0) {
        e = errno;
        sctp_plan_fail(err, errlen, "socket(UDP)", e);
        return -e;
    }
    if (t->family == AF_INET6)
        setsockopt(t->fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
    udp_icmp_enable(t->fd, t->family);
    /* -S/--tos and --bind-dev: on the UDP socket, so on every packet. */
    e = transport_ipsock_options(t->fd, t->family, &t->cfg, err, errlen);
    if (e < 0)
        return e;
    /* Let the kernel fragment rather than drop when a path turns out
     * narrower than the MTU we derived: slow beats silent. */
    dontfrag = t->family == AF_INET6 ? IPV6_PMTUDISC_DONT : IP_PMTUDISC_DONT;
    setsockopt(t->fd, t->family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
               t->family == AF_INET6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER,
               &dontfrag, sizeof(dontfrag));
    if (ut_gso_wanted()) {
        int on = 1;

        /* Coalesced receive (GRO); harmless where unsupported. */
        setsockopt(t->fd, SOL_UDP, UDP_GRO, &on, sizeof(on));
    }
    transport_ipsock_buffers(t->fd, UDP_SOCKBUF, UDP_SOCKBUF);
    if (bind(t->fd, (struct sockaddr *)&local, locallen) < 0) {
        e = errno;
        snprintf(what, sizeof(what), "bind UDP %s",
                 netaddr_format((struct sockaddr *)&local, what + 32, 32));
        sctp_plan_fail(err, errlen, what, e);
        return -e;
    }
    t->udp_ev = event_new(t->base, t->fd, EV_READ | EV_PERSIST, udp_read_cb, t);
    if (t->udp_ev == NULL || event_add(t->udp_ev, NULL) < 0) {
        snprintf(err, errlen, "event_new: out of memory");
        return -ENOMEM;
    }
    return 0;
}
