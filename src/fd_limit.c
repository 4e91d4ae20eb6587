/*
 * fd_limit.c - raise RLIMIT_NOFILE for many associations (fd_limit.h).
 */
#include <sys/resource.h>

#include "fd_limit.h"

int fd_limit_ensure(uint64_t need, uint64_t *soft, uint64_t *hard)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return 0; /* cannot tell: let the sockets say */
    *soft = rl.rlim_cur;
    *hard = rl.rlim_max;
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
        return 0;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
        return -1;
    rl.rlim_cur = need;
    if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
        return -1;
    *soft = need;
    return 0;
}
