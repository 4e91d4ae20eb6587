/*
 * fuzz_perf_proto.c - sctpu-perf's control decoder (src/perf_proto.c) on
 * any bytes a peer can send.
 *
 * The input is one control message. Every decoder is tried on it, and:
 *  - a decoder that accepts it agrees with perf_proto_type();
 *  - a decoder that refuses it leaves its output untouched (perf_proto.h);
 *  - what a decoder accepts, the encoder writes back (the encoder takes
 *    every value the decoder lets through), and decoding that again gives
 *    the same fields. For HELLO, PARAMS, RESULTS, text and the empty
 *    messages the encoding is the input byte for byte: each has one
 *    encoding. READY's strings may carry bytes after their NUL, which the
 *    encoder writes as zeros.
 * Decoding reads the input in place: ASan catches a read past its end.
 */
#include <errno.h>
#include <string.h>

#include "fuzz_check.h"
#include "perf_latency.h"
#include "perf_proto.h"
#include "perf_stream_spec.h"
#include "perf_verify.h"

/* RESULTS is decoded with the largest stream table, and with a small one
 * whose limit a decoder must respect as well. */
#define SMALL_STREAMS 4

/* Room for the largest message of any type (RESULTS with two full
 * stream tables is about 134 KiB). */
static uint8_t out[256 * 1024];
static struct perf_stream_counts streams[4][PERF_MAX_STREAMS];
static struct perf_stream_counts small[2][SMALL_STREAMS];

/* Fill an output struct with a marker, to see that a refusal leaves it.
 * Compared with memcmp: a byte loop here would cost more than the
 * decoders under test. */
#define MARK(x) memset(&(x), 0xA5, sizeof(x))
static uint8_t marked[sizeof(struct perf_ready)];

static int is_marked(const void *p, size_t n)
{
    if (marked[0] != 0xA5)
        memset(marked, 0xA5, sizeof(marked));
    FUZZ_CHECK(n <= sizeof(marked));
    return memcmp(p, marked, n) == 0;
}

/* The encoding of an accepted message: same length, and same bytes. */
static void check_same(int n, const uint8_t *data, size_t size)
{
    FUZZ_CHECK(n > 0);
    FUZZ_CHECK((size_t)n == size);
    FUZZ_CHECK(memcmp(out, data, size) == 0);
}

static void fuzz_hello(const uint8_t *data, size_t size, int type)
{
    struct perf_hello m;
    struct perf_hello again;

    MARK(m);
    if (perf_proto_decode_hello(data, size, &m) != 0) {
        FUZZ_CHECK(is_marked(&m, sizeof(m)));
        return;
    }
    FUZZ_CHECK(type == PERF_MSG_HELLO);
    check_same(perf_proto_encode_hello(out, sizeof(out), &m), data, size);
    FUZZ_CHECK(perf_proto_decode_hello(out, size, &again) == 0);
    FUZZ_CHECK(memcmp(&m, &again, sizeof(m)) == 0);
}

static void fuzz_params(const uint8_t *data, size_t size, int type)
{
    struct perf_params m;
    struct perf_params why_m;
    struct perf_params again;
    const char *why = "unset";
    int rc;

    MARK(m);
    MARK(why_m);
    rc = perf_proto_decode_params(data, size, &m);
    FUZZ_CHECK(perf_proto_decode_params_why(data, size, &why_m, &why) == rc);
    if (rc != 0) {
        FUZZ_CHECK(is_marked(&m, sizeof(m)));
        FUZZ_CHECK(is_marked(&why_m, sizeof(why_m)));
        FUZZ_CHECK(why != NULL && why[0] != '\0' && strchr(why, '\n') == NULL);
        return;
    }
    FUZZ_CHECK(why == NULL);
    FUZZ_CHECK(memcmp(&m, &why_m, sizeof(m)) == 0);
    FUZZ_CHECK(type == PERF_MSG_PARAMS);
    /* What the server relies on (issue 11, defect 1). */
    FUZZ_CHECK(m.parallel >= 1 && m.parallel <= PERF_PROTO_MAX_PARALLEL);
    FUZZ_CHECK(m.length >= 1 && m.length <= PERF_MAX_LEN);
    FUZZ_CHECK(!m.verify || m.length >= PERF_VERIFY_HDR_LEN);
    FUZZ_CHECK(m.nppids <= m.nstreams && m.nstreams <= PERF_MAX_STREAMS);
    check_same(perf_proto_encode_params(out, sizeof(out), &m), data, size);
    memset(&again, 0, sizeof(again));
    FUZZ_CHECK(perf_proto_decode_params(out, size, &again) == 0);
    FUZZ_CHECK(memcmp(&m, &again, sizeof(m)) == 0);
}

static void fuzz_ready(const uint8_t *data, size_t size, int type)
{
    static struct perf_ready m;
    static struct perf_ready again;
    int n;

    MARK(m);
    if (perf_proto_decode_ready(data, size, &m) != 0) {
        FUZZ_CHECK(is_marked(&m, sizeof(m)));
        return;
    }
    FUZZ_CHECK(type == PERF_MSG_READY);
    FUZZ_CHECK(m.count <= PERF_READY_MAX_SEEN);
    n = perf_proto_encode_ready(out, sizeof(out), &m);
    FUZZ_CHECK(n > 0 && (size_t)n == size);
    FUZZ_CHECK(perf_proto_decode_ready(out, (size_t)n, &again) == 0);
    FUZZ_CHECK(again.count == m.count);
    for (size_t i = 0; i < m.count; i++)
        FUZZ_CHECK(strcmp(m.seen[i], again.seen[i]) == 0);
}

static void fuzz_results(const uint8_t *data, size_t size, int type)
{
    struct perf_results m;
    struct perf_results sm;
    struct perf_results again;
    int small_rc;

    /* With a table of SMALL_STREAMS: accepted only when both directions
     * fit, and never a write past the table (ASan). */
    memset(&sm, 0, sizeof(sm));
    sm.sent.streams = small[0];
    sm.received.streams = small[1];
    small_rc = perf_proto_decode_results(data, size, &sm, SMALL_STREAMS);
    if (small_rc == 0)
        FUZZ_CHECK(sm.sent.nstreams <= SMALL_STREAMS &&
                   sm.received.nstreams <= SMALL_STREAMS);

    MARK(m);
    m.sent.streams = streams[0];
    m.received.streams = streams[1];
    if (perf_proto_decode_results(data, size, &m, PERF_MAX_STREAMS) != 0) {
        FUZZ_CHECK(small_rc != 0);
        m.sent.streams = NULL;
        m.received.streams = NULL;
        /* Untouched: only the stream pointers were the caller's. */
        FUZZ_CHECK(m.index == 0xA5A5 && m.duration_us == 0xA5A5A5A5A5A5A5A5u);
        FUZZ_CHECK(m.sent.nstreams == 0xA5A5 && m.received.nstreams == 0xA5A5);
        return;
    }
    FUZZ_CHECK(type == PERF_MSG_RESULTS);
    FUZZ_CHECK(m.sent.streams == streams[0] &&
               m.received.streams == streams[1]);
    FUZZ_CHECK(m.index < PERF_PROTO_MAX_PARALLEL);
    FUZZ_CHECK(size ==
               perf_proto_results_size(m.sent.nstreams, m.received.nstreams));
    check_same(perf_proto_encode_results(out, sizeof(out), &m), data, size);
    memset(&again, 0, sizeof(again));
    again.sent.streams = streams[2];
    again.received.streams = streams[3];
    FUZZ_CHECK(perf_proto_decode_results(out, size, &again, PERF_MAX_STREAMS) ==
               0);
    FUZZ_CHECK(again.index == m.index && again.duration_us == m.duration_us &&
               again.cpu_x100 == m.cpu_x100);
    FUZZ_CHECK(again.sent.nstreams == m.sent.nstreams &&
               again.received.nstreams == m.received.nstreams);
    FUZZ_CHECK(memcmp(streams[0], streams[2],
                      m.sent.nstreams * sizeof(streams[0][0])) == 0);
    FUZZ_CHECK(memcmp(streams[1], streams[3],
                      m.received.nstreams * sizeof(streams[0][0])) == 0);
}

static void fuzz_text(const uint8_t *data, size_t size, int type)
{
    static struct perf_text m;
    static struct perf_text again;

    MARK(m);
    if (perf_proto_decode_text(data, size, &m) != 0) {
        FUZZ_CHECK(is_marked(&m, sizeof(m)));
        return;
    }
    FUZZ_CHECK(type == PERF_MSG_SERVER_OUTPUT || type == PERF_MSG_ERROR);
    FUZZ_CHECK(memchr(m.text, '\0', sizeof(m.text)) != NULL);
    check_same(perf_proto_encode_text(out, sizeof(out),
                                      (enum perf_msg_type)type, m.text),
               data, size);
    FUZZ_CHECK(perf_proto_decode_text(out, size, &again) == 0);
    FUZZ_CHECK(strcmp(m.text, again.text) == 0);
}

/* EXTRAS has one encoding: what is accepted is written back as it came. */
static void fuzz_extras(const uint8_t *data, size_t size, int type)
{
    struct perf_extras m;
    struct perf_extras again;

    MARK(m);
    if (perf_proto_decode_extras(data, size, &m) != 0) {
        FUZZ_CHECK(is_marked(&m, sizeof(m)));
        return;
    }
    FUZZ_CHECK(type == PERF_MSG_EXTRAS);
    check_same(perf_proto_encode_extras(out, sizeof(out), &m), data, size);
    FUZZ_CHECK(perf_proto_decode_extras(out, size, &again) == 0);
    FUZZ_CHECK(memcmp(&m, &again, sizeof(m)) == 0);
}

/*
 * STREAMS and LATENCY (--stream): an accepted message encodes back into
 * one that is accepted and encodes to the same bytes again (they are not
 * promised one encoding per value, so the input is not compared).
 */
static struct perf_stream_specs specs, specs_again;
static struct perf_latency_report lat, lat_again;
static uint8_t out2[sizeof(out)];

static void fuzz_streams(const uint8_t *data, size_t size, int type)
{
    int n;

    if (perf_stream_specs_decode_msg(data, size, &specs) != 0)
        return;
    FUZZ_CHECK(type == PERF_MSG_STREAMS);
    n = perf_stream_specs_encode_msg(out, sizeof(out), &specs);
    FUZZ_CHECK(n > 0);
    FUZZ_CHECK(perf_stream_specs_decode_msg(out, (size_t)n, &specs_again) == 0);
    FUZZ_CHECK(perf_stream_specs_encode_msg(out2, sizeof(out2), &specs_again) ==
               n);
    FUZZ_CHECK(memcmp(out, out2, (size_t)n) == 0);
}

static void fuzz_latency(const uint8_t *data, size_t size, int type)
{
    int n;

    if (perf_latency_decode(data, size, PERF_PROTO_MAX_PARALLEL, &lat) != 0)
        return;
    FUZZ_CHECK(type == PERF_MSG_LATENCY);
    n = perf_latency_encode(out, sizeof(out), &lat);
    FUZZ_CHECK(n > 0);
    FUZZ_CHECK(perf_latency_decode(out, (size_t)n, PERF_PROTO_MAX_PARALLEL,
                                   &lat_again) == 0);
    FUZZ_CHECK(perf_latency_encode(out2, sizeof(out2), &lat_again) == n);
    FUZZ_CHECK(memcmp(out, out2, (size_t)n) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int type = perf_proto_type(data, size);

    FUZZ_CHECK(type == -EMSGSIZE || type == -EBADMSG || type == -EPROTO ||
               (type >= PERF_MSG_HELLO && type <= PERF_MSG_ERROR) ||
               type == PERF_MSG_STREAMS || type == PERF_MSG_LATENCY ||
               type == PERF_MSG_WANT_EXTRAS || type == PERF_MSG_EXTRAS);
    fuzz_extras(data, size, type);
    fuzz_streams(data, size, type);
    fuzz_latency(data, size, type);
    fuzz_hello(data, size, type);
    fuzz_params(data, size, type);
    fuzz_ready(data, size, type);
    fuzz_results(data, size, type);
    fuzz_text(data, size, type);
    if (type == PERF_MSG_START || type == PERF_MSG_END ||
        type == PERF_MSG_DONE || type == PERF_MSG_WANT_EXTRAS)
        check_same(
            perf_proto_encode_empty(out, sizeof(out), (enum perf_msg_type)type),
            data, size);
    return 0;
}
