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
 * usrsctp_rt, reference-counted by the transports that use it. This file
 * holds it, usrsctp's output, listen and connect, and the ops table; the
 * UDP side is transport_usrsctp_udp.c, connections
 * transport_usrsctp_conn.c, notifications transport_usrsctp_events.c.
 */
#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <usrsctp.h>

#include "conn_hash.h"
#include "crc32c.h"
#include "log.h"
#include "netaddr.h"
#include "peer_keyhash.h"
#include "peer_table.h"
#include "route_mtu.h"
#include "sctp_plan.h"
#include "sctp_sockopt.h"
#include "sctp_wire.h"
#include "transport.h"
#include "transport_usrsctp_priv.h"
#include "udp_batch.h"
#include "version.h"

#define TIMER_TICK_MS 10
#define PEER_IDLE_MS 30000 /* keep a silent, unused peer this long */
#define SWEEP_EVERY_MS 1000
static struct {
    unsigned int refs;
    struct peer_table *peers;
    /* Live associations by the tag the peer puts on their packets, and
     * every connection by (peer, local port, peer port): an incoming and
     * an outgoing packet find theirs in O(1) however many there are. */
    struct conn_hash by_tag;
    struct conn_hash by_ports;
    uint64_t conn_seq;           /* numbers connections as they are made */
    struct peer_keyhash_key key; /* for the indexes and probe nonces */
    uint64_t nonce_counter;
    struct route_mtu_cache mtu_cache;
    /* the INIT being answered statelessly, during its usrsctp_conninput */
    struct {
        struct usrsctp_transport *t; /* NULL: none */
        uintptr_t handle;
        struct sockaddr_storage from;
        socklen_t fromlen;
    } stateless;
    /* the connection whose usrsctp_connect runs: its INIT names its
     * (maybe ephemeral) local port and our Initiate Tag */
    struct usrsctp_conn *connecting;
    struct event *timer;
    uint64_t last_tick_ns;
    struct usrsctp_transport *transports; /* usrsctp's clock, monotonic */
    uint32_t since_sweep_ms;
} usrsctp_rt;

static uint64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t ut_now_ms(void)
{
    return mono_ns() / 1000000;
}

uint64_t ut_now_us(void)
{
    return mono_ns() / 1000;
}

uint64_t ut_random64(void)
{
    uint64_t n = ++usrsctp_rt.nonce_counter;
    uint64_t r = peer_keyhash(&usrsctp_rt.key, &n, sizeof(n));

    return r != 0 ? r : 1;
}

bool ut_rate_allow(struct ut_rate_limit *r, uint64_t now_ms, uint64_t period_ms,
                   unsigned int burst)
{
    uint64_t floor =
        now_ms > period_ms * burst ? now_ms - period_ms * burst : 0;

    if (r->credit_ms < floor)
        r->credit_ms = floor;
    if (r->credit_ms + period_ms > now_ms) {
        r->suppressed++;
        return false;
    }
    r->credit_ms += period_ms;
    return true;
}

static uint64_t tag_hash(uint32_t tag)
{
    return peer_keyhash(&usrsctp_rt.key, &tag, sizeof(tag));
}

void ut_conn_set_tag(struct usrsctp_conn *c, uint32_t tag)
{
    if (c->my_tag == tag)
        return;
    conn_hash_remove(&usrsctp_rt.by_tag, &c->by_tag);
    c->my_tag = tag;
    if (tag != 0)
        conn_hash_insert(&usrsctp_rt.by_tag, &c->by_tag, tag_hash(tag));
}

/* Of several with one tag, the one whose tag was set last (the index
 * keeps them newest first). */
struct usrsctp_conn *ut_conn_by_tag(uint32_t tag)
{
    uint64_t hash;
    struct conn_hash_node *n;

    if (tag == 0)
        return NULL;
    hash = tag_hash(tag);
    for (n = conn_hash_chain(&usrsctp_rt.by_tag, hash); n != NULL;
         n = n->next) {
        struct usrsctp_conn *c;

        if (n->hash != hash)
            continue;
        c = (struct usrsctp_conn *)((char *)n -
                                    offsetof(struct usrsctp_conn, by_tag));
        if (c->my_tag == tag && c->so != NULL && c->state != CONN_FAILED)
            return c;
    }
    return NULL;
}

static uint64_t ports_hash(const struct peer *p, uint16_t local_port,
                           uint16_t peer_port)
{
    uint64_t key[2] = { (uint64_t)(uintptr_t)p,
                        (uint64_t)local_port << 16 | peer_port };

    return peer_keyhash(&usrsctp_rt.key, key, sizeof(key));
}

void ut_conn_index(struct usrsctp_conn *c)
{
    c->seq = ++usrsctp_rt.conn_seq;
    conn_hash_insert(&usrsctp_rt.by_ports, &c->by_ports,
                     ports_hash(c->peer, c->local_port, c->peer_port));
}

void ut_conn_unindex(struct usrsctp_conn *c)
{
    ut_conn_set_tag(c, 0);
    conn_hash_remove(&usrsctp_rt.by_ports, &c->by_ports);
}

void ut_conn_set_ports(struct usrsctp_conn *c, uint16_t local_port,
                       uint16_t peer_port)
{
    if (c->local_port == local_port && c->peer_port == peer_port)
        return;
    c->local_port = local_port;
    c->peer_port = peer_port;
    if (!c->by_ports.linked)
        return; /* freed, or not yet made */
    conn_hash_remove(&usrsctp_rt.by_ports, &c->by_ports);
    conn_hash_insert(&usrsctp_rt.by_ports, &c->by_ports,
                     ports_hash(c->peer, local_port, peer_port));
}

/*
 * The connection of p with those ports, or NULL. Of several (one failed
 * and waiting for its free, one made since), the one made last: seq
 * orders them as p->conns does, whatever order their ports were set in.
 */
static struct usrsctp_conn *
conn_by_ports(const struct peer *p, uint16_t local_port, uint16_t peer_port)
{
    uint64_t hash = ports_hash(p, local_port, peer_port);
    struct conn_hash_node *n;
    struct usrsctp_conn *best = NULL;

    for (n = conn_hash_chain(&usrsctp_rt.by_ports, hash); n != NULL;
         n = n->next) {
        struct usrsctp_conn *c;

        if (n->hash != hash)
            continue;
        c = (struct usrsctp_conn *)((char *)n -
                                    offsetof(struct usrsctp_conn, by_ports));
        if (c->peer == p && c->local_port == local_port &&
            c->peer_port == peer_port && (best == NULL || c->seq > best->seq))
            best = c;
    }
    return best;
}

const struct sockaddr *ut_conn_dst(const struct usrsctp_conn *c, socklen_t *len)
{
    if (c->own_dst) {
        *len = c->dstlen;
        return (const struct sockaddr *)&c->dst;
    }
    *len = c->peer->addrlen;
    return (const struct sockaddr *)&c->peer->addr;
}

/*
 * The Initiate Tag of an INIT or INIT-ACK we send is the verification tag
 * the peer will put on every packet of that association: remember it, so
 * the peer can be recognised if a NAT moves it to another UDP port.
 */
static void note_our_vtag(struct peer *p, const uint8_t *pkt, size_t len)
{
    uint8_t type;
    uint32_t tag;

    if (sctp_wire_init_tag(pkt, len, &type, &tag))
        peer_note_vtag(p, tag);
}

/* RFC 1982 serial number order for TSNs. */
static bool tsn_after(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

/*
 * The association an outgoing packet belongs to, by its ports among its
 * peer's (an index: a walk of the peer's list cost O(associations) per
 * packet, and all of one client's share one peer); during usrsctp_connect, the INIT of the connection being made
 * (its local port may be an ephemeral one usrsctp picked just now).
 */
static struct usrsctp_conn *conn_of_packet(const struct peer *p,
                                           const struct sctp_wire_header *h,
                                           const uint8_t *pkt, size_t len)
{
    struct usrsctp_conn *c = conn_by_ports(p, h->src_port, h->dst_port);

    if (c != NULL)
        return c;
    c = usrsctp_rt.connecting;
    if (c != NULL && c->peer == p && c->peer_port == h->dst_port &&
        sctp_wire_first_chunk_type(pkt, len) == SCTP_WIRE_INIT) {
        ut_conn_set_ports(c, h->src_port, c->peer_port);
        return c;
    }
    return NULL;
}

/*
 * What an outgoing packet tells about its association: our Initiate Tag
 * in an INIT (the tag the peer will use), and the peer's tag in the
 * header (for our path probes).
 */
static void learn_tags(struct usrsctp_conn *c, const struct sctp_wire_header *h,
                       const uint8_t *pkt, size_t len)
{
    uint8_t type;
    uint32_t tag;

    if (sctp_wire_init_tag(pkt, len, &type, &tag) && type == SCTP_WIRE_INIT &&
        c->state == CONN_CONNECTING)
        ut_conn_set_tag(c, tag);
    if (h->vtag != 0 && sctp_wire_tag_is_receivers(pkt, len))
        c->peer_tag = h->vtag;
}

/*
 * The chunks of a packet that has left: DATA (and I-DATA) with a TSN sent
 * before is a retransmission, fast or timed (usrsctp only keeps
 * process-wide counters); the TSNs and FORWARD-TSNs feed the RTT sampler,
 * which reads the clock only when it starts timing a TSN.
 */
static void note_sent_chunks(struct usrsctp_conn *c, const uint8_t *pkt,
                             size_t len)
{
    struct sctp_wire_iter it;
    struct sctp_wire_chunk ch;
    uint64_t now_us = 0;

    sctp_wire_iter_init(&it, pkt, len);
    while (sctp_wire_next_chunk(&it, &ch)) {
        uint32_t tsn;

        if (ch.type == SCTP_WIRE_FORWARD_TSN ||
            ch.type == SCTP_WIRE_I_FORWARD_TSN) {
            rtt_sampler_cancel(&c->rtt);
            continue;
        }
        if (!sctp_wire_data_tsn(&ch, &tsn))
            continue;
        if (now_us == 0 && rtt_sampler_wants_time(&c->rtt))
            now_us = ut_now_us();
        rtt_sampler_sent(&c->rtt, tsn, now_us);
        if (!c->tx_seen || tsn_after(tsn, c->tx_highest_tsn)) {
            c->tx_highest_tsn = tsn;
            c->tx_seen = true;
        } else {
            c->retransmits++;
        }
    }
}

/* dst as t's socket takes it: a dual-stack IPv6 socket reaches IPv4
 * peers as ::ffff:a.b.c.d. */
static socklen_t socket_dst(const struct usrsctp_transport *t,
                            const struct sockaddr *sa, socklen_t len,
                            struct sockaddr_storage *dst)
{
    memcpy(dst, sa, len);
    if (t->family == AF_INET6 && sa->sa_family == AF_INET) {
        struct sockaddr_in s4 = *(const struct sockaddr_in *)sa;
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)dst;

        memset(dst, 0, sizeof(*dst));
        s6->sin6_family = AF_INET6;
        s6->sin6_port = s4.sin_port;
        s6->sin6_addr.s6_addr[10] = 0xff;
        s6->sin6_addr.s6_addr[11] = 0xff;
        memcpy(&s6->sin6_addr.s6_addr[12], &s4.sin_addr, 4);
        return sizeof(*s6);
    }
    return len;
}

/* usrsctp's answer to an INIT fed by ut_stateless_input. */
static int stateless_output(void *buf, size_t len)
{
    struct usrsctp_transport *t = usrsctp_rt.stateless.t;

    if (t == NULL)
        return 0;
    crc32c_sctp_fill(buf, len);
    return ut_send_datagram(t, (struct sockaddr *)&usrsctp_rt.stateless.from,
                            usrsctp_rt.stateless.fromlen, buf, len);
}

/*
 * usrsctp's output path. It runs with usrsctp's stack locks held, so it
 * must not call back into usrsctp. Packets for unknown handles (late
 * retransmissions after a close) are dropped on purpose. Each packet goes
 * to its association's endpoint: the peer's, unless that association alone
 * moved (a NAT rebinding seen on one association of several).
 */
static int conn_output(void *addr, void *buf, size_t len, uint8_t tos,
                       uint8_t set_df)
{
    struct peer *p;
    struct usrsctp_transport *t;
    struct usrsctp_conn *c;
    struct sctp_wire_header h;
    struct sockaddr_storage dst;
    const struct sockaddr *to;
    socklen_t tolen;
    socklen_t dstlen;
    int err;

    (void)tos;
    (void)set_df;
    if (!sctp_wire_header(buf, len, &h))
        return 0;
    if (usrsctp_rt.stateless.t != NULL &&
        (uintptr_t)addr == usrsctp_rt.stateless.handle)
        return stateless_output(buf, len);
    p = peer_table_find_handle(usrsctp_rt.peers, (uintptr_t)addr);
    if (p == NULL)
        return 0;
    t = p->owner;
    note_our_vtag(p, buf, len);
    c = conn_of_packet(p, &h, buf, len);
    if (c != NULL)
        learn_tags(c, &h, buf, len);
    crc32c_sctp_fill(buf, len);
    if (c != NULL) {
        to = ut_conn_dst(c, &tolen);
    } else {
        to = (struct sockaddr *)&p->addr;
        tolen = p->addrlen;
    }
    dstlen = socket_dst(t, to, tolen, &dst);
    /*
     * Gathered, and sent once usrsctp has returned (flush_output), or sent
     * at once. A refused send goes back to usrsctp, which keeps the chunks
     * unsent and sends them again with its next output: a local firewall
     * or a full socket buffer is not loss on the path, so it must cost
     * neither a retransmission timeout nor the congestion window.
     */
    err = ut_send_datagram(t, (struct sockaddr *)&dst, dstlen, buf, len);
    if (err == 0 && c != NULL)
        note_sent_chunks(c, buf, len);
    return err;
}

uint32_t ut_max_peers(const struct usrsctp_transport *t)
{
    return t->cfg.max_peers ? t->cfg.max_peers : TRANSPORT_DEFAULT_MAX_PEERS;
}

int ut_route_mtu(const struct sockaddr *sa, socklen_t len)
{
    return route_mtu_cached(&usrsctp_rt.mtu_cache, sa, len, ut_now_ms());
}

/*
 * usrsctp keeps nothing for an INIT on a listener: it answers with an
 * INIT-ACK at once, from inside usrsctp_conninput (no threads), to the
 * handle the INIT came under, which needs no registration for that. The
 * handle is the endpoint's hashed one (peer_table_endpoint_handle): the
 * cookie's HMAC covers it, and the COOKIE-ECHO will come under it.
 */
void ut_stateless_input(struct usrsctp_transport *t, const struct sockaddr *ep,
                        const struct sockaddr *from, socklen_t fromlen,
                        uint8_t *pkt, size_t n)
{
    uintptr_t handle = peer_table_endpoint_handle(usrsctp_rt.peers, ep);

    if (fromlen > sizeof(usrsctp_rt.stateless.from))
        return;
    if (peer_table_find_handle(usrsctp_rt.peers, handle) != NULL) {
        /* Held by the peer that was here and has moved on (a NAT gave
         * this port to someone else): that peer's associations live under
         * it. Nothing for this endpoint until that peer is gone. */
        t->counters.rx_unknown_peer++;
        return;
    }
    t->counters.rx_stateless_init++;
    usrsctp_rt.stateless.t = t;
    usrsctp_rt.stateless.handle = handle;
    memcpy(&usrsctp_rt.stateless.from, from, fromlen);
    usrsctp_rt.stateless.fromlen = fromlen;
    usrsctp_conninput((void *)handle, pkt, n, 0);
    usrsctp_rt.stateless.t = NULL;
}

/*
 * Send what conn_output gathered. Called after every usrsctp call that can
 * produce packets, before control returns to the event loop.
 */
void ut_flush_output(void)
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

void ut_peer_drop(struct peer *p)
{
    deregister_peer(p, NULL);
    peer_table_remove(usrsctp_rt.peers, p);
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
    ut_flush_output();

    usrsctp_rt.since_sweep_ms += ms;
    if (usrsctp_rt.since_sweep_ms >= SWEEP_EVERY_MS) {
        usrsctp_rt.since_sweep_ms = 0;
        peer_table_expire(usrsctp_rt.peers, ut_now_ms(), PEER_IDLE_MS,
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
    peer_keyhash_key_init(&usrsctp_rt.key);
    conn_hash_init(&usrsctp_rt.by_tag);
    conn_hash_init(&usrsctp_rt.by_ports);
    route_mtu_cache_init(&usrsctp_rt.mtu_cache);
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
    /* Every association here has one path (the peer's UDP endpoint). A
     * path past Path.Max.Retrans is marked unreachable, and usrsctp then
     * sends it no data until a HEARTBEAT (30 s apart) brings it back:
     * through heavy loss, reordering and duplication an association went
     * silent for 30 s. The path's count climbs where the association's
     * does not (any DATA received, a retransmission too, clears the
     * association's count, not the path's: an echo server hears the
     * client retransmit while its own replies time out), so no value at
     * or below Association.Max.Retrans avoids that. With one path only
     * the association's limit means anything: it still ends an
     * association whose peer is gone. */
    usrsctp_sysctl_set_sctp_path_rtx_max_default(UINT16_MAX);
    usrsctp_rt.last_tick_ns = mono_ns();
    event_add(usrsctp_rt.timer, &tick);
    return 0;

out_free:
    if (usrsctp_rt.timer != NULL)
        event_free(usrsctp_rt.timer);
    peer_table_free(usrsctp_rt.peers);
    conn_hash_free(&usrsctp_rt.by_tag);
    conn_hash_free(&usrsctp_rt.by_ports);
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
    conn_hash_free(&usrsctp_rt.by_tag);
    conn_hash_free(&usrsctp_rt.by_ports);
    memset(&usrsctp_rt, 0, sizeof(usrsctp_rt));
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
        c = p != NULL ? ut_conn_new(t, so, p) : NULL;
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
        ut_conn_set_ports(c, t->listen_port, ntohs(from.sconn_port));
        /* the tag of the COOKIE-ECHO that made it: the peer's tag for
         * every packet of it */
        ut_conn_set_tag(c, peer_cookie_tag(p, c->peer_port));
        ut_apply_peer_pathmtu(c);
        /* Accepted sockets do not inherit the upcall, and data may be
         * queued already: look at it on the next turn of the loop. Set up
         * before on_accept, since it may free c (freeing cancels this). */
        event_active(c->ev, EV_READ, 0);
        /* Last: c is the workload's now, and may be gone. */
        t->on_accept(&c->base, t->accept_arg);
    }
    ut_flush_output();
}

static void listen_upcall(struct socket *so, void *arg, int flags)
{
    struct usrsctp_transport *t = arg;

    (void)so;
    (void)flags;
    event_active(t->listen_ev, EV_READ, 0);
}

int ut_listen(struct transport *tr, uint16_t sctp_port,
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
        sctp_plan_fail(err, errlen, "usrsctp_socket", errno);
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
        sctp_plan_fail(err, errlen, "bind SCTP port", errno);
        goto out_close;
    }
    if (usrsctp_listen(so, SOMAXCONN) < 0) {
        sctp_plan_fail(err, errlen, "listen", errno);
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

int ut_connect_peer(struct transport *tr, const struct transport_peer *dst,
                    uint16_t local_sctp_port, struct transport_conn **out,
                    char *err, size_t errlen)
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
            ut_pathmtu_toward(t, (struct sockaddr *)&p->addr, p->addrlen);
        usrsctp_register_address((void *)p->handle);
    }
    p->last_seen_ms = ut_now_ms();

    so =
        usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
    if (so == NULL) {
        sctp_plan_fail(err, errlen, "usrsctp_socket", errno);
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
        sctp_plan_fail(err, errlen, "bind local SCTP port", errno);
        goto out_close;
    }
    c = ut_conn_new(t, so, p);
    if (c == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out_close;
    }
    c->state = CONN_CONNECTING;
    ut_conn_set_ports(c, local_sctp_port, dst->sctp_port);
    sconn.sconn_port = htons(dst->sctp_port);
    usrsctp_rt.connecting = c;
    rc = usrsctp_connect(so, (struct sockaddr *)&sconn, sizeof(sconn));
    usrsctp_rt.connecting = NULL;
    ut_flush_output();
    if (rc < 0 && errno != EINPROGRESS) {
        sctp_plan_fail(err, errlen, "connect", errno);
        c->base.ops->free(&c->base, true);
        return -1;
    }
    *out = &c->base;
    return 0;

out_close:
    usrsctp_close(so);
    return -1;
}

/* Returns 0, or a negative errno with err written: -EADDRINUSE says the
 * UDP port is taken. */
int ut_open(struct event_base *base, const struct transport_config *cfg,
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
    t->rxbuf = malloc((size_t)UDP_RX_VLEN * UDP_RX_MAX);
    t->batch = malloc(sizeof(*t->batch));
    if (t->rxbuf == NULL || t->batch == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out_free;
    }
    if (runtime_ref(base, err, errlen) < 0)
        goto out_free;
    rc = ut_open_udp(t, err, errlen);
    if (rc < 0)
        goto out_unref;
    udp_batch_init(t->batch, t->fd, ut_gso_wanted());
    ut_pcap_open(t);
    rc = ut_impair_open(t, err, errlen);
    if (rc < 0)
        goto out_unref;
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

void ut_transport_close(struct transport *tr)
{
    struct usrsctp_transport *t = (struct usrsctp_transport *)tr;
    struct usrsctp_transport **pp = &usrsctp_rt.transports;
    struct usrsctp_conn *c;

    if (t == NULL)
        return;
    if (t->listener != NULL) {
        usrsctp_set_upcall(t->listener, NULL, NULL);
        usrsctp_close(t->listener);
        event_free(t->listen_ev);
    }
    ut_flush_output();
    while (*pp != NULL && *pp != t)
        pp = &(*pp)->next;
    if (*pp == t)
        *pp = t->next;
    /* Connections the workload has not freed leave the indexes with
     * their peers (their keys). */
    for (c = t->conns; c != NULL; c = c->next)
        ut_conn_unindex(c);
    /* conn_output must never reach a closed socket: the peers it served
     * go now, and late packets for their handles are dropped. */
    peer_table_remove_owner(usrsctp_rt.peers, t, deregister_peer, NULL);
    ut_impair_close(t); /* what it still holds is lost with the socket */
    event_free(t->udp_ev);
    close(t->fd);
    runtime_unref();
    free(t->rxbuf);
    free(t->batch);
    free(t);
}

void ut_get_rto(const struct transport *tr, struct transport_rto *out)
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

void ut_get_counters(const struct transport *tr, struct transport_counters *out)
{
    const struct usrsctp_transport *t = (const struct usrsctp_transport *)tr;
    struct peer_table_stats ps;
    struct sctpstat st;

    *out = t->counters;
    out->tx_datagrams = t->batch->stats.datagrams;
    out->tx_errors = t->batch->stats.errors;
    /* usrsctp counts only process-wide */
    memset(&st, 0, sizeof(st));
    usrsctp_get_stat(&st);
    out->rtx_timeouts = st.sctps_timodata;
    out->rx_sctp_ootb = st.sctps_outoftheblue;
    out->rx_sctp_bad_vtag = st.sctps_badvtag;
    /* the table is shared by the process's transports (one, on a server) */
    peer_table_stats(usrsctp_rt.peers, &ps);
    out->peers = ps.count;
    out->peers_with_assoc = ps.with_assoc;
    out->peers_peak = ps.peak;
    out->peers_cap = ut_max_peers(t);
    ut_impair_counters(t, out);
}

void ut_local_name(const struct transport *tr, char *buf, size_t len)
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
int ut_probe(char *why, size_t whylen)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);

    if (fd < 0) {
        sctp_plan_fail(why, whylen, "socket(UDP)", errno);
        return -1;
    }
    close(fd);
    return 0;
}

void ut_describe_stack(char *buf, size_t len)
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
    .set_stream_prio = ut_set_stream_prio,
};

struct peer_table *ut_peers(void)
{
    return usrsctp_rt.peers;
}
