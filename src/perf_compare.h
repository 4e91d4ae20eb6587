/*
 * perf_compare.h - sctpu-perf -c HOST --compare: the same test on every
 * backend (usrsctp, then the kernel), one after the other with identical
 * settings, through the ordinary client (perf_client_run_outcome), then
 * a side-by-side table (text) or one JSON document (-J; docs/perf-json.md).
 * A backend this host cannot run gets a column that says why.
 */
#ifndef SCTPU_PERF_COMPARE_H
#define SCTPU_PERF_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include "perf.h"
#include "perf_report.h"
#include "transport.h"

/* How one backend's column came out. */
enum perf_compare_status {
    PERF_COMPARE_OK = 0,
    PERF_COMPARE_UNAVAILABLE, /* this host cannot run it: not a failure */
    PERF_COMPARE_FAILED,      /* it ran and the test failed */
};

/* One column of the comparison. */
struct perf_compare_column {
    const char *backend;
    char stack[96]; /* this client's SCTP stack (a kernel's release);
                       "" when the backend is not built in */
    enum perf_compare_status status;
    char why[512]; /* unavailable or failed: the reason */
    struct perf_outcome out;
};

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

/* The fairness header, the table and the closing line, as text. */
void perf_compare_print_header(FILE *out, const struct perf_config *shared);
void perf_compare_print_table(FILE *out, const struct perf_compare_column *cols,
                              size_t ncols);

/* The comparison as one JSON document; 0, or -1 if it could not be made. */
int perf_compare_print_json(FILE *out, const struct perf_config *shared,
                            const struct perf_compare_column *cols,
                            size_t ncols);

/* The exit status of a comparison: 0 when at least one backend ran and
 * none failed, 1 when one failed, 2 when none could run. */
int perf_compare_exit(const struct perf_compare_column *cols, size_t ncols);

#endif /* SCTPU_PERF_COMPARE_H */
