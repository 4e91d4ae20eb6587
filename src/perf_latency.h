/*
 * perf_latency.h - per-stream one-way latency for sctpu-perf --stream.
 *
 * Every message on a --stream stream starts with a 16-byte header
 * (big-endian):
 *
 *   0        4     6          8                       16
 *   +--------+-----+----------+-----------------------+-----------
 *   | "SPLT" | sid | reserved | send time, ns (REALTIME) | payload
 *   +--------+-----+----------+-----------------------+-----------
 *
 * The sender writes it just before handing the message to SCTP; the
 * receiver takes the time when the message's last byte is read, so the
 * figure is what an application sees: queueing in the sender's stack,
 * the path, retransmissions, reassembly and delivery order.
 *
 * Clock assumption: CLOCK_REALTIME at both ends. On one host (loopback,
 * network namespaces) that is one clock and the figures are exact; across
 * hosts they are only as good as the clocks' synchronisation (PTP: us,
 * NTP: ms), whose offset adds to every figure. A message that arrives
 * "before" it was sent (a clock behind) counts as 0 us and in
 * `negative`.
 *
 * The receiver keeps a histogram (rtt_stats.h: exact below 1 ms, 1 %
 * above) per stream for at most PERF_LATENCY_STREAMS streams per
 * association, allocated when a stream's first stamped message comes;
 * messages on further streams are counted in `unmeasured`.
 */
#ifndef SCTPU_PERF_LATENCY_H
#define SCTPU_PERF_LATENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json_out.h"

#define PERF_LATENCY_MAGIC 0x53504c54u /* "SPLT" */
#define PERF_LATENCY_HDR_LEN 16
#define PERF_LATENCY_STREAMS 32 /* measured streams per association */

struct perf_latency;

/* One stream's figures, in microseconds. */
struct perf_latency_summary {
    uint16_t sid;
    uint64_t messages; /* measured */
    uint64_t negative; /* arrived before their send time: clocks */
    uint32_t min_us;
    uint32_t avg_us;
    uint32_t p50_us;
    uint32_t p90_us;
    uint32_t p99_us;
    uint32_t max_us;
};

/* One association's streams. */
struct perf_latency_report {
    uint16_t index; /* association, 0-based */
    uint16_t n;
    uint64_t unmeasured;
    struct perf_latency_summary s[PERF_LATENCY_STREAMS];
};

/* CLOCK_REALTIME in ns. */
uint64_t perf_latency_clock_ns(void);

/* Write the header into buf (at least PERF_LATENCY_HDR_LEN bytes). */
void perf_latency_stamp(uint8_t *buf, uint16_t sid, uint64_t send_ns);

/* The send time of a message whose first len bytes are buf, if it
 * carries a header for stream sid. */
bool perf_latency_read(const uint8_t *buf, size_t len, uint16_t sid,
                       uint64_t *send_ns);

/* The most memory one association's histograms take for a receiver of
 * nstreams listed streams (for --max-buffer-memory). */
size_t perf_latency_bytes(unsigned int nstreams);

struct perf_latency *perf_latency_new(void);
void perf_latency_free(struct perf_latency *l);

/* Forget everything (the end of -O warm-up). */
void perf_latency_reset(struct perf_latency *l);

/* One message on sid, sent at send_ns, whole at now_ns. */
void perf_latency_add(struct perf_latency *l, uint16_t sid, uint64_t send_ns,
                      uint64_t now_ns);

/* The figures per stream, in stream order. */
void perf_latency_summarize(const struct perf_latency *l, uint16_t index,
                            struct perf_latency_report *out);

/*
 * The LATENCY control message (perf_proto.h's header, type
 * PERF_MSG_LATENCY): index 2, n 2, unmeasured 8, then n * (sid 2,
 * messages 8, negative 8, min, avg, p50, p90, p99, max: 4 each).
 * Encode returns the length or -EMSGSIZE/-EINVAL; decode 0 or -EBADMSG
 * (header, size, n > PERF_LATENCY_STREAMS, index >= max_index, streams
 * not in increasing order, percentiles out of order).
 */
#define PERF_LATENCY_MSG_MAX (8 + 12 + PERF_LATENCY_STREAMS * 42)
int perf_latency_encode(uint8_t *buf, size_t cap,
                        const struct perf_latency_report *r);
int perf_latency_decode(const uint8_t *buf, size_t len, uint16_t max_index,
                        struct perf_latency_report *r);

/* end.streams_latency's elements for one association (1-based id). */
void perf_latency_json(struct json_out *j, unsigned int id,
                       const struct perf_latency_report *r);

/* The text table's rows: header (when header) then one per stream,
 * each through emit(line, arg). */
void perf_latency_text(const struct perf_latency_report *r, unsigned int id,
                       bool header, void (*emit)(const char *line, void *arg),
                       void *arg);

#endif /* SCTPU_PERF_LATENCY_H */
