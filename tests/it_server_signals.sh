#!/usr/bin/env bash
# it_server_signals.sh - SIGTERM to a server while clients are mid-run.
#
# README: the echo server "on SIGINT/SIGTERM shuts associations down
# gracefully", with 2 s of grace for that (echo_server.c STOP_GRACE_S; the
# Docker lab's "SIGTERM ends every server with status 0 in < 4 s (2 s
# grace for closing associations)"); sctpu-perf's server tells each running
# test's client why and closes its associations gracefully, with the same
# 2 s of grace (perf_server.c STOP_GRACE_S). Each case has two clients
# running:
#
#   echo-live    clients answering: every association closes gracefully
#                ("closed:", a message caught by the SHUTDOWN counted as
#                not echoed, never an abort), none had
#                to be aborted by the grace timer, the server exits 0 well
#                within the grace; each client exits 1 with one error line
#                naming the close, every echo it did get verified
#   echo-grace   clients frozen (SIGSTOP), so no SHUTDOWN can complete:
#                the server waits out the grace (>= 2 s, < 4 s), logs each
#                association "shutdown did not complete in time; aborted",
#                exits 0; the thawed clients exit 1
#   echo-twice   clients frozen, SIGTERM, then a second SIGTERM once the
#                server says it is stopping: it aborts at once, exiting
#                0 well before the grace would have ended
#   perf-live    two tests (--max-clients 2, -P 2 each): the server logs
#                "test N aborted: the server is shutting down" for both
#                and exits 0 well within the grace (the clients close);
#                each client exits 1 with "server: the server is shutting
#                down" long before -t 60
#   perf-frozen  the same with the clients frozen: the server waits out
#                the grace (>= 2 s, < 4 s) and exits 0; the thawed clients
#                still read why first
#   perf-twice   clients frozen, SIGTERM, then a second one once the
#                server says it is stopping: it exits 0 at once
#
# Times are taken from the signal to the process's exit; the bounds leave
# seconds of room on a loaded machine, yet a grace that was skipped (echo-
# grace) or waited out (echo-twice) falls outside them.
#
# The echo servers run with -V, which logs "stopping: ..." on the first
# signal: echo-twice sends its second one only after that line.
#
# usage: bash tests/it_server_signals.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $ECHO_BIN ]] || fail "$ECHO_BIN is not built"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
GRACE=2 # echo_server.c STOP_GRACE_S

# wait_exit PID LIMIT: wait up to LIMIT s for PID to end; sets EXIT_RC and
# EXIT_AFTER (seconds since SIGNAL_AT, the time of the first signal).
wait_exit() {
    local pid=$1 limit=$2 i
    for ((i = 0; i < limit * 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.02
    done
    EXIT_AFTER=$(python3 -c "print(f'{$EPOCHREALTIME - $SIGNAL_AT:.2f}')")
    kill -0 "$pid" 2>/dev/null && fail "process $pid still runs $limit s after the signal"
    EXIT_RC=0
    wait "$pid" || EXIT_RC=$?
}

# lt A B / ge A B: compare decimal seconds.
lt() { python3 -c "import sys; sys.exit(not $1 < $2)"; }
ge() { python3 -c "import sys; sys.exit(not $1 >= $2)"; }

# echo_clients NAME PORT: two clients sending until the server goes; each
# waits until it has 20 echoes verified. Pids in CLIENTS.
echo_clients() {
    local name=$1 port=$2 c
    CLIENTS=()
    for c in 1 2; do
        "$ECHO_BIN" -c 127.0.0.1 --udp-port "$port" -n 0 -i 0.005 \
            -l 100,3000 --nstreams 4 --timeout 10 \
            >"$WORK/$name-c$c.out" 2>"$WORK/$name-c$c.err" &
        CLIENTS+=($!)
        PIDS+=($!)
    done
    for c in 1 2; do
        wait_for_line "$WORK/$name-c$c.out" ' seq=20 ' 20
    done
}

# echo_server_ends NAME LINE_RE: each of the two associations has exactly
# one end line, and it matches LINE_RE.
echo_server_ends() {
    local name=$1 re=$2 id n
    for id in 1 2; do
        n=$(grep -Ec "^\[ +$id\] .* (closed: |failed after )" "$WORK/$name.log" || true)
        ((n == 1)) || fail "$name: association $id has $n end lines, want 1"
        grep -Eq "^\[ +$id\] .*$re" "$WORK/$name.log" ||
            fail "$name: association $id did not end as /$re/: $(grep -E "^\[ +$id\] " "$WORK/$name.log" | tail -1)"
    done
}

# client_error NAME C RE: client C exited (status in EXIT_RC) 1 with one
# error line, matching RE (on stderr; sctpu-perf's text mode puts it on
# stdout, as iperf3 does).
client_error() {
    local name=$1 c=$2 re=$3 n
    ((EXIT_RC == 1)) || fail "$name: client $c exited $EXIT_RC, want 1"
    n=$(cat "$WORK/$name-c$c".{out,err} | grep -c ': error: ' || true)
    ((n == 1)) || fail "$name: client $c printed $n error lines: $(cat "$WORK/$name-c$c.err")"
    cat "$WORK/$name-c$c".{out,err} | grep -Eq ": error: ($re)" ||
        fail "$name: client $c: $(grep ': error: ' "$WORK/$name-c$c".{out,err}), want /$re/"
}

echo "== echo-live: SIGTERM with both clients running"
start_echo_server echo-live --udp-port 9961 -V
echo_clients echo-live 9961
SIGNAL_AT=$EPOCHREALTIME
kill -TERM "$SERVER_PID"
wait_exit "$SERVER_PID" 10
cat "$WORK/echo-live.log"
echo "echo-live: server exit $EXIT_RC after $EXIT_AFTER s"
((EXIT_RC == 0)) || fail "echo-live: server exited $EXIT_RC"
lt "$EXIT_AFTER" "$GRACE" || fail "echo-live: the server took $EXIT_AFTER s, not within the ${GRACE} s grace"
grep -q 'stopping: shutting down open associations' "$WORK/echo-live.log" ||
    fail "echo-live: the server did not say it was stopping"
# Every live association closes gracefully: a message that arrived after
# our SHUTDOWN is dropped and counted, never a reason to abort.
echo_server_ends echo-live 'closed: [0-9]+ messages, [0-9]+ bytes echoed(; not echoed: [0-9]+ that arrived after the server began shutting down)?$'
! grep -q 'did not complete in time' "$WORK/echo-live.log" ||
    fail "echo-live: live clients' associations waited out the grace"
# A message that came in after our SHUTDOWN cannot be echoed: the server's
# doing, not the client's, and no reason to abort.
! grep -q 'the peer shut down\|failed after' "$WORK/echo-live.log" ||
    fail "echo-live: an association failed or the client was blamed"
grep -q '^served 2 associations' "$WORK/echo-live.log" ||
    fail "echo-live: no final counters line"
for c in 1 2; do
    wait_exit "${CLIENTS[c - 1]}" 10
    tail -3 "$WORK/echo-live-c$c.out"
    cat "$WORK/echo-live-c$c.err"
    client_error echo-live "$c" 'the server closed the association'
    read -r sent verified corrupt < <(sed -n \
        's/^\([0-9]*\) sent, [0-9]* received, \([0-9]*\) verified, [0-9]* lost, \([0-9]*\) corrupt$/\1 \2 \3/p' \
        "$WORK/echo-live-c$c.out")
    ((corrupt == 0 && verified >= 20 && sent - verified <= 1)) ||
        fail "echo-live: client $c sent $sent, verified $verified, corrupt $corrupt"
done

echo "== echo-grace: SIGTERM with both clients frozen"
start_echo_server echo-grace --udp-port 9962 -V
echo_clients echo-grace 9962
kill -STOP "${CLIENTS[@]}"
SIGNAL_AT=$EPOCHREALTIME
kill -TERM "$SERVER_PID"
wait_exit "$SERVER_PID" 10
kill -CONT "${CLIENTS[@]}"
cat "$WORK/echo-grace.log"
echo "echo-grace: server exit $EXIT_RC after $EXIT_AFTER s"
((EXIT_RC == 0)) || fail "echo-grace: server exited $EXIT_RC"
ge "$EXIT_AFTER" "$GRACE - 0.1" || fail "echo-grace: the server did not wait the ${GRACE} s grace ($EXIT_AFTER s)"
lt "$EXIT_AFTER" 4 || fail "echo-grace: the server took $EXIT_AFTER s (documented: < 4 s)"
echo_server_ends echo-grace 'failed after [0-9]+ messages: shutdown did not complete in time; aborted$'
for c in 1 2; do
    SIGNAL_AT=$EPOCHREALTIME
    wait_exit "${CLIENTS[c - 1]}" 15
    cat "$WORK/echo-grace-c$c.err"
    client_error echo-grace "$c" '.'
done

echo "== echo-twice: a second SIGTERM while the grace runs"
start_echo_server echo-twice --udp-port 9963 -V
echo_clients echo-twice 9963
kill -STOP "${CLIENTS[@]}"
SIGNAL_AT=$EPOCHREALTIME
kill -TERM "$SERVER_PID"
wait_for_line "$WORK/echo-twice.log" 'stopping: shutting down open associations' 5
kill -TERM "$SERVER_PID"
wait_exit "$SERVER_PID" 10
kill -CONT "${CLIENTS[@]}"
cat "$WORK/echo-twice.log"
echo "echo-twice: server exit $EXIT_RC ${EXIT_AFTER} s after the first signal"
((EXIT_RC == 0)) || fail "echo-twice: server exited $EXIT_RC"
lt "$EXIT_AFTER" "$GRACE - 0.5" ||
    fail "echo-twice: the second signal did not cut the ${GRACE} s grace ($EXIT_AFTER s)"
echo_server_ends echo-twice 'failed after [0-9]+ messages: shutdown did not complete in time; aborted$'
for c in 1 2; do
    wait_exit "${CLIENTS[c - 1]}" 15
    client_error echo-twice "$c" '.'
done

# perf_case NAME FREEZE [TWICE]: two -P 2 tests, then SIGTERM to the
# server (TWICE: a second one once it says it is stopping).
perf_case() {
    local name=$1 freeze=$2 twice=${3:-0} c
    start_perf_server "$name" --udp-port 9964 --max-clients 2 -V
    CLIENTS=()
    for c in 1 2; do
        "$PERF_BIN" -c 127.0.0.1 --udp-port 9964 -t 60 -b 10M -P 2 -i 0.2 \
            >"$WORK/$name-c$c.out" 2>"$WORK/$name-c$c.err" &
        CLIENTS+=($!)
        PIDS+=($!)
    done
    for c in 1 2; do
        wait_for_line "$WORK/$name-c$c.out" '^\[SUM\] +0\.00-[0-9.]+ ' 20
    done
    ((freeze == 0)) || kill -STOP "${CLIENTS[@]}"
    SIGNAL_AT=$EPOCHREALTIME
    kill -TERM "$SERVER_PID"
    if ((twice)); then
        wait_for_line "$WORK/$name.log" 'stopping: closing the associations of running tests' 5
        kill -TERM "$SERVER_PID"
    fi
    wait_exit "$SERVER_PID" 10
    ((freeze == 0)) || kill -CONT "${CLIENTS[@]}"
    grep -v '^\[' "$WORK/$name.log"
    echo "$name: server exit $EXIT_RC after $EXIT_AFTER s"
    ((EXIT_RC == 0)) || fail "$name: server exited $EXIT_RC"
    if ((freeze && !twice)); then
        ge "$EXIT_AFTER" "$GRACE - 0.1" ||
            fail "$name: the server did not wait the ${GRACE} s grace ($EXIT_AFTER s)"
        lt "$EXIT_AFTER" 4 || fail "$name: the server took $EXIT_AFTER s (want < 4 s)"
    else
        lt "$EXIT_AFTER" 1.5 || fail "$name: the server took $EXIT_AFTER s to exit"
    fi
    for c in 1 2; do
        grep -q "test $c aborted: the server is shutting down" "$WORK/$name.log" ||
            fail "$name: the server did not log the end of test $c"
    done
    for c in 1 2; do
        wait_exit "${CLIENTS[c - 1]}" 20
        grep -h ': error: ' "$WORK/$name-c$c".{out,err} || true
        echo "$name: client $c exit $EXIT_RC after $EXIT_AFTER s"
        if ((freeze == 0)); then
            client_error "$name" "$c" 'server: the server is shutting down$'
        else
            # Frozen, it may have missed the ERROR and see only the ABORT.
            client_error "$name" "$c" '.'
        fi
    done
}

echo "== perf-live: SIGTERM with two tests running"
perf_case perf-live 0
echo "== perf-frozen: SIGTERM with the clients of two tests frozen"
perf_case perf-frozen 1
echo "== perf-twice: a second SIGTERM while the grace runs"
perf_case perf-twice 1 1

echo "PASS: SIGTERM mid-run ends both servers as documented"
