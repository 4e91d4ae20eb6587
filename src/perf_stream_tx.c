/*
 * perf_stream_tx.c - per-stream pacing and turns for sctpu-perf --stream.
 */
#include <stdlib.h>

#include "perf_stream_tx.h"
#include "rate.h"

struct tx_stream {
    struct perf_stream_msg m;
    struct rate_pacer pacer;
};

struct perf_stream_tx {
    unsigned int n;
    unsigned int next; /* whose turn comes first */
    struct tx_stream s[];
};

struct perf_stream_tx *perf_stream_tx_new(const struct perf_stream_specs *set,
                                          uint32_t burst, uint64_t now_ns)
{
    unsigned int total = 0;
    struct perf_stream_tx *tx;
    uint16_t i;

    for (i = 0; i < set->n; i++)
        total += set->s[i].last - set->s[i].first + 1u;
    tx = calloc(1, sizeof(*tx) + total * sizeof(tx->s[0]));
    if (tx == NULL)
        return NULL;
    for (i = 0; i < set->n; i++) {
        const struct perf_stream_spec *sp = &set->s[i];
        unsigned int sid;

        for (sid = sp->first; sid <= sp->last; sid++) {
            struct tx_stream *t = &tx->s[tx->n++];

            t->m.sid = (uint16_t)sid;
            t->m.length = sp->length;
            t->m.unordered = sp->unordered == 1;
            t->m.pr_policy = (uint8_t)sp->pr_policy;
            t->m.pr_value = sp->pr_value;
            rate_init(&t->pacer, sp->rate_bps, burst, now_ns);
        }
    }
    return tx;
}

void perf_stream_tx_free(struct perf_stream_tx *tx)
{
    free(tx);
}

uint32_t perf_stream_tx_max_len(const struct perf_stream_specs *set)
{
    uint32_t max = 0;
    uint16_t i;

    for (i = 0; i < set->n; i++)
        if (set->s[i].length > max)
            max = set->s[i].length;
    return max;
}

uint64_t perf_stream_tx_next(struct perf_stream_tx *tx, uint64_t now_ns,
                             struct perf_stream_msg *m)
{
    uint64_t soonest = UINT64_MAX;
    unsigned int k;

    for (k = 0; k < tx->n; k++) {
        unsigned int i = (tx->next + k) % tx->n;
        struct tx_stream *t = &tx->s[i];
        uint64_t wait = rate_delay_ns(&t->pacer, now_ns, t->m.length);

        if (wait == 0) {
            *m = t->m;
            tx->next = (i + 1) % tx->n;
            return 0;
        }
        if (wait < soonest)
            soonest = wait;
    }
    return soonest == UINT64_MAX ? 1 : soonest;
}
