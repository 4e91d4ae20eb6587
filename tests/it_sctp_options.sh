#!/usr/bin/env bash
# it_sctp_options.sh - the socket options sctpu-echo and sctpu-perf share,
# each checked by its effect on the wire or on the association:
#
#   dscp       --dscp EF / -S 0xb8 / --dscp AF41: nftables counters on
#              the output hook see the DSCP on the datagrams of the end
#              that set it, and only there; runs without it match nothing
#   bind-dev   --bind-dev lo works on loopback; --bind-dev nosuchdev
#              exits 2 naming the device
#   streams    an echo server with --instreams 2 --outstreams 2 and a
#              client asking for 8: streams in 2 out 2, every echo
#              verified over 2 (the server says in 2 out 2); a perf server with --instreams 3 refuses
#              a client wanting 4 data + 1 control streams clearly, and
#              serves one wanting 2 + 1
#   init       --max-init-retrans 1, RTO 50-1000 ms starting at 100, toward
#              a silent peer (input dropped: no ICMP) gives up within 2 s
#              naming Max.Init.Retransmits; with the default (8) the same
#              timers (100, 200, 400, 800, 1000 ms...) still wait at 2 s
#
# usage: bash tests/it_sctp_options.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN && -x $ECHO_BIN ]] || fail "sctpu-echo or sctpu-perf is not built"
command -v nft >/dev/null || skip "nft (nftables) is missing"
nft list tables >/dev/null 2>&1 || skip "nftables does not work here"

# run NAME PROG ARGS...: a bounded client (lib.sh run_bounded).
run() {
    run_bounded 30 "$@"
}

# Counters by DSCP and direction: to the server's UDP port (client's
# datagrams) and from it (the server's), for both tools' ports.
nft -f - <<'NFT'
table inet sctpu_opts {
    counter echo_to_ef {}
    counter echo_from_ef {}
    counter echo_any {}
    counter perf_to_ef {}
    counter perf_from_af41 {}
    counter perf_any_dscp {}
    chain out {
        type filter hook output priority 0;
        udp dport 9899 counter name echo_any
        udp dport 9899 ip dscp ef counter name echo_to_ef
        udp sport 9899 ip dscp ef counter name echo_from_ef
        udp dport 9900 ip dscp ef counter name perf_to_ef
        udp sport 9900 ip dscp af41 counter name perf_from_af41
        udp dport 9900 ip dscp != cs0 counter name perf_any_dscp
        udp sport 9900 ip dscp != cs0 counter name perf_any_dscp
    }
}
NFT

# packets NAME: the packets counter NAME has seen so far.
packets() {
    nft list counter inet sctpu_opts "$1" |
        sed -n 's/.*packets \([0-9]*\).*/\1/p'
}

reset_counters() {
    nft reset counters table inet sctpu_opts >/dev/null
}

# --- dscp -----------------------------------------------------------------
start_echo_server echo_plain -p 7 --ip 127.0.0.1
reset_counters
run echo_plain "$ECHO_BIN" -c 127.0.0.1 -n 5 -i 0 -q
want_rc echo_plain 0
[[ $(packets echo_any) -gt 0 ]] || fail "dscp: the counters saw no echo traffic"
[[ $(packets echo_to_ef) == 0 && $(packets echo_from_ef) == 0 ]] ||
    fail "dscp: a run without --dscp was marked EF"

reset_counters
run echo_ef "$ECHO_BIN" -c 127.0.0.1 -n 5 -i 0 -q --dscp EF
want_rc echo_ef 0
[[ $(packets echo_to_ef) -ge 5 ]] ||
    fail "dscp: echo --dscp EF: $(packets echo_to_ef) EF datagrams to the server"
[[ $(packets echo_from_ef) == 0 ]] ||
    fail "dscp: the server, without -S, marked its replies EF"
stop_server "$SERVER_PID"

# The server's own -S marks its replies (0xb8 = EF << 2).
start_echo_server echo_tos -p 7 --ip 127.0.0.1 -S 0xb8
reset_counters
run echo_tos "$ECHO_BIN" -c 127.0.0.1 -n 5 -i 0 -q
want_rc echo_tos 0
[[ $(packets echo_from_ef) -ge 5 ]] ||
    fail "dscp: echo server -S 0xb8: $(packets echo_from_ef) EF replies"
[[ $(packets echo_to_ef) == 0 ]] || fail "dscp: an unmarked client sent EF"
stop_server "$SERVER_PID"

start_perf_server perf_plain -B 127.0.0.1
reset_counters
run perf_plain "$PERF_BIN" -c 127.0.0.1 -t 0.5 -i 0
want_rc perf_plain 0
[[ $(packets perf_any_dscp) == 0 ]] || fail "dscp: an unmarked perf run had a DSCP"
stop_server "$SERVER_PID"

start_perf_server perf_af41 -B 127.0.0.1 --dscp AF41
reset_counters
run perf_ef "$PERF_BIN" -c 127.0.0.1 -t 0.5 -i 0 --dscp EF
want_rc perf_ef 0
[[ $(packets perf_to_ef) -ge 10 ]] ||
    fail "dscp: perf --dscp EF: $(packets perf_to_ef) EF datagrams"
[[ $(packets perf_from_af41) -ge 1 ]] ||
    fail "dscp: perf server --dscp AF41: $(packets perf_from_af41) AF41 replies"
stop_server "$SERVER_PID"

# --- bind-dev -------------------------------------------------------------
start_echo_server echo_dev -p 7 --ip 127.0.0.1 --bind-dev lo
run echo_dev "$ECHO_BIN" -c 127.0.0.1 -n 3 -i 0 -q --bind-dev lo
want_rc echo_dev 0
stop_server "$SERVER_PID"
start_perf_server perf_dev -B 127.0.0.1 --bind-dev lo
run perf_dev "$PERF_BIN" -c 127.0.0.1 -t 0.3 -i 0 --bind-dev lo
want_rc perf_dev 0
stop_server "$SERVER_PID"
for prog in "$ECHO_BIN" "$PERF_BIN"; do
    run nodev "$prog" -c 127.0.0.1 --bind-dev nosuchdev
    want_rc nodev 2
    grep -q "bind to device nosuchdev" "$WORK/nodev.err" || {
        show "$WORK/nodev.err"
        fail "bind-dev: the error does not name the device"
    }
    run nodev_srv "$prog" -s --bind-dev nosuchdev
    want_rc nodev_srv 2
    grep -q "bind to device nosuchdev" "$WORK/nodev_srv.err" ||
        fail "bind-dev: the server's error does not name the device"
done

# --- streams --------------------------------------------------------------
start_echo_server echo_streams -p 7 --ip 127.0.0.1 --instreams 2 --outstreams 2
run echo_streams "$ECHO_BIN" -c 127.0.0.1 -n 20 -i 0 --nstreams 8 --json
want_rc echo_streams 0
got=$(json_get "$WORK/echo_streams.out" \
    '"%d %d %d %d" % (j["streams"]["in"], j["streams"]["out"], j["streams"]["used"], j["verified"])')
[[ $got == "2 2 2 20" ]] || {
    show "$WORK/echo_streams.out"
    fail "streams: in out used verified = $got, want 2 2 2 20"
}
grep -q "streams in 2 out 2" "$WORK/echo_streams.log" || {
    show "$WORK/echo_streams.log"
    fail "streams: the server did not report in 2 out 2"
}
stop_server "$SERVER_PID"

start_perf_server perf_streams -B 127.0.0.1 --instreams 3
run perf_streams4 "$PERF_BIN" -c 127.0.0.1 -t 0.3 -i 0 --nstreams 4
want_rc perf_streams4 1
grep -q "error: the server allows 3 outbound streams; 5 needed" \
    "$WORK/perf_streams4.out" "$WORK/perf_streams4.err" || {
    show "$WORK/perf_streams4.out" "$WORK/perf_streams4.err"
    fail "streams: no clear message for too few streams"
}
run perf_streams2 "$PERF_BIN" -c 127.0.0.1 -t 0.3 -i 0 --nstreams 2
want_rc perf_streams2 0
stop_server "$SERVER_PID"

# --- init -----------------------------------------------------------------
# A silent peer: its UDP port drops every datagram, so no ICMP comes back.
nft add table inet sctpu_silent
nft add chain inet sctpu_silent in '{ type filter hook input priority 0; }'
nft add rule inet sctpu_silent in udp dport '{ 9899, 9900 }' drop

for prog in "$ECHO_BIN" "$PERF_BIN"; do
    name=$(basename "$prog")
    t0=$(date +%s%N)
    run "init_$name" "$prog" -c 127.0.0.1 --max-init-retrans 1 \
        --rto-min 50 --rto-initial 100 --rto-max 1000 --timeout 10
    ms=$((($(date +%s%N) - t0) / 1000000))
    want_rc "init_$name" 1
    grep -q "no answer to INIT (Max.Init.Retransmits reached)" \
        "$WORK/init_$name.out" "$WORK/init_$name.err" || {
        show "$WORK/init_$name.out" "$WORK/init_$name.err"
        fail "init: $name does not name Max.Init.Retransmits"
    }
    ((ms < 2000)) || fail "init: $name gave up after $ms ms, want < 2000"
    echo "init: $name gave up after $ms ms"

    # Without the option the default retransmits go on past 2 s.
    "$prog" -c 127.0.0.1 --rto-min 50 --rto-initial 100 --rto-max 1000 --timeout 10 \
        >"$WORK/wait_$name.out" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    sleep 2
    kill -0 "$pid" 2>/dev/null || {
        show "$WORK/wait_$name.out"
        fail "init: $name without --max-init-retrans ended within 2 s"
    }
    kill -TERM "$pid"
    wait "$pid" || true
done

echo "PASS: it_sctp_options"
