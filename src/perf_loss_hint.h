/*
 * perf_loss_hint.h - tell a user when retransmission timeouts, not the
 * path, set a test's throughput, and which option shows what the path
 * allows.
 *
 * With RFC 9260's RTO.Min of 1 s, every T3-rtx timeout on a lab path with
 * a sub-millisecond RTT stalls the sender for a second or more (doubling
 * on each repeat), so through a few percent of loss a test measures the
 * timers. sctpu keeps the RFC's defaults, so its numbers are what a node
 * with default timers would get, and says so when it matters.
 */
#ifndef SCTPU_PERF_LOSS_HINT_H
#define SCTPU_PERF_LOSS_HINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transport.h"

/* The RTO.Min the hint suggests, in ms. */
#define PERF_LOSS_HINT_RTO_MIN TRANSPORT_LAB_RTO_MIN_MS

struct perf_loss_facts {
    uint64_t timeouts;    /* T3-rtx during the test */
    uint64_t retransmits; /* DATA chunks sent again during the test */
    double seconds;       /* the test's length */
    uint32_t rto_min_ms;  /* the sending end's RTO.Min */
    uint32_t srtt_us;     /* the path's smoothed RTT */
    const char *sender;   /* which end sent: "this client", "the server" */
};

/*
 * Write the hint into buf and return true when the timeouts plausibly
 * cost a tenth of the test or more (each costs at least RTO.Min), data
 * was retransmitted (a timeout that resent nothing is not loss recovery:
 * see docs/loss.md), and a lower RTO.Min would help (it is well above the
 * RTT and above the suggestion); otherwise return false and leave buf
 * empty.
 */
bool perf_loss_hint(char *buf, size_t len, const struct perf_loss_facts *f);

#endif /* SCTPU_PERF_LOSS_HINT_H */
