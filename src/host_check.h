/*
 * host_check.h - `--check`: what this host can do for sctpu, for both
 * tools. For each backend, usable or not and why; the kernel's SCTP over
 * UDP settings; which usrsctp and CRC32c the binary has; UDP GSO/GRO; the
 * path MTU toward the default route. No packet is sent.
 */
#ifndef SCTPU_HOST_CHECK_H
#define SCTPU_HOST_CHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "transport.h"

/* Backends sctpu knows, built into this binary or not. */
#define HOST_CHECK_BACKENDS TRANSPORT_KNOWN_BACKENDS

struct host_check_backend {
    const char *name;
    bool usable;
    char why[256];  /* when not usable */
    char stack[96]; /* its SCTP stack (built in): usrsctp's version or the
                       Linux release; "" when not built */
};

struct host_check {
    struct host_check_backend backends[HOST_CHECK_BACKENDS];
    long kernel_udp_port;   /* net.sctp.udp_port; -1 when there is none */
    long kernel_encap_port; /* net.sctp.encap_port; -1 likewise */
    bool udp_gso;
    bool udp_gro;
    int route_mtu; /* toward the default route; < 0: no such route */
};

/* net.sctp.udp_port in this network namespace: the kernel's one UDP port
 * for SCTP over UDP (0 = off), or -1 when there is no such sysctl. */
long host_kernel_sctp_udp_port(void);

/* Look at this host. */
void host_check_collect(struct host_check *hc);

/* Is backend name (NULL: the default) usable? */
bool host_check_usable(const struct host_check *hc, const char *name);

/* The report, as text or as one JSON document; chosen NULL = default. */
void host_check_print(FILE *out, const struct host_check *hc,
                      const char *chosen, bool json);

/*
 * --check for a tool: collect, print, and return the exit status (0 when
 * the chosen backend is usable, 1 when not, 2 for an unknown name).
 */
int host_check_main(FILE *out, const char *backend, bool json);

#endif /* SCTPU_HOST_CHECK_H */
