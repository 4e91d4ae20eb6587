#!/usr/bin/env bash
# it_perf_rtt_us.sh - sctpu-perf's SRTT is truly in microseconds on the
# usrsctp backend: measured from the DATA it sees leave and the SACKs that
# come back (rtt_sampler.h), not SCTP_STATUS's whole milliseconds.
#
#   json     a 2 s paced run on loopback: every interval's rtt_us is
#            > 0, equal to iperf3's "rtt", with rtt_resolution_us 1; at
#            least one is not a whole number of ms (SCTP_STATUS's are:
#            0, 1000, 2000...), and the smallest is under 5 ms (a
#            loopback round trip is tens to hundreds of us; 1-3 ms is
#            real on a loaded host: CI under ASan saw 1209 and 1199)
#   text     the interval header says SRTT-us and the sender lines show
#            the same kind of figure (> 0, not all whole ms, < 5 ms)
#   kernel   where this host runs kernel SCTP, its rows say
#            rtt_resolution_us 1000 and rtt_us is a multiple of 1000
#
# Paced small messages (-l 1000 -b 1M: SCTP_NODELAY and a SACK per
# packet): an unpaced run measures its own queues (milliseconds under
# load), which is real but not what this test is about.
#
# usage: bash tests/it_perf_rtt_us.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"

start_perf_server server -p 5411 --udp-port 9921 --backend all
CLIENT=("$PERF_BIN" -c 127.0.0.1 -p 5411 --udp-port 9921 -l 1000 -b 1M -t 2 -i 1)

"${CLIENT[@]}" -J >"$WORK/us.json" 2>"$WORK/us.err" ||
    fail "client exited $?: $(cat "$WORK/us.err")"
bad=$(json_get "$WORK/us.json" '[
    (s["rtt_us"], s["rtt"], s["rtt_resolution_us"])
    for i in j["intervals"] for s in i["streams"]
    if not (0 < s["rtt_us"] and s["rtt"] == s["rtt_us"]
            and s["rtt_resolution_us"] == 1)]')
rtts=$(json_get "$WORK/us.json" \
    '[s["rtt_us"] for i in j["intervals"] for s in i["streams"]]')
n=$(json_get "$WORK/us.json" 'len(j["intervals"])')
((n >= 2)) || fail "json: $n intervals, want 2"
[[ $bad == "[]" ]] ||
    fail "json: intervals (rtt_us, rtt, resolution) $bad; all: $rtts"
least=$(json_get "$WORK/us.json" \
    'min(s["rtt_us"] for i in j["intervals"] for s in i["streams"])')
((least < 5000)) || fail "json: rtt_us $rtts: none under 5 ms on loopback"
[[ $(json_get "$WORK/us.json" 'any(s["rtt_us"] % 1000 for i in j["intervals"]
    for s in i["streams"])') == True ]] ||
    fail "json: rtt_us $rtts: all whole milliseconds, as SCTP_STATUS's"
echo "json: rtt_us $rtts, resolution 1 us"

"${CLIENT[@]}" >"$WORK/us.txt" 2>&1 || fail "text run exited $?"
grep -Eq '^\[ ID\] .* SRTT-us +RTO-ms +PMTU$' "$WORK/us.txt" ||
    fail "text: no SRTT-us column: $(head -5 "$WORK/us.txt")"
# "... SRTT-us RTO-ms PMTU" on the sender's interval lines (Cwnd present)
text=$(awk '/^\[ +1\] +[0-9.]+-[0-9.]+ +sec/ && $NF ~ /^[0-9]+$/ && NF >= 15 {
        printf "%s ", $(NF - 2) }' "$WORK/us.txt")
[[ -n $text ]] || fail "text: no interval lines with SCTP columns"
least=1000000
fine=0
for v in $text; do
    ((v > 0)) || fail "text: SRTT-us column $text, want > 0"
    ((v < least)) && least=$v
    ((v % 1000 == 0)) || fine=1
done
((least < 5000)) || fail "text: SRTT-us column $text: none under 5 ms"
((fine)) || fail "text: SRTT-us column $text: all whole milliseconds"
echo "text: SRTT-us column $text"

"$PERF_BIN" --check -J >"$WORK/check.json" || true
KERNEL_OK=$(json_get "$WORK/check.json" \
    '[b["usable"] for b in j["backends"] if b["name"] == "kernel"][0]')
if [[ $KERNEL_OK == True ]]; then
    "${CLIENT[@]}" --backend kernel -J >"$WORK/k.json" 2>"$WORK/k.err" ||
        fail "kernel client exited $?: $(cat "$WORK/k.err")"
    bad=$(json_get "$WORK/k.json" '[
        (s["rtt_us"], s["rtt_resolution_us"])
        for i in j["intervals"] for s in i["streams"]
        if s["rtt_resolution_us"] != 1000 or s["rtt_us"] % 1000]')
    [[ $bad == "[]" ]] || fail "kernel: (rtt_us, resolution) $bad"
    echo "kernel: whole ms, resolution 1000 us"
else
    echo "kernel: no kernel SCTP here (its resolution is not checked)"
fi

stop_server "$SERVER_PID"
echo "PASS: SRTT in microseconds on usrsctp (rtt_us $rtts)"
