#!/usr/bin/env bash
# lab_echo_nat.sh - sctpu-echo's NAT diagnostics through a real NAT, and
# against an echo server that does not answer the address probe.
#
#   a) against usrsctp's echo_server (loopback, before the lab exists):
#      the client says the server did not report how it sees us, every
#      echo is still verified, and the server got exactly the messages the
#      client counted (the probe is message 0, not one more). Where the
#      examples cannot be had, b) still runs and the test then skips (77).
#   b) through a masquerading router:
#
#   client netns            router netns (NAT)                this netns
#   198.18.3.2 ---veth--- 198.18.3.1 | 198.18.0.1 ---veth--- 198.18.0.2
#   default via .3.1      masquerade 198.18.3.0/24           sctpu-echo -s
#                         to ports 20000-29999
#
#      The server has no route to 198.18.3.0/24: only the NAT makes the
#      association work. The NAT also moves the client's ephemeral UDP port
#      (32768 and up) into its own range. The client must print "(address
#      translated)" with the router's address and port, the server must log
#      the association from that address and port, and 200 echoes over 8
#      streams must verify, in text and in JSON (local, seen_as,
#      address_translated).
#
# usage: bash tests/lab_echo_nat.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

UDP_PORT=9899
SRV_IP=198.18.0.2
NAT_IP=198.18.0.1
GW_IP=198.18.3.1
CLI_IP=198.18.3.2
COUNT=200
ECHO_ARGS=(-n "$COUNT" -i 0 -l "1,100,1000,5000" --nstreams 8 --timeout 10)

#
# a) a plain echo server echoes the probe back: "no report", not a failure
#
echo "== a) sctpu-echo client -> usrsctp echo_server (no address report)"
if usrsctp_examples_or_reason; then
    # Line-buffered (coreutils' stdbuf), so its log is complete when read.
    stdbuf -oL -eL "$EXAMPLES/echo_server" 9900 0 \
        >"$WORK/a-server.log" 2>&1 &
    ES_PID=$!
    PIDS+=("$ES_PID")
    for ((i = 0; i < 100; i++)); do
        [[ -n $(ss -Hnlu "sport = :9900" 2>/dev/null) ]] && break
        sleep 0.05
    done
    rc=0
    # SCTPU_WRAP is a command prefix (e.g. "valgrind -q"): split on purpose.
    # shellcheck disable=SC2086
    timeout 30 $SCTPU_WRAP "$ECHO_BIN" -c 127.0.0.1 -p 7 --udp-port 9900 \
        -n 20 -i 0 -l 1,1000 --nstreams 4 --timeout 10 \
        >"$WORK/a-client.txt" 2>&1 || rc=$?
    kill -KILL "$ES_PID" 2>/dev/null || true
    wait "$ES_PID" 2>/dev/null || true
    grep -v ' bytes from ' "$WORK/a-client.txt"
    ((rc == 0)) || fail "a) client exited $rc against usrsctp echo_server"
    grep -Eq '^local 127\.0\.0\.1:[0-9]+, server did not report its view of our address \(not an sctpu-echo server\)$' \
        "$WORK/a-client.txt" || fail "a) no 'did not report' line"
    grep -q 'seen by server' "$WORK/a-client.txt" &&
        fail "a) the client claims a report from usrsctp's echo_server"
    grep -q '^20 sent, 20 received, 20 verified, 0 lost, 0 corrupt$' \
        "$WORK/a-client.txt" || fail "a) not all 20 echoes verified"
    n=$(grep -c 'complete 1\.$' "$WORK/a-server.log" || true)
    [[ $n == 20 ]] || fail "a) echo_server got $n messages, not 20"
    echo "a) passed"
else
    # b) does not need them: run it, then skip (77) at the end for a).
    echo "a) cannot run: $EXAMPLES_MISSING"
fi

#
# b) through a NAT
#
echo "== b) sctpu-echo through nftables masquerade"
command -v nft >/dev/null || skip "nft (nftables) is missing"
command -v nsenter >/dev/null || skip "nsenter (util-linux) is missing"
nft list tables >/dev/null 2>&1 || skip "nftables is not usable here"

netns_holder
ROUTER=$NETNS_PID
netns_holder
CLIENT=$NETNS_PID
in_router() { nsenter -t "$ROUTER" -n -- "$@"; }
in_client() { nsenter -t "$CLIENT" -n -- "$@"; }

ip link add nat-s0 type veth peer name nat-s1 2>/dev/null ||
    skip "cannot create a veth pair"
ip link set nat-s1 netns "$ROUTER"
ip addr add "$SRV_IP/24" dev nat-s0
ip link set nat-s0 up
in_router ip addr add "$NAT_IP/24" dev nat-s1
in_router ip link set nat-s1 up

in_router ip link add nat-c1 type veth peer name nat-c0
in_router ip link set nat-c0 netns "$CLIENT"
in_router ip addr add "$GW_IP/24" dev nat-c1
in_router ip link set nat-c1 up
in_client ip addr add "$CLI_IP/24" dev nat-c0
in_client ip link set nat-c0 up
in_client ip route add default via "$GW_IP"

in_router sysctl -qw net.ipv4.ip_forward=1
in_router nft -f - <<NFT || skip "nftables NAT is not available here"
table ip sctpu_nat {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        ip saddr 198.18.3.0/24 oifname "nat-s1" udp dport $UDP_PORT counter \
            masquerade to :20000-29999
    }
}
NFT

# Wait for carrier on all four ends (IPv4 has no DAD to wait for).
for ((i = 0; i < 100; i++)); do
    ip -o link show nat-s0 | grep -q LOWER_UP &&
        in_router ip -o link show nat-s1 | grep -q LOWER_UP &&
        in_router ip -o link show nat-c1 | grep -q LOWER_UP &&
        in_client ip -o link show nat-c0 | grep -q LOWER_UP && break
    sleep 0.05
done
((i < 100)) || fail "the veth pairs did not come up"

start_echo_server server --ip "$SRV_IP" --udp-port "$UDP_PORT"

# Text: the client's view of the NAT, then every echo on its stream.
rc=0
# shellcheck disable=SC2086
in_client timeout 60 $SCTPU_WRAP "$ECHO_BIN" -c "$SRV_IP" \
    --udp-port "$UDP_PORT" "${ECHO_ARGS[@]}" \
    >"$WORK/b-client.txt" 2>"$WORK/b-client.err" || rc=$?
head -3 "$WORK/b-client.txt"
tail -3 "$WORK/b-client.txt"
cat "$WORK/b-client.err" >&2
((rc == 0)) || fail "b) text client exited $rc"
re='^local 198\.18\.3\.2:([0-9]+), seen by server as 198\.18\.0\.1:([0-9]+) \(address translated\)$'
line=$(grep -E "$re" "$WORK/b-client.txt") ||
    fail "b) no '(address translated)' line with the NAT's address"
[[ $line =~ $re ]]
local_port=${BASH_REMATCH[1]}
seen_port=${BASH_REMATCH[2]}
((seen_port >= 20000 && seen_port <= 29999 && seen_port != local_port)) ||
    fail "b) the NAT did not move port $local_port into 20000-29999"
grep -q "^$COUNT sent, $COUNT received, $COUNT verified, 0 lost, 0 corrupt$" \
    "$WORK/b-client.txt" || fail "b) not all $COUNT echoes verified"
for sid in 0 1 2 3 4 5 6 7; do
    n=$(grep -c "stream=$sid time=" "$WORK/b-client.txt" || true)
    [[ $n == $((COUNT / 8)) ]] ||
        fail "b) stream $sid carried $n messages, not $((COUNT / 8))"
done
grep -q "association from $NAT_IP:$seen_port sctp/" "$WORK/server.log" ||
    fail "b) the server did not log the association from $NAT_IP:$seen_port"

# JSON: the same facts as fields.
rc=0
# shellcheck disable=SC2086
in_client timeout 60 $SCTPU_WRAP "$ECHO_BIN" -c "$SRV_IP" \
    --udp-port "$UDP_PORT" "${ECHO_ARGS[@]}" -J \
    >"$WORK/b-client.json" 2>"$WORK/b-client.err" || rc=$?
cat "$WORK/b-client.json"
((rc == 0)) || fail "b) JSON client exited $rc: $(cat "$WORK/b-client.err")"
check() {
    [[ $(json_get "$WORK/b-client.json" "$1") == True ]] ||
        fail "b) JSON: not $1"
}
check "j['local'].startswith('$CLI_IP:')"
check "j['seen_as'].startswith('$NAT_IP:')"
check "j['address_translated'] is True"
check "j['sent'] == j['verified'] == $COUNT"
check "j['lost'] == j['corrupt'] == 0"
check "j['streams']['used'] == 8"
seen=$(json_get "$WORK/b-client.json" "j['seen_as']")

# The answers to the probe are not counted: exactly COUNT echoed each time.
wait_for_line "$WORK/server.log" "$NAT_IP:${seen##*:} sctp/[0-9]+ closed" 10
stop_server "$SERVER_PID"
cat "$WORK/server.log"
n=$(grep -c " closed: $COUNT messages," "$WORK/server.log" || true)
[[ $n == 2 ]] || fail "b) the server did not echo exactly $COUNT twice"
masq=$(in_router nft list table ip sctpu_nat | grep -o 'packets [0-9]*' |
    awk '{print $2}')
((masq > 0)) || fail "b) the masquerade rule saw no packets"
echo "b) passed: the client sees the NAT ($CLI_IP -> $seen); $COUNT echoes" \
    "over 8 streams verified twice through it"
[[ -z ${EXAMPLES_MISSING:-} ]] || skip "a) $EXAMPLES_MISSING (b passed)"
echo "PASS"
