#!/usr/bin/env bash
# it_echo_window.sh - sctpu-echo --window: many messages in flight.
#
# a) --window 16 over 8 streams, 2000 mixed-size messages: every echo
#    verified against its own message, and the window really used: the
#    client reports max_in_flight 16 (the first burst fills it before any
#    echo can be read: one thread, and 16 x 64 KiB fit the send buffer).
#    --window 1 reports 1. The rates are consistent with the counts.
# b) unordered (-u) with a window of 32 and tiny messages, which carry
#    no usable sequence number: all verified.
# c) -i paces the sends even when the window has room.
# d) the server is frozen (SIGSTOP) mid-run: the client fails within
#    --timeout + 2 s with exactly one error line, naming the oldest
#    message not echoed; everything older was echoed, and no more than
#    the window went unanswered.
# e) --window out of range: a usage error.
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"

start_echo_server srv -p 5000 --udp-port 9899
sizes=1,2,7,8,9,100,1000,1452,1453,4096,20000,65535,65536

check_json() { # check_json FILE PYTHON-EXPR WHAT
    [[ $(json_get "$1" "($2)") == True ]] || fail "$3: $(cat "$1")"
}

# --- a) window 16 and window 1 ------------------------------------------
for w in 16 1; do
    out=$WORK/w$w.json
    timeout 60 "$ECHO_BIN" -c 127.0.0.1 -p 5000 -n 2000 -i 0 -l "$sizes" \
        --nstreams 8 --window "$w" -J >"$out" 2>"$WORK/w$w.err" ||
        fail "window $w: client exited $?: $(cat "$out" "$WORK/w$w.err")"
    check_json "$out" "j['sent'] == j['verified'] == j['received'] == 2000" \
        "window $w: not 2000 verified"
    check_json "$out" "j['lost'] == 0 and j['corrupt'] == 0 and
        j['error'] is None" "window $w: lost, corrupt or error"
    check_json "$out" "j['streams']['used'] == 8" "window $w: not 8 streams"
    check_json "$out" "j['window'] == $w and j['max_in_flight'] == $w" \
        "window $w: window/max_in_flight wrong"
    # The bytes are a pure function of the sizes cycled over 2000 messages.
    check_json "$out" "j['verified_bytes'] == sum(
        [$sizes][i % len([$sizes])] for i in range(2000))" \
        "window $w: verified_bytes wrong"
    check_json "$out" "j['elapsed_s'] > 0 and
        abs(j['msgs_per_s'] - 2000 / j['elapsed_s']) <= 0.01 * j['msgs_per_s']
        and abs(j['bytes_per_s'] - j['verified_bytes'] / j['elapsed_s'])
            <= 0.01 * j['bytes_per_s']" "window $w: rates inconsistent"
    check_json "$out" "0 < j['setup_us'] < 5000000" "window $w: setup_us"
    echo "window $w: $(json_get "$out" "'%d msgs/s, rtt p50 %d us' % (
        j['msgs_per_s'], j['rtt_us']['p50'])")"
done

# Text: the set-up time on the connect line, the rate line in the summary.
timeout 60 "$ECHO_BIN" -c 127.0.0.1 -p 5000 -n 64 -i 0 -l 1,65536 \
    --nstreams 8 --window 16 >"$WORK/text.out" 2>&1 ||
    fail "text client exited $?: $(cat "$WORK/text.out")"
grep -Eq '^connected to 127\.0\.0\.1 udp/9899 sctp/5000 from 127\.0\.0\.1:[0-9]+ in [0-9]+ us: streams out 8 ' \
    "$WORK/text.out" || fail "connect line: $(head -1 "$WORK/text.out")"
grep -q '^64 sent, 64 received, 64 verified, 0 lost, 0 corrupt$' \
    "$WORK/text.out" || fail "text summary: $(tail -3 "$WORK/text.out")"
grep -Eq '^elapsed [0-9.]+ s: [0-9.]+ messages/s, [0-9.]+ [KMG]?Bytes/s verified \(window 16, at most 16 in flight\)$' \
    "$WORK/text.out" || fail "rate line: $(tail -2 "$WORK/text.out")"
# Every seq echoed exactly once, whatever the order.
n=$(grep -Eo 'seq=[0-9]+ ' "$WORK/text.out" | sort -u | wc -l)
[[ $n == 64 ]] || fail "text: $n distinct seqs echoed, not 64"

# --- b) unordered, tiny messages -----------------------------------------
timeout 60 "$ECHO_BIN" -c 127.0.0.1 -p 5000 -n 1000 -i 0 -l 1,2,3,100 -u \
    --nstreams 4 --window 32 -J >"$WORK/u.json" ||
    fail "unordered: client exited $?: $(cat "$WORK/u.json")"
check_json "$WORK/u.json" "j['verified'] == 1000 and j['corrupt'] == 0 and
    j['max_in_flight'] == 32" "unordered: not all verified"

# --- c) pacing -------------------------------------------------------------
# 26 messages 20 ms apart span at least 25 x 20 ms, window or not (a
# little slack for the event loop's coarse clock).
timeout 60 "$ECHO_BIN" -c 127.0.0.1 -p 5000 -n 26 -i 0.02 --window 4 -J \
    >"$WORK/paced.json" || fail "paced: client exited $?"
check_json "$WORK/paced.json" "j['verified'] == 26 and
    j['elapsed_s'] >= 0.45 and j['max_in_flight'] <= 4" "paced: not paced"

# --- d) the server freezes mid-run ------------------------------------------
timeout 60 "$ECHO_BIN" -c 127.0.0.1 -p 5000 -i 0 -l 1,1000,20000 \
    --nstreams 8 --window 16 --timeout 1 >"$WORK/stop.out" \
    2>"$WORK/stop.err" &
CLIENT_PID=$!
PIDS+=("$CLIENT_PID")
wait_for_line "$WORK/stop.out" 'seq=300 '
kill -STOP "$SERVER_PID"
t0=$(date +%s%N)
rc=0
wait "$CLIENT_PID" || rc=$?
took_ms=$((($(date +%s%N) - t0) / 1000000))
[[ $rc == 1 ]] || fail "frozen server: exit $rc, want 1"
((took_ms <= 3000)) || fail "frozen server: the client took $took_ms ms"
[[ $(wc -l <"$WORK/stop.err") == 1 ]] ||
    fail "frozen server: not one error line: $(cat "$WORK/stop.err")"
grep -Eq '^sctpu-echo: error: no echo for seq=[0-9]+ within 1 s$' \
    "$WORK/stop.err" || fail "frozen server: $(cat "$WORK/stop.err")"
grep -q 'no echo' "$WORK/stop.out" &&
    fail "frozen server: the error is repeated on stdout"
python3 - "$WORK/stop.out" "$WORK/stop.err" <<'EOF' || fail "frozen server: wrong seq named"
import re, sys
out, err = open(sys.argv[1]).read(), open(sys.argv[2]).read()
named = int(re.search(r"seq=(\d+)", err).group(1))
echoed = {int(s) for s in re.findall(r"^\d+ bytes from .*: seq=(\d+) stream=", out, re.M)}
sent, received = map(int, re.search(r"^(\d+) sent, (\d+) received", out, re.M).groups())
problems = []
if named in echoed:
    problems.append(f"seq={named} was echoed")
if set(range(named)) - echoed:
    problems.append(f"older seqs not echoed: {sorted(set(range(named)) - echoed)[:5]}")
if not 0 < sent - received <= 16:
    problems.append(f"{sent - received} unanswered, window is 16")
print(f"frozen server: seq={named} named; {sent} sent, {received} received")
if problems:
    print("; ".join(problems), file=sys.stderr)
    sys.exit(1)
EOF
echo "frozen server: client failed in $took_ms ms"
kill -CONT "$SERVER_PID"

# --- e) range -------------------------------------------------------------
for bad in 0 1025 x; do
    rc=0
    "$ECHO_BIN" -c 127.0.0.1 --window "$bad" >/dev/null 2>"$WORK/bad.err" ||
        rc=$?
    [[ $rc == 2 ]] || fail "--window $bad: exit $rc, want 2"
    grep -q -- "--window" "$WORK/bad.err" ||
        fail "--window $bad: unclear message: $(cat "$WORK/bad.err")"
done

stop_server "$SERVER_PID"
for n in 2000 64 1000 26; do
    grep -q "closed: $n messages" "$WORK/srv.log" ||
        fail "the server did not echo $n messages on an association"
done
echo "PASS: windows of 16 and 32 verified every echo; pacing; a frozen server fails cleanly"
