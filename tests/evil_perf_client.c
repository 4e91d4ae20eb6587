/*
 * evil_perf_client.c - test only: a hostile sctpu-perf client.
 *
 * The real client's CLI refuses --verify with a message length below the
 * verify header, so nothing it sends can reach a server's checks. This one
 * speaks the control protocol by hand over the usrsctp transport: HELLO,
 * then PARAMS with verify=1, length=8, reverse=1 (the server would send
 * 8-byte messages and stamp a 20-byte header into each), and START if the
 * server answers READY. It prints what the server said and exits
 *   0  the server answered ERROR (the text is printed: "ERROR: ...")
 *   1  anything else: READY and then data (the server accepted), the
 *      association lost, or nothing within 10 s
 *   2  usage or set-up error
 *
 * Other MODEs (the last argument; default "verify") test the server's caps
 * (it_server_caps.sh), with the same exit statuses:
 *   silent    associate and send nothing: the server must close it
 *             (--hello-timeout) with an ERROR
 *   interval  PARAMS asking for a report every 1 ms (below 0.1 s)
 *   fast      PARAMS asking for -b 1M for 2 s (1000-byte messages), then
 *             after READY data as fast as it goes: more than it asked
 *             for, which --server-bitrate-limit must catch
 *
 * usage: evil_perf_client HOST UDP_PORT SCTP_PORT [MODE]
 */
#include <errno.h>
#include <event2/event.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perf_proto.h"
#include "runtime.h"

#define EVIL_LENGTH 8 /* below PERF_VERIFY_HDR_LEN */
#define EVIL_NSTREAMS 1
#define GIVE_UP_S 10
#define FAST_LENGTH 1000
#define FAST_BATCH 256

enum evil_mode { MODE_VERIFY, MODE_SILENT, MODE_INTERVAL, MODE_FAST };

struct evil {
    struct runtime rt;
    struct transport_conn *conn;
    enum evil_mode mode;
    bool flooding; /* MODE_FAST after START */
    struct event *flood_ev;
    int result;
};

static void stop(void *arg)
{
    struct evil *e = arg;

    event_base_loopbreak(e->rt.base);
}

static void done(struct evil *e, int result)
{
    e->result = result;
    event_base_loopbreak(e->rt.base);
}

/* MODE_FAST: data messages until the send buffer is full, then again on
 * WRITABLE or the next turn of the loop. */
static void flood(struct evil *e)
{
    static uint8_t data[FAST_LENGTH];
    struct transport_msginfo info;
    static const struct timeval now = { 0, 0 };
    int i;

    memset(&info, 0, sizeof(info));
    info.ppid = PERF_PPID_DATA;
    for (i = 0; i < FAST_BATCH; i++) {
        ssize_t n = transport_send(e->conn, data, sizeof(data), &info);

        if (n == -EAGAIN)
            return;
        if (n < 0)
            return; /* the receive side reports the end */
    }
    evtimer_add(e->flood_ev, &now);
}

static void flood_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    flood(arg);
}

/* Patch a PARAMS field the encoder (rightly) refuses, on the wire. */
static void put_be32_at(uint8_t *buf, size_t off, uint32_t v)
{
    buf[off] = (uint8_t)(v >> 24);
    buf[off + 1] = (uint8_t)(v >> 16);
    buf[off + 2] = (uint8_t)(v >> 8);
    buf[off + 3] = (uint8_t)v;
}

static int send_ctrl(struct evil *e, const uint8_t *buf, int len)
{
    struct transport_msginfo info;

    if (len <= 0)
        return -1;
    memset(&info, 0, sizeof(info));
    info.sid = EVIL_NSTREAMS; /* the control stream follows the data */
    info.ppid = PERF_PPID_CONTROL;
    return transport_send(e->conn, buf, (size_t)len, &info) == len ? 0 : -1;
}

static void send_hello_params(struct evil *e)
{
    uint8_t buf[PERF_PROTO_PARAMS_MAX];
    struct perf_hello h;
    struct perf_params p;
    int len;

    memset(&h, 0, sizeof(h));
    memcpy(h.cookie, "evil-client-0001", PERF_COOKIE_LEN);
    h.index = 0;
    h.count = 1;
    if (send_ctrl(e, buf, perf_proto_encode_hello(buf, sizeof(buf), &h)) < 0) {
        printf("cannot send HELLO\n");
        done(e, 2);
        return;
    }
    memset(&p, 0, sizeof(p));
    p.duration_ms = 1000;
    p.length = EVIL_LENGTH;
    p.parallel = 1;
    p.nstreams = EVIL_NSTREAMS;
    p.reverse = 1;
    p.verify = 1;
    if (e->mode != MODE_VERIFY) {
        p.length = FAST_LENGTH;
        p.reverse = 0;
        p.verify = 0;
    }
    if (e->mode == MODE_FAST) {
        p.duration_ms = 2000;
        p.rate_bps = 1000000;
    }
    if (e->mode == MODE_INTERVAL) {
        /* interval_ms: after 5 u64; the encoder refuses 1 ms too */
        p.interval_ms = 1000;
        len = perf_proto_encode_params(buf, sizeof(buf), &p);
        if (len > 0)
            put_be32_at(buf, PERF_PROTO_HDR_LEN + 5 * 8, 1);
        if (send_ctrl(e, buf, len) < 0) {
            printf("cannot send PARAMS\n");
            done(e, 2);
        }
        return;
    }
    /* The encoder checks the same ranges as the decoder: a fixed encoder
     * refuses this, so write it as the unfixed one would (length 20) and
     * then patch the length field on the wire. */
    len = perf_proto_encode_params(buf, sizeof(buf), &p);
    if (len < 0) {
        p.length = 20;
        len = perf_proto_encode_params(buf, sizeof(buf), &p);
        /* length: after 5 u64 and interval_ms, burst (u32 each) */
        if (len > 0) {
            size_t off = PERF_PROTO_HDR_LEN + 5 * 8 + 2 * 4;

            buf[off] = 0;
            buf[off + 1] = 0;
            buf[off + 2] = 0;
            buf[off + 3] = EVIL_LENGTH;
        }
    }
    if (send_ctrl(e, buf, len) < 0) {
        printf("cannot send PARAMS\n");
        done(e, 2);
    }
}

static void on_message(struct evil *e, const uint8_t *buf, size_t len,
                       uint32_t ppid)
{
    uint8_t out[PERF_PROTO_HDR_LEN];
    struct perf_text text;

    if (ppid != PERF_PPID_CONTROL && e->mode == MODE_FAST) {
        printf("the server sends data in a forward test\n");
        done(e, 1);
        return;
    }
    if (ppid != PERF_PPID_CONTROL) {
        printf("the server accepted and sends data (%zu-byte message)\n", len);
        done(e, 1);
        return;
    }
    switch (perf_proto_type(buf, len)) {
    case PERF_MSG_ERROR:
        if (perf_proto_decode_text(buf, len, &text) == 0)
            printf("ERROR: %s\n", text.text);
        else
            printf("ERROR (undecodable)\n");
        done(e, 0);
        return;
    case PERF_MSG_READY:
        printf("READY: the server accepted PARAMS; sending START\n");
        if (send_ctrl(
                e, out,
                perf_proto_encode_empty(out, sizeof(out), PERF_MSG_START)) < 0)
            done(e, 1);
        else if (e->mode == MODE_FAST) {
            e->flooding = true;
            flood(e);
        }
        return;
    default:
        printf("control message type %d\n", perf_proto_type(buf, len));
        return;
    }
}

static void conn_cb(struct transport_conn *c, int events, void *arg)
{
    struct evil *e = arg;
    static uint8_t buf[65536];
    static size_t have;

    if (events & TRANSPORT_EV_ERROR) {
        printf("association lost: %s\n", transport_conn_strerror(c));
        done(e, 1);
        return;
    }
    if (events & TRANSPORT_EV_CONNECTED && e->mode != MODE_SILENT)
        send_hello_params(e);
    if (events & TRANSPORT_EV_WRITABLE && e->flooding)
        flood(e);
    if (!(events & TRANSPORT_EV_READABLE))
        return;
    for (;;) {
        struct transport_msginfo info;
        ssize_t n;

        memset(&info, 0, sizeof(info));
        n = transport_recv(c, buf + have, sizeof(buf) - have, &info);
        if (n == -EAGAIN)
            return;
        if (n <= 0) {
            printf("association closed by the server\n");
            done(e, 1);
            return;
        }
        have += (size_t)n;
        if (!info.eor && have < sizeof(buf))
            continue;
        on_message(e, buf, have, info.ppid);
        have = 0;
        if (e->result >= 0)
            return;
    }
}

int main(int argc, char **argv)
{
    struct transport_config tc;
    struct transport_peer peer;
    struct evil e;
    struct timeval limit = { GIVE_UP_S, 0 };
    char err[256];
    const char *host;

    if (argc != 4 && argc != 5) {
        fprintf(stderr,
                "usage: %s HOST UDP_PORT SCTP_PORT "
                "[verify|silent|interval|fast]\n",
                argv[0]);
        return 2;
    }
    host = argv[1];
    memset(&e, 0, sizeof(e));
    e.result = -1;
    if (argc == 5 && strcmp(argv[4], "silent") == 0)
        e.mode = MODE_SILENT;
    else if (argc == 5 && strcmp(argv[4], "interval") == 0)
        e.mode = MODE_INTERVAL;
    else if (argc == 5 && strcmp(argv[4], "fast") == 0)
        e.mode = MODE_FAST;
    else if (argc == 5 && strcmp(argv[4], "verify") != 0) {
        fprintf(stderr, "unknown mode '%s'\n", argv[4]);
        return 2;
    }
    memset(&peer, 0, sizeof(peer));
    if (transport_peer_resolve(&peer, &host, 1, AF_UNSPEC, err, sizeof(err)) <
        0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    peer.udp_port = (uint16_t)atoi(argv[2]);
    peer.sctp_port = (uint16_t)atoi(argv[3]);
    memset(&tc, 0, sizeof(tc));
    tc.family = peer.addr.ss_family;
    tc.streams = EVIL_NSTREAMS + 1;
    if (runtime_open(&e.rt, "usrsctp", &tc, stop, &e) != RUNTIME_EXIT_OK)
        return 2;
    if (transport_connect(e.rt.t, &peer, 0, &e.conn, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s\n", err);
        runtime_close(&e.rt);
        return 2;
    }
    e.flood_ev = evtimer_new(e.rt.base, flood_cb, &e);
    if (e.flood_ev == NULL) {
        transport_conn_free(e.conn, true);
        runtime_close(&e.rt);
        return 2;
    }
    transport_conn_set_cb(e.conn, conn_cb, &e);
    event_base_loopexit(e.rt.base, &limit);
    event_base_dispatch(e.rt.base);
    if (e.result < 0) {
        printf("no answer from the server within %d s\n", GIVE_UP_S);
        e.result = 1;
    }
    transport_conn_free(e.conn, true);
    event_free(e.flood_ev);
    runtime_close(&e.rt);
    return e.result;
}
