#!/usr/bin/env bash
# lab_init_flood.sh - 50,000 valid INITs from 50,000 endpoints: the server
# keeps serving, answers each INIT with exactly one INIT-ACK and nothing
# more, and keeps no state for them.
#
#   this test's netns                       child netns (unshare -n holder)
#   echo server 198.18.41.1 --- veth --- 198.18.41.2 sctpu-echo clients
#   nft: counts INITs in, datagrams out      sctp_flood --init-pct 100 from
#        to 198.18.128.0/17                  198.18.128.0/17 (spoofed)
#
# Each INIT (tests/sctp_flood.c) is well formed with a random Initiate Tag
# and a valid CRC32c, one from each endpoint. The server's replies go to
# addresses nobody answers (the child drops them), so a server that kept
# state would retransmit or time out toward them: the test waits until
# RTO.Initial (1 s) + 2 s after the last INIT, and until its counters stop
# moving, before it counts.
#
# Asserted:
#   - 3 clients echoing through the flood (-i 0.01) and one that connects
#     in the middle of it verify every echo and exit 0;
#   - datagrams the server sent to the flood's addresses == INIT-ACKs it
#     sent to them (first chunk type 2: nft @th,160,8) == INITs that
#     reached its socket (nft input counter, less the kernel's receive
#     buffer drops, /proc/net/snmp RcvbufErrors of this netns; those count
#     the clients' datagrams too, so with drops the test checks
#     INITs - drops <= INIT-ACKs <= INITs);
#   - the exit summary's peer table line: peak <= the 4 legitimate
#     clients (the INITs added no entry), none with an association left.
# One "FIGURE: init flood ..." line gives the counts, rate and client p99.
#
# usage: bash tests/lab_init_flood.sh BUILD_DIR [RATE]
#   RATE: INITs per second (default 5000; or FLOOD_RATE).
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

RATE=${2:-${FLOOD_RATE:-5000}}
COUNT=50000
CLIENTS=3
UDP_PORT=9899
SRV_IP=198.18.41.1
CLI_IP=198.18.41.2
FLOOD_NET=198.18.128.0/17
FLOOD_BIN=$BUILD_DIR/tests/sctp_flood
[[ -x $FLOOD_BIN ]] || fail "$FLOOD_BIN is not built"
[[ $RATE =~ ^[1-9][0-9]*$ ]] || fail "RATE '$RATE' is not a positive number"
command -v nft >/dev/null || skip "nft (nftables) is missing"
nft list tables >/dev/null 2>&1 || skip "nftables is not usable here"
# One datagram per skb on the output hook, so that nft counts datagrams.
export SCTPU_UDP_GSO=0

veth_lab "$SRV_IP" "$CLI_IP"
ip route add "$FLOOD_NET" via "$CLI_IP"
nft -f - <<NFT
table inet sctpu_init {
    chain input {
        type filter hook input priority 0; policy accept;
        ip saddr $FLOOD_NET udp dport $UDP_PORT counter
    }
    chain output {
        type filter hook output priority 0; policy accept;
        ip daddr $FLOOD_NET counter
        ip daddr $FLOOD_NET udp sport $UDP_PORT @th,160,8 2 counter
    }
}
NFT
# counters: "INITs-in datagrams-out INIT-ACKs-out"
counters() {
    nft list table inet sctpu_init | grep -o 'counter packets [0-9]*' |
        awk '{printf "%s ", $3} END {print ""}'
}

start_echo_server server --ip "$SRV_IP" --udp-port "$UDP_PORT"
rcvbuf0=$(udp_rcvbuf_errors)

FAILED=0
failed() {
    echo "FAIL: $*" >&2
    FAILED=$((FAILED + 1))
}

CPIDS=()
for ((c = 0; c < CLIENTS; c++)); do
    # nsenter, not in_child: $! must be the client itself, for kill
    # shellcheck disable=SC2086
    nsenter -t "$CHILD" -n -- $SCTPU_WRAP "$ECHO_BIN" -c "$SRV_IP" --udp-port "$UDP_PORT" \
        -n 0 -i 0.01 -l 100 -q -J >"$WORK/c$c.json" 2>"$WORK/c$c.err" &
    CPIDS+=("$!")
    PIDS+=("$!")
done
deadline=$((SECONDS + 30))
until (($(grep -c 'association from' "$WORK/server.log") >= CLIENTS)); do
    ((SECONDS < deadline)) || fail "the clients did not all connect"
    sleep 0.05
done

t0=$SECONDS
in_child "$FLOOD_BIN" --dst "$SRV_IP" --udp-port "$UDP_PORT" \
    --src 198.18.128.0 --endpoints "$COUNT" --count "$COUNT" \
    --rate "$RATE" --init-pct 100 --seed "$RANDOM" >"$WORK/flood.out" 2>&1 &
FLOOD_PID=$!
PIDS+=("$FLOOD_PID")
# A new client, half way through the flood.
while ((SECONDS - t0 < COUNT / RATE / 2)) && kill -0 "$FLOOD_PID" 2>/dev/null; do
    sleep 0.1
done
late_rc=0
# shellcheck disable=SC2086
in_child $SCTPU_WRAP "$ECHO_BIN" -c "$SRV_IP" --udp-port "$UDP_PORT" \
    -n 100 -i 0.01 -l 100 -q -J >"$WORK/c$CLIENTS.json" \
    2>"$WORK/c$CLIENTS.err" || late_rc=$?
((late_rc == 0)) || failed "the client that connected in the flood exited" \
    "$late_rc: $(cat "$WORK/c$CLIENTS.err")"
flood_rc=0
wait "$FLOOD_PID" || flood_rc=$?
cat "$WORK/flood.out"
((flood_rc == 0)) || fail "sctp_flood exited $flood_rc"

# Anything the server would retransmit toward the flood comes after
# RTO.Initial (1 s): wait 3 s, then until the counters hold still for 1 s.
sleep 3
prev=
for ((i = 0; i < 30; i++)); do
    now=$(counters)
    [[ $now == "$prev" ]] && break
    prev=$now
    sleep 1
done
[[ $now == "$prev" ]] || failed "the server still sends to the flood's addresses"
read -r inits_in out_all out_initack <<<"$now"
rcvbuf_drops=$(($(udp_rcvbuf_errors) - rcvbuf0))

kill -INT "${CPIDS[@]}" 2>/dev/null || true
for c in "${!CPIDS[@]}"; do
    rc=0
    wait "${CPIDS[$c]}" || rc=$?
    ((rc == 0)) || failed "client $c exited $rc: $(cat "$WORK/c$c.err")"
done
out=$(echo_reports_ok c $((CLIENTS + 1))) || failed "client reports (above)"
read -r p99_worst _ sent _ <<<"$out"
for ((i = 0; i < 100; i++)); do
    (($(grep -c ' closed: ' "$WORK/server.log") >= CLIENTS + 1)) && break
    sleep 0.05
done
rss=$(proc_kb "$SERVER_PID" VmHWM)
stop_server "$SERVER_PID"
grep -v -E 'association from| closed: ' "$WORK/server.log"

achieved=$(sed -nE 's/.* ([0-9]+)\/s$/\1/p' "$WORK/flood.out")
echo "FIGURE: init flood $COUNT INITs from $COUNT endpoints at" \
    "${achieved:-?}/s: $inits_in reached the host, $rcvbuf_drops dropped by" \
    "the kernel, $out_initack INIT-ACKs and $((out_all - out_initack)) other" \
    "datagrams sent back; $((CLIENTS + 1)) clients verified $sent echoes," \
    "p99 RTT $p99_worst us (worst client); server VmHWM $rss kB"

((inits_in > 0)) || failed "no INIT reached the server"
((out_all == out_initack)) ||
    failed "the server sent $((out_all - out_initack)) datagrams other than" \
        "INIT-ACKs to the flood's addresses"
# The kernel's drops count the clients' datagrams too (one socket): with
# none, this is equality; with some, no INIT may get two answers and none
# that reached the socket may go unanswered.
((out_initack <= inits_in)) ||
    failed "$out_initack INIT-ACKs for $inits_in INITs: some got more than one"
((out_initack >= inits_in - rcvbuf_drops)) ||
    failed "$out_initack INIT-ACKs for at least $((inits_in - rcvbuf_drops))" \
        "INITs that reached the server"
if peer_table "$WORK/server.log"; then
    echo "peer table: peak $PT_PEAK, cap $PT_CAP, $PT_EVICTED evicted," \
        "$PT_ASSOC with associations at exit"
    ((PT_PEAK <= CLIENTS + 1)) ||
        failed "the peer table grew by the INITs: peak $PT_PEAK for" \
            "$((CLIENTS + 1)) clients"
    ((PT_ASSOC == 0)) || failed "$PT_ASSOC peers still have associations at exit"
else
    failed "no 'peer table: ...' line in the server's exit summary"
fi
((FAILED == 0)) || fail "$FAILED check(s) failed (listed above)"
echo "PASS: one INIT-ACK per INIT, and every client served"
