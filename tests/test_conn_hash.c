/* tests/test_conn_hash.c - the intrusive hash behind the usrsctp
 * backend's per-packet association lookups. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "conn_hash.h"

struct item {
    struct conn_hash_node node;
    unsigned int key;
};

/* A poor hash on purpose: keys k and k + 1000 collide, and the low bits
 * spread the rest. */
static uint64_t hash_of(unsigned int key)
{
    return (uint64_t)(key % 1000) * 0x9E3779B97F4A7C15ull;
}

/* The items with key, in chain order, into out; how many. */
static size_t find_all(const struct conn_hash *h, unsigned int key,
                       struct item **out, size_t max)
{
    uint64_t hash = hash_of(key);
    struct conn_hash_node *n;
    size_t k = 0;

    for (n = conn_hash_chain(h, hash); n != NULL; n = n->next) {
        struct item *it = (struct item *)n;

        if (n->hash == hash && it->key == key && k < max)
            out[k++] = it;
    }
    return k;
}

static struct item *find(const struct conn_hash *h, unsigned int key)
{
    struct item *it = NULL;

    return find_all(h, key, &it, 1) == 1 ? it : NULL;
}

static void test_insert_find_remove(void **state)
{
    struct conn_hash h;
    struct item a = { .key = 1 }, b = { .key = 1001 }, c = { .key = 2 };

    (void)state;
    conn_hash_init(&h);
    assert_null(find(&h, 1));
    conn_hash_insert(&h, &a.node, hash_of(a.key));
    conn_hash_insert(&h, &b.node, hash_of(b.key)); /* same hash as a */
    conn_hash_insert(&h, &c.node, hash_of(c.key));
    assert_int_equal(h.count, 3);
    assert_ptr_equal(find(&h, 1), &a);
    assert_ptr_equal(find(&h, 1001), &b);
    assert_ptr_equal(find(&h, 2), &c);
    assert_null(find(&h, 3));
    /* linked twice is linked once */
    conn_hash_insert(&h, &a.node, hash_of(a.key));
    assert_int_equal(h.count, 3);
    conn_hash_remove(&h, &a.node);
    assert_false(a.node.linked);
    assert_null(find(&h, 1));
    assert_ptr_equal(find(&h, 1001), &b);
    /* removing what is not linked changes nothing */
    conn_hash_remove(&h, &a.node);
    assert_int_equal(h.count, 2);
    conn_hash_remove(&h, &b.node);
    conn_hash_remove(&h, &c.node);
    assert_int_equal(h.count, 0);
    conn_hash_free(&h);
}

/* Grown to thousands and shrunk back, every node stays findable, the
 * array follows the count both ways, and nodes of one key stay newest
 * first across every resize. */
static void test_grows_shrinks_keeps_order(void **state)
{
    enum { N = 5000 };
    struct item *items = calloc(N, sizeof(*items));
    struct item dup1 = { .key = 7 }, dup2 = { .key = 7 };
    struct item *got[4];
    struct conn_hash h;
    size_t i;

    (void)state;
    assert_non_null(items);
    conn_hash_init(&h);
    conn_hash_insert(&h, &dup1.node, hash_of(7));
    conn_hash_insert(&h, &dup2.node, hash_of(7));
    for (i = 0; i < N; i++) {
        items[i].key = 10000 + (unsigned int)i;
        conn_hash_insert(&h, &items[i].node, hash_of(items[i].key));
    }
    assert_int_equal(h.count, N + 2);
    assert_true(h.nbuckets >= N && h.nbuckets <= 4 * N);
    for (i = 0; i < N; i++)
        assert_ptr_equal(find(&h, items[i].key), &items[i]);
    assert_int_equal(find_all(&h, 7, got, 4), 2);
    assert_ptr_equal(got[0], &dup2);
    assert_ptr_equal(got[1], &dup1);
    for (i = 0; i < N; i++)
        conn_hash_remove(&h, &items[i].node);
    assert_int_equal(h.count, 2);
    assert_int_equal(h.nbuckets, CONN_HASH_MIN_BUCKETS);
    assert_ptr_equal(h.buckets, h.inline_buckets);
    assert_int_equal(find_all(&h, 7, got, 4), 2);
    assert_ptr_equal(got[0], &dup2);
    assert_ptr_equal(got[1], &dup1);
    for (i = 0; i < N; i++)
        assert_null(find(&h, items[i].key));
    conn_hash_free(&h);
    free(items);
}

/* Churn: inserts and removes interleaved around a resize threshold never
 * lose a node (under ASan this also checks nothing freed is touched). */
static void test_churn(void **state)
{
    enum { N = 600 };
    struct item items[N];
    struct conn_hash h;
    unsigned int round;
    size_t i;

    (void)state;
    memset(items, 0, sizeof(items));
    conn_hash_init(&h);
    for (round = 0; round < 20; round++) {
        for (i = 0; i < N; i++) {
            if ((i + round) % 3 == 0) {
                conn_hash_remove(&h, &items[i].node);
            } else if (!items[i].node.linked) {
                items[i].key = (unsigned int)i + round * N;
                conn_hash_insert(&h, &items[i].node, hash_of(items[i].key));
            }
        }
        for (i = 0; i < N; i++) {
            if (items[i].node.linked)
                assert_ptr_equal(find(&h, items[i].key), &items[i]);
        }
    }
    for (i = 0; i < N; i++)
        conn_hash_remove(&h, &items[i].node);
    assert_int_equal(h.count, 0);
    conn_hash_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_find_remove),
        cmocka_unit_test(test_grows_shrinks_keeps_order),
        cmocka_unit_test(test_churn),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
