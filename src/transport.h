/*
 * transport.h - the one interface between workloads and SCTP backends.
 *
 * A backend is a const struct transport_ops. The workloads (echo, perf)
 * only ever call the transport_* functions at the end of this file, never
 * an op directly; they never see a file descriptor or a usrsctp socket.
 *
 * Threading: everything, including every callback, runs on the thread that
 * runs the event_base given to transport_open(). No backend calls back from
 * a thread of its own, and no callback is ever made from inside a
 * transport_* call: callbacks come only from the event loop.
 *
 * Errors: action functions return 0 (or a byte count) on success and a
 * negative errno on failure; -EAGAIN means "not now, wait for the event".
 * Setup functions also write a one-line "what: why" into a caller buffer.
 */
#ifndef SCTPU_TRANSPORT_H
#define SCTPU_TRANSPORT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "impair.h"

struct pcap_writer;

struct event_base;
struct transport;
struct transport_conn;

/* The most addresses one end of an association is given (multihoming). */
#define TRANSPORT_MAX_ADDRS 8

/* Said by a backend that can use one address per end only. */
#define TRANSPORT_NO_MULTIHOMING                                               \
    "multihoming (several addresses) needs --backend kernel; the usrsctp "     \
    "backend runs over one UDP socket: give it one address"

/* Settings for one transport instance; zero means "the default". */
struct transport_config {
    const char *bind_host; /* local address; NULL = wildcard */
    /* Multihoming: more local addresses (names or literals of bind_host's
     * family) that associations use besides bind_host, which is then
     * given too. The kernel backend adds them with sctp_bindx(); a
     * backend that cannot multihome refuses them in open(). */
    const char *bind_more[TRANSPORT_MAX_ADDRS - 1];
    size_t nbind_more;
    int family;        /* AF_UNSPEC, AF_INET or AF_INET6 */
    uint16_t udp_port; /* local UDP port; 0 = ephemeral */
    uint32_t mtu;      /* IP MTU of the path; 0 = from the route */
    uint32_t sndbuf;   /* SCTP socket buffers, bytes */
    uint32_t rcvbuf;
    /* outbound streams asked for (and inbound allowed); 0 = default */
    uint16_t streams;
    bool nodelay;           /* SCTP_NODELAY: no Nagle-like bundling delay */
    uint32_t sack_delay_ms; /* delayed SACK timer */
    uint32_t sack_freq;     /* SACK at least every this many packets */
    uint32_t rto_min_ms;    /* retransmission timeout bounds */
    uint32_t rto_max_ms;
    uint32_t rto_initial_ms;
    uint32_t hb_interval_ms; /* HEARTBEAT interval; 0 = default (30 s) */
    uint16_t in_streams;     /* inbound streams allowed; 0 = default */
    uint8_t tos;             /* IP TOS / traffic class byte of every
                                datagram (DSCP << 2); 0 = the default */
    const char *bind_dev;    /* SO_BINDTODEVICE; NULL = any interface */
    /* RFC 9260 failure detection; 0 = the backend's default */
    uint16_t max_retrans_path;  /* Path.Max.Retrans */
    uint16_t max_retrans_assoc; /* Association.Max.Retrans */
    uint16_t max_init_retrans;  /* Max.Init.Retransmits */
    /* kernel backend: SCTP over UDP (RFC 6951) toward the peer's udp_port,
     * from net.sctp.udp_port (Linux >= 5.11); off = SCTP directly over IP.
     * The usrsctp backend always encapsulates and ignores it. */
    bool encap;
    /* usrsctp backend: UDP endpoints a listener keeps state for at once
     * (peers, each from its COOKIE-ECHO); 0 = TRANSPORT_DEFAULT_MAX_PEERS.
     * When full, the oldest without an association goes. */
    uint32_t max_peers;
    /* usrsctp backend, servers: above 1, this transport is one of that
     * many --workers sharing udp_port (SO_REUSEPORT, steered by source
     * address: workers.h). */
    uint16_t workers;
    /* usrsctp backend: --impair, on the datagrams this transport sends
     * (TRANSPORT_IMPAIR_TX), receives (_RX) or both; NULL = none */
    const struct impair_spec *impair;
    uint8_t impair_dir;
    /* added to its seed (given or drawn): one transport per association
     * (--udp-per-assoc) then draws its own sequence, not its neighbour's */
    uint64_t impair_seed_offset;
    /* usrsctp backend: --pcap, every datagram as it leaves (after --impair
     * tx) and arrives (before --impair rx), into this shared writer;
     * pcap_udp keeps the UDP header. NULL = none */
    struct pcap_writer *pcap;
    bool pcap_udp;
    /* usrsctp backend: sctpu-perf --scheduler, the sender's stream
     * scheduler, TRANSPORT_SS_*; 0 = the stack's default */
    uint8_t stream_scheduler;
    /* usrsctp backend: sctpu-perf --interleave, offer I-DATA (RFC 8260)
     * and deliver with SCTP_FRAGMENT_INTERLEAVE level 2 */
    bool interleave;
};

/* --scheduler: usrsctp's SCTP_SS_* plus one (0 = default) */
#define TRANSPORT_SS_RR 1     /* round robin per message */
#define TRANSPORT_SS_RR_PKT 2 /* round robin per packet */
#define TRANSPORT_SS_FCFS 3   /* first come, first served */
#define TRANSPORT_SS_FAIR 4   /* fair bandwidth */
#define TRANSPORT_SS_PRIO 5   /* by priority (set_stream_prio) */

#define TRANSPORT_IMPAIR_TX 1
#define TRANSPORT_IMPAIR_RX 2

#define TRANSPORT_DEFAULT_MAX_PEERS 4096

/* sctpu's RTO.Initial when none is given: RFC 9260's 1 s (usrsctp and
 * Linux still default to RFC 4960's 3 s). */
#define TRANSPORT_RTO_INITIAL_MS 1000

/* The RTO.Min that sctpu's "timers, not the path" warnings suggest for a
 * lab path (docs/loss.md: it took a 1000-byte test through 5 % loss each
 * way from 16-40 MB to 230-250 MB in 8 s). */
#define TRANSPORT_LAB_RTO_MIN_MS 50

/* The far end of an association to be made. */
struct transport_peer {
    struct sockaddr_storage addr; /* IP address (its port is ignored) */
    socklen_t addrlen;
    /* Multihoming: more addresses of the same peer, of addr's family
     * (ports ignored); the kernel backend hands all to sctp_connectx(), a
     * backend that cannot multihome refuses them in connect(). */
    struct sockaddr_storage more[TRANSPORT_MAX_ADDRS - 1];
    socklen_t morelen[TRANSPORT_MAX_ADDRS - 1];
    size_t nmore;
    uint16_t udp_port; /* UDP encapsulation port */
    uint16_t sctp_port;
};

/* Per-message metadata for send and recv. */
struct transport_msginfo {
    uint16_t sid;   /* stream id */
    uint32_t ppid;  /* payload protocol id, host byte order */
    bool unordered; /* sent/received with the U bit */
    bool eor;       /* recv: this call ended a message */
    /* send only: PR-SCTP (RFC 7496) policy and value; 0 = reliable */
    uint8_t pr_policy; /* 1 ttl (ms), 2 rtx (count), 3 buf (bytes) */
    uint32_t pr_value;
    bool sack_now; /* send: ask for an immediate SACK (RFC 7053) */
};

/* What a connection is told about; a bit mask. */
enum transport_event {
    TRANSPORT_EV_CONNECTED = 1 << 0, /* client: the association is up */
    /* recv has data, or will report the end of the association */
    TRANSPORT_EV_READABLE = 1 << 1,
    TRANSPORT_EV_WRITABLE = 1 << 2, /* after a send said -EAGAIN: retry */
    /* the association failed; see transport_conn_strerror() */
    TRANSPORT_EV_ERROR = 1 << 3,
    /* path events are queued: read them with transport_path_events() */
    TRANSPORT_EV_PATH = 1 << 4,
};

/* What happened to one peer address (RFC 6458 SCTP_PEER_ADDR_CHANGE). */
enum transport_path_state {
    TRANSPORT_PATH_AVAILABLE,   /* reachable (again) */
    TRANSPORT_PATH_UNREACHABLE, /* Path.Max.Retrans reached: failed */
    TRANSPORT_PATH_REMOVED,     /* taken out of the association */
    TRANSPORT_PATH_ADDED,       /* added to the association */
    TRANSPORT_PATH_MADE_PRIMARY,
    TRANSPORT_PATH_CONFIRMED,          /* its HEARTBEAT was answered */
    TRANSPORT_PATH_POTENTIALLY_FAILED, /* RFC 7829 (SCTP-PF) */
    TRANSPORT_PATH_UNKNOWN,            /* a state this build does not know */
};

/* One path event, queued by the backend until the workload reads it. */
struct transport_path_event {
    struct sockaddr_storage addr; /* the peer address (port as the stack
                                     has it) */
    enum transport_path_state state;
    int error;        /* the stack's error code for the change (0: none) */
    uint64_t when_ns; /* CLOCK_MONOTONIC when the backend learnt of it */
};

/* Path events a connection keeps unread; older ones are dropped first. */
#define TRANSPORT_PATH_QUEUE 32

typedef void (*transport_event_cb)(struct transport_conn *conn, int events,
                                   void *arg);
/*
 * A new association, handed to the workload: from now on it owns conn and
 * may free it inside the callback (a stopping server refuses it so). The
 * backend sets the connection up completely before the call and touches
 * it no more after it, in a loop that accepts several per event too. The
 * callback must not close the listening transport.
 */
typedef void (*transport_accept_cb)(struct transport_conn *conn, void *arg);

/* A snapshot of one association. */
struct transport_assoc_info {
    /* where the peer's packets come from, as seen here (after any NAT):
     * its IP address (port 0), and the UDP port they are encapsulated in,
     * 0 when SCTP runs directly over IP. transport_peer_name prints it. */
    struct sockaddr_storage peer_addr;
    socklen_t peer_addrlen;
    uint16_t peer_encap_port;
    uint16_t peer_sctp_port;
    uint16_t local_sctp_port;
    uint16_t in_streams; /* negotiated */
    uint16_t out_streams;
    uint32_t pathmtu; /* SCTP path MTU in use */
    /* smoothed RTT in microseconds, and the steps it comes in: 1 when
     * the usrsctp backend measured it from its packets, 1000 when it is
     * a stack's SCTP_STATUS figure (Linux and usrsctp keep whole ms; the
     * kernel backend cannot see packets, and usrsctp's is used until this
     * end has sent data) */
    uint32_t srtt_us;
    uint32_t rtt_resolution_us;
    /* RTTVAR (RFC 9260 6.3.1) in microseconds, when rtt_resolution_us is
     * 1 (measured from the packets); 0 otherwise: no stack exposes it */
    uint32_t rttvar_us;
    /* the socket buffers the stack really uses (SO_SNDBUF / SO_RCVBUF
     * read back); 0 when it cannot say */
    uint32_t sndbuf;
    uint32_t rcvbuf;
    uint32_t cwnd;        /* bytes */
    uint32_t peer_rwnd;   /* bytes */
    uint32_t unacked;     /* DATA chunks in flight */
    uint32_t pending;     /* DATA chunks queued, not yet sent */
    uint64_t retransmits; /* DATA chunks this end sent more than once */
    uint64_t abandoned;   /* PR-SCTP messages this end gave up on */
    uint32_t rto_ms;      /* the primary path's retransmission timeout */
    /* since the peer's last packet (any kind). The kernel backend only
     * knows the association's packet count: its heard_ms is the time since
     * get_info last saw that count grow (as fine as the calls are often) */
    uint32_t heard_ms;
    /* bytes given to send and not yet acknowledged (queued + in flight);
     * UINT64_MAX when the stack cannot say. The kernel backend gives the
     * socket's queued send memory (SO_MEMINFO), which adds per-chunk
     * overhead but is 0 exactly when everything is acknowledged */
    uint64_t send_queued;
};

/* Per-association tuning after set-up; zero keeps what is there. */
struct transport_tuning {
    bool nodelay;           /* SCTP_NODELAY on */
    uint32_t sack_delay_ms; /* delayed SACK timer */
    uint32_t sack_freq;     /* SACK at least every this many packets */
};

/* The RTO bounds a socket really uses (after defaults and clamping). */
struct transport_rto {
    uint32_t min_ms;
    uint32_t max_ms;
    uint32_t initial_ms;
};

/* Datagrams a transport refused before SCTP saw them, and NAT rebindings. */
struct transport_counters {
    uint64_t rx_datagrams;
    uint64_t rx_short;   /* shorter than an SCTP common header */
    uint64_t rx_bad_crc; /* CRC32c mismatch */
    /* from an endpoint we keep no state for, neither an INIT nor a
     * COOKIE-ECHO nor carrying a live association's tag */
    uint64_t rx_unknown_peer;
    uint64_t rx_malformed; /* an INIT or INIT-ACK usrsctp must not see
                              (sctp_wire_init_params_ok) */
    uint64_t rx_rebinds;   /* a peer's NAT moved it to a new UDP port */
    uint64_t rx_icmp;      /* ICMP errors about datagrams we sent */
    uint64_t tx_datagrams;
    uint64_t tx_errors; /* sendto failures other than EAGAIN */
    /* DATA retransmission timeouts (T3-rtx) of every association of the
     * process so far: usrsctp counts them only process-wide; the kernel
     * backend gives its network namespace's SctpT3RtxExpireds
     * (/proc/net/sctp/snmp), so other SCTP users there count too */
    uint64_t rtx_timeouts;
    /* usrsctp backend: its table of UDP endpoints with state (peers) */
    uint64_t peers;            /* now */
    uint64_t peers_with_assoc; /* now, those carrying an association */
    uint64_t peers_peak;
    uint64_t peers_cap;     /* its --max-peers; 0: the backend has no table */
    uint64_t peers_evicted; /* without an association, for a new one */
    uint64_t rx_table_full; /* COOKIE-ECHOs dropped: every peer busy */
    uint64_t rx_stateless_init; /* INITs answered keeping no state */
    uint64_t tx_path_probes;    /* HEARTBEATs to confirm a peer's new port */
    uint64_t assoc_moves;       /* associations moved alone (others stayed) */
    /* usrsctp's own drops, process-wide (usrsctp_get_stat): packets for
     * no association (out of the blue) and with a wrong verification tag */
    uint64_t rx_sctp_ootb;
    uint64_t rx_sctp_bad_vtag;
    /* SACKs received for our associations (usrsctp backend): how many
     * report gaps (DATA we sent arrived out of order at the peer: lost or
     * reordered) and how many TSNs they report as duplicates (arrived
     * twice). What --impair's reorder and duplicate look like to SCTP. */
    uint64_t rx_sacks_with_gaps;
    uint64_t rx_sack_dup_tsns;
    /* The backend cannot count datagrams (the kernel keeps no per-socket
     * counts): every rx_ and tx_ field above is 0 and means nothing. */
    bool no_datagram_counts;
    bool no_rtx_timeouts; /* rtx_timeouts is 0 and means nothing */
    /* --impair (usrsctp backend): what it did to the datagrams sent (tx)
     * and received (rx), and the spec in force with its seed */
    bool impair_tx_on;
    bool impair_rx_on;
    struct impair_counts impair_tx;
    struct impair_counts impair_rx;
    char impair_spec[160];
};

/* What a backend can do, so that a CLI refuses what it cannot before a
 * packet is sent. */
struct transport_caps {
    /* bit (1 << p) for each PR-SCTP policy p (transport_msginfo.pr_policy)
     * the stack has: usrsctp ttl, rtx, buf; Linux ttl, rtx (and a
     * priority policy sctpu does not use) */
    uint8_t pr_policies;
    /* binds its own UDP socket, so a client's local UDP port and one
     * socket per association mean something. Not the kernel: its UDP
     * tunnel is one port per network namespace (net.sctp.udp_port) */
    bool own_udp_socket;
    /* takes several addresses per end (sctp_bindx/sctp_connectx) */
    bool multihoming;
};

/* The generic part of a transport; backends embed it first. */
struct transport {
    const struct transport_ops *ops;
};

/* The generic part of a connection; backends embed it first. */
struct transport_conn {
    const struct transport_ops *ops;
    transport_event_cb cb;
    void *cb_arg;
    int last_errno; /* positive errno of the last failure */
    /* what the failure means, when the backend knows more than errno
     * (e.g. "the server answered ABORT: no SCTP endpoint on that port") */
    const char *detail;
};

struct transport_ops {
    const char *name;
    const struct transport_caps *caps;

    /*
     * The SCTP stack behind the backend, for results to record, e.g.
     * "usrsctp 0.9.5.0 (system)" or "Linux 6.1.0-28-amd64" (kernel SCTP,
     * whose UDP encapsulation bugs differ between releases).
     */
    void (*describe_stack)(char *buf, size_t len);

    /*
     * Can this host run the backend at all (--check)? 0, or -1 with the
     * reason in why (e.g. a kernel without SCTP). Opens nothing lasting.
     */
    int (*probe)(char *why, size_t whylen);

    /*
     * Make a transport on base. A listening transport binds cfg's local
     * address and UDP port; a client one binds an ephemeral (or given)
     * port of the family of the peer it will connect to. Returns 0 and
     * *out, or -1 with a message in err.
     */
    int (*open)(struct event_base *base, const struct transport_config *cfg,
                struct transport **out, char *err, size_t errlen);

    /* Free the transport. Every connection must be freed first. */
    void (*close)(struct transport *t);

    /* Accept associations on sctp_port; on_accept runs once for each. */
    int (*listen)(struct transport *t, uint16_t sctp_port,
                  transport_accept_cb on_accept, void *arg, char *err,
                  size_t errlen);

    /*
     * Start an association. The connection exists at once and reports
     * TRANSPORT_EV_CONNECTED or TRANSPORT_EV_ERROR later.
     */
    int (*connect)(struct transport *t, const struct transport_peer *peer,
                   uint16_t local_sctp_port, struct transport_conn **out,
                   char *err, size_t errlen);

    /*
     * Send one whole message. Returns len, -EAGAIN when the send buffer
     * is full (TRANSPORT_EV_WRITABLE follows), -EMSGSIZE when it can never
     * fit, or another negative errno when the association is gone.
     */
    ssize_t (*send)(struct transport_conn *c, const void *buf, size_t len,
                    const struct transport_msginfo *info);

    /*
     * Receive message data into buf. A message larger than len, or one
     * delivered in parts, comes over several calls; info->eor marks the
     * call that ends it. Returns the byte count, 0 when the peer has shut
     * down (no more data will come), -EAGAIN when nothing is queued, or
     * another negative errno when the association failed.
     */
    ssize_t (*recv)(struct transport_conn *c, void *buf, size_t len,
                    struct transport_msginfo *info);

    /* Graceful close, half: send SHUTDOWN once queued data is acked. */
    int (*shutdown)(struct transport_conn *c);

    /*
     * Free the connection. abortive sends ABORT at once; otherwise the
     * association finishes its graceful shutdown in the background.
     */
    void (*free)(struct transport_conn *c, bool abortive);

    int (*get_info)(struct transport_conn *c,
                    struct transport_assoc_info *info);

    /* Tune an association (a server applies what its client asked). */
    int (*tune)(struct transport_conn *c, const struct transport_tuning *tu);

    /* The RTO bounds the transport's sockets use. */
    void (*get_rto)(const struct transport *t, struct transport_rto *out);

    void (*get_counters)(const struct transport *t,
                         struct transport_counters *out);

    /* The local UDP (or SCTP) socket address, printable. */
    void (*local_name)(const struct transport *t, char *buf, size_t len);

    /*
     * Optional (NULL: the backend has no path events). Move up to max
     * queued path events, oldest first, into out; returns how many.
     * *dropped (may be NULL) gets how many were lost to a full queue
     * since the last call.
     */
    size_t (*path_events)(struct transport_conn *c,
                          struct transport_path_event *out, size_t max,
                          uint64_t *dropped);

    /*
     * Optional (NULL: unknown). The association's peer addresses (ports
     * as the stack has them), up to max into out; returns how many.
     */
    /*
     * Optional (NULL: not supported). sctpu-perf --scheduler prio: the
     * priority of outgoing stream sid (SCTP_SS_VALUE; lower goes first).
     * 0 or a negative errno.
     */
    int (*set_stream_prio)(struct transport_conn *c, uint16_t sid,
                           uint16_t prio);

    size_t (*peer_addrs)(struct transport_conn *c, struct sockaddr_storage *out,
                         size_t max);
};

/* Every backend sctpu knows, built into this binary or not, in the order
 * --check lists them and --backend all and --compare take them. */
#define TRANSPORT_KNOWN_BACKENDS 2
extern const char *const transport_known_backends[TRANSPORT_KNOWN_BACKENDS];

/* The backend called name, or NULL (see transport_unavailable_reason). */
const struct transport_ops *transport_find(const char *name);

/* Why a known backend name is not usable in this build, or NULL. */
const char *transport_unavailable_reason(const char *name);

/* The backend used when none is named. */
const struct transport_ops *transport_default(void);

/*
 * For a CLI that checks what the chosen backend can do before any packet:
 * name's backend (NULL = the default), or NULL when name is not one
 * backend of this binary (runtime_open reports that).
 */
const struct transport_ops *transport_chosen(const char *name);

/*
 * A client's own UDP port (what) asked of a backend without a UDP socket
 * of its own: 0 when ops has one (or nothing was asked), else -1 with
 * the reason in err.
 */
int transport_check_own_udp(const struct transport_ops *ops, const char *what,
                            char *err, size_t errlen);

/*
 * An address list ("a,b") given to a backend: 0 when it is one address or
 * ops can multihome (or ops is NULL), else -1 with TRANSPORT_NO_MULTIHOMING
 * in err. The CLIs ask before anything is opened or printed.
 */
int transport_check_addrs(const struct transport_ops *ops, const char *list,
                          char *err, size_t errlen);

/* Install the callback a connection reports its events to. */
void transport_conn_set_cb(struct transport_conn *c, transport_event_cb cb,
                           void *arg);

/* Does the backend have PR-SCTP policy p (transport_msginfo.pr_policy)?
 * 0 (reliable) always. */
bool transport_has_pr_policy(const struct transport_ops *ops, uint8_t p);

/* "ttl", "rtx", "buf" (as the CLIs spell them), "reliable" or "?". */
const char *transport_pr_policy_name(uint8_t p);

/* The policies ops has, as "ttl, rtx" (for error messages). Returns buf. */
char *transport_pr_policy_list(const struct transport_ops *ops, char *buf,
                               size_t len);

/* The peer's address as transport_assoc_info holds it: "ip:udp-port" with
 * UDP encapsulation, "ip" without. Returns buf. */
char *transport_peer_name(const struct transport_assoc_info *info, char *buf,
                          size_t len);

/* The connection's last failure: the backend's detail when it has one,
 * else strerror. */
const char *transport_conn_strerror(const struct transport_conn *c);

/* "available", "unreachable", ...: the JSON and text name of a state. */
const char *transport_path_state_name(enum transport_path_state state);

/*
 * The peer's addresses hosts[0..n) (names or literals; n >= 1): the first
 * resolved with family (AF_UNSPEC: either) into p->addr, the others with
 * its family into p->more. udp_port and sctp_port are left alone.
 * Returns 0, or -1 with a line in err (also for n > TRANSPORT_MAX_ADDRS).
 */
int transport_peer_resolve(struct transport_peer *p, const char *const *hosts,
                           size_t n, int family, char *err, size_t errlen);

/*
 * The local addresses hosts[0..n) into tc: the first as bind_host, the
 * others as bind_more (n == 0: the wildcard). The strings are borrowed.
 * Returns 0, or -1 with a line in err when n > TRANSPORT_MAX_ADDRS.
 */
int transport_config_set_bind(struct transport_config *tc,
                              const char *const *hosts, size_t n, char *err,
                              size_t errlen);

static inline int transport_probe(const struct transport_ops *ops, char *why,
                                  size_t whylen)
{
    return ops->probe(why, whylen);
}

static inline void transport_describe_stack(const struct transport_ops *ops,
                                            char *buf, size_t len)
{
    ops->describe_stack(buf, len);
}

static inline int transport_open(const struct transport_ops *ops,
                                 struct event_base *base,
                                 const struct transport_config *cfg,
                                 struct transport **out, char *err,
                                 size_t errlen)
{
    return ops->open(base, cfg, out, err, errlen);
}

static inline void transport_close(struct transport *t)
{
    if (t != NULL)
        t->ops->close(t);
}

static inline int transport_listen(struct transport *t, uint16_t sctp_port,
                                   transport_accept_cb on_accept, void *arg,
                                   char *err, size_t errlen)
{
    return t->ops->listen(t, sctp_port, on_accept, arg, err, errlen);
}

static inline int transport_connect(struct transport *t,
                                    const struct transport_peer *peer,
                                    uint16_t local_sctp_port,
                                    struct transport_conn **out, char *err,
                                    size_t errlen)
{
    return t->ops->connect(t, peer, local_sctp_port, out, err, errlen);
}

static inline void transport_get_rto(const struct transport *t,
                                     struct transport_rto *out)
{
    t->ops->get_rto(t, out);
}

static inline void transport_get_counters(const struct transport *t,
                                          struct transport_counters *out)
{
    t->ops->get_counters(t, out);
}

static inline void transport_local_name(const struct transport *t, char *buf,
                                        size_t len)
{
    t->ops->local_name(t, buf, len);
}

static inline int transport_tune(struct transport_conn *c,
                                 const struct transport_tuning *tu)
{
    return c->ops->tune(c, tu);
}

/* The backend a connection belongs to (a server may run several). */
static inline const struct transport_ops *
transport_conn_backend(const struct transport_conn *c)
{
    return c->ops;
}

static inline ssize_t transport_send(struct transport_conn *c, const void *buf,
                                     size_t len,
                                     const struct transport_msginfo *info)
{
    return c->ops->send(c, buf, len, info);
}

static inline ssize_t transport_recv(struct transport_conn *c, void *buf,
                                     size_t len, struct transport_msginfo *info)
{
    return c->ops->recv(c, buf, len, info);
}

static inline int transport_shutdown(struct transport_conn *c)
{
    return c->ops->shutdown(c);
}

static inline void transport_conn_free(struct transport_conn *c, bool abortive)
{
    if (c != NULL)
        c->ops->free(c, abortive);
}

static inline int transport_get_info(struct transport_conn *c,
                                     struct transport_assoc_info *info)
{
    return c->ops->get_info(c, info);
}

static inline size_t transport_path_events(struct transport_conn *c,
                                           struct transport_path_event *out,
                                           size_t max, uint64_t *dropped)
{
    if (dropped != NULL)
        *dropped = 0;
    if (c->ops->path_events == NULL)
        return 0;
    return c->ops->path_events(c, out, max, dropped);
}

static inline int transport_set_stream_prio(struct transport_conn *c,
                                            uint16_t sid, uint16_t prio)
{
    if (c->ops->set_stream_prio == NULL)
        return -ENOTSUP;
    return c->ops->set_stream_prio(c, sid, prio);
}

static inline size_t transport_peer_addrs(struct transport_conn *c,
                                          struct sockaddr_storage *out,
                                          size_t max)
{
    if (c->ops->peer_addrs == NULL)
        return 0;
    return c->ops->peer_addrs(c, out, max);
}

extern const struct transport_ops transport_usrsctp_ops;
/* Built only where CMake found <netinet/sctp.h> (SCTPU_HAVE_KERNEL_SCTP). */
extern const struct transport_ops transport_kernel_ops;

#endif /* SCTPU_TRANSPORT_H */
