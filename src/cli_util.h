/*
 * cli_util.h - what the sctpu command lines share: reading options with
 * their names spelled in full, and one-line error messages that name the
 * option.
 */
#ifndef SCTPU_CLI_UTIL_H
#define SCTPU_CLI_UTIL_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The next option, as getopt_long() reads it, except that a long option
 * must be spelled in full. getopt_long() also takes any unambiguous
 * prefix: "--udp" would silently mean "--udp-port" (to an iperf3 user it
 * means a UDP test), and each new option would change what the prefixes
 * of old command lines mean. shortopts must start with "+:": no
 * reordering of argv, and a missing value reported apart. Start a parse
 * with optind = 0 and opterr = 0.
 *
 * Returns the option (getopt_long's value), -1 after the last, or '?'
 * with one line in err: an unknown, shortened or ambiguous name (with the
 * full names it could stand for), a missing value, a value given to an
 * option that takes none. name receives the option as messages name it:
 * "--time" or "-t". *optarg is set as by getopt_long().
 */
int cli_getopt(int argc, char **argv, const char *shortopts,
               const struct option *longopts, char *name, size_t namelen,
               char *err, size_t errlen);

/* "OPT: 'ARG' WHY" into err; returns -1. */
int cli_fail(char *err, size_t errlen, const char *opt, const char *arg,
             const char *why);

/*
 * A number that did not parse (rc from units_parse_*: -ERANGE means out
 * of range, anything else not a number); returns -1.
 */
int cli_fail_num(char *err, size_t errlen, const char *opt, const char *arg,
                 int rc, const char *range);

/*
 * The socket options sctpu-echo and sctpu-perf share, parsed alike so
 * that both take the same values and say the same things. Each returns 0,
 * or -1 with "OPT: 'ARG' ..." in err.
 */

/* -S/--tos N: the IP TOS byte, 0-255, decimal or 0x hex (iperf3's -S). */
int cli_parse_tos(const char *opt, const char *arg, uint8_t *tos, char *err,
                  size_t errlen);

/*
 * --dscp N|NAME: a DSCP, 0-63 or a standard name (CS0-CS7, AF11-AF43, EF,
 * VA; any case); *tos receives it shifted into the TOS byte (DSCP << 2).
 */
int cli_parse_dscp(const char *opt, const char *arg, uint8_t *tos, char *err,
                   size_t errlen);

/* --bind-dev IFACE: a name that fits an interface name (1-15 bytes). */
int cli_parse_ifname(const char *opt, const char *arg, const char **out,
                     char *err, size_t errlen);

/* A whole number min..max (at most 65535) into *out. */
int cli_parse_u16(const char *opt, const char *arg, uint16_t min, uint16_t max,
                  uint16_t *out, char *err, size_t errlen);

/* The messages both tools print when -S/--tos and --dscp are both given. */
#define CLI_TOS_DSCP_CONFLICT                                                  \
    "-S/--tos and --dscp both set the TOS byte: give one"

#endif /* SCTPU_CLI_UTIL_H */
