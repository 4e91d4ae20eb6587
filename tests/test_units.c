/* tests/test_units.c - strict parsing of counts, sizes, durations, ports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "units.h"

#define TEST_UNITS_SENTINEL UINT64_C(0xdeadbeef)
#define TEST_UNITS_LIST_MAX 4

/* Parse s with no range limit; on failure *out must stay untouched. */
static int test_units_u64(const char *s, uint64_t *out)
{
    *out = TEST_UNITS_SENTINEL;
    return units_parse_u64(s, 0, UINT64_MAX, out);
}

static int test_units_size(const char *s, uint64_t *out)
{
    *out = TEST_UNITS_SENTINEL;
    return units_parse_size(s, 0, UINT64_MAX, out);
}

static void test_units_u64_accepts_decimal(void **state)
{
    uint64_t v = 0;

    (void)state;
    assert_int_equal(test_units_u64("0", &v), 0);
    assert_true(v == 0);
    assert_int_equal(test_units_u64("42", &v), 0);
    assert_true(v == 42);
    assert_int_equal(test_units_u64("007", &v), 0);
    assert_true(v == 7);
    assert_int_equal(test_units_u64("18446744073709551615", &v), 0);
    assert_true(v == UINT64_MAX);
}

static void test_units_u64_rejects_junk(void **state)
{
    static const char *const bad[] = {
        "",   "-1",  "+1", " 1", "1 ",  "\t1", "1x", "x1", "0x10",
        "1.", "1e3", "1k", "--", "1,2", "nan", "-0", "+0",
    };
    uint64_t v = 0;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(test_units_u64(bad[i], &v), -EINVAL);
        assert_true(v == TEST_UNITS_SENTINEL);
    }
    assert_int_equal(units_parse_u64(NULL, 0, 10, &v), -EINVAL);
}

static void test_units_u64_range(void **state)
{
    uint64_t v = TEST_UNITS_SENTINEL;

    (void)state;
    assert_int_equal(units_parse_u64("10", 10, 20, &v), 0);
    assert_true(v == 10);
    assert_int_equal(units_parse_u64("20", 10, 20, &v), 0);
    assert_true(v == 20);
    v = TEST_UNITS_SENTINEL;
    assert_int_equal(units_parse_u64("9", 10, 20, &v), -ERANGE);
    assert_int_equal(units_parse_u64("21", 10, 20, &v), -ERANGE);
    assert_true(v == TEST_UNITS_SENTINEL);
}

static void test_units_u64_overflow(void **state)
{
    uint64_t v = 0;

    (void)state;
    assert_int_equal(test_units_u64("18446744073709551616", &v), -ERANGE);
    assert_int_equal(test_units_u64("99999999999999999999999", &v), -ERANGE);
    assert_true(v == TEST_UNITS_SENTINEL);
    /* Trailing junk is a syntax error even after too many digits. */
    assert_int_equal(test_units_u64("99999999999999999999999x", &v), -EINVAL);
}

static void test_units_size_suffixes(void **state)
{
    uint64_t v = 0;

    (void)state;
    assert_int_equal(test_units_size("1500", &v), 0);
    assert_true(v == 1500);
    assert_int_equal(test_units_size("10k", &v), 0);
    assert_true(v == 10 * 1024);
    assert_int_equal(test_units_size("10K", &v), 0);
    assert_true(v == 10 * 1024);
    assert_int_equal(test_units_size("4m", &v), 0);
    assert_true(v == 4 * 1024 * 1024);
    assert_int_equal(test_units_size("4M", &v), 0);
    assert_true(v == 4 * 1024 * 1024);
    assert_int_equal(test_units_size("1g", &v), 0);
    assert_true(v == UINT64_C(1) << 30);
    assert_int_equal(test_units_size("1G", &v), 0);
    assert_true(v == UINT64_C(1) << 30);
    assert_int_equal(test_units_size("0k", &v), 0);
    assert_true(v == 0);
}

static void test_units_size_rejects_junk(void **state)
{
    static const char *const bad[] = {
        "",    "k",  "-1k", "+1k",  " 1k",  "1k ", "1kb", "1kk",
        "1 k", "1t", "1T",  "1.5k", "1KiB", "k1",  "1,",
    };
    uint64_t v = 0;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(test_units_size(bad[i], &v), -EINVAL);
        assert_true(v == TEST_UNITS_SENTINEL);
    }
}

static void test_units_size_overflow(void **state)
{
    uint64_t v = 0;

    (void)state;
    /* 2^34 G = 2^64: one past the largest representable size. */
    assert_int_equal(test_units_size("17179869183G", &v), 0);
    assert_true(v == UINT64_C(17179869183) << 30);
    assert_int_equal(test_units_size("17179869184G", &v), -ERANGE);
    assert_int_equal(test_units_size("18014398509481984k", &v), -ERANGE);
    assert_int_equal(test_units_size("99999999999999999999k", &v), -ERANGE);
    assert_int_equal(units_parse_size("64k", 1, 65535, &v), -ERANGE);
    assert_int_equal(units_parse_size("63k", 1, 65535, &v), 0);
    assert_true(v == 63 * 1024);
}

static void test_units_size_list_good(void **state)
{
    uint32_t out[TEST_UNITS_LIST_MAX] = { 0 };
    size_t n = 0;

    (void)state;
    assert_int_equal(units_parse_size_list("1,100,64k", 1, UINT64_MAX, out,
                                           TEST_UNITS_LIST_MAX, &n),
                     0);
    assert_int_equal(n, 3);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[1], 100);
    assert_int_equal(out[2], 64 * 1024);
    assert_int_equal(
        units_parse_size_list("7", 1, 10, out, TEST_UNITS_LIST_MAX, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(out[0], 7);
    assert_int_equal(
        units_parse_size_list("1,2,3,4", 1, 10, out, TEST_UNITS_LIST_MAX, &n),
        0);
    assert_int_equal(n, TEST_UNITS_LIST_MAX);
    assert_int_equal(out[3], 4);
}

static void test_units_size_list_bad(void **state)
{
    static const char *const bad[] = {
        "", ",", "1,", ",1", "1,,2", "1, 2", "1;2", "1,x", "1,2,3,4,5",
    };
    uint32_t out[TEST_UNITS_LIST_MAX] = { 11, 22, 33, 44 };
    size_t n = 99;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(
            units_parse_size_list(bad[i], 1, 100, out, TEST_UNITS_LIST_MAX, &n),
            -EINVAL);
    }
    /* Nothing is written on failure, not even the good leading items. */
    assert_int_equal(n, 99);
    assert_int_equal(out[0], 11);
    assert_int_equal(out[3], 44);
}

static void test_units_size_list_range(void **state)
{
    uint32_t out[TEST_UNITS_LIST_MAX] = { 0 };
    size_t n = 0;

    (void)state;
    assert_int_equal(
        units_parse_size_list("1,101", 1, 100, out, TEST_UNITS_LIST_MAX, &n),
        -ERANGE);
    assert_int_equal(
        units_parse_size_list("0,1", 1, 100, out, TEST_UNITS_LIST_MAX, &n),
        -ERANGE);
    /* out[] is uint32_t: 4G does not fit whatever max says. */
    assert_int_equal(units_parse_size_list("4G", 0, UINT64_MAX, out,
                                           TEST_UNITS_LIST_MAX, &n),
                     -ERANGE);
    assert_int_equal(units_parse_size_list("4294967295", 0, UINT64_MAX, out,
                                           TEST_UNITS_LIST_MAX, &n),
                     0);
    assert_int_equal(out[0], UINT32_MAX);
}

static void test_units_seconds_good(void **state)
{
    double v = 0.0;

    (void)state;
    assert_int_equal(units_parse_seconds("1", 0.0, 1e9, &v), 0);
    assert_true(v == 1.0);
    assert_int_equal(units_parse_seconds("0.25", 0.0, 1e9, &v), 0);
    assert_true(v == 0.25);
    assert_int_equal(units_parse_seconds(".5", 0.0, 1e9, &v), 0);
    assert_true(v == 0.5);
    assert_int_equal(units_parse_seconds("2s", 0.0, 1e9, &v), 0);
    assert_true(v == 2.0);
    assert_int_equal(units_parse_seconds("500ms", 0.0, 1e9, &v), 0);
    assert_true(v == 0.5);
    assert_int_equal(units_parse_seconds("1.5m", 0.0, 1e9, &v), 0);
    assert_true(v == 90.0);
    assert_int_equal(units_parse_seconds("0", 0.0, 1e9, &v), 0);
    assert_true(v == 0.0);
}

static void test_units_seconds_rejects_junk(void **state)
{
    static const char *const bad[] = {
        "",     "s",     "-1",   "+1",   " 1",  "1 ",  "1 s", ".",
        "1..2", "1.2.3", "1e3",  "0x10", "nan", "NaN", "inf", "infinity",
        "1h",   "1sec",  "1mss", "1S",   "1M",  "ms",  "-0",  "1,5",
    };
    double v = -1.0;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(units_parse_seconds(bad[i], 0.0, 1e9, &v), -EINVAL);
        assert_true(v == -1.0);
    }
    assert_int_equal(units_parse_seconds(NULL, 0.0, 1.0, &v), -EINVAL);
}

static void test_units_seconds_range(void **state)
{
    double v = -1.0;

    (void)state;
    assert_int_equal(units_parse_seconds("10", 0.1, 10.0, &v), 0);
    assert_true(v == 10.0);
    assert_int_equal(units_parse_seconds("100ms", 0.1, 10.0, &v), 0);
    assert_true(v == 0.1);
    v = -1.0;
    assert_int_equal(units_parse_seconds("99ms", 0.1, 10.0, &v), -ERANGE);
    assert_int_equal(units_parse_seconds("10.5", 0.1, 10.0, &v), -ERANGE);
    assert_int_equal(units_parse_seconds("1m", 0.1, 10.0, &v), -ERANGE);
    assert_true(v == -1.0);
}

static void test_units_seconds_huge(void **state)
{
    char big[400];
    double v = -1.0;

    (void)state;
    /* 1 followed by 398 zeros overflows a double. */
    memset(big, '0', sizeof(big) - 1);
    big[0] = '1';
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(units_parse_seconds(big, 0.0, 1e308, &v), -ERANGE);
    /* Finite on its own, infinite once scaled to seconds. */
    big[308] = 'm';
    big[309] = '\0';
    assert_int_equal(units_parse_seconds(big, 0.0, 1.7e308, &v), -ERANGE);
    assert_true(v == -1.0);
}

static void test_units_port(void **state)
{
    uint16_t port = 7;

    (void)state;
    assert_int_equal(units_parse_port("1", 0, &port), 0);
    assert_int_equal(port, 1);
    assert_int_equal(units_parse_port("65535", 0, &port), 0);
    assert_int_equal(port, 65535);
    assert_int_equal(units_parse_port("9899", 0, &port), 0);
    assert_int_equal(port, 9899);
    assert_int_equal(units_parse_port("0", 1, &port), 0);
    assert_int_equal(port, 0);
    port = 7;
    assert_int_equal(units_parse_port("0", 0, &port), -ERANGE);
    assert_int_equal(units_parse_port("65536", 1, &port), -ERANGE);
    assert_int_equal(units_parse_port("-1", 1, &port), -EINVAL);
    assert_int_equal(units_parse_port("80x", 1, &port), -EINVAL);
    assert_int_equal(units_parse_port("", 1, &port), -EINVAL);
    assert_int_equal(units_parse_port("1k", 1, &port), -EINVAL);
    assert_int_equal(port, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_units_u64_accepts_decimal),
        cmocka_unit_test(test_units_u64_rejects_junk),
        cmocka_unit_test(test_units_u64_range),
        cmocka_unit_test(test_units_u64_overflow),
        cmocka_unit_test(test_units_size_suffixes),
        cmocka_unit_test(test_units_size_rejects_junk),
        cmocka_unit_test(test_units_size_overflow),
        cmocka_unit_test(test_units_size_list_good),
        cmocka_unit_test(test_units_size_list_bad),
        cmocka_unit_test(test_units_size_list_range),
        cmocka_unit_test(test_units_seconds_good),
        cmocka_unit_test(test_units_seconds_rejects_junk),
        cmocka_unit_test(test_units_seconds_range),
        cmocka_unit_test(test_units_seconds_huge),
        cmocka_unit_test(test_units_port),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
