#!/usr/bin/env bash
# lab_loss.sh - 1,000 echoes through 5 % random packet loss, all verified;
# then 1,000 more, unordered with 16 in flight (--window 16 -u), so that
# retransmissions really do bring echoes back out of order.
#
# Topology (no netem here: nftables drops at random instead):
#
#   this test's netns                    child netns (unshare -n holder)
#   server 198.18.1.1 --- veth pair --- 198.18.1.2 client
#   input: udp dport 9899, 5 % drop      input: udp sport 9899, 5 % drop
#
# Drops are made on each side's input hook, so both directions lose
# packets and no sender sees an error from its own send (an output-hook
# drop would return EPERM to sendto instead of losing the packet). The
# nft counters prove that packets really were dropped, and the client's
# retransmission count (-J "retransmits") and slowest echo (at least
# RTO.Min) that SCTP really recovered them, so the test cannot pass
# vacuously. Both namespaces die with their last process, so there is
# nothing to clean up beyond what lib.sh's trap kills.
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"

LOSS_PCT=5
COUNT=1000
UDP_PORT=9899
SRV_IP=198.18.1.1
CLI_IP=198.18.1.2
RTO=(--rto-min 50 --rto-max 500 --rto-initial 200)

loss_lab "$SRV_IP" "$CLI_IP" "$LOSS_PCT" "$UDP_PORT"

start_echo_server server --ip "$SRV_IP" --udp-port "$UDP_PORT" "${RTO[@]}"

start=$(date +%s.%N)
rc=0
in_child timeout 120 $SCTPU_WRAP "$ECHO_BIN" -c "$SRV_IP" \
    --udp-port "$UDP_PORT" -n "$COUNT" -i 0 -l 1,100,1000,5000 \
    --nstreams 8 --timeout 10 "${RTO[@]}" -q -J \
    >"$WORK/client.json" 2>"$WORK/client.err" || rc=$?
end=$(date +%s.%N)
elapsed=$(python3 -c "print(f'{$end - $start:.1f}')")
cat "$WORK/client.json"
cat "$WORK/client.err" >&2
echo "client ran ${elapsed} s with ${LOSS_PCT} % loss each way"

rc_w=0
in_child timeout 120 $SCTPU_WRAP "$ECHO_BIN" -c "$SRV_IP" \
    --udp-port "$UDP_PORT" -n "$COUNT" -i 0 -l 1,100,1000,5000 \
    --nstreams 8 --timeout 10 "${RTO[@]}" --window 16 -u >"$WORK/window.out" \
    2>"$WORK/window.err" || rc_w=$?
cat "$WORK/window.err" >&2
tail -4 "$WORK/window.out"

read -r srv_seen srv_drop < <(loss_counters)
read -r cli_seen cli_drop < <(loss_counters in_child)
echo "to server: $srv_drop of $srv_seen packets dropped;" \
     "to client: $cli_drop of $cli_seen packets dropped"

# The server has echoed all 1000 once the client is done, but it ends the
# association only when the SHUTDOWN-COMPLETE arrives. If the loss takes
# that last packet, nobody is left to answer its SHUTDOWN-ACK retries (the
# client has exited), and it aborts after its retransmission limit: about
# 5 s with these RTOs. Wait for either end rather than race it.
ended() { # ended: associations the server ended after COUNT echoes
    grep -Ec " (closed:|failed after) $COUNT messages" "$WORK/server.log" ||
        true
}
if [[ $rc == 0 && $rc_w == 0 ]]; then
    for ((i = 0; i < 600 && $(ended) < 2; i++)); do
        sleep 0.05
    done
fi
stop_server "$SERVER_PID"
cat "$WORK/server.log"

[[ $rc == 0 ]] || fail "client exited with $rc"
sent=$(json_get "$WORK/client.json" 'j["sent"]')
verified=$(json_get "$WORK/client.json" 'j["verified"]')
lost=$(json_get "$WORK/client.json" 'j["lost"]')
corrupt=$(json_get "$WORK/client.json" 'j["corrupt"]')
[[ $sent == "$COUNT" ]] || fail "sent $sent, not $COUNT"
[[ $verified == "$sent" ]] || fail "verified $verified of $sent"
[[ $lost == 0 ]] || fail "lost $lost"
[[ $corrupt == 0 ]] || fail "corrupt $corrupt"
# Drops alone prove little: SCTP must have sent DATA again. With one
# message in flight, a lost one-chunk message has no later chunks to set
# off a fast retransmit, so it waits out a timeout: RTO.Min (50 ms) at
# least, which the slowest echo shows.
retransmits=$(json_get "$WORK/client.json" 'j["retransmits"]')
rtt_max=$(json_get "$WORK/client.json" 'j["rtt_us"]["max"]')
echo "client retransmitted $retransmits DATA chunks; slowest echo $rtt_max us"
((retransmits > 0)) || fail "the client retransmitted nothing"
((rtt_max >= 50000)) ||
    fail "no echo waited for a retransmission timeout (max RTT $rtt_max us)"
((srv_drop > 0)) || fail "nft dropped nothing toward the server"
((cli_drop > 0)) || fail "nft dropped nothing toward the client"
(($(ended) == 2)) ||
    fail "the server did not echo $COUNT messages on both associations"

[[ $rc_w == 0 ]] || fail "windowed client exited with $rc_w"
grep -q "^$COUNT sent, $COUNT received, $COUNT verified, 0 lost, 0 corrupt$" \
    "$WORK/window.out" || fail "windowed client: $(tail -4 "$WORK/window.out")"
grep -q '(window 16, at most 16 in flight)$' "$WORK/window.out" ||
    fail "windowed client did not fill its window"
# Echoes came back out of send order: the windowed path was exercised.
grep -Eo 'seq=[0-9]+ ' "$WORK/window.out" | tr -dc '0-9\n' |
    awk 'NR > 1 && $1 < prev { out++ } { prev = $1 }
         END { print out + 0 " echoes overtook an earlier one"; exit !out }' ||
    fail "every echo came back in send order"
grep -q " closed: $COUNT messages" "$WORK/server.log" ||
    echo "note: the SHUTDOWN-COMPLETE was lost; the server gave up on it"
echo "PASS: $verified/$sent echoes verified through ${LOSS_PCT} % loss"
