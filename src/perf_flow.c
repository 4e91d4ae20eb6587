/*
 * perf_flow.c - sender, receiver and control messages of one association.
 *
 * The sender writes until the transport says -EAGAIN and resumes on
 * TRANSPORT_EV_WRITABLE, or waits for the pacer's timer under -b. When a
 * limit is reached it waits (polling SCTP_STATUS) until every byte is
 * acknowledged before reporting done, so that an END control message sent
 * then arrives after all the data.
 *
 * The receiver reads a bounded amount per turn of the event loop (see
 * RECV_BUDGET_BYTES), so that a peer refilling the association as fast as
 * it is read cannot starve this end's own sender (--bidir) or the other
 * associations.
 *
 * --rr turns the sender into a request/response loop: it sends one
 * request (REQ bytes), waits for the whole response and times it, then
 * sends the next; the peer's flow (perf_flow_set_rr_server) answers every
 * request with RESP bytes on the request's stream.
 */
#include <errno.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "perf_flow.h"
#include "perf_latency.h"
#include "perf_proto.h"
#include "perf_rr.h"
#include "perf_txbuf.h"
#include "perf_stream_tx.h"
#include "perf_verify.h"
#include "rate.h"

#define CTRL_MAX (64 * 1024) /* largest control message */
/* rxbuf's first size: control messages but RESULTS fit; it grows (doubling)
 * only for what must be gathered whole, so -P 10000 idle associations do
 * not each hold 64 KiB (issue 13) */
#define RX_FIRST_CAP 512
/* Plain data is only counted: every flow of the process reads it into this
 * one buffer (the loop is single-threaded; --workers are processes). */
#define RX_SCRATCH (64 * 1024)
#define DRAIN_POLL_US 2000 /* acknowledgement polling */
/* ... per flow while at most this many drain at once; beyond, each polls
 * less often, so the process polls at most ~32 times per ms in all: -P
 * 10000 draining together at 2 ms each starved the loop (and usrsctp's
 * own work in it) */
#define DRAIN_POLL_FLOWS 64
#define DRAIN_POLL_MAX_US 500000
#define SEND_BATCH 256               /* messages before yielding the loop */
#define BLOCKED_RETRY_NS 10000000ull /* recheck a full send buffer */
#define LAST_SACK_NS 10000000ull     /* the end's last 10 ms: SACK at once */

/*
 * What the receiver reads per readiness event before it gives the loop
 * back: 1 MiB or 256 reads, whichever comes first. Reading until -EAGAIN
 * is not bounded: on loopback the peer refills the queue as fast as it is
 * read, and --bidir once received 135 MB while sending 0 bytes in 2 s.
 * 1 MiB is a few milliseconds of work at loopback rates, small enough for
 * the sender and other associations to get a turn every few ms and large
 * enough that the per-turn cost of the loop stays negligible. 256 reads
 * (SEND_BATCH, the sender's own share of a turn) bound the work for small
 * messages, whose 1 MiB would be thousands of calls.
 */
#define RECV_BUDGET_BYTES (1024 * 1024)
#define RECV_BUDGET_READS SEND_BATCH

enum send_state {
    SEND_IDLE,
    SEND_RUNNING,
    SEND_DRAINING, /* limit reached, waiting for acknowledgements */
    SEND_DONE,
};

/* A control message waiting for room in the send buffer. */
struct ctrl_msg {
    struct ctrl_msg *next;
    size_t len;
    uint8_t data[];
};

struct perf_flow {
    const struct perf_flow_ops *ops;
    void *arg;
    struct event_base *base;
    struct transport_conn *conn;
    int tag;
    uint16_t nstreams;
    struct event *send_ev; /* pacing, batching and drain polls */
    struct event *recv_ev; /* the rest of a budget-cut read, next turn */

    /* sender */
    enum send_state send_state;
    struct perf_send_params sp;
    uint8_t *txbuf;
    uint64_t *tx_seq;   /* per stream, for --verify */
    uint32_t *tx_ppids; /* per stream: the PPID its messages carry */
    uint32_t next_sid;
    uint32_t payload_crc; /* --verify: of a full-length message */
    struct rate_pacer pacer;
    struct perf_stream_tx *stx; /* --stream: per-stream turns and pacing */
    /* --stream: a message its pacer paid for that the full send buffer
     * refused; it goes first when there is room */
    struct perf_stream_msg stx_retry;
    bool stx_has_retry;
    uint64_t send_start_ns;
    uint64_t send_stop_ns; /* the limit was reached */
    uint64_t last_rx_ns;   /* the last data arrived */
    bool blocked;          /* waiting for TRANSPORT_EV_WRITABLE */
    bool closing;          /* perf_flow_close_with: control, then SHUTDOWN */
    bool shut;             /* SHUTDOWN asked for */
    bool peer_ctrl_known;
    uint16_t peer_ctrl_sid;
    struct ctrl_msg *ctrl_head;
    struct ctrl_msg **ctrl_tail;

    /* receiver */
    uint8_t *rxbuf; /* a whole message (verify, control); NULL until one */
    size_t rxcap;
    size_t rxmax; /* what rxbuf may grow to */
    size_t rxlen;
    bool rx_in_msg;    /* inside a message (not at its start) */
    bool rx_control;   /* the current message is control */
    bool rx_keep;      /* ... or verified: gathered whole */
    bool rx_too_big;   /* ... but it outgrew rxbuf */
    size_t rx_msg_len; /* bytes of the current message */
    struct transport_msginfo rxinfo;
    bool verify;
    struct perf_verify_stream *vstreams;
    struct perf_latency *lat; /* --stream: one-way latency per stream */
    bool rx_stamped;          /* the current message has a timestamp */
    uint64_t rx_send_ns;      /* ... which says this */

    /* counters */
    /* per stream, scap entries each (the data streams and the control
     * one): sized by perf_flow_set_streams, not PERF_MAX_STREAMS, which
     * would cost ~150 KiB per association */
    struct perf_stream_counts *tx_streams;
    struct perf_stream_counts *rx_streams;
    uint32_t scap;
    struct perf_dir_counts tx;
    struct perf_dir_counts rx;
    uint64_t sample_tx_bytes;
    uint64_t sample_rx_bytes;
    uint64_t sample_retransmits;
    uint64_t base_retransmits; /* at the last reset */
    uint64_t last_progress_ns;
    /* no message is due before this (a pacer's wait, or the peer's pace
     * after a message arrived), and rx_gap_ns is the peer's pace: the
     * time between its messages, 0 = not paced */
    uint64_t quiet_until_ns;
    uint64_t rx_gap_ns;
    /* while draining: what was still unacknowledged at the last look
     * (bytes, or chunks when the stack cannot tell bytes) */
    uint64_t drain_left;
    uint64_t created_ns; /* perf_flow_new() or the connect call */
    uint64_t setup_us;   /* to TRANSPORT_EV_CONNECTED */

    /* --rr, client: the request out, and the transactions (whole test,
     * and since the last interval) */
    struct perf_rr_stats *rr_total;
    struct perf_rr_stats *rr_iv;
    uint32_t rr_inflight; /* requests out */
    uint32_t rr_stale;    /* of them, sent before a reset (-O) */
    uint32_t rr_head;     /* the oldest's slot in rr_sent_ns */
    uint64_t rr_sent_ns[PERF_RR_BURST_MAX];
    /* --rr, server: the response, and the requests not answered yet */
    uint8_t *rr_buf;
    uint32_t rr_resp;
    uint64_t rr_pending;
    /* the streams of the requests not answered yet, oldest first (a
     * client keeps at most --rr-burst out; beyond the ring, answers go
     * on the last stream known) */
    uint16_t rr_sids[PERF_RR_BURST_MAX];
    uint32_t rr_sid_head;
    uint32_t rr_nsids;
    uint16_t rr_sid;
};

/* Flows of this process in SEND_DRAINING (one event loop per process). */
static unsigned int ndraining;

uint64_t perf_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void flow_event_cb(struct transport_conn *conn, int events, void *arg);
static void send_ev_cb(evutil_socket_t fd, short what, void *arg);
static void recv_ev_cb(evutil_socket_t fd, short what, void *arg);

struct perf_flow *perf_flow_new(struct event_base *base,
                                struct transport_conn *conn,
                                const struct perf_flow_ops *ops, void *arg)
{
    struct perf_flow *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return NULL;
    f->rxmax = CTRL_MAX;
    f->send_ev = evtimer_new(base, send_ev_cb, f);
    f->recv_ev = evtimer_new(base, recv_ev_cb, f);
    if (f->send_ev == NULL || f->recv_ev == NULL ||
        perf_flow_set_streams(f, 1) < 0) {
        free(f->tx_streams);
        free(f->rx_streams);
        if (f->send_ev != NULL)
            event_free(f->send_ev);
        if (f->recv_ev != NULL)
            event_free(f->recv_ev);
        free(f);
        return NULL;
    }
    f->ops = ops;
    f->arg = arg;
    f->base = base;
    f->conn = conn;
    f->ctrl_tail = &f->ctrl_head;
    f->last_progress_ns = f->created_ns = perf_now_ns();
    transport_conn_set_cb(conn, flow_event_cb, f);
    return f;
}

void perf_flow_free(struct perf_flow *f, bool abortive)
{
    struct ctrl_msg *m;

    if (f == NULL)
        return;
    if (f->send_state == SEND_DRAINING)
        ndraining--;
    transport_conn_free(f->conn, abortive);
    event_free(f->send_ev);
    event_free(f->recv_ev);
    while ((m = f->ctrl_head) != NULL) {
        f->ctrl_head = m->next;
        free(m);
    }
    perf_txbuf_put(f->txbuf);
    free(f->tx_streams);
    free(f->rx_streams);
    free(f->tx_seq);
    free(f->tx_ppids);
    free(f->rxbuf);
    free(f->vstreams);
    free(f->rr_total);
    free(f->rr_iv);
    free(f->rr_buf);
    perf_latency_free(f->lat);
    perf_stream_tx_free(f->stx);
    free(f);
}

int perf_flow_set_latency(struct perf_flow *f)
{
    if (f->lat == NULL)
        f->lat = perf_latency_new();
    return f->lat == NULL ? -ENOMEM : 0;
}

const struct perf_latency *perf_flow_latency(const struct perf_flow *f)
{
    return f->lat;
}

/* Room for the verifier's state of every stream (scap of them). */
static int alloc_vstreams(struct perf_flow *f)
{
    struct perf_verify_stream *v = calloc(f->scap, sizeof(*v));
    uint32_t i;

    if (v == NULL)
        return -ENOMEM;
    for (i = 0; i < f->scap; i++)
        perf_verify_init(&v[i], true);
    free(f->vstreams);
    f->vstreams = v;
    return 0;
}

int perf_flow_set_verify(struct perf_flow *f, uint32_t max_len)
{
    /* rxbuf grows to this as verified messages need it */
    f->rxmax = max_len > CTRL_MAX ? max_len : CTRL_MAX;
    if (alloc_vstreams(f) < 0)
        return -ENOMEM;
    f->verify = true;
    return 0;
}

int perf_flow_set_streams(struct perf_flow *f, uint16_t nstreams)
{
    /* The data streams and the control stream after them. */
    uint32_t cap = (uint32_t)nstreams + 1;
    struct perf_stream_counts *tx = calloc(cap, sizeof(*tx));
    struct perf_stream_counts *rx = calloc(cap, sizeof(*rx));

    if (tx == NULL || rx == NULL) {
        free(tx);
        free(rx);
        return -ENOMEM;
    }
    free(f->tx_streams);
    free(f->rx_streams);
    f->tx_streams = tx;
    f->rx_streams = rx;
    f->scap = cap;
    f->nstreams = nstreams;
    memset(&f->tx, 0, sizeof(f->tx));
    memset(&f->rx, 0, sizeof(f->rx));
    f->tx.streams = f->tx_streams;
    f->rx.streams = f->rx_streams;
    if (f->vstreams != NULL)
        return alloc_vstreams(f);
    return 0;
}

void perf_flow_set_tag(struct perf_flow *f, int tag)
{
    f->tag = tag;
}

int perf_flow_tag(const struct perf_flow *f)
{
    return f->tag;
}

struct transport_conn *perf_flow_conn(const struct perf_flow *f)
{
    return f->conn;
}

bool perf_flow_sending(const struct perf_flow *f)
{
    return f->send_state == SEND_RUNNING || f->send_state == SEND_DRAINING;
}

uint64_t perf_flow_bytes_moved(const struct perf_flow *f)
{
    return f->tx.bytes + f->rx.bytes;
}

uint64_t perf_flow_last_progress(const struct perf_flow *f)
{
    return f->last_progress_ns;
}

/* "association N" (1-based, as the reports count), for log lines. */
static const char *flow_name(const struct perf_flow *f, char *buf, size_t len)
{
    if (f->tag < 0)
        snprintf(buf, len, "an association in no test yet");
    else
        snprintf(buf, len, "association %d", f->tag + 1);
    return buf;
}

/* Send queued control messages; false while some still wait for room. */
static bool flush_control(struct perf_flow *f)
{
    struct transport_msginfo info;
    struct ctrl_msg *m;
    char name[48];

    memset(&info, 0, sizeof(info));
    /* Answer on the stream the peer's control messages come on. */
    info.sid = f->peer_ctrl_known ? f->peer_ctrl_sid : f->nstreams;
    info.ppid = PERF_PPID_CONTROL;
    /* A SACK at once: otherwise the next control message can sit behind
     * Nagle while the peer delays its SACK (200 ms each time). */
    info.sack_now = true;
    while ((m = f->ctrl_head) != NULL) {
        ssize_t n = transport_send(f->conn, m->data, m->len, &info);

        if (n == -EAGAIN) {
            f->blocked = true;
            return false;
        }
        /* To a peer that reset the association (a test being aborted
         * tells it why) the loss is expected: said, but not warned. */
        if (n == -EPIPE || n == -ECONNRESET)
            log_info("%s: a %zu-byte control message could not be sent: "
                     "%s",
                     flow_name(f, name, sizeof(name)), m->len,
                     strerror((int)-n));
        else if (n < 0)
            log_warn("%s: a %zu-byte control message could not be sent: "
                     "%s",
                     flow_name(f, name, sizeof(name)), m->len,
                     strerror((int)-n));
        f->ctrl_head = m->next;
        if (f->ctrl_head == NULL)
            f->ctrl_tail = &f->ctrl_head;
        free(m);
    }
    if (f->closing && !f->shut) {
        f->shut = true;
        transport_shutdown(f->conn);
    }
    return true;
}

int perf_flow_send_control(struct perf_flow *f, const uint8_t *msg, size_t len)
{
    struct ctrl_msg *m = malloc(sizeof(*m) + len);

    if (m == NULL)
        return -ENOMEM;
    m->next = NULL;
    m->len = len;
    memcpy(m->data, msg, len);
    *f->ctrl_tail = m;
    f->ctrl_tail = &m->next;
    flush_control(f);
    return 0;
}

static bool limit_reached(const struct perf_flow *f, uint64_t now)
{
    const struct perf_send_params *sp = &f->sp;

    if (sp->duration_ns && now - f->send_start_ns >= sp->duration_ns)
        return true;
    if (sp->bytes && f->tx.bytes >= sp->bytes)
        return true;
    return sp->messages && f->tx.messages >= sp->messages;
}

static void schedule(struct perf_flow *f, uint64_t delay_ns)
{
    struct timeval tv;

    tv.tv_sec = (time_t)(delay_ns / 1000000000u);
    tv.tv_usec = (suseconds_t)(delay_ns % 1000000000u / 1000);
    evtimer_add(f->send_ev, &tv);
}

/* A pacer's wait, cut at -t's end: the sender stops there, not when a
 * slow pace would have sent its next message. */
static uint64_t pace_wait(const struct perf_flow *f, uint64_t now,
                          uint64_t wait)
{
    uint64_t end = f->send_start_ns + f->sp.duration_ns;

    if (f->sp.duration_ns && now + wait > end)
        return end > now ? end - now : 0;
    return wait;
}

/* Limit reached: stop writing and wait until the peer has it all. */
static uint64_t drain_poll_ns(void)
{
    uint64_t us = DRAIN_POLL_US;

    if (ndraining > DRAIN_POLL_FLOWS)
        us = (uint64_t)DRAIN_POLL_US * ndraining / DRAIN_POLL_FLOWS;
    if (us > DRAIN_POLL_MAX_US)
        us = DRAIN_POLL_MAX_US;
    return us * 1000u;
}

static void begin_drain(struct perf_flow *f)
{
    if (f->send_state != SEND_DRAINING)
        ndraining++;
    f->drain_left = UINT64_MAX;
    f->send_stop_ns = perf_now_ns();
    f->send_state = SEND_DRAINING;
    schedule(f, 0);
}

static void update_sent(struct perf_flow *f);

/*
 * Everything given to SCTP acknowledged? The association's send-buffer
 * use says so (bytes queued, in the stream queues too, plus unacked).
 * SCTP_STATUS cannot: sstat_unackdata misses data still queued, and
 * sstat_penddata counts *received* data (RFC 6458 8.2.1).
 */
static bool all_acked(const struct transport_assoc_info *info)
{
    if (info->send_queued != UINT64_MAX)
        return info->send_queued == 0;
    return info->unacked == 0;
}

bool perf_flow_all_delivered(const struct perf_flow *f)
{
    struct transport_assoc_info info;

    if (f->ctrl_head != NULL)
        return false;
    return transport_get_info(f->conn, &info) != 0 || all_acked(&info);
}

static void check_drained(struct perf_flow *f)
{
    struct transport_assoc_info info;

    if (!flush_control(f))
        return;
    if (transport_get_info(f->conn, &info) == 0 && !all_acked(&info)) {
        uint64_t left =
            info.send_queued != UINT64_MAX ? info.send_queued : info.unacked;

        /* Acknowledgements are progress: a slow path can take longer
         * than --timeout to drain a full send buffer. */
        if (left < f->drain_left)
            f->last_progress_ns = perf_now_ns();
        f->drain_left = left;
        schedule(f, drain_poll_ns());
        return;
    }
    ndraining--;
    f->send_state = SEND_DONE;
    update_sent(f);
    f->ops->on_send_done(f, f->arg);
}

/* The size of the next message: the last one of -n may be shorter. */
/*
 * Messages near the end ask the receiver to SACK at once (the I bit), so
 * the drain does not wait out a 200 ms delayed-SACK timer.
 */
static bool near_end(const struct perf_flow *f, uint64_t now, size_t len)
{
    const struct perf_send_params *sp = &f->sp;

    if (sp->duration_ns &&
        now - f->send_start_ns + LAST_SACK_NS >= sp->duration_ns)
        return true;
    if (sp->bytes && f->tx.bytes + len >= sp->bytes)
        return true;
    return sp->messages && f->tx.messages + 1 >= sp->messages;
}

static size_t next_len(const struct perf_flow *f)
{
    uint64_t left;

    if (f->sp.bytes == 0)
        return f->sp.length;
    left = f->sp.bytes - f->tx.bytes;
    /* --verify needs room for its header even in the last message. */
    if (f->sp.verify && left < PERF_VERIFY_HDR_LEN)
        left = PERF_VERIFY_HDR_LEN;
    return left < f->sp.length ? (size_t)left : f->sp.length;
}

/* One more message with this PPID on stream s: the last PPID, and
 * whether it ever changed. */
static void note_ppid(struct perf_stream_counts *s, uint32_t ppid)
{
    if (s->messages > 0 && s->ppid != ppid)
        s->ppid_mixed = true;
    s->ppid = ppid;
}

static void count_sent(struct perf_flow *f, uint16_t sid, size_t len,
                       uint32_t ppid)
{
    struct perf_stream_counts *s;

    f->tx.messages++;
    f->tx.bytes += len;
    if (sid >= f->scap)
        return; /* counted in the total only */
    s = &f->tx_streams[sid];
    s->sid = sid;
    note_ppid(s, ppid);
    s->messages++;
    s->bytes += len;
    if (sid >= f->tx.nstreams)
        f->tx.nstreams = sid + 1;
}

static void send_streams(struct perf_flow *f);

/* Write messages until the buffer is full, a limit or the pacer says so. */
static void send_some(struct perf_flow *f)
{
    struct transport_msginfo info;
    char name[48];
    int batch;

    if (f->stx != NULL) {
        send_streams(f);
        return;
    }
    if (!flush_control(f))
        return;
    memset(&info, 0, sizeof(info));
    info.unordered = f->sp.unordered;
    info.pr_policy = f->sp.pr_policy;
    info.pr_value = f->sp.pr_value;
    for (batch = 0; batch < SEND_BATCH; batch++) {
        uint64_t now = perf_now_ns();
        uint64_t wait;
        size_t len;
        ssize_t n;

        /* --rr: at most --rr-burst requests out; the next waits for a
         * response. */
        if (f->rr_total != NULL && f->rr_inflight >= f->sp.rr_burst)
            return;
        if (limit_reached(f, now)) {
            /* --rr: the last responses first (the next one calls us) */
            if (f->rr_total != NULL && f->rr_inflight > 0)
                return;
            begin_drain(f);
            return;
        }
        len = next_len(f);
        wait = rate_delay_ns(&f->pacer, now, len);
        if (wait > 0) {
            /* Waiting for the pacer is progress; a full send buffer is
             * not, even when the pacer makes the retry wait too. */
            wait = pace_wait(f, now, wait);
            if (!f->blocked) {
                f->last_progress_ns = now;
                f->quiet_until_ns = now + wait;
            }
            schedule(f, wait);
            return;
        }
        info.sid = (uint16_t)f->next_sid;
        info.ppid = f->tx_ppids[info.sid];
        info.sack_now = near_end(f, now, len);
        if (f->sp.verify && len == f->sp.length) {
            /* txbuf holds sp.length bytes. The decoder and the CLI keep
             * it >= the header; if one ever does not, stop, not overrun. */
            if (perf_verify_stamp(f->txbuf, f->sp.length, f->payload_crc,
                                  info.sid, f->tx_seq[info.sid]) < 0) {
                log_warn("--verify: %u-byte messages cannot hold the "
                         "%d-byte header; not sending",
                         (unsigned)f->sp.length, PERF_VERIFY_HDR_LEN);
                f->send_state = SEND_DONE;
                return;
            }
        } else if (f->sp.verify) {
            /* A short last message: its own bytes, not the shared buffer's
             * prepared payload, which other flows stamp (at most one per
             * flow, so a small allocation is no cost) */
            uint8_t *own = malloc(len);

            if (own == NULL) {
                schedule(f, BLOCKED_RETRY_NS);
                return;
            }
            perf_verify_fill(own, len, info.sid, f->tx_seq[info.sid]);
            n = transport_send(f->conn, own, len, &info);
            free(own);
        }
        if (!f->sp.verify || len == f->sp.length)
            n = transport_send(f->conn, f->txbuf, len, &info);
        if (n == -EAGAIN) {
            /* TRANSPORT_EV_WRITABLE normally follows; but usrsctp frees
             * PR-SCTP abandoned messages without telling, so look again
             * after a while too. */
            f->blocked = true;
            schedule(f, BLOCKED_RETRY_NS);
            return;
        }
        if (n < 0) {
            /* Usually the association is going, and the receive side
             * says why; but say what failed, where, in any case. */
            log_warn("%s: sending a %zu-byte message on stream %u failed: "
                     "%s; this sender stops",
                     flow_name(f, name, sizeof(name)), len, (unsigned)info.sid,
                     strerror((int)-n));
            f->send_state = SEND_DONE;
            return;
        }
        f->tx_seq[info.sid]++;
        count_sent(f, info.sid, len, info.ppid);
        f->blocked = false; /* a retry got through without WRITABLE */
        f->last_progress_ns = now;
        f->next_sid = (f->next_sid + 1) % f->sp.nstreams;
        if (f->rr_total != NULL) {
            f->rr_sent_ns[(f->rr_head + f->rr_inflight) % PERF_RR_BURST_MAX] =
                now;
            f->rr_inflight++;
        }
    }
    /* Let the loop read SACKs and other associations run. */
    schedule(f, 0);
}

/*
 * --rr, server: answer every request not answered yet, oldest first, each
 * on its request's stream (past the ring's PERF_RR_BURST_MAX, which no
 * client of ours exceeds, on the last stream known). A full send buffer
 * waits for WRITABLE, or the retry timer.
 */
static void rr_answer(struct perf_flow *f)
{
    struct transport_msginfo info;
    char name[48];

    if (!flush_control(f))
        return;
    memset(&info, 0, sizeof(info));
    info.unordered = f->sp.unordered;
    while (f->rr_pending > 0) {
        ssize_t n;

        info.sid = f->rr_nsids > 0 ? f->rr_sids[f->rr_sid_head] : f->rr_sid;
        info.ppid = f->tx_ppids[info.sid];
        n = transport_send(f->conn, f->rr_buf, f->rr_resp, &info);
        if (n == -EAGAIN) {
            f->blocked = true;
            schedule(f, BLOCKED_RETRY_NS);
            return;
        }
        if (n < 0) {
            log_warn("%s: sending a %u-byte response failed: %s",
                     flow_name(f, name, sizeof(name)), (unsigned)f->rr_resp,
                     strerror((int)-n));
            f->rr_pending = 0;
            return;
        }
        f->rr_pending--;
        if (f->rr_nsids > 0) {
            f->rr_sid_head = (f->rr_sid_head + 1) % PERF_RR_BURST_MAX;
            f->rr_nsids--;
        }
        count_sent(f, info.sid, f->rr_resp, info.ppid);
        f->blocked = false;
        f->last_progress_ns = perf_now_ns();
    }
}

/*
 * send_some under --stream: the streams take turns, each paced on its
 * own, and every message carries its send time. -n stops after the
 * message that reaches it (no shorter last message: each stream keeps
 * its size).
 */
static void send_streams(struct perf_flow *f)
{
    struct transport_msginfo info;
    char name[48];
    int batch;

    if (!flush_control(f))
        return;
    for (batch = 0; batch < SEND_BATCH; batch++) {
        uint64_t now = perf_now_ns();
        struct perf_stream_msg m;
        uint64_t wait;
        ssize_t n;

        if (limit_reached(f, now)) {
            begin_drain(f);
            return;
        }
        wait = 0;
        if (f->stx_has_retry)
            m = f->stx_retry;
        else
            wait = perf_stream_tx_next(f->stx, now, &m);
        if (wait > 0) {
            wait = pace_wait(f, now, wait);
            if (!f->blocked) {
                f->last_progress_ns = now;
                f->quiet_until_ns = now + wait;
            }
            schedule(f, wait);
            return;
        }
        memset(&info, 0, sizeof(info));
        info.sid = m.sid;
        info.ppid = f->tx_ppids[m.sid];
        info.unordered = m.unordered;
        info.pr_policy = m.pr_policy;
        info.pr_value = m.pr_value;
        info.sack_now = near_end(f, now, m.length);
        perf_latency_stamp(f->txbuf, m.sid, perf_latency_clock_ns());
        n = transport_send(f->conn, f->txbuf, m.length, &info);
        if (n == -EAGAIN) {
            /* Its pacer has charged it: send this one when there is
             * room, rather than lose it (and the stream its rate). */
            f->stx_retry = m;
            f->stx_has_retry = true;
            f->blocked = true;
            schedule(f, BLOCKED_RETRY_NS);
            return;
        }
        if (n < 0) {
            log_warn("%s: sending a %u-byte message on stream %u failed: "
                     "%s; this sender stops",
                     flow_name(f, name, sizeof(name)), (unsigned)m.length,
                     (unsigned)m.sid, strerror((int)-n));
            f->send_state = SEND_DONE;
            return;
        }
        f->stx_has_retry = false;
        f->tx_seq[m.sid]++;
        count_sent(f, m.sid, m.length, info.ppid);
        f->blocked = false;
        f->last_progress_ns = now;
    }
    schedule(f, 0);
}

static void send_ev_cb(evutil_socket_t fd, short what, void *arg)
{
    struct perf_flow *f = arg;

    (void)fd;
    (void)what;
    if (f->closing)
        flush_control(f);
    else if (f->send_state == SEND_RUNNING)
        send_some(f);
    else if (f->send_state == SEND_DRAINING)
        check_drained(f);
    else if (f->rr_buf != NULL)
        rr_answer(f);
    else
        flush_control(f);
}

/* --stream ...,prio=N (under --scheduler prio): each stream's priority
 * on this association, now that its streams exist. */
static void set_stream_prios(struct perf_flow *f,
                             const struct perf_stream_specs *set)
{
    char name[48];
    uint16_t i;

    for (i = 0; i < set->n; i++) {
        const struct perf_stream_spec *s = &set->s[i];
        unsigned int sid;
        int rc = 0;

        if (s->prio == PERF_STREAM_PRIO_NONE)
            continue;
        for (sid = s->first; sid <= s->last && rc == 0; sid++)
            rc = transport_set_stream_prio(f->conn, (uint16_t)sid, s->prio);
        if (rc < 0)
            log_warn("%s: cannot set stream %u's priority: %s",
                     flow_name(f, name, sizeof(name)), sid - 1, strerror(-rc));
    }
}

/* The PPID each data stream's messages carry. */
static int make_ppids(struct perf_flow *f)
{
    uint16_t i;

    free(f->tx_ppids);
    f->tx_ppids = calloc(f->sp.nstreams, sizeof(*f->tx_ppids));
    if (f->tx_ppids == NULL)
        return -ENOMEM;
    for (i = 0; i < f->sp.nstreams; i++)
        f->tx_ppids[i] =
            f->sp.nppids ? f->sp.ppids[i % f->sp.nppids] : PERF_PPID_DATA;
    return 0;
}

int perf_flow_set_rr_server(struct perf_flow *f, const struct perf_params *p)
{
    perf_flow_send_params(p, &f->sp);
    if (f->sp.nstreams == 0)
        f->sp.nstreams = 1;
    free(f->rr_buf);
    f->rr_buf = malloc(p->rr_resp);
    if (f->rr_buf == NULL || make_ppids(f) < 0)
        return -ENOMEM;
    memset(f->rr_buf, 0x5a, p->rr_resp);
    f->rr_resp = p->rr_resp;
    return 0;
}

int perf_flow_start_send(struct perf_flow *f, const struct perf_send_params *sp)
{
    f->sp = *sp;
    if (f->sp.nstreams == 0)
        f->sp.nstreams = 1;
    if (sp->streams.n > 0) {
        /* One buffer for every stream: the largest message, and the
         * timestamp header rewritten just before each send (the buffer
         * is shared, perf_txbuf.c, and every send copies it). */
        f->sp.length = perf_stream_tx_max_len(&sp->streams);
        f->sp.verify = false;
        f->sp.rate_bps = 0;
        f->stx = perf_stream_tx_new(&sp->streams, sp->burst, perf_now_ns());
        if (f->stx == NULL)
            return -ENOMEM;
        set_stream_prios(f, &sp->streams);
    }
    sp = &f->sp;
    f->txbuf = perf_txbuf_get(sp->length, sp->verify, &f->payload_crc);
    f->tx_seq = calloc(f->sp.nstreams, sizeof(*f->tx_seq));
    if (f->txbuf == NULL || f->tx_seq == NULL || make_ppids(f) < 0)
        return -ENOMEM;
    if (f->sp.rr_burst < 1 || f->sp.rr_burst > PERF_RR_BURST_MAX)
        f->sp.rr_burst = 1;
    if (sp->rr_resp != 0) {
        f->rr_total = malloc(sizeof(*f->rr_total));
        f->rr_iv = malloc(sizeof(*f->rr_iv));
        if (f->rr_total == NULL || f->rr_iv == NULL)
            return -ENOMEM;
        perf_rr_stats_init(f->rr_total);
        perf_rr_stats_init(f->rr_iv);
    }
    f->send_start_ns = perf_now_ns();
    rate_init(&f->pacer, sp->rate_bps, sp->burst, f->send_start_ns);
    f->send_state = SEND_RUNNING;
    f->last_progress_ns = f->send_start_ns;
    schedule(f, 0);
    return 0;
}

void perf_flow_stop_send(struct perf_flow *f)
{
    if (f->send_state == SEND_RUNNING)
        begin_drain(f);
}

int perf_flow_close_with(struct perf_flow *f, const uint8_t *msg, size_t len)
{
    if (f->send_state == SEND_DRAINING)
        ndraining--;
    if (f->send_state != SEND_IDLE)
        f->send_state = SEND_DONE;
    evtimer_del(f->send_ev);
    f->closing = true;
    return perf_flow_send_control(f, msg, len);
}

/*
 * A stream past the ones the test named (a --no-control server learns of
 * them only as data comes): room for sid, the counts kept. The caller
 * bounds sid by PERF_MAX_STREAMS.
 */
static int grow_streams(struct perf_flow *f, uint16_t sid)
{
    uint32_t cap = (uint32_t)sid + 1;
    struct perf_stream_counts *tx = realloc(f->tx_streams, cap * sizeof(*tx));
    struct perf_stream_counts *rx;

    if (tx == NULL)
        return -ENOMEM;
    f->tx_streams = tx;
    rx = realloc(f->rx_streams, cap * sizeof(*rx));
    if (rx == NULL)
        return -ENOMEM;
    f->rx_streams = rx;
    memset(tx + f->scap, 0, (cap - f->scap) * sizeof(*tx));
    memset(rx + f->scap, 0, (cap - f->scap) * sizeof(*rx));
    if (f->vstreams != NULL) {
        struct perf_verify_stream *v =
            realloc(f->vstreams, cap * sizeof(*f->vstreams));
        uint32_t i;

        if (v == NULL)
            return -ENOMEM;
        for (i = f->scap; i < cap; i++)
            perf_verify_init(&v[i], true);
        f->vstreams = v;
    }
    f->scap = cap;
    f->tx.streams = f->tx_streams;
    f->rx.streams = f->rx_streams;
    return 0;
}

static void count_received(struct perf_flow *f, const uint8_t *msg, size_t len,
                           uint16_t sid, uint32_t ppid)
{
    struct perf_stream_counts *s;

    f->rx.messages++;
    if (sid >= f->scap && (sid >= PERF_MAX_STREAMS || grow_streams(f, sid) < 0))
        return; /* counted in the total only */
    s = &f->rx_streams[sid];
    s->sid = sid;
    note_ppid(s, ppid);
    s->messages++;
    s->bytes += len;
    if (sid >= f->rx.nstreams)
        f->rx.nstreams = sid + 1;
    if (f->verify && msg != NULL)
        perf_verify_check(&f->vstreams[sid], sid, msg, len, s);
}

/* --rr, client: the response to the request out is in. */
static void rr_done(struct perf_flow *f)
{
    uint64_t ns = perf_now_ns() - f->rr_sent_ns[f->rr_head];
    bool wrong = f->rx_msg_len != f->sp.rr_resp;

    /* Responses come back in the order of their requests on one stream
     * (and on loss-free paths across streams): the oldest is this one's. */
    f->rr_head = (f->rr_head + 1) % PERF_RR_BURST_MAX;
    f->rr_inflight--;
    if (f->rr_stale > 0) {
        f->rr_stale--;
    } else {
        perf_rr_stats_add(f->rr_total, ns);
        perf_rr_stats_add(f->rr_iv, ns);
        f->rr_total->wrong_size += wrong;
        f->rr_iv->wrong_size += wrong;
    }
    if (f->send_state == SEND_RUNNING)
        send_some(f);
}

/*
 * A message ended: hand control messages to the owner, count data.
 * Returns false when the owner may have freed the flow.
 */
static bool on_message(struct perf_flow *f)
{
    const uint8_t *msg = f->rx_too_big ? NULL : f->rxbuf;
    size_t len = f->rxlen;

    f->rxlen = 0;
    if (f->rx_control) {
        f->peer_ctrl_sid = f->rxinfo.sid;
        f->peer_ctrl_known = true;
        return msg == NULL || f->ops->on_control(f, msg, len, f->arg);
    }
    count_received(f, f->verify ? msg : NULL, f->rx_msg_len, f->rxinfo.sid,
                   f->rxinfo.ppid);
    if (f->rr_buf != NULL && !f->closing) {
        /* A request: answered on its stream (one the test has). */
        f->rr_sid = f->rxinfo.sid < f->sp.nstreams ? f->rxinfo.sid : 0;
        if (f->rr_nsids < PERF_RR_BURST_MAX) {
            f->rr_sids[(f->rr_sid_head + f->rr_nsids) % PERF_RR_BURST_MAX] =
                f->rr_sid;
            f->rr_nsids++;
        }
        f->rr_pending++;
        rr_answer(f);
    } else if (f->rr_total != NULL && f->rr_inflight > 0 && !f->closing) {
        rr_done(f);
    }
    if (f->rx_stamped)
        perf_latency_add(f->lat, f->rxinfo.sid, f->rx_send_ns,
                         perf_latency_clock_ns());
    return true;
}

/*
 * The rest of what is queued is read on the next turn of the loop. The
 * backends need not say READABLE again for data already queued (usrsctp's
 * upcall comes when more arrives, which may be never), so the flow asks
 * itself. A zero timeout, not event_active(): libevent runs events made
 * active during a pass in that same pass, before the sender's zero-timeout
 * send_ev, which would bring the starvation back.
 */
static void receive_later(struct perf_flow *f)
{
    static const struct timeval now = { 0, 0 };

    evtimer_add(f->recv_ev, &now);
}

/*
 * Append a message's next n bytes to rxbuf, growing it (doubling) up to
 * rxmax. -EMSGSIZE past rxmax, -ENOMEM; a message once too big stays so.
 */
static int keep_bytes(struct perf_flow *f, const uint8_t *src, size_t n)
{
    size_t need = f->rxlen + n;

    if (f->rx_too_big)
        return 0;
    if (need > f->rxmax)
        return -EMSGSIZE;
    if (need > f->rxcap) {
        size_t cap = f->rxcap ? f->rxcap : RX_FIRST_CAP;
        uint8_t *buf;

        while (cap < need)
            cap *= 2;
        if (cap > f->rxmax)
            cap = f->rxmax;
        buf = realloc(f->rxbuf, cap);
        if (buf == NULL)
            return -ENOMEM;
        f->rxbuf = buf;
        f->rxcap = cap;
    }
    memcpy(f->rxbuf + f->rxlen, src, n);
    f->rxlen = need;
    return 0;
}

/*
 * Read what is queued, up to the budget. Control messages, and data under
 * --verify, are gathered whole in rxbuf; plain data is only counted.
 * Returns false when the flow was closed or may have been freed.
 */
static bool receive_some(struct perf_flow *f)
{
    size_t bytes = 0;
    int reads;

    for (reads = 0;; reads++) {
        static uint8_t scratch[RX_SCRATCH];
        struct transport_msginfo info;
        uint8_t *dst = scratch;
        size_t room = sizeof(scratch);
        ssize_t n;

        if (reads >= RECV_BUDGET_READS || bytes >= RECV_BUDGET_BYTES) {
            receive_later(f);
            return true;
        }
        memset(&info, 0, sizeof(info));
        n = transport_recv(f->conn, dst, room, &info);
        if (n == -EAGAIN)
            return true;
        if (n <= 0) {
            f->ops->on_closed(f, n == 0 ? 0 : (int)-n, f->arg);
            return false;
        }
        if (!f->rx_in_msg) {
            f->rxinfo = info;
            f->rx_control = info.ppid == PERF_PPID_CONTROL;
            f->rx_keep = f->rx_control || f->verify;
            f->rx_too_big = false;
            f->rx_msg_len = 0;
            f->rxlen = 0;
            /* A message's first read lands at rxbuf: its header is
             * there whether or not the rest is kept. */
            f->rx_stamped =
                f->lat != NULL && !f->rx_control &&
                perf_latency_read(dst, (size_t)n, info.sid, &f->rx_send_ns);
        }
        if (f->rx_keep && keep_bytes(f, dst, (size_t)n) < 0) {
            /* Too big to keep whole (or no memory): count it, check
             * nothing. */
            f->rx_too_big = true;
            f->rxlen = 0;
        }
        f->rx_msg_len += (size_t)n;
        bytes += (size_t)n;
        if (!f->rx_control) {
            f->rx.bytes += (size_t)n;
            f->last_progress_ns = f->last_rx_ns = perf_now_ns();
            f->quiet_until_ns = f->last_rx_ns + f->rx_gap_ns;
        }
        f->rx_in_msg = !info.eor;
        if (info.eor && !on_message(f))
            return false;
    }
}

static void recv_ev_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    receive_some(arg);
}

static void flow_event_cb(struct transport_conn *conn, int events, void *arg)
{
    struct perf_flow *f = arg;

    if (events & TRANSPORT_EV_ERROR && !(events & TRANSPORT_EV_READABLE)) {
        f->ops->on_closed(f, conn->last_errno, f->arg);
        return;
    }
    if (events & TRANSPORT_EV_CONNECTED) {
        /* At least 1 us, so that 0 keeps meaning "not up". */
        f->setup_us = (perf_now_ns() - f->created_ns) / 1000;
        if (f->setup_us == 0)
            f->setup_us = 1;
        f->ops->on_connected(f, f->arg);
    }
    if (events & TRANSPORT_EV_WRITABLE && f->blocked) {
        f->blocked = false;
        if (f->closing)
            flush_control(f);
        else if (f->send_state == SEND_RUNNING)
            send_some(f);
        else if (f->rr_buf != NULL)
            rr_answer(f);
        else
            flush_control(f);
    }
    if (events & (TRANSPORT_EV_READABLE | TRANSPORT_EV_ERROR))
        receive_some(f);
}

/* The longest a sender with params sp may rest between two messages:
 * a message's length at its rate, the shortest of --stream's. */
static uint64_t pace_gap_ns(const struct perf_send_params *sp)
{
    uint64_t gap = UINT64_MAX;
    uint16_t i;

    if (sp->streams.n == 0)
        return sp->rate_bps ? (uint64_t)(sp->length * 8e9 / sp->rate_bps) : 0;
    for (i = 0; i < sp->streams.n; i++) {
        const struct perf_stream_spec *s = &sp->streams.s[i];
        uint64_t g;

        if (s->rate_bps == 0)
            return 0; /* one stream unpaced: no quiet */
        g = (uint64_t)(s->length * 8e9 / s->rate_bps);
        if (g < gap)
            gap = g;
    }
    return gap;
}

void perf_flow_mark_start(struct perf_flow *f,
                          const struct perf_send_params *peer)
{
    f->last_progress_ns = perf_now_ns();
    f->rx_gap_ns = peer != NULL ? pace_gap_ns(peer) : 0;
    /* its first message may be in already (sent as soon as the peer
     * started), and the next one a gap away */
    f->quiet_until_ns = f->last_progress_ns + f->rx_gap_ns;
}

uint64_t perf_flow_rx_gap_ns(const struct perf_flow *f)
{
    return f->rx_gap_ns;
}

uint64_t perf_flow_idle_ns(const struct perf_flow *f, uint64_t now)
{
    uint64_t since = f->last_progress_ns > f->quiet_until_ns
                         ? f->last_progress_ns
                         : f->quiet_until_ns;

    return now > since ? now - since : 0;
}

void perf_flow_reset_counts(struct perf_flow *f)
{
    struct transport_assoc_info info;

    memset(f->tx_streams, 0, f->scap * sizeof(*f->tx_streams));
    memset(f->rx_streams, 0, f->scap * sizeof(*f->rx_streams));
    memset(&f->tx, 0, sizeof(f->tx));
    memset(&f->rx, 0, sizeof(f->rx));
    f->tx.streams = f->tx_streams;
    f->rx.streams = f->rx_streams;
    f->sample_tx_bytes = 0;
    f->sample_rx_bytes = 0;
    if (f->rr_total != NULL) {
        perf_rr_stats_init(f->rr_total);
        perf_rr_stats_init(f->rr_iv);
        f->rr_stale = f->rr_inflight;
    }
    if (f->lat != NULL)
        perf_latency_reset(f->lat);
    if (transport_get_info(f->conn, &info) == 0)
        f->base_retransmits = info.retransmits;
    f->sample_retransmits = f->base_retransmits;
}

void perf_flow_sample(struct perf_flow *f, struct perf_flow_sample *out)
{
    memset(out, 0, sizeof(*out));
    out->tx_bytes = f->tx.bytes - f->sample_tx_bytes;
    out->rx_bytes = f->rx.bytes - f->sample_rx_bytes;
    f->sample_tx_bytes = f->tx.bytes;
    f->sample_rx_bytes = f->rx.bytes;
    out->have_info = transport_get_info(f->conn, &out->info) == 0;
    if (out->have_info) {
        out->tx_retransmits = out->info.retransmits - f->sample_retransmits;
        f->sample_retransmits = out->info.retransmits;
    }
}

/* Take the sender's SCTP counters while the association still exists. */
static void update_sent(struct perf_flow *f)
{
    struct transport_assoc_info info;

    if (transport_get_info(f->conn, &info) == 0) {
        f->tx.retransmits = info.retransmits - f->base_retransmits;
        f->tx.abandoned = info.abandoned;
    }
}

const struct perf_dir_counts *perf_flow_sent(struct perf_flow *f)
{
    /* After a graceful close SCTP_STATUS has nothing to say; the values
     * taken when the drain ended stay. */
    update_sent(f);
    return &f->tx;
}

const struct perf_dir_counts *perf_flow_received(struct perf_flow *f)
{
    uint16_t i;

    if (f->verify)
        for (i = 0; i < f->rx.nstreams; i++)
            perf_verify_finish(&f->vstreams[i], &f->rx_streams[i]);
    return &f->rx;
}

void perf_flow_set_connect_ns(struct perf_flow *f, uint64_t ns)
{
    f->created_ns = ns;
}

uint64_t perf_flow_setup_us(const struct perf_flow *f)
{
    return f->setup_us;
}

uint64_t perf_flow_send_stop_ns(const struct perf_flow *f)
{
    return f->send_stop_ns;
}

uint64_t perf_flow_last_rx_ns(const struct perf_flow *f)
{
    return f->last_rx_ns;
}

void perf_flow_send_params(const struct perf_params *p,
                           struct perf_send_params *sp)
{
    memset(sp, 0, sizeof(*sp));
    sp->length = p->length;
    sp->rate_bps = p->rate_bps;
    sp->burst = p->burst;
    sp->nstreams = p->nstreams;
    sp->unordered = p->unordered;
    sp->pr_policy = p->pr_policy;
    sp->pr_value = p->pr_value;
    sp->verify = p->verify;
    sp->bytes = p->bytes;
    sp->messages = p->messages;
    sp->nppids = p->nppids;
    sp->rr_resp = p->rr_resp;
    sp->rr_burst = 1;
    sp->streams.n = 0; /* the owner adds --stream's specs */
    memcpy(sp->ppids, p->ppids, (size_t)p->nppids * sizeof(p->ppids[0]));
    /* -t covers the -O warm-up too, as in iperf3. -t 0 has no end but
     * the client's interrupt, with or without a warm-up. */
    if (p->bytes == 0 && p->messages == 0 && p->duration_ms != 0)
        sp->duration_ns = (p->duration_ms + p->omit_ms) * 1000000ull;
}

const struct perf_rr_stats *perf_flow_rr_total(const struct perf_flow *f)
{
    return f->rr_total;
}

bool perf_flow_rr_take(struct perf_flow *f, struct perf_rr_stats *out)
{
    if (f->rr_iv == NULL)
        return false;
    *out = *f->rr_iv;
    perf_rr_stats_init(f->rr_iv);
    return true;
}
