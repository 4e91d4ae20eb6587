/*
 * perf_cli_priv.h - what sctpu-perf's option parser (perf_cli.c) hands to
 * its checks (perf_cli_check.c), which need every option at once.
 */
#ifndef SCTPU_PERF_CLI_PRIV_H
#define SCTPU_PERF_CLI_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perf.h"

/* What the option loop saw, for the checks that need every option. */
struct perf_cli_state {
    bool server;            /* -s */
    bool client;            /* -c */
    bool time;              /* -t */
    bool bytes;             /* -n */
    bool blocks;            /* -k */
    bool length;            /* -l */
    const char *pr_value;   /* read once the policy is known */
    const char *client_arg; /* -c as given, for messages */
    uint16_t host_port;     /* the SCTP port -c HOST:PORT named; 0 = none */
    char port_opt[32];      /* "-p" or "--port" when given, for messages */
    char client_only[32];   /* the first client-only option, as named */
    char server_only[32];   /* the first server-only option, as named */
    bool nstreams_given;    /* --nstreams */
};

/*
 * The options against each other, once all are known: the role and its
 * options, -p and -c HOST:PORT, RTO bounds, timeouts, socket options, and
 * for a client the test's length, PR-SCTP, message size, streams, ports
 * and PPIDs. Fills what follows from them (cfg->role ...). 0, or -1 with
 * err written.
 */
int perf_cli_check(struct perf_config *cfg, const struct perf_cli_state *st,
                   char *err, size_t errlen);

#endif /* SCTPU_PERF_CLI_PRIV_H */
