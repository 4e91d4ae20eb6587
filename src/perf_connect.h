/*
 * perf_connect.h - pacing and summing up the client's association set-ups
 * (-P up to 10,000, --connect-rate): a token bucket the event loop asks
 * before each INIT, and the set-up time percentiles. Pure: no I/O, no
 * clock of its own.
 */
#ifndef SCTPU_PERF_CONNECT_H
#define SCTPU_PERF_CONNECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * rate set-ups per second, bursts of at most burst (rate / 100, at least
 * 1: 10 ms worth) after an idle spell. rate 0: no limit.
 */
struct perf_connect_bucket {
    double rate;
    double burst;
    double tokens;
    uint64_t last_ns;
};

/* A full bucket of one token at now_ns: the first set-up goes at once. */
void perf_connect_bucket_init(struct perf_connect_bucket *b, uint32_t rate,
                              uint64_t now_ns);

/* May one more set-up start at now_ns? Takes its token when it may. */
bool perf_connect_bucket_take(struct perf_connect_bucket *b, uint64_t now_ns);

/* After a refused take: ns until the next token (at least 1). */
uint64_t perf_connect_bucket_wait_ns(const struct perf_connect_bucket *b);

/* Set-up times in us, nearest-rank percentiles (0 each when n == 0). */
struct perf_connect_pct {
    uint64_t p50;
    uint64_t p90;
    uint64_t p99;
    uint64_t max;
};

/* Sorts v (n entries) in place and fills out. */
void perf_connect_percentiles(uint64_t *v, size_t n,
                              struct perf_connect_pct *out);

#endif /* SCTPU_PERF_CONNECT_H */
