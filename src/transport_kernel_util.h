/*
 * transport_kernel_util.h - the kernel SCTP backend's pure helpers: no
 * sockets, no <netinet/sctp.h>, so they build (and are unit-tested) even
 * where the backend itself is not.
 */
#ifndef SCTPU_TRANSPORT_KERNEL_UTIL_H
#define SCTPU_TRANSPORT_KERNEL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transport.h"

/* open()'s message when socket(..., IPPROTO_SCTP) is refused. */
#define TRANSPORT_KERNEL_NO_SCTP                                               \
    "this kernel has no SCTP support (sctp.ko not loaded): use --backend "     \
    "usrsctp"

/* The UDP port kernel encapsulation uses when none is given (RFC 6951's
 * IANA port, and sctpu's default --udp-port). */
#define TRANSPORT_KERNEL_ENCAP_PORT 9899

/* Does socket()'s errno mean "this kernel has no SCTP at all"? */
bool transport_kernel_no_sctp(int errnum);

/*
 * What to do about net.sctp.udp_port before using kernel UDP
 * encapsulation. current is the sysctl's value (-1: it does not exist),
 * wanted the local UDP port asked for (0: any), root whether we may write
 * it. Returns 0 (fine as it is), 1 (write *set_to into the sysctl), or -1
 * with a line in err that names the sysctl command to run.
 */
int transport_kernel_encap_plan(long current, uint16_t wanted, bool root,
                                uint16_t *set_to, char *err, size_t errlen);

/*
 * The value of key in /proc/net/sctp/snmp's text ("SctpT3RtxExpireds  4"
 * lines). Returns 0 and *out, or -ENOENT.
 */
int transport_kernel_snmp_value(const char *text, const char *key,
                                uint64_t *out);

/*
 * The SCTP packet size an IP path MTU leaves (what the usrsctp backend
 * reports as pathmtu): minus the IP header, the SCTP common header and,
 * with UDP encapsulation, the UDP header. 0 when nothing fits.
 */
uint32_t transport_kernel_sctp_pathmtu(int family, uint32_t ip_mtu, bool encap);

/* transport.h's PR-SCTP policy (1 ttl, 2 rtx, 3 buf) to Linux's; -1 for
 * one Linux lacks (it has no buffer-size policy). */
int transport_kernel_pr_policy(uint8_t ours);

#endif /* SCTPU_TRANSPORT_KERNEL_UTIL_H */
