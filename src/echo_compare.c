/*
 * echo_compare.c - sctpu-echo --compare: run the echoes on each backend in
 * turn through the ordinary client, and put their round trips side by
 * side.
 */
#include <string.h>
#include <sys/socket.h>

#include "echo_compare.h"
#include "json_out.h"
#include "log.h"
#include "netaddr.h"
#include "route_mtu.h"
#include "runtime.h"
#include "units.h"

#define LABEL_W 18 /* the row labels' column */
#define CELL_W 26  /* each backend's column: fits "usrsctp 0.9.5.0 (system)" */

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

void echo_compare_print_header(FILE *out, const struct echo_config *s)
{
    char sndbuf[32];
    char rcvbuf[32];
    size_t i;

    fprintf(out,
            "Comparing backends on %s, SCTP port %u (usrsctp over UDP "
            "port %u, kernel SCTP over IP), one after the other\n",
            s->host, (unsigned)s->port, (unsigned)s->udp_port);
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
    if (s->mtu)
        fprintf(out,
                "  MTU %u bytes (IP; usrsctp's SCTP packets are 8 bytes "
                "smaller, for the UDP header)\n",
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

/* Rows of the table, one figure of a run each. */
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

static void format_figure(char *buf, size_t len, enum figure f,
                          const struct echo_outcome *o)
{
    uint32_t us = 0;

    switch (f) {
    case FIG_SENT:
        snprintf(buf, len, "%llu", (unsigned long long)o->sent);
        return;
    case FIG_VERIFIED:
        snprintf(buf, len, "%llu", (unsigned long long)o->verified);
        return;
    case FIG_PMTU:
        snprintf(buf, len, "%u", (unsigned)o->pathmtu);
        return;
    case FIG_MIN:
        us = o->rtt_min_us;
        break;
    case FIG_P50:
        us = o->rtt_p50_us;
        break;
    case FIG_P90:
        us = o->rtt_p90_us;
        break;
    case FIG_P99:
        us = o->rtt_p99_us;
        break;
    case FIG_MAX:
        us = o->rtt_max_us;
        break;
    case FIG_COUNT:
        break;
    }
    if (o->rtt_count == 0)
        snprintf(buf, len, "none timed");
    else
        snprintf(buf, len, "%u us", (unsigned)us);
}

static const char *status_name(enum echo_compare_status s)
{
    switch (s) {
    case ECHO_COMPARE_OK:
        return "ok";
    case ECHO_COMPARE_UNAVAILABLE:
        return "unavailable";
    case ECHO_COMPARE_FAILED:
        break;
    }
    return "failed";
}

void echo_compare_print_table(FILE *out, const struct echo_compare_column *cols,
                              size_t ncols)
{
    char cells[RUNTIME_MAX_BACKENDS][256];
    size_t i;
    int f;

    fprintf(out, "\nComparison (each backend ran the same echoes)\n");
    for (i = 0; i < ncols; i++)
        snprintf(cells[i], sizeof(cells[i]), "%s", cols[i].backend);
    row(out, "", cells, ncols);
    for (i = 0; i < ncols; i++)
        snprintf(cells[i], sizeof(cells[i]), "%s",
                 cols[i].stack[0] ? cols[i].stack : "-");
    row(out, "Stack (client)", cells, ncols);
    for (f = 0; f < FIG_COUNT; f++) {
        for (i = 0; i < ncols; i++) {
            /* A failed run's figures still show how far it got. */
            if (cols[i].status != ECHO_COMPARE_UNAVAILABLE)
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
                 cols[i].status == ECHO_COMPARE_OK ? "" : ": ", cols[i].why);
    for (i = 0; i + 1 < ncols; i++)
        if (strlen(cells[i]) > CELL_W)
            snprintf(cells[i], sizeof(cells[i]), "%s (see below)",
                     status_name(cols[i].status));
    row(out, "Status", cells, ncols);
    for (i = 0; i + 1 < ncols; i++)
        if (cols[i].status != ECHO_COMPARE_OK &&
            strstr(cells[i], "(see below)") != NULL)
            fprintf(out, "%s: %s: %s\n", cols[i].backend,
                    status_name(cols[i].status), cols[i].why);
    fflush(out);
}

static void json_settings(struct json_out *j, const struct echo_config *s)
{
    size_t i;

    json_out_begin_object(j, "settings");
    json_out_string(j, "host", s->host);
    json_out_u64(j, "port", s->port);
    json_out_u64(j, "udp_port", s->udp_port);
    json_out_u64(j, "count", s->count);
    json_out_double(j, "interval_s", s->interval_s);
    json_out_u64(j, "window", s->window ? s->window : 1);
    json_out_begin_array(j, "sizes");
    for (i = 0; i < s->nsizes; i++)
        json_out_u64(j, NULL, s->sizes[i]);
    json_out_end_array(j);
    json_out_u64(j, "nstreams", s->nstreams);
    json_out_bool(j, "unordered", s->unordered);
    json_out_u64(j, "sndbuf", s->sndbuf);
    json_out_u64(j, "rcvbuf", s->rcvbuf);
    json_out_u64(j, "sack_delay_ms", s->sack_delay_ms);
    json_out_u64(j, "sack_freq", s->sack_freq);
    json_out_bool(j, "nodelay", true);
    if (s->mtu)
        json_out_u64(j, "mtu", s->mtu);
    else
        json_out_null(j, "mtu");
    json_out_end_object(j);
}

static void json_column(struct json_out *j, const struct echo_compare_column *c)
{
    const struct echo_outcome *o = &c->out;

    json_out_begin_object(j, NULL);
    json_out_string(j, "backend", c->backend);
    if (c->stack[0])
        json_out_string(j, "stack", c->stack);
    else
        json_out_null(j, "stack");
    json_out_string(j, "status", status_name(c->status));
    if (c->status != ECHO_COMPARE_OK)
        json_out_string(j, "reason", c->why);
    if (c->status == ECHO_COMPARE_UNAVAILABLE) {
        json_out_end_object(j);
        return;
    }
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
    json_out_end_object(j);
}

void echo_compare_print_json(FILE *out, const struct echo_config *shared,
                             const struct echo_compare_column *cols,
                             size_t ncols)
{
    struct json_out j;
    size_t i;

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
    if (json_out_write(&j, out) < 0)
        log_err("--compare: out of memory building the JSON object");
    json_out_free(&j);
}

int echo_compare_exit(const struct echo_compare_column *cols, size_t ncols)
{
    size_t ran = 0;
    size_t i;

    for (i = 0; i < ncols; i++) {
        if (cols[i].status == ECHO_COMPARE_FAILED)
            return ECHO_EXIT_FAIL;
        ran += cols[i].status == ECHO_COMPARE_OK;
    }
    return ran > 0 ? ECHO_EXIT_OK : ECHO_EXIT_USAGE;
}

/* One backend's run: its own lines and summary in text mode (under a
 * heading); under -J only the comparison is printed. */
static void run_one(const struct echo_config *shared,
                    struct echo_compare_column *col)
{
    struct echo_config cfg = *shared;
    int rc;

    if (runtime_backend_usable(col->backend, col->why, sizeof(col->why)) ==
        NULL) {
        col->status = ECHO_COMPARE_UNAVAILABLE;
        log_warn("--compare: %s is unavailable here: %s", col->backend,
                 col->why);
        return;
    }
    cfg.backend = col->backend;
    cfg.compare = false;
    if (!cfg.json) {
        printf("\n=== backend %s ===\n", col->backend);
        fflush(stdout);
    }
    rc = echo_client_run_outcome(&cfg, !cfg.json, &col->out);
    if (rc == ECHO_EXIT_OK) {
        col->status = ECHO_COMPARE_OK;
        return;
    }
    col->status = ECHO_COMPARE_FAILED;
    if (col->out.error[0] != '\0')
        snprintf(col->why, sizeof(col->why), "%s", col->out.error);
    else
        snprintf(col->why, sizeof(col->why), "%llu of %llu echoes verified",
                 (unsigned long long)col->out.verified,
                 (unsigned long long)col->out.sent);
}

int echo_compare_run(const struct echo_config *cfg)
{
    struct echo_compare_column cols[RUNTIME_MAX_BACKENDS];
    struct echo_config shared;
    size_t i;

    echo_compare_settings(cfg, &shared);
    if (!cfg->json)
        echo_compare_print_header(stdout, &shared);
    memset(cols, 0, sizeof(cols));
    for (i = 0; i < RUNTIME_MAX_BACKENDS; i++) {
        const struct transport_ops *ops =
            transport_find(transport_known_backends[i]);

        cols[i].backend = transport_known_backends[i];
        if (ops != NULL)
            transport_describe_stack(ops, cols[i].stack, sizeof(cols[i].stack));
        run_one(&shared, &cols[i]);
    }
    if (cfg->json)
        echo_compare_print_json(stdout, &shared, cols, RUNTIME_MAX_BACKENDS);
    else
        echo_compare_print_table(stdout, cols, RUNTIME_MAX_BACKENDS);
    return echo_compare_exit(cols, RUNTIME_MAX_BACKENDS);
}
