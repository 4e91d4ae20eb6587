#!/usr/bin/env bash
# A NAT that changes the client's UDP port mid-association (RFC 6951 5.4):
# the server must follow the peer by its verification tag, not drop it as
# a stranger. A relay (udp_rebind_relay.py) plays the NAT and moves to a
# new source port every few hundred datagrams; every echo and every perf
# message must still arrive, verified, and the server must report each move.
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"
command -v python3 >/dev/null || skip "python3 is missing"

# start_relay TO EVERY [FAIL_EVERY [SPLIT [GAP_MS]]]: relay 127.0.0.1:9000
# -> 127.0.0.1:TO (9899 for sctpu-echo's server, 9900 for sctpu-perf's:
# their defaults); with SPLIT only SCTP port SPLIT's association moves;
# with GAP_MS rebindings are at least that far apart.
# Each relay logs to a file of its own: waiting on a reused one could see
# the previous relay's "ready" before the new one has even started.
RELAYS=0
start_relay() {
    RELAYS=$((RELAYS + 1))
    RELAY_LOG=$WORK/relay$RELAYS.log
    python3 "$TESTS_DIR/udp_rebind_relay.py" 9000 "$1" "$2" "${3:-0}" "${4:-0}" \
        "${5:-0}" \
        >"$RELAY_LOG" 2>&1 &
    RELAY_PID=$!
    PIDS+=("$RELAY_PID")
    wait_for_line "$RELAY_LOG" '^ready'
}

# stop_relay: the number of rebindings it made, in REBINDS.
stop_relay() {
    kill -TERM "$RELAY_PID"
    wait "$RELAY_PID" || true
    REBINDS=$(sed -n 's/^rebinds //p' "$RELAY_LOG")
    [[ -n $REBINDS ]] || fail "the relay did not report: $(cat "$RELAY_LOG")"
    sed -n 's/^datagrams /  relay: /p' "$RELAY_LOG"
}

# --- echo: 600 messages over 8 streams, a new port every 150 datagrams ---
start_echo_server echo
start_relay 9899 150
$SCTPU_WRAP "$ECHO_BIN" -c 127.0.0.1 --udp-port 9000 -n 600 --nstreams 8 \
    -i 0 -q --timeout 5 >"$WORK/echo.out" 2>&1 ||
    fail "echo client failed through the rebinding relay: $(tail -3 "$WORK/echo.out")"
stop_relay
grep -q '^600 sent, 600 received, 600 verified, 0 lost, 0 corrupt' \
    "$WORK/echo.out" || fail "echo: $(cat "$WORK/echo.out")"
moves=$(grep -c 'moved to 127.0.0.1:[0-9]* (NAT rebinding)' "$WORK/echo.log" ||
    true)
((REBINDS >= 3)) || fail "the relay rebound only $REBINDS times"
((moves == REBINDS)) ||
    fail "the relay rebound $REBINDS times, the server followed $moves"
stop_server "$SERVER_PID"
grep -q 'served 1 associations' "$WORK/echo.log" ||
    fail "one association should have carried it all: $(tail -2 "$WORK/echo.log")"
grep -q "^followed $REBINDS NAT rebindings" "$WORK/echo.log" ||
    fail "the server's summary does not count the rebindings"
echo "echo: 600 verified across $REBINDS port changes"

# --- perf: two associations on one client endpoint move together -------
start_perf_server perf
# A new port every 400 datagrams, and at most every 0.5 s: a few moves in
# the run. The server follows at most 16 moves of an association at once,
# then one a second, so a relay that rebinds faster than that would
# outrun it on purpose. -b 5M each keeps the Python relay, the slowest of
# the three, from dropping datagrams: unpaced, it lost the server's path
# probes (a relay that loses packets is a lossy path), and an association
# whose probe is lost follows only at its next retransmission from the
# new port, seconds later (CI under ASan: 5 rebindings, 2 followed).
start_relay 9900 400 0 0 500
$SCTPU_WRAP "$BUILD_DIR/src/sctpu-perf" -c 127.0.0.1 --udp-port 9000 -t 2 \
    -b 5M \
    -P 2 --nstreams 4 --verify -l 1k >"$WORK/perf.out" 2>&1 ||
    fail "perf client failed through the rebinding relay: $(tail -3 "$WORK/perf.out")"
stop_relay
grep -qE '^Verify: [1-9][0-9]* verified, 0 missing, 0 duplicate, 0 corrupt, 0 out of order' \
    "$WORK/perf.out" || fail "perf verify: $(grep -E 'Verify|error' "$WORK/perf.out")"
# Each association follows once its own probe is answered from the new
# port; the peer moves when the second one has. A rebinding that comes
# while the first has moved and the second not yet is one move for both
# (the relay rebinds on a count, not in step with the probes), so the
# server may follow fewer moves than the relay made, but not many fewer.
moves=$(grep -c '(NAT rebinding)' "$WORK/perf.log" || true)
((REBINDS >= 1 && moves <= REBINDS && 2 * moves >= REBINDS)) ||
    fail "perf: the relay rebound $REBINDS times, the server followed $moves"
stop_server "$SERVER_PID"
echo "perf: -P 2 verified across $REBINDS port changes, the server followed $moves"

# --- one association of an endpoint moves, the other stays -------------
# The relay moves only association 1's datagrams (SCTP port 41000) to a
# new port every 50 of them (few enough that a slow run on a loaded
# machine still moves it); association 2 (41001) keeps its first port.
# -b 5M, as above: an unpaced run lost probes at the relay under load, and
# association 1 then drained 8 s past -t.
# The server must move association 1 alone each time (its path confirmed
# by our HEARTBEAT), never association 2, and never the whole peer.
start_perf_server perf-split
start_relay 9900 50 0 41000
$SCTPU_WRAP "$BUILD_DIR/src/sctpu-perf" -c 127.0.0.1 --udp-port 9000 -t 2 \
    -b 5M -P 2 --cport 41000 --verify -l 1k >"$WORK/perf-split.out" 2>&1 ||
    fail "perf client failed with one association moving: $(tail -3 "$WORK/perf-split.out")"
stop_relay
stop_server "$SERVER_PID"
grep -qE '^Verify: [1-9][0-9]* verified, 0 missing, 0 duplicate, 0 corrupt, 0 out of order' \
    "$WORK/perf-split.out" ||
    fail "perf split verify: $(grep -E 'Verify|error' "$WORK/perf-split.out")"
alone=$(grep -c 'sctp/41000 moved to .* (path confirmed); 1 other association(s) of that peer stay' \
    "$WORK/perf-split.log" || true)
((REBINDS >= 1 && alone >= 1)) ||
    fail "the relay moved association 1 $REBINDS times, the server moved it alone $alone times: $(grep -E 'moved' "$WORK/perf-split.log")"
! grep -qE 'sctp/41001 moved|NAT rebinding' "$WORK/perf-split.log" ||
    fail "association 2 or the whole peer moved: $(grep -E 'moved' "$WORK/perf-split.log")"
echo "perf: association 1 moved alone $alone times of $REBINDS, association 2 stayed"

# --- the path dies while only the server has something to send ----------
# perf -R: the server sends, the client only acknowledges. Each failed
# send at the relay closes its socket toward the server, and the server's
# data then goes to a closed port: the client hears nothing and so says
# nothing. Its HEARTBEAT (--hb-interval) is what reopens the path; the
# server follows it to the new port and retransmits. With the default 30 s
# interval this run would stall past its timeout.
FAST=(--rto-min 100 --rto-max 500 --rto-initial 300)
start_perf_server perf-r "${FAST[@]}"
start_relay 9900 0 300
$SCTPU_WRAP "$BUILD_DIR/src/sctpu-perf" -c 127.0.0.1 --udp-port 9000 -t 2 \
    -R --verify -l 1k --hb-interval 100 "${FAST[@]}" >"$WORK/perf-r.out" 2>&1 ||
    fail "perf -R failed through dying paths: $(tail -3 "$WORK/perf-r.out")"
stop_relay
grep -qE '^Verify: [1-9][0-9]* verified, 0 missing, 0 duplicate, 0 corrupt, 0 out of order' \
    "$WORK/perf-r.out" ||
    fail "perf -R verify: $(grep -E 'Verify|error' "$WORK/perf-r.out")"
moves=$(grep -c '(NAT rebinding)' "$WORK/perf-r.log" || true)
((REBINDS >= 1 && moves == REBINDS)) ||
    fail "perf -R: the path died $REBINDS times, the server followed $moves"
stop_server "$SERVER_PID"
echo "perf -R: verified across $REBINDS dead paths revived by heartbeats"

# --- a stranger from the same address but another port is not followed --
# A second client from 127.0.0.1 starts while the first one's association
# is up (and still running when the second is done), so a server that took
# any newcomer from a known address for that peer moving would follow it
# here: then the first client's echoes go to the second one's port and the
# log shows a rebinding. It must see two peers, two associations, no move.
start_echo_server echo2 -p 7
"$ECHO_BIN" -c 127.0.0.1 -n 40 -i 0.05 -q >"$WORK/first.out" 2>&1 &
FIRST_PID=$!
PIDS+=("$FIRST_PID")
wait_for_line "$WORK/echo2.log" '^\[ *1\] association from 127\.0\.0\.1:'
"$ECHO_BIN" -c 127.0.0.1 -n 5 -i 0 -q >"$WORK/second.out" 2>&1 ||
    fail "the second client failed: $(tail -3 "$WORK/second.out")"
kill -0 "$FIRST_PID" 2>/dev/null ||
    fail "the first client ended before the second did: they did not overlap"
grep -q '^5 sent, 5 received, 5 verified, 0 lost, 0 corrupt' \
    "$WORK/second.out" || fail "second client: $(cat "$WORK/second.out")"
wait "$FIRST_PID" || fail "the first client failed: $(tail -3 "$WORK/first.out")"
grep -q '^40 sent, 40 received, 40 verified, 0 lost, 0 corrupt' \
    "$WORK/first.out" || fail "first client: $(cat "$WORK/first.out")"
for ((i = 0; i < 100; i++)); do
    (($(grep -c ' closed: ' "$WORK/echo2.log") >= 2)) && break
    sleep 0.05
done
stop_server "$SERVER_PID"
! grep -q 'NAT rebinding' "$WORK/echo2.log" ||
    fail "a second client was taken for the first one moving:" \
        "$(grep 'NAT rebinding' "$WORK/echo2.log")"
grep -q 'served 2 associations' "$WORK/echo2.log" ||
    fail "want two associations: $(tail -2 "$WORK/echo2.log")"
ports=$(sed -nE 's/^\[ *[0-9]+\] association from 127\.0\.0\.1:([0-9]+) .*/\1/p' \
    "$WORK/echo2.log" | sort -u | wc -l)
((ports == 2)) || fail "the two associations came from $ports UDP ports, want 2"
[[ $(grep -c ' closed: ' "$WORK/echo2.log") == 2 ]] ||
    fail "want both associations closed: $(cat "$WORK/echo2.log")"
echo "PASS: NAT rebinding followed by verification tag"
