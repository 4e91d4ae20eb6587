/*
 * rate.h - pacing for sctpu-perf -b RATE[/BURST].
 *
 * Credit accrues at bits_per_s and a message may go when the credit covers
 * all of its bits. The burst shapes the traffic and never the average:
 *
 *  - At most BURST messages go back to back (burst 0: RATE_AUTO_BURST_NS
 *    worth, at least one). After that many in a row the pacer asks for a
 *    pause even when credit is left: 1 ns, i.e. "come back after a pass of
 *    your event loop", when the sender is behind; and it keeps to the pause
 *    (asking again early is told to wait the rest).
 *  - Earned credit is kept up to RATE_CATCHUP_NS worth (or one burst, if
 *    more), however small the burst. Timers fire late: epoll rounds up to
 *    whole ms, a loaded machine adds more, a container at its CPU quota is
 *    stopped for the rest of the CFS period (100 ms). A sender woken late
 *    catches up over the next runs instead of losing the time. A sender
 *    held up longer than that (a full send buffer) was not late but
 *    stalled, and goes on at the rate rather than pouring out a backlog.
 *
 * Credit is kept in units of 1e-9 bit in integers: one nanosecond adds
 * exactly bits_per_s units and a message of n bytes costs n * 8e9 units.
 * Nothing is rounded, so a sender that sends whenever rate_delay_ns()
 * says 0 and otherwise sleeps the returned time achieves the rate exactly
 * over the long run, and one that oversleeps by less than RATE_CATCHUP_NS
 * still does. Messages are charged up to RATE_MAX_MSG bytes (above that
 * the units would overflow 64 bits); any rate fits.
 */
#ifndef SCTPU_RATE_H
#define SCTPU_RATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* burst 0: up to 10 ms of traffic back to back */
#define RATE_AUTO_BURST_NS 10000000ull
/* credit kept for a late sender: a CFS period, the longest usual stop */
#define RATE_CATCHUP_NS 100000000ull
#define RATE_MAX_MSG (1ull << 31) /* bytes charged at most */

struct rate_pacer {
    uint64_t bits_per_s;   /* 0 = unlimited */
    uint32_t burst;        /* messages back to back at most; 0 = automatic */
    bool started;          /* the first burst's credit has been granted */
    uint64_t credit;       /* in 1e-9 bit, earned and not yet spent */
    uint64_t last_ns;      /* when credit was last brought up to date */
    uint64_t run;          /* units sent back to back since the last pause */
    uint64_t pause_end_ns; /* the last pause asked for ends here */
};

/*
 * Start pacing at now_ns with one burst of credit. bits_per_s 0 means
 * unlimited; burst_msgs 0 means the automatic burst described above.
 */
void rate_init(struct rate_pacer *r, uint64_t bits_per_s, uint32_t burst_msgs,
               uint64_t now_ns);

/*
 * 0 when a message of msg_bytes may be sent at now_ns, and then it is
 * charged; otherwise the nanoseconds to wait before asking again, and
 * nothing is charged. Every non-zero answer is a pause that ends the run
 * of messages sent back to back. A clock that goes backwards is treated
 * as standing still.
 */
uint64_t rate_delay_ns(struct rate_pacer *r, uint64_t now_ns, size_t msg_bytes);

#endif /* SCTPU_RATE_H */
