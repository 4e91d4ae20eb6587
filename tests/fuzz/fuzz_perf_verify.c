/*
 * fuzz_perf_verify.c - sctpu-perf --verify (src/perf_verify.c): the
 * receiver's check of a run of messages on one stream, and the sender's
 * stamp, on buffers whose lengths come from the input.
 *
 * Input: sid (2), then records of
 *   flags (1), length (2), length bytes of message (fewer at the end)
 * flags bit 0: stamp the message first (perf_verify_stamp with the seq in
 *              its bytes 8..15, or with bit 2 the small seq in bytes 8..9,
 *              so that seqs land within one window of each other)
 *       bit 1: stamp it with the stream's sid (else the one in bytes 4..5)
 *       bit 3: build it with perf_verify_fill instead (seq from bytes
 *              0..1 of the record's message bytes)
 * Each message lives in a heap block of exactly its length: ASan sees a
 * read or a stamp one byte past it.
 *
 * Checked against a model that remembers every seq it saw (at most
 * MAX_MSGS): intact messages are verified and the rest corrupt; a
 * verified seq is new, a duplicate or late exactly as perf_verify.h says;
 * perf_verify_finish's missing is what the model counts.
 */
#include <errno.h>
#include <string.h>

#include "be_bytes.h"
#include "crc32c.h"
#include "fuzz_check.h"
#include "perf_verify.h"

#define MAX_MSGS 512

/* The model: every verified seq so far. */
struct model {
    uint64_t seqs[MAX_MSGS];
    size_t n;
    bool any;
    uint64_t highest;
    uint64_t received;
};

static bool model_has(const struct model *m, uint64_t seq)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->seqs[i] == seq)
            return true;
    return false;
}

/* What one verified seq should count, per perf_verify.h. */
static void model_record(struct model *m, uint64_t seq,
                         struct perf_stream_counts *want)
{
    bool seen = model_has(m, seq);

    if (m->n < MAX_MSGS)
        m->seqs[m->n++] = seq;
    if (!m->any || seq > m->highest) {
        m->any = true;
        m->highest = seq;
        m->received++;
    } else if (m->highest - seq >= PERF_VERIFY_WINDOW) {
        m->received++;
        want->out_of_order++;
    } else if (seen) {
        want->duplicate++;
    } else {
        m->received++;
        want->out_of_order++;
    }
}

/* Is buf a message perf_verify_check must accept on stream sid? Read
 * straight from the layout in perf_verify.h. */
static bool model_intact(uint16_t sid, const uint8_t *buf, size_t len)
{
    if (len < PERF_VERIFY_HDR_LEN || be32_get(buf) != PERF_VERIFY_MAGIC ||
        be16_get(buf + 4) != sid)
        return false;
    return be32_get(buf + 16) ==
           (crc32c(buf, 16) ^
            crc32c(buf + PERF_VERIFY_HDR_LEN, len - PERF_VERIFY_HDR_LEN));
}

/* The CRC of the payload the message has (the fuzzer's bytes, not the
 * pattern perf_verify_prepare would write): what the stamp binds. */
static uint32_t payload_crc(const uint8_t *buf, size_t len)
{
    if (len <= PERF_VERIFY_HDR_LEN)
        return crc32c("", 0);
    return crc32c(buf + PERF_VERIFY_HDR_LEN, len - PERF_VERIFY_HDR_LEN);
}

/* Stamp buf as the flags say; returns what perf_verify_stamp did. */
static int stamp(uint8_t *buf, size_t len, uint8_t flags, uint16_t sid)
{
    uint64_t seq = 0;
    uint16_t msg_sid = sid;
    uint8_t before[PERF_VERIFY_HDR_LEN];
    int rc;

    if (len >= 16) {
        seq = flags & 4 ? be16_get(buf + 8) : be64_get(buf + 8);
        if (!(flags & 2))
            msg_sid = be16_get(buf + 4);
    }
    memcpy(before, buf, len < sizeof(before) ? len : sizeof(before));
    rc = perf_verify_stamp(buf, len, payload_crc(buf, len), msg_sid, seq);
    if (len < PERF_VERIFY_HDR_LEN) {
        FUZZ_CHECK(rc == -EMSGSIZE);
        FUZZ_CHECK(memcmp(before, buf, len) == 0);
    } else {
        FUZZ_CHECK(rc == 0);
        FUZZ_CHECK(be64_get(buf + 8) == seq && be16_get(buf + 4) == msg_sid);
    }
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };
    static struct model model;
    struct perf_verify_stream s;
    struct perf_stream_counts got;
    struct perf_stream_counts want;
    struct perf_stream_counts fin;
    uint16_t sid = fuzz_u16(&in);
    uint64_t messages = 0;

    memset(&model, 0, sizeof(model));
    memset(&got, 0, sizeof(got));
    memset(&want, 0, sizeof(want));
    perf_verify_init(&s, true);
    while (in.left > 0 && messages < MAX_MSGS) {
        uint8_t flags = fuzz_u8(&in);
        size_t want_len = fuzz_u16(&in);
        size_t len;
        uint8_t *buf = fuzz_take(&in, want_len, &len);

        if (flags & 8) {
            uint64_t seq = len >= 2 ? be16_get(buf) : 0;

            perf_verify_fill(buf, len, sid, seq);
        } else if (flags & 1) {
            stamp(buf, len, flags, sid);
        }
        perf_verify_check(&s, sid, buf, len, &got);
        messages++;
        if (model_intact(sid, buf, len)) {
            want.verified++;
            model_record(&model, be64_get(buf + 8), &want);
        } else {
            want.corrupt++;
        }
        free(buf);
        FUZZ_CHECK(got.verified == want.verified);
        FUZZ_CHECK(got.corrupt == want.corrupt);
        FUZZ_CHECK(got.duplicate == want.duplicate);
        FUZZ_CHECK(got.out_of_order == want.out_of_order);
        FUZZ_CHECK(got.verified + got.corrupt == messages);
    }
    FUZZ_CHECK(s.any == model.any);
    FUZZ_CHECK(!s.any || s.highest == model.highest);
    FUZZ_CHECK(s.received == model.received);
    memset(&fin, 0, sizeof(fin));
    perf_verify_finish(&s, &fin);
    if (!model.any || model.received - 1 >= model.highest)
        FUZZ_CHECK(fin.missing == 0);
    else
        FUZZ_CHECK(fin.missing == model.highest + 1 - model.received);
    return 0;
}
