#!/usr/bin/env bash
# tests/vm_kernel_backend.sh - sctpu's kernel backend (--backend kernel)
# on a real Linux SCTP stack: Debian's kernel in the VM lab
# (tools/kernel-vm.sh), with this build shared over virtio-9p. One boot.
#
# Inside the guest, over loopback, kernel SCTP at both ends:
#   --check  `sctpu-perf --check --backend kernel -J` (and the text of
#            sctpu-echo's): the kernel backend usable and chosen, the
#            guest's kernel release, net.sctp.udp_port/encap_port as the
#            guest set them (9899/9900 for the check, 0 again after)
#   echo     1 B to 64 KiB messages over 4 streams, every echo verified,
#            and the client's own SHUTDOWN completes (no "did not complete
#            SHUTDOWN" warning: the kernel sets no RCV_SHUTDOWN on the side
#            that shut down, so the backend must end the read itself)
#   perf     all --verify, none missing, duplicated, corrupt or out of
#            order, sent == received in each direction:
#              -t 2 --nstreams 4   every stream used
#              -n 4M --nstreams 2  exactly 4 MiB, 64 messages
#              -P 2 -t 2           two associations, both carried data
#              -R -t 2             the server sends
#              --bidir -t 2        both directions carried data (a reader
#                                  that drained its socket until EAGAIN
#                                  once starved its own sender here)
#   20 % loss  netem on lo (both directions), RTO 50-200 ms at both ends:
#            echo 30/30 verified and the kernel's T3/fast retransmission
#            counters grew during it; perf -t 3 --verify clean with
#            retransmits > 0 in its JSON; netem's drop counter > 0.
#   tunnel   a usrsctp server on net.sctp.udp_port's port: exit 2, and the
#            message says the kernel's tunnel holds it
#   PR-SCTP  -R --pr-policy buf: the kernel server refuses the test with
#            the reason (Linux has ttl and rtx, no buf), exit 1
#
# Interop over UDP encapsulation is tests/vm_interop_encap.sh; lksctp-tools
# against sctpu is tests/vm_lksctp.sh.
#
# usage: bash tests/vm_kernel_backend.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

vm_require kernel-backend

B="$BUILD_DIR/src"
# The guest writes its results into this test's scratch folder (shared);
# each run's exit status goes to rc as "NAME STATUS".
GUEST_SCRIPT="$WORK/guest.sh"
cat >"$GUEST_SCRIPT" <<GUEST
set -u
cd "$WORK"
run() { name=\$1; shift; "\$@" >\$name.json 2>\$name.err; echo "\$name \$?" >>rc; }
snmp() { grep -E '^Sctp(T3Retransmits|FastRetransmits) ' /proc/net/sctp/snmp >\$1; }
RTO="--rto-min 50 --rto-max 200 --rto-initial 100"

uname -r >release
sysctl -w net.sctp.udp_port=9899 net.sctp.encap_port=9900 >/dev/null
run check "$B/sctpu-perf" --check --backend kernel -J
"$B/sctpu-echo" --check --backend kernel >check.txt 2>&1
echo "check-text \$?" >>rc
# The kernel's UDP tunnel holds 9899 for the namespace: a usrsctp server
# cannot bind it, and says why.
"$B/sctpu-echo" -s --udp-port 9899 >tunnel.txt 2>&1
echo "tunnel \$?" >>rc
sysctl -w net.sctp.udp_port=0 net.sctp.encap_port=0 >/dev/null

"$B/sctpu-echo" -s --backend kernel \$RTO >echo-server.log 2>&1 &
"$B/sctpu-perf" -s --backend kernel \$RTO >perf-server.log 2>&1 &
# on once both banners say they listen (an ASan build under TCG takes
# seconds to start)
i=0
until grep -q 'sctpu-echo server:' echo-server.log 2>/dev/null &&
    grep -q 'Server listening' perf-server.log 2>/dev/null; do
    [ \$i -lt 600 ] || break
    sleep 0.1
    i=\$((i + 1))
done
C="127.0.0.1 --backend kernel"
run echo "$B/sctpu-echo" -c \$C -n 30 -i 0 -l 1,1000,65536 --nstreams 4 -J
run perf-t "$B/sctpu-perf" -c \$C -t 2 --nstreams 4 --verify -J
run perf-n "$B/sctpu-perf" -c \$C -n 4M --nstreams 2 --verify -J
run perf-P "$B/sctpu-perf" -c \$C -P 2 -t 2 --verify -J
run perf-R "$B/sctpu-perf" -c \$C -R -t 2 --verify \$RTO -J
run perf-bidir "$B/sctpu-perf" -c \$C --bidir -t 2 --verify \$RTO -J
# Under -R the server sends: Linux has no buffer-size PR-SCTP policy, so
# the server refuses the test before it starts, saying why.
run pr-buf-R "$B/sctpu-perf" -c \$C -R -t 1 --pr-policy buf --pr-value 100000 -J

tc qdisc add dev lo root netem loss 20%
snmp snmp-0
run loss-echo "$B/sctpu-echo" -c \$C -n 30 -i 0 -l 1,1000,65536 --nstreams 4 \$RTO -J
snmp snmp-1
run loss-perf "$B/sctpu-perf" -c \$C -t 3 --nstreams 2 --verify \$RTO -J
tc -s qdisc show dev lo >netem.txt
tc qdisc del dev lo root
GUEST

bash "$REPO_DIR/tools/kernel-vm.sh" run --share "$BUILD_DIR" --share "$WORK" \
    --libs-of "$B/sctpu" --timeout 240 -- sh "$GUEST_SCRIPT" ||
    fail "tools/kernel-vm.sh run failed (exit $?)"
[[ -f $WORK/rc ]] || fail "the guest wrote no results"
# Every run exited 0 (the text --check too).
for name in check check-text echo perf-t perf-n perf-P perf-R perf-bidir \
    loss-echo loss-perf; do
    grep -qx "$name 0" "$WORK/rc" ||
        fail "$name: $(grep "^$name " "$WORK/rc" || echo 'did not run'): $(cat "$WORK/$name.err" 2>/dev/null; tail -c 1500 "$WORK/$name.json" 2>/dev/null)"
done
grep -qx 'tunnel 2' "$WORK/rc" ||
    fail "usrsctp server on the kernel's tunnel port: $(grep '^tunnel ' "$WORK/rc"), want exit 2"
grep -qF "UDP port 9899 is kernel SCTP's UDP tunnel in this network namespace (net.sctp.udp_port)" \
    "$WORK/tunnel.txt" || fail "tunnel port clash not explained: $(cat "$WORK/tunnel.txt")"
grep -qx 'pr-buf-R 1' "$WORK/rc" ||
    fail "-R --pr-policy buf against a kernel server: $(grep '^pr-buf-R ' "$WORK/rc"), want exit 1"
grep -qF -- "--pr-policy buf: the server's kernel backend cannot send with it (it has: ttl, rtx)" \
    "$WORK/pr-buf-R.err" "$WORK/pr-buf-R.json" ||
    fail "-R --pr-policy buf: no reason given: $(cat "$WORK/pr-buf-R.err" "$WORK/pr-buf-R.json")"
for name in echo loss-echo; do
    if grep -q 'did not complete SHUTDOWN' "$WORK/$name.err"; then
        fail "$name: the client's SHUTDOWN never completed: $(cat "$WORK/$name.err")"
    fi
done
release=$(cat "$WORK/release")
for line in "backend kernel   usable (Linux $release)  [chosen]" \
    "kernel release: $release" \
    'kernel SCTP over UDP: net.sctp.udp_port 9899, net.sctp.encap_port 9900'; do
    grep -qxF -- "$line" "$WORK/check.txt" ||
        fail "sctpu-echo --check --backend kernel in the guest lacks '$line': $(cat "$WORK/check.txt")"
done

python3 - "$WORK" "$release" <<'PY' || fail "results (above)"
import json, sys
work, release = sys.argv[1], sys.argv[2]

def load(name):
    return json.load(open(f"{work}/{name}.json"))

c = load("check")
b = {x["name"]: x for x in c["backends"]}
assert b["kernel"]["usable"] and b["kernel"]["chosen"], b
assert b["kernel"]["why"] is None, b
assert b["kernel"]["stack"] == "Linux " + release, b
assert c["kernel_release"] == release, (c["kernel_release"], release)
assert c["kernel_sctp_udp"] == {"udp_port": 9899, "encap_port": 9900}, c
print(f"--check: kernel backend usable on {release}, udp_port 9899, "
      "encap_port 9900")

for name in ("echo", "loss-echo"):
    e = load(name)
    assert e["backend"] == "kernel", e["backend"]
    # every result records the kernel release (encapsulation bugs differ)
    assert e["stack"] == "Linux " + release, e["stack"]
    assert e["sent"] == 30 and e["verified"] == 30 and e["corrupt"] == 0, e

def clean(v):
    assert all(v[k] == 0 for k in ("missing", "duplicate", "corrupt",
                                     "out_of_order")), v
    assert v["verified"] > 0, v

def perf(name, sids=None):
    end = load(name)["end"]
    clean(end["verify"])
    dirs = [("sum_sent", "sum_received")]
    if "sum_sent_bidir_reverse" in end:
        dirs.append(("sum_sent_bidir_reverse", "sum_received_bidir_reverse"))
    moved = []
    for s, r in dirs:
        sent, recv = end[s]["bytes"], end[r]["bytes"]
        assert sent > 0 and sent == recv, (name, s, sent, recv)
        moved.append(recv)
    if sids is not None:
        got = sorted({x["sid"] for x in end["sctp_streams"]})
        assert got == sids, (name, got)
    return end, moved

end, moved = perf("perf-t", [0, 1, 2, 3])
print(f"perf -t 2 --nstreams 4: {moved[0]} bytes, streams 0-3, clean")
end, moved = perf("perf-n", [0, 1])
assert moved == [4 << 20], moved
assert end["sum_received"]["messages"] == 64, end["sum_received"]
print("perf -n 4M: exactly 4 MiB in 64 messages, clean")
end, moved = perf("perf-P")
senders = [x["sender"] for x in end["streams"]]
assert len(senders) == 2 and all(x["bytes"] > 0 for x in senders), senders
print(f"perf -P 2: {[x['bytes'] for x in senders]} bytes, clean")
end, moved = perf("perf-R")
assert load("perf-R")["start"]["test_start"]["reverse"] == 1
st = load("perf-R")["start"]
assert st["backend"] == "kernel" and st["stack"] == "Linux " + release, st
print(f"perf -R: {moved[0]} bytes from the server, clean")
end, moved = perf("perf-bidir")
assert len(moved) == 2, moved
print(f"perf --bidir: {moved[0]} and {moved[1]} bytes, clean")

# The loss was real: the kernel retransmitted during the echo run, and
# perf's own JSON counts retransmissions.
def counters(path):
    return {l.split()[0]: int(l.split()[1]) for l in open(path)}
c0, c1 = counters(f"{work}/snmp-0"), counters(f"{work}/snmp-1")
rtx = sum(c1[k] - c0[k] for k in c0)
assert rtx > 0, (c0, c1)
end, moved = perf("loss-perf", [0, 1])
assert end["sum_sent"]["retransmits"] > 0, end["sum_sent"]
print(f"20 % loss: echo 30/30 verified ({rtx} kernel retransmissions); "
      f"perf {moved[0]} bytes, {end['sum_sent']['retransmits']} "
      "retransmits, clean")
PY
grep -Eq 'dropped [1-9]' "$WORK/netem.txt" ||
    fail "netem dropped nothing: $(cat "$WORK/netem.txt")"
echo "PASS: the kernel backend carries --check, echo and perf --verify (-t, -n, -P, -R, --bidir, 20 % loss) in the VM"
