/*
 * tests/test_compare_table.c - the columns of a --compare: the table's
 * rows and where a long reason goes, the JSON column head, the exit rule.
 */
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "compare_table.h"
#include "json_out.h"
#include "runtime.h"

/* A tool with one figure: a count, in a column of its own. */
struct test_column {
    struct compare_column head;
    unsigned count;
};

static void test_format(char *buf, size_t len, size_t f,
                        const struct compare_column *col)
{
    (void)f;
    snprintf(buf, len, "%u", ((const struct test_column *)col)->count);
}

static void test_json_settings(struct json_out *j, const void *settings)
{
    json_out_begin_object(j, "settings");
    json_out_string(j, "name", settings);
    json_out_end_object(j);
}

static void test_json_figures(struct json_out *j,
                              const struct compare_column *col)
{
    json_out_u64(j, "count", ((const struct test_column *)col)->count);
}

static const char *const test_labels[] = { "Count" };

static struct compare_kind test_kind = {
    .title = "Comparison (test)",
    .label_w = 16,
    .column_size = sizeof(struct test_column),
    .failed_has_figures = false,
    .nfigures = 1,
    .figure_labels = test_labels,
    .format_figure = test_format,
    .footnote = "(a footnote)",
    .json_settings = test_json_settings,
    .json_figures = test_json_figures,
};

static void set_column(struct test_column *c, const char *backend,
                       const char *stack, enum compare_status status,
                       const char *why, unsigned count)
{
    memset(c, 0, sizeof(*c));
    c->head.backend = backend;
    snprintf(c->head.stack, sizeof(c->head.stack), "%s", stack);
    c->head.status = status;
    snprintf(c->head.why, sizeof(c->head.why), "%s", why);
    c->count = count;
}

/* What print wrote, as a string the caller frees. */
static char *table_text(const struct test_column *cols, size_t ncols)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    assert_non_null(out);
    compare_table_print(out, &test_kind, cols, ncols);
    fclose(out);
    return buf;
}

static char *json_text(const struct test_column *cols, size_t ncols)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    assert_non_null(out);
    assert_int_equal(compare_json_print(out, &test_kind, "s", cols, ncols), 0);
    fclose(out);
    return buf;
}

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(compare_status_name(COMPARE_OK), "ok");
    assert_string_equal(compare_status_name(COMPARE_UNAVAILABLE),
                        "unavailable");
    assert_string_equal(compare_status_name(COMPARE_FAILED), "failed");
}

/* Short reasons stay in their cells; a column without figures shows
 * "-"; the last column is not padded. */
static void test_table_rows(void **state)
{
    struct test_column cols[2];
    char *text;

    (void)state;
    set_column(&cols[0], "one", "stack 1", COMPARE_OK, "", 7);
    set_column(&cols[1], "two", "", COMPARE_UNAVAILABLE, "no", 9);
    text = table_text(cols, 2);
    assert_string_equal(text,
                        "\nComparison (test)\n"
                        "                one                         two\n"
                        "Stack (client)  stack 1                     -\n"
                        "Count           7                           -\n"
                        "Status          ok                          "
                        "unavailable: no\n"
                        "(a footnote)\n");
    free(text);
}

/* A reason too long for its cell goes below the table, unless the column
 * is the last, where it runs on; a failed column shows figures only when
 * the tool says so. */
static void test_table_long_reasons(void **state)
{
    static const char long_why[] = "a reason far longer than a cell";
    struct test_column cols[2];
    char *text;

    (void)state;
    set_column(&cols[0], "one", "s", COMPARE_FAILED, long_why, 7);
    set_column(&cols[1], "two", "s", COMPARE_FAILED, long_why, 9);
    text = table_text(cols, 2);
    assert_non_null(
        strstr(text, "\nCount           -                           -\n"));
    assert_non_null(strstr(text,
                           "\nStatus          failed (see below)          "
                           "failed: a reason far longer than a "
                           "cell\n(a footnote)\n"
                           "one: failed: a reason far longer than a "
                           "cell\n"));
    assert_null(strstr(text, "two: failed"));
    free(text);

    test_kind.failed_has_figures = true;
    text = table_text(cols, 2);
    test_kind.failed_has_figures = false;
    assert_non_null(
        strstr(text, "\nCount           7                           9\n"));
    free(text);
}

/* backend, stack (null when ""), status, a reason unless ok, then the
 * figures of a column that has them. */
static void test_json_columns(void **state)
{
    struct test_column cols[3];
    char *text;

    (void)state;
    set_column(&cols[0], "one", "stack 1", COMPARE_OK, "", 7);
    set_column(&cols[1], "two", "", COMPARE_UNAVAILABLE, "no", 9);
    set_column(&cols[2], "three", "s", COMPARE_FAILED, "bad", 3);
    text = json_text(cols, 3);
    assert_string_equal(
        text, "{\"schema_version\":1,\"compare\":{\"settings\":{\"name\":"
              "\"s\"},\"backends\":["
              "{\"backend\":\"one\",\"stack\":\"stack 1\",\"status\":\"ok\","
              "\"count\":7},"
              "{\"backend\":\"two\",\"stack\":null,\"status\":"
              "\"unavailable\",\"reason\":\"no\"},"
              "{\"backend\":\"three\",\"stack\":\"s\",\"status\":\"failed\","
              "\"reason\":\"bad\"}]}}\n");
    free(text);
}

/* 0 when one ran and none failed, 1 when one failed, 2 when none ran. */
static void test_exit_rule(void **state)
{
    struct test_column cols[2];

    (void)state;
    set_column(&cols[0], "one", "", COMPARE_OK, "", 0);
    set_column(&cols[1], "two", "", COMPARE_UNAVAILABLE, "no", 0);
    assert_int_equal(compare_exit(&test_kind, cols, 2), RUNTIME_EXIT_OK);
    cols[1].head.status = COMPARE_FAILED;
    assert_int_equal(compare_exit(&test_kind, cols, 2), RUNTIME_EXIT_FAIL);
    cols[0].head.status = COMPARE_UNAVAILABLE;
    cols[1].head.status = COMPARE_UNAVAILABLE;
    assert_int_equal(compare_exit(&test_kind, cols, 2), RUNTIME_EXIT_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_table_rows),
        cmocka_unit_test(test_table_long_reasons),
        cmocka_unit_test(test_json_columns),
        cmocka_unit_test(test_exit_rule),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
