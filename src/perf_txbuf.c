/*
 * perf_txbuf.c - shared, reference-counted send buffers (perf_txbuf.h).
 * A process holds a handful at most (one per message length its tests
 * use), so a list is enough.
 */
#include <stdlib.h>
#include <string.h>

#include "perf_txbuf.h"
#include "perf_verify.h"

struct txbuf {
    struct txbuf *next;
    size_t len;
    bool verify;
    uint32_t crc;
    unsigned long refs;
    uint8_t data[];
};

static struct txbuf *bufs;

uint8_t *perf_txbuf_get(size_t len, bool verify, uint32_t *crc)
{
    struct txbuf *b;

    for (b = bufs; b != NULL; b = b->next)
        if (b->len == len && b->verify == verify)
            break;
    if (b == NULL) {
        b = malloc(sizeof(*b) + (len ? len : 1));
        if (b == NULL)
            return NULL;
        b->len = len;
        b->verify = verify;
        b->refs = 0;
        b->crc = 0;
        /* Without --verify the bytes do not matter; not all zero, so
         * nothing along the path can compress them away. */
        memset(b->data, 0x5a, len);
        if (verify)
            b->crc = perf_verify_prepare(b->data, len);
        b->next = bufs;
        bufs = b;
    }
    b->refs++;
    if (crc != NULL)
        *crc = b->crc;
    return b->data;
}

void perf_txbuf_put(uint8_t *buf)
{
    struct txbuf **pp;

    if (buf == NULL)
        return;
    for (pp = &bufs; *pp != NULL; pp = &(*pp)->next) {
        struct txbuf *b = *pp;

        if (b->data != buf)
            continue;
        if (--b->refs == 0) {
            *pp = b->next;
            free(b);
        }
        return;
    }
}
