/*
 * transport_kernel_util.c - pure helpers of the kernel SCTP backend (see
 * transport_kernel_util.h). Linux's constants are written out here, so
 * this file needs no <netinet/sctp.h>.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "transport_kernel_util.h"

#define IPV4_HDR_LEN 20
#define IPV6_HDR_LEN 40
#define UDP_HDR_LEN 8
#define SCTP_COMMON_HDR_LEN 12
/* Linux's SCTP_PR_SCTP_TTL and SCTP_PR_SCTP_RTX (linux/sctp.h) */
#define LINUX_PR_SCTP_TTL 0x0010
#define LINUX_PR_SCTP_RTX 0x0020

bool transport_kernel_no_sctp(int errnum)
{
    return errnum == EPROTONOSUPPORT || errnum == ESOCKTNOSUPPORT;
}

int transport_kernel_encap_plan(long current, uint16_t wanted, bool root,
                                uint16_t *set_to, char *err, size_t errlen)
{
    unsigned int port = wanted ? wanted : TRANSPORT_KERNEL_ENCAP_PORT;

    if (current < 0) {
        snprintf(err, errlen,
                 "kernel SCTP over UDP needs Linux >= 5.11: there is no "
                 "/proc/sys/net/sctp/udp_port");
        return -1;
    }
    if (current == 0 && root) {
        *set_to = (uint16_t)port;
        return 1;
    }
    if (current == 0) {
        snprintf(err, errlen,
                 "kernel SCTP over UDP is off (net.sctp.udp_port is 0): "
                 "run sysctl -w net.sctp.udp_port=%u as root",
                 port);
        return -1;
    }
    if (wanted != 0 && current != (long)wanted) {
        /* The sysctl is the kernel's one UDP port for every socket:
         * changing it under other users is not ours to do. */
        snprintf(err, errlen,
                 "net.sctp.udp_port is %ld, not UDP port %u: run sysctl -w "
                 "net.sctp.udp_port=%u, or use --udp-port %ld",
                 current, port, port, current);
        return -1;
    }
    return 0;
}

int transport_kernel_snmp_value(const char *text, const char *key,
                                uint64_t *out)
{
    size_t klen = strlen(key);
    const char *line = text;

    while (line != NULL && *line != '\0') {
        if (strncmp(line, key, klen) == 0 &&
            (line[klen] == ' ' || line[klen] == '\t')) {
            char *end = NULL;
            unsigned long long v;

            errno = 0;
            v = strtoull(line + klen, &end, 10);
            if (errno != 0 || end == line + klen ||
                (*end != '\n' && *end != '\0' && *end != ' '))
                return -ENOENT;
            *out = v;
            return 0;
        }
        line = strchr(line, '\n');
        if (line != NULL)
            line++;
    }
    return -ENOENT;
}

uint32_t transport_kernel_sctp_pathmtu(int family, uint32_t ip_mtu, bool encap)
{
    uint32_t hdr = (family == AF_INET6 ? IPV6_HDR_LEN : IPV4_HDR_LEN) +
                   SCTP_COMMON_HDR_LEN + (encap ? UDP_HDR_LEN : 0);

    return ip_mtu > hdr ? ip_mtu - hdr : 0;
}

int transport_kernel_pr_policy(uint8_t ours)
{
    switch (ours) {
    case 0:
        return 0;
    case 1:
        return LINUX_PR_SCTP_TTL;
    case 2:
        return LINUX_PR_SCTP_RTX;
    }
    return -1;
}
