/*
 * impair_queue.c - see impair_queue.h.
 */
#include <event2/event.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "impair_queue.h"

struct held {
    uint64_t at_us; /* release time */
    uint64_t seq;   /* arrival order: equal times keep it */
    struct sockaddr_storage addr;
    socklen_t addrlen;
    size_t len;
    uint8_t *data;
};

struct impair_queue {
    struct impair im;
    struct event *timer;
    impair_deliver_cb deliver;
    impair_done_cb done;
    void *arg;
    struct held *heap; /* min-heap on (at_us, seq) */
    size_t n;
    size_t cap;
    size_t bytes;
    uint64_t seq;
    uint64_t armed_at_us; /* the timer is set for this time; 0: not set */
};

static uint64_t now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static bool before(const struct held *a, const struct held *b)
{
    return a->at_us < b->at_us || (a->at_us == b->at_us && a->seq < b->seq);
}

static void swap(struct held *a, struct held *b)
{
    struct held t = *a;

    *a = *b;
    *b = t;
}

static void sift_up(struct held *h, size_t i)
{
    while (i > 0 && before(&h[i], &h[(i - 1) / 2])) {
        swap(&h[i], &h[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
}

static void sift_down(struct held *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1;
        size_t m = i;

        if (l < n && before(&h[l], &h[m]))
            m = l;
        if (l + 1 < n && before(&h[l + 1], &h[m]))
            m = l + 1;
        if (m == i)
            return;
        swap(&h[i], &h[m]);
        i = m;
    }
}

/* Take the earliest off the heap. */
static struct held pop(struct impair_queue *q)
{
    struct held top = q->heap[0];

    q->heap[0] = q->heap[--q->n];
    sift_down(q->heap, q->n, 0);
    q->bytes -= top.len;
    return top;
}

/* The timer for the earliest held datagram. Each held datagram would
 * otherwise move libevent's own timer heap; most go behind the earliest
 * and need no change. */
static void arm(struct impair_queue *q, uint64_t now)
{
    struct timeval tv = { 0, 0 };

    if (q->n == 0) {
        evtimer_del(q->timer);
        q->armed_at_us = 0;
        return;
    }
    if (q->armed_at_us == q->heap[0].at_us)
        return;
    q->armed_at_us = q->heap[0].at_us;
    if (q->heap[0].at_us > now) {
        uint64_t d = q->heap[0].at_us - now;

        tv.tv_sec = (time_t)(d / 1000000u);
        tv.tv_usec = (suseconds_t)(d % 1000000u);
    }
    evtimer_add(q->timer, &tv);
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
    struct impair_queue *q = arg;
    uint64_t now = now_us();
    bool any = false;

    (void)fd;
    (void)what;
    q->armed_at_us = 0; /* fired: no longer set */
    while (q->n > 0 && q->heap[0].at_us <= now) {
        struct held h = pop(q);

        q->deliver(q->arg, (struct sockaddr *)&h.addr, h.addrlen, h.data,
                   h.len);
        free(h.data);
        any = true;
    }
    if (any && q->done != NULL)
        q->done(q->arg);
    arm(q, now);
}

struct impair_queue *impair_queue_new(struct event_base *base,
                                      const struct impair_spec *spec,
                                      uint64_t seed, impair_deliver_cb deliver,
                                      impair_done_cb done, void *arg)
{
    struct impair_queue *q = calloc(1, sizeof(*q));

    if (q == NULL)
        return NULL;
    q->timer = evtimer_new(base, timer_cb, q);
    if (q->timer == NULL) {
        free(q);
        return NULL;
    }
    impair_init(&q->im, spec, seed);
    q->deliver = deliver;
    q->done = done;
    q->arg = arg;
    return q;
}

void impair_queue_free(struct impair_queue *q)
{
    if (q == NULL)
        return;
    while (q->n > 0)
        free(q->heap[--q->n].data);
    free(q->heap);
    event_free(q->timer);
    free(q);
}

/* Hold a copy of buf until at; false (and counted) when it cannot be. */
static bool hold(struct impair_queue *q, const struct sockaddr *addr,
                 socklen_t addrlen, const uint8_t *buf, size_t len, uint64_t at)
{
    struct held h;

    if (q->n >= IMPAIR_HOLD_MAX || q->bytes + len > IMPAIR_HOLD_BYTES ||
        addrlen > sizeof(h.addr))
        return false;
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 64;
        struct held *heap = realloc(q->heap, cap * sizeof(*heap));

        if (heap == NULL)
            return false;
        q->heap = heap;
        q->cap = cap;
    }
    memset(&h, 0, sizeof(h));
    h.data = malloc(len ? len : 1);
    if (h.data == NULL)
        return false;
    memcpy(h.data, buf, len);
    memcpy(&h.addr, addr, addrlen);
    h.addrlen = addrlen;
    h.len = len;
    h.at_us = at;
    h.seq = q->seq++;
    q->heap[q->n] = h;
    sift_up(q->heap, q->n++);
    q->bytes += len;
    return true;
}

void impair_queue_input(struct impair_queue *q, const struct sockaddr *addr,
                        socklen_t addrlen, uint8_t *buf, size_t len,
                        uint64_t now)
{
    struct impair_action a;
    unsigned int i;

    impair_decide(&q->im, len, now, &a);
    if (a.drop)
        return;
    if (a.corrupt_bit >= 0)
        buf[a.corrupt_bit / 8] ^= (uint8_t)(1u << (a.corrupt_bit % 8));
    for (i = 0; i < a.copies; i++) {
        /* Nothing holds it: at once, even past held ones (reorder=) */
        if (a.send_at_us <= now) {
            q->deliver(q->arg, addr, addrlen, buf, len);
            continue;
        }
        if (!hold(q, addr, addrlen, buf, len, a.send_at_us)) {
            q->im.counts.dropped_queue++;
            continue;
        }
        arm(q, now);
    }
}

const struct impair_counts *impair_queue_counts(const struct impair_queue *q)
{
    return &q->im.counts;
}

const struct impair_spec *impair_queue_spec(const struct impair_queue *q)
{
    return &q->im.spec;
}

size_t impair_queue_held(const struct impair_queue *q)
{
    return q->n;
}
