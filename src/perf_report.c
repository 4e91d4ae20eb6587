/*
 * perf_report.c - text and JSON output of sctpu-perf: the start (connect
 * lines, the test's parameters) and the intervals, and what the report's
 * files share. The end is in perf_report_end.c, the layout of the text
 * tables in perf_report_text.c.
 *
 * Text follows iperf3's layout so its users can read it at a glance, with
 * the SCTP columns iperf3 lacks (retransmissions, cwnd, peer rwnd, smoothed
 * RTT, path MTU) under a header that names them. JSON follows iperf3's
 * document shape (start / intervals / end) so tools that read iperf3 JSON
 * read ours; SCTP extras are under keys of their own.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_schema.h"
#include "netaddr.h"
#include "perf_report_priv.h"
#include "version.h"

size_t perf_report_timestamp(char *buf, size_t len, const char *fmt,
                             time_t when)
{
    struct tm tm;
    size_t n;

    if (fmt[0] == '\0' || localtime_r(&when, &tm) == NULL)
        return 0;
        /* The user's own format, checked when it was parsed: that is the
     * point of --timestamps=FORMAT. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    n = strftime(buf, len, fmt, &tm);
#pragma GCC diagnostic pop
    return n;
}

/* What --timestamps and -T put before each text line, iperf3's order. */
static void line_prefix(const struct perf_config *cfg, FILE *out)
{
    char stamp[PERF_TIMESTAMP_MAX];

    if (cfg->timestamps != NULL &&
        perf_report_timestamp(stamp, sizeof(stamp), cfg->timestamps,
                              time(NULL)) > 0)
        fputs(stamp, out);
    if (cfg->title != NULL)
        fprintf(out, "%s:  ", cfg->title);
}

/* Write text, putting the line prefix before every line it starts. */
static void write_lines(const struct perf_config *cfg, FILE *out, bool *bol,
                        const char *text)
{
    while (*text != '\0') {
        size_t n = strcspn(text, "\n");

        if (*bol)
            line_prefix(cfg, out);
        if (text[n] == '\n')
            n++;
        fwrite(text, 1, n, out);
        *bol = text[n - 1] == '\n';
        text += n;
    }
}

void perf_report_lines(const struct perf_config *cfg, FILE *out,
                       const char *text)
{
    bool bol = true;

    write_lines(cfg, out, &bol, text);
}

/* Text goes out (neither -J nor --csv). */
static bool text_mode(const struct perf_config *c)
{
    return !c->json && !c->csv;
}

void perf_report_text(struct perf_report *r, const char *fmt, ...)
{
    char small[512];
    char *text = small;
    va_list ap;
    int n;

    r->ruled = false;
    if (!text_mode(r->cfg) && r->tee == NULL)
        return;
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(small)) {
        text = malloc((size_t)n + 1);
        if (text == NULL)
            return;
        va_start(ap, fmt);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    if (text_mode(r->cfg)) {
        write_lines(r->cfg, r->out, &r->bol, text);
        if (r->cfg->forceflush)
            fflush(r->out);
    }
    /* The server's copy for the client: the client prefixes its lines. */
    if (r->tee != NULL)
        fputs(text, r->tee);
    if (text != small)
        free(text);
}

void perf_report_stream_begin(struct perf_report *r, const char *name)
{
    json_out_free(&r->j);
    json_out_begin_object(&r->j, NULL);
    json_out_string(&r->j, "event", name);
}

void perf_report_stream_emit(struct perf_report *r)
{
    json_out_end_object(&r->j);
    if (json_out_write(&r->j, r->out) < 0)
        r->stream_failed = true;
    fflush(r->out);
    json_out_free(&r->j);
}

void perf_report_rule(struct perf_report *r)
{
    if (!r->ruled)
        perf_report_text(r,
                         "- - - - - - - - - - - - - - - - - - - - - - - - -\n");
    r->ruled = true;
}

double perf_report_per_sec(double v, double secs)
{
    return secs > 0 ? v / secs : 0;
}

bool perf_report_forward(const struct perf_report *r, bool outbound)
{
    return (r->cfg->role != PERF_ROLE_SERVER) == outbound;
}

void perf_report_json_amounts(struct perf_report *r, double start, double end,
                              uint64_t bytes, uint64_t messages)
{
    double secs = end - start;

    json_out_double(&r->j, "start", start);
    json_out_double(&r->j, "end", end);
    json_out_double(&r->j, "seconds", secs);
    json_out_u64(&r->j, "bytes", bytes);
    json_out_double(&r->j, "bits_per_second",
                    perf_report_per_sec(bytes * 8.0, secs));
    json_out_u64(&r->j, "messages", messages);
    json_out_double(&r->j, "messages_per_second",
                    perf_report_per_sec((double)messages, secs));
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
    r->bol = true;
    r->list = cfg->parallel <= PERF_LIST_ASSOCS || cfg->verbose;
    json_out_init(&r->j);
    if (cfg->json_stream) {
        /* {"event":"start","data":{...}}, the start object as data */
        perf_report_stream_begin(r, "start");
        json_out_u64(&r->j, "schema_version", SCTPU_JSON_SCHEMA_VERSION);
        json_out_begin_object(&r->j, "data");
    } else {
        json_out_begin_object(&r->j, NULL);
        json_out_u64(&r->j, "schema_version", SCTPU_JSON_SCHEMA_VERSION);
        json_out_begin_object(&r->j, "start");
    }
    json_out_string(&r->j, "version", "sctpu-perf " SCTPU_VERSION);
    if (cfg->title != NULL)
        json_out_string(&r->j, "title", cfg->title);
    strftime(stamp, sizeof(stamp), "%a, %d %b %Y %H:%M:%S GMT", gmtime(&now));
    json_out_begin_object(&r->j, "timestamp");
    json_out_string(&r->j, "time", stamp);
    json_out_u64(&r->j, "timesecs", (uint64_t)now);
    json_out_end_object(&r->j);
    json_out_begin_array(&r->j, "connected");
    if (cfg->csv)
        perf_report_csv_begin(r);
    return r;
}

void perf_report_free(struct perf_report *r)
{
    if (r == NULL)
        return;
    json_out_free(&r->j);
    free(r->paths);
    free(r->samples);
    free(r->remote);
    free(r->have_remote);
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
    perf_report_text(r, "%s\n", line);
}

void perf_report_set_backend(struct perf_report *r,
                             const struct transport_ops *ops)
{
    r->backend = ops->name;
    transport_describe_stack(ops, r->stack, sizeof(r->stack));
}

void perf_report_connecting(struct perf_report *r, const char *host)
{
    /* -u is not iperf3's -u (UDP): say what it is. */
    perf_report_text(
        r,
        "Connecting to host %s, port %u (SCTP over UDP port %u, "
        "backend %s: %s)%s\n",
        host, (unsigned)r->cfg->port, (unsigned)r->cfg->udp_port,
        r->backend ? r->backend : "?", r->stack,
        r->cfg->unordered ? ", unordered SCTP delivery (-u), not UDP" : "");
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

/* "peer addresses: a, b", and with json "peer_addresses", when the
 * backend knows them; a backend that does also reports path events. */
static void peer_addrs_out(struct perf_report *r, unsigned int id,
                           const struct sockaddr_storage *addrs, size_t n,
                           bool json)
{
    char line[TRANSPORT_MAX_ADDRS * (NETADDR_STRLEN + 2)];
    size_t used = 0;
    size_t i;

    if (n == 0)
        return;
    r->paths_known = true;
    line[0] = '\0';
    if (json)
        json_out_begin_array(&r->j, "peer_addresses");
    for (i = 0; i < n && i < TRANSPORT_MAX_ADDRS; i++) {
        char host[NETADDR_STRLEN];

        netaddr_format_host((const struct sockaddr *)&addrs[i], host,
                            sizeof(host));
        if (json)
            json_out_string(&r->j, NULL, host);
        used += (size_t)snprintf(line + used, sizeof(line) - used, "%s%s",
                                 i ? ", " : "", host);
    }
    if (json)
        json_out_end_array(&r->j);
    perf_report_text(r, "[%3u] peer addresses: %s\n", id, line);
}

void perf_report_peer_addrs(struct perf_report *r, unsigned int id,
                            const struct sockaddr_storage *addrs, size_t n)
{
    peer_addrs_out(r, id, addrs, n, false);
}

/* An association's connect lines (text). */
static void connected_text(struct perf_report *r,
                           const struct perf_report_conn *c, const char *lhost,
                           unsigned lport, const char *rhost, unsigned rport,
                           bool nat)
{
    perf_report_text(r,
                     "[%3u] local %s port %u connected to %s port %u "
                     "(sctp %u -> %u, streams out %u in %u, path MTU %u",
                     c->id, lhost, lport, rhost, rport,
                     (unsigned)c->local_sctp_port,
                     (unsigned)c->remote_sctp_port, (unsigned)c->out_streams,
                     (unsigned)c->in_streams, (unsigned)c->pmtu);
    if (c->setup_us != 0)
        perf_report_text(r, ", set up in %" PRIu64 " us", c->setup_us);
    perf_report_text(r, ")\n");
    /* Two ports and a stream more than asked for: say why, once. */
    if (c->id == 1 && r->cfg->role == PERF_ROLE_CLIENT && rport != 0)
        perf_report_text(r,
                         "[%3u] SCTP port %u travels inside UDP port %u; "
                         "streams out %u = %u for data (--nstreams)%s\n",
                         c->id, (unsigned)c->remote_sctp_port, rport,
                         (unsigned)c->out_streams, (unsigned)r->cfg->nstreams,
                         r->cfg->no_control ? "" : " + 1 for control");
    else if (c->id == 1 && r->cfg->role == PERF_ROLE_CLIENT)
        perf_report_text(r,
                         "[%3u] SCTP over IP, no UDP; streams out %u = %u for "
                         "data (--nstreams)%s\n",
                         c->id, (unsigned)c->out_streams,
                         (unsigned)r->cfg->nstreams,
                         r->cfg->no_control ? "" : " + 1 for control");
    if (c->seen_as[0])
        perf_report_text(r, "[%3u] local %s, seen by server as %s%s\n", c->id,
                         c->local, c->seen_as,
                         nat ? " (address translated)" : "");
    /* The timers decide what loss costs: say them, once. */
    if (c->id == 1 && c->rto.min_ms != 0)
        perf_report_text(r,
                         "[%3u] retransmission timeout (this end): min %u, "
                         "max %u, initial %u ms\n",
                         c->id, (unsigned)c->rto.min_ms,
                         (unsigned)c->rto.max_ms, (unsigned)c->rto.initial_ms);
    if (c->id == 1 && !r->list)
        perf_report_text(r,
                         "(associations 2-%u: not listed one by one above "
                         "%u; -V lists them, -J has them all)\n",
                         r->cfg->parallel, (unsigned)PERF_LIST_ASSOCS);
}

void perf_report_connected(struct perf_report *r,
                           const struct perf_report_conn *c)
{
    char lhost[PERF_SEEN_LEN];
    char rhost[PERF_SEEN_LEN];
    unsigned lport;
    unsigned rport;
    bool nat = netaddr_translated(c->local, c->seen_as);
    /* -P 10000: the first association's lines only (all with -V) */
    bool text = r->list || c->id == 1;

    split_endpoint(c->local, lhost, sizeof(lhost), &lport);
    split_endpoint(c->remote, rhost, sizeof(rhost), &rport);
    if (c->id == 1)
        perf_report_set_buffers(r, c->sndbuf, c->rcvbuf);
    if (text)
        connected_text(r, c, lhost, lport, rhost, rport, nat);
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
    if (c->setup_us != 0)
        json_out_u64(&r->j, "setup_us", c->setup_us);
    if (c->rto.min_ms != 0) {
        json_out_u64(&r->j, "rto_min_ms", c->rto.min_ms);
        json_out_u64(&r->j, "rto_max_ms", c->rto.max_ms);
        json_out_u64(&r->j, "rto_initial_ms", c->rto.initial_ms);
    }
    if (c->seen_as[0]) {
        json_out_string(&r->j, "seen_as", c->seen_as);
        json_out_bool(&r->j, "address_translated", nat);
    }
    peer_addrs_out(r, c->id, c->peer_addrs, c->npeer_addrs, true);
    json_out_end_object(&r->j);
    r->nconns++;
}

/* The set-ups in text: counts, percentiles, the first failure. */
static void connect_text(struct perf_report *r,
                         const struct perf_report_connect *c)
{
    char rate[48] = "";

    if (c->rate)
        snprintf(rate, sizeof(rate), ", --connect-rate %u/s",
                 (unsigned)c->rate);
    perf_report_text(r,
                     "Associations: %u asked, %u established, %u failed in "
                     "%.2f s (at most %u INITs in flight%s)\n",
                     c->associations, c->established, c->failed, c->seconds,
                     c->inflight, rate);
    if (c->established > 0)
        perf_report_text(r,
                         "Set-up time (INIT to COMM_UP): p50 %.2f ms, p90 "
                         "%.2f ms, p99 %.2f ms, max %.2f ms\n",
                         c->p50_us / 1000.0, c->p90_us / 1000.0,
                         c->p99_us / 1000.0, c->max_us / 1000.0);
    if (c->first_error != NULL)
        perf_report_text(r, "First set-up failure: %s\n", c->first_error);
}

void perf_report_connect(struct perf_report *r,
                         const struct perf_report_connect *c)
{
    /* -P 1's connect line says its set-up time already: the text keeps
     * iperf3's shape unless there are several, or one failed */
    if (c->associations > 1 || c->failed > 0)
        connect_text(r, c);
    r->connect = *c;
    r->connect.first_error = NULL;
    snprintf(r->connect_error, sizeof(r->connect_error), "%s",
             c->first_error != NULL ? c->first_error : "");
    r->have_connect = true;
}

/* start.connect (docs/perf-json.md) */
static void connect_json(struct perf_report *r)
{
    const struct perf_report_connect *c = &r->connect;

    if (!r->have_connect)
        return;
    json_out_begin_object(&r->j, "connect");
    json_out_u64(&r->j, "associations", c->associations);
    json_out_u64(&r->j, "established", c->established);
    json_out_u64(&r->j, "failed", c->failed);
    if (c->rate)
        json_out_u64(&r->j, "connect_rate", c->rate);
    else
        json_out_null(&r->j, "connect_rate");
    json_out_u64(&r->j, "max_in_flight", c->inflight);
    json_out_double(&r->j, "seconds", c->seconds);
    if (c->established > 0) {
        json_out_begin_object(&r->j, "setup_us");
        json_out_u64(&r->j, "p50", c->p50_us);
        json_out_u64(&r->j, "p90", c->p90_us);
        json_out_u64(&r->j, "p99", c->p99_us);
        json_out_u64(&r->j, "max", c->max_us);
        json_out_end_object(&r->j);
    } else {
        json_out_null(&r->j, "setup_us");
    }
    if (r->connect_error[0])
        json_out_string(&r->j, "first_error", r->connect_error);
    json_out_end_object(&r->j);
}

void perf_report_path_event(struct perf_report *r, unsigned int id, double t,
                            const struct transport_path_event *ev)
{
    struct perf_report_path *p;
    char host[PERF_SEEN_LEN];

    netaddr_format_host((const struct sockaddr *)&ev->addr, host, sizeof(host));
    perf_report_text(r, "[path] %s %s (error %d) at %.2f s, association %u\n",
                     host, transport_path_state_name(ev->state), ev->error, t,
                     id);
    r->paths_known = true;
    if (r->npaths == r->paths_cap) {
        size_t cap = r->paths_cap ? r->paths_cap * 2 : 16;
        struct perf_report_path *n = realloc(r->paths, cap * sizeof(*n));

        if (n == NULL) {
            r->paths_dropped++;
            return;
        }
        r->paths = n;
        r->paths_cap = cap;
    }
    p = &r->paths[r->npaths++];
    p->id = id;
    p->time = t;
    snprintf(p->address, sizeof(p->address), "%s", host);
    p->state = transport_path_state_name(ev->state);
    p->error = ev->error;
}

void perf_report_path_dropped(struct perf_report *r, uint64_t dropped)
{
    if (dropped == 0)
        return;
    perf_report_text(r, "[path] %" PRIu64 " path events lost (queue full)\n",
                     dropped);
    r->paths_dropped += dropped;
}

void perf_report_json_paths(struct perf_report *r)
{
    size_t i;

    if (!r->paths_known)
        return;
    json_out_begin_array(&r->j, "path_events");
    for (i = 0; i < r->npaths; i++) {
        const struct perf_report_path *p = &r->paths[i];

        json_out_begin_object(&r->j, NULL);
        json_out_double(&r->j, "time", p->time);
        json_out_u64(&r->j, "socket", p->id);
        json_out_string(&r->j, "address", p->address);
        json_out_string(&r->j, "state", p->state);
        json_out_i64(&r->j, "error", p->error);
        json_out_end_object(&r->j);
    }
    json_out_end_array(&r->j);
    if (r->paths_dropped != 0)
        json_out_u64(&r->j, "path_events_dropped", r->paths_dropped);
}

void perf_report_begin_intervals(struct perf_report *r)
{
    const struct perf_config *c = r->cfg;

    if (r->in_intervals)
        return;
    r->in_intervals = true;
    json_out_end_array(&r->j); /* connected */
    connect_json(r);
    if (r->backend != NULL) {
        json_out_string(&r->j, "backend", r->backend);
        json_out_string(&r->j, "stack", r->stack);
    }
    json_out_begin_object(&r->j, "connecting_to");
    json_out_string(&r->j, "host", c->host);
    json_out_u64(&r->j, "port", c->port);
    json_out_end_object(&r->j);
    perf_report_iperf3_start(r);
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
    if (c->nppids > 0) {
        uint16_t i;

        json_out_begin_array(&r->j, "ppids");
        for (i = 0; i < c->nppids; i++)
            json_out_u64(&r->j, NULL, c->ppids[i]);
        json_out_end_array(&r->j);
    }
    json_out_u64(&r->j, "udp_port", c->udp_port);
    json_out_bool(&r->j, "unordered", c->unordered);
    json_out_bool(&r->j, "verify", c->verify);
    perf_report_iperf3_test_start(r);
    if (c->rr_resp != 0) {
        json_out_begin_object(&r->j, "rr");
        json_out_u64(&r->j, "request_size", c->length);
        json_out_u64(&r->j, "response_size", c->rr_resp);
        /* the client's alone: the server answers what comes */
        if (c->role == PERF_ROLE_CLIENT)
            json_out_u64(&r->j, "burst", c->rr_burst);
        json_out_end_object(&r->j);
    }
    json_out_end_object(&r->j);
    json_out_end_object(&r->j); /* start */
    if (c->json_stream) {
        perf_report_stream_emit(r);
        r->streamed_start = true;
        return;
    }
    json_out_begin_array(&r->j, "intervals");
}

/* Where a row's period ends within the interval start..end. */
static double row_end(const struct perf_report_row *row, double start,
                      double end)
{
    if (!row->ended || row->end >= end)
        return end;
    return row->end > start ? row->end : start;
}

/* A direction that had ended before the interval began says nothing. */
static bool row_shown(const struct perf_report_row *row, double start,
                      double end)
{
    return row_end(row, start, end) > start || row->bytes || row->messages;
}

/* The columns the shown rows have. */
static unsigned int interval_cols(const struct perf_report_row *rows, size_t n,
                                  double start, double end)
{
    unsigned int cols = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (!rows[i].sender || !row_shown(&rows[i], start, end))
            continue;
        cols |= PERF_COLS_RTX;
        if (rows[i].have_sctp)
            cols |= PERF_COLS_SCTP;
    }
    return cols;
}

bool perf_report_interval_sum(const struct perf_report_row *rows, size_t n,
                              double start, double end, bool sender,
                              struct perf_text_line *sum)
{
    bool any = false;
    size_t i;

    memset(sum, 0, sizeof(*sum));
    sum->sender = sender;
    sum->outbound = sender;
    sum->start = start;
    sum->end = start;
    for (i = 0; i < n; i++) {
        const struct perf_report_row *row = &rows[i];
        double e = row_end(row, start, end);

        if (row->sender != sender || !row_shown(row, start, end))
            continue;
        any = true;
        sum->bytes += row->bytes;
        sum->messages += row->messages;
        sum->retransmits += row->retransmits;
        if (e > sum->end)
            sum->end = e;
    }
    return any;
}

static void interval_row_json(struct perf_report *r, double start, double end,
                              bool omitted, const struct perf_report_row *row)
{
    json_out_begin_object(&r->j, NULL);
    json_out_u64(&r->j, "socket", row->id);
    perf_report_json_amounts(r, start, end, row->bytes, row->messages);
    if (row->sender)
        json_out_u64(&r->j, "retransmits", row->retransmits);
    if (row->have_sctp) {
        json_out_u64(&r->j, "snd_cwnd", row->cwnd);
        json_out_u64(&r->j, "rwnd", row->rwnd);
        /* iperf3's "rtt" is in microseconds too; the resolution says
         * whether it was measured in them or is a stack's whole ms */
        json_out_u64(&r->j, "rtt", row->srtt_us);
        json_out_u64(&r->j, "rtt_us", row->srtt_us);
        json_out_u64(&r->j, "rtt_resolution_us", row->rtt_resolution_us);
        /* iperf3's rttvar: only our own measurement has one */
        if (row->rtt_resolution_us == 1)
            json_out_u64(&r->j, "rttvar", row->rttvar_us);
        /* iperf3's snd_wnd is TCP's peer window: SCTP's peer rwnd */
        json_out_u64(&r->j, "snd_wnd", row->rwnd);
        json_out_u64(&r->j, "rto_ms", row->rto_ms);
        json_out_u64(&r->j, "pmtu", row->pmtu);
        perf_report_iperf3_sample(r, row);
    }
    if (row->rr != NULL) {
        struct perf_rr_summary s;

        perf_rr_summarize(row->rr, end - start, &s);
        perf_rr_json(&r->j, "rr", &s);
    }
    json_out_bool(&r->j, "omitted", omitted);
    json_out_bool(&r->j, "sender", row->sender);
    json_out_end_object(&r->j);
}

/*
 * --rr: the rows' transactions summed into sum (the period: start to the
 * latest row's end); false when no row has any.
 */
static bool interval_rr_sum(const struct perf_report_row *rows, size_t n,
                            double start, double end, struct perf_rr_stats *sum,
                            double *sum_end)
{
    bool any = false;
    size_t i;

    perf_rr_stats_init(sum);
    *sum_end = start;
    for (i = 0; i < n; i++) {
        double e = row_end(&rows[i], start, end);

        if (rows[i].rr == NULL || !row_shown(&rows[i], start, end))
            continue;
        any = true;
        perf_rr_stats_merge(sum, rows[i].rr);
        if (e > *sum_end)
            *sum_end = e;
    }
    return any;
}

/* --rr: a line per association (and their sum under -P), after the
 * data lines. */
static void interval_rr_text(struct perf_report *r, double start, double end,
                             const struct perf_report_row *rows, size_t n,
                             const struct perf_rr_stats *sum, double sum_end,
                             const char *note)
{
    struct perf_rr_summary s;
    size_t i;

    for (i = 0; i < n; i++) {
        double e = row_end(&rows[i], start, end);

        if (rows[i].rr == NULL || !row_shown(&rows[i], start, end))
            continue;
        perf_rr_summarize(rows[i].rr, e - start, &s);
        perf_report_text_rr(r, rows[i].id, start, e, &s, note);
    }
    if (r->cfg->parallel <= 1)
        return;
    perf_rr_summarize(sum, sum_end - start, &s);
    perf_report_text_rr(r, 0, start, sum_end, &s, note);
}

static void interval_sum_json(struct perf_report *r, bool omitted,
                              const struct perf_text_line *sum,
                              const struct perf_rr_stats *rr)
{
    /* iperf3: "sum" is client to server under --bidir, on both ends. */
    json_out_begin_object(&r->j, r->cfg->bidir &&
                                         !perf_report_forward(r, sum->outbound)
                                     ? "sum_bidir_reverse"
                                     : "sum");
    perf_report_json_amounts(r, sum->start, sum->end, sum->bytes,
                             sum->messages);
    if (sum->sender) {
        json_out_u64(&r->j, "retransmits", sum->retransmits);
        json_out_u64(&r->j, "rtx_timeouts", r->timeouts);
    }
    if (rr != NULL) {
        struct perf_rr_summary s;

        perf_rr_summarize(rr, sum->end - sum->start, &s);
        perf_rr_json(&r->j, "rr", &s);
    }
    json_out_bool(&r->j, "omitted", omitted);
    json_out_bool(&r->j, "sender", sum->sender);
    json_out_end_object(&r->j);
}

void perf_report_set_timeouts(struct perf_report *r, uint64_t count)
{
    r->timeouts = count;
}

void perf_report_interval(struct perf_report *r, double start, double end,
                          bool omitted, const struct perf_report_row *rows,
                          size_t nrows)
{
    unsigned int cols = interval_cols(rows, nrows, start, end);
    const char *note = omitted ? "(omitted)" : NULL;
    uint64_t resent = 0;
    bool multi = r->cfg->parallel > 1;
    struct perf_rr_stats *rr_sum = NULL;
    bool rr_any = false;
    double rr_end = start;
    size_t shown = 0;
    size_t i;
    int dir;

    for (i = 0; i < nrows; i++) {
        shown += row_shown(&rows[i], start, end);
        resent += rows[i].sender ? rows[i].retransmits : 0;
    }
    if (shown == 0)
        return;
    if (r->cfg->csv) {
        /* the end's extremes (and a server's EXTRAS) need the samples
         * that interval_row_json takes otherwise */
        for (i = 0; i < nrows; i++)
            if (row_shown(&rows[i], start, end))
                perf_report_iperf3_sample(r, &rows[i]);
        perf_report_csv_interval(r, start, end, omitted, rows, nrows);
        r->timeouts = 0;
        return;
    }
    /* usrsctp also counts a T3 timer that found nothing to resend (one
     * fires about RTO.Initial into every test, on a clean path too): only
     * timeouts in an interval that resent data are loss recovery. */
    if (resent == 0)
        r->timeouts = 0;
    perf_report_begin_intervals(r);
    if (r->nintervals++ == 0 || multi || cols != r->header_cols)
        perf_report_text_header(r, cols);
    r->header_cols = cols;
    if (r->cfg->json_stream) {
        perf_report_stream_begin(r, "interval");
        json_out_begin_object(&r->j, "data");
    } else {
        json_out_begin_object(&r->j, NULL);
    }
    json_out_begin_array(&r->j, "streams");
    for (i = 0; i < nrows; i++) {
        const struct perf_report_row *row = &rows[i];
        struct perf_text_line l;

        if (!row_shown(row, start, end))
            continue;
        memset(&l, 0, sizeof(l));
        l.id = row->id;
        l.outbound = row->sender; /* this end's own counts */
        l.start = start;
        l.end = row_end(row, start, end);
        l.bytes = row->bytes;
        l.messages = row->messages;
        l.sender = row->sender;
        l.retransmits = row->retransmits;
        l.sctp = row->have_sctp ? row : NULL;
        l.note = note;
        if (r->list)
            perf_report_text_line(r, &l, cols);
        interval_row_json(r, start, l.end, omitted, row);
    }
    json_out_end_array(&r->j);
    if (r->cfg->rr_resp != 0) {
        /* 30 KiB of histogram: not on the stack */
        rr_sum = malloc(sizeof(*rr_sum));
        rr_any = rr_sum != NULL &&
                 interval_rr_sum(rows, nrows, start, end, rr_sum, &rr_end);
    }
    for (dir = 1; dir >= 0; dir--) {
        struct perf_text_line sum;
        bool rr_dir = false;

        if (!perf_report_interval_sum(rows, nrows, start, end, dir == 1, &sum))
            continue;
        sum.note = note;
        if (multi)
            perf_report_text_line(r, &sum, cols);
        /* the requests' direction carries the transactions */
        for (i = 0; rr_any && i < nrows; i++)
            rr_dir =
                rr_dir || (rows[i].rr != NULL && (int)rows[i].sender == dir);
        interval_sum_json(r, omitted, &sum, rr_dir ? rr_sum : NULL);
    }
    if (rr_any)
        interval_rr_text(r, start, end, rows, nrows, rr_sum, rr_end, note);
    free(rr_sum);
    json_out_end_object(&r->j);
    if (r->timeouts > 0)
        perf_report_text_timeouts(r, start, end, r->timeouts);
    r->timeouts = 0;
    if (r->cfg->json_stream)
        perf_report_stream_emit(r);
    if (multi)
        perf_report_rule(r);
}

void perf_report_last_interval(struct perf_report *r, double start, double end,
                               bool omitted, const struct perf_report_row *rows,
                               size_t nrows)
{
    uint64_t moved = 0;
    size_t i;

    for (i = 0; i < nrows; i++)
        moved += rows[i].bytes + rows[i].messages;
    if (moved == 0 &&
        end - start < PERF_REPORT_SHORT_FRACTION * r->cfg->interval_s)
        return;
    perf_report_interval(r, start, end, omitted, rows, nrows);
}
void perf_report_set_error(struct perf_report *r, const char *msg)
{
    if (r->error[0] == '\0')
        snprintf(r->error, sizeof(r->error), "%s", msg);
}

void perf_report_error(struct perf_report *r, const char *msg)
{
    perf_report_set_error(r, msg);
    if (r->cfg->csv) /* no CSV line says it */
        fprintf(stderr, "sctpu-perf: error: %s\n", msg);
    else if (!r->cfg->json) {
        char line[600];

        snprintf(line, sizeof(line), "sctpu-perf: error: %s\n", msg);
        write_lines(r->cfg, r->out, &r->bol, line);
    }
    if (r->tee != NULL)
        fprintf(r->tee, "error: %s\n", msg);
}

int perf_report_finish(struct perf_report *r)
{
    if (r->cfg->csv) {
        fflush(r->out);
        return 0;
    }
    if (!r->cfg->json) {
        /* iperf3's last line, but only when it is true. */
        if (r->error[0] == '\0')
            perf_report_text(r, "\nsctpu-perf Done.\n");
        fflush(r->out);
        return 0;
    }
    if (r->cfg->json_stream) {
        /* The start event, if the test failed before it was out. */
        perf_report_begin_intervals(r);
        if (r->error[0] != '\0') {
            perf_report_stream_begin(r, "error");
            json_out_string(&r->j, "data", r->error);
            perf_report_stream_emit(r);
        }
        return r->stream_failed ? -1 : 0;
    }
    /* Close whatever is still open so the document always parses. */
    while (r->j.depth > 1) {
        if (!r->in_intervals) {
            perf_report_begin_intervals(r);
            continue;
        }
        json_out_end_array(&r->j);
        if (r->j.depth > 1)
            json_out_end_object(&r->j);
    }
    /* iperf3 writes an empty "end" when the test failed early: scripts
     * that index data["end"] read ours too */
    if (!r->have_end) {
        json_out_begin_object(&r->j, "end");
        json_out_end_object(&r->j);
    }
    if (r->error[0] != '\0')
        json_out_string(&r->j, "error", r->error);
    json_out_end_object(&r->j);
    return json_out_write(&r->j, r->out);
}
