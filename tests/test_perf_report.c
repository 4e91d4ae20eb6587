/* tests/test_perf_report.c - sctpu-perf's -J document parses and has the
 * iperf3 keys; text mode has the SCTP columns. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "perf.h"
#include "perf_report.h"

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
          .srtt_us = 1000,
          .pmtu = 1460 },
        { .id = 2, .sender = true, .bytes = 10000 },
    };
    struct perf_report_dir dirs[4] = {
        { 1, true, true, 2.0, &sent },
        { 1, false, true, 2.0, &rcvd },
        { 2, true, true, 2.0, &sent },
        { 2, false, true, 2.0, &rcvd },
    };
    struct perf_report_final fin = { dirs, 4, 50.0, 40.0, NULL };
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
        "\"pmtu\":",
        "\"sctp_streams\":",
        "\"seen_as\":",
        "\"verify\":",
        "\"cpu_utilization_percent\":",
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

static void test_perf_report_text_has_sctp_columns(void **state)
{
    struct perf_config cfg = test_config(false);
    char *txt = run_report(&cfg, NULL);

    (void)state;
    assert_non_null(strstr(txt, "Rtx"));
    assert_non_null(strstr(txt, "Cwnd"));
    assert_non_null(strstr(txt, "Rwnd"));
    assert_non_null(strstr(txt, "SRTT-us"));
    assert_non_null(strstr(txt, "PMTU"));
    assert_non_null(strstr(txt, "[SUM]"));
    assert_non_null(strstr(txt, "sender"));
    assert_non_null(strstr(txt, "receiver"));
    assert_non_null(strstr(txt, "(address translated)"));
    assert_non_null(strstr(txt, "Verify: 40 verified, 0 missing"));
    free(txt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perf_report_validator_rejects),
        cmocka_unit_test(test_perf_report_json_parses_with_iperf3_keys),
        cmocka_unit_test(test_perf_report_json_error_still_parses),
        cmocka_unit_test(test_perf_report_text_has_sctp_columns),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
