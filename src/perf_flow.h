/*
 * perf_flow.h - one association of a throughput test: its sender, its
 * receiver and its control messages, on top of transport.h.
 *
 * A flow sends data messages round-robin over its data streams (0 ..
 * nstreams-1), each stream with its PPID (--ppid), counts what it sends
 * and receives per stream (with the PPIDs it saw), and carries
 * control messages on the stream after the data streams with
 * PERF_PPID_CONTROL. What to do with control messages and when a test ends
 * is for its owner (the client or the server) to decide.
 */
#ifndef SCTPU_PERF_FLOW_H
#define SCTPU_PERF_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perf.h"
#include "perf_stats.h"
#include "perf_stream_spec.h"
#include "transport.h"

struct event_base;
struct perf_flow;

/* What a flow tells its owner; every callback may free the flow. */
struct perf_flow_ops {
    /* Client: the association is up. Must not free the flow. */
    void (*on_connected)(struct perf_flow *f, void *arg);
    /* A whole control message arrived. Return false if the flow was freed
     * (or must not be read further now). */
    bool (*on_control)(struct perf_flow *f, const uint8_t *msg, size_t len,
                       void *arg);
    /* The sender reached its limit and all its data is acknowledged. */
    void (*on_send_done)(struct perf_flow *f, void *arg);
    /* The association is over: err 0 when the peer shut down gracefully,
     * else a positive errno. */
    void (*on_closed)(struct perf_flow *f, int err, void *arg);
};

/* How a flow sends. */
struct perf_send_params {
    uint32_t length;
    uint64_t rate_bps; /* 0 = as fast as possible */
    uint32_t burst;
    uint16_t nstreams;
    bool unordered;
    uint8_t pr_policy; /* enum perf_pr_policy */
    uint32_t pr_value;
    bool verify;
    /* data stream i carries ppids[i % nppids]; nppids 0 = PERF_PPID_DATA */
    uint16_t nppids;
    uint32_t ppids[PERF_MAX_PPIDS];
    /* stop at the first limit reached; 0 = no such limit */
    uint64_t duration_ns;
    uint64_t bytes;
    uint64_t messages;
    /* --rr: each message is a request, the next one waits for its
     * response of rr_resp bytes; 0 = one-way data */
    uint32_t rr_resp;
    uint32_t rr_burst; /* requests in flight, 1-PERF_RR_BURST_MAX */
    /* --stream: when streams.n > 0 only these streams send, each as its
     * resolved spec says and with a send timestamp (perf_latency.h);
     * length, rate_bps, nstreams, unordered and pr_* are then unused */
    struct perf_stream_specs streams;
};

/* Counters since the previous sample, and the association's state now. */
struct perf_flow_sample {
    uint64_t tx_bytes;
    uint64_t rx_bytes;
    uint64_t tx_retransmits;
    struct transport_assoc_info info;
    bool have_info;
};

struct perf_flow *perf_flow_new(struct event_base *base,
                                struct transport_conn *conn,
                                const struct perf_flow_ops *ops, void *arg);

/* Close gracefully (or abort) and free. NULL is fine. */
void perf_flow_free(struct perf_flow *f, bool abortive);

/* Receive data with --verify checks (needs whole messages up to max_len). */
int perf_flow_set_verify(struct perf_flow *f, uint32_t max_len);

/* --stream: measure each stream's one-way latency from the timestamps
 * the sender writes (perf_latency.h). */
int perf_flow_set_latency(struct perf_flow *f);

/* The latency measured so far; NULL when not measuring. */
struct perf_latency;
const struct perf_latency *perf_flow_latency(const struct perf_flow *f);

/* The data streams before the control stream (control sid = nstreams);
 * sizes the per-stream counts (and clears them). 0 or -ENOMEM. */
int perf_flow_set_streams(struct perf_flow *f, uint16_t nstreams);

/* How each end sends for the test the client asked for. */
struct perf_params;
void perf_flow_send_params(const struct perf_params *p,
                           struct perf_send_params *sp);

int perf_flow_start_send(struct perf_flow *f,
                         const struct perf_send_params *sp);

/* --rr, server: answer each data message with p->rr_resp bytes on its
 * stream (with p's PPIDs and -u); the answers count as sent data. */
int perf_flow_set_rr_server(struct perf_flow *f, const struct perf_params *p);

/* --rr, client: the transactions of the whole test (NULL when the flow
 * is no --rr sender), and those since the last take (false: none). */
struct perf_rr_stats;
const struct perf_rr_stats *perf_flow_rr_total(const struct perf_flow *f);
bool perf_flow_rr_take(struct perf_flow *f, struct perf_rr_stats *out);

/* End sending now (time is up elsewhere); on_send_done follows. */
void perf_flow_stop_send(struct perf_flow *f);
/*
 * End the association gracefully with a last word: no more data (nor
 * --rr answers), control message msg queued after what is already there,
 * then SHUTDOWN once the control queue is out, so that the peer reads msg
 * before it sees the association close. on_closed follows.
 */
int perf_flow_close_with(struct perf_flow *f, const uint8_t *msg, size_t len);

/* Queue a control message; it goes before any further data. */
int perf_flow_send_control(struct perf_flow *f, const uint8_t *msg, size_t len);

/* Start counting from zero (the end of -O warm-up). */
void perf_flow_reset_counts(struct perf_flow *f);

void perf_flow_sample(struct perf_flow *f, struct perf_flow_sample *out);

/* Totals, brought up to date; streams[] arrays stay owned by the flow. */
const struct perf_dir_counts *perf_flow_sent(struct perf_flow *f);
const struct perf_dir_counts *perf_flow_received(struct perf_flow *f);

/* Data bytes sent plus received since the last reset: cheap, for
 * checks made while the test runs. */
uint64_t perf_flow_bytes_moved(const struct perf_flow *f);

/* Monotonic ns of the last data moved or paced wait. */
uint64_t perf_flow_last_progress(const struct perf_flow *f);
/*
 * For stall checks: how long nothing has moved at now (ns), not counting
 * the quiet a pace plans. A sender's pacer may wait longer than --timeout
 * between messages (64 KiB at -b 40k: 13 s), and a receiver then hears
 * nothing for as long.
 */
uint64_t perf_flow_idle_ns(const struct perf_flow *f, uint64_t now);
/* The peer's pace as perf_flow_mark_start() had it: ns between its
 * messages, 0 = not paced (--rcv-timeout allows it on top). */
uint64_t perf_flow_rx_gap_ns(const struct perf_flow *f);
/* The data starts now: progress counts from here, not from the set-up
 * (-P 10000 can take longer than --timeout to gather). peer is how the
 * other end sends (its pace is how quiet this end may find it), or
 * NULL. */
void perf_flow_mark_start(struct perf_flow *f,
                          const struct perf_send_params *peer);

/*
 * The association's set-up time: from its start to TRANSPORT_EV_CONNECTED,
 * in us; 0 until it is up. The start is perf_flow_new(), right after the
 * connect call returns, unless the owner gives the time it called connect
 * (perf_now_ns()) with perf_flow_set_connect_ns(), which counts the call
 * itself (socket set-up, the INIT going out) too.
 */
void perf_flow_set_connect_ns(struct perf_flow *f, uint64_t ns);
uint64_t perf_flow_setup_us(const struct perf_flow *f);

/* When the sender reached its limit, and when data last arrived (ns,
 * monotonic; 0 = not yet): the ends of each direction's measured time. */
uint64_t perf_flow_send_stop_ns(const struct perf_flow *f);
uint64_t perf_flow_last_rx_ns(const struct perf_flow *f);

bool perf_flow_sending(const struct perf_flow *f);
/* Whether the peer has acknowledged every control message and every byte
 * given to send: nothing waits in our backlog or in the stack. A closed
 * association has nothing left. */
bool perf_flow_all_delivered(const struct perf_flow *f);
struct transport_conn *perf_flow_conn(const struct perf_flow *f);

/* Owner's per-flow slot (association index and the like). */
void perf_flow_set_tag(struct perf_flow *f, int tag);
int perf_flow_tag(const struct perf_flow *f);

uint64_t perf_now_ns(void);

#endif /* SCTPU_PERF_FLOW_H */
