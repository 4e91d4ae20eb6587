/*
 * perf_cli_check.c - sctpu-perf's options checked against each other,
 * after perf_cli.c has read them all. Unlike iperf3, a conflict is
 * refused with both options named, never settled silently.
 */
#include <stdio.h>
#include <string.h>

#include "cli_util.h"
#include "perf_cli.h"
#include "perf_cli_priv.h"
#include "perf_proto.h"
#include "perf_rr.h"
#include "perf_verify.h"
#include "runtime.h"
#include "sock_opts.h"
#include "transport.h"
#include "units.h"
#include "workers.h"

#define VERIFY_MIN_LEN PERF_VERIFY_HDR_LEN /* its header */
#define PR_TTL_MAX 600000u                 /* ms */
#define PR_RTX_MAX 100u
#define PR_BUF_MAX (256u * 1024 * 1024)

/* -c HOST:PORT names the SCTP port, as -p does: they must agree. */
static int check_ports(struct perf_config *cfg, const struct perf_cli_state *st,
                       char *err, size_t errlen)
{
    if (st->host_port == 0)
        return 0;
    if (st->port_opt[0] != '\0' && cfg->port != st->host_port) {
        snprintf(err, errlen,
                 "-c %s and %s %u name different SCTP ports: give one",
                 st->client_arg, st->port_opt, (unsigned)cfg->port);
        return -1;
    }
    cfg->port = st->host_port;
    return 0;
}

/* -s or -c, exactly one, and only that role's options. */
static int check_role(struct perf_config *cfg, const struct perf_cli_state *st,
                      char *err, size_t errlen)
{
    if (st->server && st->client) {
        snprintf(err, errlen, "-s and -c exclude each other");
        return -1;
    }
    if (!st->server && !st->client) {
        snprintf(err, errlen, "give -s (server) or -c HOST (client)");
        return -1;
    }
    if (st->server && st->client_only[0] != '\0') {
        snprintf(err, errlen, "%s is for the client (-c)", st->client_only);
        return -1;
    }
    if (st->client && st->server_only[0] != '\0') {
        snprintf(err, errlen, "%s is for the server (-s)", st->server_only);
        return -1;
    }
    cfg->role = st->server ? PERF_ROLE_SERVER : PERF_ROLE_CLIENT;
    return 0;
}

/* How the test ends: one of -t, -n, -k; -O must leave time to measure. */
static int check_length(struct perf_config *cfg,
                        const struct perf_cli_state *st, char *err,
                        size_t errlen)
{
    const char *given[3];
    size_t n = 0;

    if (st->time)
        given[n++] = "-t";
    if (st->bytes)
        given[n++] = "-n";
    if (st->blocks)
        given[n++] = "-k";
    if (n > 1) {
        snprintf(err, errlen,
                 "%s and %s exclude each other: the test ends after a "
                 "time (-t), a byte count (-n) or a message count (-k)",
                 given[0], given[1]);
        return -1;
    }
    if (st->bytes || st->blocks) {
        cfg->duration_s = 0;
        return 0;
    }
    /* -t 0: no end but an interrupt, so any -O leaves time to measure */
    if (cfg->duration_s > 0 && cfg->omit_s >= cfg->duration_s) {
        snprintf(err, errlen,
                 "-O %g leaves nothing to measure: it must be shorter than "
                 "-t %g",
                 cfg->omit_s, cfg->duration_s);
        return -1;
    }
    return 0;
}

/* --pr-policy and --pr-value come together; the policy gives the unit. */
static int check_pr(struct perf_config *cfg, const struct perf_cli_state *st,
                    char *err, size_t errlen)
{
    const char *opt = "--pr-value";
    uint64_t v = 0;
    int rc;

    if (cfg->pr_policy == PERF_PR_NONE && st->pr_value == NULL)
        return 0;
    if (st->pr_value == NULL) {
        snprintf(err, errlen, "--pr-policy needs --pr-value");
        return -1;
    }
    if (cfg->pr_policy == PERF_PR_NONE) {
        snprintf(err, errlen, "--pr-value needs --pr-policy");
        return -1;
    }
    switch (cfg->pr_policy) {
    case PERF_PR_TTL:
        rc = units_parse_u64(st->pr_value, 1, PR_TTL_MAX, &v);
        if (rc != 0)
            return cli_fail_num(err, errlen, opt, st->pr_value, rc,
                                "1-600000 ms for ttl");
        break;
    case PERF_PR_RTX:
        rc = units_parse_u64(st->pr_value, 0, PR_RTX_MAX, &v);
        if (rc != 0)
            return cli_fail_num(err, errlen, opt, st->pr_value, rc,
                                "0-100 retransmissions for rtx");
        break;
    default:
        rc = units_parse_size(st->pr_value, 1, PR_BUF_MAX, &v);
        if (rc != 0)
            return cli_fail_num(err, errlen, opt, st->pr_value, rc,
                                "1-256M bytes for buf");
        break;
    }
    cfg->pr_value = (uint32_t)v;
    return 0;
}

/* The message size against --verify's header and the send buffer. */
static int check_message(const struct perf_config *cfg,
                         const struct perf_cli_state *st, char *err,
                         size_t errlen)
{
    const char *dflt = st->length ? "" : " (the default)";

    if (cfg->verify && cfg->length < VERIFY_MIN_LEN) {
        snprintf(err, errlen,
                 "-l %u is too short for --verify: it needs at least %u "
                 "bytes (sequence number and checksum)",
                 cfg->length, VERIFY_MIN_LEN);
        return -1;
    }
    if (cfg->window != 0 && cfg->length > cfg->window) {
        snprintf(err, errlen,
                 "-l %u%s exceeds -w %u: a message must fit the send buffer",
                 cfg->length, dflt, cfg->window);
        return -1;
    }
    /* The server sends from 2M unless its own -w says otherwise; this is
     * the rule it applies too (perf_window_too_small). */
    if ((cfg->reverse || cfg->bidir) &&
        perf_window_too_small(cfg->window, cfg->length,
                              PERF_CLI_DEFAULT_WINDOW)) {
        snprintf(err, errlen,
                 "%s with -w %u: the receive buffer holds fewer than 4 "
                 "messages of -l %u%s, and usrsctp stalls delivering them "
                 "from the server's larger send buffer: give -w %llu or "
                 "more, or -l %u or less",
                 cfg->reverse ? "-R" : "--bidir", cfg->window, cfg->length,
                 dflt, (unsigned long long)cfg->length * 4, cfg->window / 4);
        return -1;
    }
    if (cfg->window == 0 && cfg->length > PERF_CLI_DEFAULT_WINDOW) {
        snprintf(err, errlen,
                 "-l %u exceeds the default 2M send buffer: a message must "
                 "fit it, so raise it with -w",
                 cfg->length);
        return -1;
    }
    return 0;
}

/*
 * --connect-timeout and --rcv-timeout narrow --timeout, the watchdog of
 * everything: a longer one would never be reached.
 */
static int check_timeouts(const struct perf_config *cfg, char *err,
                          size_t errlen)
{
    double limit_ms = cfg->timeout_s * 1000;

    if (cfg->connect_timeout_ms > limit_ms) {
        snprintf(err, errlen,
                 "--connect-timeout %u ms exceeds --timeout %g s, which "
                 "ends the wait first: raise --timeout too",
                 cfg->connect_timeout_ms, cfg->timeout_s);
        return -1;
    }
    if (cfg->rcv_timeout_ms > limit_ms) {
        snprintf(err, errlen,
                 "--rcv-timeout %u ms exceeds --timeout %g s, which ends "
                 "the wait first: raise --timeout too",
                 cfg->rcv_timeout_ms, cfg->timeout_s);
        return -1;
    }
    if (cfg->server_rate_limit_bps && cfg->no_control) {
        snprintf(err, errlen,
                 "--server-bitrate-limit needs the control channel to "
                 "refuse a test: drop --no-control");
        return -1;
    }
    return 0;
}

/* --rto-min must not exceed --rto-max when both are given. */
static int check_rto(const struct perf_config *cfg, char *err, size_t errlen)
{
    if (cfg->rto_min_ms && cfg->rto_max_ms &&
        cfg->rto_min_ms > cfg->rto_max_ms) {
        snprintf(err, errlen, "--rto-min %u is above --rto-max %u",
                 cfg->rto_min_ms, cfg->rto_max_ms);
        return -1;
    }
    return 0;
}

/*
 * A client asks for its data streams plus the control stream: with
 * --outstreams alone that decides --nstreams, with both they must agree.
 */
static int check_outstreams(struct perf_config *cfg,
                            const struct perf_cli_state *st, char *err,
                            size_t errlen)
{
    unsigned int control = cfg->no_control ? 0 : 1;
    unsigned int want = cfg->nstreams + control;

    if (cfg->sock.out_streams == 0) {
        cfg->sock.out_streams = (uint16_t)want;
        return 0;
    }
    if (st->nstreams_given && cfg->sock.out_streams != want) {
        snprintf(err, errlen,
                 "--outstreams %u disagrees with --nstreams %u: the client "
                 "asks for its data streams%s, %u; give one",
                 (unsigned)cfg->sock.out_streams, (unsigned)cfg->nstreams,
                 control ? " plus the control stream" : "", want);
        return -1;
    }
    if (cfg->sock.out_streams <= control ||
        cfg->sock.out_streams - control > PERF_MAX_STREAMS) {
        snprintf(err, errlen,
                 "--outstreams %u: a client needs %u-%u (1-%u data "
                 "streams%s)",
                 (unsigned)cfg->sock.out_streams, control + 1,
                 PERF_MAX_STREAMS + control, PERF_MAX_STREAMS,
                 control ? " plus the control stream" : "");
        return -1;
    }
    cfg->nstreams = (uint16_t)(cfg->sock.out_streams - control);
    return 0;
}

/* --udp-per-assoc with --local-udp-port P: P .. P+N-1 must all exist. */
static int check_udp_ports(const struct perf_config *cfg, char *err,
                           size_t errlen)
{
    unsigned long last = (unsigned long)cfg->local_udp_port + cfg->parallel - 1;

    if (!cfg->udp_per_assoc || cfg->local_udp_port == 0 || last <= UINT16_MAX)
        return 0;
    snprintf(err, errlen,
             "--local-udp-port %u with --udp-per-assoc -P %u needs UDP ports "
             "%u-%lu, past 65535: give a port of at most %lu",
             (unsigned)cfg->local_udp_port, cfg->parallel,
             (unsigned)cfg->local_udp_port, last,
             (unsigned long)UINT16_MAX + 1 - cfg->parallel);
    return -1;
}

/* --cport P with -P N: association i takes SCTP port P+i, all of which
 * must exist (before: 65530 -P 10 wrapped round to port 0 and on). */
static int check_cport(const struct perf_config *cfg, char *err, size_t errlen)
{
    unsigned long last =
        (unsigned long)cfg->local_sctp_port + cfg->parallel - 1;

    if (cfg->local_sctp_port == 0 || last <= UINT16_MAX)
        return 0;
    snprintf(err, errlen,
             "--cport %u with -P %u needs SCTP ports %u-%lu, past 65535: "
             "give a port of at most %lu",
             (unsigned)cfg->local_sctp_port, cfg->parallel,
             (unsigned)cfg->local_sctp_port, last,
             (unsigned long)UINT16_MAX + 1 - cfg->parallel);
    return -1;
}

/* --ppid gives at most one PPID per data stream: more would go unused. */
static int check_ppids(const struct perf_config *cfg, char *err, size_t errlen)
{
    if (cfg->nppids <= cfg->nstreams)
        return 0;
    snprintf(err, errlen,
             "--ppid gives %u PPIDs for %u data stream%s (--nstreams): at "
             "most one per stream",
             (unsigned)cfg->nppids, (unsigned)cfg->nstreams,
             cfg->nstreams == 1 ? "" : "s");
    return -1;
}

/* What backend ops cannot do, refused before any packet is sent. Under
 * -R the server sends, and checks the PR-SCTP policy itself. */
static int check_caps(const struct perf_config *cfg,
                      const struct transport_ops *ops, char *err, size_t errlen)
{
    char have[32];

    if (!cfg->reverse && !transport_has_pr_policy(ops, cfg->pr_policy)) {
        snprintf(err, errlen,
                 "--pr-policy %s: the %s backend cannot send with it (it "
                 "has: %s)",
                 transport_pr_policy_name(cfg->pr_policy), ops->name,
                 transport_pr_policy_list(ops, have, sizeof(have)));
        return -1;
    }
    if (transport_check_addrs(ops, cfg->host, err, errlen) < 0 ||
        transport_check_addrs(ops, cfg->bind_host, err, errlen) < 0)
        return -1;
    return transport_check_own_udp(ops,
                                   cfg->udp_per_assoc    ? "--udp-per-assoc"
                                   : cfg->local_udp_port ? "--local-udp-port"
                                                         : NULL,
                                   err, errlen);
}

/* The chosen backend's abilities; under --compare every backend's. */
static int check_backend_caps(const struct perf_config *cfg, char *err,
                              size_t errlen)
{
    const struct transport_ops *ops;
    size_t i;

    if (!cfg->compare) {
        ops = transport_chosen(cfg->backend);
        return ops == NULL ? 0 : check_caps(cfg, ops, err, errlen);
    }
    for (i = 0; i < TRANSPORT_KNOWN_BACKENDS; i++) {
        ops = transport_find(transport_known_backends[i]);
        if (ops != NULL && check_caps(cfg, ops, err, errlen) < 0)
            return -1;
    }
    return 0;
}

/*
 * --backend all (a server serves every backend) and --compare (a client
 * runs the test on every backend): where they fit, and --compare's
 * buffers, set explicitly for both backends.
 */
static int check_backend(struct perf_config *cfg,
                         const struct perf_cli_state *st, char *err,
                         size_t errlen)
{
    if (runtime_check_all_backends(cfg->backend, st->server, cfg->compare,
                                   cfg->sock.encap, err, errlen) < 0)
        return -1;
    if (!cfg->compare)
        return 0;
    if (cfg->backend != NULL) {
        snprintf(err, errlen,
                 "--compare runs every backend in turn: drop --backend");
        return -1;
    }
    if (cfg->duration_s == 0 && cfg->bytes == 0 && cfg->messages == 0) {
        snprintf(err, errlen,
                 "--compare needs a test that ends by itself: give -t SEC "
                 "(not -t 0), -n or -k");
        return -1;
    }
    if (cfg->no_control || cfg->json_stream) {
        snprintf(err, errlen, "--compare cannot go with %s: %s",
                 cfg->no_control ? "--no-control" : "--json-stream",
                 cfg->no_control ? "the comparison needs the server's results"
                                 : "it gives one JSON document (-J)");
        return -1;
    }
    if (cfg->window == 0)
        cfg->window = PERF_CLI_COMPARE_WINDOW;
    return 0;
}

/* --workers N: each worker pinned by -A to one CPU would defeat it. */
static int check_workers(const struct perf_config *cfg, char *err,
                         size_t errlen)
{
    if (workers_check(cfg->workers, cfg->backend,
                      cfg->one_off ? "-1 (--one-off)" : NULL, err, errlen) < 0)
        return -1;
    if (cfg->workers > 1 && cfg->cpu >= 0) {
        snprintf(err, errlen,
                 "--workers %u spreads the server over the cores: drop -A "
                 "(it would pin every worker to CPU %d)",
                 cfg->workers, cfg->cpu);
        return -1;
    }
    return 0;
}

/*
 * --rr: one request/response loop per association. What only makes sense
 * for one-way data is refused with the reason: -R and --bidir (the
 * server's answers are the other direction already), -b (the loop paces
 * itself: the next request leaves when the response is in), -n (the
 * length is counted in transactions: -k), -l (REQ is the message size),
 * --verify (it checks sequence numbers of a one-way stream), PR-SCTP (a
 * request given up would stall the loop), --no-control (the server must
 * know RESP) and --compare (its table is throughput).
 */
static int check_rr(const struct perf_config *cfg,
                    const struct perf_cli_state *st, char *err, size_t errlen)
{
    const char *bad = NULL;

    if (st->rr_burst && !st->rr) {
        snprintf(err, errlen, "--rr-burst needs --rr");
        return -1;
    }
    if (!st->rr)
        return 0;
    if (cfg->reverse)
        bad = "-R: the responses are the server-to-client direction already";
    else if (cfg->bidir)
        bad = "--bidir: the responses are the server-to-client direction "
              "already";
    else if (cfg->rate_bps != 0)
        bad = "-b: each request waits for the previous response, which "
              "paces the loop";
    else if (st->bytes)
        bad = "-n: a transaction test counts transactions: give -k N";
    else if (st->length)
        bad = "-l: the request size is --rr's REQ";
    else if (cfg->verify)
        bad = "--verify: it checks a one-way stream's sequence numbers; "
              "--rr checks that every response is RESP bytes";
    else if (cfg->pr_policy != PERF_PR_NONE)
        bad = "--pr-policy: a request given up would stall the loop";
    else if (cfg->no_control)
        bad = "--no-control: the server must learn the response size";
    else if (cfg->compare)
        bad = "--compare: its table compares throughput";
    else if (cfg->parallel > PERF_RR_MAX_PARALLEL)
        bad = "-P over " PERF_RR_MAX_PARALLEL_STR ": each association keeps "
              "latency histograms of about 90 KiB";
    if (bad != NULL) {
        snprintf(err, errlen, "--rr cannot go with %s", bad);
        return -1;
    }
    /* The responses come from the server's send buffer into ours, as -R's
     * messages do: the same rule (perf_window_too_small) holds. */
    if (perf_window_too_small(cfg->window, cfg->rr_resp,
                              PERF_CLI_DEFAULT_WINDOW)) {
        snprintf(err, errlen,
                 "--rr with -w %u: the receive buffer holds fewer than 4 "
                 "responses of %u bytes, and usrsctp stalls delivering "
                 "them: give -w %llu or more, or a smaller RESP",
                 cfg->window, cfg->rr_resp,
                 (unsigned long long)cfg->rr_resp * 4);
        return -1;
    }
    if (cfg->window == 0 && cfg->rr_resp > PERF_CLI_DEFAULT_WINDOW) {
        snprintf(err, errlen,
                 "--rr: a %u-byte response exceeds the default 2M buffers: "
                 "raise them with -w",
                 cfg->rr_resp);
        return -1;
    }
    return 0;
}

/* The client's options against each other, once every option is known. */
static int check_client(struct perf_config *cfg,
                        const struct perf_cli_state *st, char *err,
                        size_t errlen)
{
    if (cfg->reverse && cfg->bidir) {
        snprintf(err, errlen, "-R and --bidir exclude each other");
        return -1;
    }
    if (cfg->no_control && (cfg->reverse || cfg->bidir)) {
        snprintf(err, errlen,
                 "%s needs the control channel to start the server's "
                 "sender: drop --no-control",
                 cfg->reverse ? "-R" : "--bidir");
        return -1;
    }
    if (cfg->no_control && cfg->get_server_output) {
        snprintf(err, errlen,
                 "--get-server-output needs the control channel: drop "
                 "--no-control");
        return -1;
    }
    if (check_rr(cfg, st, err, errlen) < 0 ||
        check_backend(cfg, st, err, errlen) < 0 ||
        check_length(cfg, st, err, errlen) < 0)
        return -1;
    perf_cli_streams_default(cfg, st);
    if (check_pr(cfg, st, err, errlen) < 0 ||
        check_outstreams(cfg, st, err, errlen) < 0 ||
        perf_cli_check_streams(cfg, err, errlen) < 0 ||
        check_udp_ports(cfg, err, errlen) < 0 ||
        check_cport(cfg, err, errlen) < 0 ||
        check_ppids(cfg, err, errlen) < 0 ||
        check_backend_caps(cfg, err, errlen) < 0)
        return -1;
    return check_message(cfg, st, err, errlen);
}

/* --csv is an output format of its own: not with the others. */
static int check_csv(const struct perf_config *cfg, char *err, size_t errlen)
{
    if (!cfg->csv)
        return 0;
    if (cfg->json) {
        snprintf(err, errlen,
                 "--csv and %s exclude each other: pick one output format",
                 cfg->json_stream ? "--json-stream" : "-J");
        return -1;
    }
    if (cfg->compare) {
        snprintf(err, errlen,
                 "--csv cannot go with --compare: it prints its own table "
                 "(-J: as JSON)");
        return -1;
    }
    return 0;
}

int perf_cli_check(struct perf_config *cfg, const struct perf_cli_state *st,
                   char *err, size_t errlen)
{
    if (check_csv(cfg, err, errlen) < 0 ||
        check_role(cfg, st, err, errlen) < 0 ||
        check_ports(cfg, st, err, errlen) < 0 ||
        check_rto(cfg, err, errlen) < 0 ||
        check_timeouts(cfg, err, errlen) < 0 ||
        sock_opts_check(&cfg->sock, cfg->backend, err, errlen) < 0 ||
        sock_opts_check_pcap(&cfg->sock, cfg->workers, cfg->compare, err,
                             errlen) < 0)
        return -1;
    if (cfg->role == PERF_ROLE_CLIENT && check_client(cfg, st, err, errlen) < 0)
        return -1;
    if (perf_cli_check_sched(cfg, err, errlen) < 0)
        return -1;
    if (cfg->role == PERF_ROLE_SERVER &&
        (check_backend(cfg, st, err, errlen) < 0 ||
         check_workers(cfg, err, errlen) < 0 ||
         transport_check_addrs(transport_chosen(cfg->backend), cfg->bind_host,
                               err, errlen) < 0))
        return -1;
    return 0;
}
