/*
 * perf_report.c - text and JSON output of sctpu-perf.
 *
 * Text follows iperf3's layout so its users can read it at a glance, with
 * the SCTP columns iperf3 lacks (retransmissions, cwnd, peer rwnd, smoothed
 * RTT, path MTU) under a header that names them. JSON follows iperf3's
 * document shape (start / intervals / end) so tools that read iperf3 JSON
 * read ours; SCTP extras are under keys of their own.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_out.h"
#include "perf_report.h"
#include "units.h"
#include "version.h"

struct perf_report {
    const struct perf_config *cfg;
    FILE *out;
    FILE *tee;
    struct json_out j; /* -J: the whole document, built as we go */
    bool in_intervals;
    char error[512];
    size_t nconns;
    size_t nintervals;
};

static void text(struct perf_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Text output, unless -J; copied to the tee when there is one. */
static void text(struct perf_report *r, const char *fmt, ...)
{
    va_list ap;

    if (!r->cfg->json) {
        va_start(ap, fmt);
        vfprintf(r->out, fmt, ap);
        va_end(ap);
        if (r->cfg->forceflush)
            fflush(r->out);
    }
    if (r->tee != NULL) {
        va_start(ap, fmt);
        vfprintf(r->tee, fmt, ap);
        va_end(ap);
    }
}

struct perf_report *perf_report_new(const struct perf_config *cfg, FILE *out)
{
    struct perf_report *r = calloc(1, sizeof(*r));
    time_t now = time(NULL);
    char stamp[64];

    if (r == NULL)
        return NULL;
    r->cfg = cfg;
    r->out = out;
    json_out_init(&r->j);
    json_out_begin_object(&r->j, NULL);
    json_out_begin_object(&r->j, "start");
    json_out_string(&r->j, "version", "sctpu-perf " SCTPU_VERSION);
    strftime(stamp, sizeof(stamp), "%a, %d %b %Y %H:%M:%S GMT", gmtime(&now));
    json_out_begin_object(&r->j, "timestamp");
    json_out_string(&r->j, "time", stamp);
    json_out_u64(&r->j, "timesecs", (uint64_t)now);
    json_out_end_object(&r->j);
    json_out_begin_array(&r->j, "connected");
    return r;
}

void perf_report_free(struct perf_report *r)
{
    if (r == NULL)
        return;
    json_out_free(&r->j);
    free(r);
}

void perf_report_tee(struct perf_report *r, FILE *tee)
{
    r->tee = tee;
}

void perf_report_line(struct perf_report *r, const char *fmt, ...)
{
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    text(r, "%s\n", line);
}

void perf_report_connecting(struct perf_report *r, const char *host,
                            const char *backend)
{
    text(r,
         "Connecting to host %s, port %u (SCTP over UDP port %u, "
         "backend %s)\n",
         host, (unsigned)r->cfg->port, (unsigned)r->cfg->udp_port, backend);
}

/* "1.2.3.4:5" -> host "1.2.3.4", port 5 ("[::1]:5" -> "::1"). */
static void split_endpoint(const char *ep, char *host, size_t len,
                           unsigned *port)
{
    const char *colon = strrchr(ep, ':');
    size_t n = colon ? (size_t)(colon - ep) : strlen(ep);

    if (n > 1 && ep[0] == '[' && ep[n - 1] == ']') {
        ep++;
        n -= 2;
    }
    if (n >= len)
        n = len - 1;
    memcpy(host, ep, n);
    host[n] = '\0';
    *port = colon ? (unsigned)strtoul(colon + 1, NULL, 10) : 0;
}

void perf_report_connected(struct perf_report *r,
                           const struct perf_report_conn *c)
{
    char lhost[PERF_SEEN_LEN];
    char rhost[PERF_SEEN_LEN];
    unsigned lport;
    unsigned rport;
    bool nat = c->seen_as[0] && strcmp(c->seen_as, c->local) != 0;

    split_endpoint(c->local, lhost, sizeof(lhost), &lport);
    split_endpoint(c->remote, rhost, sizeof(rhost), &rport);
    text(r,
         "[%3u] local %s port %u connected to %s port %u "
         "(sctp %u -> %u, streams out %u in %u, path MTU %u)\n",
         c->id, lhost, lport, rhost, rport, (unsigned)c->local_sctp_port,
         (unsigned)c->remote_sctp_port, (unsigned)c->out_streams,
         (unsigned)c->in_streams, (unsigned)c->pmtu);
    if (c->seen_as[0])
        text(r, "[%3u] local %s, seen by server as %s%s\n", c->id, c->local,
             c->seen_as, nat ? " (address translated)" : "");
    json_out_begin_object(&r->j, NULL);
    json_out_u64(&r->j, "socket", c->id);
    json_out_string(&r->j, "local_host", lhost);
    json_out_u64(&r->j, "local_port", lport);
    json_out_string(&r->j, "remote_host", rhost);
    json_out_u64(&r->j, "remote_port", rport);
    json_out_u64(&r->j, "sctp_local_port", c->local_sctp_port);
    json_out_u64(&r->j, "sctp_remote_port", c->remote_sctp_port);
    json_out_u64(&r->j, "out_streams", c->out_streams);
    json_out_u64(&r->j, "in_streams", c->in_streams);
    json_out_u64(&r->j, "pmtu", c->pmtu);
    if (c->seen_as[0]) {
        json_out_string(&r->j, "seen_as", c->seen_as);
        json_out_bool(&r->j, "address_translated", nat);
    }
    json_out_end_object(&r->j);
    r->nconns++;
}

/* Close "start" and open "intervals", once, before the first interval. */
static void begin_intervals(struct perf_report *r)
{
    const struct perf_config *c = r->cfg;

    if (r->in_intervals)
        return;
    r->in_intervals = true;
    json_out_end_array(&r->j); /* connected */
    json_out_begin_object(&r->j, "connecting_to");
    json_out_string(&r->j, "host", c->host);
    json_out_u64(&r->j, "port", c->port);
    json_out_end_object(&r->j);
    json_out_begin_object(&r->j, "test_start");
    json_out_string(&r->j, "protocol", "SCTP");
    json_out_u64(&r->j, "num_streams", c->parallel);
    json_out_u64(&r->j, "blksize", c->length);
    json_out_double(&r->j, "omit", c->omit_s);
    json_out_double(&r->j, "duration", c->duration_s);
    json_out_u64(&r->j, "bytes", c->bytes);
    json_out_u64(&r->j, "blocks", c->messages);
    json_out_u64(&r->j, "reverse", c->reverse);
    json_out_u64(&r->j, "bidir", c->bidir);
    json_out_u64(&r->j, "sctp_streams", c->nstreams);
    json_out_u64(&r->j, "udp_port", c->udp_port);
    json_out_bool(&r->j, "unordered", c->unordered);
    json_out_bool(&r->j, "verify", c->verify);
    json_out_end_object(&r->j);
    json_out_end_object(&r->j); /* start */
    json_out_begin_array(&r->j, "intervals");
}

static const char *dir_tag(const struct perf_report *r, bool sender)
{
    if (!r->cfg->bidir)
        return "";
    return sender ? "[TX]" : "[RX]";
}

static void row_text(struct perf_report *r, const char *id, bool outbound,
                     double start, double end, uint64_t bytes,
                     const struct perf_report_row *row, const char *tail)
{
    char xfer[32];
    char rate[32];
    double secs = end - start;

    units_format_bytes(xfer, sizeof(xfer), bytes);
    units_format_rate(rate, sizeof(rate), secs > 0 ? bytes * 8.0 / secs : 0);
    text(r, "%s%s %6.2f-%-6.2f sec  %11s  %15s", id, dir_tag(r, outbound),
         start, end, xfer, rate);
    if (row != NULL && row->sender)
        text(r, "  %5llu", (unsigned long long)row->retransmits);
    else if (row != NULL)
        text(r, "  %5s", "");
    if (row != NULL && row->have_sctp) {
        char cwnd[32];
        char rwnd[32];

        units_format_bytes(cwnd, sizeof(cwnd), row->cwnd);
        units_format_bytes(rwnd, sizeof(rwnd), row->rwnd);
        text(r, "  %11s  %11s  %7u  %5u", cwnd, rwnd, row->srtt_us, row->pmtu);
    }
    text(r, "%s\n", tail);
}

static void interval_json(struct perf_report *r, double start, double end,
                          bool omitted, const struct perf_report_row *row)
{
    double secs = end - start;

    json_out_begin_object(&r->j, NULL);
    json_out_u64(&r->j, "socket", row->id);
    json_out_double(&r->j, "start", start);
    json_out_double(&r->j, "end", end);
    json_out_double(&r->j, "seconds", secs);
    json_out_u64(&r->j, "bytes", row->bytes);
    json_out_double(&r->j, "bits_per_second",
                    secs > 0 ? row->bytes * 8.0 / secs : 0);
    if (row->sender)
        json_out_u64(&r->j, "retransmits", row->retransmits);
    if (row->have_sctp) {
        json_out_u64(&r->j, "snd_cwnd", row->cwnd);
        json_out_u64(&r->j, "rwnd", row->rwnd);
        json_out_u64(&r->j, "rtt", row->srtt_us);
        json_out_u64(&r->j, "rtt_us", row->srtt_us);
        json_out_u64(&r->j, "pmtu", row->pmtu);
    }
    json_out_bool(&r->j, "omitted", omitted);
    json_out_bool(&r->j, "sender", row->sender);
    json_out_end_object(&r->j);
}

static void interval_header(struct perf_report *r)
{
    text(r,
         "[ ID]%s Interval           Transfer     Bitrate          "
         "   Rtx         Cwnd         Rwnd  SRTT-us   PMTU\n",
         r->cfg->bidir ? "    " : "");
}

/* The sum over rows of one direction; false when there are none. */
static bool sum_rows(const struct perf_report_row *rows, size_t n, bool sender,
                     struct perf_report_row *sum)
{
    size_t i;
    bool any = false;

    memset(sum, 0, sizeof(*sum));
    sum->sender = sender;
    for (i = 0; i < n; i++) {
        if (rows[i].sender != sender)
            continue;
        any = true;
        sum->bytes += rows[i].bytes;
        sum->retransmits += rows[i].retransmits;
    }
    return any;
}

void perf_report_interval(struct perf_report *r, double start, double end,
                          bool omitted, const struct perf_report_row *rows,
                          size_t nrows)
{
    const char *tail = omitted ? "  (omitted)" : "";
    int dir;
    size_t i;

    begin_intervals(r);
    if (r->nintervals++ == 0 || r->cfg->parallel > 1)
        interval_header(r);
    json_out_begin_object(&r->j, NULL);
    json_out_begin_array(&r->j, "streams");
    for (i = 0; i < nrows; i++) {
        char id[16];

        snprintf(id, sizeof(id), "[%3u]", rows[i].id);
        row_text(r, id, rows[i].sender, start, end, rows[i].bytes, &rows[i],
                 tail);
        interval_json(r, start, end, omitted, &rows[i]);
    }
    json_out_end_array(&r->j);
    /* iperf3 has one "sum" (and "sum_bidir_reverse" under --bidir). */
    for (dir = 1; dir >= 0; dir--) {
        struct perf_report_row sum;

        if (!sum_rows(rows, nrows, dir == 1, &sum))
            continue;
        if (r->cfg->parallel > 1)
            row_text(r, "[SUM]", sum.sender, start, end, sum.bytes, &sum, tail);
        sum.id = 0;
        json_out_begin_object(&r->j, nrows && rows[0].sender != sum.sender
                                         ? "sum_bidir_reverse"
                                         : "sum");
        json_out_double(&r->j, "start", start);
        json_out_double(&r->j, "end", end);
        json_out_double(&r->j, "seconds", end - start);
        json_out_u64(&r->j, "bytes", sum.bytes);
        json_out_double(&r->j, "bits_per_second",
                        end > start ? sum.bytes * 8.0 / (end - start) : 0);
        if (sum.sender)
            json_out_u64(&r->j, "retransmits", sum.retransmits);
        json_out_bool(&r->j, "omitted", omitted);
        json_out_bool(&r->j, "sender", sum.sender);
        json_out_end_object(&r->j);
    }
    json_out_end_object(&r->j);
    if (r->cfg->parallel > 1 && !r->cfg->json)
        text(r, "- - - - - - - - - - - - - - - - - - - - - - - - -\n");
}

static void dir_json(struct perf_report *r, const char *key,
                     const struct perf_report_dir *d)
{
    const struct perf_dir_counts *c = d->counts;

    json_out_begin_object(&r->j, key);
    json_out_u64(&r->j, "socket", d->id);
    json_out_double(&r->j, "start", 0);
    json_out_double(&r->j, "end", d->seconds);
    json_out_double(&r->j, "seconds", d->seconds);
    json_out_u64(&r->j, "bytes", c->bytes);
    json_out_double(&r->j, "bits_per_second",
                    d->seconds > 0 ? c->bytes * 8.0 / d->seconds : 0);
    json_out_u64(&r->j, "messages", c->messages);
    if (d->sender) {
        json_out_u64(&r->j, "retransmits", c->retransmits);
        json_out_u64(&r->j, "abandoned", c->abandoned);
    }
    json_out_bool(&r->j, "sender", d->sender);
    json_out_end_object(&r->j);
}

/* Per-stream counts of a direction's receiver: text table and JSON. */
static void streams_out(struct perf_report *r, const struct perf_report_dir *d)
{
    const struct perf_dir_counts *c = d->counts;
    uint16_t i;

    json_out_begin_array(&r->j, "sctp_streams");
    for (i = 0; i < c->nstreams; i++) {
        const struct perf_stream_counts *s = &c->streams[i];
        char xfer[32];
        char rate[32];

        if (s->messages == 0)
            continue;
        units_format_bytes(xfer, sizeof(xfer), s->bytes);
        units_format_rate(rate, sizeof(rate),
                          d->seconds > 0 ? s->bytes * 8.0 / d->seconds : 0);
        text(r, "[%3u]%s %5u  %12llu  %11s  %15s", d->id,
             dir_tag(r, d->outbound), (unsigned)s->sid,
             (unsigned long long)s->messages, xfer, rate);
        if (r->cfg->verify)
            text(r, "  %llu/%llu/%llu/%llu/%llu",
                 (unsigned long long)s->verified,
                 (unsigned long long)s->missing,
                 (unsigned long long)s->duplicate,
                 (unsigned long long)s->corrupt,
                 (unsigned long long)s->out_of_order);
        text(r, "\n");
        json_out_begin_object(&r->j, NULL);
        json_out_u64(&r->j, "sid", s->sid);
        json_out_u64(&r->j, "messages", s->messages);
        json_out_u64(&r->j, "bytes", s->bytes);
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

/* Sum one end's view over associations; outbound -1 = either direction. */
static void sum_json(struct perf_report *r, const char *key,
                     const struct perf_report_final *fin, bool sender,
                     int outbound)
{
    uint64_t bytes = 0;
    uint64_t rtx = 0;
    uint64_t abandoned = 0;
    double secs = 0;
    size_t i;

    for (i = 0; i < fin->ndirs; i++) {
        const struct perf_report_dir *d = &fin->dirs[i];

        if (d->sender != sender || !d->counts ||
            (outbound >= 0 && d->outbound != (outbound == 1)))
            continue;
        bytes += d->counts->bytes;
        rtx += d->counts->retransmits;
        abandoned += d->counts->abandoned;
        if (d->seconds > secs)
            secs = d->seconds;
    }
    json_out_begin_object(&r->j, key);
    json_out_double(&r->j, "start", 0);
    json_out_double(&r->j, "end", secs);
    json_out_double(&r->j, "seconds", secs);
    json_out_u64(&r->j, "bytes", bytes);
    json_out_double(&r->j, "bits_per_second",
                    secs > 0 ? bytes * 8.0 / secs : 0);
    if (sender) {
        json_out_u64(&r->j, "retransmits", rtx);
        json_out_u64(&r->j, "abandoned", abandoned);
    }
    json_out_bool(&r->j, "sender", sender);
    json_out_end_object(&r->j);
}

static void final_text_rows(struct perf_report *r,
                            const struct perf_report_final *fin)
{
    uint64_t bytes[2] = { 0, 0 };
    uint64_t rtx = 0;
    double secs[2] = { 0, 0 };
    size_t i;

    text(r, "- - - - - - - - - - - - - - - - - - - - - - - - -\n");
    text(r,
         "[ ID]%s Interval           Transfer     Bitrate          "
         "   Rtx  Abandoned\n",
         r->cfg->bidir ? "    " : "");
    for (i = 0; i < fin->ndirs; i++) {
        const struct perf_report_dir *d = &fin->dirs[i];
        struct perf_report_row row;
        char id[16];
        char tail[64];

        memset(&row, 0, sizeof(row));
        row.sender = d->sender;
        row.retransmits = d->counts->retransmits;
        snprintf(id, sizeof(id), "[%3u]", d->id);
        if (d->sender)
            snprintf(tail, sizeof(tail), "  %9llu  sender",
                     (unsigned long long)d->counts->abandoned);
        else
            snprintf(tail, sizeof(tail), "  %9s  receiver", "");
        row_text(r, id, d->outbound, 0, d->seconds, d->counts->bytes, &row,
                 tail);
        bytes[d->sender] += d->counts->bytes;
        if (d->sender)
            rtx += d->counts->retransmits;
        if (d->seconds > secs[d->sender])
            secs[d->sender] = d->seconds;
    }
    if (r->cfg->parallel > 1) {
        int s;

        for (s = 1; s >= 0; s--) {
            struct perf_report_row row;

            memset(&row, 0, sizeof(row));
            row.sender = s == 1;
            row.retransmits = rtx;
            if (secs[s] > 0)
                row_text(r, "[SUM]", s == 1, 0, secs[s], bytes[s], &row,
                         s ? "             sender" : "             receiver");
        }
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
    text(r,
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

void perf_report_final(struct perf_report *r,
                       const struct perf_report_final *fin)
{
    size_t i;

    begin_intervals(r);
    json_out_end_array(&r->j); /* intervals */
    json_out_begin_object(&r->j, "end");
    final_text_rows(r, fin);

    /* Per association: sender and receiver views, and the receiver's
     * per-stream table. */
    text(r,
         "SCTP streams (receiver): [ ID]   SID      Messages     "
         "Transfer          Bitrate%s\n",
         r->cfg->verify ? "  verified/missing/dup/corrupt/ooo" : "");
    json_out_begin_array(&r->j, "streams");
    for (i = 0; i < fin->ndirs; i++) {
        const struct perf_report_dir *d = &fin->dirs[i];
        const struct perf_report_dir *other = partner(fin, d);

        /* As iperf3: one entry per association and direction, holding
         * its sender's and its receiver's numbers. */
        if (!d->sender && other != NULL)
            continue;
        json_out_begin_object(&r->j, NULL);
        dir_json(r, d->sender ? "sender" : "receiver", d);
        if (other != NULL)
            dir_json(r, "receiver", other);
        if (!d->sender || other != NULL)
            streams_out(r, d->sender ? other : d);
        json_out_end_object(&r->j);
    }
    json_out_end_array(&r->j);
    if (r->cfg->bidir) {
        sum_json(r, "sum_sent", fin, true, 1);
        sum_json(r, "sum_received", fin, false, 1);
        sum_json(r, "sum_sent_bidir_reverse", fin, true, 0);
        sum_json(r, "sum_received_bidir_reverse", fin, false, 0);
    } else {
        sum_json(r, "sum_sent", fin, true, -1);
        sum_json(r, "sum_received", fin, false, -1);
    }
    /* The table of every stream of every association, summed by sid. */
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
            json_out_end_object(&r->j);
        }
    }
    json_out_end_array(&r->j);
    if (r->cfg->verify)
        verify_totals(r, fin);
    json_out_begin_object(&r->j, "cpu_utilization_percent");
    json_out_double(&r->j, "host_total", fin->cpu_local);
    json_out_double(&r->j, "remote_total", fin->cpu_remote);
    json_out_end_object(&r->j);
    json_out_end_object(&r->j); /* end */
    if (fin->cpu_local >= 0 && fin->cpu_remote >= 0)
        text(r, "CPU Utilization: local %.1f%%, remote %.1f%%\n",
             fin->cpu_local, fin->cpu_remote);
    else if (fin->cpu_local >= 0)
        text(r, "CPU Utilization: local %.1f%%\n", fin->cpu_local);
    if (fin->server_output != NULL) {
        json_out_string(&r->j, "server_output_text", fin->server_output);
        text(r, "\nServer output:\n%s", fin->server_output);
    }
}

void perf_report_error(struct perf_report *r, const char *msg)
{
    if (r->error[0] == '\0')
        snprintf(r->error, sizeof(r->error), "%s", msg);
    if (!r->cfg->json)
        fprintf(r->out, "sctpu-perf: error: %s\n", msg);
    if (r->tee != NULL)
        fprintf(r->tee, "error: %s\n", msg);
}

int perf_report_finish(struct perf_report *r)
{
    if (!r->cfg->json) {
        text(r, "\nsctpu-perf Done.\n");
        fflush(r->out);
        return 0;
    }
    /* Close whatever is still open so the document always parses. */
    while (r->j.depth > 1) {
        if (!r->in_intervals) {
            begin_intervals(r);
            continue;
        }
        json_out_end_array(&r->j);
        if (r->j.depth > 1)
            json_out_end_object(&r->j);
    }
    if (r->error[0] != '\0')
        json_out_string(&r->j, "error", r->error);
    json_out_end_object(&r->j);
    return json_out_write(&r->j, r->out);
}
