/*
 * fuzz_udp_icmp.c - the quote of our own datagram that an ICMP error
 * carries (src/udp_icmp.c), as a forger can write it.
 *
 * Input: the quoted bytes (the kernel hands over at most
 * UDP_ICMP_QUOTE_MAX of them, so longer inputs are cut there).
 * Checked: udp_icmp_quoted_init_tag depends only on the quote_len bytes
 * it was given (the rest of the array, filled two ways, changes nothing);
 * a tag it finds is non-zero, and it finds one only in an SCTP packet
 * with verification tag 0 that starts with an INIT chunk.
 */
#include <string.h>

#include "be_bytes.h"
#include "fuzz_check.h"
#include "udp_icmp.h"

static bool quoted_tag(const uint8_t *data, size_t n, uint8_t filler,
                       uint32_t *tag)
{
    struct udp_icmp_error e;

    memset(&e, filler, sizeof(e));
    memcpy(e.quote, data, n);
    e.quote_len = n;
    *tag = 0x5A5A5A5Au;
    return udp_icmp_quoted_init_tag(&e, tag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = size < UDP_ICMP_QUOTE_MAX ? size : UDP_ICMP_QUOTE_MAX;
    uint32_t tag0;
    uint32_t tag1;
    bool found = quoted_tag(data, n, 0x00, &tag0);

    FUZZ_CHECK(quoted_tag(data, n, 0xFF, &tag1) == found);
    if (!found)
        return 0;
    FUZZ_CHECK(tag0 == tag1 && tag0 != 0);
    FUZZ_CHECK(n >= 20);
    FUZZ_CHECK(be32_get(data + 4) == 0 && data[12] == 1);
    FUZZ_CHECK(tag0 == be32_get(data + 16));
    return 0;
}
