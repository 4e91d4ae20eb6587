/*
 * perf_report_csv.c - sctpu-perf --csv (see perf_report_csv.h and
 * docs/perf-csv.md): the line formatter, and the report's hooks that sum
 * an interval's or the run's rows per direction into lines.
 */
#include "perf_report_csv.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "perf_report_priv.h"

static const char header[] =
    "timestamp,kind,direction,role,associations,start_s,end_s,seconds,"
    "bytes,bits_per_second,messages,messages_per_second,retransmits,"
    "cwnd_bytes,srtt_us,omitted\n";

void perf_csv_header(FILE *out)
{
    fputs(header, out);
}

void perf_csv_row(FILE *out, const struct perf_csv_row *row)
{
    double secs = row->end > row->start ? row->end - row->start : 0;

    fprintf(out,
            "%.3f,%s,%s,%s,%u,%.6f,%.6f,%.6f,%" PRIu64 ",%.0f,%" PRIu64
            ",%.1f,",
            row->timestamp, row->kind, row->client_to_server ? "c2s" : "s2c",
            row->sender ? "sender" : "receiver", row->associations, row->start,
            row->end, secs, row->bytes,
            perf_report_per_sec((double)row->bytes * 8, secs), row->messages,
            perf_report_per_sec((double)row->messages, secs));
    if (row->have_retransmits)
        fprintf(out, "%" PRIu64, row->retransmits);
    fputc(',', out);
    if (row->have_sctp)
        fprintf(out, "%" PRIu64 ",%" PRIu32, row->cwnd, row->srtt_us);
    else
        fputc(',', out);
    fprintf(out, ",%d\n", row->omitted ? 1 : 0);
}

static double now_unix(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void emit(struct perf_report *r, const struct perf_csv_row *row)
{
    perf_csv_row(r->out, row);
    if (r->cfg->forceflush)
        fflush(r->out);
}

void perf_report_csv_begin(struct perf_report *r)
{
    perf_csv_header(r->out);
}

void perf_report_csv_interval(struct perf_report *r, double start, double end,
                              bool omitted, const struct perf_report_row *rows,
                              size_t nrows)
{
    int dir;

    /* this end's sending rows, then its receiving rows (--bidir) */
    for (dir = 1; dir >= 0; dir--) {
        struct perf_text_line sum;
        struct perf_csv_row c;
        uint64_t srtt = 0;
        size_t i;

        if (!perf_report_interval_sum(rows, nrows, start, end, dir == 1, &sum))
            continue;
        memset(&c, 0, sizeof(c));
        c.timestamp = now_unix();
        c.kind = "interval";
        c.client_to_server = perf_report_forward(r, dir == 1);
        c.sender = dir == 1;
        c.start = sum.start;
        c.end = sum.end;
        c.bytes = sum.bytes;
        c.messages = sum.messages;
        c.have_retransmits = c.sender;
        c.retransmits = sum.retransmits;
        c.omitted = omitted;
        for (i = 0; i < nrows; i++) {
            const struct perf_report_row *row = &rows[i];

            if (row->sender != c.sender)
                continue;
            c.associations++;
            if (!row->sender || !row->have_sctp)
                continue;
            c.have_sctp = true;
            c.cwnd += row->cwnd;
            srtt += row->srtt_us;
        }
        if (c.have_sctp && c.associations > 0)
            c.srtt_us = (uint32_t)(srtt / c.associations);
        emit(r, &c);
    }
}

/* The run's totals of one direction (forward: client to server) as its
 * sender or its receiver counted them; false when no entry has any. */
static bool final_sum(struct perf_report *r,
                      const struct perf_report_final *fin, bool forward,
                      bool sender, struct perf_csv_row *c)
{
    size_t i;

    memset(c, 0, sizeof(*c));
    for (i = 0; i < fin->ndirs; i++) {
        const struct perf_report_dir *d = &fin->dirs[i];

        if (d->counts == NULL || d->sender != sender ||
            perf_report_forward(r, d->outbound) != forward)
            continue;
        c->associations++;
        c->bytes += d->counts->bytes;
        c->messages += d->counts->messages;
        c->retransmits += d->counts->retransmits;
        if (d->seconds > c->end)
            c->end = d->seconds;
    }
    return c->associations > 0;
}

void perf_report_csv_final(struct perf_report *r,
                           const struct perf_report_final *fin)
{
    int fwd;
    int snd;

    for (fwd = 1; fwd >= 0; fwd--) {
        for (snd = 1; snd >= 0; snd--) {
            struct perf_csv_row c;

            if (!final_sum(r, fin, fwd == 1, snd == 1, &c))
                continue;
            c.timestamp = now_unix();
            c.kind = "end";
            c.client_to_server = fwd == 1;
            c.sender = snd == 1;
            c.have_retransmits = c.sender;
            emit(r, &c);
        }
    }
    fflush(r->out);
}
