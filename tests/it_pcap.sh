#!/usr/bin/env bash
# it_pcap.sh - --pcap writes what went over the wire, and tshark (which
# knows nothing of sctpu) reads it back:
#
#   echo, 20 messages, --pcap on both ends: INIT, INIT ACK, COOKIE ECHO,
#       COOKIE ACK, DATA, SACK, SHUTDOWN, SHUTDOWN ACK, SHUTDOWN COMPLETE
#       first appear in that order, no DATA after SHUTDOWN; the client
#       sent 20 distinct DATA TSNs and the server 21 (the echoes and its
#       answer to the client's address probe); tshark's own CRC32c check
#       finds every checksum good; as many packets as the tool says it
#       captured
#   --pcap-udp: the UDP header with the real ports, dissected as SCTP on
#       udp/9899, UDP and SCTP checksums good
#   --impair corrupt=20% tx: tshark finds bad checksums in the client's
#       file, at least as many as the client says it corrupted, and the
#       server's file (its wire) has exactly as many bad ones;
#       corrupt=20% rx: the client's file has none (the capture is before
#       rx impairment) though -J counts corrupted datagrams
#   --pcap-snaplen 64: no packet captured longer than 64 bytes, the DATA
#       ones cut (caplen < len), and the count of cut ones as the tool says
#   --pcap-max 4k: the file stays within 4 KiB and is well formed, the
#       tool says the cap was reached and counts packets not captured
#   a write error mid-run (ulimit -f): exit 1, a message, and the file
#       still holds whole records only, as many as the tool counts
#   SIGINT: the client's file is complete (as many packets as counted)
#   perf -t 1 -b 20M --pcap: DATA both ways, every checksum good, end.pcap in -J
#   errors: an uncreatable file and --workers 2 exit 2
#
# usage: bash tests/it_pcap.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v tshark >/dev/null ||
    skip "tshark is missing (apt-get install tshark; tools/install-deps.sh)"
in_private_netns "$@"

[[ -x $ECHO_BIN ]] || fail "$ECHO_BIN is not built"
PERF_BIN="$BUILD_DIR/src/sctpu-perf"
SUMMARY="$TESTS_DIR/pcap_summary.py"
N=20

# summary NAME FILE [TSHARK_ARGS...]: tshark's reading into $WORK/NAME.json
summary() {
    local name=$1 file=$2
    shift 2
    python3 "$SUMMARY" "$file" "$@" >"$WORK/$name.json"
    echo "$name: $(cat "$WORK/$name.json")"
    jq_ok "$name" 'j["tshark_rc"] == 0 and j["frames"] > 0' \
        "tshark cannot read $file"
}

# jq_ok NAME EXPR WHY: EXPR holds on $WORK/NAME.json, else fail with WHY
jq_ok() {
    json_get "$WORK/$1.json" "'ok' if ($2) else 1/0" >/dev/null 2>&1 ||
        fail "$1: $3"
}

# captured NAME: the packet count in the tool's closing --pcap line
captured() {
    sed -n 's/.*--pcap .*: \([0-9]*\) packets captured.*/\1/p' "$1"
}

start_echo_server echo -p 7471 --udp-port 9899 --pcap "$WORK/server.pcap"
ECHO=("$ECHO_BIN" -c 127.0.0.1 -p 7471 --udp-port 9899 -i 0.01 -l 64 -q -J
    --timeout 30)

# the handshake, the echoes and the shutdown, seen from both ends
run_bounded 60 plain "${ECHO[@]}" -n "$N" --pcap "$WORK/client.pcap"
want_rc plain 0
json_get "$WORK/plain.out" \
    "'ok' if j['verified'] == $N and j['pcap']['captured'] > 0 else 1/0" \
    >/dev/null || fail "plain: not every echo verified, or no -J pcap"
summary client "$WORK/client.pcap"
order='["INIT", "INIT_ACK", "COOKIE_ECHO", "COOKIE_ACK", "DATA", "SACK", "SHUTDOWN", "SHUTDOWN_ACK", "SHUTDOWN_COMPLETE"]'
jq_ok client "j['order'] == $order and j['shutdown_last']" \
    "chunks not in the order of an association's life"
jq_ok client "sorted(j['data_tsns'].values()) == [$N, $N + 1] and j['data_tsns']['7471'] == $N + 1" \
    "the DATA chunks each way are not $N (client) and $N + 1 (server)"
jq_ok client "j['checksum']['good'] == j['frames'] and j['checksum']['bad'] == 0" \
    "tshark found a checksum that is not good"
n=$(captured "$WORK/plain.err")
jq_ok client "j['frames'] == ${n:-0}" "tshark read a count other than the ${n:-?} captured"
grep -q "0 not captured" "$WORK/plain.err" || fail "plain: packets not captured"

# the UDP header kept: Wireshark's default SCTP-over-UDP port is ours
run_bounded 60 udp "${ECHO[@]}" -n 5 --pcap "$WORK/udp.pcap" --pcap-udp
want_rc udp 0
summary udp "$WORK/udp.pcap" -o udp.check_checksum:TRUE
jq_ok udp "j['order'][:4] == ['INIT', 'INIT_ACK', 'COOKIE_ECHO', 'COOKIE_ACK'] and j['checksum']['good'] == j['frames']" \
    "SCTP over UDP not dissected, or a bad SCTP checksum"
udp_bad=$(tshark -n -r "$WORK/udp.pcap" -o udp.check_checksum:TRUE \
    -Y 'udp.checksum.status != 1 or udp.srcport != 9899 and udp.dstport != 9899' \
    2>/dev/null | wc -l)
((udp_bad == 0)) || fail "udp: $udp_bad packets with a bad UDP checksum or port"

# corruption on what the client sends: tshark must see it
run_bounded 60 corrupt "${ECHO[@]}" -n "$N" --pcap "$WORK/corrupt.pcap" \
    --impair corrupt=20%,seed=5 --impair-dir tx
want_rc corrupt 0
stop_server "$SERVER_PID"
summary corrupt "$WORK/corrupt.pcap"
corrupted=$(json_get "$WORK/corrupt.out" 'j["impair"]["tx"]["corrupted"]')
bad=$(json_get "$WORK/corrupt.json" 'j["checksum"]["bad"]')
echo "corrupt=20% tx: the client corrupted $corrupted, tshark finds $bad bad checksums"
((corrupted > 0 && bad >= corrupted)) ||
    fail "corrupt: $corrupted corrupted, but tshark found $bad bad checksums"
# the server's file holds every run since it started; the corrupted
# packets all arrived there (loopback loses none)
summary server "$WORK/server.pcap"
jq_ok server "j['checksum']['bad'] == $bad" \
    "the server's wire does not show the $bad corrupted packets"
jq_ok server "j['order'][:4] == ['INIT', 'INIT_ACK', 'COOKIE_ECHO', 'COOKIE_ACK']" \
    "the server's capture does not start with a handshake"

# corruption on what the client receives: after the capture point
start_echo_server echo2 -p 7471 --udp-port 9899
run_bounded 60 corrupt_rx "${ECHO[@]}" -n "$N" --pcap "$WORK/rx.pcap" \
    --impair corrupt=20%,seed=6 --impair-dir rx
want_rc corrupt_rx 0
summary rx "$WORK/rx.pcap"
corrupted=$(json_get "$WORK/corrupt_rx.out" 'j["impair"]["rx"]["corrupted"]')
((corrupted > 0)) || fail "corrupt rx: nothing corrupted"
jq_ok rx "j['checksum']['bad'] == 0" \
    "rx corruption ($corrupted datagrams) shows in the capture: it is not the wire's view"

# snaplen: every packet cut to 64 bytes, the DATA ones shorter than sent
run_bounded 60 snap "${ECHO[@]}" -n 5 -l 200 --pcap "$WORK/snap.pcap" \
    --pcap-snaplen 64
want_rc snap 0
summary snap "$WORK/snap.pcap"
cut=$(sed -n 's/.* bytes, \([0-9]*\) cut to the snaplen.*/\1/p' "$WORK/snap.err")
jq_ok snap "j['max_caplen'] == 64 and j['cut'] >= 10 and j['cut'] == ${cut:-0}" \
    "not cut at 64 bytes, or the tool's count (${cut:-?}) differs"

# the size cap: the file stays within it and stays readable
run_bounded 60 cap "${ECHO[@]}" -n "$N" --pcap "$WORK/cap.pcap" \
    --pcap-max 4k
want_rc cap 0
size=$(stat -c %s "$WORK/cap.pcap")
((size <= 4096 && size > 2048)) || fail "cap: the file is $size bytes"
grep -q -- "--pcap-max reached" "$WORK/cap.err" ||
    fail "cap: no word of the cap being reached"
json_get "$WORK/cap.out" \
    "'ok' if j['pcap']['cap_reached'] and j['pcap']['not_captured'] > 0 else 1/0" \
    >/dev/null || fail "cap: -J does not say the cap stopped the capture"
summary cap "$WORK/cap.pcap"
n=$(captured "$WORK/cap.err")
jq_ok cap "j['frames'] == ${n:-0}" "tshark read a count other than the ${n:-?} captured"

# a write error mid-run (the file size limit, as a full disk would):
# the capture stops, the file keeps whole records only, exit status 1
RC=0
# SCTPU_WRAP is a command prefix (e.g. "valgrind -q"): split on purpose.
# shellcheck disable=SC2086
timeout 60 bash -c 'ulimit -f 8; trap "" XFSZ; exec "$@"' fsize \
    $SCTPU_WRAP "${ECHO[@]}" -n 80 -i 0.04 -l 16 --pcap "$WORK/fsize.pcap" \
    >"$WORK/fsize.out" 2>"$WORK/fsize.err" || RC=$?
want_rc fsize 1
grep -q "cannot write: File too large" "$WORK/fsize.err" ||
    fail "fsize: no word of the write error"
summary fsize "$WORK/fsize.pcap"
n=$(captured "$WORK/fsize.err")
jq_ok fsize "j['frames'] == ${n:-0} and j['frames'] > 10" \
    "tshark read a count other than the ${n:-?} captured"
json_get "$WORK/fsize.out" \
    "'ok' if j['verified'] == 80 and j['pcap']['write_error'] else 1/0" \
    >/dev/null || fail "fsize: the run or its -J pcap is wrong"

# SIGINT: the client stops, and its file is complete
# shellcheck disable=SC2086
$SCTPU_WRAP "$ECHO_BIN" -c 127.0.0.1 -p 7471 --udp-port 9899 -i 0.01 \
    --pcap "$WORK/int.pcap" >"$WORK/int.out" 2>"$WORK/int.err" &
pid=$!
PIDS+=("$pid")
wait_for_line "$WORK/int.out" 'seq=20 ' 30
kill -INT "$pid"
gone "$pid" 10 || fail "int: the client ignored SIGINT"
summary int "$WORK/int.pcap"
n=$(captured "$WORK/int.err")
jq_ok int "j['frames'] == ${n:-0} and j['data_tsns']['7471'] > 10" \
    "tshark read a count other than the ${n:-?} captured"
stop_server "$SERVER_PID"

# perf: a short test, both ends capturing
start_perf_server perf -p 5471 --udp-port 9899 --pcap "$WORK/perf_server.pcap"
run_bounded 60 perf "$PERF_BIN" -c 127.0.0.1 -p 5471 --udp-port 9899 -t 1 -b 20M \
    -l 1000 -J --pcap "$WORK/perf.pcap"
want_rc perf 0
stop_server "$SERVER_PID"
summary perf "$WORK/perf.pcap"
jq_ok perf "len(j['data_chunks']) == 2 and j['data_chunks']['5471'] > 0 and max(j['data_chunks'].values()) > 100" \
    "no bulk DATA one way and control DATA the other"
jq_ok perf "j['checksum']['good'] == j['frames']" "a checksum is not good"
json_get "$WORK/perf.out" \
    "'ok' if 0 < j['end']['pcap']['captured'] <= $(json_get "$WORK/perf.json" 'j["frames"]') else 1/0" \
    >/dev/null || fail "perf: end.pcap.captured is not within the file"
summary perf_server "$WORK/perf_server.pcap"
jq_ok perf_server "j['checksum']['good'] == j['frames'] and j['order'][0] == 'INIT'" \
    "the server's capture is not clean"

# errors: exit 2 with a reason
run_bounded 10 noopen "$ECHO_BIN" -c 127.0.0.1 -p 7471 --pcap /nonexistent/x.pcap
want_rc noopen 2
grep -q "cannot create it" "$WORK/noopen.err" || fail "noopen: no reason given"
run_bounded 10 workers "$PERF_BIN" -s --workers 2 --pcap "$WORK/w.pcap"
want_rc workers 2
grep -q "cannot share one file" "$WORK/workers.err" || fail "workers: no reason given"

echo "PASS: --pcap writes every packet of both ends as tshark reads it:" \
    "the chunks in order, the DATA each way, good CRC32c (and the bad ones" \
    "--impair made), snaplen and size cap"
