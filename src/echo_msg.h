/*
 * echo_msg.h - the bytes of one echo message, and checking an echo.
 *
 * A message of length L is a pure function of (seq, L):
 *   bytes 0..3  seq, big-endian
 *   bytes 4..7  CRC32c of bytes 8.. XOR seq (so the seq field is covered)
 *   bytes 8..   a pattern that depends on seq and the offset
 * A message shorter than 8 bytes is the first L bytes of seq followed by
 * 0xC5 filler: too short for a checksum, but still checked byte for byte.
 */
#ifndef SCTPU_ECHO_MSG_H
#define SCTPU_ECHO_MSG_H

#include <stddef.h>
#include <stdint.h>

#define ECHO_MSG_HDR_LEN 8
#define ECHO_MSG_MAX (1024 * 1024) /* largest message either side takes */

enum echo_msg_verdict {
    ECHO_MSG_OK = 0,
    ECHO_MSG_BAD_LEN,      /* not the length that was sent */
    ECHO_MSG_BAD_CHECKSUM, /* bytes changed on the way */
    ECHO_MSG_BAD_SEQ,      /* intact, but another message */
    ECHO_MSG_BAD_PAYLOAD,  /* differs from what was sent */
};

/* Write message seq of length len into buf. */
void echo_msg_fill(uint8_t *buf, size_t len, uint32_t seq);

/* Check that buf[0..len) is exactly message seq of length expect_len. */
enum echo_msg_verdict echo_msg_verify(const uint8_t *buf, size_t len,
                                      uint32_t seq, size_t expect_len);

const char *echo_msg_verdict_str(enum echo_msg_verdict v);

#endif /* SCTPU_ECHO_MSG_H */
