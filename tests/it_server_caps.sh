#!/usr/bin/env bash
# it_server_caps.sh - a perf server's resources are not the client's to
# choose (issue 11, defect 6). Each limit is hit once, and both sides must
# say which: the client prints the server's reason and exits non-zero,
# the server logs it and keeps serving.
#   --max-associations 2: a -P 3 test is refused
#   --hello-timeout 1: an association that never says HELLO (evil client,
#       mode silent) is told why and closed within about 1 s
#   PARAMS asking for reports every 1 ms: refused (iperf3's minimum 0.1 s)
#   --max-duration 2: -t 5 is refused; -n 1G at 8 kbit/s ends at 2 s
#   --server-bitrate-limit 5M/1: a client that asks for 1 Mbit/s and then
#       sends as fast as it can (evil client, mode fast) is ended
#   --max-buffer-memory 4M: --bidir --verify -l 1400k -P 2 (4.1 MiB: one
#       shared send buffer and a --verify receive buffer each) is
#       refused; -R -l 512k -P 2 (1 MiB) runs
#   -R -w 64k (64 KiB messages): refused by the client at once, exit 2,
#       instead of an 8 s stall and an abort
# Before these limits every hostile case ran (or hung) as the client liked.
#
# usage: bash tests/it_server_caps.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
EVIL_BIN="$BUILD_DIR/tests/evil_perf_client"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
[[ -x $EVIL_BIN ]] || fail "$EVIL_BIN is not built"
# -b 1M: the server refuses tests with no -b under --server-bitrate-limit
CLIENT=("$PERF_BIN" -c 127.0.0.1 -p 5441 --udp-port 9941 -i 0 -b 1M)

start_perf_server server -p 5441 --udp-port 9941 --max-associations 2 \
    --hello-timeout 1 --max-duration 2 --server-bitrate-limit 5M/1 \
    --max-buffer-memory 4M --max-clients 2

alive() {
    kill -0 "$SERVER_PID" 2>/dev/null ||
        fail "the server died: $(tail -20 "$WORK/server.log")"
}

# expect_refusal NAME REGEX MAX_SECONDS CMD...: CMD fails within
# MAX_SECONDS and prints REGEX.
expect_refusal() {
    local name=$1 re=$2 max=$3 rc=0 t0 t1
    shift 3
    t0=$(date +%s%N)
    timeout 20 "$@" >"$WORK/$name.out" 2>&1 || rc=$?
    t1=$(date +%s%N)
    echo "$name (exit $rc, $(((t1 - t0) / 1000000)) ms): $(grep -E "$re" "$WORK/$name.out" | head -1)"
    ((rc != 0)) || fail "$name: the client succeeded: $(cat "$WORK/$name.out")"
    ((rc != 124)) || fail "$name: the client hung: $(cat "$WORK/$name.out")"
    grep -Eq -- "$re" "$WORK/$name.out" ||
        fail "$name: no /$re/ in the client's output: $(cat "$WORK/$name.out")"
    (((t1 - t0) / 1000000 <= max * 1000)) ||
        fail "$name: took more than $max s"
    alive
}

# Two refusals can answer -P 3, by which comes first at the server: the
# third association's arrival past the limit, or a HELLO saying the test
# needs three.
expect_refusal max_assocs \
    'server: .*(--max-associations 2|allows 2 \(--max-associations\))' 5 \
    "${CLIENT[@]}" -P 3 -t 1
wait_for_line "$WORK/server.log" \
    'refused (an association from .*--max-associations|a test: the test needs 3)' 5

# the evil client exits 0 when the server answers ERROR
rc=0
timeout 20 "$EVIL_BIN" 127.0.0.1 9941 5441 silent >"$WORK/silent.out" 2>&1 || rc=$?
echo "silent association (exit $rc): $(cat "$WORK/silent.out")"
((rc == 0)) || fail "a silent association was not closed with an ERROR"
grep -q '^ERROR: no HELLO within 1 s (--hello-timeout)' "$WORK/silent.out" ||
    fail "the ERROR does not say why: $(cat "$WORK/silent.out")"
wait_for_line "$WORK/server.log" 'no HELLO within 1 s' 5
alive

rc=0
timeout 20 "$EVIL_BIN" 127.0.0.1 9941 5441 interval >"$WORK/interval.out" 2>&1 || rc=$?
echo "1 ms interval (exit $rc): $(cat "$WORK/interval.out")"
((rc == 0)) || fail "PARAMS with a 1 ms interval were not refused"
grep -q '^ERROR: the report interval (-i) must be 0 (none) or at least 100 ms' \
    "$WORK/interval.out" || fail "the ERROR does not say why: $(cat "$WORK/interval.out")"
alive

expect_refusal max_duration 'server: the test asks for 5 s \(-t\), over the server.s limit of 2 s \(--max-duration\)' 3 \
    "${CLIENT[@]}" -t 5
expect_refusal slow_bytes 'server: the test reached the server.s --max-duration 2 s' 6 \
    "${CLIENT[@]}" -n 1G -b 8k -l 100

rc=0
timeout 20 "$EVIL_BIN" 127.0.0.1 9941 5441 fast >"$WORK/fast.out" 2>&1 || rc=$?
echo "a client sending more than it asked (exit $rc): $(cat "$WORK/fast.out")"
((rc == 0)) || fail "a client over --server-bitrate-limit was not ended"
grep -Eq '^ERROR: the test averaged .* above the server.s bitrate limit 5(\.00)? Mbits/sec' \
    "$WORK/fast.out" || fail "the ERROR does not say why: $(cat "$WORK/fast.out")"
alive

expect_refusal memory 'server: the test needs .* --max-buffer-memory' 5 \
    "${CLIENT[@]}" --bidir --verify -l 1400k -w 8M -P 2 -t 1
"${CLIENT[@]}" -R -l 512k -b 2M -P 2 -t 2 >"$WORK/memory_ok.out" 2>&1 ||
    fail "-R -l 512k -P 2 (1 MiB) failed under a 4M cap: $(cat "$WORK/memory_ok.out")"

rc=0
t0=$(date +%s%N)
timeout 20 "${CLIENT[@]}" -R -w 64k -t 2 >"$WORK/window.out" 2>&1 || rc=$?
t1=$(date +%s%N)
echo "-R -w 64k (exit $rc, $(((t1 - t0) / 1000000)) ms): $(head -1 "$WORK/window.out")"
((rc == 2)) || fail "-R -w 64k was not refused up front (exit $rc)"
(((t1 - t0) / 1000000 < 1000)) || fail "-R -w 64k took more than 1 s to refuse"
grep -q 'fewer than 4 messages' "$WORK/window.out" ||
    fail "the refusal does not say why: $(cat "$WORK/window.out")"

# the server still serves a plain test
"${CLIENT[@]}" -t 1 >"$WORK/good.out" 2>&1 ||
    fail "a normal client failed after the hostile ones: $(cat "$WORK/good.out")"
stop_server "$SERVER_PID"
echo "PASS"
