/*
 * peer_keyhash.h - a keyed hash (SipHash-2-4) for tables whose keys a
 * remote sender chooses (UDP endpoints, tags): with a random key per
 * process nobody can aim many keys at one bucket.
 */
#ifndef SCTPU_PEER_KEYHASH_H
#define SCTPU_PEER_KEYHASH_H

#include <stddef.h>
#include <stdint.h>

struct peer_keyhash_key {
    uint64_t k0, k1;
};

/* A fresh random key (getrandom; a clock-based one if that fails). */
void peer_keyhash_key_init(struct peer_keyhash_key *key);

/* SipHash-2-4 of len bytes at data under key. */
uint64_t peer_keyhash(const struct peer_keyhash_key *key, const void *data,
                      size_t len);

#endif /* SCTPU_PEER_KEYHASH_H */
