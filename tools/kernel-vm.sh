#!/usr/bin/env bash
# tools/kernel-vm.sh - a Linux kernel SCTP lab in a small VM, for hosts whose
# own kernel has no SCTP, built only from Debian 12's packages.
#
#   tools/kernel-vm.sh build
#       Install qemu-system-x86, cpio, xz-utils, kmod if missing; download
#       Debian's kernel (linux-image-amd64, which ships sctp.ko with SCTP
#       over UDP) and a userland (busybox, libc6, iproute2 with tc/netem,
#       lksctp-tools, libevent, libusrsctp, libsctp) with a private apt
#       setup, and build vmlinux + initrd.cpio. Everything is cached in
#       $SCTPU_VM_CACHE (default /var/cache/sctpu-vm); a rerun with nothing
#       new is quick and needs no network once the package lists are a day
#       old or younger.
#
#   tools/kernel-vm.sh run [--share DIR]... [--netns NAME]
#                          [--guest-ip A/n] [--host-ip B/n] [--timeout S]
#                          [--libs-of PROGRAM]... -- CMD...
#       Boot the VM, run CMD (its words joined by blanks, like ssh) with the
#       guest's /bin/sh, print its output, power off, and exit with CMD's
#       status. The guest's eth0 (default 198.18.40.2/24) is a tap device
#       (default 198.18.40.1/24) in network namespace NAME (created and
#       deleted if it does not exist; default: a private one). Each DIR is
#       shared over virtio-9p at the same path inside, so host-built
#       programs run there; --libs-of adds the shared libraries PROGRAM
#       links (by ldd) to the guest. One VM per namespace at a time. The
#       guest has the kernel modules sctp, sch_netem and 9p loaded, busybox,
#       iproute2's ip and tc, sysctl, and lksctp-tools (sctp_darn,
#       sctp_test, checksctp). Fails after S seconds (default 120,
#       $SCTPU_VM_TIMEOUT).
#
#   tools/kernel-vm.sh selftest [BUILD_DIR]
#       build, then boot once and check kernel SCTP in the guest (see
#       tools/kernel-vm/selftest-guest.sh); with BUILD_DIR, also run its
#       sctpu-echo --version inside.
#
# Environment: SCTPU_VM_CACHE, SCTPU_VM_TIMEOUT, SCTPU_VM_ACCEL (kvm, tcg,
# auto: KVM only where it runs stock kernels), SCTPU_VM_MEM (MB, 512),
# SCTPU_VM_VERBOSE=1 (print the whole console).
# Exit status: CMD's; 2 for usage errors; 1 when the VM fails.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR

VM_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")/kernel-vm" && pwd)
VM_CACHE=${SCTPU_VM_CACHE:-/var/cache/sctpu-vm}
# shellcheck disable=SC2034 # used by the sourced files
VM_TMP_DIRS=()  # scratch folders, removed by vm_cleanup

say() { printf 'kernel-vm: %s\n' "$*" >&2; }
die() { printf 'kernel-vm: FAIL: %s\n' "$*" >&2; exit 1; }
usage_error() { printf 'kernel-vm: %s\n' "$*" >&2; exit 2; }

# shellcheck source=kernel-vm/build.sh
. "$VM_LIB/build.sh"
# shellcheck source=kernel-vm/run.sh
. "$VM_LIB/run.sh"

# Host tools from Debian's packages, installed only when missing.
vm_install_host_tools() {
    local p missing=()
    for p in qemu-system-x86 cpio xz-utils kmod; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
            missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    say "installing ${missing[*]}"
    # Another apt may be running (the test suite installs too): wait for it.
    apt-get -o DPkg::Lock::Timeout=600 update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
            install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
        die "cannot install ${missing[*]}"
}

need_root() {
    [[ $(id -u) == 0 ]] || die "needs root (network namespaces, tap devices, apt)"
}

main() {
    local cmd=${1:-}
    (($#)) && shift
    # Every exit path removes the tap, a namespace of our own, qemu and the
    # scratch folders.
    trap vm_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    case $cmd in
    build)
        (($# == 0)) || usage_error "build takes no arguments"
        need_root
        mkdir -p "$VM_CACHE"
        vm_install_host_tools
        vm_build
        ;;
    run)
        need_root
        # CMD's non-zero status ends the script through set -e, unchanged.
        vm_run "$@"
        ;;
    selftest)
        (($# <= 1)) || usage_error "selftest takes at most a build directory"
        need_root
        . "$VM_LIB/selftest.sh"
        vm_selftest "$@"
        ;;
    -h | --help | help)
        sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
        ;;
    *)
        usage_error "usage: tools/kernel-vm.sh build | run [options] -- CMD... | selftest [BUILD_DIR] (--help for more)"
        ;;
    esac
}

main "$@"
