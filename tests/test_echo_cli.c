/* tests/test_echo_cli.c - sctpu-echo's command line. */
#include <string.h>
#include <sys/socket.h>

#include "support.h"

#include "echo_cli.h"

static struct echo_config cfg;
static char err[256];

/* Parse a NULL-terminated list of arguments (argv[0] is added). */
static enum echo_cli_result parse(const char *first, ...)
{
    char *argv[64];
    int argc = 0;
    const char *a;
    va_list ap;

    argv[argc++] = (char *)"sctpu-echo";
    va_start(ap, first);
    for (a = first; a != NULL; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    err[0] = '\0';
    return echo_cli_parse(&cfg, argc, argv, err, sizeof(err));
}

static void test_echo_cli_defaults(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "198.18.0.2", NULL), ECHO_CLI_RUN);
    assert_false(cfg.server);
    assert_string_equal(cfg.host, "198.18.0.2");
    assert_int_equal(cfg.port, 7);
    assert_int_equal(cfg.udp_port, 9899);
    assert_int_equal(cfg.local_udp_port, 0);
    assert_int_equal(cfg.count, 0);
    assert_true(cfg.interval_s == 1.0);
    assert_int_equal(cfg.nsizes, 1);
    assert_int_equal(cfg.sizes[0], 64);
    assert_int_equal(cfg.nstreams, 10);
    assert_int_equal(cfg.family, AF_UNSPEC);
}

static void test_echo_cli_go_server_line(void **state)
{
    (void)state;
    assert_int_equal(
        parse("-server", "-ip", "172.17.0.2", "-port", "2000", NULL),
        ECHO_CLI_RUN);
    assert_true(cfg.server);
    assert_string_equal(cfg.host, "172.17.0.2");
    assert_int_equal(cfg.port, 2000);
}

static void test_echo_cli_go_client_line(void **state)
{
    (void)state;
    assert_int_equal(parse("-port", "2000", "-ip", "172.18.0.2", "-lport",
                           "3000", "-sndbuf", "65536", "-rcvbuf", "131072",
                           "-bufsize", "254", NULL),
                     ECHO_CLI_RUN);
    assert_false(cfg.server);
    assert_string_equal(cfg.host, "172.18.0.2");
    assert_int_equal(cfg.local_sctp_port, 3000);
    assert_int_equal(cfg.sndbuf, 65536);
    assert_int_equal(cfg.rcvbuf, 131072);
    assert_int_equal(cfg.bufsize, 254);
}

static void test_echo_cli_go_equals_and_list(void **state)
{
    (void)state;
    assert_int_equal(parse("-ip=10.0.3.3,10.0.3.4", "-port=2000", NULL),
                     ECHO_CLI_RUN);
    assert_string_equal(cfg.host, "10.0.3.3");
    assert_true(cfg.host_list);
    assert_int_equal(cfg.port, 2000);
}

/* "-i" is our interval; "-ip" the Go address flag: both must work. */
static void test_echo_cli_short_i_vs_go_ip(void **state)
{
    (void)state;
    assert_int_equal(parse("-ip", "h", "-i", "0.25", NULL), ECHO_CLI_RUN);
    assert_string_equal(cfg.host, "h");
    assert_true(cfg.interval_s == 0.25);
    assert_int_equal(parse("-c", "h", "-i0", NULL), ECHO_CLI_RUN);
    assert_true(cfg.interval_s == 0.0);
}

static void test_echo_cli_gnu_options(void **state)
{
    (void)state;
    assert_int_equal(parse("--client", "::1", "-p", "5000", "--udp-port",
                           "19899", "--local-udp-port", "40000", "-n", "1000",
                           "-l", "1,100,64k", "--nstreams", "8", "--ppid", "51",
                           "-u", "--timeout", "2.5", "-J", "-q", "-6", "--mtu",
                           "1500", "--rto-min", "50", "--hb-interval", "250",
                           NULL),
                     ECHO_CLI_RUN);
    assert_string_equal(cfg.host, "::1");
    assert_int_equal(cfg.port, 5000);
    assert_int_equal(cfg.udp_port, 19899);
    assert_int_equal(cfg.local_udp_port, 40000);
    assert_int_equal(cfg.count, 1000);
    assert_int_equal(cfg.nsizes, 3);
    assert_int_equal(cfg.sizes[2], 65536);
    assert_int_equal(cfg.nstreams, 8);
    assert_int_equal(cfg.ppid, 51);
    assert_true(cfg.unordered);
    assert_true(cfg.timeout_s == 2.5);
    assert_true(cfg.json);
    assert_true(cfg.quiet);
    assert_int_equal(cfg.family, AF_INET6);
    assert_int_equal(cfg.mtu, 1500);
    assert_int_equal(cfg.rto_min_ms, 50);
    assert_int_equal(cfg.hb_interval_ms, 250);
}

static void test_echo_cli_help_and_version(void **state)
{
    (void)state;
    assert_int_equal(parse("-h", NULL), ECHO_CLI_HELP);
    assert_int_equal(parse("--help", NULL), ECHO_CLI_HELP);
    assert_int_equal(parse("--version", NULL), ECHO_CLI_VERSION);
}

static void test_echo_cli_errors_name_the_option(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "--count", "x", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "--count: 'x' is not a valid number");
    assert_int_equal(parse("-s", "-p", "65536", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "-p: '65536' is out of range (1-65535)");
    assert_int_equal(parse("-s", "--nope", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "unknown option '--nope'");
    assert_int_equal(parse("-s", "-c", "h", NULL), ECHO_CLI_ERROR);
    assert_int_equal(parse("-n", "3", NULL), ECHO_CLI_ERROR);
    assert_non_null(strstr(err, "needs the server's address"));
    assert_int_equal(parse("-c", "h", "-p", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "option '-p' needs a value");
    assert_int_equal(parse("-s", "--hb-interval", "99", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err,
                        "--hb-interval: '99' is out of range (100-3600000 ms)");
}

/* Parsing twice in one process starts from defaults again. */
static void test_echo_cli_reparse_resets(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "-n", "5", "-u", NULL), ECHO_CLI_RUN);
    assert_int_equal(parse("-c", "h", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.count, 0);
    assert_false(cfg.unordered);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_echo_cli_defaults),
        cmocka_unit_test(test_echo_cli_go_server_line),
        cmocka_unit_test(test_echo_cli_go_client_line),
        cmocka_unit_test(test_echo_cli_go_equals_and_list),
        cmocka_unit_test(test_echo_cli_short_i_vs_go_ip),
        cmocka_unit_test(test_echo_cli_gnu_options),
        cmocka_unit_test(test_echo_cli_help_and_version),
        cmocka_unit_test(test_echo_cli_errors_name_the_option),
        cmocka_unit_test(test_echo_cli_reparse_resets),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
