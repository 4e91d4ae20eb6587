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
# usage: tools/build-usrsctp-examples.sh [OUT_DIR]
#   OUT_DIR  where the programs go (default: <repo>/build/usrsctp-examples)
# environment:
#   CC                        C compiler (default: cc)
#   SCTPU_USRSCTP_EXAMPLES    example sources (default: Debian's location)
#   SCTPU_USRSCTP_LIBS        link flags (default: -lusrsctp -lpthread)
#
# Exit status: 0 built or already up to date; 1 a build failed; 3 a
# prerequisite (libusrsctp-dev, a C compiler) is missing.
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
out_dir=${1:-$repo_dir/build/usrsctp-examples}
src_dir=${SCTPU_USRSCTP_EXAMPLES:-/usr/share/doc/libusrsctp-dev/examples}
cc=${CC:-cc}
read -r -a libs <<<"${SCTPU_USRSCTP_LIBS:--lusrsctp -lpthread}"
programs=(echo_server client tsctp discard_server)

# --- prerequisites ----------------------------------------------------------
[[ -d $src_dir ]] || missing "usrsctp example sources not found in $src_dir"
command -v "$cc" >/dev/null 2>&1 || die "C compiler '$cc' not found" 3

# Debian may compress larger documentation files: accept NAME.c or NAME.c.gz.
find_source() {
    local name=$1
    if [[ -f $src_dir/$name.c ]]; then
        printf '%s\n' "$src_dir/$name.c"
    elif [[ -f $src_dir/$name.c.gz ]]; then
        printf '%s\n' "$src_dir/$name.c.gz"
    else
        missing "$src_dir has neither $name.c nor $name.c.gz"
    fi
}

mkdir -p "$out_dir/src" "$out_dir/include"
# Tests run in parallel (ctest -j) and share OUT_DIR: one build at a time,
# the others wait and then find the programs up to date.
exec 9>"$out_dir/.lock"
flock 9

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
