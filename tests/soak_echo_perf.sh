#!/usr/bin/env bash
# soak_echo_perf.sh - SOAK_SECONDS (default 600) of echo clients coming
# and going and perf tests in between, against one echo server and one
# perf server: memory flat, nothing leaked, every client verified.
#
# On loopback in a private netns:
#   - SOAK_CLIENTS (50) slots, started 0.1 s apart; each runs one
#     sctpu-echo client after another (-n 20-199 random, -i 0.05, sizes
#     1-1000, 4 streams), so associations open and close all the time;
#   - one loop of sctpu-perf clients: -t 2 --verify -b 50M, every third
#     with -R, every fourth with -P 2, one second apart;
#   - both servers' VmRSS sampled every 10 s and printed as a curve.
# Asserted at the end:
#   - every client exited 0; every echo report verified all it sent; every
#     perf report has end.verify corrupt/missing/duplicate/out_of_order 0;
#   - RSS flat after warm-up, for each server: the samples after the first
#     20 % (warm-up: allocator arenas, usrsctp's pools and the peer table
#     reach their working size) split in thirds, and the last third's max
#     <= the first third's max * 1.2 + 2 MiB. A leak of one small object
#     per association (thousands of them) or per datagram grows without
#     end and fails; allocator noise (a few hundred kB) does not;
#   - no association left: the echo server logged as many ends as
#     associations, and its exit summary's peer table line says 0 with
#     associations (the perf server's too, when it prints one).
# One "FIGURE: soak ..." line: duration, clients run, RSS first/last.
#
# SOAK_VALGRIND=1 runs both servers under valgrind (memcheck, leaks) with
# 10 client slots; the servers must exit 0 (--error-exitcode=99): used by
# tools/test-all.sh's valgrind step with SOAK_SECONDS=60. The RSS bound
# is not applied there (valgrind's own memory).
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

DURATION=${SOAK_SECONDS:-600}
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || fail "SOAK_SECONDS '$DURATION' is not a number"
CLIENTS=${SOAK_CLIENTS:-50}
PERF_BIN=$BUILD_DIR/src/sctpu-perf
STRICT=1
if [[ ${SOAK_VALGRIND:-} == 1 ]]; then
    command -v valgrind >/dev/null || skip "valgrind is missing"
    SCTPU_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
    CLIENTS=${SOAK_CLIENTS:-10}
    STRICT=0
fi
grep -q '^SCTPU_SANITIZE:BOOL=ON' "$BUILD_DIR/CMakeCache.txt" && STRICT=0

# stop_server_slow PID: SIGTERM, then up to 60 s (valgrind checks for
# leaks at exit); returns the server's exit status.
stop_server_slow() {
    local pid=$1 i rc=0
    kill -TERM "$pid"
    for ((i = 0; i < 1200; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$pid" 2>/dev/null && fail "server $pid ignored SIGTERM for 60 s"
    wait "$pid" || rc=$?
    return "$rc"
}

start_echo_server echo --udp-port 9899
ECHO_PID=$SERVER_PID
start_perf_server perf --udp-port 9900
PERF_PID=$SERVER_PID
# Clients never run under the wrapper: only the servers are soaked.
WRAP=$SCTPU_WRAP
SCTPU_WRAP=

END=$((SECONDS + DURATION))
mkdir -p "$WORK/echo" "$WORK/perf"

# echo_slot N: echo clients one after another until the end.
echo_slot() {
    local slot=$1 k=0 rc
    sleep "$(printf '0.%02d' $((slot % 100)))"
    while ((SECONDS < END)); do
        rc=0
        "$ECHO_BIN" -c 127.0.0.1 --udp-port 9899 -n $((20 + RANDOM % 180)) \
            -i 0.05 -l 1,100,1000 --nstreams 4 -q -J \
            >"$WORK/echo/$slot-$k.json" 2>"$WORK/echo/$slot-$k.err" || rc=$?
        echo "$rc" >"$WORK/echo/$slot-$k.rc"
        k=$((k + 1))
    done
}

# perf_loop: perf tests one after another until the end.
perf_loop() {
    local k=0 rc args
    while ((SECONDS < END)); do
        args=(-t 2 --verify -b 50M -l 8k)
        ((k % 3 == 2)) && args+=(-R)
        ((k % 4 == 3)) && args+=(-P 2)
        rc=0
        "$PERF_BIN" -c 127.0.0.1 --udp-port 9900 -J "${args[@]}" \
            >"$WORK/perf/$k.json" 2>"$WORK/perf/$k.err" || rc=$?
        # The server is busy until the last test's associations are gone.
        if ((rc == 1)) && grep -q 'server is busy' "$WORK/perf/$k.err"; then
            rm -f "$WORK/perf/$k.json" "$WORK/perf/$k.err"
            sleep 0.2
            continue
        fi
        echo "$rc ${args[*]}" >"$WORK/perf/$k.rc"
        k=$((k + 1))
        sleep 1
    done
}

LOOPS=()
for ((s = 0; s < CLIENTS; s++)); do
    echo_slot "$s" &
    LOOPS+=("$!")
    PIDS+=("$!")
done
perf_loop &
LOOPS+=("$!")
PIDS+=("$!")

# The RSS curve: one sample every 10 s, both servers.
echo "t_s echo_rss_kB perf_rss_kB"
: >"$WORK/rss.txt"
t0=$SECONDS
while ((SECONDS < END)); do
    e=$(proc_kb "$ECHO_PID" VmRSS)
    p=$(proc_kb "$PERF_PID" VmRSS)
    [[ -n $e && -n $p ]] || fail "a server died (echo '$e' kB, perf '$p' kB)"
    echo "$((SECONDS - t0)) $e $p" | tee -a "$WORK/rss.txt"
    sleep 10
done
# The loops end after their current client (bounded by -n and -t).
for pid in "${LOOPS[@]}"; do
    wait "$pid" || fail "a client loop failed"
done

FAILED=0
failed() {
    echo "FAIL: $*" >&2
    FAILED=$((FAILED + 1))
}
summary=$(python3 - "$WORK" <<'PY'
import glob, json, os, sys
work = sys.argv[1]
bad, echoes, n_echo, n_perf = [], 0, 0, 0
for rcf in sorted(glob.glob(f"{work}/echo/*.rc")):
    base = rcf[:-3]
    n_echo += 1
    rc = open(rcf).read().strip()
    try:
        j = json.load(open(base + ".json"))
        ok = (j["sent"] == j["verified"] >= 1 and j["lost"] == 0
              and j["corrupt"] == 0 and not j.get("error"))
        echoes += j["verified"]
    except Exception as e:
        ok, j = False, e
    if rc != "0" or not ok:
        bad.append(f"echo {os.path.basename(base)}: exit {rc}: {j} "
                   f"{open(base + '.err').read().strip()}")
for rcf in sorted(glob.glob(f"{work}/perf/*.rc")):
    base = rcf[:-3]
    n_perf += 1
    rc, _, args = open(rcf).read().strip().partition(" ")
    try:
        j = json.load(open(base + ".json"))
        v = j["end"]["verify"]
        ok = (not j.get("error") and v["verified"] > 0 and
              all(v[k] == 0 for k in ("corrupt", "missing", "duplicate",
                                      "out_of_order")))
    except Exception as e:
        ok, v = False, e
    if rc != "0" or not ok:
        bad.append(f"perf {os.path.basename(base)} ({args}): exit {rc}: {v} "
                   f"{open(base + '.err').read().strip()[-300:]}")
for b in bad[:20]:
    print(f"FAIL: {b}", file=sys.stderr)
print(n_echo, echoes, n_perf, len(bad))
PY
)
read -r n_echo n_echoes n_perf n_bad <<<"$summary"
((n_bad == 0)) || failed "$n_bad of $n_echo echo and $n_perf perf clients failed (first 20 above)"
((n_echo >= CLIENTS && n_perf >= 1)) ||
    failed "only $n_echo echo and $n_perf perf clients ran"

# The RSS curve's verdict, per server (columns 2 and 3).
rss_check() { # rss_check COLUMN NAME: prints "first_max last_max", checks
    awk -v c="$1" '{ v[NR] = $c } END {
        w = int(NR * 0.2); if (w < 1) w = 1
        n = NR - w; third = int(n / 3); if (third < 1) third = 1
        for (i = w + 1; i <= w + third; i++) if (v[i] > a) a = v[i]
        for (i = NR - third + 1; i <= NR; i++) if (v[i] > b) b = v[i]
        print a + 0, b + 0 }' "$WORK/rss.txt"
}
read -r echo_first echo_last < <(rss_check 2 echo)
read -r perf_first perf_last < <(rss_check 3 perf)

# Ends logged: every association of the echo server closed or failed.
n_assoc=$(grep -c 'association from' "$WORK/echo.log" || true)
for ((i = 0; i < 100; i++)); do
    n_end=$(grep -cE ' closed: | failed after ' "$WORK/echo.log" || true)
    ((n_end >= n_assoc)) && break
    sleep 0.05
done
SCTPU_WRAP=$WRAP
rc=0
stop_server_slow "$ECHO_PID" || rc=$?
((rc == 0)) || failed "the echo server exited $rc${WRAP:+ (valgrind: 99 = errors)}"
rc=0
stop_server_slow "$PERF_PID" || rc=$?
((rc == 0)) || failed "the perf server exited $rc${WRAP:+ (valgrind: 99 = errors)}"
grep -v -E 'association from| closed: ' "$WORK/echo.log" | tail -n 20
grep -E '==[0-9]+==' "$WORK/perf.log" | head -n 40 || true

echo "FIGURE: soak ${DURATION} s: $n_echo echo clients ($n_echoes echoes)" \
    "and $n_perf perf tests, all verified; server VmRSS after warm-up:" \
    "echo $echo_first -> $echo_last kB, perf $perf_first -> $perf_last kB" \
    "(max of the first and last thirds)"
((n_end == n_assoc)) ||
    failed "the echo server ended $n_end of $n_assoc associations"
if ((STRICT)); then
    for s in "echo $echo_first $echo_last" "perf $perf_first $perf_last"; do
        read -r name first last <<<"$s"
        ((last * 10 <= first * 12 + 2048 * 10)) ||
            failed "$name server RSS grew: $last kB at the end against" \
                "$first kB after warm-up (bound: x 1.2 + 2 MiB)"
    done
else
    echo "note: RSS bound not applied (valgrind or sanitizer)"
fi
if peer_table "$WORK/echo.log"; then
    ((PT_ASSOC == 0)) || failed "echo server: $PT_ASSOC peers with associations at exit"
    echo "echo server peer table: $PT_NOW now, peak $PT_PEAK, cap $PT_CAP"
else
    failed "no 'peer table: ...' line in the echo server's exit summary"
fi
if peer_table "$WORK/perf.log"; then
    ((PT_ASSOC == 0)) || failed "perf server: $PT_ASSOC peers with associations at exit"
fi
((FAILED == 0)) || fail "$FAILED check(s) failed (listed above)"
echo "PASS: ${DURATION} s soak, memory flat, nothing leaked"
