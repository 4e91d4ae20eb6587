/*
 * rate.c - pacing in exact integer units (see rate.h).
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

/* What may go back to back, in credit units: always at least one message. */
static uint64_t burst_of(const struct rate_pacer *r, uint64_t cost)
{
    if (r->burst > 0)
        return sat_mul(r->burst, cost);
    return max_u64(cost, sat_mul(r->bits_per_s, RATE_AUTO_BURST_NS));
}

/*
 * The sub-nanosecond remainder a sender has when it comes back after a
 * rounded-up delay: min(rate, cost) - 1 units, less than one message, so
 * it never lets a burst grow, and without it a strictly paced sender
 * would lose a fraction of a nanosecond per message.
 */
static uint64_t slack_of(const struct rate_pacer *r, uint64_t cost)
{
    return cost == 0 ? 0 : min_u64(r->bits_per_s, cost) - 1;
}

/* The most credit kept: a late sender's catch-up, or a burst if more. */
static uint64_t cap_of(const struct rate_pacer *r, uint64_t cost,
                       uint64_t burst)
{
    uint64_t keep = sat_mul(r->bits_per_s, RATE_CATCHUP_NS);

    return sat_add(max_u64(keep, burst), slack_of(r, cost));
}

void rate_init(struct rate_pacer *r, uint64_t bits_per_s, uint32_t burst_msgs,
               uint64_t now_ns)
{
    r->bits_per_s = bits_per_s;
    r->burst = burst_msgs;
    r->started = false; /* the size of the first message sets the credit */
    r->credit = 0;
    r->last_ns = now_ns;
    r->run = 0;
    r->pause_end_ns = now_ns;
}

/* Bring the credit up to now_ns, never over cap. */
static void refill(struct rate_pacer *r, uint64_t now_ns, uint64_t cap)
{
    uint64_t room;
    uint64_t dt;

    r->credit = min_u64(r->credit, cap);
    if (now_ns <= r->last_ns)
        return;
    dt = now_ns - r->last_ns;
    r->last_ns = now_ns;
    room = cap - r->credit;
    if (dt > room / r->bits_per_s)
        r->credit = cap;
    else
        r->credit += dt * r->bits_per_s; /* <= room: no overflow */
}

/* Nanoseconds until the credit covers cost; 0 when it does. */
static uint64_t credit_wait(const struct rate_pacer *r, uint64_t cost)
{
    uint64_t need;

    if (r->credit >= cost)
        return 0;
    need = cost - r->credit;
    return need / r->bits_per_s + (need % r->bits_per_s != 0);
}

uint64_t rate_delay_ns(struct rate_pacer *r, uint64_t now_ns, size_t msg_bytes)
{
    uint64_t cost;
    uint64_t burst;
    uint64_t wait;

    if (r->bits_per_s == 0)
        return 0;
    cost = cost_of(msg_bytes);
    burst = burst_of(r, cost);
    if (!r->started) {
        r->credit = sat_add(burst, slack_of(r, cost));
        r->started = true;
    }
    now_ns = max_u64(now_ns, r->last_ns); /* backwards: standing still */
    refill(r, now_ns, cap_of(r, cost, burst));
    wait = credit_wait(r, cost);
    if (sat_add(r->run, cost) > burst)
        wait = max_u64(wait, 1); /* a full run: pause, if only a loop pass */
    if (now_ns < r->pause_end_ns)
        wait = max_u64(wait, r->pause_end_ns - now_ns);
    if (wait > 0) {
        r->run = 0;
        r->pause_end_ns = sat_add(now_ns, wait);
        return wait;
    }
    r->credit -= cost;
    r->run += cost; /* <= burst: no overflow */
    return 0;
}
