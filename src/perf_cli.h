/*
 * perf_cli.h - sctpu-perf's command line.
 */
#ifndef SCTPU_PERF_CLI_H
#define SCTPU_PERF_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "perf.h"

/* SCTP socket buffers when -w is not given; -l must fit in them. */
#define PERF_CLI_DEFAULT_WINDOW (2u * 1024 * 1024)
/* ... and under --compare, where both backends get them set explicitly
 * (Linux SCTP does not tune its buffers to the path). */
#define PERF_CLI_COMPARE_WINDOW (4u * 1024 * 1024)

enum perf_cli_result {
    PERF_CLI_RUN = 0, /* cfg is complete: run it */
    PERF_CLI_HELP,    /* -h, --help: print usage, exit 0 */
    PERF_CLI_VERSION, /* -v, --version: print versions, exit 0 */
    PERF_CLI_ERROR,   /* err says what is wrong: exit 2 */
    PERF_CLI_CHECK,   /* --check: report what this host can do */
};

/*
 * Fill cfg from argv (defaults first) with iperf3's option names, check
 * every value and the options against each other and against the role.
 * On PERF_CLI_RUN at most one of duration_s, bytes and messages is
 * non-zero (none: -t 0, no limit), and the role's options are all valid. argv is not modified;
 * cfg may point into it. On PERF_CLI_ERROR err holds one line that names
 * the offending option.
 */
enum perf_cli_result perf_cli_parse(struct perf_config *cfg, int argc,
                                    char **argv, char *err, size_t errlen);

void perf_cli_usage(FILE *out, const char *prog);

#endif /* SCTPU_PERF_CLI_H */
