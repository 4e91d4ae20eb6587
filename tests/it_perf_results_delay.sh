#!/usr/bin/env bash
# it_perf_results_delay.sh - the server's results reach a client whose path
# holds them up for longer than the server's 5 s close grace, and a client
# that never acknowledges them does not hold the server beyond --timeout.
#
# Once the test runs, an nftables rule drops every datagram from the
# server's UDP port bigger than a bare SACK (36 bytes: UDP 8, SCTP common
# header 12, SACK without gap blocks 16). The client's data is still
# acknowledged, so it finishes, but the RESULTS, EXTRAS and DONE DATA
# chunks are lost until the rule goes. (20 % loss each way did the same
# in lab_loss_reorder: the server aborted the association 5 s after it
# sent the results, and the client failed without them.)
#
#   held    the rule stays 7 s after the server sent its results, then
#           goes: the client (--timeout 20) gets them and exits 0 with the
#           server's counts; the server (--timeout 15) aborts nothing
#   never   the rule stays: the server (--timeout 6 -1) gives up 6 s after
#           it sent the results, says so, and exits; the client exits 1
#
# usage: bash tests/it_perf_results_delay.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
command -v nft >/dev/null || fail "nft (nftables) is missing"
UDP=9934
HOLD_S=7

hold_results() {
    nft -f - <<NFT || fail "cannot add the nft rule"
table inet sctpu_results {
    chain input {
        type filter hook input priority 0; policy accept;
        udp sport $UDP udp length > 36 counter drop
    }
}
NFT
}
release_results() {
    nft delete table inet sctpu_results
}

# run_case NAME SERVER_TIMEOUT: a -1 server and a 2 s client; the rule goes
# in once the server reports the test's first interval (READY is through).
run_case() {
    local name=$1 server_timeout=$2
    start_perf_server "$name-server" -1 -p 5434 --udp-port $UDP \
        --timeout "$server_timeout" --rto-max 1000
    SERVER=$SERVER_PID
    # shellcheck disable=SC2086
    $SCTPU_WRAP "$PERF_BIN" -c 127.0.0.1 -p 5434 --udp-port $UDP -t 2 \
        -b 10M --timeout 20 -J >"$WORK/$name.json" 2>"$WORK/$name.err" &
    CLIENT=$!
    PIDS+=("$CLIENT")
    wait_for_line "$WORK/$name-server.log" '^\[ +1\] +0\.00-' 20
    hold_results
    wait_for_line "$WORK/$name-server.log" 'receiver$' 30
    RESULTS_AT=$SECONDS
}

echo "== held: the results $HOLD_S s late"
run_case held 15
sleep "$HOLD_S"
kill -0 "$SERVER" 2>/dev/null ||
    fail "held: the server exited while its results were held up:" \
        "$(cat "$WORK/held-server.log")"
held_drops=$(nft_packets sctpu_results)
((held_drops > 0)) || fail "held: the rule dropped nothing"
release_results
gone "$CLIENT" 15 || fail "held: the client still runs 15 s after the results"
((RC == 0)) || fail "held: the client exited $RC: $(cat "$WORK/held.err")"
gone "$SERVER" 10 || fail "held: the server still runs 10 s after its client"
((RC == 0)) ||
    fail "held: the server exited $RC: $(cat "$WORK/held-server.log")"
grep -q 'aborting its associations' "$WORK/held-server.log" &&
    fail "held: the server aborted: $(cat "$WORK/held-server.log")"
python3 - "$WORK/held.json" <<'PY' || fail "held: the client's report (above)"
import json, sys
j = json.load(open(sys.argv[1]))
assert "error" not in j, j.get("error")
sent = j["end"]["sum_sent"]["bytes"]
got = j["end"]["sum_received"]["bytes"]  # the server's count, in RESULTS
assert sent > 0 and got == sent, (sent, got)
print(f"held: the client got the server's count, {got} of {sent} bytes")
PY
echo "held: $held_drops datagrams held back; the test closed cleanly" \
    "$((SECONDS - RESULTS_AT)) s after the results were sent"

echo "== never: the client never acknowledges the results"
run_case never 6
gone "$SERVER" 12 || fail "never: the server still waits 12 s after its results"
waited=$((SECONDS - RESULTS_AT))
((RC == 0)) || fail "never: the server exited $RC: $(cat "$WORK/never-server.log")"
grep -q 'test 1: the client did not acknowledge the results within 6 s; aborting its associations' \
    "$WORK/never-server.log" ||
    fail "never: no reason in the server's log: $(cat "$WORK/never-server.log")"
((waited >= 5)) || fail "never: the server gave up after $waited s, before --timeout 6"
gone "$CLIENT" 25 || fail "never: the client still runs 25 s after the results"
((RC == 1)) || fail "never: the client exited $RC: $(cat "$WORK/never.err")"
grep -Eq 'aborted|no results' "$WORK/never.err" ||
    fail "never: the client did not say why: $(cat "$WORK/never.err")"
release_results
echo "never: the server gave up after $waited s (--timeout 6); the client: $(tail -1 "$WORK/never.err")"
echo "PASS: results held up past the close grace arrive; --timeout caps the wait"
