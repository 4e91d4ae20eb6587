/*
 * udp_gso_ref.c - raw UDP reference for tools/bench: a sender that uses
 * UDP GSO (UDP_SEGMENT) and a receiver that uses UDP GRO, the same two
 * kernel features sctpu's usrsctp backend uses on its UDP socket.
 *
 * iperf3 -u pays one sendto per datagram, which sctpu does not, so a
 * ratio against it flatters sctpu. This program sends the same 1472-byte
 * datagrams, up to 44 per sendmsg (64 KiB, as src/udp_batch.c), as fast
 * as the socket takes them, so "sctpu --mtu 1500 / this" is what SCTP
 * costs on top of the cheapest way to push those datagrams.
 *
 *   udp_gso_ref -s [-B ADDR] [-p PORT] [--wait SEC] [--no-gro]
 *   udp_gso_ref -c HOST [-p PORT] [-t SEC] [-l LEN] [--no-gso]
 *
 * The receiver counts what arrived, from the first datagram to the last,
 * and stops on the sender's end marker (empty datagrams) or after one
 * second of silence once data has come. It prints one line:
 *   rx bytes=B datagrams=N seconds=S bits_per_second=R
 * (the goodput of what arrived, like iperf3's receiver figure). The
 * sender prints the same for what it offered, as "tx ...".
 *
 * This is a benchmark helper: it is built with the project but not
 * installed, and it sends only to the address it is given.
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "units.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

#define REF_DEFAULT_PORT 9920
#define REF_DEFAULT_LEN 1472  /* 1500-byte MTU minus IPv4 and UDP headers */
#define REF_BATCH_BYTES 65000 /* as UDP_BATCH_BYTES in src/udp_batch.h */
#define REF_BATCH_SEGS 64     /* the kernel's UDP_MAX_SEGMENTS */
#define REF_SOCKBUF (4 * 1024 * 1024) /* as sctpu's UDP socket */
#define REF_END_MARKERS 8             /* empty datagrams that end a run */
#define REF_SILENCE_MS 1000           /* receiver: silence that ends a run */

struct ref_config {
    bool server;
    const char *host; /* client: where to send; server: bind address */
    uint16_t port;
    double seconds; /* client: how long to send */
    double wait;    /* server: how long to wait for the first datagram */
    uint64_t len;   /* datagram payload */
    bool gso;
    bool gro;
    bool help;
};

struct ref_count {
    uint64_t bytes;
    uint64_t datagrams;
    uint64_t calls;
    uint64_t first_bytes; /* came at .first: not part of the rate */
    double first;         /* monotonic seconds */
    double last;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: udp_gso_ref -s [options]        receiver\n"
            "       udp_gso_ref -c HOST [options]   sender\n"
            "\n"
            "Raw UDP reference for tools/bench: GSO sender, GRO receiver.\n"
            "\n"
            "  -s, --server        receive; print what arrived and exit\n"
            "  -c, --client HOST   send to HOST\n"
            "  -B, --bind ADDR     receiver: address to bind (default any)\n"
            "  -p, --port N        UDP port (default %u)\n"
            "  -t, --time SEC      sender: seconds to send (default 5)\n"
            "  -l, --len N         sender: datagram payload, 1-%u\n"
            "                      (default %u)\n"
            "      --no-gso        sender: one sendto per datagram\n"
            "      --no-gro        receiver: one datagram per read\n"
            "      --wait SEC      receiver: give up when nothing came in\n"
            "                      SEC (default 30)\n"
            "  -h, --help          this text\n"
            "\n"
            "Output: one line, \"rx|tx bytes=B datagrams=N seconds=S\n"
            "bits_per_second=R\". Exit status 0, 1 on a failure (nothing\n"
            "received, a socket error), 2 for bad arguments.\n",
            REF_DEFAULT_PORT, REF_BATCH_BYTES / 2, REF_DEFAULT_LEN);
}

/* 0, or -1 after saying what is wrong on stderr. */
static int parse_args(struct ref_config *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "server", no_argument, NULL, 's' },
        { "client", required_argument, NULL, 'c' },
        { "bind", required_argument, NULL, 'B' },
        { "port", required_argument, NULL, 'p' },
        { "time", required_argument, NULL, 't' },
        { "len", required_argument, NULL, 'l' },
        { "no-gso", no_argument, NULL, 'G' },
        { "no-gro", no_argument, NULL, 'R' },
        { "wait", required_argument, NULL, 'W' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool client = false;
    const char *bind_addr = NULL;
    int ch;

    *c = (struct ref_config){ .port = REF_DEFAULT_PORT,
                              .seconds = 5,
                              .wait = 30,
                              .len = REF_DEFAULT_LEN,
                              .gso = true,
                              .gro = true };
    while ((ch = getopt_long(argc, argv, "sc:B:p:t:l:h", longopts, NULL)) !=
           -1) {
        switch (ch) {
        case 's':
            c->server = true;
            break;
        case 'c':
            client = true;
            c->host = optarg;
            break;
        case 'B':
            bind_addr = optarg;
            break;
        case 'p':
            if (units_parse_port(optarg, 0, &c->port) < 0) {
                fprintf(stderr, "udp_gso_ref: bad port '%s'\n", optarg);
                return -1;
            }
            break;
        case 't':
            if (units_parse_seconds(optarg, 0.1, 86400, &c->seconds) < 0) {
                fprintf(stderr, "udp_gso_ref: bad --time '%s' (0.1-86400)\n",
                        optarg);
                return -1;
            }
            break;
        case 'l':
            if (units_parse_size(optarg, 1, REF_BATCH_BYTES / 2, &c->len) < 0) {
                fprintf(stderr, "udp_gso_ref: bad --len '%s' (1-%u)\n", optarg,
                        REF_BATCH_BYTES / 2);
                return -1;
            }
            break;
        case 'G':
            c->gso = false;
            break;
        case 'R':
            c->gro = false;
            break;
        case 'W':
            if (units_parse_seconds(optarg, 0.1, 86400, &c->wait) < 0) {
                fprintf(stderr, "udp_gso_ref: bad --wait '%s' (0.1-86400)\n",
                        optarg);
                return -1;
            }
            break;
        case 'h':
            c->help = true;
            return 0;
        default:
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "udp_gso_ref: unexpected argument '%s'\n",
                argv[optind]);
        return -1;
    }
    if (c->server == client) {
        fprintf(stderr, "udp_gso_ref: give exactly one of -s and -c HOST\n");
        return -1;
    }
    if (c->server)
        c->host = bind_addr;
    else if (bind_addr != NULL) {
        fprintf(stderr, "udp_gso_ref: -B is for the receiver\n");
        return -1;
    }
    return 0;
}

/* A UDP socket bound (server) or connected (client) to host:port; -1
 * after an error message. */
static int open_socket(const struct ref_config *c)
{
    struct addrinfo hints = { .ai_socktype = SOCK_DGRAM };
    struct addrinfo *res = NULL;
    char port[8];
    int size = REF_SOCKBUF;
    int fd;
    int rc;

    snprintf(port, sizeof(port), "%u", (unsigned)c->port);
    hints.ai_flags = c->server ? AI_PASSIVE : 0;
    rc = getaddrinfo(c->host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "udp_gso_ref: %s: %s\n", c->host ? c->host : "any",
                gai_strerror(rc));
        return -1;
    }
    fd = socket(res->ai_family, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("udp_gso_ref: socket");
        goto out_free;
    }
    /* As sctpu does: FORCE lets root pass net.core.[rw]mem_max. */
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
        (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    if (c->server)
        rc = bind(fd, res->ai_addr, res->ai_addrlen);
    else
        rc = connect(fd, res->ai_addr, res->ai_addrlen);
    if (rc < 0) {
        fprintf(stderr, "udp_gso_ref: %s %s port %s: %s\n",
                c->server ? "bind" : "connect", c->host ? c->host : "any", port,
                strerror(errno));
        close(fd);
        fd = -1;
    }
out_free:
    freeaddrinfo(res);
    return fd;
}

static void print_count(const char *dir, const struct ref_count *n)
{
    double secs = n->last - n->first;
    double rate =
        secs > 0 ? (double)(n->bytes - n->first_bytes) * 8 / secs : 0.0;

    printf("%s bytes=%llu datagrams=%llu calls=%llu seconds=%.6f "
           "bits_per_second=%.0f\n",
           dir, (unsigned long long)n->bytes, (unsigned long long)n->datagrams,
           (unsigned long long)n->calls, secs, rate);
}

/* One sendmsg of nseg datagrams of c->len bytes (one, without GSO). */
static ssize_t send_batch(int fd, const struct ref_config *c,
                          const uint8_t *buf, size_t nseg)
{
    union {
        char buf[CMSG_SPACE(sizeof(uint16_t))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = { (void *)buf, c->len * nseg };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
    uint16_t seg = (uint16_t)c->len;
    struct cmsghdr *cm;

    if (nseg > 1) {
        memset(&ctl, 0, sizeof(ctl));
        msg.msg_control = ctl.buf;
        msg.msg_controllen = sizeof(ctl.buf);
        cm = CMSG_FIRSTHDR(&msg);
        cm->cmsg_level = SOL_UDP;
        cm->cmsg_type = UDP_SEGMENT;
        cm->cmsg_len = CMSG_LEN(sizeof(seg));
        memcpy(CMSG_DATA(cm), &seg, sizeof(seg));
    }
    return sendmsg(fd, &msg, 0);
}

/* Send for c->seconds as fast as the socket takes it. A full buffer or
 * a refused datagram (ECONNREFUSED from an earlier one: no receiver yet)
 * is counted as not sent and retried, like iperf3 -b 0. */
static int run_sender(int fd, const struct ref_config *c)
{
    static uint8_t buf[REF_BATCH_BYTES];
    size_t nseg = c->gso ? REF_BATCH_BYTES / c->len : 1;
    struct ref_count n = { 0 };
    double end;
    ssize_t rc;
    int i;

    if (nseg > REF_BATCH_SEGS)
        nseg = REF_BATCH_SEGS;
    memset(buf, 0xa5, sizeof(buf));
    n.first = now_s();
    end = n.first + c->seconds;
    do {
        rc = send_batch(fd, c, buf, nseg);
        n.calls++;
        if (rc >= 0) {
            n.bytes += (uint64_t)rc;
            n.datagrams += nseg;
        } else if (nseg > 1 && (errno == EIO || errno == EINVAL ||
                                errno == EOPNOTSUPP || errno == ENOPROTOOPT)) {
            fprintf(stderr,
                    "udp_gso_ref: this kernel refuses UDP_SEGMENT (%s); "
                    "--no-gso sends without it\n",
                    strerror(errno));
            return 1;
        } else if (errno != ENOBUFS && errno != EAGAIN &&
                   errno != ECONNREFUSED && errno != EINTR) {
            perror("udp_gso_ref: sendmsg");
            return 1;
        }
        n.last = now_s();
    } while (n.last < end);
    for (i = 0; i < REF_END_MARKERS; i++)
        (void)send(fd, buf, 0, 0);
    print_count("tx", &n);
    return 0;
}

/* Receive until the end marker, or REF_SILENCE_MS without a datagram once
 * data has come; c->wait bounds the wait for the first one. With GRO one
 * read may hold many datagrams: the segment size comes in a cmsg. */
static int run_receiver(int fd, const struct ref_config *c)
{
    static uint8_t buf[65536];
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct ref_count n = { 0 };
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    double start = now_s();
    int on = 1;

    /* Kernels before 5.0 lack GRO and hand over one datagram per read,
     * which counts the same. */
    if (c->gro)
        (void)setsockopt(fd, SOL_UDP, UDP_GRO, &on, sizeof(on));
    for (;;) {
        struct iovec iov = { buf, sizeof(buf) };
        struct msghdr msg = { .msg_iov = &iov,
                              .msg_iovlen = 1,
                              .msg_control = ctl.buf,
                              .msg_controllen = sizeof(ctl.buf) };
        int timeout_ms = n.datagrams
                             ? REF_SILENCE_MS
                             : (int)((start + c->wait - now_s()) * 1000);
        struct cmsghdr *cm;
        ssize_t len;
        int seg = 0;
        int rc;

        rc = timeout_ms > 0 ? poll(&pfd, 1, timeout_ms) : 0;
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0) {
            perror("udp_gso_ref: poll");
            return 1;
        }
        if (rc == 0)
            break;
        len = recvmsg(fd, &msg, 0);
        if (len < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            perror("udp_gso_ref: recvmsg");
            return 1;
        }
        if (len == 0) {
            if (n.datagrams)
                break; /* the sender's end marker */
            continue;  /* a previous run's marker */
        }
        for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
            if (cm->cmsg_level == SOL_UDP && cm->cmsg_type == UDP_GRO)
                memcpy(&seg, CMSG_DATA(cm), sizeof(seg));
        n.last = now_s();
        if (n.datagrams == 0) {
            n.first = n.last;
            n.first_bytes = (uint64_t)len;
        }
        n.calls++;
        n.bytes += (uint64_t)len;
        n.datagrams += seg > 0 ? ((uint64_t)len + seg - 1) / seg : 1;
    }
    if (n.datagrams == 0) {
        fprintf(stderr, "udp_gso_ref: nothing received in %.1f s\n", c->wait);
        return 1;
    }
    print_count("rx", &n);
    return 0;
}

int main(int argc, char **argv)
{
    struct ref_config c;
    int fd;
    int rc;

    if (parse_args(&c, argc, argv) < 0) {
        usage(stderr);
        return 2;
    }
    if (c.help) {
        usage(stdout);
        return 0;
    }
    fd = open_socket(&c);
    if (fd < 0)
        return 1;
    rc = c.server ? run_receiver(fd, &c) : run_sender(fd, &c);
    close(fd);
    return rc;
}
