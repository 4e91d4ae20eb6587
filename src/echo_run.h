/*
 * echo_run.h - what both echo roles set up the same way: the event loop,
 * the backend and its transport, and SIGINT/SIGTERM.
 */
#ifndef SCTPU_ECHO_RUN_H
#define SCTPU_ECHO_RUN_H

#include <stdint.h>

#include "echo.h"
#include "netaddr.h"
#include "transport.h"

struct event_base;
struct event;

struct echo_runtime {
    const struct transport_ops *ops;
    struct event_base *base;
    struct transport *t;
    struct event *sigint;
    struct event *sigterm;
    void (*on_stop)(void *arg);
    void *stop_arg;
    char local[NETADDR_STRLEN]; /* the UDP socket's address */
};

/*
 * Pick the backend, make the event base and the transport bound to
 * bind_host (NULL = wildcard) and udp_port in family, and route SIGINT and
 * SIGTERM to on_stop(arg). Returns ECHO_EXIT_OK, or ECHO_EXIT_USAGE after
 * logging why (unknown backend, address in use, ...).
 */
int echo_runtime_open(struct echo_runtime *rt, const struct echo_config *cfg,
                      const char *bind_host, int family, uint16_t udp_port,
                      uint16_t streams, void (*on_stop)(void *arg), void *arg);

void echo_runtime_close(struct echo_runtime *rt);

#endif /* SCTPU_ECHO_RUN_H */
