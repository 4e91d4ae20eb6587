#!/usr/bin/env bash
# it_rebind_spoof.sh - a datagram from a new port of a peer's address with
# one of its association's tags moves nothing by itself (issue 11, defect
# 5): the server probes the new port with a HEARTBEAT and moves only on
# the HEARTBEAT-ACK. Here nobody answers there (a spoofed move, as a
# neighbour behind the same CGNAT address could try), so the victim's
# replies must stay where they were. A dead association's tag then
# moves nothing either, and is not even probed: tags are kept only for
# live associations.
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"
command -v python3 >/dev/null || skip "python3 is missing"
FORGE=(python3 "$TESTS_DIR/sctp_forge.py")

start_echo_server srv -p 5000
"${FORGE[@]}" sniff 40000 9899 >"$WORK/sniff.log" 2>&1 &
SNIFF=$!
PIDS+=("$SNIFF")
sleep 0.2 # the raw socket is open before the victim's first packet
"$ECHO_BIN" -c 127.0.0.1 -p 5000 --local-udp-port 40000 --lport 40001 \
    -n 300 -i 0.01 --timeout 5 -J >"$WORK/victim.json" 2>"$WORK/victim.err" &
VICTIM=$!
PIDS+=("$VICTIM")
wait "$SNIFF" || fail "no tag sniffed: $(cat "$WORK/sniff.log")"
read -r _ tag sport dport <"$WORK/sniff.log"
[[ $sport == 40001 && $dport == 5000 ]] ||
    fail "sniffed the wrong association: $(cat "$WORK/sniff.log")"
echo "the victim's association carries tag $tag"

# 50 HEARTBEATs with the live tag from 127.0.0.1:41000, 10 ms apart.
"${FORGE[@]}" tagged 41000 9899 40001 5000 "$tag" 50 >"$WORK/spoof.log" 2>&1 ||
    fail "the forger failed: $(cat "$WORK/spoof.log")"
overlapped=0
kill -0 "$VICTIM" 2>/dev/null && overlapped=1
rc=0
wait "$VICTIM" || rc=$?
[[ $rc == 0 ]] ||
    fail "the victim exited with $rc: $(cat "$WORK/victim.json" "$WORK/victim.err")"
((overlapped)) || fail "the victim ended before the spoofing did"
[[ $(json_get "$WORK/victim.json" "j['verified']") == 300 ]] ||
    fail "victim: $(cat "$WORK/victim.json")"
for ((i = 0; i < 100; i++)); do
    grep -q ' closed: ' "$WORK/srv.log" && break
    sleep 0.05
done

# The association is gone: its tag now means nothing.
"${FORGE[@]}" tagged 41001 9899 40001 5000 "$tag" 20 >"$WORK/dead.log" 2>&1 ||
    fail "the forger failed: $(cat "$WORK/dead.log")"
stop_server "$SERVER_PID"
grep -E '^(served|peer table|ingress|usrsctp dropped)' "$WORK/srv.log"
! grep -q 'moved to' "$WORK/srv.log" ||
    fail "a forged tag moved the peer: $(grep 'moved to' "$WORK/srv.log")"
probes=$(sed -nE 's/^ingress: .* ([0-9]+) path probes.*/\1/p' "$WORK/srv.log")
((probes >= 1 && probes <= 50)) ||
    fail "want the spoofed port probed (1 to 50 probes), got ${probes:-none}"
unknown=$(sed -nE 's/.*, ([0-9]+) unknown peer, [0-9]+ malformed\)$/\1/p' "$WORK/srv.log")
((unknown >= 20)) ||
    fail "the dead tag's 20 datagrams were not dropped as unknown ($unknown)"
echo "PASS: a live tag from a spoofed port was probed ($probes probes) and" \
    "moved nothing; a dead tag was dropped ($unknown unknown)"
