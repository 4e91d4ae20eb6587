/*
 * tests/test_impair_queue.c - --impair on a real event loop: held
 * datagrams come out at their time and in order, copied (the caller's
 * buffer may change), bounded, and freed with the queue.
 */
#include <event2/event.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "support.h"

#include "impair_queue.h"

#define MAXGOT 16384

struct got {
    size_t n;
    uint8_t first[MAXGOT]; /* first byte of each delivered datagram */
    uint64_t at_us[MAXGOT];
    size_t dones;
};

static uint64_t mono_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void deliver(void *arg, const struct sockaddr *addr, socklen_t addrlen,
                    uint8_t *buf, size_t len)
{
    struct got *g = arg;

    (void)addr;
    (void)addrlen;
    assert_true(len > 0);
    if (g->n < MAXGOT) {
        g->first[g->n] = buf[0];
        g->at_us[g->n] = mono_us();
    }
    g->n++;
}

static void done(void *arg)
{
    ((struct got *)arg)->dones++;
}

static struct sockaddr_in addr_of(uint16_t port)
{
    struct sockaddr_in sin;

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(0x7f000001);
    return sin;
}

static struct impair_queue *make(struct event_base *base, const char *text,
                                 struct got *g)
{
    struct impair_spec spec;
    char err[256];

    assert_int_equal(impair_parse(text, &spec, err, sizeof(err)), 0);
    memset(g, 0, sizeof(*g));
    return impair_queue_new(base, &spec, 1, deliver, done, g);
}

static void run_for_ms(struct event_base *base, long ms)
{
    struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

    event_base_loopexit(base, &tv);
    event_base_dispatch(base);
}

/* delay=20ms: nothing at once, all ten later, in order, >= 20 ms on. */
static void test_impair_queue_delay(void **state)
{
    struct event_base *base = event_base_new();
    struct sockaddr_in a = addr_of(9);
    struct got g;
    struct impair_queue *q = make(base, "delay=20ms,seed=1", &g);
    uint64_t t0 = mono_us();
    uint8_t buf[100];
    int i;

    (void)state;
    for (i = 0; i < 10; i++) {
        buf[0] = (uint8_t)i;
        impair_queue_input(q, (struct sockaddr *)&a, sizeof(a), buf,
                           sizeof(buf), mono_us());
        buf[0] = 0xee; /* the caller's buffer changes: a copy was kept */
    }
    assert_int_equal(g.n, 0);
    assert_int_equal(impair_queue_held(q), 10);
    run_for_ms(base, 200);
    assert_int_equal(g.n, 10);
    for (i = 0; i < 10; i++) {
        assert_int_equal(g.first[i], i);
        assert_true(g.at_us[i] - t0 >= 20000);
    }
    assert_true(g.dones >= 1);
    assert_int_equal(impair_queue_held(q), 0);
    assert_int_equal(impair_queue_counts(q)->delayed, 10);
    impair_queue_free(q);
    event_base_free(base);
}

/* No impairment in force for a datagram: delivered inside the call. */
static void test_impair_queue_immediate(void **state)
{
    struct event_base *base = event_base_new();
    struct sockaddr_in a = addr_of(9);
    struct got g;
    struct impair_queue *q = make(base, "duplicate=100%,seed=2", &g);
    uint8_t buf[10] = { 7 };

    (void)state;
    impair_queue_input(q, (struct sockaddr *)&a, sizeof(a), buf, sizeof(buf),
                       mono_us());
    assert_int_equal(g.n, 2); /* and duplicated */
    assert_int_equal(impair_queue_counts(q)->duplicated, 1);
    impair_queue_free(q);
    event_base_free(base);
}

/* reorder=100%:30ms on the first only: the next ones overtake it. */
static void test_impair_queue_reorder(void **state)
{
    struct event_base *base = event_base_new();
    struct sockaddr_in a = addr_of(9);
    struct got g;
    struct impair_queue *q = make(base, "reorder=100%:30ms,seed=3", &g);
    struct impair_queue *plain = make(base, "seed=3", &g);
    uint8_t buf[10];

    (void)state;
    buf[0] = 1;
    impair_queue_input(q, (struct sockaddr *)&a, sizeof(a), buf, sizeof(buf),
                       mono_us());
    buf[0] = 2;
    impair_queue_input(plain, (struct sockaddr *)&a, sizeof(a), buf,
                       sizeof(buf), mono_us());
    assert_int_equal(g.n, 1);
    assert_int_equal(g.first[0], 2);
    run_for_ms(base, 100);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.first[1], 1);
    impair_queue_free(q);
    impair_queue_free(plain);
    event_base_free(base);
}

/* Held datagrams are bounded, and freeing the queue frees what it holds. */
static void test_impair_queue_bounds(void **state)
{
    struct event_base *base = event_base_new();
    struct sockaddr_in a = addr_of(9);
    struct got g;
    struct impair_queue *q = make(base, "delay=5s,seed=4", &g);
    uint8_t buf[64] = { 0 };
    uint64_t now = mono_us();
    int i;

    (void)state;
    for (i = 0; i < IMPAIR_HOLD_MAX + 5; i++)
        impair_queue_input(q, (struct sockaddr *)&a, sizeof(a), buf,
                           sizeof(buf), now);
    assert_int_equal(impair_queue_held(q), IMPAIR_HOLD_MAX);
    assert_int_equal(impair_queue_counts(q)->dropped_queue, 5);
    assert_int_equal(g.n, 0);
    impair_queue_free(q); /* ASan and valgrind: nothing leaks */
    event_base_free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_impair_queue_delay),
        cmocka_unit_test(test_impair_queue_immediate),
        cmocka_unit_test(test_impair_queue_reorder),
        cmocka_unit_test(test_impair_queue_bounds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
