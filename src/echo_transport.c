/*
 * echo_transport.c - the transport settings of the echo workload.
 */
#include <string.h>

#include "echo.h"
#include "transport.h"

void echo_transport_config(const struct echo_config *cfg, const char *bind_host,
                           int family, uint16_t udp_port, uint16_t streams,
                           struct transport_config *tc)
{
    memset(tc, 0, sizeof(*tc));
    tc->bind_host = bind_host;
    tc->family = family;
    tc->udp_port = udp_port;
    tc->mtu = cfg->mtu;
    tc->sndbuf = cfg->sndbuf;
    tc->rcvbuf = cfg->rcvbuf;
    tc->streams = streams;
    /* Echo measures round trips: no bundling delay. (The delayed SACK
     * rides on the echo, so it costs nothing.) */
    tc->nodelay = true;
    tc->sack_delay_ms = cfg->sack_delay_ms;
    tc->sack_freq = cfg->sack_freq;
    tc->rto_min_ms = cfg->rto_min_ms;
    tc->rto_max_ms = cfg->rto_max_ms;
    tc->rto_initial_ms = cfg->rto_initial_ms;
    tc->hb_interval_ms = cfg->hb_interval_ms;
    tc->max_peers = cfg->max_peers;
    sock_opts_to_transport(&cfg->sock, tc);
    /*
     * A client allows as many inbound streams as it sends on, unless
     * --instreams says otherwise: the echoes come back on the streams it
     * sent on, and no more are needed. This is what the server's
     * outbound stream count becomes (min of its own and our limit), and
     * usrsctp keeps a stream structure per outbound stream for the whole
     * association: 2048 of them, the listener's default, cost the server
     * about 140 KiB per association (README, memory per association).
     */
    if (!cfg->server && tc->in_streams == 0)
        tc->in_streams = streams;
}
