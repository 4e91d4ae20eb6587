/*
 * version_info.h - what --version prints, as text or (with -J) as one
 * JSON object, for sctpu, sctpu-echo and sctpu-perf alike.
 */
#ifndef SCTPU_VERSION_INFO_H
#define SCTPU_VERSION_INFO_H

#include <stdbool.h>
#include <stdio.h>

/*
 * tool: "sctpu-perf", "sctpu-echo" or "sctpu". Text: the tool's version,
 * then usrsctp, libevent, CRC32c and the allocator, a line each. json:
 * {"schema_version", "name": "sctpu", "tool", "version", "usrsctp",
 * "libevent", "crc32c", "allocator", "backends": [built in],
 * "features": [...]}.
 */
void version_info_print(FILE *out, const char *tool, bool json);

#endif /* SCTPU_VERSION_INFO_H */
