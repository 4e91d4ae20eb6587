/*
 * conn_hash.h - an intrusive hash table of nodes by a 64-bit hash, for
 * finding an association per packet in O(1) (the usrsctp backend's
 * tag and port indexes).
 *
 * The caller computes the hash (a keyed one when a remote sender picks
 * the key) and compares its own keys while walking a chain: the table
 * keeps nodes and their hashes only. The bucket array doubles when the
 * table holds more nodes than buckets and halves when it holds under an
 * eighth, so its size follows the nodes in it (each one an association
 * that the transport's caps bound), never what a peer sends. If a larger
 * array cannot be had, the table keeps working with longer chains; the
 * smallest array is inline, so an insert never fails.
 *
 * A chain keeps its nodes newest first, also across resizes: of nodes
 * with one hash, the last inserted comes first.
 */
#ifndef SCTPU_CONN_HASH_H
#define SCTPU_CONN_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONN_HASH_MIN_BUCKETS 16 /* the inline array; a power of two */

struct conn_hash_node {
    struct conn_hash_node *next;
    uint64_t hash;
    bool linked; /* in a table */
};

struct conn_hash {
    struct conn_hash_node **buckets; /* inline or malloc'd */
    size_t nbuckets;                 /* a power of two */
    size_t count;
    struct conn_hash_node *inline_buckets[CONN_HASH_MIN_BUCKETS];
};

void conn_hash_init(struct conn_hash *h);
/* Frees the bucket array (the nodes are the caller's). */
void conn_hash_free(struct conn_hash *h);
/* Link n (not linked) with hash at the head of its chain. */
void conn_hash_insert(struct conn_hash *h, struct conn_hash_node *n,
                      uint64_t hash);
/* Unlink n; nothing if it is not linked. */
void conn_hash_remove(struct conn_hash *h, struct conn_hash_node *n);
/* The first node of the chain hash falls in, or NULL: walk it with
 * ->next and skip the nodes whose ->hash differs. */
struct conn_hash_node *conn_hash_chain(const struct conn_hash *h,
                                       uint64_t hash);

#endif /* SCTPU_CONN_HASH_H */
