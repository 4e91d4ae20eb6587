/*
 * host_port.h - split a peer as typed on a command line into host and port.
 *
 * iperf3 users and URLs write the port after the host; an IPv6 literal
 * has colons of its own, so it takes brackets when a port follows:
 *
 *   198.18.0.2, example.net          the host, no port
 *   198.18.0.2:5201, example.net:80  one colon: host and port
 *   [2001:db8::1], [::1]:5201        brackets: the address, maybe a port
 *   2001:db8::1, ::1, fe80::1%eth0   two or more colons and no brackets:
 *                                    an IPv6 address, never host:port
 *
 * Pure: no resolving, no I/O.
 */
#ifndef SCTPU_HOST_PORT_H
#define SCTPU_HOST_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Split arg into host (NUL-terminated, brackets removed) and *port (0
 * when arg names none). Returns 0; -EINVAL when arg has no host or
 * broken brackets; -ERANGE when the port is not a number in 1-65535;
 * -ENAMETOOLONG when the host does not fit hostlen. On error host and
 * *port are left alone.
 */
int host_port_split(const char *arg, char *host, size_t hostlen,
                    uint16_t *port);

/*
 * The same for the first of a comma-separated list "a,b,c" (both tools
 * use only the first); *more says whether others followed.
 */
int host_port_split_first(const char *arg, char *host, size_t hostlen,
                          uint16_t *port, bool *more);

/* The most elements of a list (transport.h's TRANSPORT_MAX_ADDRS). */
#define HOST_LIST_MAX 8

/* A comma-separated list of hosts, "a,b,c", split (multihoming). */
struct host_list {
    char buf[HOST_LIST_MAX * 256];   /* the hosts, each NUL-terminated */
    const char *host[HOST_LIST_MAX]; /* into buf, brackets removed */
    size_t count;
    uint16_t port; /* the port the elements named; 0 = none */
};

/*
 * Split arg, a list of HOST, HOST:PORT, [IPV6] or [IPV6]:PORT, into out.
 * Elements may leave the port out, but those that name one must name the
 * same. Returns 0, a host_port_split() error, -E2BIG for more than
 * HOST_LIST_MAX elements, or -EDOM when the ports differ.
 */
int host_list_parse(const char *arg, struct host_list *out);

/*
 * The hosts joined by commas ("a,b"; IPv6 without brackets, which
 * host_list_parse reads back as it was) into buf. Returns 0, or
 * -ENAMETOOLONG when they do not fit len.
 */
int host_list_join(const struct host_list *l, char *buf, size_t len);

/* Why host_port_split() or host_list_parse() said no, for "OPT: 'ARG'
 * WHY" messages. */
const char *host_port_strerror(int rc);

#endif /* SCTPU_HOST_PORT_H */
