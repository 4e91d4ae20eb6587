/*
 * rtt_sampler.c - one association's RTT from its TSNs and SACKs (see the
 * header for the rules).
 */
#include <string.h>

#include "rtt_sampler.h"

/* RFC 1982 serial number order for TSNs. */
static bool tsn_after(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

void rtt_sampler_init(struct rtt_sampler *s)
{
    memset(s, 0, sizeof(*s));
}

void rtt_sampler_sent(struct rtt_sampler *s, uint32_t tsn, uint64_t now_us)
{
    if (s->seen && !tsn_after(tsn, s->highest_tsn)) {
        /* sent before: a retransmission (Karn: never a sample) */
        if (s->timing && tsn == s->timed_tsn)
            s->timing = false;
        return;
    }
    s->seen = true;
    s->highest_tsn = tsn;
    if (!s->timing) {
        s->timing = true;
        s->timed_tsn = tsn;
        s->timed_at_us = now_us;
    }
}

bool rtt_sampler_timed(const struct rtt_sampler *s, uint32_t *tsn)
{
    if (!s->timing)
        return false;
    *tsn = s->timed_tsn;
    return true;
}

/* RFC 9260 6.3.1 C2 and C3, on scaled values. */
static void add_sample(struct rtt_sampler *s, uint32_t r)
{
    if (s->samples == 0) {
        s->srtt_x8 = (uint64_t)r * 8;
        s->rttvar_x4 = (uint64_t)r * 2; /* RTTVAR = R/2 */
        s->min_us = r;
    } else {
        uint64_t r8 = (uint64_t)r * 8;
        uint64_t d8 = r8 > s->srtt_x8 ? r8 - s->srtt_x8 : s->srtt_x8 - r8;

        /* RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R| and SRTT = 7/8 SRTT +
         * 1/8 R, scaled by 4 and 8 and rounded (truncating would settle
         * up to 7/8 us above a steady path) */
        s->rttvar_x4 = s->rttvar_x4 - (s->rttvar_x4 + 2) / 4 + (d8 + 4) / 8;
        s->srtt_x8 = s->srtt_x8 - (s->srtt_x8 + 4) / 8 + r;
        if (r < s->min_us)
            s->min_us = r;
    }
    s->last_us = r;
    s->samples++;
}

bool rtt_sampler_acked(struct rtt_sampler *s, uint32_t cum, bool gap_acked,
                       uint64_t now_us)
{
    uint64_t r;

    if (!s->timing || tsn_after(cum, s->highest_tsn))
        return false; /* nothing timed, or acknowledges what never left */
    if (tsn_after(s->timed_tsn, cum) &&
        !(gap_acked && s->timed_tsn - cum <= RTT_SAMPLER_GAP_REACH))
        return false;
    s->timing = false;
    if (now_us < s->timed_at_us)
        return false;
    r = now_us - s->timed_at_us;
    if (r > RTT_SAMPLER_MAX_US)
        return false;
    add_sample(s, (uint32_t)r);
    return true;
}

void rtt_sampler_cancel(struct rtt_sampler *s)
{
    s->timing = false;
}

void rtt_sampler_restart(struct rtt_sampler *s)
{
    s->seen = false;
    s->timing = false;
}

uint32_t rtt_sampler_srtt_us(const struct rtt_sampler *s)
{
    return (uint32_t)((s->srtt_x8 + 4) / 8);
}

uint32_t rtt_sampler_rttvar_us(const struct rtt_sampler *s)
{
    return (uint32_t)((s->rttvar_x4 + 2) / 4);
}
