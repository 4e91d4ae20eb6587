/*
 * transport_usrsctp_pcap.c - --pcap in the usrsctp backend: each datagram
 * our UDP socket sends or receives goes into the capture file as the SCTP
 * packet it carries behind a synthetic IP header (pcap_frame.h) with the
 * real addresses, and the UDP header too with --pcap-udp. The capture is
 * the wire's view: ut_send_datagram and ut_receive_datagram call in after
 * tx impairment and before rx impairment.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "netaddr.h"
#include "pcap_frame.h"
#include "pcap_writer.h"
#include "transport_usrsctp_priv.h"

static bool is_wildcard(const struct sockaddr_storage *ss)
{
    static const struct in6_addr any6 = IN6ADDR_ANY_INIT;

    if (ss->ss_family == AF_INET)
        return ((const struct sockaddr_in *)ss)->sin_addr.s_addr ==
               htonl(INADDR_ANY);
    return memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr, &any6,
                  sizeof(any6)) == 0;
}

void ut_pcap_open(struct usrsctp_transport *t)
{
    socklen_t len = sizeof(t->pcap.local);

    if (t->cfg.pcap == NULL)
        return;
    memset(&t->pcap, 0, sizeof(t->pcap));
    if (getsockname(t->fd, (struct sockaddr *)&t->pcap.local, &len) < 0)
        t->pcap.local.ss_family = (sa_family_t)t->family;
    t->pcap.local_any = is_wildcard(&t->pcap.local);
}

/* Our address toward peer, with our UDP port. */
static const struct sockaddr *local_toward(struct usrsctp_transport *t,
                                           const struct sockaddr *peer)
{
    struct ut_pcap *p = &t->pcap;
    unsigned int i;

    if (!p->local_any)
        return (const struct sockaddr *)&p->local;
    for (i = 0; i < UT_PCAP_SOURCES; i++)
        if (p->src[i].peer.ss_family != 0 &&
            netaddr_same_host((struct sockaddr *)&p->src[i].peer, peer))
            return (const struct sockaddr *)&p->src[i].src;
    i = p->next;
    p->next = (p->next + 1) % UT_PCAP_SOURCES;
    memset(&p->src[i], 0, sizeof(p->src[i]));
    if (netaddr_route_source(peer,
                             peer->sa_family == AF_INET6
                                 ? sizeof(struct sockaddr_in6)
                                 : sizeof(struct sockaddr_in),
                             &p->src[i].src) < 0)
        p->src[i].src = p->local; /* no route: the wildcard it is */
    netaddr_set_port((struct sockaddr *)&p->src[i].src,
                     netaddr_port((struct sockaddr *)&p->local));
    memcpy(&p->src[i].peer, peer,
           peer->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                       : sizeof(struct sockaddr_in));
    return (const struct sockaddr *)&p->src[i].src;
}

void ut_pcap_datagram(struct usrsctp_transport *t, bool out,
                      const struct sockaddr *peer, const uint8_t *buf,
                      size_t len)
{
    uint8_t hdr[PCAP_FRAME_HDR_MAX];
    const struct sockaddr *me = local_toward(t, peer);
    struct timespec ts;
    size_t hl;
    int rc;

    hl = pcap_frame_header(hdr, out ? me : peer, out ? peer : me,
                           t->cfg.pcap_udp, buf, len);
    if (hl == 0)
        return;
    clock_gettime(CLOCK_REALTIME, &ts);
    rc = pcap_writer_packet(t->cfg.pcap, &ts, hdr, hl, buf, len);
    /* once each: the writer answers later packets with STOPPED */
    if (rc == PCAP_WRITER_FULL)
        log_warn("--pcap %s: --pcap-max reached, no more packets captured",
                 pcap_writer_path(t->cfg.pcap));
    else if (rc < 0)
        log_warn("--pcap %s: cannot write: %s; no more packets captured",
                 pcap_writer_path(t->cfg.pcap), strerror(-rc));
}
