#!/usr/bin/env bash
# it_iperf3_keys.sh - a script written for iperf3's -J reads sctpu-perf's:
# every key path of a real iperf3 document is in sctpu-perf's document of
# the same shape, with the same JSON type, except the keys docs/perf-json.md
# lists as deliberately absent (tests/iperf3_keys.py reads that list there).
#
#   iperf3 -c 127.0.0.1 -t 1 -P 2 -J        vs  sctpu-perf ... -t 1 -P 2 -J
#   iperf3 -c 127.0.0.1 -t 1 -P 2 -R -J     vs  sctpu-perf ... -t 1 -P 2 -R -J
#
# Then the check is shown to fail: a copy of sctpu-perf's document with
# end.sum_sent.bits_per_second removed, and one with it made a string.
# About 6 s.
#
# usage: bash tests/it_iperf3_keys.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
KEYS=(/usr/bin/python3 "$TESTS_DIR/iperf3_keys.py" "$REPO_DIR/docs/perf-json.md")
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
command -v iperf3 >/dev/null || skip "iperf3 is missing (apt-get install iperf3)"

IPORT=5241
PORT=5242
UDP=9942

# SCTPU_WRAP is a command prefix (e.g. "valgrind -q"): split it on purpose.
# shellcheck disable=SC2086
$SCTPU_WRAP "$PERF_BIN" -s -p $PORT --udp-port $UDP >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_for_line "$WORK/server.log" "^Server listening on SCTP port $PORT" 20

# iperf3_run NAME ARGS...: a one-off iperf3 server, then its client -J.
iperf3_run() {
    local name=$1
    shift
    iperf3 -s -p $IPORT -1 --forceflush >"$WORK/iperf3_$name.srv" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    wait_for_line "$WORK/iperf3_$name.srv" "Server listening on $IPORT" 10
    run_bounded 30 "iperf3_$name" iperf3 -c 127.0.0.1 -p $IPORT "$@" -J
    want_rc "iperf3_$name" 0
    gone "$pid" 5 || fail "iperf3 -s -1 did not exit after its test"
}

sctpu_run() {
    local name=$1
    shift
    run_bounded 30 "sctpu_$name" "$PERF_BIN" -c 127.0.0.1 -p $PORT \
        --udp-port $UDP "$@" -J
    want_rc "sctpu_$name" 0
}

for shape in forward reverse; do
    args=(-t 1 -P 2)
    keys=()
    if [[ $shape == reverse ]]; then
        args+=(-R)
        keys+=(-R)
    fi
    iperf3_run "$shape" "${args[@]}"
    sctpu_run "$shape" "${args[@]}"
    "${KEYS[@]}" "$WORK/iperf3_$shape.out" "$WORK/sctpu_$shape.out" \
        "${keys[@]}" " ($shape)" ||
        fail "$shape: sctpu-perf lacks iperf3 keys (above)"
done

# The check can fail: a key taken out, a key of the wrong type.
/usr/bin/python3 - "$WORK/sctpu_forward.out" "$WORK" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
del doc["end"]["sum_sent"]["bits_per_second"]
json.dump(doc, open(sys.argv[2] + "/missing.json", "w"))
doc = json.load(open(sys.argv[1]))
doc["end"]["sum_sent"]["bits_per_second"] = "fast"
json.dump(doc, open(sys.argv[2] + "/mistyped.json", "w"))
PY
for bad in missing mistyped; do
    rc=0
    "${KEYS[@]}" "$WORK/iperf3_forward.out" "$WORK/$bad.json" \
        >"$WORK/$bad.log" 2>&1 || rc=$?
    if [[ $rc != 1 ]] || ! grep -q 'end.sum_sent.bits_per_second' "$WORK/$bad.log"; then
        show "$WORK/$bad.log"
        fail "$bad: the key check did not fail (exit $rc)"
    fi
done
stop_server "$SERVER_PID"
echo "PASS: iperf3's key paths are in sctpu-perf's -J (forward and -R)"
