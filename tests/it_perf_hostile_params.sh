#!/usr/bin/env bash
# it_perf_hostile_params.sh - a client that skips the CLI's checks cannot
# make the perf server write past a buffer (issue 11, defect 1).
#
# tests/evil_perf_client sends PARAMS with --verify, an 8-byte message
# length (below the 20-byte verify header) and -R, then START if the
# server answers READY. Before the fix the server stamped the 20-byte
# header into its 8-byte send buffer (ASan: heap-buffer-overflow; without
# ASan, silent heap corruption). Now:
#   the evil client gets an ERROR that names the problem, and exits 0
#   the server is still running and logged the refusal
#   PARAMS asking for a report every 1 ms (evil client, mode interval;
#   the CLI's minimum is 0.1 s) get an ERROR that says so too
#   a normal --verify -R test against the same server still passes
#
# usage: bash tests/it_perf_hostile_params.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
EVIL_BIN="$BUILD_DIR/tests/evil_perf_client"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
[[ -x $EVIL_BIN ]] || fail "$EVIL_BIN is not built"

start_perf_server server -p 5431 --udp-port 9931

rc=0
$SCTPU_WRAP "$EVIL_BIN" 127.0.0.1 9931 5431 >"$WORK/evil.out" 2>&1 || rc=$?
echo "evil client (exit $rc): $(cat "$WORK/evil.out")"
kill -0 "$SERVER_PID" 2>/dev/null ||
    fail "the server died: $(grep -A12 "ERROR: AddressSanitizer" "$WORK/server.log" || tail -20 "$WORK/server.log")"
((rc == 0)) || fail "the evil client got no ERROR (exit $rc): $(cat "$WORK/evil.out")"
grep -q '^ERROR: .*--verify.*20' "$WORK/evil.out" ||
    fail "the ERROR does not say why: $(cat "$WORK/evil.out")"
wait_for_line "$WORK/server.log" 'aborted: .*--verify.*20' 5

rc=0
$SCTPU_WRAP "$EVIL_BIN" 127.0.0.1 9931 5431 interval >"$WORK/interval.out" 2>&1 || rc=$?
echo "evil client, 1 ms interval (exit $rc): $(cat "$WORK/interval.out")"
((rc == 0)) || fail "a 1 ms report interval was not refused (exit $rc)"
grep -q '^ERROR: the report interval (-i) must be 0 (none) or at least 100 ms' \
    "$WORK/interval.out" || fail "the ERROR does not say why: $(cat "$WORK/interval.out")"
wait_for_line "$WORK/server.log" 'aborted: the report interval' 5

"$PERF_BIN" -c 127.0.0.1 -p 5431 --udp-port 9931 --verify -R -l 100 -t 1 \
    >"$WORK/good.out" 2>&1 ||
    fail "a normal client failed after the hostile one: $(cat "$WORK/good.out")"
kill -0 "$SERVER_PID" 2>/dev/null ||
    fail "the server died: $(grep -A12 "ERROR: AddressSanitizer" "$WORK/server.log" || tail -20 "$WORK/server.log")"
stop_server "$SERVER_PID"
grep -q 'ERROR: AddressSanitizer' "$WORK/server.log" &&
    fail "ASan report in the server log: $(cat "$WORK/server.log")"
echo "PASS"
