/*
 * udp_icmp.c - see udp_icmp.h.
 */
#include <errno.h>
#include <time.h> /* linux/errqueue.h needs struct timespec */

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <string.h>
#include <sys/uio.h>

#include "be_bytes.h"
#include "udp_icmp.h"

#define SCTP_COMMON_HDR 12
#define SCTP_INIT_TYPE 1

void udp_icmp_enable(int fd, int family)
{
    int on = 1;

    /* A dual-stack socket reaches IPv4 peers too: ask for both. */
    if (family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof(on));
    setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
}

static bool is_port_unreachable(const struct sock_extended_err *ee)
{
    if (ee->ee_origin == SO_EE_ORIGIN_ICMP)
        return ee->ee_type == ICMP_DEST_UNREACH &&
               ee->ee_code == ICMP_PORT_UNREACH;
    if (ee->ee_origin == SO_EE_ORIGIN_ICMP6)
        return ee->ee_type == ICMP6_DST_UNREACH &&
               ee->ee_code == ICMP6_DST_UNREACH_NOPORT;
    return false;
}

int udp_icmp_read(int fd, struct udp_icmp_error *out)
{
    union {
        char buf[512];
        struct cmsghdr align;
    } ctl;
    struct iovec iov;
    struct msghdr msg;
    struct cmsghdr *cm;
    ssize_t n;

    memset(out, 0, sizeof(*out));
    iov.iov_base = out->quote;
    iov.iov_len = sizeof(out->quote);
    memset(&msg, 0, sizeof(msg));
    msg.msg_name = &out->dst;
    msg.msg_namelen = sizeof(out->dst);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl.buf;
    msg.msg_controllen = sizeof(ctl.buf);
    n = recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    out->dstlen = msg.msg_namelen;
    out->quote_len = (size_t)n;
    for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
        struct sock_extended_err ee;

        if (!((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_RECVERR) ||
              (cm->cmsg_level == IPPROTO_IPV6 &&
               cm->cmsg_type == IPV6_RECVERR)))
            continue;
        if (cm->cmsg_len < CMSG_LEN(sizeof(ee)))
            continue;
        memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
        out->err = (int)ee.ee_errno;
        out->port_unreachable = is_port_unreachable(&ee);
    }
    return 1;
}

bool udp_icmp_quoted_init_tag(const struct udp_icmp_error *e, uint32_t *tag)
{
    const uint8_t *q = e->quote;

    /* common header, INIT chunk header (4), Initiate Tag (4) */
    if (e->quote_len < SCTP_COMMON_HDR + 8)
        return false;
    if (be32_get(q + 4) != 0 || q[SCTP_COMMON_HDR] != SCTP_INIT_TYPE)
        return false;
    *tag = be32_get(q + SCTP_COMMON_HDR + 4);
    return *tag != 0;
}
