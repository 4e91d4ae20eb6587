/*
 * echo_report.c - print the echo client's summary.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "echo_report.h"
#include "impair_report.h"
#include "json_schema.h"
#include "pcap_report.h"
#include "netaddr.h"
#include "units.h"

uint64_t echo_summary_lost(const struct echo_summary *s)
{
    return s->sent > s->received ? s->sent - s->received : 0;
}

bool echo_summary_translated(const struct echo_summary *s)
{
    return netaddr_translated(s->local, s->seen_as);
}

static double per_second(uint64_t n, uint64_t us)
{
    return us > 0 ? (double)n * 1e6 / (double)us : 0.0;
}

double echo_summary_msgs_per_s(const struct echo_summary *s)
{
    return per_second(s->verified, s->elapsed_us);
}

double echo_summary_bytes_per_s(const struct echo_summary *s)
{
    return per_second(s->verified_bytes, s->elapsed_us);
}

void echo_report_text(FILE *out, const struct echo_summary *s)
{
    const struct rtt_stats *r = s->rtt;
    char rate[32];

    fprintf(out, "--- %s echo statistics ---\n", s->peer);
    fprintf(out,
            "%" PRIu64 " sent, %" PRIu64 " received, %" PRIu64
            " verified, %" PRIu64 " lost, %" PRIu64 " corrupt\n",
            s->sent, s->received, s->verified, echo_summary_lost(s),
            s->corrupt);
    if (r->count > 0)
        fprintf(out,
                "rtt min/avg/max/p50/p99 = %" PRIu32 "/%.1f/%" PRIu32
                "/%" PRIu32 "/%" PRIu32 " us\n",
                r->min_us, rtt_stats_avg(r), r->max_us,
                rtt_stats_percentile(r, 50), rtt_stats_percentile(r, 99));
    if (s->received > 0)
        fprintf(out,
                "elapsed %.3f s: %.1f messages/s, %s/s verified "
                "(window %" PRIu32 ", at most %" PRIu32 " in flight)\n",
                (double)s->elapsed_us / 1e6, echo_summary_msgs_per_s(s),
                units_format_bytes(rate, sizeof(rate),
                                   (uint64_t)echo_summary_bytes_per_s(s)),
                s->window, s->max_in_flight);
    if (s->impair != NULL) {
        char lines[IMPAIR_REPORT_LINES][IMPAIR_REPORT_LINE_MAX];
        size_t i;
        size_t n = impair_report_lines(s->impair, lines);

        for (i = 0; i < n; i++)
            fprintf(out, "%s\n", lines[i]);
    }
}

/* A JSON string; our strings are ASCII, but escape what JSON requires. */
static void json_string(FILE *out, const char *str)
{
    if (str == NULL) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (; *str != '\0'; str++) {
        unsigned char ch = (unsigned char)*str;

        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(out, "\\u%04x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

void echo_report_path_line(FILE *out, const struct echo_path_event *p,
                           const char *what)
{
    char host[NETADDR_STRLEN];

    netaddr_format_host((const struct sockaddr *)&p->ev.addr, host,
                        sizeof(host));
    fprintf(out, "[path] %s %s (error %d) at %.2f s%s%s%s\n", host,
            transport_path_state_name(p->ev.state), p->ev.error, p->time_s,
            what ? " (" : "", what ? what : "", what ? ")" : "");
}

void echo_report_peer_addrs(FILE *out, const struct sockaddr_storage *addrs,
                            size_t n)
{
    size_t i;

    if (n == 0)
        return;
    fputs("peer addresses: ", out);
    for (i = 0; i < n; i++) {
        char host[NETADDR_STRLEN];

        netaddr_format_host((const struct sockaddr *)&addrs[i], host,
                            sizeof(host));
        fprintf(out, "%s%s", i ? ", " : "", host);
    }
    fputs("\n", out);
}

/* ,"peer_addresses":[...],"path_events":[...] when the backend reports
 * paths. */
static void paths_json(FILE *out, const struct echo_summary *s)
{
    size_t i;

    if (!s->paths_known)
        return;
    fputs(",\"peer_addresses\":[", out);
    for (i = 0; i < s->npeer_addrs; i++) {
        char host[NETADDR_STRLEN];

        netaddr_format_host((const struct sockaddr *)&s->peer_addrs[i], host,
                            sizeof(host));
        fputs(i ? "," : "", out);
        json_string(out, host);
    }
    fputs("],\"path_events\":[", out);
    for (i = 0; i < s->npaths; i++) {
        const struct echo_path_event *p = &s->paths[i];
        char host[NETADDR_STRLEN];

        netaddr_format_host((const struct sockaddr *)&p->ev.addr, host,
                            sizeof(host));
        fprintf(out, "%s{\"time\":%.3f,\"address\":", i ? "," : "", p->time_s);
        json_string(out, host);
        fputs(",\"state\":", out);
        json_string(out, transport_path_state_name(p->ev.state));
        fprintf(out, ",\"error\":%d}", p->ev.error);
    }
    fprintf(out, "],\"path_events_dropped\":%" PRIu64, s->paths_dropped);
}

void echo_report_json(FILE *out, const struct echo_summary *s)
{
    const struct rtt_stats *r = s->rtt;
    bool have = r->count > 0;

    fprintf(out, "{\"schema_version\":%d,\"peer\":", SCTPU_JSON_SCHEMA_VERSION);
    json_string(out, s->peer);
    fputs(",\"local\":", out);
    json_string(out, s->local);
    fputs(",\"seen_as\":", out);
    json_string(out, s->seen_as);
    fputs(",\"address_translated\":", out);
    fputs(s->seen_as == NULL           ? "null"
          : echo_summary_translated(s) ? "true"
                                       : "false",
          out);
    fputs(",\"backend\":", out);
    json_string(out, s->backend);
    fputs(",\"stack\":", out);
    json_string(out, s->stack);
    fprintf(out,
            ",\"streams\":{\"in\":%u,\"out\":%u,\"used\":%u}"
            ",\"pathmtu\":%" PRIu32 ",\"sent\":%" PRIu64
            ",\"received\":%" PRIu64 ",\"verified\":%" PRIu64
            ",\"lost\":%" PRIu64 ",\"corrupt\":%" PRIu64,
            (unsigned)s->in_streams, (unsigned)s->out_streams,
            (unsigned)s->streams_used, s->pathmtu, s->sent, s->received,
            s->verified, echo_summary_lost(s), s->corrupt);
    fprintf(out,
            ",\"rtt_us\":{\"min\":%" PRIu32 ",\"avg\":%.1f,\"max\":%" PRIu32
            ",\"p50\":%" PRIu32 ",\"p99\":%" PRIu32 "}",
            have ? r->min_us : 0, rtt_stats_avg(r), have ? r->max_us : 0,
            rtt_stats_percentile(r, 50), rtt_stats_percentile(r, 99));
    fputs(",\"setup_us\":", out);
    if (s->connected)
        fprintf(out, "%" PRIu64, s->setup_us);
    else
        fputs("null", out);
    fprintf(out,
            ",\"window\":%" PRIu32 ",\"max_in_flight\":%" PRIu32
            ",\"elapsed_s\":%.6f,\"verified_bytes\":%" PRIu64
            ",\"msgs_per_s\":%.1f,\"bytes_per_s\":%.0f",
            s->window, s->max_in_flight, (double)s->elapsed_us / 1e6,
            s->verified_bytes, echo_summary_msgs_per_s(s),
            echo_summary_bytes_per_s(s));
    fprintf(out, ",\"ppid_differed\":%" PRIu64 ",\"retransmits\":%" PRIu64,
            s->ppid_differed, s->retransmits);
    paths_json(out, s);
    if (s->impair != NULL)
        impair_report_json_member(out, s->impair);
    else
        fputs(",\"impair\":null", out);
    pcap_report_json_member(out, s->pcap);
    fputs(",\"error\":", out);
    json_string(out, s->error);
    fputs("}\n", out);
}
