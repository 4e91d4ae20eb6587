/*
 * fuzz_seeds.c - write the seed corpora of the pure-parser fuzz targets
 * with the real encoders, so that every seed is a message the tools send:
 *
 *   build-fuzz/tests/fuzz/fuzz_seeds tests/fuzz/corpus
 *
 * writes DIR/<target>/seed-<what> for perf_proto, perf_verify, echo_msg,
 * udp_icmp and cli (the usrsctp_ingress seeds are captured from real
 * sessions: tests/fuzz/capture_seeds.py). Each seed follows its target's
 * input format (see the top of fuzz_<target>.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "be_bytes.h"
#include "echo_msg.h"
#include "perf_proto.h"
#include "perf_verify.h"

static const char *outdir;

static void put(const char *target, const char *what, const void *buf,
                size_t len)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", outdir, target);
    if (mkdir(path, 0755) < 0 && errno != EEXIST) {
        perror(path);
        exit(1);
    }
    snprintf(path, sizeof(path), "%s/%s/seed-%s", outdir, target, what);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

/* Stop on an encoder's refusal: a seed generator must not write junk. */
static size_t ok(int n, const char *what)
{
    if (n <= 0) {
        fprintf(stderr, "fuzz_seeds: encoding %s failed (%d)\n", what, n);
        exit(1);
    }
    return (size_t)n;
}

static void perf_proto_seeds(void)
{
    static uint8_t buf[8192];
    static struct perf_params p;
    static struct perf_ready r;
    struct perf_stream_counts s[2];
    struct perf_hello h;
    struct perf_results res;

    memset(&h, 0, sizeof(h));
    memcpy(h.cookie, "0123456789abcdef", PERF_COOKIE_LEN);
    h.index = 1;
    h.count = 4;
    put("perf_proto", "hello", buf,
        ok(perf_proto_encode_hello(buf, sizeof(buf), &h), "HELLO"));

    memset(&p, 0, sizeof(p));
    p.duration_ms = 10000;
    p.interval_ms = 1000;
    p.length = 65536;
    p.parallel = 1;
    p.nstreams = 1;
    put("perf_proto", "params", buf,
        ok(perf_proto_encode_params(buf, sizeof(buf), &p), "PARAMS"));
    p.length = PERF_VERIFY_HDR_LEN;
    p.verify = 1;
    p.reverse = 1;
    p.parallel = 4;
    p.nstreams = 3;
    p.nppids = 2;
    p.ppids[0] = 51;
    p.ppids[1] = 52;
    p.pr_policy = PERF_PR_RTX;
    p.pr_value = 2;
    p.rate_bps = 1000000;
    p.burst = 5;
    put("perf_proto", "params-verify-reverse-ppids", buf,
        ok(perf_proto_encode_params(buf, sizeof(buf), &p), "PARAMS"));

    /* --rr 100/20000 -k 2000 -P 4 --nstreams 2 */
    memset(&p, 0, sizeof(p));
    p.messages = 2000;
    p.interval_ms = 1000;
    p.length = 100;
    p.rr_resp = 20000;
    p.nodelay = 1;
    p.parallel = 4;
    p.nstreams = 2;
    put("perf_proto", "params-rr", buf,
        ok(perf_proto_encode_params(buf, sizeof(buf), &p), "PARAMS"));

    memset(&r, 0, sizeof(r));
    r.count = 2;
    strcpy(r.seen[0], "127.0.0.1:40000");
    strcpy(r.seen[1], "[2001:db8::1]:65535");
    put("perf_proto", "ready", buf,
        ok(perf_proto_encode_ready(buf, sizeof(buf), &r), "READY"));

    memset(&res, 0, sizeof(res));
    memset(s, 0, sizeof(s));
    s[0].sid = 0;
    s[0].messages = 100;
    s[0].bytes = 6400;
    s[0].verified = 100;
    s[0].ppid = PERF_PPID_DATA;
    s[1] = s[0];
    s[1].sid = 1;
    s[1].ppid_mixed = true;
    res.index = 0;
    res.duration_us = 10000000;
    res.cpu_x100 = 1234;
    res.sent.nstreams = 0;
    res.received.bytes = 12800;
    res.received.messages = 200;
    res.received.nstreams = 2;
    res.received.streams = s;
    put("perf_proto", "results", buf,
        ok(perf_proto_encode_results(buf, sizeof(buf), &res), "RESULTS"));

    put("perf_proto", "server-output", buf,
        ok(perf_proto_encode_text(buf, sizeof(buf), PERF_MSG_SERVER_OUTPUT,
                                  "Accepted connection\n"),
           "SERVER_OUTPUT"));
    put("perf_proto", "error", buf,
        ok(perf_proto_encode_text(buf, sizeof(buf), PERF_MSG_ERROR,
                                  "the server is busy"),
           "ERROR"));
    put("perf_proto", "start", buf,
        ok(perf_proto_encode_empty(buf, sizeof(buf), PERF_MSG_START), "START"));
    put("perf_proto", "end", buf,
        ok(perf_proto_encode_empty(buf, sizeof(buf), PERF_MSG_END), "END"));
    put("perf_proto", "done", buf,
        ok(perf_proto_encode_empty(buf, sizeof(buf), PERF_MSG_DONE), "DONE"));
}

/* A perf_verify record: flags 0 (as is), length, a real message. */
static size_t verify_record(uint8_t *p, size_t len, uint16_t sid, uint64_t seq)
{
    p[0] = 0;
    be16_put(p + 1, (uint16_t)len);
    perf_verify_fill(p + 3, len, sid, seq);
    return 3 + len;
}

static void perf_verify_seeds(void)
{
    static const uint64_t in_order[] = { 0, 1, 2, 3, 4 };
    static const uint64_t late_dup[] = { 0, 2, 1, 2, 5000, 3 };
    uint8_t buf[4096];
    size_t n;
    size_t i;

    n = 0;
    be16_put(buf, 3);
    n += 2;
    for (i = 0; i < 5; i++)
        n += verify_record(buf + n, 64, 3, in_order[i]);
    put("perf_verify", "in-order", buf, n);

    n = 0;
    be16_put(buf, 0);
    n += 2;
    for (i = 0; i < 6; i++)
        n += verify_record(buf + n, 20 + i * 7, 0, late_dup[i]);
    /* and one damaged, one too short */
    buf[n - 1] ^= 1;
    n += verify_record(buf + n, 12, 0, 7);
    put("perf_verify", "late-duplicate-corrupt", buf, n);
}

/* An echo_msg input: mode 1 (expected length = received), seq, length,
 * ppid selector, seen size, message. */
static size_t echo_head(uint8_t *p, uint32_t seq, uint8_t probe)
{
    p[0] = 1;
    be32_put(p + 1, seq);
    be16_put(p + 5, 0);
    p[7] = probe;
    p[8] = NETADDR_STRLEN;
    return 9;
}

static void echo_msg_seeds(void)
{
    uint8_t buf[2048];
    size_t n;

    n = echo_head(buf, 7, 0);
    echo_msg_fill(buf + n, 64, 7);
    put("echo_msg", "message-64", buf, n + 64);
    n = echo_head(buf, 1, 0);
    echo_msg_fill(buf + n, 5, 1);
    put("echo_msg", "message-5", buf, n + 5);
    n = echo_head(buf, 0, 1);
    n += echo_probe_answer(buf + n, sizeof(buf) - n, "127.0.0.1:9899");
    put("echo_msg", "probe-answer-v4", buf, n);
    n = echo_head(buf, 0, 1);
    n += echo_probe_answer(buf + n, sizeof(buf) - n, "[2001:db8::1]:40000");
    put("echo_msg", "probe-answer-v6", buf, n);
}

static void udp_icmp_seeds(void)
{
    uint8_t q[64];

    /* The start of an INIT as we send it: ports, vtag 0, CRC, the INIT
     * chunk (type 1, length 20+), its Initiate Tag, a_rwnd, streams, TSN. */
    memset(q, 0, sizeof(q));
    be16_put(q, 40000);
    be16_put(q + 2, 7);
    be32_put(q + 8, 0x12345678);
    q[12] = 1;
    be16_put(q + 14, 52);
    be32_put(q + 16, 0xdeadbeef);
    be32_put(q + 20, 2 * 1024 * 1024);
    be16_put(q + 24, 10);
    be16_put(q + 26, 2048);
    be32_put(q + 28, 0xdeadbeef);
    put("udp_icmp", "init", q, sizeof(q));
}

/* A cli input: the selector (0 perf, 1 echo), then NUL-separated args. */
static void cli_seed(const char *what, int echo, const char *const *args)
{
    char buf[512];
    size_t n = 0;

    buf[n++] = (char)echo;
    for (; *args != NULL; args++) {
        size_t len = strlen(*args);

        memcpy(buf + n, *args, len + 1);
        n += len + 1;
    }
    put("cli", what, buf, n - 1);
}

static void cli_seeds(void)
{
    static const char *const perf_server[] = { "-s", "-1", "--udp-port", "9900",
                                               NULL };
    static const char *const perf_client[] = {
        "-c",         "198.18.0.2:5201",
        "-P",         "4",
        "-l",         "1k",
        "--verify",   "-R",
        "-t",         "3",
        "--nstreams", "4",
        "--ppid",     "1,2",
        "-b",         "10M/5",
        NULL,
    };
    static const char *const perf_bytes[] = {
        "-c",          "[2001:db8::2]", "-n",         "10M", "--bidir", "-u",
        "--pr-policy", "ttl",           "--pr-value", "100", NULL
    };
    static const char *const echo_server[] = { "-s", "--once", "-B",
                                               "127.0.0.1", NULL };
    static const char *const echo_client[] = {
        "-c",       "127.0.0.1", "-n", "5",  "-l",  "100,2000",
        "--window", "4",         "-u", "-i", "0.1", NULL,
    };
    static const char *const echo_go[] = { "-server", "-ip", "127.0.0.1",
                                           "-port",   "7",   NULL };

    cli_seed("perf-server", 0, perf_server);
    cli_seed("perf-client", 0, perf_client);
    cli_seed("perf-bytes", 0, perf_bytes);
    cli_seed("echo-server", 1, echo_server);
    cli_seed("echo-client", 1, echo_client);
    cli_seed("echo-go-flags", 1, echo_go);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    outdir = argv[1];
    perf_proto_seeds();
    perf_verify_seeds();
    echo_msg_seeds();
    udp_icmp_seeds();
    cli_seeds();
    return 0;
}
