#!/usr/bin/env bash
# lab_values.sh - the path MTU that sctpu derives from the route, on a
# real link: a veth pair between this netns (server, 198.18.50.1) and a
# child netns (client, 198.18.50.2), no --mtu anywhere.
#
#   1500   the veth's default MTU: sctpu-echo -J pathmtu 1460 and
#          sctpu-perf -J pmtu 1460 (start.connected and every interval):
#          1500 - IPv4 20 - UDP 8 - SCTP common header 12 (route_mtu.c);
#          the client's IP packets, counted by nftables on its output
#          hook, are never over 1500 bytes and fill it exactly when a
#          message is fragmented
#   1280   the same link set to MTU 1280: pathmtu 1240 and packets of at
#          most (and exactly) 1280 bytes, so the value comes from the
#          route and is not a constant
#
# UDP GSO is off (SCTPU_UDP_GSO=0): nftables' output hook would see a GSO
# buffer as one long packet.
#
# usage: bash tests/lab_values.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN && -x $ECHO_BIN ]] || fail "sctpu-echo or sctpu-perf is not built"
command -v nft >/dev/null || skip "nft (nftables) is missing"
command -v nsenter >/dev/null || skip "nsenter (util-linux) is missing"
nft list tables >/dev/null 2>&1 || skip "nftables is not usable here"
export SCTPU_UDP_GSO=0
SRV_IP=198.18.50.1
CLI_IP=198.18.50.2

ip link add sctpu-v0 type veth peer name sctpu-v1 2>/dev/null ||
    skip "cannot create a veth pair"
netns_holder
CHILD=$NETNS_PID
ip link set sctpu-v1 netns "$CHILD"
ip addr add "$SRV_IP/24" dev sctpu-v0
ip link set sctpu-v0 up
in_child ip addr add "$CLI_IP/24" dev sctpu-v1
in_child ip link set sctpu-v1 up
for ((i = 0; i < 100; i++)); do
    ip -o link show sctpu-v0 | grep -q LOWER_UP &&
        in_child ip -o link show sctpu-v1 | grep -q LOWER_UP && break
    sleep 0.05
done
((i < 100)) || fail "the veth pair did not come up"

# set_mtu MTU: the link's MTU on both ends, and new counters of the
# client's IP packets toward each server: over MTU bytes, and at MTU.
set_mtu() {
    ip link set sctpu-v0 mtu "$1"
    in_child ip link set sctpu-v1 mtu "$1"
    in_child nft -f - <<NFT
table inet sctpu_values
delete table inet sctpu_values
table inet sctpu_values {
    counter echo_over {}
    counter echo_at {}
    counter perf_over {}
    counter perf_at {}
    chain out {
        type filter hook output priority 0; policy accept;
        udp dport 9899 ip length > $1 counter name echo_over
        udp dport 9899 ip length $1 counter name echo_at
        udp dport 9900 ip length > $1 counter name perf_over
        udp dport 9900 ip length $1 counter name perf_at
    }
}
NFT
}

packets() {
    in_child nft list counter inet sctpu_values "$1" |
        sed -n 's/.*packets \([0-9]*\).*/\1/p'
}

start_echo_server echo --ip "$SRV_IP"
ECHO_SRV=$SERVER_PID
start_perf_server perf -B "$SRV_IP"

for mtu in 1500 1280; do
    want=$((mtu - 20 - 8 - 12))
    set_mtu "$mtu"
    rc=0
    in_child timeout 30 "$ECHO_BIN" -c "$SRV_IP" -n 4 -i 0 -l 4000 -J \
        >"$WORK/echo$mtu.json" 2>"$WORK/echo$mtu.err" || rc=$?
    ((rc == 0)) || fail "echo at MTU $mtu: exit $rc: $(cat "$WORK/echo$mtu.err")"
    got=$(json_get "$WORK/echo$mtu.json" 'j["pathmtu"], j["verified"]')
    [[ $got == "($want, 4)" ]] ||
        fail "echo at MTU $mtu: (pathmtu, verified) = $got, want ($want, 4)"
    in_child timeout 30 "$PERF_BIN" -c "$SRV_IP" -t 1 -i 0.5 -J \
        >"$WORK/perf$mtu.json" 2>"$WORK/perf$mtu.err" || rc=$?
    ((rc == 0)) || fail "perf at MTU $mtu: exit $rc: $(cat "$WORK/perf$mtu.err")"
    got=$(json_get "$WORK/perf$mtu.json" \
        'sorted({j["start"]["connected"][0]["pmtu"]} |
                {s["pmtu"] for i in j["intervals"] for s in i["streams"]})')
    [[ $got == "[$want]" ]] || fail "perf at MTU $mtu: pmtu $got, want [$want]"
    for tool in echo perf; do
        over=$(packets "${tool}_over")
        at=$(packets "${tool}_at")
        ((over == 0)) || fail "$tool at MTU $mtu: $over client packets over $mtu bytes"
        ((at > 0)) ||
            fail "$tool at MTU $mtu: no client packet of exactly $mtu bytes: the MTU is not filled"
        echo "$tool at MTU $mtu: pathmtu $want; $at packets of $mtu bytes, none larger"
    done
done
stop_server "$SERVER_PID"
stop_server "$ECHO_SRV"
echo "PASS: path MTU values on a veth"
