#!/usr/bin/env bash
# plot_sweep.sh - tools/sctpu-sweep runs a real sweep and summarises it.
#
# A tiny grid, 2 message sizes x 1 stream count x 2 loss rates, 1 s each
# (every run with a server of its own on a free loopback port, in this
# test's network namespace), then:
#   csv     summary.csv has exactly the documented header, one row per
#           run in the grid's order, every run ok with exit code 0, and
#           sane numbers: both rates positive (within 10 % of each
#           other without loss), bytes sent == bytes received, the
#           message count matching bytes / length, an SRTT, and the
#           impairment's drops only where loss > 0, with retransmissions
#           there
#   files   each row's -J document is there and sctpu-plot draws it
#   plot    summary.png is a real, non-blank image
#   args    bad lists, a missing sctpu-perf, an options clash after --,
#           an output directory already holding a summary: exit 2 and a
#           message, no runs
#
# usage: bash tests/plot_sweep.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
SWEEP="$REPO_DIR/tools/sctpu-sweep"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
/usr/bin/python3 -c 'import matplotlib, numpy, PIL' 2>/dev/null ||
    skip "/usr/bin/python3 has no matplotlib (tools/install-deps.sh installs python3-matplotlib)"

OUT=$WORK/sweep
RC=0
timeout 300 /usr/bin/python3 "$SWEEP" --perf "$PERF_BIN" -l 1k,64k \
    --nstreams 2 --loss 0,2 -t 1 -o "$OUT" >"$WORK/sweep.out" \
    2>"$WORK/sweep.err" || RC=$?
cat "$WORK/sweep.err"
((RC == 0)) || {
    show "$WORK/sweep.out" "$OUT"/*.err "$OUT"/*.server.log
    fail "sctpu-sweep exited $RC"
}

/usr/bin/python3 - "$OUT" <<'PY' || fail "summary.csv is wrong"
import csv, json, os, sys
out = sys.argv[1]
want_header = ("run,length,nstreams,loss_pct,duration_s,status,exit_code,"
               "sent_bps,received_bps,sent_bytes,received_bytes,messages,"
               "retransmits,rtx_timeouts,rtt_mean_us,rtt_max_us,"
               "impair_dropped,sacks_with_gaps,cpu_client_pct,"
               "cpu_server_pct,json,error")
with open(os.path.join(out, "summary.csv")) as f:
    lines = f.read().splitlines()
errors = []
if lines[0] != want_header:
    errors.append(f"header is\n  {lines[0]}\nwant\n  {want_header}")
rows = list(csv.DictReader(lines))
grid = [(1024, 0.0), (1024, 2.0), (65536, 0.0), (65536, 2.0)]
if len(rows) != len(grid):
    errors.append(f"{len(rows)} rows, want {len(grid)}")
for i, (r, (length, loss)) in enumerate(zip(rows, grid), 1):
    def bad(msg):
        errors.append(f"run {i}: {msg}: {r}")
    if (int(r["run"]), int(r["length"]), int(r["nstreams"]),
            float(r["loss_pct"]), float(r["duration_s"])) != (
            i, length, 2, loss, 1.0):
        bad(f"parameters, want -l {length} --nstreams 2 loss {loss} -t 1")
    if r["status"] != "ok" or r["exit_code"] != "0" or r["error"]:
        bad("not ok")
        continue
    sent, recv = float(r["sent_bps"]), float(r["received_bps"])
    # Same bytes, but the receiver's period runs to its last data: after
    # a loss near the end that waits out a T3-rtx timeout (RTO.Min 1 s),
    # a second longer than the sender's. Without loss the two agree.
    if not (sent > 1e5 and recv > 1e5 and recv <= 1.1 * sent):
        bad(f"rates {sent} / {recv}")
    if loss == 0 and abs(sent - recv) > 0.1 * sent:
        bad(f"rates {sent} / {recv} differ by over 10 % without loss")
    if int(r["sent_bytes"]) != int(r["received_bytes"]) or \
            int(r["sent_bytes"]) <= 0:
        bad("bytes sent != received")
    if int(r["messages"]) * length != int(r["received_bytes"]):
        bad("messages x length != bytes")
    if not 0 < float(r["rtt_mean_us"]) <= float(r["rtt_max_us"]) < 5e6:
        bad("SRTT")
    dropped, rtx = int(r["impair_dropped"]), int(r["retransmits"])
    if loss == 0 and dropped != 0:
        bad("drops without --impair")
    if loss > 0 and (dropped == 0 or rtx == 0):
        bad("2 % loss dropped or retransmitted nothing")
    doc = json.load(open(os.path.join(out, r["json"])))
    if doc["end"]["sum_received"]["bytes"] != int(r["received_bytes"]):
        bad("received_bytes differs from its -J document")
    if doc["start"]["test_start"]["sctp_streams"] != 2:
        bad("the run did not use --nstreams 2")
    imp = doc["end"]["impair"]
    if (loss > 0) != (imp is not None) or (
            imp and f"loss={loss:g}%" not in imp["spec"]):
        bad(f"the run's --impair was {imp and imp['spec']}")
for e in errors:
    print("summary.csv:", e, file=sys.stderr)
print(f"summary.csv: {len(rows)} rows checked")
sys.exit(1 if errors else 0)
PY

/usr/bin/python3 "$TESTS_DIR/image_check.py" "$OUT/summary.png" 800 300 ||
    fail "summary.png is not a usable image"
/usr/bin/python3 "$REPO_DIR/tools/sctpu-plot" "$OUT"/run-001.json \
    "$OUT"/run-004.json -o "$WORK/two.png" || fail "sctpu-plot cannot draw the sweep's runs"
/usr/bin/python3 "$TESTS_DIR/image_check.py" "$WORK/two.png" 800 600 ||
    fail "two.png is not a usable image"

# bad_args REGEX ARGS...: exit 2 with REGEX on stderr, and no run made.
bad_args() {
    local re=$1
    shift
    RC=0
    /usr/bin/python3 "$SWEEP" "$@" >"$WORK/bad.out" 2>"$WORK/bad.err" || RC=$?
    if ((RC != 2)) || ! grep -Eq -- "$re" "$WORK/bad.err"; then
        show "$WORK/bad.out" "$WORK/bad.err"
        fail "sctpu-sweep $*: exit $RC, want 2 and /$re/"
    fi
    grep -q Traceback "$WORK/bad.err" && fail "sctpu-sweep $* crashed"
    [[ ! -e $WORK/bad/summary.csv ]] || fail "sctpu-sweep $* ran anyway"
    echo "refused as expected: $(tail -n 1 "$WORK/bad.err")"
}
bad_args "'x' is not a size" --perf "$PERF_BIN" -l 1k,x -o "$WORK/bad"
bad_args "'abc' is not a loss rate" --perf "$PERF_BIN" --loss 0,abc -o "$WORK/bad"
bad_args "loss must be 0-99.9" --perf "$PERF_BIN" --loss 100 -o "$WORK/bad"
bad_args "each must be 1 or more" --perf "$PERF_BIN" --nstreams 0 -o "$WORK/bad"
bad_args "duration must be 1-3600" --perf "$PERF_BIN" -t 0.5 -o "$WORK/bad"
bad_args "not an executable file" --perf "$WORK/nosuch" -o "$WORK/bad"
bad_args "'-t' after --: sctpu-sweep sets it itself" --perf "$PERF_BIN" \
    -o "$WORK/bad" -- -t 5
bad_args "summary.csv exists" --perf "$PERF_BIN" -o "$OUT"
echo "PASS"
