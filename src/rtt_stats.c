/*
 * rtt_stats.c - log-linear RTT histogram.
 *
 * Bucket layout: values 0..1023 each have their own bucket. A value v with
 * its top bit at position k (2^k <= v < 2^(k+1), k = 10..31) falls in
 * group k - 10, which splits [2^k, 2^(k+1)) into RTT_STATS_SUB equal
 * sub-buckets of width 2^(k-7). A bucket is therefore less than 1/128 of
 * its lower bound wide, and reporting its midpoint is off by under 0.4 %.
 */
#include <math.h>
#include <string.h>

#include "rtt_stats.h"

/* log2 of RTT_STATS_LINEAR and of RTT_STATS_SUB. */
#define RTT_STATS_LINEAR_BITS 10
#define RTT_STATS_SUB_BITS 7

_Static_assert(RTT_STATS_LINEAR == 1u << RTT_STATS_LINEAR_BITS,
               "RTT_STATS_LINEAR must be 2^RTT_STATS_LINEAR_BITS");
_Static_assert(RTT_STATS_SUB == 1u << RTT_STATS_SUB_BITS,
               "RTT_STATS_SUB must be 2^RTT_STATS_SUB_BITS");
/* Bit 31 is the highest a uint32_t has: the last group must cover it. */
_Static_assert(RTT_STATS_BUCKETS ==
                   RTT_STATS_LINEAR +
                       (32 - RTT_STATS_LINEAR_BITS) * RTT_STATS_SUB,
               "the last bucket group must end at UINT32_MAX");

/* Position of the highest set bit of v; v must not be 0. */
static unsigned int rtt_stats_top_bit(uint32_t v)
{
    return 31u - (unsigned int)__builtin_clz(v);
}

/* The bucket that counts value v. */
static uint32_t rtt_stats_bucket(uint32_t v)
{
    unsigned int k;
    uint32_t sub;
    uint32_t idx;

    if (v < RTT_STATS_LINEAR)
        return v;
    k = rtt_stats_top_bit(v);
    sub = (v >> (k - RTT_STATS_SUB_BITS)) - RTT_STATS_SUB;
    idx = RTT_STATS_LINEAR + (k - RTT_STATS_LINEAR_BITS) * RTT_STATS_SUB + sub;
    /* Cannot trigger (see the asserts above); kept as a guard. */
    if (idx >= RTT_STATS_BUCKETS)
        idx = RTT_STATS_BUCKETS - 1;
    return idx;
}

/* The value reported for bucket idx: itself, or the bucket's midpoint. */
static uint32_t rtt_stats_bucket_value(uint32_t idx)
{
    uint32_t group;
    uint32_t sub;
    unsigned int shift;
    uint64_t lo;

    if (idx < RTT_STATS_LINEAR)
        return idx;
    group = (idx - RTT_STATS_LINEAR) / RTT_STATS_SUB;
    sub = (idx - RTT_STATS_LINEAR) % RTT_STATS_SUB;
    shift = group + RTT_STATS_LINEAR_BITS - RTT_STATS_SUB_BITS;
    lo = (uint64_t)(RTT_STATS_SUB + sub) << shift;
    return (uint32_t)(lo + ((uint64_t)1 << shift) / 2);
}

void rtt_stats_init(struct rtt_stats *st)
{
    memset(st, 0, sizeof(*st));
}

void rtt_stats_add(struct rtt_stats *st, uint32_t us)
{
    if (st->count == 0 || us < st->min_us)
        st->min_us = us;
    if (st->count == 0 || us > st->max_us)
        st->max_us = us;
    st->count++;
    st->sum_us += us;
    st->buckets[rtt_stats_bucket(us)]++;
}

void rtt_stats_merge(struct rtt_stats *dst, const struct rtt_stats *src)
{
    uint32_t i;

    if (src->count == 0)
        return;
    if (dst->count == 0 || src->min_us < dst->min_us)
        dst->min_us = src->min_us;
    if (dst->count == 0 || src->max_us > dst->max_us)
        dst->max_us = src->max_us;
    dst->count += src->count;
    dst->sum_us += src->sum_us;
    for (i = 0; i < RTT_STATS_BUCKETS; i++)
        dst->buckets[i] += src->buckets[i];
}

double rtt_stats_avg(const struct rtt_stats *st)
{
    if (st->count == 0)
        return 0.0;
    return (double)st->sum_us / (double)st->count;
}

/* The nearest rank (1..count) of percentile p; count must not be 0. */
static uint64_t rtt_stats_rank(uint64_t count, double p)
{
    double r;

    /* !(p > 0) also catches NaN. */
    if (!(p > 0.0))
        return 1;
    if (p >= 100.0)
        return count;
    /* p * count first: exact for integral p, unlike p / 100 * count. */
    r = ceil(p * (double)count / 100.0);
    if (r < 1.0)
        return 1;
    if (r >= (double)count)
        return count;
    return (uint64_t)r;
}

uint32_t rtt_stats_percentile(const struct rtt_stats *st, double p)
{
    uint64_t rank;
    uint64_t seen = 0;
    uint32_t idx;
    uint32_t v;

    if (st->count == 0)
        return 0;
    rank = rtt_stats_rank(st->count, p);
    /* The extremes are known exactly; no need for a bucket's value. */
    if (rank == 1)
        return st->min_us;
    if (rank == st->count)
        return st->max_us;
    for (idx = 0; idx < RTT_STATS_BUCKETS - 1; idx++) {
        seen += st->buckets[idx];
        if (seen >= rank)
            break;
    }
    v = rtt_stats_bucket_value(idx);
    if (v < st->min_us)
        return st->min_us;
    if (v > st->max_us)
        return st->max_us;
    return v;
}
