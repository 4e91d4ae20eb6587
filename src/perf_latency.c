/*
 * perf_latency.c - one-way latency per stream: the timestamp header, the
 * histograms and the LATENCY message that brings them to the client.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "be_bytes.h"
#include "perf_latency.h"
#include "perf_proto.h"
#include "rtt_stats.h"

#define SUMMARY_WIRE_LEN (2 + 8 + 8 + 6 * 4)
#define REPORT_FIXED_LEN (2 + 2 + 8)

_Static_assert(PERF_LATENCY_MSG_MAX ==
                   PERF_PROTO_HDR_LEN + REPORT_FIXED_LEN +
                       PERF_LATENCY_STREAMS * SUMMARY_WIRE_LEN,
               "PERF_LATENCY_MSG_MAX must follow the layout");

struct lat_stream {
    uint16_t sid;
    uint64_t negative;
    struct rtt_stats st;
};

struct perf_latency {
    uint16_t n;
    uint64_t unmeasured;
    struct lat_stream *s[PERF_LATENCY_STREAMS]; /* in arrival order */
};

uint64_t perf_latency_clock_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void perf_latency_stamp(uint8_t *buf, uint16_t sid, uint64_t send_ns)
{
    be32_put(buf, PERF_LATENCY_MAGIC);
    be16_put(buf + 4, sid);
    be16_put(buf + 6, 0);
    be64_put(buf + 8, send_ns);
}

bool perf_latency_read(const uint8_t *buf, size_t len, uint16_t sid,
                       uint64_t *send_ns)
{
    if (len < PERF_LATENCY_HDR_LEN || be32_get(buf) != PERF_LATENCY_MAGIC ||
        be16_get(buf + 4) != sid)
        return false;
    *send_ns = be64_get(buf + 8);
    return true;
}

size_t perf_latency_bytes(unsigned int nstreams)
{
    if (nstreams > PERF_LATENCY_STREAMS)
        nstreams = PERF_LATENCY_STREAMS;
    return sizeof(struct perf_latency) + nstreams * sizeof(struct lat_stream);
}

struct perf_latency *perf_latency_new(void)
{
    return calloc(1, sizeof(struct perf_latency));
}

void perf_latency_free(struct perf_latency *l)
{
    uint16_t i;

    if (l == NULL)
        return;
    for (i = 0; i < l->n; i++)
        free(l->s[i]);
    free(l);
}

void perf_latency_reset(struct perf_latency *l)
{
    uint16_t i;

    for (i = 0; i < l->n; i++) {
        l->s[i]->negative = 0;
        rtt_stats_init(&l->s[i]->st);
    }
    l->unmeasured = 0;
}

static struct lat_stream *stream_for(struct perf_latency *l, uint16_t sid)
{
    struct lat_stream *s;
    uint16_t i;

    for (i = 0; i < l->n; i++)
        if (l->s[i]->sid == sid)
            return l->s[i];
    if (l->n == PERF_LATENCY_STREAMS)
        return NULL;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->sid = sid;
    rtt_stats_init(&s->st);
    l->s[l->n++] = s;
    return s;
}

void perf_latency_add(struct perf_latency *l, uint16_t sid, uint64_t send_ns,
                      uint64_t now_ns)
{
    struct lat_stream *s = stream_for(l, sid);
    uint64_t us = 0;

    if (s == NULL) {
        l->unmeasured++;
        return;
    }
    if (now_ns < send_ns)
        s->negative++;
    else
        us = (now_ns - send_ns) / 1000;
    rtt_stats_add(&s->st, us > UINT32_MAX ? UINT32_MAX : (uint32_t)us);
}

static int by_sid(const void *a, const void *b)
{
    const struct perf_latency_summary *x = a;
    const struct perf_latency_summary *y = b;

    return (int)x->sid - (int)y->sid;
}

void perf_latency_summarize(const struct perf_latency *l, uint16_t index,
                            struct perf_latency_report *out)
{
    uint16_t i;

    memset(out, 0, sizeof(*out));
    out->index = index;
    if (l == NULL)
        return;
    out->unmeasured = l->unmeasured;
    for (i = 0; i < l->n; i++) {
        const struct rtt_stats *st = &l->s[i]->st;
        struct perf_latency_summary *s = &out->s[out->n];

        if (st->count == 0)
            continue; /* reset by -O and silent since */
        out->n++;
        s->sid = l->s[i]->sid;
        s->messages = st->count;
        s->negative = l->s[i]->negative;
        s->min_us = st->min_us;
        s->avg_us = (uint32_t)(rtt_stats_avg(st) + 0.5);
        s->p50_us = rtt_stats_percentile(st, 50);
        s->p90_us = rtt_stats_percentile(st, 90);
        s->p99_us = rtt_stats_percentile(st, 99);
        s->max_us = st->max_us;
    }
    qsort(out->s, out->n, sizeof(out->s[0]), by_sid);
}

int perf_latency_encode(uint8_t *buf, size_t cap,
                        const struct perf_latency_report *r)
{
    size_t plen = REPORT_FIXED_LEN + (size_t)r->n * SUMMARY_WIRE_LEN;
    uint8_t *p = buf;
    uint16_t i;

    if (r->n > PERF_LATENCY_STREAMS)
        return -EINVAL;
    if (cap < PERF_PROTO_HDR_LEN + plen)
        return -EMSGSIZE;
    be16_put(p, PERF_PROTO_MAGIC);
    p[2] = PERF_PROTO_VERSION;
    p[3] = PERF_MSG_LATENCY;
    be32_put(p + 4, (uint32_t)plen);
    p += PERF_PROTO_HDR_LEN;
    be16_put(p, r->index);
    be16_put(p + 2, r->n);
    be64_put(p + 4, r->unmeasured);
    p += REPORT_FIXED_LEN;
    for (i = 0; i < r->n; i++) {
        const struct perf_latency_summary *s = &r->s[i];

        be16_put(p, s->sid);
        be64_put(p + 2, s->messages);
        be64_put(p + 10, s->negative);
        be32_put(p + 18, s->min_us);
        be32_put(p + 22, s->avg_us);
        be32_put(p + 26, s->p50_us);
        be32_put(p + 30, s->p90_us);
        be32_put(p + 34, s->p99_us);
        be32_put(p + 38, s->max_us);
        p += SUMMARY_WIRE_LEN;
    }
    return (int)(PERF_PROTO_HDR_LEN + plen);
}

int perf_latency_decode(const uint8_t *buf, size_t len, uint16_t max_index,
                        struct perf_latency_report *r)
{
    struct perf_latency_report q;
    const uint8_t *p;
    uint16_t i;

    if (perf_proto_type(buf, len) != PERF_MSG_LATENCY ||
        len < PERF_PROTO_HDR_LEN + REPORT_FIXED_LEN)
        return -EBADMSG;
    p = buf + PERF_PROTO_HDR_LEN;
    memset(&q, 0, sizeof(q));
    q.index = be16_get(p);
    q.n = be16_get(p + 2);
    q.unmeasured = be64_get(p + 4);
    if (q.index >= max_index || q.n > PERF_LATENCY_STREAMS ||
        len != PERF_PROTO_HDR_LEN + REPORT_FIXED_LEN +
                   (size_t)q.n * SUMMARY_WIRE_LEN)
        return -EBADMSG;
    p += REPORT_FIXED_LEN;
    for (i = 0; i < q.n; i++) {
        struct perf_latency_summary *s = &q.s[i];

        s->sid = be16_get(p);
        s->messages = be64_get(p + 2);
        s->negative = be64_get(p + 10);
        s->min_us = be32_get(p + 18);
        s->avg_us = be32_get(p + 22);
        s->p50_us = be32_get(p + 26);
        s->p90_us = be32_get(p + 30);
        s->p99_us = be32_get(p + 34);
        s->max_us = be32_get(p + 38);
        p += SUMMARY_WIRE_LEN;
        if ((i > 0 && s->sid <= q.s[i - 1].sid) || s->min_us > s->p50_us ||
            s->p50_us > s->p90_us || s->p90_us > s->p99_us ||
            s->p99_us > s->max_us)
            return -EBADMSG;
    }
    *r = q;
    return 0;
}

void perf_latency_json(struct json_out *j, unsigned int id,
                       const struct perf_latency_report *r)
{
    uint16_t i;

    for (i = 0; i < r->n; i++) {
        const struct perf_latency_summary *s = &r->s[i];

        json_out_begin_object(j, NULL);
        json_out_u64(j, "socket", id);
        json_out_u64(j, "sid", s->sid);
        json_out_u64(j, "messages", s->messages);
        json_out_u64(j, "min_us", s->min_us);
        json_out_u64(j, "avg_us", s->avg_us);
        json_out_u64(j, "p50_us", s->p50_us);
        json_out_u64(j, "p90_us", s->p90_us);
        json_out_u64(j, "p99_us", s->p99_us);
        json_out_u64(j, "max_us", s->max_us);
        json_out_u64(j, "negative", s->negative);
        json_out_end_object(j);
    }
}

/* "812 us" / "12.3 ms" / "1.25 s": 4 significant-ish digits. */
static const char *fmt_us(char *buf, size_t cap, uint32_t us)
{
    if (us < 10000)
        snprintf(buf, cap, "%u us", (unsigned)us);
    else if (us < 10000000)
        snprintf(buf, cap, "%.1f ms", us / 1e3);
    else
        snprintf(buf, cap, "%.2f s", us / 1e6);
    return buf;
}

void perf_latency_text(const struct perf_latency_report *r, unsigned int id,
                       bool header, void (*emit)(const char *line, void *arg),
                       void *arg)
{
    char line[256];
    char v[6][24];
    uint16_t i;

    if (header)
        emit("One-way latency per stream (receiver's clock minus sender's "
             "timestamp):",
             arg);
    if (header)
        emit("[ ID] Stream  Messages       min       p50       p90       "
             "p99       max",
             arg);
    for (i = 0; i < r->n; i++) {
        const struct perf_latency_summary *s = &r->s[i];

        snprintf(line, sizeof(line), "[%3u] %6u %9llu %9s %9s %9s %9s %9s%s",
                 id, (unsigned)s->sid, (unsigned long long)s->messages,
                 fmt_us(v[0], sizeof(v[0]), s->min_us),
                 fmt_us(v[1], sizeof(v[1]), s->p50_us),
                 fmt_us(v[2], sizeof(v[2]), s->p90_us),
                 fmt_us(v[3], sizeof(v[3]), s->p99_us),
                 fmt_us(v[4], sizeof(v[4]), s->max_us),
                 s->negative ? "  (some before their send time: clocks?)" : "");
        emit(line, arg);
    }
    if (r->unmeasured) {
        snprintf(line, sizeof(line),
                 "[%3u] %llu messages on streams past the first %d not "
                 "measured",
                 id, (unsigned long long)r->unmeasured, PERF_LATENCY_STREAMS);
        emit(line, arg);
    }
}
