#!/usr/bin/env bash
# tests/vm_compare.sh - --compare fills both columns where the kernel has
# SCTP: Debian's kernel in the VM lab (tools/kernel-vm.sh), with this build
# shared over virtio-9p.
#
# Inside the guest, over loopback:
#   servers  `sctpu-perf -s --backend all` and `sctpu-echo -s --backend
#            all`: one process each lists a usrsctp and a kernel listener
#   perf     `--compare -t 2 -J`: both columns ok, with throughput (sender
#            and receiver), bytes, cwnd, RTO, PMTU and CPU > 0 and sent ==
#            received; then the text table once (kept in the log: a sample
#            from a TCG-emulated VM, whose absolute figures mean little)
#   echo     `--compare -n 20 -i 0 -J`: both columns 20/20 verified, RTT
#            percentiles > 0 and in order
#
# usage: bash tests/vm_compare.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

vm_require kernel-backend

B="$BUILD_DIR/src"
# The guest writes its results into this test's scratch folder (shared).
# It waits for each server's listener lines rather than for a fixed time.
GUEST_SCRIPT="$WORK/guest.sh"
cat >"$GUEST_SCRIPT" <<GUEST
set -u
cd "$WORK"
listening() { # FILE: both backends' listener lines are there (up to 10 s)
    i=0
    while [ \$i -lt 100 ]; do
        grep -q '(backend kernel: ' "\$1" && grep -q '(backend usrsctp: ' "\$1" &&
            return 0
        sleep 0.1
        i=\$((i + 1))
    done
    return 1
}
"$B/sctpu-perf" -s --backend all >perf-server.log 2>&1 &
"$B/sctpu-echo" -s --backend all >echo-server.log 2>&1 &
listening perf-server.log && listening echo-server.log || {
    echo "servers-not-listening" >rc
    exit 0
}
"$B/sctpu-perf" -c 127.0.0.1 --compare -t 2 -J >perf.json 2>perf.err
echo "perf-rc \$?" >rc
"$B/sctpu-echo" -c 127.0.0.1 --compare -n 20 -i 0 -J >echo.json 2>echo.err
echo "echo-rc \$?" >>rc
"$B/sctpu-perf" -c 127.0.0.1 --compare -t 1 >perf.txt 2>&1
echo "text-rc \$?" >>rc
GUEST

bash "$REPO_DIR/tools/kernel-vm.sh" run --share "$BUILD_DIR" --share "$WORK" \
    --libs-of "$B/sctpu" --timeout 240 -- sh "$GUEST_SCRIPT" ||
    fail "tools/kernel-vm.sh run failed (exit $?)"
[[ -f $WORK/rc ]] || fail "the guest wrote no results"
grep -qx 'servers-not-listening' "$WORK/rc" &&
    fail "the servers did not list both backends: $(cat "$WORK"/*-server.log)"
grep -qx 'perf-rc 0' "$WORK/rc" ||
    fail "perf --compare: $(cat "$WORK/rc" "$WORK/perf.err" "$WORK/perf.json")"
grep -qx 'echo-rc 0' "$WORK/rc" ||
    fail "echo --compare: $(cat "$WORK/rc" "$WORK/echo.err" "$WORK/echo.json")"
grep -qx 'text-rc 0' "$WORK/rc" ||
    fail "perf --compare (text): $(cat "$WORK/perf.txt")"
for f in perf-server.log echo-server.log; do
    [[ $(grep -c 'listening\|server: SCTP port' "$WORK/$f") == 2 ]] ||
        fail "$f does not list exactly two listeners: $(cat "$WORK/$f")"
    grep -q 'unavailable' "$WORK/$f" && fail "$f: $(cat "$WORK/$f")"
done
grep -Eq '^Status +ok +ok$' "$WORK/perf.txt" ||
    fail "the text table does not show both runs ok: $(cat "$WORK/perf.txt")"

python3 - "$WORK/perf.json" "$WORK/echo.json" <<'PY' || fail "results (above)"
import json, sys
p = json.load(open(sys.argv[1]))["compare"]
e = json.load(open(sys.argv[2]))["compare"]
assert [c["backend"] for c in p["backends"]] == ["usrsctp", "kernel"], p
for c in p["backends"]:
    assert c["status"] == "ok", c
    for k in ("sender_bits_per_second", "receiver_bits_per_second",
              "sent_bytes", "cwnd", "rto_ms", "pmtu", "cpu_client_percent",
              "cpu_server_percent"):
        assert (c.get(k) or 0) > 0, (c["backend"], k, c.get(k))
    assert c["srtt_us"] is not None, c
    assert c["sent_bytes"] == c["received_bytes"], c
# the kernel column records the guest's kernel release
assert p["backends"][1]["stack"].startswith("Linux "), p["backends"][1]
assert p["backends"][0]["stack"].startswith("usrsctp "), p["backends"][0]
for c in e["backends"]:
    assert c["status"] == "ok", c
    assert c["sent"] == 20 and c["verified"] == 20, c
    r = c["rtt_us"]
    seq = [r["min"], r["p50"], r["p90"], r["p99"], r["max"]]
    assert seq[0] > 0 and seq == sorted(seq), (c["backend"], seq)
for c in p["backends"]:
    print(f"perf {c['backend']}: {c['receiver_bits_per_second'] / 1e6:.0f} "
          f"Mbit/s, srtt {c['srtt_us']} us, cwnd {c['cwnd']}")
for c in e["backends"]:
    print(f"echo {c['backend']}: p50 {c['rtt_us']['p50']} us")
PY
echo "--- the text comparison (TCG-emulated VM: absolute figures mean little)"
sed -n '/^Comparison/,$p' "$WORK/perf.txt"
echo "PASS: --compare fills both columns in the VM, perf and echo"
