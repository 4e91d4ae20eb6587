/*
 * perf_cli_streams.c - sctpu-perf --stream against the other options.
 */
#include <stdio.h>

#include "perf_cli_priv.h"
#include "perf_latency.h"
#include "perf_stream_spec.h"

void perf_cli_streams_default(struct perf_config *cfg,
                              const struct perf_cli_state *st)
{
    unsigned int end = perf_stream_specs_end(&cfg->streams);

    if (cfg->streams.n == 0 || st->nstreams_given || cfg->sock.out_streams != 0)
        return;
    if (end > cfg->nstreams)
        cfg->nstreams = (uint16_t)end;
}

/* --stream: a receiver keeps a latency histogram per measured stream per
 * association; this many in all (about 30 MiB). */
#define PERF_CLI_MAX_HISTOGRAMS 1024u

int perf_cli_check_streams(struct perf_config *cfg, char *err, size_t errlen)
{
    struct perf_stream_specs *set = &cfg->streams;
    const char *why = NULL;
    unsigned int measured = 0;
    uint16_t i;

    if (set->n == 0)
        return 0;
    if (perf_stream_specs_end(set) > cfg->nstreams) {
        snprintf(err, errlen,
                 "--stream names stream %u, but there are %u data "
                 "stream%s (--nstreams): streams are 0..%u",
                 perf_stream_specs_end(set) - 1, (unsigned)cfg->nstreams,
                 cfg->nstreams == 1 ? "" : "s", (unsigned)cfg->nstreams - 1);
        return -1;
    }
    if (cfg->verify)
        why = "--verify: both write a header at the start of each message "
              "(not combined yet)";
    else if (cfg->no_control)
        why = "--no-control: the server must learn the specs and send the "
              "latency back";
    else if (cfg->bidir)
        why = "--bidir (not supported yet: give -R or neither)";
    else if (cfg->compare)
        why = "--compare (one backend at a time)";
    else if (cfg->rr_resp != 0)
        why = "--rr (a transaction test times its own round trips)";
    if (why != NULL) {
        snprintf(err, errlen, "--stream cannot go with %s", why);
        return -1;
    }
    for (i = 0; i < set->n; i++)
        measured += set->s[i].last - set->s[i].first + 1u;
    if (measured > PERF_LATENCY_STREAMS)
        measured = PERF_LATENCY_STREAMS;
    if ((uint64_t)cfg->parallel * measured > PERF_CLI_MAX_HISTOGRAMS) {
        snprintf(err, errlen,
                 "--stream with -P %u: %u streams measured x %u associations "
                 "is over %u latency histograms (30 KiB each at the "
                 "receiver); give a smaller -P or fewer streams",
                 (unsigned)cfg->parallel, measured, (unsigned)cfg->parallel,
                 PERF_CLI_MAX_HISTOGRAMS);
        return -1;
    }
    for (i = 0; i < set->n; i++) {
        if (set->s[i].length == 0 && cfg->length < PERF_LATENCY_HDR_LEN) {
            snprintf(err, errlen,
                     "--stream %u: -l %u is shorter than the %d-byte "
                     "timestamp header; give len= or a larger -l",
                     (unsigned)set->s[i].first, (unsigned)cfg->length,
                     PERF_LATENCY_HDR_LEN);
            return -1;
        }
    }
    perf_stream_specs_resolve(set, cfg->length, cfg->rate_bps, cfg->unordered,
                              (uint8_t)cfg->pr_policy, cfg->pr_value);
    return 0;
}
