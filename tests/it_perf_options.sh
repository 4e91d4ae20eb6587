#!/usr/bin/env bash
# it_perf_options.sh - the iperf3 options people reach for, each checked by
# its effect:
#
#   title      -T and --timestamps[=FMT]: every text line of client and
#              server starts with the time, then "TITLE:  "; -J has
#              start.title and stays plain JSON
#   stream     --json-stream -t 3 -i 0.5: one JSON object per line, each
#              parses; start, 6 intervals that tile the test, end; lines
#              come out while the test runs; the server streams too; a
#              failed run ends with an "error" event
#   connect    --connect-timeout 300 to nobody: exit 1 within 2 s, naming
#              the timeout, the address and both ports
#   idle       --idle-timeout: -1 exits 0 when no test comes; without -1
#              the server waits on; a test whose client froze is aborted;
#              -1 exits 1 once its only test is aborted (client killed);
#              a -R test (the server sends) is not idle
#   rcv        --rcv-timeout 500: a receiving client whose server froze,
#              and a receiving server whose client froze, give up naming it
#   limit      --server-bitrate-limit 100M: 2 x 40M runs; 2 x 60M, no -b
#              and --bidir 2 x 60M are refused with a clear error, exit 1
#   affinity   -A 0: the running server and client may use CPU 0 only
#
# usage: bash tests/it_perf_options.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
T0=$SECONDS
export LC_ALL=C # %c in --timestamps: a known shape

# run NAME ARGS...: a bounded client (lib.sh run_bounded); status in RC.
run() {
    run_bounded 30 "$1" "$PERF_BIN" -c 127.0.0.1 "${@:2}"
}

# bg NAME ARGS...: a client in the background; its pid in BG.
bg() {
    local name=$1
    shift
    "$PERF_BIN" -c 127.0.0.1 "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    BG=$!
    PIDS+=("$BG")
}

# A first interval line, on a client's or a server's output.
FIRST_INTERVAL='^\[ +1\] +0\.00-[0-9.]+ +sec'

#
# title: -T and --timestamps
#
echo "== title"
"$PERF_BIN" -s -T srv --timestamps='%H:%M:%S ' >"$WORK/srv.log" 2>&1 &
SRV=$!
PIDS+=("$SRV")
wait_for_line "$WORK/srv.log" ' srv:  Server listening on SCTP port' 10
run title -t 1 -T "my test" --timestamps='[%H:%M:%S] '
want_rc title 0
n=$(wc -l <"$WORK/title.out")
bad=$(grep -cvE '^\[[0-9]{2}:[0-9]{2}:[0-9]{2}\] my test:  ' \
    "$WORK/title.out" || true)
((n >= 8 && bad == 0)) || {
    show "$WORK/title.out"
    fail "title: $bad of $n client lines lack the time and the title"
}
grep -q '^\[[0-9:]*\] my test:  sctpu-perf Done\.$' "$WORK/title.out" ||
    fail "title: the last line has no prefix"
bad=$(grep -cvE '^[0-9]{2}:[0-9]{2}:[0-9]{2} srv:  ' "$WORK/srv.log" || true)
((bad == 0)) || {
    show "$WORK/srv.log"
    fail "title: $bad server lines lack the time and the title"
}
grep -q 'srv:  Server listening on SCTP port' "$WORK/srv.log" ||
    fail "title: the server's banner has no prefix"
# The default format is iperf3's "%c ".
run stamp -t 0.5 --timestamps
want_rc stamp 0
bad=$(grep -cvE '^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4} ' \
    "$WORK/stamp.out" || true)
((bad == 0)) || {
    show "$WORK/stamp.out"
    fail "--timestamps: $bad lines lack a '%c ' time"
}
run title-json -t 0.5 -J -T "my test" --timestamps
want_rc title-json 0
[[ $(json_get "$WORK/title-json.out" 'j["start"]["title"]') == "my test" ]] ||
    fail "title: -J has no start.title"
echo "title: every line prefixed on both ends; -J start.title"

#
# stream: --json-stream
#
echo "== stream"
bg stream -t 3 -i 0.5 --json-stream
STREAM=$BG
# Lines come out as the test runs, not all at its end.
wait_for_line "$WORK/stream.out" '^\{"event":"interval","data":' 10
kill -0 "$STREAM" 2>/dev/null ||
    fail "stream: the first interval line came only after the test ended"
gone "$STREAM" 20 || fail "stream: the client still runs after 20 s"
want_rc stream 0
python3 - "$WORK/stream.out" <<'PY' || fail "stream: bad event lines"
import json, sys
events = []
for n, line in enumerate(open(sys.argv[1]), 1):
    try:
        e = json.loads(line)
    except ValueError as x:
        sys.exit(f"line {n} does not parse: {x}: {line[:80]!r}")
    # iperf3's two keys; the start event also says the schema version
    want = {"event", "data"} | ({"schema_version"} if n == 1 else set())
    if set(e) != want:
        sys.exit(f"line {n}: keys {sorted(e)}")
    events.append(e)
kinds = [e["event"] for e in events]
if kinds[0] != "start" or kinds[-1] != "end":
    sys.exit(f"events {kinds}: not start ... end")
ivs = [e["data"] for e in events if e["event"] == "interval"]
if kinds.count("start") != 1 or kinds.count("end") != 1 or \
        len(ivs) + 2 != len(kinds):
    sys.exit(f"events {kinds}")
# -t 3 -i 0.5: six intervals, each starting where the last one ended,
# adding up to the end's numbers.
if len(ivs) != 6:
    sys.exit(f"{len(ivs)} interval lines, want 6")
t = 0
for iv in ivs:
    if abs(iv["sum"]["start"] - t) > 1e-6:
        sys.exit(f"interval starts at {iv['sum']['start']}, not {t}")
    t = iv["sum"]["end"]
end = events[-1]["data"]
if sum(iv["sum"]["bytes"] for iv in ivs) != end["sum_sent"]["bytes"]:
    sys.exit("the intervals do not add up to sum_sent")
if abs(t - end["sum_sent"]["seconds"]) > 1e-6:
    sys.exit(f"the last interval ends at {t}, the test at "
             f"{end['sum_sent']['seconds']}")
print(f"stream: {len(events)} lines: start, {len(ivs)} intervals, end")
PY
stop_server "$SRV"
# The server streams its own events, one test at a time.
start_perf_server srvjs --json-stream
SRV=$SERVER_PID
run stream2 -t 1 -i 0.5 -J
want_rc stream2 0
stop_server "$SRV"
python3 - "$WORK/srvjs.log" <<'PY' || fail "stream: the server's lines"
import json, sys
kinds = []
for line in open(sys.argv[1]):
    if line.startswith("{"):
        kinds.append(json.loads(line)["event"])
if kinds[:1] != ["start"] or kinds[-1:] != ["end"] or \
        kinds.count("interval") < 2:
    sys.exit(f"server events {kinds}")
PY
# A failed run: start, then an "error" event. UDP 9999 is silent (no
# ICMP either), so the set-up waits until --connect-timeout.
silent_udp_port 9999
run stream-err --udp-port 9999 --connect-timeout 300 --json-stream
want_rc stream-err 1
python3 - "$WORK/stream-err.out" <<'PY' || fail "stream: no error event"
import json, sys
ev = [json.loads(line) for line in open(sys.argv[1])]
assert [e["event"] for e in ev] == ["start", "error"], ev
assert "--connect-timeout" in ev[1]["data"], ev[1]
PY
echo "stream: every line an event; the server streams; errors are events"

#
# connect: --connect-timeout
#
echo "== connect"
t=$SECONDS
run connect --udp-port 9999 --connect-timeout 300 -t 1
want_rc connect 1
MSG='no association with 127.0.0.1 \(UDP port 9999, SCTP port 5201\) within --connect-timeout 300 ms'
grep -Eq "$MSG" "$WORK/connect.out" "$WORK/connect.err" || {
    show "$WORK/connect.out" "$WORK/connect.err"
    fail "connect: unclear message"
}
((SECONDS - t <= 2)) || fail "connect: gave up after $((SECONDS - t)) s"
start_perf_server srv
SRV=$SERVER_PID
run connect-ok --connect-timeout 2000 -t 0.5
want_rc connect-ok 0
echo "connect: refused in time; a live server is reached"

#
# limit: --server-bitrate-limit
#
echo "== limit"
stop_server "$SRV"
start_perf_server limit --server-bitrate-limit 100M/5
SRV=$SERVER_PID
run limit-ok -b 40M -P 2 -t 1 -J
want_rc limit-ok 0
LIM="exceeds the server's bitrate limit 100 Mbits/sec"
for args in "-b 60M -P 2:120 Mbits/sec in total \\(-b 60[.0]* Mbits/sec x 2 associations\\)" \
    "--bidir -b 60M:120 Mbits/sec in total \\(-b 60[.0]* Mbits/sec x 1 association x 2 directions\\)" \
    ":an unlimited rate \\(no -b\\)"; do
    read -r -a a <<<"${args%%:*}"
    run limit-bad "${a[@]}" -t 1
    want_rc limit-bad 1
    grep -Eq "error: server: the test asks for ${args#*:}, which $LIM" \
        "$WORK/limit-bad.out" || {
        show "$WORK/limit-bad.out" "$WORK/limit-bad.err"
        fail "limit: ${args%%:*}: unclear refusal"
    }
done
stop_server "$SRV"
echo "limit: within it runs, above it refused with the numbers"

#
# idle: --idle-timeout
#
echo "== idle"
t=$SECONDS
"$PERF_BIN" -s -1 --idle-timeout 1 -p 5310 --udp-port 9910 \
    >"$WORK/idle1.out" 2>&1 &
IDLE1=$!
PIDS+=("$IDLE1")
gone "$IDLE1" 5 || fail "idle: -1 --idle-timeout 1 still waits after 5 s"
[[ $RC == 0 ]] || fail "idle: -1 --idle-timeout exited $RC"
grep -q '^No test for 1 s (--idle-timeout): exiting$' "$WORK/idle1.out" ||
    fail "idle: $(cat "$WORK/idle1.out")"
echo "idle: -s -1 --idle-timeout 1 exited 0 after $((SECONDS - t)) s"
# Without -1 a server waits for clients however long it takes; this
# waits three idle periods to see it stay.
start_perf_server idle --idle-timeout 0.5
SRV=$SERVER_PID
sleep 1.5
kill -0 "$SRV" 2>/dev/null || fail "idle: a server without -1 exited"
# A client that freezes mid-test: its test is aborted as idle.
bg frozen -t 20 -b 10M
FROZEN=$BG
wait_for_line "$WORK/frozen.out" "$FIRST_INTERVAL" 10
kill -STOP "$FROZEN"
wait_for_line "$WORK/idle.log" \
    'test 1 aborted: nothing moved for 0.5 s \(--idle-timeout\)' 5
kill -KILL "$FROZEN"
# -1 serves one test however it ends: a client killed mid-test has its
# test aborted, and the server then exits 1 (it once waited on forever).
# (no --idle-timeout: with one, -1 also ends when no test comes.)
"$PERF_BIN" -s -1 --timeout 2 -p 5311 --udp-port 9911 \
    >"$WORK/idle1k.out" 2>&1 &
IDLE1K=$!
PIDS+=("$IDLE1K")
wait_for_line "$WORK/idle1k.out" '^Server listening' 10
bg killed -p 5311 --udp-port 9911 -t 20 -b 10M
wait_for_line "$WORK/killed.out" "$FIRST_INTERVAL" 10
kill -KILL "$BG"
gone "$IDLE1K" 10 ||
    fail "idle: -1 still runs 10 s after its only test's client was killed"
[[ $RC == 1 ]] || fail "idle: -1 exited $RC after an aborted test, not 1"
grep -q 'test 1 aborted: ' "$WORK/idle1k.out" ||
    fail "idle: -1 did not say why: $(cat "$WORK/idle1k.out")"
# The server sending (-R) is not idle, even with a slow rate.
run idle-R -R -t 2 -b 10M -J
want_rc idle-R 0
stop_server "$SRV"
echo "idle: a frozen client's test aborted; -R ran through"

#
# rcv: --rcv-timeout
#
echo "== rcv"
start_perf_server rcv-srv
SRV=$SERVER_PID
bg rcv-cli -R -t 20 -b 10M --rcv-timeout 500
CLI=$BG
wait_for_line "$WORK/rcv-cli.out" "$FIRST_INTERVAL" 10
kill -STOP "$SRV"
gone "$CLI" 5 || fail "rcv: the client waits on after its --rcv-timeout"
kill -CONT "$SRV"
[[ $RC == 1 ]] || fail "rcv: the client exited $RC"
grep -q 'no data received on association 1 for 500 ms (--rcv-timeout)' \
    "$WORK/rcv-cli.out" || {
    show "$WORK/rcv-cli.out" "$WORK/rcv-cli.err"
    fail "rcv: the client does not say why"
}
stop_server "$SRV"
start_perf_server rcv-srv2 --rcv-timeout 500
SRV=$SERVER_PID
bg rcv-cli2 -t 20 -b 10M
CLI=$BG
wait_for_line "$WORK/rcv-cli2.out" "$FIRST_INTERVAL" 10
kill -STOP "$CLI"
wait_for_line "$WORK/rcv-srv2.log" \
    'aborted: no data received on association 1 for 500 ms \(--rcv-timeout\)' 5
kill -KILL "$CLI"
stop_server "$SRV"
echo "rcv: both ends give up after --rcv-timeout, saying so"

#
# affinity: -A
#
echo "== affinity"
start_perf_server aff -A 0
SRV=$SERVER_PID
cpus=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$SRV/status")
[[ $cpus == 0 ]] || fail "affinity: the server may run on '$cpus', not 0"
bg aff-cli -t 3 -b 10M -A 0
CLI=$BG
wait_for_line "$WORK/aff-cli.out" "$FIRST_INTERVAL" 10
cpus=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$CLI/status")
[[ $cpus == 0 ]] || fail "affinity: the client may run on '$cpus', not 0"
gone "$CLI" 10 || fail "affinity: the client still runs"
[[ $RC == 0 ]] || fail "affinity: the client exited $RC"
stop_server "$SRV"
echo "affinity: server and client pinned to CPU 0"

echo "PASS: perf options in $((SECONDS - T0)) s"
