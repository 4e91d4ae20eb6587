#!/usr/bin/env bash
# lab_perf_progress.sh - how much sctpu-perf moves through random loss,
# side by side with usrsctp's own tsctp on the same link in the same run.
# Correctness under loss is lab_perf_loss.sh's job; this one measures
# progress: bytes that reached the receiver in 8 s of 1000-byte messages.
#
# Topology (loss_lab, as in lab_perf_loss.sh):
#
#   this test's netns                    child netns (unshare -n holder)
#   receiver 198.18.2.1 --- veth pair --- 198.18.2.2 sender
#   5 % of UDP 9900 dropped each way, by nftables (numgen random)
#
# Every sender runs `-l 1000` for 8 s; the receiver's count is the result
# (tsctp's "length, messages, recv_calls, bytes, ..." line; for sctpu-perf
# the server's count, end.sum_received.bytes in the client's -J document).
# UDP GSO is off (an output hook sees a GSO buffer whole and would drop a
# burst as one).
#
#   A. output hook (the sender's sendmsg fails with EPERM, a host firewall):
#      tsctp -> tsctp, then sctpu-perf -> sctpu-perf with defaults.
#      sctpu must move >= 0.8 x tsctp's bytes (>= 100 MB when tsctp's run
#      did not complete: its receiver never printed its result).
#   B. input hook (silent, loss in a network): tsctp -> tsctp,
#      sctpu-perf defaults, and sctpu-perf with --rto-min 50 on the sender.
#      --rto-min 50 must move >= 100 MB and >= 0.8 x tsctp's (when tsctp
#      completed). The default run must exit 0, warn on stderr that
#      "--rto-min 50 on the sending end" would show the path's capacity,
#      and count retransmission timeouts in its JSON intervals; its bytes
#      are shown, not asserted: 1 s RTO.Min timeouts set them, and they
#      vary 3x from run to run (as tsctp's do here).
#
# Every run must also have moved the nft drop counters both ways (unless an
# end counted too few packets for a drop to be due; see drops_check). A
# summary line (MB per run, ratios to tsctp) ends the output.
#
# usage: bash tests/lab_perf_progress.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
T0=$SECONDS

usrsctp_examples
TSCTP="$EXAMPLES/tsctp"
[[ -x $TSCTP ]] || fail "usrsctp_examples built no tsctp ($TSCTP)"

LOSS_PCT=5
UDP_PORT=9900        # the receivers' UDP port, where the drops are
TSCTP_SRC_PORT=9898 # tsctp's sender needs a local UDP port of its own
SCTP_PORT=5001
SRV_IP=198.18.2.1
CLI_IP=198.18.2.2
SECS=8
LEN=1000
MIN_MB=100
# A sanitizer build (ASan + UBSan, unoptimised; tests/CMakeLists.txt sets
# SCTPU_SANITIZED=1 there) runs several times slower, so its throughput
# says nothing about SCTP: there the figures are printed, and only the
# functional checks hold (exit status, drops, the hint, the T3 count).
SANITIZED=${SCTPU_SANITIZED:-0}
# Longer than a few doubled 1 s retransmission timeouts, so a backoff
# under input loss with the default RTO.Min does not trip the watchdog.
PERF_TIMEOUT=30
# tsctp's sender has no watchdog of its own: after its 8 s, this long for
# its queue to drain and the association to shut down, or its run did not
# complete. (Under input loss its ending often stalls for much longer.)
TSCTP_DRAIN=8

loss_lab "$SRV_IP" "$CLI_IP" "$LOSS_PCT" "$UDP_PORT"
export SCTPU_UDP_GSO=0

# Line-buffer tsctp's stdout so its log is complete when we read it.
# (coreutils' stdbuf: always there on Debian, so no fallback to hide a gap)
LINEBUF=(stdbuf -oL -eL)

FAILED=0
failed() {
    echo "FAIL: $*" >&2
    FAILED=$((FAILED + 1))
}

show() {
    local f
    for f in "$@"; do
        echo "--- $f:" >&2
        tail -c 3000 "$f" >&2 || true
        echo >&2
    done
}

# udp_bound PORT: is some socket bound to UDP PORT (IPv4 or IPv6)?
udp_bound() {
    local hex
    hex=$(printf ':%04X' "$1")
    awk -v h="$hex" 'NR > 1 && substr($2, length($2) - 4) == h { f = 1 }
                     END { exit !f }' /proc/net/udp /proc/net/udp6
}

# has_line FILE REGEX SECONDS: poll until FILE has a matching line; unlike
# wait_for_line, running out of time is an answer here, not a failure.
has_line() {
    local file=$1 re=$2 limit=$3 i
    for ((i = 0; i < limit * 20; i++)); do
        grep -Eq -- "$re" "$file" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

# mb BYTES: bytes as MB (10^6), one decimal.
mb() {
    awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'
}

# ratio A B: "A / B" as "1.23x", or "n/a" when B is unknown or 0.
ratio() {
    if [[ $2 =~ ^[0-9]+$ ]] && (($2 > 0)); then
        awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'
    else
        echo n/a
    fi
}

# at_least BYTES FACTOR REF: BYTES >= FACTOR x REF?
at_least() {
    awk -v b="$1" -v f="$2" -v r="$3" 'BEGIN { exit !(b >= f * r) }'
}

# counters_before / drops_check NAME: the nft drop counters must have moved
# both ways during NAME's run, or the loss never happened. An end whose
# rule counted too few packets for a drop to be expected (a reference run
# stalled in its handshake: tsctp's sender once lost 3 of its 4 packets,
# so the receiver sent a single INIT-ACK) is not held to it; DROPS_MIN is
# the count at which no drop at LOSS_PCT % has odds under one in a
# million. The whole test must still have seen drops at both ends
# (checked at the end).
DROPS_MIN=$(awk -v p="$LOSS_PCT" \
    'BEGIN { n = log(1e-6) / log(1 - p / 100); print int(n) + 1 }')
SRV_DROPS_ALL=0
CLI_DROPS_ALL=0
counters_before() {
    read -r SRV_SEEN0 SRV_DROP0 < <(loss_counters)
    read -r CLI_SEEN0 CLI_DROP0 < <(loss_counters in_child)
}
drops_check() {
    local name=$1 srv_seen srv_drop cli_seen cli_drop
    read -r srv_seen srv_drop < <(loss_counters)
    read -r cli_seen cli_drop < <(loss_counters in_child)
    srv_seen=$((srv_seen - SRV_SEEN0)) srv_drop=$((srv_drop - SRV_DROP0))
    cli_seen=$((cli_seen - CLI_SEEN0)) cli_drop=$((cli_drop - CLI_DROP0))
    SRV_DROPS_ALL=$((SRV_DROPS_ALL + srv_drop))
    CLI_DROPS_ALL=$((CLI_DROPS_ALL + cli_drop))
    echo "$name: nft dropped $srv_drop of $srv_seen packets at the" \
        "receiver's end, $cli_drop of $cli_seen at the sender's"
    drops_seen "$name" "the receiver's end" "$srv_seen" "$srv_drop"
    drops_seen "$name" "the sender's end" "$cli_seen" "$cli_drop"
}
# drops_seen NAME END SEEN DROPPED: one end's share of drops_check.
drops_seen() {
    local name=$1 end=$2 seen=$3 dropped=$4
    ((dropped > 0)) && return
    if ((seen >= DROPS_MIN)); then
        failed "$name: nft dropped nothing at $end ($seen packets)"
    else
        echo "$name: note: nft counted only $seen packets at $end (none" \
            "dropped is a failure only from $DROPS_MIN on), not held to a drop"
    fi
}

# run_tsctp NAME: tsctp -> tsctp for SECS s. Sets RESULT to the bytes its
# receiver reported, or to "" when the run did not complete.
run_tsctp() {
    local name=$1 t i rc=0 rcv_pid line
    RESULT=
    t=$SECONDS
    counters_before
    "${LINEBUF[@]}" "$TSCTP" -E "$UDP_PORT" -p "$SCTP_PORT" \
        >"$WORK/$name-rcv.log" 2>&1 &
    rcv_pid=$!
    PIDS+=("$rcv_pid")
    for ((i = 0; i < 200; i++)); do
        udp_bound "$UDP_PORT" && break
        sleep 0.05
    done
    udp_bound "$UDP_PORT" || {
        show "$WORK/$name-rcv.log"
        fail "$name: tsctp's receiver did not bind UDP $UDP_PORT"
    }
    in_child timeout $((SECS + TSCTP_DRAIN)) "${LINEBUF[@]}" "$TSCTP" \
        -E "$TSCTP_SRC_PORT" -U "$UDP_PORT" -p "$SCTP_PORT" -l "$LEN" \
        -T "$SECS" -n 0 "$SRV_IP" >"$WORK/$name-snd.log" 2>&1 || rc=$?
    # The receiver prints its line once the association has ended.
    if has_line "$WORK/$name-rcv.log" '^[0-9]+, [0-9]+, [0-9]+, [0-9]+, ' 2; then
        line=$(grep -E '^[0-9]+, [0-9]+, [0-9]+, [0-9]+, ' \
            "$WORK/$name-rcv.log" | tail -1)
        IFS=', ' read -r _ _ _ RESULT _ <<<"$line"
        echo "$name: tsctp -> tsctp: $(mb "$RESULT") MB received in" \
            "$((SECONDS - t)) s (sender exit $rc; receiver: $line)"
    else
        echo "$name: tsctp -> tsctp did not complete: its receiver printed" \
            "no result within $((SECS + TSCTP_DRAIN + 2)) s (sender exit" \
            "$rc, 124: stopped by timeout); its sender's output:"
        sed 's/^/    /' "$WORK/$name-snd.log"
        [[ -s $WORK/$name-snd.log ]] || echo "    (none)"
    fi
    stop_foreign "$rcv_pid"
    drops_check "$name"
}

# run_sctpu NAME CLIENT_ARGS...: sctpu-perf -c -> sctpu-perf -s -1 for SECS
# s. Sets RESULT to the bytes the server received, from the client's JSON
# (end.sum_received: the server's own count, sent over the control
# channel; "" when there is none) and CLIENT_RC. The client's JSON and
# stderr are kept in $WORK/NAME.json and $WORK/NAME.err.
run_sctpu() {
    local name=$1 t i
    shift
    RESULT=
    t=$SECONDS
    counters_before
    start_perf_server "$name-srv" -B "$SRV_IP" -p "$SCTP_PORT" \
        --udp-port "$UDP_PORT" -1 --timeout "$PERF_TIMEOUT"
    CLIENT_RC=0
    # The outer timeout only stops a hang: the client's own watchdog
    # (--timeout) is what ends a run that stops moving.
    # SCTPU_WRAP is a command prefix (e.g. "valgrind -q"): split on purpose.
    # shellcheck disable=SC2086
    in_child timeout $((SECS + 2 * PERF_TIMEOUT)) $SCTPU_WRAP "$PERF_BIN" \
        -c "$SRV_IP" -p "$SCTP_PORT" --udp-port "$UDP_PORT" -l "$LEN" \
        -t "$SECS" --timeout "$PERF_TIMEOUT" -J "$@" \
        >"$WORK/$name.json" 2>"$WORK/$name.err" || CLIENT_RC=$?
    # The server (-1) exits once its association has closed. When the
    # loss takes the client's last packet (SHUTDOWN-COMPLETE), the server
    # retransmits its SHUTDOWN-ACK to a client that has already exited
    # for minutes: the results are in hand by then, so stop it, and say so.
    for ((i = 0; i < 60; i++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "$name: note: the server was still closing its association" \
            "3 s after the client exited; stopping it"
        kill -KILL "$SERVER_PID"
    fi
    wait "$SERVER_PID" 2>/dev/null || true
    RESULT=$(json_get "$WORK/$name.json" \
        '"" if j.get("error") else j["end"]["sum_received"]["bytes"]' \
        2>/dev/null) || RESULT=
    echo "$name: sctpu-perf ${*:-(defaults)} -> sctpu-perf -s:" \
        "$(mb "${RESULT:-0}") MB received in $((SECONDS - t)) s" \
        "(client exit $CLIENT_RC)"
    if ((CLIENT_RC != 0)) || [[ -z $RESULT ]]; then
        show "$WORK/$name.json" "$WORK/$name.err" "$WORK/$name-srv.log"
        ((CLIENT_RC == 0)) || failed "$name: the client exited $CLIENT_RC"
        [[ -n $RESULT ]] ||
            failed "$name: the client's JSON has an error or no end.sum_received"
    fi
    drops_check "$name"
}

# slow MESSAGE...: a throughput check failed: counted, except in a
# sanitizer build, where it is only said.
slow() {
    if ((SANITIZED)); then
        echo "note (sanitizer build, throughput not asserted): $*"
    else
        failed "$@"
    fi
}

# check_vs_tsctp NAME BYTES TSCTP_BYTES: BYTES >= 0.8 x tsctp's when
# tsctp completed, else >= MIN_MB.
check_vs_tsctp() {
    local name=$1 bytes=${2:-0} ref=$3
    if [[ -n $ref ]]; then
        at_least "$bytes" 0.8 "$ref" ||
            slow "$name: $(mb "$bytes") MB, under 0.8 x tsctp's $(mb "$ref") MB"
    else
        echo "$name: tsctp did not complete; requiring >= $MIN_MB MB instead"
        at_least "$bytes" 1 $((MIN_MB * 1000000)) ||
            slow "$name: $(mb "$bytes") MB, under $MIN_MB MB"
    fi
}

#
# A. Output hook: failed sends
#
echo "== A. $LOSS_PCT % loss each way on the output hook (sendmsg: EPERM)"
loss_hook output "$LOSS_PCT" "$UDP_PORT"
run_tsctp a-tsctp
A_TSCTP=$RESULT
run_sctpu a-sctpu
A_SCTPU=$RESULT
check_vs_tsctp a-sctpu "$A_SCTPU" "$A_TSCTP"

#
# B. Input hook: silent loss
#
echo "== B. $LOSS_PCT % loss each way on the input hook (silent)"
loss_hook input "$LOSS_PCT" "$UDP_PORT"
run_tsctp b-tsctp
B_TSCTP=$RESULT

run_sctpu b-default
B_DEFAULT=$RESULT
if ((CLIENT_RC == 0)); then
    grep -qF -- '--rto-min 50 on the sending end' "$WORK/b-default.err" || {
        show "$WORK/b-default.err"
        failed "b-default: no '--rto-min 50 on the sending end' hint on stderr"
    }
    timeouts=$(json_get "$WORK/b-default.json" \
        'sum(i["sum"].get("rtx_timeouts", 0) for i in j["intervals"])') ||
        timeouts=
    echo "b-default: $timeouts retransmission timeouts in the intervals;" \
        "$(ratio "${B_DEFAULT:-0}" "$B_TSCTP") tsctp's (not asserted)"
    if ! [[ $timeouts =~ ^[0-9]+$ ]] || ((timeouts == 0)); then
        failed "b-default: no interval counted a retransmission timeout" \
            "(intervals[].sum.rtx_timeouts: '$timeouts')"
    fi
fi

run_sctpu b-rto50 --rto-min 50
B_RTO50=$RESULT
at_least "${B_RTO50:-0}" 1 $((MIN_MB * 1000000)) ||
    slow "b-rto50: $(mb "${B_RTO50:-0}") MB, under $MIN_MB MB"
[[ -z $B_TSCTP ]] || check_vs_tsctp b-rto50 "$B_RTO50" "$B_TSCTP"

# mb_or_na BYTES: MB, or "n/a" for a run without a result.
mb_or_na() {
    if [[ -n $1 ]]; then mb "$1"; else echo n/a; fi
}
echo "SUMMARY (MB in ${SECS} s, ${LOSS_PCT} % loss each way):" \
    "output hook: tsctp $(mb_or_na "$A_TSCTP"), sctpu $(mb_or_na "$A_SCTPU")" \
    "($(ratio "${A_SCTPU:-0}" "$A_TSCTP")) |" \
    "input hook: tsctp $(mb_or_na "$B_TSCTP"), sctpu default" \
    "$(mb_or_na "$B_DEFAULT") ($(ratio "${B_DEFAULT:-0}" "$B_TSCTP"))," \
    "sctpu --rto-min 50 $(mb_or_na "$B_RTO50")" \
    "($(ratio "${B_RTO50:-0}" "$B_TSCTP"))"

((SRV_DROPS_ALL > 0)) || failed "nft dropped nothing at the receiver's end in any run"
((CLI_DROPS_ALL > 0)) || failed "nft dropped nothing at the sender's end in any run"
((FAILED == 0)) || fail "$FAILED check(s) failed (listed above)"
echo "PASS: sctpu-perf's progress through ${LOSS_PCT} % loss, next to tsctp's," \
    "in $((SECONDS - T0)) s"
