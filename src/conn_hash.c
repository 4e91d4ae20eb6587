/*
 * conn_hash.c - an intrusive hash table of nodes by a 64-bit hash (see
 * conn_hash.h).
 */
#include "conn_hash.h"

#include <stdlib.h>
#include <string.h>

void conn_hash_init(struct conn_hash *h)
{
    memset(h, 0, sizeof(*h));
    h->buckets = h->inline_buckets;
    h->nbuckets = CONN_HASH_MIN_BUCKETS;
}

void conn_hash_free(struct conn_hash *h)
{
    if (h->buckets != h->inline_buckets)
        free(h->buckets);
    conn_hash_init(h);
}

/*
 * Move every node into an array of n buckets (n a power of two). Each
 * old chain is appended, in order, to the tails of the new ones: nodes of
 * one hash share an old chain, so they keep their order. Left as it is
 * when the array cannot be had.
 */
static void resize(struct conn_hash *h, size_t n)
{
    struct conn_hash_node **nb;
    struct conn_hash_node ***tails;
    size_t i;

    if (n == CONN_HASH_MIN_BUCKETS) {
        nb = NULL; /* filled below, after the old array is read */
    } else {
        nb = calloc(n, sizeof(*nb));
        if (nb == NULL)
            return;
    }
    tails = malloc(n * sizeof(*tails));
    if (tails == NULL) {
        free(nb);
        return;
    }
    if (nb == NULL) {
        /* shrinking back to the inline array: gather the old one first */
        struct conn_hash_node **old = h->buckets;
        size_t oldn = h->nbuckets;
        struct conn_hash_node *all = NULL;
        struct conn_hash_node **all_tail = &all;

        for (i = 0; i < oldn; i++) {
            *all_tail = old[i];
            while (*all_tail != NULL)
                all_tail = &(*all_tail)->next;
        }
        if (old != h->inline_buckets)
            free(old);
        memset(h->inline_buckets, 0, sizeof(h->inline_buckets));
        nb = h->inline_buckets;
        for (i = 0; i < n; i++)
            tails[i] = &nb[i];
        while (all != NULL) {
            struct conn_hash_node *next = all->next;
            size_t b = all->hash & (n - 1);

            all->next = NULL;
            *tails[b] = all;
            tails[b] = &all->next;
            all = next;
        }
    } else {
        for (i = 0; i < n; i++)
            tails[i] = &nb[i];
        for (i = 0; i < h->nbuckets; i++) {
            struct conn_hash_node *c = h->buckets[i];

            while (c != NULL) {
                struct conn_hash_node *next = c->next;
                size_t b = c->hash & (n - 1);

                c->next = NULL;
                *tails[b] = c;
                tails[b] = &c->next;
                c = next;
            }
        }
        if (h->buckets != h->inline_buckets)
            free(h->buckets);
    }
    free(tails);
    h->buckets = nb;
    h->nbuckets = n;
}

void conn_hash_insert(struct conn_hash *h, struct conn_hash_node *n,
                      uint64_t hash)
{
    struct conn_hash_node **pp;

    if (n->linked)
        return;
    if (h->count >= h->nbuckets && h->nbuckets <= SIZE_MAX / 2 / sizeof(n))
        resize(h, h->nbuckets * 2);
    pp = &h->buckets[hash & (h->nbuckets - 1)];
    n->hash = hash;
    n->next = *pp;
    n->linked = true;
    *pp = n;
    h->count++;
}

void conn_hash_remove(struct conn_hash *h, struct conn_hash_node *n)
{
    struct conn_hash_node **pp;

    if (!n->linked)
        return;
    for (pp = &h->buckets[n->hash & (h->nbuckets - 1)]; *pp != NULL;
         pp = &(*pp)->next) {
        if (*pp == n) {
            *pp = n->next;
            break;
        }
    }
    n->next = NULL;
    n->linked = false;
    h->count--;
    if (h->nbuckets > CONN_HASH_MIN_BUCKETS && h->count < h->nbuckets / 8)
        resize(h, h->nbuckets / 2);
}

struct conn_hash_node *conn_hash_chain(const struct conn_hash *h, uint64_t hash)
{
    return h->buckets[hash & (h->nbuckets - 1)];
}
