/*
 * echo_window.c - the echo client's table of messages in flight.
 *
 * A plain array searched linearly: at most --window (1024) records, and
 * the search compares a few integers per record, far below the cost of
 * the receive call that brought the echo.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "echo_msg.h"
#include "echo_window.h"

#define NOT_FOUND ((size_t)-1)

int echo_window_init(struct echo_window *w, size_t cap)
{
    memset(w, 0, sizeof(*w));
    if (cap == 0)
        return -EINVAL;
    w->slots = calloc(cap, sizeof(*w->slots));
    if (w->slots == NULL)
        return -ENOMEM;
    w->cap = cap;
    return 0;
}

void echo_window_free(struct echo_window *w)
{
    free(w->slots);
    w->slots = NULL;
    w->cap = 0;
    w->count = 0;
}

int echo_window_add(struct echo_window *w, const struct echo_flight *f)
{
    if (echo_window_full(w))
        return -ENOSPC;
    w->slots[w->count++] = *f;
    if (w->count > w->max_count)
        w->max_count = w->count;
    return 0;
}

const struct echo_flight *echo_window_oldest(const struct echo_window *w)
{
    const struct echo_flight *best = NULL;
    size_t i;

    for (i = 0; i < w->count; i++)
        if (best == NULL || w->slots[i].number < best->number)
            best = &w->slots[i];
    return best;
}

static size_t find_seq(const struct echo_window *w, uint32_t seq)
{
    size_t i;

    for (i = 0; i < w->count; i++)
        if ((uint32_t)w->slots[i].number == seq)
            return i;
    return NOT_FOUND;
}

/* What differs between message f and its echo; NULL if nothing does. */
static const char *compare(const struct echo_window *w,
                           const struct echo_flight *f, const uint8_t *buf,
                           size_t len, const struct transport_msginfo *rx)
{
    enum echo_msg_verdict v =
        echo_msg_verify(buf, len, (uint32_t)f->number, f->len);

    if (v != ECHO_MSG_OK)
        return echo_msg_verdict_str(v);
    if (rx->sid != f->sid)
        return "echo came back on another stream";
    if (rx->ppid != f->ppid && w->ppid_strict)
        return "echo carries another PPID";
    if (rx->unordered != f->unordered)
        return "echo's unordered flag differs";
    return NULL;
}

/* The oldest message on stream sid that the echo matches exactly. */
static size_t find_exact_on_stream(const struct echo_window *w,
                                   const uint8_t *buf, size_t len,
                                   const struct transport_msginfo *rx)
{
    size_t best = NOT_FOUND;
    size_t i;

    for (i = 0; i < w->count; i++) {
        const struct echo_flight *f = &w->slots[i];

        if (f->sid != rx->sid || f->len != len ||
            (best != NOT_FOUND && f->number > w->slots[best].number))
            continue;
        if (compare(w, f, buf, len, rx) == NULL)
            best = i;
    }
    return best;
}

static size_t find_oldest_on_stream(const struct echo_window *w, uint16_t sid)
{
    size_t best = NOT_FOUND;
    size_t i;

    for (i = 0; i < w->count; i++)
        if (w->slots[i].sid == sid &&
            (best == NOT_FOUND || w->slots[i].number < w->slots[best].number))
            best = i;
    return best;
}

/* Which slot the echo answers, by the rules in echo_window.h. */
static size_t find_answered(const struct echo_window *w, const uint8_t *buf,
                            size_t len, const struct transport_msginfo *rx,
                            const char **why)
{
    uint32_t seq = 0;
    bool intact = echo_msg_seq(buf, len, &seq);
    size_t i;

    if (intact) {
        i = find_seq(w, seq);
        if (i == NOT_FOUND)
            *why = "its sequence number is not in flight (a duplicate?)";
        return i;
    }
    i = find_exact_on_stream(w, buf, len, rx);
    if (i == NOT_FOUND && len >= 4)
        i = find_seq(w, seq);
    if (i == NOT_FOUND)
        i = find_oldest_on_stream(w, rx->sid);
    if (i == NOT_FOUND)
        *why = "nothing is in flight on its stream";
    return i;
}

enum echo_match echo_window_take(struct echo_window *w, const uint8_t *buf,
                                 size_t len, const struct transport_msginfo *rx,
                                 struct echo_flight *out, const char **why)
{
    size_t i;

    *why = NULL;
    i = find_answered(w, buf, len, rx, why);
    if (i == NOT_FOUND)
        return ECHO_MATCH_NONE;
    *out = w->slots[i];
    w->slots[i] = w->slots[--w->count];
    *why = compare(w, out, buf, len, rx);
    if (*why == NULL && rx->ppid != out->ppid && w->ppid_differed++ == 0) {
        w->ppid_sent = out->ppid;
        w->ppid_got = rx->ppid;
    }
    return *why == NULL ? ECHO_MATCH_OK : ECHO_MATCH_CORRUPT;
}
