/*
 * netaddr.c - resolve, format and compare socket addresses.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netaddr.h"

int netaddr_resolve(const char *host, uint16_t port, int family, bool passive,
                    struct sockaddr_storage *out, socklen_t *outlen, char *err,
                    size_t errlen)
{
    struct addrinfo hints;
    struct addrinfo *res = NULL;
    char service[8];
    int rc;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_protocol = IPPROTO_UDP;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    /* A passive wildcard without a family: IPv6 "::", which also takes
     * IPv4 once the socket is made dual-stack. */
    if (host == NULL && family == AF_UNSPEC)
        hints.ai_family = AF_INET6;
    snprintf(service, sizeof(service), "%u", (unsigned)port);

    rc = getaddrinfo(host, service, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "resolve %s: %s", host ? host : "(wildcard)",
                 gai_strerror(rc));
        return -1;
    }
    memcpy(out, res->ai_addr, res->ai_addrlen);
    *outlen = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

char *netaddr_format_host(const struct sockaddr *sa, char *buf, size_t len)
{
    struct sockaddr_storage ss;
    socklen_t sslen = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                : sizeof(struct sockaddr_in);
    const void *ip = NULL;

    memcpy(&ss, sa, sslen);
    netaddr_unmap(&ss, &sslen);
    if (ss.ss_family == AF_INET)
        ip = &((struct sockaddr_in *)&ss)->sin_addr;
    else if (ss.ss_family == AF_INET6)
        ip = &((struct sockaddr_in6 *)&ss)->sin6_addr;
    if (ip == NULL || inet_ntop(ss.ss_family, ip, buf, len) == NULL)
        snprintf(buf, len, "(family %d)", (int)sa->sa_family);
    return buf;
}

char *netaddr_format(const struct sockaddr *sa, char *buf, size_t len)
{
    char host[INET6_ADDRSTRLEN + 8];
    bool v6;

    netaddr_format_host(sa, host, sizeof(host));
    v6 = strchr(host, ':') != NULL;
    snprintf(buf, len, "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "",
             (unsigned)netaddr_port(sa));
    return buf;
}

uint16_t netaddr_port(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)sa)->sin_port);
    if (sa->sa_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
    return 0;
}

void netaddr_set_port(struct sockaddr *sa, uint16_t port)
{
    if (sa->sa_family == AF_INET)
        ((struct sockaddr_in *)sa)->sin_port = htons(port);
    else if (sa->sa_family == AF_INET6)
        ((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
}

void netaddr_unmap(struct sockaddr_storage *ss, socklen_t *len)
{
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
    struct sockaddr_in s4;

    if (ss->ss_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
        return;
    memset(&s4, 0, sizeof(s4));
    s4.sin_family = AF_INET;
    s4.sin_port = s6->sin6_port;
    memcpy(&s4.sin_addr, &s6->sin6_addr.s6_addr[12], 4);
    memset(ss, 0, sizeof(*ss));
    memcpy(ss, &s4, sizeof(s4));
    if (len != NULL)
        *len = sizeof(s4);
}

bool netaddr_same_host(const struct sockaddr *a, const struct sockaddr *b)
{
    const struct sockaddr_in *a4 = (const struct sockaddr_in *)a;
    const struct sockaddr_in *b4 = (const struct sockaddr_in *)b;
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)a;
    const struct sockaddr_in6 *b6 = (const struct sockaddr_in6 *)b;

    if (a->sa_family != b->sa_family)
        return false;
    if (a->sa_family == AF_INET)
        return a4->sin_addr.s_addr == b4->sin_addr.s_addr;
    if (a->sa_family == AF_INET6)
        return a6->sin6_scope_id == b6->sin6_scope_id &&
               memcmp(&a6->sin6_addr, &b6->sin6_addr, 16) == 0;
    return false;
}

bool netaddr_equal(const struct sockaddr *a, const struct sockaddr *b)
{
    return netaddr_same_host(a, b) && netaddr_port(a) == netaddr_port(b);
}

/* FNV-1a: cheap, and good enough to spread UDP endpoints over buckets. */
static uint32_t fnv1a(uint32_t h, const void *data, size_t len)
{
    const unsigned char *p = data;

    while (len-- > 0) {
        h ^= *p++;
        h *= 16777619u;
    }
    return h;
}

uint32_t netaddr_hash(const struct sockaddr *sa)
{
    const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
    const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
    uint32_t h = fnv1a(2166136261u, &sa->sa_family, sizeof(sa->sa_family));

    if (sa->sa_family == AF_INET) {
        h = fnv1a(h, &s4->sin_addr, sizeof(s4->sin_addr));
        h = fnv1a(h, &s4->sin_port, sizeof(s4->sin_port));
    } else if (sa->sa_family == AF_INET6) {
        h = fnv1a(h, &s6->sin6_addr, sizeof(s6->sin6_addr));
        h = fnv1a(h, &s6->sin6_port, sizeof(s6->sin6_port));
        h = fnv1a(h, &s6->sin6_scope_id, sizeof(s6->sin6_scope_id));
    }
    return h;
}

int netaddr_route_source(const struct sockaddr *dst, socklen_t len,
                         struct sockaddr_storage *src)
{
    socklen_t srclen = sizeof(*src);
    int rc = 0;
    int fd;

    /* Connecting a UDP socket sends nothing; it only picks the route. */
    fd = socket(dst->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, dst, len) < 0 ||
        getsockname(fd, (struct sockaddr *)src, &srclen) < 0)
        rc = -errno;
    close(fd);
    return rc;
}

/* Is sa the unspecified address (0.0.0.0 or ::)? */
static bool netaddr_is_wildcard(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return ((const struct sockaddr_in *)sa)->sin_addr.s_addr ==
               htonl(INADDR_ANY);
    if (sa->sa_family == AF_INET6)
        return IN6_IS_ADDR_UNSPECIFIED(
            &((const struct sockaddr_in6 *)sa)->sin6_addr);
    return true;
}

int netaddr_route_endpoint(const struct sockaddr *dst, socklen_t len,
                           uint16_t dst_port, char *local, size_t locallen)
{
    struct sockaddr_storage to;
    struct sockaddr_storage src;
    struct sockaddr_storage bound;
    socklen_t boundlen;
    int rc;

    if (netaddr_parse(local, &bound, &boundlen) < 0 || len > sizeof(to))
        return -EINVAL;
    /* Bound to an address (-B): the kernel sends from that one, whatever
     * the route's own source is. */
    if (!netaddr_is_wildcard((struct sockaddr *)&bound))
        return 0;
    memcpy(&to, dst, len);
    netaddr_set_port((struct sockaddr *)&to, dst_port);
    rc = netaddr_route_source((struct sockaddr *)&to, len, &src);
    if (rc < 0)
        return rc;
    netaddr_set_port((struct sockaddr *)&src,
                     netaddr_port((struct sockaddr *)&bound));
    netaddr_format((struct sockaddr *)&src, local, locallen);
    return 0;
}

int netaddr_parse(const char *str, struct sockaddr_storage *out,
                  socklen_t *outlen)
{
    const char *colon = strrchr(str, ':');
    char host[INET6_ADDRSTRLEN];
    const char *h = str;
    size_t n;
    char *end = NULL;
    unsigned long port;

    if (colon == NULL || colon[1] < '0' || colon[1] > '9')
        return -EINVAL;
    n = (size_t)(colon - str);
    if (n >= 2 && str[0] == '[' && str[n - 1] == ']') {
        h++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof(host))
        return -EINVAL;
    memcpy(host, h, n);
    host[n] = '\0';
    errno = 0;
    port = strtoul(colon + 1, &end, 10);
    if (errno != 0 || *end != '\0' || port > 65535 || end - colon > 6)
        return -EINVAL;

    memset(out, 0, sizeof(*out));
    if (h == str &&
        inet_pton(AF_INET, host, &((struct sockaddr_in *)out)->sin_addr) == 1) {
        out->ss_family = AF_INET;
        *outlen = sizeof(struct sockaddr_in);
    } else if (h != str &&
               inet_pton(AF_INET6, host,
                         &((struct sockaddr_in6 *)out)->sin6_addr) == 1) {
        out->ss_family = AF_INET6;
        *outlen = sizeof(struct sockaddr_in6);
    } else {
        return -EINVAL;
    }
    netaddr_set_port((struct sockaddr *)out, (uint16_t)port);
    return 0;
}

bool netaddr_translated(const char *local, const char *seen_as)
{
    struct sockaddr_storage a;
    struct sockaddr_storage b;
    socklen_t alen;
    socklen_t blen;

    if (local == NULL || seen_as == NULL || seen_as[0] == '\0' ||
        netaddr_parse(local, &a, &alen) != 0 ||
        netaddr_parse(seen_as, &b, &blen) != 0)
        return false;
    return strcmp(local, seen_as) != 0;
}
