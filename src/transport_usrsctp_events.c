/*
 * transport_usrsctp_events.c - what the usrsctp backend learns besides
 * data: SCTP notifications (association and path state changes, logged
 * with a timestamp) and ICMP errors about our datagrams, turned into the
 * one-line reasons a workload shows when an association fails.
 */
#include <errno.h>
#include <event2/event.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <usrsctp.h>

#include "log.h"
#include "netaddr.h"
#include "peer_table.h"
#include "transport_usrsctp_priv.h"
#include "udp_icmp.h"

static void set_detail(struct usrsctp_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_detail(struct usrsctp_conn *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
    va_end(ap);
    c->base.detail = c->detail;
}

/* What a failed set-up means, in the words a user needs. */
void ut_explain_connect_failure(struct usrsctp_conn *c)
{
    if (c->base.detail != NULL)
        return; /* already known (e.g. from an ICMP error) */
    switch (c->base.last_errno) {
    case ECONNREFUSED:
        /* usrsctp says this when the peer answered INIT with ABORT. */
        set_detail(c,
                   "the peer answered with ABORT: nothing serves SCTP port "
                   "%u there",
                   (unsigned)c->peer_port);
        break;
    case ETIMEDOUT:
        set_detail(c, "no answer to INIT (Max.Init.Retransmits reached)");
        break;
    default:
        break;
    }
}

/* Wall-clock time for state-change lines: HH:MM:SS.uuuuuu */
static void wall_time(char *buf, size_t len)
{
    struct timespec ts;
    struct tm tm;
    char hms[16];

    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%06u", hms,
             (unsigned)(ts.tv_nsec / 1000) % 1000000u);
}

/*
 * One timestamped line per association state change: -V shows them all;
 * the ones no workload reports by itself (a restart, an unreachable peer
 * address) always show.
 */
static void log_state(struct usrsctp_conn *c, bool abnormal, const char *what)
{
    char when[32];
    char peer[NETADDR_STRLEN];

    if (log_get_level() < (abnormal ? LOG_LEVEL_WARN : LOG_LEVEL_INFO))
        return;
    wall_time(when, sizeof(when));
    netaddr_format((struct sockaddr *)&c->peer->addr, peer, sizeof(peer));
    log_msg(abnormal ? LOG_LEVEL_WARN : LOG_LEVEL_INFO,
            "%s association %s sctp/%u: %s", when, peer, (unsigned)c->peer_port,
            what);
}

static void note_assoc_change(struct usrsctp_conn *c,
                              const struct sctp_assoc_change *sac)
{
    /* An ABORT chunk from the peer follows the fixed part. */
    bool from_peer = sac->sac_length > sizeof(*sac);
    char what[96];

    switch (sac->sac_state) {
    case SCTP_COMM_UP:
        snprintf(what, sizeof(what), "COMM_UP (streams out %u in %u)",
                 (unsigned)sac->sac_outbound_streams,
                 (unsigned)sac->sac_inbound_streams);
        log_state(c, false, what);
        break;
    case SCTP_COMM_LOST:
        c->state = CONN_FAILED;
        c->base.last_errno = from_peer ? ECONNRESET : ETIMEDOUT;
        if (from_peer)
            set_detail(c, "the peer aborted the association");
        else
            set_detail(c, "the peer stopped answering "
                          "(Association.Max.Retrans reached)");
        /* The workload reports the failure itself: -V only. */
        log_state(c, false,
                  from_peer ? "COMM_LOST (ABORT from the peer)"
                            : "COMM_LOST (the peer stopped answering)");
        break;
    case SCTP_RESTART:
        log_state(c, true, "RESTART (the peer restarted the association)");
        break;
    case SCTP_SHUTDOWN_COMP:
        log_state(c, false, "SHUTDOWN_COMP");
        break;
    case SCTP_CANT_STR_ASSOC:
        c->state = CONN_FAILED;
        c->base.last_errno = from_peer ? ECONNREFUSED : ETIMEDOUT;
        ut_explain_connect_failure(c);
        log_state(c, false,
                  from_peer ? "CANT_STR_ASSOC (ABORT from the peer)"
                            : "CANT_STR_ASSOC (no answer to INIT)");
        break;
    default:
        break;
    }
}

static void note_paddr_change(struct usrsctp_conn *c,
                              const struct sctp_paddr_change *spc)
{
    static const char *const names[] = {
        [SCTP_ADDR_AVAILABLE] = "AVAILABLE",
        [SCTP_ADDR_UNREACHABLE] = "UNREACHABLE",
        [SCTP_ADDR_REMOVED] = "REMOVED",
        [SCTP_ADDR_ADDED] = "ADDED",
        [SCTP_ADDR_MADE_PRIM] = "MADE_PRIM",
        [SCTP_ADDR_CONFIRMED] = "CONFIRMED",
    };
    const char *name = spc->spc_state < sizeof(names) / sizeof(names[0]) &&
                               names[spc->spc_state] != NULL
                           ? names[spc->spc_state]
                           : "?";
    char what[64];

    snprintf(what, sizeof(what), "peer address %s", name);
    log_state(c, spc->spc_state == SCTP_ADDR_UNREACHABLE, what);
}

/* Act on a complete notification; they never reach the workload. */
void ut_handle_notification(struct usrsctp_conn *c, const void *buf, size_t len)
{
    const union sctp_notification *n = buf;

    if (len < sizeof(n->sn_header))
        return;
    switch (n->sn_header.sn_type) {
    case SCTP_ASSOC_CHANGE:
        if (len >= sizeof(n->sn_assoc_change))
            note_assoc_change(c, &n->sn_assoc_change);
        break;
    case SCTP_PEER_ADDR_CHANGE:
        if (len >= sizeof(n->sn_paddr_change))
            note_paddr_change(c, &n->sn_paddr_change);
        break;
    case SCTP_SHUTDOWN_EVENT:
        c->peer_shut = true;
        log_state(c, false, "SHUTDOWN received");
        break;
    case SCTP_SEND_FAILED_EVENT:
        log_debug("a message could not be delivered to the peer");
        break;
    case SCTP_REMOTE_ERROR:
        log_debug("the peer reported an operation error");
        break;
    default:
        break;
    }
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
        set_detail(c,
                   "ICMP port unreachable from %s: nothing listens on that "
                   "UDP port (is the server running, and on which "
                   "--udp-port?)",
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
