/*
 * log.h - the one writer of diagnostics to stderr.
 *
 * Results (echo lines, summaries, JSON) go to stdout through the workloads;
 * everything else goes through here, prefixed with the program name, so a
 * user can redirect results and diagnostics separately.
 */
#ifndef SCTPU_LOG_H
#define SCTPU_LOG_H

enum log_level {
    LOG_LEVEL_ERR = 0,
    LOG_LEVEL_WARN = 1,
    LOG_LEVEL_INFO = 2,
    LOG_LEVEL_DEBUG = 3,
};

void log_init(const char *progname, enum log_level level);
enum log_level log_get_level(void);
const char *log_get_progname(void);

void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_LEVEL_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif /* SCTPU_LOG_H */
