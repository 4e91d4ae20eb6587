#!/usr/bin/env bash
# it_accept_during_stop.sh - clients that connect while the echo server is
# stopping are refused cleanly, and the server survives refusing them.
#
# A stopping echo server refuses a new association inside its on_accept
# by freeing it (echo_server.c), so the backend must not touch the
# connection after on_accept returns (transport.h, transport_accept_cb).
# Before that contract the usrsctp backend read the freed connection: a
# heap-use-after-free that ASan aborts on (run this on an ASan build to
# see it; a plain build may survive it by luck).
#
#   stop-grace  a frozen client keeps the server in its 2 s SIGTERM grace;
#               NEW clients start together during the grace: each is
#               refused (exit 1, one error line, no hang), the server
#               exits 0 and served only the first association
#   once        sctpu-echo -s --once: a long client (frozen) and a short
#               one; once the short one has ended the server is stopping,
#               and NEW clients starting together are refused the same
#               way; the long client then finishes, and the server exits 0
#               having served exactly those two
#
# Both cases check the server's log for a sanitizer report too, so an ASan
# abort is named as such.
#
# usage: bash tests/it_accept_during_stop.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

[[ -x $ECHO_BIN ]] || fail "$ECHO_BIN is not built"
NEW=4 # clients started at the same moment while the server stops

# wait_exit PID LIMIT: wait up to LIMIT s for PID to end; its status in
# EXIT_RC. A process still running then is a hang.
wait_exit() {
    local pid=$1 limit=$2 i
    for ((i = 0; i < limit * 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.02
    done
    kill -0 "$pid" 2>/dev/null && fail "process $pid still runs after $limit s"
    EXIT_RC=0
    wait "$pid" || EXIT_RC=$?
}

# server_exit NAME: the server (SERVER_PID) ends within 10 s with status
# 0 and no sanitizer report.
server_exit() {
    local name=$1
    wait_exit "$SERVER_PID" 10
    cat "$WORK/$name.log"
    ! grep -q 'Sanitizer' "$WORK/$name.log" ||
        fail "$name: the server hit a sanitizer error (exit $EXIT_RC)"
    ((EXIT_RC == 0)) || fail "$name: the server exited $EXIT_RC, want 0"
}

# refuse_new NAME PORT: start NEW clients at the same moment; each must
# exit 1 within its --timeout with exactly one error line: the server
# aborts each association as it accepts it.
refuse_new() {
    local name=$1 port=$2 c n pids=() rcs
    for ((c = 1; c <= NEW; c++)); do
        "$ECHO_BIN" -c 127.0.0.1 --udp-port "$port" -n 3 --timeout 5 \
            >"$WORK/$name-new$c.out" 2>"$WORK/$name-new$c.err" &
        pids+=($!)
        PIDS+=($!)
    done
    rcs=()
    for ((c = 1; c <= NEW; c++)); do
        wait_exit "${pids[c - 1]}" 15
        rcs+=("$EXIT_RC")
    done
    # A server that crashed refusing them leaves them no answer: say so.
    if grep -q 'Sanitizer' "$WORK/$name.log"; then
        cat "$WORK/$name.log"
        fail "$name: the server hit a sanitizer error refusing new clients"
    fi
    for ((c = 1; c <= NEW; c++)); do
        EXIT_RC=${rcs[c - 1]}
        cat "$WORK/$name-new$c.err"
        ((EXIT_RC == 1)) || fail "$name: new client $c exited $EXIT_RC, want 1"
        n=$(cat "$WORK/$name-new$c".{out,err} | grep -c ': error: ' || true)
        ((n == 1)) || fail "$name: new client $c printed $n error lines, want 1"
        # The server's ABORT, before or just after the client saw COMM_UP;
        # not ICMP port unreachable or silence (a server that died).
        grep -Eq ': error: (cannot associate with .*|association lost): Connection reset by peer$' \
            "$WORK/$name-new$c.err" ||
            fail "$name: new client $c was not refused by the server's ABORT"
    done
}

echo "== stop-grace: new clients during the SIGTERM grace"
start_echo_server stop-grace --udp-port 9981 -V
"$ECHO_BIN" -c 127.0.0.1 --udp-port 9981 -n 0 -i 0.01 --timeout 10 \
    >"$WORK/stop-grace-c1.out" 2>"$WORK/stop-grace-c1.err" &
FROZEN=$!
PIDS+=("$FROZEN")
wait_for_line "$WORK/stop-grace-c1.out" ' seq=5 ' 20
# Frozen, it cannot finish the SHUTDOWN: the server waits out its grace.
kill -STOP "$FROZEN"
kill -TERM "$SERVER_PID"
wait_for_line "$WORK/stop-grace.log" 'stopping: shutting down open associations' 5
refuse_new stop-grace 9981
server_exit stop-grace
grep -q '^served 1 associations' "$WORK/stop-grace.log" ||
    fail "stop-grace: the server did not serve exactly the first client"
kill -CONT "$FROZEN"
wait_exit "$FROZEN" 15
((EXIT_RC == 1)) || fail "stop-grace: the frozen client exited $EXIT_RC, want 1"

echo "== once: new clients after the first association of --once ended"
start_echo_server once --udp-port 9982 --once -V
"$ECHO_BIN" -c 127.0.0.1 --udp-port 9982 -n 200 -i 0.005 --timeout 10 \
    >"$WORK/once-long.out" 2>"$WORK/once-long.err" &
LONG=$!
PIDS+=("$LONG")
wait_for_line "$WORK/once-long.out" ' seq=5 ' 20
# Frozen, it keeps its association open while the others come and go.
kill -STOP "$LONG"
"$ECHO_BIN" -c 127.0.0.1 --udp-port 9982 -n 1 --timeout 5 \
    >"$WORK/once-short.out" 2>"$WORK/once-short.err" &
SHORT=$!
PIDS+=("$SHORT")
wait_exit "$SHORT" 15
((EXIT_RC == 0)) || fail "once: the short client exited $EXIT_RC: $(cat "$WORK/once-short.err")"
# Logged as the session ends, right where --once starts stopping.
wait_for_line "$WORK/once.log" '^\[ +2\] .* closed: 1 messages' 5
refuse_new once 9982
kill -CONT "$LONG"
wait_exit "$LONG" 20
((EXIT_RC == 0)) || fail "once: the long client exited $EXIT_RC: $(cat "$WORK/once-long.err")"
server_exit once
grep -q '^served 2 associations' "$WORK/once.log" ||
    fail "once: the server did not serve exactly the long and the short client"

echo "PASS: clients connecting to a stopping echo server are refused cleanly"
