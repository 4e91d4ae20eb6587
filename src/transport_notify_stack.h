/*
 * transport_notify_stack.h - the one mapping of an RFC 6458 notification
 * to transport_notify's neutral events, for both backends.
 *
 * Include it after the stack's own header (usrsctp.h or <netinet/sctp.h>):
 * the two name their structs and constants alike but give the constants
 * other values, and cannot be included in one file, so this source
 * compiles once in each backend, against that backend's stack.
 */
#ifndef SCTPU_TRANSPORT_NOTIFY_STACK_H
#define SCTPU_TRANSPORT_NOTIFY_STACK_H

#include <stddef.h>

#include "transport_notify.h"

/*
 * Which notification buf (len bytes, whole) holds: its event, with info
 * filled in; or -1, with *paddr set for a peer address change (NULL for
 * anything we do not act on, or too short to read).
 */
static inline int
transport_notify_decode(const void *buf, size_t len,
                        struct transport_notify_info *info,
                        const struct sctp_paddr_change **paddr)
{
    /* the stack's constants in the order of transport_notify.h's enum */
    static const int assoc_states[] = {
        [TRANSPORT_NOTIFY_COMM_UP] = SCTP_COMM_UP,
        [TRANSPORT_NOTIFY_COMM_LOST] = SCTP_COMM_LOST,
        [TRANSPORT_NOTIFY_RESTART] = SCTP_RESTART,
        [TRANSPORT_NOTIFY_SHUTDOWN_COMP] = SCTP_SHUTDOWN_COMP,
        [TRANSPORT_NOTIFY_CANT_STR_ASSOC] = SCTP_CANT_STR_ASSOC,
    };
    static const int others[] = {
        [TRANSPORT_NOTIFY_COMM_UP] = -1,
        [TRANSPORT_NOTIFY_COMM_LOST] = -1,
        [TRANSPORT_NOTIFY_RESTART] = -1,
        [TRANSPORT_NOTIFY_SHUTDOWN_COMP] = -1,
        [TRANSPORT_NOTIFY_CANT_STR_ASSOC] = -1,
        [TRANSPORT_NOTIFY_SHUTDOWN_EVENT] = SCTP_SHUTDOWN_EVENT,
        [TRANSPORT_NOTIFY_SEND_FAILED] = SCTP_SEND_FAILED_EVENT,
        [TRANSPORT_NOTIFY_REMOTE_ERROR] = SCTP_REMOTE_ERROR,
    };
    const union sctp_notification *n = buf;
    const struct sctp_assoc_change *sac = &n->sn_assoc_change;

    *paddr = NULL;
    if (len < sizeof(n->sn_header))
        return -1;
    if (n->sn_header.sn_type == SCTP_PEER_ADDR_CHANGE) {
        if (len >= sizeof(n->sn_paddr_change))
            *paddr = &n->sn_paddr_change;
        return -1;
    }
    if (n->sn_header.sn_type != SCTP_ASSOC_CHANGE)
        return transport_notify_lookup(others, TRANSPORT_NOTIFY_LEN(others),
                                       n->sn_header.sn_type);
    if (len < sizeof(*sac))
        return -1;
    /* An ABORT chunk from the peer follows the fixed part. */
    info->from_peer = sac->sac_length > sizeof(*sac);
    info->out_streams = sac->sac_outbound_streams;
    info->in_streams = sac->sac_inbound_streams;
    return transport_notify_lookup(
        assoc_states, TRANSPORT_NOTIFY_LEN(assoc_states), sac->sac_state);
}

/* A peer address change's spc_state as transport.h's. */
static inline enum transport_path_state
transport_notify_path_state(int spc_state)
{
    static const int states[] = {
        [TRANSPORT_PATH_AVAILABLE] = SCTP_ADDR_AVAILABLE,
        [TRANSPORT_PATH_UNREACHABLE] = SCTP_ADDR_UNREACHABLE,
        [TRANSPORT_PATH_REMOVED] = SCTP_ADDR_REMOVED,
        [TRANSPORT_PATH_ADDED] = SCTP_ADDR_ADDED,
        [TRANSPORT_PATH_MADE_PRIMARY] = SCTP_ADDR_MADE_PRIM,
        [TRANSPORT_PATH_CONFIRMED] = SCTP_ADDR_CONFIRMED,
#ifdef SCTP_ADDR_PF
        [TRANSPORT_PATH_POTENTIALLY_FAILED] = SCTP_ADDR_PF,
#else
        [TRANSPORT_PATH_POTENTIALLY_FAILED] = -1, /* usrsctp: no SCTP-PF */
#endif /* SCTP_ADDR_PF */
    };
    int st = transport_notify_lookup(states, TRANSPORT_NOTIFY_LEN(states),
                                     spc_state);

    return st < 0 ? TRANSPORT_PATH_UNKNOWN : (enum transport_path_state)st;
}

#endif /* SCTPU_TRANSPORT_NOTIFY_STACK_H */
