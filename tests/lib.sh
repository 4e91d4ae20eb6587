# tests/lib.sh - shared helpers for the shell-driven tests (sourced).
#
# Every test runs in a network namespace of its own (unshare -n) with only
# loopback up, so tests can use fixed ports, run in parallel, and never
# send a packet off this machine. Exit 77 means "skipped" to ctest.

set -euo pipefail

BUILD_DIR=${1:?usage: $0 BUILD_DIR}
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
ECHO_BIN="$BUILD_DIR/src/sctpu-echo"
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$TESTS_DIR/.." && pwd)
# Under valgrind or a slow sanitizer build, give everything more time.
SCTPU_WRAP=${SCTPU_WRAP:-}

skip() {
    echo "SKIP: $*"
    exit 77
}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Re-run this script inside a fresh network namespace with lo up.
in_private_netns() {
    if [[ ${SCTPU_IN_NETNS:-} == 1 ]]; then
        ip link set lo up
        return 0
    fi
    command -v unshare >/dev/null || skip "unshare (util-linux) is missing"
    unshare -n true 2>/dev/null || skip "cannot create a network namespace (needs root)"
    # exec skips the EXIT trap: drop this instance's scratch dir first.
    rm -rf "$WORK"
    trap - EXIT
    SCTPU_IN_NETNS=1 exec unshare -n -- bash "$0" "$@"
}

WORK=$(mktemp -d /tmp/sctpu-test.XXXXXX)
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
# A signal (ctest timeout, ^C) must still run cleanup through EXIT.
trap 'exit 143' TERM INT

# wait_for_line FILE REGEX [SECONDS]: poll until FILE has a matching line.
wait_for_line() {
    local file=$1 re=$2 limit=${3:-10} i
    for ((i = 0; i < limit * 20; i++)); do
        if grep -Eq -- "$re" "$file" 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    echo "--- $file:" >&2
    cat "$file" >&2 || true
    fail "timed out waiting for /$re/ in $file"
}

# start_echo_server NAME ARGS...: start a server, wait until it listens.
# Its stdout+stderr go to $WORK/NAME.log; its pid is in SERVER_PID.
start_echo_server() {
    local name=$1
    shift
    $SCTPU_WRAP "$ECHO_BIN" -s "$@" >"$WORK/$name.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    wait_for_line "$WORK/$name.log" 'sctpu-echo server: SCTP port' 20
}

# stop_server PID: SIGTERM, then require a clean exit within 5 s.
stop_server() {
    local pid=$1 i
    kill -TERM "$pid"
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$pid" 2>/dev/null && fail "server $pid ignored SIGTERM for 5 s"
    wait "$pid"
}

# json_get FILE EXPR: evaluate a Python expression on the parsed JSON `j`.
json_get() {
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
