#!/usr/bin/env bash
# it_check.sh - `--check` says what this host can do, in both tools.
#
# This machine's kernel has no SCTP, so the kernel backend must be
# reported unusable with the reason, and usrsctp usable:
#
#   text     each backend with usable/unusable and why, the chosen one
#            marked; the kernel release; the kernel's SCTP-over-UDP
#            sysctls; usrsctp, CRC32c,
#            GSO/GRO; the path MTU toward the default route (none in this
#            test's private namespace)
#   -J       the same as one JSON document, with the default backend
#            (usrsctp, exit 0) and with --backend kernel (exit 1)
#   status   0 when the chosen backend is usable, 1 when not (--backend
#            kernel here), 2 for an unknown backend name
#
# The kernel-SCTP side (a kernel that has it) is tests/vm_kernel_backend.sh.
#
# usage: bash tests/it_check.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

[[ -d /proc/net/sctp ]] &&
    skip "this kernel has SCTP: the test expects one without (CI's)"
NO_SCTP='this kernel has no SCTP support (sctp.ko not loaded): use --backend usrsctp'
# The kernel backend's line names its stack (the release) when it is built.
KERNEL_LINE="backend kernel   unusable (Linux $(uname -r)): $NO_SCTP"
# A build without it (no <netinet/sctp.h>, or SCTPU_KERNEL_SCTP=OFF) says so.
if ! grep -q '^SCTPU_HAVE_NETINET_SCTP_H:INTERNAL=1' \
    "$BUILD_DIR/CMakeCache.txt" 2>/dev/null ||
    grep -q '^SCTPU_KERNEL_SCTP:STRING=OFF' "$BUILD_DIR/CMakeCache.txt"; then
    NO_SCTP='the kernel SCTP backend is not built into this binary'
    KERNEL_LINE="backend kernel   unusable: $NO_SCTP"
fi

for tool in echo perf; do
    bin="$BUILD_DIR/src/sctpu-$tool"
    rc=0
    "$bin" --check >"$WORK/$tool.txt" 2>&1 || rc=$?
    ((rc == 0)) || fail "$tool --check: exit $rc: $(cat "$WORK/$tool.txt")"
    grep -Eq '^backend usrsctp  usable \(usrsctp .+\)  \[chosen\]$' \
        "$WORK/$tool.txt" ||
        fail "$tool --check: usrsctp not usable and chosen: $(cat "$WORK/$tool.txt")"
    grep -qF "$KERNEL_LINE" "$WORK/$tool.txt" ||
        fail "$tool --check: the kernel backend's reason: $(cat "$WORK/$tool.txt")"
    for line in "^kernel release: $(uname -r)\$" '^kernel SCTP over UDP: ' '^usrsctp: ' '^CRC32c: ' \
        '^UDP GSO: (yes|no), UDP GRO: (yes|no)$' \
        '^path MTU toward the default route: - \(no default route'; do
        grep -Eq -- "$line" "$WORK/$tool.txt" ||
            fail "$tool --check: no line /$line/: $(cat "$WORK/$tool.txt")"
    done

    # -J: the default backend (usrsctp, usable: exit 0), then the kernel
    # backend chosen (unusable here: exit 1); the same facts either way.
    for chosen in usrsctp kernel; do
        rc=0
        if [[ $chosen == usrsctp ]]; then
            "$bin" --check -J >"$WORK/$tool.json" 2>&1 || rc=$?
            want=0
        else
            "$bin" --check --backend kernel -J >"$WORK/$tool.json" 2>&1 ||
                rc=$?
            want=1
        fi
        ((rc == want)) ||
            fail "$tool --check -J ($chosen chosen): exit $rc, want $want: $(cat "$WORK/$tool.json")"
        python3 - "$WORK/$tool.json" "$NO_SCTP" "$chosen" "$(uname -r)" <<'PY' ||
import json, sys
j = json.load(open(sys.argv[1]))
no_sctp, chosen, release = sys.argv[2:5]
b = {x["name"]: x for x in j["backends"]}
assert b["usrsctp"]["usable"] and b["usrsctp"]["why"] is None, b
assert not b["kernel"]["usable"], b
assert b["kernel"]["why"].startswith(no_sctp), b["kernel"]["why"]
assert [n for n in b if b[n]["chosen"]] == [chosen], b
assert j["kernel_release"] == release, j["kernel_release"]
assert j["kernel_sctp_udp"] == {"udp_port": None, "encap_port": None}, j
assert j["route_mtu"] is None and j["sctp_pathmtu"] is None, j
for k in ("usrsctp", "crc32c", "udp_gso", "udp_gro"):
    assert k in j, k
PY
            fail "$tool --check -J ($chosen chosen): $(cat "$WORK/$tool.json")"
    done

    rc=0
    "$bin" --check --backend bogus >"$WORK/bad.out" 2>"$WORK/bad.err" || rc=$?
    ((rc == 2)) && grep -q "sctpu-$tool: error: --backend bogus: unknown" \
        "$WORK/bad.err" ||
        fail "$tool --check --backend bogus: exit $rc: $(cat "$WORK/bad.err")"
    echo "$tool: --check reports usrsctp usable, the kernel backend not"
done
echo "PASS: --check in both tools"
