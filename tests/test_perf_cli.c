/* tests/test_perf_cli.c - sctpu-perf's command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "support.h"

#include "perf_cli.h"

static struct perf_config cfg;
static char err[256];

/* Parse a NULL-terminated list of arguments (argv[0] is added). */
static enum perf_cli_result parse(const char *first, ...)
{
    char *argv[64];
    int argc = 0;
    const char *a;
    va_list ap;

    argv[argc++] = (char *)"sctpu-perf";
    va_start(ap, first);
    for (a = first; a != NULL; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    err[0] = '\0';
    return perf_cli_parse(&cfg, argc, argv, err, sizeof(err));
}

/* Parse and expect PERF_CLI_ERROR with exactly this message. */
#define assert_parse_error(msg, ...)                                           \
    do {                                                                       \
        assert_int_equal(parse(__VA_ARGS__, NULL), PERF_CLI_ERROR);            \
        assert_string_equal(err, (msg));                                       \
    } while (0)

static void test_perf_cli_client_defaults(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "198.18.0.2", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.role, PERF_ROLE_CLIENT);
    assert_string_equal(cfg.host, "198.18.0.2");
    assert_null(cfg.bind_host);
    assert_null(cfg.backend);
    assert_int_equal(cfg.family, AF_UNSPEC);
    assert_int_equal(cfg.port, 5201);
    assert_int_equal(cfg.udp_port, 9900);
    assert_int_equal(cfg.local_udp_port, 0);
    assert_int_equal(cfg.local_sctp_port, 0);
    assert_false(cfg.udp_per_assoc);
    assert_true(cfg.duration_s == 10.0);
    assert_int_equal(cfg.bytes, 0);
    assert_int_equal(cfg.messages, 0);
    assert_true(cfg.omit_s == 0.0);
    assert_true(cfg.interval_s == 1.0);
    assert_int_equal(cfg.rate_bps, 0);
    assert_int_equal(cfg.burst, 0);
    assert_int_equal(cfg.length, 64 * 1024);
    assert_int_equal(cfg.window, 0);
    assert_int_equal(cfg.parallel, 1);
    assert_int_equal(cfg.nstreams, 1);
    assert_false(cfg.reverse);
    assert_false(cfg.bidir);
    assert_false(cfg.unordered);
    assert_int_equal(cfg.pr_policy, PERF_PR_NONE);
    assert_int_equal(cfg.pr_value, 0);
    assert_int_equal(cfg.sack_delay_ms, 0);
    assert_int_equal(cfg.sack_freq, 0);
    assert_false(cfg.nodelay);
    assert_int_equal(cfg.mtu, 0);
    assert_false(cfg.verify);
    assert_false(cfg.no_control);
    assert_false(cfg.get_server_output);
    assert_false(cfg.one_off);
    assert_int_equal(cfg.max_clients, 1);
    assert_false(cfg.json);
    assert_false(cfg.verbose);
    assert_false(cfg.forceflush);
    assert_null(cfg.logfile);
    assert_false(cfg.json_stream);
    assert_null(cfg.title);
    assert_null(cfg.timestamps);
    assert_int_equal(cfg.connect_timeout_ms, 0);
    assert_int_equal(cfg.rcv_timeout_ms, 0);
    assert_true(cfg.idle_timeout_s == 0.0);
    assert_int_equal(cfg.server_rate_limit_bps, 0);
    assert_int_equal(cfg.cpu, -1);
    assert_true(cfg.timeout_s == 8.0);
}

static void test_perf_cli_server_defaults(void **state)
{
    (void)state;
    assert_int_equal(parse("-s", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.role, PERF_ROLE_SERVER);
    assert_string_equal(cfg.host, "");
    assert_int_equal(cfg.port, 5201);
    assert_int_equal(cfg.udp_port, 9900);
    assert_int_equal(cfg.max_clients, 1);
    assert_false(cfg.one_off);
    assert_true(cfg.interval_s == 1.0);
    assert_true(cfg.timeout_s == 8.0);
    assert_int_equal(cfg.family, AF_UNSPEC);
}

static void assert_field_line(void)
{
    assert_int_equal(cfg.role, PERF_ROLE_CLIENT);
    assert_string_equal(cfg.host, "HOST");
    assert_int_equal(cfg.port, 5201);
    assert_true(cfg.interval_s == 1.0);
    assert_true(cfg.duration_s == 5.0);
    assert_int_equal(cfg.rate_bps, UINT64_C(10000000000));
    assert_int_equal(cfg.burst, 0);
    assert_int_equal(cfg.length, 10240);
    assert_int_equal(cfg.nstreams, 4);
    assert_int_equal(cfg.parallel, 2);
}

/* The iperf3 line used in the field runs unchanged. */
static void test_perf_cli_iperf3_field_line(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "HOST", "-p", "5201", "--sctp", "-i", "1",
                           "-t", "5", "--bandwidth", "10G", "--len", "10k",
                           "--nstreams", "4", "--parallel", "2", NULL),
                     PERF_CLI_RUN);
    assert_field_line();
}

/*
 * iperf3's --nstreams falls through into -b; ours must not, whichever
 * comes first.
 */
static void test_perf_cli_nstreams_does_not_touch_rate(void **state)
{
    (void)state;
    assert_int_equal(parse("--parallel", "2", "--nstreams", "4", "--len", "10k",
                           "--bandwidth", "10G", "-t", "5", "-i", "1", "--sctp",
                           "-p", "5201", "-c", "HOST", NULL),
                     PERF_CLI_RUN);
    assert_field_line();
    assert_int_equal(parse("-c", "HOST", "--nstreams", "4", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.nstreams, 4);
    assert_int_equal(cfg.rate_bps, 0);
}

/* --ppid: decimal or 0x hex, 0-4294967295, one list, client only. */
static void test_perf_cli_ppid(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.nppids, 0);
    assert_int_equal(
        parse("-c", "h", "--nstreams", "4", "--ppid", "18,60", NULL),
        PERF_CLI_RUN);
    assert_int_equal(cfg.nppids, 2);
    assert_int_equal(cfg.ppids[0], 18);
    assert_int_equal(cfg.ppids[1], 60);
    assert_int_equal(parse("-c", "h", "--nstreams", "5", "--ppid",
                           "0,0x12,0X3c,0xFFFFFFFF,4294967295", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.nppids, 5);
    assert_int_equal(cfg.ppids[0], 0);
    assert_int_equal(cfg.ppids[1], 18);
    assert_int_equal(cfg.ppids[2], 60);
    assert_int_equal(cfg.ppids[3], UINT32_MAX);
    assert_int_equal(cfg.ppids[4], UINT32_MAX);
    /* One PPID for every stream; the data PPID is an ordinary value. */
    assert_int_equal(parse("-c", "h", "--nstreams", "3", "--ppid", "0x73637064",
                           "--no-control", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.nppids, 1);
    assert_int_equal(cfg.ppids[0], 0x73637064u);
    /* --outstreams decides --nstreams, and the count follows it. */
    assert_int_equal(
        parse("-c", "h", "--outstreams", "3", "--ppid", "46,3", NULL),
        PERF_CLI_RUN);
    assert_int_equal(cfg.nstreams, 2);
    assert_int_equal(cfg.nppids, 2);
}

static void test_perf_cli_ppid_errors(void **state)
{
    (void)state;
    assert_parse_error("--ppid gives 2 PPIDs for 1 data stream (--nstreams): "
                       "at most one per stream",
                       "-c", "h", "--ppid", "18,60");
    assert_parse_error("--ppid gives 3 PPIDs for 2 data streams "
                       "(--nstreams): at most one per stream",
                       "-c", "h", "--ppid", "1,2,3", "--nstreams", "2");
    assert_parse_error("--ppid gives 3 PPIDs for 2 data streams "
                       "(--nstreams): at most one per stream",
                       "-c", "h", "--outstreams", "3", "--ppid", "1,2,3");
    assert_parse_error("--ppid: '0x73637075' (0x73637075) is sctpu-perf's "
                       "control PPID: the receiver tells control messages "
                       "from data by it; pick another",
                       "-c", "h", "--ppid", "0x73637075");
    assert_parse_error("--ppid: '1935896693' (0x73637075) is sctpu-perf's "
                       "control PPID: the receiver tells control messages "
                       "from data by it; pick another",
                       "-c", "h", "--nstreams", "2", "--ppid", "18,1935896693",
                       "--no-control");
    assert_parse_error("--ppid: '4294967296' is out of range (0-4294967295 "
                       "or 0x0-0xffffffff)",
                       "-c", "h", "--ppid", "4294967296");
    assert_parse_error("--ppid: '0x100000000' is out of range (0-4294967295 "
                       "or 0x0-0xffffffff)",
                       "-c", "h", "--ppid", "0x100000000");
    assert_parse_error("--ppid: '' is not a PPID (0-4294967295 or "
                       "0x0-0xffffffff, comma-separated)",
                       "-c", "h", "--ppid", "");
    assert_parse_error("--ppid: '' is not a PPID (0-4294967295 or "
                       "0x0-0xffffffff, comma-separated)",
                       "-c", "h", "--nstreams", "2", "--ppid", "18,");
    assert_parse_error("--ppid: '-1' is not a PPID (0-4294967295 or "
                       "0x0-0xffffffff, comma-separated)",
                       "-c", "h", "--ppid", "-1");
    assert_parse_error("--ppid: '0x' is not a PPID (0-4294967295 or "
                       "0x0-0xffffffff, comma-separated)",
                       "-c", "h", "--ppid", "0x");
    assert_parse_error("--ppid: '0x1g' is not a PPID (0-4294967295 or "
                       "0x0-0xffffffff, comma-separated)",
                       "-c", "h", "--ppid", "0x1g");
    assert_parse_error("--ppid: 's1ap' is not a PPID (0-4294967295 or "
                       "0x0-0xffffffff, comma-separated)",
                       "-c", "h", "--ppid", "s1ap");
    assert_parse_error("--ppid: '1k' is not a PPID (0-4294967295 or "
                       "0x0-0xffffffff, comma-separated)",
                       "-c", "h", "--ppid", "1k");
    assert_parse_error("--ppid is for the client (-c)", "-s", "--ppid", "18");
}

static void test_perf_cli_common_options(void **state)
{
    (void)state;
    assert_int_equal(
        parse("--client", "h1,h2", "--port", "6000", "--udp-port", "19899",
              "--local-udp-port", "0", "--cport", "4000", "--bind", "10.0.0.1",
              "-4", "--backend", "kernel", "--interval", "0.5", "--window",
              "4M", "--sack-delay", "200", "--sack-freq", "2", "--nodelay",
              "--mtu", "1500", "--timeout", "2.5", "--json", "--verbose",
              "--forceflush", "--logfile", "out.txt", NULL),
        PERF_CLI_RUN);
    assert_string_equal(cfg.host, "h1,h2");
    assert_int_equal(cfg.port, 6000);
    assert_int_equal(cfg.udp_port, 19899);
    assert_int_equal(cfg.local_udp_port, 0);
    assert_int_equal(cfg.local_sctp_port, 4000);
    assert_string_equal(cfg.bind_host, "10.0.0.1");
    assert_int_equal(cfg.family, AF_INET);
    assert_string_equal(cfg.backend, "kernel");
    assert_true(cfg.interval_s == 0.5);
    assert_int_equal(cfg.window, 4 * 1024 * 1024);
    assert_int_equal(cfg.sack_delay_ms, 200);
    assert_int_equal(cfg.sack_freq, 2);
    assert_true(cfg.nodelay);
    assert_int_equal(cfg.mtu, 1500);
    assert_true(cfg.timeout_s == 2.5);
    assert_true(cfg.json);
    assert_true(cfg.verbose);
    assert_true(cfg.forceflush);
    assert_string_equal(cfg.logfile, "out.txt");

    assert_int_equal(parse("-c", "::1", "-6", "-B", "::1", "-p", "1", "-i", "0",
                           "-J", "-V", "--no-delay", "--local-udp-port",
                           "40000", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.family, AF_INET6);
    assert_string_equal(cfg.bind_host, "::1");
    assert_int_equal(cfg.port, 1);
    assert_true(cfg.interval_s == 0.0);
    assert_int_equal(cfg.local_udp_port, 40000);
    assert_true(cfg.nodelay);
    assert_true(cfg.json);
    assert_true(cfg.verbose);

    assert_int_equal(parse("--version4", "-c", "h", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.family, AF_INET);
    assert_int_equal(parse("--version6", "-c", "h", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.family, AF_INET6);
}

static void test_perf_cli_server_options(void **state)
{
    (void)state;
    assert_int_equal(parse("--server", "--one-off", "--max-clients", "64", "-w",
                           "8M", "--sack-delay", "1", "--mtu", "9000",
                           "--no-control", "--timeout", "3600", "--sctp",
                           "--backend", "usrsctp", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.role, PERF_ROLE_SERVER);
    assert_true(cfg.one_off);
    assert_int_equal(cfg.max_clients, 64);
    assert_int_equal(cfg.window, 8 * 1024 * 1024);
    assert_int_equal(cfg.sack_delay_ms, 1);
    assert_int_equal(cfg.mtu, 9000);
    assert_true(cfg.no_control);
    assert_true(cfg.timeout_s == 3600.0);
    assert_string_equal(cfg.backend, "usrsctp");
    assert_int_equal(parse("-s", "-1", NULL), PERF_CLI_RUN);
    assert_true(cfg.one_off);
    /* A small window is fine on the server: it has no -l of its own. */
    assert_int_equal(parse("-s", "-w", "4k", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.window, 4096);
}

static void test_perf_cli_test_length(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "-t", "0.5", NULL), PERF_CLI_RUN);
    assert_true(cfg.duration_s == 0.5);
    assert_int_equal(parse("-c", "h", "--time", "86400", NULL), PERF_CLI_RUN);
    assert_true(cfg.duration_s == 86400.0);
    assert_int_equal(parse("-c", "h", "-t", "500ms", NULL), PERF_CLI_RUN);
    assert_true(cfg.duration_s == 0.5);

    /* -n and -k replace the duration. */
    assert_int_equal(parse("-c", "h", "-n", "10M", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.bytes, 10 * 1024 * 1024);
    assert_true(cfg.duration_s == 0.0);
    assert_int_equal(parse("-c", "h", "--bytes", "1g", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.bytes, UINT64_C(1) << 30);
    assert_int_equal(parse("-c", "h", "-k", "1000", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.messages, 1000);
    assert_int_equal(cfg.bytes, 0);
    assert_true(cfg.duration_s == 0.0);
    assert_int_equal(parse("-c", "h", "--blockcount", "1", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.messages, 1);

    assert_int_equal(parse("-c", "h", "-t", "20", "-O", "2.5", NULL),
                     PERF_CLI_RUN);
    assert_true(cfg.omit_s == 2.5);
    assert_int_equal(parse("-c", "h", "--omit", "0", NULL), PERF_CLI_RUN);
    assert_true(cfg.omit_s == 0.0);
    /* With -n there is no duration to compare -O with. */
    assert_int_equal(parse("-c", "h", "-n", "1G", "-O", "30", NULL),
                     PERF_CLI_RUN);
    assert_true(cfg.omit_s == 30.0);
}

static void test_perf_cli_rates(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "-b", "50M", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.rate_bps, 50000000);
    assert_int_equal(parse("-c", "h", "--bitrate", "100", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.rate_bps, 100);
    assert_int_equal(parse("-c", "h", "-b", "10k", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.rate_bps, 10000);
    assert_int_equal(parse("-c", "h", "-b", "2.5G", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.rate_bps, UINT64_C(2500000000));
    assert_int_equal(parse("-c", "h", "-b", "1T", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.rate_bps, UINT64_C(1000000000000));
    assert_int_equal(parse("-c", "h", "-b", "0", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.rate_bps, 0);
    assert_int_equal(parse("-c", "h", "-b", "1G/10", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.rate_bps, 1000000000);
    assert_int_equal(cfg.burst, 10);
    assert_int_equal(parse("-c", "h", "-b", "5m/1000", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.rate_bps, 5000000);
    assert_int_equal(cfg.burst, 1000);
    assert_int_equal(parse("-c", "h", "-b", "18446744073709551615", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.rate_bps, UINT64_MAX);
}

static void test_perf_cli_message_options(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "-l", "1", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.length, 1);
    assert_int_equal(parse("-c", "h", "--length", "1500", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.length, 1500);
    assert_int_equal(parse("-c", "h", "-l", "2M", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.length, 2 * 1024 * 1024);
    assert_int_equal(parse("-c", "h", "-l", "16M", "-w", "16M", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.length, 16 * 1024 * 1024);
    assert_int_equal(cfg.window, 16 * 1024 * 1024);
    assert_int_equal(parse("-c", "h", "-l", "20", "--verify", NULL),
                     PERF_CLI_RUN);
    assert_true(cfg.verify);
    assert_int_equal(
        parse("-c", "h", "-P", "128", "--nstreams", "1024", "-R", "-u", NULL),
        PERF_CLI_RUN);
    assert_int_equal(cfg.parallel, 128);
    assert_int_equal(cfg.nstreams, 1024);
    assert_true(cfg.reverse);
    assert_true(cfg.unordered);
    assert_int_equal(parse("-c", "h", "-P", "10000", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.parallel, 10000);
    assert_int_equal(
        parse("-c", "h", "--bidir", "--unordered", "--get-server-output", NULL),
        PERF_CLI_RUN);
    assert_true(cfg.bidir);
    assert_false(cfg.reverse);
    assert_true(cfg.unordered);
    assert_true(cfg.get_server_output);
    assert_int_equal(parse("-c", "h", "--reverse", NULL), PERF_CLI_RUN);
    assert_true(cfg.reverse);
}

/* --rr REQ[/RESP]: the sizes, RESP defaulting to REQ, and what it
 * refuses, each with its reason. */
static void test_perf_cli_rr(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.rr_resp, 0);
    assert_int_equal(parse("-c", "h", "--rr", "64", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.length, 64);
    assert_int_equal(cfg.rr_resp, 64);
    assert_int_equal(parse("-c", "h", "--rr", "100/20000", "-k", "2000", "-P",
                           "4", "--nstreams", "3", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.length, 100);
    assert_int_equal(cfg.rr_resp, 20000);
    assert_true(cfg.messages == 2000);
    assert_int_equal(cfg.parallel, 4);
    assert_int_equal(cfg.nstreams, 3);
    assert_int_equal(parse("-c", "h", "--rr", "1/1k", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.length, 1);
    assert_int_equal(cfg.rr_resp, 1024);
    assert_int_equal(parse("-c", "h", "--rr", "16M/1", "-w", "16M", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.length, 16 * 1024 * 1024);
    assert_int_equal(cfg.rr_resp, 1);

    assert_parse_error("--rr: '0' is out of range: REQ and RESP are 1-16M "
                       "bytes",
                       "-c", "h", "--rr", "0");
    assert_parse_error("--rr: '1/99999999999' is out of range: REQ and RESP "
                       "are 1-16M bytes",
                       "-c", "h", "--rr", "1/99999999999");
    assert_parse_error("--rr: '10/' is not REQ[/RESP] (sizes in bytes, e.g. "
                       "64 or 100/20000)",
                       "-c", "h", "--rr", "10/");
    assert_parse_error("--rr: '/10' is not REQ[/RESP] (sizes in bytes, e.g. "
                       "64 or 100/20000)",
                       "-c", "h", "--rr", "/10");
    assert_parse_error("--rr: '1/2/3' is not REQ[/RESP] (sizes in bytes, "
                       "e.g. 64 or 100/20000)",
                       "-c", "h", "--rr", "1/2/3");
    assert_parse_error("--rr cannot go with -R: the responses are the "
                       "server-to-client direction already",
                       "-c", "h", "--rr", "64", "-R");
    assert_parse_error("--rr cannot go with --bidir: the responses are the "
                       "server-to-client direction already",
                       "-c", "h", "--bidir", "--rr", "64");
    assert_parse_error("--rr cannot go with -P over 1000: each association "
                       "keeps latency histograms of about 90 KiB",
                       "-c", "h", "--rr", "64", "-P", "1001");
    assert_parse_error("--rr cannot go with -l: the request size is --rr's "
                       "REQ",
                       "-c", "h", "--rr", "64", "-l", "100");
    assert_parse_error("--rr cannot go with -n: a transaction test counts "
                       "transactions: give -k N",
                       "-c", "h", "--rr", "64", "-n", "1M");
    assert_int_equal(parse("-c", "h", "--rr", "64", "-b", "1M", NULL),
                     PERF_CLI_ERROR);
    assert_non_null(strstr(err, "--rr cannot go with -b"));
    assert_int_equal(parse("-c", "h", "--rr", "64", "--verify", NULL),
                     PERF_CLI_ERROR);
    assert_non_null(strstr(err, "--rr cannot go with --verify"));
    assert_int_equal(parse("-c", "h", "--rr", "64", "--pr-policy", "ttl",
                           "--pr-value", "10", NULL),
                     PERF_CLI_ERROR);
    assert_non_null(strstr(err, "--rr cannot go with --pr-policy"));
    assert_int_equal(parse("-c", "h", "--rr", "64", "--no-control", NULL),
                     PERF_CLI_ERROR);
    assert_non_null(strstr(err, "--rr cannot go with --no-control"));
    /* RESP must fit the buffers as -R's messages must. */
    assert_int_equal(parse("-c", "h", "--rr", "64/1M", "-w", "1M", NULL),
                     PERF_CLI_ERROR);
    assert_non_null(strstr(err, "fewer than 4 responses"));
    assert_int_equal(parse("-c", "h", "--rr", "64/3M", NULL), PERF_CLI_ERROR);
    assert_non_null(strstr(err, "exceeds the default 2M buffers"));
    /* --rr-burst: requests in flight, with --rr only */
    assert_int_equal(parse("-c", "h", "--rr", "64", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.rr_burst, 1);
    assert_int_equal(parse("-c", "h", "--rr", "64", "--rr-burst", "256", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.rr_burst, 256);
    assert_parse_error("--rr-burst: '257' is out of range (1-256)", "-c", "h",
                       "--rr", "64", "--rr-burst", "257");
    assert_parse_error("--rr-burst: '0' is out of range (1-256)", "-c", "h",
                       "--rr", "64", "--rr-burst", "0");
    assert_parse_error("--rr-burst needs --rr", "-c", "h", "--rr-burst", "4");
    /* A client option. */
    assert_int_equal(parse("-s", "--rr", "64", NULL), PERF_CLI_ERROR);
    assert_non_null(strstr(err, "--rr"));
}

static void test_perf_cli_pr_sctp(void **state)
{
    (void)state;
    assert_int_equal(
        parse("-c", "h", "--pr-policy", "ttl", "--pr-value", "600000", NULL),
        PERF_CLI_RUN);
    assert_int_equal(cfg.pr_policy, PERF_PR_TTL);
    assert_int_equal(cfg.pr_value, 600000);
    /* The value may come first. */
    assert_int_equal(
        parse("-c", "h", "--pr-value", "0", "--pr-policy", "rtx", NULL),
        PERF_CLI_RUN);
    assert_int_equal(cfg.pr_policy, PERF_PR_RTX);
    assert_int_equal(cfg.pr_value, 0);
    assert_int_equal(
        parse("-c", "h", "--pr-policy", "buf", "--pr-value", "256M", NULL),
        PERF_CLI_RUN);
    assert_int_equal(cfg.pr_policy, PERF_PR_BUF);
    assert_int_equal(cfg.pr_value, 256 * 1024 * 1024);
}

static void test_perf_cli_no_control(void **state)
{
    (void)state;
    /* A raw sender may still shape its traffic. */
    assert_int_equal(parse("-c", "h", "--no-control", "-l", "1k", "-P", "4",
                           "-b", "1M", "--verify", NULL),
                     PERF_CLI_RUN);
    assert_true(cfg.no_control);
    assert_int_equal(cfg.length, 1024);
    assert_int_equal(cfg.parallel, 4);
    assert_int_equal(parse("-s", "--no-control", "-i", "2", NULL),
                     PERF_CLI_RUN);
    assert_true(cfg.no_control);
    assert_true(cfg.interval_s == 2.0);
}

static void test_perf_cli_help_and_version(void **state)
{
    (void)state;
    assert_int_equal(parse("-h", NULL), PERF_CLI_HELP);
    assert_int_equal(parse("--help", NULL), PERF_CLI_HELP);
    assert_int_equal(parse("-c", "h", "-h", NULL), PERF_CLI_HELP);
    assert_int_equal(parse("-v", NULL), PERF_CLI_VERSION);
    assert_int_equal(parse("--version", NULL), PERF_CLI_VERSION);
    /* -V is verbose, as in iperf3 and sctpu-echo */
    assert_int_equal(parse("-s", "-V", NULL), PERF_CLI_RUN);
    assert_true(cfg.verbose);
    assert_int_equal(parse("-s", "--verbose", NULL), PERF_CLI_RUN);
    assert_true(cfg.verbose);
}

static void test_perf_cli_usage_text(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    (void)state;
    assert_non_null(f);
    perf_cli_usage(f, "sctpu-perf");
    fclose(f);
    assert_non_null(strstr(text, "Usage: sctpu-perf -s"));
    assert_non_null(strstr(text, "Server or Client:"));
    assert_non_null(strstr(text, "Server specific:"));
    assert_non_null(strstr(text, "Client specific"));
    assert_non_null(strstr(text, "SCTP port (default 5201)"));
    assert_non_null(strstr(text, "it, the client sends to it (default 9900)"));
    assert_non_null(strstr(text, "Exit status: 0"));
    /* The iperf3 options added later, each with its line. */
    assert_non_null(strstr(text, "\n  -T, --title STR           start every "
                                 "text line with 'STR:  '\n"));
    assert_non_null(strstr(text, "\n      --timestamps[=FMT]    start every "
                                 "text line with the time, as\n"
                                 "                            strftime FMT "
                                 "(default '%c ')\n"));
    assert_non_null(strstr(text, "\n      --json-stream         JSON, one "
                                 "object per line"));
    assert_non_null(strstr(text, "\n      --connect-timeout MS  give up"));
    assert_non_null(
        strstr(text, "\n      --connect-rate N[/s]  start at most"));
    assert_non_null(strstr(text, "\n      --rcv-timeout MS      fail when"));
    assert_non_null(strstr(text, "\n      --idle-timeout SEC    abort a test"));
    assert_non_null(
        strstr(text, "\n      --server-bitrate-limit RATE[/SEC]\n"));
    assert_non_null(strstr(text, "\n  -A, --affinity N          run on CPU N"));
    assert_non_null(strstr(text, "SIGINT or SIGTERM ends a running test"));
    /* What iperf3 users need told: no UDP mode, -u, the two ports. */
    assert_non_null(strstr(text, "There is no UDP mode (iperf3's -u, --udp)"));
    assert_non_null(strstr(text, "every test is\nSCTP over UDP already"));
    assert_non_null(strstr(text, "-u means unordered SCTP delivery"));
    assert_non_null(strstr(text, "Two ports: the SCTP port (-p, default 5201 "
                                 "as in iperf3) travels inside\nthe UDP port "
                                 "(--udp-port, default 9900)"));
    assert_non_null(strstr(text, "`docker run -p 9900:9900/udp`"));
    assert_non_null(strstr(text, "sctpu-echo's\ndefault UDP port is 9899"));
    assert_non_null(strstr(text, "Each association carries --nstreams data "
                                 "streams plus, unless\n--no-control, one "
                                 "control stream"));
    assert_non_null(strstr(text, "  -t, --time SEC            seconds to send, "
                                 "up to 86400; 0 = until\n"));
    assert_non_null(strstr(text, "HOST:PORT, [IPV6] or [IPV6]:PORT"));
    assert_non_null(strstr(text, "  -N, --nodelay "));
    assert_non_null(strstr(text, "\n      --udp-per-assoc       a UDP port "
                                 "per association"));
    free(text);
}

/* The "not applicable" note: one entry per refused option, wrapped. */
static void test_perf_cli_usage_not_applicable(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    const char *note;
    const char *line;

    (void)state;
    assert_non_null(f);
    perf_cli_usage(f, "sctpu-perf");
    fclose(f);
    note = strstr(text, "Not applicable (iperf3 options refused, with the "
                        "reason):\n");
    assert_non_null(note);
    assert_non_null(strstr(note, "      --udp                 there is no UDP "
                                 "mode: every test is SCTP over UDP\n"
                                 "                            already (-u "
                                 "means unordered SCTP delivery here)\n"));
    assert_non_null(strstr(note, "  -Z, --zerocopy            not applicable: "
                                 "usrsctp copies every message, there\n"
                                 "                            is no zero-copy "
                                 "send\n"));
    assert_non_null(strstr(note, "  -C, --congestion          not "
                                 "applicable: "));
    assert_non_null(strstr(note, "  -M, --set-mss             not "
                                 "applicable: "));
    /* Nothing runs past 79 columns. */
    for (line = text; *line != '\0'; line += strcspn(line, "\n") + 1) {
        if (strcspn(line, "\n") > 79)
            fail_msg("too long: %.*s", (int)strcspn(line, "\n"), line);
        if (line[strcspn(line, "\n")] == '\0')
            break;
    }
    free(text);
}

static void test_perf_cli_getopt_errors(void **state)
{
    (void)state;
    assert_parse_error("unknown option '--nope'", "-s", "--nope");
    assert_parse_error("unknown option '--nope'", "-s", "--nope=1");
    assert_parse_error("unknown option '-x'", "-s", "-x");
    assert_parse_error("unknown option '-x'", "-sx");
    assert_parse_error("option '-p' needs a value", "-c", "h", "-p");
    assert_parse_error("option '--port' needs a value", "-c", "h", "--port");
    assert_parse_error("option '-c' needs a value", "-c");
    assert_parse_error("option '--json' takes no value", "-s", "--json=1");
    assert_parse_error("unexpected argument 'extra'", "-c", "h", "extra");
    /* -f is iperf3's, not ours. */
    assert_parse_error("unknown option '-f'", "-c", "h", "-f", "m");
}

/*
 * Long options only in full: getopt_long's abbreviations would let a
 * prefix mean whatever option it happens to start (--udp: --udp-port).
 */
static void test_perf_cli_names_in_full(void **state)
{
    (void)state;
    assert_parse_error("unknown option '--no' (did you mean --nodelay, "
                       "--no-delay, --no-control?)",
                       "-s", "--no");
    assert_parse_error("unknown option '--bandw' (did you mean --bandwidth?)",
                       "-c", "h", "--bandw", "5M");
    assert_parse_error("unknown option '--le' (did you mean --length, --len?)",
                       "-c", "h", "--le=1k");
    assert_parse_error("unknown option '--nod' (did you mean --nodelay?)", "-c",
                       "h", "--nod");
    assert_parse_error("unknown option '--udp-p' (did you mean --udp-port, "
                       "--udp-per-assoc?)",
                       "-s", "--udp-p", "9000");
    /* An abbreviation is unknown whatever its value, or lack of one. */
    assert_parse_error("unknown option '--jso' (did you mean --json, "
                       "--json-stream?)",
                       "-s", "--jso=1");
    assert_parse_error("unknown option '--por' (did you mean --port?)", "-c",
                       "h", "--por");
    assert_parse_error("unknown option '--'", "-s", "--=1");
    /* Full names, aliases included, still work. */
    assert_int_equal(parse("-c", "h", "--bandwidth", "5M", "--len", "1k",
                           "--nodelay", "--udp-port", "9000", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.rate_bps, 5000000);
    assert_int_equal(cfg.length, 1024);
    assert_true(cfg.nodelay);
    assert_int_equal(cfg.udp_port, 9000);
}

/* iperf3's --udp is a UDP test; there is none here, and -u is unordered. */
static void test_perf_cli_udp_refused(void **state)
{
    (void)state;
    assert_parse_error("--udp: there is no UDP mode: every test is SCTP over "
                       "UDP already (-u means unordered SCTP delivery here)",
                       "-c", "h", "--udp");
    assert_parse_error("--udp: there is no UDP mode: every test is SCTP over "
                       "UDP already (-u means unordered SCTP delivery here)",
                       "-s", "--udp");
    assert_parse_error("--udp: there is no UDP mode: every test is SCTP over "
                       "UDP already (-u means unordered SCTP delivery here)",
                       "-c", "h", "--udp=1");
    /* before the role is even known */
    assert_parse_error("--udp: there is no UDP mode: every test is SCTP over "
                       "UDP already (-u means unordered SCTP delivery here)",
                       "--udp", "-b", "1G");
    assert_int_equal(parse("-c", "h", "-u", NULL), PERF_CLI_RUN);
    assert_true(cfg.unordered);
    assert_int_equal(cfg.udp_port, 9900);
}

/* iperf3 options with no meaning here: exit 2 with the --help line. */
static void test_perf_cli_not_applicable(void **state)
{
    (void)state;
    assert_parse_error("-Z: not applicable: usrsctp copies every message, "
                       "there is no zero-copy send",
                       "-c", "h", "-Z");
    assert_parse_error("--zerocopy: not applicable: usrsctp copies every "
                       "message, there is no zero-copy send",
                       "-c", "h", "--zerocopy");
    assert_parse_error("-C: not applicable: no TCP congestion algorithm to "
                       "pick; SCTP's own congestion control runs inside "
                       "usrsctp",
                       "-c", "h", "-C", "cubic");
    assert_parse_error("--congestion: not applicable: no TCP congestion "
                       "algorithm to pick; SCTP's own congestion control "
                       "runs inside usrsctp",
                       "-s", "--congestion=bbr");
    assert_parse_error("-M: not applicable: no MSS to set; give the path's IP "
                       "MTU with --mtu instead",
                       "-c", "h", "-M1400");
    assert_parse_error("--set-mss: not applicable: no MSS to set; give the "
                       "path's IP MTU with --mtu instead",
                       "-c", "h", "--set-mss", "1400");
    assert_parse_error("-Z: not applicable: usrsctp copies every message, "
                       "there is no zero-copy send",
                       "-c", "h", "-RZ");
}

/* iperf3's -N is "TCP/SCTP no delay": our --nodelay. */
static void test_perf_cli_nodelay_short(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "-N", NULL), PERF_CLI_RUN);
    assert_true(cfg.nodelay);
    assert_int_equal(parse("-s", "--no-delay", NULL), PERF_CLI_RUN);
    assert_true(cfg.nodelay);
    assert_int_equal(parse("-s", NULL), PERF_CLI_RUN);
    assert_false(cfg.nodelay);
}

/* -c HOST:PORT and bracketed IPv6, the port being the SCTP port (-p). */
static void test_perf_cli_host_port(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "127.0.0.1:5201", NULL), PERF_CLI_RUN);
    assert_string_equal(cfg.host, "127.0.0.1");
    assert_int_equal(cfg.port, 5201);
    assert_int_equal(parse("-c", "198.18.0.2:6000", NULL), PERF_CLI_RUN);
    assert_string_equal(cfg.host, "198.18.0.2");
    assert_int_equal(cfg.port, 6000);
    assert_int_equal(cfg.udp_port, 9900);
    assert_int_equal(parse("-c", "[::1]", NULL), PERF_CLI_RUN);
    assert_string_equal(cfg.host, "::1");
    assert_int_equal(cfg.port, 5201);
    assert_int_equal(parse("-c", "[::1]:7000", "-6", NULL), PERF_CLI_RUN);
    assert_string_equal(cfg.host, "::1");
    assert_int_equal(cfg.port, 7000);
    assert_int_equal(parse("--client", "server.example:5202", NULL),
                     PERF_CLI_RUN);
    assert_string_equal(cfg.host, "server.example");
    assert_int_equal(cfg.port, 5202);
    /* Bare IPv6: an address, whatever its last group looks like. */
    assert_int_equal(parse("-c", "2001:db8::5201", NULL), PERF_CLI_RUN);
    assert_string_equal(cfg.host, "2001:db8::5201");
    assert_int_equal(cfg.port, 5201);
    assert_int_equal(parse("-c", "::1", NULL), PERF_CLI_RUN);
    assert_string_equal(cfg.host, "::1");
    /* A list (multihoming): every address, one port. */
    assert_int_equal(
        parse("-c", "[::1]:6001,[::2]:6001", "--backend", "kernel", NULL),
        PERF_CLI_RUN);
    assert_string_equal(cfg.host, "::1,::2");
    assert_int_equal(cfg.port, 6001);
    assert_int_equal(parse("-c", "[::1]:6001,[::2]:6002", NULL),
                     PERF_CLI_ERROR);
    /* -p agreeing is fine, in either order; differing is not. */
    assert_int_equal(parse("-p", "6000", "-c", "h:6000", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.port, 6000);
    assert_parse_error("-c h:6000 and -p 5201 name different SCTP ports: "
                       "give one",
                       "-c", "h:6000", "-p", "5201");
    assert_parse_error("-c [::1]:6000 and --port 7 name different SCTP "
                       "ports: give one",
                       "--port", "7", "-c", "[::1]:6000");
    assert_parse_error("-c: 'h:0' has a port that is not 1-65535", "-c", "h:0");
    assert_parse_error("-c: 'h:http' has a port that is not 1-65535", "-c",
                       "h:http");
    assert_parse_error("-c: '[::1]:' has a port that is not 1-65535", "-c",
                       "[::1]:");
    assert_parse_error("-c: '[::1' is not HOST, HOST:PORT, [IPV6] or "
                       "[IPV6]:PORT",
                       "-c", "[::1");
    assert_parse_error("-c: ':5201' is not HOST, HOST:PORT, [IPV6] or "
                       "[IPV6]:PORT",
                       "-c", ":5201");
}

/* -t 0: until interrupted, as in iperf3; -n and -k still exclude it. */
static void test_perf_cli_time_zero(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "-t", "0", NULL), PERF_CLI_RUN);
    assert_true(cfg.duration_s == 0.0);
    assert_int_equal(cfg.bytes, 0);
    assert_int_equal(cfg.messages, 0);
    assert_int_equal(parse("-c", "h", "--time", "0s", "-O", "5", NULL),
                     PERF_CLI_RUN);
    assert_true(cfg.duration_s == 0.0);
    assert_true(cfg.omit_s == 5.0);
    assert_parse_error("-t and -n exclude each other: the test ends after a "
                       "time (-t), a byte count (-n) or a message count (-k)",
                       "-c", "h", "-t", "0", "-n", "1M");
    assert_parse_error("-t and -k exclude each other: the test ends after a "
                       "time (-t), a byte count (-n) or a message count (-k)",
                       "-c", "h", "-k", "10", "-t", "0");
}

/* -T, --timestamps, --json-stream: how the output looks. */
static void test_perf_cli_output_options(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "-T", "lab 1", "--timestamps", NULL),
                     PERF_CLI_RUN);
    assert_string_equal(cfg.title, "lab 1");
    assert_string_equal(cfg.timestamps, "%c "); /* iperf3's default */
    assert_int_equal(
        parse("-s", "--title", "srv", "--timestamps=%H:%M:%S ", NULL),
        PERF_CLI_RUN);
    assert_string_equal(cfg.title, "srv");
    assert_string_equal(cfg.timestamps, "%H:%M:%S ");
    /* --json-stream is JSON, a line per event. */
    assert_int_equal(parse("-c", "h", "--json-stream", NULL), PERF_CLI_RUN);
    assert_true(cfg.json);
    assert_true(cfg.json_stream);
    assert_parse_error("-T needs a title", "-c", "h", "-T", "");
    assert_parse_error("--timestamps: '' gives no time: give a strftime "
                       "format whose output is 1-127 characters, e.g. "
                       "'%H:%M:%S '",
                       "-c", "h", "--timestamps=");
    /* The value must be attached: a separate word is an operand. */
    assert_parse_error("unexpected argument '%T'", "-c", "h", "--timestamps",
                       "%T");
}

/* The timeouts and the server's limits. */
/* The server caps of issue 11: defaults, ranges, role, messages. */
static void test_perf_cli_server_caps(void **state)
{
    (void)state;
    assert_int_equal(parse("-s", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.max_assocs, 256);
    assert_true(cfg.hello_timeout_s == 30.0);
    assert_true(cfg.max_duration_s == 3600.0);
    assert_int_equal(cfg.max_buffer_bytes, 64u * 1024 * 1024);
    assert_int_equal(cfg.server_rate_period_s, 5);
    assert_int_equal(parse("-s", "--max-associations", "10", "--hello-timeout",
                           "0.5", "--max-duration", "0", "--max-buffer-memory",
                           "1G", "--server-bitrate-limit", "1M/2", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.max_assocs, 10);
    assert_true(cfg.hello_timeout_s == 0.5);
    assert_true(cfg.max_duration_s == 0);
    assert_int_equal(cfg.max_buffer_bytes, 1024u * 1024 * 1024);
    assert_int_equal(cfg.server_rate_period_s, 2);
    assert_parse_error("--max-associations: '0' is out of range (1-65535)",
                       "-s", "--max-associations", "0");
    assert_parse_error("--hello-timeout: '0' is out of range (0.1-3600 s)",
                       "-s", "--hello-timeout", "0");
    assert_parse_error("--max-duration: 'x' is not a valid number", "-s",
                       "--max-duration", "x");
    assert_parse_error("--max-buffer-memory: '1k' is out of range (1M-64G)",
                       "-s", "--max-buffer-memory", "1k");
    assert_parse_error("--max-associations is for the server (-s)", "-c", "h",
                       "--max-associations", "5");
    assert_parse_error("--max-duration is for the server (-s)", "-c", "h",
                       "--max-duration", "5");
}

/* --impair and --impair-dir: both roles, usrsctp only. */
static void test_perf_cli_impair(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "--impair", "loss=5%,delay=20ms", NULL),
                     PERF_CLI_RUN);
    assert_true(cfg.sock.impair_given);
    assert_int_equal(cfg.sock.impair.delay_us, 20000);
    assert_int_equal(
        parse("-s", "--impair", "loss=1%", "--impair-dir", "rx", NULL),
        PERF_CLI_RUN);
    assert_int_equal(cfg.sock.impair_dir, TRANSPORT_IMPAIR_RX);
    assert_parse_error("--impair: unknown item 'lose' (known: loss, delay, "
                       "jitter, reorder, duplicate, corrupt, rate, seed)",
                       "-c", "h", "--impair", "lose=5%");
    assert_parse_error("--impair-dir needs --impair SPEC", "-c", "h",
                       "--impair-dir", "tx");
    assert_parse_error("--impair-dir: 'up' is not tx, rx or both", "-c", "h",
                       "--impair", "loss=1%", "--impair-dir", "up");
    assert_parse_error("--impair: --backend all serves kernel SCTP too, whose "
                       "datagrams sctpu never sees: use --backend usrsctp",
                       "-s", "--impair", "loss=1%", "--backend", "all");
}

/* --pcap and its bounds: both roles, usrsctp only, one process. */
static void test_perf_cli_pcap(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "--pcap", "x.pcap", "--pcap-snaplen",
                           "128", "--pcap-max", "10M", "--pcap-udp", NULL),
                     PERF_CLI_RUN);
    assert_string_equal(cfg.sock.pcap_path, "x.pcap");
    assert_int_equal(cfg.sock.pcap_snaplen, 128);
    assert_int_equal(cfg.sock.pcap_max, 10 * 1024 * 1024);
    assert_true(cfg.sock.pcap_udp);
    assert_null(cfg.sock.pcap); /* made by the tool's main, not the parse */
    assert_parse_error("--pcap-snaplen, --pcap-max and --pcap-udp need "
                       "--pcap FILE",
                       "-c", "h", "--pcap-max", "1M");
    assert_parse_error("--pcap-snaplen: '63' is out of range (64-256k)", "-c",
                       "h", "--pcap", "x", "--pcap-snaplen", "63");
    assert_parse_error("--pcap-max: '1000' is out of range (1k-1024G)", "-c",
                       "h", "--pcap", "x", "--pcap-max", "1000");
    assert_parse_error("--pcap: '' is no file name", "-c", "h", "--pcap", "");
    assert_parse_error("--pcap: --backend all serves kernel SCTP too, whose "
                       "datagrams sctpu never sees: use --backend usrsctp",
                       "-s", "--pcap", "x", "--backend", "all");
    assert_parse_error("--pcap: --workers 2 processes cannot share one file: "
                       "capture with --workers 1",
                       "-s", "--pcap", "x", "--workers", "2");
}

/* --workers: usrsctp only, no -1 and no -A; server only. */
static void test_perf_cli_workers(void **state)
{
    (void)state;
    assert_int_equal(parse("-s", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.workers, 1);
    assert_int_equal(parse("-s", "--workers", "4", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.workers, 4);
    assert_parse_error("--workers: '0' is out of range (1-64)", "-s",
                       "--workers", "0");
    assert_parse_error("--workers: '65' is out of range (1-64)", "-s",
                       "--workers", "65");
    assert_parse_error("--workers is for the server (-s)", "-c", "h",
                       "--workers", "2");
    assert_parse_error("--workers 2 cannot be combined with -1 (--one-off): "
                       "each worker would end after its own",
                       "-s", "--workers", "2", "-1");
    assert_parse_error("--workers 2 spreads the server over the cores: drop "
                       "-A (it would pin every worker to CPU 0)",
                       "-s", "--workers", "2", "-A", "0");
    assert_parse_error("--workers: --backend all serves kernel SCTP too, "
                       "which needs no workers (the kernel spreads it over "
                       "the cores): use --backend usrsctp",
                       "-s", "--workers", "2", "--backend", "all");
    /* one worker is no workers: everything above is allowed */
    assert_int_equal(parse("-s", "--workers", "1", "-1", "-A", "0", NULL),
                     PERF_CLI_RUN);
    if (transport_find("kernel") != NULL)
        assert_parse_error("--workers: the kernel backend has no UDP socket "
                           "of its own (its UDP tunnel is the network "
                           "namespace's net.sctp.udp_port, one port for "
                           "every association): drop it",
                           "-s", "--workers", "2", "--backend", "kernel");
}

/* -R/--bidir with a -w of fewer than 4 messages stalls in usrsctp; a
 * --cport range past 65535 wrapped: both refused at once. */
static void test_perf_cli_window_and_cport(void **state)
{
    (void)state;
    assert_parse_error("-R with -w 65536: the receive buffer holds fewer "
                       "than 4 messages of -l 65536 (the default), and "
                       "usrsctp stalls delivering them from the server's "
                       "larger send buffer: give -w 262144 or more, or -l "
                       "16384 or less",
                       "-c", "h", "-R", "-w", "64k");
    assert_int_equal(parse("-c", "h", "-R", "-w", "64k", "-l", "16k", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(parse("-c", "h", "--bidir", "-w", "2M", "-l", "1M", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(parse("-c", "h", "-w", "64k", NULL), PERF_CLI_RUN);
    assert_parse_error("--cport 65530 with -P 10 needs SCTP ports "
                       "65530-65539, past 65535: give a port of at most 65526",
                       "-c", "h", "--cport", "65530", "-P", "10");
    assert_int_equal(parse("-c", "h", "--cport", "65526", "-P", "10", NULL),
                     PERF_CLI_RUN);
}

static void test_perf_cli_timeouts_and_limits(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "--connect-timeout", "500",
                           "--rcv-timeout", "8000", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.connect_timeout_ms, 500);
    assert_int_equal(cfg.rcv_timeout_ms, 8000);
    assert_int_equal(parse("-s", "--idle-timeout", "2.5", "--rcv-timeout",
                           "100", "--server-bitrate-limit", "1.5G", NULL),
                     PERF_CLI_RUN);
    assert_true(cfg.idle_timeout_s == 2.5);
    assert_int_equal(cfg.rcv_timeout_ms, 100);
    assert_int_equal(cfg.server_rate_limit_bps, 1500000000);
    /* iperf3's /SEC averaging period is accepted. */
    assert_int_equal(parse("-s", "--server-bitrate-limit", "100M/5", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.server_rate_limit_bps, 100000000);
    assert_parse_error("--connect-timeout: '0' is out of range (1-3600000 ms)",
                       "-c", "h", "--connect-timeout", "0");
    assert_parse_error("--rcv-timeout: '99' is out of range (100-3600000 ms)",
                       "-c", "h", "--rcv-timeout", "99");
    assert_parse_error("--rcv-timeout 9000 ms exceeds --timeout 8 s, which "
                       "ends the wait first: raise --timeout too",
                       "-c", "h", "--rcv-timeout", "9000");
    assert_parse_error("--connect-timeout 4000 ms exceeds --timeout 3 s, "
                       "which ends the wait first: raise --timeout too",
                       "-c", "h", "--timeout", "3", "--connect-timeout",
                       "4000");
    assert_parse_error("--idle-timeout: 'x' is not a valid number", "-s",
                       "--idle-timeout", "x");
    assert_parse_error("--idle-timeout is for the server (-s)", "-c", "h",
                       "--idle-timeout", "5");
    assert_parse_error("--connect-timeout is for the client (-c)", "-s",
                       "--connect-timeout", "5");
    /* --connect-rate N[/s] */
    assert_int_equal(
        parse("-c", "h", "-P", "1000", "--connect-rate", "500", NULL),
        PERF_CLI_RUN);
    assert_int_equal(cfg.connect_rate, 500);
    assert_int_equal(parse("-c", "h", "--connect-rate", "100000/s", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.connect_rate, 100000);
    assert_int_equal(parse("-c", "h", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.connect_rate, 0);
    assert_parse_error("--connect-rate: '0' is out of range (1-100000 per "
                       "second)",
                       "-c", "h", "--connect-rate", "0");
    assert_parse_error("--connect-rate: '100001/s' is out of range (1-100000 "
                       "per second)",
                       "-c", "h", "--connect-rate", "100001/s");
    assert_parse_error("--connect-rate: '5/m' is not a valid number", "-c", "h",
                       "--connect-rate", "5/m");
    assert_parse_error("--connect-rate: '/s' is not a valid number", "-c", "h",
                       "--connect-rate", "/s");
    assert_parse_error("--connect-rate is for the client (-c)", "-s",
                       "--connect-rate", "5");
    assert_parse_error("--server-bitrate-limit is for the server (-s)", "-c",
                       "h", "--server-bitrate-limit", "1M");
    assert_parse_error("--server-bitrate-limit: 'fast' is not a valid rate",
                       "-s", "--server-bitrate-limit", "fast");
    assert_parse_error("--server-bitrate-limit: averaging period '0' is not "
                       "1-3600 seconds",
                       "-s", "--server-bitrate-limit", "1M/0");
    assert_parse_error("--server-bitrate-limit needs the control channel to "
                       "refuse a test: drop --no-control",
                       "-s", "--server-bitrate-limit", "1M", "--no-control");
}

/* -A N: this end's CPU; iperf3's N,M cannot reach the server. */
static void test_perf_cli_affinity(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "-A", "0", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.cpu, 0);
    assert_int_equal(parse("-s", "--affinity", "1023", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.cpu, 1023);
    assert_parse_error("-A: '1024' is out of range (0-1023)", "-c", "h", "-A",
                       "1024");
    assert_parse_error("-A: 'one' is not a valid number", "-c", "h", "-A",
                       "one");
    assert_parse_error("-A 1,0: only this end's CPU can be set (the server "
                       "cannot be asked to pin itself): give the server its "
                       "own -A",
                       "-c", "h", "-A", "1,0");
}

static void test_perf_cli_role_errors(void **state)
{
    (void)state;
    assert_parse_error("give -s (server) or -c HOST (client)", "-p", "5201");
    assert_parse_error("-s and -c exclude each other", "-s", "-c", "h");
    assert_parse_error("-c: '' is not HOST, HOST:PORT, [IPV6] or [IPV6]:PORT",
                       "-c", "");
    assert_parse_error("-c: ',h' is not HOST, HOST:PORT, [IPV6] or "
                       "[IPV6]:PORT",
                       "-c", ",h");
    assert_parse_error("--max-clients is for the server (-s)", "-c", "h",
                       "--max-clients", "2");
    assert_parse_error("-1 is for the server (-s)", "-c", "h", "-1");
    assert_parse_error("--one-off is for the server (-s)", "--one-off", "-c",
                       "h");
    assert_parse_error("-t is for the client (-c)", "-s", "-t", "5");
    assert_parse_error("--bidir is for the client (-c)", "-s", "--bidir");
    assert_parse_error("--nstreams is for the client (-c)", "--nstreams", "4",
                       "-s");
    assert_parse_error("--verify is for the client (-c)", "-s", "--verify");
    assert_parse_error("-l is for the client (-c)", "-s", "--no-control", "-l",
                       "1k");
    assert_parse_error("--cport is for the client (-c)", "-s", "--cport", "1");
}

static void test_perf_cli_value_errors(void **state)
{
    (void)state;
    assert_parse_error("-p: '65536' is out of range (1-65535)", "-s", "-p",
                       "65536");
    assert_parse_error("--udp-port: '0' is out of range (1-65535)", "-s",
                       "--udp-port", "0");
    assert_parse_error("-p: 'http' is not a valid number", "-s", "-p", "http");
    assert_parse_error("-t: '86401' is out of range (0 = until interrupted, "
                       "up to 86400 s)",
                       "-c", "h", "-t", "86401");
    assert_parse_error("-t: '-5' is not a valid number", "-c", "h", "-t", "-5");
    assert_parse_error("-n: '0' is out of range (at least 1)", "-c", "h", "-n",
                       "0");
    assert_parse_error("-k: '1k' is not a valid number", "-c", "h", "-k", "1k");
    assert_parse_error("-i: '0.05' is out of range (0 or 0.1-60 s)", "-c", "h",
                       "-i", "0.05");
    assert_parse_error("-i: '61' is out of range (0 or 0.1-60 s)", "-s", "-i",
                       "61");
    assert_parse_error("--timeout: '0' is out of range (0.1-3600 s)", "-s",
                       "--timeout", "0");
    assert_parse_error("-l: '0' is out of range (1-16M)", "-c", "h", "-l", "0");
    assert_parse_error("--len: '17M' is out of range (1-16M)", "-c", "h",
                       "--len", "17M");
    assert_parse_error("-w: '1k' is out of range (4k-256M)", "-c", "h", "-w",
                       "1k");
    assert_parse_error("-P: '10001' is out of range (1-10000)", "-c", "h", "-P",
                       "10001");
    assert_parse_error("-P: '0' is out of range (1-10000)", "-c", "h", "-P",
                       "0");
    assert_parse_error("--nstreams: '0' is out of range (1-1024)", "-c", "h",
                       "--nstreams", "0");
    assert_parse_error("--sack-delay: '501' is out of range (1-500 ms)", "-s",
                       "--sack-delay", "501");
    assert_parse_error("--sack-freq: '0' is out of range (1-100)", "-s",
                       "--sack-freq", "0");
    assert_parse_error("--mtu: '551' is out of range (552-65536)", "-s",
                       "--mtu", "551");
    assert_parse_error("--max-clients: '65' is out of range (1-64)", "-s",
                       "--max-clients", "65");
    assert_parse_error("--backend needs a backend name", "-s", "--backend", "");
    assert_parse_error("-B needs an address", "-s", "-B", "");
    assert_parse_error("--logfile needs a file name", "-s", "--logfile", "");
    assert_parse_error("-O: '-1' is not a valid number", "-c", "h", "-O", "-1");
}

static void test_perf_cli_rate_errors(void **state)
{
    (void)state;
    assert_parse_error("-b: '10X' is not a valid rate", "-c", "h", "-b", "10X");
    assert_parse_error("-b: '-5M' is not a valid rate", "-c", "h", "-b", "-5M");
    assert_parse_error("--bandwidth: 'M' is not a valid rate", "-c", "h",
                       "--bandwidth", "M");
    assert_parse_error("-b: '' is not a valid rate", "-c", "h", "-b", "");
    assert_parse_error("-b: '1.2.3M' is not a valid rate", "-c", "h", "-b",
                       "1.2.3M");
    assert_parse_error("-b: ' 5M' is not a valid rate", "-c", "h", "-b", " 5M");
    assert_parse_error("-b: '20000000000G' is out of range "
                       "(0-18446744073709551615 bits/s)",
                       "-c", "h", "-b", "20000000000G");
    assert_parse_error("-b: '18446744073709551616' is out of range "
                       "(0-18446744073709551615 bits/s)",
                       "-c", "h", "-b", "18446744073709551616");
    assert_parse_error("-b: burst '0' is out of range (1-1000)", "-c", "h",
                       "-b", "10M/0");
    assert_parse_error("-b: burst '1001' is out of range (1-1000)", "-c", "h",
                       "-b", "10M/1001");
    assert_parse_error("-b: burst '' is not a valid number", "-c", "h", "-b",
                       "10M/");
    assert_parse_error("-b: burst 'x' is not a valid number", "-c", "h", "-b",
                       "10M/x");
}

static void test_perf_cli_conflicts(void **state)
{
    (void)state;
    assert_parse_error("-t and -n exclude each other: the test ends after a "
                       "time (-t), a byte count (-n) or a message count (-k)",
                       "-c", "h", "-t", "5", "-n", "1M");
    assert_parse_error("-n and -k exclude each other: the test ends after a "
                       "time (-t), a byte count (-n) or a message count (-k)",
                       "-c", "h", "-k", "5", "--bytes", "1M");
    assert_parse_error("-t and -k exclude each other: the test ends after a "
                       "time (-t), a byte count (-n) or a message count (-k)",
                       "-c", "h", "--time", "5", "-k", "10");
    assert_parse_error("-O 10 leaves nothing to measure: it must be shorter "
                       "than -t 10",
                       "-c", "h", "-O", "10");
    assert_parse_error("-O 6 leaves nothing to measure: it must be shorter "
                       "than -t 5",
                       "-c", "h", "-t", "5", "-O", "6");
    assert_parse_error("-R and --bidir exclude each other", "-c", "h", "-R",
                       "--bidir");
    assert_parse_error("-R needs the control channel to start the server's "
                       "sender: drop --no-control",
                       "-c", "h", "-R", "--no-control");
    assert_parse_error("--get-server-output needs the control channel: drop "
                       "--no-control",
                       "-c", "h", "--get-server-output", "--no-control");
}

static void test_perf_cli_pr_errors(void **state)
{
    (void)state;
    assert_parse_error("--pr-policy needs --pr-value", "-c", "h", "--pr-policy",
                       "ttl");
    assert_parse_error("--pr-value needs --pr-policy", "-c", "h", "--pr-value",
                       "5");
    assert_parse_error("--pr-policy: 'rtt' is not a policy (ttl, rtx, buf)",
                       "-c", "h", "--pr-policy", "rtt", "--pr-value", "5");
    assert_parse_error("--pr-value: '0' is out of range (1-600000 ms for ttl)",
                       "-c", "h", "--pr-policy", "ttl", "--pr-value", "0");
    assert_parse_error("--pr-value: '101' is out of range "
                       "(0-100 retransmissions for rtx)",
                       "-c", "h", "--pr-policy", "rtx", "--pr-value", "101");
    assert_parse_error("--pr-value: '1k' is not a valid number", "-c", "h",
                       "--pr-policy", "rtx", "--pr-value", "1k");
    assert_parse_error("--pr-value: '257M' is out of range "
                       "(1-256M bytes for buf)",
                       "-c", "h", "--pr-policy", "buf", "--pr-value", "257M");
}

static void test_perf_cli_length_errors(void **state)
{
    (void)state;
    assert_parse_error("-l 8 is too short for --verify: it needs at least 20 "
                       "bytes (sequence number and checksum)",
                       "-c", "h", "-l", "8", "--verify");
    assert_parse_error("-l 1048576 exceeds -w 65536: a message must fit the "
                       "send buffer",
                       "-c", "h", "-l", "1M", "-w", "64k");
    assert_parse_error("-l 65536 (the default) exceeds -w 16384: a message "
                       "must fit the send buffer",
                       "-c", "h", "-w", "16k");
    assert_parse_error("-l 4194304 exceeds the default 2M send buffer: a "
                       "message must fit it, so raise it with -w",
                       "-c", "h", "-l", "4M");
}

/* Parsing twice in one process starts from defaults again. */
static void test_perf_cli_reparse_resets(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "-n", "5", "-u", "-b", "1G/5", "-P", "3",
                           "--pr-policy", "rtx", "--pr-value", "1", "-B", "a",
                           NULL),
                     PERF_CLI_RUN);
    assert_int_equal(parse("-c", "h", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.bytes, 0);
    assert_true(cfg.duration_s == 10.0);
    assert_false(cfg.unordered);
    assert_int_equal(cfg.rate_bps, 0);
    assert_int_equal(cfg.burst, 0);
    assert_int_equal(cfg.parallel, 1);
    assert_int_equal(cfg.pr_policy, PERF_PR_NONE);
    assert_int_equal(cfg.pr_value, 0);
    assert_null(cfg.bind_host);
    /* An error halfway through does not leak into the next parse. */
    assert_int_equal(parse("-s", "-p", "7", "-x", NULL), PERF_CLI_ERROR);
    assert_int_equal(parse("-s", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.port, 5201);
}

/* argv keeps its order: getopt must not permute it. */
static void test_perf_cli_argv_untouched(void **state)
{
    char *argv[] = { "sctpu-perf", "-c", "h", "stray", "-t", "5", NULL };
    char *copy[7];

    (void)state;
    memcpy(copy, argv, sizeof(argv));
    assert_int_equal(perf_cli_parse(&cfg, 6, argv, err, sizeof(err)),
                     PERF_CLI_ERROR);
    assert_string_equal(err, "unexpected argument 'stray'");
    assert_memory_equal(copy, argv, sizeof(argv));
}

static void test_perf_cli_rto_options(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "--rto-min", "50", "--rto-max", "500",
                           "--rto-initial", "200", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.rto_min_ms, 50);
    assert_int_equal(cfg.rto_max_ms, 500);
    assert_int_equal(cfg.rto_initial_ms, 200);
    assert_int_equal(parse("-s", "--rto-min", "50", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.rto_min_ms, 50);
    assert_int_equal(
        parse("-c", "h", "--rto-min", "900", "--rto-max", "500", NULL),
        PERF_CLI_ERROR);
    assert_string_equal(err, "--rto-min 900 is above --rto-max 500");
    assert_int_equal(parse("-c", "h", "--rto-min", "5", NULL), PERF_CLI_ERROR);
    assert_string_equal(err, "--rto-min: '5' is out of range (10-600000 ms)");
}

static void test_perf_cli_hb_interval(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.hb_interval_ms, 0); /* the backend's default */
    assert_int_equal(parse("-c", "h", "--hb-interval", "100", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.hb_interval_ms, 100);
    assert_int_equal(parse("-s", "--hb-interval", "3600000", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.hb_interval_ms, 3600000);
    assert_int_equal(parse("-s", "--hb-interval", "3600001", NULL),
                     PERF_CLI_ERROR);
    assert_string_equal(
        err, "--hb-interval: '3600001' is out of range (100-3600000 ms)");
}

/* The socket options sctpu-echo shares: same names, ranges, messages. */
/* --udp-per-assoc: a UDP port per association; given ports must fit. */
static void test_perf_cli_udp_per_assoc(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "-P", "4", "--udp-per-assoc", NULL),
                     PERF_CLI_RUN);
    assert_true(cfg.udp_per_assoc);
    assert_int_equal(cfg.parallel, 4);
    assert_int_equal(cfg.local_udp_port, 0);
    /* The last port may be 65535 itself. */
    assert_int_equal(parse("-c", "h", "--local-udp-port", "65532", "-P", "4",
                           "--udp-per-assoc", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.local_udp_port, 65532);
    /* One socket for all: the port range does not matter. */
    assert_int_equal(
        parse("-c", "h", "--local-udp-port", "65535", "-P", "4", NULL),
        PERF_CLI_RUN);
    assert_false(cfg.udp_per_assoc);
    assert_parse_error("--local-udp-port 65534 with --udp-per-assoc -P 4 "
                       "needs UDP ports 65534-65537, past 65535: give a port "
                       "of at most 65532",
                       "-c", "h", "--local-udp-port", "65534",
                       "--udp-per-assoc", "-P", "4");
    assert_parse_error("--udp-per-assoc is for the client (-c)", "-s",
                       "--udp-per-assoc");
    assert_parse_error("option '--udp-per-assoc' takes no value", "-c", "h",
                       "--udp-per-assoc=1");
}

static void test_perf_cli_socket_options(void **state)
{
    (void)state;
    assert_int_equal(parse("-s", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.sock.tos, 0);
    assert_null(cfg.sock.bind_dev);
    assert_int_equal(cfg.sock.in_streams, 0);
    assert_int_equal(cfg.sock.out_streams, 0);
    assert_int_equal(parse("-c", "h", "-S", "0x10", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.sock.tos, 0x10);
    assert_int_equal(parse("-s", "--dscp", "ef", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.sock.tos, 0xb8);
    assert_int_equal(parse("-s", "--dscp", "AF11", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.sock.tos, 10 << 2);
    assert_int_equal(parse("-s", "--dscp", "cs7", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.sock.tos, 56 << 2);
    assert_parse_error("--tos: '-1' is not a valid number", "-s", "--tos",
                       "-1");
    assert_parse_error("-S: '300' is out of range (0-255 or 0x00-0xff)", "-s",
                       "-S", "300");
    assert_parse_error("--dscp: '64' is out of range (0-63)", "-s", "--dscp",
                       "64");
    assert_parse_error(
        "--dscp: 'CS8' is not a DSCP: 0-63 or CS0-CS7, AF11-AF43, EF, VA", "-s",
        "--dscp", "CS8");
    assert_parse_error("-S/--tos and --dscp both set the TOS byte: give one",
                       "-c", "h", "--dscp", "EF", "--tos", "0xb8");
    assert_int_equal(parse("-s", "--bind-dev", "eth0", NULL), PERF_CLI_RUN);
    assert_string_equal(cfg.sock.bind_dev, "eth0");
    assert_parse_error("--bind-dev: '' is not an interface name (1-15 "
                       "characters)",
                       "-s", "--bind-dev", "");
    assert_int_equal(parse("-s", "--instreams", "2", "--outstreams", "2", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.sock.in_streams, 2);
    assert_int_equal(cfg.sock.out_streams, 2);
    assert_parse_error("--instreams: '0' is out of range (1-65535)", "-s",
                       "--instreams", "0");
    /* A client asks for its data streams plus the control stream. */
    assert_int_equal(parse("-c", "h", "--nstreams", "4", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.sock.out_streams, 5);
    assert_int_equal(parse("-c", "h", "--outstreams", "9", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.nstreams, 8);
    assert_int_equal(
        parse("-c", "h", "--outstreams", "9", "--nstreams", "8", NULL),
        PERF_CLI_RUN);
    assert_int_equal(
        parse("-c", "h", "--no-control", "--outstreams", "3", NULL),
        PERF_CLI_RUN);
    assert_int_equal(cfg.nstreams, 3);
    assert_parse_error("--outstreams 5 disagrees with --nstreams 8: the "
                       "client asks for its data streams plus the control "
                       "stream, 9; give one",
                       "-c", "h", "--nstreams", "8", "--outstreams", "5");
    assert_parse_error("--outstreams 1: a client needs 2-1025 (1-1024 data "
                       "streams plus the control stream)",
                       "-c", "h", "--outstreams", "1");
    assert_parse_error("--outstreams 2000: a client needs 2-1025 (1-1024 "
                       "data streams plus the control stream)",
                       "-c", "h", "--outstreams", "2000");
    assert_int_equal(parse("-s", "--max-retrans-path", "2",
                           "--max-retrans-assoc", "3", "--max-init-retrans",
                           "1", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.sock.max_retrans_path, 2);
    assert_int_equal(cfg.sock.max_retrans_assoc, 3);
    assert_int_equal(cfg.sock.max_init_retrans, 1);
    assert_parse_error("--max-init-retrans: '0' is out of range (1-255)", "-c",
                       "h", "--max-init-retrans", "0");
    assert_parse_error("--max-retrans-path: '256' is out of range (1-255)",
                       "-s", "--max-retrans-path", "256");
    assert_parse_error("--max-retrans-assoc: '1k' is not a valid number", "-s",
                       "--max-retrans-assoc", "1k");
}

/* --backend all is a server's; --compare a client's, with a test that
 * ends, explicit 4 MiB buffers unless -w, and no option that picks one
 * backend or breaks the one document. */
static void test_perf_cli_compare(void **state)
{
    (void)state;
    assert_int_equal(parse("-s", "--backend", "all", NULL), PERF_CLI_RUN);
    assert_string_equal(cfg.backend, "all");
    assert_false(cfg.compare);
    assert_int_equal(parse("-c", "h", "--compare", NULL), PERF_CLI_RUN);
    assert_true(cfg.compare);
    assert_int_equal(cfg.window, PERF_CLI_COMPARE_WINDOW);
    assert_int_equal(parse("-c", "h", "--compare", "-w", "1M", "-J", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.window, 1024 * 1024);
    assert_true(cfg.json);
    assert_int_equal(parse("-c", "h", "-n", "10M", "--compare", NULL),
                     PERF_CLI_RUN);
    assert_parse_error("--backend all is for the server (-s); a client "
                       "compares the backends with --compare",
                       "-c", "h", "--backend", "all");
    assert_parse_error("--compare is for the client (-c)", "-s", "--compare");
    assert_parse_error("--compare runs every backend in turn: drop --backend",
                       "-c", "h", "--compare", "--backend", "kernel");
    assert_parse_error("--compare needs a test that ends by itself: give "
                       "-t SEC (not -t 0), -n or -k",
                       "-c", "h", "--compare", "-t", "0");
    assert_parse_error("--compare cannot go with --no-control: the "
                       "comparison needs the server's results",
                       "-c", "h", "--compare", "--no-control");
    assert_parse_error("--compare cannot go with --json-stream: it gives one "
                       "JSON document (-J)",
                       "-c", "h", "--compare", "--json-stream");
    assert_int_equal(parse("-s", "--backend", "all", "--encap", NULL),
                     PERF_CLI_ERROR);
    assert_non_null(strstr(err, "--encap cannot go with --backend all"));
    assert_int_equal(parse("-c", "h", "--compare", "--encap", NULL),
                     PERF_CLI_ERROR);
    assert_non_null(strstr(err, "--encap cannot go with --compare"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perf_cli_rto_options),
        cmocka_unit_test(test_perf_cli_socket_options),
        cmocka_unit_test(test_perf_cli_udp_per_assoc),
        cmocka_unit_test(test_perf_cli_hb_interval),
        cmocka_unit_test(test_perf_cli_client_defaults),
        cmocka_unit_test(test_perf_cli_server_defaults),
        cmocka_unit_test(test_perf_cli_iperf3_field_line),
        cmocka_unit_test(test_perf_cli_nstreams_does_not_touch_rate),
        cmocka_unit_test(test_perf_cli_common_options),
        cmocka_unit_test(test_perf_cli_server_options),
        cmocka_unit_test(test_perf_cli_test_length),
        cmocka_unit_test(test_perf_cli_rates),
        cmocka_unit_test(test_perf_cli_message_options),
        cmocka_unit_test(test_perf_cli_rr),
        cmocka_unit_test(test_perf_cli_pr_sctp),
        cmocka_unit_test(test_perf_cli_no_control),
        cmocka_unit_test(test_perf_cli_help_and_version),
        cmocka_unit_test(test_perf_cli_usage_text),
        cmocka_unit_test(test_perf_cli_usage_not_applicable),
        cmocka_unit_test(test_perf_cli_getopt_errors),
        cmocka_unit_test(test_perf_cli_names_in_full),
        cmocka_unit_test(test_perf_cli_udp_refused),
        cmocka_unit_test(test_perf_cli_not_applicable),
        cmocka_unit_test(test_perf_cli_nodelay_short),
        cmocka_unit_test(test_perf_cli_host_port),
        cmocka_unit_test(test_perf_cli_time_zero),
        cmocka_unit_test(test_perf_cli_output_options),
        cmocka_unit_test(test_perf_cli_timeouts_and_limits),
        cmocka_unit_test(test_perf_cli_server_caps),
        cmocka_unit_test(test_perf_cli_workers),
        cmocka_unit_test(test_perf_cli_impair),
        cmocka_unit_test(test_perf_cli_pcap),
        cmocka_unit_test(test_perf_cli_window_and_cport),
        cmocka_unit_test(test_perf_cli_affinity),
        cmocka_unit_test(test_perf_cli_role_errors),
        cmocka_unit_test(test_perf_cli_value_errors),
        cmocka_unit_test(test_perf_cli_rate_errors),
        cmocka_unit_test(test_perf_cli_conflicts),
        cmocka_unit_test(test_perf_cli_ppid),
        cmocka_unit_test(test_perf_cli_ppid_errors),
        cmocka_unit_test(test_perf_cli_pr_errors),
        cmocka_unit_test(test_perf_cli_length_errors),
        cmocka_unit_test(test_perf_cli_reparse_resets),
        cmocka_unit_test(test_perf_cli_argv_untouched),
        cmocka_unit_test(test_perf_cli_compare),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
