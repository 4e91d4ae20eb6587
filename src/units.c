/*
 * units.c - strict parsers for command-line numbers.
 *
 * strtoull() and strtod() are lenient: they skip leading whitespace, take a
 * sign (strtoull("-1") is UINT64_MAX), and strtod() also reads hex floats,
 * exponents, "inf" and "nan". So each parser here checks the characters
 * itself first, and it uses the library call only to convert digits it has
 * already accepted.
 */
#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

#define UNITS_DIGITS "0123456789"

/* A duration unit: seconds = value * num / den. */
struct units_time_unit {
    const char *name;
    double num;
    double den;
};

static const struct units_time_unit units_time_units[] = {
    { .name = "", .num = 1.0, .den = 1.0 },
    { .name = "s", .num = 1.0, .den = 1.0 },
    { .name = "ms", .num = 1.0, .den = 1000.0 },
    { .name = "m", .num = 60.0, .den = 1.0 },
};

#define UNITS_N_TIME_UNITS                                                     \
    (sizeof(units_time_units) / sizeof(units_time_units[0]))

/*
 * Convert the run of decimal digits at s. *end is set past the digits even
 * when the value overflows, so that the caller can still tell trailing
 * junk (-EINVAL) apart from a number that is too large (-ERANGE).
 */
static int units_scan_digits(const char *s, const char **end, uint64_t *out)
{
    char *e = NULL;

    *end = s;
    if (*s < '0' || *s > '9')
        return -EINVAL;
    errno = 0;
    *out = strtoull(s, &e, 10);
    *end = e;
    return errno == ERANGE ? -ERANGE : 0;
}

/* The multiplier of a binary size suffix, or 0 when c is not a suffix. */
static uint64_t units_size_mult(char c)
{
    switch (c) {
    case 'k':
    case 'K':
        return UINT64_C(1) << 10;
    case 'm':
    case 'M':
        return UINT64_C(1) << 20;
    case 'g':
    case 'G':
        return UINT64_C(1) << 30;
    default:
        return 0;
    }
}

/*
 * Convert one size, digits plus an optional suffix, at s. *end is set past
 * it, so the caller decides what may follow (end of string or a comma).
 */
static int units_scan_size(const char *s, const char **end, uint64_t *out)
{
    uint64_t v = 0;
    uint64_t mult;
    int rc;

    rc = units_scan_digits(s, end, &v);
    if (rc == -EINVAL)
        return rc;
    mult = units_size_mult(**end);
    if (mult == 0)
        mult = 1;
    else
        (*end)++;
    if (rc == 0 && v > UINT64_MAX / mult)
        rc = -ERANGE;
    *out = v * mult;
    return rc;
}

/*
 * The common tail of the integer parsers. A syntax error wins over a range
 * error: "99999999999999999999x" is not a number at all.
 */
static int units_check(int rc, bool at_end, uint64_t v, uint64_t min,
                       uint64_t max)
{
    if (rc == -EINVAL || !at_end)
        return -EINVAL;
    if (rc != 0 || v < min || v > max)
        return -ERANGE;
    return 0;
}

int units_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    const char *end = NULL;
    uint64_t v = 0;
    int rc;

    if (s == NULL)
        return -EINVAL;
    rc = units_scan_digits(s, &end, &v);
    rc = units_check(rc, *end == '\0', v, min, max);
    if (rc == 0)
        *out = v;
    return rc;
}

int units_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    const char *end = NULL;
    uint64_t v = 0;
    int rc;

    if (s == NULL)
        return -EINVAL;
    rc = units_scan_size(s, &end, &v);
    rc = units_check(rc, *end == '\0', v, min, max);
    if (rc == 0)
        *out = v;
    return rc;
}

/*
 * Check every item of a size list and count them into *n; also store them
 * in out[] unless out is NULL. Running it once without out keeps out[]
 * untouched when the list turns out to be bad.
 */
static int units_walk_list(const char *s, uint64_t min, uint64_t max,
                           uint32_t *out, size_t max_n, size_t *n)
{
    const char *end = NULL;
    uint64_t v = 0;
    size_t i = 0;
    int rc;

    for (;;) {
        if (i == max_n)
            return -EINVAL;
        rc = units_scan_size(s, &end, &v);
        rc = units_check(rc, *end == ',' || *end == '\0', v, min, max);
        if (rc != 0)
            return rc;
        if (out != NULL)
            out[i] = (uint32_t)v;
        i++;
        if (*end == '\0')
            break;
        s = end + 1;
    }
    *n = i;
    return 0;
}

int units_parse_size_list(const char *s, uint64_t min, uint64_t max,
                          uint32_t *out, size_t max_n, size_t *n)
{
    size_t count = 0;
    int rc;

    if (s == NULL || out == NULL || n == NULL)
        return -EINVAL;
    /* out[] holds 32-bit values: anything larger is out of range. */
    if (max > UINT32_MAX)
        max = UINT32_MAX;
    rc = units_walk_list(s, min, max, NULL, max_n, &count);
    if (rc != 0)
        return rc;
    return units_walk_list(s, min, max, out, max_n, n);
}

/*
 * The length of the plain decimal "ddd", "ddd.ddd" or ".ddd" at s, or 0
 * when there is none (no digit at all).
 */
static size_t units_decimal_len(const char *s)
{
    size_t int_len = strspn(s, UNITS_DIGITS);
    size_t frac_len = 0;

    if (s[int_len] == '.')
        frac_len = 1 + strspn(s + int_len + 1, UNITS_DIGITS);
    if (int_len == 0 && frac_len <= 1)
        return 0;
    return int_len + frac_len;
}

/* The duration unit called name, or NULL when there is none. */
static const struct units_time_unit *units_find_time_unit(const char *name)
{
    size_t i;

    for (i = 0; i < UNITS_N_TIME_UNITS; i++) {
        if (strcmp(units_time_units[i].name, name) == 0)
            return &units_time_units[i];
    }
    return NULL;
}

int units_parse_seconds(const char *s, double min, double max, double *out)
{
    const struct units_time_unit *unit = NULL;
    char *end = NULL;
    size_t len;
    double v;

    if (s == NULL)
        return -EINVAL;
    len = units_decimal_len(s);
    if (len == 0)
        return -EINVAL;
    errno = 0;
    v = strtod(s, &end);
    /* Also catches a locale whose decimal point is not '.'. */
    if (end != s + len)
        return -EINVAL;
    unit = units_find_time_unit(end);
    if (unit == NULL)
        return -EINVAL;
    if (errno == ERANGE)
        return -ERANGE;
    v = v * unit->num / unit->den;
    if (!isfinite(v) || v < min || v > max)
        return -ERANGE;
    *out = v;
    return 0;
}

int units_parse_port(const char *s, int allow_zero, uint16_t *out)
{
    uint64_t v = 0;
    int rc;

    rc = units_parse_u64(s, allow_zero ? 0 : 1, UINT16_MAX, &v);
    if (rc == 0)
        *out = (uint16_t)v;
    return rc;
}

/* Three significant digits, the way iperf3 shows figures. */
static void format_scaled(char *buf, size_t len, double v, const char *unit)
{
    if (v < 9.995)
        snprintf(buf, len, "%.2f %s", v, unit);
    else if (v < 99.95)
        snprintf(buf, len, "%.1f %s", v, unit);
    else
        snprintf(buf, len, "%.0f %s", v, unit);
}

char *units_format_bytes(char *buf, size_t len, uint64_t bytes)
{
    static const char *const unit[] = { "Bytes", "KBytes", "MBytes", "GBytes",
                                        "TBytes" };
    double v = (double)bytes;
    size_t i = 0;

    while (v >= 1024.0 && i + 1 < sizeof(unit) / sizeof(unit[0])) {
        v /= 1024.0;
        i++;
    }
    if (i == 0)
        snprintf(buf, len, "%llu Bytes", (unsigned long long)bytes);
    else
        format_scaled(buf, len, v, unit[i]);
    return buf;
}

char *units_format_rate(char *buf, size_t len, double bits_per_s)
{
    static const char *const unit[] = { "bits/sec", "Kbits/sec", "Mbits/sec",
                                        "Gbits/sec", "Tbits/sec" };
    double v = bits_per_s < 0 ? 0 : bits_per_s;
    size_t i = 0;

    while (v >= 1000.0 && i + 1 < sizeof(unit) / sizeof(unit[0])) {
        v /= 1000.0;
        i++;
    }
    format_scaled(buf, len, v, unit[i]);
    return buf;
}

/* Rates keep at most 12 fraction digits: enough for the largest suffix. */
#define RATE_FRAC_DEN UINT64_C(1000000000000)

/* The multiplier of a decimal rate suffix, or 0 when c is not one. */
static uint64_t rate_mult(char c)
{
    switch (c) {
    case 'k':
    case 'K':
        return UINT64_C(1000);
    case 'm':
    case 'M':
        return UINT64_C(1000000);
    case 'g':
    case 'G':
        return UINT64_C(1000000000);
    case 't':
    case 'T':
        return UINT64_C(1000000000000);
    default:
        return 0;
    }
}

/* See units.h. Integer arithmetic only, so that "10G" is exactly
 * 10000000000. */
int units_parse_bitrate_prefix(const char *s, const char **end, uint64_t *out)
{
    const char *p = s;
    uint64_t whole = 0;
    uint64_t frac = 0;
    uint64_t den = 1;
    uint64_t mult;
    uint64_t part;
    bool digits = false;
    bool overflow = false;

    for (; *p >= '0' && *p <= '9'; p++) {
        uint64_t d = (uint64_t)(*p - '0');

        digits = true;
        if (whole > (UINT64_MAX - d) / 10)
            overflow = true;
        else
            whole = whole * 10 + d;
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++) {
            digits = true;
            if (den < RATE_FRAC_DEN) {
                frac = frac * 10 + (uint64_t)(*p - '0');
                den *= 10;
            }
        }
    }
    *end = p;
    if (!digits)
        return -EINVAL;
    mult = rate_mult(*p);
    if (mult == 0)
        mult = 1;
    else
        *end = p + 1;
    if (overflow || whole > UINT64_MAX / mult)
        return -ERANGE;
    /* Both are powers of ten; frac < den keeps the product below mult. */
    if (den <= mult)
        part = frac * (mult / den);
    else
        part = frac / (den / mult);
    if (whole * mult > UINT64_MAX - part)
        return -ERANGE;
    *out = whole * mult + part;
    return 0;
}
