/*
 * perf_report_csv.h - sctpu-perf --csv: one CSV line per interval and
 * direction, then the run's totals, under a header line. The columns are
 * documented in docs/perf-csv.md; they only ever grow at the end.
 */
#ifndef SCTPU_PERF_REPORT_CSV_H
#define SCTPU_PERF_REPORT_CSV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One line: a direction's numbers over a period, as one end counted. */
struct perf_csv_row {
    double timestamp;      /* Unix time the line was written, seconds */
    const char *kind;      /* "interval" or "end" */
    bool client_to_server; /* the data's direction */
    bool sender;           /* counted by the end that sent it */
    unsigned int associations;
    double start; /* seconds from the start of the test */
    double end;
    uint64_t bytes;
    uint64_t messages;
    bool have_retransmits; /* sender lines */
    uint64_t retransmits;
    bool have_sctp;   /* interval sender lines: the SCTP figures below */
    uint64_t cwnd;    /* bytes, summed over the associations */
    uint32_t srtt_us; /* mean over the associations */
    bool omitted;     /* -O warm-up */
};

/* The header line (the column names). */
void perf_csv_header(FILE *out);

/* One line; an empty cell where the row has no such figure. */
void perf_csv_row(FILE *out, const struct perf_csv_row *row);

#endif /* SCTPU_PERF_REPORT_CSV_H */
