/*
 * perf_report_intervals.c - the interval timer of one end of a test, and
 * the rows it samples from the flows.
 */
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#include "perf_report_intervals.h"
#include "perf_rows.h"
#include "perf_rr.h"

/* Float slack when a boundary meets the end of the warm-up. */
#define BOUNDARY_SLACK_S 1e-6

struct perf_intervals {
    struct perf_intervals_setup s;
    struct event *ev;
    unsigned int k; /* regular boundaries passed since the counting start */
    double last_s;  /* where the next interval starts, s from *start_ns */
    bool omitting;
    uint64_t omit_end_ns;
    bool finished;
    /* each flow's message totals at the previous sample */
    uint64_t *tx_messages; /* nflows each */
    uint64_t *rx_messages;
    struct perf_report_row *rows; /* 2 * nflows: one interval's rows */
    uint64_t timeouts; /* the runtime's T3-rtx count at the last sample */
    /* --rr: each flow's transactions in the interval being reported, and
     * (server) its answers at the previous sample */
    struct perf_rr_stats *rr;
    uint64_t *rr_answered; /* nflows each, with --rr */
};

double perf_intervals_boundary(double interval_s, double duration_s,
                               unsigned int k)
{
    double b = interval_s * k;

    if (interval_s <= 0)
        return -1;
    if (duration_s > 0 &&
        b > duration_s - PERF_REPORT_SHORT_FRACTION * interval_s - 1e-9)
        return -1;
    return b;
}

/* When the timer must next fire (monotonic ns), or 0 for never. */
static uint64_t next_due_ns(const struct perf_intervals *iv)
{
    double b = perf_intervals_boundary(
        iv->s.interval_s, iv->omitting ? 0 : iv->s.duration_s, iv->k + 1);

    if (iv->omitting && (b < 0 || b > iv->s.omit_s - BOUNDARY_SLACK_S))
        return iv->omit_end_ns;
    if (b < 0)
        return 0;
    return *iv->s.start_ns + (uint64_t)(b * 1e9 + 0.5);
}

static void arm(struct perf_intervals *iv)
{
    uint64_t due = next_due_ns(iv);
    uint64_t now = perf_now_ns();
    uint64_t wait_us = due > now ? (due - now + 999) / 1000 : 0;
    struct timeval tv;

    if (due == 0 || iv->finished)
        return;
    tv.tv_sec = (time_t)(wait_us / 1000000);
    tv.tv_usec = (suseconds_t)(wait_us % 1000000);
    /* libevent adds tv to the time its loop woke up, which may be long
     * before now: bring that up to date so the timer is not early. */
    event_base_update_cache_time(iv->s.base);
    evtimer_add(iv->ev, &tv);
}

/* Flow i's rows since the previous sample: one for what this end sent
 * (with the SCTP columns), one for what it received. */
static void sample_flow(struct perf_intervals *iv, unsigned int i,
                        struct perf_report_row *rows, size_t *n)
{
    struct perf_flow *f = iv->s.flows[i];
    struct perf_flow_sample s;

    perf_flow_sample(f, &s);
    if (iv->s.sends) {
        struct perf_report_row *r = &rows[(*n)++];
        uint64_t stop = perf_flow_send_stop_ns(f);
        uint64_t total = perf_flow_sent(f)->messages;

        memset(r, 0, sizeof(*r));
        r->id = i + 1;
        r->sender = true;
        r->bytes = s.tx_bytes;
        r->messages = total - iv->tx_messages[i];
        iv->tx_messages[i] = total;
        r->retransmits = s.tx_retransmits;
        r->ended = stop != 0;
        r->end = perf_rows_span_secs(*iv->s.start_ns, stop);
        r->have_sctp = s.have_info;
        r->cwnd = s.info.cwnd;
        r->rwnd = s.info.peer_rwnd;
        r->srtt_us = s.info.srtt_us;
        r->rtt_resolution_us = s.info.rtt_resolution_us;
        r->rto_ms = s.info.rto_ms;
        r->pmtu = s.info.pathmtu;
        if (iv->rr != NULL && perf_flow_rr_take(f, &iv->rr[i]))
            r->rr = &iv->rr[i];
    }
    if (iv->s.receives) {
        struct perf_report_row *r = &rows[(*n)++];
        uint64_t total = perf_flow_received(f)->messages;

        memset(r, 0, sizeof(*r));
        r->id = i + 1;
        r->bytes = s.rx_bytes;
        r->messages = total - iv->rx_messages[i];
        iv->rx_messages[i] = total;
        r->ended = iv->s.recv_done[i];
        r->end = iv->s.recv_secs[i];
        if (iv->rr != NULL && !iv->s.sends) {
            /* the server: its answers are its sent messages */
            uint64_t answered = perf_flow_sent(f)->messages;

            perf_rr_stats_init(&iv->rr[i]);
            iv->rr[i].transactions = answered - iv->rr_answered[i];
            iv->rr_answered[i] = answered;
            r->rr = &iv->rr[i];
        }
    }
}

/* Report the interval from last_s to now (the last one: to where this
 * end's data ended). */
static void report(struct perf_intervals *iv, bool last)
{
    struct perf_report_row *rows = iv->rows;
    double end = perf_rows_span_secs(*iv->s.start_ns, perf_now_ns());
    double data_end = 0;
    bool all_ended = true;
    size_t n = 0;
    size_t i;

    for (i = 0; i < iv->s.nflows; i++)
        sample_flow(iv, (unsigned int)i, rows, &n);
    if (iv->s.sends && iv->s.rt != NULL) {
        struct transport_counters c;

        transport_get_counters(iv->s.rt->t, &c);
        /* A backend that cannot count them gets no [T3 ] line of zeros. */
        if (!c.no_rtx_timeouts)
            perf_report_set_timeouts(iv->s.rep, c.rtx_timeouts - iv->timeouts);
        iv->timeouts = c.rtx_timeouts;
    }
    if (!last) {
        perf_report_interval(iv->s.rep, iv->last_s, end, iv->omitting, rows, n);
        iv->last_s = end;
        return;
    }
    for (i = 0; i < n; i++) {
        all_ended = all_ended && rows[i].ended;
        if (rows[i].end > data_end)
            data_end = rows[i].end;
    }
    perf_report_last_interval(iv->s.rep, iv->last_s, all_ended ? data_end : end,
                              iv->omitting, rows, n);
}

static void tick_cb(evutil_socket_t fd, short what, void *arg)
{
    struct perf_intervals *iv = arg;
    uint64_t due = next_due_ns(iv);
    uint64_t now = perf_now_ns();
    unsigned int i;

    (void)fd;
    (void)what;
    if (due == 0 || iv->finished)
        return;
    if (now < due) {
        arm(iv); /* early after all: wait out the rest */
        return;
    }
    if (iv->s.interval_s > 0)
        report(iv, false);
    iv->k++;
    if (iv->omitting && now >= iv->omit_end_ns) {
        /* Warm-up over: count, and cut intervals, from here. */
        iv->omitting = false;
        for (i = 0; i < iv->s.nflows; i++)
            perf_flow_reset_counts(iv->s.flows[i]);
        memset(iv->tx_messages, 0, iv->s.nflows * sizeof(uint64_t));
        memset(iv->rx_messages, 0, iv->s.nflows * sizeof(uint64_t));
        if (iv->rr_answered != NULL)
            memset(iv->rr_answered, 0, iv->s.nflows * sizeof(uint64_t));
        *iv->s.start_ns = perf_now_ns();
        getrusage(RUSAGE_SELF, iv->s.ru_start);
        iv->k = 0;
        iv->last_s = 0;
    }
    arm(iv);
}

struct perf_intervals *
perf_intervals_start(const struct perf_intervals_setup *s)
{
    struct perf_intervals *iv = calloc(1, sizeof(*iv));

    if (iv == NULL)
        return NULL;
    iv->s = *s;
    if (s->rt != NULL) {
        struct transport_counters c;

        transport_get_counters(s->rt->t, &c);
        iv->timeouts = c.rtx_timeouts;
    }
    iv->ev = evtimer_new(s->base, tick_cb, iv);
    iv->tx_messages = calloc(s->nflows ? s->nflows : 1, sizeof(uint64_t));
    iv->rx_messages = calloc(s->nflows ? s->nflows : 1, sizeof(uint64_t));
    iv->rows = calloc(2 * (s->nflows ? s->nflows : 1), sizeof(*iv->rows));
    if (s->rr) {
        iv->rr = calloc(s->nflows ? s->nflows : 1, sizeof(*iv->rr));
        iv->rr_answered = calloc(s->nflows ? s->nflows : 1, sizeof(uint64_t));
    }
    if (iv->ev == NULL || iv->tx_messages == NULL || iv->rx_messages == NULL ||
        iv->rows == NULL ||
        (s->rr && (iv->rr == NULL || iv->rr_answered == NULL))) {
        perf_intervals_free(iv);
        return NULL;
    }
    iv->omitting = s->omit_s > 0;
    iv->omit_end_ns = *s->start_ns + (uint64_t)(s->omit_s * 1e9 + 0.5);
    arm(iv);
    return iv;
}

void perf_intervals_finish(struct perf_intervals *iv)
{
    if (iv == NULL || iv->finished)
        return;
    evtimer_del(iv->ev);
    if (iv->s.interval_s > 0)
        report(iv, true);
    iv->finished = true;
}

void perf_intervals_free(struct perf_intervals *iv)
{
    if (iv == NULL)
        return;
    if (iv->ev != NULL)
        event_free(iv->ev);
    free(iv->tx_messages);
    free(iv->rx_messages);
    free(iv->rows);
    free(iv->rr);
    free(iv->rr_answered);
    free(iv);
}
