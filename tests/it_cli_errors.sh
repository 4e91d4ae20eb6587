#!/usr/bin/env bash
# Bad input gets one clear line naming the problem and exit status 2, never
# a crash or a hang. A dead or vanished peer is exit 1 with a clear reason.
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"

checked=0
# expect_usage_error REGEX ARGS...: exit 2 and a stderr line matching REGEX.
expect_usage_error() {
    local re=$1 rc=0
    shift
    timeout 10 "$ECHO_BIN" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
    [[ $rc == 2 ]] || fail "sctpu-echo $*: exit $rc, want 2 ($(cat "$WORK/err"))"
    grep -Eq -- "$re" "$WORK/err" ||
        fail "sctpu-echo $*: stderr lacks /$re/: $(cat "$WORK/err")"
    checked=$((checked + 1))
}

expect_usage_error "unknown option '--bogus'" --bogus
expect_usage_error "unknown option '-Z'" -Z
expect_usage_error "option '--count' needs a value" -c 127.0.0.1 --count
expect_usage_error "unexpected argument 'extra'" -s extra
expect_usage_error "-s and -c exclude each other" -s -c 127.0.0.1
expect_usage_error "a client needs the server's address" -n 1
expect_usage_error "^sctpu-echo: -p: '0' is out of range" -s -p 0
expect_usage_error "--port: '70000' is out of range" -s --port 70000
expect_usage_error "--udp-port: 'x9' is not a valid number" -s --udp-port x9
expect_usage_error "-n: '-5' is not a valid number" -c 127.0.0.1 -n -5
expect_usage_error "-n: 'abc' is not a valid number" -c 127.0.0.1 -n abc
expect_usage_error "-i: '-1' is not a valid number" -c 127.0.0.1 -i -1
expect_usage_error "-i: '5000' is out of range" -c 127.0.0.1 -i 5000
expect_usage_error "-l: '0' is out of range" -c 127.0.0.1 -l 0
expect_usage_error "-l: '2M' is out of range" -c 127.0.0.1 -l 2M
expect_usage_error "-l: '1,,2' is not a size" -c 127.0.0.1 -l 1,,2
expect_usage_error "is not a size or a list of up to 64" -c 127.0.0.1 \
    -l "$(seq -s, 1 65)"
expect_usage_error "--nstreams: '0' is out of range" -c h --nstreams 0
expect_usage_error "--nstreams: '65536' is out of range" -c h --nstreams 65536
expect_usage_error "--ppid: '4294967296' is out of range" -c h --ppid 4294967296
expect_usage_error "--mtu: '100' is out of range" -c h --mtu 100
expect_usage_error "--sndbuf: '1k' is out of range" -c h --sndbuf 1k
expect_usage_error "--timeout: '0' is out of range" -c h --timeout 0
expect_usage_error "--len 65536 exceeds --sndbuf 16384" -c h -l 65536 \
    --sndbuf 16k
expect_usage_error "--rto-min 900 is above --rto-max 500" -c h \
    --rto-min 900 --rto-max 500
expect_usage_error "--bufsize: '0' is out of range" -s -bufsize 0
expect_usage_error "--backend: unknown backend 'foo'" -s --backend foo
expect_usage_error "--backend kernel: the kernel SCTP backend is not built" \
    -s --backend kernel
expect_usage_error "resolve no-such-host.invalid: " -c no-such-host.invalid
expect_usage_error "resolve ::1: " -4 -c ::1
expect_usage_error "bind UDP 198.18.0.99:9899: Cannot assign requested" \
    -s --ip 198.18.0.99

# A UDP port already in use, by another server.
start_echo_server first -p 5000 --udp-port 9899
expect_usage_error "bind UDP \[::\]:9899: Address already in use" -s \
    --udp-port 9899
stop_server "$SERVER_PID"
echo "$checked malformed invocations gave exit 2 and a message"

# The multi-call binary: a tool by link name or first argument, else usage.
SCTPU_BIN=$(dirname "$ECHO_BIN")/sctpu
rc=0
"$SCTPU_BIN" >"$WORK/out" 2>"$WORK/err" || rc=$?
[[ $rc == 2 ]] && grep -q "usage: sctpu-echo" "$WORK/err" ||
    fail "sctpu without a tool: exit $rc, $(cat "$WORK/err")"
rc=0
"$SCTPU_BIN" iperf -s >"$WORK/out" 2>"$WORK/err" || rc=$?
[[ $rc == 2 ]] && grep -q "sctpu: unknown tool 'iperf'" "$WORK/err" ||
    fail "sctpu iperf: exit $rc, $(cat "$WORK/err")"
for tool in echo sctpu-echo perf sctpu-perf; do
    "$SCTPU_BIN" "$tool" --version | grep -q "^sctpu-${tool#sctpu-} " ||
        fail "sctpu $tool --version does not run sctpu-${tool#sctpu-}"
done
rc=0
"$SCTPU_BIN" perf -s --bogus >"$WORK/out" 2>"$WORK/err" || rc=$?
[[ $rc == 2 ]] && grep -q "^sctpu-perf: unknown option '--bogus'" "$WORK/err" ||
    fail "sctpu perf --bogus: exit $rc, $(cat "$WORK/err")"

# Nobody listening: a clear timeout, exit 1, within the timeout.
rc=0
start=$SECONDS
timeout 10 "$ECHO_BIN" -c 127.0.0.1 --udp-port 9999 --timeout 1 -n 1 \
    >"$WORK/out" 2>"$WORK/err" || rc=$?
[[ $rc == 1 ]] || fail "dead peer: exit $rc, want 1"
grep -q "no answer from 127.0.0.1 udp/9999 sctp/7 within 1 s" "$WORK/err" ||
    fail "dead peer: unclear message: $(cat "$WORK/err")"
((SECONDS - start <= 3)) || fail "dead peer: took $((SECONDS - start)) s"

# The server dies mid-run: the client says so and exits 1, promptly.
start_echo_server victim -p 5000 --udp-port 9899
"$ECHO_BIN" -c 127.0.0.1 -p 5000 -i 0.05 --timeout 2 >"$WORK/run.log" \
    2>"$WORK/run.err" &
CLIENT_PID=$!
PIDS+=("$CLIENT_PID")
wait_for_line "$WORK/run.log" 'seq=3 '
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
rc=0
start=$SECONDS
wait "$CLIENT_PID" || rc=$?
[[ $rc == 1 ]] || fail "vanished server: exit $rc, want 1"
grep -q "no echo for seq=[0-9]* within 2 s" "$WORK/run.err" ||
    fail "vanished server: unclear message: $(cat "$WORK/run.err")"
((SECONDS - start <= 5)) || fail "vanished server: took $((SECONDS - start)) s"
echo "PASS: bad arguments, dead and vanished peers"
