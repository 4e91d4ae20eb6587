/*
 * impair.h - --impair: loss, delay, jitter, reordering, duplication,
 * corruption and a rate limit applied by sctpu itself to the UDP datagrams
 * it sends or receives, so that a path can be impaired without tc/netem,
 * without capabilities, in a FROM scratch container or through NAT.
 *
 * This file is the pure part: the spec a user writes, and the decision
 * for each datagram, from a seeded generator (the same seed and the same
 * datagrams give the same decisions). Holding and releasing delayed
 * datagrams on the event loop is the caller's job.
 *
 * Spec: comma-separated KEY=VALUE items, each at most once:
 *   loss=5%                 drop each datagram with this probability
 *   loss=ge:P/R[/LB[/LG]]   Gilbert-Elliott bursts: P = good->bad and
 *                           R = bad->good per datagram, LB = loss in the
 *                           bad state (default 100%), LG = in the good
 *                           state (default 0%)
 *   delay=20ms              added to every datagram kept
 *   jitter=5ms              plus a uniform extra of 0..jitter
 *   reorder=1%[:GAP]        hold this share back by GAP more (default
 *                           1ms), so later datagrams overtake it
 *   duplicate=0.5%          send a second copy
 *   corrupt=0.1%            flip one random bit (CRC32c catches it)
 *   rate=100M               serialise at this many bits/s (k/M/G x1000)
 *                           behind a queue of at most 1000 datagrams
 *                           (of the size arriving)
 *   seed=42                 the generator's seed (default: from the clock,
 *                           printed so that a run can be repeated)
 * Percentages take a fraction ("0.5%"); times take units_parse_seconds'
 * forms ("20ms", "0.02", "1s").
 */
#ifndef SCTPU_IMPAIR_H
#define SCTPU_IMPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IMPAIR_QUEUE_MAX 1000         /* rate=: datagrams queued at most */
#define IMPAIR_REORDER_GAP_US 1000    /* reorder=X% without :GAP */
#define IMPAIR_DELAY_MAX_US 10000000u /* delay, jitter, gap: up to 10 s */

struct impair_spec {
    /* loss: Bernoulli (ge false, loss_good the probability), or
     * Gilbert-Elliott (ge true) */
    bool ge;
    double ge_p;      /* good -> bad, per datagram */
    double ge_r;      /* bad -> good, per datagram */
    double loss_bad;  /* loss probability in the bad state */
    double loss_good; /* loss probability in the good state (or Bernoulli) */
    uint32_t delay_us;
    uint32_t jitter_us;
    double reorder;
    uint32_t reorder_gap_us;
    double duplicate;
    double corrupt;
    uint64_t rate_bps; /* 0 = no limit */
    uint64_t seed;
    bool seed_given;
};

/* What happened to the datagrams so far: the summary and -J show it. */
struct impair_counts {
    uint64_t seen;
    uint64_t dropped;       /* by loss= */
    uint64_t dropped_queue; /* by rate=: the queue was full */
    uint64_t delayed;       /* held for any time above 0 */
    uint64_t reordered;
    uint64_t duplicated;
    uint64_t corrupted;
};

struct impair {
    struct impair_spec spec;
    uint64_t rng[2];       /* xorshift128+ */
    bool bad;              /* Gilbert-Elliott state */
    uint64_t link_free_us; /* rate=: when the link is idle again */
    struct impair_counts counts;
};

/* What to do with one datagram. */
struct impair_action {
    bool drop;
    unsigned int copies; /* 1, or 2 with duplicate= */
    long corrupt_bit;    /* the bit to flip, or -1 */
    uint64_t send_at_us; /* when it may go (now when nothing holds it) */
};

/*
 * Parse a spec into out (zeroed first; every item not given stays off).
 * 0, or -1 with a message naming the item in err.
 */
int impair_parse(const char *text, struct impair_spec *out, char *err,
                 size_t errlen);

/* true when the spec changes nothing (every item off). */
bool impair_is_noop(const struct impair_spec *spec);

/* true when the spec holds datagrams for a time (delay, jitter, reorder or
 * rate): they then wait in a queue on the event loop's timer. */
bool impair_holds(const struct impair_spec *spec);

/* Start from spec; a spec without seed= takes seed (e.g. the clock). */
void impair_init(struct impair *im, const struct impair_spec *spec,
                 uint64_t seed);

/*
 * Decide for one datagram of len bytes seen at now_us (microseconds, any
 * monotonic origin). The counts are updated. With rate=, a datagram that
 * would wait behind IMPAIR_QUEUE_MAX of its own size is dropped.
 */
void impair_decide(struct impair *im, size_t len, uint64_t now_us,
                   struct impair_action *out);

/* to += from, field by field (several transports' counts in one). */
void impair_counts_add(struct impair_counts *to,
                       const struct impair_counts *from);

/* The spec as text, in the syntax above, for banners and -J. */
void impair_format(const struct impair_spec *spec, char *buf, size_t len);

#endif /* SCTPU_IMPAIR_H */
