/*
 * rtt_stats.h - round-trip-time statistics in bounded memory.
 *
 * min, max and average are exact. Percentiles come from a log-linear
 * histogram: values below 1024 us are counted exactly, larger ones in 128
 * sub-buckets per power of two, so a reported percentile is within 1 % of
 * the true sample. Memory stays the same however long a client runs.
 */
#ifndef SCTPU_RTT_STATS_H
#define SCTPU_RTT_STATS_H

#include <stdint.h>

#define RTT_STATS_LINEAR 1024 /* exact buckets for 0..1023 us */
#define RTT_STATS_SUB 128     /* sub-buckets per power of two above */
#define RTT_STATS_BUCKETS (RTT_STATS_LINEAR + 22 * RTT_STATS_SUB)

struct rtt_stats {
    uint64_t count;
    uint64_t sum_us;
    uint32_t min_us;
    uint32_t max_us;
    uint64_t buckets[RTT_STATS_BUCKETS];
};

void rtt_stats_init(struct rtt_stats *st);
void rtt_stats_add(struct rtt_stats *st, uint32_t us);

/* Add every sample of src to dst (a sum over associations). */
void rtt_stats_merge(struct rtt_stats *dst, const struct rtt_stats *src);

/* Average in microseconds; 0 when empty. */
double rtt_stats_avg(const struct rtt_stats *st);

/*
 * The smallest recorded value v such that at least p percent of the
 * samples are <= v (p in 0..100); 0 when empty. Never below min_us nor
 * above max_us.
 */
uint32_t rtt_stats_percentile(const struct rtt_stats *st, double p);

#endif /* SCTPU_RTT_STATS_H */
