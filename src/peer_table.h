/*
 * peer_table.h - UDP endpoints and the opaque handles usrsctp knows them by.
 *
 * usrsctp's AF_CONN addresses are opaque pointers. We give every UDP source
 * endpoint a handle from a counter that never goes back, so an old state
 * cookie or a late retransmission can never reach a different peer that
 * happened to reuse a number. The table maps both ways: handle -> peer for
 * conn_output, endpoint -> peer for each received datagram.
 */
#ifndef SCTPU_PEER_TABLE_H
#define SCTPU_PEER_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Tags remembered per peer: one per association (perf -P 8 uses one UDP
 * endpoint for 8); any one of them is enough to follow the peer. */
#define PEER_VTAGS 8

struct peer {
    uintptr_t handle;             /* never 0, never reused */
    struct sockaddr_storage addr; /* the UDP endpoint, unmapped */
    socklen_t addrlen;
    unsigned int assocs;   /* live associations through it */
    uint64_t last_seen_ms; /* last datagram from it */
    uint32_t sctp_pathmtu; /* 0 = not known yet */
    void *owner;           /* the transport whose socket serves it */
    /* Our verification tags for its associations, taken from the INIT and
     * INIT-ACK chunks we sent it. Only this peer can know them, so a
     * datagram carrying one comes from it, even from a new UDP port: a
     * NAT that changed its mapping (peer_table_find_rebound). */
    uint32_t vtags[PEER_VTAGS];
    unsigned int vtag_next;           /* ring position for the next tag */
    struct sockaddr_storage old_addr; /* the endpoint before a rebinding */
    uint64_t rebound_ms;              /* when it moved; 0 = never */
    struct peer *next_by_addr;
    struct peer *next_by_handle;
};

struct peer_table;

struct peer_table *peer_table_new(void);

/* Frees every peer; the caller has deregistered their handles. */
void peer_table_free(struct peer_table *t);

/* A new peer with the next handle, or NULL when out of memory. */
struct peer *peer_table_add(struct peer_table *t, const struct sockaddr *sa,
                            socklen_t len);

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

/* Remember a verification tag of ours that p's packets will carry. */
void peer_note_vtag(struct peer *p, uint32_t vtag);

/* Is vtag one of the tags noted for p? (0 never is.) */
bool peer_has_vtag(const struct peer *p, uint32_t vtag);

/*
 * For a datagram from sa, an endpoint not in the table, carrying
 * verification tag vtag: the peer at the same IP address (another port)
 * whose associations use that tag, or NULL. vtag 0 (INIT) never matches.
 */
struct peer *peer_table_find_rebound(const struct peer_table *t,
                                     const struct sockaddr *sa, uint32_t vtag);

/* Move p to endpoint sa, remembering where it was (RFC 6951 5.4: the
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
