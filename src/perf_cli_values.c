/*
 * perf_cli_values.c - read the value of one sctpu-perf option into the
 * config: rates (-b, --server-bitrate-limit), hosts (-c, -B), seconds,
 * the numbers and sizes of a fixed range (one table), the CPU, PPIDs and
 * the timestamp format. Each says what is wrong in one line. Which
 * option calls which is perf_cli.c's table.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli_util.h"
#include "host_port.h"
#include "perf_cli_priv.h"
#include "perf_proto.h"
#include "perf_report.h"
#include "units.h"
#include "workers.h"

#define WINDOW_MIN 4096u
#define WINDOW_MAX (256u * 1024 * 1024)
#define MTU_MIN 552u /* IPv4 + UDP + SCTP headers + 512 */
#define MTU_MAX 65536u
#define BURST_MAX 1000u
#define MAX_CLIENTS 64u
#define MAX_ASSOCS 65535u /* --max-associations */
/* --max-buffer-memory: room for one -l 1M test at least; 64G at most */
#define BUFFER_MEMORY_MIN (UINT64_C(1) << 20)
#define BUFFER_MEMORY_MAX (UINT64_C(64) << 30)
#define CPU_MAX 1023u /* CPU_SETSIZE - 1 */
#define RATE_PERIOD_MAX                                                        \
    3600u /*
 * --rr REQ[/RESP]: sizes as -l takes them (1-16M, k/m/g suffixes); RESP
 * defaults to REQ, as netperf's SCTP_RR does.
 */
int perf_cli_set_rr(struct perf_config *cfg, const char *opt, const char *arg,
                    char *err, size_t errlen)
{
    const char *slash = strchr(arg, '/');
    char req[64];
    uint64_t q = 0;
    uint64_t r = 0;
    size_t n = slash != NULL ? (size_t)(slash - arg) : strlen(arg);
    int rc;

    if (n >= sizeof(req))
        return cli_fail(err, errlen, opt, arg,
                        "is not REQ[/RESP] (sizes in bytes)");
    memcpy(req, arg, n);
    req[n] = '\0';
    rc = units_parse_size(req, 1, PERF_MAX_LEN, &q);
    if (rc == 0 && slash != NULL)
        rc = units_parse_size(slash + 1, 1, PERF_MAX_LEN, &r);
    else
        r = q;
    if (rc == -ERANGE)
        return cli_fail(err, errlen, opt, arg,
                        "is out of range: REQ and RESP are 1-16M bytes");
    if (rc != 0)
        return cli_fail(err, errlen, opt, arg,
                        "is not REQ[/RESP] (sizes in bytes, e.g. 64 or "
                        "100/20000)");
    cfg->length = (uint32_t)q;
    cfg->rr_resp = (uint32_t)r;
    return 0;
}

/* --server-bitrate-limit RATE/SEC */
#define TIMEOUT_MS_MAX 3600000u  /* --connect-timeout, --rcv-timeout */
#define DEFAULT_TIMESTAMPS "%c " /* iperf3's --timestamps format */

/* -b RATE[/BURST] into cfg->rate_bps and cfg->burst. */
int perf_cli_set_rate(struct perf_config *cfg, const char *opt, const char *arg,
                      char *err, size_t errlen)
{
    const char *end = NULL;
    uint64_t rate = 0;
    uint64_t burst = 0;
    int rc;

    rc = units_parse_bitrate_prefix(arg, &end, &rate);
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
int perf_cli_set_host(struct perf_config *cfg, struct perf_cli_state *st,
                      const char *opt, const char *arg, char *err,
                      size_t errlen)
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
int perf_cli_set_bind(struct perf_config *cfg, const char *opt, const char *arg,
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
int perf_cli_set_string(const char **out, const char *opt, const char *arg,
                        const char *what, char *err, size_t errlen)
{
    if (arg[0] == '\0') {
        snprintf(err, errlen, "%s needs %s", opt, what);
        return -1;
    }
    *out = arg;
    return 0;
}

int perf_cli_set_pr_policy(struct perf_config *cfg, const char *opt,
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
int perf_cli_set_seconds(double *out, const char *opt, const char *arg,
                         double min, double max, bool positive,
                         const char *range, char *err, size_t errlen)
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

int perf_cli_set_connect_rate(struct perf_config *cfg, const char *opt,
                              const char *arg, char *err, size_t errlen)
{
    char num[32];
    size_t n = strlen(arg);
    uint64_t v = 0;
    int rc;

    /* "500" or "500/s" */
    if (n >= 2 && strcmp(arg + n - 2, "/s") == 0)
        n -= 2;
    if (n == 0 || n >= sizeof(num))
        return cli_fail_num(err, errlen, opt, arg, -EINVAL,
                            "1-100000 per second");
    memcpy(num, arg, n);
    num[n] = '\0';
    rc = units_parse_u64(num, 1, PERF_MAX_CONNECT_RATE, &v);
    if (rc != 0)
        return cli_fail_num(err, errlen, opt, arg, rc, "1-100000 per second");
    cfg->connect_rate = (uint32_t)v;
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
    { 'P',                false, 1,          PERF_MAX_PARALLEL, "1-10000" },
    { OPT_NSTREAMS,       false, 1,          PERF_MAX_STREAMS,  "1-1024" },
    { OPT_RR_BURST,       false, 1,          PERF_RR_BURST_MAX, "1-256" },
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
    { OPT_MAX_ASSOCS,     false, 1,          MAX_ASSOCS,        "1-65535" },
    { OPT_MAX_PEERS,      false, 16,         1048576,           "16-1048576" },
    { OPT_WORKERS,        false, 1,          WORKERS_MAX,       "1-64" },
    { OPT_MAX_BUFFER_MEMORY, true, BUFFER_MEMORY_MIN, BUFFER_MEMORY_MAX, "1M-64G" },
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
    case OPT_RR_BURST:
        cfg->rr_burst = (uint32_t)v;
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
    case OPT_MAX_ASSOCS:
        cfg->max_assocs = (unsigned int)v;
        break;
    case OPT_MAX_PEERS:
        cfg->max_peers = (uint32_t)v;
        break;
    case OPT_WORKERS:
        cfg->workers = (unsigned int)v;
        break;
    case OPT_MAX_BUFFER_MEMORY:
        cfg->max_buffer_bytes = v;
        break;
    }
}

/*
 * A numeric option from the table: 0, -1 with err written, or 1 when c is
 * not one of them.
 */
int perf_cli_apply_number(struct perf_config *cfg, int c, const char *opt,
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
 * averaging period (default 5): tests that ask for more are refused
 * before they start, and a running test whose average over a period
 * exceeds RATE is ended.
 */
int perf_cli_set_rate_limit(struct perf_config *cfg, const char *opt,
                            const char *arg, char *err, size_t errlen)
{
    const char *end = NULL;
    uint64_t rate = 0;
    uint64_t secs = 0;
    int rc;

    rc = units_parse_bitrate_prefix(arg, &end, &rate);
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
    if (secs != 0)
        cfg->server_rate_period_s = (uint32_t)secs;
    return 0;
}

/* -A N: the CPU to run on. iperf3's N,M also pins the server to M, which
 * our control protocol cannot ask for: refused rather than half done. */
int perf_cli_set_cpu(struct perf_config *cfg, const char *opt, const char *arg,
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
int perf_cli_set_ppids(struct perf_config *cfg, const char *opt,
                       const char *arg, char *err, size_t errlen)
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
int perf_cli_set_timestamps(struct perf_config *cfg, const char *opt,
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
