/* tests/test_perf_verify.c - --verify message headers and stream checks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "perf_verify.h"

#define TEST_SID 3
#define TEST_LEN 100

struct fixture {
    struct perf_verify_stream s;
    struct perf_stream_counts c;
    uint8_t buf[64 * 1024];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return -1;
    perf_verify_init(&f->s, true);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

/* Send message (TEST_SID, seq) of TEST_LEN bytes through the checker. */
static void deliver(struct fixture *f, uint64_t seq)
{
    perf_verify_fill(f->buf, TEST_LEN, TEST_SID, seq);
    perf_verify_check(&f->s, TEST_SID, f->buf, TEST_LEN, &f->c);
}

static void assert_counts(const struct perf_stream_counts *c, uint64_t verified,
                          uint64_t duplicate, uint64_t corrupt,
                          uint64_t out_of_order)
{
    assert_int_equal(c->verified, verified);
    assert_int_equal(c->duplicate, duplicate);
    assert_int_equal(c->corrupt, corrupt);
    assert_int_equal(c->out_of_order, out_of_order);
    /* Not ours to count. */
    assert_int_equal(c->messages, 0);
    assert_int_equal(c->bytes, 0);
}

static uint64_t missing_now(const struct fixture *f)
{
    struct perf_stream_counts c = f->c;

    c.missing = 12345;
    perf_verify_finish(&f->s, &c);
    return c.missing;
}

static void test_perf_verify_small_state(void **state)
{
    (void)state;
    assert_true(sizeof(struct perf_verify_stream) <= 1024);
}

static void test_perf_verify_header_layout(void **state)
{
    struct fixture *f = *state;
    static const uint8_t want[] = { 'S',  'P',  'V',  'F',  0x12, 0x34,
                                    0,    0,    0x01, 0x02, 0x03, 0x04,
                                    0x05, 0x06, 0x07, 0x08 };

    perf_verify_fill(f->buf, TEST_LEN, 0x1234, 0x0102030405060708ull);
    assert_memory_equal(f->buf, want, sizeof(want));
    perf_verify_check(&f->s, 0x1234, f->buf, TEST_LEN, &f->c);
    assert_counts(&f->c, 1, 0, 0, 0);
}

static void test_perf_verify_in_order(void **state)
{
    struct fixture *f = *state;
    uint64_t seq;

    assert_int_equal(missing_now(f), 0);
    for (seq = 0; seq < 10000; seq++)
        deliver(f, seq);
    assert_counts(&f->c, 10000, 0, 0, 0);
    assert_int_equal(missing_now(f), 0);
}

/* Prepared once, stamped per message: the same bytes fill() writes. */
static void test_perf_verify_prepare_stamp(void **state)
{
    struct fixture *f = *state;
    size_t lens[] = { PERF_VERIFY_HDR_LEN, PERF_VERIFY_HDR_LEN + 1, 1000,
                      sizeof(f->buf) };
    uint8_t *ref = malloc(sizeof(f->buf));
    uint32_t crc;
    uint64_t seq;
    size_t i;

    assert_non_null(ref);
    for (i = 0; i < ARRAY_LEN(lens); i++) {
        perf_verify_init(&f->s, true);
        memset(&f->c, 0, sizeof(f->c));
        crc = perf_verify_prepare(f->buf, lens[i]);
        for (seq = 0; seq < 50; seq++) {
            assert_int_equal(perf_verify_stamp(f->buf, lens[i], crc, 7, seq),
                             0);
            perf_verify_fill(ref, lens[i], 7, seq);
            assert_memory_equal(f->buf, ref, lens[i]);
            perf_verify_check(&f->s, 7, f->buf, lens[i], &f->c);
        }
        assert_counts(&f->c, 50, 0, 0, 0);
        assert_int_equal(missing_now(f), 0);
    }
    free(ref);
}

/*
 * A buffer too small for the header: stamp refuses and writes nothing
 * (the perf server once stamped 20 bytes into an 8-byte message, issue
 * 11). Heap buffers of the exact size, so ASan sees any byte past them.
 */
static void test_perf_verify_stamp_short_buffer(void **state)
{
    size_t len;

    (void)state;
    for (len = 0; len < PERF_VERIFY_HDR_LEN; len++) {
        uint8_t *buf = malloc(len + 1); /* malloc(0) may return NULL */
        uint8_t want[PERF_VERIFY_HDR_LEN];

        assert_non_null(buf);
        memset(buf, 0xab, len);
        memset(want, 0xab, sizeof(want));
        assert_int_equal(perf_verify_stamp(buf, len, 0, TEST_SID, 1),
                         -EMSGSIZE);
        assert_memory_equal(buf, want, len);
        free(buf);
    }
}

/* Every byte, header and payload, damaged three ways: corrupt each time. */
static void test_perf_verify_corrupt_any_byte(void **state)
{
    struct fixture *f = *state;
    static const uint8_t flips[] = { 0x01, 0x80, 0xFF };
    uint64_t n = 0;
    size_t i;
    size_t k;

    deliver(f, 0);
    for (i = 0; i < TEST_LEN; i++) {
        for (k = 0; k < ARRAY_LEN(flips); k++) {
            perf_verify_fill(f->buf, TEST_LEN, TEST_SID, 1);
            f->buf[i] ^= flips[k];
            perf_verify_check(&f->s, TEST_SID, f->buf, TEST_LEN, &f->c);
            n++;
        }
    }
    assert_counts(&f->c, 1, 0, n, 0);
    /* Corrupt messages moved nothing: seq 1 is still new and in order. */
    deliver(f, 1);
    assert_counts(&f->c, 2, 0, n, 0);
    assert_int_equal(missing_now(f), 0);
}

/* Same for a big message: a flip in the middle of 64 KiB. */
static void test_perf_verify_corrupt_big(void **state)
{
    struct fixture *f = *state;
    size_t len = sizeof(f->buf);
    size_t at[] = { PERF_VERIFY_HDR_LEN, len / 2, len - 1 };
    size_t i;

    for (i = 0; i < ARRAY_LEN(at); i++) {
        perf_verify_fill(f->buf, len, TEST_SID, 0);
        f->buf[at[i]] ^= 0x10;
        perf_verify_check(&f->s, TEST_SID, f->buf, len, &f->c);
    }
    assert_counts(&f->c, 0, 0, 3, 0);
    /* Cut short by one byte, or grown by one. */
    perf_verify_fill(f->buf, len, TEST_SID, 0);
    perf_verify_check(&f->s, TEST_SID, f->buf, len - 1, &f->c);
    perf_verify_fill(f->buf, len - 1, TEST_SID, 0);
    perf_verify_check(&f->s, TEST_SID, f->buf, len, &f->c);
    assert_counts(&f->c, 0, 0, 5, 0);
}

static void test_perf_verify_wrong_sid(void **state)
{
    struct fixture *f = *state;

    perf_verify_fill(f->buf, TEST_LEN, TEST_SID + 1, 0);
    perf_verify_check(&f->s, TEST_SID, f->buf, TEST_LEN, &f->c);
    perf_verify_fill(f->buf, TEST_LEN, 0, 0);
    perf_verify_check(&f->s, TEST_SID, f->buf, TEST_LEN, &f->c);
    assert_counts(&f->c, 0, 0, 2, 0);
    assert_int_equal(missing_now(f), 0);
}

static void test_perf_verify_short_buffers(void **state)
{
    struct fixture *f = *state;
    size_t len;

    perf_verify_check(&f->s, TEST_SID, NULL, 0, &f->c);
    for (len = 0; len < PERF_VERIFY_HDR_LEN; len++) {
        /* Exactly len bytes, so valgrind sees any read past them. */
        uint8_t *p = malloc(len > 0 ? len : 1);

        assert_non_null(p);
        perf_verify_fill(p, len, TEST_SID, 0);
        perf_verify_check(&f->s, TEST_SID, p, len, &f->c);
        free(p);
    }
    assert_counts(&f->c, 0, 0, PERF_VERIFY_HDR_LEN + 1, 0);
    /* A header and no payload is a valid message. */
    perf_verify_fill(f->buf, PERF_VERIFY_HDR_LEN, TEST_SID, 0);
    perf_verify_check(&f->s, TEST_SID, f->buf, PERF_VERIFY_HDR_LEN, &f->c);
    assert_counts(&f->c, 1, 0, PERF_VERIFY_HDR_LEN + 1, 0);
}

static void test_perf_verify_duplicates(void **state)
{
    struct fixture *f = *state;
    static const uint64_t seqs[] = { 0, 1, 2, 1, 2, 2, 0, 3 };
    size_t i;

    for (i = 0; i < ARRAY_LEN(seqs); i++)
        deliver(f, seqs[i]);
    assert_counts(&f->c, 8, 4, 0, 0);
    assert_int_equal(missing_now(f), 0);
}

/*
 * Unordered delivery of 0..4999 in a shuffled order: every seq lower than
 * the highest at its arrival is out of order, none missing at the end.
 */
static void test_perf_verify_reordered(void **state)
{
    struct fixture *f = *state;
    uint64_t order[5000];
    uint64_t highest = 0;
    uint64_t late = 0;
    uint32_t rnd = 12345;
    size_t i;
    size_t j;
    uint64_t t;

    perf_verify_init(&f->s, false);
    for (i = 0; i < ARRAY_LEN(order); i++)
        order[i] = i;
    /* Shuffle within blocks of 250 only, as a real network reorders. */
    for (i = 0; i < ARRAY_LEN(order); i++) {
        rnd = rnd * 1103515245u + 12345u;
        j = i - i % 250 + (rnd >> 16) % (i % 250 + 1);
        t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (i = 0; i < ARRAY_LEN(order); i++) {
        if (i > 0 && order[i] < highest)
            late++;
        if (order[i] > highest)
            highest = order[i];
        deliver(f, order[i]);
    }
    assert_true(late > 1000);
    assert_counts(&f->c, ARRAY_LEN(order), 0, 0, late);
    assert_int_equal(missing_now(f), 0);
}

static void test_perf_verify_gaps(void **state)
{
    struct fixture *f = *state;
    uint64_t seq;

    for (seq = 0; seq < 100; seq++)
        if (seq != 10 && (seq < 50 || seq >= 60))
            deliver(f, seq);
    assert_counts(&f->c, 89, 0, 0, 0);
    assert_int_equal(missing_now(f), 11);
    /* A late one fills a gap. */
    deliver(f, 55);
    assert_counts(&f->c, 90, 0, 0, 1);
    assert_int_equal(missing_now(f), 10);
    /* Only seqs up to the highest count: the first one here is 5. */
    perf_verify_init(&f->s, true);
    deliver(f, 5);
    assert_int_equal(missing_now(f), 5);
    deliver(f, 6);
    assert_int_equal(missing_now(f), 5);
}

/* The window edge: WINDOW - 1 below is remembered, WINDOW below is not. */
static void test_perf_verify_window_edge(void **state)
{
    struct fixture *f = *state;
    uint64_t top = PERF_VERIFY_WINDOW + 500;
    uint64_t seq;

    for (seq = 0; seq <= top; seq++)
        deliver(f, seq);
    deliver(f, top - (PERF_VERIFY_WINDOW - 1));
    assert_counts(&f->c, top + 2, 1, 0, 0);
    /* Too old to tell: counted late, as documented. */
    deliver(f, top - PERF_VERIFY_WINDOW);
    assert_counts(&f->c, top + 3, 1, 0, 1);
    assert_int_equal(missing_now(f), 0);
}

/* A seq that arrives later than the window holds: late, not missing. */
static void test_perf_verify_late_beyond_window(void **state)
{
    struct fixture *f = *state;
    uint64_t seq;

    perf_verify_init(&f->s, false);
    for (seq = 0; seq < 3 * PERF_VERIFY_WINDOW; seq++)
        if (seq != 7)
            deliver(f, seq);
    assert_int_equal(missing_now(f), 1);
    deliver(f, 7);
    assert_counts(&f->c, 3 * PERF_VERIFY_WINDOW, 0, 0, 1);
    assert_int_equal(missing_now(f), 0);
    /* An old duplicate looks the same; missing does not go below 0. */
    deliver(f, 7);
    deliver(f, 0);
    assert_counts(&f->c, 3 * PERF_VERIFY_WINDOW + 2, 0, 0, 3);
    assert_int_equal(missing_now(f), 0);
}

/* Jumps forward: the bits of the seqs passed over are reused correctly. */
static void test_perf_verify_jumps(void **state)
{
    struct fixture *f = *state;
    uint64_t seq;

    for (seq = 0; seq < PERF_VERIFY_WINDOW; seq++)
        deliver(f, seq);
    /* 6 ahead: bits of 0..5 now stand for 4096..4101, not received. */
    deliver(f, PERF_VERIFY_WINDOW + 5);
    deliver(f, PERF_VERIFY_WINDOW + 1);
    assert_counts(&f->c, PERF_VERIFY_WINDOW + 2, 0, 0, 1);
    deliver(f, PERF_VERIFY_WINDOW + 1);
    assert_counts(&f->c, PERF_VERIFY_WINDOW + 3, 1, 0, 1);
    /* 6 is still inside the window and was received: duplicate. */
    deliver(f, 6);
    assert_counts(&f->c, PERF_VERIFY_WINDOW + 4, 2, 0, 1);
    assert_int_equal(missing_now(f), 4);

    /* A jump of more than the window forgets everything. */
    deliver(f, 100000);
    deliver(f, 100000 - 100);
    assert_counts(&f->c, PERF_VERIFY_WINDOW + 6, 2, 0, 2);
    assert_int_equal(missing_now(f), 100000 + 1 - (PERF_VERIFY_WINDOW + 4));
}

/* The far end of the sequence space: nothing overflows. */
static void test_perf_verify_seq_extremes(void **state)
{
    struct fixture *f = *state;

    deliver(f, UINT64_MAX - 1);
    deliver(f, UINT64_MAX);
    deliver(f, UINT64_MAX);
    deliver(f, UINT64_MAX - 2);
    assert_counts(&f->c, 4, 1, 0, 1);
    assert_true(missing_now(f) == UINT64_MAX - 2);
    deliver(f, 0);
    assert_counts(&f->c, 5, 1, 0, 2);
    assert_true(missing_now(f) == UINT64_MAX - 3);
}

/* Streams are independent: each has its own seqs. */
static void test_perf_verify_two_streams(void **state)
{
    struct fixture *f = *state;
    struct perf_verify_stream other;
    struct perf_stream_counts oc;
    uint64_t seq;

    perf_verify_init(&other, true);
    memset(&oc, 0, sizeof(oc));
    for (seq = 0; seq < 100; seq++) {
        deliver(f, seq);
        perf_verify_fill(f->buf, TEST_LEN, 9, seq);
        perf_verify_check(&other, 9, f->buf, TEST_LEN, &oc);
    }
    assert_counts(&f->c, 100, 0, 0, 0);
    assert_counts(&oc, 100, 0, 0, 0);
    perf_verify_finish(&other, &oc);
    assert_int_equal(oc.missing, 0);
    assert_true(other.ordered);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_perf_verify_small_state),
        T(test_perf_verify_header_layout),
        T(test_perf_verify_in_order),
        T(test_perf_verify_prepare_stamp),
        T(test_perf_verify_stamp_short_buffer),
        T(test_perf_verify_corrupt_any_byte),
        T(test_perf_verify_corrupt_big),
        T(test_perf_verify_wrong_sid),
        T(test_perf_verify_short_buffers),
        T(test_perf_verify_duplicates),
        T(test_perf_verify_reordered),
        T(test_perf_verify_gaps),
        T(test_perf_verify_window_edge),
        T(test_perf_verify_late_beyond_window),
        T(test_perf_verify_jumps),
        T(test_perf_verify_seq_extremes),
        T(test_perf_verify_two_streams),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
