#!/usr/bin/env bash
# it_perf_interrupt.sh - SIGINT/SIGTERM end a sctpu-perf test the way its
# limit would: the senders stop, the results are exchanged, the summary
# is printed (unlike iperf3, whose receiver line then reads 0).
#
#   t0        -t 0, SIGINT after two intervals: exit 0, sender and
#             receiver lines with the same bytes, "sctpu-perf Done."
#   t0-term   the same with SIGTERM, -J: no "error"
#   t0-R      -t 0 -R -J: the server's sender stops too (the client's END
#             asks it to); both ends count the same bytes
#   t0-bidir  -t 0 --bidir -P 2 -J: both directions, both associations
#   t0-omit   -t 0 -O 1 -J: the warm-up does not end the test
#   cut       -t 30 interrupted: the summary, then "interrupted after X s
#             of -t 30" on stderr, no "Done.", exit 1 (iperf3 exits 1 too)
#   twice     the server frozen (SIGSTOP) so the wind-down cannot end: the
#             client waits; a second SIGINT quits at once, exit 1
#   early     interrupted before the test started: exit 1 at once
#
# usage: bash tests/it_perf_interrupt.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
T0=$SECONDS

# --timeout 2: the frozen server of "twice" gives up on its test soon.
start_perf_server srv --timeout 2
SRV=$SERVER_PID

# A server interval line that ends after 2 s: two intervals have passed.
TWO_INTERVALS='^\[ +[0-9]+\](\[[TR]X\])? +[0-9.]+-[2-9]\.[0-9]+ +sec'

# run_until NAME SIGNAL ARGS...: start a client, wait until the server has
# reported two intervals of its test (the server's log since the client
# started), send SIGNAL, and wait for the client (bounded). Sets RC and
# TOOK (seconds from the signal to the exit).
run_until() {
    local name=$1 sig=$2 from pid t i
    shift 2
    from=$(($(wc -l <"$WORK/srv.log") + 1))
    # shellcheck disable=SC2086
    $SCTPU_WRAP "$PERF_BIN" -c 127.0.0.1 "$@" >"$WORK/$name.out" \
        2>"$WORK/$name.err" &
    pid=$!
    PIDS+=("$pid")
    for ((i = 0; i < 200; i++)); do
        tail -n +"$from" "$WORK/srv.log" | grep -Eq -- "$TWO_INTERVALS" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$pid" 2>/dev/null || {
        show "$WORK/$name.out" "$WORK/$name.err"
        fail "$name: the client ended before it was interrupted"
    }
    ((i < 200)) || {
        show "$WORK/$name.out" "$WORK/$name.err" "$WORK/srv.log"
        fail "$name: no second interval within 10 s"
    }
    t=$(date +%s.%N)
    kill -"$sig" "$pid"
    RC=0
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$pid" 2>/dev/null && {
        show "$WORK/$name.out" "$WORK/$name.err"
        fail "$name: still running 10 s after SIG$sig"
    }
    wait "$pid" || RC=$?
    TOOK=$(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
    echo "$name: $* + SIG$sig: exit $RC after $TOOK s"
}

# expect_rc NAME WANT
expect_rc() {
    [[ $RC == "$2" ]] || {
        show "$WORK/$1.out" "$WORK/$1.err" "$WORK/srv.log"
        fail "$1: exit $RC, want $2"
    }
}

# json_ok NAME EXPR: a Python expression on the client's -J document.
json_ok() {
    [[ $(json_get "$WORK/$1.out" "$2") == True ]] || {
        show "$WORK/$1.out" "$WORK/$1.err"
        fail "$1: not true: $2"
    }
}

# Both ends counted the same bytes in each direction (reliable SCTP), and
# data moved; no error.
SAME='(j.get("error") is None and
 j["end"]["sum_sent"]["bytes"] == j["end"]["sum_received"]["bytes"] > 0)'

echo "== t0: -t 0, SIGINT"
run_until t0 INT -t 0 -b 100M
expect_rc t0 0
# The end table: one sender and one receiver line with the same transfer.
snd=$(grep -E '^\[  1\] +0\.00-[0-9.]+ +sec .* sender$' "$WORK/t0.out" |
    awk '{print $5, $6}')
rcv=$(grep -E '^\[  1\] +0\.00-[0-9.]+ +sec .* receiver$' "$WORK/t0.out" |
    awk '{print $5, $6}')
[[ -n $snd && $snd == "$rcv" ]] || {
    show "$WORK/t0.out"
    fail "t0: sender '$snd' and receiver '$rcv' lines differ or are missing"
}
grep -q '^sctpu-perf Done\.$' "$WORK/t0.out" || fail "t0: no 'Done.'"
grep -q 'interrupted: ending the test and collecting the results' \
    "$WORK/t0.err" || fail "t0: stderr does not say what happens"
le_took() { awk -v a="$TOOK" -v b="$1" 'BEGIN { exit !(a <= b) }'; }
le_took 3 || fail "t0: the wind-down took $TOOK s"

echo "== t0-term: -t 0 -J, SIGTERM"
run_until t0-term TERM -t 0 -b 100M -J
expect_rc t0-term 0
json_ok t0-term "$SAME"
json_ok t0-term 'j["start"]["test_start"]["duration"] == 0'

echo "== t0-R: -t 0 -R -J"
run_until t0-R INT -t 0 -R -b 100M -J
expect_rc t0-R 0
json_ok t0-R "$SAME"
le_took 3 || fail "t0-R: the server's sender took $TOOK s to stop"

echo "== t0-bidir: -t 0 --bidir -P 2 -J"
run_until t0-bidir INT -t 0 --bidir -P 2 -b 50M -J
expect_rc t0-bidir 0
json_ok t0-bidir "$SAME"
json_ok t0-bidir '(j["end"]["sum_sent_bidir_reverse"]["bytes"] ==
 j["end"]["sum_received_bidir_reverse"]["bytes"] > 0 and
 len(j["end"]["streams"]) == 4)'

echo "== t0-omit: -t 0 -O 1 -J"
run_until t0-omit INT -t 0 -O 1 -b 100M -J
expect_rc t0-omit 0
# (Each end ends its own warm-up: their counts differ by a few messages.)
json_ok t0-omit '(j.get("error") is None and
 j["end"]["sum_received"]["bytes"] > 0)'
# Interrupted after 2 s or more of which 1 s was the warm-up: it counted
# well after the warm-up instead of stopping at its end.
json_ok t0-omit '(j["end"]["sum_received"]["seconds"] > 0.5 and
 any(not i["sum"]["omitted"] for i in j["intervals"]))'

echo "== cut: -t 30 interrupted"
run_until cut INT -t 30 -b 100M
expect_rc cut 1
grep -Eq '^sctpu-perf: error: interrupted after [0-9.]+ s of -t 30: the results cover that part$' \
    "$WORK/cut.err" || {
    show "$WORK/cut.err"
    fail "cut: stderr does not say it was cut short"
}
if ! grep -Eq ' sender$' "$WORK/cut.out" ||
    ! grep -Eq ' receiver$' "$WORK/cut.out"; then
    fail "cut: no summary: $(cat "$WORK/cut.out")"
fi
! grep -q 'Done\.' "$WORK/cut.out" || fail "cut: says Done. after a cut test"
le_took 3 || fail "cut: the wind-down took $TOOK s"

echo "== twice: a second interrupt while winding down"
"$PERF_BIN" -c 127.0.0.1 -t 0 -b 100M >"$WORK/twice.out" \
    2>"$WORK/twice.err" &
TWICE=$!
PIDS+=("$TWICE")
wait_for_line "$WORK/twice.out" '^\[  1\] +1\.[0-9]+-2\.[0-9]+ +sec' 10
kill -STOP "$SRV"
kill -INT "$TWICE"
# The first interrupt waits for the frozen server's results; the client's
# own intervals go on meanwhile, so this is no race: it is still there.
wait_for_line "$WORK/twice.err" 'interrupted: ending the test' 5
sleep 1
kill -0 "$TWICE" 2>/dev/null ||
    fail "twice: the client did not wait for the results after one interrupt"
t=$(date +%s.%N)
kill -INT "$TWICE"
RC=0
wait "$TWICE" || RC=$?
TOOK=$(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
kill -CONT "$SRV"
echo "twice: the second interrupt ended it: exit $RC after $TOOK s"
expect_rc twice 1
grep -q 'interrupted again: quitting without the results' \
    "$WORK/twice.out" "$WORK/twice.err" || fail "twice: no clear message"
le_took 1 || fail "twice: the second interrupt took $TOOK s"
# The server, thawed, drops that test (its client is gone) and serves on.
wait_for_line "$WORK/srv.log" 'test [0-9]+ aborted' 10
run_until after INT -t 0 -b 100M -J
expect_rc after 0
json_ok after "$SAME"

echo "== early: interrupted before the test started"
# A silent UDP 9999: the client waits for an answer that never comes.
silent_udp_port 9999
"$PERF_BIN" -c 127.0.0.1 --udp-port 9999 -t 0 >"$WORK/early.out" \
    2>"$WORK/early.err" &
EARLY=$!
PIDS+=("$EARLY")
wait_for_line "$WORK/early.out" '^Connecting to host' 5
kill -INT "$EARLY"
RC=0
wait "$EARLY" || RC=$?
expect_rc early 1
grep -q 'interrupted before the test started' "$WORK/early.out" \
    "$WORK/early.err" || fail "early: no clear message"

stop_server "$SRV"
echo "PASS: interrupted tests end with their results in $((SECONDS - T0)) s"
