/* tests/test_echo_window.c - the echo client's table of messages in flight. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "echo_msg.h"
#include "echo_window.h"

#define PPID 99

/* Put message number n (len bytes, stream sid) in flight at time n. */
static void add(struct echo_window *w, uint64_t n, uint32_t len, uint16_t sid,
                bool unordered)
{
    struct echo_flight f;

    memset(&f, 0, sizeof(f));
    f.number = n;
    f.sent_us = 1000 + n;
    f.len = len;
    f.ppid = PPID;
    f.sid = sid;
    f.unordered = unordered;
    assert_int_equal(echo_window_add(w, &f), 0);
}

static struct transport_msginfo rx(uint16_t sid, bool unordered)
{
    struct transport_msginfo info;

    memset(&info, 0, sizeof(info));
    info.sid = sid;
    info.ppid = PPID;
    info.unordered = unordered;
    info.eor = true;
    return info;
}

/* The echo of message n, exactly as sent, taken from w. */
static enum echo_match take_echo(struct echo_window *w, uint64_t n, size_t len,
                                 struct transport_msginfo info,
                                 struct echo_flight *out, const char **why)
{
    uint8_t buf[2000];

    assert_true(len <= sizeof(buf));
    echo_msg_fill(buf, len, (uint32_t)n);
    return echo_window_take(w, buf, len, &info, out, why);
}

static void test_echo_window_capacity(void **state)
{
    struct echo_window w;
    struct echo_flight f;
    uint64_t n;

    (void)state;
    assert_int_equal(echo_window_init(&w, 0), -EINVAL);
    assert_int_equal(echo_window_init(&w, 3), 0);
    assert_null(echo_window_oldest(&w));
    for (n = 0; n < 3; n++) {
        assert_false(echo_window_full(&w));
        add(&w, n, 10, 0, false);
    }
    assert_true(echo_window_full(&w));
    memset(&f, 0, sizeof(f));
    assert_int_equal(echo_window_add(&w, &f), -ENOSPC);
    assert_int_equal(w.count, 3);
    assert_int_equal(w.max_count, 3);
    echo_window_free(&w);
}

/* Echoes in the reverse order of sending are each matched to their own
 * message; max_count remembers the high-water mark, oldest follows. */
static void test_echo_window_any_order(void **state)
{
    struct echo_window w;
    struct echo_flight f;
    const char *why = "x";
    int n;

    (void)state;
    assert_int_equal(echo_window_init(&w, 16), 0);
    for (n = 0; n < 16; n++)
        add(&w, (uint64_t)n, 100 + (uint32_t)n, (uint16_t)(n % 8), false);
    assert_int_equal(echo_window_oldest(&w)->number, 0);
    for (n = 15; n >= 1; n--) {
        assert_int_equal(take_echo(&w, (uint64_t)n, 100 + (size_t)n,
                                   rx((uint16_t)(n % 8), false), &f, &why),
                         ECHO_MATCH_OK);
        assert_null(why);
        assert_int_equal(f.number, n);
        assert_int_equal(f.sent_us, 1000 + n);
        assert_int_equal(echo_window_oldest(&w)->number, 0);
    }
    assert_int_equal(take_echo(&w, 0, 100, rx(0, false), &f, &why),
                     ECHO_MATCH_OK);
    assert_int_equal(w.count, 0);
    assert_null(echo_window_oldest(&w));
    assert_int_equal(w.max_count, 16);
    echo_window_free(&w);
}

/* The oldest is the lowest number even after removals reorder slots. */
static void test_echo_window_oldest_after_removal(void **state)
{
    struct echo_window w;
    struct echo_flight f;
    const char *why;

    (void)state;
    assert_int_equal(echo_window_init(&w, 4), 0);
    add(&w, 10, 50, 0, false);
    add(&w, 11, 50, 1, false);
    add(&w, 12, 50, 2, false);
    assert_int_equal(take_echo(&w, 10, 50, rx(0, false), &f, &why),
                     ECHO_MATCH_OK);
    assert_int_equal(echo_window_oldest(&w)->number, 11);
    add(&w, 13, 50, 3, false);
    assert_int_equal(take_echo(&w, 11, 50, rx(1, false), &f, &why),
                     ECHO_MATCH_OK);
    assert_int_equal(echo_window_oldest(&w)->number, 12);
    echo_window_free(&w);
}

/* 1-byte messages carry no usable seq: an echo on a stream takes the
 * oldest alike message there, never one on another stream. */
static void test_echo_window_short_messages(void **state)
{
    struct echo_window w;
    struct echo_flight f;
    const char *why;

    (void)state;
    assert_int_equal(echo_window_init(&w, 8), 0);
    add(&w, 0, 1, 1, true);
    add(&w, 1, 1, 2, true);
    add(&w, 2, 1, 1, true);
    assert_int_equal(take_echo(&w, 2, 1, rx(2, true), &f, &why), ECHO_MATCH_OK);
    assert_int_equal(f.number, 1);
    assert_int_equal(take_echo(&w, 2, 1, rx(1, true), &f, &why), ECHO_MATCH_OK);
    assert_int_equal(f.number, 0);
    assert_int_equal(take_echo(&w, 2, 1, rx(1, true), &f, &why), ECHO_MATCH_OK);
    assert_int_equal(f.number, 2);
    /* Nothing left on stream 1. */
    assert_int_equal(take_echo(&w, 2, 1, rx(1, true), &f, &why),
                     ECHO_MATCH_NONE);
    assert_string_equal(why, "nothing is in flight on its stream");
    echo_window_free(&w);
}

/*
 * -u: message 0 (the address probe: ordered, its own PPID) and message 8,
 * both 2 bytes on stream 0. The unordered echo of 8 may come first; it is
 * message 8's, not 0's, although 0 is older.
 */
static void test_echo_window_short_by_metadata(void **state)
{
    struct echo_window w;
    struct echo_flight f;
    struct echo_flight probe;
    const char *why;

    (void)state;
    assert_int_equal(echo_window_init(&w, 4), 0);
    memset(&probe, 0, sizeof(probe));
    probe.number = 0;
    probe.len = 2;
    probe.ppid = ECHO_PROBE_PPID;
    assert_int_equal(echo_window_add(&w, &probe), 0);
    add(&w, 8, 2, 0, true);
    assert_int_equal(take_echo(&w, 8, 2, rx(0, true), &f, &why), ECHO_MATCH_OK);
    assert_int_equal(f.number, 8);
    echo_window_free(&w);
}

/* A second echo of a message already taken is unexpected, and leaves the
 * messages still in flight alone. */
static void test_echo_window_duplicate(void **state)
{
    struct echo_window w;
    struct echo_flight f;
    const char *why;

    (void)state;
    assert_int_equal(echo_window_init(&w, 4), 0);
    add(&w, 3, 64, 0, false);
    add(&w, 4, 64, 0, false);
    assert_int_equal(take_echo(&w, 3, 64, rx(0, false), &f, &why),
                     ECHO_MATCH_OK);
    assert_int_equal(take_echo(&w, 3, 64, rx(0, false), &f, &why),
                     ECHO_MATCH_NONE);
    assert_non_null(strstr(why, "not in flight"));
    assert_int_equal(w.count, 1);
    assert_int_equal(take_echo(&w, 4, 64, rx(0, false), &f, &why),
                     ECHO_MATCH_OK);
    echo_window_free(&w);
}

/* An intact message on the wrong stream, or with other metadata, is
 * blamed on the message its seq names, saying what differs. */
static void test_echo_window_metadata_differs(void **state)
{
    struct echo_window w;
    struct echo_flight f;
    struct transport_msginfo info;
    const char *why;

    (void)state;
    assert_int_equal(echo_window_init(&w, 4), 0);
    w.ppid_strict = true; /* --strict-ppid */
    add(&w, 5, 64, 1, false);
    add(&w, 6, 64, 2, false);
    add(&w, 7, 64, 3, false);
    assert_int_equal(take_echo(&w, 5, 64, rx(2, false), &f, &why),
                     ECHO_MATCH_CORRUPT);
    assert_int_equal(f.number, 5);
    assert_string_equal(why, "echo came back on another stream");
    info = rx(2, false);
    info.ppid = PPID + 1;
    assert_int_equal(take_echo(&w, 6, 64, info, &f, &why), ECHO_MATCH_CORRUPT);
    assert_int_equal(f.number, 6);
    assert_string_equal(why, "echo carries another PPID");
    assert_int_equal(take_echo(&w, 7, 64, rx(3, true), &f, &why),
                     ECHO_MATCH_CORRUPT);
    assert_int_equal(f.number, 7);
    assert_string_equal(why, "echo's unordered flag differs");
    assert_int_equal(w.count, 0);
    echo_window_free(&w);
}

/* By default an echo with another PPID (a server that answers with PPID
 * 0) is verified by payload, stream and flags, and the difference kept. */
static void test_echo_window_ppid_not_echoed(void **state)
{
    struct echo_window w;
    struct echo_flight f;
    struct transport_msginfo info = rx(2, false);
    const char *why;

    (void)state;
    assert_int_equal(echo_window_init(&w, 4), 0);
    add(&w, 5, 64, 2, false);
    add(&w, 6, 64, 2, false);
    info.ppid = 0;
    assert_int_equal(take_echo(&w, 5, 64, info, &f, &why), ECHO_MATCH_OK);
    assert_int_equal(take_echo(&w, 6, 64, info, &f, &why), ECHO_MATCH_OK);
    assert_int_equal(w.ppid_differed, 2);
    assert_int_equal(w.ppid_sent, PPID);
    assert_int_equal(w.ppid_got, 0);
    /* the payload is still checked */
    add(&w, 7, 64, 2, false);
    assert_int_equal(take_echo(&w, 7, 63, info, &f, &why), ECHO_MATCH_CORRUPT);
    echo_window_free(&w);
}

/* Damaged echoes: blamed on the message the seq field names when it is in
 * flight, else on the oldest one on the echo's stream. */
static void test_echo_window_damaged(void **state)
{
    struct echo_window w;
    struct echo_flight f;
    struct transport_msginfo info = rx(0, false);
    uint8_t buf[64];
    const char *why;

    (void)state;
    assert_int_equal(echo_window_init(&w, 4), 0);
    add(&w, 20, 64, 0, false);
    add(&w, 21, 64, 0, false);
    add(&w, 22, 64, 1, false);

    echo_msg_fill(buf, sizeof(buf), 21);
    buf[40] ^= 0x80;
    assert_int_equal(echo_window_take(&w, buf, sizeof(buf), &info, &f, &why),
                     ECHO_MATCH_CORRUPT);
    assert_int_equal(f.number, 21);
    assert_string_equal(why, "checksum mismatch");

    /* The seq field itself is garbage: stream order says it is 20's. */
    echo_msg_fill(buf, sizeof(buf), 22);
    memcpy(buf, "\xde\xad\xbe\xef", 4);
    assert_int_equal(echo_window_take(&w, buf, sizeof(buf), &info, &f, &why),
                     ECHO_MATCH_CORRUPT);
    assert_int_equal(f.number, 20);
    assert_string_equal(why, "checksum mismatch");

    /* A 2-byte echo where a 64-byte message is due: too short to carry a
     * seq, so the oldest on its stream, and the length is wrong. */
    info = rx(1, false);
    echo_msg_fill(buf, 2, 22);
    assert_int_equal(echo_window_take(&w, buf, 2, &info, &f, &why),
                     ECHO_MATCH_CORRUPT);
    assert_int_equal(f.number, 22);
    assert_string_equal(why, "wrong length");

    /* Garbage on a stream with nothing in flight. */
    info = rx(5, false);
    assert_int_equal(echo_window_take(&w, buf, 2, &info, &f, &why),
                     ECHO_MATCH_NONE);
    echo_window_free(&w);
}

/* Past 2^32 messages the seq wraps; matching uses its low 32 bits and the
 * oldest is still the first sent. */
static void test_echo_window_seq_wraps(void **state)
{
    struct echo_window w;
    struct echo_flight f;
    const char *why;
    uint64_t base = (1ull << 32) - 2;

    (void)state;
    assert_int_equal(echo_window_init(&w, 4), 0);
    add(&w, base, 32, 0, false);
    add(&w, base + 1, 32, 1, false);
    add(&w, base + 2, 32, 2, false); /* seq 0 */
    assert_int_equal(echo_window_oldest(&w)->number, base);
    assert_int_equal(take_echo(&w, base + 2, 32, rx(2, false), &f, &why),
                     ECHO_MATCH_OK);
    assert_int_equal(f.number, base + 2);
    echo_window_free(&w);
}

/* A full window of 1024, echoes in a scrambled order: each found once. */
static void test_echo_window_full_scramble(void **state)
{
    enum { N = 1024 };
    struct echo_window w;
    struct echo_flight f;
    uint32_t order[N];
    bool seen[N];
    const char *why;
    uint32_t x = 7;
    size_t i;

    (void)state;
    assert_int_equal(echo_window_init(&w, N), 0);
    for (i = 0; i < N; i++) {
        add(&w, i, 8 + (uint32_t)(i % 13), (uint16_t)(i % 8), false);
        order[i] = (uint32_t)i;
        seen[i] = false;
    }
    for (i = N - 1; i > 0; i--) {
        uint32_t j, t;

        x = x * 1103515245u + 12345u;
        j = (x >> 8) % (uint32_t)(i + 1);
        t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (i = 0; i < N; i++) {
        uint32_t n = order[i];

        assert_int_equal(take_echo(&w, n, 8 + n % 13,
                                   rx((uint16_t)(n % 8), false), &f, &why),
                         ECHO_MATCH_OK);
        assert_int_equal(f.number, n);
        assert_false(seen[n]);
        seen[n] = true;
    }
    assert_int_equal(w.count, 0);
    assert_int_equal(w.max_count, N);
    echo_window_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_echo_window_capacity),
        cmocka_unit_test(test_echo_window_any_order),
        cmocka_unit_test(test_echo_window_oldest_after_removal),
        cmocka_unit_test(test_echo_window_short_messages),
        cmocka_unit_test(test_echo_window_short_by_metadata),
        cmocka_unit_test(test_echo_window_duplicate),
        cmocka_unit_test(test_echo_window_metadata_differs),
        cmocka_unit_test(test_echo_window_ppid_not_echoed),
        cmocka_unit_test(test_echo_window_damaged),
        cmocka_unit_test(test_echo_window_seq_wraps),
        cmocka_unit_test(test_echo_window_full_scramble),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
