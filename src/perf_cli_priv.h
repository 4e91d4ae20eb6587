/*
 * perf_cli_priv.h - what sctpu-perf's option parser (perf_cli.c) shares
 * with the readers of option values (perf_cli_values.c) and the checks
 * (perf_cli_check.c), which need every option at once.
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
    bool rr;                /* --rr */
    bool rr_burst;          /* --rr-burst */
    const char *pr_value;   /* read once the policy is known */
    const char *client_arg; /* -c as given, for messages */
    uint16_t host_port;     /* the SCTP port -c HOST:PORT named; 0 = none */
    char port_opt[32];      /* "-p" or "--port" when given, for messages */
    char client_only[32];   /* the first client-only option, as named */
    char server_only[32];   /* the first server-only option, as named */
    bool nstreams_given;    /* --nstreams */
};

/* getopt's codes of the long options without a letter. */
enum {
    OPT_UDP_PORT = 256,
    OPT_LOCAL_UDP_PORT,
    OPT_UDP_PER_ASSOC,
    OPT_CPORT,
    OPT_BACKEND,
    OPT_CHECK,
    OPT_COMPARE,
    OPT_NSTREAMS,
    OPT_BIDIR,
    OPT_PR_POLICY,
    OPT_PR_VALUE,
    OPT_SACK_DELAY,
    OPT_SACK_FREQ,
    OPT_RTO_MIN,
    OPT_RTO_MAX,
    OPT_RTO_INITIAL,
    OPT_HB_INTERVAL,
    OPT_MTU,
    OPT_VERIFY,
    OPT_NO_CONTROL,
    OPT_GET_SERVER_OUTPUT,
    OPT_MAX_CLIENTS,
    OPT_TIMEOUT,
    OPT_FORCEFLUSH,
    OPT_LOGFILE,
    OPT_SCTP,
    OPT_TIMESTAMPS,
    OPT_JSON_STREAM,
    OPT_CONNECT_TIMEOUT,
    OPT_IDLE_TIMEOUT,
    OPT_RCV_TIMEOUT,
    OPT_SERVER_RATE_LIMIT,
    OPT_PPID,
    OPT_MAX_ASSOCS,
    OPT_MAX_PEERS,
    OPT_HELLO_TIMEOUT,
    OPT_MAX_DURATION,
    OPT_MAX_BUFFER_MEMORY,
    OPT_WORKERS,
    OPT_RR,
    OPT_RR_BURST,
    OPT_CONNECT_RATE,
    OPT_STREAM, /* --stream SPEC (perf_cli_streams.c) */
    OPT_SCHEDULER,
    OPT_INTERLEAVE,
    OPT_CSV,
    OPT_REFUSED, /* OPT_REFUSED + i: perf_refused_opts[i] */
};

/* perf_cli_values.c: one option's value into cfg. Each returns 0, or -1
 * with err written ("OPT: 'ARG' is ..."); opt is the option as named. */

/* -b RATE[/BURST] into cfg->rate_bps and cfg->burst. */
int perf_cli_set_rate(struct perf_config *cfg, const char *opt, const char *arg,
                      char *err, size_t errlen);

/* --server-bitrate-limit RATE[/SEC]. */
int perf_cli_set_rate_limit(struct perf_config *cfg, const char *opt,
                            const char *arg, char *err, size_t errlen);

/* -c HOST[:PORT] or a list a,b (multihoming); the port goes into st. */
int perf_cli_set_host(struct perf_config *cfg, struct perf_cli_state *st,
                      const char *opt, const char *arg, char *err,
                      size_t errlen);

/* -B a,b: local addresses, no ports. */
int perf_cli_set_bind(struct perf_config *cfg, const char *opt, const char *arg,
                      char *err, size_t errlen);

/* A string option that must not be empty (what: "a file name"). */
int perf_cli_set_string(const char **out, const char *opt, const char *arg,
                        const char *what, char *err, size_t errlen);

/* --pr-policy ttl|rtx|buf. */
int perf_cli_set_pr_policy(struct perf_config *cfg, const char *opt,
                           const char *arg, char *err, size_t errlen);

/* Seconds in [min, max] (above 0 when positive); range for messages. */
int perf_cli_set_seconds(double *out, const char *opt, const char *arg,
                         double min, double max, bool positive,
                         const char *range, char *err, size_t errlen);

/* An option of the numeric table (-p, -l, -w, ...): 0, -1 with err
 * written, or 1 when c is not one of them. */
int perf_cli_apply_number(struct perf_config *cfg, int c, const char *opt,
                          const char *arg, char *err, size_t errlen);

/* --connect-rate N[/s]: association set-ups started per second. */
int perf_cli_set_connect_rate(struct perf_config *cfg, const char *opt,
                              const char *arg, char *err, size_t errlen);

/* -A N: the CPU to run on. */
int perf_cli_set_cpu(struct perf_config *cfg, const char *opt, const char *arg,
                     char *err, size_t errlen);

/* --rr REQ[/RESP]: cfg->length and cfg->rr_resp (RESP defaults to REQ). */
int perf_cli_set_rr(struct perf_config *cfg, const char *opt, const char *arg,
                    char *err, size_t errlen);

/* --ppid N[,N...]: the data messages' PPIDs. */
int perf_cli_set_ppids(struct perf_config *cfg, const char *opt,
                       const char *arg, char *err, size_t errlen);

/* --timestamps[=FMT] (arg NULL: iperf3's default format). */
int perf_cli_set_timestamps(struct perf_config *cfg, const char *opt,
                            const char *arg, char *err, size_t errlen);

/*
 * The options against each other, once all are known: the role and its
 * options, -p and -c HOST:PORT, RTO bounds, timeouts, socket options, and
 * for a client the test's length, PR-SCTP, message size, streams, ports
 * and PPIDs. Fills what follows from them (cfg->role ...). 0, or -1 with
 * err written.
 */
int perf_cli_check(struct perf_config *cfg, const struct perf_cli_state *st,
                   char *err, size_t errlen);

/* perf_cli_streams.c: --stream. Before --nstreams is settled: without
 * --nstreams or --outstreams, the data streams become the listed ones'
 * span. After: the specs against every other option, then resolved. */
void perf_cli_streams_default(struct perf_config *cfg,
                              const struct perf_cli_state *st);
int perf_cli_check_streams(struct perf_config *cfg, char *err, size_t errlen);

/* --scheduler NAME. */
int perf_cli_set_scheduler(struct perf_config *cfg, const char *opt,
                           const char *arg, char *err, size_t errlen);

/* --scheduler and --interleave against the backend and direction. */
int perf_cli_check_sched(const struct perf_config *cfg, char *err,
                         size_t errlen);

#endif /* SCTPU_PERF_CLI_PRIV_H */
