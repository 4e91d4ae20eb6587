/*
 * perf_main.c - sctpu-perf: parse the command line and run a role.
 * Entered from sctpu_main.c (the one multi-call binary).
 */
#include <stdio.h>

#include "host_check.h"
#include "log.h"
#include "perf.h"
#include "perf_cli.h"
#include "runtime.h"
#include "tool_mains.h"
#include "version_info.h"
#include "workers.h"

static int serve(void *cfg)
{
    return perf_server_run(cfg);
}

/* The role, with --pcap's file around it (created before the first
 * packet, closed and reported after the last). */
static int run_role(struct perf_config *cfg, const char *prog)
{
    char err[256];
    int rc;

    if (sock_opts_pcap_open(&cfg->sock, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        return PERF_EXIT_USAGE;
    }
    if (cfg->role == PERF_ROLE_SERVER && cfg->workers > 1)
        rc = workers_run(cfg->workers, serve, cfg);
    else if (cfg->role == PERF_ROLE_SERVER)
        rc = perf_server_run(cfg);
    else
        rc = cfg->compare ? perf_compare_run(cfg) : perf_client_run(cfg);
    if (sock_opts_pcap_close(&cfg->sock, prog) < 0 && rc == PERF_EXIT_OK)
        rc = PERF_EXIT_FAIL;
    return rc;
}

int perf_main(int argc, char **argv)
{
    const char *prog = "sctpu-perf";
    struct perf_config cfg;
    char err[256];

    log_init(prog, LOG_LEVEL_WARN);
    switch (perf_cli_parse(&cfg, argc, argv, err, sizeof(err))) {
    case PERF_CLI_HELP:
        perf_cli_usage(stdout, prog);
        return PERF_EXIT_OK;
    case PERF_CLI_VERSION:
        version_info_print(stdout, prog, cfg.json);
        return PERF_EXIT_OK;
    case PERF_CLI_ERROR:
        fprintf(stderr, "%s: %s\nTry '%s --help'.\n", prog, err, prog);
        return PERF_EXIT_USAGE;
    case PERF_CLI_CHECK:
        return host_check_main(stdout, cfg.backend, cfg.json);
    case PERF_CLI_RUN:
        break;
    }
    if (cfg.verbose)
        log_init(prog, LOG_LEVEL_DEBUG);
    if (cfg.cpu >= 0 && runtime_pin_cpu(cfg.cpu, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        return PERF_EXIT_USAGE;
    }
    if (cfg.logfile != NULL && freopen(cfg.logfile, "a", stdout) == NULL) {
        fprintf(stderr, "%s: --logfile %s: cannot open it\n", prog,
                cfg.logfile);
        return PERF_EXIT_USAGE;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    return run_role(&cfg, prog);
}
