/*
 * perf_proto_extras.c - the EXTRAS message (perf_proto.h): what the server
 * tells beyond RESULTS when the client asked for it, in iperf3's units.
 *
 * Payload: index 2, cpu_user_x100 4, cpu_system_x100 4, have_sender 1,
 * min_rtt_us, mean_rtt_us, max_rtt_us, max_snd_cwnd, max_snd_wnd (4 each).
 * One encoding per value: without have_sender the samples are all 0.
 */
#include <errno.h>
#include <string.h>

#include "be_bytes.h"
#include "perf_proto.h"

#define EXTRAS_LEN (2 + 4 + 4 + 1 + 5 * 4)

static bool extras_valid(const struct perf_extras *m)
{
    if (m->index >= PERF_PROTO_MAX_PARALLEL || m->have_sender > 1)
        return false;
    if (!m->have_sender)
        return m->min_rtt_us == 0 && m->mean_rtt_us == 0 &&
               m->max_rtt_us == 0 && m->max_snd_cwnd == 0 &&
               m->max_snd_wnd == 0;
    return m->min_rtt_us <= m->mean_rtt_us && m->mean_rtt_us <= m->max_rtt_us;
}

int perf_proto_encode_extras(uint8_t *buf, size_t cap,
                             const struct perf_extras *m)
{
    uint8_t *p = buf;

    if (!extras_valid(m))
        return -EINVAL;
    if (cap < PERF_PROTO_HDR_LEN + EXTRAS_LEN)
        return -EMSGSIZE;
    be16_put(p, PERF_PROTO_MAGIC);
    p[2] = PERF_PROTO_VERSION;
    p[3] = PERF_MSG_EXTRAS;
    be32_put(p + 4, EXTRAS_LEN);
    p += PERF_PROTO_HDR_LEN;
    be16_put(p, m->index);
    be32_put(p + 2, m->cpu_user_x100);
    be32_put(p + 6, m->cpu_system_x100);
    p[10] = m->have_sender;
    be32_put(p + 11, m->min_rtt_us);
    be32_put(p + 15, m->mean_rtt_us);
    be32_put(p + 19, m->max_rtt_us);
    be32_put(p + 23, m->max_snd_cwnd);
    be32_put(p + 27, m->max_snd_wnd);
    return PERF_PROTO_HDR_LEN + EXTRAS_LEN;
}

int perf_proto_decode_extras(const uint8_t *buf, size_t len,
                             struct perf_extras *m)
{
    const uint8_t *p = buf + PERF_PROTO_HDR_LEN;
    struct perf_extras e;
    int type = perf_proto_type(buf, len);

    if (type < 0)
        return type;
    if (type != PERF_MSG_EXTRAS || len != PERF_PROTO_HDR_LEN + EXTRAS_LEN)
        return -EBADMSG;
    memset(&e, 0, sizeof(e));
    e.index = be16_get(p);
    e.cpu_user_x100 = be32_get(p + 2);
    e.cpu_system_x100 = be32_get(p + 6);
    e.have_sender = p[10];
    e.min_rtt_us = be32_get(p + 11);
    e.mean_rtt_us = be32_get(p + 15);
    e.max_rtt_us = be32_get(p + 19);
    e.max_snd_cwnd = be32_get(p + 23);
    e.max_snd_wnd = be32_get(p + 27);
    if (!extras_valid(&e))
        return -EBADMSG;
    *m = e;
    return 0;
}
