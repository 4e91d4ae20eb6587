/*
 * support.h - the cmocka preamble every unit test includes.
 */
#ifndef SCTPU_TEST_SUPPORT_H
#define SCTPU_TEST_SUPPORT_H

/* cmocka needs these before its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif /* SCTPU_TEST_SUPPORT_H */
