#!/usr/bin/env bash
# tests/tools_smoke.sh - the README's main job and the benchmark still run:
# a change that breaks tools/demo.sh or tools/bench fails CI.
#
#   demo   tools/demo.sh (its own build, in this test's scratch folder):
#          exit 0, the echo run verified, the perf run verified
#   bench  RUNS=1 DURATION=1 BENCH_ASSOC_N=200 tools/bench (its own build
#          too): exit 0, and every case (tsctp, sctpu-perf, --mtu 1500,
#          iperf3 UDP and TCP, GSO UDP, sctpu-echo and sockperf RTT, memory
#          per association, server cores) has a figure: none skipped,
#          none failed; and the Targets table has a verdict on every line
#   udp_gso_ref  the bench's raw-UDP helper refuses bad arguments (exit 2,
#          a message) and answers --help
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
RUNS=1 DURATION=1 BENCH_ASSOC_N=200 BENCH_NO_INSTALL=1 \
    BENCH_BUILD_DIR="$WORK/bench-build" BENCH_OUT="$WORK/bench-out" \
    timeout 900 "$REPO_DIR/tools/bench" \
    >"$WORK/bench.log" 2>&1 || rc=$?
((rc == 0)) || fail "tools/bench exited $rc: $(tail -30 "$WORK/bench.log")"
# Every case ran (tools/install-deps.sh installs iperf3 and sockperf): one
# OK row per case in results.tsv, no SKIP, no FAIL: 4 sctpu/tsctp cases x 2
# sizes, --impair with the layer engaged, iperf3's UDP and TCP
# references, the GSO UDP reference, both RTT cases, the memory cases
# (tools/assoc-mem.sh, tools/perf-assoc-mem.sh) and the cores cases
# (one server worker, then --workers 2: receive rate and CPU per Gbit).
results=$(find "$WORK/bench-out" -name results.tsv | head -1)
[[ -f $results ]] || fail "bench: no results.tsv under $WORK/bench-out"
awk -F'\t' '$3 != "OK" { bad = bad $2 " " $3 ": " $4 "; " }
             END { if (bad != "") { print bad; exit 1 } }' "$results" ||
    fail "bench: a case did not run: $(awk -F'\t' '$3 != "OK"' "$results")"
for key in tsctp-1024 tsctp-65536 sctpu-1024 sctpu-65536 mtu-1024 mtu-65536 \
    imp0-1024 imp0-65536 impon-1024 \
    iperf-udp iperf-tcp gso-udp echo-rtt sockperf-rtt assoc-mem perf-assoc-mem \
    cores1 cores2 cores1-cpu cores2-cpu; do
    awk -F'\t' -v k="$key" '$2 == k && $3 == "OK" && $4 > 0 { found = 1 }
                            END { exit !found }' "$results" ||
        fail "bench: no OK figure for $key: $(cat "$results")"
done
# The Targets table judged every line: "met" or "NOT MET", none "n/a".
targets=$(sed -n '/^Targets/,/^  -- /p' "$WORK/bench.log")
[[ -n $targets ]] || fail "bench: no Targets table in its output"
! grep -q ' n/a' <<<"$targets" ||
    fail "bench: a target has no figure: $targets"
grep -Eq '^  -- [0-9]+ met, [0-9]+ not met, 0 without a figure$' <<<"$targets" ||
    fail "bench: the Targets table's summary is not as expected: $targets"
echo "bench: every case ran ($(wc -l <"$results") rows, iperf3 and sockperf included)"

# The raw-UDP helper: clear errors on bad arguments, never a hang.
ref="$WORK/bench-build/tools/udp_gso_ref"
[[ -x $ref ]] || fail "no $ref after the bench's build"
for args in "" "-s -c 127.0.0.1" "-c 127.0.0.1 -l 0" "-c 127.0.0.1 -p 0" \
    "-c 127.0.0.1 -t 0" "-s -B 127.0.0.1 --wait x" "-c 127.0.0.1 extra"; do
    rc=0
    # shellcheck disable=SC2086 # split on purpose
    timeout 10 "$ref" $args >"$WORK/ref.out" 2>"$WORK/ref.err" || rc=$?
    ((rc == 2)) || fail "udp_gso_ref $args: exit $rc, expected 2"
    grep -q '^udp_gso_ref: ' "$WORK/ref.err" ||
        fail "udp_gso_ref $args: no error message: $(cat "$WORK/ref.err")"
done
"$ref" --help | grep -q '^usage: udp_gso_ref' || fail "udp_gso_ref --help"
echo "udp_gso_ref: bad arguments refused with a message"
echo "PASS: tools/demo.sh and tools/bench run"
