#!/usr/bin/env bash
# plot_perf.sh - tools/sctpu-plot draws real sctpu-perf -J results.
#
# Two real 2-second runs on loopback (in this test's own network
# namespace), one clean and one with -P 2 and 2 % loss (--impair), and one
# --stream run; then:
#   png        one run to PNG: signature, IHDR size, plausible file size,
#              and not blank (tests/image_check.py decodes the pixels)
#   svg        the same run to SVG: well-formed, sized, drawn elements, and
#              the panel titles are there as text
#   loss       the -P 2 loss run: its image differs from the clean one's,
#              and the SVG names both associations and the retransmissions
#   stream     --stream's per-stream latency panel appears
#   jstream    a --json-stream run's lines make one run's image
#   compare    both runs side by side, with --label: both labels appear
#   errors     garbage, empty, a JSON array, an iperf3 document, a real
#              failed run's document (with "error"), a real -i 0 run (no
#              intervals), a missing file, a bad -o extension, a --label
#              count that does not match: each exits non-zero with a
#              message naming the problem, and writes no image
#   odd        fields of the wrong type: drawn without them, or refused
#              with a message, never a traceback
#   checker    image_check.py itself rejects a blank image
#
# usage: bash tests/plot_perf.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
PLOT="$REPO_DIR/tools/sctpu-plot"
CHECK="$TESTS_DIR/image_check.py"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
/usr/bin/python3 -c 'import matplotlib, numpy, PIL' 2>/dev/null ||
    skip "/usr/bin/python3 has no matplotlib (tools/install-deps.sh installs python3-matplotlib)"

# Ports of our own: this netns is private, but keep clear of the defaults.
PORT=5431 UDP=9431
start_perf_server srv -p "$PORT" --udp-port "$UDP"

# perf NAME ARGS...: one bounded client run, -J to $WORK/NAME.json.
perf() {
    local name=$1
    shift
    run_bounded 60 "$name" "$PERF_BIN" -c 127.0.0.1 -p "$PORT" \
        --udp-port "$UDP" -J "$@"
    cp "$WORK/$name.out" "$WORK/$name.json"
}

perf clean -t 2 -i 0.5
want_rc clean 0
perf loss -t 2 -i 0.5 -P 2 --impair loss=2%,seed=7
want_rc loss 0
perf stream -t 2 -i 0.5 --stream 0:len=200,rate=200k --stream 1:len=8k,rate=2M
want_rc stream 0

# The loss run really lost and retransmitted: else its plot shows nothing
# of what it is for.
rtx=$(json_get "$WORK/loss.json" 'j["end"]["sum_sent"]["retransmits"]')
((rtx > 0)) || fail "the 2 % loss run retransmitted nothing"

# plot ARGS...: run sctpu-plot, status in RC, output in $WORK/plot.out/.err.
plot() {
    RC=0
    /usr/bin/python3 "$PLOT" "$@" >"$WORK/plot.out" 2>"$WORK/plot.err" || RC=$?
}

ok_plot() {
    plot "$@"
    ((RC == 0)) || {
        show "$WORK/plot.out" "$WORK/plot.err"
        fail "sctpu-plot $* exited $RC"
    }
}

# image OUT MINW MINH: tests/image_check.py passes OUT.
image() {
    /usr/bin/python3 "$CHECK" "$@" || fail "$1 is not a usable image"
}

# --- png / svg
ok_plot "$WORK/clean.json" -o "$WORK/clean.png"
image "$WORK/clean.png" 800 600
ok_plot "$WORK/clean.json" -o "$WORK/clean.svg"
image "$WORK/clean.svg" 800 600
for t in 'Throughput per interval' 'Smoothed RTT' 'Retransmissions per interval' \
    'Congestion window' 'assoc 1' 'sum'; do
    grep -qF "$t" "$WORK/clean.svg" || fail "clean.svg has no '$t'"
done

# --- loss: -P 2, retransmissions
ok_plot "$WORK/loss.json" -o "$WORK/loss.png"
image "$WORK/loss.png" 800 600
cmp -s "$WORK/clean.png" "$WORK/loss.png" &&
    fail "the clean and the loss run drew the same image"
ok_plot "$WORK/loss.json" -o "$WORK/loss.svg"
grep -qF 'assoc 2' "$WORK/loss.svg" || fail "loss.svg has no line for association 2"
grep -qF 'DATA chunks retransmitted' "$WORK/loss.svg" ||
    fail "loss.svg has no retransmission bars"
grep -qF 'no retransmissions' "$WORK/loss.svg" &&
    fail "loss.svg says 'no retransmissions' after $rtx of them"
grep -qF 'no retransmissions' "$WORK/clean.svg" ||
    json_get "$WORK/clean.json" 'j["end"]["sum_sent"]["retransmits"] > 0' |
    grep -q True || fail "clean.svg does not say 'no retransmissions'"

# --- stream: per-stream latency bars
ok_plot "$WORK/stream.json" -o "$WORK/stream.svg"
grep -qF 'One-way latency per stream' "$WORK/stream.svg" ||
    fail "stream.svg has no per-stream latency panel"

# --- --json-stream lines are read as the document they make up
run_bounded 60 jstream "$PERF_BIN" -c 127.0.0.1 -p "$PORT" --udp-port "$UDP" \
    --json-stream -t 1 -i 0.25
want_rc jstream 0
cp "$WORK/jstream.out" "$WORK/jstream.jsonl"
ok_plot "$WORK/jstream.jsonl" -o "$WORK/jstream.svg"
grep -q '(1 run)' "$WORK/plot.out" || fail "--json-stream input was not one run"
image "$WORK/jstream.svg" 800 600

# --- compare two runs
ok_plot "$WORK/clean.json" "$WORK/loss.json" --label 'no loss' \
    --label '2 % loss' -o "$WORK/cmp.png"
image "$WORK/cmp.png" 800 600
grep -q '(2 runs)' "$WORK/plot.out" || fail "sctpu-plot did not say it drew 2 runs"
ok_plot "$WORK/clean.json" "$WORK/loss.json" --label 'no loss' \
    --label '2 % loss' -o "$WORK/cmp.svg"
image "$WORK/cmp.svg" 800 600
for t in 'no loss' '2 % loss' 'Average throughput'; do
    grep -qF "$t" "$WORK/cmp.svg" || fail "cmp.svg has no '$t'"
done

# --- errors: real failed documents first
# Nobody listens on UDP 9432: the run fails and -J says why in "error".
perf failed -t 1 --udp-port 9432 --timeout 2
((RC != 0)) || fail "a client with no server exited 0"
grep -q '"error"' "$WORK/failed.json" || {
    show "$WORK/failed.json" "$WORK/failed.err"
    fail "the failed run's -J has no \"error\""
}
perf nointerval -t 1 -i 0
want_rc nointerval 0

printf 'garbage\x01\x02 not json\n' >"$WORK/garbage.json"
: >"$WORK/empty.json"
echo '[1, 2, 3]' >"$WORK/array.json"
echo '{"start": {"version": "iperf 3.12"}, "intervals": [], "end": {}}' \
    >"$WORK/iperf3.json"

# bad_input WANT_STATUS REGEX ARGS...: sctpu-plot exits WANT_STATUS, says
# REGEX on stderr, and leaves no image behind.
bad_input() {
    local want=$1 re=$2
    shift 2
    rm -f "$WORK/bad.png"
    plot "$@"
    if ((RC != want)) || ! grep -Eq -- "$re" "$WORK/plot.err"; then
        show "$WORK/plot.out" "$WORK/plot.err"
        fail "sctpu-plot $*: exit $RC, want $want and /$re/"
    fi
    [[ ! -e $WORK/bad.png ]] || fail "sctpu-plot $* wrote an image anyway"
    grep -q Traceback "$WORK/plot.err" && fail "sctpu-plot $* crashed"
    echo "refused as expected: $(head -n 1 "$WORK/plot.err")"
}
bad_input 1 'garbage.json: not valid JSON' "$WORK/garbage.json" -o "$WORK/bad.png"
bad_input 1 'empty.json: empty file' "$WORK/empty.json" -o "$WORK/bad.png"
bad_input 1 'array.json: a JSON list, not an sctpu-perf' "$WORK/array.json" \
    -o "$WORK/bad.png"
bad_input 1 "iperf3.json: not an sctpu-perf -J document .*'iperf 3.12'" \
    "$WORK/iperf3.json" -o "$WORK/bad.png"
bad_input 1 'failed.json: the test failed: ' "$WORK/failed.json" -o "$WORK/bad.png"
bad_input 1 'nointerval.json: no intervals to plot' "$WORK/nointerval.json" \
    -o "$WORK/bad.png"
# Fields of the wrong type read as absent: the rest is still drawn.
/usr/bin/python3 - "$WORK/loss.json" "$WORK/odd.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for iv in d["intervals"]:
    iv["sum"] = None
    for row in iv["streams"]:
        row["rtt_us"] = "x"
        row["snd_cwnd"] = [1]
d["end"]["streams"] = 5
d["end"]["sctp_streams"] = {"a": 1}
json.dump(d, open(sys.argv[2], "w"))
PY
ok_plot "$WORK/odd.json" -o "$WORK/odd.png"
image "$WORK/odd.png" 800 300
printf '%s\n' '{"start": {"version": "sctpu-perf 0.1.0"},' \
    '"intervals": [{"streams": [{"socket": [1], "start": 0, "end": 1,' \
    '"bits_per_second": 5}]}]}' >"$WORK/odd2.json"
bad_input 1 'odd2.json: a malformed field' "$WORK/odd2.json" -o "$WORK/bad.png"
bad_input 1 'nosuch.json: cannot read' "$WORK/nosuch.json" -o "$WORK/bad.png"
# One bad input among good ones still fails the whole plot.
bad_input 1 'garbage.json: not valid JSON' "$WORK/clean.json" \
    "$WORK/garbage.json" -o "$WORK/bad.png"
bad_input 2 'must end in .png or .svg' "$WORK/clean.json" -o "$WORK/bad.jpg"
bad_input 2 '1 --label for 2 inputs' "$WORK/clean.json" "$WORK/loss.json" \
    --label x -o "$WORK/bad.png"
bad_input 2 'required: -o' "$WORK/clean.json"

plot --help
if ((RC != 0)) || ! grep -q 'usage: sctpu-plot' "$WORK/plot.out"; then
    fail "sctpu-plot --help: exit $RC, or no usage line"
fi

# --- checker: a blank image of the same size must not pass.
/usr/bin/python3 - "$WORK/blank.png" <<'PY'
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
plt.figure(figsize=(11, 9)).savefig(sys.argv[1], dpi=100)
PY
/usr/bin/python3 "$CHECK" "$WORK/blank.png" 800 600 2>"$WORK/check.err" &&
    fail "image_check.py passed a blank image"
cat "$WORK/check.err"

stop_server "$SERVER_PID"
echo "PASS"
