/* tests/test_route_mtu.c - SCTP path MTU from the route's IP MTU, and the
 * probe that reads a route's MTU, on a loopback of the test's own. */
#define _GNU_SOURCE /* unshare */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

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

/*
 * The probe needs a loopback it may change: this process moves into a
 * network namespace of its own (as root; CI runs unit tests as root) and
 * brings its lo up there, so the host's interfaces are never touched.
 * Where that is impossible the probe tests cannot run: a skip, said on
 * stderr, but under CI (CI=true or SCTPU_NO_SKIP=1) a failure, so that a
 * green CI run has really probed.
 */
static bool must_not_skip(void)
{
    const char *ci = getenv("CI");
    const char *no_skip = getenv("SCTPU_NO_SKIP");

    return (ci != NULL && strcmp(ci, "true") == 0) ||
           (no_skip != NULL && strcmp(no_skip, "1") == 0);
}

/* lo's flags (up) and MTU; 0 or -errno. */
static int lo_set(int mtu)
{
    struct ifreq ifr;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int rc = 0;

    if (fd < 0)
        return -errno;
    memset(&ifr, 0, sizeof(ifr));
    strcpy(ifr.ifr_name, "lo");
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
        rc = -errno;
    ifr.ifr_flags |= IFF_UP;
    if (rc == 0 && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
        rc = -errno;
    ifr.ifr_mtu = mtu;
    if (rc == 0 && mtu > 0 && ioctl(fd, SIOCSIFMTU, &ifr) < 0)
        rc = -errno;
    close(fd);
    return rc;
}

static bool netns_ready; /* this process has its own netns, lo up */
static int netns_error;  /* else why not (-errno) */

/* Group setup: the network namespace, once, for every probe test. */
static int own_netns(void **state)
{
    (void)state;
    if (unshare(CLONE_NEWNET) < 0)
        netns_error = -errno;
    else
        netns_error = lo_set(0);
    netns_ready = netns_error == 0;
    return 0;
}

/* In each probe test: go on, or skip (said why), or under CI fail. */
#define REQUIRE_NETNS()                                                        \
    do {                                                                       \
        if (!netns_ready) {                                                    \
            if (must_not_skip())                                               \
                fail_msg("no network namespace of its own (%s; needs "         \
                         "root), and CI=true or SCTPU_NO_SKIP=1 forbids "      \
                         "skipping",                                           \
                         strerror(-netns_error));                              \
            fprintf(stderr,                                                    \
                    "SKIP: no network namespace of its own (%s; needs "        \
                    "root)\n",                                                 \
                    strerror(-netns_error));                                   \
            skip();                                                            \
        }                                                                      \
    } while (0)

static int probe4(void)
{
    struct sockaddr_in sa;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(9);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return route_mtu_probe((struct sockaddr *)&sa, sizeof(sa));
}

/* A fresh loopback has a 65536-byte MTU; the kernel caps a route's MTU at
 * the largest IPv4 packet (IP_MAX_MTU, 65535), and the probe reads that. */
static void test_route_mtu_probe_loopback(void **state)
{
    (void)state;
    REQUIRE_NETNS();
    assert_int_equal(probe4(), 65535);
    assert_int_equal(route_mtu_sctp_pathmtu(AF_INET, (uint32_t)probe4()),
                     65492);
}

/* The probe follows the interface: lo set to 9000 reads 9000, and back. */
static void test_route_mtu_probe_follows_interface(void **state)
{
    (void)state;
    REQUIRE_NETNS();
    assert_int_equal(lo_set(9000), 0);
    assert_int_equal(probe4(), 9000);
    assert_int_equal(route_mtu_sctp_pathmtu(AF_INET, 9000), 8960);
    assert_int_equal(lo_set(65536), 0);
    assert_int_equal(probe4(), 65535);
}

/* No route (127/8 is the only one with lo down): a negative errno. */
static void test_route_mtu_probe_no_route(void **state)
{
    struct sockaddr_in sa;

    (void)state;
    REQUIRE_NETNS();
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(9);
    sa.sin_addr.s_addr = inet_addr("198.18.0.1");
    assert_int_equal(route_mtu_probe((struct sockaddr *)&sa, sizeof(sa)),
                     -ENETUNREACH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_mtu_ethernet),
        cmocka_unit_test(test_route_mtu_vxlan_overlay),
        cmocka_unit_test(test_route_mtu_loopback_capped),
        cmocka_unit_test(test_route_mtu_too_small),
        cmocka_unit_test(test_route_mtu_probe_loopback),
        cmocka_unit_test(test_route_mtu_probe_follows_interface),
        cmocka_unit_test(test_route_mtu_probe_no_route),
    };

    return cmocka_run_group_tests(tests, own_netns, NULL);
}
