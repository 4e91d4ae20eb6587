/*
 * perf_txbuf.h - the message buffer senders share. Every association of
 * a test sends the same bytes (with --verify only a header differs, which
 * the sender stamps just before each send, and the send copies), so one
 * buffer per (length, verify) serves them all: -P 10000 -l 64K costs
 * 64 KiB, not 640 MB.
 */
#ifndef SCTPU_PERF_TXBUF_H
#define SCTPU_PERF_TXBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A buffer of len bytes ready to send (with verify: prepared by
 * perf_verify_prepare, its payload CRC in *crc), shared and counted; NULL
 * when out of memory. Not thread-safe: one event loop per process.
 */
uint8_t *perf_txbuf_get(size_t len, bool verify, uint32_t *crc);

/* Done with it (NULL: nothing); the last user frees it. */
void perf_txbuf_put(uint8_t *buf);

#endif /* SCTPU_PERF_TXBUF_H */
