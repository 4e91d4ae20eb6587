/* tests/test_echo_cli.c - sctpu-echo's command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "support.h"

#include "echo_cli.h"
#include "echo_compare.h"
#include "transport.h"

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
    /* the default backend (usrsctp) cannot multihome: refused at once */
    assert_int_equal(parse("-ip=10.0.3.3,10.0.3.4", "-port=2000", NULL),
                     ECHO_CLI_ERROR);
    assert_int_equal(parse("-ip=10.0.3.3,10.0.3.4", "-port=2000", "--backend",
                           "kernel", NULL),
                     ECHO_CLI_RUN);
    /* the whole list: a backend that can multihome uses every address */
    assert_string_equal(cfg.host, "10.0.3.3,10.0.3.4");
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

/* One meaning in both tools, as in iperf3: -v version, -V verbose. */
static void test_echo_cli_v_is_version(void **state)
{
    (void)state;
    assert_int_equal(parse("-v", NULL), ECHO_CLI_VERSION);
    assert_int_equal(parse("-s", "-v", NULL), ECHO_CLI_VERSION);
    assert_int_equal(parse("-s", "-V", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.verbosity, 1);
    assert_int_equal(parse("-c", "h", "-VV", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.verbosity, 2);
    assert_int_equal(parse("-s", "--verbose", "--verbose", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.verbosity, 2);
    assert_int_equal(parse("-s", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.verbosity, 0);
}

/* Long options only in full, as in sctpu-perf (--udp is not --udp-port). */
static void test_echo_cli_names_in_full(void **state)
{
    (void)state;
    assert_int_equal(parse("-s", "--udp", "9000", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err,
                        "unknown option '--udp' (did you mean --udp-port?)");
    assert_int_equal(parse("-c", "h", "--cou", "3", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "unknown option '--cou' (did you mean --count?)");
    assert_int_equal(parse("-s", "--r", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "unknown option '--r' (did you mean --reply-ppid, "
                             "--rcvbuf, --rto-min, --rto-max, --rto-initial?)");
    assert_int_equal(parse("-s", "--once=1", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "option '--once' takes no value");
    assert_int_equal(parse("-c", "h", "--count", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "option '--count' needs a value");
    /* The Go example's one-dash flags are whole names too. */
    assert_int_equal(
        parse("-ip", "h", "-port", "2000", "-bufsize", "100", NULL),
        ECHO_CLI_RUN);
    assert_int_equal(cfg.bufsize, 100);
}

/* -c and -ip take HOST:PORT and brackets; the port is the SCTP port. */
static void test_echo_cli_host_port(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "127.0.0.1:2000", NULL), ECHO_CLI_RUN);
    assert_string_equal(cfg.host, "127.0.0.1");
    assert_int_equal(cfg.port, 2000);
    assert_int_equal(cfg.udp_port, 9899);
    assert_int_equal(parse("-c", "[::1]", NULL), ECHO_CLI_RUN);
    assert_string_equal(cfg.host, "::1");
    assert_int_equal(cfg.port, 7);
    assert_int_equal(parse("-c", "[::1]:5000", NULL), ECHO_CLI_RUN);
    assert_string_equal(cfg.host, "::1");
    assert_int_equal(cfg.port, 5000);
    assert_int_equal(parse("-c", "2001:db8::1", NULL), ECHO_CLI_RUN);
    assert_string_equal(cfg.host, "2001:db8::1");
    assert_int_equal(cfg.port, 7);
    /* The Go example's -ip, client and server, with a list. */
    assert_int_equal(
        parse("-ip", "[::1]:2000,[::2]:2000", "--backend", "kernel", NULL),
        ECHO_CLI_RUN);
    assert_string_equal(cfg.host, "::1,::2");
    assert_true(cfg.host_list);
    assert_int_equal(cfg.port, 2000);
    assert_int_equal(parse("-server", "-ip=198.18.0.1:2001", NULL),
                     ECHO_CLI_RUN);
    assert_true(cfg.server);
    assert_string_equal(cfg.host, "198.18.0.1");
    assert_int_equal(cfg.port, 2001);
    /* -port agreeing is fine; differing is not. */
    assert_int_equal(parse("-ip", "h:2000", "-port", "2000", NULL),
                     ECHO_CLI_RUN);
    assert_int_equal(parse("-ip", "h:2000", "-port", "2001", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "--ip h:2000 and --port 2001 name different "
                             "SCTP ports: give one");
    assert_int_equal(parse("-p", "9", "-c", "[::1]:7", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "-c [::1]:7 and -p 9 name different SCTP ports: "
                             "give one");
    assert_int_equal(parse("-c", "h:0", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "-c: 'h:0' has a port that is not 1-65535");
    assert_int_equal(parse("-c", "[::1", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "-c: '[::1' is not HOST, HOST:PORT, [IPV6] or "
                             "[IPV6]:PORT");
}

/* --help says which letter is which, and how HOST:PORT reads. */
static void test_echo_cli_usage_text(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    (void)state;
    assert_non_null(f);
    echo_cli_usage(f, "sctpu-echo");
    fclose(f);
    assert_non_null(strstr(text, "  -V, --verbose  "));
    assert_non_null(strstr(text, "  -v, --version  "));
    assert_non_null(strstr(text, "HOST:PORT, [IPV6] or [IPV6]:PORT"));
    assert_non_null(strstr(text, "(default 9899)"));
    free(text);
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

/* The server caps of issue 11: defaults, ranges, a client refuses them. */
static void test_echo_cli_server_caps(void **state)
{
    (void)state;
    assert_int_equal(parse("-s", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.max_assocs, 1024);
    assert_true(cfg.idle_timeout_s == 60.0);
    assert_int_equal(cfg.max_buffered, 64u * 1024 * 1024);
    assert_int_equal(parse("-s", "--max-associations", "3", "--idle-timeout",
                           "0", "--max-buffered", "1M", NULL),
                     ECHO_CLI_RUN);
    assert_int_equal(cfg.max_assocs, 3);
    assert_true(cfg.idle_timeout_s == 0);
    assert_int_equal(cfg.max_buffered, 1024 * 1024);
    assert_int_equal(parse("-s", "--max-associations", "0", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err,
                        "--max-associations: '0' is out of range (1-65535)");
    assert_int_equal(parse("-s", "--idle-timeout", "-1", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "--idle-timeout: '-1' is not a valid number");
    assert_int_equal(parse("-s", "--max-buffered", "1k", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "--max-buffered: '1k' is out of range (64k-64G)");
    assert_int_equal(parse("-c", "h", "--idle-timeout", "5", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "--idle-timeout is for the server (-s)");
}

/* --workers: usrsctp only, no --once; server only. */
static void test_echo_cli_workers(void **state)
{
    (void)state;
    assert_int_equal(parse("-s", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.workers, 1);
    assert_int_equal(parse("-s", "--workers", "2", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.workers, 2);
    assert_int_equal(parse("-s", "--workers", "65", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "--workers: '65' is out of range (1-64)");
    assert_int_equal(parse("-c", "h", "--workers", "2", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "--workers is for the server (-s)");
    assert_int_equal(parse("-s", "--workers", "2", "--once", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "--workers 2 cannot be combined with --once: "
                             "each worker would end after its own");
    assert_int_equal(parse("-s", "--workers", "1", "--once", NULL),
                     ECHO_CLI_RUN);
}

/* The socket options sctpu-perf shares: same names, ranges, messages. */
static void test_echo_cli_socket_options(void **state)
{
    (void)state;
    assert_int_equal(parse("-s", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.sock.tos, 0);
    assert_null(cfg.sock.bind_dev);
    assert_int_equal(cfg.sock.in_streams, 0);
    assert_int_equal(cfg.sock.out_streams, 0);
    assert_int_equal(cfg.sock.max_init_retrans, 0);
    assert_int_equal(parse("-s", "-S", "0xb8", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.sock.tos, 0xb8);
    assert_int_equal(parse("-s", "--tos", "255", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.sock.tos, 255);
    assert_int_equal(parse("-s", "--dscp", "EF", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.sock.tos, 46 << 2);
    assert_int_equal(parse("-s", "--dscp", "af41", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.sock.tos, 34 << 2);
    assert_int_equal(parse("-s", "--dscp", "CS1", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.sock.tos, 8 << 2);
    assert_int_equal(parse("-s", "--dscp", "VA", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.sock.tos, 44 << 2);
    assert_int_equal(parse("-s", "--dscp", "63", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.sock.tos, 252);
    assert_int_equal(parse("-s", "--tos", "256", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err,
                        "--tos: '256' is out of range (0-255 or 0x00-0xff)");
    assert_int_equal(parse("-s", "-S", "0x100", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err,
                        "-S: '0x100' is out of range (0-255 or 0x00-0xff)");
    assert_int_equal(parse("-s", "-S", "0xg", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "-S: '0xg' is not a valid number");
    assert_int_equal(parse("-s", "--dscp", "64", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "--dscp: '64' is out of range (0-63)");
    assert_int_equal(parse("-s", "--dscp", "AF44", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "--dscp: 'AF44' is not a DSCP: 0-63 or CS0-CS7, "
                             "AF11-AF43, EF, VA");
    assert_int_equal(parse("-s", "-S", "4", "--dscp", "EF", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err,
                        "-S/--tos and --dscp both set the TOS byte: give one");
    assert_int_equal(parse("-s", "--bind-dev", "lo", NULL), ECHO_CLI_RUN);
    assert_string_equal(cfg.sock.bind_dev, "lo");
    assert_int_equal(parse("-s", "--bind-dev", "0123456789abcdef", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "--bind-dev: '0123456789abcdef' is not an "
                             "interface name (1-15 characters)");
    assert_int_equal(parse("-s", "--instreams", "2", "--outstreams", "3", NULL),
                     ECHO_CLI_RUN);
    assert_int_equal(cfg.sock.in_streams, 2);
    assert_int_equal(cfg.sock.out_streams, 3);
    assert_int_equal(parse("-s", "--instreams", "0", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "--instreams: '0' is out of range (1-65535)");
    assert_int_equal(parse("-s", "--outstreams", "65536", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "--outstreams: '65536' is out of range (1-65535)");
    /* A client's outbound streams are its --nstreams. */
    assert_int_equal(parse("-c", "h", "--outstreams", "4", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.nstreams, 4);
    assert_int_equal(
        parse("-c", "h", "--outstreams", "4", "--nstreams", "4", NULL),
        ECHO_CLI_RUN);
    assert_int_equal(
        parse("-c", "h", "--nstreams", "8", "--outstreams", "4", NULL),
        ECHO_CLI_ERROR);
    assert_string_equal(err, "--outstreams 4 and --nstreams 8 disagree: a "
                             "client's outbound streams are its --nstreams; "
                             "give one");
    assert_int_equal(parse("-c", "h", "--max-retrans-path", "1",
                           "--max-retrans-assoc", "255", "--max-init-retrans",
                           "3", NULL),
                     ECHO_CLI_RUN);
    assert_int_equal(cfg.sock.max_retrans_path, 1);
    assert_int_equal(cfg.sock.max_retrans_assoc, 255);
    assert_int_equal(cfg.sock.max_init_retrans, 3);
    assert_int_equal(parse("-c", "h", "--max-retrans-path", "0", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "--max-retrans-path: '0' is out of range (1-255)");
    assert_int_equal(parse("-c", "h", "--max-retrans-assoc", "256", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err,
                        "--max-retrans-assoc: '256' is out of range (1-255)");
    assert_int_equal(parse("-c", "h", "--max-init-retrans", "x", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "--max-init-retrans: 'x' is not a valid number");
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

/* --backend all is a server's; --compare a client's, with a count and
 * explicit 4 MiB buffers unless given. */
static void test_echo_cli_compare(void **state)
{
    (void)state;
    assert_int_equal(parse("-s", "--backend", "all", NULL), ECHO_CLI_RUN);
    assert_string_equal(cfg.backend, "all");
    assert_int_equal(parse("-c", "h", "-n", "5", "--compare", NULL),
                     ECHO_CLI_RUN);
    assert_true(cfg.compare);
    assert_int_equal(cfg.sndbuf, ECHO_COMPARE_BUF);
    assert_int_equal(cfg.rcvbuf, ECHO_COMPARE_BUF);
    assert_int_equal(
        parse("-c", "h", "-n", "5", "--compare", "--sndbuf", "1M", NULL),
        ECHO_CLI_RUN);
    assert_int_equal(cfg.sndbuf, 1024 * 1024);
    assert_int_equal(cfg.rcvbuf, ECHO_COMPARE_BUF);
    assert_int_equal(parse("-c", "h", "--backend", "all", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "--backend all is for the server (-s); a client "
                             "compares the backends with --compare");
    assert_int_equal(parse("-s", "--compare", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "--compare is for the client (-c HOST)");
    assert_int_equal(parse("-c", "h", "--compare", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "--compare needs a message count (-n N): each "
                             "backend sends the same number");
    assert_int_equal(
        parse("-c", "h", "-n", "1", "--compare", "--backend", "usrsctp", NULL),
        ECHO_CLI_ERROR);
    assert_string_equal(err,
                        "--compare runs every backend in turn: drop --backend");
    assert_int_equal(parse("-s", "--backend", "all", "--encap", NULL),
                     ECHO_CLI_ERROR);
    assert_non_null(strstr(err, "--encap cannot go with --backend all"));
}

/* -B: a server's addresses (as --ip), a client's own (no ports). */
static void test_echo_cli_bind(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "198.18.0.2", "-B", "198.18.0.1", NULL),
                     ECHO_CLI_RUN);
    assert_string_equal(cfg.host, "198.18.0.2");
    assert_string_equal(cfg.bind, "198.18.0.1");
    /* before -c, a list, IPv6 in brackets kept without them */
    assert_int_equal(parse("--bind", "[fd00::1],fd00::2", "-c", "fd00::9",
                           "--backend", "kernel", NULL),
                     ECHO_CLI_RUN);
    assert_string_equal(cfg.bind, "fd00::1,fd00::2");
    assert_int_equal(parse("-c", "h", NULL), ECHO_CLI_RUN);
    assert_string_equal(cfg.bind, "");
    /* a server's -B is still its --ip, wherever -s comes */
    assert_int_equal(parse("-B", "198.18.0.1,198.18.1.1:2000", "-s",
                           "--backend", "kernel", NULL),
                     ECHO_CLI_RUN);
    assert_string_equal(cfg.host, "198.18.0.1,198.18.1.1");
    assert_int_equal(cfg.port, 2000);
    assert_string_equal(cfg.bind, "");
    assert_int_equal(parse("-c", "h", "-B", "198.18.0.1:5", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "-B: '198.18.0.1:5' names a port: a client's -B "
                             "takes addresses only (its own SCTP port is "
                             "--lport)");
    assert_int_equal(parse("-c", "h", "--bind", "a,,b", NULL), ECHO_CLI_ERROR);
    assert_non_null(strstr(err, "--bind: 'a,,b' is not HOST"));
    assert_int_equal(parse("-c", "h", "-B", "1,2,3,4,5,6,7,8,9", NULL),
                     ECHO_CLI_ERROR);
    assert_non_null(strstr(err, "has more than 8 addresses"));
    assert_int_equal(parse("-s", "-B", "198.18.0.1", "-ip", "198.18.0.2", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "-B and --ip both name the server's addresses: "
                             "give one");
}

/* --sack-delay and --sack-freq: perf's limits, into the transport config
 * of either role; --compare makes RFC 9260's defaults explicit. */
static void test_echo_cli_sack(void **state)
{
    struct transport_config tc;
    struct echo_config shared;

    (void)state;
    assert_int_equal(parse("-c", "h", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.sack_delay_ms, 0);
    assert_int_equal(cfg.sack_freq, 0);
    assert_int_equal(
        parse("-c", "h", "--sack-delay", "10", "--sack-freq", "1", NULL),
        ECHO_CLI_RUN);
    echo_transport_config(&cfg, NULL, AF_INET, 0, 10, &tc);
    assert_int_equal(tc.sack_delay_ms, 10);
    assert_int_equal(tc.sack_freq, 1);
    assert_true(tc.nodelay);
    assert_int_equal(
        parse("-s", "--sack-delay", "500", "--sack-freq", "100", NULL),
        ECHO_CLI_RUN);
    echo_transport_config(&cfg, NULL, AF_INET, 9899, 0, &tc);
    assert_int_equal(tc.sack_delay_ms, 500);
    assert_int_equal(tc.sack_freq, 100);
    assert_int_equal(parse("-c", "h", "--sack-delay", "0", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "--sack-delay: '0' is out of range (1-500 ms)");
    assert_int_equal(parse("-c", "h", "--sack-freq", "101", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "--sack-freq: '101' is out of range (1-100)");
    /* --compare: 200 ms / 2 unless given (only the MTU is looked up, and
     * 127.0.0.1 needs no network) */
    assert_int_equal(
        parse("-c", "127.0.0.1", "-n", "1", "--compare", "--mtu", "1500", NULL),
        ECHO_CLI_RUN);
    echo_compare_settings(&cfg, &shared);
    assert_int_equal(shared.sack_delay_ms, ECHO_COMPARE_SACK_DELAY_MS);
    assert_int_equal(shared.sack_freq, ECHO_COMPARE_SACK_FREQ);
    assert_int_equal(shared.mtu, 1500);
    assert_int_equal(parse("-c", "127.0.0.1", "-n", "1", "--compare", "--mtu",
                           "1500", "--sack-freq", "1", NULL),
                     ECHO_CLI_RUN);
    echo_compare_settings(&cfg, &shared);
    assert_int_equal(shared.sack_delay_ms, ECHO_COMPARE_SACK_DELAY_MS);
    assert_int_equal(shared.sack_freq, 1);
}

/* -P N and --hold: many associations from one client (echo_many.c). */
static void test_echo_cli_parallel(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", NULL), ECHO_CLI_RUN);
    assert_int_equal(cfg.parallel, 0);
    assert_true(cfg.hold_s == 0);
    /* -n defaults to 1 message per association under -P */
    assert_int_equal(parse("-c", "h", "-P", "1000", "--hold", "30", NULL),
                     ECHO_CLI_RUN);
    assert_int_equal(cfg.parallel, 1000);
    assert_true(cfg.hold_s == 30);
    assert_int_equal(cfg.count, 1);
    assert_int_equal(
        parse("-c", "h", "--parallel", "16384", "-n", "5", "-q", NULL),
        ECHO_CLI_RUN);
    assert_int_equal(cfg.parallel, 16384);
    assert_int_equal(cfg.count, 5);
    assert_int_equal(parse("-c", "h", "-P", "0", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "-P: '0' is out of range (1-16384)");
    assert_int_equal(parse("-c", "h", "-P", "16385", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "-P: '16385' is out of range (1-16384)");
    assert_int_equal(parse("-c", "h", "-P", "x", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "-P: 'x' is not a valid number");
    assert_int_equal(parse("-c", "h", "-P", "2", "--hold", "-1", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "--hold: '-1' is not a valid number");
    assert_int_equal(parse("-c", "h", "-P", "2", "--hold", "86401", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "--hold: '86401' is out of range (0-86400 s)");
    assert_int_equal(parse("-c", "h", "--hold", "5", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "--hold is for -P N (parallel associations)");
    assert_int_equal(parse("-c", "h", "-P", "2", "-n", "0", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "-P needs a message count of 1 or more for each "
                             "association (-n 0 never ends)");
    assert_int_equal(parse("-s", "-P", "2", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "-P 2 cannot be combined with -s");
    assert_int_equal(parse("-c", "h", "-P", "2", "-i", "0", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "-P 2 cannot be combined with -i");
    assert_int_equal(parse("-c", "h", "-P", "2", "--window", "4", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "-P 2 cannot be combined with --window");
    assert_int_equal(parse("-c", "h", "-P", "2", "-J", NULL), ECHO_CLI_ERROR);
    assert_string_equal(err, "-P 2 cannot be combined with -J");
    assert_int_equal(parse("-c", "h", "-P", "2", "--lport", "5000", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "-P 2 cannot be combined with --lport");
    /* every association holds a receive buffer of the largest -l */
    assert_int_equal(parse("-c", "h", "-P", "1000", "-l", "1M", NULL),
                     ECHO_CLI_ERROR);
    assert_string_equal(err, "-P 1000 with --len 1048576 would need 1000 MiB "
                             "of receive buffers: at most 256 MiB (fewer "
                             "associations or shorter messages)");
    assert_int_equal(parse("-c", "h", "-P", "256", "-l", "1M", NULL),
                     ECHO_CLI_RUN);
}

/* A client allows as many inbound streams as it asks for outbound (the
 * server's outbound streams, which usrsctp keeps a structure for each
 * of), unless --instreams is given; a server's are left alone. */
static void test_echo_cli_client_instreams(void **state)
{
    struct transport_config tc;

    (void)state;
    assert_int_equal(parse("-c", "h", NULL), ECHO_CLI_RUN);
    echo_transport_config(&cfg, NULL, AF_INET, 0, cfg.nstreams, &tc);
    assert_int_equal(tc.in_streams, 10);
    assert_int_equal(parse("-c", "h", "--nstreams", "300", NULL), ECHO_CLI_RUN);
    echo_transport_config(&cfg, NULL, AF_INET, 0, cfg.nstreams, &tc);
    assert_int_equal(tc.in_streams, 300);
    assert_int_equal(parse("-c", "h", "--instreams", "2048", NULL),
                     ECHO_CLI_RUN);
    echo_transport_config(&cfg, NULL, AF_INET, 0, cfg.nstreams, &tc);
    assert_int_equal(tc.in_streams, 2048);
    assert_int_equal(parse("-s", NULL), ECHO_CLI_RUN);
    echo_transport_config(&cfg, NULL, AF_INET, 9899, cfg.sock.out_streams, &tc);
    assert_int_equal(tc.in_streams, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_echo_cli_defaults),
        cmocka_unit_test(test_echo_cli_parallel),
        cmocka_unit_test(test_echo_cli_client_instreams),
        cmocka_unit_test(test_echo_cli_socket_options),
        cmocka_unit_test(test_echo_cli_go_server_line),
        cmocka_unit_test(test_echo_cli_go_client_line),
        cmocka_unit_test(test_echo_cli_go_equals_and_list),
        cmocka_unit_test(test_echo_cli_short_i_vs_go_ip),
        cmocka_unit_test(test_echo_cli_gnu_options),
        cmocka_unit_test(test_echo_cli_help_and_version),
        cmocka_unit_test(test_echo_cli_v_is_version),
        cmocka_unit_test(test_echo_cli_names_in_full),
        cmocka_unit_test(test_echo_cli_host_port),
        cmocka_unit_test(test_echo_cli_usage_text),
        cmocka_unit_test(test_echo_cli_errors_name_the_option),
        cmocka_unit_test(test_echo_cli_reparse_resets),
        cmocka_unit_test(test_echo_cli_compare),
        cmocka_unit_test(test_echo_cli_bind),
        cmocka_unit_test(test_echo_cli_sack),
        cmocka_unit_test(test_echo_cli_server_caps),
        cmocka_unit_test(test_echo_cli_workers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
