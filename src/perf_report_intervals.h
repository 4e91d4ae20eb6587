/*
 * perf_report_intervals.h - when one end of a test reports an interval and
 * what the interval holds. The client and the server both run their
 * intervals through this, so both ends cut them the same way:
 *
 * - boundaries at k * -i from the counting start, each timer armed for its
 *   boundary (never "last tick + -i", which drifts and can fire early);
 * - the -O warm-up first, its intervals flagged omitted, then the counts
 *   reset and the boundaries restart from the end of the warm-up;
 * - no regular interval ends within PERF_REPORT_SHORT_FRACTION * -i of a
 *   timed test's end: the last, partial interval covers that tail;
 * - the last interval ends where this end's data ended (its senders
 *   stopping, its receivers' last data), not when the test wound down.
 */
#ifndef SCTPU_PERF_REPORT_INTERVALS_H
#define SCTPU_PERF_REPORT_INTERVALS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>

#include "perf_flow.h"
#include "perf_report.h"
#include "runtime.h"

struct event_base;
struct perf_intervals;

struct perf_intervals_setup {
    struct event_base *base;
    struct perf_report *rep;
    struct perf_flow *const *flows; /* the owner's, nflows of them */
    unsigned int nflows;
    /* the owner's runtime, for the retransmission-timeout count (usrsctp
     * counts them process-wide: a server running several tests at once
     * reports them all in each) */
    const struct runtime *rt;
    bool sends;    /* this end sends on every flow */
    bool receives; /* this end receives on every flow */
    /* --rr: rows carry transactions (the client's sender rows, with
     * latencies; the server's receiver rows, the requests it answered) */
    bool rr;
    double interval_s; /* -i; 0 = no interval reports */
    double omit_s;     /* -O */
    double duration_s; /* a timed test's -t; 0 = it ends by -n or -k */
    /* The owner's counting start, set before perf_intervals_start; moved
     * to the end of the warm-up when -O ends. */
    uint64_t *start_ns;
    /* The owner's mark for CPU use, taken again when -O ends. */
    struct rusage *ru_start;
    /* The owner's: association i's receiver heard END, and its period
     * (seconds from *start_ns to its last data). */
    const bool *recv_done;
    const double *recv_secs;
};

/* Start reporting (and warming up); NULL when out of memory. */
struct perf_intervals *
perf_intervals_start(const struct perf_intervals_setup *s);

/* All data is through: report the last, partial interval (unless it is
 * too short to say anything) and stop the timer. */
void perf_intervals_finish(struct perf_intervals *iv);

/* Stop and free; NULL is fine. */
void perf_intervals_free(struct perf_intervals *iv);

/*
 * The end of regular interval k (k >= 1), in seconds from the counting
 * start, or < 0 when there is none: a timed test's last stretch belongs
 * to the last, partial interval.
 */
double perf_intervals_boundary(double interval_s, double duration_s,
                               unsigned int k);

#endif /* SCTPU_PERF_REPORT_INTERVALS_H */
