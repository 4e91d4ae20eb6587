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

/* A list: each element split, ports agreeing, joined back as it was. */
static void test_host_list_parse(void **state)
{
    struct host_list l;
    char joined[128];

    (void)state;
    assert_int_equal(host_list_parse("198.18.42.2", &l), 0);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.host[0], "198.18.42.2");
    assert_int_equal(l.port, 0);

    assert_int_equal(host_list_parse("198.18.42.2:5201,198.18.43.2", &l), 0);
    assert_int_equal(l.count, 2);
    assert_string_equal(l.host[0], "198.18.42.2");
    assert_string_equal(l.host[1], "198.18.43.2");
    assert_int_equal(l.port, 5201);

    assert_int_equal(host_list_parse("[2001:db8::1]:7,2001:db8::2,[::1]", &l),
                     0);
    assert_int_equal(l.count, 3);
    assert_string_equal(l.host[0], "2001:db8::1");
    assert_string_equal(l.host[1], "2001:db8::2");
    assert_string_equal(l.host[2], "::1");
    assert_int_equal(l.port, 7);
    assert_int_equal(host_list_join(&l, joined, sizeof(joined)), 0);
    assert_string_equal(joined, "2001:db8::1,2001:db8::2,::1");
    /* the joined form reads back the same hosts */
    assert_int_equal(host_list_parse(joined, &l), 0);
    assert_int_equal(l.count, 3);
    assert_string_equal(l.host[1], "2001:db8::2");
    assert_int_equal(l.port, 0);

    assert_int_equal(host_list_parse("a,b,c,d,e,f,g,h", &l), 0);
    assert_int_equal(l.count, 8);
    assert_string_equal(l.host[7], "h");
}

static void test_host_list_refused(void **state)
{
    struct host_list l;
    char small[8];

    (void)state;
    assert_int_equal(host_list_parse("a,b,c,d,e,f,g,h,i", &l), -E2BIG);
    assert_int_equal(host_list_parse("h1:5201,h2:5202", &l), -EDOM);
    assert_int_equal(host_list_parse("h1,", &l), -EINVAL);
    assert_int_equal(host_list_parse(",h2", &l), -EINVAL);
    assert_int_equal(host_list_parse("", &l), -EINVAL);
    assert_int_equal(host_list_parse("h1,h2:0", &l), -ERANGE);
    assert_int_equal(host_list_parse("h1,[::1", &l), -EINVAL);
    assert_string_equal(host_port_strerror(-E2BIG),
                        "has more than 8 addresses");
    assert_string_equal(host_port_strerror(-EDOM),
                        "names different ports: give one");
    assert_int_equal(host_list_parse("198.18.42.2,198.18.43.2", &l), 0);
    assert_int_equal(host_list_join(&l, small, sizeof(small)), -ENAMETOOLONG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_port_split_first),
        cmocka_unit_test(test_host_list_parse),
        cmocka_unit_test(test_host_list_refused),
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
