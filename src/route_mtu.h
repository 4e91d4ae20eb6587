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

/* usrsctp's accepted range for spp_pathmtu. */
#define ROUTE_MTU_SCTP_MIN 512
#define ROUTE_MTU_SCTP_MAX 65536

/*
 * The IP MTU of the route toward dst (what the kernel would use for a UDP
 * socket connected there). Returns the MTU (> 0) or a negative errno.
 */
int route_mtu_probe(const struct sockaddr *dst, socklen_t len);

/*
 * spp_pathmtu for AF_CONN from an IP MTU: MTU minus the IP header (20 for
 * IPv4, 40 for IPv6), the UDP header (8) and the SCTP common header (12),
 * which usrsctp's AF_CONN path MTU excludes. Also keeps the datagram within
 * the largest UDP payload and usrsctp's limits. 0 when ip_mtu is too small
 * to carry SCTP at all.
 */
uint32_t route_mtu_sctp_pathmtu(int family, uint32_t ip_mtu);

#endif /* SCTPU_ROUTE_MTU_H */
