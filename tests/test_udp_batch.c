/* tests/test_udp_batch.c - batched UDP output keeps datagram boundaries,
 * order and peers, with GSO and without. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
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

/* Under CI (CI=true or SCTPU_NO_SKIP=1) a test that cannot run fails. */
static bool must_not_skip(void)
{
    const char *ci = getenv("CI");
    const char *no_skip = getenv("SCTPU_NO_SKIP");

    return (ci != NULL && strcmp(ci, "true") == 0) ||
           (no_skip != NULL && strcmp(no_skip, "1") == 0);
}

/* Does this kernel do UDP GSO on loopback? Two segments to a socket of
 * the probe's own, with one sendmsg; 0 or the errno it failed with. */
static int gso_probe(void)
{
    union {
        char buf[CMSG_SPACE(sizeof(uint16_t))];
        struct cmsghdr align;
    } ctl;
    struct sockaddr_in to;
    socklen_t len = sizeof(to);
    unsigned char data[200] = { 0 };
    struct iovec iov = { data, sizeof(data) };
    struct msghdr msg;
    struct cmsghdr *cm;
    uint16_t seg = 100;
    int tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int err = 0;

    memset(&to, 0, sizeof(to));
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (tx < 0 || rx < 0 || bind(rx, (struct sockaddr *)&to, len) < 0 ||
        getsockname(rx, (struct sockaddr *)&to, &len) < 0)
        err = errno;
    memset(&msg, 0, sizeof(msg));
    memset(&ctl, 0, sizeof(ctl));
    msg.msg_name = &to;
    msg.msg_namelen = sizeof(to);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl.buf;
    msg.msg_controllen = sizeof(ctl.buf);
    cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_UDP;
    cm->cmsg_type = UDP_SEGMENT;
    cm->cmsg_len = CMSG_LEN(sizeof(seg));
    memcpy(CMSG_DATA(cm), &seg, sizeof(seg));
    if (err == 0 && sendmsg(tx, &msg, 0) < 0)
        err = errno;
    if (tx >= 0)
        close(tx);
    if (rx >= 0)
        close(rx);
    return err;
}

/* With GSO: the 60 datagrams in exactly 3 calls. 50 x 1472 bytes pass the
 * 65000-byte limit after 44 (64768 bytes); the other 6 and the 100-byte
 * one that ends them are the second run; the nine of 700 the third. */
static void test_udp_batch_gso_keeps_boundaries(void **state)
{
    struct pair *p = *state;
    int err = gso_probe();

    if (err != 0) {
        if (must_not_skip())
            fail_msg("this kernel does no UDP GSO on loopback (%s), and "
                     "CI=true or SCTPU_NO_SKIP=1 forbids skipping",
                     strerror(err));
        fprintf(stderr, "SKIP: no UDP GSO on loopback here (%s)\n",
                strerror(err));
        skip();
    }
    run_mixed(p, true);
    assert_true(p->b.gso);
    assert_int_equal(p->b.stats.syscalls, 3);
    assert_int_equal(p->b.stats.batch_failures, 0);
}

/* A kernel that refuses GSO on this socket: SO_NO_CHECK (no UDP checksum)
 * makes it refuse UDP_SEGMENT with EINVAL, on every kernel that has it.
 * The refused batch goes out one by one, GSO is given up, and everything
 * after goes out alone: 1 refused call, 44 single sends, then 16. */
static void test_udp_batch_gso_refused_falls_back(void **state)
{
    struct pair *p = *state;
    int on = 1;
    int off = 0;

    assert_int_equal(
        setsockopt(p->tx, SOL_SOCKET, SO_NO_CHECK, &on, sizeof(on)), 0);
    run_mixed(p, true);
    assert_int_equal(
        setsockopt(p->tx, SOL_SOCKET, SO_NO_CHECK, &off, sizeof(off)), 0);
    assert_false(p->b.gso);
    assert_int_equal(p->b.stats.syscalls, 1 + 44 + 16);
    assert_int_equal(p->b.stats.batch_failures, 0);
}

static void test_udp_batch_plain_sends_each(void **state)
{
    struct pair *p = *state;

    run_mixed(p, false);
    assert_int_equal(p->b.stats.syscalls, 60);
}

/* More than 64 segments splits into several runs: 150 of 1000 bytes (64
 * of them are 64000 bytes, within the byte limit) go as 64 + 64 + 22, in
 * three calls. (The byte limit splits the mixed run above.) */
static void test_udp_batch_splits_long_runs(void **state)
{
    struct pair *p = *state;
    int i;

    if (gso_probe() != 0) {
        if (must_not_skip())
            fail_msg("no UDP GSO on loopback, and CI=true or "
                     "SCTPU_NO_SKIP=1 forbids skipping");
        fprintf(stderr, "SKIP: no UDP GSO on loopback here\n");
        skip();
    }
    udp_batch_init(&p->b, p->tx, true);
    for (i = 0; i < 150; i++)
        add(p, i, 1000);
    udp_batch_flush(&p->b);
    for (i = 0; i < 150; i++)
        expect(p, i, 1000);
    assert_int_equal(p->b.stats.datagrams, 150);
    assert_true(p->b.gso);
    assert_int_equal(p->b.stats.syscalls, 3);
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

/* A GSO sendmsg that takes batches without sending them (so the kernel's
 * GSO support does not matter), or fails with fake_errno while
 * fake_failures lasts. */
static int fake_calls;
static int fake_failures;
static int fake_errno;

static ssize_t fake_sendmsg(int fd, const struct msghdr *msg, int flags)
{
    (void)fd;
    (void)flags;
    fake_calls++;
    if (fake_failures > 0) {
        fake_failures--;
        errno = fake_errno;
        return -1;
    }
    return (ssize_t)msg->msg_iov[0].iov_len;
}

/* A run of n 100-byte datagrams, flushed; the receiver drained. */
static void run_of(struct pair *p, int n)
{
    unsigned char buf[200];
    int i;

    for (i = 0; i < n; i++)
        add(p, i, 100);
    udp_batch_flush(&p->b);
    while (recv(p->rx, buf, sizeof(buf), MSG_DONTWAIT) > 0)
        ;
}

/* Refused before it ever worked: no GSO on this kernel, for good. */
static void test_udp_batch_gso_never_worked(void **state)
{
    struct pair *p = *state;

    udp_batch_init(&p->b, p->tx, true);
    p->b.gso_sendmsg = fake_sendmsg;
    fake_calls = 0;
    fake_failures = 1;
    fake_errno = ENOPROTOOPT;
    run_of(p, 10);
    assert_false(p->b.gso);
    run_of(p, 10);
    assert_int_equal(fake_calls, 1);
    assert_int_equal(p->b.stats.datagrams, 20); /* each sent alone */
}

/* Refused after it worked (EIO: a device without checksum offload on
 * this batch's route): that batch goes alone, GSO stays, and is tried
 * again after UDP_BATCH_DIRECT_AFTER datagrams. A full buffer (ENOBUFS)
 * never turns it off either. */
static void test_udp_batch_gso_refused_later_retries(void **state)
{
    struct pair *p = *state;
    int sent_alone;

    udp_batch_init(&p->b, p->tx, true);
    p->b.gso_sendmsg = fake_sendmsg;
    fake_calls = 0;
    fake_failures = 0;
    run_of(p, 10);
    assert_int_equal(fake_calls, 1);
    fake_failures = 1;
    fake_errno = EIO;
    run_of(p, 10);
    assert_int_equal(fake_calls, 2);
    assert_true(p->b.gso);
    assert_int_equal(p->b.stats.datagrams, 20);
    assert_int_equal(p->b.stats.batch_failures, 0);
    for (sent_alone = 0; sent_alone < UDP_BATCH_DIRECT_AFTER; sent_alone += 64)
        run_of(p, 64);
    assert_int_equal(fake_calls, 2); /* all went alone */
    run_of(p, 10);
    assert_int_equal(fake_calls, 3); /* GSO again */
    fake_failures = 1;
    fake_errno = ENOBUFS;
    run_of(p, 10);
    assert_true(p->b.gso);
    assert_int_equal(p->b.stats.batch_failures, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_udp_batch_gso_keeps_boundaries),
        cmocka_unit_test(test_udp_batch_gso_refused_falls_back),
        cmocka_unit_test(test_udp_batch_plain_sends_each),
        cmocka_unit_test(test_udp_batch_splits_long_runs),
        cmocka_unit_test(test_udp_batch_waits_for_flush),
        cmocka_unit_test(test_udp_batch_reports_direct_failure),
        cmocka_unit_test(test_udp_batch_direct_after_failure),
        cmocka_unit_test(test_udp_batch_gso_never_worked),
        cmocka_unit_test(test_udp_batch_gso_refused_later_retries),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
