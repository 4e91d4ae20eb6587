/*
 * transport_ipsock.h - the IP-level options both backends set on a
 * kernel socket of theirs (the usrsctp backend's UDP socket, the kernel
 * backend's SCTP socket), with one wording for their errors.
 */
#ifndef SCTPU_TRANSPORT_IPSOCK_H
#define SCTPU_TRANSPORT_IPSOCK_H

#include <stddef.h>

#include "transport.h"

/* SO_SNDBUF and SO_RCVBUF of fd: root may exceed net.core.[rw]mem_max,
 * others get what they can. */
void transport_ipsock_buffers(int fd, int sndbuf, int rcvbuf);

/*
 * cfg's -S/--tos (IPv6 sockets reach IPv4 peers too: both are set where
 * they can be) and --bind-dev on fd of family. 0, or a negative errno
 * with "what: why" in err.
 */
int transport_ipsock_options(int fd, int family,
                             const struct transport_config *cfg, char *err,
                             size_t errlen);

#endif /* SCTPU_TRANSPORT_IPSOCK_H */
