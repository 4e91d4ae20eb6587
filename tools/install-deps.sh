#!/usr/bin/env bash
# tools/install-deps.sh [build|test] - install what sctpu needs from
# Debian/Ubuntu packages. "build" is enough to build and run the tools;
# "test" (the default) adds everything the test suite uses, so that no test
# has to skip for want of a program (CI fails on any skip):
#   unit tests        libcmocka-dev
#   shell tests       nftables python3, and usrsctp's example programs'
#                     sources (Debian's libusrsctp-dev ships them in
#                     /usr/share/doc; where that was stripped they come
#                     from the source package, fetched here while the
#                     network is up: the tests run in namespaces without it)
#   lab_k8s_manifest  node and npm (tools/check-k8s-manifest.sh)
#   vm_* (kernel-vm)  qemu-system-x86 cpio xz-utils kmod
#   docker_*          docker.io docker-compose iptables debootstrap
#   tools_smoke       iperf3 sockperf (tools/bench's reference rows)
#   it_pcap           tshark (reads --pcap files back; installed without
#                     asking, so non-root capture stays off: debconf's
#                     default, and sctpu needs none)
#   tools/test-all.sh valgrind clang-format
#   tools/fuzz.sh     clang, and libclang-rt-dev where it exists (Debian
#                     12: libFuzzer and the sanitizer runtimes; older
#                     Ubuntu ships them with clang's libclang-common-*-dev)
# Installs nothing that is already there, so reruns are quick.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-test}
pkgs=(build-essential cmake pkg-config libusrsctp-dev libevent-dev libsctp-dev
      iproute2 util-linux)
# mimalloc: CMake links it when present, and usrsctp runs faster on it
# (docs/profile.md). Where the release has no package, it does without.
if apt-cache show libmimalloc-dev >/dev/null 2>&1; then
    pkgs+=(libmimalloc-dev)
fi
if [[ $what == test ]]; then
    pkgs+=(libcmocka-dev nftables python3 valgrind clang-format clang iperf3
           sockperf tshark
           qemu-system-x86 cpio xz-utils kmod
           docker.io docker-compose iptables debootstrap)
    pkgs+=(scdoc groff-base man-db bash-completion zsh)  # docs_*: man pages, shell completion
    pkgs+=(dpkg-dev lintian)  # the .deb tests: cpack's dpkg-shlibdeps, lintian
    pkgs+=(python3-jsonschema)  # tests/it_json_schema.sh: -J output against docs/*.schema.json
    pkgs+=(python3-matplotlib)  # tools/sctpu-plot, sctpu-sweep; tests/plot_*.sh
    pkgs+=(git)  # tests/it_perf_compat.sh: builds the old peer (a960d92) from the history
    if apt-cache show libclang-rt-dev >/dev/null 2>&1; then
        pkgs+=(libclang-rt-dev)
    fi
fi

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing+=("$p")
done
# node and npm by command: a nodejs from elsewhere (NodeSource) brings its
# own npm, and Debian's npm package would conflict with it.
if [[ $what == test ]]; then
    command -v node >/dev/null || missing+=(nodejs)
    command -v npm >/dev/null || missing+=(npm)
fi
if ((${#missing[@]})); then
    if [[ $(id -u) != 0 ]]; then
        SUDO=sudo
    else
        SUDO=
    fi
    echo "installing: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ $what == test ]]; then
    bash tools/build-usrsctp-examples.sh --fetch-only
fi
