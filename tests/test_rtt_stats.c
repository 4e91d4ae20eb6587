/* tests/test_rtt_stats.c - exact min/max/avg, histogram percentiles. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <stdlib.h>
#include <cmocka.h>

#include "rtt_stats.h"

#define TEST_RTT_SAMPLES 20000

/* struct rtt_stats is about 30 KiB: keep it off the stack. */
static int setup_stats(void **state)
{
    struct rtt_stats *st = malloc(sizeof(*st));

    if (st == NULL)
        return -1;
    rtt_stats_init(st);
    *state = st;
    return 0;
}

static int teardown_stats(void **state)
{
    free(*state);
    return 0;
}

/* xorshift32: a fixed-seed generator that is the same on every libc. */
static uint32_t test_rtt_next(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

/*
 * A sample spread over every magnitude: a random bit length 0..32, then
 * random bits below it, so small values and values near UINT32_MAX both
 * show up often.
 */
static uint32_t test_rtt_sample(uint32_t *x)
{
    uint32_t bits = test_rtt_next(x) % 33;
    uint32_t v = test_rtt_next(x);

    if (bits == 0)
        return 0;
    return bits == 32 ? v : v >> (32 - bits);
}

static int test_rtt_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a;
    uint32_t y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

/* The nearest-rank percentile of a sorted array, straight from its def. */
static uint32_t test_rtt_true_percentile(const uint32_t *sorted, size_t n,
                                         double p)
{
    size_t rank = (size_t)ceil(p * (double)n / 100.0);

    if (rank < 1)
        rank = 1;
    return sorted[rank - 1];
}

static void test_rtt_stats_empty(void **state)
{
    struct rtt_stats *st = *state;

    assert_int_equal(st->count, 0);
    assert_true(rtt_stats_avg(st) == 0.0);
    assert_int_equal(rtt_stats_percentile(st, 0.0), 0);
    assert_int_equal(rtt_stats_percentile(st, 50.0), 0);
    assert_int_equal(rtt_stats_percentile(st, 100.0), 0);
}

static void test_rtt_stats_min_max_avg(void **state)
{
    struct rtt_stats *st = *state;

    rtt_stats_add(st, 3000);
    rtt_stats_add(st, 1000);
    rtt_stats_add(st, 2001);
    assert_int_equal(st->count, 3);
    assert_int_equal(st->min_us, 1000);
    assert_int_equal(st->max_us, 3000);
    assert_int_equal(st->sum_us, 6001);
    assert_true(fabs(rtt_stats_avg(st) - 6001.0 / 3.0) < 1e-9);
}

static void test_rtt_stats_zero_sample(void **state)
{
    struct rtt_stats *st = *state;

    rtt_stats_add(st, 5);
    rtt_stats_add(st, 0);
    assert_int_equal(st->min_us, 0);
    assert_int_equal(st->max_us, 5);
    assert_int_equal(rtt_stats_percentile(st, 50.0), 0);
    assert_int_equal(rtt_stats_percentile(st, 100.0), 5);
}

static void test_rtt_stats_exact_below_1024(void **state)
{
    struct rtt_stats *st = *state;
    uint32_t v;

    for (v = 1; v <= 1000; v++)
        rtt_stats_add(st, v);
    assert_int_equal(rtt_stats_percentile(st, 0.0), 1);
    assert_int_equal(rtt_stats_percentile(st, 0.1), 1);
    assert_int_equal(rtt_stats_percentile(st, 0.2), 2);
    assert_int_equal(rtt_stats_percentile(st, 50.0), 500);
    assert_int_equal(rtt_stats_percentile(st, 50.05), 501);
    assert_int_equal(rtt_stats_percentile(st, 99.0), 990);
    assert_int_equal(rtt_stats_percentile(st, 99.9), 999);
    assert_int_equal(rtt_stats_percentile(st, 100.0), 1000);
}

static void test_rtt_stats_clamped_to_min_max(void **state)
{
    struct rtt_stats *st = *state;

    /* One sample inside a wide bucket: the midpoint is not reported. */
    rtt_stats_add(st, 1000001);
    assert_int_equal(rtt_stats_percentile(st, 0.0), 1000001);
    assert_int_equal(rtt_stats_percentile(st, 50.0), 1000001);
    assert_int_equal(rtt_stats_percentile(st, 100.0), 1000001);
}

static void test_rtt_stats_bucket_boundaries(void **state)
{
    struct rtt_stats *st = *state;

    rtt_stats_add(st, 1023);
    rtt_stats_add(st, 1024);
    rtt_stats_add(st, UINT32_MAX - 1);
    rtt_stats_add(st, UINT32_MAX);
    assert_int_equal(st->count, 4);
    assert_int_equal(rtt_stats_percentile(st, 25.0), 1023);
    /* 1024 opens the first 8 us wide bucket: approximate from here. */
    assert_in_range(rtt_stats_percentile(st, 50.0), 1024, 1024 + 10);
    assert_int_equal(rtt_stats_percentile(st, 100.0), UINT32_MAX);
    /* Both top values share the last bucket; the last one is counted. */
    assert_int_equal(st->buckets[RTT_STATS_BUCKETS - 1], 2);
    assert_true(rtt_stats_percentile(st, 75.0) >= UINT32_MAX / 100 * 99);
    assert_true(st->sum_us == 1023 + 1024 + 2 * (uint64_t)UINT32_MAX - 1);
}

static void test_rtt_stats_odd_percentiles(void **state)
{
    struct rtt_stats *st = *state;

    rtt_stats_add(st, 10);
    rtt_stats_add(st, 20);
    assert_int_equal(rtt_stats_percentile(st, -5.0), 10);
    assert_int_equal(rtt_stats_percentile(st, NAN), 10);
    assert_int_equal(rtt_stats_percentile(st, 250.0), 20);
    assert_int_equal(rtt_stats_percentile(st, INFINITY), 20);
}

/* Every percentile within 1 % of the true one (exact below 1024). */
static void test_rtt_stats_percentile_accuracy(void **state)
{
    static const double ps[] = { 0.0,  0.1,  1.0,   5.0,  10.0, 25.0,
                                 33.3, 50.0, 66.7,  75.0, 90.0, 95.0,
                                 99.0, 99.9, 99.99, 100.0 };
    struct rtt_stats *st = *state;
    uint32_t *samples = malloc(TEST_RTT_SAMPLES * sizeof(*samples));
    uint32_t x = 0x9e3779b9u;
    size_t i;

    assert_non_null(samples);
    for (i = 0; i < TEST_RTT_SAMPLES; i++) {
        samples[i] = test_rtt_sample(&x);
        rtt_stats_add(st, samples[i]);
    }
    qsort(samples, TEST_RTT_SAMPLES, sizeof(*samples), test_rtt_cmp);
    for (i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
        uint32_t want =
            test_rtt_true_percentile(samples, TEST_RTT_SAMPLES, ps[i]);
        uint32_t got = rtt_stats_percentile(st, ps[i]);
        double err = fabs((double)got - (double)want);

        if (want < 1024)
            assert_int_equal(got, want);
        else
            assert_true(err <= (double)want / 100.0);
    }
    assert_int_equal(st->min_us, samples[0]);
    assert_int_equal(st->max_us, samples[TEST_RTT_SAMPLES - 1]);
    free(samples);
}

/* Accuracy at every rank of a dense range just above the linear part. */
static void test_rtt_stats_percentile_every_rank(void **state)
{
    struct rtt_stats *st = *state;
    uint32_t v;
    double p;

    for (v = 1000; v < 11000; v++)
        rtt_stats_add(st, v);
    for (p = 0.01; p <= 100.0; p += 0.37) {
        uint32_t want = 1000 + (uint32_t)ceil(p * 10000.0 / 100.0) - 1;
        uint32_t got = rtt_stats_percentile(st, p);

        if (want < 1024)
            assert_int_equal(got, want);
        else
            assert_true(fabs((double)got - want) <= want / 100.0);
    }
}

#define TEST_RTT(fn)                                                           \
    cmocka_unit_test_setup_teardown(fn, setup_stats, teardown_stats)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST_RTT(test_rtt_stats_empty),
        TEST_RTT(test_rtt_stats_min_max_avg),
        TEST_RTT(test_rtt_stats_zero_sample),
        TEST_RTT(test_rtt_stats_exact_below_1024),
        TEST_RTT(test_rtt_stats_clamped_to_min_max),
        TEST_RTT(test_rtt_stats_bucket_boundaries),
        TEST_RTT(test_rtt_stats_odd_percentiles),
        TEST_RTT(test_rtt_stats_percentile_accuracy),
        TEST_RTT(test_rtt_stats_percentile_every_rank),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
