/*
 * runtime.c - set-up and tear-down shared by every sctpu program.
 */
#define _GNU_SOURCE /* sched_setaffinity, CPU_SET */
#include <errno.h>
#include <event2/event.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "host_check.h"
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
        log_err("--backend: unknown backend '%s' (known: usrsctp, kernel; "
                "a server also takes all)",
                name);
    return NULL;
}

const struct transport_ops *runtime_backend_usable(const char *name, char *why,
                                                   size_t whylen)
{
    const struct transport_ops *ops =
        name != NULL ? transport_find(name) : transport_default();
    const char *reason;

    if (ops == NULL) {
        reason = transport_unavailable_reason(name);
        snprintf(why, whylen, "%s",
                 reason != NULL ? reason : "unknown backend");
        return NULL;
    }
    if (transport_probe(ops, why, whylen) < 0)
        return NULL;
    return ops;
}

static int open_with(struct runtime *rt, const struct transport_ops *ops,
                     const struct transport_config *tc, struct transport **out);

/*
 * --backend all: a transport for each backend this host can run. One line
 * names each that cannot, and what is served without it.
 */
static int open_all(struct runtime *rt, const struct transport_config *tc)
{
    char why[RUNTIME_MAX_BACKENDS][256];
    bool missing[RUNTIME_MAX_BACKENDS] = { false };
    size_t i;
    int rc;

    for (i = 0; i < RUNTIME_MAX_BACKENDS; i++) {
        const struct transport_ops *ops = runtime_backend_usable(
            transport_known_backends[i], why[i], sizeof(why[i]));

        if (ops == NULL) {
            missing[i] = true;
            continue;
        }
        rc = open_with(rt, ops, tc, &rt->all[rt->nall]);
        if (rc != RUNTIME_EXIT_OK)
            return rc;
        rt->t = rt->all[0]; /* so runtime_close frees what is open */
        rt->nall++;
    }
    if (rt->nall == 0) {
        log_err("--backend all: no backend can run here (usrsctp: %s; "
                "kernel: %s)",
                why[0], why[1]);
        return RUNTIME_EXIT_USAGE;
    }
    for (i = 0; i < RUNTIME_MAX_BACKENDS; i++)
        if (missing[i])
            log_warn("--backend all: %s is unavailable here (%s): serving %s "
                     "only",
                     transport_known_backends[i], why[i],
                     rt->all[0]->ops->name);
    rt->ops = rt->t->ops;
    return RUNTIME_EXIT_OK;
}

static void signal_cb(evutil_socket_t sig, short what, void *arg)
{
    struct runtime *rt = arg;

    (void)sig;
    (void)what;
    rt->on_stop(rt->stop_arg);
}

/*
 * The event base. When --impair holds datagrams, the queue's timer must
 * fire when it is due: epoll_wait counts in whole milliseconds, so a
 * datagram held 50 us would wait 1 ms, and every held datagram waits up to
 * 1 ms too long. libevent's precise timer (a timerfd under epoll) fires on
 * time, for one extra system call per loop turn: only then is it worth it.
 */
static struct event_base *new_base(const struct transport_config *tc)
{
    struct event_config *cfg = NULL;
    struct event_base *base = NULL;

    if (tc == NULL || tc->impair == NULL || !impair_holds(tc->impair))
        return event_base_new();
    cfg = event_config_new();
    if (cfg == NULL)
        return NULL;
    event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER);
    base = event_base_new_with_config(cfg);
    event_config_free(cfg);
    return base;
}

int runtime_open(struct runtime *rt, const char *backend,
                 const struct transport_config *tc, void (*on_stop)(void *arg),
                 void *arg)
{
    int rc;

    memset(rt, 0, sizeof(*rt));
    rt->on_stop = on_stop;
    rt->stop_arg = arg;
    if (backend == NULL || strcmp(backend, RUNTIME_BACKEND_ALL) != 0) {
        rt->ops = pick_backend(backend);
        if (rt->ops == NULL)
            return RUNTIME_EXIT_USAGE;
    }

    rt->base = new_base(tc);
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
    if (rt->ops == NULL) {
        rc = open_all(rt, tc);
    } else {
        rc = runtime_open_transport(rt, tc, &rt->t);
        rt->all[0] = rt->t;
        rt->nall = rt->t != NULL;
    }
    if (rc != RUNTIME_EXIT_OK) {
        runtime_close(rt);
        return rc;
    }
    transport_local_name(rt->t, rt->local, sizeof(rt->local));
    transport_describe_stack(rt->ops, rt->stack, sizeof(rt->stack));
    return RUNTIME_EXIT_OK;
}

int runtime_open_transport(struct runtime *rt,
                           const struct transport_config *tc,
                           struct transport **out)
{
    return open_with(rt, rt->ops, tc, out);
}

static int open_with(struct runtime *rt, const struct transport_ops *ops,
                     const struct transport_config *tc, struct transport **out)
{
    char err[256];
    int rc;

    rc = transport_open(ops, rt->base, tc, out, err, sizeof(err));
    if (rc == -EADDRINUSE && tc->udp_port != 0 &&
        host_kernel_sctp_udp_port() == tc->udp_port) {
        /* The kernel's SCTP-over-UDP tunnel holds the port for the whole
         * network namespace: no second UDP socket can have it. */
        log_err("%s: UDP port %u is kernel SCTP's UDP tunnel in this "
                "network namespace (net.sctp.udp_port), which a UDP socket "
                "cannot share: choose another --udp-port, or run "
                "sysctl -w net.sctp.udp_port=0 if no kernel SCTP needs it",
                err, (unsigned)tc->udp_port);
        return RUNTIME_EXIT_USAGE;
    }
    if (rc < 0) {
        /* Two servers on one UDP port is the usual cause: say the fix. */
        log_err("%s%s", err,
                rc == -EADDRINUSE ? " (another program on this UDP port? "
                                    "choose another with --udp-port, or "
                                    "--local-udp-port on a client)"
                                  : "");
        return RUNTIME_EXIT_USAGE;
    }
    return RUNTIME_EXIT_OK;
}

void runtime_close(struct runtime *rt)
{
    size_t i;

    /* all[0] is t, or t failed to open and all is empty. */
    for (i = 1; i < rt->nall; i++)
        transport_close(rt->all[i]);
    if (rt->t != NULL)
        transport_close(rt->t);
    if (rt->sigint != NULL)
        event_free(rt->sigint);
    if (rt->sigterm != NULL)
        event_free(rt->sigterm);
    if (rt->base != NULL)
        event_base_free(rt->base);
    memset(rt, 0, sizeof(*rt));
}

/* "0-3,6" for the CPUs in set, cut short if buf is too small. */
static void cpus_format(const cpu_set_t *set, char *buf, size_t len)
{
    size_t used = 0;
    int cpu = 0;

    buf[0] = '\0';
    while (cpu < CPU_SETSIZE && used + 1 < len) {
        int last = cpu;

        if (!CPU_ISSET(cpu, set)) {
            cpu++;
            continue;
        }
        while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, set))
            last++;
        used += (size_t)snprintf(buf + used, len - used,
                                 last > cpu ? "%s%d-%d" : "%s%d",
                                 used ? "," : "", cpu, last);
        cpu = last + 1;
    }
}

int runtime_pin_cpu(int cpu, char *err, size_t errlen)
{
    cpu_set_t allowed;
    cpu_set_t one;
    char list[128];

    if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0) {
        snprintf(err, errlen, "-A %d: sched_getaffinity: %s", cpu,
                 strerror(errno));
        return -1;
    }
    if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &allowed)) {
        cpus_format(&allowed, list, sizeof(list));
        snprintf(err, errlen,
                 "-A %d: CPU %d is not one this process may run on (%s)", cpu,
                 cpu, list);
        return -1;
    }
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (sched_setaffinity(0, sizeof(one), &one) < 0) {
        snprintf(err, errlen, "-A %d: sched_setaffinity: %s", cpu,
                 strerror(errno));
        return -1;
    }
    return 0;
}

int runtime_check_all_backends(const char *backend, bool server, bool compare,
                               bool encap, char *err, size_t errlen)
{
    bool all = backend != NULL && strcmp(backend, RUNTIME_BACKEND_ALL) == 0;

    if (all && !server) {
        snprintf(err, errlen,
                 "--backend all is for the server (-s); a client compares "
                 "the backends with --compare");
        return -1;
    }
    if ((all || compare) && encap) {
        /* The kernel's UDP tunnel and usrsctp's UDP socket cannot share a
         * port in one namespace. */
        snprintf(err, errlen,
                 "--encap cannot go with %s: the kernel's UDP tunnel and "
                 "usrsctp's UDP socket cannot share --udp-port, so the "
                 "kernel backend runs plain SCTP over IP there",
                 all ? "--backend all" : "--compare");
        return -1;
    }
    return 0;
}
