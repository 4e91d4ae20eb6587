#!/usr/bin/env bash
# it_echo_server_caps.sh - an echo server's resources are not the
# client's to choose (issue 11, defect 6):
#   --max-associations 1: while one client is served, a second is aborted
#       at once (it fails, exit 1) and the server logs and counts it
#   --idle-timeout 1: a client silent for 3 s between messages has its
#       association closed after about 1 s, with a line saying why
#   --max-buffered 128k: a 300 KB message (its buffer would grow past the
#       pool) is aborted with a line saying why; 100 KB messages still echo
# Before, every association was served however many, however idle, with
# up to 1 MiB of buffer each.
#
# usage: bash tests/it_echo_server_caps.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

[[ -x $ECHO_BIN ]] || fail "$ECHO_BIN is not built"
CLIENT=("$ECHO_BIN" -c 127.0.0.1 -p 7441 --udp-port 9441 -q)

start_echo_server server -p 7441 --udp-port 9441 --max-associations 1 \
    --idle-timeout 1 --max-buffered 128k

alive() {
    kill -0 "$SERVER_PID" 2>/dev/null ||
        fail "the server died: $(tail -20 "$WORK/server.log")"
}

# one client held open (4 messages 0.3 s apart), then a second one
"${CLIENT[@]}" -n 4 -i 0.3 >"$WORK/first.out" 2>&1 &
FIRST=$!
PIDS+=("$FIRST")
wait_for_line "$WORK/server.log" '\[  1\] association from' 5
rc=0
timeout 10 "${CLIENT[@]}" -n 1 >"$WORK/second.out" 2>&1 || rc=$?
echo "second client (exit $rc): $(tail -1 "$WORK/second.out")"
((rc == 1)) || fail "the second association was not refused (exit $rc): $(cat "$WORK/second.out")"
wait_for_line "$WORK/server.log" 'refused an association from .*--max-associations' 5
wait "$FIRST" || fail "the first client failed: $(cat "$WORK/first.out")"
alive

rc=0
timeout 10 "${CLIENT[@]}" -n 2 -i 3 >"$WORK/idle.out" 2>&1 || rc=$?
echo "idle client (exit $rc): $(tail -1 "$WORK/idle.out")"
((rc == 1)) || fail "an idle association was not closed (exit $rc)"
grep -q 'failed after 1 messages: nothing for 1 s (--idle-timeout): closed' \
    "$WORK/server.log" || fail "no idle line in the server log: $(cat "$WORK/server.log")"
alive

rc=0
timeout 10 "${CLIENT[@]}" -n 1 -l 300k >"$WORK/big.out" 2>&1 || rc=$?
echo "300 KB message (exit $rc): $(tail -1 "$WORK/big.out")"
((rc == 1)) || fail "a message past --max-buffered was echoed (exit $rc)"
wait_for_line "$WORK/server.log" 'past --max-buffered 131072 bytes .*aborted' 5
"${CLIENT[@]}" -n 3 -i 0.1 -l 100k >"$WORK/fits.out" 2>&1 ||
    fail "100 KB messages failed under --max-buffered 128k: $(cat "$WORK/fits.out")"
alive

stop_server "$SERVER_PID"
grep -q '^refused 1 associations (--max-associations 1)' "$WORK/server.log" ||
    fail "the server did not count the refusal: $(tail -5 "$WORK/server.log")"
echo "PASS"
