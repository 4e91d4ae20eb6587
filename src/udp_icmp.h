/*
 * udp_icmp.h - ICMP errors about the datagrams we sent, read from the UDP
 * socket's error queue (IP_RECVERR / IPV6_RECVERR).
 *
 * Without them a client whose server is not running, or who names the
 * wrong UDP port, waits out its whole timeout in silence. The kernel
 * reports "port unreachable" with the datagram's destination and the
 * start of its payload (our SCTP packet), which lets the caller check
 * that it answers an INIT we really sent before acting on it: an ICMP
 * message is as easy to forge as any other packet.
 */
#ifndef SCTPU_UDP_ICMP_H
#define SCTPU_UDP_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define UDP_ICMP_QUOTE_MAX 64 /* bytes of our payload kept */

struct udp_icmp_error {
    struct sockaddr_storage dst; /* where the datagram was going */
    socklen_t dstlen;
    bool port_unreachable; /* ICMP(v6) destination/port unreachable */
    int err;               /* the errno the kernel gave it */
    uint8_t quote[UDP_ICMP_QUOTE_MAX];
    size_t quote_len;
};

/* Ask the kernel to queue ICMP errors on fd (family AF_INET/AF_INET6). */
void udp_icmp_enable(int fd, int family);

/* Read one queued error: 1 and *out, 0 when none is queued, or -1. */
int udp_icmp_read(int fd, struct udp_icmp_error *out);

/*
 * Our INIT's Initiate Tag, when the quoted payload is an SCTP packet
 * with verification tag 0 starting with an INIT chunk; else false.
 */
bool udp_icmp_quoted_init_tag(const struct udp_icmp_error *e, uint32_t *tag);

#endif /* SCTPU_UDP_ICMP_H */
