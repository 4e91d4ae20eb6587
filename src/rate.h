/*
 * rate.h - token-bucket pacing for sctpu-perf -b RATE[/BURST].
 *
 * Credit accrues at bits_per_s and a message may go when the credit covers
 * all of its bits. Credit never exceeds the bucket: BURST messages of the
 * size being sent (so after any idle time at most BURST go back to back),
 * or, with burst 0, RATE_AUTO_BURST_NS worth of bits but at least one
 * message. The automatic depth lets a sender woken late by a coarse timer
 * catch up instead of losing the time; an explicit /1 paces strictly.
 *
 * Credit is kept in units of 1e-9 bit in integers: one nanosecond adds
 * exactly bits_per_s units and a message of n bytes costs n * 8e9 units.
 * Nothing is rounded, so a sender that sends whenever rate_delay_ns()
 * says 0 and otherwise sleeps the returned time achieves the rate exactly
 * over the long run. Messages are charged up to RATE_MAX_MSG bytes (above
 * that the units would overflow 64 bits); any rate fits.
 */
#ifndef SCTPU_RATE_H
#define SCTPU_RATE_H

#include <stddef.h>
#include <stdint.h>

/* burst 0: 10 ms of traffic, enough that a timer firing late (epoll
 * rounds up to whole ms, and a loaded machine adds more) loses no credit */
#define RATE_AUTO_BURST_NS 10000000ull
#define RATE_MAX_MSG (1ull << 31) /* bytes charged at most */

struct rate_pacer {
    uint64_t bits_per_s; /* 0 = unlimited */
    uint32_t burst;      /* bucket depth in messages; 0 = automatic */
    uint64_t credit;     /* in 1e-9 bit, capped at the bucket */
    uint64_t last_ns;    /* when credit was last brought up to date */
};

/*
 * Start pacing at now_ns with a full bucket. bits_per_s 0 means unlimited;
 * burst_msgs 0 means the automatic depth described above.
 */
void rate_init(struct rate_pacer *r, uint64_t bits_per_s, uint32_t burst_msgs,
               uint64_t now_ns);

/*
 * 0 when a message of msg_bytes may be sent at now_ns, and then it is
 * charged; otherwise the nanoseconds until it may, and nothing is charged.
 * A clock that goes backwards is treated as standing still.
 */
uint64_t rate_delay_ns(struct rate_pacer *r, uint64_t now_ns, size_t msg_bytes);

#endif /* SCTPU_RATE_H */
