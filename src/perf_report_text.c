/*
 * perf_report_text.c - the text tables of sctpu-perf: column header lines
 * and the lines under them, laid out from one set of widths so every label
 * stays over its cells. A line prints only the cells its kind has: a
 * receiver has no Rtx, no cwnd, no SRTT; blanks are printed only to keep a
 * later cell (the sender/receiver role) in its column.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "perf_report_priv.h"
#include "units.h"

/* Cell widths; two spaces go before every cell. */
enum {
    W_INTERVAL = 17, /* "  0.00-1.00   sec" after one space */
    W_XFER = 11,
    W_RATE = 15,
    W_MSGS = 9,
    W_RTX = 5,
    W_ABANDONED = 9,
    W_WND = 11,
    W_SRTT = 7,
    W_RTO = 6,
    W_PMTU = 5,
    W_SID = 5,
    W_MESSAGES = 12,
    W_PPID = 10, /* 4294967295 */
};

/* What -u looks like, so nobody takes it for iperf3's -u (UDP). */
static const char UNORDERED_MARK[] = "  (SCTP unordered)";

static void cell(struct perf_report *r, int width, const char *s)
{
    perf_report_text(r, "  %*s", width, s);
}

static void cell_u64(struct perf_report *r, int width, uint64_t v)
{
    perf_report_text(r, "  %*" PRIu64, width, v);
}

/* "[ ID]" and, under --bidir, room for "[TX]". */
static void id_header(struct perf_report *r)
{
    perf_report_text(r, "[ ID]%s", r->cfg->bidir ? "    " : "");
}

static void id_cell(struct perf_report *r, unsigned int id, bool outbound)
{
    if (id == 0)
        perf_report_text(r, "[SUM]");
    else
        perf_report_text(r, "[%3u]", id);
    if (r->cfg->bidir)
        perf_report_text(r, "%s", outbound ? "[TX]" : "[RX]");
}

void perf_report_text_header(struct perf_report *r, unsigned int cols)
{
    id_header(r);
    perf_report_text(r, " %-*s", W_INTERVAL, "Interval");
    cell(r, W_XFER, "Transfer");
    cell(r, W_RATE, "Bitrate");
    cell(r, W_MSGS, "Msgs/s");
    if (cols & PERF_COLS_RTX)
        cell(r, W_RTX, "Rtx");
    if (cols & PERF_COLS_ABANDONED)
        cell(r, W_ABANDONED, "Abandoned");
    if (cols & PERF_COLS_SCTP) {
        cell(r, W_WND, "Cwnd");
        cell(r, W_WND, "Rwnd");
        cell(r, W_SRTT, "SRTT-us");
        cell(r, W_RTO, "RTO-ms");
        cell(r, W_PMTU, "PMTU");
    }
    perf_report_text(r, "%s\n", r->cfg->unordered ? UNORDERED_MARK : "");
}

void perf_report_text_line(struct perf_report *r,
                           const struct perf_text_line *l, unsigned int cols)
{
    double secs = l->end - l->start;
    /* Something follows the cells: keep it in one column. */
    bool pad = l->role != NULL || l->note != NULL;
    char buf[32];

    id_cell(r, l->id, l->outbound);
    perf_report_text(r, " %6.2f-%-6.2f sec", l->start, l->end);
    units_format_bytes(buf, sizeof(buf), l->bytes);
    cell(r, W_XFER, buf);
    units_format_rate(buf, sizeof(buf),
                      perf_report_per_sec(l->bytes * 8.0, secs));
    cell(r, W_RATE, buf);
    snprintf(buf, sizeof(buf), "%.0f",
             perf_report_per_sec((double)l->messages, secs));
    cell(r, W_MSGS, buf);
    if (cols & PERF_COLS_RTX) {
        if (l->sender)
            cell_u64(r, W_RTX, l->retransmits);
        else if (pad)
            cell(r, W_RTX, "");
    }
    if (cols & PERF_COLS_ABANDONED) {
        if (l->sender)
            cell_u64(r, W_ABANDONED, l->abandoned);
        else if (pad)
            cell(r, W_ABANDONED, "");
    }
    if ((cols & PERF_COLS_SCTP) && l->sctp != NULL) {
        units_format_bytes(buf, sizeof(buf), l->sctp->cwnd);
        cell(r, W_WND, buf);
        units_format_bytes(buf, sizeof(buf), l->sctp->rwnd);
        cell(r, W_WND, buf);
        /* microseconds; in steps of 1000 where the stack only has whole
         * ms (the kernel backend): JSON's rtt_resolution_us says which */
        cell_u64(r, W_SRTT, l->sctp->srtt_us);
        cell_u64(r, W_RTO, l->sctp->rto_ms);
        cell_u64(r, W_PMTU, l->sctp->pmtu);
    } else if ((cols & PERF_COLS_SCTP) && pad) {
        perf_report_text(r, "  %*s  %*s  %*s  %*s  %*s", W_WND, "", W_WND, "",
                         W_SRTT, "", W_RTO, "", W_PMTU, "");
    }
    if (l->role != NULL)
        perf_report_text(r, "  %s", l->role);
    if (l->note != NULL)
        perf_report_text(r, "  %s", l->note);
    perf_report_text(r, "\n");
}

void perf_report_text_rr(struct perf_report *r, unsigned int id, double start,
                         double end, const struct perf_rr_summary *s,
                         const char *note)
{
    char buf[256];

    perf_rr_text(buf, sizeof(buf), s);
    id_cell(r, id, false);
    perf_report_text(r, " %6.2f-%-6.2f sec  RR%s%s%s\n", start, end, buf,
                     note != NULL ? "  " : "", note != NULL ? note : "");
}

void perf_report_text_timeouts(struct perf_report *r, double start, double end,
                               uint64_t count)
{
    perf_report_text(r,
                     "[T3 ]%s %6.2f-%-6.2f sec  %" PRIu64
                     " retransmission timeout%s (T3-rtx)\n",
                     r->cfg->bidir ? "    " : "", start, end, count,
                     count == 1 ? "" : "s");
}

void perf_report_text_streams_header(struct perf_report *r)
{
    perf_report_text(r, "SCTP streams, as their receiver counted them:\n");
    id_header(r);
    cell(r, W_SID, "SID");
    cell(r, W_MESSAGES, "Messages");
    cell(r, W_XFER, "Transfer");
    cell(r, W_RATE, "Bitrate");
    cell(r, W_PPID, "PPID");
    if (r->cfg->verify)
        perf_report_text(r, "  verified/missing/dup/corrupt/ooo");
    perf_report_text(r, "\n");
}

void perf_report_text_stream(struct perf_report *r, unsigned int id,
                             bool outbound, double secs,
                             const struct perf_stream_counts *s)
{
    char buf[32];

    id_cell(r, id, outbound);
    cell_u64(r, W_SID, s->sid);
    cell_u64(r, W_MESSAGES, s->messages);
    units_format_bytes(buf, sizeof(buf), s->bytes);
    cell(r, W_XFER, buf);
    units_format_rate(buf, sizeof(buf),
                      perf_report_per_sec(s->bytes * 8.0, secs));
    cell(r, W_RATE, buf);
    /* The PPID the stream's messages carried, or "mixed" when it changed. */
    if (s->ppid_mixed)
        cell(r, W_PPID, "mixed");
    else
        cell_u64(r, W_PPID, s->ppid);
    if (r->cfg->verify)
        perf_report_text(
            r, "  %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64,
            s->verified, s->missing, s->duplicate, s->corrupt, s->out_of_order);
    perf_report_text(r, "\n");
}
