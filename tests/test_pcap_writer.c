/* tests/test_pcap_writer.c - the --pcap file: its header bytes, record
 * headers and lengths, snaplen cutting (caplen < len), the size cap, a
 * file that cannot be created or written, and the synthetic IPv4/IPv6
 * (+UDP) header with valid checksums. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

#include "pcap_frame.h"
#include "pcap_writer.h"

struct fixture {
    char path[64];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    int fd;

    if (f == NULL)
        return -1;
    snprintf(f->path, sizeof(f->path), "/tmp/test_pcap_writer.XXXXXX");
    fd = mkstemp(f->path);
    if (fd < 0) {
        free(f);
        return -1;
    }
    close(fd);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    unlink(f->path);
    free(f);
    return 0;
}

/* The whole file into buf; its size. */
static size_t slurp(const char *path, uint8_t *buf, size_t cap)
{
    FILE *fp = fopen(path, "rb");
    size_t n;

    assert_non_null(fp);
    n = fread(buf, 1, cap, fp);
    fclose(fp);
    return n;
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static uint16_t get16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static const struct timespec ts1 = { .tv_sec = 1700000000,
                                     .tv_nsec = 123456789 };

static void test_pcap_writer_header_and_records(void **state)
{
    struct fixture *f = *state;
    static uint8_t file[4096];
    uint8_t hdr[20];
    uint8_t data[100];
    char err[256];
    struct pcap_writer *w =
        pcap_writer_open(f->path, 65535, 0, err, sizeof(err));
    size_t n;

    assert_non_null(w);
    /* the header is on disk at once: a run that dies still leaves a file */
    assert_int_equal(slurp(f->path, file, sizeof(file)), 24);
    memset(hdr, 0x45, sizeof(hdr));
    memset(data, 0xab, sizeof(data));
    assert_int_equal(
        pcap_writer_packet(w, &ts1, hdr, sizeof(hdr), data, sizeof(data)), 0);
    assert_int_equal(pcap_writer_packet(w, &ts1, hdr, sizeof(hdr), data, 0), 0);
    assert_int_equal(pcap_writer_counts(w)->captured, 2);
    assert_int_equal(pcap_writer_counts(w)->bytes, 24 + 16 + 120 + 16 + 20);
    assert_int_equal(pcap_writer_close(w), 0);

    n = slurp(f->path, file, sizeof(file));
    assert_int_equal(n, 24 + 16 + 120 + 16 + 20);
    assert_int_equal(get32(file), 0xa1b23c4d); /* nanoseconds */
    assert_int_equal(get16(file + 4), 2);
    assert_int_equal(get16(file + 6), 4);
    assert_int_equal(get32(file + 8), 0);
    assert_int_equal(get32(file + 12), 0);
    assert_int_equal(get32(file + 16), 65535); /* snaplen */
    assert_int_equal(get32(file + 20), 101);   /* LINKTYPE_RAW */
    assert_int_equal(get32(file + 24), 1700000000);
    assert_int_equal(get32(file + 28), 123456789);
    assert_int_equal(get32(file + 32), 120); /* caplen */
    assert_int_equal(get32(file + 36), 120); /* len */
    assert_memory_equal(file + 40, hdr, sizeof(hdr));
    assert_memory_equal(file + 60, data, sizeof(data));
    assert_int_equal(get32(file + 160 + 8), 20);
    assert_int_equal(get32(file + 160 + 12), 20);
}

static void test_pcap_writer_snaplen_cuts(void **state)
{
    struct fixture *f = *state;
    static uint8_t file[4096];
    uint8_t hdr[20] = { 0x45 };
    uint8_t data[200];
    char err[256];
    struct pcap_writer *w = pcap_writer_open(f->path, 64, 0, err, sizeof(err));
    unsigned int i;

    assert_non_null(w);
    for (i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)i;
    assert_int_equal(
        pcap_writer_packet(w, &ts1, hdr, sizeof(hdr), data, sizeof(data)), 0);
    assert_int_equal(pcap_writer_counts(w)->truncated, 1);
    assert_int_equal(pcap_writer_close(w), 0);
    assert_int_equal(slurp(f->path, file, sizeof(file)), 24 + 16 + 64);
    assert_int_equal(get32(file + 32), 64);  /* caplen */
    assert_int_equal(get32(file + 36), 220); /* len: the packet's own */
    assert_memory_equal(file + 40 + 20, data, 44);
}

static void test_pcap_writer_max_stops(void **state)
{
    struct fixture *f = *state;
    static uint8_t file[8192];
    uint8_t data[84] = { 0 };
    char err[256];
    /* the header (24) and 10 records of 100, and 50 bytes short of an
     * 11th */
    struct pcap_writer *w =
        pcap_writer_open(f->path, 65535, 24 + 1050, err, sizeof(err));
    unsigned int i;

    assert_non_null(w);
    for (i = 0; i < 10; i++)
        assert_int_equal(pcap_writer_packet(w, &ts1, data, 20, data + 20, 64),
                         0);
    assert_int_equal(pcap_writer_packet(w, &ts1, data, 20, data + 20, 64),
                     PCAP_WRITER_FULL);
    /* a smaller packet that would still fit is not taken either: the
     * capture stops at the first gap, so it has no holes */
    assert_int_equal(pcap_writer_packet(w, &ts1, data, 20, data + 20, 0),
                     PCAP_WRITER_STOPPED);
    assert_true(pcap_writer_counts(w)->cap_reached);
    assert_int_equal(pcap_writer_counts(w)->captured, 10);
    assert_int_equal(pcap_writer_counts(w)->not_captured, 2);
    assert_int_equal(pcap_writer_close(w), 0);
    assert_int_equal(slurp(f->path, file, sizeof(file)), 24 + 1000);
}

static void test_pcap_writer_open_failures(void **state)
{
    char err[256];
    struct pcap_writer *w;

    (void)state;
    w = pcap_writer_open("/nonexistent-dir/x.pcap", 65535, 0, err, sizeof(err));
    assert_null(w);
    assert_non_null(strstr(err, "/nonexistent-dir/x.pcap: cannot create"));
    /* a full disk shows at open: the header cannot be written */
    if (access("/dev/full", W_OK) == 0) {
        w = pcap_writer_open("/dev/full", 65535, 0, err, sizeof(err));
        assert_null(w);
        assert_non_null(strstr(err, strerror(ENOSPC)));
    }
    assert_null(pcap_writer_open("/tmp/x", 10, 0, err, sizeof(err)));
    assert_int_equal(pcap_writer_close(NULL), 0);
}

/* A write that fails part way (here the file size limit, as a full disk
 * would): the file is cut back to its last whole record, the buffered
 * records count as not captured, and nothing more is written. */
static void test_pcap_writer_failed_write_cut_back(void **state)
{
    struct fixture *f = *state;
    struct rlimit old;
    struct rlimit lim;
    struct stat st;
    uint8_t data[200] = { 0x45 };
    char err[256];
    struct pcap_writer *w =
        pcap_writer_open(f->path, 65535, 0, err, sizeof(err));
    struct timespec ts = ts1;
    unsigned int i;

    assert_non_null(w);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, SIG_IGN); /* EFBIG instead of the signal */
    /* one second of 3 records goes out whole (24 + 648 bytes); the next
     * second's 10 cross the limit part way */
    for (i = 0; i < 3; i++)
        assert_int_equal(pcap_writer_packet(w, &ts, data, 20, data, 180), 0);
    ts.tv_sec++;
    assert_int_equal(pcap_writer_packet(w, &ts, data, 20, data, 180), 0);
    lim = old;
    lim.rlim_cur = 1500;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    for (i = 0; i < 9; i++)
        assert_int_equal(pcap_writer_packet(w, &ts, data, 20, data, 180), 0);
    assert_int_equal(pcap_writer_flush(w), -EFBIG);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal(st.st_size, 24 + 3 * 216);
    assert_int_equal(pcap_writer_counts(w)->captured, 3);
    assert_int_equal(pcap_writer_counts(w)->not_captured, 10);
    assert_int_equal(pcap_writer_counts(w)->bytes, 24 + 3 * 216);
    assert_int_equal(pcap_writer_counts(w)->write_errno, EFBIG);
    assert_int_equal(pcap_writer_packet(w, &ts, data, 20, data, 180),
                     PCAP_WRITER_STOPPED);
    assert_int_equal(pcap_writer_close(w), -EFBIG);
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal(st.st_size, 24 + 3 * 216);
}

/* The one's complement sum of a header with its checksum in: 0xffff. */
static uint16_t ones_sum(const uint8_t *p, size_t len, uint32_t sum)
{
    size_t i;

    for (i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

static void sin_of(struct sockaddr_in *s, const char *a, uint16_t port)
{
    memset(s, 0, sizeof(*s));
    s->sin_family = AF_INET;
    s->sin_port = htons(port);
    assert_int_equal(inet_pton(AF_INET, a, &s->sin_addr), 1);
}

static void sin6_of(struct sockaddr_in6 *s, const char *a, uint16_t port)
{
    memset(s, 0, sizeof(*s));
    s->sin6_family = AF_INET6;
    s->sin6_port = htons(port);
    assert_int_equal(inet_pton(AF_INET6, a, &s->sin6_addr), 1);
}

static void test_pcap_frame_ipv4_sctp(void **state)
{
    uint8_t h[PCAP_FRAME_HDR_MAX];
    uint8_t payload[36] = { 0 };
    struct sockaddr_in src;
    struct sockaddr_in6 dst; /* a dual-stack socket's view: mapped */

    (void)state;
    sin_of(&src, "192.0.2.1", 9899);
    sin6_of(&dst, "::ffff:198.51.100.7", 40000);
    assert_int_equal(pcap_frame_header(h, (struct sockaddr *)&src,
                                       (struct sockaddr *)&dst, false, payload,
                                       sizeof(payload)),
                     20);
    assert_int_equal(h[0], 0x45);
    assert_int_equal(h[2] << 8 | h[3], 20 + 36);
    assert_int_equal(h[9], 132);
    assert_memory_equal(h + 12, "\xc0\x00\x02\x01", 4);
    assert_memory_equal(h + 16, "\xc6\x33\x64\x07", 4);
    assert_int_equal(ones_sum(h, 20, 0), 0xffff);
}

static void test_pcap_frame_udp_checksums(void **state)
{
    uint8_t h[PCAP_FRAME_HDR_MAX];
    uint8_t payload[37];
    struct sockaddr_in6 a;
    struct sockaddr_in6 b;
    struct sockaddr_in c;
    uint32_t pseudo = 0;
    unsigned int i;

    (void)state;
    for (i = 0; i < sizeof(payload); i++)
        payload[i] = (uint8_t)(i * 7 + 1);
    sin6_of(&a, "2001:db8::1", 5000);
    sin6_of(&b, "2001:db8::2", 9899);
    assert_int_equal(pcap_frame_header(h, (struct sockaddr *)&a,
                                       (struct sockaddr *)&b, true, payload,
                                       sizeof(payload)),
                     48);
    assert_int_equal(h[0], 0x60);
    assert_int_equal(h[4] << 8 | h[5], 8 + 37); /* payload length */
    assert_int_equal(h[6], 17);
    assert_int_equal(h[40] << 8 | h[41], 5000);
    assert_int_equal(h[42] << 8 | h[43], 9899);
    assert_int_equal(h[44] << 8 | h[45], 8 + 37);
    /* the UDP checksum over the pseudo-header, header and payload */
    pseudo = ones_sum(h + 8, 32, 17 + 8 + 37);
    pseudo = ones_sum(h + 40, 8, pseudo);
    assert_int_equal(ones_sum(payload, sizeof(payload), pseudo), 0xffff);
    /* an IPv4 source toward an IPv6 peer: both as IPv6 (mapped) */
    sin_of(&c, "192.0.2.1", 1);
    assert_int_equal(pcap_frame_header(h, (struct sockaddr *)&c,
                                       (struct sockaddr *)&b, false, payload,
                                       sizeof(payload)),
                     40);
    assert_memory_equal(h + 8, "\0\0\0\0\0\0\0\0\0\0\xff\xff\xc0\0\2\1", 16);
    c.sin_family = AF_UNIX;
    assert_int_equal(pcap_frame_header(h, (struct sockaddr *)&c,
                                       (struct sockaddr *)&b, false, payload,
                                       sizeof(payload)),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pcap_writer_header_and_records,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_pcap_writer_snaplen_cuts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pcap_writer_max_stops, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pcap_writer_failed_write_cut_back,
                                        setup, teardown),
        cmocka_unit_test(test_pcap_writer_open_failures),
        cmocka_unit_test(test_pcap_frame_ipv4_sctp),
        cmocka_unit_test(test_pcap_frame_udp_checksums),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
