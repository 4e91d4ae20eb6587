/*
 * sctpu_main.c - the multi-call entry point: run sctpu-echo or sctpu-perf.
 *
 *   sctpu-echo ARGS        (a link named after the tool)
 *   sctpu echo ARGS        sctpu sctpu-echo ARGS    (the tool as argument,
 *   sctpu perf ARGS        sctpu sctpu-perf ARGS     as a container runs it)
 */
#include <stdio.h>
#include <string.h>

#include "tool_mains.h"
#include "version_info.h"

struct tool {
    const char *name;
    int (*main)(int argc, char **argv);
};

static const struct tool tools[] = {
    { "sctpu-echo", echo_main },
    { "sctpu-perf", perf_main },
};

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* "sctpu-echo" or just "echo". */
static const struct tool *find_tool(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
        if (strcmp(name, tools[i].name) == 0 ||
            strcmp(name, tools[i].name + strlen("sctpu-")) == 0)
            return &tools[i];
    }
    return NULL;
}

static bool is_arg(const char *arg, const char *s, const char *l)
{
    return strcmp(arg, s) == 0 || strcmp(arg, l) == 0;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: sctpu-echo [OPTIONS]   SCTP echo server and client\n"
            "       sctpu-perf [OPTIONS]   SCTP throughput tester\n"
            "       sctpu TOOL [OPTIONS]   the same, TOOL being echo or perf\n"
            "       sctpu --version [-J]   versions (-J: as JSON)\n"
            "Run 'sctpu TOOL --help' for a tool's options.\n");
}

int main(int argc, char **argv)
{
    const struct tool *t = argc > 0 ? find_tool(base_name(argv[0])) : NULL;

    if (t != NULL)
        return t->main(argc, argv);
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    /* --version [-J], either way round (not "sctpu echo --version") */
    if (is_arg(argv[1], "-v", "--version") ||
        (argc > 2 && is_arg(argv[1], "-J", "--json") &&
         is_arg(argv[2], "-v", "--version"))) {
        bool json = is_arg(argv[1], "-J", "--json") ||
                    (argc > 2 && is_arg(argv[2], "-J", "--json"));

        if (argc > 3 || (argc == 3 && !json)) {
            fprintf(stderr, "sctpu: --version takes only -J\n");
            return 2;
        }
        version_info_print(stdout, "sctpu", json);
        return 0;
    }
    t = find_tool(argv[1]);
    if (t == NULL) {
        fprintf(stderr, "sctpu: unknown tool '%s'\n", argv[1]);
        usage(stderr);
        return 2;
    }
    return t->main(argc - 1, argv + 1);
}
