/*
 * peer_keyhash.c - SipHash-2-4 (Aumasson and Bernstein, 2012), written
 * from the paper's description: 2 compression rounds per 8-byte word, 4
 * finalisation rounds, little-endian words, the length in the top byte
 * of the last word.
 */
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "peer_keyhash.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

struct sip {
    uint64_t v0, v1, v2, v3;
};

static void sip_round(struct sip *s)
{
    s->v0 += s->v1;
    s->v1 = ROTL(s->v1, 13);
    s->v1 ^= s->v0;
    s->v0 = ROTL(s->v0, 32);
    s->v2 += s->v3;
    s->v3 = ROTL(s->v3, 16);
    s->v3 ^= s->v2;
    s->v0 += s->v3;
    s->v3 = ROTL(s->v3, 21);
    s->v3 ^= s->v0;
    s->v2 += s->v1;
    s->v1 = ROTL(s->v1, 17);
    s->v1 ^= s->v2;
    s->v2 = ROTL(s->v2, 32);
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    int i;

    for (i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void sip_word(struct sip *s, uint64_t m)
{
    s->v3 ^= m;
    sip_round(s);
    sip_round(s);
    s->v0 ^= m;
}

uint64_t peer_keyhash(const struct peer_keyhash_key *key, const void *data,
                      size_t len)
{
    const uint8_t *p = data;
    struct sip s = {
        key->k0 ^ 0x736f6d6570736575ULL,
        key->k1 ^ 0x646f72616e646f6dULL,
        key->k0 ^ 0x6c7967656e657261ULL,
        key->k1 ^ 0x7465646279746573ULL,
    };
    uint8_t last[8] = { 0 };
    size_t i;

    for (i = 0; i + 8 <= len; i += 8)
        sip_word(&s, le64(p + i));
    memcpy(last, p + i, len - i);
    last[7] = (uint8_t)len;
    sip_word(&s, le64(last));
    s.v2 ^= 0xff;
    for (i = 0; i < 4; i++)
        sip_round(&s);
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

void peer_keyhash_key_init(struct peer_keyhash_key *key)
{
    if (getrandom(key, sizeof(*key), GRND_NONBLOCK) != (ssize_t)sizeof(*key)) {
        /* No entropy yet (early boot): weaker, but still per process. */
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        key->k0 =
            (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)ts.tv_sec;
        key->k1 = ROTL(key->k0, 29) ^ (uint64_t)(uintptr_t)key;
    }
}
