/* tests/test_echo_msg.c - echo message framing and verification. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "echo_msg.h"

static void test_echo_msg_roundtrip_all_small_lengths(void **state)
{
    uint8_t buf[300];
    size_t len;

    (void)state;
    for (len = 1; len <= sizeof(buf); len++) {
        echo_msg_fill(buf, len, 77);
        assert_int_equal(echo_msg_verify(buf, len, 77, len), ECHO_MSG_OK);
    }
}

static void test_echo_msg_roundtrip_max(void **state)
{
    uint8_t *buf = malloc(ECHO_MSG_MAX);

    (void)state;
    assert_non_null(buf);
    echo_msg_fill(buf, ECHO_MSG_MAX, 0xFFFFFFFFu);
    assert_int_equal(
        echo_msg_verify(buf, ECHO_MSG_MAX, 0xFFFFFFFFu, ECHO_MSG_MAX),
        ECHO_MSG_OK);
    free(buf);
}

static void test_echo_msg_wrong_length(void **state)
{
    uint8_t buf[100];

    (void)state;
    echo_msg_fill(buf, sizeof(buf), 5);
    assert_int_equal(echo_msg_verify(buf, 99, 5, 100), ECHO_MSG_BAD_LEN);
}

/* Every single-bit flip of a 64-byte message is caught. */
static void test_echo_msg_any_bit_flip_detected(void **state)
{
    uint8_t buf[64];
    size_t bit;

    (void)state;
    for (bit = 0; bit < sizeof(buf) * 8; bit++) {
        echo_msg_fill(buf, sizeof(buf), 1234);
        buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_not_equal(echo_msg_verify(buf, sizeof(buf), 1234, 64),
                             ECHO_MSG_OK);
    }
}

static void test_echo_msg_payload_flip_is_checksum(void **state)
{
    uint8_t buf[1000];

    (void)state;
    echo_msg_fill(buf, sizeof(buf), 9);
    buf[500] ^= 0x40;
    assert_int_equal(echo_msg_verify(buf, sizeof(buf), 9, 1000),
                     ECHO_MSG_BAD_CHECKSUM);
}

/* An intact message, but not the one expected. */
static void test_echo_msg_other_seq(void **state)
{
    uint8_t buf[1000];

    (void)state;
    echo_msg_fill(buf, sizeof(buf), 10);
    assert_int_equal(echo_msg_verify(buf, sizeof(buf), 11, 1000),
                     ECHO_MSG_BAD_SEQ);
}

/* Messages under 8 bytes have no checksum but are still compared. */
static void test_echo_msg_short_messages_compared(void **state)
{
    uint8_t buf[7];
    size_t len;

    (void)state;
    for (len = 1; len < 8; len++) {
        echo_msg_fill(buf, len, 0x01020304);
        assert_int_equal(buf[0], 0x01);
        buf[len - 1] ^= 1;
        assert_int_equal(echo_msg_verify(buf, len, 0x01020304, len),
                         ECHO_MSG_BAD_PAYLOAD);
    }
}

static void test_echo_msg_seq_is_big_endian(void **state)
{
    uint8_t buf[16];

    (void)state;
    echo_msg_fill(buf, sizeof(buf), 0x0A0B0C0D);
    assert_int_equal(buf[0], 0x0A);
    assert_int_equal(buf[3], 0x0D);
}

static void test_echo_msg_verdict_strings(void **state)
{
    (void)state;
    assert_string_equal(echo_msg_verdict_str(ECHO_MSG_OK), "ok");
    assert_string_equal(echo_msg_verdict_str(ECHO_MSG_BAD_CHECKSUM),
                        "checksum mismatch");
}

/* The address probe's answer, and every way an answer goes wrong. */

/* A received message taken for an answer must decode as this one. */
static void answer_roundtrip(const char *endpoint, const char *want)
{
    uint8_t buf[ECHO_PROBE_ANSWER_MAX];
    char seen[NETADDR_STRLEN];
    size_t n = echo_probe_answer(buf, sizeof(buf), endpoint);

    assert_int_not_equal(n, 0);
    assert_int_equal(buf[n - 1], '\n');
    assert_true(echo_probe_is_answer(buf, n, ECHO_PROBE_PPID));
    assert_int_equal(
        echo_probe_decode(buf, n, ECHO_PROBE_PPID, seen, sizeof(seen)), 0);
    assert_string_equal(seen, want);
}

static void test_echo_probe_answer_roundtrip(void **state)
{
    uint8_t buf[ECHO_PROBE_ANSWER_MAX];
    size_t n;

    (void)state;
    answer_roundtrip("198.18.0.1:40211", "198.18.0.1:40211");
    answer_roundtrip("127.0.0.1:0", "127.0.0.1:0");
    answer_roundtrip("255.255.255.255:65535", "255.255.255.255:65535");
    answer_roundtrip("[::1]:9899", "[::1]:9899");
    answer_roundtrip("[2001:DB8:0:0::1]:7", "[2001:db8::1]:7");
    /* A dual-stack server's view of an IPv4 client: plain IPv4. */
    answer_roundtrip("[::ffff:198.18.0.1]:5", "198.18.0.1:5");
    answer_roundtrip("[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535",
                     "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");

    n = echo_probe_answer(buf, sizeof(buf), "198.18.0.1:40211");
    assert_int_equal(n, strlen("sctpu-seen 198.18.0.1:40211\n"));
    assert_memory_equal(buf, "sctpu-seen 198.18.0.1:40211\n", n);
}

/* The server only writes what a client can decode, and never overflows. */
static void test_echo_probe_answer_refuses(void **state)
{
    static const char *const bad[] = {
        "",
        "198.18.0.1",
        "198.18.0.1:",
        "198.18.0.1:65536",
        "198.18.0.1:1x",
        "::1:5",
        "[198.18.0.1]:5",
        "host.example:5",
        "(family 1):0",
    };
    uint8_t buf[ECHO_PROBE_ANSWER_MAX];
    size_t i;
    size_t cap;

    (void)state;
    for (i = 0; i < ARRAY_LEN(bad); i++)
        assert_int_equal(echo_probe_answer(buf, sizeof(buf), bad[i]), 0);
    /* Too little room: nothing, at every size short of the whole. */
    for (cap = 0; cap < strlen("sctpu-seen 1.2.3.4:5\n"); cap++)
        assert_int_equal(echo_probe_answer(buf, cap, "1.2.3.4:5"), 0);
    assert_int_not_equal(echo_probe_answer(buf, cap, "1.2.3.4:5"), 0);
}

/*
 * The echo of message 0 (which carries the probe's PPID) is never taken
 * for an answer, at any length, nor is any message with another PPID.
 */
static void test_echo_probe_echo_is_not_an_answer(void **state)
{
    static uint8_t buf[70000];
    uint8_t ans[ECHO_PROBE_ANSWER_MAX];
    size_t len;
    size_t n = echo_probe_answer(ans, sizeof(ans), "1.2.3.4:5");

    (void)state;
    for (len = 1; len <= sizeof(buf); len += len < 300 ? 1 : 997) {
        echo_msg_fill(buf, len, 0);
        assert_false(echo_probe_is_answer(buf, len, ECHO_PROBE_PPID));
    }
    assert_false(echo_probe_is_answer(ans, n, 0));
    assert_false(echo_probe_is_answer(ans, n, ECHO_PROBE_PPID + 1));
    assert_false(echo_probe_is_answer(ans, 0, ECHO_PROBE_PPID));
}

/*
 * An answer cut at any length is still recognised as one (so it is not
 * mistaken for a corrupt echo), but is malformed.
 */
static void test_echo_probe_decode_truncated(void **state)
{
    uint8_t buf[ECHO_PROBE_ANSWER_MAX + 1];
    char seen[NETADDR_STRLEN];
    const char *const eps[] = { "198.18.0.1:40211", "[2001:db8::1]:9899" };
    size_t i;
    size_t n;
    size_t len;

    (void)state;
    for (i = 0; i < ARRAY_LEN(eps); i++) {
        n = echo_probe_answer(buf, sizeof(buf), eps[i]);
        assert_int_not_equal(n, 0);
        for (len = 1; len < n; len++) {
            assert_true(echo_probe_is_answer(buf, len, ECHO_PROBE_PPID));
            strcpy(seen, "junk");
            assert_int_equal(echo_probe_decode(buf, len, ECHO_PROBE_PPID, seen,
                                               sizeof(seen)),
                             -EINVAL);
            assert_string_equal(seen, "");
        }
        /* One byte too many is wrong too. */
        buf[n] = '\n';
        assert_int_equal(
            echo_probe_decode(buf, n + 1, ECHO_PROBE_PPID, seen, sizeof(seen)),
            -EINVAL);
    }
}

static int decode_str(const char *s, char *seen, size_t len)
{
    return echo_probe_decode((const uint8_t *)s, strlen(s), ECHO_PROBE_PPID,
                             seen, len);
}

static void test_echo_probe_decode_garbage(void **state)
{
    static const char *const bad[] = {
        "sctpu-seen \n",
        "sctpu-seen 1.2.3.4\n",
        "sctpu-seen 1.2.3.4:\n",
        "sctpu-seen 1.2.3.4:5",
        "sctpu-seen 1.2.3.4:5\n\n",
        "sctpu-seen 1.2.3.4:5 \n",
        "sctpu-seen  1.2.3.4:5\n",
        "sctpu-seen 1.2.3.4:+5\n",
        "sctpu-seen 1.2.3.4:-5\n",
        "sctpu-seen 1.2.3.4:65536\n",
        "sctpu-seen 1.2.3.4:123456\n",
        "sctpu-seen 1.2.3.4:5x\n",
        "sctpu-seen 1.2.3.256:5\n",
        "sctpu-seen 1.2.3:5\n",
        "sctpu-seen ::1:5\n",
        "sctpu-seen [::1:5\n",
        "sctpu-seen ::1]:5\n",
        "sctpu-seen []:5\n",
        "sctpu-seen [1.2.3.4]:5\n",
        "sctpu-seen [::1]\n",
        "sctpu-seen localhost:5\n",
        "sctpu-seem 1.2.3.4:5\n",
        "SCTPU-SEEN 1.2.3.4:5\n",
        "sctpu-seen 1.2.3.4:5:6\n",
        "sctpu-seen\n",
        "\n",
    };
    char seen[NETADDR_STRLEN];
    uint8_t buf[ECHO_PROBE_ANSWER_MAX + 2];
    size_t i;
    size_t n;

    (void)state;
    for (i = 0; i < ARRAY_LEN(bad); i++) {
        strcpy(seen, "junk");
        if (decode_str(bad[i], seen, sizeof(seen)) != -EINVAL)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_string_equal(seen, "");
    }
    /* A NUL inside the endpoint. */
    memcpy(buf, "sctpu-seen 1.2.3.4\0:5\n", 22);
    assert_int_equal(
        echo_probe_decode(buf, 22, ECHO_PROBE_PPID, seen, sizeof(seen)),
        -EINVAL);
    /* A good answer with the wrong PPID. */
    n = echo_probe_answer(buf, sizeof(buf), "1.2.3.4:5");
    assert_int_equal(echo_probe_decode(buf, n, 0, seen, sizeof(seen)), -EINVAL);
    /* Longer than any answer can be. */
    memset(buf, '1', sizeof(buf));
    memcpy(buf, "sctpu-seen ", 11);
    buf[sizeof(buf) - 1] = '\n';
    assert_true(echo_probe_is_answer(buf, sizeof(buf), ECHO_PROBE_PPID));
    assert_int_equal(echo_probe_decode(buf, sizeof(buf), ECHO_PROBE_PPID, seen,
                                       sizeof(seen)),
                     -EINVAL);
    /* Right, but no room for it: no report rather than half of one. */
    assert_int_equal(decode_str("sctpu-seen 1.2.3.4:5\n", seen, 9), -EINVAL);
    assert_int_equal(decode_str("sctpu-seen 1.2.3.4:5\n", seen, 10), 0);
    assert_string_equal(seen, "1.2.3.4:5");
    assert_int_equal(decode_str("sctpu-seen 1.2.3.4:5\n", NULL, 0), -EINVAL);
}

/* Random bytes, with and without the right prefix: never accepted. */
static void test_echo_probe_decode_random(void **state)
{
    uint8_t buf[ECHO_PROBE_ANSWER_MAX + 8];
    char seen[NETADDR_STRLEN];
    uint32_t x = 12345;
    int round;
    size_t len;
    size_t i;

    (void)state;
    for (round = 0; round < 20000; round++) {
        len = (size_t)round % sizeof(buf);
        for (i = 0; i < len; i++) {
            x = x * 1103515245u + 12345u;
            buf[i] = (uint8_t)(x >> 16);
        }
        if (round % 2 && len > 11)
            memcpy(buf, "sctpu-seen ", 11);
        assert_int_equal(
            echo_probe_decode(buf, len, ECHO_PROBE_PPID, seen, sizeof(seen)),
            -EINVAL);
        assert_string_equal(seen, "");
    }
}

/* echo_msg_seq trusts an intact header, a short 4..7 byte message, and
 * nothing shorter or damaged (but still reports the damaged field). */
static void test_echo_msg_seq_trust(void **state)
{
    uint8_t buf[100];
    uint32_t seq = 0;
    size_t len;

    (void)state;
    for (len = 4; len <= sizeof(buf); len++) {
        echo_msg_fill(buf, len, 0x01020304u);
        seq = 0;
        assert_true(echo_msg_seq(buf, len, &seq));
        assert_int_equal(seq, 0x01020304u);
    }
    for (len = 1; len < 4; len++) {
        echo_msg_fill(buf, len, 7);
        assert_false(echo_msg_seq(buf, len, &seq));
    }
    /* A payload byte changed: the seq field is read but not trusted. */
    echo_msg_fill(buf, sizeof(buf), 42);
    buf[50] ^= 1;
    seq = 0;
    assert_false(echo_msg_seq(buf, sizeof(buf), &seq));
    assert_int_equal(seq, 42);
    /* The seq field itself changed: the checksum catches that too. */
    echo_msg_fill(buf, sizeof(buf), 42);
    buf[3] ^= 1;
    assert_false(echo_msg_seq(buf, sizeof(buf), &seq));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_echo_msg_roundtrip_all_small_lengths),
        cmocka_unit_test(test_echo_msg_roundtrip_max),
        cmocka_unit_test(test_echo_msg_wrong_length),
        cmocka_unit_test(test_echo_msg_any_bit_flip_detected),
        cmocka_unit_test(test_echo_msg_payload_flip_is_checksum),
        cmocka_unit_test(test_echo_msg_other_seq),
        cmocka_unit_test(test_echo_msg_short_messages_compared),
        cmocka_unit_test(test_echo_msg_seq_is_big_endian),
        cmocka_unit_test(test_echo_msg_verdict_strings),
        cmocka_unit_test(test_echo_msg_seq_trust),
        cmocka_unit_test(test_echo_probe_answer_roundtrip),
        cmocka_unit_test(test_echo_probe_answer_refuses),
        cmocka_unit_test(test_echo_probe_echo_is_not_an_answer),
        cmocka_unit_test(test_echo_probe_decode_truncated),
        cmocka_unit_test(test_echo_probe_decode_garbage),
        cmocka_unit_test(test_echo_probe_decode_random),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
