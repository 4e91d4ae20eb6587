/*
 * peer_table.c - two chained hash tables over one set of peers, and the
 * list of those without an association.
 *
 * The bucket count is fixed: a server holds at most a few thousand UDP
 * endpoints at a time (its --max-peers), and a fixed table keeps lookups on
 * the datagram path simple and free of rehash pauses. Endpoints hash with
 * a key of the table's own, so a sender cannot fill one chain.
 */
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "netaddr.h"
#include "peer_keyhash.h"
#include "peer_table.h"

#define PEER_TABLE_BUCKETS 4096

struct peer_table {
    uintptr_t next_handle;
    struct peer_keyhash_key key;
    size_t count;
    size_t with_assoc;
    size_t peak;
    struct peer *idle_head; /* oldest first */
    struct peer *idle_tail;
    struct peer *by_addr[PEER_TABLE_BUCKETS];
    struct peer *by_handle[PEER_TABLE_BUCKETS];
};

/* sa's family, port and address (no padding or scope bytes) into buf,
 * after a tweak byte; the length. */
static size_t endpoint_bytes(const struct sockaddr *sa, uint8_t tweak,
                             uint8_t buf[2 + 2 + 16])
{
    size_t n = 4;

    memset(buf, 0, 20);
    buf[0] = (uint8_t)sa->sa_family;
    buf[1] = tweak;
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

        memcpy(buf + 2, &s6->sin6_port, 2);
        memcpy(buf + 4, &s6->sin6_addr, 16);
        n += 16;
    } else if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

        memcpy(buf + 2, &s4->sin_port, 2);
        memcpy(buf + 4, &s4->sin_addr, 4);
        n += 4;
    }
    return n;
}

/* sa is unmapped and zero-padded (endpoint_key). */
static size_t addr_bucket(const struct peer_table *t, const struct sockaddr *sa)
{
    uint8_t buf[20];
    size_t n = endpoint_bytes(sa, 'B', buf);

    return peer_keyhash(&t->key, buf, n) % PEER_TABLE_BUCKETS;
}

#define HANDLE_HASHED ((uintptr_t)1 << (sizeof(uintptr_t) * 8 - 1))

uintptr_t peer_table_endpoint_handle(const struct peer_table *t,
                                     const struct sockaddr *sa)
{
    uint8_t buf[20];
    size_t n = endpoint_bytes(sa, 'H', buf);

    return (uintptr_t)peer_keyhash(&t->key, buf, n) | HANDLE_HASHED;
}

static size_t handle_bucket(uintptr_t handle)
{
    return handle % PEER_TABLE_BUCKETS;
}

struct peer_table *peer_table_new(void)
{
    struct peer_table *t = calloc(1, sizeof(*t));

    if (t != NULL) {
        t->next_handle = 1;
        peer_keyhash_key_init(&t->key);
    }
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

static void idle_append(struct peer_table *t, struct peer *p)
{
    p->idle_next = NULL;
    p->idle_prev = t->idle_tail;
    if (t->idle_tail != NULL)
        t->idle_tail->idle_next = p;
    else
        t->idle_head = p;
    t->idle_tail = p;
}

static void idle_unlink(struct peer_table *t, struct peer *p)
{
    if (p->idle_prev != NULL)
        p->idle_prev->idle_next = p->idle_next;
    else
        t->idle_head = p->idle_next;
    if (p->idle_next != NULL)
        p->idle_next->idle_prev = p->idle_prev;
    else
        t->idle_tail = p->idle_prev;
    p->idle_prev = NULL;
    p->idle_next = NULL;
}

struct peer *peer_table_add(struct peer_table *t, const struct sockaddr *sa,
                            socklen_t len)
{
    return peer_table_add_handle(t, sa, len, 0);
}

/* handle 0: the next counter value. */
struct peer *peer_table_add_handle(struct peer_table *t,
                                   const struct sockaddr *sa, socklen_t len,
                                   uintptr_t handle)
{
    struct peer *p = NULL;
    size_t ab;
    size_t hb;

    if (len > sizeof(p->addr))
        return NULL;
    if (handle != 0 && peer_table_find_handle(t, handle) != NULL)
        return NULL;
    p = calloc(1, sizeof(*p));
    if (p == NULL)
        return NULL;
    memcpy(&p->addr, sa, len);
    p->addrlen = len;
    netaddr_unmap(&p->addr, &p->addrlen);
    p->handle = handle != 0 ? handle : t->next_handle++;

    ab = addr_bucket(t, (struct sockaddr *)&p->addr);
    hb = handle_bucket(p->handle);
    p->next_by_addr = t->by_addr[ab];
    t->by_addr[ab] = p;
    p->next_by_handle = t->by_handle[hb];
    t->by_handle[hb] = p;
    idle_append(t, p);
    t->count++;
    if (t->count > t->peak)
        t->peak = t->count;
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
    p = t->by_addr[addr_bucket(t, (struct sockaddr *)&key)];
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
    p = t->by_addr[addr_bucket(t, (struct sockaddr *)&key)];
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
    unlink_from(&t->by_addr[addr_bucket(t, (struct sockaddr *)&p->addr)], p,
                offsetof(struct peer, next_by_addr));
    unlink_from(&t->by_handle[handle_bucket(p->handle)], p,
                offsetof(struct peer, next_by_handle));
    if (p->assocs == 0)
        idle_unlink(t, p);
    else
        t->with_assoc--;
    t->count--;
    free(p);
}

void peer_assoc_up(struct peer_table *t, struct peer *p)
{
    if (p->assocs++ == 0) {
        idle_unlink(t, p);
        t->with_assoc++;
    }
}

void peer_assoc_down(struct peer_table *t, struct peer *p)
{
    if (p->assocs == 0)
        return;
    if (--p->assocs == 0) {
        idle_append(t, p);
        t->with_assoc--;
    }
}

struct peer *peer_table_oldest_idle(const struct peer_table *t,
                                    const void *owner)
{
    struct peer *p = t->idle_head;

    while (p != NULL && p->owner != owner)
        p = p->idle_next;
    return p;
}

void peer_table_stats(const struct peer_table *t, struct peer_table_stats *s)
{
    s->count = t->count;
    s->with_assoc = t->with_assoc;
    s->peak = t->peak;
}

void peer_note_cookie(struct peer *p, uint16_t port, uint32_t tag)
{
    unsigned int i;

    for (i = 0; i < PEER_VTAGS; i++) {
        if (p->cookie_tags[i].port == port && p->cookie_tags[i].tag != 0) {
            p->cookie_tags[i].tag = tag;
            return;
        }
    }
    p->cookie_tags[p->cookie_next].port = port;
    p->cookie_tags[p->cookie_next].tag = tag;
    p->cookie_next = (p->cookie_next + 1) % PEER_VTAGS;
}

uint32_t peer_cookie_tag(const struct peer *p, uint16_t port)
{
    unsigned int i;

    for (i = 0; i < PEER_VTAGS; i++)
        if (p->cookie_tags[i].port == port && p->cookie_tags[i].tag != 0)
            return p->cookie_tags[i].tag;
    return 0;
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

void peer_table_rebind(struct peer_table *t, struct peer *p,
                       const struct sockaddr *sa, socklen_t len,
                       uint64_t now_ms)
{
    size_t ab;

    if (len > sizeof(p->addr))
        return;
    unlink_from(&t->by_addr[addr_bucket(t, (struct sockaddr *)&p->addr)], p,
                offsetof(struct peer, next_by_addr));
    p->old_addr = p->addr;
    memset(&p->addr, 0, sizeof(p->addr));
    memcpy(&p->addr, sa, len);
    p->addrlen = len;
    netaddr_unmap(&p->addr, &p->addrlen);
    p->rebound_ms = now_ms;
    ab = addr_bucket(t, (struct sockaddr *)&p->addr);
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
