#!/usr/bin/env bash
# tests/fixture_vm_image.sh - ctest setup fixture of the "vm" label: build
# the kernel-SCTP VM image (tools/kernel-vm.sh build), or find it up to
# date, before any vm_*.sh test boots it. Its cache key covers the kernel
# package, the userland packages, the module list and the guest's /init, so
# a change to any of them rebuilds here rather than failing a test later.
# Skips where the vm tests themselves skip.
#
# usage: bash tests/fixture_vm_image.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $(id -u) == 0 ]] || skip "needs root (the VM lab's tap and namespace)"
[[ $(uname -m) == x86_64 ]] || skip "the VM lab boots x86_64 Debian kernels only"
if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
    skip "needs Debian's apt-get and dpkg-deb"
fi
bash "$REPO_DIR/tools/kernel-vm.sh" build || fail "tools/kernel-vm.sh build failed"
