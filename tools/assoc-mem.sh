#!/usr/bin/env bash
# tools/assoc-mem.sh BUILD_DIR N - what one idle association costs the
# echo server, in KiB of resident memory.
#
# In a private network namespace (unshare -n, loopback only) it starts
# BUILD_DIR/src/sctpu-echo -s with its caps raised to N associations
# (and no idle timeout), reads the server's VmRSS, opens N associations
# from one client process (sctpu-echo -c 127.0.0.1 -P N --hold: one
# message each, every echo verified, then all of them idle), waits until
# the client has all N up and verified and the server has logged N
# associations, reads VmRSS again (twice, 1 s apart, the larger kept:
# nothing may still be settling), then ends the hold (SIGINT: every
# association shuts down gracefully) and stops the server, whose summary
# must say it served N associations.
#
# On success it prints one line, and exits 0:
#   assoc-mem: N=<n> rss_before_kib=<a> rss_after_kib=<b> kib_per_assoc=<x>
# where x = (b - a) / N with one decimal. Any failure exits non-zero with
# a line on stderr saying what went wrong. tools/bench calls this: keep
# the interface as it is.
set -euo pipefail

usage() {
    echo "usage: $0 BUILD_DIR N   (N associations, 1-16384)" >&2
    exit 2
}
die() {
    echo "assoc-mem: error: $*" >&2
    exit 1
}

[[ $# -eq 2 ]] || usage
BUILD_DIR=$1
N=$2
if ! [[ $N =~ ^[0-9]{1,6}$ ]] || ((10#$N < 1 || 10#$N > 16384)); then
    echo "assoc-mem: N must be a number from 1 to 16384, not '$N'" >&2
    usage
fi
N=$((10#$N))
[[ -d $BUILD_DIR ]] || die "no build directory $BUILD_DIR"
ECHO_BIN=$(cd "$BUILD_DIR" && pwd)/src/sctpu-echo
[[ -x $ECHO_BIN ]] || die "no sctpu-echo in $BUILD_DIR/src (build first)"

# A private network namespace: fixed ports, nothing leaves the machine.
if [[ ${ASSOC_MEM_IN_NETNS:-} != 1 ]]; then
    command -v unshare >/dev/null || die "unshare (util-linux) is missing"
    unshare -n true 2>/dev/null ||
        die "cannot create a network namespace (unshare -n needs root)"
    ASSOC_MEM_IN_NETNS=1 exec unshare -n -- bash "$0" "$BUILD_DIR" "$N"
fi
ip link set lo up 2>/dev/null || die "cannot bring loopback up in the netns"

WORK=$(mktemp -d /tmp/assoc-mem.XXXXXX)
SERVER_PID=
CLIENT_PID=
cleanup() {
    [[ -n $CLIENT_PID ]] && kill -KILL "$CLIENT_PID" 2>/dev/null
    [[ -n $SERVER_PID ]] && kill -KILL "$SERVER_PID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# show_logs: what the two programs said, for a failure.
show_logs() {
    local f
    for f in "$WORK"/server.log "$WORK"/client.log; do
        echo "--- $(basename "$f") (last lines):" >&2
        tail -5 "$f" >&2 2>/dev/null || true
    done
}
fail() {
    show_logs
    die "$*"
}
rss_kib() { # VmRSS of PID, in KiB
    awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status" 2>/dev/null
}
alive() { kill -0 "$1" 2>/dev/null; }
count_lines() { # count_lines REGEX FILE
    grep -cE -- "$1" "$2" 2>/dev/null || true
}

# Handshakes take about 2 ms each on a quiet machine; allow far more.
LIMIT_S=$((60 + N / 50))

"$ECHO_BIN" -s --max-associations "$N" --idle-timeout 0 \
    >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for ((i = 0; i < 200; i++)); do
    grep -q 'sctpu-echo server: SCTP port' "$WORK/server.log" && break
    alive "$SERVER_PID" || fail "the server exited at start"
    sleep 0.05
done
grep -q 'sctpu-echo server: SCTP port' "$WORK/server.log" ||
    fail "the server did not start listening in 10 s"
sleep 0.5 # let it settle
before=$(rss_kib "$SERVER_PID")
[[ -n $before ]] || fail "cannot read the server's VmRSS"

# -q: no progress lines; the hold outlasts any measurement (SIGINT ends it)
"$ECHO_BIN" -c 127.0.0.1 -P "$N" --hold 86400 -q --timeout 30 \
    >"$WORK/client.log" 2>&1 &
CLIENT_PID=$!
deadline=$((SECONDS + LIMIT_S))
while :; do
    if grep -q '^holding ' "$WORK/client.log" &&
        (($(count_lines '^\[ *[0-9]+\] association from ' \
            "$WORK/server.log") >= N)); then
        break
    fi
    alive "$CLIENT_PID" || fail "the client exited before holding $N associations"
    alive "$SERVER_PID" || fail "the server died with associations opening"
    ((SECONDS < deadline)) ||
        fail "$N associations were not all up and verified in $LIMIT_S s"
    sleep 0.2
done
up=$(count_lines '^\[ *[0-9]+\] association from ' "$WORK/server.log")
((up == N)) || fail "the server logged $up associations, not $N"
sleep 1
after=$(rss_kib "$SERVER_PID")
sleep 1
again=$(rss_kib "$SERVER_PID")
[[ -n $after && -n $again ]] || fail "the server died while idle"
((again > after)) && after=$again

# End the hold: every association shuts down gracefully, the client exits 0.
kill -INT "$CLIENT_PID"
rc=0
wait "$CLIENT_PID" || rc=$?
CLIENT_PID=
((rc == 0)) || fail "the client exited $rc after the hold"
grep -q "^associations: $N of $N up, $N verified, $N closed gracefully" \
    "$WORK/client.log" || fail "the client's summary is not all $N verified and closed"
kill -INT "$SERVER_PID"
rc=0
wait "$SERVER_PID" || rc=$?
SERVER_PID=
((rc == 0)) || fail "the server exited $rc"
grep -q "^served $N associations" "$WORK/server.log" ||
    fail "the server's summary does not say it served $N associations"

per=$(awk -v a="$before" -v b="$after" -v n="$N" \
    'BEGIN { printf "%.1f", (b - a) / n }')
echo "assoc-mem: N=$N rss_before_kib=$before rss_after_kib=$after kib_per_assoc=$per"
