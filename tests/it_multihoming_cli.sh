#!/usr/bin/env bash
# Multihoming on the command line: lists of addresses are checked like
# single ones, and the usrsctp backend (one UDP socket, one path) refuses
# more than one address with one clear line and exit 2, before it sends a
# single datagram; a client's -B with one address binds usrsctp's UDP
# socket there. (The kernel backend's multihoming runs in the VM:
# tests/vm_multihoming.sh.)
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
NO_MH='multihoming \(several addresses\) needs --backend kernel; the usrsctp backend runs over one UDP socket: give it one address'
checked=0

# A UDP socket on the server's port that records whatever arrives: the
# refusal must come before any INIT goes out.
start_sink() {
    python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
print("ready", flush=True)
while True:
    data, peer = s.recvfrom(65536)
    print("datagram", len(data), peer, flush=True)
' "$1" >"$WORK/sink.$1" 2>&1 &
    PIDS+=("$!")
    wait_for_line "$WORK/sink.$1" '^ready'
}

# expect_refused BIN ARGS...: exit 2 from the command line check, before
# anything is opened or printed: the message, then the usual --help hint,
# and nothing on stdout.
expect_refused() {
    local bin=$1 rc=0
    shift
    timeout 10 "$bin" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
    [[ $rc == 2 ]] || fail "${bin##*/} $*: exit $rc, want 2 ($(cat "$WORK/err"))"
    [[ $(head -1 "$WORK/err") =~ ^${bin##*/}:\ $NO_MH$ ]] ||
        fail "${bin##*/} $*: stderr lacks the multihoming line: $(cat "$WORK/err")"
    [[ $(sed -n 2p "$WORK/err") == "Try '${bin##*/} --help'." &&
        $(wc -l <"$WORK/err") == 2 ]] ||
        fail "${bin##*/} $*: more than the message and the hint: $(cat "$WORK/err")"
    [[ ! -s $WORK/out ]] || fail "${bin##*/} $*: printed before refusing: $(cat "$WORK/out")"
    checked=$((checked + 1))
}

# expect_usage BIN REGEX ARGS...: exit 2 and stderr matching REGEX.
expect_usage() {
    local bin=$1 re=$2 rc=0
    shift 2
    timeout 10 "$bin" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
    [[ $rc == 2 ]] || fail "${bin##*/} $*: exit $rc, want 2 ($(cat "$WORK/err"))"
    grep -Eq -- "$re" "$WORK/err" ||
        fail "${bin##*/} $*: stderr lacks /$re/: $(cat "$WORK/err")"
    checked=$((checked + 1))
}

start_sink 9899
start_sink 9900

# Clients with two server addresses, servers and clients with two local ones.
expect_refused "$ECHO_BIN" -c 127.0.0.1,127.0.0.2 -n 1
expect_refused "$ECHO_BIN" -ip 127.0.0.1:7,127.0.0.2:7 -n 1
expect_refused "$ECHO_BIN" -c 127.0.0.1,127.0.0.2 -n 1 --backend usrsctp
expect_refused "$ECHO_BIN" -s -ip 127.0.0.1,127.0.0.2 --udp-port 9901
expect_refused "$ECHO_BIN" -s -B 127.0.0.1,127.0.0.2 --udp-port 9901
expect_refused "$ECHO_BIN" -c 127.0.0.1 -B 127.0.0.1,127.0.0.2 -n 1
expect_refused "$PERF_BIN" -c 127.0.0.1,127.0.0.2 -t 1
expect_refused "$PERF_BIN" -c 127.0.0.1 -B 127.0.0.1,127.0.0.2 -t 1
expect_refused "$PERF_BIN" -s -B 127.0.0.1,127.0.0.2 --udp-port 9901 -1

# Nothing reached either server port.
if grep -q '^datagram' "$WORK/sink.9899" "$WORK/sink.9900"; then
    fail "a refused client sent datagrams: $(cat "$WORK"/sink.*)"
fi

# Lists are checked as single addresses are.
expect_usage "$ECHO_BIN" "-c: '127.0.0.1:1,127.0.0.2:2' names different ports" \
    -c 127.0.0.1:1,127.0.0.2:2
expect_usage "$ECHO_BIN" "has more than 8 addresses" -c "$(seq -s, 1 9)"
expect_usage "$ECHO_BIN" "-c: '127.0.0.1,' is not HOST" -c 127.0.0.1,
expect_usage "$ECHO_BIN" "-B: '127.0.0.1:5' names a port: a client's -B takes addresses only" \
    -c 127.0.0.1 -B 127.0.0.1:5
expect_usage "$ECHO_BIN" "-B and --ip both name the server's addresses" \
    -s -B 127.0.0.1 -ip 127.0.0.1
expect_usage "$PERF_BIN" "-B: '127.0.0.1:5' names a port" -c h -B 127.0.0.1:5
expect_usage "$PERF_BIN" "-c: 'a,b,c,d,e,f,g,h,i' has more than 8 addresses" \
    -c a,b,c,d,e,f,g,h,i
expect_usage "$PERF_BIN" "-B: 'a,,b' is not HOST" -s -B a,,b

# One address in list form still works end to end (usrsctp, loopback).
"$ECHO_BIN" -s -ip 127.0.0.1 --udp-port 9902 >"$WORK/srv.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_for_line "$WORK/srv.log" 'sctpu-echo server: SCTP port 7'
"$ECHO_BIN" -c 127.0.0.1:7 --udp-port 9902 -n 2 -i 0 -q >"$WORK/cli.log" 2>&1 ||
    fail "single-address client failed: $(cat "$WORK/cli.log")"
grep -q '^2 sent, 2 received, 2 verified' "$WORK/cli.log" ||
    fail "single-address client summary wrong: $(cat "$WORK/cli.log")"
# No peer address list from a backend that does not report paths.
if grep -q 'peer addresses' "$WORK/cli.log"; then
    fail "usrsctp printed peer addresses: $(cat "$WORK/cli.log")"
fi

# A client's -B with one address: usrsctp binds its UDP socket there, so
# the server sees the association come from it (127.0.0.2, not the
# 127.0.0.1 the route toward the server would pick).
for local in 127.0.0.1 127.0.0.2; do
    "$ECHO_BIN" -c 127.0.0.1 -B "$local" --udp-port 9902 -n 2 -i 0 -q -J \
        >"$WORK/bind.json" 2>"$WORK/bind.err" ||
        fail "client -B $local failed: $(cat "$WORK/bind.err" "$WORK/bind.json")"
    [[ $(json_get "$WORK/bind.json" "j['verified']") == 2 ]] ||
        fail "client -B $local: not 2 verified: $(cat "$WORK/bind.json")"
    [[ $(json_get "$WORK/bind.json" "j['local']") == "$local":* ]] ||
        fail "client -B $local: local is not $local: $(cat "$WORK/bind.json")"
    grep -Eq "association from $local:[0-9]+ " "$WORK/srv.log" ||
        fail "server did not see the client at $local: $(cat "$WORK/srv.log")"
done
stop_server "$SERVER_PID"

echo "PASS: multihoming command lines ($checked refusals checked)"
