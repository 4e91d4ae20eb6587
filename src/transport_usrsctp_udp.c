/*
 * transport_usrsctp_udp.c - the usrsctp backend's UDP side: its socket
 * (options, GRO, buffers, bind) and every datagram in: checked (length,
 * CRC32c), matched to its peer or association (an INIT from a stranger
 * answered statelessly, a COOKIE-ECHO making a peer in a bounded table, a
 * NAT that moved a peer followed once the new path is confirmed) and fed
 * to usrsctp. Each UDP endpoint with state is a peer handle (peer_table.h).
 */
#define _GNU_SOURCE /* recvmmsg */
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
#include "udp_batch.h"
#include "udp_icmp.h"
#include "workers.h"

#define UDP_SOCKBUF (4 * 1024 * 1024)
#define REBIND_HOLD_MS 2000 /* stragglers from a peer's old NAT mapping */
#define PROBE_EVERY_MS 200  /* path probes per association, at most */
/* Moves per association at once, then 1/s. Each needs its new port to
 * answer our HEARTBEAT, so only a NAT (or someone on the path) moves an
 * association; docker-proxy, which drops its mapping on every failed
 * send, can move one many times in a second. */
#define MOVE_BURST 16
#define MOVE_LOG_BURST 32 /* warnings about moves at once, then 1/s */

/* The SCTP path MTU toward a peer: the user's --mtu, else the route's. */
uint32_t ut_pathmtu_toward(const struct usrsctp_transport *t,
                           const struct sockaddr *sa, socklen_t len)
{
    int ip_mtu = t->cfg.mtu ? (int)t->cfg.mtu : ut_route_mtu(sa, len);
    uint32_t mtu;

    if (ip_mtu <= 0) {
        log_debug("no route MTU toward peer (%s); using %u", strerror(-ip_mtu),
                  DEFAULT_PATHMTU);
        return DEFAULT_PATHMTU;
    }
    mtu = route_mtu_sctp_pathmtu(sa->sa_family, (uint32_t)ip_mtu);
    return mtu ? mtu : DEFAULT_PATHMTU;
}

/* from as the peer table keeps endpoints: unmapped. */
static socklen_t endpoint_of(const struct sockaddr *sa, socklen_t len,
                             struct sockaddr_storage *out)
{
    socklen_t outlen = len;

    memset(out, 0, sizeof(*out));
    memcpy(out, sa, len);
    netaddr_unmap(out, &outlen);
    return outlen;
}

/*
 * The SACKs in a packet for an association of p: their gap and duplicate
 * reports are counted, and one acknowledging the TSN the association
 * times goes to its RTT sampler. The packet's CRC has been checked; its
 * tag must be the association's own, or nothing is read. Control chunks
 * come before DATA (RFC 9260 6.10), so the walk ends at the first DATA
 * chunk: a data packet costs one chunk header.
 */
static void read_sacks(struct peer *p, const uint8_t *pkt, size_t n)
{
    struct usrsctp_transport *t = p->owner;
    struct sctp_wire_iter it;
    struct sctp_wire_chunk ch;
    struct sctp_wire_header h;
    struct usrsctp_conn *c = NULL;
    uint32_t timed = 0;
    bool timing = false;

    sctp_wire_iter_init(&it, pkt, n);
    while (sctp_wire_next_chunk(&it, &ch)) {
        uint32_t cum;
        size_t gaps, dups;
        bool acked;

        if (ch.type == SCTP_WIRE_DATA || ch.type == SCTP_WIRE_IDATA)
            return;
        if (ch.type != SCTP_WIRE_SACK)
            continue;
        if (c == NULL) {
            if (!sctp_wire_header(pkt, n, &h))
                return;
            c = ut_conn_by_tag(h.vtag);
            if (c == NULL || c->peer != p)
                return;
            timing = rtt_sampler_timed(&c->rtt, &timed);
        }
        if (sctp_wire_sack_reports(&ch, &gaps, &dups)) {
            t->counters.rx_sacks_with_gaps += gaps > 0;
            t->counters.rx_sack_dup_tsns += dups;
        }
        if (timing && sctp_wire_sack_acks(&ch, timed, &cum, &acked))
            rtt_sampler_acked(&c->rtt, cum, acked, ut_now_us());
    }
}

static void feed(struct peer *p, uint8_t *pkt, size_t n)
{
    p->last_seen_ms = ut_now_ms();
    read_sacks(p, pkt, n);
    usrsctp_conninput((void *)p->handle, pkt, n, 0);
}

/* A warning about a move, at most MOVE_LOG_BURST at once and one a
 * second after that; the ones left out are counted in the next. */
static void log_move(struct usrsctp_transport *t, const char *what)
{
    uint64_t left_out = t->move_log.suppressed;

    if (!ut_rate_allow(&t->move_log, ut_now_ms(), 1000, MOVE_LOG_BURST))
        return;
    t->move_log.suppressed = 0;
    if (left_out > 0)
        log_warn("%s (%llu more moves not logged)", what,
                 (unsigned long long)left_out);
    else
        log_warn("%s", what);
}

/* Send c's probe (a HEARTBEAT with a fresh nonce) to the candidate
 * endpoint from, unless one went to any candidate lately (unless force:
 * a sibling's move has just confirmed this one). */
static void probe_path(struct usrsctp_transport *t, struct usrsctp_conn *c,
                       const struct sockaddr *from, socklen_t fromlen,
                       const struct sockaddr *raw, socklen_t rawlen, bool force)
{
    uint8_t pkt[SCTP_WIRE_PROBE_LEN];
    uint64_t now = ut_now_ms();
    size_t n;

    if (c->peer_tag == 0)
        return; /* nothing sent on it yet: no tag to probe with */
    if (!force && c->probe_nonce != 0 &&
        now - c->probe_sent_ms < PROBE_EVERY_MS)
        return; /* this or another candidate is being probed */
    c->probe_nonce = ut_random64();
    c->probe_sent_ms = now;
    memset(&c->probe_addr, 0, sizeof(c->probe_addr));
    memcpy(&c->probe_addr, from, fromlen);
    c->probe_addrlen = fromlen;
    n = sctp_wire_build_probe(pkt, sizeof(pkt), c->local_port, c->peer_port,
                              c->peer_tag, c->probe_nonce);
    crc32c_sctp_fill(pkt, n);
    t->counters.tx_path_probes++;
    /* raw: as the socket gave it (IPv4-mapped on a dual-stack one) */
    if (udp_batch_add(t->batch, raw, rawlen, pkt, n) != 0)
        c->probe_nonce = 0;
    else if (t->cfg.pcap != NULL)
        ut_pcap_datagram(t, true, raw, pkt, n);
}

/*
 * The HEARTBEAT-ACK of our probe came back from the candidate endpoint
 * to (raw: as the socket gave it): the path is confirmed, and association
 * c moves there. When every association of its peer is there then (the
 * usual case: one, or all behind one NAT mapping), the peer itself moves,
 * as a NAT rebinding. Otherwise each other association gets a probe of
 * its own there: one behind the same NAT mapping answers it (with its own
 * tag, which only its endpoint knows) and follows, even if it has nothing
 * to send; one that is not there stays.
 */
static void confirm_move(struct usrsctp_transport *t, struct usrsctp_conn *c,
                         const struct sockaddr *to, socklen_t tolen,
                         const struct sockaddr *raw, socklen_t rawlen)
{
    struct peer *p = c->peer;
    struct usrsctp_conn *o;
    socklen_t was_len;
    const struct sockaddr *was = ut_conn_dst(c, &was_len);
    char a[NETADDR_STRLEN];
    char b[NETADDR_STRLEN];
    char line[3 * NETADDR_STRLEN + 96];
    unsigned int elsewhere = 0;

    c->probe_nonce = 0;
    if (!ut_rate_allow(&c->moves, ut_now_ms(), 1000, MOVE_BURST))
        return; /* too many moves: a later probe tries again */
    netaddr_format(was, a, sizeof(a));
    memcpy(&c->old_dst, was, was_len);
    c->moved_ms = ut_now_ms();
    memset(&c->dst, 0, sizeof(c->dst));
    memcpy(&c->dst, to, tolen);
    c->dstlen = tolen;
    c->own_dst = true;
    for (o = p->conns; o != NULL; o = o->next_of_peer) {
        socklen_t olen;

        if (o->so != NULL && !netaddr_equal(ut_conn_dst(o, &olen), to))
            elsewhere++;
    }
    netaddr_format(to, b, sizeof(b));
    if (elsewhere > 0) {
        t->counters.assoc_moves++;
        snprintf(line, sizeof(line),
                 "association %s sctp/%u moved to %s (path confirmed); %u "
                 "other association(s) of that peer stay",
                 a, (unsigned)c->peer_port, b, elsewhere);
        log_move(t, line);
        for (o = p->conns; o != NULL; o = o->next_of_peer) {
            socklen_t olen;

            if (o != c && o->so != NULL &&
                !netaddr_equal(ut_conn_dst(o, &olen), to))
                probe_path(t, o, to, tolen, raw, rawlen, true);
        }
        return;
    }
    netaddr_format((struct sockaddr *)&p->addr, a, sizeof(a));
    peer_table_rebind(ut_peers(), p, to, tolen, ut_now_ms());
    for (o = p->conns; o != NULL; o = o->next_of_peer)
        o->own_dst = false;
    t->counters.rx_rebinds++;
    snprintf(line, sizeof(line),
             "peer %s moved to %s (NAT rebinding): its associations follow", a,
             b);
    log_move(t, line);
}

/*
 * A datagram from an endpoint that is not its peer's, carrying the tag of
 * live association c, from the same host: the peer's NAT may have given
 * it a new UDP port (docker-proxy does after a failed send, home routers
 * after an idle timeout), or someone else there knows the tag. usrsctp
 * may have it (it checks the tag against the association), but replies
 * stay on the confirmed endpoint until our probe's HEARTBEAT-ACK comes
 * back from the new one (RFC 6951 5.4 with a path check, as QUIC does).
 */
static void path_input(struct usrsctp_transport *t, struct usrsctp_conn *c,
                       const struct sockaddr *from, socklen_t fromlen,
                       const struct sockaddr *raw, socklen_t rawlen,
                       uint8_t *pkt, size_t n)
{
    struct sctp_wire_iter it;
    struct sctp_wire_chunk ch;
    socklen_t dlen;
    uint64_t nonce;
    int chunks = 0;

    if (netaddr_equal(ut_conn_dst(c, &dlen), from)) {
        feed(c->peer, pkt, n); /* where c alone has moved */
        return;
    }
    if (sctp_wire_probe_ack(pkt, n, &nonce)) {
        if (c->probe_nonce != 0 && nonce == c->probe_nonce &&
            netaddr_equal((struct sockaddr *)&c->probe_addr, from))
            confirm_move(t, c, from, fromlen, raw, rawlen);
        /* Ours, not usrsctp's (which would ignore it: the length is not
         * its own heartbeat's); what came bundled with it is. */
        sctp_wire_iter_init(&it, pkt, n);
        while (sctp_wire_next_chunk(&it, &ch))
            chunks++;
        if (chunks > 1)
            feed(c->peer, pkt, n);
        return;
    }
    if (c->moved_ms != 0 && ut_now_ms() - c->moved_ms < REBIND_HOLD_MS &&
        netaddr_equal((struct sockaddr *)&c->old_dst, from)) {
        feed(c->peer, pkt, n); /* a straggler from before the move */
        return;
    }
    probe_path(t, c, from, fromlen, raw, rawlen, false);
    feed(c->peer, pkt, n);
}

/*
 * A COOKIE-ECHO from an endpoint with no state: it becomes a peer (its
 * handle registered, its path MTU taken), in place of the oldest peer
 * without an association when the table is full. NULL when every peer
 * carries one (counted).
 */
static struct peer *admit_peer(struct usrsctp_transport *t,
                               const struct sockaddr *from, socklen_t fromlen)
{
    struct peer *p;

    if (peer_table_count(ut_peers()) >= ut_max_peers(t)) {
        p = peer_table_oldest_idle(ut_peers(), t);
        if (p == NULL) {
            t->counters.rx_table_full++;
            return NULL;
        }
        ut_peer_drop(p);
        t->counters.peers_evicted++;
    }
    /* the handle its INIT came under: the cookie is signed with it */
    p = peer_table_add_handle(ut_peers(), from, fromlen,
                              peer_table_endpoint_handle(ut_peers(), from));
    if (p == NULL) {
        t->counters.rx_unknown_peer++; /* the handle is a moved peer's */
        return NULL;
    }
    p->owner = t;
    p->sctp_pathmtu =
        ut_pathmtu_toward(t, (struct sockaddr *)&p->addr, p->addrlen);
    /* Without registration the handshake completes and the association
     * then dies. */
    usrsctp_register_address((void *)p->handle);
    return p;
}

/*
 * Before usrsctp sees a COOKIE-ECHO on the listener: it creates the
 * association (or restarts one, RFC 9260 5.2.4, which usrsctp 0.9.5.0
 * does itself), whose tag is the packet's; the association takes its path
 * MTU, and its initial congestion window, from the listener's defaults,
 * so make those the peer's now. Otherwise the first large message crawls
 * at a 1280-byte window.
 */
static void prepare_listener(struct usrsctp_transport *t, struct peer *p,
                             const uint8_t *pkt, size_t len)
{
    struct sctp_wire_header h;
    char err[128];

    if (sctp_wire_first_chunk_type(pkt, len) != SCTP_WIRE_COOKIE_ECHO ||
        !sctp_wire_header(pkt, len, &h))
        return;
    peer_note_cookie(p, h.src_port, h.vtag);
    if (p->sctp_pathmtu != 0 && p->sctp_pathmtu != t->listen_pathmtu) {
        if (sctp_sockopt_set_pathmtu(t->listener, SCTP_FUTURE_ASSOC,
                                     p->sctp_pathmtu, err, sizeof(err)) < 0)
            log_warn("%s", err);
        else
            t->listen_pathmtu = p->sctp_pathmtu;
    }
}

/*
 * One datagram: check it, find what it belongs to, hand it to usrsctp.
 * An endpoint has state (a peer) only once it has sent a COOKIE-ECHO (or
 * we connected to it): an INIT from a stranger is answered keeping
 * nothing, which is what SCTP's cookie is for, and anything else from a
 * stranger is dropped unless it carries a live association's tag.
 */
void ut_input_datagram(struct usrsctp_transport *t, const struct sockaddr *from,
                       socklen_t fromlen, uint8_t *pkt, size_t n)
{
    struct sockaddr_storage ep;
    socklen_t eplen;
    struct sctp_wire_header h;
    struct usrsctp_conn *c;
    struct peer *p;
    int type;

    t->counters.rx_datagrams++;
    if (n < CRC32C_SCTP_HDR_LEN || fromlen > sizeof(ep)) {
        t->counters.rx_short++;
        return;
    }
    if (!crc32c_sctp_check(pkt, n)) {
        t->counters.rx_bad_crc++;
        return;
    }
    if (!sctp_wire_init_params_ok(pkt, n)) {
        t->counters.rx_malformed++;
        return;
    }
    p = peer_table_find_owned(ut_peers(), from, t);
    if (p != NULL) {
        if (t->listener != NULL)
            prepare_listener(t, p, pkt, n);
        feed(p, pkt, n);
        return;
    }
    eplen = endpoint_of(from, fromlen, &ep);
    sctp_wire_header(pkt, n, &h);
    if (sctp_wire_tag_is_receivers(pkt, n)) {
        c = ut_conn_by_tag(h.vtag);
        if (c != NULL && c->t == t) {
            socklen_t dlen;

            if (netaddr_same_host(ut_conn_dst(c, &dlen),
                                  (struct sockaddr *)&ep)) {
                path_input(t, c, (struct sockaddr *)&ep, eplen, from, fromlen,
                           pkt, n);
                return;
            }
        }
    }
    type = sctp_wire_first_chunk_type(pkt, n);
    if (t->listener != NULL && type == SCTP_WIRE_INIT) {
        ut_stateless_input(t, (struct sockaddr *)&ep, from, fromlen, pkt, n);
        return;
    }
    if (t->listener != NULL && type == SCTP_WIRE_COOKIE_ECHO) {
        p = admit_peer(t, (struct sockaddr *)&ep, eplen);
        if (p == NULL)
            return;
        prepare_listener(t, p, pkt, n);
        feed(p, pkt, n);
        return;
    }
    t->counters.rx_unknown_peer++;
}

/* One received datagram's GRO segment size (cmsg), or its length. */
static size_t gro_segment(struct msghdr *msg, size_t len)
{
    struct cmsghdr *cm;
    size_t seg = len;

    for (cm = CMSG_FIRSTHDR(msg); cm != NULL; cm = CMSG_NXTHDR(msg, cm)) {
        int gso = 0;

        if (cm->cmsg_level != SOL_UDP || cm->cmsg_type != UDP_GRO)
            continue;
        memcpy(&gso, CMSG_DATA(cm), sizeof(gso));
        if (gso > 0 && (size_t)gso < seg)
            seg = (size_t)gso;
    }
    return seg;
}

/*
 * Read what the UDP socket holds and feed it to usrsctp: up to
 * UDP_RX_VLEN datagrams per recvmmsg (with UDP GRO each may be a run of
 * equal-size ones the kernel coalesced), UDP_RX_BATCH in all per
 * readiness event. A call that returns fewer than it had room for found
 * the queue empty, so no further read is spent to hear EAGAIN: an echo's
 * round trip costs one read per packet, not two.
 */
static void udp_read_cb(evutil_socket_t fd, short what, void *arg)
{
    struct usrsctp_transport *t = arg;
    struct mmsghdr msgs[UDP_RX_VLEN];
    struct iovec iov[UDP_RX_VLEN];
    struct sockaddr_storage from[UDP_RX_VLEN];
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl[UDP_RX_VLEN];
    int got = 0;

    (void)what;
    while (got < UDP_RX_BATCH) {
        int i;
        int n;

        memset(msgs, 0, sizeof(msgs));
        for (i = 0; i < UDP_RX_VLEN; i++) {
            iov[i].iov_base = t->rxbuf + (size_t)i * UDP_RX_MAX;
            iov[i].iov_len = UDP_RX_MAX;
            msgs[i].msg_hdr.msg_name = &from[i];
            msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
            msgs[i].msg_hdr.msg_control = ctl[i].buf;
            msgs[i].msg_hdr.msg_controllen = sizeof(ctl[i].buf);
        }
        n = recvmmsg(fd, msgs, UDP_RX_VLEN, MSG_DONTWAIT, NULL);
        if (n < 0) {
            /* With IP_RECVERR an ICMP error fails one read and stays in
             * the error queue (and keeps the socket readable) until
             * read from there. */
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                ut_read_icmp_errors(t, ut_peers());
            break;
        }
        for (i = 0; i < n; i++) {
            struct sockaddr *sa = (struct sockaddr *)&from[i];
            socklen_t salen = msgs[i].msg_hdr.msg_namelen;
            uint8_t *buf = iov[i].iov_base;
            size_t len = msgs[i].msg_len;
            size_t seg = gro_segment(&msgs[i].msg_hdr, len);
            size_t off;

            if (len == 0) {
                ut_receive_datagram(t, sa, salen, buf, 0);
                continue;
            }
            for (off = 0; off < len; off += seg)
                ut_receive_datagram(t, sa, salen, buf + off,
                                    len - off < seg ? len - off : seg);
        }
        got += n;
        if (n < UDP_RX_VLEN)
            break;
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
    /* Dual stack: without it a server on [::] would silently serve IPv6
     * peers only, so a failure is an error. */
    if (t->family == AF_INET6 &&
        setsockopt(t->fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) < 0) {
        e = errno;
        sctp_plan_fail(err, errlen, "IPV6_V6ONLY off (dual-stack UDP)", e);
        return -e;
    }
    udp_icmp_enable(t->fd, t->family);
    /* -S/--tos and --bind-dev: on the UDP socket, so on every packet. */
    e = transport_ipsock_options(t->fd, t->family, &t->cfg, err, errlen);
    if (e < 0)
        return e;
    /* Let the kernel fragment rather than drop when a path turns out
     * narrower than the MTU we derived: slow beats silent. */
    /* A warning only: without it a too-narrow path drops instead of
     * fragmenting, which the path MTU (route or --mtu) normally avoids. */
    dontfrag = t->family == AF_INET6 ? IPV6_PMTUDISC_DONT : IP_PMTUDISC_DONT;
    if (setsockopt(t->fd, t->family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
                   t->family == AF_INET6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER,
                   &dontfrag, sizeof(dontfrag)) < 0)
        log_warn("cannot let the kernel fragment UDP (%s): datagrams larger "
                 "than the path will be lost, not fragmented",
                 strerror(errno));
    if (ut_gso_wanted()) {
        int on = 1;

        /* Coalesced receive (GRO): kernels before 5.0 lack it and then
         * hand over one datagram per read, which is correct, so its
         * failure is left unsaid. */
        (void)setsockopt(t->fd, SOL_UDP, UDP_GRO, &on, sizeof(on));
    }
    transport_ipsock_buffers(t->fd, UDP_SOCKBUF, UDP_SOCKBUF);
    if (t->cfg.workers > 1) {
        e = workers_share_port(t->fd, err, errlen);
        if (e < 0)
            return e;
    }
    if (bind(t->fd, (struct sockaddr *)&local, locallen) < 0) {
        e = errno;
        snprintf(what, sizeof(what), "bind UDP %s",
                 netaddr_format((struct sockaddr *)&local, what + 32, 32));
        sctp_plan_fail(err, errlen, what, e);
        return -e;
    }
    if (t->cfg.workers > 1) {
        e = workers_steer(t->fd, t->cfg.workers, err, errlen);
        if (e < 0)
            return e;
    }
    t->udp_ev = event_new(t->base, t->fd, EV_READ | EV_PERSIST, udp_read_cb, t);
    if (t->udp_ev == NULL || event_add(t->udp_ev, NULL) < 0) {
        snprintf(err, errlen, "event_new: out of memory");
        return -ENOMEM;
    }
    return 0;
}
