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
#include "transport_notify_stack.h"
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

/* Act on a complete notification; they never reach the workload. */
void ut_handle_notification(struct usrsctp_conn *c, const void *buf, size_t len)
{
    const struct sctp_paddr_change *spc = NULL;
    struct transport_notify_info info = { 0 };
    struct transport_notify_conn nc;
    int ev = transport_notify_decode(buf, len, &info, &spc);

    if (ev < 0 && spc == NULL)
        return;
    notify_conn(c, &nc);
    if (spc != NULL) {
        /* One UDP path, whose address names nothing the user gave: the
         * line names the state only. */
        transport_notify_path(&nc, NULL,
                              transport_notify_path_state((int)spc->spc_state),
                              (int)spc->spc_error);
        return;
    }
    if (ev == TRANSPORT_NOTIFY_SHUTDOWN_EVENT)
        c->peer_shut = true;
    /* A restart (RFC 9260 5.2.4) gives the association the tag of the
     * COOKIE-ECHO that made it. */
    if (ev == TRANSPORT_NOTIFY_RESTART) {
        ut_conn_set_tag(c, peer_cookie_tag(c->peer, c->peer_port));
        /* and a new TSN space */
        c->tx_seen = false;
        rtt_sampler_restart(&c->rtt);
    }
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
