#!/usr/bin/env bash
# it_perf_rr.sh - sctpu-perf --rr REQ[/RESP], request/response
# transactions:
#
#   -k 2000 --rr 64: exactly 2000 transactions at the client and at the
#       server (its RESULTS and its own report), 64 bytes each way each,
#       latency p50 <= p90 <= p99 <= p99.9 <= max, the -J rr objects in
#       the intervals and at the end
#   --rr 100/20000: the server answered with 20000-byte responses (the
#       client received 20000 x N bytes, none of another size)
#   --impair delay=5ms --impair-dir tx: every request waits 5 ms, so the
#       p50 latency is at least 5 ms and below 5 ms + 10 ms of slack
#   -P 4 --nstreams 2: four loops, their sum, every stream used
#   --rr-burst 8 --nstreams 3: 8 requests in flight, still exactly -k
#   --rr 64/16M -P 8: over the server's --max-buffer-memory, refused
#   -t 2 -O 0.5: the counted intervals add up to the end's transactions
#   bad input: exit 2 and the reason
#
# usage: bash tests/it_perf_rr.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
CLIENT=("$PERF_BIN" -c 127.0.0.1 -p 5471 --udp-port 9471 --timeout 30)

# check NAME PYTHON-EXPR: the expression over NAME's -J output (j) holds
check() {
    json_get "$WORK/$1.out" "\"ok\" if ($2) else 1/0" >/dev/null || {
        show "$WORK/$1.out"
        fail "$1: $2 does not hold"
    }
}

# bad input first: refused before anything is sent, no server needed
bad() {
    local want=$1
    shift
    run_bounded 10 bad "${CLIENT[@]}" "$@"
    want_rc bad 2
    grep -qF -- "$want" "$WORK/bad.err" || {
        show "$WORK/bad.err"
        fail "bad input $*: no '$want'"
    }
}
bad "--rr: '0' is out of range" --rr 0
bad "--rr: '10/' is not REQ[/RESP]" --rr 10/
bad "--rr: '1/99999999999' is out of range" --rr 1/99999999999
bad "--rr cannot go with -R" --rr 64 -R
bad "--rr cannot go with -l" --rr 64 -l 100

start_perf_server perf -p 5471 --udp-port 9471

# (a) a counted test: exactly 2000, both ends
run_bounded 60 count "${CLIENT[@]}" --rr 64 -k 2000 -i 0.1 -J
want_rc count 0
check count 'j["start"]["test_start"]["rr"] == {"request_size": 64, "response_size": 64, "burst": 1}'
check count 'j["end"]["rr"]["transactions"] == 2000'
check count 'j["end"]["rr"]["server_transactions"] == 2000'
check count 'j["end"]["rr"]["request_bytes"] == 128000 == j["end"]["rr"]["response_bytes"]'
check count 'j["end"]["rr"]["wrong_size_responses"] == 0'
check count '(lambda l: 0 < l["min"] <= l["p50"] <= l["p90"] <= l["p99"] <= l["p99_9"] <= l["max"] and l["min"] <= l["mean"] <= l["max"])(j["end"]["rr"]["latency_us"])'
check count 'j["end"]["rr"]["transactions_per_second"] > 0'
# every interval says how many, and they add up to the whole
check count 'all("rr" in i["sum"] and "p99_9" in i["sum"]["rr"]["latency_us"] for i in j["intervals"])'
check count 'sum(i["sum"]["rr"]["transactions"] for i in j["intervals"]) == 2000'
check count 'len(j["end"]["rr_streams"]) == 1 and j["end"]["rr_streams"][0]["transactions"] == 2000'
# the server's own report counts the same
wait_for_line "$WORK/perf.log" 'RR *2000 trans.*answered' 10
json_get "$WORK/count.out" '"2000 transactions: %(transactions_per_second).0f/s, latency_us %(latency_us)s" % j["end"]["rr"]'

# (b) asymmetric sizes: the server sent 20000-byte responses
run_bounded 60 asym "${CLIENT[@]}" --rr 100/20000 -k 500 -J
want_rc asym 0
check asym 'j["end"]["rr"]["transactions"] == 500 == j["end"]["rr"]["server_transactions"]'
check asym 'j["end"]["rr"]["request_bytes"] == 500 * 100'
check asym 'j["end"]["rr"]["response_bytes"] == 500 * 20000'
check asym 'j["end"]["rr"]["wrong_size_responses"] == 0'
# the server counted the requests it received too
check asym 'j["end"]["sum_received"]["bytes"] == 500 * 100'

# (c) the latency is real: 5 ms on every request
run_bounded 60 delay "${CLIENT[@]}" --rr 64 -k 200 -J \
    --impair delay=5ms --impair-dir tx
want_rc delay 0
p50=$(json_get "$WORK/delay.out" 'j["end"]["rr"]["latency_us"]["p50"]')
echo "delay=5ms on the requests: p50 latency $p50 us"
((p50 >= 5000 && p50 < 15000)) ||
    fail "delay: p50 $p50 us is not 5 ms (+ at most 10 ms)"
check delay 'j["end"]["rr"]["transactions"] == 200'

# (d) four associations, two streams each
run_bounded 60 par "${CLIENT[@]}" --rr 64 -k 500 -P 4 --nstreams 2 -i 0.2 -J
want_rc par 0
check par 'j["end"]["rr"]["transactions"] == 2000 == j["end"]["rr"]["server_transactions"]'
check par 'sorted(s["socket"] for s in j["end"]["rr_streams"]) == [1, 2, 3, 4]'
check par 'all(s["transactions"] == 500 == s["server_transactions"] for s in j["end"]["rr_streams"])'
check par 'sum(i["sum"]["rr"]["transactions"] for i in j["intervals"]) == 2000'
# requests go round the streams: 250 on each of the two, per association
check par 'sorted((s["socket"], s["sid"], s["messages"]) for s in j["end"]["sctp_streams"]) == [(a, sid, 250) for a in (1, 2, 3, 4) for sid in (0, 1)]'

# (e) several requests in flight: still exactly -k, both ends
run_bounded 60 burst "${CLIENT[@]}" --rr 64/128 -k 1000 --rr-burst 8 \
    --nstreams 3 -J
want_rc burst 0
check burst 'j["start"]["test_start"]["rr"]["burst"] == 8'
check burst 'j["end"]["rr"]["transactions"] == 1000 == j["end"]["rr"]["server_transactions"]'
check burst 'j["end"]["rr"]["response_bytes"] == 128000 and j["end"]["rr"]["wrong_size_responses"] == 0'
check burst '(lambda l: l["p50"] <= l["p90"] <= l["p99"] <= l["p99_9"] <= l["max"])(j["end"]["rr"]["latency_us"])'

# (g) a timed test with -O: the warm-up's intervals are flagged, the
# counted ones add up to the end's transactions
run_bounded 60 omit "${CLIENT[@]}" --rr 64 -t 2 -O 0.5 -i 0.5 -J
want_rc omit 0
check omit 'j["intervals"][0]["sum"]["omitted"] and j["intervals"][0]["sum"]["rr"]["transactions"] > 0'
check omit 'sum(i["sum"]["rr"]["transactions"] for i in j["intervals"] if not i["sum"]["omitted"]) == j["end"]["rr"]["transactions"] > 0'
# each end resets on its own clock: the server's count is within the
# few transactions in flight at that moment (generous: 1 %)
check omit 'abs(j["end"]["rr"]["server_transactions"] - j["end"]["rr"]["transactions"]) <= 5 + j["end"]["rr"]["transactions"] // 100'

# (f) the server bounds RESP by its --max-buffer-memory (64M): 8 x 16M
# is refused with the reason, before any data
run_bounded 60 big "${CLIENT[@]}" --rr 64/16M -w 64M -P 8 -k 1
want_rc big 1
grep -qF "needs 128 MBytes of message buffers (--rr RESP 16777216 x -P 8), over the server's --max-buffer-memory" \
    "$WORK/big.err" "$WORK/big.out" || {
    show "$WORK/big.out" "$WORK/big.err"
    fail "big: the server did not refuse 8 x 16M responses with the reason"
}

# text output: the per-interval and end lines
run_bounded 60 text "${CLIENT[@]}" --rr 64 -k 300 -P 2
want_rc text 0
grep -qE '^\[SUM\] .* RR +600 trans .*latency us p50 [0-9]+  p90 [0-9]+  p99 [0-9]+  p99\.9 [0-9]+' \
    "$WORK/text.out" || {
    show "$WORK/text.out"
    fail "text: no [SUM] RR line with the percentiles"
}
grep -qE '^\[  1\] .* RR +300 trans .*server answered 300\)' "$WORK/text.out" || {
    show "$WORK/text.out"
    fail "text: no end line with the server's count"
}
stop_server "$SERVER_PID"
echo "PASS: --rr counts every transaction at both ends, with real latencies"
