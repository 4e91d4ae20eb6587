/*
 * udp_batch.c - UDP GSO batching of usrsctp's output.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <string.h>
#include <sys/uio.h>

#include "netaddr.h"
#include "udp_batch.h"

void udp_batch_init(struct udp_batch *b, int fd, bool gso)
{
    memset(b, 0, offsetof(struct udp_batch, buf));
    b->fd = fd;
    b->gso = gso;
    b->gso_sendmsg = sendmsg;
}

/* Send one datagram; 0 or the errno of a failure. */
static int send_one(struct udp_batch *b, const void *pkt, size_t len)
{
    int err;

    b->stats.syscalls++;
    if (sendto(b->fd, pkt, len, MSG_DONTWAIT, (struct sockaddr *)&b->dst,
               b->dstlen) >= 0) {
        b->stats.datagrams++;
        return 0;
    }
    err = errno;
    if (err != EAGAIN && err != EWOULDBLOCK && err != ENOBUFS)
        b->stats.errors++;
    b->direct_left = UDP_BATCH_DIRECT_AFTER;
    return err;
}

/* One sendmsg with UDP_SEGMENT; false if this batch must go out one by
 * one (GSO refused: for good if it never worked, else for a while). */
static bool send_gso(struct udp_batch *b)
{
    union {
        char buf[CMSG_SPACE(sizeof(uint16_t))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = { b->buf, b->len };
    struct msghdr msg;
    struct cmsghdr *cm;
    uint16_t seg = (uint16_t)b->seg;

    memset(&msg, 0, sizeof(msg));
    memset(&ctl, 0, sizeof(ctl));
    msg.msg_name = &b->dst;
    msg.msg_namelen = b->dstlen;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl.buf;
    msg.msg_controllen = sizeof(ctl.buf);
    cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_UDP;
    cm->cmsg_type = UDP_SEGMENT;
    cm->cmsg_len = CMSG_LEN(sizeof(seg));
    memcpy(CMSG_DATA(cm), &seg, sizeof(seg));
    b->stats.syscalls++;
    if (b->gso_sendmsg(b->fd, &msg, MSG_DONTWAIT) >= 0) {
        b->stats.datagrams += b->count;
        b->gso_worked = true;
        return true;
    }
    /* EIO, EINVAL, ENOPROTOOPT ...: no GSO on this kernel, or (once it
     * has worked) on this batch's route or device. */
    if (errno == EIO || errno == EINVAL || errno == ENOPROTOOPT ||
        errno == EOPNOTSUPP) {
        if (!b->gso_worked)
            b->gso = false;
        else
            b->direct_left = UDP_BATCH_DIRECT_AFTER;
        return false;
    }
    /* Anything else (a full buffer, a firewall) lost the whole batch
     * after SCTP took it for sent: send alone for a while, so that the
     * next failures reach SCTP. */
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS)
        b->stats.errors++;
    b->stats.batch_failures++;
    b->direct_left = UDP_BATCH_DIRECT_AFTER;
    return true;
}

void udp_batch_flush(struct udp_batch *b)
{
    size_t off;

    if (b->count == 0)
        return;
    if (b->count == 1 || !b->gso || !send_gso(b)) {
        /* Taken for sent already: a failure here is loss to SCTP. */
        for (off = 0; off < b->len; off += b->seg)
            if (send_one(b, b->buf + off,
                         b->len - off < b->seg ? b->len - off : b->seg) != 0)
                b->stats.batch_failures++;
    }
    b->count = 0;
    b->len = 0;
}

/* Can pkt extend the current run? */
static bool joins_run(const struct udp_batch *b, const struct sockaddr *dst,
                      size_t len)
{
    if (b->count == 0)
        return true;
    /* Only the last segment may be shorter; a run that has one is over. */
    if (b->len != b->count * b->seg || len > b->seg)
        return false;
    if (b->count >= UDP_BATCH_SEGMENTS || b->len + len > UDP_BATCH_BYTES)
        return false;
    return netaddr_equal((const struct sockaddr *)&b->dst, dst);
}

int udp_batch_add(struct udp_batch *b, const struct sockaddr *dst,
                  socklen_t dstlen, const void *pkt, size_t len)
{
    if (len > UDP_BATCH_BYTES || !b->gso || b->direct_left > 0) {
        /* Too big to batch, no GSO, or after a failure: straight out. */
        udp_batch_flush(b);
        memcpy(&b->dst, dst, dstlen);
        b->dstlen = dstlen;
        if (b->direct_left > 0)
            b->direct_left--;
        return send_one(b, pkt, len);
    }
    if (!joins_run(b, dst, len))
        udp_batch_flush(b);
    if (b->count == 0) {
        memcpy(&b->dst, dst, dstlen);
        b->dstlen = dstlen;
        b->seg = len;
    }
    memcpy(b->buf + b->len, pkt, len);
    b->len += len;
    b->count++;
    return 0;
}
