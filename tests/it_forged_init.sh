#!/usr/bin/env bash
# it_forged_init.sh - forged INITs from a victim's UDP endpoint and SCTP
# port must not end its association (issue 11, defect 3).
#
# An INIT is unauthenticated: anyone who can send UDP with the victim's
# source address can forge one. RFC 9260 5.2.4 replaces an association
# only after the COOKIE-ECHO round trip, whose INIT-ACK goes to the real
# endpoint. A server that acts on the INIT itself (aborting the old
# association, as sctpu once did to dodge usrsctp issue 587) hands every
# such forger a kill switch. Here a raw socket (tests/sctp_forge.py) sends
# INITs that claim the victim's endpoint 127.0.0.1:40000 sctp/40001 while
# the victim echoes; every echo must come back verified.
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"
command -v python3 >/dev/null || skip "python3 is missing"

start_echo_server srv -p 5000
"$ECHO_BIN" -c 127.0.0.1 -p 5000 --local-udp-port 40000 --lport 40001 \
    -n 300 -i 0.01 --timeout 5 -J >"$WORK/victim.json" 2>"$WORK/victim.err" &
VICTIM=$!
PIDS+=("$VICTIM")
wait_for_line "$WORK/srv.log" 'association from 127.0.0.1:40000 sctp/40001'

# 20 INITs, 50 ms apart, from the victim's UDP endpoint and SCTP port;
# then 5 with a zero-length parameter, which usrsctp 0.9.5.0 walks forever
# when the INIT meets an existing association (a frozen server: found by
# the usrsctp_ingress fuzzer). sctpu drops them before usrsctp sees them.
python3 "$TESTS_DIR/sctp_forge.py" init 40000 40001 9899 5000 20 0.05 \
    >"$WORK/forge.log" 2>&1 || fail "the forger failed: $(cat "$WORK/forge.log")"
grep -q '^sent 20$' "$WORK/forge.log" ||
    fail "the forger did not send 20 INITs: $(cat "$WORK/forge.log")"
python3 "$TESTS_DIR/sctp_forge.py" badinit 40000 40001 9899 5000 5 0.05 \
    >"$WORK/forge-bad.log" 2>&1 || fail "the forger failed: $(cat "$WORK/forge-bad.log")"
overlapped=0
kill -0 "$VICTIM" 2>/dev/null && overlapped=1

rc=0
wait "$VICTIM" || rc=$?
[[ $rc == 0 ]] ||
    fail "the victim exited with $rc: $(cat "$WORK/victim.json" "$WORK/victim.err")"
((overlapped)) ||
    fail "the victim ended before the forger was done: they did not overlap"
[[ $(json_get "$WORK/victim.json" "j['verified']") == 300 ]] ||
    fail "victim: $(cat "$WORK/victim.json")"
for ((i = 0; i < 100; i++)); do
    grep -q ' closed: ' "$WORK/srv.log" && break
    sleep 0.05
done
stop_server "$SERVER_PID"
grep -q 'closed: 300 messages' "$WORK/srv.log" ||
    fail "the server did not carry 300 echoes on one association: $(cat "$WORK/srv.log")"
grep -q 'served 1 associations' "$WORK/srv.log" ||
    fail "want 1 association served: $(tail -2 "$WORK/srv.log")"
! grep -Eq 'aborting|RESTART' "$WORK/srv.log" ||
    fail "a forged INIT touched the association: $(cat "$WORK/srv.log")"
grep -q ' unknown peer, 5 malformed)$' "$WORK/srv.log" ||
    fail "want the 5 malformed INITs dropped: $(grep '^served' "$WORK/srv.log")"
echo "20 forged INITs left the victim's association running, 300 verified"

# --- forged handshakes from many endpoints (issue 11, defect 4) ---------
# 20,000 INITs from 20,000 source endpoints are answered keeping no state;
# 6,000 forged COOKIE-ECHOs from 6,000 others each make a peer (the
# server cannot tell a forged cookie before usrsctp has checked it), so
# the table fills to its cap (4096) and then evicts its oldest peers
# without an association. A real client is served all along.
start_echo_server flood -p 5000
"$ECHO_BIN" -c 127.0.0.1 -p 5000 -n 200 -i 0.01 --timeout 5 -J \
    >"$WORK/legit.json" 2>"$WORK/legit.err" &
LEGIT=$!
PIDS+=("$LEGIT")
wait_for_line "$WORK/flood.log" 'association from 127.0.0.1:'
python3 "$TESTS_DIR/sctp_forge.py" endpoints 9899 20000 init 20000 \
    >"$WORK/forge-init.log" 2>&1 || fail "forger: $(cat "$WORK/forge-init.log")"
python3 "$TESTS_DIR/sctp_forge.py" endpoints 9899 6000 cookie 20000 \
    >"$WORK/forge-cookie.log" 2>&1 || fail "forger: $(cat "$WORK/forge-cookie.log")"
overlapped=0
kill -0 "$LEGIT" 2>/dev/null && overlapped=1
rc=0
wait "$LEGIT" || rc=$?
[[ $rc == 0 ]] || fail "the client exited with $rc during the flood: $(cat "$WORK/legit.err")"
((overlapped)) || fail "the client ended before the flood did"
[[ $(json_get "$WORK/legit.json" "j['verified']") == 200 ]] ||
    fail "client during the flood: $(cat "$WORK/legit.json")"
stop_server "$SERVER_PID"
grep -E '^(peer table|ingress|usrsctp dropped)' "$WORK/flood.log"
read -r now peak cap evicted < <(sed -nE \
    's/^peer table: ([0-9]+) now \([0-9]+ with associations\), peak ([0-9]+), cap ([0-9]+), ([0-9]+) evicted$/\1 \2 \3 \4/p' \
    "$WORK/flood.log")
[[ -n $cap ]] || fail "no peer table line: $(tail -4 "$WORK/flood.log")"
((cap == 4096 && peak == cap && now <= cap)) ||
    fail "the peer table went to $peak (now $now) against its cap $cap"
((evicted >= 1000)) || fail "only $evicted peers evicted for 6000 forged cookies"
flood_peak=$peak
stateless=$(sed -nE 's/^ingress: ([0-9]+) INITs answered statelessly.*/\1/p' \
    "$WORK/flood.log")
((stateless >= 19000)) ||
    fail "only $stateless of 20000 forged INITs were answered statelessly"
# --max-peers sets the cap: 500 forged COOKIE-ECHOs against a table of
# 64, with a client holding one entry (never evicted: it has an
# association) and served throughout.
start_echo_server small -p 5000 --max-peers 64
"$ECHO_BIN" -c 127.0.0.1 -p 5000 -n 100 -i 0.01 --timeout 5 -J \
    >"$WORK/legit2.json" 2>"$WORK/legit2.err" &
LEGIT=$!
PIDS+=("$LEGIT")
wait_for_line "$WORK/small.log" 'association from 127.0.0.1:'
python3 "$TESTS_DIR/sctp_forge.py" endpoints 9899 500 cookie 20000 \
    >"$WORK/forge-small.log" 2>&1 || fail "forger: $(cat "$WORK/forge-small.log")"
rc=0
wait "$LEGIT" || rc=$?
[[ $rc == 0 && $(json_get "$WORK/legit2.json" "j['verified']") == 100 ]] ||
    fail "client against --max-peers 64: exit $rc: $(cat "$WORK/legit2.json" "$WORK/legit2.err")"
stop_server "$SERVER_PID"
read -r now peak cap evicted < <(sed -nE \
    's/^peer table: ([0-9]+) now \([0-9]+ with associations\), peak ([0-9]+), cap ([0-9]+), ([0-9]+) evicted$/\1 \2 \3 \4/p' \
    "$WORK/small.log")
((cap == 64 && peak == 64 && now <= 64 && evicted >= 400)) ||
    fail "--max-peers 64: peak $peak, now $now, cap $cap, $evicted evicted"

echo "PASS: forged INITs leave associations alone; forged handshakes from" \
    "26,000 endpoints kept the peer table at its cap ($flood_peak; 64 with" \
    "--max-peers 64), the client served"
