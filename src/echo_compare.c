/*
 * echo_compare.c - sctpu-echo --compare: run the echoes on each backend in
 * turn through the ordinary client, and put their round trips side by
 * side.
 */
#include <sys/socket.h>

#include "compare_table.h"
#include "echo_compare.h"
#include "json_out.h"
#include "netaddr.h"
#include "route_mtu.h"
#include "units.h"

/* One column of the comparison: failed means not every echo was
 * verified, and a failed run's figures show how far it got. */
struct echo_compare_column {
    struct compare_column head; /* first: see compare_table.h */
    struct echo_outcome out;
};

void echo_compare_settings(const struct echo_config *cfg,
                           struct echo_config *out)
{
    struct sockaddr_storage ss;
    socklen_t len;
    char err[256];
    int mtu;

    *out = *cfg;
    if (out->sack_delay_ms == 0)
        out->sack_delay_ms = ECHO_COMPARE_SACK_DELAY_MS;
    if (out->sack_freq == 0)
        out->sack_freq = ECHO_COMPARE_SACK_FREQ;
    if (out->mtu != 0 ||
        netaddr_resolve(cfg->host, cfg->udp_port, cfg->family, false, &ss, &len,
                        err, sizeof(err)) < 0)
        return; /* a bad address: the run itself says what is wrong */
    mtu = route_mtu_probe((struct sockaddr *)&ss, len);
    if (mtu > 0)
        out->mtu = (uint32_t)mtu;
}

/* The fairness header: what both runs share. */
static void print_header(FILE *out, const void *settings)
{
    const struct echo_config *s = settings;
    char sndbuf[32];
    char rcvbuf[32];
    size_t i;

    compare_print_target(out, s->host, s->port, s->udp_port);
    fprintf(out, "Same settings for both: -n %llu, -i %g, --window %u, -l ",
            (unsigned long long)s->count, s->interval_s,
            (unsigned)(s->window ? s->window : 1));
    for (i = 0; i < s->nsizes; i++)
        fprintf(out, "%s%u", i ? "," : "", (unsigned)s->sizes[i]);
    fprintf(out, ", --nstreams %u%s\n", (unsigned)s->nstreams,
            s->unordered ? ", -u" : "");
    fprintf(out,
            "  socket buffers: sndbuf %s, rcvbuf %s (set explicitly on "
            "this client; the server uses its own)\n",
            units_format_bytes(sndbuf, sizeof(sndbuf), s->sndbuf),
            units_format_bytes(rcvbuf, sizeof(rcvbuf), s->rcvbuf));
    fprintf(out,
            "  SACK delay %u ms, SACK every %u packets, nodelay on (set "
            "explicitly on this client, for the echoes it receives; the "
            "server uses its own)\n",
            (unsigned)s->sack_delay_ms, (unsigned)s->sack_freq);
    compare_print_mtu(out, s->mtu);
}

/* Rows of the table, one figure of a run each; FIG_MIN to FIG_MAX are
 * the RTTs, which need a round trip that was timed. */
enum figure {
    FIG_SENT,
    FIG_VERIFIED,
    FIG_MIN,
    FIG_P50,
    FIG_P90,
    FIG_P99,
    FIG_MAX,
    FIG_PMTU,
    FIG_COUNT,
};

static const char *const figure_labels[FIG_COUNT] = {
    "Sent",    "Verified", "RTT min", "RTT p50",
    "RTT p90", "RTT p99",  "RTT max", "Path MTU (SCTP)",
};

/* A column's own run (compare_table.h: the head is its first member). */
static const struct echo_outcome *outcome_of(const struct compare_column *c)
{
    return &((const struct echo_compare_column *)c)->out;
}

static void format_figure(char *buf, size_t len, size_t f,
                          const struct compare_column *col)
{
    const struct echo_outcome *o = outcome_of(col);
    const uint64_t value[FIG_COUNT] = {
        [FIG_SENT] = o->sent,      [FIG_VERIFIED] = o->verified,
        [FIG_MIN] = o->rtt_min_us, [FIG_P50] = o->rtt_p50_us,
        [FIG_P90] = o->rtt_p90_us, [FIG_P99] = o->rtt_p99_us,
        [FIG_MAX] = o->rtt_max_us, [FIG_PMTU] = o->pathmtu,
    };
    bool rtt = f >= FIG_MIN && f <= FIG_MAX;

    if (!rtt)
        snprintf(buf, len, "%llu", (unsigned long long)value[f]);
    else if (o->rtt_count == 0)
        snprintf(buf, len, "none timed");
    else
        snprintf(buf, len, "%llu us", (unsigned long long)value[f]);
}

static void json_settings(struct json_out *j, const void *settings)
{
    const struct echo_config *s = settings;
    size_t i;

    json_out_begin_object(j, "settings");
    compare_json_target(j, s->host, s->port, s->udp_port);
    json_out_u64(j, "count", s->count);
    json_out_double(j, "interval_s", s->interval_s);
    json_out_u64(j, "window", s->window ? s->window : 1);
    json_out_begin_array(j, "sizes");
    for (i = 0; i < s->nsizes; i++)
        json_out_u64(j, NULL, s->sizes[i]);
    json_out_end_array(j);
    json_out_u64(j, "nstreams", s->nstreams);
    json_out_bool(j, "unordered", s->unordered);
    compare_json_transport(j, s->sndbuf, s->rcvbuf, s->sack_delay_ms,
                           s->sack_freq, true, s->mtu);
    json_out_end_object(j);
}

static void json_figures(struct json_out *j, const struct compare_column *col)
{
    const struct echo_outcome *o = outcome_of(col);

    json_out_u64(j, "sent", o->sent);
    json_out_u64(j, "received", o->received);
    json_out_u64(j, "verified", o->verified);
    json_out_u64(j, "pmtu", o->pathmtu);
    if (o->rtt_count == 0) {
        json_out_null(j, "rtt_us");
    } else {
        json_out_begin_object(j, "rtt_us");
        json_out_u64(j, "min", o->rtt_min_us);
        json_out_u64(j, "p50", o->rtt_p50_us);
        json_out_u64(j, "p90", o->rtt_p90_us);
        json_out_u64(j, "p99", o->rtt_p99_us);
        json_out_u64(j, "max", o->rtt_max_us);
        json_out_double(j, "avg", o->rtt_avg_us);
        json_out_end_object(j);
    }
}

/* One backend's run: its own lines and summary in text mode (under a
 * heading); under -J only the comparison is printed. */
static void run_one(struct compare_column *head, const void *settings)
{
    struct echo_compare_column *col = (struct echo_compare_column *)head;
    struct echo_config cfg = *(const struct echo_config *)settings;
    int rc;

    cfg.backend = head->backend;
    cfg.compare = false;
    if (!cfg.json) {
        printf("\n=== backend %s ===\n", head->backend);
        fflush(stdout);
    }
    rc = echo_client_run_outcome(&cfg, !cfg.json, &col->out);
    if (rc == ECHO_EXIT_OK) {
        head->status = COMPARE_OK;
        return;
    }
    head->status = COMPARE_FAILED;
    if (col->out.error[0] != '\0')
        snprintf(head->why, sizeof(head->why), "%s", col->out.error);
    else
        snprintf(head->why, sizeof(head->why), "%llu of %llu echoes verified",
                 (unsigned long long)col->out.verified,
                 (unsigned long long)col->out.sent);
}

static const struct compare_kind echo_kind = {
    .print_header = print_header,
    .run = run_one,
    .title = "Comparison (each backend ran the same echoes)",
    .label_w = 18,
    .column_size = sizeof(struct echo_compare_column),
    .failed_has_figures = true,
    .nfigures = FIG_COUNT,
    .figure_labels = figure_labels,
    .format_figure = format_figure,
    .footnote = NULL,
    .json_settings = json_settings,
    .json_figures = json_figures,
};

int echo_compare_run(const struct echo_config *cfg)
{
    struct echo_config shared;

    echo_compare_settings(cfg, &shared);
    return compare_run(&echo_kind, &shared, cfg->json);
}
