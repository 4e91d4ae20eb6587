#!/usr/bin/env bash
# A client that dies and comes back with the same UDP and SCTP ports must
# get a working association, and the server must keep serving others.
# usrsctp restarts the existing association itself (RFC 9260 5.2.4: the
# INIT and COOKIE-ECHO round trip of the new incarnation replaces the old
# one), so the server sees one association, RESTARTed once per comeback.
# (usrsctp issue 587, a TCB lock leaked on that path, is not in 0.9.5.0:
# the leak came upstream after that tag, see DESIGN.md.)
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"

start_echo_server srv -p 5000
same_ports=(--local-udp-port 40000 --lport 40001)

for round in 1 2 3; do
    "$ECHO_BIN" -c 127.0.0.1 -p 5000 "${same_ports[@]}" -i 0.05 \
        >"$WORK/victim$round.log" 2>&1 &
    victim=$!
    PIDS+=("$victim")
    wait_for_line "$WORK/victim$round.log" 'seq=3 '
    kill -KILL "$victim"
    wait "$victim" 2>/dev/null || true
done

# The same ports once more, now running to completion.
timeout 20 "$ECHO_BIN" -c 127.0.0.1 -p 5000 "${same_ports[@]}" -n 100 -i 0 \
    -l 1,1000 -J --timeout 5 >"$WORK/again.json" ||
    fail "restarted client failed: $(cat "$WORK/again.json")"
[[ $(json_get "$WORK/again.json" "j['verified']") == 100 ]] ||
    fail "restarted client: $(cat "$WORK/again.json")"

# And a different client: the server is not frozen.
timeout 20 "$ECHO_BIN" -c 127.0.0.1 -p 5000 -n 100 -i 0 -J --timeout 5 \
    >"$WORK/other.json" || fail "other client failed: $(cat "$WORK/other.json")"
[[ $(json_get "$WORK/other.json" "j['verified']") == 100 ]] ||
    fail "other client: $(cat "$WORK/other.json")"
stop_server "$SERVER_PID"
# One association from the reused ports, restarted by each comeback (the
# killed incarnations sent no SHUTDOWN), and carrying every echo of them.
n=$(grep -c 'association from 127.0.0.1:40000 sctp/40001' "$WORK/srv.log")
[[ $n == 1 ]] || fail "want 1 association from the reused ports, got $n"
n=$(grep -c 'association 127.0.0.1:40000 sctp/40001: RESTART (the peer restarted' \
    "$WORK/srv.log")
[[ $n == 3 ]] || fail "want 3 restarts of it, got $n: $(cat "$WORK/srv.log")"
grep -q 'served 2 associations' "$WORK/srv.log" ||
    fail "want 2 associations served: $(tail -1 "$WORK/srv.log")"
! grep -q 'aborting its old association' "$WORK/srv.log" ||
    fail "the server aborted an association on an INIT"
echo "PASS: peers restarting on the same ports are served"
