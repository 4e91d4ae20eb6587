/*
 * perf_compare.h - sctpu-perf -c HOST --compare: the same test on every
 * backend (usrsctp, then the kernel), one after the other with identical
 * settings, through the ordinary client (perf_client_run_outcome), then
 * a side-by-side table (text) or one JSON document (-J; docs/perf-json.md).
 * A backend this host cannot run gets a column that says why.
 */
#ifndef SCTPU_PERF_COMPARE_H
#define SCTPU_PERF_COMPARE_H

#include "perf.h"
#include "perf_report.h"
#include "transport.h"

/* Add one association's state (the client, as the data ends) to o. */
void perf_compare_note_assoc(struct perf_outcome *o,
                             const struct transport_assoc_info *info);

/* Sum a finished test's directions and CPU figures into o. */
void perf_compare_note_final(struct perf_outcome *o,
                             const struct perf_report_final *fin);

/*
 * The settings both runs share, made explicit from cfg (buffers, SACK
 * timing and frequency, nodelay, and the MTU of the route toward the
 * server when --mtu is not given), so no backend falls back on a default
 * of its own. Writes what it chose into *out.
 */
void perf_compare_settings(const struct perf_config *cfg,
                           struct perf_config *out);

#endif /* SCTPU_PERF_COMPARE_H */
