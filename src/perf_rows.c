/*
 * perf_rows.c - report directions from flows.
 */
#include <string.h>

#include "log.h"
#include "perf_loss_hint.h"
#include "perf_rows.h"

void perf_rows_add_dir(struct perf_report_dir *dirs, size_t *n, unsigned int id,
                       bool sender, bool outbound, double secs,
                       const struct perf_dir_counts *counts)
{
    struct perf_report_dir *d = &dirs[(*n)++];

    d->id = id;
    d->sender = sender;
    d->outbound = outbound;
    d->seconds = secs;
    d->counts = counts;
}

double perf_rows_span_secs(uint64_t start_ns, uint64_t end_ns)
{
    return end_ns > start_ns ? (double)(end_ns - start_ns) / 1e9 : 0;
}

static double tv_secs(const struct timeval *tv)
{
    return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

void perf_rows_cpu_parts(const struct rusage *from, double wall_s, double *user,
                         double *sys)
{
    struct rusage now;

    getrusage(RUSAGE_SELF, &now);
    *user = wall_s > 0 ? (tv_secs(&now.ru_utime) - tv_secs(&from->ru_utime)) *
                             100.0 / wall_s
                       : 0;
    *sys = wall_s > 0 ? (tv_secs(&now.ru_stime) - tv_secs(&from->ru_stime)) *
                            100.0 / wall_s
                      : 0;
}

uint64_t perf_rows_timeouts(const struct runtime *rt)
{
    struct transport_counters c;

    transport_get_counters(rt->t, &c);
    return c.rtx_timeouts;
}

void perf_rows_warn_timeouts(const struct runtime *rt,
                             uint64_t timeouts_at_start, uint64_t retransmits,
                             struct perf_flow *flow, double secs,
                             const char *sender)
{
    struct perf_loss_facts f;
    struct transport_assoc_info info;
    struct transport_rto rto;
    char hint[512];

    memset(&f, 0, sizeof(f));
    transport_get_rto(rt->t, &rto);
    f.timeouts = perf_rows_timeouts(rt) - timeouts_at_start;
    f.retransmits = retransmits;
    f.seconds = secs;
    f.rto_min_ms = rto.min_ms;
    if (flow != NULL && transport_get_info(perf_flow_conn(flow), &info) == 0)
        f.srtt_us = info.srtt_us;
    f.sender = sender;
    if (perf_loss_hint(hint, sizeof(hint), &f))
        log_warn("%s", hint);
}

uint64_t perf_rows_retransmits(struct perf_flow *const *flows, unsigned int n)
{
    uint64_t sum = 0;
    unsigned int i;

    for (i = 0; i < n; i++)
        sum += perf_flow_sent(flows[i])->retransmits;
    return sum;
}

double perf_rows_longest(const double *secs, unsigned int n, double fallback)
{
    double longest = 0;
    unsigned int i;

    for (i = 0; i < n; i++)
        if (secs[i] > longest)
            longest = secs[i];
    return longest > 0 ? longest : fallback;
}
