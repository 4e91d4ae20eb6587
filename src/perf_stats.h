/*
 * perf_stats.h - what sctpu-perf counts, per stream and per direction.
 * Plain data, shared by the client, the server, the control protocol and
 * the reports.
 */
#ifndef SCTPU_PERF_STATS_H
#define SCTPU_PERF_STATS_H

#include <stdbool.h>
#include <stdint.h>

/* One SCTP stream in one direction. */
struct perf_stream_counts {
    uint16_t sid;
    uint64_t messages;
    uint64_t bytes;
    /* receiver with --verify only */
    uint64_t verified;
    uint64_t missing; /* sequence numbers never seen */
    uint64_t duplicate;
    uint64_t corrupt;      /* checksum or header mismatch */
    uint64_t out_of_order; /* must stay 0 on ordered streams */
    /* The payload protocol identifier of the last message (meaningful
     * once messages > 0), and whether an earlier one had another. */
    uint32_t ppid;
    bool ppid_mixed;
};

/* One association in one direction, as its sender or receiver saw it. */
struct perf_dir_counts {
    uint64_t bytes;
    uint64_t messages;
    uint64_t retransmits;               /* sender: DATA chunks sent again */
    uint64_t abandoned;                 /* sender: PR-SCTP messages given up */
    uint16_t nstreams;                  /* entries used in streams[] */
    struct perf_stream_counts *streams; /* caller-owned array */
};

#endif /* SCTPU_PERF_STATS_H */
