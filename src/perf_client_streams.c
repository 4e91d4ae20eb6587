/*
 * perf_client_streams.c - the client's side of sctpu-perf --stream: the
 * specs to the server, the timestamps on, and the latency back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "perf_client_priv.h"
#include "perf_latency.h"
#include "perf_stream_spec.h"

void perf_client_send_streams(struct perf_client *cl, struct perf_flow *f)
{
    uint8_t buf[PERF_STREAM_SPECS_MSG_MAX];
    int len;

    if (cl->cfg->streams.n == 0)
        return;
    len = perf_stream_specs_encode_msg(buf, sizeof(buf), &cl->cfg->streams);
    if (len < 0)
        perf_client_fail(cl, "cannot encode the --stream specs");
    else
        perf_flow_send_control(f, buf, (size_t)len);
}

int perf_client_streams_start(struct perf_client *cl,
                              struct perf_send_params *sp)
{
    unsigned int i;

    sp->streams = cl->cfg->streams;
    if (cl->cfg->streams.n == 0 || !perf_client_receives(cl->cfg))
        return 0;
    for (i = 0; i < cl->nflows; i++)
        if (perf_flow_set_latency(cl->flows[i]) < 0)
            return -ENOMEM;
    return 0;
}

bool perf_client_on_latency(struct perf_client *cl, const uint8_t *msg,
                            size_t len)
{
    struct perf_latency_report *r = malloc(sizeof(*r));

    if (r == NULL) {
        perf_client_fail(cl, "out of memory");
        return false;
    }
    if (cl->cfg->streams.n == 0 ||
        perf_latency_decode(msg, len, (uint16_t)cl->nflows, r) < 0 ||
        cl->latency[r->index] != NULL) {
        free(r);
        perf_client_fail(cl, "malformed LATENCY from the server");
        return false;
    }
    cl->latency[r->index] = r;
    return true;
}

void perf_client_collect_latency(struct perf_client *cl)
{
    unsigned int i;

    if (!perf_client_receives(cl->cfg))
        return;
    for (i = 0; i < cl->nflows; i++) {
        if (cl->latency[i] == NULL)
            cl->latency[i] = malloc(sizeof(*cl->latency[i]));
        if (cl->latency[i] != NULL)
            perf_latency_summarize(perf_flow_latency(cl->flows[i]), (uint16_t)i,
                                   cl->latency[i]);
    }
}
