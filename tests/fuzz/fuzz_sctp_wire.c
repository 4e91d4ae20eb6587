/*
 * fuzz_sctp_wire.c - SCTP packets as a forger writes them, through the
 * pure parsers the usrsctp backend's ingress and egress use
 * (src/sctp_wire.c).
 *
 * Input: one UDP payload, copied into a buffer of exactly its length (so
 * ASan catches a read past it).
 * Checked: the chunk walk stays inside the packet, moves forward, visits
 * chunks whose value lies wholly inside it, and ends either at the end or
 * flagged malformed; the first chunk it yields is the one
 * sctp_wire_first_chunk_type names; an INIT tag is found only in a first
 * INIT or INIT-ACK chunk and is that chunk's bytes; a packet is taken for
 * the answer to our probe only when the walk saw a HEARTBEAT-ACK in it,
 * and a probe we build parses back to its nonce as its ACK would; a SACK's
 * cum ack is its first word and acknowledges itself.
 */
#include <stdlib.h>
#include <string.h>

#include "be_bytes.h"
#include "fuzz_check.h"
#include "sctp_wire.h"

/* Walk every chunk; whether one was a HEARTBEAT-ACK. */
static bool walk(const uint8_t *pkt, size_t len)
{
    struct sctp_wire_iter it;
    struct sctp_wire_chunk c;
    size_t last_off = 0;
    int first = -2;
    unsigned int n = 0;
    bool hb_ack = false;

    sctp_wire_iter_init(&it, pkt, len);
    while (sctp_wire_next_chunk(&it, &c)) {
        uint32_t tsn;
        uint32_t cum;
        bool acked;

        FUZZ_CHECK(c.length >= SCTP_WIRE_CHUNK_HDR);
        FUZZ_CHECK(c.value_len == (size_t)c.length - SCTP_WIRE_CHUNK_HDR);
        FUZZ_CHECK(c.value >= pkt + SCTP_WIRE_COMMON_LEN + SCTP_WIRE_CHUNK_HDR);
        FUZZ_CHECK(c.value + c.value_len <= pkt + len);
        FUZZ_CHECK(it.off > last_off);
        last_off = it.off;
        if (first == -2)
            first = c.type;
        hb_ack |= c.type == SCTP_WIRE_HEARTBEAT_ACK;
        /* a SACK's cum ack is its first word, and a TSN at or before it
         * is acknowledged; nothing else is a SACK */
        if (sctp_wire_sack_acks(&c, 0x80000000u, &cum, &acked)) {
            FUZZ_CHECK(c.type == SCTP_WIRE_SACK && c.value_len >= 12);
            FUZZ_CHECK(cum == be32_get(c.value));
            FUZZ_CHECK(sctp_wire_sack_acks(&c, cum, &cum, &acked) && acked);
        } else {
            FUZZ_CHECK(c.type != SCTP_WIRE_SACK || c.value_len < 12);
        }
        if (sctp_wire_data_tsn(&c, &tsn)) {
            FUZZ_CHECK(c.type == SCTP_WIRE_DATA || c.type == SCTP_WIRE_IDATA);
            FUZZ_CHECK(tsn == be32_get(c.value));
        }
        n++;
    }
    FUZZ_CHECK(n <= len / SCTP_WIRE_CHUNK_HDR);
    FUZZ_CHECK(first == -2 ? sctp_wire_first_chunk_type(pkt, len) == -1
                           : sctp_wire_first_chunk_type(pkt, len) == first);
    return hb_ack;
}

static void init_tag(const uint8_t *pkt, size_t len)
{
    uint8_t type = 0xFF;
    uint32_t tag = 0;

    if (!sctp_wire_init_tag(pkt, len, &type, &tag))
        return;
    FUZZ_CHECK(type == SCTP_WIRE_INIT || type == SCTP_WIRE_INIT_ACK);
    FUZZ_CHECK(sctp_wire_first_chunk_type(pkt, len) == type);
    FUZZ_CHECK(len >= SCTP_WIRE_COMMON_LEN + SCTP_WIRE_CHUNK_HDR + 4);
    FUZZ_CHECK(tag == be32_get(pkt + SCTP_WIRE_COMMON_LEN + 4));
}

/* Our own probe, with ports, tag and nonce from the input, read back as
 * the peer's HEARTBEAT-ACK (the same bytes with the chunk type 5). */
static void probe_round_trip(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };
    uint8_t buf[SCTP_WIRE_PROBE_LEN];
    uint16_t sport = (uint16_t)(fuzz_u8(&in) << 8 | fuzz_u8(&in));
    uint16_t dport = (uint16_t)(fuzz_u8(&in) << 8 | fuzz_u8(&in));
    uint32_t vtag = 0;
    uint64_t nonce = 0;
    uint64_t back = 0;
    struct sctp_wire_header h;
    int i;

    for (i = 0; i < 4; i++)
        vtag = vtag << 8 | fuzz_u8(&in);
    for (i = 0; i < 8; i++)
        nonce = nonce << 8 | fuzz_u8(&in);
    FUZZ_CHECK(sctp_wire_build_probe(buf, sizeof(buf) - 1, sport, dport, vtag,
                                     nonce) == 0);
    FUZZ_CHECK(sctp_wire_build_probe(buf, sizeof(buf), sport, dport, vtag,
                                     nonce) == SCTP_WIRE_PROBE_LEN);
    FUZZ_CHECK(sctp_wire_header(buf, sizeof(buf), &h));
    FUZZ_CHECK(h.src_port == sport && h.dst_port == dport && h.vtag == vtag);
    FUZZ_CHECK(sctp_wire_first_chunk_type(buf, sizeof(buf)) ==
               SCTP_WIRE_HEARTBEAT);
    FUZZ_CHECK(!sctp_wire_probe_ack(buf, sizeof(buf), &back));
    buf[SCTP_WIRE_COMMON_LEN] = SCTP_WIRE_HEARTBEAT_ACK;
    FUZZ_CHECK(sctp_wire_probe_ack(buf, sizeof(buf), &back) && back == nonce);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *pkt = malloc(size ? size : 1);
    struct sctp_wire_header h;
    uint64_t nonce;
    bool hb_ack;

    if (pkt == NULL)
        return 0;
    memcpy(pkt, data, size);
    FUZZ_CHECK(sctp_wire_header(pkt, size, &h) ==
               (size >= SCTP_WIRE_COMMON_LEN));
    hb_ack = walk(pkt, size);
    init_tag(pkt, size);
    (void)sctp_wire_tag_is_receivers(pkt, size);
    (void)sctp_wire_init_params_ok(pkt, size);
    /* (a peer may bundle the ACK after other chunks) */
    if (sctp_wire_probe_ack(pkt, size, &nonce))
        FUZZ_CHECK(hb_ack);
    probe_round_trip(data, size);
    free(pkt);
    return 0;
}
