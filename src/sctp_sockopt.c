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

#include "sctp_sockopt.h"

#define DEFAULT_SCTP_BUF (2 * 1024 * 1024)
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

static void set_err(char *err, size_t errlen, const char *what, int errnum)
{
    snprintf(err, errlen, "%s: %s", what, strerror(errnum));
}

static int set_opt(struct socket *so, int level, int name, const void *val,
                   socklen_t len, const char *what, char *err, size_t errlen)
{
    if (usrsctp_setsockopt(so, level, name, val, len) < 0) {
        set_err(err, errlen, what, errno);
        return -1;
    }
    return 0;
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

/* Delayed SACK: delay in ms and every how many packets at the latest. */
static int set_sack(struct socket *so, uint32_t delay_ms, uint32_t freq,
                    char *err, size_t errlen)
{
    struct sctp_sack_info sack;
    socklen_t len = sizeof(sack);

    memset(&sack, 0, sizeof(sack));
    sack.sack_assoc_id = SCTP_FUTURE_ASSOC;
    /* Keep the value not asked for as it is. */
    if (usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_DELAYED_SACK, &sack, &len) <
        0) {
        set_err(err, errlen, "getsockopt(SCTP_DELAYED_SACK)", errno);
        return -1;
    }
    sack.sack_assoc_id = SCTP_FUTURE_ASSOC;
    if (delay_ms)
        sack.sack_delay = delay_ms;
    if (freq)
        sack.sack_freq = freq;
    return set_opt(so, IPPROTO_SCTP, SCTP_DELAYED_SACK, &sack, sizeof(sack),
                   "setsockopt(SCTP_DELAYED_SACK)", err, errlen);
}

static uint32_t clamp_u32(uint32_t v, uint32_t lo, uint32_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/*
 * RTO bounds. usrsctp wants min <= initial <= max, so the values not
 * given are taken from the current ones and pulled into line: --rto-max
 * 500 alone would otherwise clash with the default initial 3000 ms.
 */
static int set_rto(struct socket *so, const struct transport_config *cfg,
                   char *err, size_t errlen)
{
    struct sctp_rtoinfo rto;
    socklen_t len = sizeof(rto);

    memset(&rto, 0, sizeof(rto));
    rto.srto_assoc_id = SCTP_FUTURE_ASSOC;
    if (usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_RTOINFO, &rto, &len) < 0) {
        set_err(err, errlen, "getsockopt(SCTP_RTOINFO)", errno);
        return -1;
    }
    rto.srto_assoc_id = SCTP_FUTURE_ASSOC;
    if (cfg->rto_max_ms)
        rto.srto_max = cfg->rto_max_ms;
    if (cfg->rto_min_ms)
        rto.srto_min = cfg->rto_min_ms;
    if (!cfg->rto_min_ms && rto.srto_min > rto.srto_max)
        rto.srto_min = rto.srto_max;
    if (!cfg->rto_max_ms && rto.srto_max < rto.srto_min)
        rto.srto_max = rto.srto_min;
    /* A given RTO.Initial moves the bounds not given to include it:
     * --rto-initial 100 --rto-max 200 must not clash with RTO.Min 1 s. */
    if (cfg->rto_initial_ms && !cfg->rto_min_ms &&
        rto.srto_min > cfg->rto_initial_ms)
        rto.srto_min = cfg->rto_initial_ms;
    if (cfg->rto_initial_ms && !cfg->rto_max_ms &&
        rto.srto_max < cfg->rto_initial_ms)
        rto.srto_max = cfg->rto_initial_ms;
    rto.srto_initial =
        cfg->rto_initial_ms
            ? cfg->rto_initial_ms
            : clamp_u32(TRANSPORT_RTO_INITIAL_MS, rto.srto_min, rto.srto_max);
    return set_opt(so, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof(rto),
                   "setsockopt(SCTP_RTOINFO)", err, errlen);
}

int sctp_sockopt_tune(struct socket *so, const struct transport_tuning *tu,
                      char *err, size_t errlen)
{
    int on = 1;

    if (tu->nodelay && set_opt(so, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on),
                               "setsockopt(SCTP_NODELAY)", err, errlen) < 0)
        return -1;
    /* On a one-to-one socket the option reaches its one association. */
    if ((tu->sack_delay_ms || tu->sack_freq) &&
        set_sack(so, tu->sack_delay_ms, tu->sack_freq, err, errlen) < 0)
        return -1;
    return 0;
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

/* Association.Max.Retrans for future associations. */
static int set_assoc_max_retrans(struct socket *so, uint16_t n, char *err,
                                 size_t errlen)
{
    struct sctp_assocparams ap;
    socklen_t len = sizeof(ap);

    memset(&ap, 0, sizeof(ap));
    ap.sasoc_assoc_id = SCTP_FUTURE_ASSOC;
    if (usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, &len) < 0) {
        set_err(err, errlen, "getsockopt(SCTP_ASSOCINFO)", errno);
        return -1;
    }
    ap.sasoc_assoc_id = SCTP_FUTURE_ASSOC;
    ap.sasoc_asocmaxrxt = n;
    /* zero leaves these as they are */
    ap.sasoc_peer_rwnd = 0;
    ap.sasoc_local_rwnd = 0;
    ap.sasoc_cookie_life = 0;
    return set_opt(so, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof(ap),
                   "setsockopt(SCTP_ASSOCINFO)", err, errlen);
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

/*
 * Options every socket gets before it connects or listens: buffers,
 * streams, notifications, RTO bounds, the message metadata we read.
 */
int sctp_sockopt_configure(struct socket *so,
                           const struct transport_config *cfg, uint16_t streams,
                           char *err, size_t errlen)
{
    static const uint16_t events[] = {
        SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_EVENT,   SCTP_SEND_FAILED_EVENT,
        SCTP_REMOTE_ERROR, SCTP_PEER_ADDR_CHANGE,
    };
    int sndbuf = cfg->sndbuf ? (int)cfg->sndbuf : DEFAULT_SCTP_BUF;
    int rcvbuf = cfg->rcvbuf ? (int)cfg->rcvbuf : DEFAULT_SCTP_BUF;
    int on = 1;
    struct sctp_initmsg init;
    size_t i;

    memset(&init, 0, sizeof(init));
    init.sinit_num_ostreams = streams;
    init.sinit_max_instreams = streams > SCTP_SOCKOPT_LISTEN_STREAMS
                                   ? streams
                                   : SCTP_SOCKOPT_LISTEN_STREAMS;
    if (cfg->in_streams)
        init.sinit_max_instreams = cfg->in_streams;
    init.sinit_max_attempts = cfg->max_init_retrans;

    if (usrsctp_set_non_blocking(so, 1) < 0) {
        set_err(err, errlen, "usrsctp_set_non_blocking", errno);
        return -1;
    }
    if (set_opt(so, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf),
                "setsockopt(SO_SNDBUF)", err, errlen) < 0 ||
        set_opt(so, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf),
                "setsockopt(SO_RCVBUF)", err, errlen) < 0 ||
        set_opt(so, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on),
                "setsockopt(SCTP_RECVRCVINFO)", err, errlen) < 0 ||
        set_opt(so, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof(init),
                "setsockopt(SCTP_INITMSG)", err, errlen) < 0)
        return -1;
    if (cfg->nodelay && set_opt(so, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on),
                                "setsockopt(SCTP_NODELAY)", err, errlen) < 0)
        return -1;
    if ((cfg->sack_delay_ms || cfg->sack_freq) &&
        set_sack(so, cfg->sack_delay_ms, cfg->sack_freq, err, errlen) < 0)
        return -1;
    /* Always: RTO.Initial defaults to RFC 9260's 1 s, not usrsctp's 3 s. */
    if (set_rto(so, cfg, err, errlen) < 0)
        return -1;
    if (cfg->max_retrans_assoc &&
        set_assoc_max_retrans(so, cfg->max_retrans_assoc, err, errlen) < 0)
        return -1;
    if (cfg->max_retrans_path &&
        set_path_max_retrans(so, cfg->max_retrans_path, err, errlen) < 0)
        return -1;
    if (cfg->hb_interval_ms &&
        set_heartbeat(so, cfg->hb_interval_ms, err, errlen) < 0)
        return -1;
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
