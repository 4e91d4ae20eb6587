/*
 * netaddr.h - resolve, format and compare socket addresses.
 *
 * IPv4-mapped IPv6 addresses (a dual-stack server's view of IPv4 peers) are
 * printed and compared as the IPv4 addresses they are.
 */
#ifndef SCTPU_NETADDR_H
#define SCTPU_NETADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* "[2001:db8::1]:65535" plus NUL fits. */
#define NETADDR_STRLEN 64

/*
 * Resolve host (a name or a literal; NULL means the wildcard address when
 * passive) with the given port. family is AF_UNSPEC, AF_INET or AF_INET6.
 * A passive wildcard with AF_UNSPEC gives "::" (dual stack). Returns 0, or
 * -1 with "resolve HOST: reason" in err.
 */
int netaddr_resolve(const char *host, uint16_t port, int family, bool passive,
                    struct sockaddr_storage *out, socklen_t *outlen, char *err,
                    size_t errlen);

/* "1.2.3.4:5" or "[::1]:5" into buf; returns buf. */
char *netaddr_format(const struct sockaddr *sa, char *buf, size_t len);

/* Host part only: "1.2.3.4" or "::1". */
char *netaddr_format_host(const struct sockaddr *sa, char *buf, size_t len);

uint16_t netaddr_port(const struct sockaddr *sa);
void netaddr_set_port(struct sockaddr *sa, uint16_t port);

/* The address with IPv4-mapped IPv6 turned into plain IPv4 (in place). */
void netaddr_unmap(struct sockaddr_storage *ss, socklen_t *len);

/* Same family, address and port (scope id too for IPv6). */
bool netaddr_equal(const struct sockaddr *a, const struct sockaddr *b);

/* Same family and address (and IPv6 scope id), whatever the ports. */
bool netaddr_same_host(const struct sockaddr *a, const struct sockaddr *b);

/*
 * The source address the kernel would use toward dst (a wildcard-bound
 * socket shows 0.0.0.0; this is what the peer sees before any NAT).
 * Returns 0, or a negative errno.
 */
int netaddr_route_source(const struct sockaddr *dst, socklen_t len,
                         struct sockaddr_storage *src);

/*
 * Our UDP endpoint as a peer at dst (UDP port dst_port) sees it when no NAT
 * is in between: the route's source address toward dst, with the port of
 * local. local is "host:port" as the socket is bound and is rewritten in
 * place when the host is a wildcard; a socket bound to an address (-B)
 * sends from it, so local stays. Returns 0, or a negative errno with local
 * unchanged.
 */
int netaddr_route_endpoint(const struct sockaddr *dst, socklen_t len,
                           uint16_t dst_port, char *local, size_t locallen);

/*
 * Parse "1.2.3.4:5" or "[::1]:5" (numeric only, as netaddr_format writes
 * it) into out. Returns 0, or -EINVAL.
 */
int netaddr_parse(const char *str, struct sockaddr_storage *out,
                  socklen_t *outlen);

/*
 * Did a NAT translate us? The peer reported seeing us as seen_as, and we
 * know our own endpoint as local: true only when both are endpoints
 * (address and port, as netaddr_format writes them) and they differ. A
 * local name that is no endpoint (a kernel SCTP socket over IP) proves
 * nothing either way.
 */
bool netaddr_translated(const char *local, const char *seen_as);

/* A hash of what netaddr_equal compares. */
uint32_t netaddr_hash(const struct sockaddr *sa);

#endif /* SCTPU_NETADDR_H */
