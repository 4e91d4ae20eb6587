/*
 * perf_loss_hint.c - the "timers, not the path" warning of sctpu-perf.
 */
#include <inttypes.h>
#include <stdio.h>

#include "perf_loss_hint.h"

bool perf_loss_hint(char *buf, size_t len, const struct perf_loss_facts *f)
{
    double stalled_s = (double)f->timeouts * f->rto_min_ms / 1000.0;
    /* at least 1 ms: below that, 10 RTTs are still no sane RTO.Min */
    uint64_t rtt_us = f->srtt_us > 1000 ? f->srtt_us : 1000;

    if (len > 0)
        buf[0] = '\0';
    if (f->timeouts == 0 || f->retransmits == 0 || f->seconds <= 0 ||
        f->rto_min_ms <= PERF_LOSS_HINT_RTO_MIN ||
        (uint64_t)f->rto_min_ms * 1000 < 10 * rtt_us ||
        stalled_s < 0.1 * f->seconds)
        return false;
    snprintf(buf, len,
             "%" PRIu64 " retransmission timeout%s (T3-rtx) stalled the "
             "sender for at least %.1f s of %.1f s: with RTO.Min %" PRIu32
             " ms on a path whose SRTT is %" PRIu32
             " us, the timers, not the path, set this throughput; "
             "--rto-min %d on the sending end (%s) shows what the path "
             "allows",
             f->timeouts, f->timeouts == 1 ? "" : "s",
             stalled_s < f->seconds ? stalled_s : f->seconds, f->seconds,
             f->rto_min_ms, f->srtt_us, PERF_LOSS_HINT_RTO_MIN,
             f->sender != NULL ? f->sender : "the sender");
    return true;
}
