#!/usr/bin/env bash
# tools/perf-assoc-mem.sh BUILD_DIR N - what one association of a running
# sctpu-perf test costs the perf server, in KiB of resident memory, with
# every association's messages verified.
#
# In a private network namespace (unshare -n, loopback only) it starts
# BUILD_DIR/src/sctpu-perf -s -1 with --max-associations N, reads its
# VmRSS, runs one client process with N associations (sctpu-perf -c
# 127.0.0.1 -P N --verify -l 64 -b 1k -t 4 -J: every association sends a
# 64-byte message about every 0.5 s), waits for the server's "Accepted N
# associations" line (all N said HELLO: the test is about to start),
# reads VmRSS 1 s and 2 s later (the larger kept), then lets the test
# end. The client's -J must show N established, none failed, every
# association's messages verified (none missing, duplicate, corrupt or
# out of order) and the server must exit 0.
#
# On success it prints one line, and exits 0:
#   perf-assoc-mem: N=<n> rss_before_kib=<a> rss_after_kib=<b>
#     kib_per_assoc=<x> setup_p50_ms=<p> setup_p99_ms=<q> connect_s=<s>
#     verified=<v>
# (one line) where x = (b - a) / N with one decimal. Any failure exits
# non-zero with a line on stderr saying what went wrong. tools/bench
# calls this: keep the interface as it is.
set -euo pipefail

usage() {
    echo "usage: $0 BUILD_DIR N   (N associations, 1-10000)" >&2
    exit 2
}
die() {
    echo "perf-assoc-mem: error: $*" >&2
    exit 1
}

[[ $# -eq 2 ]] || usage
BUILD_DIR=$1
N=$2
if ! [[ $N =~ ^[0-9]{1,5}$ ]] || ((10#$N < 1 || 10#$N > 10000)); then
    echo "perf-assoc-mem: N must be a number from 1 to 10000, not '$N'" >&2
    usage
fi
N=$((10#$N))
[[ -d $BUILD_DIR ]] || die "no build directory $BUILD_DIR"
PERF_BIN=$(cd "$BUILD_DIR" && pwd)/src/sctpu-perf
[[ -x $PERF_BIN ]] || die "no sctpu-perf in $BUILD_DIR/src (build first)"

if [[ ${PERF_ASSOC_MEM_IN_NETNS:-} != 1 ]]; then
    command -v unshare >/dev/null || die "unshare (util-linux) is missing"
    unshare -n true 2>/dev/null ||
        die "cannot create a network namespace (unshare -n needs root)"
    PERF_ASSOC_MEM_IN_NETNS=1 exec unshare -n -- bash "$0" "$BUILD_DIR" "$N"
fi
ip link set lo up 2>/dev/null || die "cannot bring loopback up in the netns"

WORK=$(mktemp -d /tmp/perf-assoc-mem.XXXXXX)
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

fail() {
    local f
    for f in "$WORK"/server.log "$WORK"/client.err; do
        echo "--- $(basename "$f") (last lines):" >&2
        tail -5 "$f" >&2 2>/dev/null || true
    done
    die "$*"
}
rss_kib() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status" 2>/dev/null; }
alive() { kill -0 "$1" 2>/dev/null; }

# Set-ups run about 200-1000 a second on a busy 2-core machine; allow far
# more. The client's --timeout bounds each wait of its own.
LIMIT_S=$((60 + N / 20))

"$PERF_BIN" -s -1 --max-associations "$N" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for ((i = 0; i < 200; i++)); do
    grep -q '^Server listening on SCTP port' "$WORK/server.log" && break
    alive "$SERVER_PID" || fail "the server exited at start"
    sleep 0.05
done
grep -q '^Server listening on SCTP port' "$WORK/server.log" ||
    fail "the server did not start listening in 10 s"
sleep 0.5
before=$(rss_kib "$SERVER_PID")
[[ -n $before ]] || fail "cannot read the server's VmRSS"

"$PERF_BIN" -c 127.0.0.1 -P "$N" --verify -l 64 -b 1k -t 4 -i 0 -J \
    --timeout 60 >"$WORK/client.json" 2>"$WORK/client.err" &
CLIENT_PID=$!
deadline=$((SECONDS + LIMIT_S))
if ((N > 16)); then
    ready_re="^Accepted $N associations of test"
else
    ready_re="^Accepted association $N of test"
fi
until grep -q "$ready_re" "$WORK/server.log"; do
    alive "$CLIENT_PID" || fail "the client exited before $N associations were up"
    alive "$SERVER_PID" || fail "the server died with associations opening"
    ((SECONDS < deadline)) || fail "$N associations were not all up in $LIMIT_S s"
    sleep 0.1
done
sleep 1
after=$(rss_kib "$SERVER_PID")
sleep 1
again=$(rss_kib "$SERVER_PID")
[[ -n $after && -n $again ]] || fail "the server died during the test"
((again > after)) && after=$again

rc=0
wait "$CLIENT_PID" || rc=$?
CLIENT_PID=
((rc == 0)) || fail "the client exited $rc"
for ((i = 0; i < 100; i++)); do
    alive "$SERVER_PID" || break
    sleep 0.1
done
rc=0
wait "$SERVER_PID" || rc=$?
SERVER_PID=
((rc == 0)) || fail "the server (-1) exited $rc"

figures=$(python3 - "$WORK/client.json" "$N" <<'PY'
import json, sys
def bad(msg):
    print(msg)  # captured for fail's message
    sys.exit(1)
j = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
c = j["start"]["connect"]
if c["established"] != n or c["failed"] != 0:
    bad("established %d, failed %d of %d" % (c["established"], c["failed"], n))
streams = j["end"]["streams"]
if len(streams) != n:
    bad("%d associations in end.streams, not %d" % (len(streams), n))
for e in streams:
    ss = e["sctp_streams"]
    ver = sum(x["verified"] for x in ss)
    bad = sum(x["missing"] + x["duplicate"] + x["corrupt"] + x["out_of_order"] for x in ss)
    if ver < 1 or bad or ver != e["sender"]["messages"]:
        bad("association %d: %d verified of %d sent, %d bad" %
                 (e["sender"]["socket"], ver, e["sender"]["messages"], bad))
s = c["setup_us"]
print("setup_p50_ms=%.1f setup_p99_ms=%.1f connect_s=%.1f verified=%d" %
      (s["p50"] / 1000, s["p99"] / 1000, c["seconds"], j["end"]["verify"]["verified"]))
PY
) || fail "the client's -J: $figures"

per=$(awk -v a="$before" -v b="$after" -v n="$N" \
    'BEGIN { printf "%.1f", (b - a) / n }')
echo "perf-assoc-mem: N=$N rss_before_kib=$before rss_after_kib=$after kib_per_assoc=$per $figures"
