#!/usr/bin/env bash
# lab_perf_tsctp.sh - sctpu-perf --no-control against usrsctp's own
# throughput tool, tsctp (built from Debian's libusrsctp-dev examples by
# tools/build-usrsctp-examples.sh), in both directions:
#
#   a) tsctp receives: `tsctp -E 9900 -p 5001 -v` listens on SCTP 5001 over
#      UDP 9900 (it answers to whatever UDP port a peer sends from); our
#      `sctpu-perf -c 127.0.0.1 --no-control -p 5001 --udp-port 9900 -t 2`
#      sends to it. When the association ends tsctp prints
#      "length, messages, recv_calls, bytes, seconds, B/s, notifications":
#      its messages and bytes must equal what we sent.
#   b) tsctp sends: `tsctp -E 9900 -U 9899 -p 5201 -n 0 -T 2 -l 10000
#      127.0.0.1` (local UDP 9900, to our UDP 9899) into our
#      `sctpu-perf -s --no-control -1 -J`, which counts what arrives. tsctp
#      prints "Sending of N messages of length L took S seconds.": we must
#      have received exactly N messages and N * L bytes, on stream 0.
#
# Both run in a private network namespace with only loopback: tsctp binds
# every local address and heartbeats all of them.
#
# usage: bash tests/lab_perf_tsctp.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
T0=$SECONDS

usrsctp_examples
TSCTP="$EXAMPLES/tsctp"
[[ -x $TSCTP ]] || fail "usrsctp_examples built no tsctp ($TSCTP)"

# Line-buffer tsctp's stdout so its log is complete when we read it.
# (coreutils' stdbuf: always there on Debian, so no fallback to hide a gap)
LINEBUF=(stdbuf -oL -eL)

show() {
    local f
    for f in "$@"; do
        echo "--- $f:" >&2
        cat "$f" >&2 || true
    done
}

# udp_bound PORT: is some socket bound to UDP PORT (IPv4 or IPv6)?
udp_bound() {
    local hex
    hex=$(printf ':%04X' "$1")
    awk -v h="$hex" 'NR > 1 && substr($2, length($2) - 4) == h { f = 1 }
                     END { exit !f }' /proc/net/udp /proc/net/udp6
}

#
# a) sctpu-perf client -> tsctp receiver
#
echo "== a) sctpu-perf --no-control -> tsctp (receiver)"
t=$SECONDS
"${LINEBUF[@]}" "$TSCTP" -E 9900 -p 5001 -v >"$WORK/a-tsctp.log" 2>&1 &
TS_PID=$!
PIDS+=("$TS_PID")
# -v: "Receive buffer size: N." comes after its bind, right before listen.
wait_for_line "$WORK/a-tsctp.log" '^Receive buffer size' 10
for ((i = 0; i < 100; i++)); do
    udp_bound 9900 && break
    sleep 0.05
done
udp_bound 9900 || fail "a) tsctp did not bind UDP 9900"

rc=0
# SCTPU_WRAP is a command prefix (e.g. "valgrind -q"): split it on purpose.
# shellcheck disable=SC2086
timeout 30 $SCTPU_WRAP "$PERF_BIN" -c 127.0.0.1 --no-control -p 5001 \
    --udp-port 9900 -t 2 -J >"$WORK/a.json" 2>"$WORK/a.err" || rc=$?
((rc == 0)) || {
    show "$WORK/a.json" "$WORK/a.err" "$WORK/a-tsctp.log"
    fail "a) sctpu-perf exited $rc against tsctp"
}
# tsctp reports once the association has ended (our graceful shutdown).
wait_for_line "$WORK/a-tsctp.log" '^[0-9]+, [0-9]+, [0-9]+, [0-9]+, ' 10
stop_foreign "$TS_PID"
IFS=', ' read -r ts_len ts_msgs _ ts_bytes ts_secs _ < <(
    grep -E '^[0-9]+, [0-9]+, [0-9]+, [0-9]+, ' "$WORK/a-tsctp.log")
read -r our_bytes our_msgs our_secs err < <(json_get "$WORK/a.json" \
    '"%d %d %.3f %s" % (j["end"]["sum_sent"]["bytes"],
       sum(s["sender"]["messages"] for s in j["end"]["streams"] if "sender" in s),
       j["end"]["sum_sent"]["seconds"], j.get("error"))')
echo "a) we sent $our_msgs messages, $our_bytes bytes in $our_secs s;" \
    "tsctp received $ts_msgs messages of $ts_len, $ts_bytes bytes in $ts_secs s"
[[ $err == None ]] || fail "a) error: $err"
((our_bytes > 0)) || fail "a) sctpu-perf sent nothing"
[[ $ts_bytes == "$our_bytes" ]] ||
    fail "a) tsctp received $ts_bytes bytes, we sent $our_bytes"
[[ $ts_msgs == "$our_msgs" ]] ||
    fail "a) tsctp received $ts_msgs messages, we sent $our_msgs"
[[ $ts_len == 65536 ]] || fail "a) tsctp saw messages of $ts_len bytes, not 65536"
echo "a) passed in $((SECONDS - t)) s"

#
# b) tsctp sender -> sctpu-perf server
#
echo "== b) tsctp (sender) -> sctpu-perf -s --no-control"
t=$SECONDS
# shellcheck disable=SC2086
$SCTPU_WRAP "$PERF_BIN" -s --no-control -1 -J --udp-port 9899 \
    >"$WORK/b-server.out" \
    2>"$WORK/b-server.err" &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
for ((i = 0; i < 200; i++)); do
    udp_bound 9899 && break
    sleep 0.05
done
udp_bound 9899 || fail "b) sctpu-perf -s did not bind UDP 9899"
rc=0
timeout 30 "${LINEBUF[@]}" "$TSCTP" -E 9900 -U 9899 -p 5201 -n 0 -T 2 \
    -l 10000 127.0.0.1 >"$WORK/b-tsctp.log" 2>&1 || rc=$?
((rc == 0)) || {
    show "$WORK/b-tsctp.log" "$WORK/b-server.out" "$WORK/b-server.err"
    fail "b) tsctp exited $rc (124: timed out)"
}
# -1: the server exits once the association has ended.
for ((i = 0; i < 200; i++)); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
done
rc=0
kill -0 "$SERVER_PID" 2>/dev/null && rc=124
((rc == 124)) || wait "$SERVER_PID" || rc=$?
((rc == 0)) || {
    show "$WORK/b-tsctp.log" "$WORK/b-server.out" "$WORK/b-server.err"
    fail "b) sctpu-perf -s -1 did not exit 0 after the test (status $rc)"
}
SUMMARY_RE='^Sending of ([0-9]+) messages of length ([0-9]+) took ([0-9.]+) '
read -r ts_msgs ts_len ts_secs < <(sed -nE \
    "s/${SUMMARY_RE}seconds\\.\$/\\1 \\2 \\3/p" "$WORK/b-tsctp.log")
[[ -n ${ts_msgs:-} ]] || {
    show "$WORK/b-tsctp.log"
    fail "b) tsctp printed no summary"
}
# The JSON document is the last thing on stdout (after the banner text).
sed -n '/^{/,$p' "$WORK/b-server.out" >"$WORK/b.json"
read -r our_bytes our_msgs our_secs sids err < <(json_get "$WORK/b.json" \
    '"%d %d %.3f %s %s" % (j["end"]["sum_received"]["bytes"],
       sum(s["messages"] for s in j["end"]["sctp_streams"]),
       j["end"]["sum_received"]["seconds"],
       ",".join(str(s["sid"]) for s in j["end"]["sctp_streams"]),
       j.get("error"))')
echo "b) tsctp sent $ts_msgs messages of $ts_len bytes in $ts_secs s;" \
    "we received $our_msgs messages, $our_bytes bytes in $our_secs s on sid $sids"
[[ $err == None ]] || fail "b) error: $err"
((our_bytes > 0)) || fail "b) sctpu-perf received nothing"
[[ $our_msgs == "$ts_msgs" ]] ||
    fail "b) we received $our_msgs messages, tsctp sent $ts_msgs"
((our_bytes == ts_msgs * ts_len)) ||
    fail "b) we received $our_bytes bytes, tsctp sent $((ts_msgs * ts_len))"
[[ $sids == 0 ]] || fail "b) data arrived on sids $sids, tsctp sends on 0"
awk -v s="$our_secs" 'BEGIN { exit !(s >= 1.5 && s <= 4) }' ||
    fail "b) we measured $our_secs s for tsctp's 2 s"
echo "b) passed in $((SECONDS - t)) s"
echo "PASS: sctpu-perf --no-control and tsctp, both ways, in $((SECONDS - T0)) s"
