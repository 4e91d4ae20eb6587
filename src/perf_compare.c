/*
 * perf_compare.c - sctpu-perf --compare: run the test on each backend in
 * turn through the ordinary client, and put the results side by side.
 */
#include <stdlib.h>
#include <sys/socket.h>

#include "compare_table.h"
#include "json_out.h"
#include "netaddr.h"
#include "perf_compare.h"
#include "perf_tuning.h"
#include "route_mtu.h"
#include "units.h"

/* One column of the comparison: a failed run shows no figures. */
struct perf_compare_column {
    struct compare_column head; /* first: see compare_table.h */
    struct perf_outcome out;
};

/* RFC 9260's delayed SACK, which both stacks default to: set explicitly
 * all the same, so neither run depends on a stack's default. */
#define COMPARE_SACK_DELAY_MS 200
#define COMPARE_SACK_FREQ 2

void perf_compare_note_assoc(struct perf_outcome *o,
                             const struct transport_assoc_info *info)
{
    if (o->nassocs == 0)
        o->pathmtu = info->pathmtu;
    o->nassocs++;
    o->srtt_us_sum += info->srtt_us;
    if (info->rtt_resolution_us > o->srtt_resolution_us)
        o->srtt_resolution_us = info->rtt_resolution_us;
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

/* The fairness header: what both runs share. */
static void print_header(FILE *out, const void *settings)
{
    const struct perf_config *s = settings;
    char buf[32];

    compare_print_target(out, s->host, s->port, s->udp_port);
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
    compare_print_mtu(out, s->mtu);
}

static double rate_bps(uint64_t bytes, double secs)
{
    return secs > 0 ? (double)bytes * 8 / secs : 0;
}

/* The table's rows, one figure of a run each. */
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

/* A column's own run (compare_table.h: the head is its first member). */
static const struct perf_outcome *outcome_of(const struct compare_column *c)
{
    return &((const struct perf_compare_column *)c)->out;
}

static void format_figure(char *buf, size_t len, size_t f,
                          const struct compare_column *col)
{
    const struct perf_outcome *o = outcome_of(col);
    bool sctp = o->nassocs > 0;

    switch ((enum figure)f) {
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
        /* no more digits than the figure has */
        if (sctp)
            snprintf(buf, len, "%.*f ms", o->srtt_resolution_us < 1000 ? 3 : 1,
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

static void json_settings(struct json_out *j, const void *settings)
{
    const struct perf_config *s = settings;

    json_out_begin_object(j, "settings");
    compare_json_target(j, s->host, s->port, s->udp_port);
    json_out_u64(j, "length", s->length);
    json_out_u64(j, "parallel", s->parallel);
    json_out_u64(j, "nstreams", s->nstreams);
    json_out_double(j, "duration_s",
                    s->bytes || s->messages ? 0 : s->duration_s);
    json_out_u64(j, "bytes", s->bytes);
    json_out_u64(j, "messages", s->messages);
    json_out_bool(j, "reverse", s->reverse);
    json_out_bool(j, "bidir", s->bidir);
    compare_json_transport(j, s->window, s->window, s->sack_delay_ms,
                           s->sack_freq, s->nodelay, s->mtu);
    json_out_end_object(j);
}

static void json_cpu(struct json_out *j, const char *key, double pct)
{
    if (pct < 0)
        json_out_null(j, key);
    else
        json_out_double(j, key, pct);
}

static void json_figures(struct json_out *j, const struct compare_column *col)
{
    const struct perf_outcome *o = outcome_of(col);

    json_out_double(j, "sender_bits_per_second",
                    rate_bps(o->sent_bytes, o->sent_secs));
    json_out_double(j, "receiver_bits_per_second",
                    rate_bps(o->received_bytes, o->received_secs));
    json_out_u64(j, "sent_bytes", o->sent_bytes);
    json_out_u64(j, "received_bytes", o->received_bytes);
    json_out_u64(j, "retransmits", o->retransmits);
    if (o->nassocs > 0) {
        json_out_u64(j, "srtt_us", o->srtt_us_sum / o->nassocs);
        json_out_u64(j, "srtt_resolution_us", o->srtt_resolution_us);
        json_out_u64(j, "cwnd", o->cwnd_sum);
        json_out_u64(j, "rto_ms", o->rto_ms_max);
        json_out_u64(j, "pmtu", o->pathmtu);
    } else {
        json_out_null(j, "srtt_us");
        json_out_null(j, "srtt_resolution_us");
        json_out_null(j, "cwnd");
        json_out_null(j, "rto_ms");
        json_out_null(j, "pmtu");
    }
    json_cpu(j, "cpu_client_percent", o->cpu_local);
    json_cpu(j, "cpu_server_percent", o->cpu_remote);
}

/*
 * One backend's run: the client's own report goes to stdout in text mode
 * (under a heading), and is dropped under -J, where the comparison is the
 * one document.
 */
static void run_one(struct compare_column *head, const void *settings)
{
    struct perf_compare_column *col = (struct perf_compare_column *)head;
    struct perf_config cfg = *(const struct perf_config *)settings;
    char *sink_buf = NULL;
    size_t sink_len = 0;
    FILE *out = stdout;
    int rc;

    cfg.backend = head->backend;
    cfg.compare = false;
    if (cfg.json) {
        out = open_memstream(&sink_buf, &sink_len);
        if (out == NULL) {
            head->status = COMPARE_FAILED;
            snprintf(head->why, sizeof(head->why), "out of memory");
            return;
        }
    } else {
        printf("\n=== backend %s ===\n", head->backend);
        fflush(stdout);
    }
    rc = perf_client_run_outcome(&cfg, out, &col->out);
    if (out != stdout)
        fclose(out);
    free(sink_buf);
    head->status =
        rc == PERF_EXIT_OK && col->out.ran ? COMPARE_OK : COMPARE_FAILED;
    if (head->status == COMPARE_FAILED)
        snprintf(head->why, sizeof(head->why), "%s",
                 col->out.error[0] ? col->out.error : "the run failed");
}

static const struct compare_kind perf_kind = {
    .print_header = print_header,
    .run = run_one,
    .title = "Comparison (each backend ran the same test)",
    .label_w = 24,
    .column_size = sizeof(struct perf_compare_column),
    .failed_has_figures = false,
    .nfigures = FIG_COUNT,
    .figure_labels = figure_labels,
    .format_figure = format_figure,
    .footnote = "(SRTT, cwnd and RTO: this client's associations as the "
                "data ended; SRTT measured in us by usrsctp's backend, in "
                "1 ms steps by the kernel's)",
    .json_settings = json_settings,
    .json_figures = json_figures,
};

int perf_compare_run(const struct perf_config *cfg)
{
    struct perf_config shared;

    perf_compare_settings(cfg, &shared);
    return compare_run(&perf_kind, &shared, cfg->json);
}
