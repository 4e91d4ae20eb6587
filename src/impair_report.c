/*
 * impair_report.c - see impair_report.h.
 */
#include <inttypes.h>
#include <stdio.h>

#include "impair_report.h"

bool impair_report_any(const struct transport_counters *c)
{
    return c->impair_tx_on || c->impair_rx_on;
}

static void dir_line(char *line, const char *dir, const struct impair_counts *n)
{
    snprintf(line, IMPAIR_REPORT_LINE_MAX,
             "impair %s: %" PRIu64 " datagrams, %" PRIu64 " dropped (%" PRIu64
             " by loss, %" PRIu64 " by a full rate queue), %" PRIu64
             " delayed, %" PRIu64 " reordered, %" PRIu64 " duplicated, %" PRIu64
             " corrupted",
             dir, n->seen, n->dropped + n->dropped_queue, n->dropped,
             n->dropped_queue, n->delayed, n->reordered, n->duplicated,
             n->corrupted);
}

size_t
impair_report_lines(const struct transport_counters *c,
                    char lines[IMPAIR_REPORT_LINES][IMPAIR_REPORT_LINE_MAX])
{
    size_t n = 0;

    if (!impair_report_any(c))
        return 0;
    snprintf(lines[n++], IMPAIR_REPORT_LINE_MAX, "impair %s", c->impair_spec);
    if (c->impair_tx_on)
        dir_line(lines[n++], "sent", &c->impair_tx);
    if (c->impair_rx_on)
        dir_line(lines[n++], "received", &c->impair_rx);
    snprintf(lines[n++], IMPAIR_REPORT_LINE_MAX,
             "impair as SCTP saw it: %" PRIu64 " SACKs received reporting "
             "gaps, %" PRIu64 " duplicate TSNs reported",
             c->rx_sacks_with_gaps, c->rx_sack_dup_tsns);
    return n;
}

static void json_dir(struct json_out *j, const char *key, bool on,
                     const struct impair_counts *n)
{
    if (!on) {
        json_out_null(j, key);
        return;
    }
    json_out_begin_object(j, key);
    json_out_u64(j, "datagrams", n->seen);
    json_out_u64(j, "dropped", n->dropped);
    json_out_u64(j, "dropped_queue_full", n->dropped_queue);
    json_out_u64(j, "delayed", n->delayed);
    json_out_u64(j, "reordered", n->reordered);
    json_out_u64(j, "duplicated", n->duplicated);
    json_out_u64(j, "corrupted", n->corrupted);
    json_out_end_object(j);
}

void impair_report_json(struct json_out *j, const struct transport_counters *c)
{
    if (!impair_report_any(c)) {
        json_out_null(j, "impair");
        return;
    }
    json_out_begin_object(j, "impair");
    json_out_string(j, "spec", c->impair_spec);
    json_dir(j, "tx", c->impair_tx_on, &c->impair_tx);
    json_dir(j, "rx", c->impair_rx_on, &c->impair_rx);
    json_out_u64(j, "sacks_with_gaps", c->rx_sacks_with_gaps);
    json_out_u64(j, "sack_dup_tsns", c->rx_sack_dup_tsns);
    json_out_end_object(j);
}

void impair_report_json_member(FILE *out, const struct transport_counters *c)
{
    struct json_out j;

    json_out_init(&j);
    json_out_begin_object(&j, NULL);
    impair_report_json(&j, c);
    json_out_end_object(&j);
    /* the member alone: the object's braces off */
    if (!j.failed && j.len >= 2)
        fprintf(out, ",%.*s", (int)(j.len - 2), j.buf + 1);
    else
        fputs(",\"impair\":null", out);
    json_out_free(&j);
}
