/* tests/test_netaddr.c - when sctpu says a NAT translated us. */
#include "support.h"

#include "netaddr.h"

static void test_netaddr_translated(void **state)
{
    (void)state;
    assert_false(netaddr_translated("127.0.0.1:4000", "127.0.0.1:4000"));
    assert_true(netaddr_translated("198.18.3.2:4000", "198.18.10.1:4000"));
    assert_true(netaddr_translated("[::1]:4000", "[::1]:4001"));
    /* nothing reported, or no endpoint of ours to compare with (a kernel
     * SCTP socket over IP): no claim */
    assert_false(netaddr_translated("127.0.0.1:4000", NULL));
    assert_false(netaddr_translated("127.0.0.1:4000", ""));
    assert_false(netaddr_translated(NULL, "127.0.0.1:4000"));
    assert_false(
        netaddr_translated("0.0.0.0 (none: kernel SCTP over IP)", "127.0.0.1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_netaddr_translated),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
