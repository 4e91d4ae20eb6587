/*
 * fuzz_echo_msg.c - the echo payload check and the address probe
 * (src/echo_msg.c) on any bytes a server can send back.
 *
 * Input: mode (1), seq (4), expected length (2), ppid selector (1),
 * seen buffer size (1), then the received message (the rest). The message
 * sits in a heap block of exactly its length: ASan sees a read past it.
 * Checked:
 *  - echo_msg_verify says OK exactly when the bytes are echo_msg_fill's
 *    message (seq, length); a message filled here verifies, and
 *    echo_msg_seq finds its seq;
 *  - echo_probe_decode accepts only an answer echo_probe_is_answer
 *    recognises, writes a NUL-terminated endpoint within the size given,
 *    and echo_probe_answer of that endpoint decodes to the same;
 *  - echo_probe_answer on the input as an endpoint string never writes
 *    past cap.
 */
#include <string.h>

#include "echo_msg.h"
#include "fuzz_check.h"

static void check_verify(const uint8_t *msg, size_t len, uint32_t seq,
                         size_t expect_len)
{
    enum echo_msg_verdict v = echo_msg_verify(msg, len, seq, expect_len);
    uint8_t *want = malloc(len);
    uint32_t got_seq = 0;
    bool trusted;

    FUZZ_CHECK(want != NULL || len == 0);
    FUZZ_CHECK(v >= ECHO_MSG_OK && v <= ECHO_MSG_BAD_PAYLOAD);
    FUZZ_CHECK(strcmp(echo_msg_verdict_str(v), "unknown") != 0);
    echo_msg_fill(want, len, seq);
    if (len == expect_len)
        FUZZ_CHECK((v == ECHO_MSG_OK) == (memcmp(msg, want, len) == 0));
    else
        FUZZ_CHECK(v == ECHO_MSG_BAD_LEN);
    /* The message as sent is accepted, and tells its seq. */
    FUZZ_CHECK(echo_msg_verify(want, len, seq, len) == ECHO_MSG_OK);
    trusted = echo_msg_seq(want, len, &got_seq);
    FUZZ_CHECK(trusted == (len >= 4));
    FUZZ_CHECK(!trusted || got_seq == seq);
    free(want);
    /* On the received bytes: whatever it says, it reads within len. */
    trusted = echo_msg_seq(msg, len, &got_seq);
    if (trusted && len >= ECHO_MSG_HDR_LEN && v == ECHO_MSG_OK)
        FUZZ_CHECK(got_seq == seq);
}

static void check_probe(const uint8_t *msg, size_t len, uint32_t ppid,
                        size_t seenlen)
{
    char *seen = malloc(seenlen);
    uint8_t answer[ECHO_PROBE_ANSWER_MAX];
    char again[NETADDR_STRLEN];
    size_t n;

    FUZZ_CHECK(seen != NULL || seenlen == 0);
    if (echo_probe_decode(msg, len, ppid, seen, seenlen) != 0) {
        FUZZ_CHECK(seenlen == 0 || seen[0] == '\0');
        free(seen);
        return;
    }
    FUZZ_CHECK(echo_probe_is_answer(msg, len, ppid));
    FUZZ_CHECK(memchr(seen, '\0', seenlen) != NULL);
    n = echo_probe_answer(answer, sizeof(answer), seen);
    FUZZ_CHECK(n > 0 && n <= sizeof(answer));
    FUZZ_CHECK(echo_probe_decode(answer, n, ECHO_PROBE_PPID, again,
                                 sizeof(again)) == 0);
    FUZZ_CHECK(strcmp(seen, again) == 0);
    free(seen);
}

/* The input as an endpoint string (up to its first NUL). */
static void check_answer(const uint8_t *msg, size_t len, size_t cap)
{
    char *endpoint = malloc(len + 1);
    uint8_t *buf = malloc(cap);
    size_t n;

    FUZZ_CHECK(endpoint != NULL && (buf != NULL || cap == 0));
    memcpy(endpoint, msg, len);
    endpoint[len] = '\0';
    n = echo_probe_answer(buf, cap, endpoint);
    FUZZ_CHECK(n <= cap);
    if (n > 0) {
        char seen[NETADDR_STRLEN];

        FUZZ_CHECK(echo_probe_decode(buf, n, ECHO_PROBE_PPID, seen,
                                     sizeof(seen)) == 0);
    }
    free(endpoint);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };
    uint8_t mode = fuzz_u8(&in);
    uint32_t seq = fuzz_u32(&in);
    size_t expect_len = fuzz_u16(&in);
    uint32_t ppid = fuzz_u8(&in) & 1 ? ECHO_PROBE_PPID : seq;
    size_t seenlen = fuzz_u8(&in) % (NETADDR_STRLEN + 8);
    size_t len;
    uint8_t *msg = fuzz_take(&in, in.left, &len);

    /* mode bit 0: the expected length is the received one (the common
     * case, where only the bytes can be wrong) */
    if (mode & 1)
        expect_len = len;
    check_verify(msg, len, seq, expect_len);
    check_probe(msg, len, ppid, seenlen);
    check_answer(msg, len, seenlen);
    free(msg);
    return 0;
}
