/*
 * transport_kernel_sock.c - the Linux SCTP socket options and queries of
 * the kernel backend: buffers, streams, notifications, delayed SACK, RTO
 * bounds, failure detection, path MTU, UDP encapsulation, and the
 * association's status and counters.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "netaddr.h"
#include "sctp_plan.h"
#include "sctp_plan_stack.h"
#include "transport_ipsock.h"
#include "transport_kernel_sock.h"
#include "transport_kernel_util.h"

#define UDP_PORT_SYSCTL "/proc/sys/net/sctp/udp_port"
#define SNMP_FILE "/proc/net/sctp/snmp"

/*
 * Linux >= 5.11 has SCTP_REMOTE_UDP_ENCAPS_PORT and struct sctp_udpencaps
 * (linux/sctp.h, which libsctp-dev 1.0.19's netinet/sctp.h includes); older
 * headers lack them. The values are the kernel's.
 */
#ifndef SCTP_REMOTE_UDP_ENCAPS_PORT
#define SCTP_REMOTE_UDP_ENCAPS_PORT 132
struct sctp_udpencaps {
    sctp_assoc_t sue_assoc_id;
    struct sockaddr_storage sue_address;
    uint16_t sue_port;
};
#endif /* SCTP_REMOTE_UDP_ENCAPS_PORT */

/* SO_MEMINFO (Linux >= 4.12) where the libc headers lack it */
#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif /* SO_MEMINFO */

static int set_opt(int fd, int level, int name, const void *val, socklen_t len,
                   const char *what, char *err, size_t errlen)
{
    if (setsockopt(fd, level, name, val, len) == 0)
        return 0;
    return sctp_plan_fail(err, errlen, what, errno);
}

/*
 * Get-modify-set of an SCTP option of future associations, whose struct
 * starts with its sctp_assoc_t: read it into val, let modify change what
 * is asked for (the rest keeps its value), write it back. optname is the
 * option's name for the error.
 */
static int future_update(int fd, int name, const char *optname, void *val,
                         socklen_t len,
                         void (*modify)(void *val, const void *arg),
                         const void *arg, char *err, size_t errlen)
{
    const sctp_assoc_t future = SCTP_FUTURE_ASSOC;
    socklen_t got = len;
    char what[64];

    memset(val, 0, len);
    memcpy(val, &future, sizeof(future));
    if (getsockopt(fd, IPPROTO_SCTP, name, val, &got) < 0) {
        snprintf(what, sizeof(what), "getsockopt(%s)", optname);
        return sctp_plan_fail(err, errlen, what, errno);
    }
    memcpy(val, &future, sizeof(future));
    modify(val, arg);
    snprintf(what, sizeof(what), "setsockopt(%s)", optname);
    return set_opt(fd, IPPROTO_SCTP, name, val, len, what, err, errlen);
}

/* The plan's NODELAY and delayed SACK. */
static int set_nodelay_sack(int fd, const struct sctp_plan *plan, char *err,
                            size_t errlen)
{
    struct sctp_sack_info sack;
    int on = 1;
    int rc = 0;

    if (plan->nodelay)
        rc = set_opt(fd, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on),
                     "setsockopt(SCTP_NODELAY)", err, errlen);
    if (rc == 0 && sctp_plan_has_sack(plan))
        rc = future_update(fd, SCTP_DELAYED_SACK, "SCTP_DELAYED_SACK", &sack,
                           sizeof(sack), sctp_plan_modify_sack, plan, err,
                           errlen);
    return rc;
}

/* Association.Max.Retrans for future associations. */
static int set_assoc_max_retrans(int fd, uint16_t n, char *err, size_t errlen)
{
    struct sctp_assocparams ap;

    memset(&ap, 0, sizeof(ap));
    ap.sasoc_assoc_id = SCTP_FUTURE_ASSOC;
    ap.sasoc_asocmaxrxt = n; /* the zero fields stay as they are */
    return set_opt(fd, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof(ap),
                   "setsockopt(SCTP_ASSOCINFO)", err, errlen);
}

/*
 * Path.Max.Retrans, the HEARTBEAT interval and a fixed path MTU, for
 * every path of future associations (the zero address: the endpoint's
 * default). One call each, so an error names what was refused.
 */
static int set_paddr(int fd, uint16_t pathmaxrxt, uint32_t hb_ms, uint32_t mtu,
                     char *err, size_t errlen)
{
    struct sctp_paddrparams pp;

    memset(&pp, 0, sizeof(pp));
    pp.spp_assoc_id = SCTP_FUTURE_ASSOC;
    pp.spp_pathmaxrxt = pathmaxrxt;
    if (hb_ms) {
        pp.spp_hbinterval = hb_ms;
        pp.spp_flags |= SPP_HB_ENABLE;
    }
    if (mtu) {
        pp.spp_pathmtu = mtu;
        pp.spp_flags |= SPP_PMTUD_DISABLE;
    }
    return set_opt(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp),
                   "setsockopt(SCTP_PEER_ADDR_PARAMS)", err, errlen);
}

/* The notifications the backend acts on (SCTP_EVENT: Linux >= 5.0, else
 * the older all-in-one SCTP_EVENTS). */
static int subscribe(int fd, char *err, size_t errlen)
{
    static const uint16_t events[] = {
        SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_EVENT,   SCTP_SEND_FAILED_EVENT,
        SCTP_REMOTE_ERROR, SCTP_PEER_ADDR_CHANGE,
    };
    struct sctp_event_subscribe old;
    size_t i;

    for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
        struct sctp_event ev;

        memset(&ev, 0, sizeof(ev));
        ev.se_assoc_id = SCTP_FUTURE_ASSOC;
        ev.se_type = events[i];
        ev.se_on = 1;
        if (setsockopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)) < 0)
            break;
    }
    if (i == sizeof(events) / sizeof(events[0]))
        return 0;
    memset(&old, 0, sizeof(old));
    old.sctp_association_event = 1;
    old.sctp_address_event = 1;
    old.sctp_peer_error_event = 1;
    old.sctp_shutdown_event = 1;
    return set_opt(fd, IPPROTO_SCTP, SCTP_EVENTS, &old, sizeof(old),
                   "setsockopt(SCTP_EVENTS)", err, errlen);
}

/* SCTP over UDP toward the peer's port, for future associations. */
static int set_encap(int fd, uint16_t port, char *err, size_t errlen)
{
    struct sctp_udpencaps ue;

    memset(&ue, 0, sizeof(ue));
    ue.sue_assoc_id = SCTP_FUTURE_ASSOC;
    ue.sue_port = htons(port); /* the kernel takes it in network order */
    return set_opt(fd, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &ue,
                   sizeof(ue), "setsockopt(SCTP_REMOTE_UDP_ENCAPS_PORT)", err,
                   errlen);
}

static int set_streams(int fd, const struct sctp_plan *plan, char *err,
                       size_t errlen)
{
    struct sctp_initmsg init;

    memset(&init, 0, sizeof(init));
    init.sinit_num_ostreams = plan->out_streams;
    init.sinit_max_instreams = plan->max_in_streams;
    init.sinit_max_attempts = plan->max_init_attempts;
    return set_opt(fd, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof(init),
                   "setsockopt(SCTP_INITMSG)", err, errlen);
}

/* PR-SCTP on (net.sctp.prsctp_enable has it on already by default);
 * kernels before 4.7 lack the option, and then lack PR-SCTP too. */
static void enable_pr(int fd)
{
    struct sctp_assoc_value av;

    memset(&av, 0, sizeof(av));
    av.assoc_id = SCTP_FUTURE_ASSOC;
    av.assoc_value = 1;
    if (setsockopt(fd, IPPROTO_SCTP, SCTP_PR_SUPPORTED, &av, sizeof(av)) < 0)
        log_debug("setsockopt(SCTP_PR_SUPPORTED): %s", strerror(errno));
}

int kernel_sock_configure(int fd, int family,
                          const struct transport_config *cfg, uint16_t streams,
                          uint16_t encap_port, char *err, size_t errlen)
{
    struct sctp_rtoinfo rto;
    struct sctp_plan plan;
    int on = 1;
    int rc;

    sctp_plan_make(cfg, streams, &plan);
    transport_ipsock_buffers(fd, plan.sndbuf, plan.rcvbuf);
    rc = transport_ipsock_options(fd, family, cfg, err, errlen);
    if (rc == 0)
        rc = set_opt(fd, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on),
                     "setsockopt(SCTP_RECVRCVINFO)", err, errlen);
    if (rc == 0)
        rc = set_streams(fd, &plan, err, errlen);
    if (rc == 0)
        rc = subscribe(fd, err, errlen);
    if (rc == 0)
        rc = set_nodelay_sack(fd, &plan, err, errlen);
    /* Always: RTO.Initial is RFC 9260's 1 s unless given (Linux has 3 s). */
    if (rc == 0)
        rc = future_update(fd, SCTP_RTOINFO, "SCTP_RTOINFO", &rto, sizeof(rto),
                           sctp_plan_modify_rto, cfg, err, errlen);
    if (rc == 0 && plan.max_retrans_assoc)
        rc = set_assoc_max_retrans(fd, plan.max_retrans_assoc, err, errlen);
    if (rc == 0 && (plan.max_retrans_path || plan.hb_interval_ms || plan.mtu))
        rc = set_paddr(fd, plan.max_retrans_path, plan.hb_interval_ms, plan.mtu,
                       err, errlen);
    if (rc == 0 && encap_port)
        rc = set_encap(fd, encap_port, err, errlen);
    if (rc == 0)
        enable_pr(fd);
    return rc;
}

long kernel_sock_udp_port(void)
{
    char buf[32];
    ssize_t n;
    int fd = open(UDP_PORT_SYSCTL, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return -1;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    return strtol(buf, NULL, 10);
}

int kernel_sock_check_encap(uint16_t wanted, char *err, size_t errlen)
{
    uint16_t port = 0;
    char val[16];
    int len;
    int fd;
    int rc = transport_kernel_encap_plan(kernel_sock_udp_port(), wanted,
                                         geteuid() == 0, &port, err, errlen);

    if (rc <= 0)
        return rc;
    len = snprintf(val, sizeof(val), "%u\n", (unsigned)port);
    fd = open(UDP_PORT_SYSCTL, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, val, (size_t)len) != len) {
        snprintf(err, errlen,
                 "cannot set net.sctp.udp_port (%s): run sysctl -w "
                 "net.sctp.udp_port=%u",
                 strerror(errno), (unsigned)port);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    log_info("set net.sctp.udp_port to %u for kernel SCTP over UDP",
             (unsigned)port);
    return 0;
}

int kernel_sock_tune(int fd, const struct transport_tuning *tu, char *err,
                     size_t errlen)
{
    struct sctp_plan plan;

    /* On a one-to-one socket, FUTURE_ASSOC reaches its one association. */
    sctp_plan_tuning(tu, &plan);
    return set_nodelay_sack(fd, &plan, err, errlen);
}

void kernel_sock_get_rto(int fd, struct transport_rto *out)
{
    struct sctp_rtoinfo rto;
    socklen_t len = sizeof(rto);

    memset(&rto, 0, sizeof(rto));
    memset(out, 0, sizeof(*out));
    if (getsockopt(fd, IPPROTO_SCTP, SCTP_RTOINFO, &rto, &len) < 0)
        return;
    out->min_ms = rto.srto_min;
    out->max_ms = rto.srto_max;
    out->initial_ms = rto.srto_initial;
}

/* The family of the primary path's packets (an IPv6 socket reaches IPv4
 * peers as ::ffff:a.b.c.d). */
static int path_family(const struct sockaddr_storage *ss, int fallback)
{
    const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

    if (ss->ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
        return AF_INET;
    return ss->ss_family ? ss->ss_family : fallback;
}

/* PR-SCTP messages given up, sent or not (0 if the kernel cannot say). */
static uint64_t abandoned(int fd)
{
    struct sctp_prstatus pr;
    socklen_t len = sizeof(pr);

    memset(&pr, 0, sizeof(pr));
    pr.sprstat_policy = SCTP_PR_SCTP_ALL;
    if (getsockopt(fd, IPPROTO_SCTP, SCTP_PR_ASSOC_STATUS, &pr, &len) < 0)
        return 0;
    return pr.sprstat_abandoned_unsent + pr.sprstat_abandoned_sent;
}

/* Send memory still held: queued chunks and those not yet acknowledged. */
static uint64_t send_queued(int fd)
{
    uint32_t mem[SK_MEMINFO_VARS];
    socklen_t len = sizeof(mem);

    memset(mem, 0, sizeof(mem));
    if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0 ||
        len <= SK_MEMINFO_WMEM_QUEUED * sizeof(mem[0]))
        return UINT64_MAX;
    return mem[SK_MEMINFO_WMEM_QUEUED];
}

/* The buffers the kernel really gives (it doubles what was asked). */
static void buffers(int fd, struct transport_assoc_info *info)
{
    int v = 0;
    socklen_t len = sizeof(v);

    if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, &len) == 0 && v > 0)
        info->sndbuf = (uint32_t)v;
    len = sizeof(v);
    v = 0;
    if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &len) == 0 && v > 0)
        info->rcvbuf = (uint32_t)v;
}

int kernel_sock_assoc_info(int fd, int family, bool encap,
                           struct transport_assoc_info *info,
                           uint64_t *ipackets)
{
    struct sctp_status st;
    struct sctp_assoc_stats as;
    struct sockaddr_storage primary;
    socklen_t len = sizeof(st);

    memset(&st, 0, sizeof(st));
    if (getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &len) < 0)
        return -errno;
    info->in_streams = st.sstat_instrms;
    info->out_streams = st.sstat_outstrms;
    /* copied out: the kernel's struct is packed */
    memcpy(&primary, &st.sstat_primary.spinfo_address, sizeof(primary));
    info->pathmtu = transport_kernel_sctp_pathmtu(
        path_family(&primary, family), st.sstat_primary.spinfo_mtu, encap);
    /* Linux keeps whole ms, and we cannot see its packets */
    info->srtt_us = st.sstat_primary.spinfo_srtt * 1000;
    info->rtt_resolution_us = 1000;
    info->cwnd = st.sstat_primary.spinfo_cwnd;
    buffers(fd, info);
    info->peer_rwnd = st.sstat_rwnd;
    info->unacked = st.sstat_unackdata;
    info->pending = st.sstat_penddata;
    info->rto_ms = st.sstat_primary.spinfo_rto;
    info->abandoned = abandoned(fd);
    info->send_queued = send_queued(fd);
    memset(&as, 0, sizeof(as));
    len = sizeof(as);
    if (getsockopt(fd, IPPROTO_SCTP, SCTP_GET_ASSOC_STATS, &as, &len) == 0) {
        info->retransmits = as.sas_rtxchunks;
        *ipackets = as.sas_ipackets;
    }
    return 0;
}

int kernel_sock_t3_timeouts(uint64_t *out)
{
    char buf[4096];
    ssize_t n;
    int fd = open(SNMP_FILE, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return -1;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    return transport_kernel_snmp_value(buf, "SctpT3RtxExpireds", out) == 0 ? 0
                                                                           : -1;
}

uint16_t kernel_sock_peer_encap_port(int fd, const struct sockaddr *peer,
                                     socklen_t len)
{
    struct sctp_udpencaps ue;
    socklen_t uelen = sizeof(ue);

    memset(&ue, 0, sizeof(ue));
    if (len > sizeof(ue.sue_address))
        return 0;
    memcpy(&ue.sue_address, peer, len);
    if (getsockopt(fd, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &ue, &uelen) <
        0)
        return 0;
    return ntohs(ue.sue_port);
}

/* The length of a sockaddr of family, 0 for any other. */
static socklen_t family_len(int family)
{
    if (family == AF_INET)
        return sizeof(struct sockaddr_in);
    if (family == AF_INET6)
        return sizeof(struct sockaddr_in6);
    return 0;
}

/*
 * addrs[0..n) with port, packed one after the other as sctp_bindx() and
 * sctp_connectx() hand them to the kernel. Returns the bytes used, or 0
 * when an address is of no IP family.
 */
static size_t pack_addrs(const struct sockaddr_storage *addrs, size_t n,
                         uint16_t port, uint8_t *buf, size_t buflen)
{
    size_t used = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        struct sockaddr_storage one = addrs[i];
        socklen_t len = family_len(one.ss_family);

        if (len == 0 || used + len > buflen)
            return 0;
        netaddr_set_port((struct sockaddr *)&one, port);
        memcpy(buf + used, &one, len);
        used += len;
    }
    return used;
}

int kernel_sock_bindx_add(int fd, const struct sockaddr_storage *addrs,
                          size_t n, uint16_t port, char *err, size_t errlen)
{
    uint8_t buf[TRANSPORT_MAX_ADDRS * sizeof(struct sockaddr_in6)];
    size_t len;

    if (n == 0)
        return 0;
    len = pack_addrs(addrs, n, port, buf, sizeof(buf));
    if (len == 0) {
        snprintf(err, errlen, "sctp_bindx: an address of no IP family");
        return -EINVAL;
    }
    /* What libsctp's sctp_bindx(SCTP_BINDX_ADD_ADDR) does. */
    return set_opt(fd, IPPROTO_SCTP, SCTP_SOCKOPT_BINDX_ADD, buf,
                   (socklen_t)len, "sctp_bindx(SCTP_BINDX_ADD_ADDR)", err,
                   errlen);
}

int kernel_sock_connectx(int fd, const struct sockaddr_storage *addrs, size_t n,
                         uint16_t port, char *err, size_t errlen)
{
    uint8_t buf[TRANSPORT_MAX_ADDRS * sizeof(struct sockaddr_in6)];
    size_t len = pack_addrs(addrs, n, port, buf, sizeof(buf));

    if (len == 0) {
        snprintf(err, errlen, "sctp_connectx: an address of no IP family");
        return -EINVAL;
    }
    /* What libsctp's sctp_connectx() does; a non-blocking socket says
     * EINPROGRESS, and COMM_UP follows. */
    if (setsockopt(fd, IPPROTO_SCTP, SCTP_SOCKOPT_CONNECTX, buf,
                   (socklen_t)len) == 0 ||
        errno == EINPROGRESS)
        return 0;
    return sctp_plan_fail(err, errlen, "sctp_connectx", errno);
}

size_t kernel_sock_peer_addrs(int fd, struct sockaddr_storage *out, size_t max)
{
    union {
        struct sctp_getaddrs ga;
        uint8_t buf[sizeof(struct sctp_getaddrs) +
                    TRANSPORT_MAX_ADDRS * 4 * sizeof(struct sockaddr_in6)];
    } u;
    socklen_t len = sizeof(u);
    size_t off = 0;
    size_t n = 0;
    uint32_t i;

    memset(&u, 0, sizeof(u));
    if (getsockopt(fd, IPPROTO_SCTP, SCTP_GET_PEER_ADDRS, &u, &len) < 0)
        return 0;
    len -= (socklen_t)offsetof(struct sctp_getaddrs, addrs);
    for (i = 0; i < u.ga.addr_num && n < max; i++) {
        struct sockaddr sa;
        socklen_t salen;

        if (off + sizeof(sa) > len)
            break;
        memcpy(&sa, u.ga.addrs + off, sizeof(sa));
        salen = family_len(sa.sa_family);
        if (salen == 0 || off + salen > len)
            break;
        memset(&out[n], 0, sizeof(out[n]));
        memcpy(&out[n], u.ga.addrs + off, salen);
        off += salen;
        n++;
    }
    return n;
}
