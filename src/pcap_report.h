/*
 * pcap_report.h - what --pcap wrote, for both tools: one line for stderr
 * when the file is closed, and the "pcap" object of -J.
 */
#ifndef SCTPU_PCAP_REPORT_H
#define SCTPU_PCAP_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "json_out.h"

struct pcap_writer;

#define PCAP_REPORT_LINE_MAX 512

/* "--pcap FILE: N packets captured (B bytes), M not captured ..." */
void pcap_report_line(const struct pcap_writer *w, char *line, size_t len);

/* "pcap": {"file", "captured", "not_captured", "truncated", "bytes",
 * "cap_reached", "write_error"}, or null when w is NULL. */
void pcap_report_json(struct json_out *j, const struct pcap_writer *w);

/* ,"pcap":{...} (or null) for a document written with fprintf. */
void pcap_report_json_member(FILE *out, const struct pcap_writer *w);

#endif /* SCTPU_PCAP_REPORT_H */
