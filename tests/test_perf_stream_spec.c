/* tests/test_perf_stream_spec.c - --stream SPEC: parsing, checks, wire. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "perf.h"
#include "perf_stream_spec.h"

static int add(struct perf_stream_specs *set, const char *arg, char *err)
{
    return perf_stream_spec_add(set, arg, err, 256);
}

static void test_spec_parses_keys(void **state)
{
    struct perf_stream_specs set;
    char err[256];

    (void)state;
    memset(&set, 0, sizeof(set));
    assert_int_equal(add(&set, "0:len=200,rate=200k", err), 0);
    assert_int_equal(add(&set, "1-3:len=64k,unordered", err), 0);
    assert_int_equal(add(&set, "4:pr=ttl:50", err), 0);
    assert_int_equal(add(&set, "5", err), 0);
    assert_int_equal(add(&set, "6:pr=buf:1M,ordered,prio=3", err), 0);
    assert_int_equal(set.n, 5);
    assert_int_equal(set.s[0].first, 0);
    assert_int_equal(set.s[0].last, 0);
    assert_int_equal(set.s[0].length, 200);
    assert_true(set.s[0].rate_bps == 200000);
    assert_int_equal(set.s[0].unordered, -1);
    assert_int_equal(set.s[0].pr_policy, -1);
    assert_int_equal(set.s[1].first, 1);
    assert_int_equal(set.s[1].last, 3);
    assert_int_equal(set.s[1].length, 65536);
    assert_int_equal(set.s[1].unordered, 1);
    assert_int_equal(set.s[2].pr_policy, PERF_PR_TTL);
    assert_int_equal(set.s[2].pr_value, 50);
    assert_int_equal(set.s[3].length, 0);
    assert_int_equal(set.s[4].pr_policy, PERF_PR_BUF);
    assert_int_equal(set.s[4].pr_value, 1048576);
    assert_int_equal(set.s[4].unordered, 0);
    assert_int_equal(set.s[4].prio, 3);
    assert_int_equal(set.s[0].prio, PERF_STREAM_PRIO_NONE);
    assert_int_equal(perf_stream_specs_end(&set), 7);
    assert_ptr_equal(perf_stream_specs_find(&set, 2), &set.s[1]);
    assert_null(perf_stream_specs_find(&set, 7));
}

static void test_spec_rejects(void **state)
{
    static const struct {
        const char *arg;
        const char *says;
    } bad[] = {
        { "", "is not a stream" },
        { "x", "is not a stream" },
        { "3-1", "is not a stream" },
        { "1024", "is not a stream" },
        { "-1", "is not a stream" },
        { "0:", "nothing after" },
        { "0:len=8", "len=8" },
        { "0:len=abc", "len=abc" },
        { "0:len", "needs a value" },
        { "0:rate=0", "rate=0" },
        { "0:rate=fast", "rate=fast" },
        { "0:pr=ttl", "pr=ttl" },
        { "0:pr=foo:3", "pr=foo" },
        { "0:colour=red", "unknown key 'colour'" },
        { "0:unordered=1", "takes no value" },
        { "0:prio=65535", "prio=65535" },
        { "0:prio", "needs a value" },
    };
    struct perf_stream_specs set;
    char err[256];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(&set, 0, sizeof(set));
        err[0] = '\0';
        assert_int_equal(add(&set, bad[i].arg, err), -1);
        assert_int_equal(set.n, 0);
        if (strstr(err, bad[i].says) == NULL)
            fail_msg("'%s': '%s' lacks '%s'", bad[i].arg, err, bad[i].says);
    }
}

static void test_spec_overlap_and_count(void **state)
{
    struct perf_stream_specs set;
    char err[256];
    char arg[16];
    int i;

    (void)state;
    memset(&set, 0, sizeof(set));
    assert_int_equal(add(&set, "2-5", err), 0);
    assert_int_equal(add(&set, "5-6", err), -1);
    assert_non_null(strstr(err, "streams 2-5"));
    assert_int_equal(add(&set, "0-1", err), 0);
    assert_int_equal(add(&set, "6", err), 0);
    memset(&set, 0, sizeof(set));
    for (i = 0; i < PERF_STREAM_SPECS_MAX; i++) {
        snprintf(arg, sizeof(arg), "%d", i);
        assert_int_equal(add(&set, arg, err), 0);
    }
    assert_int_equal(add(&set, "100", err), -1);
    assert_non_null(strstr(err, "at most"));
}

static void test_spec_resolve_problem_wire(void **state)
{
    struct perf_stream_specs set;
    struct perf_stream_specs back;
    uint8_t buf[PERF_STREAM_SPECS_WIRE_MAX];
    char err[256];
    int n;

    (void)state;
    memset(&set, 0, sizeof(set));
    assert_int_equal(add(&set, "0:len=200,rate=200k", err), 0);
    assert_int_equal(add(&set, "1:pr=rtx:3,prio=9", err), 0);
    perf_stream_specs_resolve(&set, 1000, 5000000, true, PERF_PR_TTL, 40);
    assert_int_equal(set.s[0].length, 200);
    assert_true(set.s[0].rate_bps == 200000);
    assert_int_equal(set.s[0].unordered, 1);
    assert_int_equal(set.s[0].pr_policy, PERF_PR_TTL);
    assert_int_equal(set.s[0].pr_value, 40);
    assert_int_equal(set.s[1].length, 1000);
    assert_true(set.s[1].rate_bps == 5000000);
    assert_int_equal(set.s[1].pr_policy, PERF_PR_RTX);
    assert_int_equal(set.s[1].pr_value, 3);
    assert_null(perf_stream_specs_problem(&set, 2, PERF_MAX_LEN));
    assert_non_null(perf_stream_specs_problem(&set, 1, PERF_MAX_LEN));
    assert_non_null(perf_stream_specs_problem(&set, 2, 500));

    n = perf_stream_specs_encode(buf, sizeof(buf), &set);
    assert_int_equal(n, 2 + 2 * PERF_STREAM_SPEC_WIRE_LEN);
    assert_int_equal(perf_stream_specs_encode(buf, (size_t)n - 1, &set),
                     -EMSGSIZE);
    assert_int_equal(perf_stream_specs_decode(buf, (size_t)n, &back), 0);
    assert_memory_equal(&back.s[0], &set.s[0], sizeof(set.s[0]));
    assert_memory_equal(&back.s[1], &set.s[1], sizeof(set.s[1]));
    assert_int_equal(back.s[1].prio, 9);
    /* hostile: wrong sizes, too many, bad flags, overlap */
    assert_int_equal(perf_stream_specs_decode(buf, (size_t)n - 1, &back),
                     -EBADMSG);
    assert_int_equal(perf_stream_specs_decode(buf, 1, &back), -EBADMSG);
    buf[1] = PERF_STREAM_SPECS_MAX + 1;
    assert_int_equal(perf_stream_specs_decode(buf, (size_t)n, &back), -EBADMSG);
    buf[1] = 2;
    buf[2 + 16] = 0xff;
    assert_int_equal(perf_stream_specs_decode(buf, (size_t)n, &back), 0);
    assert_non_null(perf_stream_specs_problem(&back, 2, PERF_MAX_LEN));
    buf[2 + 16] = 0;
    buf[2 + PERF_STREAM_SPEC_WIRE_LEN + 1] = 0; /* spec 1 becomes 0-0 */
    buf[2 + PERF_STREAM_SPEC_WIRE_LEN + 3] = 0;
    assert_int_equal(perf_stream_specs_decode(buf, (size_t)n, &back), 0);
    assert_non_null(perf_stream_specs_problem(&back, 2, PERF_MAX_LEN));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_parses_keys),
        cmocka_unit_test(test_spec_rejects),
        cmocka_unit_test(test_spec_overlap_and_count),
        cmocka_unit_test(test_spec_resolve_problem_wire),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
