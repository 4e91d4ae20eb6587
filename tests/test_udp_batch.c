/* tests/test_udp_batch.c - batched UDP output keeps datagram boundaries,
 * order and peers, with GSO and without. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#include "udp_batch.h"

struct pair {
    int tx;
    int rx;
    struct sockaddr_in rx_addr;
    struct udp_batch b;
};

static int setup(void **state)
{
    static struct pair p;
    socklen_t len = sizeof(p.rx_addr);
    struct timeval tv = { 2, 0 };
    int big = 4 * 1024 * 1024;

    p.tx = socket(AF_INET, SOCK_DGRAM, 0);
    p.rx = socket(AF_INET, SOCK_DGRAM, 0);
    if (p.tx < 0 || p.rx < 0)
        return -1;
    memset(&p.rx_addr, 0, sizeof(p.rx_addr));
    p.rx_addr.sin_family = AF_INET;
    p.rx_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(p.rx, (struct sockaddr *)&p.rx_addr, sizeof(p.rx_addr)) < 0 ||
        getsockname(p.rx, (struct sockaddr *)&p.rx_addr, &len) < 0)
        return -1;
    setsockopt(p.rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(p.rx, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
    *state = &p;
    return 0;
}

static int teardown(void **state)
{
    struct pair *p = *state;

    close(p->tx);
    close(p->rx);
    return 0;
}

/* Datagram i of a run: length len, every byte i. */
static void add(struct pair *p, int i, size_t len)
{
    unsigned char buf[2000];

    memset(buf, i, len);
    udp_batch_add(&p->b, (struct sockaddr *)&p->rx_addr, sizeof(p->rx_addr),
                  buf, len);
}

static void expect(struct pair *p, int i, size_t len)
{
    unsigned char buf[70000];
    ssize_t n = recv(p->rx, buf, sizeof(buf), 0);
    size_t k;

    assert_int_equal(n, (ssize_t)len);
    for (k = 0; k < len; k++)
        assert_int_equal(buf[k], (unsigned char)i);
}

static void run_mixed(struct pair *p, bool gso)
{
    int i;

    udp_batch_init(&p->b, p->tx, gso);
    /* A run of 50 equal datagrams, a short one ending it, then a run of
     * another size, each kept apart and in order. */
    for (i = 0; i < 50; i++)
        add(p, i, 1472);
    add(p, 50, 100);
    for (i = 51; i < 60; i++)
        add(p, i, 700);
    udp_batch_flush(&p->b);
    for (i = 0; i < 50; i++)
        expect(p, i, 1472);
    expect(p, 50, 100);
    for (i = 51; i < 60; i++)
        expect(p, i, 700);
    assert_int_equal(p->b.stats.datagrams, 60);
    assert_int_equal(p->b.stats.errors, 0);
}

static void test_udp_batch_gso_keeps_boundaries(void **state)
{
    struct pair *p = *state;

    run_mixed(p, true);
    /* With GSO (on any kernel since 4.18) far fewer calls than datagrams. */
    if (p->b.gso)
        assert_true(p->b.stats.syscalls < 10);
}

static void test_udp_batch_plain_sends_each(void **state)
{
    struct pair *p = *state;

    run_mixed(p, false);
    assert_int_equal(p->b.stats.syscalls, 60);
}

/* More than 64 segments or 64 KiB splits into several runs. */
static void test_udp_batch_splits_long_runs(void **state)
{
    struct pair *p = *state;
    int i;

    udp_batch_init(&p->b, p->tx, true);
    for (i = 0; i < 150; i++)
        add(p, i, 1000);
    udp_batch_flush(&p->b);
    for (i = 0; i < 150; i++)
        expect(p, i, 1000);
    assert_int_equal(p->b.stats.datagrams, 150);
}

/* A destination this IPv4 socket cannot send to: every send fails. */
static int add_unsendable(struct pair *p)
{
    struct sockaddr_in6 bad;
    unsigned char buf[100];

    memset(&bad, 0, sizeof(bad));
    bad.sin6_family = AF_INET6;
    bad.sin6_port = htons(9);
    memset(buf, 0, sizeof(buf));
    return udp_batch_add(&p->b, (struct sockaddr *)&bad, sizeof(bad), buf,
                         sizeof(buf));
}

/* A datagram sent on its own reports its failure to the caller (usrsctp
 * then keeps the chunks and sends them again). */
static void test_udp_batch_reports_direct_failure(void **state)
{
    struct pair *p = *state;

    udp_batch_init(&p->b, p->tx, false);
    assert_int_not_equal(add_unsendable(p), 0);
    assert_int_equal(p->b.stats.errors, 1);
    add(p, 3, 300);
    expect(p, 3, 300);
}

/* A failed batch cannot report; after it, datagrams go out one by one at
 * once, so that the next failure is reported. */
static void test_udp_batch_direct_after_failure(void **state)
{
    struct pair *p = *state;
    unsigned char buf[16];

    udp_batch_init(&p->b, p->tx, true);
    assert_int_equal(add_unsendable(p), 0); /* batched: nothing known yet */
    udp_batch_flush(&p->b);
    assert_int_equal(p->b.stats.batch_failures, 1);
    /* now sent at once, before any flush */
    add(p, 5, 400);
    expect(p, 5, 400);
    assert_int_not_equal(add_unsendable(p), 0);
    assert_int_equal(recv(p->rx, buf, sizeof(buf), MSG_DONTWAIT), -1);
    assert_int_equal(p->b.stats.batch_failures, 1);
}

/* Nothing is sent before a flush, and a flush of nothing sends nothing. */
static void test_udp_batch_waits_for_flush(void **state)
{
    struct pair *p = *state;
    unsigned char buf[16];

    udp_batch_init(&p->b, p->tx, true);
    udp_batch_flush(&p->b);
    add(p, 7, 500);
    assert_int_equal(recv(p->rx, buf, sizeof(buf), MSG_DONTWAIT), -1);
    assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
    udp_batch_flush(&p->b);
    expect(p, 7, 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_udp_batch_gso_keeps_boundaries),
        cmocka_unit_test(test_udp_batch_plain_sends_each),
        cmocka_unit_test(test_udp_batch_splits_long_runs),
        cmocka_unit_test(test_udp_batch_waits_for_flush),
        cmocka_unit_test(test_udp_batch_reports_direct_failure),
        cmocka_unit_test(test_udp_batch_direct_after_failure),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
