#!/usr/bin/env bash
# tests/vm_interop_encap.sh - Linux kernel SCTP and sctpu's userspace
# stack talk over UDP encapsulation (RFC 6951), both ways, echo and perf.
#
# Debian's kernel runs in the VM lab (tools/kernel-vm.sh) behind a tap in
# a network namespace of this test's (guest 198.18.40.2, host side
# 198.18.40.1); this build is shared into the guest over virtio-9p.
#
#   kernel -> usrsctp  in the guest, `--backend kernel --encap` clients
#                      (the kernel backend sets net.sctp.udp_port) against
#                      usrsctp-backend servers on the host side
#   usrsctp -> kernel  in the guest, `--backend kernel --encap` servers;
#                      usrsctp-backend clients on the host side
#
# Each: sctpu-echo, 1 B to 64 KiB over 4 streams, every echo verified; and
# sctpu-perf -t 2 --nstreams 4 --verify, clean, every stream used.
#
# usage: bash tests/vm_interop_encap.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

vm_require kernel-backend

B="$BUILD_DIR/src"
NS="sctpu-vmi$$"
HOST=198.18.40.1
GUEST=198.18.40.2
ip netns add "$NS" || fail "cannot create network namespace $NS"
in_ns() { ip netns exec "$NS" "$@"; }
trap 'ip netns del "$NS" 2>/dev/null; cleanup' EXIT
in_ns ip link set lo up

# check_echo FILE, check_perf FILE: the verdicts, as Python asserts.
check() {
    python3 - "$@" <<'PY'
import json, sys
kind, path = sys.argv[1], sys.argv[2]
j = json.load(open(path))
if kind == "echo":
    assert j["sent"] == 20 and j["verified"] == 20 and j["corrupt"] == 0, j
    print(f"  echo {path.rsplit('/', 1)[-1]}: 20/20 verified ({j['backend']})")
else:
    e = j["end"]
    v = e["verify"]
    assert all(v[k] == 0 for k in ("missing", "duplicate", "corrupt",
                                     "out_of_order")), v
    s, r = e["sum_sent"]["bytes"], e["sum_received"]["bytes"]
    assert s > 0 and s == r, (s, r)
    sids = sorted({x["sid"] for x in e["sctp_streams"]})
    assert sids == [0, 1, 2, 3], sids
    print(f"  perf {path.rsplit('/', 1)[-1]}: {r} bytes, "
          f"{v['verified']} verified, streams {sids}")
PY
}

echo "== kernel (guest) -> usrsctp (host)"
# Wildcard servers: the tap and its address appear only with the VM.
# Not through in_ns: a backgrounded function is a subshell, and $! would
# be its pid, not the server's, so cleanup would leave the server running.
ip netns exec "$NS" "$B/sctpu-echo" -s >"$WORK/h-echo.log" 2>&1 &
PIDS+=($!)
ip netns exec "$NS" "$B/sctpu-perf" -s -1 >"$WORK/h-perf.log" 2>&1 &
PIDS+=($!)
cat >"$WORK/guest-a.sh" <<GUEST
cd "$WORK"
"$B/sctpu-echo" -c $HOST --backend kernel --encap -n 20 -i 0 \
    -l 1,1000,65536 --nstreams 4 -J >a-echo.json 2>a-echo.err
echo "echo \$?" >a.rc
"$B/sctpu-perf" -c $HOST --backend kernel --encap -t 2 --nstreams 4 \
    --verify -J >a-perf.json 2>a-perf.err
echo "perf \$?" >>a.rc
GUEST
bash "$REPO_DIR/tools/kernel-vm.sh" run --netns "$NS" --share "$BUILD_DIR" \
    --share "$WORK" --libs-of "$B/sctpu" --timeout 180 -- sh "$WORK/guest-a.sh" ||
    fail "kernel -> usrsctp: the VM run failed (exit $?)"
grep -qx 'echo 0' "$WORK/a.rc" && grep -qx 'perf 0' "$WORK/a.rc" ||
    fail "kernel -> usrsctp: $(cat "$WORK/a.rc" "$WORK/a-echo.err" "$WORK/a-perf.err")"
check echo "$WORK/a-echo.json" && check perf "$WORK/a-perf.json" ||
    fail "kernel -> usrsctp: results (above)"

echo "== usrsctp (host) -> kernel (guest)"
# The guest serves until the host says it is done (a file on the share).
# The kernel has one UDP tunnel port per namespace (net.sctp.udp_port) and
# tells its servers apart by SCTP port: both listen on UDP 9899 there.
cat >"$WORK/guest-b.sh" <<GUEST
cd "$WORK"
"$B/sctpu-echo" -s --backend kernel --encap >g-echo.log 2>&1 &
"$B/sctpu-perf" -s --backend kernel --encap --udp-port 9899 -1 \
    >g-perf.log 2>&1 &
# ready once both have said they listen (their banners), not after a
# guess: under TCG an ASan build takes seconds to start
i=0
until grep -q 'sctpu-echo server:' g-echo.log 2>/dev/null &&
    grep -q 'Server listening' g-perf.log 2>/dev/null; do
    [ \$i -lt 600 ] || break
    sleep 0.1
    i=\$((i + 1))
done
touch ready
i=0
while [ ! -e done ] && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i + 1)); done
GUEST
bash "$REPO_DIR/tools/kernel-vm.sh" run --netns "$NS" --share "$BUILD_DIR" \
    --share "$WORK" --libs-of "$B/sctpu" --timeout 180 -- \
    sh "$WORK/guest-b.sh" >"$WORK/vm-b.log" 2>&1 &
VM=$!
PIDS+=("$VM")
for ((i = 0; i < 1200; i++)); do
    [[ -e $WORK/ready ]] && break
    kill -0 "$VM" 2>/dev/null || break
    sleep 0.1
done
[[ -e $WORK/ready ]] || fail "usrsctp -> kernel: the guest's servers never came up: $(cat "$WORK/vm-b.log")"
rc=0
in_ns "$B/sctpu-echo" -c $GUEST -n 20 -i 0 -l 1,1000,65536 --nstreams 4 -J \
    >"$WORK/b-echo.json" 2>"$WORK/b-echo.err" || rc=$?
((rc == 0)) || fail "usrsctp -> kernel echo: exit $rc: $(cat "$WORK/b-echo.err")"
in_ns "$B/sctpu-perf" -c $GUEST --udp-port 9899 -t 2 --nstreams 4 --verify -J \
    >"$WORK/b-perf.json" 2>"$WORK/b-perf.err" || rc=$?
((rc == 0)) || fail "usrsctp -> kernel perf: exit $rc: $(cat "$WORK/b-perf.err")"
touch "$WORK/done"
wait "$VM" || fail "usrsctp -> kernel: the VM run failed: $(cat "$WORK/vm-b.log")"
check echo "$WORK/b-echo.json" && check perf "$WORK/b-perf.json" ||
    fail "usrsctp -> kernel: results (above)"

echo "PASS: kernel SCTP and sctpu's usrsctp talk over UDP, both ways"
