#!/usr/bin/env bash
# it_echo_options.sh - sctpu-echo's options that used to be only parsed,
# each run end to end and checked by its effect (packets are read off lo
# by sctp_sniff, with UDP GSO off so that one record is one packet):
#
#   once      -s --once exits 0 by itself after its first association
#             closes; without --once the server stays
#   ipv6      -6 -c ::1: the client's peer, local and seen_as are ::1; on
#             a name with both an A and an AAAA record (a private
#             /etc/hosts), -6 reaches ::1 and -4 127.0.0.1; a -4 server
#             does not hear ::1
#   mtu       --mtu 1280: pathmtu 1240 (1280 - IPv4 20 - UDP 8 - SCTP 12),
#             and the client's IP packets are 1280 bytes at most and
#             exactly 1280 when a message is fragmented
#   buffers   --rcvbuf is the a_rwnd each end announces in INIT / INIT ACK;
#             a server's --sndbuf 16k echoes 16 KiB messages, and fails a
#             64 KiB one (send: Message too long) and says so
#   bufsize   a server's --bufsize 1 still echoes 64 KiB messages whole,
#             but reading them a byte per call makes every echo slower
#             (p50 RTT at least 4 x the default's)
#   hb        --hb-interval 100 (RTO 50-200 ms): the idle client sends at
#             least 4 HEARTBEATs in 1.5 s; with the default (30 s), none
#   values    -J: backend "usrsctp", streams, pathmtu 65492 on loopback,
#             error null; with -B 127.0.0.2, local and seen_as are that
#             address, not translated; a failed run's error names the cause
#
# usage: bash tests/it_echo_options.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"
[[ -x $ECHO_BIN ]] || fail "$ECHO_BIN is not built"
export SCTPU_UDP_GSO=0 # one sniffed record = one packet on the wire
T0=$SECONDS

# run NAME ARGS...: a bounded client (lib.sh run_bounded); status in RC.
run() {
    run_bounded 30 "$1" "$ECHO_BIN" "${@:2}"
}

# jq_true FILE EXPR WHAT: the Python expression on the JSON `j` is True.
jq_true() {
    [[ $(json_get "$1" "($2)") == True ]] || fail "$3: $(cat "$1")"
}

# sniffed NAME EXPR: evaluate EXPR over `p`, the list of packet records.
sniffed() {
    python3 -c 'import json,sys
p = [json.loads(l) for l in open(sys.argv[1])]
print(eval(sys.argv[2]))' "$WORK/$1.sniff" "$2"
}

# --- once -------------------------------------------------------------------
echo "== once"
start_echo_server once --once
ONCE=$SERVER_PID
start_echo_server stays -p 8 --udp-port 9898
STAYS=$SERVER_PID
run once1 -c 127.0.0.1 -n 3 -i 0 -q
want_rc once1 0
run stays1 -c 127.0.0.1 -p 8 --udp-port 9898 -n 3 -i 0 -q
want_rc stays1 0
gone "$ONCE" 5 || fail "once: the --once server still runs 5 s after its client"
[[ $RC == 0 ]] || fail "once: the --once server exited $RC"
grep -q '^served 1 associations' "$WORK/once.log" ||
    fail "once: $(cat "$WORK/once.log")"
kill -0 "$STAYS" 2>/dev/null || fail "once: a server without --once exited"
stop_server "$STAYS"
echo "once: exited 0 after one association; without it the server stays"

# --- ipv6 -------------------------------------------------------------------
echo "== ipv6"
start_echo_server v6 -6
grep -q 'over UDP \[::\]:9899' "$WORK/v6.log" || fail "ipv6: $(cat "$WORK/v6.log")"
run v6 -6 -c ::1 -n 3 -i 0 -J
want_rc v6 0
jq_true "$WORK/v6.out" 'j["peer"].startswith("::1 udp/9899") and
    j["local"].startswith("[::1]:") and j["seen_as"] == j["local"] and
    j["verified"] == 3 and j["pathmtu"] == 65476' "ipv6: not ::1 end to end"
# A name with both families: -6 and -4 pick theirs. The private
# /etc/hosts lives in a mount namespace of this command only.
printf '127.0.0.1 sctpu-dual\n::1 sctpu-dual\n' >"$WORK/hosts"
for fam in 6 4; do
    RC=0
    # shellcheck disable=SC2016 # $1, $@: the inner sh's arguments
    unshare -m -- sh -c 'mount --bind "$1" /etc/hosts && shift && exec "$@"' \
        sh "$WORK/hosts" "$ECHO_BIN" "-$fam" -c sctpu-dual -n 1 -i 0 -J \
        >"$WORK/dual$fam.out" 2>"$WORK/dual$fam.err" || RC=$?
    want_rc "dual$fam" 0
done
jq_true "$WORK/dual6.out" 'j["local"].startswith("[::1]:")' "ipv6: -6 sctpu-dual"
jq_true "$WORK/dual4.out" 'j["local"].startswith("127.0.0.1:")' "ipv6: -4 sctpu-dual"
stop_server "$SERVER_PID"
start_echo_server v4only -4
run v4only -c ::1 -n 1 -i 0 --timeout 1 -q
want_rc v4only 1
stop_server "$SERVER_PID"
echo "ipv6: -6 uses ::1; -6/-4 choose the family of a dual name"

# --- mtu --------------------------------------------------------------------
echo "== mtu"
start_echo_server mtu
sctp_sniff mtu
run mtu -c 127.0.0.1 -n 4 -i 0 -l 4000 --mtu 1280 -J
sniff_stop
want_rc mtu 0
jq_true "$WORK/mtu.out" 'j["pathmtu"] == 1240 and j["verified"] == 4' \
    "mtu: --mtu 1280 is not pathmtu 1240"
got=$(sniffed mtu 'max(r["len"] for r in p if r["dport"] == 9899)')
[[ $got == 1280 ]] || fail "mtu: the client's largest IP packet is $got bytes, want 1280"
# The server, without --mtu, sends whole 4000-byte messages back.
got=$(sniffed mtu 'max(r["len"] for r in p if r["sport"] == 9899)')
((got > 4000)) || fail "mtu: the server's largest packet is $got bytes"
echo "mtu: pathmtu 1240, packets of exactly 1280 bytes"

# --- buffers ----------------------------------------------------------------
echo "== buffers"
stop_server "$SERVER_PID"
start_echo_server bufs --rcvbuf 32k --sndbuf 16k
sctp_sniff bufs
run rwnd -c 127.0.0.1 -n 2 -i 0 -q --rcvbuf 64k
sniff_stop
want_rc rwnd 0
got=$(sniffed bufs '[c[1] for r in p for c in r["chunks"] if c[0] in (1, 2)]')
[[ $got == "[65536, 32768]" ]] ||
    fail "buffers: INIT / INIT ACK a_rwnd $got, want [65536, 32768]"
run small -c 127.0.0.1 -n 3 -i 0 -l 16384 -J
want_rc small 0
jq_true "$WORK/small.out" 'j["verified"] == 3' "buffers: 16 KiB echoes"
run big -c 127.0.0.1 -n 1 -i 0 -l 65536 --timeout 3 -J
want_rc big 1
jq_true "$WORK/big.out" 'j["verified"] == 0 and
    j["error"].startswith("association lost")' "buffers: 64 KiB past --sndbuf"
wait_for_line "$WORK/bufs.log" 'failed after 0 messages: send: Message too long' 5
stop_server "$SERVER_PID"
echo "buffers: a_rwnd = --rcvbuf; the server's --sndbuf bounds its echoes"

# --- bufsize ----------------------------------------------------------------
echo "== bufsize"
# p50_with NAME ARGS...: p50 RTT of 20 echoes of 64 KiB against a server
# with ARGS, in P50.
p50_with() {
    local name=$1
    shift
    start_echo_server "$name" -p 9 "$@"
    run "$name" -c 127.0.0.1 -p 9 -n 20 -i 0 -l 65536 -J
    want_rc "$name" 0
    jq_true "$WORK/$name.out" 'j["verified"] == 20' "bufsize: $*"
    stop_server "$SERVER_PID"
    P50=$(json_get "$WORK/$name.out" 'j["rtt_us"]["p50"]')
}
p50_with bs64k --bufsize 65536
fast=$P50
p50_with bs1 --bufsize 1
slow=$P50
((slow >= 4 * fast)) ||
    fail "bufsize: p50 RTT $slow us with --bufsize 1, $fast us with 64k: no effect"
echo "bufsize: 1 byte per read: p50 $slow us against $fast us"

# --- hb ---------------------------------------------------------------------
echo "== hb"
RTO=(--rto-min 50 --rto-max 200 --rto-initial 100)
start_echo_server hb "${RTO[@]}"
# heartbeats NAME ARGS...: HEARTBEAT chunks the client sent while idle.
heartbeats() {
    local name=$1
    shift
    sctp_sniff "$name"
    run "$name" -c 127.0.0.1 -n 2 -i 1.5 -q "${RTO[@]}" "$@"
    sniff_stop
    want_rc "$name" 0
    HB=$(sniffed "$name" \
        'sum(c[0] == 4 for r in p if r["dport"] == 9899 for c in r["chunks"])')
}
heartbeats hb100 --hb-interval 100
((HB >= 4)) || fail "hb: --hb-interval 100: $HB HEARTBEATs in 1.5 s idle"
fast=$HB
heartbeats hbdefault
((HB == 0)) || fail "hb: the default interval sent $HB HEARTBEATs in 1.5 s"
stop_server "$SERVER_PID"
echo "hb: $fast HEARTBEATs in 1.5 s with --hb-interval 100, none without"

# --- values -----------------------------------------------------------------
echo "== values"
start_echo_server values --instreams 3
run values -c 127.0.0.1 -n 6 -i 0 --nstreams 5 -J
want_rc values 0
jq_true "$WORK/values.out" 'j["backend"] == "usrsctp" and
    j["stack"].startswith("usrsctp ") and
    j["streams"] == {"in": 5, "out": 3, "used": 3} and
    j["pathmtu"] == 65492 and j["error"] is None and
    j["sent"] == j["verified"] == 6 and 0 < j["rtt_us"]["min"] <=
    j["rtt_us"]["p50"] <= j["rtt_us"]["max"] and j["setup_us"] > 0' \
    "values: the -J document"
# -B 127.0.0.2: the client's own address, as it says and the server saw.
run bound -c 127.0.0.1 -B 127.0.0.2 -n 2 -i 0 -J
want_rc bound 0
jq_true "$WORK/bound.out" 'j["local"].startswith("127.0.0.2:") and
    j["seen_as"] == j["local"] and j["address_translated"] is False' \
    "values: -B 127.0.0.2 is not the local address"
stop_server "$SERVER_PID"
silent_udp_port 9897
run failed -c 127.0.0.1 --udp-port 9897 -n 1 --timeout 1 -J
want_rc failed 1
jq_true "$WORK/failed.out" '"within 1 s" in j["error"] and
    j["sent"] == 0 and j["backend"] == "usrsctp"' "values: a failed run's error"
echo "values: backend, streams, pathmtu, error"

echo "PASS: echo options in $((SECONDS - T0)) s"
