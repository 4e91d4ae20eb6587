/*
 * version_info.c - --version, as text or JSON (see version_info.h).
 */
#include "version_info.h"

#include <event2/event.h>

#include "alloc_info.h"
#include "crc32c.h"
#include "json_out.h"
#include "json_schema.h"
#include "transport.h"
#include "version.h"

/*
 * What a script may test for before it relies on it: the result formats
 * and tool modes of this build. Every build has these; a feature that a
 * build may lack is added only when it is there.
 */
static const char *const features[] = {
    "json", /* -J */
    "json-stream", "csv", "compare", "rr", "stream", "impair", "pcap",
};

static void print_json(FILE *out, const char *tool)
{
    struct json_out j;
    size_t i;

    json_out_init(&j);
    json_out_begin_object(&j, NULL);
    json_out_u64(&j, "schema_version", SCTPU_JSON_SCHEMA_VERSION);
    json_out_string(&j, "name", "sctpu");
    json_out_string(&j, "tool", tool);
    json_out_string(&j, "version", SCTPU_VERSION);
    json_out_string(&j, "usrsctp", SCTPU_USRSCTP_VERSION);
    json_out_string(&j, "libevent", event_get_version());
    json_out_string(&j, "crc32c", crc32c_impl_name());
    json_out_string(&j, "allocator", alloc_info_name());
    /* the backends built into this binary (--check says which run) */
    json_out_begin_array(&j, "backends");
    for (i = 0; i < TRANSPORT_KNOWN_BACKENDS; i++)
        if (transport_find(transport_known_backends[i]) != NULL)
            json_out_string(&j, NULL, transport_known_backends[i]);
    json_out_end_array(&j);
    json_out_begin_array(&j, "features");
    for (i = 0; i < sizeof(features) / sizeof(features[0]); i++)
        json_out_string(&j, NULL, features[i]);
    json_out_end_array(&j);
    json_out_end_object(&j);
    json_out_write(&j, out);
    json_out_free(&j);
}

void version_info_print(FILE *out, const char *tool, bool json)
{
    if (json) {
        print_json(out, tool);
        return;
    }
    fprintf(out, "%s %s\nusrsctp %s\nlibevent %s\nCRC32c %s\nallocator %s\n",
            tool, SCTPU_VERSION, SCTPU_USRSCTP_VERSION, event_get_version(),
            crc32c_impl_name(), alloc_info_name());
}
