/*
 * sock_opts.c - see sock_opts.h.
 */
#include <stdio.h>
#include <string.h>

#include "cli_util.h"
#include "runtime.h"
#include "sock_opts.h"

#define RETRANS_MAX 255 /* the limits are counts of tries, 1-255 */

int sock_opts_parse(struct sock_opts *o, int c, const char *opt,
                    const char *arg, char *err, size_t errlen)
{
    switch (c) {
    case 'S':
        o->tos_given = true;
        return cli_parse_tos(opt, arg, &o->tos, err, errlen);
    case SOCK_OPT_DSCP:
        o->dscp_given = true;
        return cli_parse_dscp(opt, arg, &o->tos, err, errlen);
    case SOCK_OPT_BIND_DEV:
        return cli_parse_ifname(opt, arg, &o->bind_dev, err, errlen);
    case SOCK_OPT_INSTREAMS:
        return cli_parse_u16(opt, arg, 1, 65535, &o->in_streams, err, errlen);
    case SOCK_OPT_OUTSTREAMS:
        return cli_parse_u16(opt, arg, 1, 65535, &o->out_streams, err, errlen);
    case SOCK_OPT_MAX_RETRANS_PATH:
        return cli_parse_u16(opt, arg, 1, RETRANS_MAX, &o->max_retrans_path,
                             err, errlen);
    case SOCK_OPT_MAX_RETRANS_ASSOC:
        return cli_parse_u16(opt, arg, 1, RETRANS_MAX, &o->max_retrans_assoc,
                             err, errlen);
    case SOCK_OPT_MAX_INIT_RETRANS:
        return cli_parse_u16(opt, arg, 1, RETRANS_MAX, &o->max_init_retrans,
                             err, errlen);
    case SOCK_OPT_ENCAP:
        o->encap = true;
        return 0;
    case SOCK_OPT_IMPAIR:
        o->impair_given = true;
        return impair_parse(arg, &o->impair, err, errlen);
    case SOCK_OPT_IMPAIR_DIR:
        o->impair_dir_given = true;
        if (strcmp(arg, "tx") == 0)
            o->impair_dir = TRANSPORT_IMPAIR_TX;
        else if (strcmp(arg, "rx") == 0)
            o->impair_dir = TRANSPORT_IMPAIR_RX;
        else if (strcmp(arg, "both") == 0)
            o->impair_dir = TRANSPORT_IMPAIR_TX | TRANSPORT_IMPAIR_RX;
        else {
            snprintf(err, errlen, "%s: '%s' is not tx, rx or both", opt, arg);
            return -1;
        }
        return 0;
    default:
        return 1;
    }
}

int sock_opts_check(const struct sock_opts *o, const char *backend, char *err,
                    size_t errlen)
{
    if (o->tos_given && o->dscp_given) {
        snprintf(err, errlen, CLI_TOS_DSCP_CONFLICT);
        return -1;
    }
    if (o->impair_dir_given && !o->impair_given) {
        snprintf(err, errlen, "--impair-dir needs --impair SPEC");
        return -1;
    }
    if (!o->impair_given)
        return 0;
    if (backend != NULL && strcmp(backend, RUNTIME_BACKEND_ALL) == 0) {
        snprintf(err, errlen,
                 "--impair: --backend all serves kernel SCTP too, whose "
                 "datagrams sctpu never sees: use --backend usrsctp");
        return -1;
    }
    return transport_check_own_udp(transport_chosen(backend), "--impair", err,
                                   errlen);
}

void sock_opts_to_transport(const struct sock_opts *o,
                            struct transport_config *tc)
{
    tc->tos = o->tos;
    tc->bind_dev = o->bind_dev;
    tc->in_streams = o->in_streams;
    tc->max_retrans_path = o->max_retrans_path;
    tc->max_retrans_assoc = o->max_retrans_assoc;
    if (o->impair_given && !impair_is_noop(&o->impair)) {
        tc->impair = &o->impair;
        tc->impair_dir = o->impair_dir_given
                             ? o->impair_dir
                             : TRANSPORT_IMPAIR_TX | TRANSPORT_IMPAIR_RX;
    }
    tc->max_init_retrans = o->max_init_retrans;
    tc->encap = o->encap;
}
