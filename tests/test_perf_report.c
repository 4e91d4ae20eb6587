/* tests/test_perf_report.c - sctpu-perf's -J document parses and has the
 * iperf3 keys; text mode has the SCTP columns, each table's labels over
 * its cells, sums by direction, and intervals that end where they should. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "perf.h"
#include "perf_report.h"
#include "perf_report_intervals.h"
#include "transport.h"
#include "version.h"

/* A strict JSON syntax check (RFC 8259 grammar, no extensions). */
struct cursor {
    const char *p;
};

static bool parse_value(struct cursor *c);

static void skip_ws(struct cursor *c)
{
    while (*c->p == ' ' || *c->p == '\n' || *c->p == '\t' || *c->p == '\r')
        c->p++;
}

static bool parse_string(struct cursor *c)
{
    if (*c->p != '"')
        return false;
    for (c->p++; *c->p != '"'; c->p++) {
        if ((unsigned char)*c->p < 0x20 || *c->p == '\0')
            return false;
        if (*c->p == '\\') {
            c->p++;
            if (*c->p == 'u') {
                int i;

                for (i = 1; i <= 4; i++)
                    if (!strchr("0123456789abcdefABCDEF", c->p[i]))
                        return false;
                c->p += 4;
            } else if (!strchr("\"\\/bfnrt", *c->p)) {
                return false;
            }
        }
    }
    c->p++;
    return true;
}

static bool parse_number(struct cursor *c)
{
    const char *start = c->p;

    if (*c->p == '-')
        c->p++;
    if (*c->p == '0')
        c->p++;
    else if (*c->p >= '1' && *c->p <= '9')
        while (*c->p >= '0' && *c->p <= '9')
            c->p++;
    else
        return false;
    if (*c->p == '.') {
        c->p++;
        if (!(*c->p >= '0' && *c->p <= '9'))
            return false;
        while (*c->p >= '0' && *c->p <= '9')
            c->p++;
    }
    if (*c->p == 'e' || *c->p == 'E') {
        c->p++;
        if (*c->p == '+' || *c->p == '-')
            c->p++;
        if (!(*c->p >= '0' && *c->p <= '9'))
            return false;
        while (*c->p >= '0' && *c->p <= '9')
            c->p++;
    }
    return c->p > start;
}

static bool parse_container(struct cursor *c, char open, char close, bool keyed)
{
    if (*c->p != open)
        return false;
    c->p++;
    skip_ws(c);
    if (*c->p == close) {
        c->p++;
        return true;
    }
    for (;;) {
        skip_ws(c);
        if (keyed) {
            if (!parse_string(c))
                return false;
            skip_ws(c);
            if (*c->p++ != ':')
                return false;
        }
        if (!parse_value(c))
            return false;
        skip_ws(c);
        if (*c->p == close) {
            c->p++;
            return true;
        }
        if (*c->p++ != ',')
            return false;
    }
}

static bool parse_value(struct cursor *c)
{
    skip_ws(c);
    switch (*c->p) {
    case '{':
        return parse_container(c, '{', '}', true);
    case '[':
        return parse_container(c, '[', ']', false);
    case '"':
        return parse_string(c);
    case 't':
        c->p += 4;
        return strncmp(c->p - 4, "true", 4) == 0;
    case 'f':
        c->p += 5;
        return strncmp(c->p - 5, "false", 5) == 0;
    case 'n':
        c->p += 4;
        return strncmp(c->p - 4, "null", 4) == 0;
    default:
        return parse_number(c);
    }
}

static bool json_valid(const char *doc)
{
    struct cursor c = { doc };

    if (!parse_value(&c))
        return false;
    skip_ws(&c);
    return *c.p == '\0';
}

static void test_perf_report_validator_rejects(void **state)
{
    (void)state;
    assert_true(json_valid("{\"a\":[1,2.5e3,-0,true,null,\"x\\n\"]}"));
    assert_false(json_valid("{\"a\":1,}"));
    assert_false(json_valid("{\"a\" 1}"));
    assert_false(json_valid("[01]"));
    assert_false(json_valid("{\"a\":1}}"));
}

static struct perf_config test_config(bool json)
{
    struct perf_config cfg;

    memset(&cfg, 0, sizeof(cfg));
    cfg.role = PERF_ROLE_CLIENT;
    snprintf(cfg.host, sizeof(cfg.host), "198.18.0.1");
    cfg.port = 5201;
    cfg.udp_port = 9899;
    cfg.duration_s = 2;
    cfg.interval_s = 1;
    cfg.length = 1000;
    cfg.parallel = 2;
    cfg.nstreams = 2;
    cfg.verify = true;
    cfg.json = json;
    return cfg;
}

/* A two-association run: connect lines, two intervals, the end. */
static char *run_report(const struct perf_config *cfg, const char *error)
{
    static struct perf_stream_counts streams[2] = {
        { .sid = 0, .messages = 10, .bytes = 10000, .verified = 10 },
        { .sid = 1, .messages = 10, .bytes = 10000, .verified = 10 },
    };
    struct perf_dir_counts sent = { .bytes = 20000,
                                    .messages = 20,
                                    .retransmits = 3,
                                    .nstreams = 2,
                                    .streams = streams };
    struct perf_dir_counts rcvd = {
        .bytes = 20000, .messages = 20, .nstreams = 2, .streams = streams
    };
    struct perf_report_conn conn = { .id = 1,
                                     .local = "198.18.3.2:40211",
                                     .remote = "198.18.0.1:9899",
                                     .seen_as = "198.18.0.1:40211",
                                     .out_streams = 3,
                                     .in_streams = 3,
                                     .pmtu = 1460 };
    struct perf_report_row rows[2] = {
        { .id = 1,
          .sender = true,
          .bytes = 10000,
          .retransmits = 1,
          .have_sctp = true,
          .cwnd = 4380,
          .rwnd = 65536,
          .srtt_us = 42,
          .rtt_resolution_us = 1,
          .pmtu = 1460 },
        { .id = 2, .sender = true, .bytes = 10000 },
    };
    struct perf_report_dir dirs[4] = {
        { 1, true, true, 2.0, &sent },
        { 1, false, true, 2.0, &rcvd },
        { 2, true, true, 2.0, &sent },
        { 2, false, true, 2.0, &rcvd },
    };
    struct perf_report_final fin = { .dirs = dirs,
                                     .ndirs = 4,
                                     .cpu_local = 50.0,
                                     .cpu_remote = 40.0,
                                     .server_output = NULL,
                                     .impair = NULL,
                                     .pcap = NULL,
                                     .rr = NULL,
                                     .nrr = 0,
                                     .cpu_local_user = -1,
                                     .cpu_local_system = -1 };
    struct perf_report *r;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    assert_non_null(out);
    r = perf_report_new(cfg, out);
    assert_non_null(r);
    perf_report_connected(r, &conn);
    conn.id = 2;
    perf_report_connected(r, &conn);
    perf_report_interval(r, 0, 1, false, rows, 2);
    perf_report_interval(r, 1, 2, false, rows, 2);
    if (error != NULL)
        perf_report_error(r, error);
    else
        perf_report_final(r, &fin);
    assert_int_equal(perf_report_finish(r), 0);
    perf_report_free(r);
    fclose(out);
    return buf;
}

static void test_perf_report_json_parses_with_iperf3_keys(void **state)
{
    struct perf_config cfg = test_config(true);
    char *doc = run_report(&cfg, NULL);
    static const char *const keys[] = {
        "\"start\":",
        "\"connected\":",
        "\"test_start\":",
        "\"intervals\":",
        "\"streams\":",
        "\"sum\":",
        "\"end\":",
        "\"sum_sent\":",
        "\"sum_received\":",
        "\"bits_per_second\":",
        "\"retransmits\":",
        "\"snd_cwnd\":",
        "\"rwnd\":",
        "\"rtt_us\":",
        "\"messages_per_second\":",
        "\"pmtu\":",
        "\"sctp_streams\":",
        "\"seen_as\":",
        "\"verify\":",
        "\"cpu_utilization_percent\":",
        /* iperf3's keys with an SCTP meaning (perf_report_iperf3.c) */
        "{\"schema_version\":1,\"start\":",
        "\"system_info\":\"",
        "\"sock_bufsize\":0,",
        "\"target_bitrate\":0,",
        "\"tos\":0",
        "\"snd_wnd\":65536,",
        "\"rttvar\":0,",
        /* association 1's sender entry: its one sampled row, twice */
        "\"max_snd_cwnd\":4380,\"max_snd_wnd\":65536,\"max_rtt\":42,"
        "\"min_rtt\":42,\"mean_rtt\":42,",
        "\"host_user\":-1,\"host_system\":-1,",
    };
    size_t i;

    (void)state;
    assert_true(json_valid(doc));
    for (i = 0; i < ARRAY_LEN(keys); i++)
        assert_non_null(strstr(doc, keys[i]));
    /* Both associations' sent bytes add up in sum_sent. */
    assert_non_null(strstr(doc, "\"sum_sent\":{\"start\":0,\"end\":2,"
                                "\"seconds\":2,\"bytes\":40000"));
    assert_null(strstr(doc, "\"error\""));
    free(doc);
}

static void test_perf_report_json_error_still_parses(void **state)
{
    struct perf_config cfg = test_config(true);
    char *doc = run_report(&cfg, "no data moved \"for\" 5 s");

    (void)state;
    assert_true(json_valid(doc));
    assert_non_null(strstr(doc, "\"error\":\"no data moved \\\"for\\\" 5 s\""));
    free(doc);
}

/* A report writing into memory. */
struct capture {
    FILE *out;
    char *buf;
    size_t len;
    struct perf_report *r;
};

static void capture_open(struct capture *c, const struct perf_config *cfg)
{
    memset(c, 0, sizeof(*c));
    c->out = open_memstream(&c->buf, &c->len);
    assert_non_null(c->out);
    c->r = perf_report_new(cfg, c->out);
    assert_non_null(c->r);
}

/* Finish the report and return all it wrote (the caller frees it). */
static char *capture_close(struct capture *c)
{
    assert_int_equal(perf_report_finish(c->r), 0);
    perf_report_free(c->r);
    fclose(c->out);
    return c->buf;
}

/* A copy of the first line of txt that starts with prefix and contains
 * has (NULL: any), or NULL. */
static char *find_line(const char *txt, const char *prefix, const char *has)
{
    const char *line = txt;

    while (*line != '\0') {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        char *copy = strndup(line, len);

        assert_non_null(copy);
        if (strncmp(copy, prefix, strlen(prefix)) == 0 &&
            (has == NULL || strstr(copy, has) != NULL))
            return copy;
        free(copy);
        line += len + (eol != NULL);
    }
    return NULL;
}

static void assert_line(const char *txt, const char *prefix, const char *has)
{
    char *line = find_line(txt, prefix, has);

    if (line == NULL) {
        print_error("no line '%s...' with '%s' in:\n%s\n", prefix,
                    has ? has : "", txt);
        fail();
    }
    free(line);
}

/* Labels that are not right-aligned over cells of their own. */
static bool free_label(const char *label, size_t n)
{
    return strncmp(label, "[ ID]", 5) == 0 ||
           (n == 8 && strncmp(label, "Interval", 8) == 0) ||
           strncmp(label, "verified/", 9) == 0 ||
           strncmp(label, "(SCTP unordered)", n) == 0;
}

/* One right-aligned label ending at column edge over the rows that follow
 * its header: no cell crosses the edge, and some row has a cell there. */
static void check_column(const char *label, size_t n, size_t edge,
                         const char *rows)
{
    const char *row = rows;
    int cells = 0;

    while (*row == '[' && strncmp(row, "[ ID]", 5) != 0) {
        const char *eol = strchr(row, '\n');
        size_t len = eol ? (size_t)(eol - row) : strlen(row);

        /* "[T3 ]" lines are notes under an interval, not table rows. */
        if (strncmp(row, "[T3 ]", 5) == 0) {
            row += len + (eol != NULL);
            continue;
        }
        if (len > edge && row[edge] != ' ') {
            print_error("a cell crosses the right edge of '%.*s':\n%.*s\n",
                        (int)n, label, (int)len, row);
            fail();
        }
        cells += len >= edge && row[edge - 1] != ' ';
        row += len + (eol != NULL);
    }
    if (cells == 0) {
        print_error("'%.*s' stands over blank cells only; rows:\n%s\n", (int)n,
                    label, rows);
        fail();
    }
}

/* Every "[ ID]" table of txt has each label over its own cells. */
static void assert_tables_aligned(const char *txt)
{
    const char *line = txt;
    int tables = 0;

    while (*line != '\0') {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        const char *next = line + len + (eol != NULL);
        size_t i = 0;

        while (strncmp(line, "[ ID]", 5) == 0 && i < len) {
            size_t start;

            while (i < len && line[i] == ' ')
                i++;
            start = i;
            /* A label: words joined by single spaces. */
            while (i < len &&
                   !(line[i] == ' ' && (i + 1 >= len || line[i + 1] == ' ')))
                i++;
            if (i > start && !free_label(line + start, i - start))
                check_column(line + start, i - start, i, next);
        }
        tables += strncmp(line, "[ ID]", 5) == 0;
        line = next;
    }
    assert_true(tables > 0);
}

static void test_perf_report_text_has_sctp_columns(void **state)
{
    struct perf_config cfg = test_config(false);
    char *txt = run_report(&cfg, NULL);

    (void)state;
    assert_non_null(strstr(txt, "Rtx"));
    assert_non_null(strstr(txt, "Cwnd"));
    assert_non_null(strstr(txt, "Rwnd"));
    assert_non_null(strstr(txt, "PMTU"));
    assert_non_null(strstr(txt, "Msgs/s"));
    assert_non_null(strstr(txt, "[SUM]"));
    assert_non_null(strstr(txt, "sender"));
    assert_non_null(strstr(txt, "receiver"));
    assert_non_null(strstr(txt, "(address translated)"));
    assert_non_null(strstr(txt, "Verify: 40 verified, 0 missing"));
    assert_tables_aligned(txt);
    /* One rule between the last interval and the end, not two. */
    assert_null(strstr(txt, "- -\n- -"));
    free(txt);
}

/* "sctpu-perf Done." closes a run that worked, and only such a run. */
static void test_perf_report_done_only_on_success(void **state)
{
    struct perf_config cfg = test_config(false);
    char *ok = run_report(&cfg, NULL);
    char *failed = run_report(&cfg, "no data moved for 5 s");
    struct capture c;
    char *cut;

    (void)state;
    assert_non_null(strstr(ok, "\nsctpu-perf Done.\n"));
    assert_non_null(strstr(failed, "sctpu-perf: error: no data moved"));
    assert_null(strstr(failed, "Done."));
    /* A test cut short: the caller says why on stderr; no Done. */
    capture_open(&c, &cfg);
    perf_report_set_error(c.r, "interrupted after 2.00 s of -t 10");
    cut = capture_close(&c);
    assert_null(strstr(cut, "Done."));
    assert_null(strstr(cut, "interrupted"));
    free(ok);
    free(failed);
    free(cut);
}

/* -J: set_error puts the reason under "error" next to the results. */
static void test_perf_report_json_set_error(void **state)
{
    struct perf_config cfg = test_config(true);
    struct capture c;
    char *doc;

    (void)state;
    capture_open(&c, &cfg);
    perf_report_set_error(c.r, "interrupted after 2.00 s of -t 10");
    doc = capture_close(&c);
    assert_true(json_valid(doc));
    assert_non_null(
        strstr(doc, "\"error\":\"interrupted after 2.00 s of -t 10\""));
    free(doc);
}

/* --json-stream: every line one event object that parses, in order. */
static void test_perf_report_json_stream_lines(void **state)
{
    struct perf_config cfg = test_config(true);
    static const char *const events[] = { "start", "interval", "interval",
                                          "end" };
    char *doc;
    char *line;
    char *save = NULL;
    size_t n = 0;

    (void)state;
    cfg.json_stream = true;
    cfg.title = "t1";
    doc = run_report(&cfg, NULL);
    for (line = strtok_r(doc, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        char want[64];

        assert_true(n < ARRAY_LEN(events));
        assert_true(json_valid(line));
        /* the start event carries the schema version beside it */
        snprintf(want, sizeof(want), "{\"event\":\"%s\",%s\"data\":{",
                 events[n], n == 0 ? "\"schema_version\":1," : "");
        assert_memory_equal(line, want, strlen(want));
        n++;
    }
    assert_int_equal(n, ARRAY_LEN(events));
    free(doc);
    /* A failed run: its start, then the error, each a line of its own. */
    doc = run_report(&cfg, "no data moved");
    assert_non_null(strstr(doc, "\n{\"event\":\"error\",\"data\":\"no "
                                "data moved\"}\n"));
    assert_non_null(
        strstr(doc, "{\"event\":\"start\",\"schema_version\":1,\"data\":{"
                    "\"version\":\"sctpu-perf "));
    assert_non_null(strstr(doc, "\"title\":\"t1\""));
    free(doc);
}

/* -T and --timestamps: each text line starts with the time, then the
 * title; -J keeps plain JSON and carries the title. */
static void test_perf_report_title_and_timestamps(void **state)
{
    struct perf_config cfg = test_config(false);
    char *txt;
    char *line;
    char *save = NULL;
    size_t n = 0;

    (void)state;
    cfg.title = "lab";
    cfg.timestamps = "<%Y> ";
    txt = run_report(&cfg, NULL);
    for (line = strtok_r(txt, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        assert_memory_equal(line, "<", 1);
        assert_memory_equal(line + 5, "> lab:  ", 8);
        n++;
    }
    assert_true(n > 10);
    free(txt);
    cfg.json = true;
    txt = run_report(&cfg, NULL);
    assert_true(json_valid(txt));
    assert_non_null(strstr(txt, "\",\"title\":\"lab\",\"timestamp\":{"));
    assert_null(strstr(txt, "lab:  "));
    free(txt);
}

/* The SRTT column is in microseconds (42 us under SRTT-us), and JSON
 * gives the same figure with its resolution. */
static void test_perf_report_srtt_in_us(void **state)
{
    struct perf_config cfg = test_config(false);
    struct perf_config jcfg = test_config(true);
    char *txt = run_report(&cfg, NULL);
    char *doc = run_report(&jcfg, NULL);
    char *hdr = find_line(txt, "[ ID]", "SRTT-us");
    char *row = find_line(txt, "[  1]", "KBytes");
    size_t edge;

    (void)state;
    assert_null(strstr(txt, "SRTT-ms"));
    assert_non_null(hdr);
    assert_non_null(row);
    edge = (size_t)(strstr(hdr, "SRTT-us") - hdr) + strlen("SRTT-us");
    assert_true(strlen(row) > edge);
    assert_memory_equal(row + edge - 3, " 42", 3);
    assert_non_null(
        strstr(doc, "\"rtt\":42,\"rtt_us\":42,\"rtt_resolution_us\":1,"));
    free(hdr);
    free(row);
    free(txt);
    free(doc);
}

static void test_perf_report_messages_per_second(void **state)
{
    struct perf_config cfg = test_config(false);
    struct perf_config jcfg = test_config(true);
    struct perf_report_row rows[2] = {
        { .id = 1, .sender = true, .bytes = 500000, .messages = 500 },
        { .id = 2, .sender = true, .bytes = 250000, .messages = 250 },
    };
    struct capture c;
    char *txt;
    char *doc;

    (void)state;
    capture_open(&c, &cfg);
    perf_report_interval(c.r, 0, 0.5, false, rows, 2);
    txt = capture_close(&c);
    assert_line(txt, "[  1]", "      1000");
    assert_line(txt, "[  2]", "       500");
    assert_line(txt, "[SUM]", "      1500");
    assert_tables_aligned(txt);
    free(txt);

    capture_open(&c, &jcfg);
    perf_report_interval(c.r, 0, 0.5, false, rows, 2);
    doc = capture_close(&c);
    assert_true(json_valid(doc));
    assert_non_null(
        strstr(doc, "\"messages\":500,\"messages_per_second\":1000"));
    assert_non_null(strstr(doc, "\"sum\":{\"start\":0,\"end\":0.5,"
                                "\"seconds\":0.5,\"bytes\":750000,"
                                "\"bits_per_second\":12000000,"
                                "\"messages\":750,"
                                "\"messages_per_second\":1500"));
    free(doc);
}

/* --bidir -P 2: 1 MiB out and 3 MiB in on each association. */
/* Timeouts get a [T3 ] line and rtx_timeouts, and the RTO its column,
 * but only in an interval that resent data: usrsctp also counts a timer
 * that expired with nothing to resend. */
static void test_perf_report_timeouts(void **state)
{
    struct perf_config cfg = test_config(false);
    struct perf_config jcfg = test_config(true);
    struct perf_report_row rows[1] = {
        { .id = 1,
          .sender = true,
          .bytes = 500000,
          .messages = 500,
          .retransmits = 7,
          .have_sctp = true,
          .cwnd = 4000,
          .rwnd = 100000,
          .rto_ms = 2000,
          .pmtu = 1460 },
    };
    struct capture c;
    char *txt;
    char *doc;

    (void)state;
    capture_open(&c, &cfg);
    perf_report_set_timeouts(c.r, 2);
    perf_report_interval(c.r, 0, 1, false, rows, 1);
    rows[0].retransmits = 0;
    perf_report_set_timeouts(c.r, 1);
    perf_report_interval(c.r, 1, 2, false, rows, 1);
    txt = capture_close(&c);
    assert_line(txt, "[ ID]", "  RTO-ms");
    assert_line(txt, "[  1]", "   2000");
    assert_line(txt, "[T3 ]   0.00-1.00", "2 retransmission timeouts (T3-rtx)");
    assert_null(strstr(txt, "[T3 ]   1.00-2.00"));
    assert_tables_aligned(txt);
    free(txt);

    rows[0].retransmits = 7;
    capture_open(&c, &jcfg);
    perf_report_set_timeouts(c.r, 2);
    perf_report_interval(c.r, 0, 1, false, rows, 1);
    rows[0].retransmits = 0;
    perf_report_set_timeouts(c.r, 1);
    perf_report_interval(c.r, 1, 2, false, rows, 1);
    doc = capture_close(&c);
    assert_true(json_valid(doc));
    assert_non_null(strstr(doc, "\"rto_ms\":2000"));
    assert_non_null(strstr(doc, "\"retransmits\":7,\"rtx_timeouts\":2"));
    assert_non_null(strstr(doc, "\"retransmits\":0,\"rtx_timeouts\":0"));
    free(doc);
}

static char *run_bidir(enum perf_role role, bool json)
{
    static struct perf_dir_counts out = { .bytes = 1048576, .messages = 16 };
    static struct perf_dir_counts in = { .bytes = 3145728, .messages = 48 };
    struct perf_config cfg = test_config(json);
    struct perf_report_dir client_dirs[8] = {
        { 1, true, true, 1.0, &out }, { 1, false, true, 1.0, &out },
        { 1, true, false, 1.0, &in }, { 1, false, false, 1.0, &in },
        { 2, true, true, 1.0, &out }, { 2, false, true, 1.0, &out },
        { 2, true, false, 1.0, &in }, { 2, false, false, 1.0, &in },
    };
    /* The server's own view: what it sends goes to the client. */
    struct perf_report_dir server_dirs[4] = {
        { 1, true, true, 1.0, &in },
        { 1, false, false, 1.0, &out },
        { 2, true, true, 1.0, &in },
        { 2, false, false, 1.0, &out },
    };
    bool server = role == PERF_ROLE_SERVER;
    struct perf_report_row rows[4] = {
        { .id = 1, .sender = true, .bytes = server ? 3145728 : 1048576 },
        { .id = 1, .sender = false, .bytes = server ? 1048576 : 3145728 },
        { .id = 2, .sender = true, .bytes = server ? 3145728 : 1048576 },
        { .id = 2, .sender = false, .bytes = server ? 1048576 : 3145728 },
    };
    struct perf_report_final fin = {
        .dirs = server ? server_dirs : client_dirs,
        .ndirs = server ? 4 : 8,
        .cpu_local = 10.0,
        .cpu_remote = -1,
    };
    struct capture c;

    cfg.role = role;
    cfg.bidir = true;
    cfg.verify = false;
    capture_open(&c, &cfg);
    perf_report_interval(c.r, 0, 1, false, rows, 4);
    perf_report_final(c.r, &fin);
    return capture_close(&c);
}

static void test_perf_report_bidir_sums_by_direction(void **state)
{
    char *txt = run_bidir(PERF_ROLE_CLIENT, false);
    char *doc;

    (void)state;
    assert_line(txt, "[SUM][TX]", "2.00 MBytes");
    assert_line(txt, "[SUM][RX]", "6.00 MBytes");
    assert_line(txt, "[SUM][TX]   0.00-1.00   sec  2.00 MBytes", "sender");
    assert_line(txt, "[SUM][TX]   0.00-1.00   sec  2.00 MBytes", "receiver");
    assert_line(txt, "[SUM][RX]   0.00-1.00   sec  6.00 MBytes", "sender");
    assert_line(txt, "[SUM][RX]   0.00-1.00   sec  6.00 MBytes", "receiver");
    assert_null(find_line(txt, "[SUM]", "8.00 MBytes"));
    assert_tables_aligned(txt);
    free(txt);

    /* The server's text: its [TX] is what it sent. */
    txt = run_bidir(PERF_ROLE_SERVER, false);
    assert_line(txt, "[SUM][TX]   0.00-1.00   sec  6.00 MBytes", "sender");
    assert_line(txt, "[SUM][RX]   0.00-1.00   sec  2.00 MBytes", "receiver");
    assert_null(find_line(txt, "[SUM]", "8.00 MBytes"));
    assert_tables_aligned(txt);
    free(txt);

    /* JSON, as iperf3: sum and sum_sent are client to server on both
     * ends; *_bidir_reverse the other way. */
    doc = run_bidir(PERF_ROLE_CLIENT, true);
    assert_true(json_valid(doc));
    assert_non_null(strstr(doc, "\"sum\":{\"start\":0,\"end\":1,"
                                "\"seconds\":1,\"bytes\":2097152,"));
    assert_non_null(strstr(doc, "\"sum_bidir_reverse\":{\"start\":0,"
                                "\"end\":1,\"seconds\":1,\"bytes\":6291456,"));
    assert_non_null(strstr(doc, "\"sum_sent\":{\"start\":0,\"end\":1,"
                                "\"seconds\":1,\"bytes\":2097152,"));
    assert_non_null(strstr(doc, "\"sum_received\":{\"start\":0,\"end\":1,"
                                "\"seconds\":1,\"bytes\":2097152,"));
    assert_non_null(strstr(doc, "\"sum_sent_bidir_reverse\":{\"start\":0,"
                                "\"end\":1,\"seconds\":1,\"bytes\":6291456,"));
    assert_non_null(strstr(doc, "\"sum_received_bidir_reverse\":{\"start\":0,"
                                "\"end\":1,\"seconds\":1,\"bytes\":6291456,"));
    free(doc);
    doc = run_bidir(PERF_ROLE_SERVER, true);
    assert_true(json_valid(doc));
    assert_non_null(strstr(doc, "\"sum\":{\"start\":0,\"end\":1,"
                                "\"seconds\":1,\"bytes\":2097152,"));
    assert_non_null(strstr(doc, "\"sum_bidir_reverse\":{\"start\":0,"
                                "\"end\":1,\"seconds\":1,\"bytes\":6291456,"));
    assert_non_null(strstr(doc, "\"sum_received\":{\"start\":0,\"end\":1,"
                                "\"seconds\":1,\"bytes\":2097152,"));
    assert_non_null(strstr(doc, "\"sum_sent_bidir_reverse\":{\"start\":0,"
                                "\"end\":1,\"seconds\":1,\"bytes\":6291456,"));
    free(doc);
}

/* What the server prints when it only receives, and the client with -R:
 * no sender columns over receiver lines. */
static void test_perf_report_receiver_columns_only(void **state)
{
    static struct perf_stream_counts streams[1] = {
        { .sid = 0, .messages = 10, .bytes = 10000 },
    };
    struct perf_dir_counts rcvd = {
        .bytes = 10000, .messages = 10, .nstreams = 1, .streams = streams
    };
    struct perf_report_dir dirs[2] = {
        { 1, false, false, 2.0, &rcvd },
        { 2, false, false, 2.0, &rcvd },
    };
    struct perf_report_row rows[2] = {
        { .id = 1, .bytes = 5000, .messages = 5 },
        { .id = 2, .bytes = 5000, .messages = 5 },
    };
    struct perf_report_final fin = { .dirs = dirs,
                                     .ndirs = 2,
                                     .cpu_local = 10.0,
                                     .cpu_remote = -1,
                                     .server_output = NULL,
                                     .impair = NULL,
                                     .pcap = NULL,
                                     .rr = NULL,
                                     .nrr = 0,
                                     .cpu_local_user = -1,
                                     .cpu_local_system = -1 };
    struct perf_config cfg = test_config(false);
    struct capture c;
    char *txt;

    (void)state;
    cfg.role = PERF_ROLE_SERVER;
    cfg.verify = false;
    capture_open(&c, &cfg);
    perf_report_interval(c.r, 0, 1, false, rows, 2);
    perf_report_interval(c.r, 1, 2, false, rows, 2);
    perf_report_final(c.r, &fin);
    txt = capture_close(&c);
    assert_null(strstr(txt, "Rtx"));
    assert_null(strstr(txt, "Cwnd"));
    assert_null(strstr(txt, "SRTT"));
    assert_null(strstr(txt, "Abandoned"));
    assert_line(txt, "[ ID] Interval", "Msgs/s");
    assert_line(txt, "[ ID]", "SID");
    assert_tables_aligned(txt);
    free(txt);
}

/* A sending-only end (--no-control client) has no per-stream counts: no
 * per-stream header either. */
static void test_perf_report_no_empty_stream_table(void **state)
{
    struct perf_dir_counts sent = { .bytes = 10000, .messages = 10 };
    struct perf_report_dir dirs[1] = { { 1, true, true, 2.0, &sent } };
    struct perf_report_final fin = { .dirs = dirs,
                                     .ndirs = 1,
                                     .cpu_local = 10.0,
                                     .cpu_remote = -1,
                                     .server_output = NULL,
                                     .impair = NULL,
                                     .pcap = NULL,
                                     .rr = NULL,
                                     .nrr = 0,
                                     .cpu_local_user = -1,
                                     .cpu_local_system = -1 };
    struct perf_config cfg = test_config(false);
    struct capture c;
    char *txt;

    (void)state;
    cfg.parallel = 1;
    cfg.verify = false;
    cfg.no_control = true;
    capture_open(&c, &cfg);
    perf_report_final(c.r, &fin);
    txt = capture_close(&c);
    assert_null(strstr(txt, "SCTP streams"));
    assert_null(strstr(txt, "SID"));
    assert_line(txt, "[  1]", "sender");
    assert_tables_aligned(txt);
    free(txt);
}

/* The end of a receiving run whose three streams carried PPID 18, a
 * mix ending in 60, and 0; as text or JSON. */
static char *run_ppid(bool json)
{
    static struct perf_stream_counts streams[3] = {
        { .sid = 0, .messages = 4, .bytes = 4000, .ppid = 18 },
        { .sid = 1,
          .messages = 4,
          .bytes = 4000,
          .ppid = 60,
          .ppid_mixed = true },
        { .sid = 2, .messages = 4, .bytes = 4000, .ppid = 0 },
    };
    struct perf_dir_counts rcvd = {
        .bytes = 12000, .messages = 12, .nstreams = 3, .streams = streams
    };
    struct perf_report_dir dirs[1] = { { 1, false, false, 2.0, &rcvd } };
    struct perf_report_final fin = { .dirs = dirs,
                                     .ndirs = 1,
                                     .cpu_local = 10.0,
                                     .cpu_remote = -1,
                                     .server_output = NULL,
                                     .impair = NULL,
                                     .pcap = NULL,
                                     .rr = NULL,
                                     .nrr = 0,
                                     .cpu_local_user = -1,
                                     .cpu_local_system = -1 };
    struct perf_config cfg = test_config(json);
    struct capture c;

    cfg.parallel = 1;
    cfg.nstreams = 3;
    cfg.verify = false;
    cfg.reverse = true;
    capture_open(&c, &cfg);
    perf_report_final(c.r, &fin);
    return capture_close(&c);
}

/* The receiver's per-stream PPID: a column of its own, "mixed" when it
 * changed; JSON "ppid" (null when mixed) and "ppid_mixed". */
static void test_perf_report_stream_ppid(void **state)
{
    char *txt = run_ppid(false);
    char *doc = run_ppid(true);
    char *line = NULL;

    (void)state;
    assert_line(txt, "[ ID]", "PPID");
    line = find_line(txt, "[  1]      0", NULL);
    assert_non_null(line);
    assert_non_null(strstr(line, "          18"));
    free(line);
    assert_line(txt, "[  1]      1", "mixed");
    line = find_line(txt, "[  1]      2", NULL);
    assert_non_null(line);
    assert_true(strlen(line) > 2 && strcmp(line + strlen(line) - 2, " 0") == 0);
    free(line);
    assert_tables_aligned(txt);

    assert_true(json_valid(doc));
    /* Both lists: end.streams[].sctp_streams and end.sctp_streams. */
    assert_non_null(strstr(doc, "\"sid\":0,\"messages\":4,\"bytes\":4000,"
                                "\"ppid\":18,\"ppid_mixed\":false}"));
    assert_non_null(strstr(doc, "\"socket\":1,\"sid\":1,\"messages\":4,"
                                "\"bytes\":4000,\"ppid\":null,"
                                "\"ppid_mixed\":true}"));
    assert_non_null(strstr(doc, "\"socket\":1,\"sid\":2,\"messages\":4,"
                                "\"bytes\":4000,\"ppid\":0,"
                                "\"ppid_mixed\":false}"));
    free(doc);
    free(txt);
}

/* The connect line's set-up time, and test_start's PPIDs: only when known
 * or given. */
static void test_perf_report_setup_time_and_ppids(void **state)
{
    struct perf_report_conn conn = { .id = 1,
                                     .local = "198.18.3.2:40211",
                                     .remote = "198.18.0.1:9899",
                                     .out_streams = 3,
                                     .in_streams = 3,
                                     .pmtu = 65492,
                                     .setup_us = 412 };
    struct perf_report_final none = { .dirs = NULL,
                                      .ndirs = 0,
                                      .cpu_local = -1,
                                      .cpu_remote = -1,
                                      .server_output = NULL,
                                      .impair = NULL,
                                      .pcap = NULL,
                                      .rr = NULL,
                                      .nrr = 0,
                                      .cpu_local_user = -1,
                                      .cpu_local_system = -1 };
    struct perf_config cfg = test_config(false);
    struct capture c;
    char *txt;

    (void)state;
    capture_open(&c, &cfg);
    perf_report_connected(c.r, &conn);
    conn.id = 2;
    conn.setup_us = 0;
    perf_report_connected(c.r, &conn);
    txt = capture_close(&c);
    assert_line(txt, "[  1] local 198.18.3.2 port 40211 connected",
                "path MTU 65492, set up in 412 us)");
    assert_line(txt, "[  2]", "path MTU 65492)");
    free(txt);

    cfg = test_config(true);
    cfg.nppids = 2;
    cfg.ppids[0] = 18;
    cfg.ppids[1] = 4294967295u;
    capture_open(&c, &cfg);
    conn.setup_us = 412;
    perf_report_connected(c.r, &conn);
    conn.setup_us = 0;
    perf_report_connected(c.r, &conn);
    perf_report_final(c.r, &none);
    txt = capture_close(&c);
    assert_true(json_valid(txt));
    assert_non_null(strstr(txt, "\"pmtu\":65492,\"setup_us\":412}"));
    /* The second association's set-up time is unknown: no key. */
    assert_non_null(strstr(txt, "\"pmtu\":65492}"));
    assert_non_null(strstr(txt, "\"sctp_streams\":2,"
                                "\"ppids\":[18,4294967295],"));
    free(txt);
}

/* Lines of txt that start with prefix; how many of them contain has. */
static int count_lines(const char *txt, const char *prefix, const char *has,
                       int *with)
{
    const char *line = txt;
    int n = 0;

    *with = 0;
    while (*line != '\0') {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        char *copy = strndup(line, len);

        assert_non_null(copy);
        if (strncmp(copy, prefix, strlen(prefix)) == 0) {
            n++;
            *with += strstr(copy, has) != NULL;
        }
        free(copy);
        line += len + (eol != NULL);
    }
    return n;
}

/* -u is SCTP's unordered delivery, not iperf3's -u (UDP): say so. */
static void test_perf_report_unordered_is_marked(void **state)
{
    struct perf_config cfg = test_config(false);
    struct capture c;
    char *txt;
    int headers;
    int marked;

    (void)state;
    cfg.unordered = true;
    capture_open(&c, &cfg);
    perf_report_set_backend(c.r, &transport_usrsctp_ops);
    perf_report_connecting(c.r, "198.18.0.1");
    txt = capture_close(&c);
    assert_line(txt, "Connecting to host 198.18.0.1",
                "unordered SCTP delivery (-u), not UDP");
    assert_line(txt, "Connecting to host 198.18.0.1",
                "backend usrsctp: usrsctp " SCTPU_USRSCTP_VERSION ")");
    free(txt);

    /* Every column header line, of the intervals and of the end. */
    txt = run_report(&cfg, NULL);
    headers = count_lines(txt, "[ ID] Interval", "(SCTP unordered)", &marked);
    assert_true(headers >= 3);
    assert_int_equal(marked, headers);
    assert_tables_aligned(txt);
    free(txt);

    cfg.json = true;
    txt = run_report(&cfg, NULL);
    assert_non_null(strstr(txt, "\"protocol\":\"SCTP\""));
    assert_non_null(strstr(txt, "\"unordered\":true"));
    free(txt);

    cfg.json = false;
    cfg.unordered = false;
    txt = run_report(&cfg, NULL);
    assert_null(strstr(txt, "unordered"));
    free(txt);
}

/* -i 1: the last interval from 2.0, with these rows. */
static char *run_last(double end, uint64_t bytes)
{
    struct perf_config cfg = test_config(false);
    struct perf_report_row rows[1] = {
        { .id = 1, .sender = true, .bytes = bytes, .messages = bytes / 1000 },
    };
    struct capture c;

    cfg.parallel = 1;
    capture_open(&c, &cfg);
    perf_report_last_interval(c.r, 2.0, end, false, rows, 1);
    return capture_close(&c);
}

static void test_perf_report_last_interval_rules(void **state)
{
    char *txt;

    (void)state;
    /* Shorter than 10 % of -i and nothing moved: left out (iperf3's rule),
     * as is an empty one. */
    txt = run_last(2.05, 0);
    assert_null(strstr(txt, "sec"));
    free(txt);
    txt = run_last(2.0, 0);
    assert_null(strstr(txt, "sec"));
    free(txt);
    /* Short but it moved data: kept, so the intervals add up. */
    txt = run_last(2.05, 5000);
    assert_line(txt, "[  1]   2.00-2.05   sec", "Bytes");
    free(txt);
    /* Long enough: kept even when idle. */
    txt = run_last(2.5, 0);
    assert_line(txt, "[  1]   2.00-2.50   sec", "0 Bytes");
    free(txt);
}

/* A direction that ended inside an interval covers only its part; one
 * that ended before the interval, having moved nothing, is left out. */
static void test_perf_report_rows_end_with_their_direction(void **state)
{
    struct perf_config cfg = test_config(true);
    struct perf_report_row rows[3] = {
        { .id = 1, .sender = true, .bytes = 1000, .ended = true, .end = 1.5 },
        { .id = 2, .sender = true, .bytes = 2000 },
        { .id = 3, .sender = true, .ended = true, .end = 0.5 },
    };
    struct capture c;
    char *doc;
    char *txt;

    (void)state;
    capture_open(&c, &cfg);
    perf_report_interval(c.r, 1, 2, false, rows, 3);
    doc = capture_close(&c);
    assert_true(json_valid(doc));
    assert_non_null(strstr(doc, "{\"socket\":1,\"start\":1,\"end\":1.5,"
                                "\"seconds\":0.5,\"bytes\":1000,"));
    assert_non_null(strstr(doc, "{\"socket\":2,\"start\":1,\"end\":2,"
                                "\"seconds\":1,\"bytes\":2000,"));
    assert_null(strstr(doc, "\"socket\":3"));
    free(doc);

    cfg.json = false;
    capture_open(&c, &cfg);
    perf_report_interval(c.r, 1, 2, false, rows, 3);
    txt = capture_close(&c);
    assert_line(txt, "[  1]   1.00-1.50   sec", "1000 Bytes");
    assert_line(txt, "[  2]   1.00-2.00   sec", "1.95 KBytes");
    assert_null(find_line(txt, "[  3]", NULL));
    assert_line(txt, "[SUM]   1.00-2.00   sec", "2.93 KBytes");
    free(txt);
}

/* Regular boundaries: k * -i from the start, none in a timed test's last
 * tenth of an interval (that tail goes into the last interval). */
static void test_perf_intervals_boundary(void **state)
{
    (void)state;
    assert_true(perf_intervals_boundary(1, 2, 1) == 1.0);
    assert_true(perf_intervals_boundary(1, 2, 2) < 0);
    assert_true(perf_intervals_boundary(1, 2.05, 2) < 0);
    assert_true(perf_intervals_boundary(1, 2.5, 2) == 2.0);
    assert_true(perf_intervals_boundary(1, 10, 9) == 9.0);
    assert_true(perf_intervals_boundary(1, 10, 10) < 0);
    assert_true(perf_intervals_boundary(0.5, 0, 7) == 3.5); /* -n, -k */
    assert_true(perf_intervals_boundary(3, 2, 1) < 0);      /* -i > -t */
    assert_true(perf_intervals_boundary(0, 10, 1) < 0);     /* -i 0 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perf_report_validator_rejects),
        cmocka_unit_test(test_perf_report_json_parses_with_iperf3_keys),
        cmocka_unit_test(test_perf_report_json_error_still_parses),
        cmocka_unit_test(test_perf_report_text_has_sctp_columns),
        cmocka_unit_test(test_perf_report_done_only_on_success),
        cmocka_unit_test(test_perf_report_json_set_error),
        cmocka_unit_test(test_perf_report_json_stream_lines),
        cmocka_unit_test(test_perf_report_title_and_timestamps),
        cmocka_unit_test(test_perf_report_srtt_in_us),
        cmocka_unit_test(test_perf_report_messages_per_second),
        cmocka_unit_test(test_perf_report_timeouts),
        cmocka_unit_test(test_perf_report_bidir_sums_by_direction),
        cmocka_unit_test(test_perf_report_receiver_columns_only),
        cmocka_unit_test(test_perf_report_no_empty_stream_table),
        cmocka_unit_test(test_perf_report_stream_ppid),
        cmocka_unit_test(test_perf_report_setup_time_and_ppids),
        cmocka_unit_test(test_perf_report_unordered_is_marked),
        cmocka_unit_test(test_perf_report_last_interval_rules),
        cmocka_unit_test(test_perf_report_rows_end_with_their_direction),
        cmocka_unit_test(test_perf_intervals_boundary),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
