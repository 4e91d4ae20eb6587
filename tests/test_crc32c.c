/* tests/test_crc32c.c - CRC32c values and the SCTP checksum field. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "crc32c.h"

#define TEST_CRC_PKT_LEN 64
#define TEST_CRC_BIG_LEN 4099 /* odd, so the tail loops run too */

/* A made-up SCTP packet: common header plus some chunk bytes. */
static void test_crc_make_packet(uint8_t *pkt, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        pkt[i] = (uint8_t)(i * 37 + 11);
}

static void test_crc32c_known_vectors(void **state)
{
    uint8_t buf[32];
    size_t i;

    (void)state;
    assert_int_equal(crc32c("123456789", 9), 0xE3069283u);
    memset(buf, 0x00, sizeof(buf));
    assert_int_equal(crc32c(buf, sizeof(buf)), 0x8A9136AAu);
    memset(buf, 0xff, sizeof(buf));
    assert_int_equal(crc32c(buf, sizeof(buf)), 0x62A8AB43u);
    for (i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)i;
    assert_int_equal(crc32c(buf, sizeof(buf)), 0x46DD794Eu);
    for (i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(31 - i);
    assert_int_equal(crc32c(buf, sizeof(buf)), 0x113FDB5Cu);
}

static void test_crc32c_empty(void **state)
{
    (void)state;
    assert_int_equal(crc32c("", 0), 0);
    assert_int_equal(crc32c("a", 1), 0xC1D04330u);
}

static void test_crc32c_self_test(void **state)
{
    const char *name = NULL;

    (void)state;
    assert_int_equal(crc32c_self_test(), 0);
    name = crc32c_impl_name();
    assert_true(strcmp(name, "sse4.2") == 0 || strcmp(name, "software") == 0);
    /* Still right after the self-test picked (or kept) an implementation. */
    assert_int_equal(crc32c("123456789", 9), 0xE3069283u);
}

static void test_crc32c_sctp_roundtrip(void **state)
{
    uint8_t pkt[TEST_CRC_BIG_LEN];
    size_t len;

    (void)state;
    for (len = CRC32C_SCTP_HDR_LEN; len <= sizeof(pkt);
         len += len < 300 ? 1 : 97) {
        test_crc_make_packet(pkt, len);
        crc32c_sctp_fill(pkt, len);
        assert_true(crc32c_sctp_check(pkt, len));
    }
}

/* The field holds the CRC of the zeroed packet, least significant first. */
static void test_crc32c_sctp_fill_layout(void **state)
{
    uint8_t pkt[TEST_CRC_PKT_LEN];
    uint8_t zeroed[TEST_CRC_PKT_LEN];
    uint32_t want;

    (void)state;
    test_crc_make_packet(pkt, sizeof(pkt));
    memcpy(zeroed, pkt, sizeof(pkt));
    memset(zeroed + 8, 0, 4);
    want = crc32c(zeroed, sizeof(zeroed));
    crc32c_sctp_fill(pkt, sizeof(pkt));
    assert_int_equal(pkt[8], want & 0xff);
    assert_int_equal(pkt[9], (want >> 8) & 0xff);
    assert_int_equal(pkt[10], (want >> 16) & 0xff);
    assert_int_equal(pkt[11], want >> 24);
    /* Only the checksum field changed. */
    assert_memory_equal(pkt, zeroed, 8);
    assert_memory_equal(pkt + 12, zeroed + 12, sizeof(pkt) - 12);
}

static void test_crc32c_sctp_check_is_const(void **state)
{
    uint8_t pkt[TEST_CRC_PKT_LEN];
    uint8_t copy[TEST_CRC_PKT_LEN];

    (void)state;
    test_crc_make_packet(pkt, sizeof(pkt));
    crc32c_sctp_fill(pkt, sizeof(pkt));
    memcpy(copy, pkt, sizeof(pkt));
    assert_true(crc32c_sctp_check(pkt, sizeof(pkt)));
    assert_memory_equal(pkt, copy, sizeof(pkt));
}

static void test_crc32c_sctp_flipped_bit(void **state)
{
    uint8_t pkt[TEST_CRC_PKT_LEN];
    size_t bit;

    (void)state;
    test_crc_make_packet(pkt, sizeof(pkt));
    crc32c_sctp_fill(pkt, sizeof(pkt));
    for (bit = 0; bit < sizeof(pkt) * 8; bit++) {
        pkt[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_false(crc32c_sctp_check(pkt, sizeof(pkt)));
        pkt[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    assert_true(crc32c_sctp_check(pkt, sizeof(pkt)));
}

static void test_crc32c_sctp_short_packet(void **state)
{
    uint8_t pkt[CRC32C_SCTP_HDR_LEN];
    size_t len;

    (void)state;
    memset(pkt, 0, sizeof(pkt));
    crc32c_sctp_fill(pkt, sizeof(pkt));
    assert_true(crc32c_sctp_check(pkt, sizeof(pkt)));
    for (len = 0; len < CRC32C_SCTP_HDR_LEN; len++)
        assert_false(crc32c_sctp_check(pkt, len));
    assert_false(crc32c_sctp_check(NULL, 0));
}

/* A truncated or extended packet no longer matches its checksum. */
static void test_crc32c_sctp_length_matters(void **state)
{
    uint8_t pkt[TEST_CRC_PKT_LEN + 1];

    (void)state;
    test_crc_make_packet(pkt, sizeof(pkt));
    crc32c_sctp_fill(pkt, TEST_CRC_PKT_LEN);
    assert_true(crc32c_sctp_check(pkt, TEST_CRC_PKT_LEN));
    assert_false(crc32c_sctp_check(pkt, TEST_CRC_PKT_LEN - 1));
    assert_false(crc32c_sctp_check(pkt, TEST_CRC_PKT_LEN + 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32c_known_vectors),
        cmocka_unit_test(test_crc32c_empty),
        cmocka_unit_test(test_crc32c_self_test),
        cmocka_unit_test(test_crc32c_sctp_roundtrip),
        cmocka_unit_test(test_crc32c_sctp_fill_layout),
        cmocka_unit_test(test_crc32c_sctp_check_is_const),
        cmocka_unit_test(test_crc32c_sctp_flipped_bit),
        cmocka_unit_test(test_crc32c_sctp_short_packet),
        cmocka_unit_test(test_crc32c_sctp_length_matters),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
