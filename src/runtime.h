/*
 * runtime.h - what every sctpu program sets up the same way: the event
 * loop, the backend and its transport, and SIGINT/SIGTERM.
 */
#ifndef SCTPU_RUNTIME_H
#define SCTPU_RUNTIME_H

#include <stddef.h>

#include "netaddr.h"
#include "transport.h"

struct event_base;
struct event;

/* Exit statuses every sctpu program uses. */
enum runtime_exit {
    RUNTIME_EXIT_OK = 0,
    RUNTIME_EXIT_FAIL = 1,  /* ran, but the test failed or found errors */
    RUNTIME_EXIT_USAGE = 2, /* bad arguments, unusable address or port */
};

/* --backend all (servers): serve every backend this host can run. */
#define RUNTIME_BACKEND_ALL "all"
/* Backends sctpu knows (transport_known_backends): usrsctp and kernel. */
#define RUNTIME_MAX_BACKENDS TRANSPORT_KNOWN_BACKENDS

struct runtime {
    const struct transport_ops *ops; /* the (first) backend */
    struct event_base *base;
    struct transport *t; /* its transport */
    /* Every backend's transport on this loop, t first: just t, or with
     * --backend all one for each backend this host can run. */
    struct transport *all[RUNTIME_MAX_BACKENDS];
    size_t nall;
    struct event *sigint;
    struct event *sigterm;
    void (*on_stop)(void *arg);
    void *stop_arg;
    char local[NETADDR_STRLEN]; /* the transport's local address */
    char stack[96]; /* the backend's SCTP stack (transport_describe_stack) */
};

/*
 * Pick the backend (NULL = default), make the event base and a transport
 * with tc, and route SIGINT and SIGTERM to on_stop(arg). Returns
 * RUNTIME_EXIT_OK, or another exit status after logging why (unknown
 * backend, address in use, ...). A UDP port in use (the backend's open
 * says -EADDRINUSE) gets a hint naming --udp-port and --local-udp-port.
 *
 * backend RUNTIME_BACKEND_ALL opens a transport for every backend this
 * host can run, all with tc, in rt->all (a server listens on each): one
 * that cannot run here is left out with one line saying why, and only
 * when none can run is that an error.
 */
int runtime_open(struct runtime *rt, const char *backend,
                 const struct transport_config *tc, void (*on_stop)(void *arg),
                 void *arg);

/*
 * One more transport with rt's backend on rt's loop: sctpu-perf
 * --udp-per-assoc gives each association a UDP socket of its own. The
 * caller closes it (transport_close) before runtime_close. Returns
 * RUNTIME_EXIT_OK, or another exit status after logging why, with the same
 * hint as runtime_open for a UDP port in use.
 */
int runtime_open_transport(struct runtime *rt,
                           const struct transport_config *tc,
                           struct transport **out);

void runtime_close(struct runtime *rt);

/*
 * The backend called name (NULL = the default) if this host can run it
 * (its probe passes); else NULL with the reason in why: an unknown name,
 * a backend not built in, or e.g. a kernel without SCTP.
 */
/*
 * The rules both tools share for --backend all (a server serving every
 * backend) and --compare (a client running on each): all is for a server,
 * and neither goes with --encap. 0, or -1 with the reason in err.
 */
int runtime_check_all_backends(const char *backend, bool server, bool compare,
                               bool encap, char *err, size_t errlen);

const struct transport_ops *runtime_backend_usable(const char *name, char *why,
                                                   size_t whylen);

/*
 * Run this process on CPU cpu only (-A). Returns 0, or -1 with a line in
 * err, e.g. when the CPU is not one the process may use (it names those).
 */
int runtime_pin_cpu(int cpu, char *err, size_t errlen);

#endif /* SCTPU_RUNTIME_H */
