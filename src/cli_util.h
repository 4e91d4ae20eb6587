/*
 * cli_util.h - what the sctpu command lines share: one-line error
 * messages that name the option, and the option's name as typed.
 */
#ifndef SCTPU_CLI_UTIL_H
#define SCTPU_CLI_UTIL_H

#include <getopt.h>
#include <stddef.h>

/* "OPT: 'ARG' WHY" into err; returns -1. */
int cli_fail(char *err, size_t errlen, const char *opt, const char *arg,
             const char *why);

/*
 * A number that did not parse (rc from units_parse_*: -ERANGE means out
 * of range, anything else not a number); returns -1.
 */
int cli_fail_num(char *err, size_t errlen, const char *opt, const char *arg,
                 int rc, const char *range);

/* The option's name for messages: "--time" or "-t". */
void cli_option_name(const struct option *longopts, int c, int longindex,
                     char *buf, size_t len);

#endif /* SCTPU_CLI_UTIL_H */
