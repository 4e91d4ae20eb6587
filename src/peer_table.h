/*
 * peer_table.h - UDP endpoints and the opaque handles usrsctp knows them by.
 *
 * usrsctp's AF_CONN addresses are opaque pointers. An endpoint we connect
 * to gets a handle from a counter that never goes back, so a late
 * retransmission can never reach a different peer that happened to reuse
 * a number. An endpoint that connects to a listener gets, at its
 * COOKIE-ECHO, the handle its INIT was answered under without any state: a
 * keyed hash of the endpoint (peer_table_endpoint_handle), which only that
 * endpoint's cookie can name. The table maps both ways: handle -> peer for
 * conn_output, endpoint -> peer for each received datagram (a keyed hash:
 * a sender picks its endpoints, and must not pick one bucket).
 *
 * Peers without an association are kept in a list, oldest first, so a
 * full table can evict one at once (peer_table_oldest_idle).
 */
#ifndef SCTPU_PEER_TABLE_H
#define SCTPU_PEER_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Tags remembered per peer (rings): the Initiate Tags of our INITs, and
 * its COOKIE-ECHOs' tags by SCTP port (perf -P 8 uses one UDP endpoint
 * for 8 associations). Following a NAT uses the tags of live associations
 * instead (kept on each connection). */
#define PEER_VTAGS 8

struct usrsctp_conn;

struct peer {
    uintptr_t handle;             /* never 0; a counter's or a keyed hash */
    struct sockaddr_storage addr; /* the UDP endpoint, unmapped */
    socklen_t addrlen;
    unsigned int assocs;        /* live associations (peer_assoc_up/down) */
    uint64_t last_seen_ms;      /* last datagram from it */
    uint32_t sctp_pathmtu;      /* 0 = not known yet */
    void *owner;                /* the transport whose socket serves it */
    struct usrsctp_conn *conns; /* its owner's associations through it */
    /* The Initiate Tags of the INITs we sent it (an ICMP error quoting
     * one is about our INIT to it: udp_icmp.h). */
    uint32_t vtags[PEER_VTAGS];
    unsigned int vtag_next; /* ring position for the next tag */
    /* The verification tags of the COOKIE-ECHOs it sent, by its SCTP
     * port: the tag of the association each one creates (or restarts),
     * taken when usrsctp hands it over (peer_cookie_tag). */
    struct {
        uint16_t port;
        uint32_t tag;
    } cookie_tags[PEER_VTAGS];
    unsigned int cookie_next;
    struct sockaddr_storage old_addr; /* the endpoint before a rebinding */
    uint64_t rebound_ms;              /* when it moved; 0 = never */
    struct peer *next_by_addr;
    struct peer *next_by_handle;
    struct peer *idle_prev; /* in the idle list when assocs == 0 */
    struct peer *idle_next;
};

struct peer_table;

struct peer_table *peer_table_new(void);

/* Frees every peer; the caller has deregistered their handles. */
void peer_table_free(struct peer_table *t);

/* A new peer with the next handle, or NULL when out of memory. */
struct peer *peer_table_add(struct peer_table *t, const struct sockaddr *sa,
                            socklen_t len);

/*
 * The handle a listener gives endpoint sa (unmapped) before it has any
 * state: a keyed hash of it with the top bit set (counter handles never
 * have it). usrsctp signs the handle into the state cookie of its
 * INIT-ACK (the HMAC covers it, though the wire shows zeros), so the
 * COOKIE-ECHO must come under the very handle the INIT came under.
 */
uintptr_t peer_table_endpoint_handle(const struct peer_table *t,
                                     const struct sockaddr *sa);

/* A new peer with that handle, or NULL when out of memory or when the
 * handle is taken (by a peer that has moved away from sa). */
struct peer *peer_table_add_handle(struct peer_table *t,
                                   const struct sockaddr *sa, socklen_t len,
                                   uintptr_t handle);

struct peer *peer_table_find_addr(const struct peer_table *t,
                                  const struct sockaddr *sa);
/* The peer at sa that owner's socket serves, or NULL: a process with
 * several transports (sctpu-perf --udp-per-assoc) may reach one endpoint
 * through each, as a peer of its own. */
struct peer *peer_table_find_owned(const struct peer_table *t,
                                   const struct sockaddr *sa,
                                   const void *owner);
struct peer *peer_table_find_handle(const struct peer_table *t,
                                    uintptr_t handle);

/* Remember the Initiate Tag of an INIT we sent p. */
void peer_note_vtag(struct peer *p, uint32_t vtag);

/* Is vtag one of the tags noted for p? (0 never is.) */
bool peer_has_vtag(const struct peer *p, uint32_t vtag);

/* p sent a COOKIE-ECHO from SCTP port port with verification tag tag. */
void peer_note_cookie(struct peer *p, uint16_t port, uint32_t tag);

/* The tag of p's latest COOKIE-ECHO from SCTP port port, or 0. */
uint32_t peer_cookie_tag(const struct peer *p, uint16_t port);

/* An association through p begins or ends: p leaves or joins (at its
 * tail) the list of peers without one. */
void peer_assoc_up(struct peer_table *t, struct peer *p);
void peer_assoc_down(struct peer_table *t, struct peer *p);

/* The peer owned by owner that has been without an association longest,
 * or NULL. */
struct peer *peer_table_oldest_idle(const struct peer_table *t,
                                    const void *owner);

/* Figures for the counters. */
struct peer_table_stats {
    size_t count;
    size_t with_assoc;
    size_t peak;
};
void peer_table_stats(const struct peer_table *t, struct peer_table_stats *s);

/* Move p (all its associations) to endpoint sa, remembering where it was (RFC 6951 5.4: the
 * remote encapsulation port follows the peer's packets). */
void peer_table_rebind(struct peer_table *t, struct peer *p,
                       const struct sockaddr *sa, socklen_t len,
                       uint64_t now_ms);

/* Unlink and free one peer. */
void peer_table_remove(struct peer_table *t, struct peer *p);

size_t peer_table_count(const struct peer_table *t);

/*
 * Remove every peer that carries no association and has been silent for
 * more than idle_ms, calling on_remove(p, arg) just before each is freed
 * (so its handle can be deregistered). Returns how many were removed.
 */
size_t peer_table_expire(struct peer_table *t, uint64_t now_ms,
                         uint64_t idle_ms,
                         void (*on_remove)(struct peer *p, void *arg),
                         void *arg);

/* Remove every peer whose owner is owner, calling on_remove first. */
size_t peer_table_remove_owner(struct peer_table *t, const void *owner,
                               void (*on_remove)(struct peer *p, void *arg),
                               void *arg);

/*
 * Call fn on every peer, in no particular order; fn must not add or
 * remove peers.
 */
void peer_table_foreach(const struct peer_table *t,
                        void (*fn)(struct peer *p, void *arg), void *arg);

#endif /* SCTPU_PEER_TABLE_H */
