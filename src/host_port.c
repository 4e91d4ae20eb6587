/*
 * host_port.c - HOST, HOST:PORT, [IPV6] and [IPV6]:PORT (see host_port.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "host_port.h"
#include "units.h"

/* one list element: a 255-byte host name, brackets, ":" and a port */
#define HOST_PORT_MAX_ARG 264

/* The port after a colon; an empty one is as wrong as a bad one. */
static int parse_port(const char *s, uint16_t *port)
{
    return units_parse_port(s, 0, port) == 0 ? 0 : -ERANGE;
}

int host_port_split(const char *arg, char *host, size_t hostlen, uint16_t *port)
{
    const char *name = arg;
    size_t len = strlen(arg);
    const char *colon = strchr(arg, ':');
    uint16_t p = 0;

    if (arg[0] == '[') {
        const char *close = strchr(arg, ']');

        if (close == NULL || close == arg + 1)
            return -EINVAL;
        if (close[1] != '\0' && close[1] != ':')
            return -EINVAL;
        if (close[1] == ':' && parse_port(close + 2, &p) < 0)
            return -ERANGE;
        name = arg + 1;
        len = (size_t)(close - name);
    } else if (colon != NULL && strchr(colon + 1, ':') == NULL) {
        if (parse_port(colon + 1, &p) < 0)
            return -ERANGE;
        len = (size_t)(colon - arg);
    }
    if (len == 0 || memchr(name, '[', len) || memchr(name, ']', len))
        return -EINVAL;
    if (len >= hostlen)
        return -ENAMETOOLONG;
    memcpy(host, name, len);
    host[len] = '\0';
    *port = p;
    return 0;
}

const char *host_port_strerror(int rc)
{
    switch (rc) {
    case -ERANGE:
        return "has a port that is not 1-65535";
    case -ENAMETOOLONG:
        return "is too long for a host name";
    case -E2BIG:
        return "has more than 8 addresses";
    case -EDOM:
        return "names different ports: give one";
    default:
        return "is not HOST, HOST:PORT, [IPV6] or [IPV6]:PORT";
    }
}

int host_port_split_first(const char *arg, char *host, size_t hostlen,
                          uint16_t *port, bool *more)
{
    char first[HOST_PORT_MAX_ARG];
    size_t len = strcspn(arg, ",");
    int rc;

    if (len >= sizeof(first))
        return -ENAMETOOLONG;
    memcpy(first, arg, len);
    first[len] = '\0';
    rc = host_port_split(first, host, hostlen, port);
    if (rc == 0)
        *more = arg[len] == ',';
    return rc;
}

int host_list_parse(const char *arg, struct host_list *out)
{
    struct host_list l;
    size_t used = 0;
    const char *p = arg;

    memset(&l, 0, sizeof(l));
    for (;;) {
        char one[HOST_PORT_MAX_ARG];
        size_t len = strcspn(p, ",");
        uint16_t port = 0;
        int rc;

        if (l.count == HOST_LIST_MAX)
            return -E2BIG;
        if (len >= sizeof(one))
            return -ENAMETOOLONG;
        memcpy(one, p, len);
        one[len] = '\0';
        rc = host_port_split(one, l.buf + used, sizeof(l.buf) - used, &port);
        if (rc != 0)
            return rc;
        if (port != 0 && l.port != 0 && port != l.port)
            return -EDOM;
        if (port != 0)
            l.port = port;
        l.host[l.count++] = l.buf + used;
        used += strlen(l.buf + used) + 1;
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    /* pointers into l.buf, moved with it */
    *out = l;
    for (used = 0; used < out->count; used++)
        out->host[used] = out->buf + (l.host[used] - l.buf);
    return 0;
}

int host_list_join(const struct host_list *l, char *buf, size_t len)
{
    size_t used = 0;
    size_t i;

    if (len == 0)
        return -ENAMETOOLONG;
    buf[0] = '\0';
    for (i = 0; i < l->count; i++) {
        int n =
            snprintf(buf + used, len - used, "%s%s", i ? "," : "", l->host[i]);

        if (n < 0 || (size_t)n >= len - used)
            return -ENAMETOOLONG;
        used += (size_t)n;
    }
    return 0;
}
