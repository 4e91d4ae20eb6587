/*
 * pcap_frame.c - see pcap_frame.h.
 */
#include <netinet/in.h>
#include <string.h>

#include "be_bytes.h"
#include "pcap_frame.h"

/* An address as IPv4 (4 bytes) or IPv6 (16); mapped IPv6 becomes IPv4. */
struct frame_addr {
    int family;
    uint8_t a[16];
    uint16_t port;
};

static bool frame_addr_of(const struct sockaddr *sa, struct frame_addr *out)
{
    static const uint8_t mapped[12] = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
    };

    memset(out, 0, sizeof(*out));
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

        out->family = AF_INET;
        memcpy(out->a, &in->sin_addr, 4);
        out->port = ntohs(in->sin_port);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        const uint8_t *b = in6->sin6_addr.s6_addr;

        out->port = ntohs(in6->sin6_port);
        if (memcmp(b, mapped, sizeof(mapped)) == 0) {
            out->family = AF_INET;
            memcpy(out->a, b + 12, 4);
        } else {
            out->family = AF_INET6;
            memcpy(out->a, b, 16);
        }
        return true;
    }
    return false;
}

/* An IPv4 address as IPv4-mapped IPv6, for a pair of mixed families. */
static void frame_addr_to6(struct frame_addr *x)
{
    if (x->family == AF_INET6)
        return;
    memmove(x->a + 12, x->a, 4);
    memset(x->a, 0, 10);
    x->a[10] = 0xff;
    x->a[11] = 0xff;
    x->family = AF_INET6;
}

/* The one's complement sum of len bytes (RFC 1071), folded later. */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
    while (len > 1) {
        sum += be16_get(p);
        p += 2;
        len -= 2;
    }
    if (len == 1)
        sum += (uint32_t)p[0] << 8;
    /* fold now and then so that long payloads cannot overflow */
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* The UDP header at p, with its checksum over the pseudo-header. */
static void udp_header(uint8_t *p, const struct frame_addr *s,
                       const struct frame_addr *d, const uint8_t *payload,
                       size_t payload_len, uint16_t udp_len)
{
    size_t alen = s->family == AF_INET ? 4 : 16;
    uint32_t sum = 0;
    uint16_t ck;

    be16_put(p, s->port);
    be16_put(p + 2, d->port);
    be16_put(p + 4, udp_len);
    be16_put(p + 6, 0);
    sum = sum16(sum, s->a, alen);
    sum = sum16(sum, d->a, alen);
    sum += PCAP_FRAME_PROTO_UDP;
    sum += udp_len;
    sum = sum16(sum, p, 8);
    sum = sum16(sum, payload, payload_len);
    ck = fold(sum);
    be16_put(p + 6, ck == 0 ? 0xffff : ck); /* 0 would mean "none" */
}

size_t pcap_frame_header(uint8_t out[PCAP_FRAME_HDR_MAX],
                         const struct sockaddr *src, const struct sockaddr *dst,
                         bool udp, const uint8_t *payload, size_t payload_len)
{
    struct frame_addr s;
    struct frame_addr d;
    size_t ip_len = udp ? 8 + payload_len : payload_len;
    uint16_t udp_len =
        (uint16_t)(8 + payload_len > 0xffff ? 0xffff : 8 + payload_len);
    size_t hl;

    if (!frame_addr_of(src, &s) || !frame_addr_of(dst, &d))
        return 0;
    if (s.family != d.family) {
        frame_addr_to6(&s);
        frame_addr_to6(&d);
    }
    if (s.family == AF_INET) {
        hl = 20;
        memset(out, 0, hl);
        out[0] = 0x45; /* version 4, 5 words */
        be16_put(out + 2,
                 (uint16_t)(hl + ip_len > 0xffff ? 0xffff : hl + ip_len));
        out[6] = 0x40; /* don't fragment */
        out[8] = 64;   /* TTL */
        out[9] = udp ? PCAP_FRAME_PROTO_UDP : PCAP_FRAME_PROTO_SCTP;
        memcpy(out + 12, s.a, 4);
        memcpy(out + 16, d.a, 4);
        be16_put(out + 10, fold(sum16(0, out, hl)));
    } else {
        hl = 40;
        memset(out, 0, hl);
        out[0] = 0x60; /* version 6 */
        be16_put(out + 4, (uint16_t)(ip_len > 0xffff ? 0xffff : ip_len));
        out[6] = udp ? PCAP_FRAME_PROTO_UDP : PCAP_FRAME_PROTO_SCTP;
        out[7] = 64; /* hop limit */
        memcpy(out + 8, s.a, 16);
        memcpy(out + 24, d.a, 16);
    }
    if (!udp)
        return hl;
    udp_header(out + hl, &s, &d, payload, payload_len, udp_len);
    return hl + 8;
}
