/*
 * test_sctp_plan.c - the socket options both backends set, as decided
 * from a transport_config: defaults, streams, delayed SACK, RTO bounds
 * and the error wording.
 */
#include <errno.h>
#include <string.h>

#include "sctp_plan.h"
#include "support.h"

static void test_sctp_plan_defaults(void **state)
{
    struct transport_config cfg;
    struct sctp_plan p;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    assert_int_equal(sctp_plan_streams(&cfg, true), 2048);
    assert_int_equal(sctp_plan_streams(&cfg, false), 10);
    sctp_plan_make(&cfg, 10, &p);
    assert_int_equal(p.sndbuf, 2 * 1024 * 1024);
    assert_int_equal(p.rcvbuf, 2 * 1024 * 1024);
    assert_int_equal(p.out_streams, 10);
    /* a client still accepts as many inbound streams as a server offers */
    assert_int_equal(p.max_in_streams, 2048);
    assert_int_equal(p.max_init_attempts, 0);
    assert_false(p.nodelay);
    assert_false(sctp_plan_has_sack(&p));
    assert_int_equal(p.max_retrans_assoc, 0);
    assert_int_equal(p.max_retrans_path, 0);
    assert_int_equal(p.hb_interval_ms, 0);
    assert_int_equal(p.mtu, 0);
}

static void test_sctp_plan_given_values(void **state)
{
    struct transport_config cfg;
    struct sctp_plan p;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.streams = 4000;
    cfg.sndbuf = 65536;
    cfg.rcvbuf = 131072;
    cfg.nodelay = true;
    cfg.max_init_retrans = 3;
    cfg.max_retrans_assoc = 5;
    cfg.max_retrans_path = 2;
    cfg.hb_interval_ms = 500;
    cfg.mtu = 1400;
    assert_int_equal(sctp_plan_streams(&cfg, true), 4000);
    assert_int_equal(sctp_plan_streams(&cfg, false), 4000);
    sctp_plan_make(&cfg, 4000, &p);
    assert_int_equal(p.sndbuf, 65536);
    assert_int_equal(p.rcvbuf, 131072);
    /* more outbound streams than 2048 raise the inbound limit too */
    assert_int_equal(p.max_in_streams, 4000);
    cfg.in_streams = 16;
    sctp_plan_make(&cfg, 4000, &p);
    assert_int_equal(p.max_in_streams, 16);
    assert_int_equal(p.max_init_attempts, 3);
    assert_true(p.nodelay);
    assert_int_equal(p.max_retrans_assoc, 5);
    assert_int_equal(p.max_retrans_path, 2);
    assert_int_equal(p.hb_interval_ms, 500);
    assert_int_equal(p.mtu, 1400);
}

static void test_sctp_plan_sack_keeps_what_is_not_given(void **state)
{
    struct transport_tuning tu = { .nodelay = false, .sack_freq = 1 };
    struct sctp_plan p;
    uint32_t delay = 200;
    uint32_t freq = 2;

    (void)state;
    sctp_plan_tuning(&tu, &p);
    assert_true(sctp_plan_has_sack(&p));
    assert_false(p.nodelay);
    sctp_plan_sack(&p, &delay, &freq);
    assert_int_equal(delay, 200);
    assert_int_equal(freq, 1);
    tu.sack_freq = 0;
    tu.sack_delay_ms = 10;
    tu.nodelay = true;
    sctp_plan_tuning(&tu, &p);
    assert_true(p.nodelay);
    sctp_plan_sack(&p, &delay, &freq);
    assert_int_equal(delay, 10);
    assert_int_equal(freq, 1);
    tu.sack_delay_ms = 0;
    sctp_plan_tuning(&tu, &p);
    assert_false(sctp_plan_has_sack(&p));
}

/* Max.Burst follows a SACK frequency above the 5 packets the stack's
 * default of 4 MTUs lets out, in a socket's plan and in a retuning, and
 * is left alone otherwise. */
static void test_sctp_plan_max_burst_covers_sack_freq(void **state)
{
    struct transport_tuning tu = { .sack_freq = 8 };
    struct transport_config cfg;
    struct sctp_plan p;

    (void)state;
    assert_int_equal(sctp_plan_max_burst(0), 0);
    assert_int_equal(sctp_plan_max_burst(2), 0);
    assert_int_equal(sctp_plan_max_burst(SCTP_PLAN_STACK_MAX_BURST), 0);
    assert_int_equal(sctp_plan_max_burst(5), 0);
    assert_int_equal(sctp_plan_max_burst(6), 6);
    assert_int_equal(sctp_plan_max_burst(100), 100);
    sctp_plan_tuning(&tu, &p);
    assert_int_equal(p.max_burst, 8);
    tu.sack_freq = 0;
    tu.sack_delay_ms = 20;
    sctp_plan_tuning(&tu, &p);
    assert_int_equal(p.max_burst, 0);
    memset(&cfg, 0, sizeof(cfg));
    cfg.sack_freq = 7;
    sctp_plan_make(&cfg, 10, &p);
    assert_int_equal(p.max_burst, 7);
    cfg.sack_freq = 0;
    sctp_plan_make(&cfg, 10, &p);
    assert_int_equal(p.max_burst, 0);
}

static void test_sctp_plan_rto(void **state)
{
    struct transport_config cfg;
    struct transport_rto r;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    /* the stacks' defaults 1000/60000 (initial 3000): initial becomes 1 s */
    sctp_plan_rto(&cfg, 1000, 60000, &r);
    assert_int_equal(r.min_ms, 1000);
    assert_int_equal(r.max_ms, 60000);
    assert_int_equal(r.initial_ms, TRANSPORT_RTO_INITIAL_MS);
    /* --rto-max 500 alone pulls min and initial down to it */
    cfg.rto_max_ms = 500;
    sctp_plan_rto(&cfg, 1000, 60000, &r);
    assert_int_equal(r.min_ms, 500);
    assert_int_equal(r.max_ms, 500);
    assert_int_equal(r.initial_ms, 500);
    /* --rto-initial 100 --rto-max 200 moves min to include it */
    cfg.rto_max_ms = 200;
    cfg.rto_initial_ms = 100;
    sctp_plan_rto(&cfg, 1000, 60000, &r);
    assert_int_equal(r.min_ms, 100);
    assert_int_equal(r.max_ms, 200);
    assert_int_equal(r.initial_ms, 100);
    /* --rto-min 2000 alone lifts max and initial up to it */
    memset(&cfg, 0, sizeof(cfg));
    cfg.rto_min_ms = 2000;
    sctp_plan_rto(&cfg, 1000, 1500, &r);
    assert_int_equal(r.min_ms, 2000);
    assert_int_equal(r.max_ms, 2000);
    assert_int_equal(r.initial_ms, 2000);
}

static void test_sctp_plan_fail_wording(void **state)
{
    char err[128];

    (void)state;
    assert_int_equal(
        sctp_plan_fail(err, sizeof(err), "setsockopt(SCTP_RTOINFO)", EINVAL),
        -EINVAL);
    assert_string_equal(err, "setsockopt(SCTP_RTOINFO): Invalid argument");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sctp_plan_defaults),
        cmocka_unit_test(test_sctp_plan_given_values),
        cmocka_unit_test(test_sctp_plan_sack_keeps_what_is_not_given),
        cmocka_unit_test(test_sctp_plan_max_burst_covers_sack_freq),
        cmocka_unit_test(test_sctp_plan_rto),
        cmocka_unit_test(test_sctp_plan_fail_wording),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
