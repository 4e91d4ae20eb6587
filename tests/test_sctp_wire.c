/* tests/test_sctp_wire.c - SCTP packets as bytes, malformed ones too. */
#include <string.h>

#include "support.h"

#include "be_bytes.h"
#include "sctp_wire.h"

/* A packet: common header (5000 -> 9, tag) then raw chunk bytes. */
static size_t packet(uint8_t *buf, uint32_t vtag, const uint8_t *chunks,
                     size_t n)
{
    be16_put(buf, 5000);
    be16_put(buf + 2, 9);
    be32_put(buf + 4, vtag);
    be32_put(buf + 8, 0);
    if (n > 0)
        memcpy(buf + SCTP_WIRE_COMMON_LEN, chunks, n);
    return SCTP_WIRE_COMMON_LEN + n;
}

static void test_sctp_wire_header(void **state)
{
    uint8_t buf[64];
    struct sctp_wire_header h;
    size_t n = packet(buf, 0xdeadbeef, NULL, 0);

    (void)state;
    assert_true(sctp_wire_header(buf, n, &h));
    assert_int_equal(h.src_port, 5000);
    assert_int_equal(h.dst_port, 9);
    assert_int_equal(h.vtag, 0xdeadbeef);
    assert_false(sctp_wire_header(buf, 11, &h));
    assert_int_equal(sctp_wire_first_chunk_type(buf, n), -1);
    assert_false(sctp_wire_tag_is_receivers(buf, n));
}

static void test_sctp_wire_walks_chunks(void **state)
{
    /* SACK (16 bytes), DATA of 5 payload bytes (21, padded to 24),
     * COOKIE-ACK (4) */
    static const uint8_t chunks[] = {
        3,   0,   0,   16,  0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0,      /* SACK */
        0,   3,   0,   21,  0, 0, 0, 7, 0, 1, 0, 2, 0, 0, 0, 0, 'h', /* DATA */
        'e', 'l', 'l', 'o', 0, 0, 0,                                 /* pad */
        11,  0,   0,   4,                                            /* C-ACK */
    };
    uint8_t buf[128];
    size_t n = packet(buf, 1, chunks, sizeof(chunks));
    struct sctp_wire_iter it;
    struct sctp_wire_chunk c;
    uint32_t tsn = 0;

    (void)state;
    sctp_wire_iter_init(&it, buf, n);
    assert_true(sctp_wire_next_chunk(&it, &c));
    assert_int_equal(c.type, SCTP_WIRE_SACK);
    assert_int_equal(c.value_len, 12);
    assert_false(sctp_wire_data_tsn(&c, &tsn));
    assert_true(sctp_wire_next_chunk(&it, &c));
    assert_int_equal(c.type, SCTP_WIRE_DATA);
    assert_int_equal(c.length, 21);
    assert_int_equal(c.value_len, 17);
    assert_int_equal(c.value[16], 'o');
    assert_true(sctp_wire_data_tsn(&c, &tsn));
    assert_int_equal(tsn, 7);
    assert_true(sctp_wire_next_chunk(&it, &c));
    assert_int_equal(c.type, SCTP_WIRE_COOKIE_ACK);
    assert_int_equal(c.value_len, 0);
    assert_false(sctp_wire_next_chunk(&it, &c));
    assert_false(it.malformed);
    assert_int_equal(sctp_wire_first_chunk_type(buf, n), SCTP_WIRE_SACK);
    assert_true(sctp_wire_tag_is_receivers(buf, n));
}

static void test_sctp_wire_malformed_lengths(void **state)
{
    static const uint8_t zero_len[] = { 0, 0, 0, 0, 1, 2, 3, 4 };
    static const uint8_t three[] = { 0, 0, 0, 3 };
    static const uint8_t past_end[] = { 0, 0, 0, 40, 1, 2, 3, 4 };
    static const uint8_t short_hdr[] = { 3, 0 };
    /* a good chunk, then one whose length runs past the end */
    static const uint8_t good_then_bad[] = { 11, 0, 0, 4, 4, 0, 1, 0 };
    uint8_t buf[64];
    struct sctp_wire_iter it;
    struct sctp_wire_chunk c;
    size_t n;

    (void)state;
    n = packet(buf, 1, zero_len, sizeof(zero_len));
    sctp_wire_iter_init(&it, buf, n);
    assert_false(sctp_wire_next_chunk(&it, &c));
    assert_true(it.malformed);
    assert_false(sctp_wire_next_chunk(&it, &c)); /* stays at the end */
    assert_int_equal(sctp_wire_first_chunk_type(buf, n), -1);

    n = packet(buf, 1, three, sizeof(three));
    sctp_wire_iter_init(&it, buf, n);
    assert_false(sctp_wire_next_chunk(&it, &c));
    assert_true(it.malformed);

    n = packet(buf, 1, past_end, sizeof(past_end));
    sctp_wire_iter_init(&it, buf, n);
    assert_false(sctp_wire_next_chunk(&it, &c));
    assert_true(it.malformed);

    n = packet(buf, 1, short_hdr, sizeof(short_hdr));
    sctp_wire_iter_init(&it, buf, n);
    assert_false(sctp_wire_next_chunk(&it, &c));
    assert_true(it.malformed);

    n = packet(buf, 1, good_then_bad, sizeof(good_then_bad));
    sctp_wire_iter_init(&it, buf, n);
    assert_true(sctp_wire_next_chunk(&it, &c));
    assert_int_equal(c.type, SCTP_WIRE_COOKIE_ACK);
    assert_false(sctp_wire_next_chunk(&it, &c));
    assert_true(it.malformed);

    /* shorter than a common header: nothing, and not a crash */
    sctp_wire_iter_init(&it, buf, 5);
    assert_false(sctp_wire_next_chunk(&it, &c));
}

static void test_sctp_wire_padding_past_end(void **state)
{
    /* ERROR chunk of length 5 with no padding: the packet ends there */
    static const uint8_t chunk[] = { 9, 0, 0, 5, 'x' };
    uint8_t buf[64];
    struct sctp_wire_iter it;
    struct sctp_wire_chunk c;
    size_t n = packet(buf, 1, chunk, sizeof(chunk));

    (void)state;
    sctp_wire_iter_init(&it, buf, n);
    assert_true(sctp_wire_next_chunk(&it, &c));
    assert_int_equal(c.value_len, 1);
    assert_int_equal(c.value[0], 'x');
    assert_false(sctp_wire_next_chunk(&it, &c));
    assert_false(it.malformed);
    assert_int_equal(it.off, n);
}

static void test_sctp_wire_init_tag(void **state)
{
    uint8_t init[20] = { 1, 0, 0, 20 };
    uint8_t buf[64];
    uint8_t type = 0;
    uint32_t tag = 0;
    size_t n;

    (void)state;
    be32_put(init + 4, 0x01020304);
    n = packet(buf, 0, init, sizeof(init));
    assert_true(sctp_wire_init_tag(buf, n, &type, &tag));
    assert_int_equal(type, SCTP_WIRE_INIT);
    assert_int_equal(tag, 0x01020304);
    assert_false(sctp_wire_tag_is_receivers(buf, n));

    init[0] = SCTP_WIRE_INIT_ACK;
    n = packet(buf, 7, init, sizeof(init));
    assert_true(sctp_wire_init_tag(buf, n, &type, &tag));
    assert_int_equal(type, SCTP_WIRE_INIT_ACK);
    assert_true(sctp_wire_tag_is_receivers(buf, n));

    /* truncated fixed part: length says 16, packet says 16 */
    init[3] = 16;
    n = packet(buf, 0, init, 16);
    assert_false(sctp_wire_init_tag(buf, n, &type, &tag));
    /* the chunk says 20 but the packet ends after 19 */
    init[3] = 20;
    n = packet(buf, 0, init, 19);
    assert_false(sctp_wire_init_tag(buf, n, &type, &tag));
    /* not an INIT */
    init[0] = SCTP_WIRE_COOKIE_ECHO;
    n = packet(buf, 0, init, sizeof(init));
    assert_false(sctp_wire_init_tag(buf, n, &type, &tag));
}

/*
 * INIT parameters: every one at least a header long and inside its chunk
 * (a zero-length one spins usrsctp 0.9.5.0 forever; found by the
 * usrsctp_ingress fuzzer).
 */
static void test_sctp_wire_init_params(void **state)
{
    /* INIT: fixed part, then Supported Address Types (6 bytes, padded to
     * 8) and Forward-TSN-Supported (4) */
    /* room past the 32 bytes for the longer variants below */
    uint8_t init[40] = {
        1, 0, 0, 32, 0x11, 0x22, 0x33, 0x44, 0, 1, 0, 0, 0,    10, 0, 10,
        0, 0, 0, 1,  0,    12,   0,    6,    0, 5, 0, 0, 0xc0, 0,  0, 4,
    };
    uint8_t buf[128];
    size_t n = packet(buf, 0, init, 32);

    (void)state;
    assert_true(sctp_wire_init_params_ok(buf, n));
    /* the last parameter's padding cut off at the end of the chunk (and
     * of the packet): Supported Address Types alone, 26 bytes in all */
    init[3] = 26;
    n = packet(buf, 0, init, 26);
    assert_true(sctp_wire_init_params_ok(buf, n));
    init[3] = 32;
    /* a parameter of length 0 (the fuzzer's finding), 2 and 3 */
    be16_put(init + 22, 0);
    n = packet(buf, 0, init, 32);
    assert_false(sctp_wire_init_params_ok(buf, n));
    be16_put(init + 22, 3);
    n = packet(buf, 0, init, 32);
    assert_false(sctp_wire_init_params_ok(buf, n));
    /* one that runs past its chunk */
    be16_put(init + 22, 13);
    n = packet(buf, 0, init, 32);
    assert_false(sctp_wire_init_params_ok(buf, n));
    /* a stray header fragment after the last parameter */
    be16_put(init + 22, 6);
    init[3] = 34;
    n = packet(buf, 0, init, 34);
    buf[n - 2] = 0;
    buf[n - 1] = 0;
    assert_false(sctp_wire_init_params_ok(buf, n));
    /* the same check for INIT-ACK; other chunks are not looked into */
    init[3] = 32;
    init[0] = 2;
    be16_put(init + 22, 0);
    n = packet(buf, 0, init, 32);
    assert_false(sctp_wire_init_params_ok(buf, n));
    init[0] = 0; /* a DATA chunk with the same bytes */
    n = packet(buf, 0, init, 32);
    assert_true(sctp_wire_init_params_ok(buf, n));
    /* an INIT too short for its fixed part */
    init[0] = 1;
    init[3] = 12;
    n = packet(buf, 0, init, 12);
    assert_false(sctp_wire_init_params_ok(buf, n));
}

static void test_sctp_wire_t_bit(void **state)
{
    uint8_t abort_t[] = { SCTP_WIRE_ABORT, SCTP_WIRE_FLAG_T, 0, 4 };
    uint8_t buf[32];
    size_t n = packet(buf, 5, abort_t, sizeof(abort_t));

    (void)state;
    assert_false(sctp_wire_tag_is_receivers(buf, n));
    abort_t[1] = 0;
    n = packet(buf, 5, abort_t, sizeof(abort_t));
    assert_true(sctp_wire_tag_is_receivers(buf, n));
    abort_t[0] = SCTP_WIRE_SHUTDOWN_COMPLETE;
    abort_t[1] = SCTP_WIRE_FLAG_T;
    n = packet(buf, 5, abort_t, sizeof(abort_t));
    assert_false(sctp_wire_tag_is_receivers(buf, n));
}

static void test_sctp_wire_idata_tsn(void **state)
{
    uint8_t idata[24] = { SCTP_WIRE_IDATA, 3, 0, 20 };
    struct sctp_wire_chunk c = { 0 };
    uint32_t tsn = 0;

    (void)state;
    be32_put(idata + 4, 99);
    c.type = SCTP_WIRE_IDATA;
    c.value = idata + 4;
    c.value_len = 16;
    assert_true(sctp_wire_data_tsn(&c, &tsn));
    assert_int_equal(tsn, 99);
    c.value_len = 15;
    assert_false(sctp_wire_data_tsn(&c, &tsn));
    c.type = SCTP_WIRE_DATA;
    c.value_len = 11;
    assert_false(sctp_wire_data_tsn(&c, &tsn));
}

static void test_sctp_wire_probe_round_trip(void **state)
{
    uint8_t buf[SCTP_WIRE_PROBE_LEN + 8];
    struct sctp_wire_header h;
    uint64_t nonce = 0;
    size_t n;

    (void)state;
    assert_int_equal(
        sctp_wire_build_probe(buf, SCTP_WIRE_PROBE_LEN - 1, 9, 5000, 42, 1), 0);
    n = sctp_wire_build_probe(buf, sizeof(buf), 9, 5000, 42,
                              0x0123456789abcdefULL);
    assert_int_equal(n, SCTP_WIRE_PROBE_LEN);
    assert_true(sctp_wire_header(buf, n, &h));
    assert_int_equal(h.vtag, 42);
    assert_int_equal(h.src_port, 9);
    assert_int_equal(sctp_wire_first_chunk_type(buf, n), SCTP_WIRE_HEARTBEAT);
    /* the HEARTBEAT itself is not an ACK */
    assert_false(sctp_wire_probe_ack(buf, n, &nonce));
    /* the peer's answer: the same chunk, type HEARTBEAT-ACK */
    buf[SCTP_WIRE_COMMON_LEN] = SCTP_WIRE_HEARTBEAT_ACK;
    assert_true(sctp_wire_probe_ack(buf, n, &nonce));
    assert_true(nonce == 0x0123456789abcdefULL);
    /* cut short: no nonce */
    assert_false(sctp_wire_probe_ack(buf, n - 1, &nonce));
    /* someone else's heartbeat info (no marker) */
    buf[SCTP_WIRE_COMMON_LEN + 8] ^= 0xff;
    assert_false(sctp_wire_probe_ack(buf, n, &nonce));
}

/* A SACK's cum ack and gap blocks, with a wrapped TSN space, a block
 * count larger than the chunk holds, and a chunk that is not a SACK. */
static void test_sctp_wire_sack_acks(void **state)
{
    /* cum 0xfffffffe; blocks [+2, +3] and [+10, +10]; then a third the
     * count claims but the chunk does not hold */
    static const uint8_t sack[] = {
        3, 0, 0, 24, 0xff, 0xff, 0xff, 0xfe, 0, 1, 0, 0, /* cum, a_rwnd */
        0, 3, 0, 0,                                      /* 3 gaps, 0 dup */
        0, 2, 0, 3,  0,    10,   0,    10,               /* the two */
    };
    static const uint8_t short_sack[] = { 3, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0 };
    uint8_t buf[64];
    size_t n = packet(buf, 1, sack, sizeof(sack));
    struct sctp_wire_iter it;
    struct sctp_wire_chunk c;
    uint32_t cum = 0;
    bool acked = false;

    (void)state;
    sctp_wire_iter_init(&it, buf, n);
    assert_true(sctp_wire_next_chunk(&it, &c));
    assert_true(sctp_wire_sack_acks(&c, 0xfffffff0, &cum, &acked));
    assert_int_equal(cum, 0xfffffffe);
    assert_true(acked); /* before cum */
    assert_true(sctp_wire_sack_acks(&c, 0xfffffffe, &cum, &acked));
    assert_true(acked); /* cum itself */
    assert_true(sctp_wire_sack_acks(&c, 0xffffffff, &cum, &acked));
    assert_false(acked); /* the hole at +1 */
    assert_true(sctp_wire_sack_acks(&c, 0, &cum, &acked));
    assert_true(acked); /* +2, past the wrap */
    assert_true(sctp_wire_sack_acks(&c, 1, &cum, &acked));
    assert_true(acked);
    assert_true(sctp_wire_sack_acks(&c, 2, &cum, &acked));
    assert_false(acked);
    assert_true(sctp_wire_sack_acks(&c, 8, &cum, &acked));
    assert_true(acked); /* +10 */
    assert_true(sctp_wire_sack_acks(&c, 0x7fff0000, &cum, &acked));
    assert_false(acked); /* far past cum: no block reaches */

    n = packet(buf, 1, short_sack, sizeof(short_sack));
    sctp_wire_iter_init(&it, buf, n);
    assert_true(sctp_wire_next_chunk(&it, &c)); /* length 12: 8 of value */
    assert_false(sctp_wire_sack_acks(&c, 1, &cum, &acked));
    c.type = SCTP_WIRE_DATA;
    c.value_len = 12;
    assert_false(sctp_wire_sack_acks(&c, 1, &cum, &acked));
}

/* Gap and duplicate reports: counted as the chunk holds them, claims
 * beyond its length cut, gaps before duplicates (RFC 9260 3.3.4). */
static void test_sctp_wire_sack_reports(void **state)
{
    /* 2 gaps and 1 duplicate TSN, all held */
    static const uint8_t full[] = {
        3, 0, 0, 28, 0, 0, 0, 9, 0, 1, 0, 0, /* cum, a_rwnd */
        0, 2, 0, 1,                          /* 2 gaps, 1 dup */
        0, 2, 0, 3,  0, 5, 0, 5,             /* the blocks */
        0, 0, 0, 7,                          /* the duplicate */
    };
    /* claims 1 gap and 5 duplicates but holds one more word */
    static const uint8_t cut[] = {
        3, 0, 0, 24, 0, 0, 0, 9, 0, 1, 0, 0, 0, 1, 0, 5, 0, 2, 0, 2, 0, 0, 0, 7,
    };
    /* claims 9 gaps and holds none */
    static const uint8_t none[] = {
        3, 0, 0, 16, 0, 0, 0, 9, 0, 1, 0, 0, 0, 9, 0, 0,
    };
    uint8_t buf[64];
    struct sctp_wire_iter it;
    struct sctp_wire_chunk c;
    size_t gaps = 99, dups = 99;
    size_t n;

    (void)state;
    n = packet(buf, 1, full, sizeof(full));
    sctp_wire_iter_init(&it, buf, n);
    assert_true(sctp_wire_next_chunk(&it, &c));
    assert_true(sctp_wire_sack_reports(&c, &gaps, &dups));
    assert_int_equal(gaps, 2);
    assert_int_equal(dups, 1);

    n = packet(buf, 1, cut, sizeof(cut));
    sctp_wire_iter_init(&it, buf, n);
    assert_true(sctp_wire_next_chunk(&it, &c));
    assert_true(sctp_wire_sack_reports(&c, &gaps, &dups));
    assert_int_equal(gaps, 1);
    assert_int_equal(dups, 1);

    n = packet(buf, 1, none, sizeof(none));
    sctp_wire_iter_init(&it, buf, n);
    assert_true(sctp_wire_next_chunk(&it, &c));
    assert_true(sctp_wire_sack_reports(&c, &gaps, &dups));
    assert_int_equal(gaps, 0);
    assert_int_equal(dups, 0);

    c.type = SCTP_WIRE_DATA;
    assert_false(sctp_wire_sack_reports(&c, &gaps, &dups));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sctp_wire_header),
        cmocka_unit_test(test_sctp_wire_walks_chunks),
        cmocka_unit_test(test_sctp_wire_malformed_lengths),
        cmocka_unit_test(test_sctp_wire_padding_past_end),
        cmocka_unit_test(test_sctp_wire_init_tag),
        cmocka_unit_test(test_sctp_wire_init_params),
        cmocka_unit_test(test_sctp_wire_t_bit),
        cmocka_unit_test(test_sctp_wire_idata_tsn),
        cmocka_unit_test(test_sctp_wire_probe_round_trip),
        cmocka_unit_test(test_sctp_wire_sack_acks),
        cmocka_unit_test(test_sctp_wire_sack_reports),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
