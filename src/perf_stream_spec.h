/*
 * perf_stream_spec.h - sctpu-perf --stream SPEC: what each data stream of
 * an association sends (issue 13 part 3). Pure: parsing, checking and the
 * wire form, no I/O.
 *
 *   --stream IDS[:KEY[=VALUE],...]     (repeatable)
 *
 *   IDS        a stream number N or a range N-M (inclusive)
 *   len=SIZE   message size (K/M suffixes); default -l
 *   rate=RATE  this stream's own pace in bits/s (k/m/g); default -b
 *              (then per stream), or as fast as possible
 *   unordered  / ordered: the stream's delivery; default -u
 *   pr=ttl:MS | rtx:N | buf:BYTES | none   PR-SCTP; default --pr-policy
 *   prio=N     the stream's priority under --scheduler prio, 0-65534
 *              (lower goes first); default the stack's (0)
 *
 * With --stream only the listed streams carry data, each paced on its
 * own. Every listed stream's messages carry a send timestamp, so the
 * receiver measures one-way latency per stream (perf_latency.h).
 */
#ifndef SCTPU_PERF_STREAM_SPEC_H
#define SCTPU_PERF_STREAM_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PERF_STREAM_SPECS_MAX 32 /* --stream options per test */
/* The smallest message a listed stream may send: the timestamp header. */
#define PERF_STREAM_MIN_LEN 16

struct perf_stream_spec {
    uint16_t first; /* streams first..last */
    uint16_t last;
    uint32_t length;   /* 0 = not given (-l) */
    uint64_t rate_bps; /* 0 = not given (-b) */
    int8_t unordered;  /* -1 = not given (-u), else 0 or 1 */
    int8_t pr_policy;  /* -1 = not given, else enum perf_pr_policy */
    uint32_t pr_value;
    uint16_t prio; /* PERF_STREAM_PRIO_NONE = not given */
};

#define PERF_STREAM_PRIO_NONE 0xffff

struct perf_stream_specs {
    uint16_t n;
    struct perf_stream_spec s[PERF_STREAM_SPECS_MAX];
};

/*
 * Parse one --stream argument and add it to set. 0, or -1 with err
 * written ("'ARG': ..."): bad syntax, an unknown key, a value out of
 * range, a range overlapping a stream given before, too many specs.
 */
int perf_stream_spec_add(struct perf_stream_specs *set, const char *arg,
                         char *err, size_t errlen);

/* One past the highest stream listed; 0 when the set is empty. */
unsigned int perf_stream_specs_end(const struct perf_stream_specs *set);

/* The spec for stream sid, or NULL when it is not listed. */
const struct perf_stream_spec *
perf_stream_specs_find(const struct perf_stream_specs *set, uint16_t sid);

/*
 * Fill every key not given from the global options, so that each spec
 * is complete (what the wire carries).
 */
void perf_stream_specs_resolve(struct perf_stream_specs *set, uint32_t length,
                               uint64_t rate_bps, bool unordered,
                               uint8_t pr_policy, uint32_t pr_value);

/*
 * A resolved set, as a peer may send it: 0 < n <= PERF_STREAM_SPECS_MAX,
 * first <= last < nstreams, no overlaps, PERF_STREAM_MIN_LEN <= length
 * <= max_len, flags 0/1, a known policy. NULL when fine, else why.
 */
const char *perf_stream_specs_problem(const struct perf_stream_specs *set,
                                      uint16_t nstreams, uint32_t max_len);

/* Wire form of a resolved set: n 2, then n * (first 2, last 2, length 4,
 * rate 8, unordered 1, pr_policy 1, pr_value 4, prio 2). */
#define PERF_STREAM_SPEC_WIRE_LEN 24
#define PERF_STREAM_SPECS_WIRE_MAX                                             \
    (2 + PERF_STREAM_SPECS_MAX * PERF_STREAM_SPEC_WIRE_LEN)

/* Bytes written, or -EMSGSIZE. */
int perf_stream_specs_encode(uint8_t *buf, size_t cap,
                             const struct perf_stream_specs *set);

/* 0, or -EBADMSG when len is not exactly one set of at most
 * PERF_STREAM_SPECS_MAX specs (values are checked by _problem). */
int perf_stream_specs_decode(const uint8_t *buf, size_t len,
                             struct perf_stream_specs *set);

/* The STREAMS control message (perf_proto.h's header, PERF_MSG_STREAMS)
 * carrying the wire form. */
#define PERF_STREAM_SPECS_MSG_MAX (8 + PERF_STREAM_SPECS_WIRE_MAX)
int perf_stream_specs_encode_msg(uint8_t *buf, size_t cap,
                                 const struct perf_stream_specs *set);
int perf_stream_specs_decode_msg(const uint8_t *buf, size_t len,
                                 struct perf_stream_specs *set);

#endif /* SCTPU_PERF_STREAM_SPEC_H */
