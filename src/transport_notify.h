/*
 * transport_notify.h - what both SCTP backends make of the notifications
 * their stack sends (RFC 6458): the timestamped state-change lines, the
 * path-change lines, and the one-line reasons a failed association gives.
 *
 * Backend-neutral: usrsctp.h and <netinet/sctp.h> cannot both be included
 * in one file, so each backend maps its own constants to the enums here
 * (with transport_notify_lookup and a table of its constants) and fills
 * in a struct transport_notify_conn; the wording lives only here.
 */
#ifndef SCTPU_TRANSPORT_NOTIFY_H
#define SCTPU_TRANSPORT_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"
#include "transport.h"

/* The association changes (SCTP_ASSOC_CHANGE's sac_state, up to
 * CANT_STR_ASSOC) we act on, and the other notifications we log. */
enum transport_notify_event {
    TRANSPORT_NOTIFY_COMM_UP,
    TRANSPORT_NOTIFY_COMM_LOST,
    TRANSPORT_NOTIFY_RESTART,
    TRANSPORT_NOTIFY_SHUTDOWN_COMP,
    TRANSPORT_NOTIFY_CANT_STR_ASSOC,
    TRANSPORT_NOTIFY_SHUTDOWN_EVENT, /* the peer sent SHUTDOWN */
    TRANSPORT_NOTIFY_SEND_FAILED,
    TRANSPORT_NOTIFY_REMOTE_ERROR,
};

/* The backend's length of a connection's detail buffer. */
#define TRANSPORT_NOTIFY_DETAIL_LEN 160

/* One association, as the notification layer sees it. */
struct transport_notify_conn {
    struct transport_conn *conn; /* its last_errno and detail */
    char *detail;                /* the buffer conn->detail points at */
    size_t detail_len;
    char peer[NETADDR_STRLEN]; /* the peer's printable name */
    uint16_t peer_port;        /* its SCTP port */
    /* The backend's "this association failed with errnum" (its state,
     * conn->last_errno, and whatever tells the loop). */
    void (*fail)(struct transport_conn *conn, int errnum);
};

/* What the notification says, for the events with a detail. */
struct transport_notify_info {
    bool from_peer;           /* an ABORT chunk from the peer came with it */
    unsigned int out_streams; /* COMM_UP */
    unsigned int in_streams;
};

/* The entries of a backend's table of its constants. */
#define TRANSPORT_NOTIFY_LEN(table) (sizeof(table) / sizeof((table)[0]))

/* The index in table[0..n) of the stack's constant value, or -1: the
 * backends' tables put their constants in the order of our enums. */
int transport_notify_lookup(const int *table, size_t n, int value);

/* printf into buf and point conn->detail at it. */
void transport_notify_detail(struct transport_conn *conn, char *buf, size_t len,
                             const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * A failed set-up (errno in nc->conn->last_errno): say what it means,
 * unless something (an ICMP error) already did.
 */
void transport_notify_connect_failure(const struct transport_notify_conn *nc);

/*
 * One timestamped line per association state change: -V shows them all;
 * the abnormal ones (a restart, an unreachable peer address), which no
 * workload reports by itself, always show.
 */
void transport_notify_log(const struct transport_notify_conn *nc, bool abnormal,
                          const char *what);

/* Act on an association notification: fail the association, explain
 * it, log it. ev is one of the list above. */
void transport_notify_event(const struct transport_notify_conn *nc,
                            enum transport_notify_event ev,
                            const struct transport_notify_info *info);

/* Log a peer address change (addr: its printable name, or NULL where the
 * backend has one path it cannot name). */
void transport_notify_path(const struct transport_notify_conn *nc,
                           const char *addr, enum transport_path_state state,
                           int error);

#endif /* SCTPU_TRANSPORT_NOTIFY_H */
