/*
 * perf_tuning.h - the per-association SCTP tuning of a test: bundling
 * (SCTP_NODELAY) and delayed SACK, as given, or as a paced test of small
 * messages needs them.
 *
 * A small message (-l below any path MTU) sent at a paced rate (-b) goes
 * alone: with Nagle-like bundling on, the sender holds it back while an
 * earlier one is unacknowledged, and the receiver's delayed SACK (every
 * second packet, or after 200 ms) makes each acknowledgement late. The
 * SRTT then reads 80-140 ms on loopback and the test measures the timers.
 * Such a test gets SCTP_NODELAY and a SACK for every packet, unless the
 * user set --nodelay, --sack-delay or --sack-freq: the header says so.
 */
#ifndef SCTPU_PERF_TUNING_H
#define SCTPU_PERF_TUNING_H

#include <stdbool.h>
#include <stdint.h>

#include "perf.h"

/* Below the smallest SCTP packet payload on any path we set up (IPv6's
 * 1280-byte minimum MTU less IP, UDP, SCTP and DATA headers). */
#define PERF_SMALL_MESSAGE 1200u

struct perf_tuning {
    bool nodelay;
    uint32_t sack_delay_ms; /* 0 = the stack's default */
    uint32_t sack_freq;     /* 0 = the stack's default */
    bool small_paced;       /* set by the rule above, not by the user */
};

void perf_tuning_from_config(const struct perf_config *c,
                             struct perf_tuning *out);

#endif /* SCTPU_PERF_TUNING_H */
