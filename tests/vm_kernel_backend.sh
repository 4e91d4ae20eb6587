#!/usr/bin/env bash
# tests/vm_kernel_backend.sh - sctpu's kernel backend (--backend kernel)
# on a real Linux SCTP stack: Debian's kernel in the VM lab
# (tools/kernel-vm.sh), with this build shared over virtio-9p.
#
# Inside the guest, over loopback, kernel SCTP at both ends:
#   echo   1 B to 64 KiB messages over 4 streams, every echo verified
#   perf   -t 2 --nstreams 4 --verify: every stream used, none missing,
#          duplicated, corrupt or out of order, sent == received
#
# Interop over UDP encapsulation and the rest of the kernel matrix are
# still to come (issue 9).
#
# usage: bash tests/vm_kernel_backend.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $(id -u) == 0 ]] || skip "needs root (network namespace, tap device)"
[[ $(uname -m) == x86_64 ]] || skip "the VM lab boots x86_64 Debian kernels only"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
    skip "needs Debian's apt-get and dpkg-deb"
grep -q '^SCTPU_HAVE_NETINET_SCTP_H:INTERNAL=1' "$BUILD_DIR/CMakeCache.txt" ||
    fail "this build has no kernel backend (install libsctp-dev)"

B="$BUILD_DIR/src"
# The guest writes its results into this test's scratch folder (shared).
GUEST_SCRIPT="$WORK/guest.sh"
cat >"$GUEST_SCRIPT" <<GUEST
set -u
cd "$WORK"
"$B/sctpu-echo" -s --backend kernel >echo-server.log 2>&1 &
"$B/sctpu-perf" -s --backend kernel -1 >perf-server.log 2>&1 &
sleep 1
"$B/sctpu-echo" -c 127.0.0.1 --backend kernel -n 30 -i 0 \
    -l 1,1000,65536 --nstreams 4 -J >echo.json 2>echo.err
echo "echo-rc \$?" >rc
"$B/sctpu-perf" -c 127.0.0.1 --backend kernel -t 2 --nstreams 4 --verify \
    -J >perf.json 2>perf.err
echo "perf-rc \$?" >>rc
GUEST

bash "$REPO_DIR/tools/kernel-vm.sh" run --share "$BUILD_DIR" --share "$WORK" \
    --libs-of "$B/sctpu" --timeout 180 -- sh "$GUEST_SCRIPT" ||
    fail "tools/kernel-vm.sh run failed (exit $?)"
[[ -f $WORK/rc ]] || fail "the guest wrote no results"
grep -qx 'echo-rc 0' "$WORK/rc" ||
    fail "echo exited $(cat "$WORK/rc"): $(cat "$WORK/echo.err" "$WORK/echo.json")"
grep -qx 'perf-rc 0' "$WORK/rc" ||
    fail "perf: $(cat "$WORK/rc"): $(cat "$WORK/perf.err"; tail -c 2000 "$WORK/perf.json")"

python3 - "$WORK/echo.json" "$WORK/perf.json" <<'PY' || fail "results (above)"
import json, sys
e = json.load(open(sys.argv[1]))
assert e["backend"] == "kernel", e["backend"]
assert e["sent"] == 30 and e["verified"] == 30 and e["corrupt"] == 0, e
p = json.load(open(sys.argv[2]))
end = p["end"]
v = end["verify"]
assert all(v[k] == 0 for k in ("missing", "duplicate", "corrupt",
                                 "out_of_order")), v
assert v["verified"] > 0, v
sent, recv = end["sum_sent"]["bytes"], end["sum_received"]["bytes"]
assert sent > 0 and sent == recv, (sent, recv)
sids = sorted(s["sid"] for s in end["sctp_streams"])
assert sids == [0, 1, 2, 3], sids
print(f"echo: 30/30 verified; perf: {recv} bytes, {v['verified']} "
      f"messages verified over streams {sids}")
PY
echo "PASS: the kernel backend carries echo and perf --verify in the VM"
