/*
 * perf_report_iperf3.c - the keys of iperf3's -J document that have an
 * SCTP meaning and no other home in sctpu-perf's report: the host, the
 * cookie, the socket buffers, the target bitrate, TOS, and each sender's
 * RTT and window extremes over the test. docs/perf-json.md lists the
 * iperf3 keys left out on purpose (and why); tests/it_iperf3_keys.sh
 * checks the rest against a real iperf3.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "perf.h"
#include "perf_report_priv.h"

void perf_report_set_cookie(struct perf_report *r, const uint8_t *cookie,
                            size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;

    if (len > (sizeof(r->cookie) - 1) / 2)
        len = (sizeof(r->cookie) - 1) / 2;
    for (i = 0; i < len; i++) {
        r->cookie[2 * i] = hex[cookie[i] >> 4];
        r->cookie[2 * i + 1] = hex[cookie[i] & 0xf];
    }
    r->cookie[2 * len] = '\0';
}

void perf_report_set_buffers(struct perf_report *r, uint32_t sndbuf,
                             uint32_t rcvbuf)
{
    r->sndbuf_actual = sndbuf;
    r->rcvbuf_actual = rcvbuf;
}

/* As iperf3 writes it: uname's fields joined by spaces. */
static void system_info(char *buf, size_t len)
{
    struct utsname u;

    if (uname(&u) < 0) {
        snprintf(buf, len, "unknown");
        return;
    }
    snprintf(buf, len, "%s %s %s %s %s", u.sysname, u.nodename, u.release,
             u.version, u.machine);
}

void perf_report_iperf3_start(struct perf_report *r)
{
    const struct perf_config *c = r->cfg;
    char info[5 * 65 + 8];

    system_info(info, sizeof(info));
    json_out_string(&r->j, "system_info", info);
    if (r->cookie[0] != '\0')
        json_out_string(&r->j, "cookie", r->cookie);
    /* -w as asked (0: the default), and what the stack gave */
    json_out_u64(&r->j, "sock_bufsize", c->window);
    json_out_u64(&r->j, "sndbuf_actual", r->sndbuf_actual);
    json_out_u64(&r->j, "rcvbuf_actual", r->rcvbuf_actual);
    json_out_u64(&r->j, "target_bitrate", c->rate_bps);
}

void perf_report_iperf3_test_start(struct perf_report *r)
{
    json_out_u64(&r->j, "target_bitrate", r->cfg->rate_bps);
    json_out_u64(&r->j, "tos", r->cfg->sock.tos);
}

void perf_report_iperf3_sample(struct perf_report *r,
                               const struct perf_report_row *row)
{
    struct perf_report_samples *s;

    if (!row->sender || !row->have_sctp || row->id == 0)
        return;
    if (row->id > r->nsamples) {
        size_t n = row->id > r->cfg->parallel ? row->id : r->cfg->parallel;
        struct perf_report_samples *m = realloc(r->samples, n * sizeof(*m));

        if (m == NULL)
            return; /* the extremes are left out; the rest stands */
        memset(m + r->nsamples, 0, (n - r->nsamples) * sizeof(*m));
        r->samples = m;
        r->nsamples = n;
    }
    s = &r->samples[row->id - 1];
    if (s->n == 0 || row->srtt_us < s->rtt_min)
        s->rtt_min = row->srtt_us;
    if (row->srtt_us > s->rtt_max)
        s->rtt_max = row->srtt_us;
    if (row->cwnd > s->max_cwnd)
        s->max_cwnd = row->cwnd;
    if (row->rwnd > s->max_rwnd)
        s->max_rwnd = row->rwnd;
    s->rtt_sum += row->srtt_us;
    s->n++;
}

bool perf_report_sender_extremes(const struct perf_report *r, unsigned int id,
                                 struct perf_sender_extremes *out)
{
    const struct perf_report_samples *s;

    if (id == 0 || id > r->nsamples || r->samples[id - 1].n == 0)
        return false;
    s = &r->samples[id - 1];
    out->min_rtt_us = s->rtt_min;
    out->mean_rtt_us = (uint32_t)((s->rtt_sum + s->n / 2) / s->n);
    out->max_rtt_us = s->rtt_max;
    out->max_snd_cwnd = s->max_cwnd;
    out->max_snd_wnd = s->max_rwnd;
    return true;
}

static void extremes_json(struct perf_report *r,
                          const struct perf_sender_extremes *e)
{
    json_out_u64(&r->j, "max_snd_cwnd", e->max_snd_cwnd);
    json_out_u64(&r->j, "max_snd_wnd", e->max_snd_wnd);
    json_out_u64(&r->j, "max_rtt", e->max_rtt_us);
    json_out_u64(&r->j, "min_rtt", e->min_rtt_us);
    json_out_u64(&r->j, "mean_rtt", e->mean_rtt_us);
}

void perf_report_iperf3_sender_end(struct perf_report *r, unsigned int id)
{
    struct perf_sender_extremes e;

    if (perf_report_sender_extremes(r, id, &e))
        extremes_json(r, &e);
}

void perf_report_set_remote_sender(struct perf_report *r, unsigned int id,
                                   const struct perf_sender_extremes *e)
{
    if (id == 0)
        return;
    if (id > r->nremote) {
        size_t n = id > r->cfg->parallel ? id : r->cfg->parallel;
        struct perf_sender_extremes *m = realloc(r->remote, n * sizeof(*m));
        bool *h;

        if (m == NULL)
            return; /* left out; the rest stands */
        r->remote = m;
        h = realloc(r->have_remote, n * sizeof(*h));
        if (h == NULL)
            return;
        memset(h + r->nremote, 0, (n - r->nremote) * sizeof(*h));
        r->have_remote = h;
        r->nremote = n;
    }
    r->remote[id - 1] = *e;
    r->have_remote[id - 1] = true;
}

void perf_report_iperf3_remote_sender_end(struct perf_report *r,
                                          unsigned int id)
{
    if (id == 0 || id > r->nremote || !r->have_remote[id - 1])
        return;
    extremes_json(r, &r->remote[id - 1]);
}
