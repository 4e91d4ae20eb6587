/*
 * transport_kernel_sock.h - the socket options and queries of the kernel
 * SCTP backend (Linux one-to-one sockets). Setters return 0, or a
 * negative errno with "what: why" in err.
 */
#ifndef SCTPU_TRANSPORT_KERNEL_SOCK_H
#define SCTPU_TRANSPORT_KERNEL_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "transport.h"

/*
 * Everything a socket needs before it connects or listens: what
 * sctp_plan_make() decides for cfg and streams, TOS and device,
 * notifications, SCTP_RECVRCVINFO, PR-SCTP and UDP encapsulation toward
 * encap_port (0: none). family is the socket's.
 */
int kernel_sock_configure(int fd, int family,
                          const struct transport_config *cfg, uint16_t streams,
                          uint16_t encap_port, char *err, size_t errlen);

/*
 * Check, and where it is 0 and we are root set, net.sctp.udp_port for
 * kernel UDP encapsulation from local port wanted (0: any). Returns 0, or
 * -1 with a line in err naming the sysctl to set.
 */
int kernel_sock_check_encap(uint16_t wanted, char *err, size_t errlen);

/* net.sctp.udp_port, or -1 when it does not exist. */
long kernel_sock_udp_port(void);

/* NODELAY and delayed SACK of a connected socket's association. */
int kernel_sock_tune(int fd, const struct transport_tuning *tu, char *err,
                     size_t errlen);

/* The RTO bounds of the socket (zeros if the kernel cannot say). */
void kernel_sock_get_rto(int fd, struct transport_rto *out);

/* What SCTP_STATUS, SCTP_GET_ASSOC_STATS, SCTP_PR_ASSOC_STATUS and
 * SO_MEMINFO say of the socket's association, into info (its address
 * fields are the caller's). *ipackets gets the peer's packet count.
 * Returns 0 or a negative errno. */
int kernel_sock_assoc_info(int fd, int family, bool encap,
                           struct transport_assoc_info *info,
                           uint64_t *ipackets);

/* The UDP port the kernel sends to peer's packets at (learnt from its
 * handshake on a server), or 0. */
uint16_t kernel_sock_peer_encap_port(int fd, const struct sockaddr *peer,
                                     socklen_t len);

/* The network namespace's T3-rtx timeouts (SctpT3RtxExpireds), or -1. */
int kernel_sock_t3_timeouts(uint64_t *out);

/* Multihoming: add addrs[0..n) (their ports replaced by port, which is
 * the socket's bound one or 0) to a bound socket, as sctp_bindx() with
 * SCTP_BINDX_ADD_ADDR does. */
int kernel_sock_bindx_add(int fd, const struct sockaddr_storage *addrs,
                          size_t n, uint16_t port, char *err, size_t errlen);

/* Start an association to every one of addrs[0..n) at SCTP port, as
 * sctp_connectx() does; the first is the primary path. 0 (also while it
 * is in progress), or a negative errno with err written. */
int kernel_sock_connectx(int fd, const struct sockaddr_storage *addrs, size_t n,
                         uint16_t port, char *err, size_t errlen);

/* The association's peer addresses (SCTP_GET_PEER_ADDRS), up to max. */
size_t kernel_sock_peer_addrs(int fd, struct sockaddr_storage *out, size_t max);

#endif /* SCTPU_TRANSPORT_KERNEL_SOCK_H */
