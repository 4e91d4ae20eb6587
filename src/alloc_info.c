/*
 * alloc_info.c - which malloc this binary runs on (see alloc_info.h).
 *
 * The build links mimalloc or not (SCTPU_MIMALLOC in CMakeLists.txt);
 * the version comes from the library actually loaded, not its header.
 * An allocator preloaded with LD_PRELOAD is not seen here.
 */
#include "alloc_info.h"

#include <stdio.h>

/* AddressSanitizer replaces malloc whatever is linked (the build leaves
 * mimalloc out then). gcc says so with __SANITIZE_ADDRESS__, clang with
 * __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
#define ALLOC_INFO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALLOC_INFO_ASAN 1
#endif
#endif

#ifdef SCTPU_HAVE_MIMALLOC
#include <mimalloc.h>
#elif defined(__GLIBC__)
#include <gnu/libc-version.h>
#endif

const char *alloc_info_name(void)
{
    static char name[48];

#if defined(ALLOC_INFO_ASAN)
    snprintf(name, sizeof(name), "AddressSanitizer's malloc");
#elif defined(SCTPU_HAVE_MIMALLOC)
    /* mi_version() is major * 100 + minor * 10 + patch, e.g. 209. */
    int v = mi_version();

    snprintf(name, sizeof(name), "mimalloc %d.%d.%d", v / 100, v / 10 % 10,
             v % 10);
#elif defined(__GLIBC__)
    snprintf(name, sizeof(name), "glibc %s malloc", gnu_get_libc_version());
#else
    snprintf(name, sizeof(name), "libc malloc");
#endif
    return name;
}
