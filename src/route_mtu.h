/*
 * route_mtu.h - the SCTP path MTU to use toward a UDP peer.
 *
 * usrsctp has no path MTU discovery over AF_CONN, and a wrong MTU
 * blackholes silently, so we take the MTU of the route's interface (or the
 * user's --mtu) and subtract the encapsulation headers.
 */
#ifndef SCTPU_ROUTE_MTU_H
#define SCTPU_ROUTE_MTU_H

#include <stdint.h>
#include <sys/socket.h>

#include "peer_keyhash.h"

/* usrsctp's accepted range for spp_pathmtu. */
#define ROUTE_MTU_SCTP_MIN 512
#define ROUTE_MTU_SCTP_MAX 65536

/*
 * The IP MTU of the route toward dst (what the kernel would use for a UDP
 * socket connected there). Returns the MTU (> 0) or a negative errno.
 */
int route_mtu_probe(const struct sockaddr *dst, socklen_t len);

/*
 * The probe's answers by destination IP address (a route does not depend
 * on the port), so that many endpoints of one host, or a flood of them,
 * cost one socket/connect/close rather than one each. Direct-mapped under
 * a keyed hash: a new address replaces whatever shared its slot. Entries
 * expire, since routes change.
 */
#define ROUTE_MTU_CACHE_SLOTS 256
#define ROUTE_MTU_CACHE_MS (10 * 60 * 1000)

struct route_mtu_cache {
    struct peer_keyhash_key key;
    /* the probe (route_mtu_probe unless a test gives its own) */
    int (*probe)(const struct sockaddr *dst, socklen_t len);
    uint64_t probes; /* how many times it ran */
    struct {
        uint8_t addr[16]; /* IPv4 in the first 4 */
        int family;       /* 0: empty */
        int mtu;          /* the probe's result, an error included */
        uint64_t expires_ms;
    } slot[ROUTE_MTU_CACHE_SLOTS];
};

void route_mtu_cache_init(struct route_mtu_cache *c);

/* route_mtu_probe(dst), from the cache when it has dst's address. */
int route_mtu_cached(struct route_mtu_cache *c, const struct sockaddr *dst,
                     socklen_t len, uint64_t now_ms);

/*
 * spp_pathmtu for AF_CONN from an IP MTU: MTU minus the IP header (20 for
 * IPv4, 40 for IPv6), the UDP header (8) and the SCTP common header (12),
 * which usrsctp's AF_CONN path MTU excludes. Also keeps the datagram within
 * the largest UDP payload and usrsctp's limits. 0 when ip_mtu is too small
 * to carry SCTP at all.
 */
uint32_t route_mtu_sctp_pathmtu(int family, uint32_t ip_mtu);

#endif /* SCTPU_ROUTE_MTU_H */
