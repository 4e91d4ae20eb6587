/*
 * perf_cli_sched.c - sctpu-perf --scheduler and --interleave: the sender's
 * stream scheduler and I-DATA (RFC 8260), usrsctp only.
 */
#include <stdio.h>
#include <string.h>

#include "perf_cli_priv.h"
#include "perf_stream_tx.h"
#include "transport.h"

/*
 * --interleave's largest message. With I-DATA and fragment interleave
 * level 2 the stack may hand over a message in pieces interleaved with
 * other streams' messages once it starts partial delivery (a message
 * past a quarter of the receive buffer, or a full one), and the receiver
 * here follows one message at a time. At 64 KiB, a read's size, that
 * does not happen with the default buffers.
 */
#define INTERLEAVE_MAX_LEN PERF_INTERLEAVE_MAX_LEN

int perf_cli_set_scheduler(struct perf_config *cfg, const char *opt,
                           const char *arg, char *err, size_t errlen)
{
    static const struct {
        const char *name;
        uint8_t ss;
    } names[] = {
        { "rr", TRANSPORT_SS_RR },
        { "fcfs", TRANSPORT_SS_FCFS },
        { "fair", TRANSPORT_SS_FAIR },
        { "prio", TRANSPORT_SS_PRIO },
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(arg, names[i].name) == 0) {
            cfg->scheduler = names[i].ss;
            return 0;
        }
    }
    if (strcmp(arg, "rr-packet") == 0) {
        /* Seen: a test with a 64k bulk stream next to a paced one sent
         * nothing more after a few seconds, with or without I-DATA. */
        snprintf(err, errlen,
                 "%s rr-packet: stalls the sender in usrsctp 0.9.5.0 (give "
                 "rr, fcfs, fair or prio)",
                 opt);
        return -1;
    }
    snprintf(err, errlen,
             "%s '%s': give rr, fcfs, fair or prio (usrsctp's "
             "stream schedulers)",
             opt, arg);
    return -1;
}

int perf_cli_check_sched(const struct perf_config *cfg, char *err,
                         size_t errlen)
{
    const struct transport_ops *ops = transport_chosen(cfg->backend);
    const char *what = cfg->interleave ? "--interleave" : "--scheduler";

    uint16_t i;

    for (i = 0; i < cfg->streams.n; i++) {
        if (cfg->streams.s[i].prio != PERF_STREAM_PRIO_NONE &&
            cfg->scheduler != TRANSPORT_SS_PRIO) {
            snprintf(err, errlen,
                     "--stream %u: prio= takes effect only with "
                     "--scheduler prio",
                     (unsigned)cfg->streams.s[i].first);
            return -1;
        }
    }
    if (cfg->scheduler == 0 && !cfg->interleave)
        return 0;
    if (ops == NULL || strcmp(ops->name, "usrsctp") != 0) {
        snprintf(err, errlen,
                 "%s: usrsctp backend only (this build's kernel backend "
                 "does not set SCTP_INTERLEAVING_SUPPORTED or "
                 "SCTP_STREAM_SCHEDULER)",
                 what);
        return -1;
    }
    if (cfg->interleave && cfg->role == PERF_ROLE_CLIENT &&
        (cfg->streams.n ? perf_stream_tx_max_len(&cfg->streams) : cfg->length) >
            INTERLEAVE_MAX_LEN) {
        snprintf(err, errlen,
                 "--interleave: messages up to %d bytes (64K) for now: "
                 "larger ones may be delivered in pieces interleaved "
                 "with other streams', which the receiver does not follow",
                 INTERLEAVE_MAX_LEN);
        return -1;
    }
    if (cfg->scheduler != 0 && (cfg->reverse || cfg->bidir)) {
        snprintf(err, errlen,
                 "--scheduler acts on the sender, and %s makes the server "
                 "send: not carried to the server yet",
                 cfg->reverse ? "-R" : "--bidir");
        return -1;
    }
    return 0;
}
