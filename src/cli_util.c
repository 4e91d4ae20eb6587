/*
 * cli_util.c - shared pieces of sctpu-echo's and sctpu-perf's parsers.
 */
#include <errno.h>
#include <stdio.h>

#include "cli_util.h"

int cli_fail(char *err, size_t errlen, const char *opt, const char *arg,
             const char *why)
{
    snprintf(err, errlen, "%s: '%s' %s", opt, arg, why);
    return -1;
}

int cli_fail_num(char *err, size_t errlen, const char *opt, const char *arg,
                 int rc, const char *range)
{
    if (rc == -ERANGE)
        snprintf(err, errlen, "%s: '%s' is out of range (%s)", opt, arg, range);
    else
        snprintf(err, errlen, "%s: '%s' is not a valid number", opt, arg);
    return -1;
}

void cli_option_name(const struct option *longopts, int c, int longindex,
                     char *buf, size_t len)
{
    if (longindex >= 0)
        snprintf(buf, len, "--%s", longopts[longindex].name);
    else
        snprintf(buf, len, "-%c", c);
}
