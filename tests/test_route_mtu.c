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

static int fake_calls;

static int fake_probe(const struct sockaddr *dst, socklen_t len)
{
    (void)len;
    fake_calls++;
    return dst->sa_family == AF_INET6 ? 1280 : 1500;
}

static struct sockaddr_in v4_at(const char *ip, uint16_t port)
{
    struct sockaddr_in sa;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = inet_addr(ip);
    return sa;
}

/* One probe per address, whatever the port, until the entry expires. */
static void test_route_mtu_cache_per_address(void **state)
{
    static struct route_mtu_cache c;
    struct sockaddr_in a1 = v4_at("198.18.0.1", 1000);
    struct sockaddr_in a2 = v4_at("198.18.0.1", 2000);
    struct sockaddr_in b = v4_at("198.18.0.2", 1000);
    struct sockaddr_in6 v6;
    int i;

    (void)state;
    route_mtu_cache_init(&c);
    c.probe = fake_probe;
    fake_calls = 0;
    for (i = 0; i < 1000; i++) {
        assert_int_equal(
            route_mtu_cached(&c, (struct sockaddr *)&a1, sizeof(a1), 5), 1500);
        assert_int_equal(
            route_mtu_cached(&c, (struct sockaddr *)&a2, sizeof(a2), 6), 1500);
    }
    assert_int_equal(fake_calls, 1);
    assert_int_equal(route_mtu_cached(&c, (struct sockaddr *)&b, sizeof(b), 7),
                     1500);
    assert_int_equal(fake_calls, 2);
    memset(&v6, 0, sizeof(v6));
    v6.sin6_family = AF_INET6;
    v6.sin6_addr.s6_addr[15] = 1;
    assert_int_equal(
        route_mtu_cached(&c, (struct sockaddr *)&v6, sizeof(v6), 7), 1280);
    assert_int_equal(fake_calls, 3);
    /* expired: asked again */
    assert_int_equal(route_mtu_cached(&c, (struct sockaddr *)&a1, sizeof(a1),
                                      5 + ROUTE_MTU_CACHE_MS),
                     1500);
    assert_int_equal(fake_calls, 4);
    assert_int_equal(c.probes, 4);
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
        cmocka_unit_test(test_route_mtu_cache_per_address),
    };

    return cmocka_run_group_tests(tests, own_netns, NULL);
}
