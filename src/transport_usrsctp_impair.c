/*
 * transport_usrsctp_impair.c - --impair in the usrsctp backend: every
 * datagram sctpu sends (conn_output, the stateless INIT-ACK) and every
 * datagram (GRO segment) it reads passes through an impair_queue when
 * --impair is on, in the directions --impair-dir names. Loss, delay and
 * the rest then happen on sctpu's own UDP socket: no tc, no netem, no
 * capabilities. --pcap captures here too, on the wire's side of the
 * queues: what leaves after tx impairment, what arrives before rx.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "impair_queue.h"
#include "transport_usrsctp_priv.h"
#include "udp_batch.h"

/* A datagram onto the wire: into the batch, and into --pcap's file
 * unless the local host refused it (usrsctp then sends it again). */
static int wire_out(struct usrsctp_transport *t, const struct sockaddr *dst,
                    socklen_t dstlen, uint8_t *buf, size_t len)
{
    int e = udp_batch_add(t->batch, dst, dstlen, buf, len);

    if (e == 0 && t->cfg.pcap != NULL)
        ut_pcap_datagram(t, true, dst, buf, len);
    return e;
}

/* A released datagram out: into the batch; a refused send is kept for
 * ut_send_datagram's caller when it is the one sending now. */
static void tx_deliver(void *arg, const struct sockaddr *addr,
                       socklen_t addrlen, uint8_t *buf, size_t len)
{
    struct usrsctp_transport *t = arg;
    int e = wire_out(t, addr, addrlen, buf, len);

    if (e != 0)
        t->imp_err = e;
}

static void tx_done(void *arg)
{
    udp_batch_flush(((struct usrsctp_transport *)arg)->batch);
}

static void rx_deliver(void *arg, const struct sockaddr *addr,
                       socklen_t addrlen, uint8_t *buf, size_t len)
{
    ut_input_datagram(arg, addr, addrlen, buf, len);
}

static void rx_done(void *arg)
{
    (void)arg;
    ut_flush_output(); /* what usrsctp answered to what was released */
}

int ut_impair_open(struct usrsctp_transport *t, char *err, size_t errlen)
{
    struct impair_spec rx_spec;
    uint64_t seed;

    if (t->cfg.impair == NULL)
        return 0;
    /* Without seed=, a new one each run, printed for repeating it; the
     * receive side draws from the next seed, so the two differ. */
    seed = t->cfg.impair->seed_given ? t->cfg.impair->seed
                                     : ut_now_us() ^ ((uint64_t)getpid() << 32);
    seed += t->cfg.impair_seed_offset;
    rx_spec = *t->cfg.impair;
    rx_spec.seed = seed + 1;
    rx_spec.seed_given = true;
    if (t->cfg.impair_dir & TRANSPORT_IMPAIR_TX)
        t->imp_tx = impair_queue_new(t->base, t->cfg.impair, seed, tx_deliver,
                                     tx_done, t);
    if (t->cfg.impair_dir & TRANSPORT_IMPAIR_RX)
        t->imp_rx =
            impair_queue_new(t->base, &rx_spec, seed, rx_deliver, rx_done, t);
    if (((t->cfg.impair_dir & TRANSPORT_IMPAIR_TX) && t->imp_tx == NULL) ||
        ((t->cfg.impair_dir & TRANSPORT_IMPAIR_RX) && t->imp_rx == NULL)) {
        ut_impair_close(t);
        snprintf(err, errlen, "--impair: out of memory");
        return -ENOMEM;
    }
    return 0;
}

void ut_impair_close(struct usrsctp_transport *t)
{
    impair_queue_free(t->imp_tx);
    impair_queue_free(t->imp_rx);
    t->imp_tx = NULL;
    t->imp_rx = NULL;
}

int ut_send_datagram(struct usrsctp_transport *t, const struct sockaddr *dst,
                     socklen_t dstlen, uint8_t *buf, size_t len)
{
    if (t->imp_tx == NULL)
        return wire_out(t, dst, dstlen, buf, len);
    t->imp_err = 0;
    impair_queue_input(t->imp_tx, dst, dstlen, buf, len, ut_now_us());
    return t->imp_err;
}

void ut_receive_datagram(struct usrsctp_transport *t,
                         const struct sockaddr *from, socklen_t fromlen,
                         uint8_t *buf, size_t len)
{
    /* --pcap sees the wire, as tcpdump would: before rx impairment */
    if (t->cfg.pcap != NULL)
        ut_pcap_datagram(t, false, from, buf, len);
    if (t->imp_rx == NULL)
        ut_input_datagram(t, from, fromlen, buf, len);
    else
        impair_queue_input(t->imp_rx, from, fromlen, buf, len, ut_now_us());
}

void ut_impair_counters(const struct usrsctp_transport *t,
                        struct transport_counters *out)
{
    if (t->imp_tx != NULL) {
        out->impair_tx_on = true;
        out->impair_tx = *impair_queue_counts(t->imp_tx);
        impair_format(impair_queue_spec(t->imp_tx), out->impair_spec,
                      sizeof(out->impair_spec));
    }
    if (t->imp_rx != NULL) {
        out->impair_rx_on = true;
        out->impair_rx = *impair_queue_counts(t->imp_rx);
        if (t->imp_tx == NULL)
            impair_format(impair_queue_spec(t->imp_rx), out->impair_spec,
                          sizeof(out->impair_spec));
    }
}
