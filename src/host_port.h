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

/* Why host_port_split() said no, for "OPT: 'ARG' WHY" messages. */
const char *host_port_strerror(int rc);

#endif /* SCTPU_HOST_PORT_H */
