/*
 * echo_cli.h - sctpu-echo's command line.
 */
#ifndef SCTPU_ECHO_CLI_H
#define SCTPU_ECHO_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "echo.h"

enum echo_cli_result {
    ECHO_CLI_RUN = 0, /* cfg is complete: run it */
    ECHO_CLI_HELP,    /* -h, --help: print usage, exit 0 */
    ECHO_CLI_VERSION, /* -v, --version: print versions, exit 0 */
    ECHO_CLI_ERROR,   /* err says what is wrong: exit 2 */
    ECHO_CLI_CHECK,   /* --check: report what this host can do */
};

/*
 * Fill cfg from argv (defaults first). Accepts GNU-style options and the
 * Go sctp example's single-dash ones (-server -ip -port -lport -bufsize
 * -sndbuf -rcvbuf). argv is not modified; cfg may point into it.
 */
enum echo_cli_result echo_cli_parse(struct echo_config *cfg, int argc,
                                    char **argv, char *err, size_t errlen);

void echo_cli_usage(FILE *out, const char *prog);

#endif /* SCTPU_ECHO_CLI_H */
