/* tests/test_echo_msg.c - echo message framing and verification. */
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
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
