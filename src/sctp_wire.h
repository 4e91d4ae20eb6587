/*
 * sctp_wire.h - reading (and writing a few) SCTP packets as bytes, for the
 * usrsctp backend's ingress and egress snooping: the common header, the
 * chunks one by one with every length checked, the Initiate Tag of an
 * INIT or INIT-ACK, the TSN of a DATA or I-DATA chunk, what a SACK
 * acknowledges, and our own
 * HEARTBEAT probe and its HEARTBEAT-ACK (RFC 9260 3.1, 3.2, 3.3).
 *
 * Every function is pure: it reads only the bytes it is given (pkt, len:
 * the whole UDP payload) and never reads past len, whatever the bytes say.
 * No CRC32c here: callers check and fill it (crc32c.h).
 */
#ifndef SCTPU_SCTP_WIRE_H
#define SCTPU_SCTP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCTP_WIRE_COMMON_LEN 12 /* ports, verification tag, checksum */
#define SCTP_WIRE_CHUNK_HDR 4   /* type, flags, length */

enum sctp_wire_chunk_type {
    SCTP_WIRE_DATA = 0,
    SCTP_WIRE_INIT = 1,
    SCTP_WIRE_INIT_ACK = 2,
    SCTP_WIRE_SACK = 3,
    SCTP_WIRE_HEARTBEAT = 4,
    SCTP_WIRE_HEARTBEAT_ACK = 5,
    SCTP_WIRE_ABORT = 6,
    SCTP_WIRE_SHUTDOWN = 7,
    SCTP_WIRE_SHUTDOWN_ACK = 8,
    SCTP_WIRE_ERROR = 9,
    SCTP_WIRE_COOKIE_ECHO = 10,
    SCTP_WIRE_COOKIE_ACK = 11,
    SCTP_WIRE_SHUTDOWN_COMPLETE = 14,
    SCTP_WIRE_IDATA = 64,
    SCTP_WIRE_FORWARD_TSN = 192,
    SCTP_WIRE_I_FORWARD_TSN = 194,
};

/* The T bit of ABORT and SHUTDOWN-COMPLETE: the packet carries the
 * sender's own verification tag, not the receiver's. */
#define SCTP_WIRE_FLAG_T 0x01

struct sctp_wire_header {
    uint16_t src_port;
    uint16_t dst_port;
    uint32_t vtag;
};

/* The common header of pkt; false when len is shorter than one. */
bool sctp_wire_header(const uint8_t *pkt, size_t len,
                      struct sctp_wire_header *h);

struct sctp_wire_chunk {
    uint8_t type;
    uint8_t flags;
    uint16_t length;      /* as the chunk says: header and value, no pad */
    const uint8_t *value; /* length - 4 bytes, all within the packet */
    size_t value_len;
};

/* Walks the chunks after the common header. */
struct sctp_wire_iter {
    const uint8_t *pkt;
    size_t len;
    size_t off;
    bool malformed; /* stopped at a chunk whose length is wrong */
};

void sctp_wire_iter_init(struct sctp_wire_iter *it, const uint8_t *pkt,
                         size_t len);

/*
 * The next chunk into *c, or false at the end of the packet or at a
 * malformed chunk (it->malformed then: a length below 4, or past the end
 * of the packet). The padding after a chunk may be cut off at the end of
 * the packet (usrsctp accepts that too): the chunk is returned and the
 * walk ends there.
 */
bool sctp_wire_next_chunk(struct sctp_wire_iter *it, struct sctp_wire_chunk *c);

/* The type of the first chunk, or -1 when there is no well-formed one. */
int sctp_wire_first_chunk_type(const uint8_t *pkt, size_t len);

/*
 * Is the header's verification tag the receiver's own (the normal case)?
 * Not for an INIT (tag 0) nor an ABORT or SHUTDOWN-COMPLETE first chunk
 * with the T bit (the sender's tag); false for a packet with no chunk.
 */
bool sctp_wire_tag_is_receivers(const uint8_t *pkt, size_t len);

/*
 * For a packet whose first chunk is an INIT or INIT-ACK with its whole
 * fixed part: that chunk's type and Initiate Tag (the tag the receiver
 * of the INIT or INIT-ACK will put on every packet of the association).
 */
bool sctp_wire_init_tag(const uint8_t *pkt, size_t len, uint8_t *type,
                        uint32_t *tag);

/*
 * Are the parameters of every INIT and INIT-ACK chunk in pkt well formed:
 * each at least a parameter header long and within its chunk? usrsctp
 * 0.9.5.0 walks an INIT's parameters without checking: a parameter of
 * length 0 in an INIT that meets an existing association spins it
 * forever (in sctp_send_initiate_ack), which freezes a single-threaded
 * server. Such a packet must not reach it. True for packets without such
 * chunks.
 */
bool sctp_wire_init_params_ok(const uint8_t *pkt, size_t len);

/* The TSN of a DATA or I-DATA chunk with its whole fixed part. */
bool sctp_wire_data_tsn(const struct sctp_wire_chunk *c, uint32_t *tsn);

/*
 * For a SACK chunk with its whole fixed part (RFC 9260 3.3.4): its
 * Cumulative TSN Ack into *cum, and into *acked whether it acknowledges
 * tsn: at or before cum (serial order), or inside one of its Gap Ack
 * Blocks (blocks the chunk claims but does not hold are not read).
 */
bool sctp_wire_sack_acks(const struct sctp_wire_chunk *c, uint32_t tsn,
                         uint32_t *cum, bool *acked);

/*
 * For a SACK chunk with its whole fixed part: into *gaps the number of
 * Gap Ack Blocks it reports and into *dups the number of Duplicate TSNs,
 * each as many as the chunk actually holds (a claim beyond its length is
 * cut to it). A receiver reports gaps when DATA arrives out of order
 * (lost or reordered) and duplicates when a TSN arrives twice.
 */
bool sctp_wire_sack_reports(const struct sctp_wire_chunk *c, size_t *gaps,
                            size_t *dups);

/* Our HEARTBEAT probe: common header, HEARTBEAT chunk, Heartbeat Info
 * parameter of a marker and a 64-bit nonce. */
#define SCTP_WIRE_PROBE_LEN (SCTP_WIRE_COMMON_LEN + 4 + 4 + 16)

/*
 * Write a HEARTBEAT probe from src_port to dst_port with verification tag
 * vtag into buf (cap bytes), checksum field 0. Returns its length
 * (SCTP_WIRE_PROBE_LEN), or 0 when cap is too small.
 */
size_t sctp_wire_build_probe(uint8_t *buf, size_t cap, uint16_t src_port,
                             uint16_t dst_port, uint32_t vtag, uint64_t nonce);

/*
 * Is pkt a HEARTBEAT-ACK echoing one of our probes? Its nonce into *nonce.
 * (The peer echoes the Heartbeat Info unchanged, RFC 9260 8.3; usrsctp's
 * own heartbeats carry a different info, without our marker.)
 */
bool sctp_wire_probe_ack(const uint8_t *pkt, size_t len, uint64_t *nonce);

#endif /* SCTPU_SCTP_WIRE_H */
