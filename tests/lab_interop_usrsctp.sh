#!/usr/bin/env bash
# tests/lab_interop_usrsctp.sh - interoperate with an independent peer:
# usrsctp's own example programs (echo_server, client), built from the
# sources in Debian's libusrsctp-dev by tools/build-usrsctp-examples.sh.
#
#   a) our client -> their echo_server: 200 messages of 1..10000 bytes over
#      8 streams, every echo verified (bytes, stream, PPID) by sctpu-echo.
#   b) their client -> our server: 20 distinct lines on stream 0; every line
#      must come back exactly once, and our server must log the association
#      and "closed: 20 messages, <bytes> bytes echoed".
#
# Both run in a private network namespace with only loopback: the usrsctp
# programs bind every local address and heartbeat all of them.
#
# usage: bash tests/lab_interop_usrsctp.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

in_private_netns "$@"

usrsctp_examples

# Line-buffer the programs' stdout so their logs are complete when we read
# them (they print with stdio and are killed at the end).
# (coreutils' stdbuf: always there on Debian, so no fallback to hide a gap)
LINEBUF=(stdbuf -oL -eL)

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

show() {
    local f
    for f in "$@"; do
        echo "--- $f:" >&2
        cat "$f" >&2 || true
    done
}

#
# a) sctpu-echo client -> usrsctp echo_server
#
echo "== a) sctpu-echo client -> usrsctp echo_server"
t0=$(now)
# Local UDP 9899; remote encapsulation port 0: it answers to the UDP source
# port each association came from, i.e. our client's ephemeral port.
"${LINEBUF[@]}" "$EXAMPLES/echo_server" 9899 0 >"$WORK/a-server.log" 2>&1 &
ES_PID=$!
PIDS+=("$ES_PID")
# It binds UDP in usrsctp_init(), then creates, binds and listens on its SCTP
# socket microseconds later; an INIT that wins that race is retransmitted.
wait_udp_bound 9899 10 "$ES_PID" || {
    show "$WORK/a-server.log"
    fail "usrsctp echo_server did not bind UDP 9899"
}
sleep 0.1

rc=0
# SCTPU_WRAP is a command prefix (e.g. "valgrind -q"): split it on purpose.
# shellcheck disable=SC2086
timeout 20 $SCTPU_WRAP "$ECHO_BIN" -c 127.0.0.1 -p 7 --udp-port 9899 \
    -n 200 -i 0 -l 1,100,1000,10000 --nstreams 8 -J --timeout 10 \
    >"$WORK/a-client.json" 2>"$WORK/a-client.err" || rc=$?
stop_foreign "$ES_PID"
if ((rc != 0)); then
    show "$WORK/a-client.json" "$WORK/a-client.err" "$WORK/a-server.log"
    fail "a) sctpu-echo client exited $rc against usrsctp echo_server"
fi
cat "$WORK/a-client.json"
for key in sent received verified; do
    v=$(json_get "$WORK/a-client.json" "j['$key']")
    [[ $v == 200 ]] || {
        show "$WORK/a-client.err" "$WORK/a-server.log"
        fail "a) $key is $v, expected 200"
    }
done
for key in lost corrupt; do
    v=$(json_get "$WORK/a-client.json" "j['$key']")
    [[ $v == 0 ]] || fail "a) $key is $v, expected 0"
done
# Their side: 200 complete messages (none truncated, none partial).
n=$(grep -c 'complete 1\.$' "$WORK/a-server.log" || true)
[[ $n == 200 ]] || {
    show "$WORK/a-server.log"
    fail "a) echo_server logged $n complete messages, expected 200"
}
echo "a) passed in $(elapsed "$t0") s"

#
# b) usrsctp client -> sctpu-echo server
#
echo "== b) usrsctp client -> sctpu-echo server"
t0=$(now)
start_echo_server b-server -p 5007 --udp-port 9899

NLINES=20
: >"$WORK/b-client.out"
# Distinct lines of different lengths, all shorter than the 80-byte buffer
# the client reads stdin with (a longer line would become two messages).
ALPHA=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN
for ((i = 1; i <= NLINES; i++)); do
    printf 'sctpu interop line %02d %05d %s\n' "$i" "$RANDOM" "${ALPHA:0:i*2}"
done >"$WORK/b-lines.txt"
# Expected bytes: every line with its newline (client sends what fgets read).
BYTES=$(wc -c <"$WORK/b-lines.txt")

# Feed one line at a time and wait for its echo before the next: the client
# shuts the association down at EOF, so the last echo must be back by then.
# Give up (close stdin) as soon as one echo does not come back in 5 s.
feed() {
    local line i
    while IFS= read -r line; do
        printf '%s\n' "$line"
        for ((i = 0; i < 100; i++)); do
            grep -qxF -- "$line" "$WORK/b-client.out" && break
            sleep 0.05
        done
        ((i < 100)) || {
            echo "feed: no echo of '$line' within 5 s" >&2
            return 0
        }
        sleep 0.02
    done <"$WORK/b-lines.txt"
}

# client addr sctp_port local_sctp_port(0: ephemeral) local_encaps remote_encaps
rc=0
feed 2>"$WORK/b-feed.err" |
    timeout 25 "${LINEBUF[@]}" "$EXAMPLES/client" 127.0.0.1 5007 0 9900 9899 \
        >"$WORK/b-client.out" 2>"$WORK/b-client.err" || rc=$?
if ((rc != 0)); then
    show "$WORK/b-feed.err" "$WORK/b-client.out" "$WORK/b-client.err" \
        "$WORK/b-server.log"
    fail "b) usrsctp client exited $rc (124: timed out)"
fi

while IFS= read -r line; do
    n=$(grep -cxF -- "$line" "$WORK/b-client.out" || true)
    [[ $n == 1 ]] || {
        show "$WORK/b-feed.err" "$WORK/b-client.out" "$WORK/b-server.log"
        fail "b) line '$line' came back $n times, expected once"
    }
done <"$WORK/b-lines.txt"
n=$(grep -c '^sctpu interop line ' "$WORK/b-client.out" || true)
[[ $n == "$NLINES" ]] || fail "b) client printed $n echoed lines, expected $NLINES"
grep -q 'SCTP_SHUTDOWN_COMP' "$WORK/b-client.out" || {
    show "$WORK/b-client.out"
    fail "b) the association did not end with a graceful shutdown"
}

wait_for_line "$WORK/b-server.log" \
    '\] association from 127\.0\.0\.1:9900 sctp/[0-9]+' 5
wait_for_line "$WORK/b-server.log" \
    "\] 127\.0\.0\.1:9900 sctp/[0-9]+ closed: $NLINES messages, $BYTES bytes echoed" 5
stop_server "$SERVER_PID"
cat "$WORK/b-server.log"
echo "b) passed in $(elapsed "$t0") s"
