#!/usr/bin/env bash
# it_perf_interleave.sh - sctpu-perf --interleave and --scheduler (usrsctp):
#
#   --interleave at both ends: the data goes in I-DATA chunks (type 64,
#       RFC 8260) and no DATA chunk (type 0) carries any, seen off lo by
#       sctp_sniff; the per-stream counts and latency rows are complete
#   --interleave at the client only: the server does not offer I-DATA, so
#       the data goes in DATA chunks and no I-DATA appears
#   a server with --interleave refuses -l 100k (over 64 KiB) with why
#   --scheduler rr, fcfs, fair: the test runs and every listed stream
#       carries its messages
#   refused with exit 2: prio= without --scheduler prio,
#       rr-packet (stalls the sender in usrsctp 0.9.5.0),
#       --interleave -l 100k,
#       an unknown scheduler, --scheduler with -R, --interleave with the
#       kernel backend
#
# usage: bash tests/it_perf_interleave.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"

for bad in "--stream 0:prio=1" "--scheduler lottery" "--scheduler rr-packet" "--scheduler rr -R" \
    "--interleave -l 100k" \
    "--interleave --backend kernel"; do
    # shellcheck disable=SC2086 # word splitting wanted
    run_bounded 10 bad "$PERF_BIN" -c 127.0.0.1 $bad
    want_rc bad 2
done

sniffed() {
    python3 -c 'import json,sys
p = [json.loads(l) for l in open(sys.argv[1])]
print(eval(sys.argv[2]))' "$WORK/$1.sniff" "$2"
}

# shellcheck disable=SC2054 # commas inside --stream specs
PERF=("$PERF_BIN" -c 127.0.0.1 -i 0 -J -N --timeout 30 -t 1 --mtu 1500
    --stream 0:len=200,rate=200k --stream 1:len=16k,rate=2M)

# complete NAME: both streams counted, each with its latency row
complete() {
    json_get "$WORK/$1.out" '"ok" if (
    {s["sid"] for s in j["end"]["sctp_streams"] if s["messages"] >= 10}
        == {0, 1}
    and {l["sid"] for l in j["end"]["streams_latency"]} == {0, 1}) else 1/0' \
        >/dev/null || {
        show "$WORK/$1.out"
        fail "$1: a stream is missing from the counts or the latency"
    }
}

# chunks NAME: how many DATA and I-DATA chunks went to the server
chunks() {
    sniffed "$1" '"%d %d" % (
        sum(c[0] == 0 for r in p if r["dport"] == 9491 for c in r["chunks"]),
        sum(c[0] == 64 for r in p if r["dport"] == 9491 for c in r["chunks"]))'
}

start_perf_server ileave -p 7491 --udp-port 9491 --interleave
sctp_sniff idata
run_bounded 60 idata "${PERF[@]}" -p 7491 --udp-port 9491 --interleave
sniff_stop
want_rc idata 0
complete idata
read -r data idata < <(chunks idata)
echo "both ends --interleave: $data DATA, $idata I-DATA chunks"
((data == 0 && idata > 50)) || fail "--interleave: $data DATA, $idata I-DATA"
# a --interleave server refuses messages over 64 KiB, with the reason
run_bounded 30 big "$PERF_BIN" -c 127.0.0.1 -p 7491 --udp-port 9491 -t 1 \
    -l 100k
want_rc big 1
grep -q "runs with --interleave, which takes messages up to 65536" \
    "$WORK/big.out" "$WORK/big.err" || {
    show "$WORK/big.out" "$WORK/big.err"
    fail "big: the server's reason is missing"
}
stop_server "$SERVER_PID"

start_perf_server plain -p 7492 --udp-port 9491
sctp_sniff oneend
run_bounded 60 oneend "${PERF[@]}" -p 7492 --udp-port 9491 --interleave
sniff_stop
want_rc oneend 0
complete oneend
read -r data idata < <(chunks oneend)
echo "client only --interleave: $data DATA, $idata I-DATA chunks"
((data > 50 && idata == 0)) || fail "one end: $data DATA, $idata I-DATA"

for ss in rr fcfs fair; do
    run_bounded 60 "ss_$ss" "${PERF[@]}" -p 7492 --udp-port 9491 \
        --scheduler "$ss"
    want_rc "ss_$ss" 0
    complete "ss_$ss"
done
stop_server "$SERVER_PID"
echo "it_perf_interleave: ok"
