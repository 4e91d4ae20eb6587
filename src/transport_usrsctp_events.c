/*
 * transport_usrsctp_events.c - what the usrsctp backend learns besides
 * data: SCTP notifications (association and path state changes), mapped
 * to transport_notify's neutral events, which log them and word the
 * reasons a failed association gives; and ICMP errors about our
 * datagrams, which can fail a set-up at once.
 */
#include <errno.h>
#include <event2/event.h>
#include <stdio.h>
#include <string.h>
#include <usrsctp.h>

#include "log.h"
#include "netaddr.h"
#include "peer_table.h"
#include "transport_notify.h"
#include "transport_usrsctp_priv.h"
#include "udp_icmp.h"

/* c's state is failed with errnum (the loop is told by the caller). */
static void fail_conn(struct transport_conn *tc, int errnum)
{
    struct usrsctp_conn *c = (struct usrsctp_conn *)tc;

    c->state = CONN_FAILED;
    c->base.last_errno = errnum;
}

/* c as transport_notify sees it: named by its UDP endpoint. */
static void notify_conn(struct usrsctp_conn *c,
                        struct transport_notify_conn *nc)
{
    nc->conn = &c->base;
    nc->detail = c->detail;
    nc->detail_len = sizeof(c->detail);
    netaddr_format((struct sockaddr *)&c->peer->addr, nc->peer,
                   sizeof(nc->peer));
    nc->peer_port = c->peer_port;
    nc->fail = fail_conn;
}

void ut_explain_connect_failure(struct usrsctp_conn *c)
{
    struct transport_notify_conn nc;

    notify_conn(c, &nc);
    transport_notify_connect_failure(&nc);
}

/* usrsctp's constants in the order of transport_notify.h's enums */
static const int assoc_states[] = {
    [TRANSPORT_NOTIFY_COMM_UP] = SCTP_COMM_UP,
    [TRANSPORT_NOTIFY_COMM_LOST] = SCTP_COMM_LOST,
    [TRANSPORT_NOTIFY_RESTART] = SCTP_RESTART,
    [TRANSPORT_NOTIFY_SHUTDOWN_COMP] = SCTP_SHUTDOWN_COMP,
    [TRANSPORT_NOTIFY_CANT_STR_ASSOC] = SCTP_CANT_STR_ASSOC,
    [TRANSPORT_NOTIFY_SHUTDOWN_EVENT] = -1,
    [TRANSPORT_NOTIFY_SEND_FAILED] = -1,
    [TRANSPORT_NOTIFY_REMOTE_ERROR] = -1,
};
static const int notes[] = {
    [TRANSPORT_NOTIFY_COMM_UP] = -1,
    [TRANSPORT_NOTIFY_COMM_LOST] = -1,
    [TRANSPORT_NOTIFY_RESTART] = -1,
    [TRANSPORT_NOTIFY_SHUTDOWN_COMP] = -1,
    [TRANSPORT_NOTIFY_CANT_STR_ASSOC] = -1,
    [TRANSPORT_NOTIFY_SHUTDOWN_EVENT] = SCTP_SHUTDOWN_EVENT,
    [TRANSPORT_NOTIFY_SEND_FAILED] = SCTP_SEND_FAILED_EVENT,
    [TRANSPORT_NOTIFY_REMOTE_ERROR] = SCTP_REMOTE_ERROR,
};
static const int path_states[] = {
    [TRANSPORT_PATH_AVAILABLE] = SCTP_ADDR_AVAILABLE,
    [TRANSPORT_PATH_UNREACHABLE] = SCTP_ADDR_UNREACHABLE,
    [TRANSPORT_PATH_REMOVED] = SCTP_ADDR_REMOVED,
    [TRANSPORT_PATH_ADDED] = SCTP_ADDR_ADDED,
    [TRANSPORT_PATH_MADE_PRIMARY] = SCTP_ADDR_MADE_PRIM,
    [TRANSPORT_PATH_CONFIRMED] = SCTP_ADDR_CONFIRMED,
    [TRANSPORT_PATH_POTENTIALLY_FAILED] = -1, /* usrsctp has no SCTP-PF */
};

/* A peer address change: usrsctp has one UDP path, whose address names
 * nothing the user gave, so the line names the state only. */
static void note_paddr_change(const struct transport_notify_conn *nc,
                              const struct sctp_paddr_change *spc)
{
    int st = transport_notify_lookup(
        path_states, TRANSPORT_NOTIFY_LEN(path_states), (int)spc->spc_state);

    transport_notify_path(nc, NULL,
                          st < 0 ? TRANSPORT_PATH_UNKNOWN
                                 : (enum transport_path_state)st,
                          (int)spc->spc_error);
}

/* Act on a complete notification; they never reach the workload. */
void ut_handle_notification(struct usrsctp_conn *c, const void *buf, size_t len)
{
    const union sctp_notification *n = buf;
    struct transport_notify_info info = { 0 };
    struct transport_notify_conn nc;
    int ev = -1;

    if (len < sizeof(n->sn_header))
        return;
    notify_conn(c, &nc);
    if (n->sn_header.sn_type == SCTP_PEER_ADDR_CHANGE) {
        if (len >= sizeof(n->sn_paddr_change))
            note_paddr_change(&nc, &n->sn_paddr_change);
        return;
    }
    if (n->sn_header.sn_type != SCTP_ASSOC_CHANGE) {
        ev = transport_notify_lookup(notes, TRANSPORT_NOTIFY_LEN(notes),
                                     n->sn_header.sn_type);
    } else if (len >= sizeof(n->sn_assoc_change)) {
        const struct sctp_assoc_change *sac = &n->sn_assoc_change;

        ev = transport_notify_lookup(
            assoc_states, TRANSPORT_NOTIFY_LEN(assoc_states), sac->sac_state);
        /* An ABORT chunk from the peer follows the fixed part. */
        info.from_peer = sac->sac_length > sizeof(*sac);
        info.out_streams = sac->sac_outbound_streams;
        info.in_streams = sac->sac_inbound_streams;
    }
    if (ev == TRANSPORT_NOTIFY_SHUTDOWN_EVENT)
        c->peer_shut = true;
    if (ev >= 0)
        transport_notify_event(&nc, (enum transport_notify_event)ev, &info);
}

/* Fail, at once, the set-up of every association to p: told by ICMP. */
static void fail_connecting(struct usrsctp_transport *t, struct peer *p)
{
    struct usrsctp_conn *c;
    char where[NETADDR_STRLEN];

    netaddr_format((struct sockaddr *)&p->addr, where, sizeof(where));
    for (c = t->conns; c != NULL; c = c->next) {
        if (c->peer != p || c->state != CONN_CONNECTING)
            continue;
        c->state = CONN_FAILED;
        c->base.last_errno = ECONNREFUSED;
        transport_notify_detail(&c->base, c->detail, sizeof(c->detail),
                                "ICMP port unreachable from %s: nothing "
                                "listens on that UDP port (is the server "
                                "running, and on which --udp-port?)",
                                where);
        event_active(c->ev, EV_TIMEOUT, 0);
    }
}

/*
 * ICMP errors about our datagrams. Only "port unreachable" answering an
 * INIT we sent to that very endpoint (its Initiate Tag is one we noted)
 * counts: nobody off the path can know the tag, so a forged ICMP message
 * cannot end anyone's set-up. Everything else is left to SCTP's timers.
 */
void ut_read_icmp_errors(struct usrsctp_transport *t,
                         const struct peer_table *peers)
{
    struct udp_icmp_error e;
    int i;

    for (i = 0; i < UDP_RX_BATCH && udp_icmp_read(t->fd, &e) > 0; i++) {
        struct peer *p;
        uint32_t tag;

        t->counters.rx_icmp++;
        if (!e.port_unreachable || !udp_icmp_quoted_init_tag(&e, &tag))
            continue;
        netaddr_unmap(&e.dst, &e.dstlen);
        p = peer_table_find_owned(peers, (struct sockaddr *)&e.dst, t);
        if (p != NULL && peer_has_vtag(p, tag))
            fail_connecting(t, p);
    }
}
