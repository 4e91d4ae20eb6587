/*
 * perf_verify.c - build and check sctpu-perf --verify messages.
 */
#include <errno.h>
#include <string.h>

#include "be_bytes.h"
#include "crc32c.h"
#include "perf_verify.h"

#define OFF_MAGIC 0
#define OFF_SID 4
#define OFF_RESERVED 6
#define OFF_SEQ 8
#define OFF_CHECK 16

_Static_assert(OFF_CHECK + 4 == PERF_VERIFY_HDR_LEN, "header layout");
_Static_assert(PERF_VERIFY_WINDOW % 64 == 0, "whole bitmap words");
_Static_assert(sizeof(struct perf_verify_stream) <= 1024,
               "per-stream state stays small");

/*
 * The payload byte at message offset i: varies within every 256 bytes and
 * between blocks, so a misplaced block changes the CRC input.
 */
static uint8_t pattern_byte(size_t i)
{
    return (uint8_t)(i * 0x9Du + (i >> 8) * 0x3Bu + (i >> 16) * 0x11u + 0x5Au);
}

/* The check field: the header before it, bound to the payload's CRC. */
static uint32_t check_of(const uint8_t *hdr, uint32_t payload_crc)
{
    return crc32c(hdr, OFF_CHECK) ^ payload_crc;
}

uint32_t perf_verify_prepare(uint8_t *buf, size_t len)
{
    size_t i;

    if (len <= PERF_VERIFY_HDR_LEN)
        return crc32c("", 0);
    for (i = PERF_VERIFY_HDR_LEN; i < len; i++)
        buf[i] = pattern_byte(i);
    return crc32c(buf + PERF_VERIFY_HDR_LEN, len - PERF_VERIFY_HDR_LEN);
}

int perf_verify_stamp(uint8_t *buf, size_t len, uint32_t payload_crc,
                      uint16_t sid, uint64_t seq)
{
    if (len < PERF_VERIFY_HDR_LEN)
        return -EMSGSIZE;
    be32_put(buf + OFF_MAGIC, PERF_VERIFY_MAGIC);
    be16_put(buf + OFF_SID, sid);
    be16_put(buf + OFF_RESERVED, 0);
    be64_put(buf + OFF_SEQ, seq);
    be32_put(buf + OFF_CHECK, check_of(buf, payload_crc));
    return 0;
}

void perf_verify_fill(uint8_t *buf, size_t len, uint16_t sid, uint64_t seq)
{
    uint8_t hdr[PERF_VERIFY_HDR_LEN];
    uint32_t payload_crc = perf_verify_prepare(buf, len);

    /* A message too short for the header gets what fits (and is corrupt). */
    perf_verify_stamp(hdr, sizeof(hdr), payload_crc, sid, seq);
    memcpy(buf, hdr, len < sizeof(hdr) ? len : sizeof(hdr));
}

void perf_verify_init(struct perf_verify_stream *s, bool ordered)
{
    memset(s, 0, sizeof(*s));
    s->ordered = ordered;
}

static bool intact(uint16_t sid, const uint8_t *buf, size_t len)
{
    uint32_t payload_crc;

    if (len < PERF_VERIFY_HDR_LEN)
        return false;
    if (be32_get(buf + OFF_MAGIC) != PERF_VERIFY_MAGIC ||
        be16_get(buf + OFF_SID) != sid)
        return false;
    payload_crc = crc32c(buf + PERF_VERIFY_HDR_LEN, len - PERF_VERIFY_HDR_LEN);
    return be32_get(buf + OFF_CHECK) == check_of(buf, payload_crc);
}

static uint64_t *word_of(struct perf_verify_stream *s, uint64_t seq)
{
    return &s->seen[(seq % PERF_VERIFY_WINDOW) / 64];
}

static uint64_t bit_of(uint64_t seq)
{
    return 1ull << (seq % 64);
}

/* Move the window up to end at seq: forget the seqs that fall out of it. */
static void advance(struct perf_verify_stream *s, uint64_t seq)
{
    uint64_t n;

    if (seq - s->highest >= PERF_VERIFY_WINDOW) {
        memset(s->seen, 0, sizeof(s->seen));
        return;
    }
    for (n = s->highest + 1; n != seq + 1; n++)
        *word_of(s, n) &= ~bit_of(n);
}

/* Record a verified seq and classify it. */
static void record(struct perf_verify_stream *s, uint64_t seq,
                   struct perf_stream_counts *out)
{
    if (!s->any || seq > s->highest) {
        if (s->any)
            advance(s, seq);
        s->any = true;
        s->highest = seq;
        *word_of(s, seq) |= bit_of(seq);
        s->received++;
        return;
    }
    if (s->highest - seq >= PERF_VERIFY_WINDOW) {
        /* Too old to tell: late, not duplicate (see perf_verify.h). */
        s->received++;
        out->out_of_order++;
        return;
    }
    if (*word_of(s, seq) & bit_of(seq)) {
        out->duplicate++;
        return;
    }
    *word_of(s, seq) |= bit_of(seq);
    s->received++;
    out->out_of_order++;
}

void perf_verify_check(struct perf_verify_stream *s, uint16_t sid,
                       const uint8_t *buf, size_t len,
                       struct perf_stream_counts *out)
{
    if (!intact(sid, buf, len)) {
        out->corrupt++;
        return;
    }
    out->verified++;
    record(s, be64_get(buf + OFF_SEQ), out);
}

void perf_verify_finish(const struct perf_verify_stream *s,
                        struct perf_stream_counts *out)
{
    /* highest + 1 seqs expected; written so that neither side overflows. */
    if (!s->any || s->received - 1 >= s->highest)
        out->missing = 0;
    else
        out->missing = s->highest - (s->received - 1);
}
