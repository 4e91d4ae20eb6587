#!/usr/bin/env bash
# tests/tools_smoke.sh - the README's main job and the benchmark still run:
# a change that breaks tools/demo.sh or tools/bench fails CI.
#
#   demo   tools/demo.sh (its own build, in this test's scratch folder):
#          exit 0, the echo run verified, the perf run verified
#   bench  RUNS=1 DURATION=1 tools/bench (its own build too): exit 0, and
#          its report has the sctpu-perf and tsctp rows
#
# Each builds sctpu from scratch, so this runs in one tree only (label
# "tools", left out of the sanitizer run by tools/test-all.sh).
#
# usage: bash tests/tools_smoke.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rc=0
DEMO_BUILD_DIR="$WORK/demo-build" timeout 600 bash "$REPO_DIR/tools/demo.sh" \
    >"$WORK/demo.log" 2>&1 || rc=$?
((rc == 0)) || fail "tools/demo.sh exited $rc: $(tail -30 "$WORK/demo.log")"
grep -Eq '^10 sent, 10 received, 10 verified, 0 lost, 0 corrupt$' \
    "$WORK/demo.log" || fail "demo: the echo run did not verify all 10"
grep -Eq '^Verify: [1-9][0-9]* verified, 0 missing, 0 duplicate, 0 corrupt, 0 out of order$' \
    "$WORK/demo.log" || fail "demo: the perf run did not verify clean"
echo "demo: echo 10/10 verified, perf --verify clean"

rc=0
RUNS=1 DURATION=1 BENCH_NO_INSTALL=1 BENCH_BUILD_DIR="$WORK/bench-build" \
    BENCH_OUT="$WORK/bench-out" timeout 900 "$REPO_DIR/tools/bench" \
    >"$WORK/bench.log" 2>&1 || rc=$?
((rc == 0)) || fail "tools/bench exited $rc: $(tail -30 "$WORK/bench.log")"
grep -q 'tsctp' "$WORK/bench.log" && grep -q 'sctpu-perf' "$WORK/bench.log" ||
    fail "bench: no tsctp or sctpu-perf rows: $(tail -30 "$WORK/bench.log")"
echo "bench: ran ($(grep -c 'tsctp\|sctpu-perf' "$WORK/bench.log") report lines)"
echo "PASS: tools/demo.sh and tools/bench run"
