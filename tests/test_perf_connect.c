/* tests/test_perf_connect.c - the client's set-up pacing (--connect-rate)
 * and its set-up time percentiles. */
#include <string.h>

#include "support.h"

#include "perf_connect.h"

#define SEC 1000000000ull

/* Over 2 s at 500/s: the first at once, then one per 2 ms, ~1001 in all,
 * however finely the loop asks. */
static void test_bucket_holds_the_rate(void **state)
{
    struct perf_connect_bucket b;
    uint64_t now = 5 * SEC;
    unsigned int started = 0;
    uint64_t t;

    (void)state;
    perf_connect_bucket_init(&b, 500, now);
    for (t = now; t <= now + 2 * SEC; t += 100000) /* every 0.1 ms */
        while (perf_connect_bucket_take(&b, t))
            started++;
    assert_in_range(started, 999, 1002);
}

/* An idle spell banks at most 10 ms worth (5 at 500/s), not seconds. */
static void test_bucket_burst_is_bounded(void **state)
{
    struct perf_connect_bucket b;
    unsigned int n = 0;

    (void)state;
    perf_connect_bucket_init(&b, 500, 0);
    while (perf_connect_bucket_take(&b, 10 * SEC))
        n++;
    assert_int_equal(n, 5);
    /* Empty: the next token comes 2 ms later, not before. */
    assert_in_range(perf_connect_bucket_wait_ns(&b), 1900000, 2000000);
    assert_false(perf_connect_bucket_take(&b, 10 * SEC + 1900000));
    assert_true(perf_connect_bucket_take(&b, 10 * SEC + 2100000));
    /* A slow rate still lets one go at a time. */
    perf_connect_bucket_init(&b, 1, 0);
    assert_true(perf_connect_bucket_take(&b, 0));
    assert_false(perf_connect_bucket_take(&b, SEC / 2));
    assert_true(perf_connect_bucket_take(&b, SEC + 1000));
}

static void test_bucket_unlimited(void **state)
{
    struct perf_connect_bucket b;
    unsigned int i;

    (void)state;
    perf_connect_bucket_init(&b, 0, 0);
    for (i = 0; i < 100000; i++)
        assert_true(perf_connect_bucket_take(&b, 0));
}

static void test_percentiles_nearest_rank(void **state)
{
    uint64_t v[1000];
    struct perf_connect_pct p;
    size_t i;

    (void)state;
    /* 1000 .. 1 us, reversed: sorting is the function's job */
    for (i = 0; i < 1000; i++)
        v[i] = 1000 - i;
    perf_connect_percentiles(v, 1000, &p);
    assert_int_equal(p.p50, 500);
    assert_int_equal(p.p90, 900);
    assert_int_equal(p.p99, 990);
    assert_int_equal(p.max, 1000);
    assert_int_equal(v[0], 1);

    v[0] = 42;
    perf_connect_percentiles(v, 1, &p);
    assert_int_equal(p.p50, 42);
    assert_int_equal(p.p99, 42);
    assert_int_equal(p.max, 42);

    memset(&p, 0xff, sizeof(p));
    perf_connect_percentiles(v, 0, &p);
    assert_int_equal(p.p50, 0);
    assert_int_equal(p.max, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bucket_holds_the_rate),
        cmocka_unit_test(test_bucket_burst_is_bounded),
        cmocka_unit_test(test_bucket_unlimited),
        cmocka_unit_test(test_percentiles_nearest_rank),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
