#!/usr/bin/env bash
# tools/demo.sh - the main job on a fresh machine: install what is needed,
# build, then run an echo server and client, and a short sctpu-perf test,
# over loopback with the default usrsctp backend. Run as root (or with sudo available) on Debian/Ubuntu.
set -euo pipefail
cd "$(dirname "$0")/.."
# DEMO_BUILD_DIR: where to build (default build; tests use their own)
B=${DEMO_BUILD_DIR:-build}
export DEMO_BUILD_DIR=$B

# A namespace of our own (when we may make one) keeps the demo's ports
# free of anything else running here; plain loopback otherwise.
run_demo() {
    local echo=$B/src/sctpu-echo log
    log=$(mktemp)
    $echo -s -p 7 --udp-port 9899 >"$log" 2>&1 &
    local srv=$!
    for _ in $(seq 100); do
        grep -q 'sctpu-echo server' "$log" && break
        sleep 0.05
    done
    echo "== server: $(head -1 "$log")"
    echo "== client: 10 messages of 1 B to 64 KiB over 4 streams"
    local rc=0
    $echo -c 127.0.0.1 -p 7 --udp-port 9899 -n 10 -i 0.05 \
        -l 1,1000,65536 --nstreams 4 || rc=$?
    kill -TERM "$srv"
    wait "$srv" || true
    echo "== server log:"
    cat "$log"

    local perf=$B/src/sctpu-perf
    $perf -s -1 >"$log" 2>&1 &
    srv=$!
    for _ in $(seq 100); do
        grep -q 'Server listening' "$log" && break
        sleep 0.05
    done
    echo "== sctpu-perf: 3 s, 2 associations, 4 streams each, verified"
    $perf -c 127.0.0.1 -t 3 -P 2 --nstreams 4 --verify || rc=$?
    wait "$srv" || true
    rm -f "$log"
    return "$rc"
}

if [[ ${1:-} == --run ]]; then
    ip link set lo up
    run_demo
    exit
fi

bash tools/install-deps.sh build
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCTPU_TESTS=OFF \
    >/dev/null
cmake --build "$B" -j"$(nproc)" >/dev/null
echo "== built: $("$B/src/sctpu-echo" --version | head -2 | paste -sd' ')"
if unshare -n true 2>/dev/null; then
    exec unshare -n -- bash "$0" --run
fi
run_demo
