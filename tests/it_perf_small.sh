#!/usr/bin/env bash
# it_perf_small.sh - a paced test of small messages measures the path, not
# SCTP's bundling and delayed-SACK timers.
#
# `-l 200 -b 2M` used to report an SRTT of 80-140 ms on loopback: each
# message went alone, the sender held it back while the previous one was
# unacknowledged, and the receiver SACKed every second packet or after
# 200 ms. Such a test now gets SCTP_NODELAY and a SACK for every packet at
# both ends (announced in the header), so:
#
#   client sends   the header says so; every interval's SRTT is < 20 ms
#   -R             the server sends: its own intervals (--get-server-output)
#                  show an SRTT < 20 ms (20000 us) too, so it applied the
#                  client's tuning to its association
#   --sack-freq 2  the user's choice wins: no announcement
#
# usage: bash tests/it_perf_small.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
ANNOUNCE='Small paced messages \(-l 200 with -b\): SCTP_NODELAY and a SACK for every packet'

start_perf_server server -p 5401 --udp-port 9911
CLIENT=("$PERF_BIN" -c 127.0.0.1 -p 5401 --udp-port 9911 -l 200 -b 2M -t 3 -i 1)

# max SRTT over the intervals of a -J run
"${CLIENT[@]}" -J >"$WORK/fwd.json" 2>"$WORK/fwd.err" ||
    fail "client exited $?: $(cat "$WORK/fwd.err")"
srtt=$(json_get "$WORK/fwd.json" \
    'max(s["rtt_us"] for i in j["intervals"] for s in i["streams"] if "rtt_us" in s)')
echo "client sends: max interval SRTT $srtt us"
((srtt < 20000)) || fail "client sends: SRTT $srtt us, want < 20 ms"

"${CLIENT[@]}" >"$WORK/fwd.txt" 2>&1 || fail "text run exited $?"
grep -Eq "$ANNOUNCE" "$WORK/fwd.txt" ||
    fail "the header does not announce the tuning: $(head -3 "$WORK/fwd.txt")"

# -R: the server's own interval lines, last numeric columns
# "... SRTT-us RTO-ms PMTU"
"${CLIENT[@]}" -R --get-server-output >"$WORK/rev.txt" 2>&1 ||
    fail "-R run exited $?: $(cat "$WORK/rev.txt")"
server_srtt=$(awk '/^Server output:/ { s = 1 }
    s && /^\[ +1\] +[0-9.]+-[0-9.]+ +sec/ && $NF ~ /^[0-9]+$/ && NF >= 17 {
        v = $(NF - 2) + 0; if (n == 0 || v > m) m = v; n++ }
    END { if (n == 0) print "none"; else print m }' "$WORK/rev.txt")
echo "-R: max server interval SRTT $server_srtt us"
[[ $server_srtt != none ]] ||
    fail "-R: no server interval lines with SCTP columns: $(cat "$WORK/rev.txt")"
((server_srtt < 20000)) ||
    fail "-R: the server's SRTT is $server_srtt us: it kept delayed SACKs"

"${CLIENT[@]}" --sack-freq 2 -t 1 >"$WORK/user.txt" 2>&1 ||
    fail "--sack-freq 2 run exited $?"
if grep -Eq "$ANNOUNCE" "$WORK/user.txt"; then
    fail "--sack-freq 2: the tuning was applied over the user's choice"
fi

stop_server "$SERVER_PID"
echo "PASS: small paced messages measure the path (SRTT $srtt us; -R $server_srtt us)"
