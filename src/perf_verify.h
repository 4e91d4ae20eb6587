/*
 * perf_verify.h - per-message integrity for sctpu-perf --verify.
 *
 * Every data message starts with a 20-byte header (big-endian):
 *
 *   0        4     6          8                16       20
 *   +--------+-----+----------+----------------+--------+-------------
 *   | "SPVF" | sid | reserved |      seq       | check  | payload ...
 *   +--------+-----+----------+----------------+--------+-------------
 *
 *   sid       the SCTP stream the message is sent on
 *   reserved  0 when sent; covered by the check, otherwise ignored
 *   seq       per-stream sequence number, from 0
 *   check     crc32c(bytes 0..15) XOR crc32c(payload)
 *
 * The payload is a fixed pattern that depends only on the offset, so a
 * sender fills its buffer once (perf_verify_prepare) and then rewrites
 * only the header of each message (perf_verify_stamp), using the payload
 * CRC it computed once: sending costs O(1) per message whatever its size.
 * The receiver computes the CRC of every payload it gets (crc32c() runs on
 * SSE4.2 when the CPU has it). Because the header bytes go into the check,
 * a message damaged anywhere, or cut short, fails it (barring a 2^-32
 * collision). Messages need at least PERF_VERIFY_HDR_LEN bytes.
 *
 * The receiver keeps one struct perf_verify_stream per SCTP stream, with
 * a bitmap of the last PERF_VERIFY_WINDOW sequence numbers, and classifies
 * each message it is given:
 *   corrupt       shorter than the header, wrong magic, a sid other than
 *                 the stream it arrived on, or a check mismatch; such a
 *                 message changes nothing else
 *   verified      every other message (so messages == verified + corrupt)
 *   duplicate     a verified message whose seq was already received
 *   out_of_order  a verified message with a new seq below the highest seen
 *                 (late); never happens on an ordered stream of a correct
 *                 stack
 *   missing       (perf_verify_finish) the seqs in [0, highest] never seen
 * A seq more than PERF_VERIFY_WINDOW below the highest cannot be told apart
 * from a duplicate; it is counted as late (out_of_order) and as received.
 * SCTP delivers no duplicates unless it is broken, while unordered small
 * messages can easily arrive thousands of seqs late after a retransmission,
 * so calling those duplicates would raise false alarms. The price is that
 * a duplicate that old shows up as out_of_order and lowers missing by one;
 * either way a counter that should stay 0 on an ordered stream moves.
 */
#ifndef SCTPU_PERF_VERIFY_H
#define SCTPU_PERF_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perf_stats.h"

#define PERF_VERIFY_MAGIC 0x53505646u /* "SPVF" */
#define PERF_VERIFY_HDR_LEN 20
#define PERF_VERIFY_WINDOW 4096 /* seqs remembered below the highest */

/* Receiver state for one stream: 536 bytes, no allocation. */
struct perf_verify_stream {
    uint64_t highest;  /* highest seq received (valid when any) */
    uint64_t received; /* distinct seqs received */
    bool any;          /* a verified message has arrived */
    bool ordered;      /* set by perf_verify_init, for the caller */
    /*
     * Bit seq % PERF_VERIFY_WINDOW: seq was received, for the seqs in
     * (highest - PERF_VERIFY_WINDOW, highest].
     */
    uint64_t seen[PERF_VERIFY_WINDOW / 64];
};

/*
 * Write the payload pattern into buf[PERF_VERIFY_HDR_LEN .. len) and
 * return its CRC, for perf_verify_stamp. A buffer prepared once for a
 * length serves every message of that length. len must be at least
 * PERF_VERIFY_HDR_LEN.
 */
uint32_t perf_verify_prepare(uint8_t *buf, size_t len);

/*
 * Write the header of message (sid, seq) into buf, a buffer of len bytes
 * prepared for len-byte messages, whose payload CRC is payload_crc.
 * Returns 0, or -EMSGSIZE (and writes nothing) when len is shorter than
 * PERF_VERIFY_HDR_LEN: the length may come from a peer (issue 11).
 */
int perf_verify_stamp(uint8_t *buf, size_t len, uint32_t payload_crc,
                      uint16_t sid, uint64_t seq);

/* Both at once: the whole message (sid, seq) of len bytes. */
void perf_verify_fill(uint8_t *buf, size_t len, uint16_t sid, uint64_t seq);

/* Start a stream: nothing received. */
void perf_verify_init(struct perf_verify_stream *s, bool ordered);

/*
 * Check one message received on stream sid and count it in out
 * (verified, duplicate, corrupt, out_of_order; the caller counts messages
 * and bytes).
 */
void perf_verify_check(struct perf_verify_stream *s, uint16_t sid,
                       const uint8_t *buf, size_t len,
                       struct perf_stream_counts *out);

/* Set out->missing: seqs in [0, highest] not received so far. */
void perf_verify_finish(const struct perf_verify_stream *s,
                        struct perf_stream_counts *out);

#endif /* SCTPU_PERF_VERIFY_H */
