#!/usr/bin/env bash
# it_impair.sh - --impair impairs sctpu's own datagrams, no tc or netem:
#
#   loss=20% (both directions, client only): 300 echoes all verified; the
#       client's -J counts drops within 4.5 binomial standard deviations
#       of 20 % of the datagrams each way
#   delay=10ms on what the client sends: the echo RTT p50 rises by 10 ms
#       (within 10 ms and 10 ms + 5 ms of the unimpaired run's p50)
#   echo -P 4 with loss=10%: all verified, and its summary counts drops
#   corrupt=5% on what the client sends: the server counts bad CRC32c,
#       the client still verifies every echo (SCTP resends them)
#   perf --verify through loss=5%,reorder=2%,duplicate=1%,jitter=1ms: 0
#       missing, corrupt or out of order, and end.impair in its -J
#   reorder=5% on what the perf client sends: at least 20 SACKs come
#       back reporting gaps, 10x the unimpaired run; duplicate=5%: the
#       peer reports at least half the duplicated datagrams' TSNs as
#       duplicates
#
# usage: bash tests/it_impair.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

[[ -x $ECHO_BIN ]] || fail "$ECHO_BIN is not built"
PERF_BIN="$BUILD_DIR/src/sctpu-perf"
# short timers: loss then costs milliseconds, not seconds
RTO=(--rto-min 20 --rto-initial 100 --rto-max 500)

start_echo_server echo -p 7461 --udp-port 9461 "${RTO[@]}"
ECHO=("$ECHO_BIN" -c 127.0.0.1 -p 7461 --udp-port 9461 -i 0 -l 200 -q -J
    --timeout 60 "${RTO[@]}")

# echo_run NAME ARGS...: 300 echoes, all verified, JSON in $WORK/NAME.out
echo_run() {
    local name=$1
    shift
    run_bounded 120 "$name" "${ECHO[@]}" -n 300 "$@"
    want_rc "$name" 0
    json_get "$WORK/$name.out" \
        '"ok" if j["verified"] == j["sent"] == 300 else 1/0' >/dev/null || {
        show "$WORK/$name.out"
        fail "$name: not every echo verified"
    }
}

# within COUNT N P: COUNT within 4.5 binomial sd of N x P
within() {
    awk -v c="$1" -v n="$2" -v p="$3" 'BEGIN {
        m = n * p; sd = sqrt(n * p * (1 - p))
        exit !(c >= m - 4.5 * sd - 1 && c <= m + 4.5 * sd + 1) }'
}

# loss, both directions
echo_run loss --impair loss=20%,seed=1
for dir in tx rx; do
    read -r seen dropped < <(json_get "$WORK/loss.out" \
        "'%d %d' % (j['impair']['$dir']['datagrams'], j['impair']['$dir']['dropped'])")
    echo "loss=20% $dir: $dropped of $seen datagrams dropped"
    ((seen > 300)) || fail "loss $dir: only $seen datagrams went through --impair"
    within "$dropped" "$seen" 0.2 ||
        fail "loss $dir: $dropped of $seen is not 20 % (4.5 sd)"
done
spec=$(json_get "$WORK/loss.out" 'j["impair"]["spec"]')
[[ $spec == "loss=20%,seed=1" ]] || fail "loss: -J spec is '$spec'"

# delay on what the client sends
echo_run plain
echo_run delay --impair delay=10ms --impair-dir tx
p0=$(json_get "$WORK/plain.out" 'j["rtt_us"]["p50"]')
p1=$(json_get "$WORK/delay.out" 'j["rtt_us"]["p50"]')
m1=$(json_get "$WORK/delay.out" 'j["rtt_us"]["min"]')
echo "delay=10ms tx: RTT p50 $p0 us -> $p1 us, least $m1 us"
# Every request waits 10 ms, so no RTT is under it; the median may carry
# the loaded host's noise on top, but not another 5 ms.
((m1 >= 10000 && p1 <= p0 + 15000)) ||
    fail "delay: RTT least $m1 us, p50 $p1 us is not $p0 us + 10 ms"
json_get "$WORK/delay.out" '"ok" if j["impair"]["rx"] is None else 1/0' \
    >/dev/null || fail "delay: --impair-dir tx impaired the receive side too"
# A sub-millisecond delay is kept too: epoll_wait's whole milliseconds
# would make 0.1 ms into 1 ms, so the queue runs on a precise timer. The
# least RTT tells both apart without the medians' load noise: no echo
# can beat the 0.1 ms every request waits, and a millisecond timer would
# hold every one of them for 1 ms or more.
echo_run delay-short --impair delay=0.1ms --impair-dir tx
m0=$(json_get "$WORK/plain.out" 'j["rtt_us"]["min"]')
m2=$(json_get "$WORK/delay-short.out" 'j["rtt_us"]["min"]')
p2=$(json_get "$WORK/delay-short.out" 'j["rtt_us"]["p50"]')
echo "delay=0.1ms tx: RTT least $m0 us -> $m2 us (p50 $p0 us -> $p2 us)"
((m2 >= 100 && m2 < 1000)) ||
    fail "delay: least RTT $m2 us with a 0.1 ms delay (a millisecond timer?)"

# many associations at once (-P): their one transport's counts
run_bounded 120 many "$ECHO_BIN" -c 127.0.0.1 -p 7461 --udp-port 9461 -P 4 \
    -n 50 -l 200 --timeout 60 "${RTO[@]}" --impair loss=10%,seed=7
want_rc many 0
dropped=$(sed -n 's/^impair sent: .* \([0-9]*\) dropped .*/\1/p' "$WORK/many.out")
echo "echo -P 4, loss=10%: ${dropped:-no} sent datagrams dropped"
((${dropped:-0} > 0)) || {
    show "$WORK/many.out"
    fail "echo -P: no impair counts in its summary"
}

# corruption, caught by CRC32c at the server
echo_run corrupt --impair corrupt=5%,seed=3 --impair-dir tx
stop_server "$SERVER_PID"
bad=$(sed -n 's/.* \([0-9]*\) bad CRC32c.*/\1/p' "$WORK/echo.log" | tail -1)
corrupted=$(json_get "$WORK/corrupt.out" 'j["impair"]["tx"]["corrupted"]')
echo "corrupt=5%: $corrupted datagrams corrupted, the server counted $bad bad CRC32c"
((corrupted > 0 && bad >= corrupted)) ||
    fail "corrupt: $corrupted corrupted, but the server counted ${bad:-no} bad CRC32c"

# perf --verify through loss, reordering, duplicates and jitter
start_perf_server perf -p 5461 --udp-port 9462 "${RTO[@]}"
run_bounded 60 perf "$PERF_BIN" -c 127.0.0.1 -p 5461 --udp-port 9462 -t 2 \
    -i 0 -l 1000 -b 20M --verify -J "${RTO[@]}" \
    --impair loss=5%,reorder=2%,duplicate=1%,jitter=1ms,seed=4
want_rc perf 0
json_get "$WORK/perf.out" '"ok" if (lambda v: v["missing"] == v["corrupt"] == v["out_of_order"] == 0 < v["verified"])(j["end"]["verify"]) else 1/0' \
    >/dev/null || {
    show "$WORK/perf.out"
    fail "perf: --verify through --impair was not clean"
}
json_get "$WORK/perf.out" '"%s: tx %s, rx %s" % (j["end"]["impair"]["spec"], j["end"]["impair"]["tx"], j["end"]["impair"]["rx"])'
for k in dropped reordered duplicated; do
    n=$(json_get "$WORK/perf.out" \
        "j['end']['impair']['tx']['$k'] + j['end']['impair']['rx']['$k']")
    ((n > 0)) || fail "perf: no datagram $k"
done

# What SCTP makes of it, seen in the SACKs the sender gets back: held
# datagrams overtaken by later ones come back as SACKs reporting gaps,
# duplicated ones as duplicate TSNs. The same run with nothing impaired
# (a pure delay, which keeps the order) is the baseline. Nothing is lost
# here, so a long RTO keeps a slow (sanitizer, loaded) run from spurious
# retransmissions, which would show up as duplicate TSNs of their own.
perf_sacks() {
    local name=$1
    shift
    run_bounded 60 "$name" "$PERF_BIN" -c 127.0.0.1 -p 5461 --udp-port 9462 \
        -t 2 -i 0 -l 1000 -b 20M --verify -J --rto-min 300 --impair-dir tx \
        --impair "$@" >&2
    want_rc "$name" 0 >&2
    json_get "$WORK/$name.out" '"%d %d %d %d" % (j["end"]["impair"]["sacks_with_gaps"], j["end"]["impair"]["sack_dup_tsns"], j["end"]["impair"]["tx"]["reordered"], j["end"]["impair"]["tx"]["duplicated"])'
}
read -r base_gaps base_dups _ _ < <(perf_sacks sacks-base delay=1ms,seed=5)
read -r gaps _ reordered _ < <(perf_sacks sacks-reorder reorder=5%:2ms,seed=5)
read -r _ dups _ duplicated < <(perf_sacks sacks-dup duplicate=5%,seed=5)
echo "SACKs reporting gaps: $base_gaps unimpaired, $gaps with $reordered" \
    "datagrams reordered; duplicate TSNs reported: $base_dups unimpaired," \
    "$dups with $duplicated datagrams duplicated"
((reordered > 0 && gaps >= 20 && base_gaps * 10 <= gaps)) ||
    fail "reorder: $gaps SACKs reported gaps ($base_gaps unimpaired)"
((duplicated > 0 && (dups - base_dups) * 2 >= duplicated)) ||
    fail "duplicate: $dups duplicate TSNs reported for $duplicated" \
        "duplicated datagrams ($base_dups unimpaired)"

echo "PASS: --impair loses, delays, corrupts, reorders and duplicates, and" \
    "SCTP delivers every message verified through it"
