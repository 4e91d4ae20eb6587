/*
 * pcap_report.c - see pcap_report.h.
 */
#include <inttypes.h>
#include <string.h>

#include "pcap_report.h"
#include "pcap_writer.h"

void pcap_report_line(const struct pcap_writer *w, char *line, size_t len)
{
    const struct pcap_writer_counts *c = pcap_writer_counts(w);
    char why[160] = "";

    if (c->cap_reached)
        snprintf(why, sizeof(why), " (--pcap-max reached)");
    else if (c->write_errno != 0)
        snprintf(why, sizeof(why), " (write failed: %s)",
                 strerror(c->write_errno));
    snprintf(line, len,
             "--pcap %s: %" PRIu64 " packets captured (%" PRIu64
             " bytes, %" PRIu64 " cut to the snaplen), %" PRIu64
             " not captured%s",
             pcap_writer_path(w), c->captured, c->bytes, c->truncated,
             c->not_captured, why);
}

void pcap_report_json(struct json_out *j, const struct pcap_writer *w)
{
    const struct pcap_writer_counts *c;

    if (w == NULL) {
        json_out_null(j, "pcap");
        return;
    }
    c = pcap_writer_counts(w);
    json_out_begin_object(j, "pcap");
    json_out_string(j, "file", pcap_writer_path(w));
    json_out_u64(j, "captured", c->captured);
    json_out_u64(j, "not_captured", c->not_captured);
    json_out_u64(j, "truncated", c->truncated);
    json_out_u64(j, "bytes", c->bytes);
    json_out_bool(j, "cap_reached", c->cap_reached);
    if (c->write_errno != 0)
        json_out_string(j, "write_error", strerror(c->write_errno));
    else
        json_out_null(j, "write_error");
    json_out_end_object(j);
}

void pcap_report_json_member(FILE *out, const struct pcap_writer *w)
{
    struct json_out j;

    json_out_init(&j);
    json_out_begin_object(&j, NULL);
    pcap_report_json(&j, w);
    json_out_end_object(&j);
    /* the member alone: the object's braces off */
    if (!j.failed && j.len >= 2)
        fprintf(out, ",%.*s", (int)(j.len - 2), j.buf + 1);
    else
        fputs(",\"pcap\":null", out);
    json_out_free(&j);
}
