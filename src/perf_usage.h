/*
 * perf_usage.h - sctpu-perf's --help text and the iperf3 options it
 * refuses (perf_cli_usage() itself is declared in perf_cli.h).
 */
#ifndef SCTPU_PERF_USAGE_H
#define SCTPU_PERF_USAGE_H

/*
 * iperf3 options that mean nothing here. Each is refused with its reason,
 * the same line that --help shows, instead of being taken for something
 * else (getopt would read --udp as --udp-port) or silently ignored.
 */
struct perf_cli_refused {
    int letter;       /* iperf3's short option, 0 if none */
    const char *name; /* its long option */
    const char *why;
};

#define PERF_N_REFUSED 4

extern const struct perf_cli_refused perf_refused_opts[PERF_N_REFUSED];

#endif /* SCTPU_PERF_USAGE_H */
