/*
 * perf_proto.c - encode and decode sctpu-perf's control messages.
 *
 * Every multi-byte field is big-endian and written by the put/get helpers
 * below, so the wire format does not depend on the host. Decoders check the
 * whole message (header, exact payload size, every count and string) before
 * they write anything, and read nothing past len.
 *
 * Payloads (sizes in bytes):
 *   HELLO          cookie 16, index 2, count 2
 *   PARAMS         duration_ms, bytes, messages, omit_ms, rate_bps (8 each);
 *                  interval_ms, burst, length, window, pr_value,
 *                  sack_delay_ms, sack_freq (4 each); parallel, nstreams
 *                  (2 each); reverse, bidir, unordered, verify, pr_policy,
 *                  nodelay, get_server_output (1 each); nppids 2, then
 *                  nppids * ppid 4; then, for --rr only, rr_resp 4 (not
 *                  0): a one-way test's PARAMS is what it was before --rr,
 *                  so either end may be older as long as --rr is not used
 *   READY          count 2, then count * PERF_SEEN_LEN NUL-padded strings;
 *                  seen[0]'s last 8 bytes may be "SPc1" and caps 4
 *   EXTRAS         index 2, cpu_user_x100 4, cpu_system_x100 4,
 *                  have_sender 1, min/mean/max_rtt_us, max_snd_cwnd,
 *                  max_snd_wnd (4 each)
 *   RESULTS        index 2, duration_us 8, cpu_x100 4, then sent and
 *                  received, each: bytes, messages, retransmits, abandoned
 *                  (8 each), nstreams 2, then nstreams * (sid 2, messages,
 *                  bytes, verified, missing, duplicate, corrupt,
 *                  out_of_order: 8 each; ppid 4, ppid_mixed 1)
 *   SERVER_OUTPUT, ERROR   the text and its terminating NUL (1 ..
 *                  PERF_TEXT_MAX bytes, no other NUL)
 *   START, END, DONE, WANT_EXTRAS   nothing
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "be_bytes.h"
#include "perf.h"
#include "perf_proto.h"
#include "perf_verify.h"

#define HELLO_LEN (PERF_COOKIE_LEN + 2 + 2)
#define PARAMS_FIXED_LEN (5 * 8 + 7 * 4 + 2 * 2 + 7 * 1 + 2)
#define READY_FIXED_LEN 2
#define READY_CAPS_MAGIC "SPc1"
#define RESULTS_FIXED_LEN (2 + 8 + 4)
#define DIR_FIXED_LEN (4 * 8 + 2)
#define STREAM_LEN (2 + 7 * 8 + 4 + 1)

_Static_assert(PERF_PROTO_MAX_PARALLEL >= PERF_MAX_PARALLEL,
               "the protocol must carry every association the CLI allows");
_Static_assert(PARAMS_FIXED_LEN == 81, "PARAMS payload layout");
_Static_assert(PERF_PROTO_PARAMS_MAX == PERF_PROTO_HDR_LEN + PARAMS_FIXED_LEN +
                                            4 * PERF_MAX_PPIDS + 4,
               "PERF_PROTO_PARAMS_MAX must follow the layout");

static uint8_t *put_u8(uint8_t *p, uint8_t v)
{
    p[0] = v;
    return p + 1;
}

static uint8_t *put_be16(uint8_t *p, uint16_t v)
{
    be16_put(p, v);
    return p + 2;
}

static uint8_t *put_be32(uint8_t *p, uint32_t v)
{
    be32_put(p, v);
    return p + 4;
}

static uint8_t *put_be64(uint8_t *p, uint64_t v)
{
    be64_put(p, v);
    return p + 8;
}

static uint8_t *put_bytes(uint8_t *p, const void *src, size_t n)
{
    memcpy(p, src, n);
    return p + n;
}

/* The getters advance *pp; callers have checked the size beforehand. */
static uint8_t get_u8(const uint8_t **pp)
{
    const uint8_t *p = *pp;

    *pp = p + 1;
    return p[0];
}

static uint16_t get_be16(const uint8_t **pp)
{
    const uint8_t *p = *pp;

    *pp = p + 2;
    return be16_get(p);
}

static uint32_t get_be32(const uint8_t **pp)
{
    const uint8_t *p = *pp;

    *pp = p + 4;
    return be32_get(p);
}

static uint64_t get_be64(const uint8_t **pp)
{
    const uint8_t *p = *pp;

    *pp = p + 8;
    return be64_get(p);
}

/* START, END and DONE are a header and nothing else. */
static bool type_is_empty(int type)
{
    return type == PERF_MSG_START || type == PERF_MSG_END ||
           type == PERF_MSG_DONE || type == PERF_MSG_WANT_EXTRAS;
}

static bool type_known(unsigned int type)
{
    return (type >= PERF_MSG_HELLO && type <= PERF_MSG_ERROR) ||
           type == PERF_MSG_STREAMS || type == PERF_MSG_LATENCY ||
           type == PERF_MSG_WANT_EXTRAS || type == PERF_MSG_EXTRAS;
}

/*
 * Write the header for a payload of plen bytes and return where the payload
 * goes, or NULL when the message does not fit in cap.
 */
static uint8_t *put_header(uint8_t *buf, size_t cap, enum perf_msg_type type,
                           size_t plen)
{
    uint8_t *p = buf;

    if (cap < PERF_PROTO_HDR_LEN || cap - PERF_PROTO_HDR_LEN < plen)
        return NULL;
    p = put_be16(p, PERF_PROTO_MAGIC);
    p = put_u8(p, PERF_PROTO_VERSION);
    p = put_u8(p, (uint8_t)type);
    return put_be32(p, (uint32_t)plen);
}

int perf_proto_type(const uint8_t *buf, size_t len)
{
    const uint8_t *p = buf;
    uint16_t magic;
    uint8_t version;
    uint8_t type;
    uint32_t plen;

    if (len < PERF_PROTO_HDR_LEN)
        return -EMSGSIZE;
    magic = get_be16(&p);
    version = get_u8(&p);
    type = get_u8(&p);
    plen = get_be32(&p);
    if (magic != PERF_PROTO_MAGIC)
        return -EBADMSG;
    if (version != PERF_PROTO_VERSION)
        return -EPROTO;
    if (!type_known(type))
        return -EBADMSG;
    if (plen != len - PERF_PROTO_HDR_LEN)
        return -EBADMSG;
    if (type_is_empty(type) && plen != 0)
        return -EBADMSG;
    return type;
}

/*
 * Check the header of a message that must be of the given type; on success
 * *plen is the payload length and the payload starts at buf + HDR_LEN.
 */
static int check_header(const uint8_t *buf, size_t len, enum perf_msg_type want,
                        size_t *plen)
{
    int type = perf_proto_type(buf, len);

    if (type < 0)
        return type;
    if (type != (int)want)
        return -EBADMSG;
    *plen = len - PERF_PROTO_HDR_LEN;
    return 0;
}

static bool is_flag(uint8_t v)
{
    return v == 0 || v == 1;
}

/* -------------------------------------------------------------- HELLO */

static bool hello_valid(const struct perf_hello *m)
{
    return m->count >= 1 && m->count <= PERF_PROTO_MAX_PARALLEL &&
           m->index < m->count;
}

int perf_proto_encode_hello(uint8_t *buf, size_t cap,
                            const struct perf_hello *m)
{
    uint8_t *p = NULL;

    if (!hello_valid(m))
        return -EINVAL;
    p = put_header(buf, cap, PERF_MSG_HELLO, HELLO_LEN);
    if (p == NULL)
        return -EMSGSIZE;
    p = put_bytes(p, m->cookie, PERF_COOKIE_LEN);
    p = put_be16(p, m->index);
    put_be16(p, m->count);
    return PERF_PROTO_HDR_LEN + HELLO_LEN;
}

int perf_proto_decode_hello(const uint8_t *buf, size_t len,
                            struct perf_hello *m)
{
    const uint8_t *p = NULL;
    struct perf_hello h;
    size_t plen = 0;
    int rc;

    rc = check_header(buf, len, PERF_MSG_HELLO, &plen);
    if (rc < 0)
        return rc;
    if (plen != HELLO_LEN)
        return -EBADMSG;
    p = buf + PERF_PROTO_HDR_LEN;
    memcpy(h.cookie, p, PERF_COOKIE_LEN);
    p += PERF_COOKIE_LEN;
    h.index = get_be16(&p);
    h.count = get_be16(&p);
    if (!hello_valid(&h))
        return -EBADMSG;
    *m = h;
    return 0;
}

/* ------------------------------------------------------------- PARAMS */

/* At most one PPID per data stream, none the control one. */
static bool ppids_valid(const struct perf_params *m)
{
    uint16_t i;

    if (m->nppids > m->nstreams || m->nppids > PERF_MAX_PPIDS)
        return false;
    for (i = 0; i < m->nppids; i++)
        if (m->ppids[i] == PERF_PPID_CONTROL)
            return false;
    return true;
}

#define STR_(x) #x
#define STR(x) STR_(x)
#define PARAMS_WHY_MALFORMED "a malformed PARAMS message"
#define PARAMS_WHY_RANGE "the test parameters are out of range"
/* Every --verify message starts with its header: a shorter one would be
 * stamped past the sender's buffer (issue 11). */
#define PARAMS_WHY_VERIFY_LEN                                                  \
    "--verify needs messages of at least " STR(                                \
        PERF_VERIFY_HDR_LEN) " bytes (its header): the test asks for fewer "   \
                             "(-l)"

/* Reports more often than iperf3's minimum flood the server's output
 * (and a -J capture) for nothing: refused, as the CLI refuses -i 0.05. */
#define PARAMS_WHY_INTERVAL                                                    \
    "the report interval (-i) must be 0 (none) or at least " STR(              \
        PERF_MIN_INTERVAL_MS) " ms"

/* --rr runs one request/response loop per association: no one-way
 * options (the CLI refuses them too). */
#define PARAMS_WHY_RR                                                          \
    "--rr cannot be combined with -R, --bidir, -b, -n, --verify or "           \
    "--pr-policy"
_Static_assert(PERF_MAX_LEN == 16777216, "PARAMS_WHY_RR_LEN names it");
#define PARAMS_WHY_RR_LEN                                                      \
    "--rr: the response size must be at most 16777216 bytes (16M)"

/* NULL when m is a test both ends can run, else why not. */
static const char *params_problem(const struct perf_params *m)
{
    if (!(ppids_valid(m) && m->parallel >= 1 &&
          m->parallel <= PERF_PROTO_MAX_PARALLEL && m->nstreams >= 1 &&
          m->nstreams <= PERF_MAX_STREAMS && m->length >= 1 &&
          m->length <= PERF_MAX_LEN && m->pr_policy <= PERF_PR_BUF &&
          is_flag(m->reverse) && is_flag(m->bidir) && is_flag(m->unordered) &&
          is_flag(m->verify) && is_flag(m->nodelay) &&
          is_flag(m->get_server_output)))
        return PARAMS_WHY_RANGE;
    if (m->verify && m->length < PERF_VERIFY_HDR_LEN)
        return PARAMS_WHY_VERIFY_LEN;
    if (m->interval_ms != 0 && m->interval_ms < PERF_MIN_INTERVAL_MS)
        return PARAMS_WHY_INTERVAL;
    if (m->rr_resp > PERF_MAX_LEN)
        return PARAMS_WHY_RR_LEN;
    if (m->rr_resp != 0 && (m->reverse || m->bidir || m->rate_bps || m->bytes ||
                            m->verify || m->pr_policy))
        return PARAMS_WHY_RR;
    return NULL;
}

static bool params_valid(const struct perf_params *m)
{
    return params_problem(m) == NULL;
}

int perf_proto_encode_params(uint8_t *buf, size_t cap,
                             const struct perf_params *m)
{
    size_t plen =
        PARAMS_FIXED_LEN + (size_t)m->nppids * 4 + (m->rr_resp != 0 ? 4 : 0);
    uint8_t *p = NULL;
    uint16_t i;

    if (!params_valid(m))
        return -EINVAL;
    p = put_header(buf, cap, PERF_MSG_PARAMS, plen);
    if (p == NULL)
        return -EMSGSIZE;
    p = put_be64(p, m->duration_ms);
    p = put_be64(p, m->bytes);
    p = put_be64(p, m->messages);
    p = put_be64(p, m->omit_ms);
    p = put_be64(p, m->rate_bps);
    p = put_be32(p, m->interval_ms);
    p = put_be32(p, m->burst);
    p = put_be32(p, m->length);
    p = put_be32(p, m->window);
    p = put_be32(p, m->pr_value);
    p = put_be32(p, m->sack_delay_ms);
    p = put_be32(p, m->sack_freq);
    p = put_be16(p, m->parallel);
    p = put_be16(p, m->nstreams);
    p = put_u8(p, m->reverse);
    p = put_u8(p, m->bidir);
    p = put_u8(p, m->unordered);
    p = put_u8(p, m->verify);
    p = put_u8(p, m->pr_policy);
    p = put_u8(p, m->nodelay);
    p = put_u8(p, m->get_server_output);
    p = put_be16(p, m->nppids);
    for (i = 0; i < m->nppids; i++)
        p = put_be32(p, m->ppids[i]);
    if (m->rr_resp != 0)
        p = put_be32(p, m->rr_resp);
    return (int)(PERF_PROTO_HDR_LEN + plen);
}

int perf_proto_decode_params(const uint8_t *buf, size_t len,
                             struct perf_params *m)
{
    return perf_proto_decode_params_why(buf, len, m, NULL);
}

int perf_proto_decode_params_why(const uint8_t *buf, size_t len,
                                 struct perf_params *m, const char **why)
{
    const uint8_t *p = NULL;
    const char *problem = NULL;
    struct perf_params q;
    size_t plen = 0;
    size_t rest = 0;
    uint16_t i;
    int rc;

    if (why != NULL)
        *why = PARAMS_WHY_MALFORMED;
    rc = check_header(buf, len, PERF_MSG_PARAMS, &plen);
    if (rc < 0)
        return rc;
    if (plen < PARAMS_FIXED_LEN)
        return -EBADMSG;
    p = buf + PERF_PROTO_HDR_LEN;
    memset(&q, 0, sizeof(q));
    q.duration_ms = get_be64(&p);
    q.bytes = get_be64(&p);
    q.messages = get_be64(&p);
    q.omit_ms = get_be64(&p);
    q.rate_bps = get_be64(&p);
    q.interval_ms = get_be32(&p);
    q.burst = get_be32(&p);
    q.length = get_be32(&p);
    q.window = get_be32(&p);
    q.pr_value = get_be32(&p);
    q.sack_delay_ms = get_be32(&p);
    q.sack_freq = get_be32(&p);
    q.parallel = get_be16(&p);
    q.nstreams = get_be16(&p);
    q.reverse = get_u8(&p);
    q.bidir = get_u8(&p);
    q.unordered = get_u8(&p);
    q.verify = get_u8(&p);
    q.pr_policy = get_u8(&p);
    q.nodelay = get_u8(&p);
    q.get_server_output = get_u8(&p);
    q.nppids = get_be16(&p);
    /* The list must fit q before we read it, and it fills the payload
     * exactly, but for --rr's 4 bytes after it. */
    if (q.nppids > PERF_MAX_PPIDS)
        return -EBADMSG;
    rest = plen - PARAMS_FIXED_LEN;
    if (rest != (size_t)q.nppids * 4 && rest != (size_t)q.nppids * 4 + 4)
        return -EBADMSG;
    for (i = 0; i < q.nppids; i++)
        q.ppids[i] = get_be32(&p);
    if (rest == (size_t)q.nppids * 4 + 4) {
        q.rr_resp = get_be32(&p);
        /* one encoding per test: a one-way test has no such field */
        if (q.rr_resp == 0)
            return -EBADMSG;
    }
    problem = params_problem(&q);
    if (problem != NULL) {
        if (why != NULL)
            *why = problem;
        return -EBADMSG;
    }
    if (why != NULL)
        *why = NULL;
    *m = q;
    return 0;
}

/* -------------------------------------------------------------- READY */

int perf_proto_encode_ready(uint8_t *buf, size_t cap,
                            const struct perf_ready *m)
{
    size_t plen;
    uint8_t *p = NULL;
    size_t i;

    if (m->count > PERF_READY_MAX_SEEN)
        return -EINVAL;
    for (i = 0; i < m->count; i++)
        if (memchr(m->seen[i], '\0', PERF_SEEN_LEN) == NULL)
            return -EINVAL;
    if (m->caps != 0 && (m->count == 0 ||
                         memchr(m->seen[0], '\0', PERF_READY_CAPS_OFF) == NULL))
        return -EINVAL;
    plen = READY_FIXED_LEN + (size_t)m->count * PERF_SEEN_LEN;
    p = put_header(buf, cap, PERF_MSG_READY, plen);
    if (p == NULL)
        return -EMSGSIZE;
    p = put_be16(p, m->count);
    for (i = 0; i < m->count; i++) {
        size_t n = strlen(m->seen[i]);

        /* Pad with zeros: no stale bytes after the NUL go on the wire. */
        p = put_bytes(p, m->seen[i], n);
        memset(p, 0, PERF_SEEN_LEN - n);
        if (i == 0 && m->caps != 0) {
            memcpy(p + (PERF_READY_CAPS_OFF - n), READY_CAPS_MAGIC, 4);
            be32_put(p + (PERF_READY_CAPS_OFF - n) + 4, m->caps);
        }
        p += PERF_SEEN_LEN - n;
    }
    return (int)(PERF_PROTO_HDR_LEN + plen);
}

int perf_proto_decode_ready(const uint8_t *buf, size_t len,
                            struct perf_ready *m)
{
    const uint8_t *p = NULL;
    size_t plen = 0;
    uint16_t count;
    size_t i;
    int rc;

    rc = check_header(buf, len, PERF_MSG_READY, &plen);
    if (rc < 0)
        return rc;
    if (plen < READY_FIXED_LEN)
        return -EBADMSG;
    p = buf + PERF_PROTO_HDR_LEN;
    count = get_be16(&p);
    if (count > PERF_READY_MAX_SEEN ||
        plen != READY_FIXED_LEN + (size_t)count * PERF_SEEN_LEN)
        return -EBADMSG;
    for (i = 0; i < count; i++)
        if (memchr(p + i * PERF_SEEN_LEN, '\0', PERF_SEEN_LEN) == NULL)
            return -EBADMSG;
    memset(m, 0, sizeof(*m));
    m->count = count;
    for (i = 0; i < count; i++)
        memcpy(m->seen[i], p + i * PERF_SEEN_LEN, PERF_SEEN_LEN);
    /* The announcement counts only when seen[0] ends before it; an older
     * server's zeros (or whatever else) there mean no caps. */
    if (count >= 1 && memchr(p, '\0', PERF_READY_CAPS_OFF) != NULL &&
        memcmp(p + PERF_READY_CAPS_OFF, READY_CAPS_MAGIC, 4) == 0) {
        m->caps = be32_get(p + PERF_READY_CAPS_OFF + 4);
        memset(m->seen[0] + PERF_READY_CAPS_OFF, 0, 8);
    }
    return 0;
}

/* ------------------------------------------------------------ RESULTS */

size_t perf_proto_results_size(uint16_t sent_streams, uint16_t received_streams)
{
    return PERF_PROTO_HDR_LEN + RESULTS_FIXED_LEN + 2 * DIR_FIXED_LEN +
           ((size_t)sent_streams + received_streams) * STREAM_LEN;
}

static uint8_t *put_dir(uint8_t *p, const struct perf_dir_counts *d)
{
    const struct perf_stream_counts *s = NULL;
    uint16_t i;

    p = put_be64(p, d->bytes);
    p = put_be64(p, d->messages);
    p = put_be64(p, d->retransmits);
    p = put_be64(p, d->abandoned);
    p = put_be16(p, d->nstreams);
    for (i = 0; i < d->nstreams; i++) {
        s = &d->streams[i];
        p = put_be16(p, s->sid);
        p = put_be64(p, s->messages);
        p = put_be64(p, s->bytes);
        p = put_be64(p, s->verified);
        p = put_be64(p, s->missing);
        p = put_be64(p, s->duplicate);
        p = put_be64(p, s->corrupt);
        p = put_be64(p, s->out_of_order);
        p = put_be32(p, s->ppid);
        p = put_u8(p, s->ppid_mixed ? 1 : 0);
    }
    return p;
}

int perf_proto_encode_results(uint8_t *buf, size_t cap,
                              const struct perf_results *m)
{
    size_t len =
        perf_proto_results_size(m->sent.nstreams, m->received.nstreams);
    uint8_t *p = NULL;

    if (m->index >= PERF_PROTO_MAX_PARALLEL ||
        (m->sent.nstreams > 0 && m->sent.streams == NULL) ||
        (m->received.nstreams > 0 && m->received.streams == NULL))
        return -EINVAL;
    p = put_header(buf, cap, PERF_MSG_RESULTS, len - PERF_PROTO_HDR_LEN);
    if (p == NULL)
        return -EMSGSIZE;
    p = put_be16(p, m->index);
    p = put_be64(p, m->duration_us);
    p = put_be32(p, m->cpu_x100);
    p = put_dir(p, &m->sent);
    put_dir(p, &m->received);
    return (int)len;
}

/* Decode one direction whose size was checked; keeps d->streams. */
static const uint8_t *get_dir(const uint8_t *p, struct perf_dir_counts *d)
{
    struct perf_stream_counts *s = NULL;
    uint16_t i;

    d->bytes = get_be64(&p);
    d->messages = get_be64(&p);
    d->retransmits = get_be64(&p);
    d->abandoned = get_be64(&p);
    d->nstreams = get_be16(&p);
    for (i = 0; i < d->nstreams; i++) {
        s = &d->streams[i];
        s->sid = get_be16(&p);
        s->messages = get_be64(&p);
        s->bytes = get_be64(&p);
        s->verified = get_be64(&p);
        s->missing = get_be64(&p);
        s->duplicate = get_be64(&p);
        s->corrupt = get_be64(&p);
        s->out_of_order = get_be64(&p);
        s->ppid = get_be32(&p);
        s->ppid_mixed = get_u8(&p) != 0;
    }
    return p;
}

/*
 * Read the stream count of the direction starting at p (whose fixed part
 * lies within end) and check it against the limit; on success *next is
 * where the following direction starts.
 */
static int check_dir(const uint8_t *p, const uint8_t *end, uint16_t max_streams,
                     const uint8_t **next)
{
    const uint8_t *q = NULL;
    uint16_t n;
    uint16_t i;

    if ((size_t)(end - p) < DIR_FIXED_LEN)
        return -EBADMSG;
    q = p + 4 * 8;
    n = get_be16(&q);
    if (n > max_streams || (size_t)(end - q) < (size_t)n * STREAM_LEN)
        return -EBADMSG;
    /* Each stream's ppid_mixed, its last byte, is a flag. */
    for (i = 0; i < n; i++)
        if (!is_flag(q[(size_t)(i + 1) * STREAM_LEN - 1]))
            return -EBADMSG;
    *next = q + (size_t)n * STREAM_LEN;
    return 0;
}

int perf_proto_decode_results(const uint8_t *buf, size_t len,
                              struct perf_results *m, uint16_t max_streams)
{
    const uint8_t *p = NULL;
    const uint8_t *end = NULL;
    const uint8_t *rcvd = NULL;
    const uint8_t *tail = NULL;
    size_t plen = 0;
    int rc;

    rc = check_header(buf, len, PERF_MSG_RESULTS, &plen);
    if (rc < 0)
        return rc;
    if (plen < RESULTS_FIXED_LEN)
        return -EBADMSG;
    p = buf + PERF_PROTO_HDR_LEN;
    end = buf + len;
    if (check_dir(p + RESULTS_FIXED_LEN, end, max_streams, &rcvd) < 0 ||
        check_dir(rcvd, end, max_streams, &tail) < 0 || tail != end)
        return -EBADMSG;
    if (get_be16(&p) >= PERF_PROTO_MAX_PARALLEL)
        return -EBADMSG;
    /* Everything checked: only now write into *m. */
    p = buf + PERF_PROTO_HDR_LEN;
    m->index = get_be16(&p);
    m->duration_us = get_be64(&p);
    m->cpu_x100 = get_be32(&p);
    p = get_dir(p, &m->sent);
    get_dir(p, &m->received);
    return 0;
}

/* --------------------------------------------------------------- TEXT */

static bool is_text_type(enum perf_msg_type type)
{
    return type == PERF_MSG_SERVER_OUTPUT || type == PERF_MSG_ERROR;
}

int perf_proto_encode_text(uint8_t *buf, size_t cap, enum perf_msg_type type,
                           const char *text)
{
    size_t n;
    uint8_t *p = NULL;

    if (!is_text_type(type) || text == NULL)
        return -EINVAL;
    n = strnlen(text, PERF_TEXT_MAX - 1);
    p = put_header(buf, cap, type, n + 1);
    if (p == NULL)
        return -EMSGSIZE;
    p = put_bytes(p, text, n);
    put_u8(p, 0);
    return (int)(PERF_PROTO_HDR_LEN + n + 1);
}

int perf_proto_decode_text(const uint8_t *buf, size_t len, struct perf_text *m)
{
    const uint8_t *p = NULL;
    int type = perf_proto_type(buf, len);
    size_t plen;

    if (type < 0)
        return type;
    if (!is_text_type(type))
        return -EBADMSG;
    p = buf + PERF_PROTO_HDR_LEN;
    plen = len - PERF_PROTO_HDR_LEN;
    /* The one NUL is the last byte. */
    if (plen < 1 || plen > PERF_TEXT_MAX ||
        memchr(p, '\0', plen) != p + plen - 1)
        return -EBADMSG;
    memcpy(m->text, p, plen);
    return 0;
}

/* -------------------------------------------------------------- EMPTY */

int perf_proto_encode_empty(uint8_t *buf, size_t cap, enum perf_msg_type type)
{
    if (!type_is_empty(type))
        return -EINVAL;
    if (put_header(buf, cap, type, 0) == NULL)
        return -EMSGSIZE;
    return PERF_PROTO_HDR_LEN;
}

/* --------------------------------------------------------------- text */

char *perf_text_printable(char *dst, size_t cap, const char *src,
                          bool multiline)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)src;

    if (cap == 0)
        return dst;
    for (; *p != '\0'; p++) {
        char esc[4];
        size_t n = 0;

        if (*p == '\\') {
            esc[n++] = '\\';
            esc[n++] = '\\';
        } else if ((*p >= 0x20 && *p < 0x7f) ||
                   (multiline && (*p == '\n' || *p == '\t'))) {
            esc[n++] = (char)*p;
        } else {
            esc[n++] = '\\';
            esc[n++] = 'x';
            esc[n++] = hex[*p >> 4];
            esc[n++] = hex[*p & 15];
        }
        if (o + n > cap - 1) {
            /* Cut: end in "..." when there is room for it. */
            if (cap >= 4) {
                if (o > cap - 4)
                    o = cap - 4;
                memcpy(dst + o, "...", 3);
                o += 3;
            }
            break;
        }
        memcpy(dst + o, esc, n);
        o += n;
    }
    dst[o] = '\0';
    return dst;
}
