/*
 * test_transport_kernel_util.c - the kernel backend's pure helpers: the
 * no-SCTP errno, the net.sctp.udp_port plan, /proc/net/sctp/snmp parsing,
 * path MTU and PR-SCTP policy mapping (RTO bounds: test_sctp_plan.c).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "support.h"
#include "transport_kernel_util.h"

static void test_transport_kernel_no_sctp_errnos(void **state)
{
    (void)state;
    assert_true(transport_kernel_no_sctp(EPROTONOSUPPORT));
    assert_true(transport_kernel_no_sctp(ESOCKTNOSUPPORT));
    assert_false(transport_kernel_no_sctp(EAFNOSUPPORT));
    assert_false(transport_kernel_no_sctp(EMFILE));
}

static void test_transport_kernel_encap_plan_root_sets_zero(void **state)
{
    uint16_t port = 0;
    char err[256] = "";

    (void)state;
    assert_int_equal(
        transport_kernel_encap_plan(0, 0, true, &port, err, sizeof(err)), 1);
    assert_int_equal(port, 9899);
    assert_int_equal(
        transport_kernel_encap_plan(0, 9000, true, &port, err, sizeof(err)), 1);
    assert_int_equal(port, 9000);
}

static void test_transport_kernel_encap_plan_user_told_sysctl(void **state)
{
    uint16_t port = 0;
    char err[256] = "";

    (void)state;
    assert_int_equal(
        transport_kernel_encap_plan(0, 0, false, &port, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "sysctl -w net.sctp.udp_port=9899"));
    assert_int_equal(port, 0);
}

static void test_transport_kernel_encap_plan_mismatch(void **state)
{
    uint16_t port = 0;
    char err[256] = "";

    (void)state;
    /* set already: fine for "any port" and for the same port */
    assert_int_equal(
        transport_kernel_encap_plan(9899, 0, false, &port, err, sizeof(err)),
        0);
    assert_int_equal(
        transport_kernel_encap_plan(9899, 9899, true, &port, err, sizeof(err)),
        0);
    /* another port: never rewritten under other users, even by root */
    assert_int_equal(
        transport_kernel_encap_plan(9899, 9000, true, &port, err, sizeof(err)),
        -1);
    assert_non_null(strstr(err, "sysctl -w net.sctp.udp_port=9000"));
    assert_int_equal(port, 0);
}

static void test_transport_kernel_encap_plan_old_kernel(void **state)
{
    uint16_t port = 0;
    char err[256] = "";

    (void)state;
    assert_int_equal(
        transport_kernel_encap_plan(-1, 0, true, &port, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "Linux >= 5.11"));
}

static void test_transport_kernel_snmp_value(void **state)
{
    static const char text[] = "SctpCurrEstab                   \t2\n"
                               "SctpT3RtxExpireds               \t17\n"
                               "SctpT3Retransmits               \t40\n"
                               "SctpBad                         \tx\n";
    uint64_t v = 0;

    (void)state;
    assert_int_equal(transport_kernel_snmp_value(text, "SctpT3RtxExpireds", &v),
                     0);
    assert_int_equal(v, 17);
    /* a prefix of a longer name is not the name */
    assert_int_equal(transport_kernel_snmp_value(text, "SctpT3", &v), -ENOENT);
    assert_int_equal(transport_kernel_snmp_value(text, "SctpBad", &v), -ENOENT);
    assert_int_equal(transport_kernel_snmp_value("", "SctpCurrEstab", &v),
                     -ENOENT);
}

static void test_transport_kernel_pathmtu_and_pr(void **state)
{
    (void)state;
    assert_int_equal(transport_kernel_sctp_pathmtu(AF_INET, 1500, false), 1468);
    assert_int_equal(transport_kernel_sctp_pathmtu(AF_INET, 1500, true), 1460);
    assert_int_equal(transport_kernel_sctp_pathmtu(AF_INET6, 1500, true), 1440);
    assert_int_equal(transport_kernel_sctp_pathmtu(AF_INET6, 40, false), 0);
    assert_int_equal(transport_kernel_pr_policy(0), 0);
    assert_int_equal(transport_kernel_pr_policy(1), 0x0010);
    assert_int_equal(transport_kernel_pr_policy(2), 0x0020);
    assert_int_equal(transport_kernel_pr_policy(3), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transport_kernel_no_sctp_errnos),
        cmocka_unit_test(test_transport_kernel_encap_plan_root_sets_zero),
        cmocka_unit_test(test_transport_kernel_encap_plan_user_told_sysctl),
        cmocka_unit_test(test_transport_kernel_encap_plan_mismatch),
        cmocka_unit_test(test_transport_kernel_encap_plan_old_kernel),
        cmocka_unit_test(test_transport_kernel_snmp_value),
        cmocka_unit_test(test_transport_kernel_pathmtu_and_pr),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
