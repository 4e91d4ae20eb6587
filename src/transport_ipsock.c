/*
 * transport_ipsock.c - IP-level socket options shared by both backends:
 * buffers, TOS / traffic class and the bound device (see
 * transport_ipsock.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sctp_plan.h"
#include "transport_ipsock.h"

static void set_buffer(int fd, int opt_force, int opt, int size)
{
    if (setsockopt(fd, SOL_SOCKET, opt_force, &size, sizeof(size)) < 0)
        setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size));
}

void transport_ipsock_buffers(int fd, int sndbuf, int rcvbuf)
{
    set_buffer(fd, SO_SNDBUFFORCE, SO_SNDBUF, sndbuf);
    set_buffer(fd, SO_RCVBUFFORCE, SO_RCVBUF, rcvbuf);
}

int transport_ipsock_options(int fd, int family,
                             const struct transport_config *cfg, char *err,
                             size_t errlen)
{
    int tos = cfg->tos;

    if (tos != 0) {
        if (family == AF_INET6 &&
            setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos)) < 0)
            return sctp_plan_fail(err, errlen, "setsockopt(IPV6_TCLASS)",
                                  errno);
        if (setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)) < 0 &&
            family == AF_INET)
            return sctp_plan_fail(err, errlen, "setsockopt(IP_TOS)", errno);
    }
    if (cfg->bind_dev != NULL &&
        setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, cfg->bind_dev,
                   (socklen_t)strlen(cfg->bind_dev) + 1) < 0) {
        int e = errno;
        char what[64];

        snprintf(what, sizeof(what), "bind to device %.32s", cfg->bind_dev);
        return sctp_plan_fail(err, errlen, what, e);
    }
    return 0;
}
