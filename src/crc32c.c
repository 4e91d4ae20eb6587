/*
 * crc32c.c - CRC32c (Castagnoli) for SCTP packets.
 *
 * Three implementations, all computing the reflected CRC with polynomial
 * 0x82F63B78:
 *   - the SSE4.2 crc32 instruction (x86-64 only, chosen at run time),
 *     three streams at once over long buffers;
 *   - usrsctp_crc32c(), for whole buffers when there is no SSE4.2;
 *   - a byte-wise table, for the chained update that checking a packet
 *     needs (usrsctp only exports a one-shot function).
 * crc32c_self_test() compares all three against each other.
 *
 * Internally the CRC "register" is chained: start from CRC32C_INIT, feed
 * any number of pieces through an update function, then complement it.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <usrsctp.h>

#include "crc32c.h"

#define CRC32C_INIT 0xffffffffu
#define CRC32C_SCTP_CSUM_OFF 8 /* checksum field in the common header */
#define CRC32C_SCTP_CSUM_LEN 4
#define CRC32C_TEST_MAX_LEN 300
#define CRC32C_TEST_ALIGNS 8

enum crc32c_impl {
    CRC32C_IMPL_UNKNOWN = 0,
    CRC32C_IMPL_SW,
    CRC32C_IMPL_HW,
};

/*
 * The implementation in use: detected on first use, and set to software
 * for good by a failed self-test. Atomic because any thread may call in.
 */
static _Atomic int crc32c_selected = CRC32C_IMPL_UNKNOWN;

/* crc32c_sw_table[i]: i fed through eight reflected shift-and-xor steps. */
static const uint32_t crc32c_sw_table[256] = {
    0x00000000, 0xf26b8303, 0xe13b70f7, 0x1350f3f4, 0xc79a971f, 0x35f1141c,
    0x26a1e7e8, 0xd4ca64eb, 0x8ad958cf, 0x78b2dbcc, 0x6be22838, 0x9989ab3b,
    0x4d43cfd0, 0xbf284cd3, 0xac78bf27, 0x5e133c24, 0x105ec76f, 0xe235446c,
    0xf165b798, 0x030e349b, 0xd7c45070, 0x25afd373, 0x36ff2087, 0xc494a384,
    0x9a879fa0, 0x68ec1ca3, 0x7bbcef57, 0x89d76c54, 0x5d1d08bf, 0xaf768bbc,
    0xbc267848, 0x4e4dfb4b, 0x20bd8ede, 0xd2d60ddd, 0xc186fe29, 0x33ed7d2a,
    0xe72719c1, 0x154c9ac2, 0x061c6936, 0xf477ea35, 0xaa64d611, 0x580f5512,
    0x4b5fa6e6, 0xb93425e5, 0x6dfe410e, 0x9f95c20d, 0x8cc531f9, 0x7eaeb2fa,
    0x30e349b1, 0xc288cab2, 0xd1d83946, 0x23b3ba45, 0xf779deae, 0x05125dad,
    0x1642ae59, 0xe4292d5a, 0xba3a117e, 0x4851927d, 0x5b016189, 0xa96ae28a,
    0x7da08661, 0x8fcb0562, 0x9c9bf696, 0x6ef07595, 0x417b1dbc, 0xb3109ebf,
    0xa0406d4b, 0x522bee48, 0x86e18aa3, 0x748a09a0, 0x67dafa54, 0x95b17957,
    0xcba24573, 0x39c9c670, 0x2a993584, 0xd8f2b687, 0x0c38d26c, 0xfe53516f,
    0xed03a29b, 0x1f682198, 0x5125dad3, 0xa34e59d0, 0xb01eaa24, 0x42752927,
    0x96bf4dcc, 0x64d4cecf, 0x77843d3b, 0x85efbe38, 0xdbfc821c, 0x2997011f,
    0x3ac7f2eb, 0xc8ac71e8, 0x1c661503, 0xee0d9600, 0xfd5d65f4, 0x0f36e6f7,
    0x61c69362, 0x93ad1061, 0x80fde395, 0x72966096, 0xa65c047d, 0x5437877e,
    0x4767748a, 0xb50cf789, 0xeb1fcbad, 0x197448ae, 0x0a24bb5a, 0xf84f3859,
    0x2c855cb2, 0xdeeedfb1, 0xcdbe2c45, 0x3fd5af46, 0x7198540d, 0x83f3d70e,
    0x90a324fa, 0x62c8a7f9, 0xb602c312, 0x44694011, 0x5739b3e5, 0xa55230e6,
    0xfb410cc2, 0x092a8fc1, 0x1a7a7c35, 0xe811ff36, 0x3cdb9bdd, 0xceb018de,
    0xdde0eb2a, 0x2f8b6829, 0x82f63b78, 0x709db87b, 0x63cd4b8f, 0x91a6c88c,
    0x456cac67, 0xb7072f64, 0xa457dc90, 0x563c5f93, 0x082f63b7, 0xfa44e0b4,
    0xe9141340, 0x1b7f9043, 0xcfb5f4a8, 0x3dde77ab, 0x2e8e845f, 0xdce5075c,
    0x92a8fc17, 0x60c37f14, 0x73938ce0, 0x81f80fe3, 0x55326b08, 0xa759e80b,
    0xb4091bff, 0x466298fc, 0x1871a4d8, 0xea1a27db, 0xf94ad42f, 0x0b21572c,
    0xdfeb33c7, 0x2d80b0c4, 0x3ed04330, 0xccbbc033, 0xa24bb5a6, 0x502036a5,
    0x4370c551, 0xb11b4652, 0x65d122b9, 0x97baa1ba, 0x84ea524e, 0x7681d14d,
    0x2892ed69, 0xdaf96e6a, 0xc9a99d9e, 0x3bc21e9d, 0xef087a76, 0x1d63f975,
    0x0e330a81, 0xfc588982, 0xb21572c9, 0x407ef1ca, 0x532e023e, 0xa145813d,
    0x758fe5d6, 0x87e466d5, 0x94b49521, 0x66df1622, 0x38cc2a06, 0xcaa7a905,
    0xd9f75af1, 0x2b9cd9f2, 0xff56bd19, 0x0d3d3e1a, 0x1e6dcdee, 0xec064eed,
    0xc38d26c4, 0x31e6a5c7, 0x22b65633, 0xd0ddd530, 0x0417b1db, 0xf67c32d8,
    0xe52cc12c, 0x1747422f, 0x49547e0b, 0xbb3ffd08, 0xa86f0efc, 0x5a048dff,
    0x8ecee914, 0x7ca56a17, 0x6ff599e3, 0x9d9e1ae0, 0xd3d3e1ab, 0x21b862a8,
    0x32e8915c, 0xc083125f, 0x144976b4, 0xe622f5b7, 0xf5720643, 0x07198540,
    0x590ab964, 0xab613a67, 0xb831c993, 0x4a5a4a90, 0x9e902e7b, 0x6cfbad78,
    0x7fab5e8c, 0x8dc0dd8f, 0xe330a81a, 0x115b2b19, 0x020bd8ed, 0xf0605bee,
    0x24aa3f05, 0xd6c1bc06, 0xc5914ff2, 0x37faccf1, 0x69e9f0d5, 0x9b8273d6,
    0x88d28022, 0x7ab90321, 0xae7367ca, 0x5c18e4c9, 0x4f48173d, 0xbd23943e,
    0xf36e6f75, 0x0105ec76, 0x12551f82, 0xe03e9c81, 0x34f4f86a, 0xc69f7b69,
    0xd5cf889d, 0x27a40b9e, 0x79b737ba, 0x8bdcb4b9, 0x988c474d, 0x6ae7c44e,
    0xbe2da0a5, 0x4c4623a6, 0x5f16d052, 0xad7d5351,
};

/* Feed p[0..len) into the CRC register crc using the table. */
static uint32_t crc32c_sw_update(uint32_t crc, const uint8_t *p, size_t len)
{
    while (len > 0) {
        crc = crc32c_sw_table[(crc ^ *p) & 0xff] ^ (crc >> 8);
        p++;
        len--;
    }
    return crc;
}

#if defined(__x86_64__)
#include <nmmintrin.h>

static bool crc32c_hw_available(void)
{
    return __builtin_cpu_supports("sse4.2");
}

/* Feed p[0..len) into crc with the crc32 instruction, 8 bytes at a time. */
/*
 * Three lanes. The crc32 instruction takes 3 cycles but a new one can
 * start every cycle, so one chained stream runs at a third of the
 * instruction's speed (it was a quarter of the sender's CPU at 64 KiB
 * packets). Three streams over three consecutive blocks of `lane` bytes
 * run side by side, and their CRCs are joined after: the register after
 * block B, started from register r, is zeros(r, lane) ^ crc(B from 0),
 * where zeros(r, n), feeding n zero bytes, is linear in r. So it is the
 * XOR of four lookups, one per byte of r, in a table made once per lane
 * size from zeros() of each byte value in each position.
 */
#define CRC32C_LANE_LONG 4096 /* stripes of 12 KiB: big packets */
#define CRC32C_LANE_SHORT 160 /* stripes of 480 bytes: 1460-byte packets */

typedef uint32_t crc32c_shift_table[4][256];

static crc32c_shift_table crc32c_shift_long;
static crc32c_shift_table crc32c_shift_short;
static pthread_once_t crc32c_tables_once = PTHREAD_ONCE_INIT;

__attribute__((target("sse4.2"))) static uint32_t crc32c_hw_zeros(uint32_t crc,
                                                                  size_t n)
{
    uint64_t crc64 = crc;
    size_t i;

    for (i = 0; i < n; i += sizeof(uint64_t))
        crc64 = _mm_crc32_u64(crc64, 0);
    return (uint32_t)crc64;
}

static void crc32c_shift_fill(crc32c_shift_table t, size_t lane)
{
    unsigned int k;
    unsigned int v;

    for (k = 0; k < 4; k++)
        for (v = 0; v < 256; v++)
            t[k][v] = crc32c_hw_zeros((uint32_t)v << (8 * k), lane);
}

static void crc32c_tables_make(void)
{
    crc32c_shift_fill(crc32c_shift_long, CRC32C_LANE_LONG);
    crc32c_shift_fill(crc32c_shift_short, CRC32C_LANE_SHORT);
}

/* zeros(crc, lane) through the lane's table */
static uint32_t crc32c_shift(const crc32c_shift_table t, uint32_t crc)
{
    return t[0][crc & 0xff] ^ t[1][(crc >> 8) & 0xff] ^
           t[2][(crc >> 16) & 0xff] ^ t[3][crc >> 24];
}

/* Feed as many whole stripes of 3 x lane bytes as *len holds. */
__attribute__((target("sse4.2"))) static uint32_t
crc32c_hw_stripes(uint32_t crc, const uint8_t **p, size_t *len, size_t lane,
                  const crc32c_shift_table t)
{
    while (*len >= 3 * lane) {
        const uint8_t *a = *p;
        const uint8_t *b = a + lane;
        const uint8_t *c = b + lane;
        uint64_t ca = crc;
        uint64_t cb = 0;
        uint64_t cc = 0;
        size_t i;

        for (i = 0; i < lane; i += sizeof(uint64_t)) {
            uint64_t wa;
            uint64_t wb;
            uint64_t wc;

            memcpy(&wa, a + i, sizeof(wa));
            memcpy(&wb, b + i, sizeof(wb));
            memcpy(&wc, c + i, sizeof(wc));
            ca = _mm_crc32_u64(ca, wa);
            cb = _mm_crc32_u64(cb, wb);
            cc = _mm_crc32_u64(cc, wc);
        }
        crc = crc32c_shift(t, crc32c_shift(t, (uint32_t)ca) ^ (uint32_t)cb) ^
              (uint32_t)cc;
        *p += 3 * lane;
        *len -= 3 * lane;
    }
    return crc;
}

__attribute__((target("sse4.2"))) static uint32_t
crc32c_hw_update(uint32_t crc, const uint8_t *p, size_t len)
{
    uint64_t crc64;
    uint64_t word;

    if (len >= 3 * CRC32C_LANE_SHORT) {
        pthread_once(&crc32c_tables_once, crc32c_tables_make);
        crc = crc32c_hw_stripes(crc, &p, &len, CRC32C_LANE_LONG,
                                crc32c_shift_long);
        crc = crc32c_hw_stripes(crc, &p, &len, CRC32C_LANE_SHORT,
                                crc32c_shift_short);
    }
    crc64 = crc;
    while (len >= sizeof(word)) {
        /* memcpy: p may be unaligned; x86 is little-endian like the CRC. */
        memcpy(&word, p, sizeof(word));
        crc64 = _mm_crc32_u64(crc64, word);
        p += sizeof(word);
        len -= sizeof(word);
    }
    crc = (uint32_t)crc64;
    while (len > 0) {
        crc = _mm_crc32_u8(crc, *p);
        p++;
        len--;
    }
    return crc;
}
#else
static bool crc32c_hw_available(void)
{
    return false;
}

/* Never called: crc32c_hw_available() is false. */
static uint32_t crc32c_hw_update(uint32_t crc, const uint8_t *p, size_t len)
{
    return crc32c_sw_update(crc, p, len);
}
#endif /* __x86_64__ */

/* The implementation to use, detecting it on the first call. */
static int crc32c_current(void)
{
    int impl = atomic_load_explicit(&crc32c_selected, memory_order_relaxed);
    int expected = CRC32C_IMPL_UNKNOWN;

    if (impl != CRC32C_IMPL_UNKNOWN)
        return impl;
    impl = crc32c_hw_available() ? CRC32C_IMPL_HW : CRC32C_IMPL_SW;
    /* Only replace "unknown", so that a concurrent disable is kept. */
    if (!atomic_compare_exchange_strong(&crc32c_selected, &expected, impl))
        impl = expected;
    return impl;
}

/* Feed p[0..len) into crc with the implementation in use. */
static uint32_t crc32c_update(uint32_t crc, const uint8_t *p, size_t len)
{
    if (crc32c_current() == CRC32C_IMPL_HW)
        return crc32c_hw_update(crc, p, len);
    return crc32c_sw_update(crc, p, len);
}

static uint32_t crc32c_load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void crc32c_store_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/*
 * usrsctp_crc32c() returns the value as SCTP stores it in memory: the
 * standard CRC on a little-endian host, byte-swapped on a big-endian one.
 * Reading its bytes back as little-endian gives the standard value on both.
 */
static uint32_t crc32c_usrsctp(const void *buf, size_t len)
{
    uint8_t bytes[4];
    uint32_t raw;

    /* usrsctp only reads the buffer, but its prototype is not const. */
    raw = usrsctp_crc32c((void *)buf, len);
    memcpy(bytes, &raw, sizeof(bytes));
    return crc32c_load_le32(bytes);
}

uint32_t crc32c(const void *buf, size_t len)
{
    if (crc32c_current() == CRC32C_IMPL_HW)
        return ~crc32c_hw_update(CRC32C_INIT, buf, len);
    return crc32c_usrsctp(buf, len);
}

const char *crc32c_impl_name(void)
{
    return crc32c_current() == CRC32C_IMPL_HW ? "sse4.2" : "software";
}

void crc32c_sctp_fill(uint8_t *pkt, size_t len)
{
    uint8_t *csum = NULL;

    if (pkt == NULL || len < CRC32C_SCTP_HDR_LEN)
        return;
    csum = pkt + CRC32C_SCTP_CSUM_OFF;
    memset(csum, 0, CRC32C_SCTP_CSUM_LEN);
    crc32c_store_le32(csum, crc32c(pkt, len));
}

/*
 * The packet is const, so instead of zeroing the checksum field the CRC
 * runs over the bytes before it, four zero bytes, and the bytes after it.
 */
bool crc32c_sctp_check(const uint8_t *pkt, size_t len)
{
    static const uint8_t zero[CRC32C_SCTP_CSUM_LEN];
    const size_t rest = CRC32C_SCTP_CSUM_OFF + CRC32C_SCTP_CSUM_LEN;
    uint32_t crc;

    if (pkt == NULL || len < CRC32C_SCTP_HDR_LEN)
        return false;
    crc = crc32c_update(CRC32C_INIT, pkt, CRC32C_SCTP_CSUM_OFF);
    crc = crc32c_update(crc, zero, sizeof(zero));
    crc = crc32c_update(crc, pkt + rest, len - rest);
    return ~crc == crc32c_load_le32(pkt + CRC32C_SCTP_CSUM_OFF);
}

/* The finished CRC of buf when fed to update in two pieces cut at cut. */
static uint32_t crc32c_split(uint32_t (*update)(uint32_t, const uint8_t *,
                                                size_t),
                             const uint8_t *buf, size_t len, size_t cut)
{
    uint32_t crc;

    crc = update(CRC32C_INIT, buf, cut);
    crc = update(crc, buf + cut, len - cut);
    return ~crc;
}

/*
 * true when every implementation gives usrsctp's value for buf, both in
 * one piece and chained in two.
 */
static bool crc32c_agree(const uint8_t *buf, size_t len)
{
    uint32_t ref = crc32c_usrsctp(buf, len);

    if (crc32c_split(crc32c_sw_update, buf, len, 0) != ref ||
        crc32c_split(crc32c_sw_update, buf, len, len / 3) != ref)
        return false;
    if (!crc32c_hw_available())
        return true;
    return crc32c_split(crc32c_hw_update, buf, len, 0) == ref &&
           crc32c_split(crc32c_hw_update, buf, len, len / 3) == ref;
}

/* Published check values (RFC 3720 B.4 and the usual "123456789"). */
static bool crc32c_test_known(void)
{
    uint8_t buf[32];
    size_t i;

    memcpy(buf, "123456789", 9);
    if (crc32c_usrsctp(buf, 9) != 0xE3069283u || !crc32c_agree(buf, 9))
        return false;
    memset(buf, 0x00, sizeof(buf));
    if (crc32c_usrsctp(buf, 32) != 0x8A9136AAu || !crc32c_agree(buf, 32))
        return false;
    memset(buf, 0xff, sizeof(buf));
    if (crc32c_usrsctp(buf, 32) != 0x62A8AB43u || !crc32c_agree(buf, 32))
        return false;
    for (i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)i;
    return crc32c_usrsctp(buf, 32) == 0x46DD794Eu && crc32c_agree(buf, 32);
}

/* Every length 0..300 at every alignment 0..7 of pseudo-random bytes. */
static bool crc32c_test_lengths(void)
{
    uint8_t buf[CRC32C_TEST_MAX_LEN + CRC32C_TEST_ALIGNS];
    uint32_t x = 0x12345678u;
    size_t align;
    size_t len;
    size_t i;

    for (i = 0; i < sizeof(buf); i++) {
        x = x * 1103515245u + 12345u; /* any fixed LCG will do */
        buf[i] = (uint8_t)(x >> 24);
    }
    for (align = 0; align < CRC32C_TEST_ALIGNS; align++) {
        for (len = 0; len <= CRC32C_TEST_MAX_LEN; len++) {
            if (!crc32c_agree(buf + align, len))
                return false;
        }
    }
    return true;
}

/*
 * Lengths around the three-lane stripes (480 bytes and 12 KiB) up to a
 * 64 KiB packet, cut at several points, against usrsctp's one-shot value.
 */
static bool crc32c_test_stripes(void)
{
    static const size_t lens[] = { 479,   480,   481,   959,   961,
                                   1460,  12287, 12288, 12289, 12768,
                                   24576, 65000, 65536 };
    static uint8_t buf[65536 + CRC32C_TEST_ALIGNS];
    uint32_t x = 0x9e3779b9u;
    size_t i;

    for (i = 0; i < sizeof(buf); i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 24);
    }
    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        const uint8_t *b = buf + i % CRC32C_TEST_ALIGNS;

        if (!crc32c_agree(b, lens[i]) ||
            (crc32c_hw_available() &&
             (crc32c_split(crc32c_hw_update, b, lens[i], 13) !=
                  crc32c_usrsctp(b, lens[i]) ||
              crc32c_split(crc32c_hw_update, b, lens[i], lens[i] - 5) !=
                  crc32c_usrsctp(b, lens[i]))))
            return false;
    }
    return true;
}

int crc32c_self_test(void)
{
    if (crc32c_test_known() && crc32c_test_lengths() && crc32c_test_stripes())
        return 0;
    atomic_store(&crc32c_selected, CRC32C_IMPL_SW);
    return -1;
}
