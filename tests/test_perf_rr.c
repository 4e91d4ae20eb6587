/* tests/test_perf_rr.c - --rr transaction counts, latency summaries and
 * their text and JSON, and rtt_stats_merge under them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json_out.h"
#include "perf_rr.h"

/* Two perf_rr_stats (30 KiB each): off the stack. */
struct two {
    struct perf_rr_stats a;
    struct perf_rr_stats b;
};

static int setup(void **state)
{
    struct two *t = malloc(sizeof(*t));

    if (t == NULL)
        return -1;
    perf_rr_stats_init(&t->a);
    perf_rr_stats_init(&t->b);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

/* 1000 transactions of 1..1000 us: the percentiles are the ranks. */
static void test_perf_rr_percentiles(void **state)
{
    struct two *t = *state;
    struct perf_rr_summary s;
    uint64_t i;

    for (i = 1; i <= 1000; i++)
        perf_rr_stats_add(&t->a, i * 1000); /* ns */
    perf_rr_summarize(&t->a, 2.0, &s);
    assert_true(s.transactions == 1000);
    assert_true(s.per_sec > 499.9 && s.per_sec < 500.1);
    assert_true(s.have_latency);
    assert_int_equal(s.p50_us, 500);
    assert_int_equal(s.p90_us, 900);
    assert_int_equal(s.p99_us, 990);
    assert_int_equal(s.p999_us, 999);
    assert_int_equal(s.min_us, 1);
    assert_int_equal(s.max_us, 1000);
    assert_true(s.mean_us > 500.4 && s.mean_us < 500.6);
}

/* ns round to the nearest us; fewer than 1000 make p99.9 the largest. */
static void test_perf_rr_rounding_and_small(void **state)
{
    struct two *t = *state;
    struct perf_rr_summary s;

    perf_rr_stats_add(&t->a, 1499);
    perf_rr_stats_add(&t->a, 1500);
    perf_rr_stats_add(&t->a, 7000000);
    perf_rr_summarize(&t->a, 0, &s);
    assert_true(s.per_sec == 0); /* an empty period */
    assert_int_equal(s.min_us, 1);
    assert_int_equal(s.p50_us, 2);
    assert_int_equal(s.p999_us, 7000);
    assert_int_equal(s.max_us, 7000);
    /* above 1024 us: within 0.4 % (the histogram's bound) */
    perf_rr_stats_init(&t->a);
    perf_rr_stats_add(&t->a, 5000000);
    perf_rr_stats_add(&t->a, 5001000);
    perf_rr_stats_add(&t->a, 5123000);
    perf_rr_summarize(&t->a, 1, &s);
    assert_true(s.p50_us >= 5001 * 0.996 && s.p50_us <= 5001 * 1.004);
}

/* The sum over associations is the merged histogram. */
static void test_perf_rr_merge(void **state)
{
    struct two *t = *state;
    struct perf_rr_summary s;
    int i;

    for (i = 0; i < 90; i++)
        perf_rr_stats_add(&t->a, 10000);
    for (i = 0; i < 10; i++)
        perf_rr_stats_add(&t->b, 5000000);
    t->b.wrong_size = 2;
    perf_rr_stats_merge(&t->a, &t->b);
    perf_rr_summarize(&t->a, 1, &s);
    assert_true(s.transactions == 100);
    assert_true(t->a.wrong_size == 2);
    assert_int_equal(s.min_us, 10);
    assert_int_equal(s.p50_us, 10);
    assert_int_equal(s.p90_us, 10);
    assert_true(s.p99_us >= 4980 && s.p99_us <= 5020);
    assert_int_equal(s.max_us, 5000);
    /* merging an empty one changes nothing, and into an empty one copies */
    perf_rr_stats_init(&t->b);
    perf_rr_stats_merge(&t->a, &t->b);
    assert_true(t->a.lat.count == 100);
    perf_rr_stats_merge(&t->b, &t->a);
    assert_true(t->b.lat.count == 100 && t->b.lat.min_us == 10 &&
                t->b.lat.max_us == 5000);
}

/* A server's count: transactions only, no latency (JSON null, text
 * without the percentiles). */
static void test_perf_rr_output(void **state)
{
    struct two *t = *state;
    struct perf_rr_summary s;
    struct json_out j;
    char line[256];
    char *doc = NULL;
    size_t len = 0;
    FILE *f;

    t->a.transactions = 42;
    perf_rr_summarize(&t->a, 2, &s);
    assert_false(s.have_latency);
    perf_rr_text(line, sizeof(line), &s);
    assert_string_equal(line, "        42 trans        21.0 trans/s");
    perf_rr_stats_add(&t->b, 30000);
    perf_rr_summarize(&t->b, 1, &s);
    perf_rr_text(line, sizeof(line), &s);
    assert_string_equal(line, "         1 trans         1.0 trans/s  latency "
                              "us p50 30  p90 30  p99 30  p99.9 30  max 30");

    json_out_init(&j);
    json_out_begin_object(&j, NULL);
    perf_rr_summarize(&t->a, 2, &s);
    perf_rr_json(&j, "server", &s);
    perf_rr_summarize(&t->b, 1, &s);
    perf_rr_json(&j, "client", &s);
    json_out_end_object(&j);
    f = open_memstream(&doc, &len);
    assert_non_null(f);
    assert_int_equal(json_out_write(&j, f), 0);
    fclose(f);
    assert_non_null(strstr(doc, "\"server\":{\"transactions\":42,"
                                "\"transactions_per_second\":21,"
                                "\"latency_us\":null}"));
    assert_non_null(strstr(doc, "\"latency_us\":{\"p50\":30,\"p90\":30,"
                                "\"p99\":30,\"p99_9\":30,\"min\":30,"
                                "\"max\":30,\"mean\":30}"));
    free(doc);
    json_out_free(&j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_perf_rr_percentiles),
        T(test_perf_rr_rounding_and_small),
        T(test_perf_rr_merge),
        T(test_perf_rr_output),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
