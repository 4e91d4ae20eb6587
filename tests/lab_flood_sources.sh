#!/usr/bin/env bash
# lab_flood_sources.sh - 1,000,000 valid-CRC32c SCTP datagrams from
# 100,000 distinct UDP endpoints while 10 legitimate clients echo.
#
#   this test's netns                       child netns (unshare -n holder)
#   echo server 198.18.40.1 --- veth --- 198.18.40.2 10 sctpu-echo clients
#                                          sctp_flood: raw IPv4 from
#                                          198.18.128.0 - 198.18.128.99,
#                                          ports 1024-2023 (100,000 endpoints)
#
# The flood (tests/sctp_flood.c) is DATA and HEARTBEAT chunks with random
# verification tags, 10 % INITs (so that the server's peer table really
# fills) and 5 % garbage (half of it with a wrong CRC32c); endpoint k sends
# datagrams k, k + 100,000, ... Replies to the flood's addresses are routed
# back to the child, which drops them (it does not forward).
#
# The same 10 clients (-i 0.01, 100 echoes/s each) run first unloaded,
# then through the whole flood. Asserted:
#   - every echo of every client verified, in both runs, exit 0;
#   - the server kept up: the kernel dropped none of its datagrams for a
#     full receive buffer (4 MiB: 0.4 s of flood), and the median
#     client's loaded p99 RTT is <= 3 x the unloaded one, or 100 ms
#     (P99_FLOOR_US) if that is more;
#   - the server's VmRSS, sampled every 0.2 s through the flood, never
#     grows more than RSS_GROWTH_KB (16 MiB) above its peak in the unloaded
#     run: a peer table capped at 4096 entries of well under 1 KiB each
#     (usrsctp's address registration included) needs under 4 MiB, and
#     the rest is room for malloc's arenas; one entry per flood endpoint
#     (100,000) without a cap would exceed it;
#   - the server's exit summary has the peer table line (PEER_TABLE_RE,
#     tests/lib.sh) with peak <= cap, and no association left open.
# One "FIGURE: flood ..." line gives the rate, RSS and the two p99s.
#
# usage: bash tests/lab_flood_sources.sh BUILD_DIR [RATE]
#   RATE (datagrams/s, default 20000; or FLOOD_RATE) paces the flood.
#   In a sanitizer build or under SCTPU_WRAP the flood is 200,000 datagrams
#   at 5,000/s and the p99 and RSS bounds are printed, not applied.
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

RATE=${2:-${FLOOD_RATE:-20000}}
COUNT=1000000
ENDPOINTS=100000
CLIENTS=10
UNLOADED_N=500
UDP_PORT=9899
SRV_IP=198.18.40.1
CLI_IP=198.18.40.2
FLOOD_SRC=198.18.128.0
RSS_GROWTH_KB=$((16 * 1024))
P99_FLOOR_US=100000
FLOOD_BIN=$BUILD_DIR/tests/sctp_flood
[[ -x $FLOOD_BIN ]] || fail "$FLOOD_BIN is not built"
[[ $RATE =~ ^[1-9][0-9]*$ ]] || fail "RATE '$RATE' is not a positive number"
STRICT=1
if grep -q '^SCTPU_SANITIZE:BOOL=ON' "$BUILD_DIR/CMakeCache.txt" ||
    [[ -n $SCTPU_WRAP ]]; then
    STRICT=0 COUNT=200000 RATE=5000
fi

veth_lab "$SRV_IP" "$CLI_IP"
ip route add 198.18.128.0/17 via "$CLI_IP"

start_echo_server server --ip "$SRV_IP" --udp-port "$UDP_PORT"
rss_idle=$(proc_kb "$SERVER_PID" VmRSS)
rcvbuf0=$(udp_rcvbuf_errors)

rss_max=0
sample_rss() { # the server's VmRSS into rss_max; fail if it died
    local rss
    rss=$(proc_kb "$SERVER_PID" VmRSS)
    [[ -n $rss ]] || fail "the server died"
    ((rss > rss_max)) && rss_max=$rss
    return 0
}

# clients PREFIX COUNT: CLIENTS echo clients in the child, pids in CPIDS.
clients() {
    local c
    CPIDS=()
    for ((c = 0; c < CLIENTS; c++)); do
        # nsenter, not in_child: $! must be the client itself, for kill
        # shellcheck disable=SC2086
        nsenter -t "$CHILD" -n -- $SCTPU_WRAP "$ECHO_BIN" -c "$SRV_IP" --udp-port "$UDP_PORT" \
            -n "$2" -i 0.01 -l 100 -q -J >"$WORK/$1$c.json" \
            2>"$WORK/$1$c.err" &
        CPIDS+=("$!")
        PIDS+=("$!")
    done
}

# wait_clients: every client exits 0 (bounded), sampling the RSS meanwhile.
wait_clients() {
    local pid rc bad=0 deadline=$((SECONDS + 120))
    for pid in "${CPIDS[@]}"; do
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
            sample_rss
            sleep 0.2
        done
        kill -0 "$pid" 2>/dev/null && fail "a client still runs after 120 s"
        rc=0
        wait "$pid" || rc=$?
        ((rc == 0)) || bad=$((bad + 1))
    done
    return "$bad"
}

# 1. Unloaded: the reference RTT and RSS.
clients unloaded "$UNLOADED_N"
wait_clients || { cat "$WORK"/unloaded*.err >&2; fail "an unloaded client failed"; }
out=$(echo_reports_ok unloaded "$CLIENTS") ||
    fail "unloaded clients: reports above"
read -r p99_unloaded p99_unloaded_med sent_unloaded p50_unloaded_med _ <<<"$out"
rss_unloaded=$rss_max
echo "unloaded: $sent_unloaded echoes verified; p99 worst client" \
    "$p99_unloaded us (median client $p99_unloaded_med us, p50" \
    "$p50_unloaded_med us);" \
    "server VmRSS $rss_idle kB idle, $rss_unloaded kB peak"

# 2. The same clients, until the flood is over.
clients loaded 0
deadline=$((SECONDS + 30))
until (($(grep -c 'association from' "$WORK/server.log") >= 2 * CLIENTS)); do
    ((SECONDS < deadline)) || fail "the loaded clients did not all connect"
    sleep 0.05
done
in_child "$FLOOD_BIN" --dst "$SRV_IP" --udp-port "$UDP_PORT" \
    --src "$FLOOD_SRC" --endpoints "$ENDPOINTS" --count "$COUNT" \
    --rate "$RATE" --init-pct 10 --garbage-pct 5 --seed "$RANDOM" \
    >"$WORK/flood.out" 2>&1 &
FLOOD_PID=$!
PIDS+=("$FLOOD_PID")
rss_max=0
while kill -0 "$FLOOD_PID" 2>/dev/null; do
    sample_rss
    sleep 0.2
done
flood_rc=0
wait "$FLOOD_PID" || flood_rc=$?
cat "$WORK/flood.out"
((flood_rc == 0)) || fail "sctp_flood exited $flood_rc"
rss_flood=$rss_max
rcvbuf_drops=$(($(udp_rcvbuf_errors) - rcvbuf0))
kill -INT "${CPIDS[@]}" 2>/dev/null || true # some may have failed already
# From here on a failed check is listed and counted, and the figures are
# still measured and printed.
FAILED=0
failed() {
    echo "FAIL: $*" >&2
    FAILED=$((FAILED + 1))
}
wait_clients || {
    tail -n 3 "$WORK"/loaded*.err >&2
    failed "a loaded client failed in the flood"
}
out=$(echo_reports_ok loaded "$CLIENTS") || failed "loaded clients: reports above"
read -r p99_loaded p99_loaded_med sent_loaded p50_loaded_med rtx_loaded <<<"$out"
achieved=$(sed -nE 's/.* ([0-9]+)\/s$/\1/p' "$WORK/flood.out")
echo "loaded: $sent_loaded echoes verified ($rtx_loaded retransmitted);" \
    "p99 worst client $p99_loaded us (median client $p99_loaded_med us," \
    "p50 $p50_loaded_med us); server VmRSS peak $rss_flood kB"

# The last SHUTDOWN-COMPLETEs may arrive just after the clients exit.
for ((i = 0; i < 100; i++)); do
    (($(grep -c ' closed: ' "$WORK/server.log") >= 2 * CLIENTS)) && break
    sleep 0.05
done
stop_server "$SERVER_PID"
grep -v -E 'association from| closed: ' "$WORK/server.log"

echo "FIGURE: flood $COUNT datagrams from $ENDPOINTS endpoints at" \
    "${achieved:-?}/s (asked $RATE/s; $rcvbuf_drops dropped by the kernel" \
    "for the server's full receive buffer); $CLIENTS clients' p99 RTT" \
    "$p99_unloaded us unloaded, $p99_loaded us loaded; server VmRSS" \
    "$rss_unloaded kB unloaded, $rss_flood kB peak in the flood"

if ((STRICT)); then
    # A server that falls behind the flood queues the clients' datagrams
    # behind up to 4 MiB of it (hundreds of ms), then the kernel drops
    # them (rcvbuf_drops) and the clients retransmit (RTO.Min: 1 s).
    # Host noise is smaller but not small: on this shared 2-core machine
    # (the flooder runs on it too) the median client's loaded p99 was
    # 0.95-10.5 ms, the unloaded one 0.7-3.6 ms. So the p99 bound is
    # 3 x the unloaded p99, but not under P99_FLOOR_US.
    ((rcvbuf_drops == 0)) ||
        failed "the kernel dropped $rcvbuf_drops datagrams for the" \
            "server's full receive buffer: it fell behind the flood"
    bound=$((3 * p99_unloaded_med))
    ((bound >= P99_FLOOR_US)) || bound=$P99_FLOOR_US
    ((p99_loaded_med <= bound)) ||
        failed "the median client's loaded p99 $p99_loaded_med us is over" \
            "$bound us (3 x the unloaded $p99_unloaded_med us, at least" \
            "$P99_FLOOR_US us)"
    ((rss_flood <= rss_unloaded + RSS_GROWTH_KB)) ||
        failed "server VmRSS grew to $rss_flood kB in the flood, over" \
            "$rss_unloaded + $RSS_GROWTH_KB kB"
else
    echo "note: p99 and RSS bounds not applied (sanitizer or SCTPU_WRAP)"
fi
if peer_table "$WORK/server.log"; then
    echo "peer table: peak $PT_PEAK, cap $PT_CAP, $PT_EVICTED evicted," \
        "$PT_ASSOC with associations at exit"
    ((PT_PEAK <= PT_CAP)) || failed "peer table peak $PT_PEAK is over its cap $PT_CAP"
    ((PT_ASSOC == 0)) || failed "$PT_ASSOC peers still have associations at exit"
else
    failed "no 'peer table: ...' line in the server's exit summary"
fi
((FAILED == 0)) || fail "$FAILED check(s) failed (listed above)"
echo "PASS: $CLIENTS clients served through $COUNT flood datagrams"
