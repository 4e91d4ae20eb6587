/* tests/test_udp_icmp.c - ICMP port unreachable for a datagram we sent is
 * read back with its destination and quote, and only a quoted INIT (tag 0,
 * INIT chunk) yields an Initiate Tag. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#include "udp_icmp.h"

/* An SCTP packet: common header with vtag, then a chunk of type, and an
 * Initiate Tag-sized word. */
static size_t packet(uint8_t *buf, uint32_t vtag, uint8_t type, uint32_t tag)
{
    memset(buf, 0, 24);
    buf[0] = 0x13; /* ports, unchecked */
    buf[4] = (uint8_t)(vtag >> 24);
    buf[7] = (uint8_t)vtag;
    buf[12] = type;
    buf[15] = 20;
    buf[16] = (uint8_t)(tag >> 24);
    buf[17] = (uint8_t)(tag >> 16);
    buf[18] = (uint8_t)(tag >> 8);
    buf[19] = (uint8_t)tag;
    return 24;
}

static void test_quoted_init_tag(void **state)
{
    struct udp_icmp_error e;
    uint32_t tag = 0;

    (void)state;
    memset(&e, 0, sizeof(e));
    e.quote_len = packet(e.quote, 0, 1, 0xdeadbeef);
    assert_true(udp_icmp_quoted_init_tag(&e, &tag));
    assert_int_equal(tag, 0xdeadbeef);
    e.quote_len = packet(e.quote, 7, 1, 0xdeadbeef); /* not tag 0 */
    assert_false(udp_icmp_quoted_init_tag(&e, &tag));
    e.quote_len = packet(e.quote, 0, 0, 0xdeadbeef); /* DATA, not INIT */
    assert_false(udp_icmp_quoted_init_tag(&e, &tag));
    e.quote_len = packet(e.quote, 0, 1, 0xdeadbeef) - 5; /* cut short */
    assert_false(udp_icmp_quoted_init_tag(&e, &tag));
}

/* The kernel's own answer: a datagram to a closed loopback port. */
static void test_port_unreachable_from_the_kernel(void **state)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int probe = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in dst;
    socklen_t len = sizeof(dst);
    struct udp_icmp_error e;
    struct pollfd pfd;
    uint8_t pkt[24];
    uint32_t tag = 0;
    int rc = 0;
    int i;

    (void)state;
    assert_true(fd >= 0 && probe >= 0);
    /* a port that was free a moment ago: bind, learn it, close */
    memset(&dst, 0, sizeof(dst));
    dst.sin_family = AF_INET;
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(probe, (struct sockaddr *)&dst, sizeof(dst)), 0);
    assert_int_equal(getsockname(probe, (struct sockaddr *)&dst, &len), 0);
    close(probe);
    udp_icmp_enable(fd, AF_INET);
    assert_int_equal(udp_icmp_read(fd, &e), 0); /* nothing queued yet */
    assert_true(sendto(fd, pkt, packet(pkt, 0, 1, 0x01020304), 0,
                       (struct sockaddr *)&dst, sizeof(dst)) > 0);
    pfd.fd = fd;
    pfd.events = 0; /* POLLERR is always reported */
    for (i = 0; i < 100 && rc == 0; i++) {
        poll(&pfd, 1, 20);
        rc = udp_icmp_read(fd, &e);
    }
    assert_int_equal(rc, 1);
    assert_true(e.port_unreachable);
    assert_int_equal(e.err, ECONNREFUSED);
    assert_int_equal(((struct sockaddr_in *)&e.dst)->sin_port, dst.sin_port);
    assert_true(udp_icmp_quoted_init_tag(&e, &tag));
    assert_int_equal(tag, 0x01020304);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoted_init_tag),
        cmocka_unit_test(test_port_unreachable_from_the_kernel),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
