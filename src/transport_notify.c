/*
 * transport_notify.c - the wording of both backends' SCTP notifications:
 * timestamped state-change lines, path-change lines and the reasons a
 * failed association gives (see transport_notify.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"
#include "transport_notify.h"

int transport_notify_lookup(const int *table, size_t n, int value)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (table[i] == value)
            return (int)i;
    return -1;
}

void transport_notify_detail(struct transport_conn *conn, char *buf, size_t len,
                             const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    conn->detail = buf;
}

void transport_notify_connect_failure(const struct transport_notify_conn *nc)
{
    if (nc->conn->detail != NULL)
        return; /* already known (e.g. from an ICMP error) */
    switch (nc->conn->last_errno) {
    case ECONNREFUSED:
        /* what both stacks say when the peer answered INIT with ABORT */
        transport_notify_detail(nc->conn, nc->detail, nc->detail_len,
                                "the peer answered with ABORT: nothing "
                                "serves SCTP port %u there",
                                (unsigned)nc->peer_port);
        break;
    case ETIMEDOUT:
        transport_notify_detail(
            nc->conn, nc->detail, nc->detail_len,
            "no answer to INIT (Max.Init.Retransmits reached)");
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

void transport_notify_log(const struct transport_notify_conn *nc, bool abnormal,
                          const char *what)
{
    char when[32];

    if (log_get_level() < (abnormal ? LOG_LEVEL_WARN : LOG_LEVEL_INFO))
        return;
    wall_time(when, sizeof(when));
    log_msg(abnormal ? LOG_LEVEL_WARN : LOG_LEVEL_INFO,
            "%s association %s sctp/%u: %s", when, nc->peer,
            (unsigned)nc->peer_port, what);
}

static void comm_lost(const struct transport_notify_conn *nc, bool from_peer)
{
    if (from_peer)
        transport_notify_detail(nc->conn, nc->detail, nc->detail_len,
                                "the peer aborted the association");
    else
        transport_notify_detail(nc->conn, nc->detail, nc->detail_len,
                                "the peer stopped answering "
                                "(Association.Max.Retrans reached)");
    nc->fail(nc->conn, from_peer ? ECONNRESET : ETIMEDOUT);
    /* The workload reports the failure itself: -V only. */
    transport_notify_log(nc, false,
                         from_peer ? "COMM_LOST (ABORT from the peer)"
                                   : "COMM_LOST (the peer stopped answering)");
}

void transport_notify_event(const struct transport_notify_conn *nc,
                            enum transport_notify_event ev,
                            const struct transport_notify_info *info)
{
    char what[96];

    switch (ev) {
    case TRANSPORT_NOTIFY_COMM_UP:
        snprintf(what, sizeof(what), "COMM_UP (streams out %u in %u)",
                 info->out_streams, info->in_streams);
        transport_notify_log(nc, false, what);
        break;
    case TRANSPORT_NOTIFY_COMM_LOST:
        comm_lost(nc, info->from_peer);
        break;
    case TRANSPORT_NOTIFY_RESTART:
        transport_notify_log(nc, true,
                             "RESTART (the peer restarted the association)");
        break;
    case TRANSPORT_NOTIFY_SHUTDOWN_COMP:
        transport_notify_log(nc, false, "SHUTDOWN_COMP");
        break;
    case TRANSPORT_NOTIFY_CANT_STR_ASSOC:
        nc->fail(nc->conn, info->from_peer ? ECONNREFUSED : ETIMEDOUT);
        transport_notify_connect_failure(nc);
        transport_notify_log(nc, false,
                             info->from_peer
                                 ? "CANT_STR_ASSOC (ABORT from the peer)"
                                 : "CANT_STR_ASSOC (no answer to INIT)");
        break;
    case TRANSPORT_NOTIFY_SHUTDOWN_EVENT:
        transport_notify_log(nc, false, "SHUTDOWN received");
        break;
    case TRANSPORT_NOTIFY_SEND_FAILED:
        log_debug("a message could not be delivered to the peer");
        break;
    case TRANSPORT_NOTIFY_REMOTE_ERROR:
        log_debug("the peer reported an operation error");
        break;
    default:
        break;
    }
}

void transport_notify_path(const struct transport_notify_conn *nc,
                           const char *addr, enum transport_path_state state,
                           int error)
{
    char what[NETADDR_STRLEN + 64];

    snprintf(what, sizeof(what), "peer address %s%s%s (error %d)",
             addr != NULL ? addr : "", addr != NULL ? " " : "",
             transport_path_state_name(state), error);
    transport_notify_log(nc, state == TRANSPORT_PATH_UNREACHABLE, what);
}
