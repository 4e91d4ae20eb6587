/*
 * perf_cli.c - parse and check sctpu-perf's arguments.
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
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "cli_util.h"
#include "echo.h"
#include "host_port.h"
#include "perf_cli.h"
#include "perf_cli_priv.h"
#include "perf_proto.h"
#include "perf_report.h"
#include "perf_usage.h"
#include "perf_verify.h"
#include "units.h"

#define WINDOW_MIN 4096u
#define WINDOW_MAX (256u * 1024 * 1024)
#define MTU_MIN 552u /* IPv4 + UDP + SCTP headers + 512 */
#define MTU_MAX 65536u
#define BURST_MAX 1000u
#define TIME_MAX 86400.0
#define INTERVAL_MIN 0.1
#define INTERVAL_MAX 60.0
#define MAX_CLIENTS 64u
#define CPU_MAX 1023u            /* CPU_SETSIZE - 1 */
#define RATE_PERIOD_MAX 3600u    /* --server-bitrate-limit RATE/SEC */
#define TIMEOUT_MS_MAX 3600000u  /* --connect-timeout, --rcv-timeout */
#define IDLE_TIMEOUT_MAX 86400.0 /* --idle-timeout, s */
#define DEFAULT_TIMESTAMPS "%c " /* iperf3's --timestamps format */

/* Both servers on one host must not fight over one UDP port. */
_Static_assert(PERF_DEFAULT_UDP_PORT != ECHO_DEFAULT_UDP_PORT,
               "sctpu-perf and sctpu-echo need default UDP ports of their own");

/* Rates keep at most 12 fraction digits: enough for the largest suffix. */
#define RATE_FRAC_DEN UINT64_C(1000000000000)

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
    OPT_REFUSED, /* OPT_REFUSED + i: perf_refused_opts[i] */
};

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
    { "ppid",              required_argument, NULL, OPT_PPID },
    { "reverse",           no_argument,       NULL, 'R' },
    { "bidir",             no_argument,       NULL, OPT_BIDIR },
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
    { "title",             required_argument, NULL, 'T' },
    { "timestamps",        optional_argument, NULL, OPT_TIMESTAMPS },
    { "connect-timeout",   required_argument, NULL, OPT_CONNECT_TIMEOUT },
    { "idle-timeout",      required_argument, NULL, OPT_IDLE_TIMEOUT },
    { "rcv-timeout",       required_argument, NULL, OPT_RCV_TIMEOUT },
    { "server-bitrate-limit", required_argument, NULL, OPT_SERVER_RATE_LIMIT },
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
    case OPT_NSTREAMS:
    case OPT_PPID:
    case OPT_PR_POLICY:
    case OPT_PR_VALUE:
    case OPT_VERIFY:
    case OPT_GET_SERVER_OUTPUT:
    case OPT_CPORT:
    case OPT_LOCAL_UDP_PORT:
    case OPT_UDP_PER_ASSOC:
    case OPT_CONNECT_TIMEOUT:
    case OPT_COMPARE:
        return SCOPE_CLIENT;
    case '1':
    case OPT_MAX_CLIENTS:
    case OPT_IDLE_TIMEOUT:
    case OPT_SERVER_RATE_LIMIT:
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
    cfg->max_clients = 1;
    cfg->timeout_s = 8.0;
    cfg->cpu = -1;
}

/* The multiplier of a decimal rate suffix, or 0 when c is not one. */
static uint64_t rate_mult(char c)
{
    switch (c) {
    case 'k':
    case 'K':
        return UINT64_C(1000);
    case 'm':
    case 'M':
        return UINT64_C(1000000);
    case 'g':
    case 'G':
        return UINT64_C(1000000000);
    case 't':
    case 'T':
        return UINT64_C(1000000000000);
    default:
        return 0;
    }
}

/*
 * A rate in bits/s as iperf3 reads -b: digits with an optional fraction
 * and an optional decimal suffix ("100", "50M", "2.5G"). *end is set past
 * it, so that the caller decides what may follow. Integer arithmetic
 * only, so that "10G" is exactly 10000000000.
 */
static int parse_rate(const char *s, const char **end, uint64_t *out)
{
    const char *p = s;
    uint64_t whole = 0;
    uint64_t frac = 0;
    uint64_t den = 1;
    uint64_t mult;
    uint64_t part;
    bool digits = false;
    bool overflow = false;

    for (; *p >= '0' && *p <= '9'; p++) {
        uint64_t d = (uint64_t)(*p - '0');

        digits = true;
        if (whole > (UINT64_MAX - d) / 10)
            overflow = true;
        else
            whole = whole * 10 + d;
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++) {
            digits = true;
            if (den < RATE_FRAC_DEN) {
                frac = frac * 10 + (uint64_t)(*p - '0');
                den *= 10;
            }
        }
    }
    *end = p;
    if (!digits)
        return -EINVAL;
    mult = rate_mult(*p);
    if (mult == 0)
        mult = 1;
    else
        *end = p + 1;
    if (overflow || whole > UINT64_MAX / mult)
        return -ERANGE;
    /* Both are powers of ten; frac < den keeps the product below mult. */
    if (den <= mult)
        part = frac * (mult / den);
    else
        part = frac / (den / mult);
    if (whole * mult > UINT64_MAX - part)
        return -ERANGE;
    *out = whole * mult + part;
    return 0;
}

/* -b RATE[/BURST] into cfg->rate_bps and cfg->burst. */
static int set_rate(struct perf_config *cfg, const char *opt, const char *arg,
                    char *err, size_t errlen)
{
    const char *end = NULL;
    uint64_t rate = 0;
    uint64_t burst = 0;
    int rc;

    rc = parse_rate(arg, &end, &rate);
    if (rc == -EINVAL || (*end != '\0' && *end != '/'))
        return cli_fail(err, errlen, opt, arg, "is not a valid rate");
    if (rc != 0)
        return cli_fail(err, errlen, opt, arg,
                        "is out of range (0-18446744073709551615 bits/s)");
    if (*end == '/') {
        rc = units_parse_u64(end + 1, 1, BURST_MAX, &burst);
        if (rc == -ERANGE) {
            snprintf(err, errlen, "%s: burst '%s' is out of range (1-%u)", opt,
                     end + 1, BURST_MAX);
            return -1;
        }
        if (rc != 0) {
            snprintf(err, errlen, "%s: burst '%s' is not a valid number", opt,
                     end + 1);
            return -1;
        }
    }
    cfg->rate_bps = rate;
    cfg->burst = (uint32_t)burst;
    return 0;
}

/*
 * -c HOST, HOST:PORT, [IPV6] or [IPV6]:PORT, or a list "a,b,c" of the
 * server's addresses (multihoming), kept as "a,b,c" without brackets or
 * ports. The port is checked against -p once every option is known.
 */
static int set_host(struct perf_config *cfg, struct perf_cli_state *st,
                    const char *opt, const char *arg, char *err, size_t errlen)
{
    struct host_list l;
    int rc = host_list_parse(arg, &l);

    if (rc == 0)
        rc = host_list_join(&l, cfg->host, sizeof(cfg->host));
    if (rc != 0)
        return cli_fail(err, errlen, opt, arg, host_port_strerror(rc));
    st->host_port = l.port;
    st->client_arg = arg;
    return 0;
}

/* -B a,b: local addresses (several: multihoming), no ports; *out
 * borrows argv and the workloads split it. */
static int set_bind(struct perf_config *cfg, const char *opt, const char *arg,
                    char *err, size_t errlen)
{
    struct host_list l;
    int rc;

    if (arg[0] == '\0') {
        snprintf(err, errlen, "%s needs an address", opt);
        return -1;
    }
    rc = host_list_parse(arg, &l);
    if (rc == 0 && l.port != 0)
        return cli_fail(err, errlen, opt, arg,
                        "names a port: -B takes addresses only (the SCTP "
                        "port is -p or --cport)");
    if (rc != 0)
        return cli_fail(err, errlen, opt, arg, host_port_strerror(rc));
    cfg->bind_host = arg;
    return 0;
}

/* A string option that must not be empty; *out borrows argv. */
static int set_string(const char **out, const char *opt, const char *arg,
                      const char *what, char *err, size_t errlen)
{
    if (arg[0] == '\0') {
        snprintf(err, errlen, "%s needs %s", opt, what);
        return -1;
    }
    *out = arg;
    return 0;
}

static int set_pr_policy(struct perf_config *cfg, const char *opt,
                         const char *arg, char *err, size_t errlen)
{
    if (strcmp(arg, "ttl") == 0)
        cfg->pr_policy = PERF_PR_TTL;
    else if (strcmp(arg, "rtx") == 0)
        cfg->pr_policy = PERF_PR_RTX;
    else if (strcmp(arg, "buf") == 0)
        cfg->pr_policy = PERF_PR_BUF;
    else
        return cli_fail(err, errlen, opt, arg,
                        "is not a policy (ttl, rtx, buf)");
    return 0;
}

/*
 * Seconds in [min, max] that must also be above zero when positive is
 * set: units_parse_seconds() bounds are inclusive.
 */
static int set_seconds(double *out, const char *opt, const char *arg,
                       double min, double max, bool positive, const char *range,
                       char *err, size_t errlen)
{
    double v = 0;
    int rc;

    rc = units_parse_seconds(arg, min, max, &v);
    if (rc == 0 && positive && v <= 0)
        rc = -ERANGE;
    if (rc != 0)
        return cli_fail_num(err, errlen, opt, arg, rc, range);
    *out = v;
    return 0;
}

/* An option whose value is a plain number or size in a fixed range. */
struct perf_cli_num {
    int opt;
    bool size; /* k/m/g suffixes (x1024) allowed */
    uint64_t min;
    uint64_t max;
    const char *range; /* for messages */
};

/* clang-format off */
static const struct perf_cli_num numeric_opts[] = {
    { 'p',                false, 1,          UINT16_MAX,        "1-65535" },
    { OPT_UDP_PORT,       false, 1,          UINT16_MAX,        "1-65535" },
    { OPT_LOCAL_UDP_PORT, false, 0,          UINT16_MAX,        "0-65535" },
    { OPT_CPORT,          false, 0,          UINT16_MAX,        "0-65535" },
    { 'n',                true,  1,          UINT64_MAX,        "at least 1" },
    { 'k',                false, 1,          UINT64_MAX,        "at least 1" },
    { 'l',                true,  1,          PERF_MAX_LEN,      "1-16M" },
    { 'w',                true,  WINDOW_MIN, WINDOW_MAX,        "4k-256M" },
    { 'P',                false, 1,          PERF_MAX_PARALLEL, "1-128" },
    { OPT_NSTREAMS,       false, 1,          PERF_MAX_STREAMS,  "1-1024" },
    { OPT_SACK_DELAY,     false, 1,          500,               "1-500 ms" },
    { OPT_SACK_FREQ,      false, 1,          100,               "1-100" },
    { OPT_RTO_MIN,        false, 10,         600000,            "10-600000 ms" },
    { OPT_RTO_MAX,        false, 10,         600000,            "10-600000 ms" },
    { OPT_RTO_INITIAL,    false, 10,         600000,            "10-600000 ms" },
    { OPT_HB_INTERVAL,    false, 100,        3600000,           "100-3600000 ms" },
    { OPT_MTU,            false, MTU_MIN,    MTU_MAX,           "552-65536" },
    { OPT_MAX_CLIENTS,    false, 1,          MAX_CLIENTS,       "1-64" },
    { OPT_CONNECT_TIMEOUT, false, 1,         TIMEOUT_MS_MAX,    "1-3600000 ms" },
    { OPT_RCV_TIMEOUT,    false, 100,        TIMEOUT_MS_MAX,    "100-3600000 ms" },
};
/* clang-format on */

#define N_NUMERIC_OPTS (sizeof(numeric_opts) / sizeof(numeric_opts[0]))

/* Store a checked value; the table's ranges make every cast lossless. */
static void store_number(struct perf_config *cfg, int c, uint64_t v)
{
    switch (c) {
    case 'p':
        cfg->port = (uint16_t)v;
        break;
    case OPT_UDP_PORT:
        cfg->udp_port = (uint16_t)v;
        break;
    case OPT_LOCAL_UDP_PORT:
        cfg->local_udp_port = (uint16_t)v;
        break;
    case OPT_CPORT:
        cfg->local_sctp_port = (uint16_t)v;
        break;
    case 'n':
        cfg->bytes = v;
        break;
    case 'k':
        cfg->messages = v;
        break;
    case 'l':
        cfg->length = (uint32_t)v;
        break;
    case 'w':
        cfg->window = (uint32_t)v;
        break;
    case 'P':
        cfg->parallel = (unsigned int)v;
        break;
    case OPT_NSTREAMS:
        cfg->nstreams = (uint16_t)v;
        break;
    case OPT_SACK_DELAY:
        cfg->sack_delay_ms = (uint32_t)v;
        break;
    case OPT_SACK_FREQ:
        cfg->sack_freq = (uint32_t)v;
        break;
    case OPT_RTO_MIN:
        cfg->rto_min_ms = (uint32_t)v;
        break;
    case OPT_RTO_MAX:
        cfg->rto_max_ms = (uint32_t)v;
        break;
    case OPT_RTO_INITIAL:
        cfg->rto_initial_ms = (uint32_t)v;
        break;
    case OPT_HB_INTERVAL:
        cfg->hb_interval_ms = (uint32_t)v;
        break;
    case OPT_MTU:
        cfg->mtu = (uint32_t)v;
        break;
    case OPT_MAX_CLIENTS:
        cfg->max_clients = (unsigned int)v;
        break;
    case OPT_CONNECT_TIMEOUT:
        cfg->connect_timeout_ms = (uint32_t)v;
        break;
    case OPT_RCV_TIMEOUT:
        cfg->rcv_timeout_ms = (uint32_t)v;
        break;
    }
}

/*
 * A numeric option from the table: 0, -1 with err written, or 1 when c is
 * not one of them.
 */
static int apply_number(struct perf_config *cfg, int c, const char *opt,
                        const char *arg, char *err, size_t errlen)
{
    const struct perf_cli_num *num = NULL;
    uint64_t v = 0;
    size_t i;
    int rc;

    for (i = 0; i < N_NUMERIC_OPTS && num == NULL; i++) {
        if (numeric_opts[i].opt == c)
            num = &numeric_opts[i];
    }
    if (num == NULL)
        return 1;
    if (num->size)
        rc = units_parse_size(arg, num->min, num->max, &v);
    else
        rc = units_parse_u64(arg, num->min, num->max, &v);
    if (rc != 0)
        return cli_fail_num(err, errlen, opt, arg, rc, num->range);
    store_number(cfg, c, v);
    return 0;
}

/*
 * --server-bitrate-limit RATE[/SEC]: RATE as -b reads it; SEC, iperf3's
 * averaging period, is checked and dropped (tests over the limit are
 * refused before they start, so there is nothing to average).
 */
static int set_rate_limit(struct perf_config *cfg, const char *opt,
                          const char *arg, char *err, size_t errlen)
{
    const char *end = NULL;
    uint64_t rate = 0;
    uint64_t secs = 0;
    int rc;

    rc = parse_rate(arg, &end, &rate);
    if (rc == -EINVAL || (*end != '\0' && *end != '/'))
        return cli_fail(err, errlen, opt, arg, "is not a valid rate");
    if (rc != 0)
        return cli_fail(err, errlen, opt, arg,
                        "is out of range (0-18446744073709551615 bits/s)");
    if (*end == '/' &&
        units_parse_u64(end + 1, 1, RATE_PERIOD_MAX, &secs) != 0) {
        snprintf(err, errlen, "%s: averaging period '%s' is not 1-%u seconds",
                 opt, end + 1, RATE_PERIOD_MAX);
        return -1;
    }
    cfg->server_rate_limit_bps = rate;
    return 0;
}

/* -A N: the CPU to run on. iperf3's N,M also pins the server to M, which
 * our control protocol cannot ask for: refused rather than half done. */
static int set_cpu(struct perf_config *cfg, const char *opt, const char *arg,
                   char *err, size_t errlen)
{
    const char *comma = strchr(arg, ',');
    char first[24];
    size_t len = comma ? (size_t)(comma - arg) : strlen(arg);
    uint64_t v = 0;
    int rc = -EINVAL;

    if (len < sizeof(first)) {
        memcpy(first, arg, len);
        first[len] = '\0';
        rc = units_parse_u64(first, 0, CPU_MAX, &v);
    }
    if (rc != 0)
        return cli_fail_num(err, errlen, opt, arg, rc, "0-1023");
    if (comma != NULL) {
        snprintf(err, errlen,
                 "%s %s: only this end's CPU can be set (the server cannot "
                 "be asked to pin itself): give the server its own %s",
                 opt, arg, opt);
        return -1;
    }
    cfg->cpu = (int)v;
    return 0;
}

/* One PPID: 0-4294967295, decimal or 0x hex; 0 or a units_parse error. */
static int parse_ppid(const char *s, uint32_t *out)
{
    uint64_t v = 0;
    const char *p = s + 2;
    int rc;

    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) {
        rc = units_parse_u64(s, 0, UINT32_MAX, &v);
        if (rc == 0)
            *out = (uint32_t)v;
        return rc;
    }
    if (*p == '\0')
        return -EINVAL;
    for (; *p != '\0'; p++) {
        char c = *p;
        unsigned int d;

        if (c >= '0' && c <= '9')
            d = (unsigned int)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned int)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned int)(c - 'A' + 10);
        else
            return -EINVAL;
        /* Keep scanning past an overflow: junk after it is -EINVAL. */
        v = v > UINT32_MAX ? v : v * 16 + d;
    }
    if (v > UINT32_MAX)
        return -ERANGE;
    *out = (uint32_t)v;
    return 0;
}

/*
 * --ppid N[,N...]: the data messages' PPIDs, stream i taking the
 * (i % count)th. The control PPID is refused: the receiver tells control
 * messages from data by it. The count is checked against --nstreams once
 * both are known.
 */
static int set_ppids(struct perf_config *cfg, const char *opt, const char *arg,
                     char *err, size_t errlen)
{
    const char *p = arg;
    uint16_t n = 0;

    for (;;) {
        size_t len = strcspn(p, ",");
        char one[24];
        uint32_t v = 0;
        int rc = -EINVAL;

        if (n == PERF_MAX_PPIDS) {
            snprintf(err, errlen, "%s: more than %u PPIDs (one per stream)",
                     opt, PERF_MAX_PPIDS);
            return -1;
        }
        if (len < sizeof(one)) {
            memcpy(one, p, len);
            one[len] = '\0';
            rc = len > 0 ? parse_ppid(one, &v) : -EINVAL;
        }
        if (rc == -ERANGE) {
            snprintf(err, errlen,
                     "%s: '%s' is out of range (0-4294967295 or "
                     "0x0-0xffffffff)",
                     opt, one);
            return -1;
        }
        if (rc != 0) {
            snprintf(
                err, errlen,
                "%s: '%.*s' is not a PPID (0-4294967295 or 0x0-0xffffffff, "
                "comma-separated)",
                opt, (int)(len > 40 ? 40 : len), p);
            return -1;
        }
        if (v == PERF_PPID_CONTROL) {
            snprintf(err, errlen,
                     "%s: '%s' (0x%08x) is sctpu-perf's control PPID: the "
                     "receiver tells control messages from data by it; pick "
                     "another",
                     opt, one, (unsigned)PERF_PPID_CONTROL);
            return -1;
        }
        cfg->ppids[n++] = v;
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    cfg->nppids = n;
    return 0;
}

/* --timestamps[=FMT]: a strftime format that gives some text. */
static int set_timestamps(struct perf_config *cfg, const char *opt,
                          const char *arg, char *err, size_t errlen)
{
    const char *fmt = arg != NULL ? arg : DEFAULT_TIMESTAMPS;
    char buf[PERF_TIMESTAMP_MAX];

    if (perf_report_timestamp(buf, sizeof(buf), fmt, time(NULL)) == 0)
        return cli_fail(err, errlen, opt, fmt,
                        "gives no time: give a strftime format whose "
                        "output is 1-127 characters, e.g. '%H:%M:%S '");
    cfg->timestamps = fmt;
    return 0;
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
        return set_host(cfg, st, opt, arg, err, errlen);
    case 'p':
        snprintf(st->port_opt, sizeof(st->port_opt), "%s", opt);
        return apply_number(cfg, c, opt, arg, err, errlen);
    case 'B':
        return set_bind(cfg, opt, arg, err, errlen);
    case OPT_BACKEND:
        return set_string(&cfg->backend, opt, arg, "a backend name", err,
                          errlen);
    case OPT_LOGFILE:
        return set_string(&cfg->logfile, opt, arg, "a file name", err, errlen);
    case 'T':
        return set_string(&cfg->title, opt, arg, "a title", err, errlen);
    case OPT_TIMESTAMPS:
        return set_timestamps(cfg, opt, arg, err, errlen);
    case OPT_IDLE_TIMEOUT:
        return set_seconds(&cfg->idle_timeout_s, opt, arg, 0.1,
                           IDLE_TIMEOUT_MAX, false, "0.1-86400 s", err, errlen);
    case OPT_SERVER_RATE_LIMIT:
        return set_rate_limit(cfg, opt, arg, err, errlen);
    case 'A':
        return set_cpu(cfg, opt, arg, err, errlen);
    case OPT_PPID:
        return set_ppids(cfg, opt, arg, err, errlen);
    case 't':
        st->time = true;
        return set_seconds(&cfg->duration_s, opt, arg, 0, TIME_MAX, false,
                           "0 = until interrupted, up to 86400 s", err, errlen);
    case 'O':
        return set_seconds(&cfg->omit_s, opt, arg, 0, TIME_MAX, false,
                           "0-86400 s", err, errlen);
    case 'i':
        if (set_seconds(&cfg->interval_s, opt, arg, 0, INTERVAL_MAX, false,
                        "0 or 0.1-60 s", err, errlen) < 0)
            return -1;
        if (cfg->interval_s != 0 && cfg->interval_s < INTERVAL_MIN)
            return cli_fail_num(err, errlen, opt, arg, -ERANGE,
                                "0 or 0.1-60 s");
        return 0;
    case OPT_TIMEOUT:
        return set_seconds(&cfg->timeout_s, opt, arg, 0.1, 3600, false,
                           "0.1-3600 s", err, errlen);
    case 'b':
        return set_rate(cfg, opt, arg, err, errlen);
    case OPT_PR_POLICY:
        return set_pr_policy(cfg, opt, arg, err, errlen);
    case OPT_PR_VALUE:
        st->pr_value = arg;
        return 0;
    case 'n':
        st->bytes = true;
        return apply_number(cfg, c, opt, arg, err, errlen);
    case 'k':
        st->blocks = true;
        return apply_number(cfg, c, opt, arg, err, errlen);
    case 'l':
        st->length = true;
        return apply_number(cfg, c, opt, arg, err, errlen);
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
    rc = apply_number(cfg, c, opt, arg, err, errlen);
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
    bool check = false; /* --check */
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
        if (c == 'v')
            return PERF_CLI_VERSION;
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
    if (check)
        return PERF_CLI_CHECK; /* with --backend and -J, if given */
    if (perf_cli_check(cfg, &st, err, errlen) < 0)
        return PERF_CLI_ERROR;
    return PERF_CLI_RUN;
}
