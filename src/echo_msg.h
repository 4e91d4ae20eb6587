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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

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

/*
 * The sequence number a received message of len bytes carries, to find the
 * message it echoes. *seq gets bytes 0..3 whenever len >= 4. Returns true
 * when they can be trusted: len >= 8 and the checksum holds, or 4..7 bytes
 * (no checksum to check). Shorter messages carry only part of it.
 */
bool echo_msg_seq(const uint8_t *buf, size_t len, uint32_t *seq);

/*
 * The address probe: how the server sees the client, for NAT diagnostics.
 *
 * The client's first message (seq 0, stream 0, always ordered) carries PPID
 * ECHO_PROBE_PPID instead of --ppid; it is an echo message like any other.
 * An sctpu-echo server, on the first message with that PPID on an
 * association, sends one extra message just before echoing it: on the same
 * stream, with the same PPID and flags, "sctpu-seen HOST:PORT\n" (no NUL),
 * the client's UDP endpoint as the server sees it ("1.2.3.4:5" or
 * "[2001:db8::1]:5"). Ordered delivery puts it ahead of the echo. Any other
 * echo server just echoes message 0, so the client takes an echo of
 * message 0 with no answer before it as "no report". The answer is not an
 * echo message and neither side counts it.
 *
 * Why not a probe message of its own: a plain echo server would see one
 * message more than the client sent (usrsctp's echo_server counts them).
 * The newline makes a truncated answer malformed rather than another port.
 */
#define ECHO_PROBE_PPID 0x73637077u /* "scpw", next to perf's "scpu" */
#define ECHO_PROBE_SID 0
#define ECHO_PROBE_ANSWER_PREFIX "sctpu-seen "
/* The longest answer: the prefix, the longest endpoint, the newline. */
#define ECHO_PROBE_ANSWER_MAX                                                  \
    (sizeof(ECHO_PROBE_ANSWER_PREFIX) - 1 + NETADDR_STRLEN - 1 + 1)

/*
 * Write the answer telling a client that it is seen as endpoint ("host:port"
 * as netaddr_format writes it). Returns its length, or 0 if endpoint is not
 * such an endpoint or the answer does not fit in cap.
 */
size_t echo_probe_answer(uint8_t *buf, size_t cap, const char *endpoint);

/*
 * Is a received message (payload and PPID) an answer to the probe, whole or
 * not: its bytes begin like ECHO_PROBE_ANSWER_PREFIX? The echo of message 0
 * never is, since its first byte is 0.
 */
bool echo_probe_is_answer(const uint8_t *buf, size_t len, uint32_t ppid);

/*
 * Decode an answer into seen (the endpoint in netaddr_format's form).
 * Returns 0, or -EINVAL with seen "" for anything malformed, including an
 * endpoint that does not fit in seenlen.
 */
int echo_probe_decode(const uint8_t *buf, size_t len, uint32_t ppid, char *seen,
                      size_t seenlen);

#endif /* SCTPU_ECHO_MSG_H */
