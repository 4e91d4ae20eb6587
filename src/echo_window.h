/*
 * echo_window.h - the echo client's messages in flight (--window), and
 * which of them an echo answers.
 *
 * Echoes on different streams, and unordered ones, can come back in any
 * order, so an echo is matched to a message by the sequence number it
 * carries, never by when it arrives, and then checked against exactly that
 * message: bytes, length, stream, PPID and unordered flag. The table holds
 * at most cap records, allocated once; no I/O, no clock (the caller stamps
 * the send time).
 */
#ifndef SCTPU_ECHO_WINDOW_H
#define SCTPU_ECHO_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transport.h"

/* One message sent and not yet echoed. */
struct echo_flight {
    uint64_t number; /* 0, 1, 2 ... in send order; its seq is the low 32 bits */
    uint64_t sent_us; /* when it was handed to the transport */
    uint32_t len;
    uint32_t ppid;
    uint16_t sid;
    bool unordered;
};

struct echo_window {
    struct echo_flight *slots; /* the first count are in use, in no order */
    size_t cap;
    size_t count;
    size_t max_count; /* the most ever in flight at once */
    /*
     * Many echo servers (a kernel recv/send loop) answer with PPID 0, not
     * the PPID sent. Unless ppid_strict, a PPID that differs is counted
     * here and the echo still verified by payload, stream and flags; the
     * first such pair is kept for the message that says so.
     */
    bool ppid_strict;
    uint64_t ppid_differed;
    uint32_t ppid_sent; /* of the first echo whose PPID differed */
    uint32_t ppid_got;
};

enum echo_match {
    ECHO_MATCH_OK,      /* the echo is exactly the message taken */
    ECHO_MATCH_CORRUPT, /* the echo answers the message taken, but differs */
    ECHO_MATCH_NONE,    /* it answers nothing in flight; nothing taken */
};

/* An empty table for up to cap messages. 0, -EINVAL (cap 0) or -ENOMEM. */
int echo_window_init(struct echo_window *w, size_t cap);
void echo_window_free(struct echo_window *w);

static inline bool echo_window_full(const struct echo_window *w)
{
    return w->count >= w->cap;
}

/* Record a message sent. 0, or -ENOSPC when the window is full. */
int echo_window_add(struct echo_window *w, const struct echo_flight *f);

/* The message in flight longest (lowest number); NULL when none is. */
const struct echo_flight *echo_window_oldest(const struct echo_window *w);

/*
 * Take the message that the echo buf[0..len), received with rx's stream,
 * PPID and unordered flag, answers, into *out, and say whether the echo is
 * exactly it. *why says what differs (CORRUPT) or why nothing matched
 * (NONE); it is NULL for OK. The rules, in order:
 *  1. an intact sequence number (echo_msg_seq) names the message; if that
 *     one is not in flight, the echo is unexpected (a duplicate?);
 *  2. otherwise (under 4 bytes, or damaged) the oldest message on rx's
 *     stream that the echo matches exactly (short messages of one length
 *     are all alike; any of them would do);
 *  3. otherwise the message its damaged sequence field names, if in flight;
 *  4. otherwise the oldest message on rx's stream, which on an ordered
 *     stream is the only one that can be next.
 */
enum echo_match echo_window_take(struct echo_window *w, const uint8_t *buf,
                                 size_t len, const struct transport_msginfo *rx,
                                 struct echo_flight *out, const char **why);

#endif /* SCTPU_ECHO_WINDOW_H */
