/*
 * impair_report.h - what --impair did, for both tools' summaries and -J:
 * per direction (sent: tx, received: rx) the datagrams seen, dropped by
 * loss= and by a full rate= queue, delayed, reordered, duplicated and
 * corrupted, with the spec in force and its seed (to repeat the run),
 * and what SCTP made of it: SACKs received reporting gaps (reordered or
 * lost DATA) and duplicate TSNs reported.
 */
#ifndef SCTPU_IMPAIR_REPORT_H
#define SCTPU_IMPAIR_REPORT_H

#include <stdio.h>

#include "json_out.h"
#include "transport.h"

/* true when c carries --impair counts (the usrsctp backend with it on) */
bool impair_report_any(const struct transport_counters *c);

#define IMPAIR_REPORT_LINES 4
#define IMPAIR_REPORT_LINE_MAX 256

/* "impair SPEC", a line per direction and one of SCTP's view (no
 * newlines) into lines; how many (0 when --impair is off). */
size_t
impair_report_lines(const struct transport_counters *c,
                    char lines[IMPAIR_REPORT_LINES][IMPAIR_REPORT_LINE_MAX]);

/* ,"impair":{...} for a document written with fprintf (sctpu-echo -J);
 * ,"impair":null when off. */
void impair_report_json_member(FILE *out, const struct transport_counters *c);

/* "impair": {"spec": ..., "tx": {...} or null, "rx": ...,
 * "sacks_with_gaps": N, "sack_dup_tsns": N}, or null when --impair is
 * off. */
void impair_report_json(struct json_out *j, const struct transport_counters *c);

#endif /* SCTPU_IMPAIR_REPORT_H */
