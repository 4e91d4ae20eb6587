/*
 * perf_tuning.c - see perf_tuning.h.
 */
#include <string.h>

#include "perf_tuning.h"

void perf_tuning_from_config(const struct perf_config *c,
                             struct perf_tuning *out)
{
    memset(out, 0, sizeof(*out));
    /* --rr: a request or response must not wait for the SACK of the one
     * before (Nagle), or the latency measured would be the SACK delay. */
    out->nodelay = c->nodelay || c->rr_resp != 0;
    out->sack_delay_ms = c->sack_delay_ms;
    out->sack_freq = c->sack_freq;
    if (c->rate_bps == 0 || c->length >= PERF_SMALL_MESSAGE || c->nodelay ||
        c->sack_delay_ms != 0 || c->sack_freq != 0)
        return;
    out->nodelay = true;
    out->sack_freq = 1;
    out->small_paced = true;
}
