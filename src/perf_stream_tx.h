/*
 * perf_stream_tx.h - which stream of an association sends next under
 * sctpu-perf --stream: each listed stream has its own size, delivery,
 * PR-SCTP policy and pacer (rate.h), and the streams that may send take
 * turns (round robin), so that a bulk stream with no rate of its own
 * cannot keep a paced small-message stream waiting in the application.
 */
#ifndef SCTPU_PERF_STREAM_TX_H
#define SCTPU_PERF_STREAM_TX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perf_stream_spec.h"

struct perf_stream_tx;

/* One message to send. */
struct perf_stream_msg {
    uint16_t sid;
    uint32_t length;
    bool unordered;
    uint8_t pr_policy;
    uint32_t pr_value;
};

/* For a resolved set (perf_stream_specs_resolve); burst as -b's /BURST.
 * NULL when out of memory. */
struct perf_stream_tx *perf_stream_tx_new(const struct perf_stream_specs *set,
                                          uint32_t burst, uint64_t now_ns);
void perf_stream_tx_free(struct perf_stream_tx *tx);

/* The largest message any stream sends. */
uint32_t perf_stream_tx_max_len(const struct perf_stream_specs *set);

/*
 * 0 when a stream may send now: *m says which and how (its pacer is
 * charged); otherwise the nanoseconds until the first stream may.
 */
uint64_t perf_stream_tx_next(struct perf_stream_tx *tx, uint64_t now_ns,
                             struct perf_stream_msg *m);

#endif /* SCTPU_PERF_STREAM_TX_H */
