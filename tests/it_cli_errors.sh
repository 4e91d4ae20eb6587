#!/usr/bin/env bash
# Bad input gets one clear line naming the problem and exit status 2, never
# a crash or a hang. A dead or vanished peer is exit 1 with a clear reason.
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
checked=0
# expect_tool_error BIN REGEX ARGS...: exit 2 and a stderr line matching REGEX.
expect_tool_error() {
    local bin=$1 re=$2 rc=0
    shift 2
    timeout 10 "$bin" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
    [[ $rc == 2 ]] ||
        fail "${bin##*/} $*: exit $rc, want 2 ($(cat "$WORK/err"))"
    grep -Eq -- "$re" "$WORK/err" ||
        fail "${bin##*/} $*: stderr lacks /$re/: $(cat "$WORK/err")"
    checked=$((checked + 1))
}
expect_usage_error() { expect_tool_error "$ECHO_BIN" "$@"; }
expect_perf_error() { expect_tool_error "$PERF_BIN" "$@"; }

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
expect_usage_error "unknown option '--udp' \\(did you mean --udp-port\\?\\)" \
    -s --udp 9000
expect_usage_error "unknown option '--cou' \\(did you mean --count\\?\\)" \
    -c h --cou 3
expect_usage_error "-c: 'h:0' has a port that is not 1-65535" -c h:0
expect_usage_error "--ip h:2000 and --port 2001 name different SCTP ports" \
    -ip h:2000 -port 2001
expect_usage_error "resolve no-such-host.invalid: " -c no-such-host.invalid
expect_usage_error "resolve ::1: " -4 -c ::1
expect_usage_error "bind UDP 198.18.0.99:9899: Cannot assign requested" \
    -s --ip 198.18.0.99

# sctpu-perf and the habits of iperf3 users.
UDP_MSG="^sctpu-perf: --udp: there is no UDP mode: every test is SCTP over UDP"
UDP_MSG+=" already \\(-u means unordered SCTP delivery here\\)$"
expect_perf_error "$UDP_MSG" -c 127.0.0.1 --udp
expect_perf_error "$UDP_MSG" -c 127.0.0.1 -b 10M --udp -t 1
expect_perf_error "^sctpu-perf: -Z: not applicable: " -c 127.0.0.1 -Z
expect_perf_error "^sctpu-perf: -C: not applicable: " -c 127.0.0.1 -C cubic
expect_perf_error "^sctpu-perf: --set-mss: not applicable: .*--mtu" \
    -c 127.0.0.1 --set-mss 1400
expect_perf_error "unknown option '--bandw' \\(did you mean --bandwidth\\?\\)" \
    -c 127.0.0.1 --bandw 10M
expect_perf_error "-c 127.0.0.1:5202 and -p 5201 name different SCTP ports" \
    -c 127.0.0.1:5202 -p 5201
expect_perf_error "-c: '\\[::1' is not HOST, HOST:PORT, \\[IPV6\\] or" -c "[::1"
expect_perf_error "-t and -n exclude each other" -c 127.0.0.1 -t 0 -n 1M
expect_perf_error "bind UDP 198.18.0.99:9900: Cannot assign requested" \
    -s -B 198.18.0.99
# The iperf3 options of later days, with bad values.
expect_perf_error "^sctpu-perf: -A 1023: CPU 1023 is not one this process may run on \\([0-9,-]+\\)$" \
    -s -A 1023
if (($(nproc --all) <= 99)); then
    expect_perf_error "^sctpu-perf: -A 99: CPU 99 is not one this process" \
        -c 127.0.0.1 -A 99
fi
expect_perf_error "^sctpu-perf: -A 0,1: only this end's CPU can be set" \
    -c 127.0.0.1 -A 0,1
expect_perf_error "^sctpu-perf: -T needs a title" -c 127.0.0.1 -T ""
expect_perf_error "^sctpu-perf: --timestamps: '' gives no time" -s \
    --timestamps=
expect_perf_error "^sctpu-perf: --connect-timeout: '0' is out of range" \
    -c 127.0.0.1 --connect-timeout 0
expect_perf_error "^sctpu-perf: --rcv-timeout 9000 ms exceeds --timeout 8 s" \
    -c 127.0.0.1 --rcv-timeout 9000
expect_perf_error "^sctpu-perf: --idle-timeout: '-1' is not a valid number" \
    -s --idle-timeout -1
expect_perf_error "^sctpu-perf: --server-bitrate-limit: 'lots' is not a valid rate" \
    -s --server-bitrate-limit lots
expect_perf_error "^sctpu-perf: --server-bitrate-limit is for the server" \
    -c 127.0.0.1 --server-bitrate-limit 1M
# Every line the --help note promises is the error its option gives.
"$PERF_BIN" --help >"$WORK/help"
for opt in --udp -Z -C -M; do
    expect_perf_error "^sctpu-perf: $opt: " -s "$opt"
    first=$(sed -E 's/^sctpu-perf: [^ ]+ //' "$WORK/err" | head -1 |
        cut -c1-40)
    grep -qF -- "$first" "$WORK/help" ||
        fail "sctpu-perf $opt: '$first' is not in --help"
done

# A UDP port already in use, by another server: the error says the fix.
IN_USE="Address already in use \\(another program on this UDP port\\? choose"
IN_USE+=" another with --udp-port, or --local-udp-port on a client\\)$"
start_echo_server first -p 5000 --udp-port 9899
expect_usage_error "^sctpu-echo: error: bind UDP \[::\]:9899: $IN_USE" -s \
    --udp-port 9899
expect_perf_error "^sctpu-perf: error: bind UDP \[::\]:9899: $IN_USE" -s \
    --udp-port 9899
stop_server "$SERVER_PID"
echo "$checked malformed invocations gave exit 2 and a message"

# -v is the version and -V verbose, in both tools, as in iperf3.
for bin in "$ECHO_BIN" "$PERF_BIN"; do
    # Whole output first: grep -q stops reading early, and under pipefail
    # the writer's SIGPIPE would fail the check at random.
    out=$("$bin" -v)
    grep -q "^${bin##*/} " <<<"$out" || fail "${bin##*/} -v: not the version"
    out=$("$bin" -V --help)
    grep -q -- "-V, --verbose" <<<"$out" ||
        fail "${bin##*/} --help does not show -V, --verbose"
done

# Both servers on their default ports, on one host: no "Address already in
# use". Clients reach them as HOST:PORT and [IPV6]:PORT.
start_echo_server echo-default -p 5000
ECHO_SRV_PID=$SERVER_PID
grep -q "over UDP \\[::\\]:9899 " "$WORK/echo-default.log" ||
    fail "echo server not on UDP 9899: $(cat "$WORK/echo-default.log")"
start_perf_server perf-default
PERF_SRV_PID=$SERVER_PID
grep -q "SCTP port 5201 over UDP \\[::\\]:9900 " "$WORK/perf-default.log" ||
    fail "perf server not on UDP 9900: $(cat "$WORK/perf-default.log")"
for peer in 127.0.0.1:5000 "[::1]:5000"; do
    timeout 10 "$ECHO_BIN" -c "$peer" -n 2 -i 0 -q >"$WORK/out" 2>&1 ||
        fail "sctpu-echo -c $peer: $(cat "$WORK/out")"
done
for peer in 127.0.0.1:5201 "[::1]:5201" "[::1]"; do
    timeout 20 "$PERF_BIN" -c "$peer" -t 0.3 -i 0 -J >"$WORK/perf.json" \
        2>"$WORK/perf.err" || fail "sctpu-perf -c $peer: $(cat "$WORK/perf.err")"
    [[ $(json_get "$WORK/perf.json" 'j["end"]["sum_received"]["bytes"] > 0') == True ]] ||
        fail "sctpu-perf -c $peer moved nothing"
done
stop_server "$PERF_SRV_PID"
stop_server "$ECHO_SRV_PID"
echo "echo and perf servers share a host; HOST:PORT and [IPV6]:PORT reach them"

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
out=$("$SCTPU_BIN" -v)
grep -q "^sctpu " <<<"$out" || fail "sctpu -v: not the version"
for tool in echo sctpu-echo perf sctpu-perf; do
    "$SCTPU_BIN" "$tool" --version | grep -q "^sctpu-${tool#sctpu-} " ||
        fail "sctpu $tool --version does not run sctpu-${tool#sctpu-}"
done
rc=0
"$SCTPU_BIN" perf -s --bogus >"$WORK/out" 2>"$WORK/err" || rc=$?
[[ $rc == 2 ]] && grep -q "^sctpu-perf: unknown option '--bogus'" "$WORK/err" ||
    fail "sctpu perf --bogus: exit $rc, $(cat "$WORK/err")"

# Nobody on that UDP port: the kernel's ICMP port unreachable answers the
# INIT, and the client says so at once (not after --timeout).
for tool in echo perf; do
    rc=0
    t0=$(date +%s%N)
    timeout 10 "$BUILD_DIR/src/sctpu-$tool" -c 127.0.0.1 --udp-port 9999 \
        --timeout 5 >"$WORK/out" 2>"$WORK/err" || rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    [[ $rc == 1 ]] || fail "$tool, no UDP listener: exit $rc, want 1"
    grep -q "cannot associate with 127.0.0.1 udp/9999 sctp/[0-9]*: ICMP port unreachable from 127.0.0.1:9999: nothing listens on that UDP port" \
        "$WORK/out" "$WORK/err" ||
        fail "$tool, no UDP listener: unclear message: $(cat "$WORK/out" "$WORK/err")"
    ((ms < 2000)) || fail "$tool, no UDP listener: took $ms ms"
    echo "$tool: no UDP listener reported in $ms ms"
done

# A server, but not on that SCTP port: it answers the INIT with an ABORT.
start_echo_server wrongport -p 7 --udp-port 9897
start_perf_server wrongport-perf -p 5201 --udp-port 9896
for tool in echo perf; do
    port=9897
    [[ $tool == perf ]] && port=9896
    rc=0
    t0=$(date +%s%N)
    timeout 10 "$BUILD_DIR/src/sctpu-$tool" -c 127.0.0.1 --udp-port $port \
        -p 5202 --timeout 5 >"$WORK/out" 2>"$WORK/err" || rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    [[ $rc == 1 ]] || fail "$tool, wrong SCTP port: exit $rc, want 1"
    grep -q "cannot associate with 127.0.0.1 udp/$port sctp/5202: the peer answered with ABORT: nothing serves SCTP port 5202 there" \
        "$WORK/out" "$WORK/err" ||
        fail "$tool, wrong SCTP port: unclear message: $(cat "$WORK/out" "$WORK/err")"
    ((ms < 2000)) || fail "$tool, wrong SCTP port: took $ms ms"
    echo "$tool: wrong SCTP port reported in $ms ms"
done

# A silent path (packets dropped on input: no ICMP, no ABORT): a clear
# timeout, exit 1, within the timeout.
silent_udp_port 9998
rc=0
start=$SECONDS
timeout 10 "$ECHO_BIN" -c 127.0.0.1 --udp-port 9998 --timeout 1 -n 1 \
    >"$WORK/out" 2>"$WORK/err" || rc=$?
[[ $rc == 1 ]] || fail "silent peer: exit $rc, want 1"
grep -q "no answer from 127.0.0.1 udp/9998 sctp/7 within 1 s" "$WORK/err" ||
    fail "silent peer: unclear message: $(cat "$WORK/err")"
((SECONDS - start <= 3)) || fail "silent peer: took $((SECONDS - start)) s"

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

# The socket options both tools share: same ranges, same messages.
for bin in "$ECHO_BIN" "$PERF_BIN"; do
    expect_tool_error "$bin" "-S: '256' is out of range \\(0-255 or 0x00-0xff\\)" \
        -s -S 256
    expect_tool_error "$bin" "--dscp: 'AF44' is not a DSCP" -s --dscp AF44
    expect_tool_error "$bin" "-S/--tos and --dscp both set the TOS byte" \
        -s --tos 0x10 --dscp EF
    expect_tool_error "$bin" "--instreams: '0' is out of range \\(1-65535\\)" \
        -s --instreams 0
    expect_tool_error "$bin" "--max-init-retrans: '256' is out of range" \
        -c h --max-init-retrans 256
    expect_tool_error "$bin" "bind to device nosuchdev: No such device" \
        -c 127.0.0.1 --bind-dev nosuchdev
done
expect_usage_error "--outstreams 4 and --nstreams 8 disagree" -c h \
    --nstreams 8 --outstreams 4
expect_perf_error "--outstreams 5 disagrees with --nstreams 8" -c h \
    --nstreams 8 --outstreams 5
# --backend kernel: a build without <netinet/sctp.h> says how to get the
# backend; a build with it, on a kernel without SCTP (no /proc/net/sctp),
# says that exactly. Both are exit 2, from both tools. (With kernel SCTP
# present the backend runs: that is the VM lab's to test.)
if grep -q '^SCTPU_HAVE_NETINET_SCTP_H:INTERNAL=1' "$BUILD_DIR/CMakeCache.txt" &&
    ! grep -q '^SCTPU_KERNEL_SCTP:STRING=OFF' "$BUILD_DIR/CMakeCache.txt"; then
    kernel_msg="this kernel has no SCTP support (sctp.ko not loaded): use --backend usrsctp"
else
    kernel_msg="--backend kernel: the kernel SCTP backend is not built into this binary (it needs <netinet/sctp.h> at build time: install libsctp-dev and build again); use --backend usrsctp"
fi
# What the kernel backend cannot do is refused before anything is sent,
# whether or not this kernel has SCTP: a buffer-size PR-SCTP policy, and a
# client UDP port of its own (the kernel's UDP tunnel is per namespace).
if [[ $kernel_msg == this* ]]; then
    expect_perf_error "--pr-policy buf: the kernel backend cannot send with it \(it has: ttl, rtx\)" \
        -c 127.0.0.1 --backend kernel --pr-policy buf --pr-value 1000
    own_udp="the kernel backend has no UDP socket of its own"
    expect_perf_error "--local-udp-port: $own_udp" -c 127.0.0.1 \
        --backend kernel --local-udp-port 5000
    expect_perf_error "--udp-per-assoc: $own_udp" -c 127.0.0.1 \
        --backend kernel --udp-per-assoc -P 2
    expect_usage_error "--local-udp-port: $own_udp" -c 127.0.0.1 \
        --backend kernel --local-udp-port 5000
fi
if [[ -d /proc/net/sctp && $kernel_msg == this* ]]; then
    echo "kernel SCTP is loaded here: no-SCTP message not checked"
else
    for args in "-s" "-c 127.0.0.1"; do
        for bin in "$ECHO_BIN" "$PERF_BIN"; do
            rc=0
            # shellcheck disable=SC2086 # args are two words on purpose
            timeout 10 "$bin" $args --backend kernel >"$WORK/out" \
                2>"$WORK/err" || rc=$?
            [[ $rc == 2 ]] || fail "${bin##*/} $args --backend kernel: exit $rc, want 2"
            [[ $(cat "$WORK/err") == "${bin##*/}: error: $kernel_msg" ]] ||
                fail "${bin##*/} $args --backend kernel: said: $(cat "$WORK/err")"
            checked=$((checked + 1))
        done
    done
fi
echo "PASS: bad arguments, dead and vanished peers"
