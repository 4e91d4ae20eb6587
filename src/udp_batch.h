/*
 * udp_batch.h - send runs of equal-size datagrams with one system call.
 *
 * usrsctp hands us packets one at a time, and at a 1500-byte MTU the
 * kernel's per-datagram cost is most of the sender's CPU. Packets to the
 * same peer are gathered here while usrsctp produces them, and flushed
 * with UDP GSO (UDP_SEGMENT: the kernel splits one buffer into datagrams)
 * after usrsctp returns. A run ends at another peer, a segment of another
 * size (a shorter one may end it), 64 segments or 64 KiB. Where the
 * kernel refuses GSO, datagrams go out one by one as before.
 *
 * A datagram sent on its own reports its failure to the caller, which
 * hands it back to usrsctp: a packet refused by the local host (a
 * firewall's EPERM, a full socket buffer) then stays queued in SCTP and
 * goes out again with the next output, as with usrsctp's own UDP path,
 * instead of passing for sent and costing a retransmission timeout. A
 * batch that fails can no longer report anything, so after any failure
 * datagrams go out on their own (and report) until UDP_BATCH_DIRECT_AFTER
 * of them in a row have gone out without one.
 *
 * GSO is given up for good only when the kernel refuses it (EIO, EINVAL,
 * ENOPROTOOPT, EOPNOTSUPP) before it ever worked on this socket. After it
 * has worked, the same errors mean this batch's route or device cannot
 * (an interface without checksum offload, say): that batch goes out one
 * by one, and GSO is tried again after UDP_BATCH_DIRECT_AFTER datagrams.
 */
#ifndef SCTPU_UDP_BATCH_H
#define SCTPU_UDP_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#define UDP_BATCH_BYTES 65000       /* within one IP datagram's 64 KiB */
#define UDP_BATCH_SEGMENTS 64       /* the kernel's UDP_MAX_SEGMENTS */
#define UDP_BATCH_DIRECT_AFTER 4096 /* datagrams sent alone after a failure */

struct udp_batch_stats {
    uint64_t datagrams; /* handed to the kernel */
    uint64_t syscalls;
    uint64_t errors;         /* send failures other than EAGAIN */
    uint64_t batch_failures; /* batches lost whole, not reported to SCTP */
};

struct msghdr;

struct udp_batch {
    int fd;
    bool gso;             /* still believed to work */
    bool gso_worked;      /* one GSO send has succeeded */
    uint32_t direct_left; /* send alone this many more, after a failure */
    struct sockaddr_storage dst;
    socklen_t dstlen;
    size_t seg; /* size of the run's segments */
    size_t count;
    size_t len;
    struct udp_batch_stats stats;
    /* sendmsg, for the GSO sends (a test gives its own) */
    ssize_t (*gso_sendmsg)(int fd, const struct msghdr *msg, int flags);
    uint8_t buf[UDP_BATCH_BYTES];
};

/* gso false: never try UDP_SEGMENT (send each datagram on its own). */
void udp_batch_init(struct udp_batch *b, int fd, bool gso);

/*
 * Queue one datagram to dst, flushing first when it cannot join the run,
 * or send it at once (no GSO, too big, or after a failure). Returns 0, or
 * the positive errno of a datagram sent at once that the kernel refused.
 */
int udp_batch_add(struct udp_batch *b, const struct sockaddr *dst,
                  socklen_t dstlen, const void *pkt, size_t len);

/* Send what is queued. */
void udp_batch_flush(struct udp_batch *b);

#endif /* SCTPU_UDP_BATCH_H */
