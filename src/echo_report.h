/*
 * echo_report.h - the echo client's summary, as text or as JSON.
 */
#ifndef SCTPU_ECHO_REPORT_H
#define SCTPU_ECHO_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "rtt_stats.h"
#include "transport.h"

/* Path events the client keeps for its JSON (later ones are counted). */
#define ECHO_REPORT_MAX_PATHS 64

/* One path event (multihoming), as reported. */
struct echo_path_event {
    double time_s; /* since the client started connecting */
    struct transport_path_event ev;
};

struct echo_summary {
    const char *peer;    /* "HOST udp/PORT sctp/PORT" */
    const char *local;   /* our UDP endpoint, before any NAT */
    const char *seen_as; /* the server's view of it; NULL: not reported */
    const char *backend;
    const char *stack; /* its SCTP stack: usrsctp's version, Linux release */
    uint16_t in_streams;
    uint16_t out_streams;
    uint16_t streams_used;
    uint32_t pathmtu;
    uint64_t sent;
    uint64_t received;
    uint64_t verified;
    uint64_t corrupt; /* received but not verified */
    const struct rtt_stats *rtt;
    const char *error;       /* why the run failed; NULL if it did not */
    bool connected;          /* the association came up */
    uint64_t setup_us;       /* from connect to the association being up */
    uint32_t window;         /* --window */
    uint32_t max_in_flight;  /* the most messages in flight at once */
    uint64_t elapsed_us;     /* first message sent to last echo received */
    uint64_t verified_bytes; /* the payload of the verified echoes */
    /* echoes that came back with another PPID (and were verified by
     * payload, stream and flags: the server does not echo PPIDs) */
    uint64_t ppid_differed;
    /* DATA chunks this end sent more than once (fast or timed), as last
     * read from the association */
    uint64_t retransmits;
    /* --impair's counts (the transport's), or NULL when it is off */
    const struct transport_counters *impair;
    /* --pcap's writer (its counts so far), or NULL when it is off */
    const struct pcap_writer *pcap;
    /* multihoming, from a backend that reports paths (paths_known): the
     * association's peer addresses at connect and its path events */
    bool paths_known;
    const struct sockaddr_storage *peer_addrs;
    size_t npeer_addrs;
    const struct echo_path_event *paths;
    size_t npaths;
    uint64_t paths_dropped; /* beyond ECHO_REPORT_MAX_PATHS, or queued */
};

/* "[path] 198.18.42.2 unreachable (error 0) at 1.52 s" and a newline;
 * what (may be NULL) is added in parentheses. */
void echo_report_path_line(FILE *out, const struct echo_path_event *p,
                           const char *what);

/* "peer addresses: a, b" and a newline; nothing when n is 0. */
void echo_report_peer_addrs(FILE *out, const struct sockaddr_storage *addrs,
                            size_t n);

/* lost = sent - received. */
uint64_t echo_summary_lost(const struct echo_summary *s);

/* The server reported seeing us at another endpoint than local. */
bool echo_summary_translated(const struct echo_summary *s);

/* Verified echoes and their bytes per second of elapsed_us; 0 if none. */
double echo_summary_msgs_per_s(const struct echo_summary *s);
double echo_summary_bytes_per_s(const struct echo_summary *s);

/* The summary for people; the error, if any, is not in it (the caller
 * reports that once, on stderr). */
void echo_report_text(FILE *out, const struct echo_summary *s);

/* One JSON object on one line, with a newline. */
void echo_report_json(FILE *out, const struct echo_summary *s);

#endif /* SCTPU_ECHO_REPORT_H */
