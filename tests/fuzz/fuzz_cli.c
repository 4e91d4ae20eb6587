/*
 * fuzz_cli.c - the command lines of sctpu-perf and sctpu-echo
 * (src/perf_cli.c, src/echo_cli.c and the value parsers under them:
 * units, rates, host lists, ports). Both parse into a struct and return a
 * verdict; neither exits, prints or touches the network, so the real
 * parsers run here as the tools call them.
 *
 * Input: a selector byte (bit 0: sctpu-echo, else sctpu-perf), then the
 * arguments, separated by NUL bytes (at most MAX_ARGS; each one a heap
 * block of exactly its length plus the NUL, so ASan sees a read past it).
 * Checked: an error comes with a message, of one line unless an argument
 * has a newline (messages quote the offending argument as given); a
 * configuration the parser accepts keeps the limits the rest of the tool
 * relies on.
 */
#include <string.h>

#include "echo.h"
#include "echo_cli.h"
#include "fuzz_check.h"
#include "perf.h"
#include "perf_cli.h"
#include "perf_verify.h"

#define MAX_ARGS 24

static char err[512];
static bool arg_has_newline;

/* What every error message must be: one non-empty line. */
static void check_error_text(void)
{
    FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
    FUZZ_CHECK(err[0] != '\0');
    FUZZ_CHECK(arg_has_newline || strchr(err, '\n') == NULL);
}

static void fuzz_perf(int argc, char **argv)
{
    static struct perf_config cfg;
    enum perf_cli_result r = perf_cli_parse(&cfg, argc, argv, err, sizeof(err));

    FUZZ_CHECK(r >= PERF_CLI_RUN && r <= PERF_CLI_CHECK);
    if (r == PERF_CLI_ERROR)
        check_error_text();
    if (r != PERF_CLI_RUN)
        return;
    FUZZ_CHECK(cfg.role == PERF_ROLE_CLIENT || cfg.role == PERF_ROLE_SERVER);
    FUZZ_CHECK(memchr(cfg.host, '\0', sizeof(cfg.host)) != NULL);
    if (cfg.role != PERF_ROLE_CLIENT)
        return;
    /* perf_cli.h: at most one way to end the test */
    FUZZ_CHECK(
        (cfg.duration_s != 0.0) + (cfg.bytes != 0) + (cfg.messages != 0) <= 1);
    /* what PARAMS can carry (perf_proto.h) */
    FUZZ_CHECK(cfg.parallel >= 1 && cfg.parallel <= PERF_MAX_PARALLEL);
    FUZZ_CHECK(cfg.nstreams >= 1 && cfg.nstreams <= PERF_MAX_STREAMS);
    FUZZ_CHECK(cfg.length >= 1 && cfg.length <= PERF_MAX_LEN);
    FUZZ_CHECK(!cfg.verify || cfg.length >= PERF_VERIFY_HDR_LEN);
    FUZZ_CHECK(cfg.nppids <= cfg.nstreams);
}

static void fuzz_echo(int argc, char **argv)
{
    static struct echo_config cfg;
    enum echo_cli_result r = echo_cli_parse(&cfg, argc, argv, err, sizeof(err));

    FUZZ_CHECK(r >= ECHO_CLI_RUN && r <= ECHO_CLI_CHECK);
    if (r == ECHO_CLI_ERROR)
        check_error_text();
    if (r != ECHO_CLI_RUN)
        return;
    FUZZ_CHECK(memchr(cfg.host, '\0', sizeof(cfg.host)) != NULL);
    FUZZ_CHECK(memchr(cfg.bind, '\0', sizeof(cfg.bind)) != NULL);
    FUZZ_CHECK(cfg.nsizes >= 1 && cfg.nsizes <= ECHO_MAX_SIZES);
    FUZZ_CHECK(cfg.window <= ECHO_MAX_WINDOW);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = { data, size };
    bool echo = fuzz_u8(&in) & 1;
    char *argv[MAX_ARGS + 2];
    int argc = 0;

    argv[argc++] = echo ? "sctpu-echo" : "sctpu-perf";
    arg_has_newline = false;
    while (in.left > 0 && argc <= MAX_ARGS) {
        const uint8_t *nul = memchr(in.p, '\0', in.left);
        size_t n = nul != NULL ? (size_t)(nul - in.p) : in.left;
        size_t got;
        uint8_t *arg = fuzz_take(&in, n, &got);
        char *s = realloc(arg, got + 1);

        FUZZ_CHECK(s != NULL);
        s[got] = '\0';
        if (memchr(s, '\n', got) != NULL)
            arg_has_newline = true;
        argv[argc++] = s;
        fuzz_u8(&in); /* the NUL */
    }
    argv[argc] = NULL;
    err[0] = '\0';
    if (echo)
        fuzz_echo(argc, argv);
    else
        fuzz_perf(argc, argv);
    for (int i = 1; i < argc; i++)
        free(argv[i]);
    return 0;
}
