#!/usr/bin/env bash
# lab_perf_prsctp.sh - PR-SCTP really abandons messages through loss, and
# a --verify failure really is exit 1.
#
# Topology for the first two runs (as lab_perf_loss.sh; lib.sh loss_lab):
#
#   this test's netns                    child netns (unshare -n holder)
#   server 198.18.3.1 --- veth pair --- 198.18.3.2 client
#   input: udp dport 9899, 5 % drop      input: udp sport 9899, 5 % drop
#
#   json   `-t 3 --verify --nstreams 4 -l 4k --pr-policy rtx --pr-value 0`,
#          ordered, -J: the sender gave up on messages (sum_sent.abandoned
#          > 0) instead of retransmitting them (retransmits, which count
#          the reliable control messages too, under a tenth of that), the
#          receiver found messages missing (0 < verify.missing <=
#          abandoned) and nothing corrupt, duplicated or out of order. A
#          missing message that PR-SCTP abandoned is what the test asked
#          for, not a verify error (perf_client.c verify_problem): exit 0
#          with "error" null
#   text   the same run in text: the end table's Abandoned column holds a
#          number > 0 on the sender row, and the Verify line shows the
#          missing messages
#
# and, on loopback in this netns, through tests/sctp_rewrite_relay.py:
#
#   corrupt  `-t 2 --verify` while the relay flips one byte of every 50th
#            data message (CRC32c recomputed, so SCTP delivers it): the
#            receiver counts them corrupt (1 <= corrupt <= flipped), the
#            client exits 1 with "verification found errors (see the
#            stream table)"
#
# usage: bash tests/lab_perf_prsctp.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
LOSS_PCT=5
UDP_PORT=9899
SRV_IP=198.18.3.1
CLI_IP=198.18.3.2
TIMEOUT=30 # usrsctp backs a lost INIT off 3 s, 6 s ... (lab_perf_loss.sh)
RTO=(--rto-min 50 --rto-max 500 --rto-initial 200)
PR=(-t 3 --verify --nstreams 4 -l 4k --pr-policy rtx --pr-value 0)
PERF_PPID=0x73637064 # sctpu-perf's default data PPID (README)
T0=$SECONDS

loss_lab "$SRV_IP" "$CLI_IP" "$LOSS_PCT" "$UDP_PORT"
start_perf_server server -B "$SRV_IP" --udp-port "$UDP_PORT" \
    --timeout "$TIMEOUT" "${RTO[@]}"

# through_loss NAME ARGS...: a client run in the child netns; sets RC.
# A server still closing the previous test says "busy": try again.
through_loss() {
    local name=$1 t=$SECONDS srvd0 clid0 srvd1 clid1
    shift
    read -r _ srvd0 < <(loss_counters)
    read -r _ clid0 < <(loss_counters in_child)
    while :; do
        RC=0
        # shellcheck disable=SC2086
        in_child timeout 90 $SCTPU_WRAP "$PERF_BIN" -c "$SRV_IP" \
            --udp-port "$UDP_PORT" --timeout "$TIMEOUT" "${RTO[@]}" "$@" \
            >"$WORK/$name.out" 2>"$WORK/$name.err" || RC=$?
        if ((RC != 1 || SECONDS - t >= 30)) ||
            ! grep -q 'server is busy' "$WORK/$name.out" "$WORK/$name.err"; then
            break
        fi
        sleep 0.2
    done
    read -r _ srvd1 < <(loss_counters)
    read -r _ clid1 < <(loss_counters in_child)
    echo "$name: exit $RC; nft dropped $((srvd1 - srvd0)) packets to the" \
        "server, $((clid1 - clid0)) to the client"
    ((srvd1 > srvd0 && clid1 > clid0)) ||
        fail "$name: nft dropped nothing in one direction"
}

through_loss json "${PR[@]}" -J
cat "$WORK/json.err"
python3 - "$WORK/json.out" "$RC" <<'PY' || fail "json: checks above"
import json, sys

j = json.load(open(sys.argv[1]))
rc = int(sys.argv[2])
e = j["end"]
v, ss = e["verify"], e["sum_sent"]
print(f"json: sent {ss['messages']} messages, abandoned {ss['abandoned']}, "
      f"retransmits {ss['retransmits']}; verify {v}")
bad = []
if rc != 0 or j.get("error") is not None:
    bad.append(f"exit {rc}, error {j.get('error')!r}: abandoned messages "
               "are not verify errors")
if not ss["abandoned"] > 0:
    bad.append("nothing abandoned through the loss")
# Only the control messages (reliable, on their own stream) may be sent
# again; without PR-SCTP every lost data chunk would be.
if ss["retransmits"] * 10 >= ss["abandoned"]:
    bad.append(f"{ss['retransmits']} retransmissions under --pr-value 0")
if not 0 < v["missing"] <= ss["abandoned"]:
    bad.append(f"missing {v['missing']}, want 1..{ss['abandoned']}")
if not v["verified"] > 0:
    bad.append("nothing verified")
for k in ("corrupt", "duplicate", "out_of_order"):
    if v[k] != 0:
        bad.append(f"verify.{k} = {v[k]}")
for b in bad:
    print("FAIL: json: " + b)
sys.exit(1 if bad else 0)
PY

through_loss text "${PR[@]}"
sed -n '/Abandoned/,$p' "$WORK/text.out"
((RC == 0)) || fail "text: exit $RC: $(cat "$WORK/text.err")"
grep -Eq '^\[ ID\] Interval .* Rtx +Abandoned$' "$WORK/text.out" ||
    fail "text: no Abandoned column in the end table"
abandoned=$(sed -En 's/^\[ +1\] +0\.00-.* +([0-9]+) +([0-9]+) +sender$/\2/p' \
    "$WORK/text.out")
if [[ -z $abandoned ]] || ((abandoned == 0)); then
    fail "text: the sender row's Abandoned column is '$abandoned'"
fi
grep -Eq '^Verify: [1-9][0-9]* verified, [1-9][0-9]* missing, 0 duplicate, 0 corrupt, 0 out of order$' \
    "$WORK/text.out" || fail "text: $(grep '^Verify' "$WORK/text.out")"
echo "text: Abandoned $abandoned on the sender row"
stop_server "$SERVER_PID"

# corrupt: loopback, through the rewriting relay (no loss rule matches).
start_perf_server lo -B 127.0.0.1 --udp-port 9898
python3 "$TESTS_DIR/sctp_rewrite_relay.py" 9897 9898 corrupt 50 "$PERF_PPID" \
    >"$WORK/relay.out" 2>&1 &
RELAY=$!
PIDS+=("$RELAY")
wait_for_line "$WORK/relay.out" '^ready$' 10
RC=0
"$PERF_BIN" -c 127.0.0.1 --udp-port 9897 -t 2 --verify --nstreams 2 -l 1k \
    -b 2M --mtu 1500 -J >"$WORK/corrupt.json" 2>"$WORK/corrupt.err" || RC=$?
kill -TERM "$RELAY"
wait "$RELAY" || fail "corrupt: the relay failed: $(cat "$WORK/relay.out")"
stop_server "$SERVER_PID"
cat "$WORK/corrupt.err"
python3 - "$WORK/corrupt.json" "$RC" "$WORK/relay.out" <<'PY' ||
import json, sys

j = json.load(open(sys.argv[1]))
rc = int(sys.argv[2])
relay = json.loads(open(sys.argv[3]).read().splitlines()[-1])
flipped = relay["to_server"]["rewritten"]
v = j["end"]["verify"]
print(f"corrupt: exit {rc}, relay flipped {flipped} messages; verify {v}; "
      f"error {j.get('error')!r}")
bad = []
if relay["to_server"]["bad_crc"] or relay["to_client"]["bad_crc"]:
    bad.append(f"the relay's CRC32c disagrees with SCTP's: {relay}")
if rc != 1:
    bad.append(f"exit {rc}, want 1")
if j.get("error") != "verification found errors (see the stream table)":
    bad.append(f"error {j.get('error')!r}")
if not 1 <= v["corrupt"] <= flipped:
    bad.append(f"corrupt {v['corrupt']}, want 1..{flipped}")
for b in bad:
    print("FAIL: corrupt: " + b)
sys.exit(1 if bad else 0)
PY
    fail "corrupt: checks above"

echo "PASS: PR-SCTP abandons through ${LOSS_PCT} % loss (exit 0, Abandoned" \
    "shown); a corrupt message fails --verify (exit 1), in $((SECONDS - T0)) s"
