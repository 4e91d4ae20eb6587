/*
 * crc32c.h - CRC32c (Castagnoli) for SCTP packets.
 *
 * usrsctp runs with CRC32c offload enabled (DESIGN.md), so this module
 * fills the checksum of every packet we send and verifies every packet we
 * receive. It uses the SSE4.2 crc32 instruction when the CPU has it and
 * usrsctp's own software CRC32c otherwise.
 */
#ifndef SCTPU_CRC32C_H
#define SCTPU_CRC32C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The SCTP common header is 12 bytes; the checksum sits at bytes 8..11. */
#define CRC32C_SCTP_HDR_LEN 12

/* The standard CRC32c value: crc32c("123456789", 9) == 0xE3069283. */
uint32_t crc32c(const void *buf, size_t len);

/* Name of the implementation in use: "sse4.2" or "software". */
const char *crc32c_impl_name(void);

/*
 * Compare the hardware and software implementations on fixed vectors and
 * on buffers of every length 0..300 at every alignment 0..7. Returns 0
 * when they agree (or only software exists) and -1 otherwise, in which case
 * the module falls back to software for good.
 */
int crc32c_self_test(void);

/*
 * Write the checksum of an SCTP packet into bytes 8..11 (RFC 9260 appendix
 * A: computed with that field zero, stored least significant byte first).
 * len must be >= CRC32C_SCTP_HDR_LEN.
 */
void crc32c_sctp_fill(uint8_t *pkt, size_t len);

/* true when len >= 12 and bytes 8..11 hold the packet's checksum. */
bool crc32c_sctp_check(const uint8_t *pkt, size_t len);

#endif /* SCTPU_CRC32C_H */
