/*
 * cli_util.c - shared pieces of sctpu-echo's and sctpu-perf's parsers.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

/* The option named exactly name (len characters), or NULL. */
static const struct option *long_option(const struct option *longopts,
                                        const char *name, size_t len)
{
    const struct option *o;

    for (o = longopts; o->name != NULL; o++) {
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    }
    return NULL;
}

/*
 * "unknown option '--na'", with the options whose names start so:
 * "(did you mean --name, --nap?)".
 */
static void unknown_long(const struct option *longopts, const char *elem,
                         size_t len, char *err, size_t errlen)
{
    const struct option *o;
    size_t used;
    bool any = false;

    snprintf(err, errlen, "unknown option '%.*s'", (int)len, elem);
    for (o = longopts; o->name != NULL; o++) {
        if (len <= 2 || strncmp(o->name, elem + 2, len - 2) != 0)
            continue;
        used = strlen(err);
        snprintf(err + used, errlen - used, "%s--%s",
                 any ? ", " : " (did you mean ", o->name);
        any = true;
    }
    used = strlen(err);
    if (any)
        snprintf(err + used, errlen - used, "?)");
}

/* getopt_long said '?' or ':' about elem, a name known to be whole. */
static void getopt_error(int c, const char *elem, char *err, size_t errlen)
{
    bool is_long = strncmp(elem, "--", 2) == 0;
    int name_len = (int)strcspn(elem, "=");

    if (c == ':' && is_long)
        snprintf(err, errlen, "option '%.*s' needs a value", name_len, elem);
    else if (c == ':')
        snprintf(err, errlen, "option '-%c' needs a value", optopt);
    else if (is_long)
        snprintf(err, errlen, "option '%.*s' takes no value", name_len, elem);
    else
        snprintf(err, errlen, "unknown option '-%c'", optopt);
}

int cli_getopt(int argc, char **argv, const char *shortopts,
               const struct option *longopts, char *name, size_t namelen,
               char *err, size_t errlen)
{
    /* The element being read: a long option is always a whole one. glibc
     * sets optind to 1 when it starts over from 0. */
    int cur = optind > 0 ? optind : 1;
    int longindex = -1;
    const char *elem;
    int c;

    c = getopt_long(argc, argv, shortopts, longopts, &longindex);
    if (c == -1)
        return -1;
    elem = argv[cur];
    if (strncmp(elem, "--", 2) == 0) {
        size_t len = strcspn(elem, "=");

        if (long_option(longopts, elem + 2, len - 2) == NULL) {
            unknown_long(longopts, elem, len, err, errlen);
            return '?';
        }
    }
    if (c == '?' || c == ':') {
        getopt_error(c, elem, err, errlen);
        return '?';
    }
    if (longindex >= 0)
        snprintf(name, namelen, "--%s", longopts[longindex].name);
    else
        snprintf(name, namelen, "-%c", c);
    return c;
}
