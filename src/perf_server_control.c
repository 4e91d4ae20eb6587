/*
 * perf_server_control.c - the control messages a client sends on each
 * association of the sctpu-perf server (HELLO, PARAMS, START, END), and
 * what each flow reports back (its sender done, its association closed).
 * A message out of place is a protocol error that ends the test.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "perf_cli.h"
#include "perf_server_priv.h"
#include "perf_rows.h"
#include "units.h"

/*
 * Who owns what. An accepted association's server_flow and flow belong to
 * the server until its HELLO attaches them to a test (t->sfs[], t->flows[]);
 * from then on they belong to the test, and perf_server_test_abort() and
 * perf_server_test_free() free them with it. So a handler that aborted the
 * test must not free, or even touch, the flow or server_flow afterwards:
 * it says CTRL_GONE, and on_control tells perf_flow to stop reading.
 * (Before: a HELLO joining a test whose PARAMS had come, or START, failing
 * to allocate aborted the test and then freed the flow again, or read it.)
 * Both paths need malloc to fail, and no test can make it fail there
 * without a fault-injection seam; they were found and fixed by reading
 * every return after configure_flow() and perf_server_test_start().
 */
enum ctrl_result {
    CTRL_OK,   /* handled; keep reading */
    CTRL_BAD,  /* a protocol error; nothing freed yet (on_control ends it) */
    CTRL_GONE, /* the test was aborted: the flow and sf are freed */
};

static void on_send_done(struct perf_flow *f, void *arg)
{
    struct server_flow *sf = arg;
    struct perf_test *t = sf->test;
    uint8_t buf[PERF_PROTO_HDR_LEN];

    if (t == NULL)
        return;
    t->send_secs[sf->index] =
        perf_rows_span_secs(t->start_ns, perf_flow_send_stop_ns(f));
    t->send_done[sf->index] = true;
    perf_server_send_ctrl(
        f, perf_proto_encode_empty(buf, sizeof(buf), PERF_MSG_END), buf);
    perf_server_test_check_done(t);
}

/*
 * The client's END on association i: its data is all through, and it asks
 * us to stop ours too where that cannot cut a test short. Under -R it
 * sends nothing, so END is only ever that request (the client was
 * interrupted, or -t 0 is ending). Under --bidir a time-limited or
 * unlimited test stops with it: a timed client's END comes after our own
 * time is up, so only an interrupted one ends us early. A -n/-k test
 * sends its count whatever the client does.
 */
static void on_client_end(struct perf_test *t, unsigned int i,
                          struct perf_flow *f)
{
    const struct perf_params *p = &t->params;

    if (perf_server_receives(p)) {
        t->recv_secs[i] =
            perf_rows_span_secs(t->start_ns, perf_flow_last_rx_ns(f));
        t->recv_done[i] = true;
    }
    if (perf_server_sends(p) &&
        (!perf_server_receives(p) || (p->bytes == 0 && p->messages == 0)))
        perf_flow_stop_send(f);
    perf_server_test_check_done(t);
}

/* Apply the test's parameters to one of its associations. On failure the
 * test is aborted (freed, with every flow it holds). */
static int configure_flow(struct perf_test *t, struct perf_flow *f)
{
    struct transport_conn *conn = perf_flow_conn(f);
    struct transport_tuning tu = {
        .nodelay = t->params.nodelay != 0,
        .sack_delay_ms = t->params.sack_delay_ms,
        .sack_freq = t->params.sack_freq,
    };

    /* The client's bundling and SACK choices hold at both ends. */
    if (transport_tune(conn, &tu) < 0)
        log_warn("test %u: cannot apply the client's SCTP tuning: %s", t->id,
                 transport_conn_strerror(conn));
    if (perf_flow_set_streams(f, t->params.nstreams) < 0 ||
        (t->params.verify && perf_flow_set_verify(f, t->params.length) < 0)) {
        perf_server_test_abort(t, "out of memory");
        return -1;
    }
    if (t->params.rr_resp != 0 && perf_flow_set_rr_server(f, &t->params) < 0) {
        perf_server_test_abort(t, "out of memory");
        return -1;
    }
    return 0;
}

/* A HELLO: join (or start) the test its cookie names. */
static enum ctrl_result on_hello(struct server_flow *sf, const uint8_t *msg,
                                 size_t len)
{
    struct perf_server *srv = sf->srv;
    struct perf_hello h;
    struct perf_test *t;

    if (sf->test != NULL || perf_proto_decode_hello(msg, len, &h) < 0 ||
        h.count == 0 || h.count > PERF_MAX_PARALLEL || h.index >= h.count)
        return CTRL_BAD;
    if (h.count > srv->cfg->max_assocs) {
        /* It can never gather them all: say so at once, not after the
         * refused associations time out. */
        char why[200];
        uint8_t buf[256];

        snprintf(why, sizeof(why),
                 "the test needs %u associations; this server allows "
                 "%u (--max-associations)",
                 (unsigned)h.count, srv->cfg->max_assocs);
        perf_server_send_ctrl(
            sf->flow,
            perf_proto_encode_text(buf, sizeof(buf), PERF_MSG_ERROR, why), buf);
        log_info("refused a test: %s", why);
        return CTRL_OK;
    }
    t = perf_server_test_find(srv, h.cookie);
    if (t == NULL) {
        if (srv->running >= srv->cfg->max_clients || srv->stopping) {
            uint8_t buf[256];

            perf_server_send_ctrl(
                sf->flow,
                perf_proto_encode_text(buf, sizeof(buf), PERF_MSG_ERROR,
                                       "the server is busy running "
                                       "another test; try again later"),
                buf);
            log_info("refused a test: busy");
            return CTRL_OK;
        }
        t = perf_server_test_new(sf, &h);
        if (t == NULL)
            return CTRL_BAD;
    }
    if (h.count != t->count || t->flows[h.index] != NULL ||
        t->phase != ST_GATHERING)
        return CTRL_BAD; /* sf is not the test's: on_control frees it */
    /* Progress: -P 10000 takes longer than --timeout to gather, but each
     * HELLO restarts the clock (a client can stretch it to count x
     * --timeout at most, count bounded by --max-associations) */
    t->phase_ns = perf_now_ns();
    sf->test = t;
    sf->index = h.index;
    t->flows[h.index] = sf->flow;
    t->sfs[h.index] = sf;
    t->nflows++;
    perf_flow_set_tag(sf->flow, (int)h.index);
    /* PARAMS may have come first, on association 0. From here sf is the
     * test's: a failure frees it with the test. */
    if (t->have_params && configure_flow(t, sf->flow) < 0)
        return CTRL_GONE;
    if (perf_server_test_all_ready(t))
        perf_server_test_send_ready(t);
    return CTRL_OK;
}

static bool params_ok(const struct perf_params *p, unsigned int count)
{
    return p->parallel == count && p->nstreams >= 1 &&
           p->nstreams <= PERF_MAX_STREAMS && p->length >= 1 &&
           p->length <= PERF_MAX_LEN && p->pr_policy <= PERF_PR_BUF;
}

/*
 * --server-bitrate-limit: a test may ask for at most the limit, in total
 * over its associations and directions; one with no -b asks for no limit
 * at all. Refused before it starts, with what it asked and the limit (the
 * pacer then keeps an accepted test at its rate: nothing to average).
 */
static bool rate_within_limit(struct perf_test *t)
{
    const struct perf_params *p = &t->params;
    uint64_t limit = t->srv->cfg->server_rate_limit_bps;
    unsigned int ways = p->bidir ? 2 : 1;
    double total = (double)p->rate_bps * p->parallel * ways;
    char lim[32];
    char ask[32];
    char each[32];

    if (limit == 0 || (p->rate_bps != 0 && total <= (double)limit))
        return true;
    units_format_rate(lim, sizeof(lim), (double)limit);
    if (p->rate_bps == 0) {
        perf_server_test_abort(
            t,
            "the test asks for an unlimited rate (no -b), which "
            "exceeds the server's bitrate limit %s: give -b",
            lim);
        return false;
    }
    units_format_rate(ask, sizeof(ask), total);
    units_format_rate(each, sizeof(each), (double)p->rate_bps);
    perf_server_test_abort(
        t,
        "the test asks for %s in total (-b %s x %u association%s%s), "
        "which exceeds the server's bitrate limit %s",
        ask, each, (unsigned)p->parallel, p->parallel == 1 ? "" : "s",
        p->bidir ? " x 2 directions" : "", lim);
    return false;
}

/*
 * --max-duration: a test that asks for more (-t and -O together) is
 * refused before it starts; one with no time limit of its own is ended at
 * the ceiling instead (perf_server.c's watchdog).
 */
static bool duration_within_limit(struct perf_test *t)
{
    const struct perf_params *p = &t->params;
    double max_s = t->srv->cfg->max_duration_s;
    double ask_s = (double)(p->duration_ms + p->omit_ms) / 1000;

    if (max_s <= 0 || p->bytes != 0 || p->messages != 0 || ask_s <= max_s)
        return true;
    perf_server_test_abort(t,
                           "the test asks for %.6g s (-t%s), over the "
                           "server's limit of %.6g s (--max-duration)",
                           ask_s, p->omit_ms ? " and -O" : "", max_s);
    return false;
}

/*
 * The message buffers a test makes this server hold: one send buffer of
 * -l bytes shared by the associations it sends on, a whole message for
 * each one it checks with --verify, and with --rr each one's response.
 * Every running test's together stay within --max-buffer-memory, so
 * -l 16M x -P 128 cannot take 2 GiB.
 */
static bool memory_within_limit(struct perf_test *t)
{
    const struct perf_params *p = &t->params;
    struct perf_server *srv = t->srv;
    uint64_t need = 0;
    char needs[32];
    char lim[32];
    char used[32];

    /* The senders share one buffer (perf_txbuf.c); --verify's receiver
     * gathers each association's message whole, in a buffer of its own */
    if (perf_server_sends(p))
        need += p->length;
    if (p->verify && perf_server_receives(p))
        need += (uint64_t)p->length * p->parallel;
    /* --rr: each association keeps its response to send */
    need += (uint64_t)p->rr_resp * p->parallel;
    if (srv->buffer_in_use + need <= srv->cfg->max_buffer_bytes) {
        t->buffer_bytes = need;
        srv->buffer_in_use += need;
        return true;
    }
    units_format_bytes(needs, sizeof(needs), (uint64_t)(need));
    units_format_bytes(lim, sizeof(lim),
                       (uint64_t)(srv->cfg->max_buffer_bytes));
    units_format_bytes(used, sizeof(used), (uint64_t)(srv->buffer_in_use));
    if (p->rr_resp != 0)
        perf_server_test_abort(t,
                               "the test needs %s of message buffers (--rr "
                               "RESP %u x -P %u), over the server's "
                               "--max-buffer-memory %s (%s in use by other "
                               "tests): give a smaller RESP or -P",
                               needs, (unsigned)p->rr_resp,
                               (unsigned)p->parallel, lim, used);
    else
        perf_server_test_abort(
            t,
            "the test needs %s of message buffers (-l %u%s%s), "
            "over the server's --max-buffer-memory %s (%s in "
            "use by other tests): give a smaller -l or -P",
            needs, (unsigned)p->length,
            p->verify && perf_server_receives(p) ? " x -P for --verify" : "",
            p->verify && perf_server_receives(p) && perf_server_sends(p)
                ? " + -l to send"
                : "",
            lim, used);
    return false;
}

/*
 * Under -R or --bidir the server sends from its own send buffer (its -w,
 * 2M by default), which it cannot resize per association, to the
 * client's receive buffer (the client's -w). usrsctp stalls for good
 * delivering messages of a quarter of a receive buffer or more while the
 * sender's buffer is larger (seen at -w 64k with -l 16k-64k, -w 160k with
 * -l 80k): refused here, with the way out, instead of an 8 s stall and an
 * abort. The client's CLI refuses the same (perf_cli_check.c).
 */
static bool window_fits(struct perf_test *t)
{
    const struct perf_params *p = &t->params;
    uint32_t sndbuf =
        t->srv->cfg->window ? t->srv->cfg->window : PERF_CLI_DEFAULT_WINDOW;
    char len[32];
    char win[32];
    char snd[32];
    char want[32];

    uint32_t length = p->rr_resp ? p->rr_resp : p->length;

    if (!(perf_server_sends(p) || p->rr_resp) ||
        !perf_window_too_small(p->window, length, sndbuf))
        return true;
    if (p->rr_resp) {
        units_format_bytes(len, sizeof(len), (uint64_t)length);
        units_format_bytes(win, sizeof(win), (uint64_t)(p->window));
        units_format_bytes(want, sizeof(want), (uint64_t)length * 4);
        perf_server_test_abort(t,
                               "--rr: -w %s holds fewer than 4 responses of "
                               "%s: delivery would stall; give -w %s or more",
                               win, len, want);
        return false;
    }
    units_format_bytes(len, sizeof(len), (uint64_t)(p->length));
    units_format_bytes(win, sizeof(win), (uint64_t)(p->window));
    units_format_bytes(snd, sizeof(snd), (uint64_t)(sndbuf));
    units_format_bytes(want, sizeof(want), (uint64_t)p->length * 4);
    perf_server_test_abort(t,
                           "%s -w %s holds fewer than 4 messages of -l %s, "
                           "and the server sends from a %s buffer: "
                           "delivery would stall; give -w %s or more, or "
                           "a smaller -l",
                           p->bidir ? "--bidir" : "-R", win, len, snd, want);
    return false;
}

/* Under -R or --bidir this end sends with the client's PR-SCTP policy:
 * refuse, before the test starts, one our backend does not have. */
static bool pr_policy_supported(struct perf_test *t, struct server_flow *sf)
{
    const struct transport_ops *ops =
        transport_conn_backend(perf_flow_conn(sf->flow));
    char have[32];

    if (!perf_server_sends(&t->params) ||
        transport_has_pr_policy(ops, t->params.pr_policy))
        return true;
    perf_server_test_abort(
        t,
        "--pr-policy %s: the server's %s backend cannot send with it "
        "(it has: %s)",
        transport_pr_policy_name(t->params.pr_policy), ops->name,
        transport_pr_policy_list(ops, have, sizeof(have)));
    return false;
}

/*
 * PARAMS on association 0. Parameters the decoder refuses (a client that
 * skipped its CLI's checks, e.g. --verify with messages shorter than the
 * verify header) end the test with an ERROR that says why.
 */
static enum ctrl_result on_params(struct server_flow *sf, const uint8_t *msg,
                                  size_t len)
{
    struct perf_test *t = sf->test;
    const char *why = NULL;
    unsigned int i;

    if (t == NULL || sf->index != 0 || t->have_params)
        return CTRL_BAD;
    if (perf_proto_decode_params_why(msg, len, &t->params, &why) < 0) {
        perf_server_test_abort(t, "%s", why);
        return CTRL_GONE;
    }
    if (!params_ok(&t->params, t->count)) {
        perf_server_test_abort(t, "the test parameters are out of range");
        return CTRL_GONE;
    }
    if (!rate_within_limit(t) || !pr_policy_supported(t, sf) ||
        !duration_within_limit(t) || !window_fits(t) ||
        !perf_server_test_len_interleave_ok(t, t->params.length) ||
        !memory_within_limit(t) || !perf_server_test_streams_ok(t))
        return CTRL_GONE;
    t->have_params = true;
    for (i = 0; i < t->count; i++)
        if (t->flows[i] != NULL && configure_flow(t, t->flows[i]) < 0)
            return CTRL_GONE;
    if (perf_server_test_all_ready(t))
        perf_server_test_send_ready(t);
    return CTRL_OK;
}

static bool on_control(struct perf_flow *f, const uint8_t *msg, size_t len,
                       void *arg)
{
    struct server_flow *sf = arg;
    struct perf_test *t = sf->test;
    int type = perf_proto_type(msg, len);
    enum ctrl_result rc = CTRL_BAD;

    if (t != NULL)
        t->last_ctrl_ns = perf_now_ns();
    if (t != NULL && t->winding_down)
        return true; /* it has been told; it only has to close */
    switch (type) {
    case PERF_MSG_HELLO:
        rc = on_hello(sf, msg, len);
        break;
    case PERF_MSG_PARAMS:
        rc = on_params(sf, msg, len);
        break;
    case PERF_MSG_STREAMS:
        /* Before PARAMS, so that a refusal comes before READY as every
         * other refusal of the parameters does. */
        if (t == NULL || sf->index != 0 || t->have_params ||
            t->streams.n != 0 || t->phase != ST_GATHERING)
            break;
        /* false: aborted, and f freed with the test */
        return perf_server_test_streams(t, msg, len);
    case PERF_MSG_WANT_EXTRAS:
        /* Between READY (which offered them) and START, once. */
        if (t == NULL || sf->index != 0 || !t->have_params || t->want_extras ||
            t->phase != ST_GATHERING)
            break;
        t->want_extras = true;
        return true;
    case PERF_MSG_START:
        if (t == NULL || sf->index != 0 || !perf_server_test_all_ready(t) ||
            t->phase != ST_GATHERING)
            break;
        /* false: aborted, and f freed with the test */
        return perf_server_test_start(t);
    case PERF_MSG_END:
        if (t == NULL || t->phase != ST_RUNNING)
            break;
        on_client_end(t, sf->index, f);
        return true;
    default:
        break;
    }
    if (rc == CTRL_OK)
        return true;
    if (rc == CTRL_GONE)
        return false; /* freed: touch neither f nor sf */
    /* Anything else is a protocol error: this association is done. Only
     * sf->test's own flows are freed with it; a flow no test holds yet is
     * freed here. */
    t = sf->test;
    if (t != NULL) {
        perf_server_test_abort(t, "unexpected control message (type %d)", type);
    } else {
        log_warn("unexpected control message (type %d) from a client", type);
        perf_flow_free(f, true);
        perf_server_flow_release(sf);
    }
    return false;
}

static void on_closed(struct perf_flow *f, int err, void *arg)
{
    struct server_flow *sf = arg;
    struct perf_test *t = sf->test;

    if (t == NULL) {
        perf_flow_free(f, err != 0);
        perf_server_flow_release(sf);
        return;
    }
    if (t->srv->cfg->no_control && t->phase == ST_RUNNING && err == 0) {
        perf_server_raw_end(t);
        return;
    }
    if (t->phase == ST_CLOSING && (err == 0 || t->winding_down)) {
        if (++t->nclosed == t->count)
            perf_server_test_free(t, false);
        return;
    }
    if (err == 0)
        perf_server_test_abort(t, "the client closed association %u mid-test",
                               sf->index + 1);
    else
        perf_server_test_abort(t, "association %u lost: %s", sf->index + 1,
                               strerror(err));
}

static void on_connected(struct perf_flow *f, void *arg)
{
    (void)f;
    (void)arg;
}

const struct perf_flow_ops perf_server_flow_ops = {
    .on_connected = on_connected,
    .on_control = on_control,
    .on_send_done = on_send_done,
    .on_closed = on_closed,
};
