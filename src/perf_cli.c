/*
 * perf_cli.c - parse and check sctpu-perf's arguments: the option table,
 * which role may use which option, and the getopt loop. Each option's
 * value is read in perf_cli_values.c; the options are checked against
 * each other in perf_cli_check.c.
 *
 * Option names follow iperf3's where the meaning is the same, so that an
 * iperf3 command line for an SCTP test runs unchanged (its --sctp is
 * accepted and ignored). Unlike iperf3, conflicting options are refused
 * instead of one silently overriding the other.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cli_util.h"
#include "echo.h"
#include "perf_cli.h"
#include "perf_cli_priv.h"
#include "perf_usage.h"

#define TIME_MAX 86400.0
#define INTERVAL_MIN 0.1
#define INTERVAL_MAX 60.0
#define IDLE_TIMEOUT_MAX 86400.0  /* --idle-timeout, s */
#define HELLO_TIMEOUT_MAX 3600.0  /* --hello-timeout, s */
#define MAX_DURATION_MAX 604800.0 /* --max-duration: a week */

/* Both servers on one host must not fight over one UDP port. */
_Static_assert(PERF_DEFAULT_UDP_PORT != ECHO_DEFAULT_UDP_PORT,
               "sctpu-perf and sctpu-echo need default UDP ports of their own");

/* clang-format off */
static const struct option longopts[] = {
    { "server",            no_argument,       NULL, 's' },
    { "client",            required_argument, NULL, 'c' },
    { "port",              required_argument, NULL, 'p' },
    { "udp-port",          required_argument, NULL, OPT_UDP_PORT },
    { "local-udp-port",    required_argument, NULL, OPT_LOCAL_UDP_PORT },
    { "udp-per-assoc",     no_argument,       NULL, OPT_UDP_PER_ASSOC },
    { "cport",             required_argument, NULL, OPT_CPORT },
    { "bind",              required_argument, NULL, 'B' },
    { "version4",          no_argument,       NULL, '4' },
    { "version6",          no_argument,       NULL, '6' },
    { "backend",           required_argument, NULL, OPT_BACKEND },
    { "check",             no_argument,       NULL, OPT_CHECK },
    { "compare",           no_argument,       NULL, OPT_COMPARE },
    { "time",              required_argument, NULL, 't' },
    { "bytes",             required_argument, NULL, 'n' },
    { "blockcount",        required_argument, NULL, 'k' },
    { "omit",              required_argument, NULL, 'O' },
    { "interval",          required_argument, NULL, 'i' },
    { "bitrate",           required_argument, NULL, 'b' },
    { "bandwidth",         required_argument, NULL, 'b' },
    { "length",            required_argument, NULL, 'l' },
    { "len",               required_argument, NULL, 'l' },
    { "window",            required_argument, NULL, 'w' },
    { "parallel",          required_argument, NULL, 'P' },
    { "nstreams",          required_argument, NULL, OPT_NSTREAMS },
    { "stream",            required_argument, NULL, OPT_STREAM },
    { "scheduler",         required_argument, NULL, OPT_SCHEDULER },
    { "interleave",        no_argument,       NULL, OPT_INTERLEAVE },
    { "ppid",              required_argument, NULL, OPT_PPID },
    { "reverse",           no_argument,       NULL, 'R' },
    { "bidir",             no_argument,       NULL, OPT_BIDIR },
    { "rr",                required_argument, NULL, OPT_RR },
    { "rr-burst",          required_argument, NULL, OPT_RR_BURST },
    { "unordered",         no_argument,       NULL, 'u' },
    { "pr-policy",         required_argument, NULL, OPT_PR_POLICY },
    { "pr-value",          required_argument, NULL, OPT_PR_VALUE },
    { "sack-delay",        required_argument, NULL, OPT_SACK_DELAY },
    { "sack-freq",         required_argument, NULL, OPT_SACK_FREQ },
    { "rto-min",           required_argument, NULL, OPT_RTO_MIN },
    { "rto-max",           required_argument, NULL, OPT_RTO_MAX },
    { "rto-initial",       required_argument, NULL, OPT_RTO_INITIAL },
    { "hb-interval",       required_argument, NULL, OPT_HB_INTERVAL },
    { "nodelay",           no_argument,       NULL, 'N' },
    { "no-delay",          no_argument,       NULL, 'N' },
    { "mtu",               required_argument, NULL, OPT_MTU },
    { "verify",            no_argument,       NULL, OPT_VERIFY },
    { "no-control",        no_argument,       NULL, OPT_NO_CONTROL },
    { "get-server-output", no_argument,       NULL, OPT_GET_SERVER_OUTPUT },
    { "one-off",           no_argument,       NULL, '1' },
    { "max-clients",       required_argument, NULL, OPT_MAX_CLIENTS },
    { "timeout",           required_argument, NULL, OPT_TIMEOUT },
    { "json",              no_argument,       NULL, 'J' },
    { "json-stream",       no_argument,       NULL, OPT_JSON_STREAM },
    { "csv",               no_argument,       NULL, OPT_CSV },
    { "title",             required_argument, NULL, 'T' },
    { "timestamps",        optional_argument, NULL, OPT_TIMESTAMPS },
    { "connect-timeout",   required_argument, NULL, OPT_CONNECT_TIMEOUT },
    { "connect-rate",      required_argument, NULL, OPT_CONNECT_RATE },
    { "idle-timeout",      required_argument, NULL, OPT_IDLE_TIMEOUT },
    { "rcv-timeout",       required_argument, NULL, OPT_RCV_TIMEOUT },
    { "server-bitrate-limit", required_argument, NULL, OPT_SERVER_RATE_LIMIT },
    { "max-associations",  required_argument, NULL, OPT_MAX_ASSOCS },
    { "max-peers",         required_argument, NULL, OPT_MAX_PEERS },
    { "hello-timeout",     required_argument, NULL, OPT_HELLO_TIMEOUT },
    { "workers",           required_argument, NULL, OPT_WORKERS },
    { "max-duration",      required_argument, NULL, OPT_MAX_DURATION },
    { "max-buffer-memory", required_argument, NULL, OPT_MAX_BUFFER_MEMORY },
    { "affinity",          required_argument, NULL, 'A' },
    { "verbose",           no_argument,       NULL, 'V' },
    { "forceflush",        no_argument,       NULL, OPT_FORCEFLUSH },
    { "logfile",           required_argument, NULL, OPT_LOGFILE },
    { "sctp",              no_argument,       NULL, OPT_SCTP },
    { "help",              no_argument,       NULL, 'h' },
    { "version",           no_argument,       NULL, 'v' },
    SOCK_OPTS_LONGOPTS,
    /* perf_refused_opts, in its order; a value is allowed so that iperf3's
     * "--congestion=cubic" gets the reason too */
    { "udp",               optional_argument, NULL, OPT_REFUSED + 0 },
    { "zerocopy",          optional_argument, NULL, OPT_REFUSED + 1 },
    { "congestion",        optional_argument, NULL, OPT_REFUSED + 2 },
    { "set-mss",           optional_argument, NULL, OPT_REFUSED + 3 },
    { NULL,                0,                 NULL, 0 },
};
/* clang-format on */

/*
 * '+': stop at the first non-option instead of permuting argv (we refuse
 * operands anyway); ':': report a missing value as ':', not '?'.
 */
static const char shortopts[] =
    "+:sc:p:B:46t:n:k:O:i:b:l:w:P:RuN1JVhvZCMT:A:S:";

/* Which role may use an option. */
enum perf_cli_scope {
    SCOPE_ANY,
    SCOPE_CLIENT,
    SCOPE_SERVER,
};

static enum perf_cli_scope option_scope(int c)
{
    switch (c) {
    case 't':
    case 'n':
    case 'k':
    case 'O':
    case 'b':
    case 'l':
    case 'P':
    case 'R':
    case 'u':
    case OPT_BIDIR:
    case OPT_RR:
    case OPT_RR_BURST:
    case OPT_NSTREAMS:
    case OPT_STREAM:
    case OPT_SCHEDULER:
    case OPT_PPID:
    case OPT_PR_POLICY:
    case OPT_PR_VALUE:
    case OPT_VERIFY:
    case OPT_GET_SERVER_OUTPUT:
    case OPT_CPORT:
    case OPT_LOCAL_UDP_PORT:
    case OPT_UDP_PER_ASSOC:
    case OPT_CONNECT_TIMEOUT:
    case OPT_CONNECT_RATE:
    case OPT_COMPARE:
        return SCOPE_CLIENT;
    case '1':
    case OPT_MAX_CLIENTS:
    case OPT_IDLE_TIMEOUT:
    case OPT_SERVER_RATE_LIMIT:
    case OPT_MAX_ASSOCS:
    case OPT_MAX_PEERS:
    case OPT_WORKERS:
    case OPT_HELLO_TIMEOUT:
    case OPT_MAX_DURATION:
    case OPT_MAX_BUFFER_MEMORY:
        return SCOPE_SERVER;
    default:
        return SCOPE_ANY;
    }
}

static void config_defaults(struct perf_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->family = AF_UNSPEC;
    cfg->port = PERF_DEFAULT_PORT;
    cfg->udp_port = PERF_DEFAULT_UDP_PORT;
    cfg->duration_s = 10.0;
    cfg->interval_s = 1.0;
    cfg->length = PERF_DEFAULT_LEN;
    cfg->parallel = 1;
    cfg->nstreams = 1;
    cfg->rr_burst = 1;
    cfg->max_clients = 1;
    cfg->timeout_s = 8.0;
    cfg->cpu = -1;
    cfg->server_rate_period_s = PERF_RATE_PERIOD_S;
    cfg->max_assocs = PERF_DEFAULT_MAX_ASSOCS;
    cfg->workers = 1;
    cfg->hello_timeout_s = PERF_DEFAULT_HELLO_TIMEOUT_S;
    cfg->max_duration_s = PERF_DEFAULT_MAX_DURATION_S;
    cfg->max_buffer_bytes = PERF_DEFAULT_MAX_BUFFER;
}

/*
 * The socket options sctpu-echo shares (cli_util.c parses them alike):
 * 0, -1 with err written, or 1 when c is none of them.
 */
static int apply_socket_option(struct perf_config *cfg,
                               struct perf_cli_state *st, int c,
                               const char *opt, const char *arg, char *err,
                               size_t errlen)
{
    int rc = sock_opts_parse(&cfg->sock, c, opt, arg, err, errlen);

    if (rc <= 0)
        return rc;
    switch (c) {
    case OPT_NSTREAMS:
        st->nstreams_given = true;
        return 1; /* read as the other numbers are */
    }
    return 1;
}

/* One option with its argument into cfg; 0 or -1 with err written. */
static int apply_option(struct perf_config *cfg, struct perf_cli_state *st,
                        int c, const char *opt, const char *arg, char *err,
                        size_t errlen)
{
    int rc = apply_socket_option(cfg, st, c, opt, arg, err, errlen);

    if (rc <= 0)
        return rc;
    switch (c) {
    case 's':
        st->server = true;
        return 0;
    case 'c':
        st->client = true;
        return perf_cli_set_host(cfg, st, opt, arg, err, errlen);
    case 'p':
        snprintf(st->port_opt, sizeof(st->port_opt), "%s", opt);
        return perf_cli_apply_number(cfg, c, opt, arg, err, errlen);
    case 'B':
        return perf_cli_set_bind(cfg, opt, arg, err, errlen);
    case OPT_BACKEND:
        return perf_cli_set_string(&cfg->backend, opt, arg, "a backend name",
                                   err, errlen);
    case OPT_LOGFILE:
        return perf_cli_set_string(&cfg->logfile, opt, arg, "a file name", err,
                                   errlen);
    case 'T':
        return perf_cli_set_string(&cfg->title, opt, arg, "a title", err,
                                   errlen);
    case OPT_TIMESTAMPS:
        return perf_cli_set_timestamps(cfg, opt, arg, err, errlen);
    case OPT_IDLE_TIMEOUT:
        return perf_cli_set_seconds(&cfg->idle_timeout_s, opt, arg, 0.1,
                                    IDLE_TIMEOUT_MAX, false, "0.1-86400 s", err,
                                    errlen);
    case OPT_SERVER_RATE_LIMIT:
        return perf_cli_set_rate_limit(cfg, opt, arg, err, errlen);
    case OPT_CONNECT_RATE:
        return perf_cli_set_connect_rate(cfg, opt, arg, err, errlen);
    case OPT_HELLO_TIMEOUT:
        return perf_cli_set_seconds(&cfg->hello_timeout_s, opt, arg, 0.1,
                                    HELLO_TIMEOUT_MAX, false, "0.1-3600 s", err,
                                    errlen);
    case OPT_MAX_DURATION:
        return perf_cli_set_seconds(
            &cfg->max_duration_s, opt, arg, 0, MAX_DURATION_MAX, false,
            "0 = no ceiling, up to 604800 s", err, errlen);
    case 'A':
        return perf_cli_set_cpu(cfg, opt, arg, err, errlen);
    case OPT_STREAM:
        if (perf_stream_spec_add(&cfg->streams, arg, err, errlen) == 0)
            return 0;
        /* err says "'ARG': why"; name the option too */
        {
            char why[256];

            snprintf(why, sizeof(why), "%s", err);
            snprintf(err, errlen, "%s %s", opt, why);
        }
        return -1;
    case OPT_SCHEDULER:
        return perf_cli_set_scheduler(cfg, opt, arg, err, errlen);
    case OPT_INTERLEAVE:
        cfg->interleave = true;
        return 0;
    case OPT_PPID:
        return perf_cli_set_ppids(cfg, opt, arg, err, errlen);
    case 't':
        st->time = true;
        return perf_cli_set_seconds(
            &cfg->duration_s, opt, arg, 0, TIME_MAX, false,
            "0 = until interrupted, up to 86400 s", err, errlen);
    case 'O':
        return perf_cli_set_seconds(&cfg->omit_s, opt, arg, 0, TIME_MAX, false,
                                    "0-86400 s", err, errlen);
    case 'i':
        if (perf_cli_set_seconds(&cfg->interval_s, opt, arg, 0, INTERVAL_MAX,
                                 false, "0 or 0.1-60 s", err, errlen) < 0)
            return -1;
        if (cfg->interval_s != 0 && cfg->interval_s < INTERVAL_MIN)
            return cli_fail_num(err, errlen, opt, arg, -ERANGE,
                                "0 or 0.1-60 s");
        return 0;
    case OPT_TIMEOUT:
        return perf_cli_set_seconds(&cfg->timeout_s, opt, arg, 0.1, 3600, false,
                                    "0.1-3600 s", err, errlen);
    case 'b':
        return perf_cli_set_rate(cfg, opt, arg, err, errlen);
    case OPT_PR_POLICY:
        return perf_cli_set_pr_policy(cfg, opt, arg, err, errlen);
    case OPT_PR_VALUE:
        st->pr_value = arg;
        return 0;
    case 'n':
        st->bytes = true;
        return perf_cli_apply_number(cfg, c, opt, arg, err, errlen);
    case 'k':
        st->blocks = true;
        return perf_cli_apply_number(cfg, c, opt, arg, err, errlen);
    case 'l':
        st->length = true;
        return perf_cli_apply_number(cfg, c, opt, arg, err, errlen);
    case '4':
        cfg->family = AF_INET;
        return 0;
    case '6':
        cfg->family = AF_INET6;
        return 0;
    case 'R':
        cfg->reverse = true;
        return 0;
    case OPT_BIDIR:
        cfg->bidir = true;
        return 0;
    case OPT_RR:
        st->rr = true;
        return perf_cli_set_rr(cfg, opt, arg, err, errlen);
    case OPT_RR_BURST:
        st->rr_burst = true;
        return perf_cli_apply_number(cfg, c, opt, arg, err, errlen);
    case 'u':
        cfg->unordered = true;
        return 0;
    case 'N':
        cfg->nodelay = true;
        return 0;
    case OPT_VERIFY:
        cfg->verify = true;
        return 0;
    case OPT_UDP_PER_ASSOC:
        cfg->udp_per_assoc = true;
        return 0;
    case OPT_NO_CONTROL:
        cfg->no_control = true;
        return 0;
    case OPT_COMPARE:
        cfg->compare = true;
        return 0;
    case OPT_GET_SERVER_OUTPUT:
        cfg->get_server_output = true;
        return 0;
    case '1':
        cfg->one_off = true;
        return 0;
    case 'J':
        cfg->json = true;
        return 0;
    case OPT_JSON_STREAM:
        cfg->json = true;
        cfg->json_stream = true;
        return 0;
    case OPT_CSV:
        cfg->csv = true;
        return 0;
    case 'V':
        cfg->verbose = true;
        return 0;
    case OPT_FORCEFLUSH:
        cfg->forceflush = true;
        return 0;
    case OPT_SCTP:
        /* iperf3 picks SCTP with it; we speak nothing else. */
        return 0;
    }
    rc = perf_cli_apply_number(cfg, c, opt, arg, err, errlen);
    if (rc > 0) {
        snprintf(err, errlen, "%s: not handled", opt);
        return -1;
    }
    return rc;
}

/* An iperf3 option refused with its reason: -1 with err written, else 0. */
static int refused(int c, const char *name, char *err, size_t errlen)
{
    size_t i;

    for (i = 0; i < PERF_N_REFUSED; i++) {
        if (c == OPT_REFUSED + (int)i || (perf_refused_opts[i].letter != 0 &&
                                          c == perf_refused_opts[i].letter)) {
            snprintf(err, errlen, "%s: %s", name, perf_refused_opts[i].why);
            return -1;
        }
    }
    return 0;
}

/* Remember the first option that only one role may use. */
static void note_scope(struct perf_cli_state *st, int c, const char *name)
{
    enum perf_cli_scope scope = option_scope(c);

    if (scope == SCOPE_CLIENT && st->client_only[0] == '\0')
        snprintf(st->client_only, sizeof(st->client_only), "%s", name);
    else if (scope == SCOPE_SERVER && st->server_only[0] == '\0')
        snprintf(st->server_only, sizeof(st->server_only), "%s", name);
}

enum perf_cli_result perf_cli_parse(struct perf_config *cfg, int argc,
                                    char **argv, char *err, size_t errlen)
{
    struct perf_cli_state st;
    bool check = false;   /* --check */
    bool version = false; /* --version: with -J, if given after it */
    int c;

    config_defaults(cfg);
    memset(&st, 0, sizeof(st));
    optind = 0; /* glibc: full re-initialisation, for repeat calls */
    opterr = 0;
    for (;;) {
        char name[32];

        c = cli_getopt(argc, argv, shortopts, longopts, name, sizeof(name), err,
                       errlen);
        if (c == -1)
            break;
        if (c == '?')
            return PERF_CLI_ERROR;
        if (c == 'h')
            return PERF_CLI_HELP;
        if (c == 'v') {
            version = true;
            continue;
        }
        if (c == OPT_CHECK) {
            check = true;
            continue;
        }
        if (refused(c, name, err, errlen) < 0)
            return PERF_CLI_ERROR;
        note_scope(&st, c, name);
        if (apply_option(cfg, &st, c, name, optarg, err, errlen) < 0)
            return PERF_CLI_ERROR;
    }
    if (optind < argc) {
        snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
        return PERF_CLI_ERROR;
    }
    if (version)
        return PERF_CLI_VERSION; /* -J prints it as JSON */
    if (check)
        return PERF_CLI_CHECK; /* with --backend and -J, if given */
    if (perf_cli_check(cfg, &st, err, errlen) < 0)
        return PERF_CLI_ERROR;
    return PERF_CLI_RUN;
}
