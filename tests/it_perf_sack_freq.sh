#!/usr/bin/env bash
# it_perf_sack_freq.sh - a --sack-freq above what usrsctp's Max.Burst lets
# out after a delayed SACK must not throttle the association to the
# delayed-SACK timer.
#
# usrsctp lowers cwnd for good to flight size + Max.Burst (4) * MTU before
# each output. A delayed SACK acknowledges everything, so the next burst
# is 4 MTUs: 6 packets of 1 KiB messages at --mtu 1500, 5 at --mtu 1280.
# A receiver SACKing every 7 or 8 packets never reached its count, and
# each round trip waited out --sack-delay: about 6 messages per delay, and
# the drain after -t outlived --timeout ("no data moved ... for 8 s").
# sctpu now raises Max.Burst to --sack-freq at both ends
# (sctp_plan_max_burst), so:
#
#   client sends, --sack-freq 7 and 8 at --mtu 1500, 6 at --mtu 1280,
#   and -R (the server sends: the client's choice reached its association)
#       exit 0, and the receiver gets far more than the stalled rate
#
# --sack-delay 500 (the longest) makes the stalled rate 6 KiB per 0.5 s,
# about 12 KiB/s; each run must deliver 8 MiB in its 2 s, 300 times that
# (loopback moves hundreds of MB, even under ASan).
#
# usage: bash tests/it_perf_sack_freq.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
MIN_BYTES=$((8 * 1024 * 1024))

# run NAME MTU FREQ [ARGS...]: one 2 s test of 1 KiB messages with both
# ends at MTU and the client's --sack-freq FREQ; checks exit and bytes.
run() {
    local name=$1 mtu=$2 freq=$3 bytes
    shift 3
    run_bounded 40 "$name" "$PERF_BIN" -c 127.0.0.1 -p 5421 --udp-port 9931 \
        -t 2 -l 1024 --mtu "$mtu" --sack-freq "$freq" --sack-delay 500 \
        --timeout 5 -J "$@"
    want_rc "$name" 0
    bytes=$(json_get "$WORK/$name.out" 'j["end"]["sum_received"]["bytes"]')
    echo "$name: the receiver got $bytes bytes"
    ((bytes >= MIN_BYTES)) || {
        show "$WORK/$name.err"
        fail "$name: $bytes bytes received in 2 s, want >= $MIN_BYTES:" \
            "throttled to the delayed-SACK timer"
    }
}

start_perf_server server -p 5421 --udp-port 9931 --mtu 1500
run freq7 1500 7
run freq8 1500 8
run freq8_reverse 1500 8 -R
stop_server "$SERVER_PID"

start_perf_server server1280 -p 5421 --udp-port 9931 --mtu 1280
run freq6_mtu1280 1280 6
stop_server "$SERVER_PID"
echo "PASS"
