/*
 * runtime.c - set-up and tear-down shared by every sctpu program.
 */
#include <errno.h>
#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "runtime.h"

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
    struct runtime *rt = arg;

    (void)sig;
    (void)what;
    rt->on_stop(rt->stop_arg);
}

int runtime_open(struct runtime *rt, const char *backend,
                 const struct transport_config *tc, void (*on_stop)(void *arg),
                 void *arg)
{
    char err[256];
    int rc;

    memset(rt, 0, sizeof(*rt));
    rt->on_stop = on_stop;
    rt->stop_arg = arg;
    rt->ops = pick_backend(backend);
    if (rt->ops == NULL)
        return RUNTIME_EXIT_USAGE;

    rt->base = event_base_new();
    if (rt->base == NULL) {
        log_err("event_base_new failed");
        return RUNTIME_EXIT_FAIL;
    }
    /* A container's PID 1 gets no default SIGTERM action: handle it. */
    rt->sigint = evsignal_new(rt->base, SIGINT, signal_cb, rt);
    rt->sigterm = evsignal_new(rt->base, SIGTERM, signal_cb, rt);
    if (rt->sigint == NULL || rt->sigterm == NULL ||
        evsignal_add(rt->sigint, NULL) < 0 ||
        evsignal_add(rt->sigterm, NULL) < 0) {
        log_err("cannot handle SIGINT/SIGTERM");
        runtime_close(rt);
        return RUNTIME_EXIT_FAIL;
    }
    rc = rt->ops->open(rt->base, tc, &rt->t, err, sizeof(err));
    if (rc < 0) {
        /* Two servers on one UDP port is the usual cause: say the fix. */
        log_err("%s%s", err,
                rc == -EADDRINUSE ? " (another program on this UDP port? "
                                    "choose another with --udp-port, or "
                                    "--local-udp-port on a client)"
                                  : "");
        runtime_close(rt);
        return RUNTIME_EXIT_USAGE;
    }
    rt->ops->local_name(rt->t, rt->local, sizeof(rt->local));
    return RUNTIME_EXIT_OK;
}

void runtime_close(struct runtime *rt)
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
