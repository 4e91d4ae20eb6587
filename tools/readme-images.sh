#!/usr/bin/env bash
# tools/readme-images.sh [BUILD_DIR] - remake the README's pictures
# (docs/img/*.png) from real sctpu-perf runs on loopback: a -P 2 run with
# 1 % loss (--impair), and a clean run beside a 2 % loss run. Each image
# shows what this machine did when it ran; rerun to refresh them.
#
# Needs a built sctpu-perf (default build/) and /usr/bin/python3 with
# matplotlib (tools/install-deps.sh). Uses UDP ports 9451 and up on
# 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
PERF=$BUILD/src/sctpu-perf
[[ -x $PERF ]] || {
    echo "readme-images: $PERF is not built" >&2
    exit 2
}
work=$(mktemp -d)
srv=
cleanup() {
    [[ -n $srv ]] && kill "$srv" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

"$PERF" -s -B 127.0.0.1 -p 5451 --udp-port 9451 >"$work/srv.log" 2>&1 &
srv=$!
for ((i = 0; i < 100; i++)); do
    grep -q '^Server listening' "$work/srv.log" && break
    sleep 0.1
done

run() {
    local name=$1
    shift
    "$PERF" -c 127.0.0.1 -p 5451 --udp-port 9451 -J "$@" >"$work/$name.json"
}

mkdir -p docs/img
# The picture at the top of the README.
run p2loss -t 6 -i 0.5 -P 2 --impair loss=1%,seed=3
/usr/bin/python3 tools/sctpu-plot "$work/p2loss.json" -o docs/img/perf-p2-loss1.png \
    --title 'sctpu-perf -c 127.0.0.1 -t 6 -i 0.5 -P 2 --impair loss=1% (loopback)'

# The comparison in "Plots and sweeps".
run clean -t 6 -i 0.5
run loss5 -t 6 -i 0.5 --impair loss=5%,seed=4
/usr/bin/python3 tools/sctpu-plot "$work/clean.json" "$work/loss5.json" \
    --label 'no loss' --label "5 % loss" -o docs/img/perf-compare-loss.png \
    --title 'sctpu-perf -t 6 -i 0.5, without and with --impair loss=5% (loopback)'
ls -l docs/img/*.png
