#!/usr/bin/env bash
# Build usrsctp's own example programs (an independent SCTP implementation to
# test sctpu against) from the sources that Debian's libusrsctp-dev ships in
# /usr/share/doc/libusrsctp-dev/examples/:
#
#   echo_server     [local_encaps_port [remote_encaps_port]]   SCTP port 7
#   client          addr sctp_port [local_sctp_port [local_encaps [remote_encaps]]]
#   tsctp           [-E local_encaps] [-U remote_encaps] [-p port] ... [addr]
#   discard_server  [local_encaps_port [remote_encaps_port]]   SCTP port 9
#
# Where that directory was stripped (images often drop /usr/share/doc), the
# same files come from Debian's source package instead: its orig tarball's
# programs/ (identical to the doc copies), downloaded once with a private
# apt configuration into the cache that tools/test-bundled-usrsctp.sh uses.
#
# usage: tools/build-usrsctp-examples.sh [OUT_DIR]
#        tools/build-usrsctp-examples.sh --fetch-only
#   OUT_DIR       where the programs go (default: <repo>/build/usrsctp-examples)
#   --fetch-only  build nothing: only make sure the sources are at hand,
#                 downloading the source package if needed (tools/install-deps.sh
#                 does this, so that tests never need the network)
# environment:
#   CC                        C compiler (default: cc)
#   SCTPU_USRSCTP_EXAMPLES    example sources (default: Debian's location)
#   SCTPU_USRSCTP_LIBS        link flags (default: -lusrsctp -lpthread)
#   SCTPU_DEBSRC_CACHE        where the source package is kept
#                             (default: ${XDG_CACHE_HOME:-$HOME/.cache}/sctpu/debsrc)
#   SCTPU_DEBSRC_PACKAGE      source package name (default: libusrsctp)
#
# Exit status: 0 built or already up to date; 1 a build failed; 3 a
# prerequisite (libusrsctp-dev, a C compiler, the example sources) is missing.
#
# Debian does not ship programs_helper.h, so this script writes its own small
# header for the helpers that programs_helper.c defines. Nothing of usrsctp's
# (sources or binaries) ends up in the repository: everything goes to OUT_DIR.
# A program is rebuilt only when one of its inputs is newer than it. The
# programs are usrsctp's code, not ours: they are built without -Werror and
# their warnings are kept in OUT_DIR/build.log, not shown.

set -euo pipefail
shopt -s inherit_errexit

# die MESSAGE [STATUS]
die() { printf 'build-usrsctp-examples: %s\n' "$1" >&2; exit "${2:-1}"; }
missing() { die "$* (on Debian: apt-get install libusrsctp-dev)" 3; }

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(cd "$script_dir/.." && pwd)
fetch_only=0
if [[ ${1:-} == --fetch-only ]]; then
    fetch_only=1
    shift
fi
out_dir=${1:-$repo_dir/build/usrsctp-examples}
src_dir=${SCTPU_USRSCTP_EXAMPLES:-/usr/share/doc/libusrsctp-dev/examples}
cache_dir=${SCTPU_DEBSRC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sctpu/debsrc}
package=${SCTPU_DEBSRC_PACKAGE:-libusrsctp}
cc=${CC:-cc}
read -r -a libs <<<"${SCTPU_USRSCTP_LIBS:--lusrsctp -lpthread}"
programs=(echo_server client tsctp discard_server)
sources=(programs_helper "${programs[@]}")

# --- example sources: Debian's doc copies, or its source package ------------
# has_sources DIR: DIR has NAME.c or NAME.c.gz (Debian may compress larger
# documentation files) for every program and the helper.
has_sources() {
    local name
    for name in "${sources[@]}"; do
        [[ -f $1/$name.c || -f $1/$name.c.gz ]] || return 1
    done
}

find_orig() {
    local f
    for f in "$cache_dir/${package}"_*.orig.tar.*; do
        case $f in *.asc) continue ;; esac
        [[ -f $f ]] && { printf '%s\n' "$f"; return 0; }
    done
    return 1
}

# fetch_orig: download the source package into $cache_dir with apt-get
# source --download-only (it checks the files against the signed Sources
# index). The deb-src list, the package lists and apt's cache are private,
# under $cache_dir/apt: the system's apt setup is not touched.
fetch_orig() {
    local apt_dir=$cache_dir/apt list opts
    command -v apt-get >/dev/null ||
        die "no apt-get to fetch Debian's source package $package" 3
    mkdir -p "$apt_dir/sources.list.d" "$apt_dir/state/lists/partial" \
        "$apt_dir/cache/archives/partial"
    rm -f "$apt_dir/sources.list.d/"*
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        list=$apt_dir/sources.list.d/src.sources
        sed 's/^Types: deb$/Types: deb-src/' \
            /etc/apt/sources.list.d/debian.sources >"$list"
    else
        list=$apt_dir/sources.list.d/src.list
        sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >"$list" 2>/dev/null || true
    fi
    grep -qE '^(Types: deb-src|deb-src )' "$list" ||
        die "no deb-src entry can be derived from the system's apt sources" 3
    opts=(-o "Dir::Etc::sourcelist=/dev/null"
          -o "Dir::Etc::sourceparts=$apt_dir/sources.list.d"
          -o "Dir::State::Lists=$apt_dir/state/lists"
          -o "Dir::Cache=$apt_dir/cache")
    # As root apt downloads as _apt, which cannot write under root's home.
    [[ $(id -u) != 0 ]] || opts+=(-o "APT::Sandbox::User=root")
    echo "build-usrsctp-examples: fetching Debian's source package $package into $cache_dir" >&2
    # apt-get update only warns when a list cannot be fetched: look for one.
    rm -f "$apt_dir/state/lists/"*Sources*
    apt-get "${opts[@]}" -qq update >"$apt_dir/fetch.log" 2>&1 || true
    compgen -G "$apt_dir/state/lists/*Sources*" >/dev/null ||
        die "cannot download Debian's source index (no network?): $(grep -m1 -E '^(W|E):' "$apt_dir/fetch.log")" 3
    (cd "$cache_dir" && apt-get "${opts[@]}" -qq source --download-only \
        "$package") >>"$apt_dir/fetch.log" 2>&1 ||
        die "apt-get source --download-only $package failed: $(grep -m1 '^E:' "$apt_dir/fetch.log")" 3
}

# source_package_orig: the orig tarball, fetched once (one fetch at a time).
source_package_orig() {
    local orig
    mkdir -p "$cache_dir"
    exec 8>"$cache_dir/.lock"
    flock 8
    orig=$(find_orig) || { fetch_orig; orig=$(find_orig); } ||
        die "no ${package}_*.orig.tar.* in $cache_dir after apt-get source" 3
    exec 8>&-
    printf '%s\n' "$orig"
}

orig=
if ! has_sources "$src_dir"; then
    orig=$(source_package_orig)
    echo "build-usrsctp-examples: no example sources in $src_dir: using $orig" >&2
fi
if ((fetch_only)); then
    echo "build-usrsctp-examples: example sources at hand (${orig:-$src_dir})"
    exit 0
fi

# --- prerequisites ----------------------------------------------------------
command -v "$cc" >/dev/null 2>&1 || die "C compiler '$cc' not found" 3

mkdir -p "$out_dir/src" "$out_dir/include"
# Tests run in parallel (ctest -j) and share OUT_DIR: one build at a time,
# the others wait and then find the programs up to date.
exec 9>"$out_dir/.lock"
flock 9

# The source package's programs/ into OUT_DIR/debsrc, once per tarball.
if [[ -n $orig ]]; then
    debsrc=$out_dir/debsrc
    if [[ ! -f $debsrc/.from || $(cat "$debsrc/.from") != "$orig" ]] ||
        ! has_sources "$debsrc"; then
        rm -rf "$debsrc"
        mkdir -p "$debsrc"
        patterns=()
        for name in "${sources[@]}"; do
            patterns+=("*/programs/$name.c")
        done
        tar -xf "$orig" -C "$debsrc" --strip-components=2 --wildcards \
            "${patterns[@]}" ||
            die "$orig lacks some of programs/{$(IFS=,; echo "${sources[*]}")}.c" 3
        printf '%s\n' "$orig" >"$debsrc/.from"
    fi
    src_dir=$debsrc
fi

find_source() {
    local name=$1
    if [[ -f $src_dir/$name.c ]]; then
        printf '%s\n' "$src_dir/$name.c"
    else
        printf '%s\n' "$src_dir/$name.c.gz"
    fi
}

# Is the library there at all? Try to compile and link a one-liner.
out_dir=$(cd "$out_dir" && pwd)
probe=$out_dir/.probe.$$
trap 'rm -f "$probe" "$probe.c" "$out_dir"/*.tmp.$$' EXIT
printf '#include <usrsctp.h>\nint main(void) { return usrsctp_finish(); }\n' >"$probe.c"
if ! "$cc" "$probe.c" -o "$probe" "${libs[@]}" >/dev/null 2>&1; then
    missing "cannot compile and link against usrsctp (usrsctp.h and libusrsctp.so, with ${libs[*]})"
fi
rm -f "$probe" "$probe.c"

# --- our own programs_helper.h ----------------------------------------------
# Written only when its content changes, so its mtime drives rebuilds.
header=$out_dir/include/programs_helper.h
header_new=$header.tmp.$$
cat >"$header_new" <<'EOF'
/* programs_helper.h - written by sctpu's tools/build-usrsctp-examples.sh.
 * Declarations of the helpers defined in usrsctp's programs_helper.c, which
 * Debian's libusrsctp-dev ships without this header. */
#ifndef SCTPU_PROGRAMS_HELPER_H
#define SCTPU_PROGRAMS_HELPER_H

#include <stddef.h>
#include <stdio.h>
#include <usrsctp.h>

#if defined(__GNUC__)
#define SCTPU_PH_PRINTF __attribute__((format(printf, 1, 2)))
#else
#define SCTPU_PH_PRINTF
#endif

/* Where the debug and notification output goes (default: stdout). */
void debug_set_target(FILE *fp);
/* printf to that target, without and with a timestamp prefix. */
void debug_printf_clean(const char *format, ...) SCTPU_PH_PRINTF;
void debug_printf(const char *format, ...) SCTPU_PH_PRINTF;
/* The debug callback that the programs hand to usrsctp_init(). */
void debug_printf_stack(const char *format, ...) SCTPU_PH_PRINTF;
/* Print an SCTP notification of n bytes in readable form. */
void handle_notification(union sctp_notification *notif, size_t n);

#endif
EOF
if [[ -f $header ]] && cmp -s "$header" "$header_new"; then
    rm -f "$header_new"
else
    mv -f "$header_new" "$header"
fi

# --- sources: plain .c used in place, .c.gz unpacked into OUT_DIR/src ---------
# prepare_source NAME: print the path of a plain .c file for NAME.
prepare_source() {
    local name=$1 src dst
    src=$(find_source "$name")
    case $src in
    *.gz)
        dst=$out_dir/src/$name.c
        if [[ ! -f $dst || $src -nt $dst ]]; then
            gzip -dc "$src" >"$dst.tmp.$$"
            mv -f "$dst.tmp.$$" "$dst"
        fi
        printf '%s\n' "$dst"
        ;;
    *) printf '%s\n' "$src" ;;
    esac
}

helper_c=$(prepare_source programs_helper)

# Definitions the upstream build (usrsctp's CMake) uses for its programs.
cflags=(-std=gnu99 -O2 -g -pthread -DINET -DINET6 -D_GNU_SOURCE
        -I"$out_dir/include")
log=$out_dir/build.log

built=0
for prog in "${programs[@]}"; do
    prog_c=$(prepare_source "$prog")
    out=$out_dir/$prog
    fresh=1
    for input in "$prog_c" "$helper_c" "$header" "${BASH_SOURCE[0]}"; do
        if [[ ! -x $out || $input -nt $out ]]; then
            fresh=0
            break
        fi
    done
    ((fresh)) && continue
    printf '+ %s %s %s %s\n' "$cc" "${cflags[*]}" "$prog_c $helper_c" "-o $out ${libs[*]}" >>"$log"
    # Build to a temporary name and rename, so that concurrent runs never see
    # a half-written program.
    if ! "$cc" "${cflags[@]}" "$prog_c" "$helper_c" -o "$out.tmp.$$" "${libs[@]}" >>"$log" 2>&1; then
        tail -n 30 "$log" >&2
        die "building $prog failed (full log: $log)"
    fi
    mv -f "$out.tmp.$$" "$out"
    built=$((built + 1))
done

if ((built)); then
    printf 'build-usrsctp-examples: built %d program(s) in %s\n' "$built" "$out_dir"
else
    printf 'build-usrsctp-examples: up to date in %s\n' "$out_dir"
fi
