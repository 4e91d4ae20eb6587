/*
 * json_out.h - write a JSON document into a growing memory buffer.
 *
 * Commas are placed automatically; the caller only opens and closes
 * objects and arrays and names members. Strings are escaped. Doubles
 * that are not finite are written as null.
 */
#ifndef SCTPU_JSON_OUT_H
#define SCTPU_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_OUT_MAX_DEPTH 16

struct json_out {
    char *buf;
    size_t len;
    size_t cap;
    bool failed; /* out of memory: output is incomplete */
    int depth;
    bool need_comma[JSON_OUT_MAX_DEPTH];
};

void json_out_init(struct json_out *j);
void json_out_free(struct json_out *j);

/* Members of an object take a key; array elements pass NULL. */
void json_out_begin_object(struct json_out *j, const char *key);
void json_out_end_object(struct json_out *j);
void json_out_begin_array(struct json_out *j, const char *key);
void json_out_end_array(struct json_out *j);
void json_out_string(struct json_out *j, const char *key, const char *v);
void json_out_u64(struct json_out *j, const char *key, uint64_t v);
void json_out_i64(struct json_out *j, const char *key, int64_t v);
void json_out_double(struct json_out *j, const char *key, double v);
void json_out_bool(struct json_out *j, const char *key, bool v);
void json_out_null(struct json_out *j, const char *key);

/* Write the document and a newline to out; -1 if it is incomplete. */
int json_out_write(const struct json_out *j, FILE *out);

#endif /* SCTPU_JSON_OUT_H */
