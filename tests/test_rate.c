/* tests/test_rate.c - the -b RATE[/BURST] token bucket on a virtual clock. */
#include "support.h"

#include "rate.h"

#define NS_PER_S 1000000000ull
#define T0 123456789ull /* an arbitrary clock origin */

/*
 * Send msg_bytes messages as fast as the pacer allows for secs virtual
 * seconds, sleeping exactly the delays it returns, and return the bits
 * sent after the first wait: the full bucket at the start is a burst on
 * top of the rate, which test_rate_burst covers. Each sleep must be
 * enough: the next call then says 0.
 */
static uint64_t simulate(uint64_t bps, uint32_t burst, size_t msg_bytes,
                         uint64_t secs)
{
    struct rate_pacer r;
    uint64_t now = T0;
    uint64_t end = T0 + secs * NS_PER_S;
    uint64_t sent = 0;
    uint64_t d;

    rate_init(&r, bps, burst, now);
    while (rate_delay_ns(&r, now, msg_bytes) == 0)
        ;
    while (now < end) {
        d = rate_delay_ns(&r, now, msg_bytes);
        if (d == 0) {
            sent++;
            continue;
        }
        now += d;
        if (now >= end)
            break;
        assert_int_equal(rate_delay_ns(&r, now, msg_bytes), 0);
        sent++;
    }
    return sent * msg_bytes * 8;
}

/* Achieved rate within 0.1 % of the target. */
static void assert_rate(uint64_t bps, uint32_t burst, size_t msg_bytes,
                        uint64_t secs)
{
    uint64_t bits = simulate(bps, burst, msg_bytes, secs);
    double want = (double)bps * (double)secs;
    double err = ((double)bits - want) / want;

    if (err < -0.001 || err > 0.001)
        fail_msg("%llu bit/s x %zu B, burst %u: %llu bits in %llu s "
                 "(%+.4f %%)",
                 (unsigned long long)bps, msg_bytes, burst,
                 (unsigned long long)bits, (unsigned long long)secs, err * 100);
}

static void test_rate_long_run(void **state)
{
    static const struct {
        uint64_t bps;
        size_t len;
    } cases[] = {
        { 1000000ull, 100 },
        { 50000000ull, 10 * 1024 },
        { 10000000000ull, 64 * 1024 },
        { 100000000000ull, 16 * 1024 * 1024 },
        /* Rates and sizes whose per-message time is not whole ns. */
        { 999999937ull, 1453 },
        { 8191ull, 3 },
    };
    static const uint32_t bursts[] = { 1, 0, 10 };
    size_t c;
    size_t b;

    (void)state;
    for (c = 0; c < ARRAY_LEN(cases); c++)
        for (b = 0; b < ARRAY_LEN(bursts); b++)
            assert_rate(cases[c].bps, bursts[b], cases[c].len,
                        cases[c].bps < 10000 ? 100 : 10);
}

/*
 * No drift at all with burst 1: after the first message (free, from the
 * full bucket, which also holds the sub-ns slack) the n-th message goes
 * at T0 + floor(n * bits * 1e9 / rate) ns, exactly, however long it runs.
 */
static void test_rate_exact_schedule(void **state)
{
    struct rate_pacer r;
    const uint64_t bps = 50000000; /* 10 KiB: 1638.4 us per message */
    const size_t len = 10 * 1024;
    uint64_t now = T0;
    uint64_t n;
    uint64_t want;
    uint64_t d;

    (void)state;
    rate_init(&r, bps, 1, now);
    assert_int_equal(rate_delay_ns(&r, now, len), 0);
    for (n = 1; n <= 100000; n++) {
        d = rate_delay_ns(&r, now, len);
        now += d;
        assert_int_equal(rate_delay_ns(&r, now, len), 0);
        want = T0 + n * len * 8 * NS_PER_S / bps;
        assert_int_equal(now, want);
    }
}

static void test_rate_unlimited(void **state)
{
    struct rate_pacer r;
    uint64_t i;

    (void)state;
    rate_init(&r, 0, 0, T0);
    for (i = 0; i < 100000; i++)
        assert_int_equal(rate_delay_ns(&r, T0, 16 * 1024 * 1024), 0);
    rate_init(&r, 0, 5, 0);
    assert_int_equal(rate_delay_ns(&r, UINT64_MAX, SIZE_MAX), 0);
}

/* How many go back to back at now before the pacer says wait. */
static unsigned int back_to_back(struct rate_pacer *r, uint64_t now, size_t len)
{
    unsigned int n = 0;

    while (rate_delay_ns(r, now, len) == 0 && n < 1000000)
        n++;
    return n;
}

static void test_rate_burst(void **state)
{
    struct rate_pacer r;
    const size_t len = 1000; /* 8000 bits: 8 us at 1 Gbit/s */
    uint64_t now = T0;
    uint64_t d;
    int i;

    (void)state;
    rate_init(&r, 1000000000ull, 10, now);
    assert_int_equal(back_to_back(&r, now, len), 10);
    /* Then one per 8 us; the delay is not charged, asking again agrees. */
    d = rate_delay_ns(&r, now, len);
    assert_int_equal(d, 8000);
    assert_int_equal(rate_delay_ns(&r, now, len), 8000);
    assert_int_equal(rate_delay_ns(&r, now + 7999, len), 1);
    now += d;
    assert_int_equal(back_to_back(&r, now, len), 1);
    /* Half the bucket back after 40 us. */
    now += 40000;
    assert_int_equal(back_to_back(&r, now, len), 5);
    /* Idle 5 s, several times: never more than the burst. */
    for (i = 0; i < 3; i++) {
        now += 5 * NS_PER_S;
        assert_int_equal(back_to_back(&r, now, len), 10);
    }
    /* Burst 1 is strict. */
    rate_init(&r, 1000000000ull, 1, now);
    assert_int_equal(back_to_back(&r, now, len), 1);
    now += 5 * NS_PER_S;
    assert_int_equal(back_to_back(&r, now, len), 1);
}

/* At most burst back to back even for messages shorter than 1 ns. */
static void test_rate_burst_tiny_messages(void **state)
{
    struct rate_pacer r;

    (void)state;
    rate_init(&r, 100000000000ull, 7, T0); /* 100 bits per ns */
    assert_int_equal(back_to_back(&r, T0, 1), 7);
    assert_int_equal(back_to_back(&r, T0 + NS_PER_S, 1), 7);
}

/* Burst 0: RATE_AUTO_BURST_NS worth, at least one message. */
static void test_rate_auto_burst(void **state)
{
    struct rate_pacer r;

    (void)state;
    /* 10 Gbit/s x 64 KiB: 10 ms is 1e8 bits, 190 messages of 524288. */
    rate_init(&r, 10000000000ull, 0, T0);
    assert_int_equal(back_to_back(&r, T0, 64 * 1024), 190);
    assert_int_equal(back_to_back(&r, T0 + 60 * NS_PER_S, 64 * 1024), 190);
    /* 1 Mbit/s x 100 B: 10000 bits, 12 messages of 800. */
    rate_init(&r, 1000000ull, 0, T0);
    assert_int_equal(back_to_back(&r, T0, 100), 12);
    /* 100 Gbit/s x 16 MiB: 10 ms is 7.45 messages; 7 go. */
    rate_init(&r, 100000000000ull, 0, T0);
    assert_int_equal(back_to_back(&r, T0, 16 * 1024 * 1024), 7);
}

/* A sender woken late keeps the credit it earned, up to the bucket. */
static void test_rate_late_wakeup(void **state)
{
    struct rate_pacer r;
    const size_t len = 64 * 1024;
    uint64_t now = T0;
    uint64_t end;
    uint64_t sent = 0;
    uint64_t bits;

    (void)state;
    /* Wake only every 1 ms (a coarse timer), automatic burst. */
    rate_init(&r, 10000000000ull, 0, now);
    end = now + 10 * NS_PER_S;
    for (; now < end; now += 1000000)
        while (rate_delay_ns(&r, now, len) == 0)
            sent++;
    bits = sent * len * 8;
    assert_true(bits > 10000000000ull * 10 * 999 / 1000);
    assert_true(bits < 10000000000ull * 10 * 1001 / 1000);
}

/*
 * A sender on a coarse event loop, as libevent over epoll behaves: a wait
 * of 1 us or more becomes a whole-ms epoll timeout and ends 1-5 ms after
 * it was due (pseudo-random, fixed seed); a shorter one is a zero timeout,
 * one pass of the loop (LOOP_PASS_NS). Sends as the pacer allows for secs
 * virtual seconds; returns the bits sent after the first run, and in
 * *longest the most messages ever sent without a wait in between.
 */
#define LOOP_PASS_NS 2000ull

static uint64_t simulate_late(uint64_t bps, uint32_t burst, size_t len,
                              uint64_t secs, uint64_t *longest)
{
    struct rate_pacer r;
    uint64_t now = T0;
    uint64_t end = T0 + secs * NS_PER_S;
    uint64_t seed = 12345;
    uint64_t sent = 0;
    uint64_t run = 0;
    uint64_t d;

    *longest = 0;
    rate_init(&r, bps, burst, now);
    while (rate_delay_ns(&r, now, len) == 0)
        ;
    while (now < end) {
        d = rate_delay_ns(&r, now, len);
        if (d == 0) {
            sent++;
            run++;
            continue;
        }
        if (run > *longest)
            *longest = run;
        run = 0;
        now += d;
        if (d >= 1000) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            now += 1000000 + (seed >> 33) % 4000001;
        } else {
            now += LOOP_PASS_NS;
        }
    }
    return sent * len * 8;
}

/*
 * Timers that fire 1-5 ms late cost no throughput, whatever the burst:
 * a burst shapes the traffic (at most that many messages back to back),
 * it never lowers the rate. -l 1k -b 100M/10 once gave 21.5 Mbit/s.
 */
static void test_rate_late_timer_keeps_rate(void **state)
{
    static const struct {
        uint64_t bps;
        size_t len;
    } cases[] = {
        { 100000000ull, 1024 },
        { 10000000000ull, 64 * 1024 },
        { 1000000ull, 100 },
        { 999999937ull, 1453 },
    };
    static const uint32_t bursts[] = { 1, 10, 0 };
    const uint64_t secs = 10;
    size_t c;
    size_t b;

    (void)state;
    for (c = 0; c < ARRAY_LEN(cases); c++) {
        for (b = 0; b < ARRAY_LEN(bursts); b++) {
            uint64_t bps = cases[c].bps;
            size_t len = cases[c].len;
            uint32_t burst = bursts[b];
            uint64_t longest = 0;
            uint64_t bits = simulate_late(bps, burst, len, secs, &longest);
            double want = (double)bps * (double)secs;
            double err = ((double)bits - want) / want;
            /* burst 0: RATE_AUTO_BURST_NS worth, at least one message */
            uint64_t most =
                burst ? burst
                      : bps * (RATE_AUTO_BURST_NS / 1000) / 1000000 / (len * 8);

            if (most == 0)
                most = 1;
            if (err < -0.005 || err > 0.005)
                fail_msg("%llu bit/s x %zu B, burst %u, late timers: "
                         "%+.3f %% of the rate",
                         (unsigned long long)bps, len, burst, err * 100);
            if (longest > most)
                fail_msg("%llu bit/s x %zu B, burst %u: %llu back to back",
                         (unsigned long long)bps, len, burst,
                         (unsigned long long)longest);
        }
    }
}

/* The largest numbers: nothing overflows, delays are sane. */
static void test_rate_extremes(void **state)
{
    struct rate_pacer r;
    uint64_t d;

    (void)state;
    /* A message of RATE_MAX_MSG at 1 bit/s: 2^34 s, no overflow. */
    rate_init(&r, 1, 1, 0);
    assert_int_equal(rate_delay_ns(&r, 0, 1), 0);
    d = rate_delay_ns(&r, 0, RATE_MAX_MSG);
    assert_true(d == RATE_MAX_MSG * 8 * NS_PER_S);
    /* Bigger messages are charged as RATE_MAX_MSG. */
    assert_true(rate_delay_ns(&r, 0, SIZE_MAX) == d);
    /* The fastest rate there is: one ns of credit is plenty. */
    rate_init(&r, UINT64_MAX, 0, 0);
    assert_int_equal(rate_delay_ns(&r, 0, 16 * 1024 * 1024), 0);
    /* Huge burst, idle to the end of time. */
    rate_init(&r, 100000000000ull, UINT32_MAX, 0);
    assert_int_equal(rate_delay_ns(&r, UINT64_MAX, 16 * 1024 * 1024), 0);
    /* The clock going backwards stands still. */
    rate_init(&r, 8000, 1, 1000 * NS_PER_S);
    assert_int_equal(rate_delay_ns(&r, 1000 * NS_PER_S, 1), 0);
    assert_int_equal(rate_delay_ns(&r, 0, 1), NS_PER_S / 1000);
    assert_int_equal(rate_delay_ns(&r, 1000 * NS_PER_S + 1000000, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_long_run),
        cmocka_unit_test(test_rate_exact_schedule),
        cmocka_unit_test(test_rate_unlimited),
        cmocka_unit_test(test_rate_burst),
        cmocka_unit_test(test_rate_burst_tiny_messages),
        cmocka_unit_test(test_rate_auto_burst),
        cmocka_unit_test(test_rate_late_wakeup),
        cmocka_unit_test(test_rate_late_timer_keeps_rate),
        cmocka_unit_test(test_rate_extremes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
