#!/usr/bin/env bash
# The Go sctp example's command lines work unchanged:
#   server: -server -ip ADDR -port N     client: -ip HOST -port N
# The client keeps sending one message a second until interrupted, like the
# original; on SIGINT it prints its summary and exits 0 if all verified.
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"

"$ECHO_BIN" -server -ip 127.0.0.1 -port 2000 >"$WORK/srv.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_for_line "$WORK/srv.log" 'sctpu-echo server: SCTP port 2000 over UDP 127.0.0.1:9899'

# Exactly the original client command line.
"$ECHO_BIN" -port 2000 -ip 127.0.0.1 >"$WORK/cli.log" 2>&1 &
CLIENT_PID=$!
PIDS+=("$CLIENT_PID")
wait_for_line "$WORK/cli.log" 'seq=1 stream=1 time='
kill -INT "$CLIENT_PID"
rc=0
wait "$CLIENT_PID" || rc=$?
[[ $rc == 0 ]] || fail "client exited $rc after SIGINT: $(cat "$WORK/cli.log")"
grep -Eq '^([2-9]|[1-9][0-9]+) sent, \1 received, \1 verified, 0 lost, 0 corrupt$' \
    "$WORK/cli.log" || fail "summary wrong: $(tail -3 "$WORK/cli.log")"

# The -name=value form, as Go's flag package allows.
"$ECHO_BIN" -ip=127.0.0.1 -port=2000 -n 3 -i 0 >"$WORK/list.log" \
    2>"$WORK/list.err" || fail "-ip= client failed: $(cat "$WORK/list.err")"
grep -q '^3 sent, 3 received, 3 verified' "$WORK/list.log" ||
    fail "-ip= client summary wrong: $(tail -3 "$WORK/list.log")"
# -ip with a list is multihoming, which the usrsctp backend (one UDP
# socket) cannot do: it says so and exits 2, before sending anything.
rc=0
"$ECHO_BIN" -ip=127.0.0.1,127.0.0.2 -port=2000 -n 3 -i 0 >"$WORK/list.log" \
    2>"$WORK/list.err" || rc=$?
[[ $rc == 2 ]] || fail "-ip list on usrsctp: exit $rc, want 2"
grep -q 'multihoming (several addresses) needs --backend kernel' "$WORK/list.err" ||
    fail "-ip list on usrsctp: no clear refusal: $(cat "$WORK/list.err")"

# The first client's message count, from its own summary.
n1=$(sed -nE 's/^([0-9]+) sent, .*/\1/p' "$WORK/cli.log")
# The last SHUTDOWN-COMPLETE may reach the server just after its client
# exits: give it a moment (bounded) before the server is stopped.
for ((i = 0; i < 100; i++)); do
    (($(grep -c ' closed: ' "$WORK/srv.log") >= 2)) && break
    sleep 0.05
done
stop_server "$SERVER_PID"
cat "$WORK/srv.log"
# Both clients that connected closed gracefully, each after all its
# messages (the refused -ip list never reached the server); none failed.
! grep -q ' failed after ' "$WORK/srv.log" ||
    fail "server: an association failed: $(grep ' failed after ' "$WORK/srv.log")"
closes=$(grep -c ' closed: ' "$WORK/srv.log" || true)
[[ $closes == 2 ]] || fail "server logged $closes graceful closes, want 2"
counts=$(sed -nE 's/.* closed: ([0-9]+) messages,.*/\1/p' "$WORK/srv.log" |
    sort -n | xargs)
want=$(printf '%s\n' "$n1" 3 | sort -n | xargs)
[[ $counts == "$want" ]] ||
    fail "server closed after '$counts' messages, want '$want' (the two clients')"
echo "PASS: Go-example command lines"
