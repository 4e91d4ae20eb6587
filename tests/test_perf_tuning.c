/* tests/test_perf_tuning.c - small paced messages get NODELAY and a SACK
 * per packet, unless the user chose; nothing else changes. */
#include <string.h>

#include "support.h"

#include "perf_tuning.h"

static struct perf_config small_paced(void)
{
    struct perf_config c;

    memset(&c, 0, sizeof(c));
    c.rate_bps = 2000000;
    c.length = 200;
    return c;
}

static void test_small_paced_gets_nodelay_and_sack_per_packet(void **state)
{
    struct perf_config c = small_paced();
    struct perf_tuning t;

    (void)state;
    perf_tuning_from_config(&c, &t);
    assert_true(t.small_paced);
    assert_true(t.nodelay);
    assert_int_equal(t.sack_freq, 1);
    assert_int_equal(t.sack_delay_ms, 0);
}

static void test_unpaced_or_large_keeps_defaults(void **state)
{
    struct perf_config c = small_paced();
    struct perf_tuning t;

    (void)state;
    c.rate_bps = 0;
    perf_tuning_from_config(&c, &t);
    assert_false(t.small_paced);
    assert_false(t.nodelay);
    assert_int_equal(t.sack_freq, 0);
    c = small_paced();
    c.length = PERF_SMALL_MESSAGE;
    perf_tuning_from_config(&c, &t);
    assert_false(t.small_paced);
    assert_false(t.nodelay);
}

/* What the user said wins, and nothing is added to it. */
static void test_user_choice_wins(void **state)
{
    struct perf_config c = small_paced();
    struct perf_tuning t;

    (void)state;
    c.sack_freq = 2;
    perf_tuning_from_config(&c, &t);
    assert_false(t.small_paced);
    assert_false(t.nodelay);
    assert_int_equal(t.sack_freq, 2);
    c = small_paced();
    c.sack_delay_ms = 50;
    perf_tuning_from_config(&c, &t);
    assert_false(t.small_paced);
    assert_int_equal(t.sack_delay_ms, 50);
    assert_int_equal(t.sack_freq, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_paced_gets_nodelay_and_sack_per_packet),
        cmocka_unit_test(test_unpaced_or_large_keeps_defaults),
        cmocka_unit_test(test_user_choice_wins),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
