/*
 * rtt_sampler.h - one association's round-trip time, measured in
 * microseconds from the packets the usrsctp backend sees go out and come
 * in (SCTP_STATUS only has whole milliseconds).
 *
 * As RFC 9260 6.3.1 asks (and TCP stacks do with one timed segment): one
 * TSN is timed at a time, from when it first leaves until a SACK
 * acknowledges it, so at most one measurement per round trip; a TSN sent
 * twice gives none (Karn's rule, C5), and neither does a SACK that does
 * not cover the timed TSN or that acknowledges more than was ever sent
 * (garbage: it cannot be the peer's). SRTT and RTTVAR follow the RFC's
 * formulas (alpha 1/8, beta 1/4), kept scaled so that microsecond samples
 * lose nothing to integer division.
 *
 * Pure: no clock, no I/O, no allocation; the caller passes the time.
 */
#ifndef SCTPU_RTT_SAMPLER_H
#define SCTPU_RTT_SAMPLER_H

#include <stdbool.h>
#include <stdint.h>

/* A longer "round trip" means the timed chunk sat behind something else
 * (a window closed for minutes), not a path: it is discarded. */
#define RTT_SAMPLER_MAX_US (600u * 1000 * 1000)

/* How far past its cum ack a SACK's gap blocks reach (16-bit offsets). */
#define RTT_SAMPLER_GAP_REACH 0xffffu

struct rtt_sampler {
    bool seen;            /* a TSN has left */
    uint32_t highest_tsn; /* the highest that has (serial order) */
    bool timing;
    uint32_t timed_tsn;
    uint64_t timed_at_us;
    uint64_t srtt_x8;   /* SRTT in 1/8 us */
    uint64_t rttvar_x4; /* RTTVAR in 1/4 us */
    uint32_t min_us;
    uint32_t last_us;
    uint64_t samples;
};

void rtt_sampler_init(struct rtt_sampler *s);

/* Does the next rtt_sampler_sent need the time? (Only when nothing is
 * timed, so a busy sender reads the clock once per round trip.) */
static inline bool rtt_sampler_wants_time(const struct rtt_sampler *s)
{
    return !s->timing;
}

/*
 * A DATA or I-DATA chunk with TSN tsn left at now_us (read only when
 * rtt_sampler_wants_time said so; anything otherwise). A new TSN is
 * timed when none is; the timed TSN sent again is no longer timed.
 */
void rtt_sampler_sent(struct rtt_sampler *s, uint32_t tsn, uint64_t now_us);

/* The TSN being timed, if any (to look it up in a SACK's gap blocks). */
bool rtt_sampler_timed(const struct rtt_sampler *s, uint32_t *tsn);

/*
 * A SACK arrived at now_us with Cumulative TSN Ack cum; gap_acked: one of
 * its Gap Ack Blocks covers the timed TSN (which no block can when it is
 * more than RTT_SAMPLER_GAP_REACH past cum). Takes a sample, and returns
 * true, when the SACK acknowledges the timed TSN.
 */
bool rtt_sampler_acked(struct rtt_sampler *s, uint32_t cum, bool gap_acked,
                       uint64_t now_us);

/* Stop timing without a sample: we sent a FORWARD-TSN, which may skip
 * the timed chunk (PR-SCTP), so its acknowledgement times nothing. */
void rtt_sampler_cancel(struct rtt_sampler *s);

/* The association restarted (RFC 9260 5.2.4): a new TSN space. The
 * figures so far stay. */
void rtt_sampler_restart(struct rtt_sampler *s);

/* The figures in microseconds, rounded; 0 before the first sample. */
uint32_t rtt_sampler_srtt_us(const struct rtt_sampler *s);
uint32_t rtt_sampler_rttvar_us(const struct rtt_sampler *s);
static inline uint32_t rtt_sampler_min_us(const struct rtt_sampler *s)
{
    return s->min_us;
}
static inline uint32_t rtt_sampler_last_us(const struct rtt_sampler *s)
{
    return s->last_us;
}
static inline uint64_t rtt_sampler_samples(const struct rtt_sampler *s)
{
    return s->samples;
}

#endif /* SCTPU_RTT_SAMPLER_H */
