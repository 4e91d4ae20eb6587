/* tests/test_peer_table.c - handles for UDP endpoints. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "support.h"

#include "netaddr.h"
#include "peer_keyhash.h"
#include "peer_table.h"

static struct sockaddr_in v4(const char *ip, uint16_t port)
{
    struct sockaddr_in sa;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    inet_pton(AF_INET, ip, &sa.sin_addr);
    return sa;
}

static struct sockaddr_in6 v6(const char *ip, uint16_t port)
{
    struct sockaddr_in6 sa;

    memset(&sa, 0, sizeof(sa));
    sa.sin6_family = AF_INET6;
    sa.sin6_port = htons(port);
    inet_pton(AF_INET6, ip, &sa.sin6_addr);
    return sa;
}

static int setup(void **state)
{
    *state = peer_table_new();
    return *state == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    peer_table_free(*state);
    return 0;
}

static void test_peer_table_finds_both_ways(void **state)
{
    struct peer_table *t = *state;
    struct sockaddr_in a = v4("198.18.0.1", 9899);
    struct sockaddr_in b = v4("198.18.0.1", 9900);
    struct peer *pa = peer_table_add(t, (struct sockaddr *)&a, sizeof(a));
    struct peer *pb = peer_table_add(t, (struct sockaddr *)&b, sizeof(b));

    assert_non_null(pa);
    assert_non_null(pb);
    assert_int_not_equal(pa->handle, 0);
    assert_int_not_equal(pa->handle, pb->handle);
    assert_ptr_equal(peer_table_find_addr(t, (struct sockaddr *)&a), pa);
    assert_ptr_equal(peer_table_find_addr(t, (struct sockaddr *)&b), pb);
    assert_ptr_equal(peer_table_find_handle(t, pa->handle), pa);
    assert_ptr_equal(peer_table_find_handle(t, pb->handle), pb);
    assert_null(peer_table_find_handle(t, pb->handle + 1));
    assert_int_equal(peer_table_count(t), 2);
}

/* One server endpoint reached through two client sockets (sctpu-perf
 * --udp-per-assoc): a peer for each, found by its owner. */
static void test_peer_table_one_endpoint_two_owners(void **state)
{
    struct peer_table *t = *state;
    struct sockaddr_in a = v4("198.18.0.1", 9900);
    int sock1;
    int sock2;
    struct peer *p1 = peer_table_add(t, (struct sockaddr *)&a, sizeof(a));
    struct peer *p2 = peer_table_add(t, (struct sockaddr *)&a, sizeof(a));

    p1->owner = &sock1;
    p2->owner = &sock2;
    assert_ptr_equal(peer_table_find_owned(t, (struct sockaddr *)&a, &sock1),
                     p1);
    assert_ptr_equal(peer_table_find_owned(t, (struct sockaddr *)&a, &sock2),
                     p2);
    assert_null(peer_table_find_owned(t, (struct sockaddr *)&a, t));
}

static void test_peer_table_handles_never_reused(void **state)
{
    struct peer_table *t = *state;
    struct sockaddr_in a = v4("198.18.0.1", 9899);
    struct peer *p = peer_table_add(t, (struct sockaddr *)&a, sizeof(a));
    uintptr_t first = p->handle;

    peer_table_remove(t, p);
    assert_null(peer_table_find_handle(t, first));
    assert_null(peer_table_find_addr(t, (struct sockaddr *)&a));
    /* The same endpoint returning gets a new handle: an old cookie or a
     * late packet for the old one cannot reach it. */
    p = peer_table_add(t, (struct sockaddr *)&a, sizeof(a));
    assert_true(p->handle > first);
    assert_int_equal(peer_table_count(t), 1);
}

static void test_peer_table_v4_mapped_is_v4(void **state)
{
    struct peer_table *t = *state;
    struct sockaddr_in6 mapped = v6("::ffff:198.18.0.7", 4000);
    struct sockaddr_in plain = v4("198.18.0.7", 4000);
    struct peer *p;

    p = peer_table_add(t, (struct sockaddr *)&mapped, sizeof(mapped));
    assert_non_null(p);
    assert_int_equal(p->addr.ss_family, AF_INET);
    assert_ptr_equal(peer_table_find_addr(t, (struct sockaddr *)&plain), p);
    assert_ptr_equal(peer_table_find_addr(t, (struct sockaddr *)&mapped), p);
}

static void test_peer_table_v6_ports_distinct(void **state)
{
    struct peer_table *t = *state;
    struct sockaddr_in6 a = v6("2001:db8::1", 1);
    struct sockaddr_in6 b = v6("2001:db8::1", 2);
    struct sockaddr_in6 c = v6("2001:db8::2", 1);

    peer_table_add(t, (struct sockaddr *)&a, sizeof(a));
    assert_non_null(peer_table_find_addr(t, (struct sockaddr *)&a));
    assert_null(peer_table_find_addr(t, (struct sockaddr *)&b));
    assert_null(peer_table_find_addr(t, (struct sockaddr *)&c));
}

static int removed_count;

static void count_removed(struct peer *p, void *arg)
{
    (void)p;
    (void)arg;
    removed_count++;
}

static void test_peer_table_expire_spares_busy_and_recent(void **state)
{
    struct peer_table *t = *state;
    struct sockaddr_in a = v4("198.18.0.1", 1);
    struct sockaddr_in b = v4("198.18.0.1", 2);
    struct sockaddr_in c = v4("198.18.0.1", 3);
    struct peer *idle = peer_table_add(t, (struct sockaddr *)&a, sizeof(a));
    struct peer *busy = peer_table_add(t, (struct sockaddr *)&b, sizeof(b));
    struct peer *recent = peer_table_add(t, (struct sockaddr *)&c, sizeof(c));

    idle->last_seen_ms = 1000;
    busy->last_seen_ms = 1000;
    peer_assoc_up(t, busy);
    recent->last_seen_ms = 40000;
    removed_count = 0;
    assert_int_equal(peer_table_expire(t, 41000, 30000, count_removed, NULL),
                     1);
    assert_int_equal(removed_count, 1);
    assert_null(peer_table_find_addr(t, (struct sockaddr *)&a));
    assert_non_null(peer_table_find_addr(t, (struct sockaddr *)&b));
    assert_non_null(peer_table_find_addr(t, (struct sockaddr *)&c));
}

static void test_peer_table_remove_owner(void **state)
{
    struct peer_table *t = *state;
    int owner1;
    int owner2;
    uint16_t port;

    for (port = 1; port <= 100; port++) {
        struct sockaddr_in a = v4("198.18.0.1", port);
        struct peer *p = peer_table_add(t, (struct sockaddr *)&a, sizeof(a));

        p->owner = port % 2 ? (void *)&owner1 : (void *)&owner2;
        peer_assoc_up(t, p); /* even busy peers go with their owner */
    }
    removed_count = 0;
    assert_int_equal(peer_table_remove_owner(t, &owner1, count_removed, NULL),
                     50);
    assert_int_equal(removed_count, 50);
    assert_int_equal(peer_table_count(t), 50);
}

/* Many endpoints share buckets: every one still maps to itself. */
static void test_peer_table_many_peers(void **state)
{
    struct peer_table *t = *state;
    uint32_t i;

    for (i = 0; i < 20000; i++) {
        struct sockaddr_in a = v4("198.18.0.0", (uint16_t)(i % 60000 + 1));

        a.sin_addr.s_addr = htonl(0xC6120000u + i / 60000);
        assert_non_null(peer_table_add(t, (struct sockaddr *)&a, sizeof(a)));
    }
    for (i = 0; i < 20000; i++) {
        struct sockaddr_in a = v4("198.18.0.0", (uint16_t)(i % 60000 + 1));
        struct peer *p;

        a.sin_addr.s_addr = htonl(0xC6120000u + i / 60000);
        p = peer_table_find_addr(t, (struct sockaddr *)&a);
        assert_non_null(p);
        assert_ptr_equal(peer_table_find_handle(t, p->handle), p);
    }
    assert_int_equal(peer_table_count(t), 20000);
}

#define SA(x) ((struct sockaddr *)&(x))

/* After a move both lookups agree; the old endpoint is remembered. */
static void test_peer_table_rebind_by_vtag(void **state)
{
    struct peer_table *t = *state;
    struct sockaddr_in a = v4("198.18.0.1", 40000);
    struct sockaddr_in moved = v4("198.18.0.1", 50000);
    struct peer *p = peer_table_add(t, SA(a), sizeof(a));
    uintptr_t handle = p->handle;

    peer_note_vtag(p, 0x11111111);
    peer_note_vtag(p, 0x22222222);
    peer_table_rebind(t, p, SA(moved), sizeof(moved), 1234);
    assert_null(peer_table_find_addr(t, SA(a)));
    assert_ptr_equal(peer_table_find_addr(t, SA(moved)), p);
    assert_ptr_equal(peer_table_find_handle(t, handle), p);
    assert_true(netaddr_equal(SA(p->old_addr), SA(a)));
    assert_int_equal(p->rebound_ms, 1234);
    assert_int_equal(peer_table_count(t), 1);
}

/* The newest PEER_VTAGS INIT tags are kept; duplicates take no slot. */
static void test_peer_table_vtag_ring(void **state)
{
    struct peer_table *t = *state;
    struct sockaddr_in6 a = v6("2001:db8::1", 40000);
    struct peer *p = peer_table_add(t, SA(a), sizeof(a));
    uint32_t tag;

    for (tag = 1; tag <= PEER_VTAGS + 2; tag++) {
        peer_note_vtag(p, tag);
        peer_note_vtag(p, tag);
    }
    peer_note_vtag(p, 0); /* never remembered */
    assert_false(peer_has_vtag(p, 0));
    assert_false(peer_has_vtag(p, 1));
    assert_false(peer_has_vtag(p, 2));
    for (tag = 3; tag <= PEER_VTAGS + 2; tag++)
        assert_true(peer_has_vtag(p, tag));
}

/* A COOKIE-ECHO's tag by SCTP port; a newer one for a port replaces it. */
static void test_peer_table_cookie_tags(void **state)
{
    struct peer_table *t = *state;
    struct sockaddr_in a = v4("198.18.0.1", 40000);
    struct peer *p = peer_table_add(t, SA(a), sizeof(a));
    uint16_t port;

    assert_int_equal(peer_cookie_tag(p, 5000), 0);
    peer_note_cookie(p, 5000, 0xaaaa);
    peer_note_cookie(p, 5001, 0xbbbb);
    peer_note_cookie(p, 5000, 0xcccc); /* a restart */
    assert_int_equal(peer_cookie_tag(p, 5000), 0xcccc);
    assert_int_equal(peer_cookie_tag(p, 5001), 0xbbbb);
    for (port = 1; port <= PEER_VTAGS; port++)
        peer_note_cookie(p, port, port);
    assert_int_equal(peer_cookie_tag(p, 5001), 0); /* pushed out */
    assert_int_equal(peer_cookie_tag(p, PEER_VTAGS), PEER_VTAGS);
}

/* Peers without an association, oldest first; owners apart; counts. */
static void test_peer_table_idle_order(void **state)
{
    struct peer_table *t = *state;
    struct sockaddr_in a = v4("198.18.0.1", 1);
    struct sockaddr_in b = v4("198.18.0.1", 2);
    struct sockaddr_in c = v4("198.18.0.1", 3);
    struct peer *pa = peer_table_add(t, SA(a), sizeof(a));
    struct peer *pb = peer_table_add(t, SA(b), sizeof(b));
    struct peer *pc = peer_table_add(t, SA(c), sizeof(c));
    struct peer_table_stats st;
    int me;
    int other;

    pa->owner = &me;
    pb->owner = &other;
    pc->owner = &me;
    assert_ptr_equal(peer_table_oldest_idle(t, &me), pa);
    assert_ptr_equal(peer_table_oldest_idle(t, &other), pb);
    peer_assoc_up(t, pa);
    peer_assoc_up(t, pa);
    assert_ptr_equal(peer_table_oldest_idle(t, &me), pc);
    peer_table_stats(t, &st);
    assert_int_equal(st.count, 3);
    assert_int_equal(st.with_assoc, 1);
    peer_assoc_down(t, pa);
    assert_ptr_equal(peer_table_oldest_idle(t, &me), pc);
    peer_assoc_down(t, pa); /* now idle, newest */
    peer_assoc_down(t, pa); /* no underflow */
    assert_int_equal(pa->assocs, 0);
    assert_ptr_equal(peer_table_oldest_idle(t, &me), pc);
    peer_table_remove(t, pc);
    assert_ptr_equal(peer_table_oldest_idle(t, &me), pa);
    peer_table_remove(t, pa);
    assert_null(peer_table_oldest_idle(t, &me));
    peer_table_stats(t, &st);
    assert_int_equal(st.count, 1);
    assert_int_equal(st.with_assoc, 0);
    assert_int_equal(st.peak, 3);
}

/* SipHash-2-4's published test vectors (key 00..0f, message 00..len-1). */
static void test_peer_keyhash_vectors(void **state)
{
    struct peer_keyhash_key key = { 0x0706050403020100ULL,
                                    0x0f0e0d0c0b0a0908ULL };
    uint8_t msg[16];
    int i;

    (void)state;
    for (i = 0; i < 16; i++)
        msg[i] = (uint8_t)i;
    assert_true(peer_keyhash(&key, msg, 0) == 0x726fdb47dd0e0e31ULL);
    assert_true(peer_keyhash(&key, msg, 15) == 0xa129ca6149be45e5ULL);
    assert_true(peer_keyhash(&key, msg, 8) == 0x93f5f5799a932462ULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_peer_table_finds_both_ways, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_peer_table_one_endpoint_two_owners,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_peer_table_handles_never_reused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_peer_table_v4_mapped_is_v4, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_peer_table_v6_ports_distinct,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_peer_table_expire_spares_busy_and_recent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_peer_table_remove_owner, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_peer_table_rebind_by_vtag, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_peer_table_cookie_tags, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_peer_table_idle_order, setup,
                                        teardown),
        cmocka_unit_test(test_peer_keyhash_vectors),
        cmocka_unit_test_setup_teardown(test_peer_table_vtag_ring, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_peer_table_many_peers, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
