/*
 * fuzz_check.h - what the fuzz targets share: a check that stops the run
 * with a message (libFuzzer keeps the input as a crash), and a cursor
 * that hands out the input's bytes.
 */
#ifndef SCTPU_FUZZ_CHECK_H
#define SCTPU_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A property of the code under test failed: abort, so the input is kept. */
#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* The input, consumed from the front; reads past its end give zeros. */
struct fuzz_in {
    const uint8_t *p;
    size_t left;
};

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
    uint8_t v = 0;

    if (in->left > 0) {
        v = in->p[0];
        in->p++;
        in->left--;
    }
    return v;
}

static inline uint16_t fuzz_u16(struct fuzz_in *in)
{
    uint16_t hi = fuzz_u8(in);

    return (uint16_t)(hi << 8 | fuzz_u8(in));
}

static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
    uint32_t hi = fuzz_u16(in);

    return hi << 16 | fuzz_u16(in);
}

/*
 * The next n bytes (fewer if the input ends first; *got says how many),
 * as a fresh heap block of exactly that size, so that ASan sees a read
 * one byte past it (under ASan even a block of 0 bytes is a real one).
 */
static inline uint8_t *fuzz_take(struct fuzz_in *in, size_t n, size_t *got)
{
    uint8_t *b = NULL;

    if (n > in->left)
        n = in->left;
    b = malloc(n);
    if (b == NULL && n > 0)
        abort();
    for (size_t i = 0; i < n; i++)
        b[i] = in->p[i];
    in->p += n;
    in->left -= n;
    *got = n;
    return b;
}

/* The code under test's prototype, declared for -Wmissing-prototypes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* SCTPU_FUZZ_CHECK_H */
