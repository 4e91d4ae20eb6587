/*
 * sctp_flood.c - test only: a flood of SCTP-over-UDP datagrams from many
 * source endpoints, for tests/lab_flood_sources.sh and lab_init_flood.sh.
 *
 * It writes whole IPv4 packets on a raw socket (IPPROTO_RAW, which implies
 * IP_HDRINCL), so one process can speak from ENDPOINTS distinct UDP
 * endpoints: endpoint k is source address SRC + k / 1000, source port
 * 1024 + k % 1000. Datagram i comes from endpoint i % ENDPOINTS. Every
 * datagram but the garbage carries a valid CRC32c (src/crc32c.c), so it
 * passes the server's first check and reaches its peer table:
 *
 *   DATA       random verification tag, one small DATA chunk
 *   HEARTBEAT  random verification tag, a HEARTBEAT with 8 bytes of info
 *   INIT       tag 0, a well-formed INIT (RFC 9260 3.3.2) with a random
 *              non-zero Initiate Tag and initial TSN, no parameters
 *   garbage    half with a wrong CRC32c, half random chunk bytes with a
 *              right one
 *
 * Datagrams go out in sendmmsg batches of BATCH, paced to RATE per second.
 * At the end one line: "sctp_flood: sent N datagrams (...) from E
 * endpoints in S s: R/s". Exit 0 when every datagram was sent, 1 when the
 * kernel refused some, 2 for usage or set-up errors.
 *
 * usage: sctp_flood --dst IP --udp-port N --src IP --endpoints N
 *                   --count N --rate PPS [--sctp-port N] [--init-pct P]
 *                   [--garbage-pct P] [--seed N]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "be_bytes.h"
#include "crc32c.h"

#define BATCH 64
#define PORTS_PER_IP 1000
#define FIRST_PORT 1024
#define IP_HDR 20
#define UDP_HDR 8
#define PKT_MAX 256

enum kind { K_DATA, K_HEARTBEAT, K_INIT, K_GARBAGE, K_COUNT };
static const char *const kind_name[K_COUNT] = { "DATA", "HEARTBEAT", "INIT",
                                                "garbage" };

struct flood {
    struct sockaddr_in dst;
    uint32_t src; /* host order */
    uint16_t sctp_port;
    unsigned long endpoints, count, rate;
    unsigned init_pct, garbage_pct;
    uint64_t rng;
    unsigned long sent[K_COUNT];
};

static uint64_t rnd(struct flood *f)
{
    /* xorshift64*: reproducible from --seed, fast enough for 1 M packets */
    f->rng ^= f->rng >> 12;
    f->rng ^= f->rng << 25;
    f->rng ^= f->rng >> 27;
    return f->rng * 0x2545F4914F6CDD1DULL;
}

static uint32_t rnd32(struct flood *f)
{
    return (uint32_t)(rnd(f) >> 32);
}

static enum kind pick_kind(struct flood *f)
{
    unsigned r = (unsigned)(rnd(f) % 100);

    if (r < f->init_pct)
        return K_INIT;
    if (r < f->init_pct + f->garbage_pct)
        return K_GARBAGE;
    return (r & 1) ? K_DATA : K_HEARTBEAT;
}

/* The SCTP packet (common header and one chunk) at p; returns its length. */
static size_t build_sctp(struct flood *f, enum kind k, uint8_t *p)
{
    size_t len = CRC32C_SCTP_HDR_LEN, i;
    uint8_t *c = p + CRC32C_SCTP_HDR_LEN;

    be16_put(p, (uint16_t)(FIRST_PORT + rnd(f) % 60000));
    be16_put(p + 2, f->sctp_port);
    be32_put(p + 4, k == K_INIT ? 0 : rnd32(f));
    switch (k) {
    case K_DATA: /* flags B|E, TSN, SID 0, SSN, PPID, 8 bytes of payload */
        c[0] = 0;
        c[1] = 0x03;
        be16_put(c + 2, 24);
        be32_put(c + 4, rnd32(f));
        be16_put(c + 8, 0);
        be16_put(c + 10, (uint16_t)rnd(f));
        be32_put(c + 12, 0);
        memcpy(c + 16, "floodmsg", 8);
        len += 24;
        break;
    case K_HEARTBEAT: /* one Heartbeat Info parameter, 8 bytes of info */
        c[0] = 4;
        c[1] = 0;
        be16_put(c + 2, 16);
        be16_put(c + 4, 1);
        be16_put(c + 6, 12);
        be32_put(c + 8, rnd32(f));
        be32_put(c + 12, rnd32(f));
        len += 16;
        break;
    case K_INIT: /* tag, a_rwnd, OS, MIS, initial TSN */
        c[0] = 1;
        c[1] = 0;
        be16_put(c + 2, 20);
        be32_put(c + 4, rnd32(f) | 1u); /* an Initiate Tag is never 0 */
        be32_put(c + 8, 65536);
        be16_put(c + 12, 10);
        be16_put(c + 14, 2048);
        be32_put(c + 16, rnd32(f));
        len += 20;
        break;
    default: /* garbage: random chunk bytes */
        for (i = 0; i < 4 + rnd(f) % 60; i++)
            c[i] = (uint8_t)rnd(f);
        len += i;
        break;
    }
    crc32c_sctp_fill(p, len);
    if (k == K_GARBAGE && (rnd(f) & 1))
        p[8] ^= (uint8_t)(1u << (rnd(f) % 8)); /* a wrong CRC32c */
    return len;
}

/* Datagram number i, whole IPv4 packet, at pkt; returns its length. */
static size_t build_packet(struct flood *f, unsigned long i, uint8_t *pkt)
{
    unsigned long ep = i % f->endpoints;
    enum kind k = pick_kind(f);
    size_t sctp_len = build_sctp(f, k, pkt + IP_HDR + UDP_HDR);
    size_t total = IP_HDR + UDP_HDR + sctp_len;
    uint8_t *ip = pkt, *udp = pkt + IP_HDR;

    memset(ip, 0, IP_HDR);
    ip[0] = 0x45;
    be16_put(ip + 2, (uint16_t)total); /* the kernel fills it too */
    ip[8] = 64;
    ip[9] = IPPROTO_UDP;
    be32_put(ip + 12, f->src + (uint32_t)(ep / PORTS_PER_IP));
    memcpy(ip + 16, &f->dst.sin_addr, 4);
    /* id and checksum stay 0: the kernel fills them (raw(7)) */
    be16_put(udp, (uint16_t)(FIRST_PORT + ep % PORTS_PER_IP));
    memcpy(udp + 2, &f->dst.sin_port, 2);
    be16_put(udp + 4, (uint16_t)(UDP_HDR + sctp_len));
    be16_put(udp + 6, 0); /* no UDP checksum: allowed over IPv4 */
    f->sent[k]++;
    return total;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
    struct timespec ts;

    ts.tv_sec = (time_t)t;
    ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

/* Send every datagram, paced; returns how many the kernel refused. */
static unsigned long run(struct flood *f, int fd)
{
    static uint8_t pkts[BATCH][PKT_MAX];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    unsigned long i = 0, refused = 0;
    double start = now_s();
    int n, j, done;

    while (i < f->count) {
        n = (int)(f->count - i < BATCH ? f->count - i : BATCH);
        sleep_until(start + (double)i / (double)f->rate);
        memset(msgs, 0, sizeof(msgs));
        for (j = 0; j < n; j++) {
            iov[j].iov_base = pkts[j];
            iov[j].iov_len = build_packet(f, i + (unsigned long)j, pkts[j]);
            msgs[j].msg_hdr.msg_iov = &iov[j];
            msgs[j].msg_hdr.msg_iovlen = 1;
            msgs[j].msg_hdr.msg_name = &f->dst;
            msgs[j].msg_hdr.msg_namelen = sizeof(f->dst);
        }
        for (done = 0; done < n;) {
            int r = sendmmsg(fd, msgs + done, (unsigned)(n - done), 0);

            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0 && errno == ENOBUFS) { /* a full queue: wait a bit */
                sleep_until(now_s() + 0.0005);
                continue;
            }
            if (r <= 0) { /* refused: count this one, go on with the rest */
                refused++;
                done++;
                continue;
            }
            done += r;
        }
        i += (unsigned long)n;
    }
    return refused;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: sctp_flood --dst IP --udp-port N --src IP --endpoints N "
            "--count N --rate PPS [--sctp-port N] [--init-pct P] "
            "[--garbage-pct P] [--seed N]\n");
    exit(2);
}

static unsigned long num(const char *s, unsigned long lo, unsigned long hi)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || *s == '\0' || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "sctp_flood: '%s' is not a number in %lu-%lu\n", s, lo,
                hi);
        exit(2);
    }
    return v;
}

static void parse(struct flood *f, int argc, char **argv)
{
    static const struct option opts[] = {
        { "dst", required_argument, NULL, 'd' },
        { "udp-port", required_argument, NULL, 'u' },
        { "sctp-port", required_argument, NULL, 'p' },
        { "src", required_argument, NULL, 's' },
        { "endpoints", required_argument, NULL, 'e' },
        { "count", required_argument, NULL, 'n' },
        { "rate", required_argument, NULL, 'r' },
        { "init-pct", required_argument, NULL, 'i' },
        { "garbage-pct", required_argument, NULL, 'g' },
        { "seed", required_argument, NULL, 'S' },
        { NULL, 0, NULL, 0 }
    };
    struct in_addr a;
    int c;

    memset(f, 0, sizeof(*f));
    f->dst.sin_family = AF_INET;
    f->sctp_port = 7;
    f->rng = 0x5c7bu;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (inet_pton(AF_INET, optarg, &f->dst.sin_addr) != 1)
                usage();
            break;
        case 'u':
            f->dst.sin_port = htons((uint16_t)num(optarg, 1, 65535));
            break;
        case 'p':
            f->sctp_port = (uint16_t)num(optarg, 1, 65535);
            break;
        case 's':
            if (inet_pton(AF_INET, optarg, &a) != 1)
                usage();
            f->src = ntohl(a.s_addr);
            break;
        case 'e':
            f->endpoints = num(optarg, 1, 10000000);
            break;
        case 'n':
            f->count = num(optarg, 1, 1000000000);
            break;
        case 'r':
            f->rate = num(optarg, 1, 10000000);
            break;
        case 'i':
            f->init_pct = (unsigned)num(optarg, 0, 100);
            break;
        case 'g':
            f->garbage_pct = (unsigned)num(optarg, 0, 100);
            break;
        case 'S':
            f->rng = num(optarg, 0, ~0UL) | 1u;
            break;
        default:
            usage();
        }
    }
    if (optind != argc || f->dst.sin_addr.s_addr == 0 || f->dst.sin_port == 0 ||
        f->src == 0 || f->endpoints == 0 || f->count == 0 || f->rate == 0 ||
        f->init_pct + f->garbage_pct > 100)
        usage();
}

int main(int argc, char **argv)
{
    struct flood f;
    unsigned long refused;
    double start, secs;
    int fd, k;

    parse(&f, argc, argv);
    fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    if (fd < 0) {
        perror("sctp_flood: raw socket (needs root)");
        return 2;
    }
    start = now_s();
    refused = run(&f, fd);
    secs = now_s() - start;
    close(fd);
    printf("sctp_flood: sent %lu datagrams (", f.count - refused);
    for (k = 0; k < K_COUNT; k++)
        printf("%s%lu %s", k ? ", " : "", f.sent[k], kind_name[k]);
    printf(") from %lu endpoints in %.2f s: %.0f/s\n",
           f.endpoints < f.count ? f.endpoints : f.count, secs,
           (double)(f.count - refused) / secs);
    if (refused > 0) {
        fprintf(stderr, "sctp_flood: the kernel refused %lu datagrams\n",
                refused);
        return 1;
    }
    return 0;
}
