/* tests/test_perf_loss_hint.c - when the "timers, not the path" warning
 * is given, and what it says. */
#include <string.h>

#include "support.h"

#include "perf_loss_hint.h"

static struct perf_loss_facts lossy(void)
{
    struct perf_loss_facts f = {
        .timeouts = 6,
        .retransmits = 900,
        .seconds = 8.0,
        .rto_min_ms = 1000,
        .srtt_us = 0,
        .sender = "this client",
    };
    return f;
}

static void test_hint_names_the_option_and_the_cost(void **state)
{
    struct perf_loss_facts f = lossy();
    char buf[512];

    (void)state;
    assert_true(perf_loss_hint(buf, sizeof(buf), &f));
    assert_non_null(strstr(buf, "6 retransmission timeouts (T3-rtx)"));
    assert_non_null(strstr(buf, "at least 6.0 s of 8.0 s"));
    assert_non_null(strstr(buf, "RTO.Min 1000 ms"));
    assert_non_null(strstr(buf, "--rto-min 50 on the sending end (this "
                                "client)"));
}

/* More stall than test (backoff doubles RTO) is capped at the test. */
static void test_hint_caps_the_stall_at_the_test_length(void **state)
{
    struct perf_loss_facts f = lossy();
    char buf[512];

    (void)state;
    f.timeouts = 20;
    assert_true(perf_loss_hint(buf, sizeof(buf), &f));
    assert_non_null(strstr(buf, "at least 8.0 s of 8.0 s"));
}

static void test_no_hint_without_timeouts_or_with_short_rto(void **state)
{
    struct perf_loss_facts f = lossy();
    char buf[512];

    (void)state;
    f.timeouts = 0;
    assert_false(perf_loss_hint(buf, sizeof(buf), &f));
    assert_string_equal(buf, "");
    f = lossy();
    f.rto_min_ms = 50; /* already what the hint would suggest */
    assert_false(perf_loss_hint(buf, sizeof(buf), &f));
    f = lossy();
    f.srtt_us = 300000; /* a long path: RTO.Min is not out of proportion */
    assert_false(perf_loss_hint(buf, sizeof(buf), &f));
    f = lossy();
    f.retransmits = 0; /* timeouts that resent nothing: not loss */
    assert_false(perf_loss_hint(buf, sizeof(buf), &f));
}

/* One timeout in a long test is not what set the throughput. */
static void test_no_hint_when_the_stall_is_small(void **state)
{
    struct perf_loss_facts f = lossy();
    char buf[512];

    (void)state;
    f.timeouts = 1;
    f.seconds = 60;
    assert_false(perf_loss_hint(buf, sizeof(buf), &f));
    f.timeouts = 6;
    assert_true(perf_loss_hint(buf, sizeof(buf), &f));
    f.timeouts = 1;
    f.seconds = 2;
    assert_true(perf_loss_hint(buf, sizeof(buf), &f));
    assert_non_null(strstr(buf, "1 retransmission timeout (T3-rtx)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hint_names_the_option_and_the_cost),
        cmocka_unit_test(test_hint_caps_the_stall_at_the_test_length),
        cmocka_unit_test(test_no_hint_without_timeouts_or_with_short_rto),
        cmocka_unit_test(test_no_hint_when_the_stall_is_small),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
