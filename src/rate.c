/*
 * rate.c - token-bucket pacing in exact integer units (see rate.h).
 */
#include "rate.h"

#define UNITS_PER_BIT 1000000000ull /* credit is counted in 1e-9 bit */

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
    if (a != 0 && b > UINT64_MAX / a)
        return UINT64_MAX;
    return a * b;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

/* What a message costs: its bits in credit units (< 2^64, see rate.h). */
static uint64_t cost_of(size_t msg_bytes)
{
    uint64_t bytes = min_u64(msg_bytes, RATE_MAX_MSG);

    return bytes * 8 * UNITS_PER_BIT;
}

/*
 * The bucket for messages of this cost. The extra min(rate, cost) - 1
 * units keep the sub-nanosecond remainder a sender has when it comes back
 * after the rounded-up delay, so nothing is lost even with a depth of one
 * message; they are less than one more message, so a burst never grows.
 */
static uint64_t bucket_of(const struct rate_pacer *r, uint64_t cost)
{
    uint64_t depth;

    if (r->burst > 0)
        depth = sat_mul(r->burst, cost);
    else
        depth = max_u64(cost, sat_mul(r->bits_per_s, RATE_AUTO_BURST_NS));
    if (cost == 0)
        return depth;
    return sat_add(depth, min_u64(r->bits_per_s, cost) - 1);
}

void rate_init(struct rate_pacer *r, uint64_t bits_per_s, uint32_t burst_msgs,
               uint64_t now_ns)
{
    r->bits_per_s = bits_per_s;
    r->burst = burst_msgs;
    r->credit = UINT64_MAX; /* full: cut to the bucket on first use */
    r->last_ns = now_ns;
}

/* Bring the credit up to now_ns, never over the bucket. */
static void refill(struct rate_pacer *r, uint64_t now_ns, uint64_t bucket)
{
    uint64_t room;
    uint64_t dt;

    r->credit = min_u64(r->credit, bucket);
    if (now_ns <= r->last_ns)
        return;
    dt = now_ns - r->last_ns;
    r->last_ns = now_ns;
    room = bucket - r->credit;
    if (dt > room / r->bits_per_s)
        r->credit = bucket;
    else
        r->credit += dt * r->bits_per_s; /* <= room: no overflow */
}

uint64_t rate_delay_ns(struct rate_pacer *r, uint64_t now_ns, size_t msg_bytes)
{
    uint64_t cost;
    uint64_t need;

    if (r->bits_per_s == 0)
        return 0;
    cost = cost_of(msg_bytes);
    refill(r, now_ns, bucket_of(r, cost));
    if (r->credit >= cost) {
        r->credit -= cost;
        return 0;
    }
    need = cost - r->credit;
    return need / r->bits_per_s + (need % r->bits_per_s != 0);
}
