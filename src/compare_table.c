/*
 * compare_table.c - print and judge the columns of a --compare run.
 */
#include <stdlib.h>
#include <string.h>

#include "compare_table.h"
#include "json_schema.h"
#include "log.h"
#include "runtime.h"
#include "transport.h"

#define CELL_LEN 256

/* Column i of the tool's array cols (each k->column_size bytes long). */
static const struct compare_column *column_at(const struct compare_kind *k,
                                              const void *cols, size_t i)
{
    return (const struct compare_column *)((const char *)cols +
                                           i * k->column_size);
}

void compare_print_target(FILE *out, const char *host, uint16_t port,
                          uint16_t udp_port)
{
    fprintf(out,
            "Comparing backends on %s, SCTP port %u (usrsctp over UDP "
            "port %u, kernel SCTP over IP), one after the other\n",
            host, (unsigned)port, (unsigned)udp_port);
}

void compare_print_mtu(FILE *out, uint32_t mtu)
{
    if (mtu)
        fprintf(out,
                "  MTU %u bytes (IP; usrsctp's SCTP packets are 8 bytes "
                "smaller, for the UDP header)\n",
                (unsigned)mtu);
    else
        fprintf(out, "  MTU: each backend's own (the route's could not be "
                     "read)\n");
    fflush(out);
}

void compare_json_target(struct json_out *j, const char *host, uint16_t port,
                         uint16_t udp_port)
{
    json_out_string(j, "host", host);
    json_out_u64(j, "port", port);
    json_out_u64(j, "udp_port", udp_port);
}

void compare_json_transport(struct json_out *j, uint32_t sndbuf,
                            uint32_t rcvbuf, uint32_t sack_delay_ms,
                            uint32_t sack_freq, bool nodelay, uint32_t mtu)
{
    json_out_u64(j, "sndbuf", sndbuf);
    json_out_u64(j, "rcvbuf", rcvbuf);
    json_out_u64(j, "sack_delay_ms", sack_delay_ms);
    json_out_u64(j, "sack_freq", sack_freq);
    json_out_bool(j, "nodelay", nodelay);
    if (mtu)
        json_out_u64(j, "mtu", mtu);
    else
        json_out_null(j, "mtu");
}

/* Start column c for backend: its name and this client's stack for it;
 * false, with the column unavailable, when this host cannot run it. */
static bool column_open(struct compare_column *c, const char *backend)
{
    const struct transport_ops *ops = transport_find(backend);

    c->backend = backend;
    if (ops != NULL)
        transport_describe_stack(ops, c->stack, sizeof(c->stack));
    if (runtime_backend_usable(backend, c->why, sizeof(c->why)) != NULL)
        return true;
    c->status = COMPARE_UNAVAILABLE;
    log_warn("--compare: %s is unavailable here: %s", backend, c->why);
    return false;
}

const char *compare_status_name(enum compare_status s)
{
    switch (s) {
    case COMPARE_OK:
        return "ok";
    case COMPARE_UNAVAILABLE:
        return "unavailable";
    case COMPARE_FAILED:
        break;
    }
    return "failed";
}

static bool has_figures(const struct compare_kind *k,
                        const struct compare_column *c)
{
    return c->status == COMPARE_OK ||
           (c->status == COMPARE_FAILED && k->failed_has_figures);
}

static void row(FILE *out, int label_w, const char *label,
                char cells[][CELL_LEN], size_t ncols)
{
    size_t i;

    fprintf(out, "%-*s", label_w, label);
    for (i = 0; i + 1 < ncols; i++)
        fprintf(out, "%-*s  ", COMPARE_CELL_W, cells[i]);
    /* The last column unpadded: no trailing blanks. */
    fprintf(out, "%s\n", ncols > 0 ? cells[ncols - 1] : "");
}

void compare_table_print(FILE *out, const struct compare_kind *k,
                         const void *cols, size_t ncols)
{
    char cells[RUNTIME_MAX_BACKENDS][CELL_LEN];
    const struct compare_column *c;
    size_t i;
    size_t f;
    int n;

    if (ncols > RUNTIME_MAX_BACKENDS)
        ncols = RUNTIME_MAX_BACKENDS;
    fprintf(out, "\n%s\n", k->title);
    for (i = 0; i < ncols; i++)
        snprintf(cells[i], CELL_LEN, "%s", column_at(k, cols, i)->backend);
    row(out, k->label_w, "", cells, ncols);
    for (i = 0; i < ncols; i++) {
        c = column_at(k, cols, i);
        snprintf(cells[i], CELL_LEN, "%s", c->stack[0] ? c->stack : "-");
    }
    row(out, k->label_w, "Stack (client)", cells, ncols);
    for (f = 0; f < k->nfigures; f++) {
        for (i = 0; i < ncols; i++) {
            c = column_at(k, cols, i);
            if (has_figures(k, c))
                k->format_figure(cells[i], CELL_LEN, f, c);
            else
                snprintf(cells[i], CELL_LEN, "-");
        }
        row(out, k->label_w, k->figure_labels[f], cells, ncols);
    }
    /* Last, as a reason may be long: in the last column it runs on; in
     * another it would push the next aside, so it goes below the table. */
    for (i = 0; i < ncols; i++) {
        c = column_at(k, cols, i);
        n = snprintf(cells[i], CELL_LEN, "%s%s%s",
                     compare_status_name(c->status),
                     c->status == COMPARE_OK ? "" : ": ", c->why);
        if (i + 1 < ncols && n > COMPARE_CELL_W)
            snprintf(cells[i], CELL_LEN, "%s (see below)",
                     compare_status_name(c->status));
    }
    row(out, k->label_w, "Status", cells, ncols);
    if (k->footnote != NULL)
        fprintf(out, "%s\n", k->footnote);
    for (i = 0; i + 1 < ncols; i++) {
        c = column_at(k, cols, i);
        if (c->status != COMPARE_OK && strstr(cells[i], "(see below)") != NULL)
            fprintf(out, "%s: %s: %s\n", c->backend,
                    compare_status_name(c->status), c->why);
    }
    fflush(out);
}

static void json_column(struct json_out *j, const struct compare_kind *k,
                        const struct compare_column *c)
{
    json_out_begin_object(j, NULL);
    json_out_string(j, "backend", c->backend);
    if (c->stack[0])
        json_out_string(j, "stack", c->stack);
    else
        json_out_null(j, "stack");
    json_out_string(j, "status", compare_status_name(c->status));
    if (c->status != COMPARE_OK)
        json_out_string(j, "reason", c->why);
    if (has_figures(k, c))
        k->json_figures(j, c);
    json_out_end_object(j);
}

int compare_json_print(FILE *out, const struct compare_kind *k,
                       const void *settings, const void *cols, size_t ncols)
{
    struct json_out j;
    size_t i;
    int rc;

    json_out_init(&j);
    json_out_begin_object(&j, NULL);
    json_out_u64(&j, "schema_version", SCTPU_JSON_SCHEMA_VERSION);
    json_out_begin_object(&j, "compare");
    k->json_settings(&j, settings);
    json_out_begin_array(&j, "backends");
    for (i = 0; i < ncols; i++)
        json_column(&j, k, column_at(k, cols, i));
    json_out_end_array(&j);
    json_out_end_object(&j);
    json_out_end_object(&j);
    rc = json_out_write(&j, out);
    json_out_free(&j);
    return rc;
}

int compare_run(const struct compare_kind *k, const void *settings, bool json)
{
    char *cols = calloc(RUNTIME_MAX_BACKENDS, k->column_size);
    int rc;
    size_t i;

    if (cols == NULL) {
        log_err("--compare: out of memory");
        return RUNTIME_EXIT_FAIL;
    }
    if (!json)
        k->print_header(stdout, settings);
    for (i = 0; i < RUNTIME_MAX_BACKENDS; i++) {
        struct compare_column *c =
            (struct compare_column *)(cols + i * k->column_size);

        if (column_open(c, transport_known_backends[i]))
            k->run(c, settings);
    }
    if (!json) {
        compare_table_print(stdout, k, cols, RUNTIME_MAX_BACKENDS);
        rc = compare_exit(k, cols, RUNTIME_MAX_BACKENDS);
    } else if (compare_json_print(stdout, k, settings, cols,
                                  RUNTIME_MAX_BACKENDS) < 0) {
        log_err("--compare: out of memory building the JSON document");
        rc = RUNTIME_EXIT_FAIL;
    } else {
        rc = compare_exit(k, cols, RUNTIME_MAX_BACKENDS);
    }
    free(cols);
    return rc;
}

int compare_exit(const struct compare_kind *k, const void *cols, size_t ncols)
{
    size_t ran = 0;
    size_t i;

    for (i = 0; i < ncols; i++) {
        enum compare_status s = column_at(k, cols, i)->status;

        if (s == COMPARE_FAILED)
            return RUNTIME_EXIT_FAIL;
        ran += s == COMPARE_OK;
    }
    return ran > 0 ? RUNTIME_EXIT_OK : RUNTIME_EXIT_USAGE;
}
