/*
 * transport_usrsctp_priv.h - the usrsctp backend's own types, shared by
 * its files: transport_usrsctp.c (usrsctp's runtime and output, listen,
 * connect, the ops table), transport_usrsctp_udp.c (the UDP socket and
 * every datagram in), transport_usrsctp_conn.c (per-connection events,
 * send, recv, shutdown, free and queries) and transport_usrsctp_events.c
 * (notifications and ICMP errors).
 */
#ifndef SCTPU_TRANSPORT_USRSCTP_PRIV_H
#define SCTPU_TRANSPORT_USRSCTP_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "be_bytes.h"
#include "conn_hash.h"
#include "rtt_sampler.h"
#include "transport.h"
#include "transport_notify.h"

struct event;
struct event_base;
struct peer;
struct peer_table;
struct socket;
struct udp_batch;
struct impair_queue;

#define UDP_RX_BATCH 64  /* datagrams (or ICMP errors) per readiness event */
#define UDP_RX_MAX 65536 /* largest datagram we read */
#define UDP_RX_VLEN 8    /* datagrams per recvmmsg: rxbuf holds as many */
#define DEFAULT_PATHMTU 1280 /* usrsctp's own default */
/* A notification's bytes kept (every header fits with room to spare) */
#define UT_NOTIF_MAX 1024

/* A rate: at most burst events at once, one more per period_ms after. */
struct ut_rate_limit {
    uint64_t credit_ms; /* GCRA: the theoretical time of the next event */
    uint64_t suppressed;
};
bool ut_rate_allow(struct ut_rate_limit *r, uint64_t now_ms, uint64_t period_ms,
                   unsigned int burst);

/* --pcap: our UDP endpoint, and when it is bound to a wildcard the source
 * address the kernel picks toward the last few peers (a route lookup
 * each: too dear for every packet). */
#define UT_PCAP_SOURCES 8
struct ut_pcap {
    struct sockaddr_storage local; /* getsockname of the UDP socket */
    bool local_any;                /* a wildcard: ask the routes */
    unsigned int next;             /* the source slot to replace next */
    struct {
        struct sockaddr_storage peer; /* family 0: empty */
        struct sockaddr_storage src;
    } src[UT_PCAP_SOURCES];
};

struct usrsctp_transport {
    struct transport head; /* first: handed out to workloads */
    struct event_base *base;
    struct transport_config cfg;
    int fd;     /* the UDP socket */
    int family; /* of fd */
    struct event *udp_ev;
    uint8_t *rxbuf; /* UDP_RX_VLEN datagrams of UDP_RX_MAX */
    struct socket *listener;
    struct event *listen_ev;
    transport_accept_cb on_accept;
    void *accept_arg;
    uint16_t listen_port;
    uint32_t listen_pathmtu;    /* the listener's default path MTU */
    struct usrsctp_conn *conns; /* every live connection */
    struct transport_counters counters;
    struct udp_batch *batch; /* output waiting for flush_output */
    /* --impair: what we send and what we receive, each NULL when off;
     * imp_err is the last send's result inside the tx queue's delivery */
    struct impair_queue *imp_tx;
    struct impair_queue *imp_rx;
    int imp_err;
    struct ut_pcap pcap;            /* --pcap's view of our endpoint */
    struct ut_rate_limit move_log;  /* warnings about moving peers */
    struct usrsctp_transport *next; /* in usrsctp_rt.transports */
};

enum conn_state {
    CONN_CONNECTING,
    CONN_ESTABLISHED,
    CONN_FAILED,
};

struct usrsctp_conn {
    struct transport_conn base; /* first: handed out to workloads */
    struct usrsctp_transport *t;
    struct socket *so;
    struct event *ev;
    struct peer *peer; /* holds an assocs reference */
    enum conn_state state;
    bool want_write;
    bool failure_told;    /* TRANSPORT_EV_ERROR was delivered */
    bool in_notification; /* reading a notification in parts */
    size_t notif_len;     /* of it so far, in notif */
    uint8_t notif[UT_NOTIF_MAX];
    /* the peer sent SHUTDOWN: it will send no more data, so recv says 0
     * once the queue is read (usrsctp itself waits for SHUTDOWN-COMPLETE,
     * which a lossy path can delay by minutes of T2 retransmissions) */
    bool peer_shut;
    /* Set with ut_conn_set_ports: the port index's key, with peer. */
    uint16_t local_port;
    uint16_t peer_port;
    struct conn_hash_node by_ports; /* from ut_conn_new to its free */
    uint64_t seq;                   /* made after every lower one */
    struct usrsctp_conn *next;
    struct usrsctp_conn **pprev;
    struct usrsctp_conn *next_of_peer; /* peer->conns */
    struct usrsctp_conn **pprev_of_peer;
    /* The verification tag the peer puts on this association's packets
     * (our Initiate Tag: from our INIT, or the COOKIE-ECHO that made it),
     * in the tag index while the association lives; 0 = not known. */
    uint32_t my_tag;
    struct conn_hash_node by_tag;
    /* The tag we put on ours (seen leaving), for our path probes. */
    uint32_t peer_tag;
    /* This association alone has moved to dst (its peer's other
     * associations stay at the peer's endpoint). */
    bool own_dst;
    struct sockaddr_storage dst;
    socklen_t dstlen;
    /* The last move: stragglers from old_dst soon after it are fed, but
     * do not move it back. */
    struct sockaddr_storage old_dst;
    uint64_t moved_ms;
    struct ut_rate_limit moves;
    /* The probe of a candidate endpoint: a HEARTBEAT with a nonce. */
    struct sockaddr_storage probe_addr;
    socklen_t probe_addrlen;
    uint64_t probe_nonce; /* 0: none out */
    uint64_t probe_sent_ms;
    /* DATA chunks seen leaving, to count retransmissions (usrsctp only
     * keeps process-wide counters) */
    bool tx_seen;
    uint32_t tx_highest_tsn;
    uint64_t retransmits;
    /* the RTT in microseconds, from DATA seen leaving and SACKs coming
     * in (SCTP_STATUS has whole milliseconds) */
    struct rtt_sampler rtt;
    char detail[TRANSPORT_NOTIFY_DETAIL_LEN]; /* base.detail, when set */
};

/* The runtime (transport_usrsctp.c): the peer table every transport
 * shares, the clock, and sending what usrsctp gave conn_output. Call
 * ut_flush_output after every usrsctp call that can produce packets. */
struct peer_table *ut_peers(void);
uint64_t ut_now_ms(void);
uint64_t ut_now_us(void);
void ut_flush_output(void);

/* One datagram out to dst: through --impair when on, else into the
 * batch. 0, or a negative errno (a refused send usrsctp repeats). */
int ut_send_datagram(struct usrsctp_transport *t, const struct sockaddr *dst,
                     socklen_t dstlen, uint8_t *buf, size_t len);

/* One datagram in: through --impair when on, else ut_input_datagram. */
void ut_receive_datagram(struct usrsctp_transport *t,
                         const struct sockaddr *from, socklen_t fromlen,
                         uint8_t *buf, size_t len);

/* --impair queues of a transport being opened; 0 or -ENOMEM. */
int ut_impair_open(struct usrsctp_transport *t, char *err, size_t errlen);
void ut_impair_close(struct usrsctp_transport *t);
/* Their counts and spec into out (nothing when --impair is off). */
void ut_impair_counters(const struct usrsctp_transport *t,
                        struct transport_counters *out);
/* --pcap: learn t's endpoint (after its bind), and capture one datagram
 * sent to (out) or received from peer. Nothing without --pcap. */
void ut_pcap_open(struct usrsctp_transport *t);
void ut_pcap_datagram(struct usrsctp_transport *t, bool out,
                      const struct sockaddr *peer, const uint8_t *buf,
                      size_t len);
/* A random 64-bit value (path probe nonces). */
uint64_t ut_random64(void);
/* c's tag index entry: my_tag becomes tag (0: out of the index). */
void ut_conn_set_tag(struct usrsctp_conn *c, uint32_t tag);
/* The live association the peer tags its packets to with tag, or NULL. */
struct usrsctp_conn *ut_conn_by_tag(uint32_t tag);
/* c enters the port index (ut_conn_new, once it is on its peer's list) and
 * leaves both indexes (its free, or its transport's close). */
void ut_conn_index(struct usrsctp_conn *c);
void ut_conn_unindex(struct usrsctp_conn *c);
/* c's SCTP ports, and its port index entry with them. */
void ut_conn_set_ports(struct usrsctp_conn *c, uint16_t local_port,
                       uint16_t peer_port);
/* The endpoint c's packets go to: its own after a move, else its peer's. */
const struct sockaddr *ut_conn_dst(const struct usrsctp_conn *c,
                                   socklen_t *len);
/* An unknown endpoint's INIT (ep: from unmapped): fed to usrsctp under
 * the endpoint's hashed handle, which is in no table; conn_output sends
 * the INIT-ACK back to from, and nothing is kept. */
void ut_stateless_input(struct usrsctp_transport *t, const struct sockaddr *ep,
                        const struct sockaddr *from, socklen_t fromlen,
                        uint8_t *pkt, size_t n);
/* t's cap on peers (its max_peers, or the default). */
uint32_t ut_max_peers(const struct usrsctp_transport *t);
/* The route's IP MTU toward sa (route_mtu_probe, cached per address). */
int ut_route_mtu(const struct sockaddr *sa, socklen_t len);
/* Deregister p's handle and drop it from the table. */
void ut_peer_drop(struct peer *p);

/* The UDP side (transport_usrsctp_udp.c). */
bool ut_gso_wanted(void);
/* Open and bind t's UDP socket and watch it; 0, or a negative errno with
 * err written (-EADDRINUSE: the UDP port is taken). */
int ut_open_udp(struct usrsctp_transport *t, char *err, size_t errlen);
/* One datagram from the network (or a fuzzer): checked, matched to its
 * peer and handed to usrsctp. The caller flushes output afterwards. */
void ut_input_datagram(struct usrsctp_transport *t, const struct sockaddr *from,
                       socklen_t fromlen, uint8_t *pkt, size_t n);
/* The SCTP path MTU toward a peer: the user's --mtu, else the route's
 * (cached per destination address). */
uint32_t ut_pathmtu_toward(const struct usrsctp_transport *t,
                           const struct sockaddr *sa, socklen_t len);

/* Connections (transport_usrsctp_conn.c). */
struct usrsctp_conn *ut_conn_new(struct usrsctp_transport *t, struct socket *so,
                                 struct peer *p);
/* Abort c's association at once; the workload hears of it as error why. */
void ut_conn_abort_socket(struct usrsctp_conn *c, int why);
/* The peer's path MTU onto c's association. */
void ut_apply_peer_pathmtu(struct usrsctp_conn *c);
ssize_t ut_send_msg(struct transport_conn *tc, const void *buf, size_t len,
                    const struct transport_msginfo *info);
ssize_t ut_recv_msg(struct transport_conn *tc, void *buf, size_t len,
                    struct transport_msginfo *info);
int ut_shutdown_conn(struct transport_conn *tc);
void ut_conn_free(struct transport_conn *tc, bool abortive);
int ut_get_info(struct transport_conn *tc, struct transport_assoc_info *info);
int ut_tune(struct transport_conn *tc, const struct transport_tuning *tu);
int ut_set_stream_prio(struct transport_conn *tc, uint16_t sid, uint16_t prio);

/*
 * The set-up of c failed (SO_ERROR in c->base.last_errno): say what it
 * means, unless something (an ICMP error) already did.
 */
void ut_explain_connect_failure(struct usrsctp_conn *c);

/* Act on a complete notification; they never reach the workload. */
void ut_handle_notification(struct usrsctp_conn *c, const void *buf,
                            size_t len);

/* Read the ICMP errors queued on t's socket and act on the ones that
 * prove a set-up hopeless (see the function). */
void ut_read_icmp_errors(struct usrsctp_transport *t,
                         const struct peer_table *peers);

#endif /* SCTPU_TRANSPORT_USRSCTP_PRIV_H */
