#!/usr/bin/env bash
# it_echo_parallel.sh - sctpu-echo -P N: many associations from one client
# process. 50 associations of 3 messages each (one of 70000 bytes, past
# the server's 64k starting buffer) are all verified and closed
# gracefully, and the server logs 50 associations with 3 echoes each;
# SIGINT during --hold ends the run as a success; a server at
# --max-associations 5 makes a -P 10 run fail (exit 1) with a line naming
# the cap; no server at all fails within --timeout.
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"

start_echo_server server --idle-timeout 0
run_bounded 60 many "$ECHO_BIN" -c 127.0.0.1 -P 50 -n 3 -l 1,70000,64 \
    --nstreams 3 -q
want_rc many 0
grep -q '^all 50 associations up and verified (150 echoes)' "$WORK/many.out" ||
    { show "$WORK/many.out"; fail "many: not all 50 verified"; }
grep -q '^associations: 50 of 50 up, 50 verified, 50 closed gracefully; 150 echoes verified' \
    "$WORK/many.out" || { show "$WORK/many.out"; fail "many: the summary"; }
closed=$(grep -cE '^\[ *[0-9]+\] .* closed: 3 messages, 70065 bytes echoed' \
    "$WORK/server.log" || true)
((closed == 50)) || { show "$WORK/server.log"; fail "many: $closed of 50 closed after 3 echoes"; }
# the client allows only its own 3 streams inbound: the server sends on 3
grep -q 'streams in 3 out 3,' "$WORK/server.log" ||
    { show "$WORK/server.log"; fail "many: the server's streams are not 3 and 3"; }

# SIGINT during --hold: a graceful end, exit 0
"$ECHO_BIN" -c 127.0.0.1 -P 5 --hold 600 -q >"$WORK/hold.out" 2>"$WORK/hold.err" &
HOLD_PID=$!
PIDS+=("$HOLD_PID")
wait_for_line "$WORK/hold.out" '^holding 5 associations idle for 600 s' 20
kill -INT "$HOLD_PID"
gone "$HOLD_PID" 10 || fail "hold: still running 10 s after SIGINT"
((RC == 0)) || { show "$WORK/hold.out" "$WORK/hold.err"; fail "hold: exit $RC"; }
grep -q '^associations: 5 of 5 up, 5 verified, 5 closed gracefully' \
    "$WORK/hold.out" || { show "$WORK/hold.out"; fail "hold: the summary"; }
stop_server "$SERVER_PID"
echo "many, hold: verified and closed"

# a server capped at 5 associations refuses the 6th
start_echo_server capped --max-associations 5
run_bounded 30 capped "$ECHO_BIN" -c 127.0.0.1 -P 10 -q
want_rc capped 1
grep -Eq "association [0-9]+.*is -P above the server's --max-associations" \
    "$WORK/capped.err" || { show "$WORK/capped.err"; fail "capped: the error line"; }
stop_server "$SERVER_PID"
grep -q 'refused .* associations (--max-associations 5)' "$WORK/capped.log" ||
    { show "$WORK/capped.log"; fail "capped: the server did not refuse"; }

# nobody listening: a clear failure within --timeout
run_bounded 20 none "$ECHO_BIN" -c 127.0.0.1 -P 10 -q --timeout 1
want_rc none 1
grep -q 'association 0: no answer to INIT within 1 s' "$WORK/none.err" ||
    { show "$WORK/none.err"; fail "none: the error line"; }
echo "capped, none: exit 1 with the reason"
