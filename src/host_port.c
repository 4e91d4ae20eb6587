/*
 * host_port.c - HOST, HOST:PORT, [IPV6] and [IPV6]:PORT (see host_port.h).
 */
#include <errno.h>
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
