#!/usr/bin/env bash
# 1,000 messages of mixed sizes (1 B to 64 KiB) over 8 streams on IPv4 and
# IPv6 loopback: every echo verified, on the stream it was sent on. The
# server reports how it sees the client (the address probe): on loopback,
# exactly as the client's own endpoint, in text and in JSON.
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"

start_echo_server srv -p 5000 --udp-port 9899
sizes=1,2,7,8,9,100,1000,1452,1453,4096,20000,65535,65536

"$ECHO_BIN" -c 127.0.0.1 -p 5000 -n 1000 -i 0 -l "$sizes" --nstreams 8 \
    -J >"$WORK/v4.json" || fail "IPv4 client exited $?: $(cat "$WORK/v4.json")"
for key in sent verified; do
    [[ $(json_get "$WORK/v4.json" "j['$key']") == 1000 ]] ||
        fail "IPv4: $key != 1000: $(cat "$WORK/v4.json")"
done
[[ $(json_get "$WORK/v4.json" "j['lost'] + j['corrupt']") == 0 ]] ||
    fail "IPv4: lost or corrupt messages: $(cat "$WORK/v4.json")"
[[ $(json_get "$WORK/v4.json" "j['streams']['used']") == 8 ]] ||
    fail "IPv4: not 8 streams used: $(cat "$WORK/v4.json")"
# No echo waits out a 200 ms delayed-SACK timer (a 64 KiB message right
# after the handshake did, before the listener took the peer's path MTU).
max=$(json_get "$WORK/v4.json" "j['rtt_us']['max']")
((max < 180000)) || fail "IPv4: an echo took $max us: a delayed-SACK stall"
[[ $(json_get "$WORK/v4.json" "(j['local'] == j['seen_as'] and
    j['local'].startswith('127.0.0.1:') and
    j['address_translated'] is False)") == True ]] ||
    fail "IPv4: local/seen_as/address_translated wrong: $(cat "$WORK/v4.json")"

# Text: "local 127.0.0.1:P, seen by server as 127.0.0.1:P", no NAT noted.
"$ECHO_BIN" -c 127.0.0.1 -p 5000 -n 3 -i 0 >"$WORK/v4.txt" ||
    fail "IPv4 text client exited $?"
grep -Eq '^local (127\.0\.0\.1:[0-9]+), seen by server as \1$' \
    "$WORK/v4.txt" || fail "IPv4: no 'seen by server' line: $(cat "$WORK/v4.txt")"
grep -q 'address translated' "$WORK/v4.txt" &&
    fail "IPv4: loopback reported as translated"

# Text mode: each of the 8 streams carried messages, in round-robin order.
"$ECHO_BIN" -c ::1 -p 5000 -n 64 -i 0 -l 1,65536 --nstreams 8 \
    >"$WORK/v6.txt" || fail "IPv6 client exited $?"
for sid in 0 1 2 3 4 5 6 7; do
    n=$(grep -c "stream=$sid time=" "$WORK/v6.txt" || true)
    [[ $n == 8 ]] || fail "IPv6: stream $sid carried $n messages, not 8"
done
grep -q '^64 sent, 64 received, 64 verified, 0 lost, 0 corrupt$' \
    "$WORK/v6.txt" || fail "IPv6 summary wrong: $(tail -3 "$WORK/v6.txt")"
grep -Eq '^local (\[::1\]:[0-9]+), seen by server as \1$' "$WORK/v6.txt" ||
    fail "IPv6: no 'seen by server' line: $(head -3 "$WORK/v6.txt")"

stop_server "$SERVER_PID"
# Answers to the address probe are not counted: 1000, 3 and 64 echoed.
for n in 1000 3 64; do
    grep -q "closed: $n messages" "$WORK/srv.log" ||
        fail "server did not report $n echoed messages"
done
grep -q '^\[  3\] \[::1\]:[0-9]* sctp/[0-9]*: \|association from \[::1\]' \
    "$WORK/srv.log" || fail "server did not see the IPv6 peer"
echo "PASS: 1000 mixed-size messages (v4) and 64 (v6) verified on 8 streams"
