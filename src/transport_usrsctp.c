/*
 * transport_usrsctp.c - SCTP in userspace (usrsctp) over UDP (RFC 6951).
 *
 * usrsctp runs without threads of its own (usrsctp_init_nothreads) and
 * with AF_CONN sockets: we own the UDP socket, feed every datagram to
 * usrsctp_conninput() and send what usrsctp hands conn_output(). A 10 ms
 * timer drives usrsctp's timers. All of it runs on the one event_base, so
 * callbacks never race (see DESIGN.md for why this shape).
 *
 * Each UDP endpoint gets an opaque handle (peer_table.h). Replies go to
 * the endpoint the peer's datagrams came from, which is what lets NAT and
 * published container ports work: nothing inside SCTP carries an address.
 *
 * usrsctp's process-wide state (init, the handle table, the timer) lives in
 * usrsctp_rt, reference-counted by the transports that use it.
 */
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <usrsctp.h>

#include "crc32c.h"
#include "log.h"
#include "netaddr.h"
#include "peer_table.h"
#include "route_mtu.h"
#include "sctp_plan.h"
#include "sctp_sockopt.h"
#include "transport.h"
#include "transport_ipsock.h"
#include "transport_usrsctp_priv.h"
#include "udp_batch.h"
#include "udp_icmp.h"
#include "version.h"

#define UDP_RX_MAX 65536 /* largest datagram we read */
#define UDP_SOCKBUF (4 * 1024 * 1024)
#define TIMER_TICK_MS 10
#define PEER_IDLE_MS 30000 /* keep a silent, unused peer this long */
#define SWEEP_EVERY_MS 1000
#define REBIND_HOLD_MS 2000  /* stragglers from a peer's old NAT mapping */
#define DEFAULT_PATHMTU 1280 /* usrsctp's own default */
#define SCTP_DATA_CHUNK_TYPE 0
#define SCTP_IDATA_CHUNK_TYPE 64
#define SCTP_INIT_CHUNK_TYPE 1
#define SCTP_INIT_ACK_CHUNK_TYPE 2
#define SCTP_COOKIE_ECHO_CHUNK_TYPE 10

static struct {
    unsigned int refs;
    struct peer_table *peers;
    struct event *timer;
    uint64_t last_tick_ns;
    struct usrsctp_transport *transports; /* usrsctp's clock, monotonic */
    uint32_t since_sweep_ms;
} usrsctp_rt;

static uint64_t mono_ns(void);

static uint64_t now_ms(void)
{
    return mono_ns() / 1000000;
}

static void set_err(char *err, size_t errlen, const char *what, int errnum)
{
    snprintf(err, errlen, "%s: %s", what, strerror(errnum));
}

/* RFC 1982 serial number order for TSNs. */
static uint32_t get_be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
           b[3];
}

/*
 * The Initiate Tag of an INIT or INIT-ACK we send is the verification tag
 * the peer will put on every packet of that association: remember it, so
 * the peer can be recognised if a NAT moves it to another UDP port.
 */
static void note_our_vtag(struct peer *p, const uint8_t *pkt, size_t len)
{
    const uint8_t *chunk = pkt + CRC32C_SCTP_HDR_LEN;

    if (len >= CRC32C_SCTP_HDR_LEN + 8 &&
        (chunk[0] == SCTP_INIT_CHUNK_TYPE ||
         chunk[0] == SCTP_INIT_ACK_CHUNK_TYPE))
        peer_note_vtag(p, get_be32(chunk + 4));
}

static bool tsn_after(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

/*
 * Count the DATA chunks in an outgoing packet that carry a TSN sent
 * before: that is a retransmission, fast or timed. The association is
 * found by its peer and ports; packets of closed ones are not counted.
 */
static void count_retransmits(struct usrsctp_transport *t, const struct peer *p,
                              const uint8_t *pkt, size_t len)
{
    uint16_t src = (uint16_t)(pkt[0] << 8 | pkt[1]);
    uint16_t dst = (uint16_t)(pkt[2] << 8 | pkt[3]);
    struct usrsctp_conn *c;
    size_t off = CRC32C_SCTP_HDR_LEN;

    for (c = t->conns; c != NULL; c = c->next)
        if (c->peer == p && c->peer_port == dst && c->local_port == src)
            break;
    if (c == NULL)
        return;
    while (off + 8 <= len) {
        uint16_t clen = (uint16_t)(pkt[off + 2] << 8 | pkt[off + 3]);
        uint8_t type = pkt[off];

        if (clen < 4)
            break;
        if ((type == SCTP_DATA_CHUNK_TYPE || type == SCTP_IDATA_CHUNK_TYPE) &&
            clen >= 8) {
            uint32_t tsn = get_be32(pkt + off + 4);

            if (!c->tx_seen || tsn_after(tsn, c->tx_highest_tsn)) {
                c->tx_highest_tsn = tsn;
                c->tx_seen = true;
            } else {
                c->retransmits++;
            }
        }
        off += ((size_t)clen + 3) & ~(size_t)3;
    }
}

/*
 * usrsctp's output path. It runs with usrsctp's stack locks held, so it
 * must not call back into usrsctp. Packets for unknown handles (late
 * retransmissions after a close) are dropped on purpose.
 */
static int conn_output(void *addr, void *buf, size_t len, uint8_t tos,
                       uint8_t set_df)
{
    struct peer *p = peer_table_find_handle(usrsctp_rt.peers, (uintptr_t)addr);
    struct usrsctp_transport *t;
    struct sockaddr_storage dst;
    socklen_t dstlen;
    int err;

    (void)tos;
    (void)set_df;
    if (p == NULL || p->muted || len < CRC32C_SCTP_HDR_LEN)
        return 0;
    t = p->owner;
    note_our_vtag(p, buf, len);
    crc32c_sctp_fill(buf, len);
    memcpy(&dst, &p->addr, p->addrlen);
    dstlen = p->addrlen;
    if (t->family == AF_INET6 && dst.ss_family == AF_INET) {
        /* A dual-stack socket reaches IPv4 peers as ::ffff:a.b.c.d. */
        struct sockaddr_in s4 = *(struct sockaddr_in *)&p->addr;
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&dst;

        memset(&dst, 0, sizeof(dst));
        s6->sin6_family = AF_INET6;
        s6->sin6_port = s4.sin_port;
        s6->sin6_addr.s6_addr[10] = 0xff;
        s6->sin6_addr.s6_addr[11] = 0xff;
        memcpy(&s6->sin6_addr.s6_addr[12], &s4.sin_addr, 4);
        dstlen = sizeof(*s6);
    }
    /*
     * Gathered, and sent once usrsctp has returned (flush_output), or sent
     * at once. A refused send goes back to usrsctp, which keeps the chunks
     * unsent and sends them again with its next output: a local firewall
     * or a full socket buffer is not loss on the path, so it must cost
     * neither a retransmission timeout nor the congestion window.
     */
    err = udp_batch_add(t->batch, (struct sockaddr *)&dst, dstlen, buf, len);
    if (err != 0)
        return err;
    count_retransmits(t, p, buf, len);
    return 0;
}

/*
 * Send what conn_output gathered. Called after every usrsctp call that can
 * produce packets, before control returns to the event loop.
 */
static void flush_output(void)
{
    struct usrsctp_transport *t;
    int saved = errno; /* callers still read usrsctp's errno after this */

    for (t = usrsctp_rt.transports; t != NULL; t = t->next)
        udp_batch_flush(t->batch);
    errno = saved;
}

static void deregister_peer(struct peer *p, void *arg)
{
    (void)arg;
    usrsctp_deregister_address((void *)p->handle);
}

static uint64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Drive usrsctp's clock with the time that really passed. usrsctp takes
 * whole milliseconds; the remainder stays in last_tick_ns for next time.
 */
static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
    uint32_t ms = (uint32_t)((mono_ns() - usrsctp_rt.last_tick_ns) / 1000000);

    (void)fd;
    (void)what;
    (void)arg;
    usrsctp_rt.last_tick_ns += (uint64_t)ms * 1000000;
    usrsctp_handle_timers(ms);
    flush_output();

    usrsctp_rt.since_sweep_ms += ms;
    if (usrsctp_rt.since_sweep_ms >= SWEEP_EVERY_MS) {
        usrsctp_rt.since_sweep_ms = 0;
        peer_table_expire(usrsctp_rt.peers, now_ms(), PEER_IDLE_MS,
                          deregister_peer, NULL);
    }
}

static int runtime_ref(struct event_base *base, char *err, size_t errlen)
{
    struct timeval tick = { 0, TIMER_TICK_MS * 1000 };

    if (usrsctp_rt.refs++ > 0)
        return 0;
    if (crc32c_self_test() != 0)
        log_warn("CRC32c self-test failed; using the software CRC32c");
    usrsctp_rt.peers = peer_table_new();
    usrsctp_rt.timer = event_new(base, -1, EV_PERSIST, timer_cb, NULL);
    if (usrsctp_rt.peers == NULL || usrsctp_rt.timer == NULL) {
        snprintf(err, errlen, "usrsctp: out of memory");
        goto out_free;
    }
    usrsctp_init_nothreads(0, conn_output, NULL);
    /* We compute and check CRC32c ourselves, so a bad one is counted. */
    usrsctp_enable_crc32c_offload();
    /* Answer an INIT for a port nobody serves with an ABORT (RFC 9260
     * 8.4), so a client with a wrong -p fails at once and says why. The
     * ABORT is smaller than the INIT, so a forged INIT gains an attacker
     * no amplification; it creates no association state. */
    usrsctp_sysctl_set_sctp_blackhole(0);
    usrsctp_rt.last_tick_ns = mono_ns();
    event_add(usrsctp_rt.timer, &tick);
    return 0;

out_free:
    if (usrsctp_rt.timer != NULL)
        event_free(usrsctp_rt.timer);
    peer_table_free(usrsctp_rt.peers);
    memset(&usrsctp_rt, 0, sizeof(usrsctp_rt));
    return -1;
}

static void runtime_unref(void)
{
    if (--usrsctp_rt.refs > 0)
        return;
    event_free(usrsctp_rt.timer);
    /* Associations still shutting down keep usrsctp busy; finish only
     * succeeds once none is left, and exit reclaims the rest. */
    usrsctp_finish();
    peer_table_foreach(usrsctp_rt.peers, deregister_peer, NULL);
    peer_table_free(usrsctp_rt.peers);
    memset(&usrsctp_rt, 0, sizeof(usrsctp_rt));
}

/* The SCTP path MTU toward a peer: the user's --mtu, else the route's. */
static uint32_t pathmtu_toward(const struct usrsctp_transport *t,
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
    p = peer_table_find_rebound(usrsctp_rt.peers, (struct sockaddr *)&from,
                                get_be32(pkt + 4));
    if (p == NULL || p->owner != t)
        return NULL;
    if (p->rebound_ms != 0 && now_ms() - p->rebound_ms < REBIND_HOLD_MS &&
        netaddr_equal((struct sockaddr *)&from,
                      (struct sockaddr *)&p->old_addr))
        return p;
    netaddr_format((struct sockaddr *)&p->addr, was, sizeof(was));
    peer_table_rebind(usrsctp_rt.peers, p, (struct sockaddr *)&from, fromlen,
                      now_ms());
    t->counters.rx_rebinds++;
    log_warn("peer %s moved to %s (NAT rebinding): its associations follow",
             was, netaddr_format((struct sockaddr *)&from, now, sizeof(now)));
    return p;
}

static struct peer *peer_for_datagram(struct usrsctp_transport *t,
                                      const struct sockaddr *sa, socklen_t len,
                                      const uint8_t *pkt)
{
    struct peer *p = peer_table_find_owned(usrsctp_rt.peers, sa, t);

    if (p != NULL)
        return p;
    p = follow_rebinding(t, sa, len, pkt);
    if (p != NULL || t->listener == NULL)
        return p;
    p = peer_table_add(usrsctp_rt.peers, sa, len);
    if (p == NULL)
        return NULL;
    p->owner = t;
    p->sctp_pathmtu =
        pathmtu_toward(t, (struct sockaddr *)&p->addr, p->addrlen);
    /* Without registration the handshake completes and the association
     * then dies. */
    usrsctp_register_address((void *)p->handle);
    return p;
}

/*
 * Abort the association at once and let go of its socket (a zero linger
 * close is the one abort usrsctp always carries out on the spot). The
 * connection stays with the workload, which hears of it as an error.
 */
static void conn_abort_socket(struct usrsctp_conn *c, int why)
{
    struct linger l = { 1, 0 };

    if (c->so == NULL)
        return;
    usrsctp_set_upcall(c->so, NULL, NULL);
    usrsctp_setsockopt(c->so, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    usrsctp_close(c->so);
    flush_output();
    c->so = NULL;
    c->state = CONN_FAILED;
    c->base.last_errno = why;
    event_active(c->ev, EV_READ, 0);
}

/*
 * A peer that comes back with the same UDP endpoint and SCTP port sends an
 * INIT into its old association. usrsctp would restart that association,
 * and the COOKIE-ECHO handling for an existing association leaks a TCB
 * lock in usrsctp 0.9.5.0 (upstream issue 587), which freezes a
 * single-threaded server. So the old association is aborted first: the
 * INIT then starts a new one, and the workload sees the old one end.
 */
static void abort_if_restart(struct usrsctp_transport *t, struct peer *p,
                             const uint8_t *pkt)
{
    uint16_t src_port = (uint16_t)(pkt[0] << 8 | pkt[1]);
    bool zero_vtag = (pkt[4] | pkt[5] | pkt[6] | pkt[7]) == 0;
    struct usrsctp_conn *c;

    /* INIT is the only chunk sent with a zero verification tag. */
    if (!zero_vtag)
        return;
    for (c = t->conns; c != NULL; c = c->next) {
        char who[NETADDR_STRLEN];

        if (c->peer != p || c->peer_port != src_port || c->state == CONN_FAILED)
            continue;
        log_warn("peer %s sctp/%u restarted: aborting its old association",
                 netaddr_format((struct sockaddr *)&p->addr, who, sizeof(who)),
                 (unsigned)src_port);
        /* The peer no longer knows that association: an ABORT for it
         * would only reach, and could confuse, the new incarnation. */
        p->muted = true;
        conn_abort_socket(c, ECONNRESET);
        p->muted = false;
    }
}

/*
 * Before usrsctp sees a handshake packet on the listener: an INIT from a
 * known peer may be a restart (above); a COOKIE-ECHO creates the
 * association, which takes its path MTU, and its initial congestion window,
 * from the listener's defaults, so make those the peer's now. Otherwise the
 * first large message crawls at a 1280-byte window.
 */
static void prepare_listener(struct usrsctp_transport *t, struct peer *p,
                             const uint8_t *pkt, size_t len)
{
    char err[128];

    if (len <= CRC32C_SCTP_HDR_LEN)
        return;
    if (pkt[CRC32C_SCTP_HDR_LEN] == SCTP_INIT_CHUNK_TYPE && p->assocs > 0)
        abort_if_restart(t, p, pkt);
    if (pkt[CRC32C_SCTP_HDR_LEN] == SCTP_COOKIE_ECHO_CHUNK_TYPE &&
        p->sctp_pathmtu != 0 && p->sctp_pathmtu != t->listen_pathmtu) {
        if (sctp_sockopt_set_pathmtu(t->listener, SCTP_FUTURE_ASSOC,
                                     p->sctp_pathmtu, err, sizeof(err)) < 0)
            log_warn("%s", err);
        else
            t->listen_pathmtu = p->sctp_pathmtu;
    }
}

/* One datagram: check it, find its peer, hand it to usrsctp. */
static void input_datagram(struct usrsctp_transport *t,
                           const struct sockaddr *from, socklen_t fromlen,
                           uint8_t *pkt, size_t n)
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
    p->last_seen_ms = now_ms();
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
                ut_read_icmp_errors(t, usrsctp_rt.peers);
            break;
        }
        if (n == 0) {
            input_datagram(t, (struct sockaddr *)&from, fromlen, t->rxbuf, 0);
            continue;
        }
        for (off = 0; off < (size_t)n; off += seg)
            input_datagram(t, (struct sockaddr *)&from, fromlen, t->rxbuf + off,
                           (size_t)n - off < seg ? (size_t)n - off : seg);
    }
    flush_output();
}

/*
 * UDP GSO unless SCTPU_UDP_GSO=0 (for comparing, or a path that mangles
 * it); the batch turns it off by itself where the kernel refuses it.
 */
static bool gso_wanted(void)
{
    const char *v = getenv("SCTPU_UDP_GSO");

    return v == NULL || strcmp(v, "0") != 0;
}

/* Bind our UDP socket; 0, or a negative errno with err written (the
 * caller tells an address in use from other failures by it). */
static int open_udp(struct usrsctp_transport *t, char *err, size_t errlen)
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
        set_err(err, errlen, "socket(UDP)", e);
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
    if (gso_wanted()) {
        int on = 1;

        /* Coalesced receive (GRO); harmless where unsupported. */
        setsockopt(t->fd, SOL_UDP, UDP_GRO, &on, sizeof(on));
    }
    transport_ipsock_buffers(t->fd, UDP_SOCKBUF, UDP_SOCKBUF);
    if (bind(t->fd, (struct sockaddr *)&local, locallen) < 0) {
        e = errno;
        snprintf(what, sizeof(what), "bind UDP %s",
                 netaddr_format((struct sockaddr *)&local, what + 32, 32));
        set_err(err, errlen, what, e);
        return -e;
    }
    t->udp_ev = event_new(t->base, t->fd, EV_READ | EV_PERSIST, udp_read_cb, t);
    if (t->udp_ev == NULL || event_add(t->udp_ev, NULL) < 0) {
        snprintf(err, errlen, "event_new: out of memory");
        return -ENOMEM;
    }
    return 0;
}

/* Returns 0, or a negative errno with err written: -EADDRINUSE says the
 * UDP port is taken. */
static int ut_open(struct event_base *base, const struct transport_config *cfg,
                   struct transport **out, char *err, size_t errlen)
{
    struct usrsctp_transport *t = NULL;
    int rc = -ENOMEM;

    /* Refused before anything is opened or sent. */
    if (cfg->nbind_more > 0) {
        snprintf(err, errlen, "%s", TRANSPORT_NO_MULTIHOMING);
        return -EINVAL;
    }
    t = calloc(1, sizeof(*t));
    if (t == NULL) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    t->base = base;
    t->cfg = *cfg;
    t->fd = -1;
    t->rxbuf = malloc(UDP_RX_MAX);
    t->batch = malloc(sizeof(*t->batch));
    if (t->rxbuf == NULL || t->batch == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out_free;
    }
    if (runtime_ref(base, err, errlen) < 0)
        goto out_free;
    rc = open_udp(t, err, errlen);
    if (rc < 0)
        goto out_unref;
    udp_batch_init(t->batch, t->fd, gso_wanted());
    t->next = usrsctp_rt.transports;
    usrsctp_rt.transports = t;
    t->head.ops = &transport_usrsctp_ops;
    *out = &t->head;
    return 0;

out_unref:
    if (t->udp_ev != NULL)
        event_free(t->udp_ev);
    if (t->fd >= 0)
        close(t->fd);
    runtime_unref();
out_free:
    free(t->rxbuf);
    free(t->batch);
    free(t);
    return rc;
}

static void ut_transport_close(struct transport *tr)
{
    struct usrsctp_transport *t = (struct usrsctp_transport *)tr;

    struct usrsctp_transport **pp = &usrsctp_rt.transports;

    if (t == NULL)
        return;
    if (t->listener != NULL) {
        usrsctp_set_upcall(t->listener, NULL, NULL);
        usrsctp_close(t->listener);
        event_free(t->listen_ev);
    }
    flush_output();
    while (*pp != NULL && *pp != t)
        pp = &(*pp)->next;
    if (*pp == t)
        *pp = t->next;
    /* conn_output must never reach a closed socket: the peers it served
     * go now, and late packets for their handles are dropped. */
    peer_table_remove_owner(usrsctp_rt.peers, t, deregister_peer, NULL);
    event_free(t->udp_ev);
    close(t->fd);
    runtime_unref();
    free(t->rxbuf);
    free(t->batch);
    free(t);
}

static void conn_event_cb(evutil_socket_t fd, short what, void *arg);

static void conn_upcall(struct socket *so, void *arg, int flags)
{
    struct usrsctp_conn *c = arg;

    (void)so;
    (void)flags;
    /* We are inside usrsctp here: only mark work for the event loop. */
    event_active(c->ev, EV_READ, 0);
}

static struct usrsctp_conn *conn_new(struct usrsctp_transport *t,
                                     struct socket *so, struct peer *p)
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
    p->assocs++;
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
            c->local_port = sctp_sockopt_bound_port(c->so, c->local_port);
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

static void apply_peer_pathmtu(struct usrsctp_conn *c)
{
    char err[128];

    if (c->peer->sctp_pathmtu == 0)
        return;
    if (sctp_sockopt_set_pathmtu(c->so, 0, c->peer->sctp_pathmtu, err,
                                 sizeof(err)) < 0)
        log_warn("%s", err);
}

/* Accept every pending association and hand each to the workload. */
static void listen_event_cb(evutil_socket_t fd, short what, void *arg)
{
    struct usrsctp_transport *t = arg;
    int on = 1;

    (void)fd;
    (void)what;
    for (;;) {
        struct sockaddr_conn from;
        socklen_t fromlen = sizeof(from);
        struct usrsctp_conn *c;
        struct socket *so;
        struct peer *p;

        so = usrsctp_accept(t->listener, (struct sockaddr *)&from, &fromlen);
        if (so == NULL)
            break;
        p = peer_table_find_handle(usrsctp_rt.peers,
                                   (uintptr_t)from.sconn_addr);
        c = p != NULL ? conn_new(t, so, p) : NULL;
        if (c == NULL) {
            struct linger l = { 1, 0 };

            log_warn("accept: %s; aborting the association",
                     p ? "out of memory" : "unknown peer handle");
            usrsctp_setsockopt(so, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
            usrsctp_close(so);
            continue;
        }
        usrsctp_set_non_blocking(so, 1);
        /* Not inherited from the listener: without it, the last small
         * fragment of a message waits for the peer's delayed SACK. */
        if (t->cfg.nodelay)
            usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on));
        c->state = CONN_ESTABLISHED;
        c->local_port = t->listen_port;
        c->peer_port = ntohs(from.sconn_port);
        apply_peer_pathmtu(c);
        t->on_accept(&c->base, t->accept_arg);
        /* Accepted sockets do not inherit the upcall, and data may be
         * queued already: look at it now. */
        event_active(c->ev, EV_READ, 0);
    }
    flush_output();
}

static void listen_upcall(struct socket *so, void *arg, int flags)
{
    struct usrsctp_transport *t = arg;

    (void)so;
    (void)flags;
    event_active(t->listen_ev, EV_READ, 0);
}

static int ut_listen(struct transport *tr, uint16_t sctp_port,
                     transport_accept_cb on_accept, void *arg, char *err,
                     size_t errlen)
{
    struct usrsctp_transport *t = (struct usrsctp_transport *)tr;
    struct sockaddr_conn sconn;
    uint32_t mtu = t->cfg.mtu ? route_mtu_sctp_pathmtu(t->family, t->cfg.mtu)
                              : DEFAULT_PATHMTU;
    uint16_t streams = sctp_plan_streams(&t->cfg, true);
    struct socket *so;

    so =
        usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
    if (so == NULL) {
        set_err(err, errlen, "usrsctp_socket", errno);
        return -1;
    }
    if (sctp_sockopt_configure(so, &t->cfg, streams, err, errlen) < 0 ||
        sctp_sockopt_set_pathmtu(so, SCTP_FUTURE_ASSOC,
                                 mtu ? mtu : DEFAULT_PATHMTU, err, errlen) < 0)
        goto out_close;
    memset(&sconn, 0, sizeof(sconn));
    sconn.sconn_family = AF_CONN;
    sconn.sconn_port = htons(sctp_port);
    sconn.sconn_addr = NULL; /* wildcard: every peer handle */
    if (usrsctp_bind(so, (struct sockaddr *)&sconn, sizeof(sconn)) < 0) {
        set_err(err, errlen, "bind SCTP port", errno);
        goto out_close;
    }
    if (usrsctp_listen(so, SOMAXCONN) < 0) {
        set_err(err, errlen, "listen", errno);
        goto out_close;
    }
    t->listen_ev = event_new(t->base, -1, 0, listen_event_cb, t);
    if (t->listen_ev == NULL) {
        snprintf(err, errlen, "event_new: out of memory");
        goto out_close;
    }
    t->listener = so;
    t->listen_port = sctp_port;
    t->listen_pathmtu = mtu ? mtu : DEFAULT_PATHMTU;
    t->on_accept = on_accept;
    t->accept_arg = arg;
    usrsctp_set_upcall(so, listen_upcall, t);
    return 0;

out_close:
    usrsctp_close(so);
    return -1;
}

static int ut_connect_peer(struct transport *tr,
                           const struct transport_peer *dst,
                           uint16_t local_sctp_port,
                           struct transport_conn **out, char *err,
                           size_t errlen)
{
    struct usrsctp_transport *t = (struct usrsctp_transport *)tr;
    uint16_t streams = sctp_plan_streams(&t->cfg, false);
    struct sockaddr_storage udp_dst = dst->addr;
    struct sockaddr_conn sconn;
    struct usrsctp_conn *c = NULL;
    struct socket *so;
    struct peer *p;
    int rc;

    /* One UDP socket toward one UDP endpoint: one path. Refused before
     * the INIT goes out. */
    if (dst->nmore > 0) {
        snprintf(err, errlen, "%s", TRANSPORT_NO_MULTIHOMING);
        return -1;
    }
    netaddr_set_port((struct sockaddr *)&udp_dst, dst->udp_port);
    p = peer_table_find_owned(usrsctp_rt.peers, (struct sockaddr *)&udp_dst, t);
    if (p == NULL) {
        p = peer_table_add(usrsctp_rt.peers, (struct sockaddr *)&udp_dst,
                           dst->addrlen);
        if (p == NULL) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        p->owner = t;
        p->sctp_pathmtu =
            pathmtu_toward(t, (struct sockaddr *)&p->addr, p->addrlen);
        usrsctp_register_address((void *)p->handle);
    }
    p->last_seen_ms = now_ms();

    so =
        usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
    if (so == NULL) {
        set_err(err, errlen, "usrsctp_socket", errno);
        return -1;
    }
    if (sctp_sockopt_configure(so, &t->cfg, streams, err, errlen) < 0 ||
        sctp_sockopt_set_pathmtu(so, SCTP_FUTURE_ASSOC, p->sctp_pathmtu, err,
                                 errlen) < 0)
        goto out_close;
    memset(&sconn, 0, sizeof(sconn));
    sconn.sconn_family = AF_CONN;
    sconn.sconn_port = htons(local_sctp_port);
    sconn.sconn_addr = (void *)p->handle;
    if (usrsctp_bind(so, (struct sockaddr *)&sconn, sizeof(sconn)) < 0) {
        set_err(err, errlen, "bind local SCTP port", errno);
        goto out_close;
    }
    c = conn_new(t, so, p);
    if (c == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out_close;
    }
    c->state = CONN_CONNECTING;
    c->peer_port = dst->sctp_port;
    c->local_port = local_sctp_port;
    sconn.sconn_port = htons(dst->sctp_port);
    rc = usrsctp_connect(so, (struct sockaddr *)&sconn, sizeof(sconn));
    flush_output();
    if (rc < 0 && errno != EINPROGRESS) {
        set_err(err, errlen, "connect", errno);
        c->base.ops->free(&c->base, true);
        return -1;
    }
    *out = &c->base;
    return 0;

out_close:
    usrsctp_close(so);
    return -1;
}

static ssize_t ut_send_msg(struct transport_conn *tc, const void *buf,
                           size_t len, const struct transport_msginfo *info)
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
    flush_output();
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

static ssize_t ut_recv_msg(struct transport_conn *tc, void *buf, size_t len,
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
        flush_output();
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
            /* Notifications that do not fit are skipped to their end. */
            c->in_notification = !(flags & MSG_EOR);
            if (!c->in_notification)
                ut_handle_notification(c, buf, (size_t)n);
            continue;
        }
        info->sid = rcv.rcv_sid;
        info->ppid = ntohl(rcv.rcv_ppid);
        info->unordered = (rcv.rcv_flags & SCTP_UNORDERED) != 0;
        info->eor = (flags & MSG_EOR) != 0;
        return n;
    }
}

static int ut_shutdown_conn(struct transport_conn *tc)
{
    struct usrsctp_conn *c = (struct usrsctp_conn *)tc;
    int rc;

    if (c->so == NULL)
        return -tc->last_errno;
    rc = usrsctp_shutdown(c->so, SHUT_WR);
    flush_output();
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
static void ut_conn_free(struct transport_conn *tc, bool abortive)
{
    struct usrsctp_conn *c = (struct usrsctp_conn *)tc;

    if (c == NULL)
        return;
    if (abortive) {
        conn_abort_socket(c, ECONNABORTED);
    } else if (c->so != NULL) {
        usrsctp_set_upcall(c->so, NULL, NULL);
        usrsctp_close(c->so);
        flush_output();
    }
    event_free(c->ev);
    c->peer->assocs--;
    c->peer->last_seen_ms = now_ms();
    *c->pprev = c->next;
    if (c->next != NULL)
        c->next->pprev = c->pprev;
    free(c);
}

static int ut_get_info(struct transport_conn *tc,
                       struct transport_assoc_info *info)
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
    info->srtt_ms = st.sstat_primary.spinfo_srtt;
    info->cwnd = st.sstat_primary.spinfo_cwnd;
    info->peer_rwnd = st.sstat_rwnd;
    info->unacked = st.sstat_unackdata;
    info->pending = st.sstat_penddata;
    info->retransmits = c->retransmits;
    info->abandoned = sctp_sockopt_abandoned(c->so);
    info->rto_ms = st.sstat_primary.spinfo_rto;
    info->heard_ms = (uint32_t)(now_ms() - c->peer->last_seen_ms);
    info->send_queued = sctp_sockopt_send_queued(c->so);
    return 0;
}

static int ut_tune(struct transport_conn *tc, const struct transport_tuning *tu)
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

static void ut_get_rto(const struct transport *tr, struct transport_rto *out)
{
    const struct usrsctp_transport *t = (const struct usrsctp_transport *)tr;
    struct socket *so = t->listener;

    if (so == NULL && t->conns != NULL)
        so = t->conns->so;
    if (so == NULL) {
        memset(out, 0, sizeof(*out));
        return;
    }
    sctp_sockopt_get_rto(so, out);
}

/* usrsctp's process-wide count of T3-rtx (DATA) timeouts. */
static uint64_t rtx_timeouts(void)
{
    struct sctpstat st;

    memset(&st, 0, sizeof(st));
    usrsctp_get_stat(&st);
    return st.sctps_timodata;
}

static void ut_get_counters(const struct transport *tr,
                            struct transport_counters *out)
{
    const struct usrsctp_transport *t = (const struct usrsctp_transport *)tr;

    *out = t->counters;
    out->tx_datagrams = t->batch->stats.datagrams;
    out->tx_errors = t->batch->stats.errors;
    out->rtx_timeouts = rtx_timeouts();
}

static void ut_local_name(const struct transport *tr, char *buf, size_t len)
{
    const struct usrsctp_transport *t = (const struct usrsctp_transport *)tr;
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof(ss);

    if (getsockname(t->fd, (struct sockaddr *)&ss, &sslen) < 0)
        snprintf(buf, len, "(unknown)");
    else
        netaddr_format((struct sockaddr *)&ss, buf, len);
}

/* usrsctp is linked in and needs nothing from the kernel but UDP. */
static int ut_probe(char *why, size_t whylen)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);

    if (fd < 0) {
        set_err(why, whylen, "socket(UDP)", errno);
        return -1;
    }
    close(fd);
    return 0;
}

static void ut_describe_stack(char *buf, size_t len)
{
    snprintf(buf, len, "usrsctp %s", SCTPU_USRSCTP_VERSION);
}

static const struct transport_caps ut_caps = {
    .pr_policies = 1 << 1 | 1 << 2 | 1 << 3, /* ttl, rtx, buf */
    .own_udp_socket = true,
};

const struct transport_ops transport_usrsctp_ops = {
    .name = "usrsctp",
    .caps = &ut_caps,
    .describe_stack = ut_describe_stack,
    .probe = ut_probe,
    .open = ut_open,
    .close = ut_transport_close,
    .listen = ut_listen,
    .connect = ut_connect_peer,
    .send = ut_send_msg,
    .recv = ut_recv_msg,
    .shutdown = ut_shutdown_conn,
    .free = ut_conn_free,
    .get_info = ut_get_info,
    .tune = ut_tune,
    .get_rto = ut_get_rto,
    .get_counters = ut_get_counters,
    .local_name = ut_local_name,
};
