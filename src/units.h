/*
 * units.h - parse command-line numbers: counts, sizes, durations, ports.
 *
 * Every parser takes the whole string (no trailing junk, no sign, no
 * whitespace), checks it against an inclusive [min, max] range and returns
 * 0 on success, -EINVAL when the text is not a number of that kind, and
 * -ERANGE when it is one but lies outside the range. *out is written only
 * on success.
 */
#ifndef SCTPU_UNITS_H
#define SCTPU_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* Plain decimal integer: "0", "42". */
int units_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/*
 * A size in bytes with an optional binary suffix, as iperf3 reads -l:
 * "1500", "10k"/"10K" (x1024), "4m"/"4M" (x1024^2), "1g"/"1G" (x1024^3).
 */
int units_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/*
 * A comma-separated list of sizes ("1,100,64k"). Stores at most max_n
 * values in out[] and their number in *n. An empty item, or more than
 * max_n items, is -EINVAL.
 */
int units_parse_size_list(const char *s, uint64_t min, uint64_t max,
                          uint32_t *out, size_t max_n, size_t *n);

/*
 * A duration in seconds, fractional allowed, with an optional unit:
 * "1", "0.25", "2s", "500ms", "1.5m". *out is in seconds.
 */
int units_parse_seconds(const char *s, double min, double max, double *out);

/* A port number 1..65535 (0 only when allow_zero is non-zero). */
int units_parse_port(const char *s, int allow_zero, uint16_t *out);

/*
 * Human-readable figures as iperf3 prints them: bytes in binary units
 * ("1.10 GBytes", "512 KBytes") and rates in decimal bits ("9.42
 * Gbits/sec"). Both write into buf and return it.
 */
char *units_format_bytes(char *buf, size_t len, uint64_t bytes);
char *units_format_rate(char *buf, size_t len, double bits_per_s);

/*
 * A rate in bits/s as iperf3 reads -b: digits with an optional fraction
 * and an optional decimal suffix ("100", "50M", "2.5G", x1000). Unlike the
 * others it parses a prefix: *end is set past the rate, so that the
 * caller decides what may follow.
 */
int units_parse_bitrate_prefix(const char *s, const char **end, uint64_t *out);

#endif /* SCTPU_UNITS_H */
