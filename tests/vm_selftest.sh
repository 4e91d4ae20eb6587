#!/usr/bin/env bash
# tests/vm_selftest.sh - the kernel-SCTP VM lab works on this machine:
# tools/kernel-vm.sh selftest builds the VM from Debian's packages (cached
# in $SCTPU_VM_CACHE, downloaded once, about 75 MB), boots it, and checks
# inside the guest kernel SCTP (/proc/net/sctp, net.sctp.udp_port, an
# sctp_darn association carried over UDP), ping over the tap, tc netem,
# the virtio-9p share in both directions, and that the sctpu-echo of
# BUILD_DIR runs there.
#
# Skips (77) where the lab cannot run: not root, not x86_64, not Debian.
#
# usage: bash tests/vm_selftest.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $(id -u) == 0 ]] || skip "needs root (network namespace, tap device)"
[[ $(uname -m) == x86_64 ]] || skip "the VM lab boots x86_64 Debian kernels only"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
    skip "needs Debian's apt-get and dpkg-deb"
[[ -x $ECHO_BIN ]] || fail "$ECHO_BIN is missing (build sctpu first)"

bash "$REPO_DIR/tools/kernel-vm.sh" selftest "$BUILD_DIR" ||
    fail "tools/kernel-vm.sh selftest failed (exit $?)"
echo "PASS: vm_selftest"
