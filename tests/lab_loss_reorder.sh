#!/usr/bin/env bash
# lab_loss_reorder.sh - echo and perf --verify through 20 % loss each way,
# reordering and duplication: nothing missing, corrupt or out of order.
#
#   client netns          router netns (both veths)          this netns
#   198.18.42.2 --- veth --- 198.18.42.1 | 198.18.43.1 --- veth --- 198.18.43.2
#   sctpu clients         nft input: 20 % drop each way       echo and perf
#                         tests/udp_impair_relay.py:          servers
#                         15 % held 1-20 ms, 3 % duplicated
#
# The router's input hook drops 20 % of what arrives from either side, in
# silence (no sender sees an error), before the userspace relay (this
# kernel has no netem) reorders and duplicates what is left. The clients
# send to the relay's ports (9899 echo, 9900 perf); the servers see the
# relay's address. Short RTOs on both ends (--rto-min 50 --rto-initial
# 200): with usrsctp's defaults (1 s minimum, doubling up to 60 s) a run
# through 20 % loss takes minutes. Association.Max.Retrans is raised on
# every end (see RTO below): this test is about --verify through loss and
# reordering; lab_dead_peer is about the limits.
#
# Runs, each with exit 0 and its counts checked:
#   echo      -n 400, sizes 1-5000, 8 streams: 400 verified, 0 lost/corrupt
#   echo -w   the same with --window 8 -u (unordered, 8 in flight)
#   perf      -t 5 -b 20M --verify: end.verify corrupt, missing, duplicate,
#             out_of_order all 0, verified == messages received, bytes
#             received == bytes sent
#   perf -P2  the same with -P 2 --nstreams 4
# and evidence that the path really was impaired: nft dropped packets in
# both directions, the relay reordered and duplicated some, and the
# clients retransmitted. One "FIGURE: loss+reorder ..." line.
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

LOSS_PCT=20
REORDER_PCT=15
DUP_PCT=3
DELAY_MS=20
PERF_BIN=$BUILD_DIR/src/sctpu-perf
# Why Association.Max.Retrans is 200 here: usrsctp 0.9.5.0's T3-rtx timer
# runs on the bounded RTO (--rto-max 500), but marks for retransmission
# only chunks sent more than SRTT + 4 RTTVAR ago, unbounded
# (sctp_mark_all_for_resend), and counts every expiry toward the limit.
# Through 20 % loss usrsctp's SRTT reaches seconds (a server's first
# sample spans INIT-ACK to COOKIE-ECHO, lost COOKIE-ECHOs included), so
# the timer fired every 500 ms and sent nothing: sniffed in this lab, one
# retransmission in 2-4.5 s, and associations of both tools ended by the
# default limit of 10 after three real retransmissions (the CI failure of
# 2026-12-02). A higher --rto-max only trades that for longer backoff:
# with 5 s, perf moved no data for 30 s.
RTO=(--rto-min 50 --rto-max 500 --rto-initial 200 --max-retrans-assoc 200)
TIMEOUT=30
command -v nft >/dev/null || skip "nft (nftables) is missing"
command -v nsenter >/dev/null || skip "nsenter (util-linux) is missing"
nft list tables >/dev/null 2>&1 || skip "nftables is not usable here"
# One SCTP packet per UDP datagram on the wire, so that nft drops packets
# one at a time (a GSO buffer would go as one).
export SCTPU_UDP_GSO=0

# Topology: two child netns, each held by a process that cleanup kills.
netns_holder
ROUTER=$NETNS_PID
netns_holder
CLIENT=$NETNS_PID
in_router() { nsenter -t "$ROUTER" -n -- "$@"; }
in_client() { nsenter -t "$CLIENT" -n -- "$@"; }
ip link add sctpu-s type veth peer name sctpu-rs 2>/dev/null ||
    skip "cannot create a veth pair"
ip link set sctpu-rs netns "$ROUTER"
in_router ip link add sctpu-rc type veth peer name sctpu-c
in_router ip link set sctpu-c netns "$CLIENT"
ip addr add 198.18.43.2/24 dev sctpu-s
ip link set sctpu-s up
in_router ip addr add 198.18.43.1/24 dev sctpu-rs
in_router ip link set sctpu-rs up
in_router ip addr add 198.18.42.1/24 dev sctpu-rc
in_router ip link set sctpu-rc up
in_client ip addr add 198.18.42.2/24 dev sctpu-c
in_client ip link set sctpu-c up
for ((i = 0; i < 100; i++)); do
    ip -o link show sctpu-s | grep -q LOWER_UP &&
        in_client ip -o link show sctpu-c | grep -q LOWER_UP && break
    sleep 0.05
done
((i < 100)) || fail "the veth pairs did not come up"

# 20 % of what reaches the router from either side, for both relays.
in_router nft -f - <<NFT
table inet sctpu_loss {
    chain input {
        type filter hook input priority 0; policy accept;
        udp dport { 9899, 9900 } counter
        udp dport { 9899, 9900 } numgen random mod 100 < $LOSS_PCT counter drop
        udp sport { 9899, 9900 } counter
        udp sport { 9899, 9900 } numgen random mod 100 < $LOSS_PCT counter drop
    }
}
NFT
# "to-server-seen to-server-dropped to-client-seen to-client-dropped"
router_counters() {
    in_router nft list table inet sctpu_loss | grep -o 'counter packets [0-9]*' |
        awk '{printf "%s ", $3} END {print ""}'
}

SEED=${SCTPU_RELAY_SEED:-$RANDOM}
echo "relay seed: $SEED (SCTPU_RELAY_SEED=$SEED repeats the relay's choices)"
for port in 9899 9900; do
    # nsenter itself (not a function in a subshell) so that $! is the relay
    nsenter -t "$ROUTER" -n -- python3 -u "$TESTS_DIR/udp_impair_relay.py" 198.18.42.1 "$port" \
        198.18.43.2 "$port" "$REORDER_PCT" "$DUP_PCT" "$DELAY_MS" "$SEED" \
        >"$WORK/relay$port.log" 2>&1 &
    PIDS+=("$!")
    eval "RELAY_$port=$!"
    wait_for_line "$WORK/relay$port.log" '^ready$' 10
done

start_echo_server echo --ip 198.18.43.2 --udp-port 9899 "${RTO[@]}"
ECHO_PID=$SERVER_PID
# A PARAMS message that needs several retransmissions through this loss
# at 20 % loss must not meet even the 30 s default --hello-timeout.
start_perf_server perf -B 198.18.43.2 --udp-port 9900 --timeout "$TIMEOUT" \
    --hello-timeout 60 "${RTO[@]}"
PERF_PID=$SERVER_PID

FAILED=0
failed() {
    echo "FAIL: $*" >&2
    FAILED=$((FAILED + 1))
}
retrans=0

# echo_run NAME ARGS...: one echo client through the path; checks its report.
echo_run() {
    local name=$1 rc=0 r
    shift
    # shellcheck disable=SC2086
    in_client timeout 300 $SCTPU_WRAP "$ECHO_BIN" -c 198.18.42.1 \
        --udp-port 9899 -n 400 -i 0 -l 1,100,1000,5000 --nstreams 8 \
        --timeout "$TIMEOUT" "${RTO[@]}" -q -J "$@" >"$WORK/$name.json" \
        2>"$WORK/$name.err" || rc=$?
    cat "$WORK/$name.err" >&2
    ((rc == 0)) || failed "$name: sctpu-echo exited $rc"
    r=$(python3 - "$WORK/$name.json" "$name" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
bad = [k for k, want in (("sent", 400), ("verified", 400), ("lost", 0),
                         ("corrupt", 0)) if j[k] != want]
print(f"{sys.argv[2]}: {j['verified']}/{j['sent']} verified, {j['lost']} lost, "
      f"{j['corrupt']} corrupt, {j['retransmits']} retransmits, p99 "
      f"{j['rtt_us']['p99']} us", file=sys.stderr)
if bad or j.get("error"):
    print(f"FAIL: {sys.argv[2]}: {bad} {j.get('error')}", file=sys.stderr)
    sys.exit(1)
print(j["retransmits"])
PY
    ) || failed "$name: report (above)"
    retrans=$((retrans + ${r:-0}))
}

# perf_run NAME ARGS...: one perf client through the path; checks its JSON.
perf_run() {
    local name=$1 rc t r
    shift
    t=$SECONDS
    # The server is busy until the previous test's associations are gone,
    # which through this loss can take seconds: retry (bounded) meanwhile.
    while :; do
        rc=0
        # shellcheck disable=SC2086
        in_client timeout 300 $SCTPU_WRAP "$PERF_BIN" -c 198.18.42.1 \
            --udp-port 9900 --timeout "$TIMEOUT" "${RTO[@]}" \
            -J -t 5 -b 20M \
            --verify "$@" >"$WORK/$name.json" 2>"$WORK/$name.err" || rc=$?
        ((rc == 1 && SECONDS - t < 60)) &&
            grep -q 'server is busy' "$WORK/$name.err" || break
        sleep 0.2
    done
    ((rc == 0)) || {
        tail -c 2000 "$WORK/$name.err" "$WORK/$name.json" >&2
        failed "$name: sctpu-perf exited $rc"
        return 0
    }
    r=$(python3 - "$WORK/$name.json" "$name" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
name, e = sys.argv[2], j["end"]
v, ss, sr = e.get("verify"), e["sum_sent"], e["sum_received"]
bad = []
if j.get("error"):
    bad.append(f"error: {j['error']}")
if v is None:
    bad.append("no end.verify")
else:
    bad += [f"verify.{k} = {v[k]}" for k in
            ("corrupt", "missing", "duplicate", "out_of_order") if v[k] != 0]
    msgs = sum(s["messages"] for s in e["sctp_streams"])
    if not 0 < v["verified"] == msgs:
        bad.append(f"verified {v['verified']} of {msgs} messages received")
if not 0 < sr["bytes"] == ss["bytes"]:
    bad.append(f"received {sr['bytes']} bytes, sent {ss['bytes']}")
print(f"{name}: verify {v}; {ss['bytes']} bytes sent, {sr['bytes']} received, "
      f"{ss.get('retransmits')} retransmits", file=sys.stderr)
for b in bad:
    print(f"FAIL: {name}: {b}", file=sys.stderr)
print(ss.get("retransmits", 0), v["verified"] if v else 0)
sys.exit(1 if bad else 0)
PY
    ) || failed "$name: JSON checks (above)"
    read -r r PERF_VERIFIED <<<"$r"
    retrans=$((retrans + ${r:-0}))
    perf_verified=$((perf_verified + ${PERF_VERIFIED:-0}))
}

T0=$SECONDS
perf_verified=0
echo_run echo
echo_run echo_window --window 8 -u
perf_run perf
perf_run perf_p2 -P 2 --nstreams 4

read -r to_srv to_srv_drop to_cli to_cli_drop < <(router_counters)
stop_server "$ECHO_PID"
stop_server "$PERF_PID"
for port in 9899 9900; do
    eval "pid=\$RELAY_$port"
    kill -TERM "$pid"
    wait "$pid" || failed "relay $port exited $?"
    cat "$WORK/relay$port.log"
done
read -r n_relayed n_reordered n_dup < <(
    awk '/^relay:/ { n += $2; r += $4; d += $6 } END { print n + 0, r + 0, d + 0 }' \
        "$WORK"/relay*.log)

echo "FIGURE: loss+reorder $LOSS_PCT % loss each way ($to_srv_drop of" \
    "$to_srv toward the servers, $to_cli_drop of $to_cli toward the clients" \
    "dropped), $n_reordered datagrams reordered and $n_dup duplicated of" \
    "$n_relayed relayed: 800 echoes and $perf_verified perf messages" \
    "verified, $retrans retransmissions, in $((SECONDS - T0)) s"
((to_srv_drop > 0 && to_cli_drop > 0)) ||
    failed "nft did not drop in both directions"
((n_reordered > 0)) || failed "the relay reordered nothing"
((n_dup > 0)) || failed "the relay duplicated nothing"
((retrans > 0)) || failed "the clients retransmitted nothing"
if ((FAILED > 0)); then
    show "$WORK/echo.log" "$WORK/perf.log"
    fail "$FAILED check(s) failed (listed above)"
fi
echo "PASS: echo and perf --verify through loss, reordering and duplication"
