/*
 * compare_table.h - the columns of a --compare run (sctpu-perf,
 * sctpu-echo: the same test on each backend, one after the other): a
 * column per backend, filled by the tool's run in turn, printed side by
 * side with the tool's own figures (text) or as the "backends" of one
 * JSON document, and the exit status they add up to. The tools keep only
 * their settings, their run and their figures (struct compare_kind).
 */
#ifndef SCTPU_COMPARE_TABLE_H
#define SCTPU_COMPARE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json_out.h"

#define COMPARE_CELL_W                                                         \
    26 /* a column's width: fits
                             "usrsctp 0.9.5.0 (system)" */

/* How one backend's column came out. */
enum compare_status {
    COMPARE_OK = 0,
    COMPARE_UNAVAILABLE, /* this host cannot run it: not a failure */
    COMPARE_FAILED,      /* it ran and the test failed */
};

/*
 * What every column has. A tool's own column struct starts with one (as
 * its first member) and adds what its run measured; the functions below
 * take an array of those, and the tool's callbacks get its column back
 * by a cast.
 */
struct compare_column {
    const char *backend;
    char stack[96]; /* this client's SCTP stack (a kernel's release);
                       "" when the backend is not built in */
    enum compare_status status;
    char why[512]; /* unavailable or failed: the reason */
};

/* What one tool puts into the comparison. settings is the tool's config
 * with the settings both runs share (e.g. perf_compare_settings). */
struct compare_kind {
    /* The fairness header (text only): compare_print_target first and
     * compare_print_mtu last. */
    void (*print_header)(FILE *out, const void *settings);
    /* Run the test on col's backend (which this host can run), and fill
     * in col's status, why (unless ok) and the tool's figures. */
    void (*run)(struct compare_column *col, const void *settings);
    const char *title;  /* the line above the table */
    int label_w;        /* the row labels' column */
    size_t column_size; /* sizeof the tool's column struct */
    /* A failed run's figures are shown too (how far it got); when false,
     * only a run that came out ok has figures. */
    bool failed_has_figures;
    size_t nfigures;
    const char *const *figure_labels; /* a row each */
    /* Figure f of a column that has figures, as a cell. */
    void (*format_figure)(char *buf, size_t len, size_t f,
                          const struct compare_column *col);
    const char *footnote; /* a line under the table, or NULL */
    /* The JSON "settings" object, and a column's figures (members of its
     * object, which is open). */
    void (*json_settings)(struct json_out *j, const void *settings);
    void (*json_figures)(struct json_out *j, const struct compare_column *col);
};

/* The header's first line: where the backends are compared. */
void compare_print_target(FILE *out, const char *host, uint16_t port,
                          uint16_t udp_port);

/* The header's last line: the IP MTU both runs use (0: the route's could
 * not be read, so each backend has its own). Flushes out. */
void compare_print_mtu(FILE *out, uint32_t mtu);

/* The first and the last members of the JSON "settings" object: where,
 * and the transport settings both runs share (mtu null when 0). */
void compare_json_target(struct json_out *j, const char *host, uint16_t port,
                         uint16_t udp_port);
void compare_json_transport(struct json_out *j, uint32_t sndbuf,
                            uint32_t rcvbuf, uint32_t sack_delay_ms,
                            uint32_t sack_freq, bool nodelay, uint32_t mtu);

/*
 * The comparison: the header (text), then a column per known backend,
 * run in turn (one this host cannot run is unavailable, with the reason
 * in a warning and in the column), then the table or (json) the
 * document, on stdout. Returns compare_exit's status, or
 * RUNTIME_EXIT_FAIL when out of memory (logged).
 */
int compare_run(const struct compare_kind *k, const void *settings, bool json);

/* "ok", "unavailable" or "failed". */
const char *compare_status_name(enum compare_status s);

/*
 * The table: the backends, their stacks, a row per figure ("-" in a
 * column without figures), and the status, whose reason runs on in the
 * last column but goes below the table from any other one, where it would
 * push the next column aside. cols holds ncols of the tool's columns.
 */
void compare_table_print(FILE *out, const struct compare_kind *k,
                         const void *cols, size_t ncols);

/* The document {"compare": {"settings": ..., "backends": [...]}}; each
 * column has backend, stack (null when not built in), status, the reason
 * unless ok, then its figures. 0, or -1 if it could not be made. */
int compare_json_print(FILE *out, const struct compare_kind *k,
                       const void *settings, const void *cols, size_t ncols);

/* RUNTIME_EXIT_OK when at least one backend ran and none failed,
 * RUNTIME_EXIT_FAIL when one failed, RUNTIME_EXIT_USAGE when none could
 * run. */
int compare_exit(const struct compare_kind *k, const void *cols, size_t ncols);

#endif /* SCTPU_COMPARE_TABLE_H */
