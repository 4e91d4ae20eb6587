/*
 * cli_util.c - shared pieces of sctpu-echo's and sctpu-perf's parsers.
 */
#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli_util.h"
#include "units.h"

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

/* Hex digits after "0x" or "0X": what iperf3's -S also takes. */
static int parse_hex_byte(const char *s, unsigned int *out)
{
    unsigned int v = 0;
    const char *p;

    if (*s == '\0')
        return -EINVAL;
    for (p = s; *p != '\0'; p++) {
        unsigned int d;

        if (*p >= '0' && *p <= '9')
            d = (unsigned int)(*p - '0');
        else if (*p >= 'a' && *p <= 'f')
            d = (unsigned int)(*p - 'a' + 10);
        else if (*p >= 'A' && *p <= 'F')
            d = (unsigned int)(*p - 'A' + 10);
        else
            return -EINVAL;
        if (v > 0xff) /* stop before it could wrap; still out of range */
            return -ERANGE;
        v = v * 16 + d;
    }
    *out = v;
    return v > 0xff ? -ERANGE : 0;
}

int cli_parse_tos(const char *opt, const char *arg, uint8_t *tos, char *err,
                  size_t errlen)
{
    unsigned int hex = 0;
    uint64_t v = 0;
    int rc;

    if (arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X')) {
        rc = parse_hex_byte(arg + 2, &hex);
        v = hex;
    } else {
        rc = units_parse_u64(arg, 0, 255, &v);
    }
    if (rc != 0)
        return cli_fail_num(err, errlen, opt, arg, rc, "0-255 or 0x00-0xff");
    *tos = (uint8_t)v;
    return 0;
}

/* RFC 2474 class selectors, RFC 2597 assured forwarding, RFC 3246
 * expedited forwarding and RFC 5865 voice-admit. */
static const struct {
    const char *name;
    uint8_t dscp;
} dscp_names[] = {
    { "CS0", 0 },   { "CS1", 8 },   { "CS2", 16 },  { "CS3", 24 },
    { "CS4", 32 },  { "CS5", 40 },  { "CS6", 48 },  { "CS7", 56 },
    { "AF11", 10 }, { "AF12", 12 }, { "AF13", 14 }, { "AF21", 18 },
    { "AF22", 20 }, { "AF23", 22 }, { "AF31", 26 }, { "AF32", 28 },
    { "AF33", 30 }, { "AF41", 34 }, { "AF42", 36 }, { "AF43", 38 },
    { "EF", 46 },   { "VA", 44 },
};

int cli_parse_dscp(const char *opt, const char *arg, uint8_t *tos, char *err,
                   size_t errlen)
{
    uint64_t v = 0;
    size_t i;
    int rc;

    for (i = 0; i < sizeof(dscp_names) / sizeof(dscp_names[0]); i++) {
        if (strcasecmp(arg, dscp_names[i].name) == 0) {
            *tos = (uint8_t)(dscp_names[i].dscp << 2);
            return 0;
        }
    }
    rc = units_parse_u64(arg, 0, 63, &v);
    if (rc == -ERANGE)
        return cli_fail_num(err, errlen, opt, arg, rc, "0-63");
    if (rc != 0)
        return cli_fail(err, errlen, opt, arg,
                        "is not a DSCP: 0-63 or CS0-CS7, AF11-AF43, EF, VA");
    *tos = (uint8_t)(v << 2);
    return 0;
}

int cli_parse_ifname(const char *opt, const char *arg, const char **out,
                     char *err, size_t errlen)
{
    if (arg[0] == '\0' || strlen(arg) >= IFNAMSIZ || strchr(arg, '/') ||
        strchr(arg, ' '))
        return cli_fail(err, errlen, opt, arg,
                        "is not an interface name (1-15 characters)");
    *out = arg;
    return 0;
}

int cli_parse_u16(const char *opt, const char *arg, uint16_t min, uint16_t max,
                  uint16_t *out, char *err, size_t errlen)
{
    char range[24];
    uint64_t v = 0;
    int rc = units_parse_u64(arg, min, max, &v);

    if (rc != 0) {
        snprintf(range, sizeof(range), "%u-%u", (unsigned)min, (unsigned)max);
        return cli_fail_num(err, errlen, opt, arg, rc, range);
    }
    *out = (uint16_t)v;
    return 0;
}
