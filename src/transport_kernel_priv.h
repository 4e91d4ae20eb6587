/*
 * transport_kernel_priv.h - the kernel SCTP backend's own types, shared by
 * its files: transport_kernel.c (sockets, listen, connect, the ops table),
 * transport_kernel_events.c (notifications, path events and what the
 * loop tells the workload) and transport_kernel_conn.c (per-connection
 * send, recv, shutdown, free and queries).
 */
#ifndef SCTPU_TRANSPORT_KERNEL_PRIV_H
#define SCTPU_TRANSPORT_KERNEL_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include "transport.h"
#include "transport_notify.h"

struct event;
struct event_base;
struct sctp_rcvinfo;

#define NOTE_MAX 512 /* the part of a notification we look at */

struct kernel_transport {
    struct transport head; /* first: handed out to workloads */
    struct event_base *base;
    struct transport_config cfg;
    struct sockaddr_storage local; /* cfg's bind address, port 0 */
    socklen_t locallen;
    /* cfg's bind_more, resolved: sctp_bindx()ed after the bind */
    struct sockaddr_storage more[TRANSPORT_MAX_ADDRS - 1];
    size_t nmore;
    uint16_t encap_port; /* net.sctp.udp_port in use; 0 = no UDP */
    int listen_fd;
    struct event *listen_ev;
    transport_accept_cb on_accept;
    void *accept_arg;
    uint16_t listen_port;
    struct kernel_conn *conns; /* every live connection */
};

enum conn_state {
    CONN_CONNECTING,
    CONN_ESTABLISHED,
    CONN_FAILED,
};

struct kernel_conn {
    struct transport_conn base; /* first: handed out to workloads */
    struct kernel_transport *t;
    int fd;
    struct event *rd_ev;    /* persistent: data, notifications, EOF */
    struct event *wr_ev;    /* armed after a send said -EAGAIN */
    struct event *defer_ev; /* no fd: state news for the loop to tell */
    enum conn_state state;
    bool failure_told; /* TRANSPORT_EV_ERROR was delivered */
    bool peer_shut;    /* SHUTDOWN received, or our own shutdown
                          complete: recv says 0 once drained */
    bool in_note;      /* reading a notification in parts */
    size_t note_len;
    struct sockaddr_storage peer; /* IP address, unmapped */
    socklen_t peerlen;
    uint16_t peer_port;
    uint16_t local_port;
    uint16_t peer_udp_port; /* with UDP encapsulation */
    uint64_t ipackets;      /* the peer's packets, when get_info last saw */
    uint64_t heard_ns;      /* when that count last grew */
    /* path events not yet read: a ring, oldest at path_head */
    struct transport_path_event path_q[TRANSPORT_PATH_QUEUE];
    size_t path_head;
    size_t path_len;
    uint64_t path_dropped; /* overwritten while the queue was full */
    bool path_untold;      /* queued since TRANSPORT_EV_PATH was told */
    struct kernel_conn *next;
    struct kernel_conn **pprev;
    uint8_t note[NOTE_MAX];
    char detail[TRANSPORT_NOTIFY_DETAIL_LEN]; /* base.detail, when set */
};

static inline uint64_t kt_mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A connection on fd in state, on t's list, its events added; NULL when
 * out of memory (fd is the caller's then). */
struct kernel_conn *kt_conn_new(struct kernel_transport *t, int fd,
                                enum conn_state state);

/* The peer's address (unmapped) and SCTP port, from sa. */
void kt_conn_set_peer(struct kernel_conn *c, const struct sockaddr *sa,
                      socklen_t len);

/* A failure the workload learns of from the loop (never from inside the
 * transport_* call that found it). */
void kt_conn_fail(struct kernel_conn *c, int why);

/* One recvmsg: data with its SCTP_RCVINFO (rcv may be NULL) into buf, or
 * -errno. */
ssize_t kt_read_msg(struct kernel_conn *c, void *buf, size_t len, int flags,
                    int *msg_flags, struct sctp_rcvinfo *rcv);

/* A piece of a notification read into buf: keep its head, act at its
 * end. */
void kt_take_notification(struct kernel_conn *c, const void *buf, size_t n,
                          bool eor);

/* The per-connection ops (transport_kernel_conn.c). */
ssize_t kt_send(struct transport_conn *tc, const void *buf, size_t len,
                const struct transport_msginfo *info);
ssize_t kt_recv(struct transport_conn *tc, void *buf, size_t len,
                struct transport_msginfo *info);
int kt_shutdown(struct transport_conn *tc);
void kt_free(struct transport_conn *tc, bool abortive);
int kt_get_info(struct transport_conn *tc, struct transport_assoc_info *info);
int kt_tune(struct transport_conn *tc, const struct transport_tuning *tu);
size_t kt_path_events(struct transport_conn *tc,
                      struct transport_path_event *out, size_t max,
                      uint64_t *dropped);
size_t kt_peer_addrs(struct transport_conn *tc, struct sockaddr_storage *out,
                     size_t max);

#endif /* SCTPU_TRANSPORT_KERNEL_PRIV_H */
