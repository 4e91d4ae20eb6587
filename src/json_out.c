/*
 * json_out.c - a small JSON writer for sctpu-perf's -J output.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"

void json_out_init(struct json_out *j)
{
    memset(j, 0, sizeof(*j));
}

void json_out_free(struct json_out *j)
{
    free(j->buf);
    memset(j, 0, sizeof(*j));
}

static void put(struct json_out *j, const char *s, size_t n)
{
    if (j->failed)
        return;
    if (j->len + n + 1 > j->cap) {
        size_t cap = j->cap ? j->cap : 4096;
        char *buf;

        while (j->len + n + 1 > cap)
            cap *= 2;
        buf = realloc(j->buf, cap);
        if (buf == NULL) {
            j->failed = true;
            return;
        }
        j->buf = buf;
        j->cap = cap;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void putf(struct json_out *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void putf(struct json_out *j, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n > 0)
        put(j, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void put_string(struct json_out *j, const char *s)
{
    put(j, "\"", 1);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\') {
            char esc[2] = { '\\', (char)c };

            put(j, esc, 2);
        } else if (c == '\n') {
            put(j, "\\n", 2);
        } else if (c < 0x20) {
            putf(j, "\\u%04x", c);
        } else {
            put(j, s, 1);
        }
    }
    put(j, "\"", 1);
}

/* Comma and key before a value at the current depth. */
static void begin_value(struct json_out *j, const char *key)
{
    if (j->depth > 0 && j->depth <= JSON_OUT_MAX_DEPTH) {
        if (j->need_comma[j->depth - 1])
            put(j, ",", 1);
        j->need_comma[j->depth - 1] = true;
    }
    if (key != NULL) {
        put_string(j, key);
        put(j, ":", 1);
    }
}

static void open_nested(struct json_out *j, const char *key, char c)
{
    begin_value(j, key);
    put(j, &c, 1);
    if (j->depth >= JSON_OUT_MAX_DEPTH) {
        j->failed = true;
        return;
    }
    j->need_comma[j->depth++] = false;
}

void json_out_begin_object(struct json_out *j, const char *key)
{
    open_nested(j, key, '{');
}

void json_out_end_object(struct json_out *j)
{
    put(j, "}", 1);
    if (j->depth > 0)
        j->depth--;
}

void json_out_begin_array(struct json_out *j, const char *key)
{
    open_nested(j, key, '[');
}

void json_out_end_array(struct json_out *j)
{
    put(j, "]", 1);
    if (j->depth > 0)
        j->depth--;
}

void json_out_string(struct json_out *j, const char *key, const char *v)
{
    begin_value(j, key);
    if (v == NULL)
        put(j, "null", 4);
    else
        put_string(j, v);
}

void json_out_u64(struct json_out *j, const char *key, uint64_t v)
{
    begin_value(j, key);
    putf(j, "%" PRIu64, v);
}

void json_out_i64(struct json_out *j, const char *key, int64_t v)
{
    begin_value(j, key);
    putf(j, "%" PRId64, v);
}

void json_out_double(struct json_out *j, const char *key, double v)
{
    begin_value(j, key);
    if (isfinite(v))
        putf(j, "%.15g", v);
    else
        put(j, "null", 4);
}

void json_out_bool(struct json_out *j, const char *key, bool v)
{
    begin_value(j, key);
    put(j, v ? "true" : "false", v ? 4 : 5);
}

void json_out_null(struct json_out *j, const char *key)
{
    begin_value(j, key);
    put(j, "null", 4);
}

int json_out_write(const struct json_out *j, FILE *out)
{
    if (j->failed || j->depth != 0 || j->buf == NULL)
        return -1;
    fputs(j->buf, out);
    fputc('\n', out);
    return 0;
}
