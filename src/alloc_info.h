/*
 * alloc_info.h - which malloc this binary runs on.
 *
 * usrsctp allocates per packet, so the allocator moves throughput by tens
 * of percent (docs/profile.md): --version names it, so that a benchmark
 * report says what it measured.
 */
#ifndef SCTPU_ALLOC_INFO_H
#define SCTPU_ALLOC_INFO_H

/* "mimalloc 2.0.9", "glibc 2.36 malloc", "AddressSanitizer's malloc" or
 * "libc malloc"; static storage. */
const char *alloc_info_name(void);

#endif /* SCTPU_ALLOC_INFO_H */
