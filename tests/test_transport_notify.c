/*
 * test_transport_notify.c - the backend-neutral notification layer: the
 * reasons a failed association gives, which events fail it with which
 * errno, and the timestamped lines (and at which log level they show).
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "support.h"
#include "transport_notify.h"

struct fixture {
    struct transport_conn conn;
    char detail[TRANSPORT_NOTIFY_DETAIL_LEN];
    struct transport_notify_conn nc;
    int failed_with; /* what fail() was told, 0: not called */
    FILE *log;       /* stderr goes here while a test captures it */
    int saved_stderr;
};

static struct fixture *current;

static void record_fail(struct transport_conn *conn, int errnum)
{
    current->failed_with = errnum;
    conn->last_errno = errnum;
}

static int setup(void **state)
{
    static struct fixture f;

    memset(&f, 0, sizeof(f));
    f.nc.conn = &f.conn;
    f.nc.detail = f.detail;
    f.nc.detail_len = sizeof(f.detail);
    snprintf(f.nc.peer, sizeof(f.nc.peer), "198.18.0.2:9899");
    f.nc.peer_port = 5201;
    f.nc.fail = record_fail;
    f.saved_stderr = -1;
    current = &f;
    *state = &f;
    return 0;
}

/* Send stderr to a temporary file at level, for capture_end to read. */
static void capture_begin(struct fixture *f, enum log_level level)
{
    log_init("t", level);
    fflush(stderr);
    f->log = tmpfile();
    assert_non_null(f->log);
    f->saved_stderr = dup(STDERR_FILENO);
    assert_true(dup2(fileno(f->log), STDERR_FILENO) >= 0);
}

static void capture_end(struct fixture *f, char *out, size_t len)
{
    size_t n;

    fflush(stderr);
    dup2(f->saved_stderr, STDERR_FILENO);
    close(f->saved_stderr);
    rewind(f->log);
    n = fread(out, 1, len - 1, f->log);
    out[n] = '\0';
    fclose(f->log);
}

static void assert_matches(const char *text, const char *pattern)
{
    regex_t re;
    int rc;

    assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
    rc = regexec(&re, text, 0, NULL, 0);
    regfree(&re);
    if (rc != 0)
        fail_msg("'%s' does not match '%s'", text, pattern);
}

static void test_transport_notify_connect_failure_wording(void **state)
{
    struct fixture *f = *state;

    f->conn.last_errno = ECONNREFUSED;
    transport_notify_connect_failure(&f->nc);
    assert_string_equal(f->conn.detail, "the peer answered with ABORT: "
                                        "nothing serves SCTP port 5201 there");
    /* a reason already given (an ICMP error) stays */
    f->conn.last_errno = ETIMEDOUT;
    transport_notify_connect_failure(&f->nc);
    assert_string_equal(f->conn.detail, "the peer answered with ABORT: "
                                        "nothing serves SCTP port 5201 there");
    f->conn.detail = NULL;
    transport_notify_connect_failure(&f->nc);
    assert_string_equal(f->conn.detail,
                        "no answer to INIT (Max.Init.Retransmits reached)");
    /* nothing more to say than strerror */
    f->conn.detail = NULL;
    f->conn.last_errno = EHOSTUNREACH;
    transport_notify_connect_failure(&f->nc);
    assert_null(f->conn.detail);
}

static void test_transport_notify_comm_lost(void **state)
{
    struct fixture *f = *state;
    struct transport_notify_info info = { .from_peer = true };

    transport_notify_event(&f->nc, TRANSPORT_NOTIFY_COMM_LOST, &info);
    assert_int_equal(f->failed_with, ECONNRESET);
    assert_string_equal(f->conn.detail, "the peer aborted the association");
    info.from_peer = false;
    transport_notify_event(&f->nc, TRANSPORT_NOTIFY_COMM_LOST, &info);
    assert_int_equal(f->failed_with, ETIMEDOUT);
    assert_string_equal(
        f->conn.detail,
        "the peer stopped answering (Association.Max.Retrans reached)");
}

static void test_transport_notify_cant_start(void **state)
{
    struct fixture *f = *state;
    struct transport_notify_info info = { .from_peer = true };

    transport_notify_event(&f->nc, TRANSPORT_NOTIFY_CANT_STR_ASSOC, &info);
    assert_int_equal(f->failed_with, ECONNREFUSED);
    assert_string_equal(f->conn.detail, "the peer answered with ABORT: "
                                        "nothing serves SCTP port 5201 there");
    f->conn.detail = NULL;
    info.from_peer = false;
    transport_notify_event(&f->nc, TRANSPORT_NOTIFY_CANT_STR_ASSOC, &info);
    assert_int_equal(f->failed_with, ETIMEDOUT);
    assert_string_equal(f->conn.detail,
                        "no answer to INIT (Max.Init.Retransmits reached)");
}

static void test_transport_notify_benign_events_fail_nothing(void **state)
{
    struct fixture *f = *state;
    struct transport_notify_info info = { .out_streams = 10 };
    enum transport_notify_event ev[] = {
        TRANSPORT_NOTIFY_COMM_UP,       TRANSPORT_NOTIFY_RESTART,
        TRANSPORT_NOTIFY_SHUTDOWN_COMP, TRANSPORT_NOTIFY_SHUTDOWN_EVENT,
        TRANSPORT_NOTIFY_SEND_FAILED,   TRANSPORT_NOTIFY_REMOTE_ERROR,
    };
    size_t i;

    log_init("t", LOG_LEVEL_ERR);
    for (i = 0; i < ARRAY_LEN(ev); i++)
        transport_notify_event(&f->nc, ev[i], &info);
    assert_int_equal(f->failed_with, 0);
    assert_null(f->conn.detail);
}

static void test_transport_notify_lines_at_info(void **state)
{
    struct fixture *f = *state;
    struct transport_notify_info info = { .out_streams = 10,
                                          .in_streams = 2048 };
    char out[1024];

    capture_begin(f, LOG_LEVEL_INFO);
    transport_notify_event(&f->nc, TRANSPORT_NOTIFY_COMM_UP, &info);
    transport_notify_path(&f->nc, "198.18.0.3", TRANSPORT_PATH_CONFIRMED, 0);
    transport_notify_path(&f->nc, NULL, TRANSPORT_PATH_UNREACHABLE, 7);
    capture_end(f, out, sizeof(out));
    assert_matches(out, "^t: [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6} "
                        "association 198\\.18\\.0\\.2:9899 sctp/5201: "
                        "COMM_UP \\(streams out 10 in 2048\\)\n");
    assert_matches(out, "sctp/5201: peer address 198\\.18\\.0\\.3 "
                        "confirmed \\(error 0\\)\n");
    assert_matches(out, "sctp/5201: peer address unreachable \\(error 7\\)\n");
}

static void test_transport_notify_warn_shows_abnormal_only(void **state)
{
    struct fixture *f = *state;
    struct transport_notify_info info = { .from_peer = false };
    char out[1024];

    capture_begin(f, LOG_LEVEL_WARN);
    transport_notify_event(&f->nc, TRANSPORT_NOTIFY_COMM_LOST, &info);
    transport_notify_event(&f->nc, TRANSPORT_NOTIFY_SHUTDOWN_EVENT, &info);
    transport_notify_path(&f->nc, "198.18.0.3", TRANSPORT_PATH_AVAILABLE, 0);
    transport_notify_event(&f->nc, TRANSPORT_NOTIFY_RESTART, &info);
    transport_notify_path(&f->nc, "198.18.0.3", TRANSPORT_PATH_UNREACHABLE, 0);
    capture_end(f, out, sizeof(out));
    assert_matches(out,
                   "^t: warning: [0-9:.]+ association 198\\.18\\.0\\.2:9899 "
                   "sctp/5201: RESTART \\(the peer restarted the "
                   "association\\)\nt: warning: [0-9:.]+ association "
                   "198\\.18\\.0\\.2:9899 sctp/5201: peer address "
                   "198\\.18\\.0\\.3 unreachable \\(error 0\\)\n$");
}

static void test_transport_notify_lookup(void **state)
{
    static const int table[] = { 5, -1, 9 };

    (void)state;
    assert_int_equal(
        transport_notify_lookup(table, TRANSPORT_NOTIFY_LEN(table), 9), 2);
    assert_int_equal(
        transport_notify_lookup(table, TRANSPORT_NOTIFY_LEN(table), 5), 0);
    assert_int_equal(
        transport_notify_lookup(table, TRANSPORT_NOTIFY_LEN(table), 7), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_transport_notify_connect_failure_wording,
                               setup),
        cmocka_unit_test_setup(test_transport_notify_comm_lost, setup),
        cmocka_unit_test_setup(test_transport_notify_cant_start, setup),
        cmocka_unit_test_setup(test_transport_notify_benign_events_fail_nothing,
                               setup),
        cmocka_unit_test_setup(test_transport_notify_lines_at_info, setup),
        cmocka_unit_test_setup(test_transport_notify_warn_shows_abnormal_only,
                               setup),
        cmocka_unit_test(test_transport_notify_lookup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
