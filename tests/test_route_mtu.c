/* tests/test_route_mtu.c - SCTP path MTU from the route's IP MTU. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "support.h"

#include "route_mtu.h"

static void test_route_mtu_ethernet(void **state)
{
    (void)state;
    /* 1500 - 20 (IPv4) - 8 (UDP) - 12 (SCTP common header) */
    assert_int_equal(route_mtu_sctp_pathmtu(AF_INET, 1500), 1460);
    /* 1500 - 40 - 8 - 12 */
    assert_int_equal(route_mtu_sctp_pathmtu(AF_INET6, 1500), 1440);
}

static void test_route_mtu_vxlan_overlay(void **state)
{
    (void)state;
    /* Docker overlay: 1450 - 40 = 1410, rounded down to 4 bytes: 1408. */
    assert_int_equal(route_mtu_sctp_pathmtu(AF_INET, 1450), 1408);
}

/* Loopback's 65536 is capped by the largest UDP datagram. */
static void test_route_mtu_loopback_capped(void **state)
{
    (void)state;
    /* IPv4: UDP payload at most 65507, minus 12, down to 4: 65492. */
    assert_int_equal(route_mtu_sctp_pathmtu(AF_INET, 65536), 65492);
    /* IPv6: 65536 - 40 - 8 - 12 = 65476. */
    assert_int_equal(route_mtu_sctp_pathmtu(AF_INET6, 65536), 65476);
}

static void test_route_mtu_too_small(void **state)
{
    (void)state;
    assert_int_equal(route_mtu_sctp_pathmtu(AF_INET, 40), 0);
    assert_int_equal(route_mtu_sctp_pathmtu(AF_INET, 500), 0);
    assert_int_equal(route_mtu_sctp_pathmtu(AF_INET, 552), 512);
}

static void test_route_mtu_probe_loopback(void **state)
{
    struct sockaddr_in sa;
    int mtu;

    (void)state;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(9);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    mtu = route_mtu_probe((struct sockaddr *)&sa, sizeof(sa));
    if (mtu == -ENETUNREACH)
        skip(); /* no loopback route in this sandbox */
    assert_true(mtu >= 1280);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_mtu_ethernet),
        cmocka_unit_test(test_route_mtu_vxlan_overlay),
        cmocka_unit_test(test_route_mtu_loopback_capped),
        cmocka_unit_test(test_route_mtu_too_small),
        cmocka_unit_test(test_route_mtu_probe_loopback),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
