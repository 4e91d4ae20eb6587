/*
 * route_mtu.c - derive the SCTP path MTU from the route's interface MTU.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "route_mtu.h"

#define IPV4_HDR 20
#define IPV6_HDR 40
#define UDP_HDR 8
#define SCTP_COMMON_HDR 12
#define IP_PACKET_MAX 65535

int route_mtu_probe(const struct sockaddr *dst, socklen_t len)
{
    int level = dst->sa_family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
    int opt = dst->sa_family == AF_INET6 ? IPV6_MTU : IP_MTU;
    int mtu = 0;
    socklen_t optlen = sizeof(mtu);
    int fd;
    int rc = 0;

    /* A connected UDP socket sends nothing, but the kernel resolves the
     * route and reports its MTU. */
    fd = socket(dst->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
    if (fd < 0)
        return -errno;
    if (connect(fd, dst, len) < 0 ||
        getsockopt(fd, level, opt, &mtu, &optlen) < 0)
        rc = -errno;
    close(fd);
    if (rc == 0 && mtu <= 0)
        rc = -EINVAL;
    return rc < 0 ? rc : mtu;
}

void route_mtu_cache_init(struct route_mtu_cache *c)
{
    memset(c, 0, sizeof(*c));
    peer_keyhash_key_init(&c->key);
    c->probe = route_mtu_probe;
}

int route_mtu_cached(struct route_mtu_cache *c, const struct sockaddr *dst,
                     socklen_t len, uint64_t now_ms)
{
    uint8_t addr[16];
    size_t alen;
    size_t i;

    memset(addr, 0, sizeof(addr));
    if (dst->sa_family == AF_INET6) {
        memcpy(addr, &((const struct sockaddr_in6 *)dst)->sin6_addr, 16);
        alen = 16;
    } else if (dst->sa_family == AF_INET) {
        memcpy(addr, &((const struct sockaddr_in *)dst)->sin_addr, 4);
        alen = 4;
    } else {
        c->probes++;
        return c->probe(dst, len);
    }
    i = peer_keyhash(&c->key, addr, alen) % ROUTE_MTU_CACHE_SLOTS;
    if (c->slot[i].family == dst->sa_family && now_ms < c->slot[i].expires_ms &&
        memcmp(c->slot[i].addr, addr, sizeof(addr)) == 0)
        return c->slot[i].mtu;
    c->probes++;
    c->slot[i].mtu = c->probe(dst, len);
    c->slot[i].family = dst->sa_family;
    memcpy(c->slot[i].addr, addr, sizeof(addr));
    c->slot[i].expires_ms = now_ms + ROUTE_MTU_CACHE_MS;
    return c->slot[i].mtu;
}

uint32_t route_mtu_sctp_pathmtu(int family, uint32_t ip_mtu)
{
    uint32_t ip_hdr = family == AF_INET6 ? IPV6_HDR : IPV4_HDR;
    uint32_t max_udp_payload;
    uint32_t mtu;

    if (ip_mtu <= ip_hdr + UDP_HDR + SCTP_COMMON_HDR)
        return 0;
    /* IPv6's 16-bit payload length excludes its header; IPv4's total
     * length includes it. */
    if (family == AF_INET6)
        max_udp_payload = IP_PACKET_MAX - UDP_HDR;
    else
        max_udp_payload = IP_PACKET_MAX - IPV4_HDR - UDP_HDR;
    mtu = ip_mtu - ip_hdr - UDP_HDR;
    if (mtu > max_udp_payload)
        mtu = max_udp_payload;
    /* Chunks are padded to 4 bytes: a multiple of 4 wastes nothing. */
    mtu = (mtu - SCTP_COMMON_HDR) & ~3u;
    if (mtu < ROUTE_MTU_SCTP_MIN)
        return 0;
    if (mtu > ROUTE_MTU_SCTP_MAX)
        mtu = ROUTE_MTU_SCTP_MAX;
    return mtu;
}
