/*
 * peer_table.c - two chained hash tables over one set of peers.
 *
 * The bucket count is fixed: a server holds at most a few thousand UDP
 * endpoints at a time, and a fixed table keeps lookups on the datagram path
 * simple and free of rehash pauses.
 */
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "netaddr.h"
#include "peer_table.h"

#define PEER_TABLE_BUCKETS 4096

struct peer_table {
    uintptr_t next_handle;
    size_t count;
    struct peer *by_addr[PEER_TABLE_BUCKETS];
    struct peer *by_handle[PEER_TABLE_BUCKETS];
};

static size_t addr_bucket(const struct sockaddr *sa)
{
    return netaddr_hash(sa) % PEER_TABLE_BUCKETS;
}

static size_t handle_bucket(uintptr_t handle)
{
    return handle % PEER_TABLE_BUCKETS;
}

struct peer_table *peer_table_new(void)
{
    struct peer_table *t = calloc(1, sizeof(*t));

    if (t != NULL)
        t->next_handle = 1;
    return t;
}

void peer_table_free(struct peer_table *t)
{
    size_t i;

    if (t == NULL)
        return;
    for (i = 0; i < PEER_TABLE_BUCKETS; i++) {
        struct peer *p = t->by_handle[i];

        while (p != NULL) {
            struct peer *next = p->next_by_handle;

            free(p);
            p = next;
        }
    }
    free(t);
}

struct peer *peer_table_add(struct peer_table *t, const struct sockaddr *sa,
                            socklen_t len)
{
    struct peer *p = NULL;
    size_t ab;
    size_t hb;

    if (len > sizeof(p->addr))
        return NULL;
    p = calloc(1, sizeof(*p));
    if (p == NULL)
        return NULL;
    memcpy(&p->addr, sa, len);
    p->addrlen = len;
    netaddr_unmap(&p->addr, &p->addrlen);
    p->handle = t->next_handle++;

    ab = addr_bucket((struct sockaddr *)&p->addr);
    hb = handle_bucket(p->handle);
    p->next_by_addr = t->by_addr[ab];
    t->by_addr[ab] = p;
    p->next_by_handle = t->by_handle[hb];
    t->by_handle[hb] = p;
    t->count++;
    return p;
}

/* sa as the table stores endpoints: zero-padded, IPv4-mapped unmapped. */
static void endpoint_key(const struct sockaddr *sa,
                         struct sockaddr_storage *key)
{
    socklen_t keylen = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                 : sizeof(struct sockaddr_in);

    memset(key, 0, sizeof(*key));
    memcpy(key, sa, keylen);
    netaddr_unmap(key, &keylen);
}

struct peer *peer_table_find_addr(const struct peer_table *t,
                                  const struct sockaddr *sa)
{
    struct sockaddr_storage key;
    struct peer *p;

    endpoint_key(sa, &key);
    p = t->by_addr[addr_bucket((struct sockaddr *)&key)];
    while (p != NULL &&
           !netaddr_equal((struct sockaddr *)&p->addr, (struct sockaddr *)&key))
        p = p->next_by_addr;
    return p;
}

struct peer *peer_table_find_owned(const struct peer_table *t,
                                   const struct sockaddr *sa, const void *owner)
{
    struct sockaddr_storage key;
    struct peer *p;

    endpoint_key(sa, &key);
    p = t->by_addr[addr_bucket((struct sockaddr *)&key)];
    while (p != NULL &&
           (p->owner != owner || !netaddr_equal((struct sockaddr *)&p->addr,
                                                (struct sockaddr *)&key)))
        p = p->next_by_addr;
    return p;
}

struct peer *peer_table_find_handle(const struct peer_table *t,
                                    uintptr_t handle)
{
    struct peer *p = t->by_handle[handle_bucket(handle)];

    while (p != NULL && p->handle != handle)
        p = p->next_by_handle;
    return p;
}

/* Unlink p from a chain whose links sit at offset link_off in struct peer. */
static void unlink_from(struct peer **head, struct peer *p, size_t link_off)
{
    struct peer **pp = head;

    while (*pp != NULL && *pp != p)
        pp = (struct peer **)((char *)*pp + link_off);
    if (*pp == p)
        *pp = *(struct peer **)((char *)p + link_off);
}

void peer_table_remove(struct peer_table *t, struct peer *p)
{
    unlink_from(&t->by_addr[addr_bucket((struct sockaddr *)&p->addr)], p,
                offsetof(struct peer, next_by_addr));
    unlink_from(&t->by_handle[handle_bucket(p->handle)], p,
                offsetof(struct peer, next_by_handle));
    t->count--;
    free(p);
}

void peer_note_vtag(struct peer *p, uint32_t vtag)
{
    unsigned int i;

    if (vtag == 0)
        return;
    for (i = 0; i < PEER_VTAGS; i++) {
        if (p->vtags[i] == vtag)
            return;
    }
    p->vtags[p->vtag_next] = vtag;
    p->vtag_next = (p->vtag_next + 1) % PEER_VTAGS;
}

bool peer_has_vtag(const struct peer *p, uint32_t vtag)
{
    unsigned int i;

    for (i = 0; i < PEER_VTAGS; i++) {
        if (p->vtags[i] == vtag)
            return true;
    }
    return false;
}

/* A full scan, but only for datagrams from unknown endpoints that carry a
 * tag, which are rare; the datagram path never pays for it. */
struct peer *peer_table_find_rebound(const struct peer_table *t,
                                     const struct sockaddr *sa, uint32_t vtag)
{
    struct sockaddr_storage key;
    size_t i;

    if (vtag == 0)
        return NULL;
    endpoint_key(sa, &key);
    for (i = 0; i < PEER_TABLE_BUCKETS; i++) {
        struct peer *p;

        for (p = t->by_handle[i]; p != NULL; p = p->next_by_handle) {
            if (peer_has_vtag(p, vtag) &&
                netaddr_same_host((struct sockaddr *)&p->addr,
                                  (struct sockaddr *)&key))
                return p;
        }
    }
    return NULL;
}

void peer_table_rebind(struct peer_table *t, struct peer *p,
                       const struct sockaddr *sa, socklen_t len,
                       uint64_t now_ms)
{
    size_t ab;

    if (len > sizeof(p->addr))
        return;
    unlink_from(&t->by_addr[addr_bucket((struct sockaddr *)&p->addr)], p,
                offsetof(struct peer, next_by_addr));
    p->old_addr = p->addr;
    memset(&p->addr, 0, sizeof(p->addr));
    memcpy(&p->addr, sa, len);
    p->addrlen = len;
    netaddr_unmap(&p->addr, &p->addrlen);
    p->rebound_ms = now_ms;
    ab = addr_bucket((struct sockaddr *)&p->addr);
    p->next_by_addr = t->by_addr[ab];
    t->by_addr[ab] = p;
}

size_t peer_table_count(const struct peer_table *t)
{
    return t->count;
}

/* Remove the peers doomed() picks, calling on_remove before each. */
static size_t remove_where(
    struct peer_table *t, bool (*doomed)(const struct peer *p, const void *ctx),
    const void *ctx, void (*on_remove)(struct peer *p, void *arg), void *arg)
{
    size_t removed = 0;
    size_t i;

    for (i = 0; i < PEER_TABLE_BUCKETS; i++) {
        struct peer *p = t->by_handle[i];

        while (p != NULL) {
            struct peer *next = p->next_by_handle;

            if (doomed(p, ctx)) {
                if (on_remove != NULL)
                    on_remove(p, arg);
                peer_table_remove(t, p);
                removed++;
            }
            p = next;
        }
    }
    return removed;
}

struct idle_limit {
    uint64_t now_ms;
    uint64_t idle_ms;
};

static bool is_idle(const struct peer *p, const void *ctx)
{
    const struct idle_limit *lim = ctx;

    return p->assocs == 0 && lim->now_ms >= p->last_seen_ms &&
           lim->now_ms - p->last_seen_ms > lim->idle_ms;
}

size_t peer_table_expire(struct peer_table *t, uint64_t now_ms,
                         uint64_t idle_ms,
                         void (*on_remove)(struct peer *p, void *arg),
                         void *arg)
{
    struct idle_limit lim = { now_ms, idle_ms };

    return remove_where(t, is_idle, &lim, on_remove, arg);
}

static bool is_owned_by(const struct peer *p, const void *owner)
{
    return p->owner == owner;
}

size_t peer_table_remove_owner(struct peer_table *t, const void *owner,
                               void (*on_remove)(struct peer *p, void *arg),
                               void *arg)
{
    return remove_where(t, is_owned_by, owner, on_remove, arg);
}

void peer_table_foreach(const struct peer_table *t,
                        void (*fn)(struct peer *p, void *arg), void *arg)
{
    size_t i;

    for (i = 0; i < PEER_TABLE_BUCKETS; i++) {
        struct peer *p;

        for (p = t->by_handle[i]; p != NULL; p = p->next_by_handle)
            fn(p, arg);
    }
}
