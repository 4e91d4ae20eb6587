/*
 * perf_server_streams.c - the server's side of sctpu-perf --stream: the
 * client's stream specs (STREAMS), checked as hostile input, and each
 * association's per-stream latency sent back (LATENCY).
 */
#include <stdlib.h>
#include <string.h>

#include "perf_latency.h"
#include "perf_server_priv.h"
#include "perf_stream_spec.h"
#include "perf_stream_tx.h"

/*
 * Receiving, each association keeps a latency histogram per listed
 * stream (up to PERF_LATENCY_STREAMS, some 30 KiB each): counted in
 * --max-buffer-memory with the test's message buffers, and released with
 * them.
 */
static bool latency_memory_ok(struct perf_test *t,
                              const struct perf_stream_specs *set)
{
    struct perf_server *srv = t->srv;
    unsigned int listed = 0;
    uint64_t need;
    uint16_t i;

    if (!perf_server_receives(&t->params))
        return true;
    for (i = 0; i < set->n; i++)
        listed += set->s[i].last - set->s[i].first + 1u;
    need = (uint64_t)perf_latency_bytes(listed) * t->params.parallel;
    if (srv->buffer_in_use + need <= srv->cfg->max_buffer_bytes) {
        t->buffer_bytes += need;
        srv->buffer_in_use += need;
        return true;
    }
    perf_server_test_abort(t,
                           "--stream: the latency histograms need %llu "
                           "bytes, over the server's --max-buffer-memory",
                           (unsigned long long)need);
    return false;
}

bool perf_server_test_streams(struct perf_test *t, const uint8_t *msg,
                              size_t len)
{
    if (perf_stream_specs_decode_msg(msg, len, &t->streams) < 0 ||
        t->streams.n == 0) {
        perf_server_test_abort(t, "a malformed STREAMS message");
        return false;
    }
    return true;
}

bool perf_server_test_streams_ok(struct perf_test *t)
{
    const struct perf_stream_specs *set = &t->streams;
    const char *why;

    if (set->n == 0)
        return true;
    /* PARAMS' length is what the buffer checks allowed for: no stream
     * may send more in one message. */
    why = perf_stream_specs_problem(set, t->params.nstreams, t->params.length);
    if (why == NULL && t->params.verify)
        why = "--stream cannot go with --verify";
    if (why != NULL) {
        perf_server_test_abort(t, "--stream: %s", why);
        return false;
    }
    return perf_server_test_len_interleave_ok(t, perf_stream_tx_max_len(set)) &&
           latency_memory_ok(t, set);
}

bool perf_server_test_len_interleave_ok(struct perf_test *t, uint32_t len)
{
    if (!t->srv->cfg->interleave || len <= PERF_INTERLEAVE_MAX_LEN)
        return true;
    perf_server_test_abort(t,
                           "this server runs with --interleave, which takes "
                           "messages up to %d bytes (64K); the test asks for "
                           "%u",
                           PERF_INTERLEAVE_MAX_LEN, (unsigned)len);
    return false;
}

struct perf_test_latency {
    struct perf_latency_report r[PERF_MAX_PARALLEL];
    const struct perf_latency_report *p[PERF_MAX_PARALLEL];
};

void perf_server_test_summarize_latency(struct perf_test *t)
{
    unsigned int i;

    if (t->streams.n == 0 || !perf_server_receives(&t->params) ||
        t->latency != NULL)
        return;
    t->latency = calloc(1, sizeof(*t->latency));
    if (t->latency == NULL)
        return;
    for (i = 0; i < t->count; i++) {
        perf_latency_summarize(perf_flow_latency(t->flows[i]), (uint16_t)i,
                               &t->latency->r[i]);
        t->latency->p[i] = &t->latency->r[i];
    }
    if (t->rep != NULL)
        perf_report_set_latency(t->rep, t->latency->p, t->count);
}

void perf_server_test_send_latency(struct perf_test *t)
{
    static uint8_t buf[PERF_LATENCY_MSG_MAX];
    struct perf_latency_report r;
    unsigned int i;

    if (t->streams.n == 0 || !perf_server_receives(&t->params))
        return;
    for (i = 0; i < t->count; i++) {
        if (t->latency != NULL)
            r = t->latency->r[i];
        else
            perf_latency_summarize(perf_flow_latency(t->flows[i]), (uint16_t)i,
                                   &r);
        perf_server_send_ctrl(t->flows[0],
                              perf_latency_encode(buf, sizeof(buf), &r), buf);
    }
}
