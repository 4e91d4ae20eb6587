/* tests/test_echo_report.c - the echo client's summary, text and JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "echo_report.h"

/* Run a report into a string (caller frees). */
static char *render(void (*report)(FILE *, const struct echo_summary *),
                    const struct echo_summary *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    assert_non_null(out);
    report(out, s);
    assert_int_equal(fclose(out), 0);
    return buf;
}

static struct rtt_stats rtt;

/* 2000 verified echoes of 1000 bytes in 0.5 s, window 16. */
static struct echo_summary good_run(void)
{
    struct echo_summary s;
    uint32_t i;

    rtt_stats_init(&rtt);
    for (i = 0; i < 2000; i++)
        rtt_stats_add(&rtt, 100 + i % 50);
    memset(&s, 0, sizeof(s));
    s.peer = "127.0.0.1 udp/9899 sctp/7";
    s.local = "127.0.0.1:4000";
    s.seen_as = "127.0.0.1:4000";
    s.backend = "usrsctp";
    s.in_streams = 8;
    s.out_streams = 8;
    s.streams_used = 8;
    s.pathmtu = 1452;
    s.sent = s.received = s.verified = 2000;
    s.rtt = &rtt;
    s.connected = true;
    s.setup_us = 412;
    s.window = 16;
    s.max_in_flight = 16;
    s.elapsed_us = 500000;
    s.verified_bytes = 2000 * 1000;
    return s;
}

static void test_echo_report_rates(void **state)
{
    struct echo_summary s = good_run();

    (void)state;
    assert_float_equal(echo_summary_msgs_per_s(&s), 4000.0, 1e-9);
    assert_float_equal(echo_summary_bytes_per_s(&s), 4e6, 1e-6);
    s.elapsed_us = 0; /* nothing came back: no rate, no division by 0 */
    assert_float_equal(echo_summary_msgs_per_s(&s), 0.0, 0.0);
    assert_float_equal(echo_summary_bytes_per_s(&s), 0.0, 0.0);
}

static void test_echo_report_text(void **state)
{
    struct echo_summary s = good_run();
    char *text;

    (void)state;
    text = render(echo_report_text, &s);
    assert_non_null(strstr(text, "\n2000 sent, 2000 received, 2000 verified, "
                                 "0 lost, 0 corrupt\n"));
    assert_non_null(strstr(text, "\nelapsed 0.500 s: 4000.0 messages/s, "
                                 "3.81 MBytes/s verified (window 16, at "
                                 "most 16 in flight)\n"));
    free(text);
}

/* The error goes to stderr once, from the caller: not into the summary. */
static void test_echo_report_text_leaves_error_out(void **state)
{
    struct echo_summary s = good_run();
    char *text;

    (void)state;
    s.error = "no echo for seq=7 within 1 s";
    text = render(echo_report_text, &s);
    assert_null(strstr(text, "seq=7"));
    assert_null(strstr(text, "FAILED"));
    free(text);
}

/* Nothing came back: no rate line. */
static void test_echo_report_text_nothing_received(void **state)
{
    struct echo_summary s = good_run();
    char *text;

    (void)state;
    rtt_stats_init(&rtt);
    s.received = s.verified = 0;
    s.elapsed_us = 0;
    s.verified_bytes = 0;
    text = render(echo_report_text, &s);
    assert_null(strstr(text, "elapsed"));
    assert_null(strstr(text, "rtt"));
    free(text);
}

static void test_echo_report_json_fields(void **state)
{
    struct echo_summary s = good_run();
    char *json;

    (void)state;
    s.retransmits = 17;
    s.ppid_differed = 3;
    json = render(echo_report_json, &s);
    assert_non_null(strstr(json, "\"ppid_differed\":3,\"retransmits\":17,"));
    assert_non_null(strstr(json, "\"setup_us\":412,"));
    assert_non_null(strstr(json, "\"window\":16,\"max_in_flight\":16,"));
    assert_non_null(strstr(json, "\"elapsed_s\":0.500000,"));
    assert_non_null(strstr(json, "\"verified_bytes\":2000000,"));
    assert_non_null(strstr(json, "\"msgs_per_s\":4000.0,"));
    assert_non_null(strstr(json, "\"bytes_per_s\":4000000,"));
    assert_non_null(strstr(json, "\"error\":null}\n"));
    /* One line. */
    assert_ptr_equal(strchr(json, '\n'), json + strlen(json) - 1);
    free(json);
}

/* Never connected: setup_us is null, not a made-up 0. */
static void test_echo_report_json_not_connected(void **state)
{
    struct echo_summary s = good_run();
    char *json;

    (void)state;
    s.connected = false;
    s.error = "no answer";
    json = render(echo_report_json, &s);
    assert_non_null(strstr(json, "\"setup_us\":null,"));
    assert_non_null(strstr(json, "\"error\":\"no answer\"}"));
    free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_echo_report_rates),
        cmocka_unit_test(test_echo_report_text),
        cmocka_unit_test(test_echo_report_text_leaves_error_out),
        cmocka_unit_test(test_echo_report_text_nothing_received),
        cmocka_unit_test(test_echo_report_json_fields),
        cmocka_unit_test(test_echo_report_json_not_connected),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
