/*
 * echo_main.c - sctpu-echo: parse the command line and run a role.
 * Entered from sctpu_main.c (the one multi-call binary).
 */
#include <stdio.h>
#include <string.h>

#include "host_check.h"
#include "echo.h"
#include "echo_cli.h"
#include "log.h"
#include "tool_mains.h"
#include "version_info.h"
#include "workers.h"

static int serve(void *cfg)
{
    return echo_server_run(cfg);
}

/* The role, with --pcap's file around it (created before the first
 * packet, closed and reported after the last). */
static int run_role(struct echo_config *cfg, const char *prog)
{
    char err[256];
    int rc;

    if (sock_opts_pcap_open(&cfg->sock, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        return ECHO_EXIT_USAGE;
    }
    if (cfg->server && cfg->workers > 1)
        rc = workers_run(cfg->workers, serve, cfg);
    else if (cfg->server)
        rc = echo_server_run(cfg);
    else if (cfg->parallel > 0)
        rc = echo_many_run(cfg);
    else
        rc = cfg->compare ? echo_compare_run(cfg) : echo_client_run(cfg);
    if (sock_opts_pcap_close(&cfg->sock, prog) < 0 && rc == ECHO_EXIT_OK)
        rc = ECHO_EXIT_FAIL;
    return rc;
}

int echo_main(int argc, char **argv)
{
    const char *prog = "sctpu-echo";
    struct echo_config cfg;
    char err[256];

    log_init(prog, LOG_LEVEL_INFO);
    switch (echo_cli_parse(&cfg, argc, argv, err, sizeof(err))) {
    case ECHO_CLI_HELP:
        echo_cli_usage(stdout, prog);
        return ECHO_EXIT_OK;
    case ECHO_CLI_VERSION:
        version_info_print(stdout, prog, cfg.json);
        return ECHO_EXIT_OK;
    case ECHO_CLI_ERROR:
        fprintf(stderr, "%s: %s\nTry '%s --help'.\n", prog, err, prog);
        return ECHO_EXIT_USAGE;
    case ECHO_CLI_CHECK:
        return host_check_main(stdout, cfg.backend, cfg.json);
    case ECHO_CLI_RUN:
        break;
    }
    log_init(prog, cfg.verbosity >= 2   ? LOG_LEVEL_DEBUG
                   : cfg.verbosity == 1 ? LOG_LEVEL_INFO
                                        : LOG_LEVEL_WARN);
    /* Results stream to pipes and log files line by line. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    return run_role(&cfg, prog);
}
