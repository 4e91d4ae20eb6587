/*
 * fuzz_usrsctp_ingress.c - whole UDP datagrams into the usrsctp backend's
 * ingress (ut_input_datagram: length and CRC32c checks, the peer table,
 * NAT rebinding, the listener's screening, usrsctp_conninput), in-process,
 * with a listener on 127.0.0.1 that echoes what it receives.
 *
 * Sources: every datagram comes "from" one of NSOURCES UDP sockets this
 * target owns on 127.0.0.1-3 (several ports on one address, so rebinding
 * happens). Replies really go out, so they only ever go to those sockets,
 * never to another address: the target reads them back, which also lets
 * it follow the handshake.
 *
 * Input: records of
 *   ctl (1), source (1), length (2), length bytes of SCTP packet
 * ctl bits 0-2: 7 = keep the packet's CRC32c (it is wrong, almost
 *               surely); anything else: fill in the right one, so that
 *               the packet gets past the check
 *     bit 3:    put the last Initiate Tag the listener sent (INIT-ACK)
 *               into the verification tag
 *     bit 4:    a first chunk COOKIE-ECHO gets the last State Cookie the
 *               listener sent, in place of its own
 *     bits 5-7: then run usrsctp's timers 10 << 2k ms ahead (k = 1..7;
 *               0: not at all)
 * source: its value modulo NSOURCES picks the socket.
 * With bits 3 and 4 a captured client session (corpus/usrsctp_ingress,
 * tests/fuzz/capture_seeds.py) replays against a server whose tags and cookies
 * are random: the seeds reach established associations and DATA.
 * Every association is aborted at the end of each input, so inputs do
 * not depend on each other more than usrsctp's own state makes them.
 * FUZZ_TRACE=1 prints, per input, what the listener did with it (to see
 * that a seed reaches an association and its data).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <usrsctp.h>

#include "be_bytes.h"
#include "crc32c.h"
#include "fuzz_check.h"
#include "log.h"
#include "transport.h"
#include "transport_usrsctp_priv.h"

#define NSOURCES 6
#define LISTEN_PORT 7 /* sctpu-echo's default, which the seeds use */
#define MAX_RECORDS 64
#define MAX_CONNS 64
#define COOKIE_MAX 4096
#define SCTP_HDR 12
#define CHUNK_HDR 4
#define INIT_ACK_FIXED 20    /* chunk header to the first parameter */
#define PARAM_STATE_COOKIE 7 /* RFC 9260 3.3.3 */
#define COOKIE_ECHO_TYPE 10

static struct {
    struct event_base *base;
    struct transport *tr;
    int fd[NSOURCES];
    struct sockaddr_in addr[NSOURCES];
    struct transport_conn *conns[MAX_CONNS];
    size_t nconns;
    /* From the listener's last INIT-ACK: what a client would echo. */
    uint32_t tag;
    uint8_t cookie[COOKIE_MAX];
    size_t cookie_len;
    bool trace;
    /* this input's counts, for FUZZ_TRACE */
    unsigned int init_acks;
    unsigned int accepted;
    unsigned int echoed;
} fz;

static uint8_t pkt[UDP_RX_MAX + COOKIE_MAX + 64];
static uint8_t rx[UDP_RX_MAX];

static void forget_conn(struct transport_conn *c)
{
    for (size_t i = 0; i < fz.nconns; i++) {
        if (fz.conns[i] == c) {
            fz.conns[i] = fz.conns[--fz.nconns];
            return;
        }
    }
}

/* The workload: an echo server (what sctpu-echo does), minus the rest. */
static void conn_cb(struct transport_conn *c, int events, void *arg)
{
    (void)arg;
    if (!(events & (TRANSPORT_EV_READABLE | TRANSPORT_EV_ERROR)))
        return;
    for (;;) {
        struct transport_msginfo info;
        ssize_t n;

        memset(&info, 0, sizeof(info));
        n = transport_recv(c, rx, sizeof(rx), &info);
        if (n > 0) {
            fz.echoed++;
            transport_send(c, rx, (size_t)n, &info);
            continue;
        }
        if (n == -EAGAIN)
            return;
        /* the end of the association, or its failure */
        forget_conn(c);
        transport_conn_free(c, true);
        return;
    }
}

static void on_accept(struct transport_conn *c, void *arg)
{
    (void)arg;
    if (fz.nconns == MAX_CONNS) {
        transport_conn_free(c, true);
        return;
    }
    fz.conns[fz.nconns++] = c;
    fz.accepted++;
    transport_conn_set_cb(c, conn_cb, NULL);
}

/* Remember the tag and cookie of an INIT-ACK the listener sent. */
static void note_init_ack(const uint8_t *p, size_t n)
{
    size_t clen;
    size_t off;

    if (n < SCTP_HDR + INIT_ACK_FIXED || p[SCTP_HDR] != 2)
        return;
    clen = be16_get(p + SCTP_HDR + 2);
    if (clen > n - SCTP_HDR)
        clen = n - SCTP_HDR;
    fz.tag = be32_get(p + SCTP_HDR + CHUNK_HDR);
    fz.init_acks++;
    for (off = INIT_ACK_FIXED; off + 4 <= clen;) {
        const uint8_t *param = p + SCTP_HDR + off;
        size_t plen = be16_get(param + 2);

        if (plen < 4 || plen > clen - off)
            return;
        if (be16_get(param) == PARAM_STATE_COOKIE && plen - 4 <= COOKIE_MAX) {
            fz.cookie_len = plen - 4;
            memcpy(fz.cookie, param + 4, fz.cookie_len);
            return;
        }
        off += (plen + 3) & ~(size_t)3;
    }
}

/* Read what the transport sent to our sockets (when it sent anything:
 * six empty reads per packet would cost more than the packet). */
static void drain(void)
{
    static uint64_t seen;
    struct transport_counters c;

    transport_get_counters(fz.tr, &c);
    if (c.tx_datagrams + c.tx_errors == seen)
        return;
    seen = c.tx_datagrams + c.tx_errors;
    for (int i = 0; i < NSOURCES; i++) {
        ssize_t n;

        while ((n = recv(fz.fd[i], rx, sizeof(rx), MSG_DONTWAIT)) > 0)
            note_init_ack(rx, (size_t)n);
    }
}

/* After any usrsctp work: send, run the loop's callbacks, read replies. */
static void settle(void)
{
    ut_flush_output();
    event_base_loop(fz.base, EVLOOP_NONBLOCK);
    ut_flush_output();
    drain();
}

static int open_source(int i)
{
    static const char *const ips[NSOURCES] = {
        "127.0.0.1", "127.0.0.1", "127.0.0.1",
        "127.0.0.2", "127.0.0.2", "127.0.0.3",
    };
    socklen_t len = sizeof(fz.addr[i]);

    fz.fd[i] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fz.fd[i] < 0)
        return -1;
    memset(&fz.addr[i], 0, sizeof(fz.addr[i]));
    fz.addr[i].sin_family = AF_INET;
    inet_pton(AF_INET, ips[i], &fz.addr[i].sin_addr);
    if (bind(fz.fd[i], (struct sockaddr *)&fz.addr[i], sizeof(fz.addr[i])) <
            0 ||
        getsockname(fz.fd[i], (struct sockaddr *)&fz.addr[i], &len) < 0)
        return -1;
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const struct transport_ops *ops = transport_find("usrsctp");
    struct transport_config cfg;
    char err[256];

    (void)argc;
    (void)argv;
    log_init("fuzz_usrsctp_ingress", LOG_LEVEL_ERR);
    fz.trace = getenv("FUZZ_TRACE") != NULL;
    fz.base = event_base_new();
    FUZZ_CHECK(fz.base != NULL && ops != NULL);
    for (int i = 0; i < NSOURCES; i++)
        FUZZ_CHECK(open_source(i) == 0);
    memset(&cfg, 0, sizeof(cfg));
    cfg.bind_host = "127.0.0.1";
    cfg.family = AF_INET;
    if (transport_open(ops, fz.base, &cfg, &fz.tr, err, sizeof(err)) < 0 ||
        transport_listen(fz.tr, LISTEN_PORT, on_accept, NULL, err,
                         sizeof(err)) < 0) {
        fprintf(stderr, "fuzz_usrsctp_ingress: %s\n", err);
        abort();
    }
    return 0;
}

/*
 * Put the last State Cookie in place of the packet's first chunk, a
 * COOKIE-ECHO, keeping whatever is bundled after it. Returns the new
 * length, or n when there is nothing to replace.
 */
static size_t swap_cookie(size_t n)
{
    static uint8_t rest[UDP_RX_MAX];
    size_t old;
    size_t rest_len;
    size_t clen = CHUNK_HDR + fz.cookie_len;

    if (fz.cookie_len == 0 || n < SCTP_HDR + CHUNK_HDR ||
        pkt[SCTP_HDR] != COOKIE_ECHO_TYPE)
        return n;
    old = ((size_t)be16_get(pkt + SCTP_HDR + 2) + 3) & ~(size_t)3;
    if (old < CHUNK_HDR || old > n - SCTP_HDR)
        old = n - SCTP_HDR;
    rest_len = n - SCTP_HDR - old;
    memcpy(rest, pkt + SCTP_HDR + old, rest_len);
    be16_put(pkt + SCTP_HDR + 2, (uint16_t)clen);
    memcpy(pkt + SCTP_HDR + CHUNK_HDR, fz.cookie, fz.cookie_len);
    n = SCTP_HDR + clen;
    while (n % 4 != 0)
        pkt[n++] = 0;
    memcpy(pkt + n, rest, rest_len);
    return n + rest_len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };
    struct usrsctp_transport *t = (struct usrsctp_transport *)fz.tr;

    fz.tag = 0;
    fz.cookie_len = 0;
    fz.init_acks = 0;
    fz.accepted = 0;
    fz.echoed = 0;
    for (int r = 0; r < MAX_RECORDS && in.left > 0; r++) {
        uint8_t ctl = fuzz_u8(&in);
        const struct sockaddr_in *from = &fz.addr[fuzz_u8(&in) % NSOURCES];
        size_t n = fuzz_u16(&in);

        if (n > in.left)
            n = in.left;
        memcpy(pkt, in.p, n);
        in.p += n;
        in.left -= n;
        if ((ctl & 8) && n >= 8)
            be32_put(pkt + 4, fz.tag);
        if (ctl & 16)
            n = swap_cookie(n);
        if ((ctl & 7) != 7)
            crc32c_sctp_fill(pkt, n);
        ut_input_datagram(t, (const struct sockaddr *)from, sizeof(*from), pkt,
                          n);
        settle();
        if (ctl >> 5) {
            usrsctp_handle_timers(10u << (2 * (ctl >> 5)));
            settle();
        }
    }
    while (fz.nconns > 0) {
        struct transport_conn *c = fz.conns[--fz.nconns];

        transport_conn_free(c, true);
    }
    settle();
    if (fz.trace)
        fprintf(stderr, "input: %u INIT-ACKs, %u associations, %u echoes\n",
                fz.init_acks, fz.accepted, fz.echoed);
    return 0;
}
