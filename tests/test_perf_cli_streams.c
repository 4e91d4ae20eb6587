/* tests/test_perf_cli_streams.c - sctpu-perf --stream, --scheduler and
 * --interleave on the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "perf_cli.h"
#include "transport.h"

static struct perf_config cfg;
static char err[256];

static enum perf_cli_result parse(const char *first, ...)
{
    char *argv[32];
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

static void want_error(const char *says)
{
    if (strstr(err, says) == NULL)
        fail_msg("error '%s' lacks '%s'", err, says);
}

static void test_streams_span_and_resolve(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "-l", "1000", "-b", "1M", "-u",
                           "--stream", "0:len=200,rate=200k,ordered",
                           "--stream", "3-4", NULL),
                     PERF_CLI_RUN);
    /* no --nstreams: the listed streams' span, plus the control stream */
    assert_int_equal(cfg.nstreams, 5);
    assert_int_equal(cfg.sock.out_streams, 6);
    assert_int_equal(cfg.streams.n, 2);
    assert_int_equal(cfg.streams.s[0].length, 200);
    assert_true(cfg.streams.s[0].rate_bps == 200000);
    assert_int_equal(cfg.streams.s[0].unordered, 0);
    /* keys not given take -l, -b, -u */
    assert_int_equal(cfg.streams.s[1].length, 1000);
    assert_true(cfg.streams.s[1].rate_bps == 1000000);
    assert_int_equal(cfg.streams.s[1].unordered, 1);
    /* --nstreams given: kept, and the specs must fit in it */
    assert_int_equal(parse("-c", "h", "--nstreams", "8", "--stream", "2", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.nstreams, 8);
    assert_int_equal(parse("-c", "h", "--nstreams", "2", "--stream", "2", NULL),
                     PERF_CLI_ERROR);
    want_error("names stream 2, but there are 2 data streams");
}

static void test_streams_refused(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "--stream", "0", "--verify", NULL),
                     PERF_CLI_ERROR);
    want_error("cannot go with --verify");
    assert_int_equal(parse("-c", "h", "--stream", "0", "--bidir", NULL),
                     PERF_CLI_ERROR);
    want_error("cannot go with --bidir");
    assert_int_equal(parse("-c", "h", "--stream", "0", "--no-control", NULL),
                     PERF_CLI_ERROR);
    want_error("cannot go with --no-control");
    assert_int_equal(parse("-c", "h", "--stream", "0", "-l", "10", NULL),
                     PERF_CLI_ERROR);
    want_error("shorter than the 16-byte timestamp header");
    assert_int_equal(
        parse("-c", "h", "--stream", "0:len=1k,unordered=yes", NULL),
        PERF_CLI_ERROR);
    want_error("--stream '0:len=1k,unordered=yes': unordered takes no value");
    assert_int_equal(parse("-s", "--stream", "0", NULL), PERF_CLI_ERROR);
    want_error("--stream is for the client");
    assert_int_equal(parse("-c", "h", "--stream", "0", "--rr", "64", NULL),
                     PERF_CLI_ERROR);
    want_error("--stream cannot go with --rr");
    /* the receiver's histograms: 4 streams x 256 fit, x 257 do not */
    assert_int_equal(parse("-c", "h", "--stream", "0-3", "-P", "256", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(parse("-c", "h", "--stream", "0-3", "-P", "257", NULL),
                     PERF_CLI_ERROR);
    want_error("4 streams measured x 257 associations is over 1024");
}

static void test_scheduler_interleave(void **state)
{
    (void)state;
    assert_int_equal(parse("-c", "h", "--scheduler", "rr", NULL), PERF_CLI_RUN);
    assert_int_equal(cfg.scheduler, TRANSPORT_SS_RR);
    assert_int_equal(
        parse("-c", "h", "--scheduler", "fcfs", "--interleave", NULL),
        PERF_CLI_RUN);
    assert_int_equal(cfg.scheduler, TRANSPORT_SS_FCFS);
    assert_true(cfg.interleave);
    assert_int_equal(parse("-c", "h", "--scheduler", "fair", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.scheduler, TRANSPORT_SS_FAIR);
    assert_int_equal(parse("-s", "--interleave", NULL), PERF_CLI_RUN);
    assert_true(cfg.interleave);
    assert_int_equal(parse("-c", "h", "--scheduler", "prio", "--stream",
                           "0:prio=0", "--stream", "1:prio=7", NULL),
                     PERF_CLI_RUN);
    assert_int_equal(cfg.scheduler, TRANSPORT_SS_PRIO);
    assert_int_equal(cfg.streams.s[1].prio, 7);
    assert_int_equal(parse("-c", "h", "--stream", "0:prio=0", NULL),
                     PERF_CLI_ERROR);
    want_error("prio= takes effect only with --scheduler prio");
    assert_int_equal(parse("-c", "h", "--scheduler", "rr-packet", NULL),
                     PERF_CLI_ERROR);
    want_error("stalls the sender");
    assert_int_equal(parse("-c", "h", "--scheduler", "x", NULL),
                     PERF_CLI_ERROR);
    want_error("give rr, fcfs, fair or prio");
    assert_int_equal(parse("-c", "h", "--scheduler", "rr", "-R", NULL),
                     PERF_CLI_ERROR);
    want_error("-R makes the server send");
    assert_int_equal(parse("-c", "h", "--interleave", "-l", "65537", NULL),
                     PERF_CLI_ERROR);
    want_error("messages up to 65536 bytes");
    assert_int_equal(
        parse("-c", "h", "--interleave", "--stream", "0:len=100k", NULL),
        PERF_CLI_ERROR);
    want_error("messages up to 65536 bytes");
    assert_int_equal(parse("-s", "--scheduler", "rr", NULL), PERF_CLI_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_streams_span_and_resolve),
        cmocka_unit_test(test_streams_refused),
        cmocka_unit_test(test_scheduler_interleave),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
