/*
 * perf_compare.c - sctpu-perf --compare: run the test on each backend in
 * turn through the ordinary client, and put the results side by side.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "json_out.h"
#include "log.h"
#include "netaddr.h"
#include "perf_compare.h"
#include "perf_tuning.h"
#include "route_mtu.h"
#include "runtime.h"
#include "units.h"

/* RFC 9260's delayed SACK, which both stacks default to: set explicitly
 * all the same, so neither run depends on a stack's default. */
#define COMPARE_SACK_DELAY_MS 200
#define COMPARE_SACK_FREQ 2

#define LABEL_W 24 /* the row labels' column */
#define CELL_W 26  /* each backend's column: fits "usrsctp 0.9.5.0 (system)" */

void perf_compare_note_assoc(struct perf_outcome *o,
                             const struct transport_assoc_info *info)
{
    if (o->nassocs == 0)
        o->pathmtu = info->pathmtu;
    o->nassocs++;
    o->srtt_us_sum += (uint64_t)info->srtt_ms * 1000;
    o->cwnd_sum += info->cwnd;
    if (info->rto_ms > o->rto_ms_max)
        o->rto_ms_max = info->rto_ms;
}

void perf_compare_note_final(struct perf_outcome *o,
                             const struct perf_report_final *fin)
{
    size_t i;

    for (i = 0; i < fin->ndirs; i++) {
        const struct perf_report_dir *d = &fin->dirs[i];

        if (d->counts == NULL)
            continue;
        if (d->sender) {
            o->sent_bytes += d->counts->bytes;
            o->retransmits += d->counts->retransmits;
            if (d->seconds > o->sent_secs)
                o->sent_secs = d->seconds;
        } else {
            o->received_bytes += d->counts->bytes;
            if (d->seconds > o->received_secs)
                o->received_secs = d->seconds;
        }
    }
    o->cpu_local = fin->cpu_local;
    o->cpu_remote = fin->cpu_remote;
}

/* The IP MTU of the route toward the server; 0 when it cannot be told
 * (the run itself then says what is wrong with the address). */
static uint32_t route_mtu_toward(const struct perf_config *cfg)
{
    struct sockaddr_storage ss;
    socklen_t len;
    char err[256];
    int mtu;

    if (netaddr_resolve(cfg->host, cfg->udp_port, cfg->family, false, &ss, &len,
                        err, sizeof(err)) < 0)
        return 0;
    mtu = route_mtu_probe((struct sockaddr *)&ss, len);
    return mtu > 0 ? (uint32_t)mtu : 0;
}

void perf_compare_settings(const struct perf_config *cfg,
                           struct perf_config *out)
{
    struct perf_tuning tu;

    *out = *cfg;
    /* Small paced messages get their SACK-per-packet rule here too. */
    perf_tuning_from_config(cfg, &tu);
    out->nodelay = tu.nodelay;
    out->sack_delay_ms =
        tu.sack_delay_ms ? tu.sack_delay_ms : COMPARE_SACK_DELAY_MS;
    out->sack_freq = tu.sack_freq ? tu.sack_freq : COMPARE_SACK_FREQ;
    if (out->mtu == 0)
        out->mtu = route_mtu_toward(cfg);
}

void perf_compare_print_header(FILE *out, const struct perf_config *s)
{
    char buf[32];

    fprintf(out,
            "Comparing backends on %s, SCTP port %u (usrsctp over UDP "
            "port %u, kernel SCTP over IP), one after the other\n",
            s->host, (unsigned)s->port, (unsigned)s->udp_port);
    fprintf(out, "Same settings for both: -l %u, -P %u, --nstreams %u, ",
            (unsigned)s->length, s->parallel, (unsigned)s->nstreams);
    if (s->bytes)
        fprintf(out, "-n %llu", (unsigned long long)s->bytes);
    else if (s->messages)
        fprintf(out, "-k %llu", (unsigned long long)s->messages);
    else
        fprintf(out, "-t %g", s->duration_s);
    fprintf(out, "%s\n", s->reverse ? ", -R" : s->bidir ? ", --bidir" : "");
    units_format_bytes(buf, sizeof(buf), s->window);
    fprintf(out,
            "  socket buffers: sndbuf %s, rcvbuf %s (set explicitly on "
            "this client; the server uses its own -w)\n",
            buf, buf);
    fprintf(out, "  SACK delay %u ms, SACK every %u packets, nodelay %s\n",
            (unsigned)s->sack_delay_ms, (unsigned)s->sack_freq,
            s->nodelay ? "on" : "off");
    if (s->mtu)
        fprintf(out,
                "  MTU %u bytes (IP; usrsctp's SCTP packets are 8 "
                "bytes smaller, for the UDP header)\n",
                (unsigned)s->mtu);
    else
        fprintf(out, "  MTU: each backend's own (the route's could not be "
                     "read)\n");
    fflush(out);
}

static void row(FILE *out, const char *label, char cells[][256], size_t ncols)
{
    size_t i;

    fprintf(out, "%-*s", LABEL_W, label);
    for (i = 0; i + 1 < ncols; i++)
        fprintf(out, "%-*s  ", CELL_W, cells[i]);
    /* The last column unpadded: no trailing blanks. */
    fprintf(out, "%s\n", ncols > 0 ? cells[ncols - 1] : "");
}

static double rate_bps(uint64_t bytes, double secs)
{
    return secs > 0 ? (double)bytes * 8 / secs : 0;
}

/* One figure per column: cells get "-" where a backend did not run. */
enum figure {
    FIG_SENDER,
    FIG_RECEIVER,
    FIG_RTX,
    FIG_SRTT,
    FIG_CWND,
    FIG_RTO,
    FIG_PMTU,
    FIG_CPU_CLIENT,
    FIG_CPU_SERVER,
    FIG_COUNT,
};

static const char *const figure_labels[FIG_COUNT] = {
    "Throughput (sender)", "Throughput (receiver)",
    "Retransmissions",     "SRTT (client, end)",
    "Cwnd (client, end)",  "RTO (client, end)",
    "Path MTU (SCTP)",     "CPU client",
    "CPU server",
};

static void format_cpu(char *buf, size_t len, double pct)
{
    if (pct < 0)
        snprintf(buf, len, "unknown");
    else
        snprintf(buf, len, "%.1f%%", pct);
}

static void format_figure(char *buf, size_t len, enum figure f,
                          const struct perf_outcome *o)
{
    bool sctp = o->nassocs > 0;

    switch (f) {
    case FIG_SENDER:
        units_format_rate(buf, len, rate_bps(o->sent_bytes, o->sent_secs));
        return;
    case FIG_RECEIVER:
        units_format_rate(buf, len,
                          rate_bps(o->received_bytes, o->received_secs));
        return;
    case FIG_RTX:
        snprintf(buf, len, "%llu", (unsigned long long)o->retransmits);
        return;
    case FIG_SRTT:
        if (sctp)
            snprintf(buf, len, "%.1f ms",
                     (double)o->srtt_us_sum / o->nassocs / 1000);
        break;
    case FIG_CWND:
        if (sctp)
            units_format_bytes(buf, len, o->cwnd_sum);
        break;
    case FIG_RTO:
        if (sctp)
            snprintf(buf, len, "%u ms", (unsigned)o->rto_ms_max);
        break;
    case FIG_PMTU:
        if (sctp)
            snprintf(buf, len, "%u", (unsigned)o->pathmtu);
        break;
    case FIG_CPU_CLIENT:
        format_cpu(buf, len, o->cpu_local);
        return;
    case FIG_CPU_SERVER:
        format_cpu(buf, len, o->cpu_remote);
        return;
    case FIG_COUNT:
        break;
    }
    if (!sctp)
        snprintf(buf, len, "unknown");
}

static const char *status_name(enum perf_compare_status s)
{
    switch (s) {
    case PERF_COMPARE_OK:
        return "ok";
    case PERF_COMPARE_UNAVAILABLE:
        return "unavailable";
    case PERF_COMPARE_FAILED:
        break;
    }
    return "failed";
}

void perf_compare_print_table(FILE *out, const struct perf_compare_column *cols,
                              size_t ncols)
{
    char cells[RUNTIME_MAX_BACKENDS][256];
    size_t i;
    int f;

    fprintf(out, "\nComparison (each backend ran the same test)\n");
    for (i = 0; i < ncols; i++)
        snprintf(cells[i], sizeof(cells[i]), "%s", cols[i].backend);
    row(out, "", cells, ncols);
    for (i = 0; i < ncols; i++)
        snprintf(cells[i], sizeof(cells[i]), "%s",
                 cols[i].stack[0] ? cols[i].stack : "-");
    row(out, "Stack (client)", cells, ncols);
    for (f = 0; f < FIG_COUNT; f++) {
        for (i = 0; i < ncols; i++) {
            if (cols[i].status == PERF_COMPARE_OK)
                format_figure(cells[i], sizeof(cells[i]), (enum figure)f,
                              &cols[i].out);
            else
                snprintf(cells[i], sizeof(cells[i]), "-");
        }
        row(out, figure_labels[f], cells, ncols);
    }
    /* Last, as a reason may be long: in the last column it runs on; in
     * another it would push the next aside, so it goes below the table. */
    for (i = 0; i < ncols; i++)
        snprintf(cells[i], sizeof(cells[i]), "%s%s%s",
                 status_name(cols[i].status),
                 cols[i].status == PERF_COMPARE_OK ? "" : ": ", cols[i].why);
    for (i = 0; i + 1 < ncols; i++)
        if (strlen(cells[i]) > CELL_W)
            snprintf(cells[i], sizeof(cells[i]), "%s (see below)",
                     status_name(cols[i].status));
    row(out, "Status", cells, ncols);
    fprintf(out, "(SRTT, cwnd and RTO: this client's associations as the "
                 "data ended; SRTT in 1 ms steps on both stacks)\n");
    for (i = 0; i + 1 < ncols; i++)
        if (cols[i].status != PERF_COMPARE_OK &&
            strstr(cells[i], "(see below)") != NULL)
            fprintf(out, "%s: %s: %s\n", cols[i].backend,
                    status_name(cols[i].status), cols[i].why);
    fflush(out);
}

static void json_settings(struct json_out *j, const struct perf_config *s)
{
    json_out_begin_object(j, "settings");
    json_out_string(j, "host", s->host);
    json_out_u64(j, "port", s->port);
    json_out_u64(j, "udp_port", s->udp_port);
    json_out_u64(j, "length", s->length);
    json_out_u64(j, "parallel", s->parallel);
    json_out_u64(j, "nstreams", s->nstreams);
    json_out_double(j, "duration_s",
                    s->bytes || s->messages ? 0 : s->duration_s);
    json_out_u64(j, "bytes", s->bytes);
    json_out_u64(j, "messages", s->messages);
    json_out_bool(j, "reverse", s->reverse);
    json_out_bool(j, "bidir", s->bidir);
    json_out_u64(j, "sndbuf", s->window);
    json_out_u64(j, "rcvbuf", s->window);
    json_out_u64(j, "sack_delay_ms", s->sack_delay_ms);
    json_out_u64(j, "sack_freq", s->sack_freq);
    json_out_bool(j, "nodelay", s->nodelay);
    if (s->mtu)
        json_out_u64(j, "mtu", s->mtu);
    else
        json_out_null(j, "mtu");
    json_out_end_object(j);
}

static void json_cpu(struct json_out *j, const char *key, double pct)
{
    if (pct < 0)
        json_out_null(j, key);
    else
        json_out_double(j, key, pct);
}

static void json_column(struct json_out *j, const struct perf_compare_column *c)
{
    const struct perf_outcome *o = &c->out;

    json_out_begin_object(j, NULL);
    json_out_string(j, "backend", c->backend);
    if (c->stack[0])
        json_out_string(j, "stack", c->stack);
    else
        json_out_null(j, "stack");
    json_out_string(j, "status", status_name(c->status));
    if (c->status != PERF_COMPARE_OK) {
        json_out_string(j, "reason", c->why);
        json_out_end_object(j);
        return;
    }
    json_out_double(j, "sender_bits_per_second",
                    rate_bps(o->sent_bytes, o->sent_secs));
    json_out_double(j, "receiver_bits_per_second",
                    rate_bps(o->received_bytes, o->received_secs));
    json_out_u64(j, "sent_bytes", o->sent_bytes);
    json_out_u64(j, "received_bytes", o->received_bytes);
    json_out_u64(j, "retransmits", o->retransmits);
    if (o->nassocs > 0) {
        json_out_u64(j, "srtt_us", o->srtt_us_sum / o->nassocs);
        json_out_u64(j, "cwnd", o->cwnd_sum);
        json_out_u64(j, "rto_ms", o->rto_ms_max);
        json_out_u64(j, "pmtu", o->pathmtu);
    } else {
        json_out_null(j, "srtt_us");
        json_out_null(j, "cwnd");
        json_out_null(j, "rto_ms");
        json_out_null(j, "pmtu");
    }
    json_cpu(j, "cpu_client_percent", o->cpu_local);
    json_cpu(j, "cpu_server_percent", o->cpu_remote);
    json_out_end_object(j);
}

int perf_compare_print_json(FILE *out, const struct perf_config *shared,
                            const struct perf_compare_column *cols,
                            size_t ncols)
{
    struct json_out j;
    size_t i;
    int rc;

    json_out_init(&j);
    json_out_begin_object(&j, NULL);
    json_out_begin_object(&j, "compare");
    json_settings(&j, shared);
    json_out_begin_array(&j, "backends");
    for (i = 0; i < ncols; i++)
        json_column(&j, &cols[i]);
    json_out_end_array(&j);
    json_out_end_object(&j);
    json_out_end_object(&j);
    rc = json_out_write(&j, out);
    json_out_free(&j);
    return rc;
}

int perf_compare_exit(const struct perf_compare_column *cols, size_t ncols)
{
    size_t ran = 0;
    size_t i;

    for (i = 0; i < ncols; i++) {
        if (cols[i].status == PERF_COMPARE_FAILED)
            return PERF_EXIT_FAIL;
        ran += cols[i].status == PERF_COMPARE_OK;
    }
    return ran > 0 ? PERF_EXIT_OK : PERF_EXIT_USAGE;
}

/*
 * One backend's run: the client's own report goes to stdout in text mode
 * (under a heading), and is dropped under -J, where the comparison is the
 * one document.
 */
static void run_one(const struct perf_config *shared,
                    struct perf_compare_column *col)
{
    struct perf_config cfg = *shared;
    char *sink_buf = NULL;
    size_t sink_len = 0;
    FILE *out = stdout;
    int rc;

    if (runtime_backend_usable(col->backend, col->why, sizeof(col->why)) ==
        NULL) {
        col->status = PERF_COMPARE_UNAVAILABLE;
        return;
    }
    cfg.backend = col->backend;
    cfg.compare = false;
    if (cfg.json) {
        out = open_memstream(&sink_buf, &sink_len);
        if (out == NULL) {
            col->status = PERF_COMPARE_FAILED;
            snprintf(col->why, sizeof(col->why), "out of memory");
            return;
        }
    } else {
        printf("\n=== backend %s ===\n", col->backend);
        fflush(stdout);
    }
    rc = perf_client_run_outcome(&cfg, out, &col->out);
    if (out != stdout)
        fclose(out);
    free(sink_buf);
    col->status = rc == PERF_EXIT_OK && col->out.ran ? PERF_COMPARE_OK
                                                     : PERF_COMPARE_FAILED;
    if (col->status == PERF_COMPARE_FAILED)
        snprintf(col->why, sizeof(col->why), "%s",
                 col->out.error[0] ? col->out.error : "the run failed");
}

int perf_compare_run(const struct perf_config *cfg)
{
    struct perf_compare_column cols[RUNTIME_MAX_BACKENDS];
    struct perf_config shared;
    size_t i;

    perf_compare_settings(cfg, &shared);
    if (!cfg->json)
        perf_compare_print_header(stdout, &shared);
    memset(cols, 0, sizeof(cols));
    for (i = 0; i < RUNTIME_MAX_BACKENDS; i++) {
        const struct transport_ops *ops =
            transport_find(transport_known_backends[i]);

        cols[i].backend = transport_known_backends[i];
        if (ops != NULL)
            transport_describe_stack(ops, cols[i].stack, sizeof(cols[i].stack));
        run_one(&shared, &cols[i]);
        if (cols[i].status == PERF_COMPARE_UNAVAILABLE)
            log_warn("--compare: %s is unavailable here: %s", cols[i].backend,
                     cols[i].why);
    }
    if (cfg->json) {
        if (perf_compare_print_json(stdout, &shared, cols,
                                    RUNTIME_MAX_BACKENDS) < 0) {
            log_err("--compare: out of memory building the JSON document");
            return PERF_EXIT_FAIL;
        }
    } else {
        perf_compare_print_table(stdout, cols, RUNTIME_MAX_BACKENDS);
    }
    return perf_compare_exit(cols, RUNTIME_MAX_BACKENDS);
}
