/*
 * sctp_sockopt.c - the usrsctp socket options and queries the backend
 * uses: buffers, streams, notifications, delayed SACK, RTO bounds, path
 * MTU, and the association's state, port and PR-SCTP counters.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <usrsctp.h>

#include "sctp_plan.h"
#include "sctp_plan_stack.h"
#include "sctp_sockopt.h"

/* usrsctp's SCTP_PR_SCTP_ALL, which its public header does not export */
#define SCTP_PR_SCTP_ALL_POLICIES 0x000f

/*
 * usrsctp 0.9.5.0 implements SCTP_GET_SNDBUF_USE (sctp_usrreq.c: the
 * association's total_output_queue_size, i.e. bytes queued and not yet
 * acknowledged) but its public header declares neither the option nor
 * its struct. Same values as usrsctp's netinet/sctp.h and sctp_uio.h.
 */
#define SCTP_GET_SNDBUF_USE 0x00001101
struct sctp_sockstat {
    sctp_assoc_t ss_assoc_id;
    uint32_t ss_total_sndbuf;
    uint32_t ss_total_recv_buf;
};

static int set_opt(struct socket *so, int level, int name, const void *val,
                   socklen_t len, const char *what, char *err, size_t errlen)
{
    if (usrsctp_setsockopt(so, level, name, val, len) < 0) {
        sctp_plan_fail(err, errlen, what, errno);
        return -1;
    }
    return 0;
}

/*
 * Get-modify-set of an SCTP option of future associations, whose struct
 * starts with its sctp_assoc_t: read it into val, let modify change what
 * is asked for (the rest keeps its value), write it back. optname is the
 * option's name for the error.
 */
static int future_update(struct socket *so, int name, const char *optname,
                         void *val, socklen_t len,
                         void (*modify)(void *val, const void *arg),
                         const void *arg, char *err, size_t errlen)
{
    const sctp_assoc_t future = SCTP_FUTURE_ASSOC;
    socklen_t got = len;
    char what[64];

    memset(val, 0, len);
    memcpy(val, &future, sizeof(future));
    if (usrsctp_getsockopt(so, IPPROTO_SCTP, name, val, &got) < 0) {
        snprintf(what, sizeof(what), "getsockopt(%s)", optname);
        sctp_plan_fail(err, errlen, what, errno);
        return -1;
    }
    memcpy(val, &future, sizeof(future));
    modify(val, arg);
    snprintf(what, sizeof(what), "setsockopt(%s)", optname);
    return set_opt(so, IPPROTO_SCTP, name, val, len, what, err, errlen);
}

int sctp_sockopt_set_pathmtu(struct socket *so, sctp_assoc_t assoc,
                             uint32_t mtu, char *err, size_t errlen)
{
    struct sctp_paddrparams pp;

    memset(&pp, 0, sizeof(pp));
    /* An AF_CONN wildcard address means "every path of the association". */
    pp.spp_address.ss_family = AF_CONN;
    pp.spp_assoc_id = assoc;
    pp.spp_flags = SPP_PMTUD_DISABLE;
    pp.spp_pathmtu = mtu;
    return set_opt(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp),
                   "setsockopt(SCTP_PEER_ADDR_PARAMS)", err, errlen);
}

static void modify_assoc_max_retrans(void *val, const void *plan)
{
    struct sctp_assocparams *ap = val;

    ap->sasoc_asocmaxrxt = ((const struct sctp_plan *)plan)->max_retrans_assoc;
    /* zero leaves these as they are */
    ap->sasoc_peer_rwnd = 0;
    ap->sasoc_local_rwnd = 0;
    ap->sasoc_cookie_life = 0;
}

/* The plan's NODELAY and delayed SACK, and the Max.Burst its SACK
 * frequency needs (sctp_plan_max_burst: without it a --sack-freq above
 * 6 stalls 1 KiB messages at a 1500-byte MTU). */
static int set_nodelay_sack(struct socket *so, const struct sctp_plan *plan,
                            char *err, size_t errlen)
{
    struct sctp_sack_info sack;
    struct sctp_assoc_value burst;
    int on = 1;

    if (plan->nodelay &&
        set_opt(so, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on),
                "setsockopt(SCTP_NODELAY)", err, errlen) < 0)
        return -1;
    if (sctp_plan_has_sack(plan) &&
        future_update(so, SCTP_DELAYED_SACK, "SCTP_DELAYED_SACK", &sack,
                      sizeof(sack), sctp_plan_modify_sack, plan, err,
                      errlen) < 0)
        return -1;
    /* Future associations of a socket not yet connected; a connected
     * one-to-one socket's association. */
    memset(&burst, 0, sizeof(burst));
    burst.assoc_id = SCTP_FUTURE_ASSOC;
    burst.assoc_value = plan->max_burst;
    if (plan->max_burst &&
        set_opt(so, IPPROTO_SCTP, SCTP_MAX_BURST, &burst, sizeof(burst),
                "setsockopt(SCTP_MAX_BURST)", err, errlen) < 0)
        return -1;
    return 0;
}

int sctp_sockopt_tune(struct socket *so, const struct transport_tuning *tu,
                      char *err, size_t errlen)
{
    struct sctp_plan plan;

    /* On a one-to-one socket the option reaches its one association. */
    sctp_plan_tuning(tu, &plan);
    return set_nodelay_sack(so, &plan, err, errlen);
}

void sctp_sockopt_get_rto(struct socket *so, struct transport_rto *out)
{
    struct sctp_rtoinfo rto;
    socklen_t len = sizeof(rto);

    memset(&rto, 0, sizeof(rto));
    memset(out, 0, sizeof(*out));
    rto.srto_assoc_id = SCTP_FUTURE_ASSOC;
    if (usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_RTOINFO, &rto, &len) < 0)
        return;
    out->min_ms = rto.srto_min;
    out->max_ms = rto.srto_max;
    out->initial_ms = rto.srto_initial;
}

/* Path.Max.Retrans for every path of future associations. */
static int set_path_max_retrans(struct socket *so, uint16_t n, char *err,
                                size_t errlen)
{
    struct sctp_paddrparams pp;

    memset(&pp, 0, sizeof(pp));
    pp.spp_assoc_id = SCTP_FUTURE_ASSOC;
    pp.spp_pathmaxrxt = n;
    return set_opt(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp),
                   "setsockopt(SCTP_PEER_ADDR_PARAMS)", err, errlen);
}

uint64_t sctp_sockopt_send_queued(struct socket *so)
{
    struct sctp_sockstat ss;
    socklen_t len = sizeof(ss);

    memset(&ss, 0, sizeof(ss));
    if (usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_GET_SNDBUF_USE, &ss, &len) <
        0)
        return UINT64_MAX;
    return ss.ss_total_sndbuf;
}

/*
 * The HEARTBEAT interval for future associations. A heartbeat is also
 * what revives a NAT mapping that died while the peer had nothing to send
 * (its new port is then followed: see follow_rebinding), so NAT users want
 * it well under the NAT's UDP timeout. The peer address stays zero: the
 * endpoint's default for every address.
 */
static int set_heartbeat(struct socket *so, uint32_t interval_ms, char *err,
                         size_t errlen)
{
    struct sctp_paddrparams pp;

    memset(&pp, 0, sizeof(pp));
    pp.spp_assoc_id = SCTP_FUTURE_ASSOC;
    pp.spp_hbinterval = interval_ms;
    pp.spp_flags = SPP_HB_ENABLE;
    return set_opt(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp),
                   "setsockopt(SCTP_PEER_ADDR_PARAMS)", err, errlen);
}

/* The notifications the backend acts on, for future associations. */
static int subscribe(struct socket *so, char *err, size_t errlen)
{
    static const uint16_t events[] = {
        SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_EVENT,   SCTP_SEND_FAILED_EVENT,
        SCTP_REMOTE_ERROR, SCTP_PEER_ADDR_CHANGE,
    };
    size_t i;

    for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
        struct sctp_event ev;

        memset(&ev, 0, sizeof(ev));
        ev.se_assoc_id = SCTP_FUTURE_ASSOC;
        ev.se_type = events[i];
        ev.se_on = 1;
        if (set_opt(so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev),
                    "setsockopt(SCTP_EVENT)", err, errlen) < 0)
            return -1;
    }
    return 0;
}

/*
 * Options every socket gets before it connects or listens: buffers,
 * streams, notifications, RTO bounds, the message metadata we read.
 */
/*
 * usrsctp 0.9.5.0 implements SCTP_INTERLEAVING_SUPPORTED (I-DATA, RFC
 * 8260) in sctp_usrreq.c, but its public header does not export the
 * option's number; usrsctp's own fuzzers define it so too.
 */
#ifndef SCTP_INTERLEAVING_SUPPORTED
#define SCTP_INTERLEAVING_SUPPORTED 0x00001206
#endif

/* sctpu-perf --scheduler and --interleave, for future associations. The
 * stack refuses I-DATA unless fragments of different streams may be
 * interleaved in delivery (level 2), so that goes first. */
static int set_streams_sched(struct socket *so,
                             const struct transport_config *cfg, char *err,
                             size_t errlen)
{
    static const uint32_t ss[] = {
        [TRANSPORT_SS_RR] = SCTP_SS_ROUND_ROBIN,
        [TRANSPORT_SS_RR_PKT] = SCTP_SS_ROUND_ROBIN_PACKET,
        [TRANSPORT_SS_FCFS] = SCTP_SS_FIRST_COME,
        [TRANSPORT_SS_FAIR] = SCTP_SS_FAIR_BANDWITH,
        [TRANSPORT_SS_PRIO] = SCTP_SS_PRIORITY,
    };
    struct sctp_assoc_value av;
    int level = 2; /* SCTP_FRAG_LEVEL_2, not in usrsctp.h */

    memset(&av, 0, sizeof(av));
    av.assoc_id = SCTP_FUTURE_ASSOC;
    if (cfg->stream_scheduler > 0 &&
        cfg->stream_scheduler < sizeof(ss) / sizeof(ss[0])) {
        av.assoc_value = ss[cfg->stream_scheduler];
        if (set_opt(so, IPPROTO_SCTP, SCTP_PLUGGABLE_SS, &av, sizeof(av),
                    "setsockopt(SCTP_PLUGGABLE_SS)", err, errlen) < 0)
            return -1;
    }
    if (!cfg->interleave)
        return 0;
    av.assoc_value = 1;
    if (set_opt(so, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, &level,
                sizeof(level), "setsockopt(SCTP_FRAGMENT_INTERLEAVE)", err,
                errlen) < 0 ||
        set_opt(so, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, &av, sizeof(av),
                "setsockopt(SCTP_INTERLEAVING_SUPPORTED)", err, errlen) < 0)
        return -1;
    return 0;
}

int sctp_sockopt_configure(struct socket *so,
                           const struct transport_config *cfg, uint16_t streams,
                           char *err, size_t errlen)
{
    struct sctp_assocparams ap;
    struct sctp_rtoinfo rto;
    struct sctp_initmsg init;
    struct sctp_plan plan;
    int on = 1;

    sctp_plan_make(cfg, streams, &plan);
    memset(&init, 0, sizeof(init));
    init.sinit_num_ostreams = plan.out_streams;
    init.sinit_max_instreams = plan.max_in_streams;
    init.sinit_max_attempts = plan.max_init_attempts;

    if (usrsctp_set_non_blocking(so, 1) < 0) {
        sctp_plan_fail(err, errlen, "usrsctp_set_non_blocking", errno);
        return -1;
    }
    if (set_opt(so, SOL_SOCKET, SO_SNDBUF, &plan.sndbuf, sizeof(plan.sndbuf),
                "setsockopt(SO_SNDBUF)", err, errlen) < 0 ||
        set_opt(so, SOL_SOCKET, SO_RCVBUF, &plan.rcvbuf, sizeof(plan.rcvbuf),
                "setsockopt(SO_RCVBUF)", err, errlen) < 0 ||
        set_opt(so, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on),
                "setsockopt(SCTP_RECVRCVINFO)", err, errlen) < 0 ||
        set_opt(so, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof(init),
                "setsockopt(SCTP_INITMSG)", err, errlen) < 0)
        return -1;
    if (set_nodelay_sack(so, &plan, err, errlen) < 0)
        return -1;
    /* Always: RTO.Initial defaults to RFC 9260's 1 s, not usrsctp's 3 s. */
    if (future_update(so, SCTP_RTOINFO, "SCTP_RTOINFO", &rto, sizeof(rto),
                      sctp_plan_modify_rto, cfg, err, errlen) < 0)
        return -1;
    if (plan.max_retrans_assoc &&
        future_update(so, SCTP_ASSOCINFO, "SCTP_ASSOCINFO", &ap, sizeof(ap),
                      modify_assoc_max_retrans, &plan, err, errlen) < 0)
        return -1;
    if (plan.max_retrans_path &&
        set_path_max_retrans(so, plan.max_retrans_path, err, errlen) < 0)
        return -1;
    if (plan.hb_interval_ms &&
        set_heartbeat(so, plan.hb_interval_ms, err, errlen) < 0)
        return -1;
    if (set_streams_sched(so, cfg, err, errlen) < 0)
        return -1;
    return subscribe(so, err, errlen);
}

int sctp_sockopt_error(struct socket *so)
{
    int e = 0;
    socklen_t len = sizeof(e);

    if (usrsctp_getsockopt(so, SOL_SOCKET, SO_ERROR, &e, &len) < 0 || e == 0)
        return ECONNREFUSED;
    return e;
}

/* The SCTP port a socket is bound to (an ephemeral one is known only
 * after connect); fallback when usrsctp cannot say. */
uint16_t sctp_sockopt_bound_port(struct socket *so, uint16_t fallback)
{
    struct sockaddr *addrs = NULL;
    uint16_t port = fallback;

    if (usrsctp_getladdrs(so, 0, &addrs) > 0 && addrs != NULL &&
        addrs->sa_family == AF_CONN)
        port = ntohs(((struct sockaddr_conn *)addrs)->sconn_port);
    if (addrs != NULL)
        usrsctp_freeladdrs(addrs);
    return port;
}

int sctp_sockopt_state(struct socket *so)
{
    struct sctp_status st;
    socklen_t len = sizeof(st);

    memset(&st, 0, sizeof(st));
    if (usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_STATUS, &st, &len) < 0)
        return -1;
    return st.sstat_state;
}

/* Our PR-SCTP numbering (transport.h) to the socket API's. */
uint16_t sctp_sockopt_pr_policy(uint8_t ours)
{
    switch (ours) {
    case 1:
        return SCTP_PR_SCTP_TTL;
    case 2:
        return SCTP_PR_SCTP_RTX;
    case 3:
        return SCTP_PR_SCTP_BUF;
    }
    return SCTP_PR_SCTP_NONE;
}

/* PR-SCTP messages given up, sent or not (0 if the stack cannot say). */
uint64_t sctp_sockopt_abandoned(struct socket *so)
{
    struct sctp_prstatus pr;
    socklen_t len = sizeof(pr);

    memset(&pr, 0, sizeof(pr));
    pr.sprstat_policy = SCTP_PR_SCTP_ALL_POLICIES;
    if (usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_PR_ASSOC_STATUS, &pr, &len) <
        0)
        return 0;
    return pr.sprstat_abandoned_unsent + pr.sprstat_abandoned_sent;
}
