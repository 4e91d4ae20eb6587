/*
 * impair_queue.h - --impair on the event loop: one direction's datagrams
 * (sent or received) decided by impair.h, and those it holds back kept
 * in a time-ordered heap, one copy each, until a libevent timer releases
 * them. Dropped ones are counted and go nowhere; the rest reach the
 * deliver callback, at once or when their time comes.
 *
 * Held datagrams are bounded (IMPAIR_HOLD_MAX of them, IMPAIR_HOLD_BYTES
 * in all): past that a datagram is dropped and counted as a queue drop,
 * as a router's full queue would.
 */
#ifndef SCTPU_IMPAIR_QUEUE_H
#define SCTPU_IMPAIR_QUEUE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "impair.h"

#define IMPAIR_HOLD_MAX 8192
#define IMPAIR_HOLD_BYTES (32u * 1024 * 1024)

struct event_base;
struct impair_queue;

/* Hand one datagram on (send it, or feed it to the stack). */
typedef void (*impair_deliver_cb)(void *arg, const struct sockaddr *addr,
                                  socklen_t addrlen, uint8_t *buf, size_t len);
/* After the timer released some: e.g. flush a send batch. */
typedef void (*impair_done_cb)(void *arg);

/* NULL when out of memory. */
struct impair_queue *impair_queue_new(struct event_base *base,
                                      const struct impair_spec *spec,
                                      uint64_t seed, impair_deliver_cb deliver,
                                      impair_done_cb done, void *arg);

/* Frees the queue and drops what it still holds (counted as dropped). */
void impair_queue_free(struct impair_queue *q);

/*
 * One datagram, at now_us (CLOCK_MONOTONIC, microseconds). buf may be
 * changed (a corrupted bit); it is not kept: what is held is copied.
 */
void impair_queue_input(struct impair_queue *q, const struct sockaddr *addr,
                        socklen_t addrlen, uint8_t *buf, size_t len,
                        uint64_t now_us);

const struct impair_counts *impair_queue_counts(const struct impair_queue *q);

/* The spec in force, its seed included (impair_format). */
const struct impair_spec *impair_queue_spec(const struct impair_queue *q);

/* Datagrams held now. */
size_t impair_queue_held(const struct impair_queue *q);

#endif /* SCTPU_IMPAIR_QUEUE_H */
