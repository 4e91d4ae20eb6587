#!/usr/bin/env bash
# Test the bundled-usrsctp recipe (third_party/usrsctp.cmake) without network
# access to GitHub: take usrsctp's source from Debian's source package
# (libusrsctp, the orig tarball of 0.9.5.0), build sctpu with
#   -DSCTPU_BUNDLED_USRSCTP=ON -DFETCHCONTENT_SOURCE_DIR_USRSCTP=<that tree>
#   -DSCTPU_WERROR=ON -DSCTPU_TESTS=OFF
# and check that sctpu-echo reports a bundled usrsctp and does not load
# libusrsctp.so.
#
# usage: tools/test-bundled-usrsctp.sh [SOURCE_DIR [BUILD_DIR]]
#   SOURCE_DIR  sctpu repository root (default: this script's ../)
#   BUILD_DIR   build directory, recreated (default: SOURCE_DIR/build-bundled)
# environment:
#   SCTPU_DEBSRC_CACHE  where the source package is kept
#                       (default: ${XDG_CACHE_HOME:-$HOME/.cache}/sctpu/debsrc)
#   SCTPU_DEBSRC_PACKAGE  source package name (default: libusrsctp)
#
# The system's apt configuration and state are not touched: the deb-src list,
# the package lists and apt's cache all live under the cache directory. Once
# the orig tarball is there, apt is not run again (fully offline).

set -euo pipefail

say() { printf '==> %s\n' "$*"; }
die() { printf 'test-bundled-usrsctp: FAIL: %s\n' "$*" >&2; exit 1; }
run() { printf '+ %s\n' "$*"; "$@"; }

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src_dir=$(cd "${1:-$script_dir/..}" 2>/dev/null && pwd) \
    || die "source directory '${1:-}' does not exist"
build_dir=${2:-$src_dir/build-bundled}
cache_dir=${SCTPU_DEBSRC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sctpu/debsrc}
package=${SCTPU_DEBSRC_PACKAGE:-libusrsctp}

[[ -f $src_dir/CMakeLists.txt && -f $src_dir/third_party/usrsctp.cmake ]] \
    || die "$src_dir does not look like the sctpu repository (no CMakeLists.txt or third_party/usrsctp.cmake)"
case $build_dir in /*) ;; *) build_dir=$PWD/$build_dir ;; esac

say "sctpu source:  $src_dir"
say "build dir:     $build_dir"
say "debsrc cache:  $cache_dir"

find_orig() {
    local f
    for f in "$cache_dir/${package}"_*.orig.tar.*; do
        case $f in *.asc) continue ;; esac
        [[ -f $f ]] && { printf '%s\n' "$f"; return 0; }
    done
    return 1
}

# --- 1. Debian source package ------------------------------------------------
mkdir -p "$cache_dir"
if orig=$(find_orig); then
    say "reusing cached orig tarball $orig (apt not run)"
else
    say "fetching Debian source package '$package' with a private apt setup"
    command -v apt-get >/dev/null || die "apt-get not found (need a Debian-based system)"
    apt_dir=$cache_dir/apt
    mkdir -p "$apt_dir/sources.list.d" "$apt_dir/state/lists/partial" \
             "$apt_dir/cache/archives/partial"
    rm -f "$apt_dir/sources.list.d/"*
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        # deb822 format: turn every binary entry into a source entry.
        sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
            > "$apt_dir/sources.list.d/src.sources"
    elif [[ -f /etc/apt/sources.list ]] && grep -q '^deb ' /etc/apt/sources.list; then
        # one-line format
        sed -n 's/^deb /deb-src /p' /etc/apt/sources.list \
            > "$apt_dir/sources.list.d/src.list"
    else
        die "no Debian apt sources found (/etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list)"
    fi
    grep -qE '^(Types: deb-src|deb-src )' "$apt_dir/sources.list.d/"* \
        || die "could not derive a deb-src entry from the system's apt sources"

    apt_opts=(
        -o "Dir::Etc::sourcelist=/dev/null"
        -o "Dir::Etc::sourceparts=$apt_dir/sources.list.d"
        -o "Dir::State::Lists=$apt_dir/state/lists"
        -o "Dir::Cache=$apt_dir/cache"
    )
    # As root, apt downloads as user _apt, which cannot write into a cache
    # under root's home; it would fall back with a warning. Say so up front.
    if [[ $(id -u) -eq 0 ]]; then
        apt_opts+=(-o "APT::Sandbox::User=root")
    fi

    run apt-get "${apt_opts[@]}" update \
        || die "apt-get update (private lists in $apt_dir) failed"
    # apt-get source downloads into the current directory and verifies the
    # files against the signed Sources index.
    (cd "$cache_dir" && run apt-get "${apt_opts[@]}" source --download-only "$package") \
        || die "apt-get source --download-only $package failed"
    orig=$(find_orig) || die "no ${package}_*.orig.tar.* in $cache_dir after apt-get source"
    say "downloaded $orig"
fi

# --- 2. unpack ---------------------------------------------------------------
tree_parent=$cache_dir/tree
say "unpacking $(basename "$orig") into $tree_parent"
rm -rf "$tree_parent"
mkdir -p "$tree_parent"
tar -xf "$orig" -C "$tree_parent" || die "cannot unpack $orig"
shopt -s nullglob
tops=("$tree_parent"/*/)
shopt -u nullglob
[[ ${#tops[@]} -eq 1 ]] || die "expected one top-level directory in $orig, found ${#tops[@]}"
usrsctp_tree=${tops[0]%/}
[[ -f $usrsctp_tree/CMakeLists.txt && -f $usrsctp_tree/usrsctplib/usrsctp.h ]] \
    || die "$usrsctp_tree does not look like a usrsctp source tree"
say "usrsctp source tree: $usrsctp_tree"

# --- 3. configure and build sctpu --------------------------------------------
if [[ -e $build_dir ]]; then
    # Only ever delete something that is a CMake build directory (or empty).
    if [[ -f $build_dir/CMakeCache.txt ]] || [[ -d $build_dir && -z $(ls -A "$build_dir") ]]; then
        say "removing old build dir $build_dir"
        rm -rf "$build_dir"
    else
        die "$build_dir exists and is not a CMake build directory; refusing to delete it"
    fi
fi

say "configuring sctpu with the bundled usrsctp"
run cmake -S "$src_dir" -B "$build_dir" \
    -DSCTPU_BUNDLED_USRSCTP=ON \
    "-DFETCHCONTENT_SOURCE_DIR_USRSCTP=$usrsctp_tree" \
    -DSCTPU_WERROR=ON \
    -DSCTPU_TESTS=OFF \
    || die "cmake configure failed"

jobs=$(nproc 2>/dev/null || echo 2)
say "building (-j$jobs)"
t0=$SECONDS
run cmake --build "$build_dir" -j "$jobs" || die "build failed"
say "build took $((SECONDS - t0)) s"

# --- 4. checks ---------------------------------------------------------------
bin=$build_dir/src/sctpu-echo
[[ -x $bin ]] || die "$bin was not built"

say "checking $bin --version"
version_out=$("$bin" --version 2>&1) || die "'$bin --version' failed: $version_out"
printf '%s\n' "$version_out"
grep -q 'bundled' <<<"$version_out" \
    || die "'sctpu-echo --version' does not mention 'bundled'"

say "checking that $bin does not load libusrsctp.so"
ldd_out=$(ldd "$bin" 2>&1) || die "ldd $bin failed: $ldd_out"
printf '%s\n' "$ldd_out"
if grep -q 'libusrsctp' <<<"$ldd_out"; then
    die "$bin is dynamically linked against libusrsctp"
fi
if command -v nm >/dev/null; then
    # (no "nm | grep -q": grep's early exit would fail the pipe under pipefail)
    syms=$(nm "$bin" 2>/dev/null) || die "nm $bin failed"
    grep -q ' T usrsctp_init' <<<"$syms" \
        || die "$bin does not contain usrsctp (no usrsctp_init symbol)"
    say "usrsctp is linked in statically"
fi

say "OK: bundled usrsctp recipe works (source: $usrsctp_tree)"
