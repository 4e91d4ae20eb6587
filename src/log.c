/*
 * log.c - leveled diagnostics on stderr.
 *
 * The level and program name are process-wide settings made once by
 * main() before anything runs; everything else only reads them.
 */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static const char *log_progname = "sctpu";
static enum log_level log_level = LOG_LEVEL_INFO;

void log_init(const char *progname, enum log_level level)
{
    if (progname != NULL)
        log_progname = progname;
    log_level = level;
}

enum log_level log_get_level(void)
{
    return log_level;
}

const char *log_get_progname(void)
{
    return log_progname;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *const prefix[] = {
        [LOG_LEVEL_ERR] = "error: ",
        [LOG_LEVEL_WARN] = "warning: ",
        [LOG_LEVEL_INFO] = "",
        [LOG_LEVEL_DEBUG] = "debug: ",
    };
    va_list ap;

    if (level > log_level)
        return;
    fprintf(stderr, "%s: %s", log_progname, prefix[level]);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
