#!/usr/bin/env bash
# lab_perf_loss.sh - sctpu-perf --verify through 5 % random packet loss.
#
# Topology (as in lab_loss.sh; nftables drops at random, no netem here):
#
#   this test's netns                    child netns (unshare -n holder)
#   server 198.18.2.1 --- veth pair --- 198.18.2.2 client
#   input: udp dport 9899, 5 % drop      input: udp sport 9899, 5 % drop
#   (both veth ends with gso_max_segs 1: drops hit single datagrams)
#
# Two client runs, each `-t 3 --verify --nstreams 4 -P 2`:
#
#   ordered    no message corrupt, missing, duplicated or out of order
#   unordered  (-u) none corrupt, missing or duplicated (order is free)
#
# and for each: receiver bytes == sender bytes, the sender counted
# retransmissions (end.sum_sent.retransmits > 0: the losses were seen), and
# the nft counters show drops in both directions during that run, so the
# test cannot pass vacuously.
#
# usage: bash tests/lab_perf_loss.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
LOSS_PCT=5
UDP_PORT=9899
SRV_IP=198.18.2.1
CLI_IP=198.18.2.2
# usrsctp backs its INIT off 3 s, 6 s, 12 s: two unlucky drops while the
# associations are set up, or a retransmission backed off a few times,
# must not hit the connect/control timeout (10 s by default).
TIMEOUT=30
# Short retransmission timeouts on both ends: with usrsctp's defaults
# (1 s minimum, doubling) a few unlucky drops stall a 3 s test for seconds.
RTO=(--rto-min 50 --rto-max 500 --rto-initial 200)
T0=$SECONDS

loss_lab "$SRV_IP" "$CLI_IP" "$LOSS_PCT" "$UDP_PORT"


start_perf_server server -B "$SRV_IP" --udp-port "$UDP_PORT" \
    --timeout "$TIMEOUT" "${RTO[@]}"

# run NAME ARGS...: one client run through the loss; checks its JSON.
# Failed checks are listed and counted in FAILED; the next run still runs.
FAILED=0
failed() {
    echo "FAIL: $*" >&2
    FAILED=$((FAILED + 1))
}
run() {
    local name=$1 rc=0 t ta retries=0 srv0 srvd0 cli0 clid0 srv1 srvd1 cli1 clid1
    shift
    read -r srv0 srvd0 < <(loss_counters)
    read -r cli0 clid0 < <(loss_counters in_child)
    t=$SECONDS
    # The server stays busy until every association of the previous test
    # has closed, which under loss can take seconds after it reported the
    # test: retry (bounded) while it says "busy".
    while :; do
        rc=0
        ta=$SECONDS
        # shellcheck disable=SC2086
        in_child timeout 90 $SCTPU_WRAP "$PERF_BIN" -c "$SRV_IP" \
            --udp-port "$UDP_PORT" --timeout "$TIMEOUT" "${RTO[@]}" -J "$@" \
            >"$WORK/$name.json" 2>"$WORK/$name.err" || rc=$?
        if ((rc != 1 || SECONDS - t >= 30)) ||
            ! grep -q 'server is busy' "$WORK/$name.err"; then
            break
        fi
        sleep 0.2
        retries=$((retries + 1))
    done
    read -r srv1 srvd1 < <(loss_counters)
    read -r cli1 clid1 < <(loss_counters in_child)
    ((retries == 0)) || echo "$name: the server was busy for $((ta - t))-$((
        SECONDS - t)) s after the previous test ($retries retries)"
    echo "$name: sctpu-perf -c $SRV_IP $*: exit $rc in $((SECONDS - ta)) s;" \
        "dropped $((srvd1 - srvd0)) of $((srv1 - srv0)) packets to the" \
        "server, $((clid1 - clid0)) of $((cli1 - cli0)) to the client"
    if ((rc != 0)); then
        show_logs "$name"
        failed "$name: the client exited $rc"
        return 0
    fi
    ((srvd1 - srvd0 > 0)) || failed "$name: nft dropped nothing toward the server"
    ((clid1 - clid0 > 0)) || failed "$name: nft dropped nothing toward the client"
    if ! python3 - "$WORK/$name.json" "$name" <<'PY'; then
import json, sys

j = json.load(open(sys.argv[1]))
name = sys.argv[2]
unordered = name == "unordered"
e = j["end"]
bad = []
if j.get("error"):
    bad.append(f"error: {j['error']}")
v = e.get("verify")
ss, sr = e["sum_sent"], e["sum_received"]
print(f"{name}: verify {v}; sent {ss['bytes']} bytes, received "
      f"{sr['bytes']}, retransmits {ss.get('retransmits')}")
if v is None:
    bad.append("no end.verify")
else:
    keys = ["corrupt", "missing", "duplicate"]
    if not unordered:
        keys.append("out_of_order")
    bad += [f"verify.{k} = {v[k]}" for k in keys if v[k] != 0]
    if v["verified"] <= 0:
        bad.append(f"verify.verified = {v['verified']}")
    msgs = sum(s["messages"] for s in e["sctp_streams"])
    if v["verified"] != msgs:
        bad.append(f"verified {v['verified']} of {msgs} messages received")
if not ss["bytes"] > 0:
    bad.append(f"sum_sent.bytes = {ss['bytes']}")
if sr["bytes"] != ss["bytes"]:
    bad.append(f"received {sr['bytes']} bytes, sent {ss['bytes']}")
if not ss.get("retransmits", 0) > 0:
    bad.append(f"sum_sent.retransmits = {ss.get('retransmits')}: the losses "
               "were not counted")
conn = j["start"]["connected"]
if len(conn) != 2:
    bad.append(f"{len(conn)} associations, want 2")
sids = sorted({(s["socket"], s["sid"]) for s in e["sctp_streams"]})
if sids != [(a, b) for a in (1, 2) for b in range(4)]:
    bad.append(f"(association, sid) pairs used: {sids}")
for b in bad:
    print(f"FAIL: {name}: {b}")
sys.exit(1 if bad else 0)
PY
        show_logs "$name"
        failed "$name: JSON checks (above)"
    fi
}

show_logs() {
    local f
    for f in "$WORK/$1.json" "$WORK/$1.err" "$WORK/server.log"; do
        echo "--- $f:" >&2
        tail -c 3000 "$f" >&2 || true
    done
}

run ordered -t 3 --verify --nstreams 4 -P 2
run unordered -t 3 --verify --nstreams 4 -P 2 -u

stop_server "$SERVER_PID"
((FAILED == 0)) || fail "$FAILED check(s) failed (listed above)"
echo "PASS: --verify through ${LOSS_PCT} % loss, ordered and unordered," \
    "in $((SECONDS - T0)) s"
