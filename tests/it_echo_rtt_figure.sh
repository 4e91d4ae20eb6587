#!/usr/bin/env bash
# The README's "1 KiB echo round trip" figure, reproduced: 5 runs of
# `sctpu-echo -c 127.0.0.1 -n 10000 -i 0 -l 1k -q` against `sctpu-echo -s`
# in a private network namespace, and the medians of their p50 and p99.
# It prints the figure (FIGURE: ...) for the README; what it asserts is
# that every run verified all 10,000 echoes and that the percentiles are
# ordered and sane (p50 under 5 ms even under a sanitizer on a loaded
# 2-core machine): a timing gate would only measure the machine.
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"

start_echo_server srv
for run in 1 2 3 4 5; do
    $SCTPU_WRAP "$ECHO_BIN" -c 127.0.0.1 -n 10000 -i 0 -l 1k -q -J \
        >"$WORK/run$run.json" 2>"$WORK/run$run.err" ||
        fail "run $run exited $?: $(cat "$WORK/run$run.err")"
done
python3 - "$WORK" <<'PY' || fail "see above"
import json, statistics, sys
runs = [json.load(open(f"{sys.argv[1]}/run{i}.json")) for i in range(1, 6)]
for i, r in enumerate(runs, 1):
    assert r["sent"] == 10000 and r["verified"] == 10000, (i, r)
    assert r["lost"] == 0 and r["corrupt"] == 0, (i, r)
    t = r["rtt_us"]
    assert 0 < t["min"] <= t["p50"] <= t["p99"] <= t["max"], (i, t)
    assert t["p50"] < 5000, (i, t)
p50 = statistics.median(r["rtt_us"]["p50"] for r in runs)
p99 = statistics.median(r["rtt_us"]["p99"] for r in runs)
print(f"FIGURE: 1 KiB echo round trip, median of 5 runs: p50 {p50:g} us, "
      f"p99 {p99:g} us")
PY
echo "PASS: 5 x 10,000 1 KiB echoes verified"
