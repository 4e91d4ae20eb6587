/* tests/test_rtt_sampler.c - RTT from timed TSNs and SACKs: one sample per
 * round trip, Karn's rule, wrapped TSNs, and SACKs that time nothing. */
#include "support.h"

#include "rtt_sampler.h"

/* TSN tsn leaves at now (the time is passed only when asked for, as the
 * backend does). */
static void send_at(struct rtt_sampler *s, uint32_t tsn, uint64_t now)
{
    rtt_sampler_sent(s, tsn, rtt_sampler_wants_time(s) ? now : 0);
}

static void test_first_sample_and_rfc_smoothing(void **state)
{
    struct rtt_sampler s;

    (void)state;
    rtt_sampler_init(&s);
    assert_int_equal(rtt_sampler_srtt_us(&s), 0);
    send_at(&s, 100, 1000);
    send_at(&s, 101, 1005); /* not timed: one in flight */
    assert_false(rtt_sampler_acked(&s, 99, false, 1010)); /* before it */
    assert_true(rtt_sampler_acked(&s, 100, false, 1040));
    /* C2: SRTT = R, RTTVAR = R/2 */
    assert_int_equal(rtt_sampler_srtt_us(&s), 40);
    assert_int_equal(rtt_sampler_rttvar_us(&s), 20);
    assert_int_equal(rtt_sampler_samples(&s), 1);
    /* 101 was never timed: its SACK gives nothing */
    assert_false(rtt_sampler_acked(&s, 101, false, 1100));
    /* C3 with R' = 120: RTTVAR = 3/4*20 + 1/4*80 = 35; SRTT = 7/8*40 +
     * 1/8*120 = 50 */
    send_at(&s, 102, 2000);
    assert_true(rtt_sampler_acked(&s, 102, false, 2120));
    assert_int_equal(rtt_sampler_srtt_us(&s), 50);
    assert_int_equal(rtt_sampler_rttvar_us(&s), 35);
    assert_int_equal(rtt_sampler_min_us(&s), 40);
    /* a shorter one lowers the minimum */
    send_at(&s, 103, 3000);
    assert_true(rtt_sampler_acked(&s, 110, false, 3010) == false);
    assert_int_equal(rtt_sampler_samples(&s), 2); /* 110 never left */
    assert_true(rtt_sampler_acked(&s, 103, false, 3010));
    assert_int_equal(rtt_sampler_min_us(&s), 10);
    assert_int_equal(rtt_sampler_samples(&s), 3);
}

/* Microsecond samples keep their precision over many rounds: a steady
 * 7 us path converges to 7, not to a truncated 0. */
static void test_small_samples_converge(void **state)
{
    struct rtt_sampler s;
    uint32_t tsn;
    uint64_t now = 0;

    (void)state;
    rtt_sampler_init(&s);
    send_at(&s, 0, now);
    assert_true(rtt_sampler_acked(&s, 0, false, now + 1000));
    for (tsn = 1; tsn < 200; tsn++) {
        now += 10000;
        send_at(&s, tsn, now);
        assert_true(rtt_sampler_acked(&s, tsn, false, now + 7));
    }
    assert_int_equal(rtt_sampler_srtt_us(&s), 7);
    assert_true(rtt_sampler_rttvar_us(&s) <= 1);
}

/* Karn: the timed TSN sent again gives no sample, even when a later SACK
 * covers it; the next new TSN is timed. */
static void test_karn_retransmitted_tsn(void **state)
{
    struct rtt_sampler s;

    (void)state;
    rtt_sampler_init(&s);
    send_at(&s, 500, 1000);
    send_at(&s, 501, 1001);
    send_at(&s, 500, 2000); /* retransmitted */
    assert_true(rtt_sampler_wants_time(&s));
    assert_false(rtt_sampler_acked(&s, 501, false, 2100));
    assert_int_equal(rtt_sampler_samples(&s), 0);
    /* a retransmission does not start timing either */
    send_at(&s, 501, 2200);
    assert_true(rtt_sampler_wants_time(&s));
    send_at(&s, 502, 3000);
    assert_false(rtt_sampler_wants_time(&s));
    /* another TSN's retransmission leaves the timed one alone */
    send_at(&s, 501, 3001);
    assert_true(rtt_sampler_acked(&s, 502, false, 3050));
    assert_int_equal(rtt_sampler_srtt_us(&s), 50);
}

/* Across the 32-bit wrap: serial order, not integer order. */
static void test_wraparound(void **state)
{
    struct rtt_sampler s;
    uint32_t timed = 0;

    (void)state;
    rtt_sampler_init(&s);
    send_at(&s, 0xfffffffe, 100);
    send_at(&s, 0xffffffff, 101);
    send_at(&s, 0, 102);
    send_at(&s, 1, 103);
    /* a SACK before the timed TSN covers nothing */
    assert_false(rtt_sampler_acked(&s, 0xfffffffd, false, 150));
    assert_true(rtt_sampler_acked(&s, 1, false, 180)); /* past the wrap */
    assert_int_equal(rtt_sampler_srtt_us(&s), 80);
    /* a TSN after the wrap is timed, and 0xffffffff is old news */
    send_at(&s, 2, 200);
    assert_true(rtt_sampler_timed(&s, &timed));
    assert_int_equal(timed, 2);
    send_at(&s, 0xffffffff, 210); /* a retransmission: not timed */
    assert_true(rtt_sampler_timed(&s, &timed));
    assert_int_equal(timed, 2);
    assert_true(rtt_sampler_acked(&s, 2, false, 230));
}

/* A SACK whose gap block holds the timed TSN (the cum ack stuck behind
 * a loss) samples it. */
static void test_gap_acked(void **state)
{
    struct rtt_sampler s;

    (void)state;
    rtt_sampler_init(&s);
    send_at(&s, 10, 0);
    assert_true(rtt_sampler_acked(&s, 10, false, 30));
    send_at(&s, 11, 1000);
    send_at(&s, 12, 1001);
    assert_true(rtt_sampler_acked(&s, 10, true, 1030));
    assert_int_equal(rtt_sampler_last_us(&s), 30);
}

/* Garbage: SACKs covering nothing, acknowledging what never left, or
 * arriving when nothing was ever sent, take no sample and keep the
 * figures sane. */
static void test_garbage_sacks(void **state)
{
    struct rtt_sampler s;
    uint32_t i;

    (void)state;
    rtt_sampler_init(&s);
    assert_false(rtt_sampler_acked(&s, 12345, true, 10));
    assert_false(rtt_sampler_timed(&s, &i));
    send_at(&s, 1000, 5000);
    for (i = 0; i < 1000; i++) {
        /* beyond anything sent (a gap claim does not help) */
        assert_false(rtt_sampler_acked(&s, 1001 + i * 2000000u, true, 5001));
        /* behind it */
        assert_false(rtt_sampler_acked(&s, 999 - i, false, 5001));
        /* a gap claim from further behind than a gap block reaches */
        assert_false(
            rtt_sampler_acked(&s, 1000 - 0x10000 - i * 2000000u, true, 5001));
    }
    assert_int_equal(rtt_sampler_samples(&s), 0);
    assert_false(rtt_sampler_wants_time(&s)); /* still timing 1000 */
    assert_true(rtt_sampler_acked(&s, 1000, false, 5025));
    assert_int_equal(rtt_sampler_srtt_us(&s), 25);
    /* a clock that went backwards, or an age beyond any round trip */
    send_at(&s, 1001, 9000);
    assert_false(rtt_sampler_acked(&s, 1001, false, 8000));
    send_at(&s, 1002, 10000);
    assert_false(
        rtt_sampler_acked(&s, 1002, false, 10000 + RTT_SAMPLER_MAX_US + 1ull));
    assert_int_equal(rtt_sampler_samples(&s), 1);
    assert_int_equal(rtt_sampler_srtt_us(&s), 25);
}

/* A FORWARD-TSN cancels the timing; a restart starts a new TSN space. */
static void test_cancel_and_restart(void **state)
{
    struct rtt_sampler s;

    (void)state;
    rtt_sampler_init(&s);
    send_at(&s, 7, 0);
    rtt_sampler_cancel(&s);
    assert_false(rtt_sampler_acked(&s, 7, false, 50));
    send_at(&s, 8, 100);
    assert_true(rtt_sampler_acked(&s, 8, false, 140));
    /* restart: TSNs from a new initial TSN, lower than before */
    send_at(&s, 9, 200);
    rtt_sampler_restart(&s);
    assert_false(rtt_sampler_acked(&s, 9, false, 210));
    send_at(&s, 3, 300); /* new, though "before" 9 */
    assert_false(rtt_sampler_wants_time(&s));
    assert_true(rtt_sampler_acked(&s, 3, false, 340));
    assert_int_equal(rtt_sampler_samples(&s), 2);
    assert_int_equal(rtt_sampler_srtt_us(&s), 40);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_sample_and_rfc_smoothing),
        cmocka_unit_test(test_small_samples_converge),
        cmocka_unit_test(test_karn_retransmitted_tsn),
        cmocka_unit_test(test_wraparound),
        cmocka_unit_test(test_gap_acked),
        cmocka_unit_test(test_garbage_sacks),
        cmocka_unit_test(test_cancel_and_restart),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
