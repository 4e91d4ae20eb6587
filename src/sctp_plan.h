/*
 * sctp_plan.h - what both SCTP backends set on a socket before it
 * connects or listens, decided once: a transport_config in, plain values
 * out (buffers, streams, delayed SACK, RTO bounds, failure detection,
 * heartbeat, path MTU). No stack header is needed here: each backend
 * issues the plan with its own setsockopt (usrsctp's or the kernel's),
 * and the rules are unit-tested without any socket.
 */
#ifndef SCTPU_SCTP_PLAN_H
#define SCTPU_SCTP_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transport.h"

/* SCTP socket buffers when none are given: 2 MB each way. */
#define SCTP_PLAN_BUF (2 * 1024 * 1024)
/* Streams a listener offers (a server answers on any stream), and the
 * least number of inbound streams any socket allows. */
#define SCTP_PLAN_LISTEN_STREAMS 2048
/* Outbound streams a client asks for when none are given. */
#define SCTP_PLAN_CONNECT_STREAMS 10

/* usrsctp's default Max.Burst (SCTP_DEF_MAX_BURST; Linux's too). */
#define SCTP_PLAN_STACK_MAX_BURST 4

/* The options of one socket; a zero means "leave the stack's value". */
struct sctp_plan {
    int sndbuf; /* SO_SNDBUF / SO_RCVBUF, always set */
    int rcvbuf;
    /* SCTP_INITMSG, always set */
    uint16_t out_streams;
    uint16_t max_in_streams;
    uint16_t max_init_attempts; /* Max.Init.Retransmits */
    bool nodelay;               /* SCTP_NODELAY on */
    /* SCTP_DELAYED_SACK, read and changed when either is given */
    uint32_t sack_delay_ms;
    uint32_t sack_freq;
    /* SCTP_MAX_BURST, usrsctp backend only (see sctp_plan_max_burst) */
    uint32_t max_burst;
    uint16_t max_retrans_assoc; /* SCTP_ASSOCINFO's Association.Max.Retrans */
    /* SCTP_PEER_ADDR_PARAMS, for every path of future associations */
    uint16_t max_retrans_path; /* Path.Max.Retrans */
    uint32_t hb_interval_ms;   /* HEARTBEAT interval (HB enabled) */
    uint32_t mtu;              /* fixed path MTU (PMTUD off) */
};

/* The outbound streams a socket asks for: cfg's, else the default of a
 * listener or of a client. */
uint16_t sctp_plan_streams(const struct transport_config *cfg, bool listening);

/* The plan for a socket of cfg asking for streams outbound streams. */
void sctp_plan_make(const struct transport_config *cfg, uint16_t streams,
                    struct sctp_plan *out);

/* The plan for retuning a connected association (NODELAY and delayed
 * SACK only). */
void sctp_plan_tuning(const struct transport_tuning *tu, struct sctp_plan *out);

/* Does the plan change delayed SACK? */
bool sctp_plan_has_sack(const struct sctp_plan *p);

/*
 * Delayed SACK as the plan wants it, from the socket's current values:
 * the one not given stays as it is.
 */
void sctp_plan_sack(const struct sctp_plan *p, uint32_t *delay_ms,
                    uint32_t *freq);

/*
 * The Max.Burst a sender needs when its peer SACKs every sack_freq
 * packets, or 0 when the stack's default will do.
 *
 * usrsctp (0.9.5.0 and upstream, with its default sysctl
 * sctp_use_cwnd_based_maxburst 1) applies Max.Burst by lowering cwnd for
 * good to flight size + Max.Burst * MTU before each output. When a
 * delayed SACK has acknowledged everything, the flight size is 0 and the
 * next burst is 4 MTUs of data chunks: 6 packets of 1 KiB messages at a
 * 1500-byte MTU, 5 at 1280. A receiver counting to sack_freq 7 then
 * never reaches its count: every round trip waits out the delayed-SACK
 * timer, and the association moves about 6 messages per --sack-delay
 * (30 KB/s at 200 ms). Each packet carries less than one MTU of chunks,
 * so a Max.Burst of sack_freq lets at least sack_freq packets out, and
 * the receiver's count, not its timer, clocks the sender again (the
 * default's 4 MTUs are 5 packets at least: up to 5, 0). Linux
 * lowers cwnd only for the one flush and restores it, so the kernel
 * backend does not need this.
 */
uint32_t sctp_plan_max_burst(uint32_t sack_freq);

/*
 * The RTO bounds to set, from the socket's current min and max and cfg:
 * the values not given are pulled into line with those given (both stacks
 * want min <= initial <= max: --rto-max 500 alone would otherwise clash
 * with the default initial), and RTO.Initial is TRANSPORT_RTO_INITIAL_MS
 * unless given (RFC 9260's 1 s, not the stacks' 3 s).
 */
void sctp_plan_rto(const struct transport_config *cfg, uint32_t cur_min,
                   uint32_t cur_max, struct transport_rto *out);

/* The one wording of a failed socket call: "what: strerror(errnum)" into
 * err. Returns -errnum. */
int sctp_plan_fail(char *err, size_t errlen, const char *what, int errnum);

#endif /* SCTPU_SCTP_PLAN_H */
