#!/usr/bin/env bash
# it_server_workers.sh - --workers N: one UDP port served by N processes
# (SO_REUSEPORT), every datagram steered by its source address.
#
#   echo: 6 clients from 127.0.0.1 (6 UDP ports) all meet in one worker,
#         2 from 127.0.0.2 in the other (source address mod 2), each
#         worker's summary counting its own; the kernel's default
#         4-tuple hash would have spread the first six.
#   perf: two tests at once, from 127.0.0.1 and 127.0.0.2, both run to
#         the end (one server without workers refuses the second as busy),
#         and -P 4 --udp-per-assoc (4 UDP ports, one host) is one test.
#   signals: SIGTERM to the parent reaches every worker once (graceful:
#         exit 0 with each worker's summary); a worker killed with SIGKILL
#         is named, the others are stopped, and the parent exits 1.
#
# usage: bash tests/it_server_workers.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

[[ -x $ECHO_BIN ]] || fail "$ECHO_BIN is not built"
PERF_BIN="$BUILD_DIR/src/sctpu-perf"
ip addr add 127.0.0.2/8 dev lo 2>/dev/null || true

# start_workers LOG BANNER SERVER ARGS...: start a server (SERVER_PID) with
# its output in LOG, and wait until both workers have printed BANNER.
start_workers() {
    local log=$1 banner=$2
    shift 2
    # SCTPU_WRAP is a command prefix (e.g. "valgrind -q"): split on purpose.
    # shellcheck disable=SC2086
    $SCTPU_WRAP "$@" >"$log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    wait_for_line "$log" "$banner.*worker 1/2" 20
    wait_for_line "$log" "$banner.*worker 2/2" 20
}

# served LOG: "A B": associations served by worker 1 and by worker 2.
served() {
    local a b
    a=$(sed -n 's/^\[worker 1\/2\] served \([0-9]*\) associations.*/\1/p' "$1")
    b=$(sed -n 's/^\[worker 2\/2\] served \([0-9]*\) associations.*/\1/p' "$1")
    echo "${a:-?} ${b:-?}"
}

#
# Echo: steering by source address
#
start_workers "$WORK/echo.log" 'sctpu-echo server: SCTP port 7451' \
    "$ECHO_BIN" -s --workers 2 -p 7451 --udp-port 9451
for i in 1 2 3 4 5 6; do
    run_bounded 20 "c1-$i" "$ECHO_BIN" -c 127.0.0.1 -p 7451 \
        --udp-port 9451 -n 3 -q
    want_rc "c1-$i" 0
done
for i in 1 2; do
    run_bounded 20 "c2-$i" "$ECHO_BIN" -c 127.0.0.1 -B 127.0.0.2 -p 7451 \
        --udp-port 9451 -n 3 -q
    want_rc "c2-$i" 0
done
stop_server "$SERVER_PID" || fail "the echo server (--workers 2) exited" \
    "non-zero on SIGTERM: $(cat "$WORK/echo.log")"
read -r W1 W2 < <(served "$WORK/echo.log")
echo "echo: worker 1 served $W1, worker 2 served $W2"
# 127.0.0.1 is odd and 127.0.0.2 even: they go to different sockets of
# the group, whichever worker bound first.
if ! { [[ $W1 == 6 && $W2 == 2 ]] || [[ $W1 == 2 && $W2 == 6 ]]; }; then
    show "$WORK/echo.log"
    fail "echo: want 6 associations in one worker and 2 in the other," \
        "got $W1 and $W2"
fi
grep -q 'closed: 3 messages' "$WORK/echo.log" ||
    fail "echo: no association closed after its 3 messages"

#
# Perf: two tests at once, one per client host
#
start_workers "$WORK/perf.log" '^Server listening on SCTP port 5451' \
    "$PERF_BIN" -s --workers 2 -p 5451 --udp-port 9452
PERF_CLIENT=("$PERF_BIN" -p 5451 --udp-port 9452 -t 2 -i 0 --verify -J)
# shellcheck disable=SC2086
timeout 30 $SCTPU_WRAP "${PERF_CLIENT[@]}" -c 127.0.0.1 \
    >"$WORK/p1.json" 2>"$WORK/p1.err" &
P1=$!
# shellcheck disable=SC2086
timeout 30 $SCTPU_WRAP "${PERF_CLIENT[@]}" -c 127.0.0.1 -B 127.0.0.2 \
    >"$WORK/p2.json" 2>"$WORK/p2.err" &
P2=$!
PIDS+=("$P1" "$P2")
wait "$P1" || { show "$WORK/p1.err" "$WORK/perf.log"; fail "perf client 1 failed"; }
wait "$P2" || { show "$WORK/p2.err" "$WORK/perf.log"; fail "perf client 2 failed"; }
for f in p1 p2; do
    bytes=$(json_get "$WORK/$f.json" 'j["end"]["sum_received"]["bytes"]')
    echo "perf $f: $bytes bytes received by the server, verified"
    ((bytes > 0)) || fail "perf $f: the server received nothing"
done
# Both ran at once: each began before the other ended.
s1=$(json_get "$WORK/p1.json" 'j["start"]["timestamp"]["timesecs"]')
s2=$(json_get "$WORK/p2.json" 'j["start"]["timestamp"]["timesecs"]')
((s1 - s2 <= 1 && s2 - s1 <= 1)) ||
    fail "perf: the two tests did not overlap (started at $s1 and $s2)"

# One host's associations over four UDP ports are one test in one worker.
run_bounded 30 udp4 "$PERF_BIN" -c 127.0.0.1 -p 5451 --udp-port 9452 \
    -t 1 -i 0 -P 4 --udp-per-assoc --verify -J
want_rc udp4 0
streams=$(json_get "$WORK/udp4.out" 'len(j["end"]["streams"])')
((streams == 4)) || fail "-P 4 --udp-per-assoc: $streams streams in the result"
echo "perf -P 4 --udp-per-assoc: 4 associations, one test"

#
# A worker that dies stops the rest, and the parent says which
#
mapfile -t KIDS < <(pgrep -P "$SERVER_PID")
((${#KIDS[@]} == 2)) || fail "want 2 workers under the parent, got ${#KIDS[@]}"
kill -KILL "${KIDS[0]}"
gone "$SERVER_PID" 10 || fail "the parent outlived a killed worker by 10 s"
((RC == 1)) || fail "a killed worker: the parent exited $RC, want 1"
grep -Eq "worker [12]/2 \(pid ${KIDS[0]}\) was killed by signal 9" \
    "$WORK/perf.log" || {
    show "$WORK/perf.log"
    fail "the parent did not name the killed worker"
}
kill -0 "${KIDS[1]}" 2>/dev/null && fail "the other worker is still running"
echo "a killed worker: named, the other stopped, exit 1"

echo "PASS: --workers steers by source address, serves tests in parallel" \
    "and passes signals on"
