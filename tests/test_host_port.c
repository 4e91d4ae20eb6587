/* tests/test_host_port.c - HOST, HOST:PORT, [IPV6], [IPV6]:PORT. */
#include <errno.h>
#include <string.h>

#include "support.h"

#include "host_port.h"

static char host[64];
static uint16_t port;

/* Split arg, expecting success with this host and port (0 = none). */
static void assert_split(const char *arg, const char *want_host,
                         uint16_t want_port)
{
    memset(host, 'x', sizeof(host));
    port = 12345;
    if (host_port_split(arg, host, sizeof(host), &port) != 0)
        fail_msg("'%s' was refused", arg);
    assert_string_equal(host, want_host);
    assert_int_equal(port, want_port);
}

/* Split arg, expecting rc and host and port untouched. */
static void assert_refused(const char *arg, int rc)
{
    strcpy(host, "untouched");
    port = 12345;
    assert_int_equal(host_port_split(arg, host, sizeof(host), &port), rc);
    assert_string_equal(host, "untouched");
    assert_int_equal(port, 12345);
}

static void test_host_port_plain_hosts(void **state)
{
    (void)state;
    assert_split("198.18.0.2", "198.18.0.2", 0);
    assert_split("example.net", "example.net", 0);
    assert_split("h", "h", 0);
}

static void test_host_port_with_port(void **state)
{
    (void)state;
    assert_split("127.0.0.1:5201", "127.0.0.1", 5201);
    assert_split("example.net:1", "example.net", 1);
    assert_split("h:65535", "h", 65535);
}

/* Two or more colons without brackets: an IPv6 address, not host:port. */
static void test_host_port_bare_ipv6(void **state)
{
    (void)state;
    assert_split("::1", "::1", 0);
    assert_split("2001:db8::1", "2001:db8::1", 0);
    assert_split("2001:db8::5201", "2001:db8::5201", 0);
    assert_split("fe80::1%eth0", "fe80::1%eth0", 0);
    assert_split("::ffff:198.18.0.2", "::ffff:198.18.0.2", 0);
}

static void test_host_port_brackets(void **state)
{
    (void)state;
    assert_split("[::1]", "::1", 0);
    assert_split("[::1]:5201", "::1", 5201);
    assert_split("[2001:db8::1]:9", "2001:db8::1", 9);
    assert_split("[fe80::1%eth0]:5201", "fe80::1%eth0", 5201);
    assert_split("[198.18.0.2]:7", "198.18.0.2", 7);
}

static void test_host_port_bad_shapes(void **state)
{
    (void)state;
    assert_refused("", -EINVAL);
    assert_refused(":5201", -EINVAL);
    assert_refused("[", -EINVAL);
    assert_refused("[]", -EINVAL);
    assert_refused("[]:5201", -EINVAL);
    assert_refused("[::1", -EINVAL);
    assert_refused("[::1]x", -EINVAL);
    assert_refused("[::1]]", -EINVAL);
    assert_refused("[::1]5201", -EINVAL);
    assert_refused("::1]", -EINVAL);
    assert_refused("a[b", -EINVAL);
    assert_refused("[[::1]]:5", -EINVAL);
}

static void test_host_port_bad_ports(void **state)
{
    (void)state;
    assert_refused("h:", -ERANGE);
    assert_refused("h:0", -ERANGE);
    assert_refused("h:65536", -ERANGE);
    assert_refused("h:http", -ERANGE);
    assert_refused("h:-1", -ERANGE);
    assert_refused("[::1]:", -ERANGE);
    assert_refused("[::1]:0", -ERANGE);
    assert_refused("[::1]:5201x", -ERANGE);
}

static void test_host_port_too_long(void **state)
{
    char small[4];
    uint16_t p = 0;

    (void)state;
    assert_int_equal(host_port_split("abcd", small, sizeof(small), &p),
                     -ENAMETOOLONG);
    assert_int_equal(host_port_split("abc:5", small, sizeof(small), &p), 0);
    assert_string_equal(small, "abc");
    assert_int_equal(p, 5);
    assert_int_equal(host_port_split("[::12]", small, sizeof(small), &p),
                     -ENAMETOOLONG);
}

static void test_host_port_strerror(void **state)
{
    (void)state;
    assert_string_equal(host_port_strerror(-EINVAL),
                        "is not HOST, HOST:PORT, [IPV6] or [IPV6]:PORT");
    assert_string_equal(host_port_strerror(-ERANGE),
                        "has a port that is not 1-65535");
    assert_string_equal(host_port_strerror(-ENAMETOOLONG),
                        "is too long for a host name");
}

/* The first of a list, and whether more followed. */
static void test_host_port_split_first(void **state)
{
    bool more = true;

    (void)state;
    assert_int_equal(
        host_port_split_first("[::1]:5201", host, sizeof(host), &port, &more),
        0);
    assert_string_equal(host, "::1");
    assert_int_equal(port, 5201);
    assert_false(more);
    assert_int_equal(
        host_port_split_first("a:7,b,c", host, sizeof(host), &port, &more), 0);
    assert_string_equal(host, "a");
    assert_int_equal(port, 7);
    assert_true(more);
    assert_int_equal(
        host_port_split_first(",b", host, sizeof(host), &port, &more), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_port_split_first),
        cmocka_unit_test(test_host_port_plain_hosts),
        cmocka_unit_test(test_host_port_with_port),
        cmocka_unit_test(test_host_port_bare_ipv6),
        cmocka_unit_test(test_host_port_brackets),
        cmocka_unit_test(test_host_port_bad_shapes),
        cmocka_unit_test(test_host_port_bad_ports),
        cmocka_unit_test(test_host_port_too_long),
        cmocka_unit_test(test_host_port_strerror),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
