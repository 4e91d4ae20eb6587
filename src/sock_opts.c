/*
 * sock_opts.c - see sock_opts.h.
 */
#include <stdio.h>
#include <string.h>

#include "cli_util.h"
#include "pcap_report.h"
#include "pcap_writer.h"
#include "runtime.h"
#include "sock_opts.h"
#include "units.h"

#define RETRANS_MAX 255   /* the limits are counts of tries, 1-255 */
#define PCAP_MAX_MIN 1024 /* --pcap-max: a header and more */
#define PCAP_MAX_MAX ((uint64_t)1 << 40) /* 1 TiB */

/* --pcap-snaplen N and --pcap-max SIZE (k, M, G suffixes). */
static int parse_pcap_bounds(struct sock_opts *o, int c, const char *opt,
                             const char *arg, char *err, size_t errlen)
{
    uint64_t v = 0;
    int rc;

    o->pcap_opts_given = true;
    if (c == SOCK_OPT_PCAP_SNAPLEN) {
        rc = units_parse_size(arg, PCAP_WRITER_SNAPLEN_MIN,
                              PCAP_WRITER_SNAPLEN_MAX, &v);
        if (rc != 0)
            return cli_fail_num(err, errlen, opt, arg, rc, "64-256k");
        o->pcap_snaplen = (uint32_t)v;
        return 0;
    }
    rc = units_parse_size(arg, PCAP_MAX_MIN, PCAP_MAX_MAX, &v);
    if (rc != 0)
        return cli_fail_num(err, errlen, opt, arg, rc, "1k-1024G");
    o->pcap_max = v;
    return 0;
}

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
    case SOCK_OPT_PCAP:
        if (arg[0] == '\0')
            return cli_fail(err, errlen, opt, arg, "is no file name");
        o->pcap_path = arg;
        return 0;
    case SOCK_OPT_PCAP_SNAPLEN:
    case SOCK_OPT_PCAP_MAX:
        return parse_pcap_bounds(o, c, opt, arg, err, errlen);
    case SOCK_OPT_PCAP_UDP:
        o->pcap_opts_given = true;
        o->pcap_udp = true;
        return 0;
    default:
        return 1;
    }
}

/*
 * what needs sctpu's own UDP socket: not --backend all (it serves kernel
 * SCTP too) nor a backend without one.
 */
static int own_udp_only(const char *backend, const char *what, char *err,
                        size_t errlen)
{
    if (backend != NULL && strcmp(backend, RUNTIME_BACKEND_ALL) == 0) {
        snprintf(err, errlen,
                 "%s: --backend all serves kernel SCTP too, whose "
                 "datagrams sctpu never sees: use --backend usrsctp",
                 what);
        return -1;
    }
    return transport_check_own_udp(transport_chosen(backend), what, err,
                                   errlen);
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
    if (o->pcap_opts_given && o->pcap_path == NULL) {
        snprintf(err, errlen,
                 "--pcap-snaplen, --pcap-max and --pcap-udp need --pcap FILE");
        return -1;
    }
    if (o->pcap_path != NULL &&
        own_udp_only(backend, "--pcap", err, errlen) < 0)
        return -1;
    if (!o->impair_given)
        return 0;
    return own_udp_only(backend, "--impair", err, errlen);
}

int sock_opts_check_pcap(const struct sock_opts *o, unsigned int workers,
                         bool compare, char *err, size_t errlen)
{
    if (o->pcap_path == NULL)
        return 0;
    if (workers > 1) {
        snprintf(err, errlen,
                 "--pcap: --workers %u processes cannot share one file: "
                 "capture with --workers 1",
                 workers);
        return -1;
    }
    if (compare) {
        snprintf(err, errlen,
                 "--pcap: --compare also runs kernel SCTP, whose packets "
                 "sctpu never sees: capture a --backend usrsctp run");
        return -1;
    }
    return 0;
}

int sock_opts_pcap_open(struct sock_opts *o, char *err, size_t errlen)
{
    char why[256];

    if (o->pcap_path == NULL)
        return 0;
    o->pcap = pcap_writer_open(
        o->pcap_path,
        o->pcap_snaplen != 0 ? o->pcap_snaplen : PCAP_WRITER_SNAPLEN_DEFAULT,
        o->pcap_max, why, sizeof(why));
    if (o->pcap == NULL) {
        snprintf(err, errlen, "--pcap %s", why);
        return -1;
    }
    return 0;
}

int sock_opts_pcap_close(struct sock_opts *o, const char *prog)
{
    char line[PCAP_REPORT_LINE_MAX];
    int e;

    if (o->pcap == NULL)
        return 0;
    /* the counts are final once the transports are gone; the close only
     * writes what is buffered */
    (void)pcap_writer_flush(o->pcap);
    pcap_report_line(o->pcap, line, sizeof(line));
    fprintf(stderr, "%s: %s\n", prog, line);
    e = pcap_writer_close(o->pcap);
    o->pcap = NULL;
    if (e < 0)
        fprintf(stderr, "%s: --pcap: the file is incomplete: %s\n", prog,
                strerror(-e));
    return e < 0 ? -1 : 0;
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
    tc->pcap = o->pcap;
    tc->pcap_udp = o->pcap_udp;
}
