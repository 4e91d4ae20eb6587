/*
 * sock_opts.h - the socket options sctpu-echo and sctpu-perf share:
 * -S/--tos, --dscp, --bind-dev, --instreams, --outstreams and RFC 9260's
 * retransmission limits. One parser, so both tools take the same values
 * and say the same things; each tool lists SOCK_OPTS_LONGOPTS in its
 * getopt table and hands every option to sock_opts_parse first.
 */
#ifndef SCTPU_SOCK_OPTS_H
#define SCTPU_SOCK_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "impair.h"
#include "transport.h"

/* getopt values, above every tool's own OPT_* */
enum sock_opt {
    SOCK_OPT_DSCP = 0x400,
    SOCK_OPT_BIND_DEV,
    SOCK_OPT_INSTREAMS,
    SOCK_OPT_OUTSTREAMS,
    SOCK_OPT_MAX_RETRANS_PATH,
    SOCK_OPT_MAX_RETRANS_ASSOC,
    SOCK_OPT_MAX_INIT_RETRANS,
    SOCK_OPT_ENCAP,
    SOCK_OPT_IMPAIR,
    SOCK_OPT_IMPAIR_DIR,
    SOCK_OPT_PCAP,
    SOCK_OPT_PCAP_SNAPLEN,
    SOCK_OPT_PCAP_MAX,
    SOCK_OPT_PCAP_UDP,
};

/* clang-format off */
#define SOCK_OPTS_LONGOPTS                                                    \
    { "tos",               required_argument, NULL, 'S' },                   \
    { "dscp",              required_argument, NULL, SOCK_OPT_DSCP },         \
    { "bind-dev",          required_argument, NULL, SOCK_OPT_BIND_DEV },     \
    { "instreams",         required_argument, NULL, SOCK_OPT_INSTREAMS },    \
    { "outstreams",        required_argument, NULL, SOCK_OPT_OUTSTREAMS },   \
    { "max-retrans-path",  required_argument, NULL,                          \
      SOCK_OPT_MAX_RETRANS_PATH },                                           \
    { "max-retrans-assoc", required_argument, NULL,                          \
      SOCK_OPT_MAX_RETRANS_ASSOC },                                          \
    { "max-init-retrans",  required_argument, NULL,                          \
      SOCK_OPT_MAX_INIT_RETRANS },                                           \
    { "encap",             no_argument,       NULL, SOCK_OPT_ENCAP },         \
    { "impair",            required_argument, NULL, SOCK_OPT_IMPAIR },       \
    { "impair-dir",        required_argument, NULL, SOCK_OPT_IMPAIR_DIR },   \
    { "pcap",              required_argument, NULL, SOCK_OPT_PCAP },         \
    { "pcap-snaplen",      required_argument, NULL, SOCK_OPT_PCAP_SNAPLEN }, \
    { "pcap-max",          required_argument, NULL, SOCK_OPT_PCAP_MAX },     \
    { "pcap-udp",          no_argument,       NULL, SOCK_OPT_PCAP_UDP }
/* clang-format on */

struct sock_opts {
    uint8_t tos;          /* -S/--tos, or --dscp << 2; 0 = default */
    const char *bind_dev; /* --bind-dev: SO_BINDTODEVICE; NULL = any */
    uint16_t in_streams;  /* --instreams: inbound streams allowed */
    /* --outstreams: outbound streams asked for; each tool decides what it
     * means for its clients (see its CLI); 0 = default */
    uint16_t out_streams;
    uint16_t max_retrans_path; /* RFC 9260 failure detection; 0 = default */
    uint16_t max_retrans_assoc;
    uint16_t max_init_retrans;
    /* --encap: the kernel backend sends SCTP over UDP (RFC 6951) to the
     * peer's --udp-port; usrsctp always does */
    bool encap;
    /* --impair SPEC and --impair-dir: sctpu impairs its own datagrams
     * (impair.h); usrsctp backend only */
    struct impair_spec impair;
    bool impair_given;
    uint8_t impair_dir; /* TRANSPORT_IMPAIR_TX | _RX; both by default */
    bool impair_dir_given;
    /* --pcap FILE, --pcap-snaplen, --pcap-max, --pcap-udp (usrsctp backend
     * only); pcap is the writer sock_opts_pcap_open made, shared by every
     * transport of the process */
    const char *pcap_path;
    uint32_t pcap_snaplen; /* 0: PCAP_WRITER_SNAPLEN_DEFAULT */
    uint64_t pcap_max;     /* bytes; 0: no cap */
    bool pcap_udp;
    bool pcap_opts_given; /* any of the last three */
    struct pcap_writer *pcap;
    /* while parsing: which of the two TOS options were given */
    bool tos_given;
    bool dscp_given;
};

/*
 * Take option c (getopt's value; opt is its name for messages) if it is
 * one of ours: 0, or -1 with "OPT: 'ARG' ..." in err; 1 when it is not.
 */
int sock_opts_parse(struct sock_opts *o, int c, const char *opt,
                    const char *arg, char *err, size_t errlen);

/*
 * After parsing: -S and --dscp set one byte, so not both; --impair-dir
 * needs --impair; --impair needs a backend with a UDP socket of its own
 * (backend: the name given, NULL for the default).
 */
int sock_opts_check(const struct sock_opts *o, const char *backend, char *err,
                    size_t errlen);

/*
 * --pcap against the rest of the command line: not with --workers above
 * 1 (processes that would share one file) nor --compare (its kernel run
 * is not ours to see). 0, or -1 with err.
 */
int sock_opts_check_pcap(const struct sock_opts *o, unsigned int workers,
                         bool compare, char *err, size_t errlen);

/* Create --pcap's file (nothing without --pcap): 0, or -1 with err. */
int sock_opts_pcap_open(struct sock_opts *o, char *err, size_t errlen);

/*
 * Close it, and say on stderr (prog: the tool's name) what went into it.
 * 0, or -1 when the file could not be written completely.
 */
int sock_opts_pcap_close(struct sock_opts *o, const char *prog);

/* Into a transport's settings (tos, bind_dev, in_streams, the limits). */
void sock_opts_to_transport(const struct sock_opts *o,
                            struct transport_config *tc);

#endif /* SCTPU_SOCK_OPTS_H */
