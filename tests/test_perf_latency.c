/* tests/test_perf_latency.c - --stream's timestamps, per-stream latency
 * histograms, the LATENCY message (hostile input) and the sender's
 * per-stream turns and pacing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "perf_latency.h"
#include "perf_proto.h"
#include "perf_stream_tx.h"

static void test_latency_stamp_read(void **state)
{
    uint8_t buf[64];
    uint64_t ns = 0;

    (void)state;
    memset(buf, 0x5a, sizeof(buf));
    perf_latency_stamp(buf, 7, 0x0102030405060708ull);
    assert_true(perf_latency_read(buf, sizeof(buf), 7, &ns));
    assert_true(ns == 0x0102030405060708ull);
    assert_false(perf_latency_read(buf, sizeof(buf), 8, &ns)); /* sid */
    assert_false(perf_latency_read(buf, PERF_LATENCY_HDR_LEN - 1, 7, &ns));
    buf[0] ^= 1;
    assert_false(perf_latency_read(buf, sizeof(buf), 7, &ns)); /* magic */
}

static void test_latency_summary(void **state)
{
    struct perf_latency *l = perf_latency_new();
    struct perf_latency_report r;
    uint64_t i;

    (void)state;
    assert_non_null(l);
    /* stream 5: 1..100 us; stream 2: 1000 us; a clock 3 us behind */
    for (i = 1; i <= 100; i++)
        perf_latency_add(l, 5, 1000000, 1000000 + i * 1000);
    perf_latency_add(l, 2, 0, 1000000);
    perf_latency_add(l, 2, 5000, 2000);
    perf_latency_summarize(l, 3, &r);
    assert_int_equal(r.index, 3);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.s[0].sid, 2); /* sorted by stream */
    assert_true(r.s[0].messages == 2);
    assert_true(r.s[0].negative == 1);
    assert_int_equal(r.s[0].min_us, 0);
    assert_int_equal(r.s[0].max_us, 1000);
    assert_int_equal(r.s[1].sid, 5);
    assert_int_equal(r.s[1].min_us, 1);
    assert_int_equal(r.s[1].p50_us, 50);
    assert_int_equal(r.s[1].p90_us, 90);
    assert_int_equal(r.s[1].p99_us, 99);
    assert_int_equal(r.s[1].max_us, 100);
    /* bounded: streams past PERF_LATENCY_STREAMS are only counted */
    for (i = 0; i < PERF_LATENCY_STREAMS + 5; i++)
        perf_latency_add(l, (uint16_t)(100 + i), 0, 1000);
    perf_latency_summarize(l, 0, &r);
    assert_int_equal(r.n, PERF_LATENCY_STREAMS);
    assert_true(r.unmeasured == 7);
    /* -O: forgotten */
    perf_latency_reset(l);
    perf_latency_summarize(l, 0, &r);
    assert_int_equal(r.n, 0);
    perf_latency_free(l);
}

static void test_latency_wire(void **state)
{
    struct perf_latency *l = perf_latency_new();
    struct perf_latency_report in;
    struct perf_latency_report out;
    uint8_t buf[PERF_LATENCY_MSG_MAX];
    uint16_t sid;
    int n;

    (void)state;
    for (sid = 0; sid < PERF_LATENCY_STREAMS; sid++)
        perf_latency_add(l, sid, 0, 1000u * (sid + 1));
    perf_latency_summarize(l, 1, &in);
    perf_latency_free(l);
    n = perf_latency_encode(buf, sizeof(buf), &in);
    assert_int_equal(n, PERF_LATENCY_MSG_MAX);
    assert_int_equal(perf_latency_encode(buf, sizeof(buf) - 1, &in), -EMSGSIZE);
    assert_int_equal(perf_proto_type(buf, (size_t)n), PERF_MSG_LATENCY);
    memset(&out, 0, sizeof(out));
    assert_int_equal(perf_latency_decode(buf, (size_t)n, 2, &out), 0);
    assert_memory_equal(&in, &out, sizeof(in));
    /* hostile: index past the associations, short, streams out of
     * order, percentiles out of order, too many streams */
    memset(&out, 0x77, sizeof(out));
    assert_int_equal(perf_latency_decode(buf, (size_t)n, 1, &out), -EBADMSG);
    assert_int_equal(perf_latency_decode(buf, (size_t)n - 1, 2, &out),
                     -EBADMSG);
    buf[8 + 12 + 42] = 0;     /* stream 1's sid high byte stays 0 ... */
    buf[8 + 12 + 42 + 1] = 0; /* ... and it becomes 0, same as stream 0 */
    assert_int_equal(perf_latency_decode(buf, (size_t)n, 2, &out), -EBADMSG);
    n = perf_latency_encode(buf, sizeof(buf), &in);
    buf[8 + 12 + 26] = 0xff; /* stream 0's p50 above its p90 */
    assert_int_equal(perf_latency_decode(buf, (size_t)n, 2, &out), -EBADMSG);
    n = perf_latency_encode(buf, sizeof(buf), &in);
    buf[8 + 3] = PERF_LATENCY_STREAMS + 1; /* n */
    assert_int_equal(perf_latency_decode(buf, (size_t)n, 2, &out), -EBADMSG);
    assert_int_equal(out.index, 0x7777); /* untouched on every error */
    in.n = PERF_LATENCY_STREAMS + 1;
    assert_int_equal(perf_latency_encode(buf, sizeof(buf), &in), -EINVAL);
}

static void test_stream_tx_turns_and_pace(void **state)
{
    struct perf_stream_specs set;
    struct perf_stream_tx *tx;
    struct perf_stream_msg m;
    unsigned int count[3] = { 0, 0, 0 };
    uint64_t now = 1000000000ull;
    uint64_t end = now + 1000000000ull; /* one second */
    char err[128];

    (void)state;
    memset(&set, 0, sizeof(set));
    assert_int_equal(perf_stream_spec_add(&set,
                                          "0:len=200,rate=160k,"
                                          "unordered",
                                          err, sizeof(err)),
                     0);
    assert_int_equal(perf_stream_spec_add(&set,
                                          "1-2:len=1000,rate=800k,"
                                          "pr=rtx:2",
                                          err, sizeof(err)),
                     0);
    perf_stream_specs_resolve(&set, 100, 0, false, 0, 0);
    assert_int_equal(perf_stream_tx_max_len(&set), 1000);
    tx = perf_stream_tx_new(&set, 1, now);
    assert_non_null(tx);
    while (now < end) {
        uint64_t wait = perf_stream_tx_next(tx, now, &m);

        if (wait > 0) {
            now += wait;
            continue;
        }
        assert_true(m.sid <= 2);
        count[m.sid]++;
        if (m.sid == 0) {
            assert_int_equal(m.length, 200);
            assert_true(m.unordered);
            assert_int_equal(m.pr_policy, 0);
        } else {
            assert_int_equal(m.length, 1000);
            assert_false(m.unordered);
            assert_int_equal(m.pr_policy, 2);
            assert_int_equal(m.pr_value, 2);
        }
    }
    /* 160k / (200 * 8) = 100 per second; 800k / 8000 = 100 each */
    assert_in_range(count[0], 99, 102);
    assert_in_range(count[1], 99, 102);
    assert_in_range(count[2], 99, 102);
    perf_stream_tx_free(tx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latency_stamp_read),
        cmocka_unit_test(test_latency_summary),
        cmocka_unit_test(test_latency_wire),
        cmocka_unit_test(test_stream_tx_turns_and_pace),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
