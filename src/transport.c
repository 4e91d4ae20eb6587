/*
 * transport.c - the backend registry and the generic connection helpers.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "netaddr.h"
#include "transport.h"

/* Backends built into this binary, the default first. */
static const struct transport_ops *const transport_backends[] = {
    &transport_usrsctp_ops,
#ifdef SCTPU_HAVE_KERNEL_SCTP
    &transport_kernel_ops,
#endif /* SCTPU_HAVE_KERNEL_SCTP */
    NULL,
};

const char *const transport_known_backends[TRANSPORT_KNOWN_BACKENDS] = {
    "usrsctp",
    "kernel",
};

/* Said for "--backend kernel" by a binary built without it. */
static const char kernel_not_built[] =
    "the kernel SCTP backend is not built into this binary (it needs "
    "<netinet/sctp.h> at build time: install libsctp-dev and build again); "
    "use --backend usrsctp";

const struct transport_ops *transport_find(const char *name)
{
    size_t i;

    for (i = 0; transport_backends[i] != NULL; i++)
        if (strcmp(transport_backends[i]->name, name) == 0)
            return transport_backends[i];
    return NULL;
}

const char *transport_unavailable_reason(const char *name)
{
    if (strcmp(name, "kernel") == 0 && transport_find(name) == NULL)
        return kernel_not_built;
    return NULL;
}

const struct transport_ops *transport_default(void)
{
    return transport_backends[0];
}

const struct transport_ops *transport_chosen(const char *name)
{
    return name == NULL ? transport_default() : transport_find(name);
}

int transport_check_own_udp(const struct transport_ops *ops, const char *what,
                            char *err, size_t errlen)
{
    if (ops == NULL || what == NULL || ops->caps->own_udp_socket)
        return 0;
    snprintf(err, errlen,
             "%s: the %s backend has no UDP socket of its own (its UDP "
             "tunnel is the network namespace's net.sctp.udp_port, one "
             "port for every association): drop it",
             what, ops->name);
    return -1;
}

int transport_check_addrs(const struct transport_ops *ops, const char *list,
                          char *err, size_t errlen)
{
    if (ops == NULL || list == NULL || strchr(list, ',') == NULL ||
        ops->caps->multihoming)
        return 0;
    snprintf(err, errlen, "%s", TRANSPORT_NO_MULTIHOMING);
    return -1;
}

void transport_conn_set_cb(struct transport_conn *c, transport_event_cb cb,
                           void *arg)
{
    c->cb = cb;
    c->cb_arg = arg;
}

const char *transport_conn_strerror(const struct transport_conn *c)
{
    if (c->detail != NULL)
        return c->detail;
    return strerror(c->last_errno);
}

char *transport_peer_name(const struct transport_assoc_info *info, char *buf,
                          size_t len)
{
    struct sockaddr_storage ss = info->peer_addr;

    if (info->peer_addrlen == 0) {
        snprintf(buf, len, "(unknown)");
        return buf;
    }
    if (info->peer_encap_port == 0)
        return netaddr_format_host((struct sockaddr *)&ss, buf, len);
    netaddr_set_port((struct sockaddr *)&ss, info->peer_encap_port);
    return netaddr_format((struct sockaddr *)&ss, buf, len);
}

bool transport_has_pr_policy(const struct transport_ops *ops, uint8_t p)
{
    return p == 0 || (p < 8 && (ops->caps->pr_policies & (1u << p)) != 0);
}

const char *transport_pr_policy_name(uint8_t p)
{
    static const char *const names[] = { "reliable", "ttl", "rtx", "buf" };

    return p < sizeof(names) / sizeof(names[0]) ? names[p] : "?";
}

char *transport_pr_policy_list(const struct transport_ops *ops, char *buf,
                               size_t len)
{
    size_t used = 0;
    uint8_t p;

    buf[0] = '\0';
    for (p = 1; p < 4 && used < len; p++)
        if (transport_has_pr_policy(ops, p))
            used +=
                (size_t)snprintf(buf + used, len - used, "%s%s",
                                 used ? ", " : "", transport_pr_policy_name(p));
    return buf;
}

const char *transport_path_state_name(enum transport_path_state state)
{
    switch (state) {
    case TRANSPORT_PATH_AVAILABLE:
        return "available";
    case TRANSPORT_PATH_UNREACHABLE:
        return "unreachable";
    case TRANSPORT_PATH_REMOVED:
        return "removed";
    case TRANSPORT_PATH_ADDED:
        return "added";
    case TRANSPORT_PATH_MADE_PRIMARY:
        return "made-primary";
    case TRANSPORT_PATH_CONFIRMED:
        return "confirmed";
    case TRANSPORT_PATH_POTENTIALLY_FAILED:
        return "potentially-failed";
    default:
        return "unknown";
    }
}

static int too_many_addrs(size_t n, char *err, size_t errlen)
{
    snprintf(err, errlen, "%zu addresses: at most %d per end", n,
             TRANSPORT_MAX_ADDRS);
    return -1;
}

int transport_peer_resolve(struct transport_peer *p, const char *const *hosts,
                           size_t n, int family, char *err, size_t errlen)
{
    size_t i;

    if (n == 0 || n > TRANSPORT_MAX_ADDRS)
        return too_many_addrs(n, err, errlen);
    if (netaddr_resolve(hosts[0], 0, family, false, &p->addr, &p->addrlen, err,
                        errlen) < 0)
        return -1;
    /* One family for all: a socket of the first one's connects them. */
    for (i = 1; i < n; i++)
        if (netaddr_resolve(hosts[i], 0, p->addr.ss_family, false,
                            &p->more[i - 1], &p->morelen[i - 1], err,
                            errlen) < 0)
            return -1;
    p->nmore = n - 1;
    return 0;
}

int transport_config_set_bind(struct transport_config *tc,
                              const char *const *hosts, size_t n, char *err,
                              size_t errlen)
{
    size_t i;

    if (n > TRANSPORT_MAX_ADDRS)
        return too_many_addrs(n, err, errlen);
    tc->bind_host = n > 0 ? hosts[0] : NULL;
    for (i = 1; i < n; i++)
        tc->bind_more[i - 1] = hosts[i];
    tc->nbind_more = n > 0 ? n - 1 : 0;
    return 0;
}
