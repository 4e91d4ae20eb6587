/*
 * echo_run.c - set-up and tear-down shared by the echo server and client.
 */
#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "echo_run.h"
#include "log.h"

static const struct transport_ops *pick_backend(const char *name)
{
    const struct transport_ops *ops;
    const char *why;

    if (name == NULL)
        return transport_default();
    ops = transport_find(name);
    if (ops != NULL)
        return ops;
    why = transport_unavailable_reason(name);
    if (why != NULL)
        log_err("--backend %s: %s", name, why);
    else
        log_err("--backend: unknown backend '%s' (known: usrsctp, kernel)",
                name);
    return NULL;
}

static void signal_cb(evutil_socket_t sig, short what, void *arg)
{
    struct echo_runtime *rt = arg;

    (void)sig;
    (void)what;
    rt->on_stop(rt->stop_arg);
}

int echo_runtime_open(struct echo_runtime *rt, const struct echo_config *cfg,
                      const char *bind_host, int family, uint16_t udp_port,
                      uint16_t streams, void (*on_stop)(void *arg), void *arg)
{
    struct transport_config tc;
    char err[256];

    memset(rt, 0, sizeof(*rt));
    rt->on_stop = on_stop;
    rt->stop_arg = arg;
    rt->ops = pick_backend(cfg->backend);
    if (rt->ops == NULL)
        return ECHO_EXIT_USAGE;

    memset(&tc, 0, sizeof(tc));
    tc.bind_host = bind_host;
    tc.family = family;
    tc.udp_port = udp_port;
    tc.mtu = cfg->mtu;
    tc.sndbuf = cfg->sndbuf;
    tc.rcvbuf = cfg->rcvbuf;
    tc.streams = streams;
    /* Echo measures round trips: no bundling delay. (The delayed SACK
     * rides on the echo, so it costs nothing.) */
    tc.nodelay = true;
    tc.rto_min_ms = cfg->rto_min_ms;
    tc.rto_max_ms = cfg->rto_max_ms;
    tc.rto_initial_ms = cfg->rto_initial_ms;

    rt->base = event_base_new();
    if (rt->base == NULL) {
        log_err("event_base_new failed");
        return ECHO_EXIT_FAIL;
    }
    /* A container's PID 1 gets no default SIGTERM action: handle it. */
    rt->sigint = evsignal_new(rt->base, SIGINT, signal_cb, rt);
    rt->sigterm = evsignal_new(rt->base, SIGTERM, signal_cb, rt);
    if (rt->sigint == NULL || rt->sigterm == NULL ||
        evsignal_add(rt->sigint, NULL) < 0 ||
        evsignal_add(rt->sigterm, NULL) < 0) {
        log_err("cannot handle SIGINT/SIGTERM");
        echo_runtime_close(rt);
        return ECHO_EXIT_FAIL;
    }
    if (rt->ops->open(rt->base, &tc, &rt->t, err, sizeof(err)) < 0) {
        log_err("%s", err);
        echo_runtime_close(rt);
        return ECHO_EXIT_USAGE;
    }
    rt->ops->local_name(rt->t, rt->local, sizeof(rt->local));
    return ECHO_EXIT_OK;
}

void echo_runtime_close(struct echo_runtime *rt)
{
    if (rt->t != NULL)
        rt->ops->close(rt->t);
    if (rt->sigint != NULL)
        event_free(rt->sigint);
    if (rt->sigterm != NULL)
        event_free(rt->sigterm);
    if (rt->base != NULL)
        event_base_free(rt->base);
    memset(rt, 0, sizeof(*rt));
}
