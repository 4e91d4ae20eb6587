/* tests/test_perf_report_csv.c - sctpu-perf --csv: the line formatter's
 * columns and cells, and the report's hooks: a header, one line per
 * interval and direction, the totals, and no text at all. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "perf.h"
#include "perf_report.h"
#include "perf_report_csv.h"

#define NCOLS 16

/* Split line (no newline) at commas into at most NCOLS cells; returns
 * how many there were (more than NCOLS: NCOLS + 1). */
static int split(char *line, char *cells[NCOLS])
{
    int n = 0;
    char *p = line;

    for (;;) {
        char *comma = strchr(p, ',');

        if (n == NCOLS)
            return NCOLS + 1;
        cells[n++] = p;
        if (comma == NULL)
            return n;
        *comma = '\0';
        p = comma + 1;
    }
}

/* The lines of buf, each '\0'-terminated in place; returns the count. */
static int lines_of(char *buf, char **lines, int max)
{
    int n = 0;
    char *save = NULL;
    char *l = strtok_r(buf, "\n", &save);

    while (l != NULL && n < max) {
        lines[n++] = l;
        l = strtok_r(NULL, "\n", &save);
    }
    return n;
}

static void test_csv_header_names_every_column(void **state)
{
    static const char *const want[NCOLS] = {
        "timestamp",    "kind",
        "direction",    "role",
        "associations", "start_s",
        "end_s",        "seconds",
        "bytes",        "bits_per_second",
        "messages",     "messages_per_second",
        "retransmits",  "cwnd_bytes",
        "srtt_us",      "omitted",
    };
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    char *cells[NCOLS];
    int i;

    (void)state;
    assert_non_null(out);
    perf_csv_header(out);
    fclose(out);
    assert_true(len > 0 && buf[len - 1] == '\n');
    buf[len - 1] = '\0';
    assert_int_equal(split(buf, cells), NCOLS);
    for (i = 0; i < NCOLS; i++)
        assert_string_equal(cells[i], want[i]);
    free(buf);
}

static void test_csv_row_cells(void **state)
{
    struct perf_csv_row sender = {
        .timestamp = 1796266631.5,
        .kind = "interval",
        .client_to_server = true,
        .sender = true,
        .associations = 2,
        .start = 1.0,
        .end = 1.5,
        .bytes = 1000000,
        .messages = 40,
        .have_retransmits = true,
        .retransmits = 3,
        .have_sctp = true,
        .cwnd = 262144,
        .srtt_us = 1944,
        .omitted = true,
    };
    struct perf_csv_row receiver = {
        .kind = "end",
        .associations = 1,
        .start = 0,
        .end = 2,
        .bytes = 250,
        .messages = 5,
    };
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    char *lines[4];
    char *c[NCOLS];

    (void)state;
    assert_non_null(out);
    perf_csv_row(out, &sender);
    perf_csv_row(out, &receiver);
    fclose(out);
    assert_int_equal(lines_of(buf, lines, 4), 2);

    assert_int_equal(split(lines[0], c), NCOLS);
    assert_string_equal(c[0], "1796266631.500");
    assert_string_equal(c[1], "interval");
    assert_string_equal(c[2], "c2s");
    assert_string_equal(c[3], "sender");
    assert_string_equal(c[4], "2");
    assert_float_equal(atof(c[5]), 1.0, 1e-9);
    assert_float_equal(atof(c[6]), 1.5, 1e-9);
    assert_float_equal(atof(c[7]), 0.5, 1e-9);
    assert_string_equal(c[8], "1000000");
    assert_string_equal(c[9], "16000000"); /* 1 MB in 0.5 s */
    assert_string_equal(c[10], "40");
    assert_float_equal(atof(c[11]), 80.0, 1e-9);
    assert_string_equal(c[12], "3");
    assert_string_equal(c[13], "262144");
    assert_string_equal(c[14], "1944");
    assert_string_equal(c[15], "1");

    /* a receiver's line: no retransmits, no SCTP figures */
    assert_int_equal(split(lines[1], c), NCOLS);
    assert_string_equal(c[1], "end");
    assert_string_equal(c[2], "s2c");
    assert_string_equal(c[3], "receiver");
    assert_string_equal(c[9], "1000"); /* 250 B in 2 s */
    assert_string_equal(c[12], "");
    assert_string_equal(c[13], "");
    assert_string_equal(c[14], "");
    assert_string_equal(c[15], "0");
    free(buf);
}

static struct perf_config csv_config(bool bidir)
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
    cfg.nstreams = 1;
    cfg.bidir = bidir;
    cfg.csv = true;
    return cfg;
}

/* Two intervals of two associations, then the end (--bidir: both ways). */
static char *run_csv(const struct perf_config *cfg)
{
    struct perf_dir_counts sent = { .bytes = 30000, .messages = 30 };
    struct perf_dir_counts rcvd = { .bytes = 30000, .messages = 30 };
    struct perf_report_conn conn = { .id = 1,
                                     .local = "198.18.3.2:40211",
                                     .remote = "198.18.0.1:9899",
                                     .out_streams = 2,
                                     .in_streams = 2,
                                     .pmtu = 1460 };
    struct perf_report_row rows[4] = {
        { .id = 1,
          .sender = true,
          .bytes = 10000,
          .messages = 10,
          .retransmits = 1,
          .have_sctp = true,
          .cwnd = 4000,
          .rwnd = 65536,
          .srtt_us = 100,
          .rtt_resolution_us = 1,
          .pmtu = 1460 },
        { .id = 2,
          .sender = true,
          .bytes = 5000,
          .messages = 5,
          .have_sctp = true,
          .cwnd = 6000,
          .srtt_us = 300,
          .rtt_resolution_us = 1 },
        { .id = 1, .bytes = 7000, .messages = 7 },
        { .id = 2, .bytes = 8000, .messages = 8 },
    };
    struct perf_report_dir dirs[4] = {
        { 1, true, true, 2.0, &sent },
        { 1, false, true, 2.0, &rcvd },
        { 1, true, false, 2.0, &sent },
        { 1, false, false, 2.0, &rcvd },
    };
    struct perf_report_final fin = { .dirs = dirs,
                                     .ndirs = cfg->bidir ? 4 : 2,
                                     .cpu_local = 10,
                                     .cpu_remote = -1,
                                     .cpu_local_user = 5,
                                     .cpu_local_system = 5 };
    struct perf_report *r;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    assert_non_null(out);
    r = perf_report_new(cfg, out);
    assert_non_null(r);
    perf_report_connecting(r, cfg->host);
    perf_report_connected(r, &conn);
    perf_report_line(r, "a text line --csv must not print");
    perf_report_interval(r, 0, 1, false, rows, cfg->bidir ? 4 : 2);
    perf_report_interval(r, 1, 2, false, rows, cfg->bidir ? 4 : 2);
    perf_report_final(r, &fin);
    assert_int_equal(perf_report_finish(r), 0);
    perf_report_free(r);
    fclose(out);
    return buf;
}

static void test_csv_report_lines(void **state)
{
    struct perf_config cfg = csv_config(false);
    char *buf = run_csv(&cfg);
    char *lines[16];
    char *c[NCOLS];
    int n;
    int i;
    unsigned long long interval_bytes = 0;

    (void)state;
    assert_null(strstr(buf, "csv must not print"));
    assert_null(strstr(buf, "Connecting"));
    assert_null(strstr(buf, "Done"));
    n = lines_of(buf, lines, 16);
    /* header, 2 intervals, the totals as sender and as receiver */
    assert_int_equal(n, 5);
    assert_true(strncmp(lines[0], "timestamp,kind,", 15) == 0);
    for (i = 1; i < 3; i++) {
        assert_int_equal(split(lines[i], c), NCOLS);
        assert_string_equal(c[1], "interval");
        assert_string_equal(c[2], "c2s");
        assert_string_equal(c[3], "sender");
        assert_string_equal(c[4], "2");
        assert_string_equal(c[8], "15000");
        assert_string_equal(c[12], "1");
        assert_string_equal(c[13], "10000"); /* cwnd summed */
        assert_string_equal(c[14], "200");   /* SRTT averaged */
        interval_bytes += strtoull(c[8], NULL, 10);
    }
    assert_int_equal(split(lines[3], c), NCOLS);
    assert_string_equal(c[1], "end");
    assert_string_equal(c[3], "sender");
    assert_string_equal(c[8], "30000");
    assert_int_equal(interval_bytes, 30000);
    assert_int_equal(split(lines[4], c), NCOLS);
    assert_string_equal(c[1], "end");
    assert_string_equal(c[3], "receiver");
    assert_string_equal(c[12], "");
    free(buf);
}

static void test_csv_report_bidir_directions(void **state)
{
    struct perf_config cfg = csv_config(true);
    char *buf = run_csv(&cfg);
    char *lines[16];
    char *c[NCOLS];
    int n;

    (void)state;
    n = lines_of(buf, lines, 16);
    /* header, 2 x (c2s sender, s2c receiver), 4 totals */
    assert_int_equal(n, 9);
    assert_int_equal(split(lines[1], c), NCOLS);
    assert_string_equal(c[2], "c2s");
    assert_string_equal(c[3], "sender");
    assert_int_equal(split(lines[2], c), NCOLS);
    assert_string_equal(c[2], "s2c");
    assert_string_equal(c[3], "receiver");
    assert_string_equal(c[8], "15000");
    assert_string_equal(c[13], "");
    assert_int_equal(split(lines[5], c), NCOLS);
    assert_string_equal(c[1], "end");
    assert_string_equal(c[2], "c2s");
    assert_int_equal(split(lines[8], c), NCOLS);
    assert_string_equal(c[2], "s2c");
    assert_string_equal(c[3], "receiver");
    free(buf);
}

/* An error has no CSV line: it goes to stderr, never into the CSV. */
static void test_csv_error_not_in_output(void **state)
{
    struct perf_config cfg = csv_config(false);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    struct perf_report *r;

    (void)state;
    assert_non_null(out);
    r = perf_report_new(&cfg, out);
    assert_non_null(r);
    perf_report_error(r, "cannot associate");
    assert_int_equal(perf_report_finish(r), 0);
    perf_report_free(r);
    fclose(out);
    assert_null(strstr(buf, "cannot associate"));
    assert_true(strncmp(buf, "timestamp,", 10) == 0);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_header_names_every_column),
        cmocka_unit_test(test_csv_row_cells),
        cmocka_unit_test(test_csv_report_lines),
        cmocka_unit_test(test_csv_report_bidir_directions),
        cmocka_unit_test(test_csv_error_not_in_output),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
