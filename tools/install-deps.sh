#!/usr/bin/env bash
# tools/install-deps.sh [build|test] - install what sctpu needs from
# Debian/Ubuntu packages. "build" is enough to build and run the tools;
# "test" (the default) adds what the test suite and its labs use.
# Installs nothing that is already there, so reruns are quick.
set -euo pipefail

what=${1:-test}
pkgs=(build-essential cmake pkg-config libusrsctp-dev libevent-dev libsctp-dev
      iproute2 util-linux)
if [[ $what == test ]]; then
    pkgs+=(libcmocka-dev nftables python3 valgrind clang-format)
fi

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing+=("$p")
done
if ((${#missing[@]} == 0)); then
    exit 0
fi
if [[ $(id -u) != 0 ]]; then
    SUDO=sudo
else
    SUDO=
fi
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
