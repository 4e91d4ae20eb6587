/*
 * fd_limit.h - make room for a descriptor per association: -P 10000 with
 * the kernel backend or --udp-per-assoc, a server holding 10,000 kernel
 * associations. The soft RLIMIT_NOFILE (often 1024) is raised toward the
 * hard one when that suffices, so the run fails up front with a clear
 * message only when it cannot be met.
 */
#ifndef SCTPU_FD_LIMIT_H
#define SCTPU_FD_LIMIT_H

#include <stdint.h>

/* 0 when need descriptors fit (the soft limit raised if it had to be);
 * -1 when not, with the soft and hard limits in *soft and *hard. */
int fd_limit_ensure(uint64_t need, uint64_t *soft, uint64_t *hard);

#endif /* SCTPU_FD_LIMIT_H */
