/*
 * sctp_plan.c - the socket options both SCTP backends set, decided from a
 * transport_config without touching a socket (see sctp_plan.h).
 */
#include <stdio.h>
#include <string.h>

#include "sctp_plan.h"

uint16_t sctp_plan_streams(const struct transport_config *cfg, bool listening)
{
    if (cfg->streams)
        return cfg->streams;
    return listening ? SCTP_PLAN_LISTEN_STREAMS : SCTP_PLAN_CONNECT_STREAMS;
}

void sctp_plan_make(const struct transport_config *cfg, uint16_t streams,
                    struct sctp_plan *out)
{
    memset(out, 0, sizeof(*out));
    out->sndbuf = cfg->sndbuf ? (int)cfg->sndbuf : SCTP_PLAN_BUF;
    out->rcvbuf = cfg->rcvbuf ? (int)cfg->rcvbuf : SCTP_PLAN_BUF;
    out->out_streams = streams;
    /* Inbound: at least as many as a listener offers, unless given. */
    out->max_in_streams =
        streams > SCTP_PLAN_LISTEN_STREAMS ? streams : SCTP_PLAN_LISTEN_STREAMS;
    if (cfg->in_streams)
        out->max_in_streams = cfg->in_streams;
    out->max_init_attempts = cfg->max_init_retrans;
    out->nodelay = cfg->nodelay;
    out->sack_delay_ms = cfg->sack_delay_ms;
    out->sack_freq = cfg->sack_freq;
    out->max_burst = sctp_plan_max_burst(cfg->sack_freq);
    out->max_retrans_assoc = cfg->max_retrans_assoc;
    out->max_retrans_path = cfg->max_retrans_path;
    out->hb_interval_ms = cfg->hb_interval_ms;
    out->mtu = cfg->mtu;
}

void sctp_plan_tuning(const struct transport_tuning *tu, struct sctp_plan *out)
{
    memset(out, 0, sizeof(*out));
    out->nodelay = tu->nodelay;
    out->sack_delay_ms = tu->sack_delay_ms;
    out->sack_freq = tu->sack_freq;
    out->max_burst = sctp_plan_max_burst(tu->sack_freq);
}

bool sctp_plan_has_sack(const struct sctp_plan *p)
{
    return p->sack_delay_ms != 0 || p->sack_freq != 0;
}

void sctp_plan_sack(const struct sctp_plan *p, uint32_t *delay_ms,
                    uint32_t *freq)
{
    if (p->sack_delay_ms)
        *delay_ms = p->sack_delay_ms;
    if (p->sack_freq)
        *freq = p->sack_freq;
}

uint32_t sctp_plan_max_burst(uint32_t sack_freq)
{
    /* Each packet holds less than an MTU of chunks (the common header
     * takes 12 bytes), so the default's 4 MTUs let out 5 packets at
     * least: up to 5 nothing needs to change. */
    return sack_freq > SCTP_PLAN_STACK_MAX_BURST + 1 ? sack_freq : 0;
}

void sctp_plan_rto(const struct transport_config *cfg, uint32_t cur_min,
                   uint32_t cur_max, struct transport_rto *out)
{
    uint32_t min = cfg->rto_min_ms ? cfg->rto_min_ms : cur_min;
    uint32_t max = cfg->rto_max_ms ? cfg->rto_max_ms : cur_max;
    uint32_t init = cfg->rto_initial_ms;

    if (!cfg->rto_min_ms && min > max)
        min = max;
    if (!cfg->rto_max_ms && max < min)
        max = min;
    /* A given RTO.Initial moves the bounds not given to include it:
     * --rto-initial 100 --rto-max 200 must not clash with RTO.Min 1 s. */
    if (init && !cfg->rto_min_ms && min > init)
        min = init;
    if (init && !cfg->rto_max_ms && max < init)
        max = init;
    if (!init)
        init = TRANSPORT_RTO_INITIAL_MS < min   ? min
               : TRANSPORT_RTO_INITIAL_MS > max ? max
                                                : TRANSPORT_RTO_INITIAL_MS;
    out->min_ms = min;
    out->max_ms = max;
    out->initial_ms = init;
}

int sctp_plan_fail(char *err, size_t errlen, const char *what, int errnum)
{
    snprintf(err, errlen, "%s: %s", what, strerror(errnum));
    return -errnum;
}
