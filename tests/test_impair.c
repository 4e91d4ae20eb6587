/*
 * tests/test_impair.c - the --impair spec and its per-datagram decisions:
 * the syntax and its errors, and each knob statistically over many
 * datagrams from a fixed seed (bounds of about 4.5 standard deviations,
 * so a correct generator fails them about once in 150,000 runs, and a
 * wrong rate fails them always).
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "support.h"

#include "impair.h"

#define N 200000
#define NOW 1000000000ull /* an arbitrary clock origin, us */

static struct impair_spec spec;
static char err[256];

static int parse(const char *s)
{
    err[0] = '\0';
    return impair_parse(s, &spec, err, sizeof(err));
}

/* |count - n p| within 4.5 binomial standard deviations */
static void assert_binomial(uint64_t count, uint64_t n, double p)
{
    double mean = (double)n * p;
    double sd = sqrt((double)n * p * (1 - p));

    if (fabs((double)count - mean) > 4.5 * sd + 1)
        fail_msg("%llu of %llu, want %.1f +- %.1f", (unsigned long long)count,
                 (unsigned long long)n, mean, 4.5 * sd);
}

static void test_impair_parse_all(void **state)
{
    (void)state;
    assert_int_equal(parse("loss=5%,delay=20ms,jitter=5ms,reorder=1%,"
                           "duplicate=0.5%,corrupt=0.1%,rate=100M,seed=42"),
                     0);
    assert_false(spec.ge);
    assert_true(fabs(spec.loss_good - 0.05) < 1e-12);
    assert_int_equal(spec.delay_us, 20000);
    assert_int_equal(spec.jitter_us, 5000);
    assert_true(fabs(spec.reorder - 0.01) < 1e-12);
    assert_int_equal(spec.reorder_gap_us, IMPAIR_REORDER_GAP_US);
    assert_true(fabs(spec.duplicate - 0.005) < 1e-12);
    assert_true(fabs(spec.corrupt - 0.001) < 1e-12);
    assert_int_equal(spec.rate_bps, 100000000);
    assert_true(spec.seed_given);
    assert_int_equal(spec.seed, 42);
    assert_false(impair_is_noop(&spec));

    assert_int_equal(parse("loss=ge:1%/30%"), 0);
    assert_true(spec.ge);
    assert_true(fabs(spec.ge_p - 0.01) < 1e-12);
    assert_true(fabs(spec.ge_r - 0.30) < 1e-12);
    assert_true(spec.loss_bad == 1.0);
    assert_true(spec.loss_good == 0.0);
    assert_int_equal(parse("loss=ge:1%/30%/50%/0.1%,reorder=2%:5ms"), 0);
    assert_true(fabs(spec.loss_bad - 0.5) < 1e-12);
    assert_true(fabs(spec.loss_good - 0.001) < 1e-12);
    assert_int_equal(spec.reorder_gap_us, 5000);

    assert_int_equal(parse("seed=7"), 0);
    assert_true(impair_is_noop(&spec));
}

static void expect_error(const char *s, const char *msg)
{
    assert_int_equal(parse(s), -1);
    assert_string_equal(err, msg);
}

static void test_impair_parse_errors(void **state)
{
    (void)state;
    expect_error("", "--impair: empty (e.g. loss=5%,delay=20ms)");
    expect_error("loss=5", "--impair: loss='5' is invalid: want a percentage "
                           "(5%) or ge:P/R[/LB[/LG]] (ge:1%/30%)");
    expect_error("loss=101%", "--impair: loss='101%' is out of range: want a "
                              "percentage (5%) or ge:P/R[/LB[/LG]] "
                              "(ge:1%/30%)");
    expect_error("loss=-1%", "--impair: loss='-1%' is invalid: want a "
                             "percentage (5%) or ge:P/R[/LB[/LG]] "
                             "(ge:1%/30%)");
    expect_error("loss=ge:1%", "--impair: loss='ge:1%' is invalid: want a "
                               "percentage (5%) or ge:P/R[/LB[/LG]] "
                               "(ge:1%/30%)");
    expect_error("loss=ge:0%/30%", "--impair: loss=ge: with P = 0% never "
                                   "enters the bad state: give P above 0");
    expect_error("delay=11s", "--impair: delay='11s' is out of range: want a "
                              "time up to 10 s (20ms)");
    expect_error("jitter=fast", "--impair: jitter='fast' is invalid: want a "
                                "time up to 10 s (5ms)");
    expect_error("rate=10", "--impair: rate='10' is out of range: want "
                            "bits/s of at least 1k (100M)");
    expect_error("rate=10Mbit", "--impair: rate='10Mbit' is invalid: want "
                                "bits/s of at least 1k (100M)");
    expect_error("loss=1%,loss=2%", "--impair: loss given twice");
    expect_error("loss=1%,,delay=1ms",
                 "--impair: an empty item in 'loss=1%,,delay=1ms'");
    expect_error("loss=1%,", "--impair: an empty item in 'loss=1%,'");
    expect_error("delay", "--impair: 'delay' is not KEY=VALUE");
    expect_error("drop=1%", "--impair: unknown item 'drop' (known: loss, "
                            "delay, jitter, reorder, duplicate, corrupt, "
                            "rate, seed)");
    expect_error("reorder=1%:0ms", "--impair: reorder='1%:0ms' is out of "
                                   "range: want a percentage, optionally "
                                   ":GAP (1% or 1%:5ms)");
}

/* Bernoulli loss: the share dropped, and nothing else touched. */
static void test_impair_loss(void **state)
{
    struct impair im;
    struct impair_action a;
    int i;

    (void)state;
    assert_int_equal(parse("loss=5%,seed=1"), 0);
    impair_init(&im, &spec, 999);
    for (i = 0; i < N; i++) {
        impair_decide(&im, 1200, NOW, &a);
        if (!a.drop) {
            assert_int_equal(a.copies, 1);
            assert_int_equal(a.corrupt_bit, -1);
            assert_int_equal(a.send_at_us, NOW);
        }
    }
    assert_int_equal(im.counts.seen, N);
    assert_binomial(im.counts.dropped, N, 0.05);
    assert_int_equal(im.counts.delayed, 0);
}

/*
 * Gilbert-Elliott with LB = 100 %, LG = 0: the long-run loss is the share
 * of time in the bad state, p / (p + r), and the losses come in runs of
 * mean length 1 / r (here 3.33), where Bernoulli loss at the same rate
 * would give runs of 1.03.
 */
static void test_impair_gilbert_elliott(void **state)
{
    struct impair im;
    struct impair_action a;
    uint64_t runs = 0;
    bool prev = false;
    double loss;
    double mean_run;
    int i;

    (void)state;
    assert_int_equal(parse("loss=ge:1%/30%,seed=2"), 0);
    impair_init(&im, &spec, 0);
    for (i = 0; i < N; i++) {
        impair_decide(&im, 1200, NOW, &a);
        if (a.drop && !prev)
            runs++;
        prev = a.drop;
    }
    loss = (double)im.counts.dropped / N;
    mean_run = (double)im.counts.dropped / (double)runs;
    if (fabs(loss - 0.01 / 0.31) > 0.006)
        fail_msg("loss %.4f, want %.4f", loss, 0.01 / 0.31);
    if (fabs(mean_run - 1 / 0.30) > 0.35)
        fail_msg("mean loss run %.2f, want %.2f", mean_run, 1 / 0.30);
}

/* delay + jitter: every datagram held delay..delay+jitter, mean halfway. */
static void test_impair_delay_jitter(void **state)
{
    struct impair im;
    struct impair_action a;
    double sum = 0;
    uint64_t lo = UINT64_MAX;
    uint64_t hi = 0;
    int i;

    (void)state;
    assert_int_equal(parse("delay=20ms,jitter=5ms,seed=3"), 0);
    impair_init(&im, &spec, 0);
    for (i = 0; i < N; i++) {
        uint64_t d;

        impair_decide(&im, 100, NOW, &a);
        assert_false(a.drop);
        d = a.send_at_us - NOW;
        sum += (double)d;
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    assert_true(lo >= 20000 && lo < 20010);
    assert_true(hi <= 25000 && hi > 24990);
    if (fabs(sum / N - 22500) > 15)
        fail_msg("mean delay %.1f us, want 22500", sum / N);
    assert_int_equal(im.counts.delayed, N);
}

/* reorder, duplicate and corrupt: their shares, the gap, a valid bit. */
static void test_impair_reorder_duplicate_corrupt(void **state)
{
    struct impair im;
    struct impair_action a;
    uint64_t held = 0;
    int i;

    (void)state;
    assert_int_equal(parse("reorder=1%:5ms,duplicate=0.5%,corrupt=2%,seed=4"),
                     0);
    impair_init(&im, &spec, 0);
    for (i = 0; i < N; i++) {
        impair_decide(&im, 100, NOW, &a);
        assert_false(a.drop);
        assert_true(a.send_at_us == NOW || a.send_at_us == NOW + 5000);
        held += a.send_at_us != NOW;
        assert_true(a.copies == 1 || a.copies == 2);
        assert_true(a.corrupt_bit >= -1 && a.corrupt_bit < 800);
    }
    assert_int_equal(held, im.counts.reordered);
    assert_binomial(im.counts.reordered, N, 0.01);
    assert_binomial(im.counts.duplicated, N, 0.005);
    assert_binomial(im.counts.corrupted, N, 0.02);
}

/*
 * rate=1M: 1250-byte datagrams take 10 ms each on the link, one behind
 * the other; an idle link starts again from now; a datagram that would
 * wait behind 1000 of its size is dropped.
 */
static void test_impair_rate(void **state)
{
    struct impair im;
    struct impair_action a;
    int i;

    (void)state;
    assert_int_equal(parse("rate=1M,seed=5"), 0);
    impair_init(&im, &spec, 0);
    for (i = 1; i <= 3; i++) {
        impair_decide(&im, 1250, NOW, &a);
        assert_false(a.drop);
        assert_int_equal(a.send_at_us, NOW + (uint64_t)i * 10000);
    }
    /* idle again 1 s later: from now, not behind the old ones */
    impair_decide(&im, 1250, NOW + 1000000, &a);
    assert_int_equal(a.send_at_us, NOW + 1000000 + 10000);
    /* 1000 at once fill the queue; the next is dropped */
    for (i = 1; i < IMPAIR_QUEUE_MAX; i++) {
        impair_decide(&im, 1250, NOW + 1000000, &a);
        assert_false(a.drop);
    }
    impair_decide(&im, 1250, NOW + 1000000, &a);
    assert_true(a.drop);
    assert_int_equal(im.counts.dropped_queue, 1);
    assert_int_equal(im.counts.dropped, 0);
}

/* The same seed, the same decisions; another seed, others. */
static void test_impair_seeded(void **state)
{
    struct impair x;
    struct impair y;
    struct impair z;
    struct impair_action a;
    struct impair_action b;
    struct impair_action c;
    int same_z = 0;
    int i;

    (void)state;
    assert_int_equal(parse("loss=10%,jitter=1ms,duplicate=5%"), 0);
    assert_false(spec.seed_given);
    impair_init(&x, &spec, 77);
    impair_init(&y, &spec, 77);
    impair_init(&z, &spec, 78);
    for (i = 0; i < 1000; i++) {
        impair_decide(&x, 500, NOW, &a);
        impair_decide(&y, 500, NOW, &b);
        impair_decide(&z, 500, NOW, &c);
        assert_memory_equal(&a, &b, sizeof(a));
        same_z += memcmp(&a, &c, sizeof(a)) == 0;
    }
    assert_true(same_z < 900);
    /* seed= in the spec wins over the caller's */
    assert_int_equal(parse("loss=10%,seed=5"), 0);
    impair_init(&x, &spec, 77);
    assert_int_equal(x.spec.seed, 5);
}

/* impair_format gives text that parses back to the same spec. */
static void test_impair_format_roundtrip(void **state)
{
    static const char *const specs[] = {
        "loss=5%,delay=20ms,jitter=5ms,reorder=1%,duplicate=0.5%,"
        "corrupt=0.1%,rate=100M,seed=42",
        "loss=ge:1%/30%/50%/0.1%,seed=9",
        "reorder=2%:5ms,seed=0",
    };
    struct impair_spec first;
    char text[256];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
        assert_int_equal(parse(specs[i]), 0);
        first = spec;
        impair_format(&first, text, sizeof(text));
        assert_int_equal(parse(text), 0);
        assert_memory_equal(&first, &spec, sizeof(spec));
    }
    assert_int_equal(parse("loss=0.5%,delay=1.5ms,seed=3"), 0);
    impair_format(&spec, text, sizeof(text));
    assert_string_equal(text, "loss=0.5%,delay=1.5ms,seed=3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_impair_parse_all),
        cmocka_unit_test(test_impair_parse_errors),
        cmocka_unit_test(test_impair_loss),
        cmocka_unit_test(test_impair_gilbert_elliott),
        cmocka_unit_test(test_impair_delay_jitter),
        cmocka_unit_test(test_impair_reorder_duplicate_corrupt),
        cmocka_unit_test(test_impair_rate),
        cmocka_unit_test(test_impair_seeded),
        cmocka_unit_test(test_impair_format_roundtrip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
