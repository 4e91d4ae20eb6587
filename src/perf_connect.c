/*
 * perf_connect.c - the client's set-up pacing and percentiles
 * (perf_connect.h).
 */
#include <math.h>
#include <stdlib.h>

#include "perf_connect.h"

void perf_connect_bucket_init(struct perf_connect_bucket *b, uint32_t rate,
                              uint64_t now_ns)
{
    b->rate = rate;
    b->burst = rate / 100.0 < 1 ? 1 : rate / 100.0;
    b->tokens = 1;
    b->last_ns = now_ns;
}

bool perf_connect_bucket_take(struct perf_connect_bucket *b, uint64_t now_ns)
{
    if (b->rate <= 0)
        return true;
    if (now_ns > b->last_ns) {
        b->tokens += (double)(now_ns - b->last_ns) / 1e9 * b->rate;
        if (b->tokens > b->burst)
            b->tokens = b->burst;
        b->last_ns = now_ns;
    }
    if (b->tokens < 1)
        return false;
    b->tokens -= 1;
    return true;
}

uint64_t perf_connect_bucket_wait_ns(const struct perf_connect_bucket *b)
{
    double ns;

    if (b->rate <= 0 || b->tokens >= 1)
        return 1;
    ns = ceil((1 - b->tokens) / b->rate * 1e9);
    return ns < 1 ? 1 : (uint64_t)ns;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a;
    uint64_t y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* The smallest value with at least q of them at or below it. */
static uint64_t rank(const uint64_t *v, size_t n, double q)
{
    size_t k = (size_t)ceil(q * (double)n);

    if (k < 1)
        k = 1;
    return v[k - 1];
}

void perf_connect_percentiles(uint64_t *v, size_t n,
                              struct perf_connect_pct *out)
{
    out->p50 = out->p90 = out->p99 = out->max = 0;
    if (n == 0)
        return;
    qsort(v, n, sizeof(*v), cmp_u64);
    out->p50 = rank(v, n, 0.50);
    out->p90 = rank(v, n, 0.90);
    out->p99 = rank(v, n, 0.99);
    out->max = v[n - 1];
}
