/*
 * perf_rr.c - --rr transaction counts and latency summaries.
 */
#include <stdio.h>
#include <string.h>

#include "perf_rr.h"

void perf_rr_stats_init(struct perf_rr_stats *s)
{
    memset(s, 0, sizeof(*s));
    rtt_stats_init(&s->lat);
}

void perf_rr_stats_add(struct perf_rr_stats *s, uint64_t ns)
{
    uint64_t us = (ns + 500) / 1000;

    s->transactions++;
    rtt_stats_add(&s->lat, us > UINT32_MAX ? UINT32_MAX : (uint32_t)us);
}

void perf_rr_stats_merge(struct perf_rr_stats *dst,
                         const struct perf_rr_stats *src)
{
    dst->transactions += src->transactions;
    dst->wrong_size += src->wrong_size;
    rtt_stats_merge(&dst->lat, &src->lat);
}

void perf_rr_summarize(const struct perf_rr_stats *s, double secs,
                       struct perf_rr_summary *out)
{
    const struct rtt_stats *l = &s->lat;

    memset(out, 0, sizeof(*out));
    out->transactions = s->transactions;
    out->per_sec = secs > 0 ? (double)s->transactions / secs : 0;
    out->have_latency = l->count > 0;
    if (!out->have_latency)
        return;
    out->p50_us = rtt_stats_percentile(l, 50);
    out->p90_us = rtt_stats_percentile(l, 90);
    out->p99_us = rtt_stats_percentile(l, 99);
    out->p999_us = rtt_stats_percentile(l, 99.9);
    out->min_us = l->min_us;
    out->max_us = l->max_us;
    out->mean_us = rtt_stats_avg(l);
}

void perf_rr_json(struct json_out *j, const char *key,
                  const struct perf_rr_summary *s)
{
    json_out_begin_object(j, key);
    perf_rr_json_fields(j, s);
    json_out_end_object(j);
}

void perf_rr_json_fields(struct json_out *j, const struct perf_rr_summary *s)
{
    json_out_u64(j, "transactions", s->transactions);
    json_out_double(j, "transactions_per_second", s->per_sec);
    if (s->have_latency) {
        json_out_begin_object(j, "latency_us");
        json_out_u64(j, "p50", s->p50_us);
        json_out_u64(j, "p90", s->p90_us);
        json_out_u64(j, "p99", s->p99_us);
        json_out_u64(j, "p99_9", s->p999_us);
        json_out_u64(j, "min", s->min_us);
        json_out_u64(j, "max", s->max_us);
        json_out_double(j, "mean", s->mean_us);
        json_out_end_object(j);
    } else {
        json_out_null(j, "latency_us");
    }
}

void perf_rr_text(char *buf, size_t len, const struct perf_rr_summary *s)
{
    int n = snprintf(buf, len, "%10llu trans  %10.1f trans/s",
                     (unsigned long long)s->transactions, s->per_sec);

    if (n < 0 || (size_t)n >= len || !s->have_latency)
        return;
    snprintf(buf + n, len - (size_t)n,
             "  latency us p50 %u  p90 %u  p99 %u  p99.9 %u  max %u", s->p50_us,
             s->p90_us, s->p99_us, s->p999_us, s->max_us);
}
