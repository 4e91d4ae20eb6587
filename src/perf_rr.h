/*
 * perf_rr.h - sctpu-perf --rr: what one end counts of request/response
 * transactions, and how the reports summarise it.
 *
 * The client times each transaction from the call that sends its request
 * to the end of its response, in microseconds, into an rtt_stats
 * histogram: exact below 1024 us, within 0.4 % above (its midpoint rule),
 * in the same 30 KiB however long the test runs. Percentiles are nearest
 * ranks: p99.9 of fewer than 1000 transactions is the largest one.
 */
#ifndef SCTPU_PERF_RR_H
#define SCTPU_PERF_RR_H

#include <stdbool.h>
#include <stdint.h>

#include "json_out.h"
#include "rtt_stats.h"

/* -P with --rr: a client keeps three histograms per association (whole
 * test, interval, report), 30 KiB each. */
#define PERF_RR_MAX_PARALLEL 1000
#define PERF_RR_MAX_PARALLEL_STR "1000"

struct perf_rr_stats {
    uint64_t transactions; /* completed (client) or answered (server) */
    uint64_t wrong_size;   /* responses not RESP bytes (client) */
    struct rtt_stats lat;  /* client: each transaction's latency */
};

/* The numbers a report line and an "rr" object show. */
struct perf_rr_summary {
    uint64_t transactions;
    double per_sec;
    bool have_latency; /* the client's end: the rest is known */
    uint32_t p50_us;
    uint32_t p90_us;
    uint32_t p99_us;
    uint32_t p999_us;
    uint32_t min_us;
    uint32_t max_us;
    double mean_us;
};

void perf_rr_stats_init(struct perf_rr_stats *s);
/* One completed transaction of ns nanoseconds. */
void perf_rr_stats_add(struct perf_rr_stats *s, uint64_t ns);
void perf_rr_stats_merge(struct perf_rr_stats *dst,
                         const struct perf_rr_stats *src);

/* s over secs seconds (transactions/s 0 for an empty period). */
void perf_rr_summarize(const struct perf_rr_stats *s, double secs,
                       struct perf_rr_summary *out);

/* "rr": {"transactions", "transactions_per_second", "latency_us": {...}}
 * (latency_us null without latencies) under key (NULL in an array). */
void perf_rr_json(struct json_out *j, const char *key,
                  const struct perf_rr_summary *s);

/* The same fields into the object being built. */
void perf_rr_json_fields(struct json_out *j, const struct perf_rr_summary *s);

/* "N trans  X trans/s  p50 A  p90 B  p99 C  p99.9 D us" into buf. */
void perf_rr_text(char *buf, size_t len, const struct perf_rr_summary *s);

#endif /* SCTPU_PERF_RR_H */
