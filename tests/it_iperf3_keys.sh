#!/usr/bin/env bash
# it_iperf3_keys.sh - a script written for iperf3's -J reads sctpu-perf's:
# every key path of a real iperf3 document is in sctpu-perf's document of
# the same shape, with the same JSON type, except the keys docs/perf-json.md
# lists as deliberately absent (tests/iperf3_keys.py reads that list there).
#
#   iperf3 -c 127.0.0.1 -t 1 -P 2 -J        vs  sctpu-perf ... -t 1 -P 2 -J
#   iperf3 -c 127.0.0.1 -t 1 -P 2 -R -J     vs  sctpu-perf ... -t 1 -P 2 -R -J
#
# Their values are checked against what sctpu measured (the end's RTT and
# window extremes are the interval rows', snd_wnd is the rwnd, rttvar comes
# with measured RTTs, -b/-S/-w show as given, the buffers are read back).
# Then the check is shown to fail: a copy of sctpu-perf's document with
# end.sum_sent.bits_per_second removed, and one with it made a string.
# About 6 s.
#
# usage: bash tests/it_iperf3_keys.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
KEYS=(/usr/bin/python3 "$TESTS_DIR/iperf3_keys.py" "$REPO_DIR/docs/perf-json.md")
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
command -v iperf3 >/dev/null || skip "iperf3 is missing (apt-get install iperf3)"

IPORT=5241
PORT=5242
UDP=9942

# SCTPU_WRAP is a command prefix (e.g. "valgrind -q"): split it on purpose.
# shellcheck disable=SC2086
$SCTPU_WRAP "$PERF_BIN" -s -p $PORT --udp-port $UDP >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_for_line "$WORK/server.log" "^Server listening on SCTP port $PORT" 20

# iperf3_run NAME ARGS...: a one-off iperf3 server, then its client -J.
iperf3_run() {
    local name=$1
    shift
    iperf3 -s -p $IPORT -1 --forceflush >"$WORK/iperf3_$name.srv" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    wait_for_line "$WORK/iperf3_$name.srv" "Server listening on $IPORT" 10
    run_bounded 30 "iperf3_$name" iperf3 -c 127.0.0.1 -p $IPORT "$@" -J
    want_rc "iperf3_$name" 0
    gone "$pid" 5 || fail "iperf3 -s -1 did not exit after its test"
}

sctpu_run() {
    local name=$1
    shift
    run_bounded 30 "sctpu_$name" "$PERF_BIN" -c 127.0.0.1 -p $PORT \
        --udp-port $UDP "$@" -J
    want_rc "sctpu_$name" 0
}

for shape in forward reverse; do
    args=(-t 1 -P 2)
    keys=()
    if [[ $shape == reverse ]]; then
        args+=(-R)
        keys+=(-R)
    fi
    iperf3_run "$shape" "${args[@]}"
    sctpu_run "$shape" "${args[@]}"
    "${KEYS[@]}" "$WORK/iperf3_$shape.out" "$WORK/sctpu_$shape.out" \
        "${keys[@]}" " ($shape)" ||
        fail "$shape: sctpu-perf lacks iperf3 keys (above)"
done

# The values are what sctpu measured, not placeholders: the end's extremes
# are those of the interval rows, the buffers and -b/-S/-w as given.
sctpu_run paced -t 1 -i 0.25 -b 20M -S 16 -w 1M
/usr/bin/python3 - "$WORK" "$(uname -s)" "$(uname -r)" <<'PY' ||
import json, re, sys
work, sysname, release = sys.argv[1:]
bad = []
for name in ("forward", "paced"):
    d = json.load(open(f"{work}/sctpu_{name}.out"))
    s = d["start"]
    if not s["system_info"].startswith(sysname + " ") or \
            release not in s["system_info"]:
        bad.append(f"{name}: system_info {s['system_info']!r}")
    if not re.fullmatch(r"[0-9a-f]{32}", s["cookie"]):
        bad.append(f"{name}: cookie {s['cookie']!r}")
    if s["sndbuf_actual"] <= 0 or s["rcvbuf_actual"] <= 0:
        bad.append(f"{name}: buffers {s['sndbuf_actual']} {s['rcvbuf_actual']}")
    cpu = d["end"]["cpu_utilization_percent"]
    if abs(cpu["host_total"] - cpu["host_user"] - cpu["host_system"]) > 1e-6:
        bad.append(f"{name}: host_total is not user + system: {cpu}")
    for st in d["end"]["streams"]:
        snd = st["sender"]
        rows = [r for iv in d["intervals"] for r in iv["streams"]
                if r["socket"] == snd["socket"] and r["sender"]]
        want = {"max_snd_cwnd": max(r["snd_cwnd"] for r in rows),
                "max_snd_wnd": max(r["snd_wnd"] for r in rows),
                "min_rtt": min(r["rtt"] for r in rows),
                "max_rtt": max(r["rtt"] for r in rows)}
        for k, v in want.items():
            if snd[k] != v:
                bad.append(f"{name} [{snd['socket']}]: {k} {snd[k]}, rows {v}")
        # (the first rows may carry usrsctp's whole-ms figure, 0 here)
        if not snd["min_rtt"] <= snd["mean_rtt"] <= snd["max_rtt"] or \
                snd["max_rtt"] <= 0:
            bad.append(f"{name}: rtts {snd}")
        for r in rows:
            if r["snd_wnd"] != r["rwnd"]:
                bad.append(f"{name}: snd_wnd {r['snd_wnd']} != rwnd {r['rwnd']}")
            if (r["rtt_resolution_us"] == 1) != ("rttvar" in r):
                bad.append(f"{name}: rttvar with resolution {r}")
p = json.load(open(f"{work}/sctpu_paced.out"))["start"]
for k, v in (("target_bitrate", 20000000), ("sock_bufsize", 1048576),
             ("sndbuf_actual", 1048576)):
    if p[k] != v:
        bad.append(f"paced: start.{k} {p[k]}, want {v}")
for k, v in (("target_bitrate", 20000000), ("tos", 16)):
    if p["test_start"][k] != v:
        bad.append(f"paced: test_start.{k} {p['test_start'][k]}, want {v}")
for b in bad:
    print("FAIL: " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
    fail "the iperf3 keys' values are wrong (above)"

# The check can fail: a key taken out, a key of the wrong type.
/usr/bin/python3 - "$WORK/sctpu_forward.out" "$WORK" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
del doc["end"]["sum_sent"]["bits_per_second"]
json.dump(doc, open(sys.argv[2] + "/missing.json", "w"))
doc = json.load(open(sys.argv[1]))
doc["end"]["sum_sent"]["bits_per_second"] = "fast"
json.dump(doc, open(sys.argv[2] + "/mistyped.json", "w"))
PY
for bad in missing mistyped; do
    rc=0
    "${KEYS[@]}" "$WORK/iperf3_forward.out" "$WORK/$bad.json" \
        >"$WORK/$bad.log" 2>&1 || rc=$?
    if [[ $rc != 1 ]] || ! grep -q 'end.sum_sent.bits_per_second' "$WORK/$bad.log"; then
        show "$WORK/$bad.log"
        fail "$bad: the key check did not fail (exit $rc)"
    fi
done
stop_server "$SERVER_PID"
echo "PASS: iperf3's key paths are in sctpu-perf's -J (forward and -R)"
