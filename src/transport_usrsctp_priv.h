/*
 * transport_usrsctp_priv.h - the usrsctp backend's own types, shared by
 * its files: transport_usrsctp.c (sockets, datagrams, the ops table) and
 * transport_usrsctp_events.c (notifications and ICMP errors).
 */
#ifndef SCTPU_TRANSPORT_USRSCTP_PRIV_H
#define SCTPU_TRANSPORT_USRSCTP_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "transport.h"
#include "transport_notify.h"

struct event;
struct event_base;
struct peer;
struct peer_table;
struct socket;
struct udp_batch;

#define UDP_RX_BATCH 64 /* datagrams (or ICMP errors) per readiness event */

struct usrsctp_transport {
    struct transport head; /* first: handed out to workloads */
    struct event_base *base;
    struct transport_config cfg;
    int fd;     /* the UDP socket */
    int family; /* of fd */
    struct event *udp_ev;
    uint8_t *rxbuf;
    struct socket *listener;
    struct event *listen_ev;
    transport_accept_cb on_accept;
    void *accept_arg;
    uint16_t listen_port;
    uint32_t listen_pathmtu;    /* the listener's default path MTU */
    struct usrsctp_conn *conns; /* every live connection */
    struct transport_counters counters;
    struct udp_batch *batch;        /* output waiting for flush_output */
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
    /* the peer sent SHUTDOWN: it will send no more data, so recv says 0
     * once the queue is read (usrsctp itself waits for SHUTDOWN-COMPLETE,
     * which a lossy path can delay by minutes of T2 retransmissions) */
    bool peer_shut;
    uint16_t local_port;
    uint16_t peer_port;
    struct usrsctp_conn *next;
    struct usrsctp_conn **pprev;
    /* DATA chunks seen leaving, to count retransmissions (usrsctp only
     * keeps process-wide counters) */
    bool tx_seen;
    uint32_t tx_highest_tsn;
    uint64_t retransmits;
    char detail[TRANSPORT_NOTIFY_DETAIL_LEN]; /* base.detail, when set */
};

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
