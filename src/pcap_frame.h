/*
 * pcap_frame.h - the synthetic IP header (and UDP header, with --pcap-udp)
 * that --pcap puts before each SCTP packet, so that a capture of
 * LINKTYPE_RAW reads like one taken on the wire. The addresses are the
 * real ones (IPv4-mapped IPv6 becomes IPv4), the IP protocol is SCTP
 * (132), or UDP (17) with the real UDP ports when the encapsulation is
 * kept. Pure: no I/O.
 */
#ifndef SCTPU_PCAP_FRAME_H
#define SCTPU_PCAP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define PCAP_FRAME_HDR_MAX 48 /* IPv6 (40) and UDP (8) */
#define PCAP_FRAME_PROTO_SCTP 132
#define PCAP_FRAME_PROTO_UDP 17

/*
 * The header of a packet from src to dst (their ports: the UDP ports)
 * carrying payload (the SCTP packet, payload_len bytes) into out; its
 * length, or 0 when the addresses are neither IPv4 nor IPv6. The IPv4
 * header checksum is set; with udp, the UDP checksum too (over the whole
 * payload, so a reader's UDP check passes). Lengths past 65535 are
 * clamped (no SCTP-over-UDP datagram is that long).
 */
size_t pcap_frame_header(uint8_t out[PCAP_FRAME_HDR_MAX],
                         const struct sockaddr *src, const struct sockaddr *dst,
                         bool udp, const uint8_t *payload, size_t payload_len);

#endif /* SCTPU_PCAP_FRAME_H */
