#!/usr/bin/env bash
# it_perf_shutdown.sh - a sender that shut down is done, even when the end
# of the SCTP shutdown handshake is lost.
#
# The receiving side learns that the peer will send nothing more from its
# SHUTDOWN. usrsctp only reports the end of the association (recv() == 0)
# at SHUTDOWN-COMPLETE; when that packet is lost and the peer is gone, the
# server retransmits SHUTDOWN-ACK for minutes. Here an nftables rule drops
# every SHUTDOWN-COMPLETE (chunk type 14) on its way to the server, and:
#
#   raw       `sctpu-perf -s --no-control -1 -J` still reports the test
#             (every byte the client sent) within 3 s of the client's end
#   control   a normal test through the same rule: the server logs the
#             next test's association at once (it is not stuck closing)
#
# usage: bash tests/it_perf_shutdown.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
command -v nft >/dev/null || fail "nft (nftables) is missing"
UDP=9931

# UDP payload = SCTP common header (12 bytes), then the first chunk's type:
# bits 160-167 from the start of the UDP header.
nft -f - <<NFT || fail "cannot add the nft rule"
table inet sctpu_shutdown {
    chain input {
        type filter hook input priority 0; policy accept;
        udp dport $UDP @th,160,8 14 counter drop
    }
}
NFT

echo "== raw: --no-control"
"$PERF_BIN" -s --no-control -1 -J -p 5431 --udp-port $UDP \
    >"$WORK/raw.json" 2>"$WORK/raw.err" &
RAW=$!
PIDS+=("$RAW")
# -J says nothing until the end: wait for the UDP socket (a client that
# came first would be told at once that nothing listens there).
wait_udp_bound $UDP 10 "$RAW" || fail "raw: the server did not bind UDP $UDP"
"$PERF_BIN" -c 127.0.0.1 --no-control -p 5431 --udp-port $UDP -n 4M -J \
    >"$WORK/client.json" 2>"$WORK/client.err" ||
    fail "raw: client exited $?: $(cat "$WORK/client.err")"
for ((i = 0; i < 60; i++)); do
    kill -0 "$RAW" 2>/dev/null || break
    sleep 0.05
done
kill -0 "$RAW" 2>/dev/null &&
    fail "raw: the server still waits 3 s after the client's end" \
        "(SHUTDOWN-COMPLETE dropped $(nft_packets sctpu_shutdown) times)"
wait "$RAW" || fail "raw: the server exited $?: $(cat "$WORK/raw.err")"
((10#$(nft_packets sctpu_shutdown) > 0)) || fail "raw: no SHUTDOWN-COMPLETE was dropped"
got=$(json_get "$WORK/raw.json" 'j["end"]["sum_received"]["bytes"]')
((got == 4194304)) || fail "raw: the server counted $got bytes, want 4194304"
echo "raw: $got bytes reported; SHUTDOWN-COMPLETE dropped $(nft_packets sctpu_shutdown) times"

echo "== control: the server takes the next test at once"
start_perf_server ctl -p 5432 --udp-port $UDP
for n in 1 2; do
    "$PERF_BIN" -c 127.0.0.1 -p 5432 --udp-port $UDP -n 2M \
        >"$WORK/ctl$n.out" 2>&1 ||
        fail "control: test $n exited $?: $(cat "$WORK/ctl$n.out")"
done
grep -q '^Accepted association 1 of test 2 ' "$WORK/ctl.log" ||
    fail "control: the server did not run test 2: $(cat "$WORK/ctl.log")"
stop_server "$SERVER_PID"
echo "PASS: a shut-down sender is done, SHUTDOWN-COMPLETE or not"
