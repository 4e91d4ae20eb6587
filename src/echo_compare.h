/*
 * echo_compare.h - sctpu-echo -c HOST --compare: the same echo run on
 * every backend (usrsctp, then the kernel), one after the other with
 * identical settings, through the ordinary client
 * (echo_client_run_outcome); then their round-trip times side by side
 * (text), or one JSON object (-J; docs/compare.md). A backend this host
 * cannot run gets a column that says why.
 */
#ifndef SCTPU_ECHO_COMPARE_H
#define SCTPU_ECHO_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "echo.h"

/* How one backend's column came out. */
enum echo_compare_status {
    ECHO_COMPARE_OK = 0,
    ECHO_COMPARE_UNAVAILABLE, /* this host cannot run it: not a failure */
    ECHO_COMPARE_FAILED,      /* it ran and not every echo was verified */
};

/* One column of the comparison. */
struct echo_compare_column {
    const char *backend;
    char stack[96]; /* this client's SCTP stack (a kernel's release);
                       "" when the backend is not built in */
    enum echo_compare_status status;
    char why[512]; /* unavailable or failed: the reason */
    struct echo_outcome out;
};

/* The settings both runs share, made explicit from cfg: the delayed SACK
 * (ECHO_COMPARE_SACK_*) when --sack-delay/--sack-freq are not given, the
 * MTU of the route toward the server when --mtu is not (buffers are
 * explicit from the command line already). */
void echo_compare_settings(const struct echo_config *cfg,
                           struct echo_config *out);

void echo_compare_print_header(FILE *out, const struct echo_config *shared);
void echo_compare_print_table(FILE *out, const struct echo_compare_column *cols,
                              size_t ncols);
void echo_compare_print_json(FILE *out, const struct echo_config *shared,
                             const struct echo_compare_column *cols,
                             size_t ncols);

/* 0 when at least one backend ran and none failed, 1 when one failed, 2
 * when none could run. */
int echo_compare_exit(const struct echo_compare_column *cols, size_t ncols);

#endif /* SCTPU_ECHO_COMPARE_H */
