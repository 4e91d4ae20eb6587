/*
 * sctp_sockopt.h - usrsctp socket options and queries used by the usrsctp
 * backend. Setters return 0, or -1 with "what: why" in err.
 */
#ifndef SCTPU_SCTP_SOCKOPT_H
#define SCTPU_SCTP_SOCKOPT_H

#include <stddef.h>
#include <stdint.h>
#include <usrsctp.h>

#include "transport.h"

/*
 * Everything a socket needs before it connects or listens: non-blocking,
 * what sctp_plan_make() decides for cfg and streams, plus notifications
 * and SCTP_RECVRCVINFO.
 */
int sctp_sockopt_configure(struct socket *so,
                           const struct transport_config *cfg, uint16_t streams,
                           char *err, size_t errlen);

/* Fixed path MTU (no PMTUD) for assoc: an id or SCTP_FUTURE_ASSOC. */
int sctp_sockopt_set_pathmtu(struct socket *so, sctp_assoc_t assoc,
                             uint32_t mtu, char *err, size_t errlen);

/* SO_ERROR, or ECONNREFUSED when usrsctp reports none. */
int sctp_sockopt_error(struct socket *so);

/* SCTP_STATUS's state (SCTP_ESTABLISHED ...), or -1. */
int sctp_sockopt_state(struct socket *so);

/* The local SCTP port (ephemeral ones are known after connect). */
uint16_t sctp_sockopt_bound_port(struct socket *so, uint16_t fallback);

/* PR-SCTP messages given up, sent or not (0 if the stack cannot say). */
uint64_t sctp_sockopt_abandoned(struct socket *so);

/* NODELAY and delayed SACK of a connected socket's association. */
int sctp_sockopt_tune(struct socket *so, const struct transport_tuning *tu,
                      char *err, size_t errlen);

/* The RTO bounds of future associations (zeros if the stack cannot say). */
void sctp_sockopt_get_rto(struct socket *so, struct transport_rto *out);

/* Bytes given to send and not yet acknowledged, or UINT64_MAX. */
uint64_t sctp_sockopt_send_queued(struct socket *so);

/* transport.h's PR-SCTP policy numbers to the socket API's. */
uint16_t sctp_sockopt_pr_policy(uint8_t ours);

#endif /* SCTPU_SCTP_SOCKOPT_H */
