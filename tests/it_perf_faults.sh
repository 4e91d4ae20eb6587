#!/usr/bin/env bash
# it_perf_faults.sh - sctpu-perf when things go wrong.
#
#   vanish    the server is SIGKILLed mid-test: a client with --timeout 3
#             and one with the default timeout (8 s) each exit 1 with a
#             clear message (text: on stdout; -J: in "error" and on
#             stderr) within their timeout plus 2 s. Both run in the background while the
#             other scenarios run.
#   cli       malformed invocations: exit 2 and a message on stderr naming
#             the problem, never a hang.
#   killed    a client is SIGKILLed mid-test: the server (--timeout 2) logs
#             the aborted test within 5 s and then serves the next client.
#   frozen    the server is SIGSTOPped (silent: no ICMP, no ABORT) under
#             a slow -b 200k of 1 KiB messages: the client exits 1 within
#             --timeout 2 plus 2 s. Its send buffer still takes data for
#             over a minute at that rate; what gives the server up is that
#             sent data waits and nothing at all comes back.
#   slowpace  -b 100k of 64 KiB messages (one each 5.2 s) with --timeout 1
#             at both ends, each direction: the pace's quiet is not a
#             stall, the test passes, and the sender stops at -t 3 rather
#             than at its next message.
#   busy      a second client while a test runs: "busy", exit 1, while
#             that test still runs (an order of events, checked on both
#             sides, not a wall-time window that a loaded machine could
#             miss), and the running test still ends with exit 0. With
#             --max-clients 2 both tests run and succeed.
#
# usage: bash tests/it_perf_faults.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
T0=$SECONDS

now() { date +%s.%N; }
# since T: seconds from T until now, e.g. "2.31"
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
# le A B: is A <= B (decimals)?
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

# bg_client NAME ARGS...: a client in the background; stdout to NAME.out,
# stderr to NAME.err, and "EXIT_STATUS END_TIME" to NAME.done when it ends.
bg_client() {
    local name=$1
    shift
    (
        rc=0
        # shellcheck disable=SC2086
        timeout 60 $SCTPU_WRAP "$PERF_BIN" "$@" >"$WORK/$name.out" \
            2>"$WORK/$name.err" || rc=$?
        echo "$rc $(now)" >"$WORK/$name.done"
    ) &
    PIDS+=("$!")
}

# wait_done NAME SECONDS: until NAME.done exists; sets DONE_RC, DONE_AT.
wait_done() {
    local name=$1 limit=$2 i
    for ((i = 0; i < limit * 20; i++)); do
        [[ -s $WORK/$name.done ]] && break
        sleep 0.05
    done
    [[ -s $WORK/$name.done ]] || {
        show "$WORK/$name.out" "$WORK/$name.err"
        fail "$name: the client still runs after $limit s"
    }
    read -r DONE_RC DONE_AT <"$WORK/$name.done"
}

# elapsed_between A B: B - A, e.g. "3.05"
elapsed_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# A server's first interval line of association 1: data is flowing. Only
# its start is fixed; where it ends depends on when the timer ran.
FIRST_INTERVAL='^\[ +1\] +0\.00-[0-9]+\.[0-9]+ +sec'

#
# vanish (started first: the default-timeout client takes 8 s to give up)
#
echo "== vanish: the server is killed mid-test"
start_perf_server vanish3 -p 5301 --udp-port 9901
VANISH3_PID=$SERVER_PID
start_perf_server vanish10 -p 5302 --udp-port 9902
VANISH10_PID=$SERVER_PID
bg_client vanish3 -c 127.0.0.1 -p 5301 --udp-port 9901 -t 30 --timeout 3 \
    -b 100M
bg_client vanish10 -c 127.0.0.1 -p 5302 --udp-port 9902 -t 30 -b 100M -J
# Mid-test: both servers have reported a first interval of data.
wait_for_line "$WORK/vanish3.log" "$FIRST_INTERVAL" 10
wait_for_line "$WORK/vanish10.log" "$FIRST_INTERVAL" 10
kill -KILL "$VANISH3_PID" "$VANISH10_PID"
VANISH_AT=$(now)
wait "$VANISH3_PID" "$VANISH10_PID" 2>/dev/null || true

#
# frozen (in the background too: it takes --timeout 2 after the freeze)
#
echo "== frozen: the server stops answering, and says nothing"
start_perf_server frozen -p 5306 --udp-port 9906
FROZEN_PID=$SERVER_PID
bg_client frozen -c 127.0.0.1 -p 5306 --udp-port 9906 -t 60 -b 200k -l 1k \
    --timeout 2
wait_for_line "$WORK/frozen.log" "$FIRST_INTERVAL" 10
kill -STOP "$FROZEN_PID"
FROZEN_AT=$(now)

#
# cli
#
echo "== cli: malformed invocations"
checked=0
# bad EXIT REGEX ARGS...: exit status EXIT and a stderr line matching REGEX.
bad() {
    local want=$1 re=$2 rc=0
    shift 2
    timeout 10 "$PERF_BIN" "$@" >"$WORK/cli.out" 2>"$WORK/cli.err" || rc=$?
    [[ $rc == "$want" ]] ||
        fail "sctpu-perf $*: exit $rc, want $want (stderr: $(cat "$WORK/cli.err"))"
    grep -Eq -- "$re" "$WORK/cli.err" ||
        fail "sctpu-perf $*: stderr lacks /$re/: $(cat "$WORK/cli.err")"
    checked=$((checked + 1))
}
bad 2 "unknown option '--bogus'" --bogus
bad 2 "-Z: not applicable: " -Z
bad 2 "give -s \(server\) or -c HOST \(client\)" -n 1M
bad 2 "-s and -c exclude each other" -s -c 127.0.0.1
bad 2 "unexpected argument 'extra'" -s extra
bad 2 "option '-t' needs a value" -c 127.0.0.1 -t
bad 2 "-t: 'abc' is not a valid number" -c 127.0.0.1 -t abc
bad 2 "-t: '100000' is out of range" -c 127.0.0.1 -t 100000
bad 2 "-t and -n exclude each other" -c 127.0.0.1 -t 2 -n 1M
bad 2 "-n and -k exclude each other" -c 127.0.0.1 -n 1M -k 5
bad 2 "-k: '0' is out of range" -c 127.0.0.1 -k 0
bad 2 "-P: '10001' is out of range \(1-10000\)" -c 127.0.0.1 -P 10001
bad 2 "--nstreams: '0' is out of range" -c 127.0.0.1 --nstreams 0
bad 2 "--nstreams: '1025' is out of range" -c 127.0.0.1 --nstreams 1025
bad 2 "-l: '17M' is out of range \(1-16M\)" -c 127.0.0.1 -l 17M
bad 2 "-l 4194304 exceeds -w 1048576" -c 127.0.0.1 -l 4M -w 1M
bad 2 "-w: '1k' is out of range" -c 127.0.0.1 -w 1k
bad 2 "-i: '0.01' is out of range" -c 127.0.0.1 -i 0.01
bad 2 "-b: 'xyz' is not a valid rate" -c 127.0.0.1 -b xyz
bad 2 "-b: burst '1001' is out of range" -c 127.0.0.1 -b 10M/1001
bad 2 "-R and --bidir exclude each other" -c 127.0.0.1 -R --bidir
bad 2 "-l 8 is too short for --verify" -c 127.0.0.1 --verify -l 8
bad 2 "--pr-policy: 'foo' is not a policy" -c 127.0.0.1 --pr-policy foo
bad 2 "--pr-value needs --pr-policy" -c 127.0.0.1 --pr-value 5
bad 2 "--pr-value: '101' is out of range" -c 127.0.0.1 --pr-policy rtx \
    --pr-value 101
bad 2 "-p: '70000' is out of range" -s -p 70000
bad 2 "--udp-port: 'x9' is not a valid number" -s --udp-port x9
bad 2 "--max-clients: '65' is out of range" -s --max-clients 65
bad 2 "--timeout: '0' is out of range" -c 127.0.0.1 --timeout 0
bad 2 "-O 5 leaves nothing to measure" -c 127.0.0.1 -O 5 -t 2
bad 2 "-t is for the client" -s -t 5
bad 2 "-1 is for the server" -c 127.0.0.1 -1
bad 2 "-R needs the control channel" -c 127.0.0.1 --no-control -R
bad 2 "--backend: unknown backend 'foo'" -s --backend foo
bad 2 "resolve no-such-host.invalid: " -c no-such-host.invalid -t 1
bad 2 "bind UDP 198.18.0.99:9900: Cannot assign requested" -s -B 198.18.0.99
echo "$checked malformed invocations: exit 2 and a message"

#
# killed: a client dies without a word
#
echo "== killed: a client is SIGKILLed mid-test"
start_perf_server killed -p 5303 --udp-port 9903 --timeout 2
KILLED_SRV=$SERVER_PID
"$PERF_BIN" -c 127.0.0.1 -p 5303 --udp-port 9903 -t 30 -b 100M \
    >"$WORK/victim.out" 2>&1 &
VICTIM=$!
PIDS+=("$VICTIM")
wait_for_line "$WORK/killed.log" "$FIRST_INTERVAL" 10
kill -KILL "$VICTIM"
t=$(now)
wait "$VICTIM" 2>/dev/null || true
wait_for_line "$WORK/killed.log" 'test 1 aborted' 5
took=$(since "$t")
grep -E 'test 1 aborted' "$WORK/killed.log"
echo "the server logged the aborted test $took s after the kill"
le "$took" 5 || fail "killed: the abort took $took s to log"
grep -q 'test 1 aborted: no data on association 1 for 2 s' "$WORK/killed.log" ||
    fail "killed: the abort does not say why: $(grep aborted "$WORK/killed.log")"
rc=0
timeout 20 "$PERF_BIN" -c 127.0.0.1 -p 5303 --udp-port 9903 -t 1 -J \
    >"$WORK/next.json" 2>"$WORK/next.err" || rc=$?
((rc == 0)) || {
    show "$WORK/next.json" "$WORK/next.err" "$WORK/killed.log"
    fail "killed: the next client exited $rc"
}
moved=$(json_get "$WORK/next.json" 'j["end"]["sum_received"]["bytes"] > 0')
[[ $moved == True ]] ||
    fail "killed: the next client moved no data"
stop_server "$KILLED_SRV"

#
# busy
#
echo "== busy: a second client while a test runs"
start_perf_server busy -p 5304 --udp-port 9904
BUSY_SRV=$SERVER_PID
# The same UDP port cannot have two servers.
bad 2 "bind UDP \[::\]:9904: Address already in use \(another program on this UDP port\? choose another with --udp-port" \
    -s -p 5305 --udp-port 9904
# The first test runs 5 s at a low rate: long enough for any refusal that
# does not wait for it, cheap enough to leave the cores to the rest.
bg_client first -c 127.0.0.1 -p 5304 --udp-port 9904 -t 5 -b 10M
wait_for_line "$WORK/busy.log" "$FIRST_INTERVAL" 10
t=$(now)
rc=0
timeout 20 "$PERF_BIN" -c 127.0.0.1 -p 5304 --udp-port 9904 -t 1 \
    >"$WORK/second.out" 2>"$WORK/second.err" || rc=$?
took=$(since "$t")
[[ $rc == 1 ]] || {
    show "$WORK/second.out" "$WORK/second.err"
    fail "busy: the second client exited $rc, want 1"
}
# Text mode reports a failed test on stdout (-J: in "error" and on stderr).
grep -q 'error: server: the server is busy running another test' \
    "$WORK/second.out" "$WORK/second.err" ||
    fail "busy: unclear message: $(cat "$WORK/second.out" "$WORK/second.err")"
# Refused while the first test ran: its client has not ended, and the
# server has not yet closed it (its end-of-test table comes last).
[[ ! -s $WORK/first.done ]] ||
    fail "busy: the first test ended before the second client was refused" \
        "($took s): the second one waited for it"
! grep -q ' receiver$' "$WORK/busy.log" ||
    fail "busy: the server ended the first test before it refused the second"
# iperf3's closing line is for runs that worked.
! grep -q 'Done\.' "$WORK/second.out" ||
    fail "busy: a refused test says 'sctpu-perf Done.'"
wait_done first 20
[[ $DONE_RC == 0 ]] || {
    show "$WORK/first.out" "$WORK/first.err" "$WORK/busy.log"
    fail "busy: the running test exited $DONE_RC after the refusal"
}
echo "second client refused in $took s; the running test completed"
stop_server "$BUSY_SRV"

echo "== busy: --max-clients 2"
start_perf_server two -p 5305 --udp-port 9905 --max-clients 2
TWO_SRV=$SERVER_PID
bg_client one -c 127.0.0.1 -p 5305 --udp-port 9905 -t 4 -b 100M -J
wait_for_line "$WORK/two.log" "$FIRST_INTERVAL" 10
bg_client two -c 127.0.0.1 -p 5305 --udp-port 9905 -t 1 -b 100M -J
wait_done two 20
[[ $DONE_RC == 0 ]] || {
    show "$WORK/two.out" "$WORK/two.err" "$WORK/two.log"
    fail "--max-clients 2: the second client exited $DONE_RC"
}
[[ ! -s $WORK/one.done ]] ||
    fail "--max-clients 2: the first test ended before the second one did"
wait_done one 20
[[ $DONE_RC == 0 ]] || {
    show "$WORK/one.out" "$WORK/one.err" "$WORK/two.log"
    fail "--max-clients 2: the first client exited $DONE_RC"
}
for c in one two; do
    ok=$(json_get "$WORK/$c.out" \
        'j.get("error") is None and j["end"]["sum_received"]["bytes"] > 0')
    [[ $ok == True ]] ||
        fail "--max-clients 2: client $c: $(cat "$WORK/$c.out")"
done
grep -q '^Accepted association 1 of test 2 ' "$WORK/two.log" ||
    fail "--max-clients 2: the server did not log test 2"
stop_server "$TWO_SRV"
echo "two concurrent tests both completed"

#
# vanish: collect both clients
#
echo "== vanish: results"
# check_vanished NAME TIMEOUT
check_vanished() {
    local name=$1 limit=$2 took
    wait_done "$name" $((limit + 10))
    took=$(elapsed_between "$VANISH_AT" "$DONE_AT")
    echo "$name: exit $DONE_RC $took s after the server died:" \
        "$(grep -h -m1 '^sctpu-perf: error:' "$WORK/$name.err" \
            "$WORK/$name.out" | head -1)"
    [[ $DONE_RC == 1 ]] || {
        show "$WORK/$name.out" "$WORK/$name.err"
        fail "$name: exit $DONE_RC, want 1"
    }
    # Text mode says it on stdout, -J in "error" and on stderr.
    grep -q "error: nothing heard from the server on association 1 for $limit s (RTO now [0-9]* ms): the server is gone" \
        "$WORK/$name.out" "$WORK/$name.err" || {
        show "$WORK/$name.out" "$WORK/$name.err"
        fail "$name: no clear message"
    }
    le "$took" $((limit + 2)) || fail "$name: gave up after $took s"
}
check_vanished vanish3 3
wait_done frozen 15
took=$(elapsed_between "$FROZEN_AT" "$DONE_AT")
echo "frozen: exit $DONE_RC $took s after the server froze:" \
    "$(grep -h -m1 '^sctpu-perf: error:' "$WORK/frozen.out" | head -1)"
kill -KILL "$FROZEN_PID"
[[ $DONE_RC == 1 ]] || fail "frozen: exit $DONE_RC, want 1"
grep -q "error: nothing heard from the server on association 1 for 2 s" \
    "$WORK/frozen.out" || {
    show "$WORK/frozen.out" "$WORK/frozen.err"
    fail "frozen: no clear message"
}
le "$took" 4 || fail "frozen: gave up after $took s, want within 4"

echo "== slowpace: a message every 5.2 s is not a stall of --timeout 1"
start_perf_server slowpace -p 5307 --udp-port 9907 --timeout 1
for dir in "" -R; do
    rc=0
    # shellcheck disable=SC2086
    timeout 30 $SCTPU_WRAP "$PERF_BIN" -c 127.0.0.1 -p 5307 --udp-port 9907 \
        -t 3 -b 100k --timeout 1 -i 0 $dir >"$WORK/slowpace.out" 2>&1 || rc=$?
    ((rc == 0)) || {
        show "$WORK/slowpace.out" "$WORK/slowpace.log"
        fail "slowpace ${dir:-(forward)}: exit $rc"
    }
    # the sender's line: one 64 KiB message, and it ends at -t
    grep -Eq '^\[ *1\] +0\.00-3\.[0-4][0-9] +sec +64\.0 KBytes .* sender$' \
        "$WORK/slowpace.out" ||
        fail "slowpace ${dir:-(forward)}: $(grep -E 'sender|receiver' "$WORK/slowpace.out")"
done
! grep -q 'aborted' "$WORK/slowpace.log" ||
    fail "slowpace: the server aborted a test: $(grep aborted "$WORK/slowpace.log")"
stop_server "$SERVER_PID"
check_vanished vanish10 8  # the default --timeout
[[ $(json_get "$WORK/vanish10.out" \
    '"the server is gone" in (j.get("error") or "")') == True ]] ||
    fail "vanish10: -J has no \"error\": $(tail -c 300 "$WORK/vanish10.out")"
grep -q 'the server is gone' "$WORK/vanish10.err" ||
    fail "vanish10: -J said nothing on stderr"

echo "PASS: perf faults in $((SECONDS - T0)) s"
