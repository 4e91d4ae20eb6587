/*
 * perf_report_end.c - the end of sctpu-perf's report: each association's
 * and direction's totals as its sender and its receiver counted them, their
 * sums per direction, the per-stream table, --verify totals and CPU use;
 * as text and under "end" in the JSON document.
 */
#include <stdlib.h>
#include <string.h>

#include "impair_report.h"
#include "pcap_report.h"
#include "perf_latency.h"
#include "perf_report_priv.h"
#include "units.h"

/* Directions to sum: by role, and (under --bidir) by way. */
enum way { WAY_ANY = -1, WAY_IN = 0, WAY_OUT = 1 };

/* One end's view of some directions, summed over associations. */
struct dir_sum {
    size_t n;
    double secs; /* the longest period */
    uint64_t bytes;
    uint64_t messages;
    uint64_t retransmits;
    uint64_t abandoned;
};

static bool way_matches(enum way way, bool outbound)
{
    return way == WAY_ANY || (way == WAY_OUT) == outbound;
}

static void sum_dirs(const struct perf_report_final *fin, bool sender,
                     enum way way, struct dir_sum *s)
{
    size_t i;

    memset(s, 0, sizeof(*s));
    for (i = 0; i < fin->ndirs; i++) {
        const struct perf_report_dir *d = &fin->dirs[i];

        if (d->sender != sender || d->counts == NULL ||
            !way_matches(way, d->outbound))
            continue;
        s->n++;
        s->bytes += d->counts->bytes;
        s->messages += d->counts->messages;
        s->retransmits += d->counts->retransmits;
        s->abandoned += d->counts->abandoned;
        if (d->seconds > s->secs)
            s->secs = d->seconds;
    }
}

static void dir_json(struct perf_report *r, const char *key,
                     const struct perf_report_dir *d)
{
    const struct perf_dir_counts *c = d->counts;

    json_out_begin_object(&r->j, key);
    json_out_u64(&r->j, "socket", d->id);
    perf_report_json_amounts(r, 0, d->seconds, c->bytes, c->messages);
    if (d->sender) {
        json_out_u64(&r->j, "retransmits", c->retransmits);
        json_out_u64(&r->j, "abandoned", c->abandoned);
    }
    if (d->sender && d->outbound) /* this end sent: it sampled the RTT */
        perf_report_iperf3_sender_end(r, d->id);
    else if (d->sender) /* the server sent: its samples, if it told them */
        perf_report_iperf3_remote_sender_end(r, d->id);
    json_out_bool(&r->j, "sender", d->sender);
    json_out_end_object(&r->j);
}

static void sum_json(struct perf_report *r, const char *key,
                     const struct perf_report_final *fin, bool sender,
                     enum way way)
{
    struct dir_sum s;

    sum_dirs(fin, sender, way, &s);
    json_out_begin_object(&r->j, key);
    perf_report_json_amounts(r, 0, s.secs, s.bytes, s.messages);
    if (sender) {
        json_out_u64(&r->j, "retransmits", s.retransmits);
        json_out_u64(&r->j, "abandoned", s.abandoned);
    }
    json_out_bool(&r->j, "sender", sender);
    json_out_end_object(&r->j);
}

void perf_report_json_ppid(struct perf_report *r,
                           const struct perf_stream_counts *s)
{
    if (s->messages == 0 || s->ppid_mixed)
        json_out_null(&r->j, "ppid");
    else
        json_out_u64(&r->j, "ppid", s->ppid);
    json_out_bool(&r->j, "ppid_mixed", s->ppid_mixed);
}

/* Per-stream counts of a direction's receiver: text table and JSON. The
 * table's header comes with its first line, so no header stands alone. */
static void streams_out(struct perf_report *r, const struct perf_report_dir *d,
                        bool *headed)
{
    const struct perf_dir_counts *c = d->counts;
    uint16_t i;

    json_out_begin_array(&r->j, "sctp_streams");
    for (i = 0; i < c->nstreams; i++) {
        const struct perf_stream_counts *s = &c->streams[i];

        if (s->messages == 0)
            continue;
        /* -P 10000: [SUM] and Verify lines only (all with -V) */
        if (r->list && !*headed)
            perf_report_text_streams_header(r);
        *headed = true;
        if (r->list)
            perf_report_text_stream(r, d->id, d->outbound, d->seconds, s);
        json_out_begin_object(&r->j, NULL);
        json_out_u64(&r->j, "sid", s->sid);
        json_out_u64(&r->j, "messages", s->messages);
        json_out_u64(&r->j, "bytes", s->bytes);
        perf_report_json_ppid(r, s);
        if (r->cfg->verify) {
            json_out_u64(&r->j, "verified", s->verified);
            json_out_u64(&r->j, "missing", s->missing);
            json_out_u64(&r->j, "duplicate", s->duplicate);
            json_out_u64(&r->j, "corrupt", s->corrupt);
            json_out_u64(&r->j, "out_of_order", s->out_of_order);
        }
        json_out_end_object(&r->j);
    }
    json_out_end_array(&r->j);
}

/* The receiver's view of the direction whose sender's view is d, or the
 * other way round; NULL when only one end's numbers exist. */
static const struct perf_report_dir *
partner(const struct perf_report_final *fin, const struct perf_report_dir *d)
{
    size_t i;

    for (i = 0; i < fin->ndirs; i++) {
        const struct perf_report_dir *o = &fin->dirs[i];

        if (o->id == d->id && o->outbound == d->outbound &&
            o->sender != d->sender)
            return o;
    }
    return NULL;
}

static void sum_line(struct perf_report *r, const struct perf_report_final *fin,
                     bool sender, enum way way, bool outbound,
                     unsigned int cols)
{
    struct perf_text_line l;
    struct dir_sum s;

    sum_dirs(fin, sender, way, &s);
    if (s.n == 0)
        return;
    memset(&l, 0, sizeof(l));
    l.outbound = outbound;
    l.end = s.secs;
    l.bytes = s.bytes;
    l.messages = s.messages;
    l.sender = sender;
    l.retransmits = s.retransmits;
    l.abandoned = s.abandoned;
    l.role = sender ? "sender" : "receiver";
    perf_report_text_line(r, &l, cols);
}

static void final_text_rows(struct perf_report *r,
                            const struct perf_report_final *fin)
{
    unsigned int cols = 0;
    size_t i;
    int out;

    for (i = 0; i < fin->ndirs; i++)
        if (fin->dirs[i].sender)
            cols = PERF_COLS_RTX | PERF_COLS_ABANDONED;
    perf_report_rule(r);
    perf_report_text_header(r, cols);
    for (i = 0; i < fin->ndirs; i++) {
        const struct perf_report_dir *d = &fin->dirs[i];
        struct perf_text_line l;

        memset(&l, 0, sizeof(l));
        l.id = d->id;
        l.outbound = d->outbound;
        l.end = d->seconds;
        l.bytes = d->counts->bytes;
        l.messages = d->counts->messages;
        l.sender = d->sender;
        l.retransmits = d->counts->retransmits;
        l.abandoned = d->counts->abandoned;
        l.role = d->sender ? "sender" : "receiver";
        if (r->list)
            perf_report_text_line(r, &l, cols);
    }
    if (r->cfg->parallel <= 1)
        return;
    /* Each direction's sums apart: [SUM][TX] is what went out of this
     * end, [SUM][RX] what came in. */
    for (out = 1; out >= 0; out--) {
        enum way way = r->cfg->bidir ? (enum way)out : WAY_ANY;

        sum_line(r, fin, true, way, out == 1, cols);
        sum_line(r, fin, false, way, out == 1, cols);
        if (!r->cfg->bidir)
            break;
    }
}

static void verify_totals(struct perf_report *r,
                          const struct perf_report_final *fin)
{
    struct perf_stream_counts t;
    size_t i;
    uint16_t k;

    memset(&t, 0, sizeof(t));
    for (i = 0; i < fin->ndirs; i++) {
        const struct perf_dir_counts *c = fin->dirs[i].counts;

        if (fin->dirs[i].sender)
            continue;
        for (k = 0; k < c->nstreams; k++) {
            t.verified += c->streams[k].verified;
            t.missing += c->streams[k].missing;
            t.duplicate += c->streams[k].duplicate;
            t.corrupt += c->streams[k].corrupt;
            t.out_of_order += c->streams[k].out_of_order;
        }
    }
    perf_report_text(
        r,
        "Verify: %llu verified, %llu missing, %llu duplicate, "
        "%llu corrupt, %llu out of order\n",
        (unsigned long long)t.verified, (unsigned long long)t.missing,
        (unsigned long long)t.duplicate, (unsigned long long)t.corrupt,
        (unsigned long long)t.out_of_order);
    json_out_begin_object(&r->j, "verify");
    json_out_u64(&r->j, "verified", t.verified);
    json_out_u64(&r->j, "missing", t.missing);
    json_out_u64(&r->j, "duplicate", t.duplicate);
    json_out_u64(&r->j, "corrupt", t.corrupt);
    json_out_u64(&r->j, "out_of_order", t.out_of_order);
    json_out_end_object(&r->j);
}

/* end.sum_sent / sum_received: iperf3's, so the forward direction (client
 * to server) under --bidir and *_bidir_reverse the other, on both ends. */
static void sums_json(struct perf_report *r,
                      const struct perf_report_final *fin)
{
    enum way fwd = perf_report_forward(r, true) ? WAY_OUT : WAY_IN;
    enum way rev = fwd == WAY_OUT ? WAY_IN : WAY_OUT;

    if (!r->cfg->bidir) {
        sum_json(r, "sum_sent", fin, true, WAY_ANY);
        sum_json(r, "sum_received", fin, false, WAY_ANY);
        return;
    }
    sum_json(r, "sum_sent", fin, true, fwd);
    sum_json(r, "sum_received", fin, false, fwd);
    sum_json(r, "sum_sent_bidir_reverse", fin, true, rev);
    sum_json(r, "sum_received_bidir_reverse", fin, false, rev);
}

/* One association's (or the sum's, id 0) --rr numbers: a text line and
 * an "rr" object's fields. */
static void rr_out(struct perf_report *r, const struct perf_report_rr *a,
                   const char *key)
{
    struct perf_rr_summary s;
    char note[96] = "answered";
    char resp[32];

    perf_rr_summarize(a->stats, a->seconds, &s);
    units_format_bytes(resp, sizeof(resp), a->response_bytes);
    if (r->cfg->role != PERF_ROLE_SERVER && !a->have_server)
        snprintf(note, sizeof(note), "(responses %s)", resp);
    else if (r->cfg->role != PERF_ROLE_SERVER)
        snprintf(note, sizeof(note), "(responses %s, server answered %llu)",
                 resp, (unsigned long long)a->server_transactions);
    perf_report_text_rr(r, a->id, 0, a->seconds, &s, note);
    json_out_begin_object(&r->j, key);
    if (a->id != 0)
        json_out_u64(&r->j, "socket", a->id);
    json_out_double(&r->j, "seconds", a->seconds);
    perf_rr_json_fields(&r->j, &s);
    if (a->have_server)
        json_out_u64(&r->j, "server_transactions", a->server_transactions);
    else
        json_out_null(&r->j, "server_transactions");
    json_out_u64(&r->j, "request_bytes", a->request_bytes);
    json_out_u64(&r->j, "response_bytes", a->response_bytes);
    json_out_u64(&r->j, "wrong_size_responses", a->stats->wrong_size);
    json_out_end_object(&r->j);
}

/* --rr: "rr_streams" (per association) and "rr" (their sum) under
 * "end"; in the text a line each, and [SUM] under -P. */
static void rr_final(struct perf_report *r, const struct perf_report_final *fin)
{
    struct perf_rr_stats *sum = malloc(sizeof(*sum));
    struct perf_report_rr all;
    size_t i;

    if (sum == NULL)
        return;
    perf_rr_stats_init(sum);
    memset(&all, 0, sizeof(all));
    all.have_server = true;
    perf_report_rule(r);
    json_out_begin_array(&r->j, "rr_streams");
    for (i = 0; i < fin->nrr; i++) {
        const struct perf_report_rr *a = &fin->rr[i];

        rr_out(r, a, NULL);
        perf_rr_stats_merge(sum, a->stats);
        if (a->seconds > all.seconds)
            all.seconds = a->seconds;
        all.have_server = all.have_server && a->have_server;
        all.server_transactions += a->server_transactions;
        all.request_bytes += a->request_bytes;
        all.response_bytes += a->response_bytes;
    }
    json_out_end_array(&r->j);
    all.stats = sum;
    if (fin->nrr > 1 || r->cfg->json)
        rr_out(r, &all, "rr");
    free(sum);
}

static void latency_line(const char *line, void *arg)
{
    perf_report_text(arg, "%s\n", line);
}

void perf_report_set_latency(struct perf_report *r,
                             const struct perf_latency_report *const *lat,
                             size_t n)
{
    r->latency = lat;
    r->nlatency = n;
}

/* --stream: the per-stream latency table, after the summary. */
static void latency_text(struct perf_report *r)
{
    bool header = true;
    size_t i;

    for (i = 0; i < r->nlatency; i++) {
        if (r->latency[i] == NULL)
            continue;
        perf_latency_text(r->latency[i], (unsigned int)i + 1, header,
                          latency_line, r);
        header = false;
    }
}

void perf_report_final(struct perf_report *r,
                       const struct perf_report_final *fin)
{
    bool headed = false;
    size_t i;

    if (r->cfg->csv) {
        perf_report_csv_final(r, fin);
        return;
    }
    perf_report_begin_intervals(r);
    r->have_end = true;
    if (r->cfg->json_stream) {
        perf_report_stream_begin(r, "end");
        json_out_begin_object(&r->j, "data");
    } else {
        json_out_end_array(&r->j); /* intervals */
        json_out_begin_object(&r->j, "end");
    }
    final_text_rows(r, fin);

    /* Per association and direction: its sender's and its receiver's
     * numbers, and the receiver's per-stream table. */
    json_out_begin_array(&r->j, "streams");
    for (i = 0; i < fin->ndirs; i++) {
        const struct perf_report_dir *d = &fin->dirs[i];
        const struct perf_report_dir *other = partner(fin, d);

        if (!d->sender && other != NULL)
            continue;
        json_out_begin_object(&r->j, NULL);
        dir_json(r, d->sender ? "sender" : "receiver", d);
        if (other != NULL)
            dir_json(r, "receiver", other);
        if (!d->sender || other != NULL)
            streams_out(r, d->sender ? other : d, &headed);
        json_out_end_object(&r->j);
    }
    json_out_end_array(&r->j);
    sums_json(r, fin);
    /* Every stream of every association, as its receiver counted it. */
    json_out_begin_array(&r->j, "sctp_streams");
    for (i = 0; i < fin->ndirs; i++) {
        const struct perf_dir_counts *c = fin->dirs[i].counts;
        uint16_t k;

        if (fin->dirs[i].sender)
            continue;
        for (k = 0; k < c->nstreams; k++) {
            if (c->streams[k].messages == 0)
                continue;
            json_out_begin_object(&r->j, NULL);
            json_out_u64(&r->j, "socket", fin->dirs[i].id);
            json_out_u64(&r->j, "sid", c->streams[k].sid);
            json_out_u64(&r->j, "messages", c->streams[k].messages);
            json_out_u64(&r->j, "bytes", c->streams[k].bytes);
            perf_report_json_ppid(r, &c->streams[k]);
            json_out_end_object(&r->j);
        }
    }
    json_out_end_array(&r->j);
    if (r->cfg->verify)
        verify_totals(r, fin);
    if (fin->nrr > 0)
        rr_final(r, fin);
    json_out_begin_object(&r->j, "cpu_utilization_percent");
    json_out_double(&r->j, "host_total", fin->cpu_local);
    json_out_double(&r->j, "host_user", fin->cpu_local_user);
    json_out_double(&r->j, "host_system", fin->cpu_local_system);
    json_out_double(&r->j, "remote_total", fin->cpu_remote);
    if (fin->have_remote_parts) {
        json_out_double(&r->j, "remote_user", fin->cpu_remote_user);
        json_out_double(&r->j, "remote_system", fin->cpu_remote_system);
    }
    json_out_end_object(&r->j);
    perf_report_json_paths(r);
    if (fin->impair != NULL)
        impair_report_json(&r->j, fin->impair);
    else
        json_out_null(&r->j, "impair");
    pcap_report_json(&r->j, fin->pcap);
    if (r->nlatency > 0) {
        json_out_begin_array(&r->j, "streams_latency");
        for (i = 0; i < r->nlatency; i++)
            if (r->latency[i] != NULL)
                perf_latency_json(&r->j, (unsigned int)i + 1, r->latency[i]);
        json_out_end_array(&r->j);
    }
    json_out_end_object(&r->j); /* end */
    if (r->cfg->json_stream)
        perf_report_stream_emit(r);
    if (fin->cpu_local >= 0 && fin->cpu_remote >= 0)
        perf_report_text(r, "CPU Utilization: local %.1f%%, remote %.1f%%\n",
                         fin->cpu_local, fin->cpu_remote);
    else if (fin->cpu_local >= 0)
        perf_report_text(r, "CPU Utilization: local %.1f%%\n", fin->cpu_local);
    if (fin->impair != NULL) {
        char lines[IMPAIR_REPORT_LINES][IMPAIR_REPORT_LINE_MAX];
        size_t n = impair_report_lines(fin->impair, lines);

        for (i = 0; i < n; i++)
            perf_report_text(r, "%s\n", lines[i]);
    }
    latency_text(r);
    if (fin->server_output != NULL) {
        if (r->cfg->json_stream)
            perf_report_stream_begin(r, "server_output_text");
        json_out_string(&r->j,
                        r->cfg->json_stream ? "data" : "server_output_text",
                        fin->server_output);
        if (r->cfg->json_stream)
            perf_report_stream_emit(r);
        perf_report_text(r, "\nServer output:\n%s", fin->server_output);
    }
}
