/* tests/test_perf_proto.c - sctpu-perf control messages on buffers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "perf.h"
#include "perf_proto.h"
#include "perf_verify.h"

#define TEST_BUF_LEN (256 * 1024)
#define TEST_NSTREAMS 7

/* One scratch buffer for every test, big enough for any message here. */
static int setup_buf(void **state)
{
    uint8_t *buf = malloc(TEST_BUF_LEN);

    if (buf == NULL)
        return -1;
    memset(buf, 0xAA, TEST_BUF_LEN);
    *state = buf;
    return 0;
}

static int teardown_buf(void **state)
{
    free(*state);
    return 0;
}

static void make_hello(struct perf_hello *m)
{
    size_t i;

    memset(m, 0, sizeof(*m));
    for (i = 0; i < PERF_COOKIE_LEN; i++)
        m->cookie[i] = (uint8_t)(0xF0 + i);
    m->index = PERF_PROTO_MAX_PARALLEL - 1;
    m->count = PERF_PROTO_MAX_PARALLEL;
}

static void make_params(struct perf_params *m)
{
    memset(m, 0, sizeof(*m));
    m->duration_ms = UINT64_MAX;
    m->bytes = 0x0123456789ABCDEFull;
    m->messages = 1;
    m->omit_ms = 0x8000000000000000ull;
    m->rate_bps = 100000000000ull;
    m->interval_ms = UINT32_MAX;
    m->burst = 1000;
    m->length = PERF_MAX_LEN;
    m->window = 0x80000001u;
    m->pr_value = 12345;
    m->sack_delay_ms = 200;
    m->sack_freq = 2;
    m->parallel = PERF_PROTO_MAX_PARALLEL;
    m->nstreams = PERF_MAX_STREAMS;
    m->reverse = 1;
    m->bidir = 0;
    m->unordered = 1;
    m->verify = 1;
    m->pr_policy = PERF_PR_BUF;
    m->nodelay = 1;
    m->get_server_output = 1;
    /* One short of the control PPID, the extremes, and S1AP's 18. */
    m->nppids = 4;
    m->ppids[0] = PERF_PPID_CONTROL - 1;
    m->ppids[1] = 0;
    m->ppids[2] = UINT32_MAX;
    m->ppids[3] = 18;
}

static void make_ready(struct perf_ready *m, uint16_t count)
{
    uint16_t i;

    memset(m, 0x55, sizeof(*m)); /* garbage after each NUL */
    m->count = count;
    m->caps = 0; /* none: what every server before EXTRAS sends */
    for (i = 0; i < count; i++)
        snprintf(m->seen[i], PERF_SEEN_LEN, "[2001:db8::%x]:%u", i, 65535 - i);
    if (count > 0) {
        memset(m->seen[0], 'x', PERF_SEEN_LEN - 1);
        m->seen[0][PERF_SEEN_LEN - 1] = '\0';
    }
}

static void make_streams(struct perf_stream_counts *s, uint16_t n,
                         uint64_t base)
{
    uint16_t i;

    for (i = 0; i < n; i++) {
        s[i].sid = (uint16_t)(i == 0 ? UINT16_MAX : i);
        s[i].messages = base + i;
        s[i].bytes = UINT64_MAX - i;
        s[i].verified = base * 3 + i;
        s[i].missing = 1ull << (i % 64);
        s[i].duplicate = i;
        s[i].corrupt = 0x8000000000000000ull >> (i % 64);
        s[i].out_of_order = base ^ i;
        s[i].ppid = i == 1 ? UINT32_MAX : (uint32_t)(base + 60 * i);
        s[i].ppid_mixed = i % 2 == 1;
    }
}

struct results_fixture {
    struct perf_results m;
    struct perf_stream_counts sent[TEST_NSTREAMS];
    struct perf_stream_counts rcvd[TEST_NSTREAMS];
};

static void make_results(struct results_fixture *f, uint16_t nsent,
                         uint16_t nrcvd)
{
    memset(f, 0, sizeof(*f));
    f->m.index = PERF_PROTO_MAX_PARALLEL - 1;
    f->m.duration_us = UINT64_MAX;
    f->m.cpu_x100 = 12800;
    f->m.sent.bytes = 0xFEDCBA9876543210ull;
    f->m.sent.messages = 1;
    f->m.sent.retransmits = UINT64_MAX;
    f->m.sent.abandoned = 42;
    f->m.sent.nstreams = nsent;
    f->m.sent.streams = f->sent;
    f->m.received.bytes = 7;
    f->m.received.messages = 0x100000000ull;
    f->m.received.retransmits = 0;
    f->m.received.abandoned = UINT64_MAX - 1;
    f->m.received.nstreams = nrcvd;
    f->m.received.streams = f->rcvd;
    make_streams(f->sent, nsent, 1000);
    make_streams(f->rcvd, nrcvd, 0xFFFF0000FFFF0000ull);
}

/* Decode into a fresh fixture whose arrays belong to it. */
static int decode_results_into(const uint8_t *buf, size_t len,
                               struct results_fixture *out,
                               uint16_t max_streams)
{
    memset(out, 0xEE, sizeof(*out));
    out->m.sent.streams = out->sent;
    out->m.received.streams = out->rcvd;
    return perf_proto_decode_results(buf, len, &out->m, max_streams);
}

/* Field by field: the structs have padding the decoder does not touch. */
static void assert_streams_equal(const struct perf_stream_counts *a,
                                 const struct perf_stream_counts *b, uint16_t n)
{
    uint16_t i;

    for (i = 0; i < n; i++) {
        assert_int_equal(a[i].sid, b[i].sid);
        assert_true(a[i].messages == b[i].messages);
        assert_true(a[i].bytes == b[i].bytes);
        assert_true(a[i].verified == b[i].verified);
        assert_true(a[i].missing == b[i].missing);
        assert_true(a[i].duplicate == b[i].duplicate);
        assert_true(a[i].corrupt == b[i].corrupt);
        assert_true(a[i].out_of_order == b[i].out_of_order);
        assert_true(a[i].ppid == b[i].ppid);
        assert_true(a[i].ppid_mixed == b[i].ppid_mixed);
    }
}

static void assert_dir_equal(const struct perf_dir_counts *a,
                             const struct perf_dir_counts *b)
{
    assert_true(a->bytes == b->bytes);
    assert_true(a->messages == b->messages);
    assert_true(a->retransmits == b->retransmits);
    assert_true(a->abandoned == b->abandoned);
    assert_int_equal(a->nstreams, b->nstreams);
    assert_streams_equal(a->streams, b->streams, a->nstreams);
}

/* Every message type there is, for the loops over all of them. */
static const int all_types[] = {
    PERF_MSG_HELLO,         PERF_MSG_PARAMS, PERF_MSG_READY,
    PERF_MSG_START,         PERF_MSG_END,    PERF_MSG_RESULTS,
    PERF_MSG_SERVER_OUTPUT, PERF_MSG_DONE,   PERF_MSG_ERROR,
    PERF_MSG_WANT_EXTRAS,   PERF_MSG_EXTRAS,
};

static void make_extras(struct perf_extras *e, bool sender)
{
    memset(e, 0, sizeof(*e));
    e->index = PERF_PROTO_MAX_PARALLEL - 1;
    e->cpu_user_x100 = 4321;
    e->cpu_system_x100 = UINT32_MAX;
    if (sender) {
        e->have_sender = 1;
        e->min_rtt_us = 17;
        e->mean_rtt_us = 1500;
        e->max_rtt_us = UINT32_MAX;
        e->max_snd_cwnd = 262016;
        e->max_snd_wnd = 0x80000001u;
    }
}

/* Run every decoder on buf[0..len) and assert each returns want. */
static void assert_all_decoders(const uint8_t *buf, size_t len, int want)
{
    struct perf_hello h;
    struct perf_params p;
    struct perf_ready *r = malloc(sizeof(*r));
    struct results_fixture *f = malloc(sizeof(*f));
    struct perf_text *t = malloc(sizeof(*t));
    struct perf_extras e;

    assert_non_null(r);
    assert_non_null(f);
    assert_non_null(t);
    assert_int_equal(perf_proto_decode_hello(buf, len, &h), want);
    assert_int_equal(perf_proto_decode_params(buf, len, &p), want);
    assert_int_equal(perf_proto_decode_ready(buf, len, r), want);
    assert_int_equal(decode_results_into(buf, len, f, TEST_NSTREAMS), want);
    assert_int_equal(perf_proto_decode_text(buf, len, t), want);
    assert_int_equal(perf_proto_decode_extras(buf, len, &e), want);
    free(t);
    free(f);
    free(r);
}

/* The decoder for messages of this type. */
static int decode_own(int type, const uint8_t *buf, size_t len)
{
    struct perf_hello h;
    struct perf_params p;
    struct perf_ready *r = NULL;
    struct results_fixture *f = NULL;
    struct perf_text *t = NULL;
    struct perf_extras e;
    int rc = -EINVAL;

    switch (type) {
    case PERF_MSG_EXTRAS:
        return perf_proto_decode_extras(buf, len, &e);
    case PERF_MSG_HELLO:
        return perf_proto_decode_hello(buf, len, &h);
    case PERF_MSG_PARAMS:
        return perf_proto_decode_params(buf, len, &p);
    case PERF_MSG_READY:
        r = malloc(sizeof(*r));
        assert_non_null(r);
        rc = perf_proto_decode_ready(buf, len, r);
        free(r);
        return rc;
    case PERF_MSG_RESULTS:
        f = malloc(sizeof(*f));
        assert_non_null(f);
        rc = decode_results_into(buf, len, f, TEST_NSTREAMS);
        free(f);
        return rc;
    case PERF_MSG_SERVER_OUTPUT:
    case PERF_MSG_ERROR:
        t = malloc(sizeof(*t));
        assert_non_null(t);
        rc = perf_proto_decode_text(buf, len, t);
        free(t);
        return rc;
    default:
        /* START, END, DONE have no decoder: the type check is all. */
        rc = perf_proto_type(buf, len);
        if (rc < 0)
            return rc;
        return rc == type ? 0 : -EBADMSG;
    }
}

/* One well-formed message of every type, encoded into buf; returns len. */
static int encode_sample(uint8_t *buf, size_t cap, int type)
{
    struct perf_extras e;
    struct perf_hello h;
    struct perf_params p;
    struct perf_ready *r = NULL;
    struct results_fixture *f = NULL;
    int rc = -EINVAL;

    switch (type) {
    case PERF_MSG_EXTRAS:
        make_extras(&e, true);
        return perf_proto_encode_extras(buf, cap, &e);
    case PERF_MSG_HELLO:
        make_hello(&h);
        return perf_proto_encode_hello(buf, cap, &h);
    case PERF_MSG_PARAMS:
        make_params(&p);
        return perf_proto_encode_params(buf, cap, &p);
    case PERF_MSG_READY:
        r = malloc(sizeof(*r));
        assert_non_null(r);
        make_ready(r, 3);
        rc = perf_proto_encode_ready(buf, cap, r);
        free(r);
        return rc;
    case PERF_MSG_RESULTS:
        f = malloc(sizeof(*f));
        assert_non_null(f);
        make_results(f, TEST_NSTREAMS, 2);
        rc = perf_proto_encode_results(buf, cap, &f->m);
        free(f);
        return rc;
    case PERF_MSG_SERVER_OUTPUT:
    case PERF_MSG_ERROR:
        return perf_proto_encode_text(buf, cap, (enum perf_msg_type)type,
                                      "some text\n");
    case PERF_MSG_START:
    case PERF_MSG_END:
    case PERF_MSG_DONE:
    case PERF_MSG_WANT_EXTRAS:
        return perf_proto_encode_empty(buf, cap, (enum perf_msg_type)type);
    }
    return rc;
}

/* ---------------------------------------------------------- roundtrip */

static void test_perf_proto_hello_roundtrip(void **state)
{
    uint8_t *buf = *state;
    struct perf_hello in;
    struct perf_hello out;
    int len;

    make_hello(&in);
    len = perf_proto_encode_hello(buf, TEST_BUF_LEN, &in);
    assert_int_equal(len, PERF_PROTO_HDR_LEN + 20);
    assert_int_equal(perf_proto_type(buf, len), PERF_MSG_HELLO);
    memset(&out, 0, sizeof(out));
    assert_int_equal(perf_proto_decode_hello(buf, len, &out), 0);
    assert_memory_equal(out.cookie, in.cookie, PERF_COOKIE_LEN);
    assert_int_equal(out.index, in.index);
    assert_int_equal(out.count, in.count);

    in.index = 0;
    in.count = 1;
    len = perf_proto_encode_hello(buf, TEST_BUF_LEN, &in);
    assert_int_equal(perf_proto_decode_hello(buf, len, &out), 0);
    assert_int_equal(out.index, 0);
    assert_int_equal(out.count, 1);
}

static void test_perf_proto_hello_wire_bytes(void **state)
{
    uint8_t *buf = *state;
    struct perf_hello in;
    static const uint8_t want_hdr[] = {
        'S', 'P', 1, PERF_MSG_HELLO, 0, 0, 0, 20
    };

    make_hello(&in);
    in.index = 0x0102;
    in.count = PERF_PROTO_MAX_PARALLEL + 1;
    /* count > PERF_PROTO_MAX_PARALLEL: out of range. */
    assert_int_equal(perf_proto_encode_hello(buf, TEST_BUF_LEN, &in), -EINVAL);
    in.index = 0x0001;
    in.count = 0x0080;
    assert_int_equal(perf_proto_encode_hello(buf, TEST_BUF_LEN, &in), 28);
    assert_memory_equal(buf, want_hdr, sizeof(want_hdr));
    assert_memory_equal(buf + 8, in.cookie, PERF_COOKIE_LEN);
    assert_int_equal(buf[24], 0x00);
    assert_int_equal(buf[25], 0x01);
    assert_int_equal(buf[26], 0x00);
    assert_int_equal(buf[27], 0x80);
}

static void test_perf_proto_params_roundtrip(void **state)
{
    uint8_t *buf = *state;
    struct perf_params in;
    struct perf_params out;
    int len;

    make_params(&in);
    len = perf_proto_encode_params(buf, TEST_BUF_LEN, &in);
    assert_int_equal(len, PERF_PROTO_HDR_LEN + 81 + 4 * 4);
    assert_int_equal(perf_proto_type(buf, len), PERF_MSG_PARAMS);
    memset(&out, 0xCC, sizeof(out));
    assert_int_equal(perf_proto_decode_params(buf, len, &out), 0);
    assert_true(out.duration_ms == UINT64_MAX);
    assert_true(out.bytes == 0x0123456789ABCDEFull);
    assert_true(out.messages == 1);
    assert_true(out.omit_ms == 0x8000000000000000ull);
    assert_true(out.rate_bps == 100000000000ull);
    assert_int_equal(out.interval_ms, UINT32_MAX);
    assert_int_equal(out.burst, 1000);
    assert_int_equal(out.length, PERF_MAX_LEN);
    assert_int_equal(out.window, 0x80000001u);
    assert_int_equal(out.pr_value, 12345);
    assert_int_equal(out.sack_delay_ms, 200);
    assert_int_equal(out.sack_freq, 2);
    assert_int_equal(out.parallel, PERF_PROTO_MAX_PARALLEL);
    assert_int_equal(out.nstreams, PERF_MAX_STREAMS);
    assert_int_equal(out.reverse, 1);
    assert_int_equal(out.bidir, 0);
    assert_int_equal(out.unordered, 1);
    assert_int_equal(out.verify, 1);
    assert_int_equal(out.pr_policy, PERF_PR_BUF);
    assert_int_equal(out.nodelay, 1);
    assert_int_equal(out.get_server_output, 1);
    assert_int_equal(out.nppids, 4);
    assert_int_equal(out.ppids[0], PERF_PPID_CONTROL - 1);
    assert_int_equal(out.ppids[1], 0);
    assert_int_equal(out.ppids[2], UINT32_MAX);
    assert_int_equal(out.ppids[3], 18);
    /* The list comes last, big-endian, after the count. */
    assert_int_equal(buf[PERF_PROTO_HDR_LEN + 79], 0);
    assert_int_equal(buf[PERF_PROTO_HDR_LEN + 80], 4);
    assert_int_equal(out.rr_resp, 0);
    assert_int_equal(buf[len - 1], 18);
    assert_int_equal(buf[len - 4], 0);

    /* The other extreme: everything zero or minimal. */
    memset(&in, 0, sizeof(in));
    in.parallel = 1;
    in.nstreams = 1;
    in.length = 1;
    len = perf_proto_encode_params(buf, TEST_BUF_LEN, &in);
    assert_int_equal(len, PERF_PROTO_HDR_LEN + 81);
    assert_int_equal(perf_proto_decode_params(buf, len, &out), 0);
    assert_int_equal(out.nppids, 0);
    assert_true(out.duration_ms == 0 && out.bytes == 0 && out.messages == 0);
    assert_true(out.omit_ms == 0 && out.rate_bps == 0);
    assert_int_equal(out.interval_ms | out.burst | out.window | out.pr_value,
                     0);
    assert_int_equal(out.sack_delay_ms | out.sack_freq, 0);
    assert_int_equal(out.length, 1);
    assert_int_equal(out.parallel, 1);
    assert_int_equal(out.nstreams, 1);
    assert_int_equal(out.reverse | out.bidir | out.unordered | out.verify |
                         out.pr_policy | out.nodelay | out.get_server_output,
                     0);
}

static void test_perf_proto_ready_roundtrip(void **state)
{
    uint8_t *buf = *state;
    struct perf_ready *in = malloc(sizeof(*in));
    struct perf_ready *out = malloc(sizeof(*out));
    uint16_t counts[] = { 0, 1, 2, PERF_READY_MAX_SEEN };
    size_t c;
    uint16_t i;
    int len;

    assert_non_null(in);
    assert_non_null(out);
    for (c = 0; c < ARRAY_LEN(counts); c++) {
        make_ready(in, counts[c]);
        len = perf_proto_encode_ready(buf, TEST_BUF_LEN, in);
        assert_int_equal(len,
                         PERF_PROTO_HDR_LEN + 2 + counts[c] * PERF_SEEN_LEN);
        assert_int_equal(perf_proto_type(buf, len), PERF_MSG_READY);
        memset(out, 0x77, sizeof(*out));
        assert_int_equal(perf_proto_decode_ready(buf, len, out), 0);
        assert_int_equal(out->count, counts[c]);
        for (i = 0; i < counts[c]; i++)
            assert_string_equal(out->seen[i], in->seen[i]);
        /* Padding after the NUL is zero on the wire. */
        if (counts[c] > 1)
            assert_int_equal(
                buf[PERF_PROTO_HDR_LEN + 2 + PERF_SEEN_LEN + PERF_SEEN_LEN - 1],
                0);
    }
    free(out);
    free(in);
}

static void test_perf_proto_results_roundtrip(void **state)
{
    uint8_t *buf = *state;
    struct results_fixture *in = malloc(sizeof(*in));
    struct results_fixture *out = malloc(sizeof(*out));
    uint16_t ns;
    uint16_t nr;
    int len;

    assert_non_null(in);
    assert_non_null(out);
    for (ns = 0; ns <= TEST_NSTREAMS; ns++) {
        for (nr = 0; nr <= TEST_NSTREAMS; nr++) {
            make_results(in, ns, nr);
            len = perf_proto_encode_results(buf, TEST_BUF_LEN, &in->m);
            assert_int_equal(len, perf_proto_results_size(ns, nr));
            assert_int_equal(perf_proto_type(buf, len), PERF_MSG_RESULTS);
            assert_int_equal(decode_results_into(buf, len, out, 7), 0);
            assert_int_equal(out->m.index, in->m.index);
            assert_true(out->m.duration_us == in->m.duration_us);
            assert_int_equal(out->m.cpu_x100, in->m.cpu_x100);
            assert_ptr_equal(out->m.sent.streams, out->sent);
            assert_ptr_equal(out->m.received.streams, out->rcvd);
            assert_dir_equal(&out->m.sent, &in->m.sent);
            assert_dir_equal(&out->m.received, &in->m.received);
        }
    }
    free(out);
    free(in);
}

/* The largest RESULTS there can be: PERF_MAX_STREAMS each way. */
static void test_perf_proto_results_max_streams(void **state)
{
    struct perf_stream_counts *a = calloc(PERF_MAX_STREAMS, sizeof(*a));
    struct perf_stream_counts *b = calloc(PERF_MAX_STREAMS, sizeof(*b));
    size_t size = perf_proto_results_size(PERF_MAX_STREAMS, PERF_MAX_STREAMS);
    uint8_t *buf = malloc(size);
    struct perf_results in;
    struct perf_results out;

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(buf);
    memset(&in, 0, sizeof(in));
    in.sent.nstreams = PERF_MAX_STREAMS;
    in.sent.streams = a;
    in.received.nstreams = PERF_MAX_STREAMS;
    in.received.streams = a;
    make_streams(a, PERF_MAX_STREAMS, 99);
    assert_int_equal(perf_proto_encode_results(buf, size, &in), size);
    assert_int_equal(perf_proto_encode_results(buf, size - 1, &in), -EMSGSIZE);
    memset(&out, 0, sizeof(out));
    out.sent.streams = b;
    out.received.streams = b;
    assert_int_equal(
        perf_proto_decode_results(buf, size, &out, PERF_MAX_STREAMS - 1),
        -EBADMSG);
    assert_int_equal(
        perf_proto_decode_results(buf, size, &out, PERF_MAX_STREAMS), 0);
    assert_streams_equal(a, b, PERF_MAX_STREAMS);
    free(buf);
    free(b);
    free(a);
}

static void test_perf_proto_results_size(void **state)
{
    (void)state;
    /* A stream: sid 2, seven counters 8 each, ppid 4, ppid_mixed 1. */
    assert_int_equal(perf_proto_results_size(0, 0), 8 + 14 + 2 * 34);
    assert_int_equal(perf_proto_results_size(1, 0), 8 + 14 + 2 * 34 + 63);
    assert_int_equal(perf_proto_results_size(0, 2), 8 + 14 + 2 * 34 + 2 * 63);
    assert_int_equal(perf_proto_results_size(UINT16_MAX, UINT16_MAX),
                     8 + 14 + 2 * 34 + 2 * 65535ull * 63);
}

/* Server text is escaped before a terminal sees it (issue 11, 7). */
static void test_perf_proto_text_printable(void **state)
{
    char out[32];

    (void)state;
    assert_string_equal(
        perf_text_printable(out, sizeof(out), "busy\x1b[2J", false),
        "busy\\x1b[2J");
    assert_string_equal(perf_text_printable(out, sizeof(out), "a\nb\\", false),
                        "a\\x0ab\\\\");
    assert_string_equal(perf_text_printable(out, sizeof(out), "a\nb\tc", true),
                        "a\nb\tc");
    assert_string_equal(
        perf_text_printable(out, sizeof(out), "\xc3\x9b", false), "\\xc3\\x9b");
    assert_string_equal(perf_text_printable(out, 8, "0123456789", false),
                        "0123...");
    assert_string_equal(perf_text_printable(out, 8, "\x01\x02", false),
                        "\\x01...");
}

/* PARAMS asking for reports more often than every 0.1 s are refused. */
static void test_perf_proto_params_min_interval(void **state)
{
    uint8_t buf[PERF_PROTO_PARAMS_MAX];
    struct perf_params p;
    struct perf_params out;
    const char *why = NULL;
    int len;

    (void)state;
    memset(&p, 0, sizeof(p));
    p.length = 100;
    p.parallel = 1;
    p.nstreams = 1;
    p.interval_ms = 99;
    assert_int_equal(perf_proto_encode_params(buf, sizeof(buf), &p), -EINVAL);
    p.interval_ms = 100;
    len = perf_proto_encode_params(buf, sizeof(buf), &p);
    assert_true(len > 0);
    buf[PERF_PROTO_HDR_LEN + 5 * 8 + 3] = 1; /* interval_ms 1 */
    buf[PERF_PROTO_HDR_LEN + 5 * 8 + 2] = 0;
    assert_int_equal(perf_proto_decode_params_why(buf, (size_t)len, &out, &why),
                     -EBADMSG);
    assert_string_equal(why, "the report interval (-i) must be 0 (none) or at "
                             "least 100 ms");
    buf[PERF_PROTO_HDR_LEN + 5 * 8 + 3] = 0; /* 0: no reports, fine */
    assert_int_equal(perf_proto_decode_params_why(buf, (size_t)len, &out, &why),
                     0);
}

static void test_perf_proto_text_roundtrip(void **state)
{
    uint8_t *buf = *state;
    struct perf_text *out = malloc(sizeof(*out));
    char *big = malloc(PERF_TEXT_MAX + 100);
    int len;

    assert_non_null(out);
    assert_non_null(big);
    len = perf_proto_encode_text(buf, TEST_BUF_LEN, PERF_MSG_ERROR, "bad port");
    assert_int_equal(len, PERF_PROTO_HDR_LEN + 9);
    assert_int_equal(perf_proto_type(buf, len), PERF_MSG_ERROR);
    assert_int_equal(perf_proto_decode_text(buf, len, out), 0);
    assert_string_equal(out->text, "bad port");

    len = perf_proto_encode_text(buf, TEST_BUF_LEN, PERF_MSG_SERVER_OUTPUT, "");
    assert_int_equal(len, PERF_PROTO_HDR_LEN + 1);
    assert_int_equal(perf_proto_decode_text(buf, len, out), 0);
    assert_string_equal(out->text, "");

    /* Exactly the maximum, then longer: cut at PERF_TEXT_MAX - 1. */
    memset(big, 'a', PERF_TEXT_MAX + 99);
    big[PERF_TEXT_MAX - 1] = '\0';
    len =
        perf_proto_encode_text(buf, TEST_BUF_LEN, PERF_MSG_SERVER_OUTPUT, big);
    assert_int_equal(len, PERF_PROTO_HDR_LEN + PERF_TEXT_MAX);
    assert_int_equal(perf_proto_decode_text(buf, len, out), 0);
    assert_string_equal(out->text, big);
    memset(big, 'b', PERF_TEXT_MAX + 99);
    big[PERF_TEXT_MAX + 99] = '\0';
    len =
        perf_proto_encode_text(buf, TEST_BUF_LEN, PERF_MSG_SERVER_OUTPUT, big);
    assert_int_equal(len, PERF_PROTO_HDR_LEN + PERF_TEXT_MAX);
    assert_int_equal(perf_proto_decode_text(buf, len, out), 0);
    assert_int_equal(strlen(out->text), PERF_TEXT_MAX - 1);
    assert_memory_equal(out->text, big, PERF_TEXT_MAX - 1);
    free(big);
    free(out);
}

static void test_perf_proto_empty_roundtrip(void **state)
{
    uint8_t *buf = *state;
    static const enum perf_msg_type types[] = { PERF_MSG_START, PERF_MSG_END,
                                                PERF_MSG_DONE,
                                                PERF_MSG_WANT_EXTRAS };
    size_t i;

    for (i = 0; i < ARRAY_LEN(types); i++) {
        assert_int_equal(perf_proto_encode_empty(buf, TEST_BUF_LEN, types[i]),
                         PERF_PROTO_HDR_LEN);
        assert_int_equal(perf_proto_type(buf, PERF_PROTO_HDR_LEN), types[i]);
        /* No decoder takes it as its own type. */
        assert_all_decoders(buf, PERF_PROTO_HDR_LEN, -EBADMSG);
    }
}

/* ------------------------------------------------------------ headers */

static void test_perf_proto_type_short(void **state)
{
    uint8_t *buf = *state;
    size_t len;

    assert_int_equal(perf_proto_encode_empty(buf, TEST_BUF_LEN, PERF_MSG_START),
                     PERF_PROTO_HDR_LEN);
    for (len = 0; len < PERF_PROTO_HDR_LEN; len++) {
        assert_int_equal(perf_proto_type(buf, len), -EMSGSIZE);
        assert_all_decoders(buf, len, -EMSGSIZE);
    }
}

/* Every type, every truncation: the decoders never accept a prefix. */
static void test_perf_proto_truncated_every_length(void **state)
{
    uint8_t *buf = *state;
    uint8_t *copy = NULL;
    size_t k;
    int type;
    int full;
    size_t len;

    for (k = 0; k < ARRAY_LEN(all_types); k++) {
        type = all_types[k];
        full = encode_sample(buf, TEST_BUF_LEN, type);
        assert_true(full >= PERF_PROTO_HDR_LEN);
        assert_int_equal(decode_own(type, buf, full), 0);
        for (len = 0; len < (size_t)full; len++) {
            /* Exactly len bytes, so valgrind sees any read past them. */
            copy = malloc(len > 0 ? len : 1);
            assert_non_null(copy);
            memcpy(copy, buf, len);
            assert_int_equal(decode_own(type, copy, len),
                             len < PERF_PROTO_HDR_LEN ? -EMSGSIZE : -EBADMSG);
            free(copy);
        }
    }
}

static void test_perf_proto_wrong_magic(void **state)
{
    uint8_t *buf = *state;
    size_t k;
    int type;
    int len;
    int i;

    for (k = 0; k < ARRAY_LEN(all_types); k++) {
        type = all_types[k];
        for (i = 0; i < 2; i++) {
            len = encode_sample(buf, TEST_BUF_LEN, type);
            buf[i] ^= 0x01;
            assert_int_equal(perf_proto_type(buf, len), -EBADMSG);
            assert_int_equal(decode_own(type, buf, len), -EBADMSG);
        }
    }
}

static void test_perf_proto_other_version(void **state)
{
    uint8_t *buf = *state;
    static const uint8_t versions[] = { 0, 2, 255 };
    size_t v;
    size_t k;
    int type;
    int len;

    for (k = 0; k < ARRAY_LEN(all_types); k++) {
        type = all_types[k];
        for (v = 0; v < ARRAY_LEN(versions); v++) {
            len = encode_sample(buf, TEST_BUF_LEN, type);
            buf[2] = versions[v];
            assert_int_equal(perf_proto_type(buf, len), -EPROTO);
            assert_int_equal(decode_own(type, buf, len), -EPROTO);
            assert_all_decoders(buf, len, -EPROTO);
        }
    }
}

static void test_perf_proto_unknown_type(void **state)
{
    uint8_t *buf = *state;
    static const uint8_t types[] = {
        0, PERF_MSG_ERROR + 1, PERF_MSG_EXTRAS + 1, 19, 0x80, 255
    };
    size_t t;
    int len;

    for (t = 0; t < ARRAY_LEN(types); t++) {
        len = encode_sample(buf, TEST_BUF_LEN, PERF_MSG_HELLO);
        buf[3] = types[t];
        assert_int_equal(perf_proto_type(buf, len), -EBADMSG);
        assert_all_decoders(buf, len, -EBADMSG);
    }
}

/* A message with another type's header is refused by each other decoder. */
static void test_perf_proto_decoder_wrong_type(void **state)
{
    uint8_t *buf = *state;
    struct perf_hello h;
    struct perf_params p;
    int len;

    len = encode_sample(buf, TEST_BUF_LEN, PERF_MSG_PARAMS);
    assert_int_equal(perf_proto_decode_hello(buf, len, &h), -EBADMSG);
    len = encode_sample(buf, TEST_BUF_LEN, PERF_MSG_HELLO);
    assert_int_equal(perf_proto_decode_params(buf, len, &p), -EBADMSG);
    len = encode_sample(buf, TEST_BUF_LEN, PERF_MSG_ERROR);
    assert_int_equal(perf_proto_decode_hello(buf, len, &h), -EBADMSG);
    assert_int_equal(decode_own(PERF_MSG_ERROR, buf, len), 0);
}

/*
 * The length field disagrees with the buffer: one more, one less, far
 * off, and a buffer with trailing bytes after the message.
 */
static void test_perf_proto_length_field_disagrees(void **state)
{
    uint8_t *buf = *state;
    static const int64_t deltas[] = { -1, 1, 1000, 0x7FFFFFFF };
    size_t k;
    int type;
    int len;
    size_t d;
    uint32_t plen;

    for (k = 0; k < ARRAY_LEN(all_types); k++) {
        type = all_types[k];
        for (d = 0; d < ARRAY_LEN(deltas); d++) {
            len = encode_sample(buf, TEST_BUF_LEN, type);
            plen = (uint32_t)(len - PERF_PROTO_HDR_LEN + deltas[d]);
            buf[4] = (uint8_t)(plen >> 24);
            buf[5] = (uint8_t)(plen >> 16);
            buf[6] = (uint8_t)(plen >> 8);
            buf[7] = (uint8_t)plen;
            assert_int_equal(perf_proto_type(buf, len), -EBADMSG);
            assert_int_equal(decode_own(type, buf, len), -EBADMSG);
        }
        /* Correct field, but more bytes in the buffer than it says. */
        len = encode_sample(buf, TEST_BUF_LEN, type);
        assert_int_equal(perf_proto_type(buf, len + 1), -EBADMSG);
        assert_int_equal(decode_own(type, buf, len + 1), -EBADMSG);
    }
}

/* A header whose length matches the buffer, payload chosen by the test. */
static size_t put_message(uint8_t *buf, int type, const uint8_t *payload,
                          size_t plen)
{
    buf[0] = 'S';
    buf[1] = 'P';
    buf[2] = PERF_PROTO_VERSION;
    buf[3] = (uint8_t)type;
    buf[4] = (uint8_t)(plen >> 24);
    buf[5] = (uint8_t)(plen >> 16);
    buf[6] = (uint8_t)(plen >> 8);
    buf[7] = (uint8_t)plen;
    if (plen > 0)
        memmove(buf + PERF_PROTO_HDR_LEN, payload, plen);
    return PERF_PROTO_HDR_LEN + plen;
}

/* Consistent headers whose payloads are a byte too long or too short. */
static void test_perf_proto_payload_size_exact(void **state)
{
    uint8_t *buf = *state;
    uint8_t payload[1024];
    size_t k;
    int type;
    int len;
    size_t plen;

    for (k = 0; k < ARRAY_LEN(all_types); k++) {
        type = all_types[k];
        len = encode_sample(buf, TEST_BUF_LEN, type);
        plen = (size_t)len - PERF_PROTO_HDR_LEN;
        assert_true(plen + 1 <= sizeof(payload));
        memcpy(payload, buf + PERF_PROTO_HDR_LEN, plen);
        payload[plen] = 0;
        /* One extra byte: only text could take it, and not after a NUL. */
        len = (int)put_message(buf, type, payload, plen + 1);
        assert_int_equal(decode_own(type, buf, len), -EBADMSG);
        if (plen > 0) {
            len = (int)put_message(buf, type, payload, plen - 1);
            assert_int_equal(decode_own(type, buf, len), -EBADMSG);
        }
    }
}

static void test_perf_proto_hello_out_of_range(void **state)
{
    uint8_t *buf = *state;
    struct perf_hello h;
    struct perf_hello out;
    static const uint16_t bad[][2] = {
        { 0, 0 },
        { 1, 1 },
        { 5, 3 },
        { 0, PERF_PROTO_MAX_PARALLEL + 1 },
        { UINT16_MAX, UINT16_MAX },
    };
    size_t i;
    int len;

    make_hello(&h);
    for (i = 0; i < ARRAY_LEN(bad); i++) {
        h.index = bad[i][0];
        h.count = bad[i][1];
        assert_int_equal(perf_proto_encode_hello(buf, TEST_BUF_LEN, &h),
                         -EINVAL);
        /* Forge one on the wire. */
        h.index = 0;
        h.count = 1;
        len = perf_proto_encode_hello(buf, TEST_BUF_LEN, &h);
        buf[24] = (uint8_t)(bad[i][0] >> 8);
        buf[25] = (uint8_t)bad[i][0];
        buf[26] = (uint8_t)(bad[i][1] >> 8);
        buf[27] = (uint8_t)bad[i][1];
        memset(&out, 0x5A, sizeof(out));
        assert_int_equal(perf_proto_decode_hello(buf, len, &out), -EBADMSG);
        assert_int_equal(out.count, 0x5A5A); /* untouched */
    }
}

/* Offsets of PARAMS fields within the message (header included). */
#define PARAMS_OFF_LENGTH (8 + 40 + 8)
#define PARAMS_OFF_PARALLEL (8 + 40 + 28)
#define PARAMS_OFF_NSTREAMS (PARAMS_OFF_PARALLEL + 2)
#define PARAMS_OFF_FLAGS (PARAMS_OFF_NSTREAMS + 2)

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

static void test_perf_proto_params_out_of_range(void **state)
{
    uint8_t *buf = *state;
    struct perf_params p;
    struct perf_params out;
    int len;
    int i;

    make_params(&p);
    len = perf_proto_encode_params(buf, TEST_BUF_LEN, &p);
    assert_int_equal(perf_proto_decode_params(buf, len, &out), 0);
    /* Sanity: the offsets above point where the test thinks. */
    assert_int_equal(buf[PARAMS_OFF_LENGTH + 1], (PERF_MAX_LEN >> 16) & 255);
    assert_int_equal(buf[PARAMS_OFF_PARALLEL] << 8 |
                         buf[PARAMS_OFF_PARALLEL + 1],
                     PERF_PROTO_MAX_PARALLEL);

    put16(buf + PARAMS_OFF_PARALLEL, 0);
    assert_int_equal(perf_proto_decode_params(buf, len, &out), -EBADMSG);
    put16(buf + PARAMS_OFF_PARALLEL, PERF_PROTO_MAX_PARALLEL + 1);
    assert_int_equal(perf_proto_decode_params(buf, len, &out), -EBADMSG);
    put16(buf + PARAMS_OFF_PARALLEL, 1);
    assert_int_equal(perf_proto_decode_params(buf, len, &out), 0);

    put16(buf + PARAMS_OFF_NSTREAMS, 0);
    assert_int_equal(perf_proto_decode_params(buf, len, &out), -EBADMSG);
    put16(buf + PARAMS_OFF_NSTREAMS, PERF_MAX_STREAMS + 1);
    assert_int_equal(perf_proto_decode_params(buf, len, &out), -EBADMSG);
    put16(buf + PARAMS_OFF_NSTREAMS, PERF_MAX_STREAMS);

    put32(buf + PARAMS_OFF_LENGTH, 0);
    assert_int_equal(perf_proto_decode_params(buf, len, &out), -EBADMSG);
    put32(buf + PARAMS_OFF_LENGTH, PERF_MAX_LEN + 1);
    assert_int_equal(perf_proto_decode_params(buf, len, &out), -EBADMSG);
    put32(buf + PARAMS_OFF_LENGTH, PERF_MAX_LEN);
    assert_int_equal(perf_proto_decode_params(buf, len, &out), 0);

    /* Each of the seven one-byte fields: 2 is not a flag or a policy. */
    for (i = 0; i < 7; i++) {
        uint8_t keep = buf[PARAMS_OFF_FLAGS + i];

        buf[PARAMS_OFF_FLAGS + i] = i == 4 ? PERF_PR_BUF + 1 : 2;
        assert_int_equal(perf_proto_decode_params(buf, len, &out), -EBADMSG);
        buf[PARAMS_OFF_FLAGS + i] = keep;
    }
    assert_int_equal(perf_proto_decode_params(buf, len, &out), 0);

    /* The encoder refuses the same. */
    p.parallel = 0;
    assert_int_equal(perf_proto_encode_params(buf, TEST_BUF_LEN, &p), -EINVAL);
    make_params(&p);
    p.nstreams = PERF_MAX_STREAMS + 1;
    assert_int_equal(perf_proto_encode_params(buf, TEST_BUF_LEN, &p), -EINVAL);
    make_params(&p);
    p.length = 0;
    assert_int_equal(perf_proto_encode_params(buf, TEST_BUF_LEN, &p), -EINVAL);
    make_params(&p);
    p.bidir = 2;
    assert_int_equal(perf_proto_encode_params(buf, TEST_BUF_LEN, &p), -EINVAL);
    make_params(&p);
    p.pr_policy = 4;
    assert_int_equal(perf_proto_encode_params(buf, TEST_BUF_LEN, &p), -EINVAL);
}

/*
 * --verify stamps a PERF_VERIFY_HDR_LEN-byte header into every message:
 * a shorter length made the server write past its send buffer under -R
 * (issue 11). The decoder refuses it whatever the client's CLI checked;
 * without --verify such a length is fine.
 */
static void test_perf_proto_params_verify_short_length(void **state)
{
    uint8_t *buf = *state;
    struct perf_params p;
    struct perf_params out;
    const char *why = NULL;
    int len;

    make_params(&p);
    p.verify = 1;
    p.reverse = 1;
    p.length = PERF_VERIFY_HDR_LEN;
    len = perf_proto_encode_params(buf, TEST_BUF_LEN, &p);
    assert_true(len > 0);
    assert_int_equal(perf_proto_decode_params(buf, (size_t)len, &out), 0);
    assert_int_equal(out.length, PERF_VERIFY_HDR_LEN);

    memset(&out, 0xee, sizeof(out));
    put32(buf + PARAMS_OFF_LENGTH, PERF_VERIFY_HDR_LEN - 1);
    assert_int_equal(perf_proto_decode_params(buf, (size_t)len, &out),
                     -EBADMSG);
    assert_int_equal(out.length, 0xeeeeeeeeu); /* left untouched */
    put32(buf + PARAMS_OFF_LENGTH, 1);
    assert_int_equal(perf_proto_decode_params(buf, (size_t)len, &out),
                     -EBADMSG);

    /* ... and says why, for the server's ERROR. */
    assert_int_equal(perf_proto_decode_params_why(buf, (size_t)len, &out, &why),
                     -EBADMSG);
    assert_non_null(why);
    assert_non_null(
        strstr(why, "--verify needs messages of at least 20 bytes"));

    /* The encoder refuses the same. */
    p.length = PERF_VERIFY_HDR_LEN - 1;
    assert_int_equal(perf_proto_encode_params(buf, TEST_BUF_LEN, &p), -EINVAL);

    /* Without --verify a 1-byte message is a valid test. */
    p.verify = 0;
    p.length = 1;
    len = perf_proto_encode_params(buf, TEST_BUF_LEN, &p);
    assert_true(len > 0);
    assert_int_equal(perf_proto_decode_params(buf, (size_t)len, &out), 0);
    assert_int_equal(out.length, 1);
    assert_int_equal(perf_proto_decode_params_why(buf, (size_t)len, &out, &why),
                     0);
    assert_null(why);
}

/* rr_resp: the 4 bytes after the PPIDs, only when not 0 (no PPIDs here). */
#define PARAMS_OFF_RR_RESP (8 + 81)

/* --rr: the response size goes over, after the PPIDs, and comes back; a
 * one-way test's PARAMS has no such field (older peers read it); the
 * decoder refuses a size over PERF_MAX_LEN, an explicit 0 and the one-way
 * options, saying why. */
static void test_perf_proto_params_rr(void **state)
{
    uint8_t *buf = *state;
    struct perf_params p;
    struct perf_params out;
    const char *why = NULL;
    int len;

    memset(&p, 0, sizeof(p));
    p.parallel = 4;
    p.nstreams = 2;
    p.length = 100;
    p.messages = 2000;
    p.nodelay = 1;
    p.rr_resp = 20000;
    len = perf_proto_encode_params(buf, TEST_BUF_LEN, &p);
    assert_int_equal(len, PERF_PROTO_HDR_LEN + 81 + 4);
    assert_int_equal(buf[PARAMS_OFF_RR_RESP + 2], 20000 >> 8);
    assert_int_equal(buf[PARAMS_OFF_RR_RESP + 3], 20000 & 255);
    memset(&out, 0xee, sizeof(out));
    assert_int_equal(perf_proto_decode_params(buf, (size_t)len, &out), 0);
    assert_int_equal(out.rr_resp, 20000);
    assert_int_equal(out.length, 100);
    assert_true(out.messages == 2000);

    /* The largest response passes, one byte more does not. */
    put32(buf + PARAMS_OFF_RR_RESP, PERF_MAX_LEN);
    assert_int_equal(perf_proto_decode_params(buf, (size_t)len, &out), 0);
    assert_int_equal(out.rr_resp, PERF_MAX_LEN);
    put32(buf + PARAMS_OFF_RR_RESP, PERF_MAX_LEN + 1);
    assert_int_equal(perf_proto_decode_params_why(buf, (size_t)len, &out, &why),
                     -EBADMSG);
    assert_non_null(why);
    assert_non_null(strstr(why, "response size must be at most 16777216"));
    assert_int_equal(out.rr_resp, PERF_MAX_LEN); /* left untouched */
    put32(buf + PARAMS_OFF_RR_RESP, UINT32_MAX);
    assert_int_equal(perf_proto_decode_params(buf, (size_t)len, &out),
                     -EBADMSG);
    put32(buf + PARAMS_OFF_RR_RESP, 0);
    assert_int_equal(perf_proto_decode_params(buf, (size_t)len, &out),
                     -EBADMSG);
    /* 1, 2 or 3 bytes after the PPIDs are no field at all */
    put32(buf + PARAMS_OFF_RR_RESP, 64);
    put32(buf + 4, 81 + 2); /* the header's payload length */
    assert_int_equal(perf_proto_decode_params(buf, 8 + 81 + 2, &out), -EBADMSG);
    put32(buf + 4, 81 + 4);

    /* One-way options with it: refused, encoder and decoder alike. */
    put32(buf + PARAMS_OFF_RR_RESP, 64);
    buf[PARAMS_OFF_FLAGS] = 1; /* reverse */
    assert_int_equal(perf_proto_decode_params_why(buf, (size_t)len, &out, &why),
                     -EBADMSG);
    assert_non_null(strstr(why, "--rr cannot be combined with -R"));
    buf[PARAMS_OFF_FLAGS] = 0;
    buf[PARAMS_OFF_FLAGS + 1] = 1; /* bidir */
    assert_int_equal(perf_proto_decode_params(buf, (size_t)len, &out),
                     -EBADMSG);
    buf[PARAMS_OFF_FLAGS + 1] = 0;
    assert_int_equal(perf_proto_decode_params(buf, (size_t)len, &out), 0);
    assert_int_equal(out.rr_resp, 64);
    p.verify = 1;
    assert_int_equal(perf_proto_encode_params(buf, TEST_BUF_LEN, &p), -EINVAL);
    p.verify = 0;
    p.bytes = 1000;
    assert_int_equal(perf_proto_encode_params(buf, TEST_BUF_LEN, &p), -EINVAL);
    p.bytes = 0;
    p.rate_bps = 1000000;
    assert_int_equal(perf_proto_encode_params(buf, TEST_BUF_LEN, &p), -EINVAL);
    p.rate_bps = 0;
    p.pr_policy = PERF_PR_TTL;
    assert_int_equal(perf_proto_encode_params(buf, TEST_BUF_LEN, &p), -EINVAL);
    p.pr_policy = PERF_PR_NONE;
    p.rr_resp = PERF_MAX_LEN + 1;
    assert_int_equal(perf_proto_encode_params(buf, TEST_BUF_LEN, &p), -EINVAL);

    /* With PPIDs the field follows them; without --rr it is not there. */
    p.rr_resp = 7;
    p.nppids = 2;
    p.ppids[0] = 18;
    p.ppids[1] = 60;
    len = perf_proto_encode_params(buf, TEST_BUF_LEN, &p);
    assert_int_equal(len, PERF_PROTO_HDR_LEN + 81 + 2 * 4 + 4);
    assert_int_equal(buf[len - 1], 7);
    assert_int_equal(buf[len - 5], 60);
    assert_int_equal(perf_proto_decode_params(buf, (size_t)len, &out), 0);
    assert_int_equal(out.rr_resp, 7);
    assert_int_equal(out.ppids[1], 60);
    p.rr_resp = 0;
    len = perf_proto_encode_params(buf, TEST_BUF_LEN, &p);
    assert_int_equal(len, PERF_PROTO_HDR_LEN + 81 + 2 * 4);
    assert_int_equal(perf_proto_decode_params(buf, (size_t)len, &out), 0);
    assert_int_equal(out.rr_resp, 0);

    /* Every stream its own PPID and --rr: the largest PARAMS of all. */
    p.rr_resp = PERF_MAX_LEN;
    p.nstreams = PERF_MAX_STREAMS;
    p.nppids = PERF_MAX_PPIDS;
    len = perf_proto_encode_params(buf, TEST_BUF_LEN, &p);
    assert_int_equal(len, PERF_PROTO_PARAMS_MAX);
    assert_int_equal(
        perf_proto_encode_params(buf, PERF_PROTO_PARAMS_MAX - 1, &p),
        -EMSGSIZE);
    assert_int_equal(perf_proto_decode_params(buf, (size_t)len, &out), 0);
    assert_int_equal(out.rr_resp, PERF_MAX_LEN);
}

static void test_perf_proto_ready_oversize_count(void **state)
{
    uint8_t *buf = *state;
    struct perf_ready *r = malloc(sizeof(*r));
    uint8_t *payload = calloc(1, 2 + (PERF_READY_MAX_SEEN + 1) * PERF_SEEN_LEN);
    uint16_t count = PERF_READY_MAX_SEEN + 1;
    size_t len;

    assert_non_null(r);
    assert_non_null(payload);
    /* PERF_READY_MAX_SEEN + 1 entries, all well-formed, size consistent with the count. */
    put16(payload, count);
    len = put_message(buf, PERF_MSG_READY, payload,
                      2 + (size_t)count * PERF_SEEN_LEN);
    assert_int_equal(perf_proto_decode_ready(buf, len, r), -EBADMSG);
    /* A huge count in a short message. */
    put16(payload, UINT16_MAX);
    len = put_message(buf, PERF_MSG_READY, payload, 2 + PERF_SEEN_LEN);
    assert_int_equal(perf_proto_decode_ready(buf, len, r), -EBADMSG);
    /* Encoder side. */
    make_ready(r, 1);
    r->count = count;
    assert_int_equal(perf_proto_encode_ready(buf, TEST_BUF_LEN, r), -EINVAL);
    free(payload);
    free(r);
}

static void test_perf_proto_ready_unterminated(void **state)
{
    uint8_t *buf = *state;
    struct perf_ready *r = malloc(sizeof(*r));
    int len;
    int i;

    assert_non_null(r);
    for (i = 0; i < 3; i++) {
        make_ready(r, 3);
        len = perf_proto_encode_ready(buf, TEST_BUF_LEN, r);
        /* Entry i filled to its last byte: no NUL within 64. */
        memset(buf + PERF_PROTO_HDR_LEN + 2 + i * PERF_SEEN_LEN, 'z',
               PERF_SEEN_LEN);
        memset(r, 0x11, sizeof(*r));
        assert_int_equal(perf_proto_decode_ready(buf, len, r), -EBADMSG);
        assert_int_equal(r->count, 0x1111); /* untouched */
    }
    make_ready(r, 3);
    memset(r->seen[2], 'q', PERF_SEEN_LEN);
    assert_int_equal(perf_proto_encode_ready(buf, TEST_BUF_LEN, r), -EINVAL);
    free(r);
}

/* Offsets in RESULTS (header included). */
#define RESULTS_OFF_SENT (8 + 14)
#define RESULTS_OFF_SENT_N (RESULTS_OFF_SENT + 32)

static void test_perf_proto_results_oversize_counts(void **state)
{
    uint8_t *buf = *state;
    struct results_fixture *in = malloc(sizeof(*in));
    struct results_fixture *out = malloc(sizeof(*out));
    size_t rcvd_n;
    int len;

    assert_non_null(in);
    assert_non_null(out);
    make_results(in, 3, 5);
    len = perf_proto_encode_results(buf, TEST_BUF_LEN, &in->m);
    /* Fewer slots than streams on the wire, either direction. */
    assert_int_equal(decode_results_into(buf, len, out, 5), 0);
    assert_int_equal(decode_results_into(buf, len, out, 4), -EBADMSG);
    assert_int_equal(decode_results_into(buf, len, out, 2), -EBADMSG);
    assert_int_equal(decode_results_into(buf, len, out, 0), -EBADMSG);
    make_results(in, 5, 3);
    len = perf_proto_encode_results(buf, TEST_BUF_LEN, &in->m);
    assert_int_equal(decode_results_into(buf, len, out, 4), -EBADMSG);

    /* Counts that disagree with the payload size. */
    make_results(in, 3, 5);
    len = perf_proto_encode_results(buf, TEST_BUF_LEN, &in->m);
    put16(buf + RESULTS_OFF_SENT_N, 4);
    assert_int_equal(decode_results_into(buf, len, out, 7), -EBADMSG);
    put16(buf + RESULTS_OFF_SENT_N, 2);
    assert_int_equal(decode_results_into(buf, len, out, 7), -EBADMSG);
    put16(buf + RESULTS_OFF_SENT_N, UINT16_MAX);
    assert_int_equal(decode_results_into(buf, len, out, UINT16_MAX), -EBADMSG);
    put16(buf + RESULTS_OFF_SENT_N, 3);
    rcvd_n = RESULTS_OFF_SENT_N + 2 + 3 * 63 + 32;
    put16(buf + rcvd_n, 6);
    assert_int_equal(decode_results_into(buf, len, out, 7), -EBADMSG);
    put16(buf + rcvd_n, 5);
    assert_int_equal(decode_results_into(buf, len, out, 7), 0);

    /* Index out of range. */
    put16(buf + 8, PERF_PROTO_MAX_PARALLEL);
    memset(out, 0x3C, sizeof(*out));
    out->m.sent.streams = out->sent;
    out->m.received.streams = out->rcvd;
    assert_int_equal(perf_proto_decode_results(buf, len, &out->m, 7), -EBADMSG);
    assert_int_equal(out->m.index, 0x3C3C); /* untouched */
    in->m.index = PERF_PROTO_MAX_PARALLEL;
    assert_int_equal(perf_proto_encode_results(buf, TEST_BUF_LEN, &in->m),
                     -EINVAL);
    free(out);
    free(in);
}

/* Where PARAMS' PPID list starts (header included): its count. */
#define PARAMS_OFF_NPPIDS (8 + 79)

/*
 * --ppid: at most one PPID per data stream (up to PERF_MAX_PPIDS), never
 * the control PPID, and a count that matches the payload, both ways.
 */
static void test_perf_proto_params_ppids(void **state)
{
    uint8_t *buf = *state;
    struct perf_params *p = malloc(sizeof(*p));
    struct perf_params *out = malloc(sizeof(*out));
    uint16_t i;
    int len;

    assert_non_null(p);
    assert_non_null(out);
    /* Every stream its own PPID: the largest one-way PARAMS (--rr's 4
     * bytes make the largest of all). */
    make_params(p);
    p->nppids = PERF_MAX_PPIDS;
    for (i = 0; i < PERF_MAX_PPIDS; i++)
        p->ppids[i] = 1000u * i;
    len = perf_proto_encode_params(buf, TEST_BUF_LEN, p);
    assert_int_equal(len, PERF_PROTO_PARAMS_MAX - 4);
    assert_int_equal(
        perf_proto_encode_params(buf, PERF_PROTO_PARAMS_MAX - 5, p), -EMSGSIZE);
    assert_int_equal(perf_proto_decode_params(buf, len, out), 0);
    assert_int_equal(out->nppids, PERF_MAX_PPIDS);
    assert_memory_equal(out->ppids, p->ppids, sizeof(p->ppids));

    /* More PPIDs than streams. */
    put16(buf + PARAMS_OFF_NSTREAMS, PERF_MAX_STREAMS - 1);
    memset(out, 0x5A, sizeof(*out));
    assert_int_equal(perf_proto_decode_params(buf, len, out), -EBADMSG);
    assert_int_equal(out->nstreams, 0x5A5A); /* untouched */
    p->nstreams = PERF_MAX_STREAMS - 1;
    assert_int_equal(perf_proto_encode_params(buf, TEST_BUF_LEN, p), -EINVAL);
    p->nstreams = 2;
    p->nppids = 3;
    assert_int_equal(perf_proto_encode_params(buf, TEST_BUF_LEN, p), -EINVAL);
    p->nppids = 2;
    assert_true(perf_proto_encode_params(buf, TEST_BUF_LEN, p) > 0);

    /* The control PPID, in any place of the list. */
    make_params(p);
    len = perf_proto_encode_params(buf, TEST_BUF_LEN, p);
    for (i = 0; i < p->nppids; i++) {
        uint8_t keep[4];
        uint8_t *at = buf + PARAMS_OFF_NPPIDS + 2 + 4 * i;

        memcpy(keep, at, 4);
        put32(at, PERF_PPID_CONTROL);
        assert_int_equal(perf_proto_decode_params(buf, len, out), -EBADMSG);
        memcpy(at, keep, 4);
        p->ppids[i] = PERF_PPID_CONTROL;
        assert_int_equal(
            perf_proto_encode_params(buf + len, TEST_BUF_LEN / 2, p), -EINVAL);
        make_params(p);
    }
    assert_int_equal(perf_proto_decode_params(buf, len, out), 0);
    /* The data PPID is an ordinary value. */
    p->ppids[0] = PERF_PPID_DATA;
    assert_true(perf_proto_encode_params(buf, TEST_BUF_LEN, p) > 0);

    /* A count that disagrees with the payload, either way, or that is
     * over what any test can have. */
    make_params(p);
    len = perf_proto_encode_params(buf, TEST_BUF_LEN, p);
    put16(buf + PARAMS_OFF_NPPIDS, 3);
    assert_int_equal(perf_proto_decode_params(buf, len, out), -EBADMSG);
    put16(buf + PARAMS_OFF_NPPIDS, 5);
    assert_int_equal(perf_proto_decode_params(buf, len, out), -EBADMSG);
    put16(buf + PARAMS_OFF_NPPIDS, UINT16_MAX);
    assert_int_equal(perf_proto_decode_params(buf, len, out), -EBADMSG);
    put16(buf + PARAMS_OFF_NPPIDS, 4);
    assert_int_equal(perf_proto_decode_params(buf, len, out), 0);
    p->nppids = PERF_MAX_PPIDS + 1;
    p->nstreams = UINT16_MAX; /* nppids <= nstreams alone would pass */
    assert_int_equal(perf_proto_encode_params(buf, TEST_BUF_LEN, p), -EINVAL);
    free(out);
    free(p);
}

/* RESULTS: each stream's ppid_mixed is a flag, and ppid goes big-endian. */
static void test_perf_proto_results_ppid(void **state)
{
    uint8_t *buf = *state;
    struct results_fixture *in = malloc(sizeof(*in));
    struct results_fixture *out = malloc(sizeof(*out));
    size_t stream0 = RESULTS_OFF_SENT_N + 2;
    size_t mixed1 = stream0 + 2 * 63 - 1;
    int len;

    assert_non_null(in);
    assert_non_null(out);
    make_results(in, 3, 2);
    in->sent[0].ppid = 0x0102003Cu;
    in->sent[0].ppid_mixed = false;
    len = perf_proto_encode_results(buf, TEST_BUF_LEN, &in->m);
    assert_int_equal(buf[stream0 + 58], 0x01);
    assert_int_equal(buf[stream0 + 61], 0x3C);
    assert_int_equal(buf[stream0 + 62], 0);
    assert_int_equal(buf[mixed1], 1); /* make_streams: odd sids mixed */
    assert_int_equal(decode_results_into(buf, len, out, 7), 0);
    assert_int_equal(out->sent[0].ppid, 0x0102003Cu);
    assert_false(out->sent[0].ppid_mixed);
    assert_true(out->sent[1].ppid_mixed);

    buf[mixed1] = 2;
    assert_int_equal(decode_results_into(buf, len, out, 7), -EBADMSG);
    buf[mixed1] = 0xFF;
    assert_int_equal(decode_results_into(buf, len, out, 7), -EBADMSG);
    buf[mixed1] = 0;
    assert_int_equal(decode_results_into(buf, len, out, 7), 0);
    assert_false(out->sent[1].ppid_mixed);
    /* The received direction's last stream, the message's last byte. */
    buf[len - 1] = 2;
    assert_int_equal(decode_results_into(buf, len, out, 7), -EBADMSG);
    free(out);
    free(in);
}

static void test_perf_proto_text_bad(void **state)
{
    uint8_t *buf = *state;
    struct perf_text *t = malloc(sizeof(*t));
    uint8_t *payload = malloc(PERF_TEXT_MAX + 1);
    size_t len;

    assert_non_null(t);
    assert_non_null(payload);
    /* No NUL at all. */
    len = put_message(buf, PERF_MSG_ERROR, (const uint8_t *)"abc", 3);
    assert_int_equal(perf_proto_decode_text(buf, len, t), -EBADMSG);
    /* Empty payload. */
    len = put_message(buf, PERF_MSG_ERROR, NULL, 0);
    assert_int_equal(perf_proto_decode_text(buf, len, t), -EBADMSG);
    /* A NUL, then more bytes. */
    len = put_message(buf, PERF_MSG_ERROR, (const uint8_t *)"ab\0cd", 6);
    assert_int_equal(perf_proto_decode_text(buf, len, t), -EBADMSG);
    /* One byte over the maximum, NUL last. */
    memset(payload, 'x', PERF_TEXT_MAX);
    payload[PERF_TEXT_MAX] = '\0';
    len = put_message(buf, PERF_MSG_SERVER_OUTPUT, payload, PERF_TEXT_MAX + 1);
    assert_int_equal(perf_proto_decode_text(buf, len, t), -EBADMSG);
    /* Exactly the maximum is fine. */
    len = put_message(buf, PERF_MSG_SERVER_OUTPUT, payload + 1, PERF_TEXT_MAX);
    assert_int_equal(perf_proto_decode_text(buf, len, t), 0);
    /* Encoder: wrong type, no text. */
    assert_int_equal(
        perf_proto_encode_text(buf, TEST_BUF_LEN, PERF_MSG_DONE, "x"), -EINVAL);
    assert_int_equal(
        perf_proto_encode_text(buf, TEST_BUF_LEN, PERF_MSG_ERROR, NULL),
        -EINVAL);
    free(payload);
    free(t);
}

static void test_perf_proto_empty_with_payload(void **state)
{
    uint8_t *buf = *state;
    static const int types[] = { PERF_MSG_START, PERF_MSG_END, PERF_MSG_DONE,
                                 PERF_MSG_WANT_EXTRAS };
    size_t i;
    size_t len;

    for (i = 0; i < ARRAY_LEN(types); i++) {
        len = put_message(buf, types[i], (const uint8_t *)"x", 1);
        assert_int_equal(perf_proto_type(buf, len), -EBADMSG);
    }
    assert_int_equal(perf_proto_encode_empty(buf, TEST_BUF_LEN, PERF_MSG_HELLO),
                     -EINVAL);
    assert_int_equal(
        perf_proto_encode_empty(buf, TEST_BUF_LEN, (enum perf_msg_type)0),
        -EINVAL);
}

/* Every encoder, every cap below what it needs: -EMSGSIZE, no overrun. */
static void test_perf_proto_encode_small_cap(void **state)
{
    uint8_t *buf = *state;
    uint8_t *small = NULL;
    size_t k;
    int type;
    int full;
    size_t cap;

    for (k = 0; k < ARRAY_LEN(all_types); k++) {
        type = all_types[k];
        full = encode_sample(buf, TEST_BUF_LEN, type);
        assert_true(full > 0);
        for (cap = 0; cap < (size_t)full; cap++) {
            /* Exactly cap bytes, so valgrind sees any write past them. */
            small = malloc(cap > 0 ? cap : 1);
            assert_non_null(small);
            assert_int_equal(encode_sample(small, cap, type), -EMSGSIZE);
            free(small);
        }
        small = malloc(full);
        assert_non_null(small);
        assert_int_equal(encode_sample(small, full, type), full);
        assert_memory_equal(small, buf, full);
        free(small);
    }
}

/*
 * Every byte of every sample flipped three ways, in a buffer of exactly
 * the message's size: the decoders answer 0 or one of their errors and
 * read nothing outside (valgrind and ASan check that part).
 */
static void test_perf_proto_mutations(void **state)
{
    uint8_t *buf = *state;
    static const uint8_t flips[] = { 0x01, 0x80, 0xFF };
    uint8_t *copy = NULL;
    size_t k;
    int type;
    int full;
    size_t i;
    size_t f;
    int rc;

    for (k = 0; k < ARRAY_LEN(all_types); k++) {
        type = all_types[k];
        full = encode_sample(buf, TEST_BUF_LEN, type);
        copy = malloc(full);
        assert_non_null(copy);
        for (i = 0; i < (size_t)full; i++) {
            for (f = 0; f < ARRAY_LEN(flips); f++) {
                memcpy(copy, buf, full);
                copy[i] ^= flips[f];
                rc = decode_own(type, copy, full);
                assert_true(rc == 0 || rc == -EBADMSG || rc == -EPROTO);
                /* The header is never accepted damaged. */
                if (i < PERF_PROTO_HDR_LEN)
                    assert_int_not_equal(rc, 0);
            }
        }
        free(copy);
    }
}

/* ------------------------------------------------------------- EXTRAS */

static void test_perf_proto_extras_roundtrip(void **state)
{
    uint8_t *buf = *state;
    struct perf_extras in;
    struct perf_extras out;
    int sender;
    int len;

    for (sender = 0; sender <= 1; sender++) {
        make_extras(&in, sender);
        len = perf_proto_encode_extras(buf, TEST_BUF_LEN, &in);
        assert_int_equal(len, PERF_PROTO_HDR_LEN + 31);
        assert_int_equal(perf_proto_type(buf, len), PERF_MSG_EXTRAS);
        memset(&out, 0x77, sizeof(out));
        assert_int_equal(perf_proto_decode_extras(buf, len, &out), 0);
        assert_int_equal(out.index, in.index);
        assert_true(out.cpu_user_x100 == in.cpu_user_x100);
        assert_true(out.cpu_system_x100 == in.cpu_system_x100);
        assert_int_equal(out.have_sender, sender);
        assert_true(out.min_rtt_us == in.min_rtt_us);
        assert_true(out.mean_rtt_us == in.mean_rtt_us);
        assert_true(out.max_rtt_us == in.max_rtt_us);
        assert_true(out.max_snd_cwnd == in.max_snd_cwnd);
        assert_true(out.max_snd_wnd == in.max_snd_wnd);
    }
    /* the wire: big-endian, the index first, the flag at payload byte 10 */
    make_extras(&in, true);
    perf_proto_encode_extras(buf, TEST_BUF_LEN, &in);
    assert_int_equal(buf[3], PERF_MSG_EXTRAS);
    assert_int_equal(buf[7], 31);
    assert_int_equal(buf[8], (PERF_PROTO_MAX_PARALLEL - 1) >> 8);
    assert_int_equal(buf[9], (PERF_PROTO_MAX_PARALLEL - 1) & 0xff);
    assert_int_equal(buf[8 + 10], 1);
    assert_int_equal(buf[8 + 11 + 3], 17);
}

/* Out of range both ways: the encoder refuses to write it, the decoder to
 * take it (leaving *m alone); a payload one byte longer or shorter is
 * malformed. */
static void test_perf_proto_extras_bad(void **state)
{
    uint8_t *buf = *state;
    uint8_t payload[32];
    struct perf_extras e;
    struct perf_extras out;
    size_t len;
    int i;

    for (i = 0; i < 5; i++) {
        make_extras(&e, true);
        e.max_rtt_us = 200;
        e.mean_rtt_us = 100;
        e.min_rtt_us = 50;
        switch (i) {
        case 0:
            e.index = PERF_PROTO_MAX_PARALLEL;
            break;
        case 1:
            e.have_sender = 2;
            break;
        case 2:
            e.min_rtt_us = 101; /* min above mean */
            break;
        case 3:
            e.mean_rtt_us = 201; /* mean above max */
            break;
        default:
            make_extras(&e, false);
            e.max_snd_wnd = 1; /* samples without have_sender */
            break;
        }
        assert_int_equal(perf_proto_encode_extras(buf, TEST_BUF_LEN, &e),
                         -EINVAL);
        /* the same values on the wire, written by hand */
        memset(payload, 0, sizeof(payload));
        payload[0] = (uint8_t)(e.index >> 8);
        payload[1] = (uint8_t)e.index;
        payload[10] = e.have_sender;
        payload[11 + 3] = (uint8_t)e.min_rtt_us;
        payload[15 + 3] = (uint8_t)e.mean_rtt_us;
        payload[19 + 3] = (uint8_t)e.max_rtt_us;
        payload[27 + 3] = (uint8_t)e.max_snd_wnd;
        len = put_message(buf, PERF_MSG_EXTRAS, payload, 31);
        memset(&out, 0x77, sizeof(out));
        assert_int_equal(perf_proto_decode_extras(buf, len, &out), -EBADMSG);
        assert_int_equal(out.index, 0x7777); /* untouched */
    }
    /* a well-formed payload, then one byte more and one less */
    memset(payload, 0, sizeof(payload));
    len = put_message(buf, PERF_MSG_EXTRAS, payload, 31);
    assert_int_equal(perf_proto_decode_extras(buf, len, &out), 0);
    len = put_message(buf, PERF_MSG_EXTRAS, payload, 32);
    assert_int_equal(perf_proto_decode_extras(buf, len, &out), -EBADMSG);
    len = put_message(buf, PERF_MSG_EXTRAS, payload, 30);
    assert_int_equal(perf_proto_decode_extras(buf, len, &out), -EBADMSG);
    /* WANT_EXTRAS takes no payload */
    len = put_message(buf, PERF_MSG_WANT_EXTRAS, payload, 1);
    assert_int_equal(perf_proto_type(buf, len), -EBADMSG);
}

/*
 * READY's offer: after seen[0]'s NUL, where a server without it writes
 * zeros (and an older client does not look). Round trip; none without
 * it; nothing read from a name that runs into it or from other bytes.
 */
static void test_perf_proto_ready_caps(void **state)
{
    uint8_t *buf = *state;
    struct perf_ready *in = calloc(1, sizeof(*in));
    struct perf_ready *out = malloc(sizeof(*out));
    uint8_t *slot = buf + PERF_PROTO_HDR_LEN + 2;
    int len;

    assert_non_null(in);
    assert_non_null(out);
    in->count = 2;
    snprintf(in->seen[0], PERF_SEEN_LEN, "198.18.0.1:9899");
    snprintf(in->seen[1], PERF_SEEN_LEN, "198.18.0.2:9899");
    in->caps = PERF_CAP_EXTRAS;
    len = perf_proto_encode_ready(buf, TEST_BUF_LEN, in);
    assert_int_equal(len, PERF_PROTO_HDR_LEN + 2 + 2 * PERF_SEEN_LEN);
    assert_memory_equal(slot + PERF_READY_CAPS_OFF, "SPc1\0\0\0\1", 8);
    /* what an older client reads: a NUL-terminated name, as before */
    assert_int_equal(strlen((const char *)slot), strlen(in->seen[0]));
    memset(out, 0x77, sizeof(*out));
    assert_int_equal(perf_proto_decode_ready(buf, len, out), 0);
    assert_true(out->caps == PERF_CAP_EXTRAS);
    assert_string_equal(out->seen[0], in->seen[0]);
    assert_string_equal(out->seen[1], in->seen[1]);
    /* the caller's copy holds no marker bytes */
    assert_int_equal(out->seen[0][PERF_READY_CAPS_OFF], 0);

    /* no caps: zeros, as every older server pads */
    in->caps = 0;
    len = perf_proto_encode_ready(buf, TEST_BUF_LEN, in);
    assert_memory_equal(slot + PERF_READY_CAPS_OFF, "\0\0\0\0\0\0\0\0", 8);
    assert_int_equal(perf_proto_decode_ready(buf, len, out), 0);
    assert_true(out->caps == 0);

    /* another magic, or the marker in seen[1]: no caps */
    memcpy(slot + PERF_READY_CAPS_OFF, "SPc2\0\0\0\1", 8);
    assert_int_equal(perf_proto_decode_ready(buf, len, out), 0);
    assert_true(out->caps == 0);
    memset(slot + PERF_READY_CAPS_OFF, 0, 8);
    memcpy(slot + PERF_SEEN_LEN + PERF_READY_CAPS_OFF, "SPc1\0\0\0\1", 8);
    assert_int_equal(perf_proto_decode_ready(buf, len, out), 0);
    assert_true(out->caps == 0);

    /* a name running into the marker's place is a name, not an offer */
    memset(slot, 'n', PERF_READY_CAPS_OFF);
    memcpy(slot + PERF_READY_CAPS_OFF, "SPc1\0\0\0\1", 8);
    assert_int_equal(perf_proto_decode_ready(buf, len, out), 0);
    assert_true(out->caps == 0);
    assert_int_equal(strlen(out->seen[0]), PERF_READY_CAPS_OFF + 4);

    /* the encoder offers nothing it cannot place */
    in->caps = PERF_CAP_EXTRAS;
    memset(in->seen[0], 'n', PERF_READY_CAPS_OFF);
    in->seen[0][PERF_READY_CAPS_OFF] = '\0';
    assert_int_equal(perf_proto_encode_ready(buf, TEST_BUF_LEN, in), -EINVAL);
    in->seen[0][PERF_READY_CAPS_OFF - 1] = '\0';
    assert_true(perf_proto_encode_ready(buf, TEST_BUF_LEN, in) > 0);
    in->count = 0;
    assert_int_equal(perf_proto_encode_ready(buf, TEST_BUF_LEN, in), -EINVAL);
    free(out);
    free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup_buf, teardown_buf)
        T(test_perf_proto_hello_roundtrip),
        T(test_perf_proto_hello_wire_bytes),
        T(test_perf_proto_params_roundtrip),
        T(test_perf_proto_ready_roundtrip),
        T(test_perf_proto_results_roundtrip),
        T(test_perf_proto_results_max_streams),
        T(test_perf_proto_results_size),
        T(test_perf_proto_text_roundtrip),
        T(test_perf_proto_text_printable),
        T(test_perf_proto_params_min_interval),
        T(test_perf_proto_empty_roundtrip),
        T(test_perf_proto_type_short),
        T(test_perf_proto_truncated_every_length),
        T(test_perf_proto_wrong_magic),
        T(test_perf_proto_other_version),
        T(test_perf_proto_unknown_type),
        T(test_perf_proto_decoder_wrong_type),
        T(test_perf_proto_length_field_disagrees),
        T(test_perf_proto_payload_size_exact),
        T(test_perf_proto_hello_out_of_range),
        T(test_perf_proto_params_out_of_range),
        T(test_perf_proto_params_verify_short_length),
        T(test_perf_proto_params_rr),
        T(test_perf_proto_ready_oversize_count),
        T(test_perf_proto_ready_unterminated),
        T(test_perf_proto_results_oversize_counts),
        T(test_perf_proto_params_ppids),
        T(test_perf_proto_results_ppid),
        T(test_perf_proto_text_bad),
        T(test_perf_proto_empty_with_payload),
        T(test_perf_proto_encode_small_cap),
        T(test_perf_proto_mutations),
        T(test_perf_proto_extras_roundtrip),
        T(test_perf_proto_extras_bad),
        T(test_perf_proto_ready_caps),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
