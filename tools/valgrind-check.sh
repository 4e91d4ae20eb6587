#!/usr/bin/env bash
# tools/valgrind-check.sh BUILD_DIR - run the unit tests and a loopback
# echo (server and client) under valgrind memcheck. Any invalid access,
# use of uninitialised memory or definite leak fails the run.
set -euo pipefail

build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
vg=(valgrind -q --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite --track-origins=yes)

if [[ ${2:-} != --in-netns ]]; then
    for t in "$build"/tests/test_*; do
        [[ -x $t ]] || continue
        echo "valgrind: $(basename "$t")"
        "${vg[@]}" "$t" >/dev/null
    done
    # The echo pair runs in a namespace of its own: fixed ports, no noise.
    exec unshare -n -- bash "$0" "$build" --in-netns
fi

ip link set lo up
work=$(mktemp -d)
trap 'kill -KILL $srv 2>/dev/null || true; rm -rf "$work"' EXIT
"${vg[@]}" "$build/src/sctpu-echo" -s -p 5000 >"$work/srv.log" 2>&1 &
srv=$!
for _ in $(seq 200); do
    grep -q 'sctpu-echo server' "$work/srv.log" && break
    sleep 0.1
done
grep -q 'sctpu-echo server' "$work/srv.log" || {
    cat "$work/srv.log"
    exit 1
}
echo "valgrind: sctpu-echo client and server, 200 messages"
"${vg[@]}" "$build/src/sctpu-echo" -c 127.0.0.1 -p 5000 -n 200 -i 0 \
    -l 1,100,5000,65536 --nstreams 4 -q --timeout 30
kill -TERM "$srv"
rc=0
wait "$srv" || rc=$?
if [[ $rc != 0 ]]; then
    cat "$work/srv.log"
    echo "valgrind: server exited $rc"
    exit 1
fi
echo "valgrind: sctpu-perf client and server, 1 s, 2 associations, --verify"
"${vg[@]}" "$build/src/sctpu-perf" -s -1 -p 5201 >"$work/perf.log" 2>&1 &
srv=$!
for _ in $(seq 200); do
    grep -q 'Server listening' "$work/perf.log" && break
    sleep 0.1
done
"${vg[@]}" "$build/src/sctpu-perf" -c 127.0.0.1 -t 1 -P 2 --nstreams 2 \
    --verify -l 8k -i 0 >/dev/null
rc=0
wait "$srv" || rc=$?
if [[ $rc != 0 ]]; then
    cat "$work/perf.log"
    echo "valgrind: perf server exited $rc"
    exit 1
fi
echo "valgrind: sctpu-echo -s --workers 2, a client from each of 2 addresses"
"${vg[@]}" "$build/src/sctpu-echo" -s -p 5002 --workers 2 >"$work/workers.log" 2>&1 &
srv=$!
for _ in $(seq 200); do
    (($(grep -c 'sctpu-echo server' "$work/workers.log") == 2)) && break
    sleep 0.1
done
for src in 127.0.0.1 127.0.0.2; do
    "${vg[@]}" "$build/src/sctpu-echo" -c 127.0.0.1 -B "$src" -p 5002 -n 50 \
        -i 0 -l 1,1000 -q --timeout 30
done
kill -TERM "$srv"
rc=0
wait "$srv" || rc=$?
if [[ $rc != 0 ]] || (($(grep -c '^\[worker ./2\] served 1 ' "$work/workers.log") != 2)); then
    cat "$work/workers.log"
    echo "valgrind: the --workers 2 server exited $rc, or a worker did not serve one client"
    exit 1
fi
echo "valgrind: clean"
