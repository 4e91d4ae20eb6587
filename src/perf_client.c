/*
 * perf_client.c - the sctpu-perf client: agree on the test with the
 * server over the control stream, run it, report. The associations it
 * runs over are made and watched in perf_client_conn.c.
 *
 * Phases: CONNECTING (associations coming up, HELLO/PARAMS sent) ->
 * NEGOTIATING (waiting for READY) -> RUNNING (data; each sender ends with
 * END once its data is acknowledged) -> FINISHING (waiting for RESULTS and
 * DONE) -> CLOSING (graceful shutdowns) -> done. With --no-control there is
 * no negotiation: data starts as soon as every association is up.
 */
#include <errno.h>
#include <event2/event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "impair_report.h"
#include "perf_stream_tx.h"
#include "log.h"
#include "perf_client_priv.h"
#include "perf_rows.h"
#include "perf_rr.h"
#include "perf_tuning.h"

void perf_client_set_phase(struct perf_client *cl, enum client_phase p)
{
    cl->phase = p;
    cl->phase_ns = perf_now_ns();
}

/* The test failed: say why once and stop the loop. */
void perf_client_fail(struct perf_client *cl, const char *fmt, ...)
{
    va_list ap;

    if (cl->error[0] == '\0') {
        va_start(ap, fmt);
        vsnprintf(cl->error, sizeof(cl->error), fmt, ap);
        va_end(ap);
    }
    perf_client_set_phase(cl, CL_DONE);
    event_base_loopexit(cl->rt.base, NULL);
}

bool perf_client_sends(const struct perf_config *cfg)
{
    return !cfg->reverse || cfg->bidir;
}

bool perf_client_receives(const struct perf_config *cfg)
{
    return !cfg->no_control && (cfg->reverse || cfg->bidir);
}

static int send_msg(struct perf_flow *f, int len, const uint8_t *buf)
{
    if (len < 0)
        return len;
    return perf_flow_send_control(f, buf, (size_t)len);
}

static void fill_params(const struct perf_config *c, struct perf_params *p)
{
    struct perf_tuning tu;

    memset(p, 0, sizeof(*p));
    p->duration_ms = (uint64_t)(c->duration_s * 1000 + 0.5);
    p->bytes = c->bytes;
    p->messages = c->messages;
    p->omit_ms = (uint64_t)(c->omit_s * 1000 + 0.5);
    p->rate_bps = c->rate_bps;
    p->interval_ms = (uint32_t)(c->interval_s * 1000 + 0.5);
    p->burst = c->burst;
    p->length = c->length;
    p->window = c->window;
    p->pr_value = c->pr_value;
    perf_tuning_from_config(c, &tu);
    p->sack_delay_ms = tu.sack_delay_ms;
    p->sack_freq = tu.sack_freq;
    p->parallel = (uint16_t)c->parallel;
    p->nstreams = c->nstreams;
    p->reverse = c->reverse;
    p->bidir = c->bidir;
    p->unordered = c->unordered;
    p->verify = c->verify;
    p->pr_policy = (uint8_t)c->pr_policy;
    p->nodelay = tu.nodelay;
    p->get_server_output = c->get_server_output;
    p->nppids = c->nppids;
    memcpy(p->ppids, c->ppids, (size_t)c->nppids * sizeof(c->ppids[0]));
    p->rr_resp = c->rr_resp;
    /* --stream: the largest message any stream sends, so that the
     * server's buffer checks (--max-buffer-memory, -w) count it; the
     * server holds every spec's len= to it. */
    if (c->streams.n > 0)
        p->length = perf_stream_tx_max_len(&c->streams);
}

static void send_params(struct perf_client *cl, struct perf_flow *f,
                        unsigned int index)
{
    uint8_t buf[PERF_PROTO_PARAMS_MAX];
    struct perf_hello hello;
    struct perf_params params;

    memcpy(hello.cookie, cl->cookie, sizeof(hello.cookie));
    hello.index = (uint16_t)index;
    hello.count = (uint16_t)cl->nflows;
    send_msg(f, perf_proto_encode_hello(buf, sizeof(buf), &hello), buf);
    if (index != 0)
        return;
    /* --stream's specs go first: the server checks them with PARAMS. */
    perf_client_send_streams(cl, f);
    fill_params(cl->cfg, &params);
    send_msg(f, perf_proto_encode_params(buf, sizeof(buf), &params), buf);
}

/*
 * --impair's counts over every transport of the client (one, or one per
 * association with --udp-per-assoc) into out; false when it is off.
 */
static bool client_impair(const struct perf_client *cl,
                          struct transport_counters *out)
{
    struct transport_counters c;
    unsigned int i;

    transport_get_counters(cl->rt.t, out);
    for (i = 0; i < cl->nflows; i++) {
        if (cl->t[i] == NULL || cl->t[i] == cl->rt.t)
            continue;
        transport_get_counters(cl->t[i], &c);
        impair_counts_add(&out->impair_tx, &c.impair_tx);
        impair_counts_add(&out->impair_rx, &c.impair_rx);
        out->rx_sacks_with_gaps += c.rx_sacks_with_gaps;
        out->rx_sack_dup_tsns += c.rx_sack_dup_tsns;
    }
    return impair_report_any(out);
}

/* Print the connect line of every association. */
static void report_connected(struct perf_client *cl)
{
    struct perf_tuning tu;
    unsigned int i;

    perf_tuning_from_config(cl->cfg, &tu);
    if (tu.small_paced)
        perf_report_line(cl->rep,
                         "Small paced messages (-l %u with -b): SCTP_NODELAY "
                         "and a SACK for every packet at both ends, so the "
                         "SRTT is the path's (--sack-freq 2 keeps delayed "
                         "SACKs)",
                         (unsigned)cl->cfg->length);

    for (i = 0; i < cl->nflows; i++) {
        struct transport_assoc_info info;
        struct perf_report_conn c;
        struct sockaddr_storage paddrs[TRANSPORT_MAX_ADDRS];

        memset(&c, 0, sizeof(c));
        c.id = i + 1;
        c.peer_addrs = paddrs;
        c.npeer_addrs = transport_peer_addrs(perf_flow_conn(cl->flows[i]),
                                             paddrs, TRANSPORT_MAX_ADDRS);
        if (transport_get_info(perf_flow_conn(cl->flows[i]), &info) == 0) {
            transport_peer_name(&info, c.remote, sizeof(c.remote));
            c.local_sctp_port = info.local_sctp_port;
            c.remote_sctp_port = info.peer_sctp_port;
            c.out_streams = info.out_streams;
            c.in_streams = info.in_streams;
            c.pmtu = info.pathmtu;
            c.sndbuf = info.sndbuf;
            c.rcvbuf = info.rcvbuf;
        }
        c.setup_us = perf_flow_setup_us(cl->flows[i]);
        snprintf(c.local, sizeof(c.local), "%s", cl->local[i]);
        transport_get_rto(cl->t[i], &c.rto);
        if (i < cl->ready.count)
            perf_text_printable(c.seen_as, sizeof(c.seen_as), cl->ready.seen[i],
                                false);
        perf_report_connected(cl->rep, &c);
    }
}

static void client_start_data(struct perf_client *cl)
{
    const struct perf_config *c = cl->cfg;
    struct perf_params params;
    struct perf_send_params sp;
    struct perf_intervals_setup is;
    unsigned int i;

    fill_params(c, &params);
    perf_flow_send_params(&params, &sp);
    sp.rr_burst = c->rr_burst; /* the client's alone: the server answers
                                  every request as it comes */
    if (perf_client_streams_start(cl, &sp) < 0) {
        perf_client_fail(cl, "out of memory");
        return;
    }

    perf_client_set_phase(cl, CL_RUNNING);
    cl->start_ns = perf_now_ns();
    cl->timeouts_at_start = perf_rows_timeouts(&cl->rt);
    getrusage(RUSAGE_SELF, &cl->ru_start);
    for (i = 0; i < cl->nflows; i++) {
        perf_flow_mark_start(cl->flows[i],
                             perf_client_receives(c) ? &sp : NULL);
        if (perf_client_sends(c) &&
            perf_flow_start_send(cl->flows[i], &sp) < 0) {
            perf_client_fail(cl, "out of memory");
            return;
        }
        cl->send_done[i] = !perf_client_sends(c);
        cl->recv_done[i] = !perf_client_receives(c);
    }
    memset(&is, 0, sizeof(is));
    is.base = cl->rt.base;
    is.rep = cl->rep;
    is.rt = &cl->rt;
    is.flows = cl->flows;
    is.nflows = cl->nflows;
    is.sends = perf_client_sends(c);
    is.receives = perf_client_receives(c);
    is.rr = c->rr_resp != 0;
    is.interval_s = c->interval_s;
    is.omit_s = c->omit_s;
    is.duration_s = c->bytes || c->messages ? 0 : c->duration_s;
    is.start_ns = &cl->start_ns;
    is.ru_start = &cl->ru_start;
    is.recv_done = cl->recv_done;
    is.recv_secs = cl->recv_secs;
    cl->intervals = perf_intervals_start(&is);
    if (cl->intervals == NULL)
        perf_client_fail(cl, "out of memory");
}

static double secs_since(uint64_t start_ns)
{
    return (double)(perf_now_ns() - start_ns) / 1e9;
}

/* The server's DONE, once every association's data is through: close. */
static void client_close_all(struct perf_client *cl)
{
    unsigned int i;

    perf_client_set_phase(cl, CL_CLOSING);
    for (i = 0; i < cl->nflows; i++)
        transport_shutdown(perf_flow_conn(cl->flows[i]));
}

/* Every local sender said END and every remote one was heard. */
static void client_check_data_done(struct perf_client *cl)
{
    unsigned int i;

    for (i = 0; i < cl->nflows; i++)
        if (!cl->send_done[i] || !cl->recv_done[i])
            return;
    /* The last, partial interval, so the intervals add up to the end. */
    perf_intervals_finish(cl->intervals);
    /* --compare: the SCTP state while every association is still up. */
    for (i = 0; cl->outcome != NULL && i < cl->nflows; i++) {
        struct transport_assoc_info info;

        if (transport_get_info(perf_flow_conn(cl->flows[i]), &info) == 0)
            perf_compare_note_assoc(cl->outcome, &info);
    }
    perf_client_set_phase(cl, CL_FINISHING);
    if (cl->cfg->no_control || cl->done_early)
        client_close_all(cl);
}

static void on_send_done(struct perf_flow *f, void *arg)
{
    struct perf_client *cl = arg;
    int i = perf_flow_tag(f);
    uint8_t buf[PERF_PROTO_HDR_LEN];

    cl->send_secs[i] =
        perf_rows_span_secs(cl->start_ns, perf_flow_send_stop_ns(f));
    cl->send_done[i] = true;
    if (!cl->cfg->no_control)
        send_msg(f, perf_proto_encode_empty(buf, sizeof(buf), PERF_MSG_END),
                 buf);
    client_check_data_done(cl);
}

/* The server's EXTRAS into the report: its CPU parts (association 1's,
 * as cpu_remote is) and the samples of each association it sent on. */
static void client_note_extras(struct perf_client *cl,
                               struct perf_report_final *fin)
{
    unsigned int i;

    if (cl->have_extras == NULL)
        return; /* not asked (an older server), or not told */
    if (cl->have_extras[0] && cl->remote[0] != NULL) {
        fin->have_remote_parts = true;
        fin->cpu_remote_user = cl->extras[0].cpu_user_x100 / 100.0;
        fin->cpu_remote_system = cl->extras[0].cpu_system_x100 / 100.0;
    }
    for (i = 0; i < cl->nflows; i++) {
        const struct perf_extras *e = &cl->extras[i];
        struct perf_sender_extremes x;

        if (!cl->have_extras[i] || !e->have_sender)
            continue;
        x.min_rtt_us = e->min_rtt_us;
        x.mean_rtt_us = e->mean_rtt_us;
        x.max_rtt_us = e->max_rtt_us;
        x.max_snd_cwnd = e->max_snd_cwnd;
        x.max_snd_wnd = e->max_snd_wnd;
        perf_report_set_remote_sender(cl->rep, i + 1, &x);
    }
}

static bool on_results(struct perf_client *cl, const uint8_t *msg, size_t len)
{
    uint16_t max = (uint16_t)(cl->cfg->nstreams + 1);
    struct remote_results *rr =
        calloc(1, sizeof(*rr) + 2 * (size_t)max * sizeof(rr->counts[0]));
    int rc;

    if (rr == NULL) {
        perf_client_fail(cl, "out of memory");
        return false;
    }
    rr->r.sent.streams = rr->counts;
    rr->r.received.streams = rr->counts + max;
    rc = perf_proto_decode_results(msg, len, &rr->r, max);
    if (rc < 0 || rr->r.index >= cl->nflows || cl->remote[rr->r.index]) {
        free(rr);
        perf_client_fail(cl, "malformed RESULTS from the server");
        return false;
    }
    rr->have = true;
    cl->remote[rr->r.index] = rr;
    return true;
}

/* EXTRAS: only when asked, once per association, before its RESULTS. */
static bool on_extras(struct perf_client *cl, const uint8_t *msg, size_t len)
{
    struct perf_extras e;

    if (!cl->want_extras || perf_proto_decode_extras(msg, len, &e) < 0 ||
        e.index >= cl->nflows ||
        (cl->have_extras != NULL && cl->have_extras[e.index])) {
        perf_client_fail(cl, "malformed or unasked EXTRAS from the server");
        return false;
    }
    if (cl->extras == NULL) {
        cl->extras = calloc(cl->nflows, sizeof(*cl->extras));
        cl->have_extras = calloc(cl->nflows, sizeof(*cl->have_extras));
        if (cl->extras == NULL || cl->have_extras == NULL) {
            perf_client_fail(cl, "out of memory");
            return false;
        }
    }
    cl->extras[e.index] = e;
    cl->have_extras[e.index] = true;
    return true;
}

/* An ERROR's reason is one line: longer ones are cut (and say so). */
#define PERF_ERROR_PRINT_MAX 512

static bool on_text(struct perf_client *cl, const uint8_t *msg, size_t len,
                    int type)
{
    struct perf_text *t = malloc(sizeof(*t));

    if (t == NULL || perf_proto_decode_text(msg, len, t) < 0) {
        free(t);
        perf_client_fail(cl, "malformed text message from the server");
        return false;
    }
    if (type == PERF_MSG_ERROR) {
        char why[PERF_ERROR_PRINT_MAX];

        /* A server from before --rr reads its PARAMS as malformed. */
        bool old = cl->cfg->rr_resp != 0 &&
                   strcmp(t->text, "a malformed PARAMS message") == 0;

        perf_client_fail(cl, "server: %s%s",
                         perf_text_printable(why, sizeof(why), t->text, false),
                         old ? " (a server older than --rr reads it so: "
                               "update the server)"
                             : "");
        free(t);
        return false;
    }
    /* Each byte may become 4 ("\\xNN"); the text has fewer than
     * PERF_TEXT_MAX. */
    free(cl->server_output);
    cl->server_output = malloc(4 * PERF_TEXT_MAX);
    if (cl->server_output != NULL)
        perf_text_printable(cl->server_output, 4 * PERF_TEXT_MAX, t->text,
                            true);
    free(t);
    return true;
}

static bool on_control(struct perf_flow *f, const uint8_t *msg, size_t len,
                       void *arg)
{
    struct perf_client *cl = arg;
    int type = perf_proto_type(msg, len);
    int i = perf_flow_tag(f);

    switch (type) {
    case PERF_MSG_READY:
        if (cl->phase != CL_NEGOTIATING ||
            perf_proto_decode_ready(msg, len, &cl->ready) < 0)
            break;
        report_connected(cl);
        {
            uint8_t buf[PERF_PROTO_HDR_LEN];

            /* Only a server that offered them: an older one would drop
             * the test on a type it does not know. */
            if (cl->ready.caps & PERF_CAP_EXTRAS) {
                cl->want_extras = true;
                send_msg(cl->flows[0],
                         perf_proto_encode_empty(buf, sizeof(buf),
                                                 PERF_MSG_WANT_EXTRAS),
                         buf);
            }
            send_msg(cl->flows[0],
                     perf_proto_encode_empty(buf, sizeof(buf), PERF_MSG_START),
                     buf);
        }
        client_start_data(cl);
        return true;
    case PERF_MSG_END:
        cl->recv_secs[i] =
            perf_rows_span_secs(cl->start_ns, perf_flow_last_rx_ns(f));
        cl->recv_done[i] = true;
        client_check_data_done(cl);
        return true;
    case PERF_MSG_RESULTS:
        return on_results(cl, msg, len);
    case PERF_MSG_LATENCY:
        return perf_client_on_latency(cl, msg, len);
    case PERF_MSG_EXTRAS:
        return on_extras(cl, msg, len);
    case PERF_MSG_SERVER_OUTPUT:
    case PERF_MSG_ERROR:
        return on_text(cl, msg, len, type);
    case PERF_MSG_DONE:
        if (cl->phase == CL_RUNNING && !cl->done_early) {
            /* Another association's END is still on its way. */
            cl->done_early = true;
            return true;
        }
        if (cl->phase != CL_FINISHING)
            break;
        client_close_all(cl);
        return true;
    default:
        break;
    }
    perf_client_fail(cl, "unexpected control message %d from the server", type);
    return false;
}

static void on_connected(struct perf_flow *f, void *arg)
{
    struct perf_client *cl = arg;
    int i = perf_flow_tag(f);
    struct transport_assoc_info info;

    perf_client_connect_done(cl, (unsigned int)i, true, NULL);
    if (cl->phase == CL_DONE)
        return;
    if (transport_get_info(perf_flow_conn(f), &info) == 0 &&
        info.out_streams < cl->cfg->nstreams + (cl->cfg->no_control ? 0 : 1)) {
        perf_client_fail(cl, "the server allows %u outbound streams; %u needed",
                         (unsigned)info.out_streams,
                         (unsigned)cl->cfg->nstreams + !cl->cfg->no_control);
        return;
    }
    if (!cl->cfg->no_control)
        send_params(cl, f, (unsigned int)i);
    if (cl->nup < cl->nflows)
        return;
    if (cl->cfg->no_control) {
        report_connected(cl);
        client_start_data(cl);
    } else {
        perf_client_set_phase(cl, CL_NEGOTIATING);
    }
}

static void on_closed(struct perf_flow *f, int err, void *arg)
{
    struct perf_client *cl = arg;
    int i = perf_flow_tag(f);

    if (cl->phase == CL_CLOSING && err == 0) {
        if (++cl->nclosed == cl->nflows) {
            perf_client_set_phase(cl, CL_DONE);
            event_base_loopexit(cl->rt.base, NULL);
        }
        return;
    }
    if (cl->phase == CL_DONE)
        return;
    if (err == 0)
        perf_client_fail(cl, "the server closed association %d", i + 1);
    else if (!cl->up[i] && cl->phase == CL_CONNECTING) {
        char why[200];

        /* Counted: the others go on, the test fails once all answered */
        if (cl->failed[i])
            return;
        snprintf(why, sizeof(why),
                 "cannot associate with %s udp/%u sctp/%u: %s", cl->host,
                 (unsigned)cl->cfg->udp_port, (unsigned)cl->cfg->port,
                 transport_conn_strerror(perf_flow_conn(f)));
        perf_client_connect_done(cl, (unsigned int)i, false, why);
    } else if (!cl->up[i])
        perf_client_fail(cl, "cannot associate with %s udp/%u sctp/%u: %s",
                         cl->host, (unsigned)cl->cfg->udp_port,
                         (unsigned)cl->cfg->port,
                         transport_conn_strerror(perf_flow_conn(f)));
    else
        perf_client_fail(cl, "association %d lost: %s", i + 1,
                         transport_conn_strerror(perf_flow_conn(f)));
}

const struct perf_flow_ops perf_client_flow_ops = {
    .on_connected = on_connected,
    .on_control = on_control,
    .on_send_done = on_send_done,
    .on_closed = on_closed,
};

/* The final lines: each direction's numbers from the end that counted
 * them (the sender's for sent, the receiver's for received). */
static void client_report_final(struct perf_client *cl)
{
    struct perf_report_dir *dirs =
        calloc(4 * (size_t)cl->nflows, sizeof(*dirs));
    struct perf_report_final fin;
    struct transport_counters impair;
    struct perf_report_rr *rrs = NULL;
    size_t nrr = 0;
    size_t n = 0;
    unsigned int i;
    double wall = secs_since(cl->start_ns);

    perf_client_report_paths(cl);
    if (cl->cfg->rr_resp != 0)
        rrs = calloc(cl->nflows, sizeof(*rrs));
    if (dirs == NULL || (cl->cfg->rr_resp != 0 && rrs == NULL)) {
        free(dirs);
        free(rrs);
        perf_report_error(cl->rep, "out of memory for the final report");
        return;
    }
    for (i = 0; i < cl->nflows; i++) {
        struct remote_results *rr = cl->remote[i];
        double rsecs = rr ? (double)rr->r.duration_us / 1e6 : 0;

        if (perf_client_sends(cl->cfg)) {
            perf_rows_add_dir(dirs, &n, i + 1, true, true, cl->send_secs[i],
                              perf_flow_sent(cl->flows[i]));
            if (rr != NULL)
                perf_rows_add_dir(dirs, &n, i + 1, false, true, rsecs,
                                  &rr->r.received);
        }
        if (perf_client_receives(cl->cfg)) {
            if (rr != NULL)
                perf_rows_add_dir(dirs, &n, i + 1, true, false, rsecs,
                                  &rr->r.sent);
            perf_rows_add_dir(dirs, &n, i + 1, false, false, cl->recv_secs[i],
                              perf_flow_received(cl->flows[i]));
        }
        if (rrs != NULL && perf_flow_rr_total(cl->flows[i]) != NULL) {
            struct perf_report_rr *a = &rrs[nrr++];

            memset(a, 0, sizeof(*a));
            a->id = i + 1;
            a->seconds = cl->send_secs[i];
            a->stats = perf_flow_rr_total(cl->flows[i]);
            a->have_server = rr != NULL;
            a->server_transactions = rr ? rr->r.sent.messages : 0;
            a->request_bytes = perf_flow_sent(cl->flows[i])->bytes;
            a->response_bytes = perf_flow_received(cl->flows[i])->bytes;
        }
    }
    memset(&fin, 0, sizeof(fin));
    fin.dirs = dirs;
    fin.ndirs = n;
    fin.rr = rrs;
    fin.nrr = nrr;
    /* one reading: host_total is exactly host_user + host_system */
    perf_rows_cpu_parts(&cl->ru_start, wall, &fin.cpu_local_user,
                        &fin.cpu_local_system);
    fin.cpu_local = fin.cpu_local_user + fin.cpu_local_system;
    fin.cpu_remote = cl->remote[0] ? cl->remote[0]->r.cpu_x100 / 100.0 : -1;
    client_note_extras(cl, &fin);
    fin.server_output = cl->server_output;
    if (client_impair(cl, &impair))
        fin.impair = &impair;
    fin.pcap = cl->cfg->sock.pcap;
    if (cl->cfg->streams.n > 0) {
        perf_client_collect_latency(cl);
        perf_report_set_latency(
            cl->rep, (const struct perf_latency_report *const *)cl->latency,
            cl->nflows);
    }
    perf_report_final(cl->rep, &fin);
    if (cl->outcome != NULL)
        perf_compare_note_final(cl->outcome, &fin);
    if (perf_client_sends(cl->cfg))
        perf_rows_warn_timeouts(
            &cl->rt, cl->timeouts_at_start,
            perf_rows_retransmits(cl->flows, cl->nflows), cl->flows[0],
            perf_rows_longest(cl->send_secs, cl->nflows, wall), "this client");
    free(dirs);
    free(rrs);
}

/* The streams of one direction, as its receiver counted them. */
static bool streams_bad(const struct perf_dir_counts *d, bool unordered,
                        uint64_t may_miss)
{
    uint64_t missing = 0;
    uint16_t s;

    for (s = 0; d != NULL && s < d->nstreams; s++) {
        const struct perf_stream_counts *c = &d->streams[s];

        if (c->corrupt || c->duplicate || (c->out_of_order && !unordered))
            return true;
        missing += c->missing;
    }
    return missing > may_miss;
}

/*
 * --verify: any corrupt or duplicate message, a late one on an ordered
 * stream, or a missing one beyond what PR-SCTP says it abandoned.
 */
static const char *verify_problem(struct perf_client *cl)
{
    const struct perf_config *c = cl->cfg;
    unsigned int i;

    if (!c->verify)
        return NULL;
    for (i = 0; i < cl->nflows; i++) {
        struct remote_results *rr = cl->remote[i];

        if (perf_client_sends(c) && rr != NULL &&
            streams_bad(&rr->r.received, c->unordered,
                        perf_flow_sent(cl->flows[i])->abandoned))
            return "verification found errors (see the stream table)";
        if (perf_client_receives(c) &&
            streams_bad(perf_flow_received(cl->flows[i]), c->unordered,
                        rr != NULL ? rr->r.sent.abandoned : 0))
            return "verification found errors (see the stream table)";
    }
    return NULL;
}

/* --rr: a response of another size than RESP is a server (or path) that
 * does not do what the test asked. */
static const char *rr_problem(struct perf_client *cl)
{
    unsigned int i;

    for (i = 0; i < cl->nflows; i++) {
        const struct perf_rr_stats *s = perf_flow_rr_total(cl->flows[i]);

        if (s != NULL && s->wrong_size > 0)
            return "--rr: responses of another size than RESP came "
                   "(wrong_size_responses)";
    }
    return NULL;
}

/* A limited test that had not reached its end, in the words of its
 * limit; "" for -t 0 (an interrupt is how that test ends) or once the
 * data is through. */
static void note_cut_short(struct perf_client *cl, double secs)
{
    const struct perf_config *c = cl->cfg;
    bool sending = false;
    unsigned int i;

    for (i = 0; i < cl->nflows; i++)
        sending =
            sending || !cl->recv_done[i] ||
            (perf_client_sends(c) && perf_flow_send_stop_ns(cl->flows[i]) == 0);
    if (!sending)
        return;
    if (c->bytes)
        snprintf(cl->cut_short, sizeof(cl->cut_short),
                 "interrupted after %.2f s, before -n %llu bytes were sent",
                 secs, (unsigned long long)c->bytes);
    else if (c->messages)
        snprintf(cl->cut_short, sizeof(cl->cut_short),
                 "interrupted after %.2f s, before -k %llu messages were "
                 "sent",
                 secs, (unsigned long long)c->messages);
    else if (c->duration_s > 0 && secs < c->duration_s)
        snprintf(cl->cut_short, sizeof(cl->cut_short),
                 "interrupted after %.2f s of -t %g", secs, c->duration_s);
}

/*
 * SIGINT/SIGTERM mid-test ends it the way its limit would: our senders
 * stop and drain, the server is asked to stop its own (an END where we
 * send nothing), the results are exchanged and the summary printed. A
 * second signal, or one before the data started, quits at once.
 */
void perf_client_stop(void *arg)
{
    struct perf_client *cl = arg;
    uint8_t buf[PERF_PROTO_HDR_LEN];
    unsigned int i;

    if (cl->phase == CL_DONE)
        return;
    if (cl->interrupted) {
        perf_client_fail(cl, "interrupted again: quitting without the results");
        return;
    }
    if (cl->phase < CL_RUNNING) {
        perf_client_fail(cl, "interrupted before the test started");
        return;
    }
    cl->interrupted = true;
    log_warn("interrupted: ending the test and collecting the results "
             "(interrupt again to quit at once)");
    if (cl->phase != CL_RUNNING)
        return; /* the data is through already */
    note_cut_short(cl, secs_since(cl->start_ns));
    for (i = 0; i < cl->nflows; i++) {
        if (perf_client_sends(cl->cfg))
            perf_flow_stop_send(cl->flows[i]);
        else if (!cl->cfg->no_control && !cl->recv_done[i])
            send_msg(cl->flows[i],
                     perf_proto_encode_empty(buf, sizeof(buf), PERF_MSG_END),
                     buf);
    }
}

static void make_cookie(uint8_t *cookie)
{
    uint64_t a = perf_now_ns();
    uint64_t b = (uint64_t)getpid() << 32 ^ (uint64_t)(uintptr_t)cookie;
    size_t i;

    /* Unique per test, not secret: it only groups associations. */
    for (i = 0; i < PERF_COOKIE_LEN; i++) {
        a = a * 6364136223846793005ull + b + i;
        cookie[i] = (uint8_t)(a >> 56);
    }
}

/* The per-association arrays, nflows entries each. */
static int client_alloc(struct perf_client *cl)
{
    size_t n = cl->nflows;

    cl->t = calloc(n, sizeof(*cl->t));
    cl->local = calloc(n, sizeof(*cl->local));
    cl->flows = calloc(n, sizeof(*cl->flows));
    cl->up = calloc(n, sizeof(*cl->up));
    cl->send_done = calloc(n, sizeof(*cl->send_done));
    cl->recv_done = calloc(n, sizeof(*cl->recv_done));
    cl->send_secs = calloc(n, sizeof(*cl->send_secs));
    cl->recv_secs = calloc(n, sizeof(*cl->recv_secs));
    cl->remote = calloc(n, sizeof(*cl->remote));
    cl->latency = calloc(n, sizeof(*cl->latency));
    cl->failed = calloc(n, sizeof(*cl->failed));
    if (cl->failed == NULL || cl->t == NULL || cl->local == NULL ||
        cl->flows == NULL || cl->up == NULL || cl->send_done == NULL ||
        cl->recv_done == NULL || cl->send_secs == NULL ||
        cl->recv_secs == NULL || cl->remote == NULL || cl->latency == NULL)
        return -1;
    return 0;
}

int perf_client_run(const struct perf_config *cfg)
{
    return perf_client_run_outcome(cfg, stdout, NULL);
}

int perf_client_run_outcome(const struct perf_config *cfg, FILE *out,
                            struct perf_outcome *res)
{
    struct perf_client *cl = calloc(1, sizeof(*cl));
    struct timeval tick = { 0, 250000 };
    const char *problem;
    int rc;

    if (res != NULL) {
        memset(res, 0, sizeof(*res));
        res->cpu_local = res->cpu_remote = -1;
        snprintf(res->error, sizeof(res->error), "the test did not start");
    }
    if (cl == NULL)
        return RUNTIME_EXIT_FAIL;
    cl->cfg = cfg;
    cl->nflows = cfg->parallel;
    cl->outcome = res;
    cl->rep = perf_report_new(cfg, out);
    make_cookie(cl->cookie);
    if (cl->rep != NULL)
        perf_report_set_cookie(cl->rep, cl->cookie, sizeof(cl->cookie));
    if (cl->rep == NULL || client_alloc(cl) < 0) {
        perf_client_free(cl);
        return RUNTIME_EXIT_FAIL;
    }
    perf_client_set_phase(cl, CL_CONNECTING);
    rc = perf_client_setup(cl);
    if (rc != RUNTIME_EXIT_OK) {
        perf_client_free(cl);
        return rc;
    }
    event_add(cl->watchdog_ev, &tick);
    event_base_dispatch(cl->rt.base);
    /* Cut short while connecting: the set-ups so far */
    perf_client_report_connect(cl);

    if (cl->error[0] == '\0' && cl->phase >= CL_CLOSING)
        client_report_final(cl);
    problem = cl->error[0] ? cl->error : verify_problem(cl);
    if (problem == NULL)
        problem = rr_problem(cl);
    if (res != NULL) {
        res->ran = problem == NULL && cl->phase >= CL_CLOSING;
        snprintf(res->error, sizeof(res->error), "%s",
                 problem            ? problem
                 : cl->cut_short[0] ? cl->cut_short
                                    : "");
    }
    if (problem != NULL)
        perf_report_error(cl->rep, problem);
    else if (cl->cut_short[0] != '\0')
        perf_report_set_error(cl->rep, cl->cut_short);
    rc = perf_report_finish(cl->rep) < 0 ? RUNTIME_EXIT_FAIL : RUNTIME_EXIT_OK;
    if (problem != NULL) {
        /* Text mode printed it already; with -J say it on stderr too. */
        if (cfg->json)
            log_err("%s", problem);
        rc = RUNTIME_EXIT_FAIL;
    } else if (cl->cut_short[0] != '\0') {
        /* The summary stands; the test asked for was not all run. */
        log_err("%s: the results cover that part", cl->cut_short);
        rc = RUNTIME_EXIT_FAIL;
    }
    perf_client_free(cl);
    return rc;
}
