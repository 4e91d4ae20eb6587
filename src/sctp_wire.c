/*
 * sctp_wire.c - SCTP packets as bytes (see sctp_wire.h).
 */
#include <string.h>

#include "be_bytes.h"
#include "sctp_wire.h"

#define INIT_FIXED_LEN 16  /* tag, a_rwnd, streams, initial TSN */
#define DATA_FIXED_LEN 12  /* TSN, stream, SSN, PPID */
#define IDATA_FIXED_LEN 16 /* TSN, stream, reserved, MID, PPID/FSN */
#define SACK_FIXED_LEN 12  /* cum TSN ack, a_rwnd, gap and dup counts */
#define HB_INFO_TYPE 1     /* Heartbeat Info parameter */
#define PROBE_INFO_LEN 16  /* marker, nonce */

/* Marks a Heartbeat Info as ours, not usrsctp's. */
static const uint8_t probe_marker[8] = { 's', 'c', 't', 'p', 'u', 'P', 'H', 1 };

bool sctp_wire_header(const uint8_t *pkt, size_t len,
                      struct sctp_wire_header *h)
{
    if (len < SCTP_WIRE_COMMON_LEN)
        return false;
    h->src_port = be16_get(pkt);
    h->dst_port = be16_get(pkt + 2);
    h->vtag = be32_get(pkt + 4);
    return true;
}

void sctp_wire_iter_init(struct sctp_wire_iter *it, const uint8_t *pkt,
                         size_t len)
{
    it->pkt = pkt;
    it->len = len;
    it->off = SCTP_WIRE_COMMON_LEN;
    it->malformed = false;
}

bool sctp_wire_next_chunk(struct sctp_wire_iter *it, struct sctp_wire_chunk *c)
{
    size_t left;
    uint16_t clen;

    if (it->off >= it->len || it->len < SCTP_WIRE_COMMON_LEN)
        return false;
    left = it->len - it->off;
    if (left < SCTP_WIRE_CHUNK_HDR) {
        it->malformed = true;
        return false;
    }
    clen = be16_get(it->pkt + it->off + 2);
    if (clen < SCTP_WIRE_CHUNK_HDR || clen > left) {
        it->malformed = true;
        it->off = it->len;
        return false;
    }
    c->type = it->pkt[it->off];
    c->flags = it->pkt[it->off + 1];
    c->length = clen;
    c->value = it->pkt + it->off + SCTP_WIRE_CHUNK_HDR;
    c->value_len = (size_t)clen - SCTP_WIRE_CHUNK_HDR;
    /* padded to 4; padding cut off by the end of the packet ends it */
    it->off += ((size_t)clen + 3) & ~(size_t)3;
    if (it->off > it->len)
        it->off = it->len;
    return true;
}

int sctp_wire_first_chunk_type(const uint8_t *pkt, size_t len)
{
    struct sctp_wire_iter it;
    struct sctp_wire_chunk c;

    sctp_wire_iter_init(&it, pkt, len);
    return sctp_wire_next_chunk(&it, &c) ? c.type : -1;
}

bool sctp_wire_tag_is_receivers(const uint8_t *pkt, size_t len)
{
    struct sctp_wire_iter it;
    struct sctp_wire_chunk c;

    sctp_wire_iter_init(&it, pkt, len);
    if (!sctp_wire_next_chunk(&it, &c))
        return false;
    if (c.type == SCTP_WIRE_INIT)
        return false;
    if ((c.type == SCTP_WIRE_ABORT || c.type == SCTP_WIRE_SHUTDOWN_COMPLETE) &&
        (c.flags & SCTP_WIRE_FLAG_T))
        return false;
    return true;
}

bool sctp_wire_init_tag(const uint8_t *pkt, size_t len, uint8_t *type,
                        uint32_t *tag)
{
    struct sctp_wire_iter it;
    struct sctp_wire_chunk c;

    sctp_wire_iter_init(&it, pkt, len);
    if (!sctp_wire_next_chunk(&it, &c) ||
        (c.type != SCTP_WIRE_INIT && c.type != SCTP_WIRE_INIT_ACK) ||
        c.value_len < INIT_FIXED_LEN)
        return false;
    *type = c.type;
    *tag = be32_get(c.value);
    return true;
}

/* The parameters after an INIT or INIT-ACK chunk's fixed part. */
static bool params_ok(const uint8_t *p, size_t len)
{
    while (len > 0) {
        size_t plen;

        if (len < 4)
            return false;
        plen = be16_get(p + 2);
        if (plen < 4 || plen > len)
            return false;
        plen = (plen + 3) & ~(size_t)3;
        if (plen >= len)
            return true; /* the last one; its padding may be cut off */
        p += plen;
        len -= plen;
    }
    return true;
}

bool sctp_wire_init_params_ok(const uint8_t *pkt, size_t len)
{
    struct sctp_wire_iter it;
    struct sctp_wire_chunk c;

    sctp_wire_iter_init(&it, pkt, len);
    while (sctp_wire_next_chunk(&it, &c)) {
        if (c.type != SCTP_WIRE_INIT && c.type != SCTP_WIRE_INIT_ACK)
            continue;
        if (c.value_len < INIT_FIXED_LEN ||
            !params_ok(c.value + INIT_FIXED_LEN, c.value_len - INIT_FIXED_LEN))
            return false;
    }
    return true;
}

bool sctp_wire_data_tsn(const struct sctp_wire_chunk *c, uint32_t *tsn)
{
    if (!((c->type == SCTP_WIRE_DATA && c->value_len >= DATA_FIXED_LEN) ||
          (c->type == SCTP_WIRE_IDATA && c->value_len >= IDATA_FIXED_LEN)))
        return false;
    *tsn = be32_get(c->value);
    return true;
}

bool sctp_wire_sack_acks(const struct sctp_wire_chunk *c, uint32_t tsn,
                         uint32_t *cum, bool *acked)
{
    uint32_t off;
    size_t ngaps;
    size_t i;

    if (c->type != SCTP_WIRE_SACK || c->value_len < SACK_FIXED_LEN)
        return false;
    *cum = be32_get(c->value);
    off = tsn - *cum; /* serial: tsn is off TSNs past cum */
    *acked = off == 0 || (int32_t)off < 0;
    if (*acked || off > 0xffff)
        return true; /* covered by cum, or beyond any gap block */
    ngaps = be16_get(c->value + 8);
    if (ngaps > (c->value_len - SACK_FIXED_LEN) / 4)
        ngaps = (c->value_len - SACK_FIXED_LEN) / 4;
    for (i = 0; i < ngaps; i++) {
        const uint8_t *b = c->value + SACK_FIXED_LEN + 4 * i;

        if (off >= be16_get(b) && off <= be16_get(b + 2)) {
            *acked = true;
            break;
        }
    }
    return true;
}

bool sctp_wire_sack_reports(const struct sctp_wire_chunk *c, size_t *gaps,
                            size_t *dups)
{
    size_t room;

    if (c->type != SCTP_WIRE_SACK || c->value_len < SACK_FIXED_LEN)
        return false;
    room = (c->value_len - SACK_FIXED_LEN) / 4;
    *gaps = be16_get(c->value + 8);
    if (*gaps > room)
        *gaps = room;
    *dups = be16_get(c->value + 10);
    if (*dups > room - *gaps)
        *dups = room - *gaps;
    return true;
}

size_t sctp_wire_build_probe(uint8_t *buf, size_t cap, uint16_t src_port,
                             uint16_t dst_port, uint32_t vtag, uint64_t nonce)
{
    uint8_t *chunk = buf + SCTP_WIRE_COMMON_LEN;

    if (cap < SCTP_WIRE_PROBE_LEN)
        return 0;
    be16_put(buf, src_port);
    be16_put(buf + 2, dst_port);
    be32_put(buf + 4, vtag);
    be32_put(buf + 8, 0);
    chunk[0] = SCTP_WIRE_HEARTBEAT;
    chunk[1] = 0;
    be16_put(chunk + 2, SCTP_WIRE_PROBE_LEN - SCTP_WIRE_COMMON_LEN);
    be16_put(chunk + 4, HB_INFO_TYPE);
    be16_put(chunk + 6, 4 + PROBE_INFO_LEN);
    memcpy(chunk + 8, probe_marker, sizeof(probe_marker));
    be64_put(chunk + 16, nonce);
    return SCTP_WIRE_PROBE_LEN;
}

bool sctp_wire_probe_ack(const uint8_t *pkt, size_t len, uint64_t *nonce)
{
    struct sctp_wire_iter it;
    struct sctp_wire_chunk c;

    sctp_wire_iter_init(&it, pkt, len);
    while (sctp_wire_next_chunk(&it, &c)) {
        if (c.type != SCTP_WIRE_HEARTBEAT_ACK ||
            c.value_len < 4 + PROBE_INFO_LEN)
            continue;
        if (be16_get(c.value) != HB_INFO_TYPE ||
            be16_get(c.value + 2) != 4 + PROBE_INFO_LEN ||
            memcmp(c.value + 4, probe_marker, sizeof(probe_marker)) != 0)
            continue;
        *nonce = be64_get(c.value + 12);
        return true;
    }
    return false;
}
