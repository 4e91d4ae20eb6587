/*
 * host_check.c - see host_check.h.
 */
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "crc32c.h"
#include "host_check.h"
#include "json_out.h"
#include "json_schema.h"
#include "log.h"
#include "route_mtu.h"
#include "transport.h"
#include "version.h"

/* A number from a /proc/sys file, or -1 when it is not there. */
static long read_sysctl(const char *path)
{
    FILE *f = fopen(path, "r");
    long v = -1;

    if (f == NULL)
        return -1;
    if (fscanf(f, "%ld", &v) != 1)
        v = -1;
    fclose(f);
    return v;
}

/* Does a UDP socket take this option (GSO/GRO support)? */
static bool udp_takes(int opt, int val)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
    bool ok;

    if (fd < 0)
        return false;
    ok = setsockopt(fd, SOL_UDP, opt, &val, sizeof(val)) == 0;
    close(fd);
    return ok;
}

/* The route toward a lab address goes where traffic to anywhere goes
 * when there is no lab route: connect() on UDP sends nothing. */
static int default_route_mtu(void)
{
    struct sockaddr_in dst;

    memset(&dst, 0, sizeof(dst));
    dst.sin_family = AF_INET;
    dst.sin_port = htons(9);
    dst.sin_addr.s_addr = htonl(0xc6120001); /* 198.18.0.1 */
    return route_mtu_probe((struct sockaddr *)&dst, sizeof(dst));
}

long host_kernel_sctp_udp_port(void)
{
    return read_sysctl("/proc/sys/net/sctp/udp_port");
}

void host_check_collect(struct host_check *hc)
{
    size_t i;

    memset(hc, 0, sizeof(*hc));
    for (i = 0; i < HOST_CHECK_BACKENDS; i++) {
        struct host_check_backend *b = &hc->backends[i];
        const struct transport_ops *ops =
            transport_find(transport_known_backends[i]);
        const char *reason =
            transport_unavailable_reason(transport_known_backends[i]);

        b->name = transport_known_backends[i];
        if (ops == NULL) {
            snprintf(b->why, sizeof(b->why), "%s",
                     reason ? reason : "not built into this binary");
            continue;
        }
        b->usable = transport_probe(ops, b->why, sizeof(b->why)) == 0;
        transport_describe_stack(ops, b->stack, sizeof(b->stack));
    }
    hc->kernel_udp_port = host_kernel_sctp_udp_port();
    hc->kernel_encap_port = read_sysctl("/proc/sys/net/sctp/encap_port");
    hc->udp_gso = udp_takes(UDP_SEGMENT, 1400);
    hc->udp_gro = udp_takes(UDP_GRO, 1);
    hc->route_mtu = default_route_mtu();
}

/*
 * The running kernel's release (uname -r), read when printed: kernel SCTP
 * and its UDP encapsulation behave differently from one release to the
 * next, so a report names it. NULL only if uname() fails.
 */
static const char *kernel_release(struct utsname *u)
{
    return uname(u) == 0 ? u->release : NULL;
}

static const char *chosen_name(const char *chosen)
{
    return chosen != NULL ? chosen : transport_default()->name;
}

bool host_check_usable(const struct host_check *hc, const char *name)
{
    size_t i;

    name = chosen_name(name);
    for (i = 0; i < HOST_CHECK_BACKENDS; i++)
        if (strcmp(hc->backends[i].name, name) == 0)
            return hc->backends[i].usable;
    return false;
}

static void print_json(FILE *out, const struct host_check *hc,
                       const char *chosen)
{
    struct json_out j;
    struct utsname u;
    const char *release = kernel_release(&u);
    size_t i;

    json_out_init(&j);
    json_out_begin_object(&j, NULL);
    json_out_u64(&j, "schema_version", SCTPU_JSON_SCHEMA_VERSION);
    json_out_begin_array(&j, "backends");
    for (i = 0; i < HOST_CHECK_BACKENDS; i++) {
        const struct host_check_backend *b = &hc->backends[i];

        json_out_begin_object(&j, NULL);
        json_out_string(&j, "name", b->name);
        json_out_bool(&j, "usable", b->usable);
        if (b->usable)
            json_out_null(&j, "why");
        else
            json_out_string(&j, "why", b->why);
        if (b->stack[0])
            json_out_string(&j, "stack", b->stack);
        else
            json_out_null(&j, "stack");
        json_out_bool(&j, "chosen", strcmp(b->name, chosen) == 0);
        json_out_end_object(&j);
    }
    json_out_end_array(&j);
    if (release != NULL)
        json_out_string(&j, "kernel_release", release);
    else
        json_out_null(&j, "kernel_release");
    json_out_begin_object(&j, "kernel_sctp_udp");
    if (hc->kernel_udp_port >= 0)
        json_out_i64(&j, "udp_port", hc->kernel_udp_port);
    else
        json_out_null(&j, "udp_port");
    if (hc->kernel_encap_port >= 0)
        json_out_i64(&j, "encap_port", hc->kernel_encap_port);
    else
        json_out_null(&j, "encap_port");
    json_out_end_object(&j);
    json_out_string(&j, "usrsctp", SCTPU_USRSCTP_VERSION);
    json_out_string(&j, "crc32c", crc32c_impl_name());
    json_out_bool(&j, "udp_gso", hc->udp_gso);
    json_out_bool(&j, "udp_gro", hc->udp_gro);
    if (hc->route_mtu > 0) {
        json_out_i64(&j, "route_mtu", hc->route_mtu);
        json_out_u64(&j, "sctp_pathmtu",
                     route_mtu_sctp_pathmtu(AF_INET, (uint32_t)hc->route_mtu));
    } else {
        json_out_null(&j, "route_mtu");
        json_out_null(&j, "sctp_pathmtu");
    }
    json_out_end_object(&j);
    json_out_write(&j, out);
    json_out_free(&j);
}

static void print_port(FILE *out, const char *name, long v)
{
    if (v < 0)
        fprintf(out, "%s -", name);
    else if (v == 0)
        fprintf(out, "%s 0 (off)", name);
    else
        fprintf(out, "%s %ld", name, v);
}

static void print_text(FILE *out, const struct host_check *hc,
                       const char *chosen)
{
    struct utsname u;
    const char *release = kernel_release(&u);
    size_t i;

    for (i = 0; i < HOST_CHECK_BACKENDS; i++) {
        const struct host_check_backend *b = &hc->backends[i];

        /* "usable (usrsctp 0.9.5.0 (system))", "unusable (Linux 6.1.0):
         * why" */
        fprintf(out, "backend %-8s %s%s%s%s%s%s%s\n", b->name,
                b->usable ? "usable" : "unusable", b->stack[0] ? " (" : "",
                b->stack, b->stack[0] ? ")" : "", b->usable ? "" : ": ",
                b->usable ? "" : b->why,
                strcmp(b->name, chosen) == 0 ? "  [chosen]" : "");
    }
    fprintf(out, "kernel release: %s\n", release != NULL ? release : "-");
    fprintf(out, "kernel SCTP over UDP: ");
    if (hc->kernel_udp_port < 0) {
        fprintf(out, "- (no net.sctp.udp_port: no kernel SCTP, or Linux "
                     "before 5.11)\n");
    } else {
        print_port(out, "net.sctp.udp_port", hc->kernel_udp_port);
        fprintf(out, ", ");
        print_port(out, "net.sctp.encap_port", hc->kernel_encap_port);
        fprintf(out, "\n");
    }
    fprintf(out, "usrsctp: %s\n", SCTPU_USRSCTP_VERSION);
    fprintf(out, "CRC32c: %s\n", crc32c_impl_name());
    fprintf(out, "UDP GSO: %s, UDP GRO: %s\n", hc->udp_gso ? "yes" : "no",
            hc->udp_gro ? "yes" : "no");
    if (hc->route_mtu > 0)
        fprintf(
            out,
            "path MTU toward the default route: %d (SCTP packets of %u "
            "bytes over UDP/IPv4)\n",
            hc->route_mtu,
            (unsigned)route_mtu_sctp_pathmtu(AF_INET, (uint32_t)hc->route_mtu));
    else
        fprintf(out, "path MTU toward the default route: - (no default "
                     "route; set --mtu for a path the route does not know)\n");
}

void host_check_print(FILE *out, const struct host_check *hc,
                      const char *chosen, bool json)
{
    chosen = chosen_name(chosen);
    if (json)
        print_json(out, hc, chosen);
    else
        print_text(out, hc, chosen);
}

int host_check_main(FILE *out, const char *backend, bool json)
{
    struct host_check hc;
    size_t i;

    if (backend != NULL) {
        for (i = 0; i < HOST_CHECK_BACKENDS; i++)
            if (strcmp(transport_known_backends[i], backend) == 0)
                break;
        if (i == HOST_CHECK_BACKENDS) {
            log_err("--backend %s: unknown (usrsctp or kernel)", backend);
            return 2;
        }
    }
    host_check_collect(&hc);
    host_check_print(out, &hc, backend, json);
    return host_check_usable(&hc, backend) ? 0 : 1;
}
