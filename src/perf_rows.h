/*
 * perf_rows.h - turn flows into the report's directions: what the client
 * and the server report the same way. (Interval rows come from
 * perf_report_intervals.h.)
 */
#ifndef SCTPU_PERF_ROWS_H
#define SCTPU_PERF_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>

#include "perf_flow.h"
#include "perf_report.h"
#include "runtime.h"

/* Append one direction's final numbers to dirs[*n]. */
void perf_rows_add_dir(struct perf_report_dir *dirs, size_t *n, unsigned int id,
                       bool sender, bool outbound, double secs,
                       const struct perf_dir_counts *counts);

/* Seconds from start to end; 0 when end never came (or came first). */
double perf_rows_span_secs(uint64_t start_ns, uint64_t end_ns);

/* This process's CPU use since from, in percent of wall_s: its user and
 * system parts (one reading: the total is their sum). */
void perf_rows_cpu_parts(const struct rusage *from, double wall_s, double *user,
                         double *sys);

/* The runtime's count of DATA retransmission timeouts (process-wide). */
uint64_t perf_rows_timeouts(const struct runtime *rt);

/*
 * At the end of a test this end sent in: warn (perf_loss_hint.h) when
 * the retransmission timeouts since timeouts_at_start, not the path, set
 * its throughput. flow gives the SRTT; sender names this end.
 */
void perf_rows_warn_timeouts(const struct runtime *rt,
                             uint64_t timeouts_at_start, uint64_t retransmits,
                             struct perf_flow *flow, double secs,
                             const char *sender);

/* The longest of n periods (seconds), or fallback when none is known. */
double perf_rows_longest(const double *secs, unsigned int n, double fallback);

/* DATA chunks the n flows sent again, in all. */
uint64_t perf_rows_retransmits(struct perf_flow *const *flows, unsigned int n);

#endif /* SCTPU_PERF_ROWS_H */
