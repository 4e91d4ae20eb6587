/*
 * echo_msg.c - build and check echo messages and the address probe.
 */
#include <errno.h>
#include <string.h>

#include "be_bytes.h"
#include "crc32c.h"
#include "echo_msg.h"

#define SHORT_FILLER 0xC5

/* The byte at offset i >= 8: varies with seq and offset, rarely repeats. */
static uint8_t pattern_byte(uint32_t seq, size_t i)
{
    return (uint8_t)(seq * 131u + i * 7u + (i >> 8) + (i >> 16));
}

/* The checksum field: CRC32c of the payload, bound to the seq field. */
static uint32_t checksum_of(const uint8_t *buf, size_t len)
{
    return crc32c(buf + ECHO_MSG_HDR_LEN, len - ECHO_MSG_HDR_LEN) ^
           be32_get(buf);
}

void echo_msg_fill(uint8_t *buf, size_t len, uint32_t seq)
{
    uint8_t head[ECHO_MSG_HDR_LEN];
    size_t i;

    be32_put(head, seq);
    memset(head + 4, SHORT_FILLER, 4);
    if (len < ECHO_MSG_HDR_LEN) {
        memcpy(buf, head, len);
        return;
    }
    memcpy(buf, head, ECHO_MSG_HDR_LEN);
    for (i = ECHO_MSG_HDR_LEN; i < len; i++)
        buf[i] = pattern_byte(seq, i);
    be32_put(buf + 4, checksum_of(buf, len));
}

enum echo_msg_verdict echo_msg_verify(const uint8_t *buf, size_t len,
                                      uint32_t seq, size_t expect_len)
{
    size_t i;

    if (len != expect_len)
        return ECHO_MSG_BAD_LEN;
    if (len < ECHO_MSG_HDR_LEN) {
        uint8_t want[ECHO_MSG_HDR_LEN];

        echo_msg_fill(want, len, seq);
        return memcmp(buf, want, len) == 0 ? ECHO_MSG_OK : ECHO_MSG_BAD_PAYLOAD;
    }
    if (be32_get(buf + 4) != checksum_of(buf, len))
        return ECHO_MSG_BAD_CHECKSUM;
    if (be32_get(buf) != seq)
        return ECHO_MSG_BAD_SEQ;
    for (i = ECHO_MSG_HDR_LEN; i < len; i++)
        if (buf[i] != pattern_byte(seq, i))
            return ECHO_MSG_BAD_PAYLOAD;
    return ECHO_MSG_OK;
}

bool echo_msg_seq(const uint8_t *buf, size_t len, uint32_t *seq)
{
    if (len < 4)
        return false;
    *seq = be32_get(buf);
    return len < ECHO_MSG_HDR_LEN || be32_get(buf + 4) == checksum_of(buf, len);
}

const char *echo_msg_verdict_str(enum echo_msg_verdict v)
{
    switch (v) {
    case ECHO_MSG_OK:
        return "ok";
    case ECHO_MSG_BAD_LEN:
        return "wrong length";
    case ECHO_MSG_BAD_CHECKSUM:
        return "checksum mismatch";
    case ECHO_MSG_BAD_SEQ:
        return "wrong sequence number";
    case ECHO_MSG_BAD_PAYLOAD:
        return "payload differs";
    }
    return "unknown";
}

#define PREFIX_LEN (sizeof(ECHO_PROBE_ANSWER_PREFIX) - 1)

/*
 * endpoint[0..len) in netaddr_format's form, written canonically into out
 * (NETADDR_STRLEN bytes).
 */
static bool canonical_endpoint(const char *endpoint, size_t len, char *out)
{
    char tmp[NETADDR_STRLEN];
    struct sockaddr_storage ss;
    socklen_t sslen;

    if (len == 0 || len >= sizeof(tmp) || memchr(endpoint, '\0', len) != NULL)
        return false;
    memcpy(tmp, endpoint, len);
    tmp[len] = '\0';
    if (netaddr_parse(tmp, &ss, &sslen) < 0)
        return false;
    netaddr_format((struct sockaddr *)&ss, out, NETADDR_STRLEN);
    return true;
}

size_t echo_probe_answer(uint8_t *buf, size_t cap, const char *endpoint)
{
    char canon[NETADDR_STRLEN];
    size_t n;

    if (!canonical_endpoint(endpoint, strlen(endpoint), canon))
        return 0;
    n = strlen(canon);
    if (cap < PREFIX_LEN + n + 1)
        return 0;
    memcpy(buf, ECHO_PROBE_ANSWER_PREFIX, PREFIX_LEN);
    memcpy(buf + PREFIX_LEN, canon, n);
    buf[PREFIX_LEN + n] = '\n';
    return PREFIX_LEN + n + 1;
}

bool echo_probe_is_answer(const uint8_t *buf, size_t len, uint32_t ppid)
{
    size_t n = len < PREFIX_LEN ? len : PREFIX_LEN;

    return ppid == ECHO_PROBE_PPID && len > 0 &&
           memcmp(buf, ECHO_PROBE_ANSWER_PREFIX, n) == 0;
}

int echo_probe_decode(const uint8_t *buf, size_t len, uint32_t ppid, char *seen,
                      size_t seenlen)
{
    char canon[NETADDR_STRLEN];

    if (seenlen > 0)
        seen[0] = '\0';
    if (ppid != ECHO_PROBE_PPID || len <= PREFIX_LEN + 1 ||
        len > ECHO_PROBE_ANSWER_MAX || buf[len - 1] != '\n' ||
        memcmp(buf, ECHO_PROBE_ANSWER_PREFIX, PREFIX_LEN) != 0 ||
        !canonical_endpoint((const char *)buf + PREFIX_LEN,
                            len - PREFIX_LEN - 1, canon) ||
        strlen(canon) >= seenlen)
        return -EINVAL;
    memcpy(seen, canon, strlen(canon) + 1);
    return 0;
}
