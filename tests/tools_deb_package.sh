#!/usr/bin/env bash
# tests/tools_deb_package.sh BUILD_DIR - the Debian package, checked here
# without installing it (tests/lab_deb_install.sh installs it in a clean
# container): `cpack -G DEB` on the build tree gives
# sctpu_<version>-<release>_<arch>.deb whose control fields are right,
# whose Depends was computed (every shared library the binary needs maps
# to a package named there), whose files are all there, root-owned, with
# Debian's permissions, the binary stripped and the links relative, and
# which lintian passes with no error or warning.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/deb_lib.sh
source "$(dirname "$0")/deb_lib.sh"

deb_require
deb_build

# --- control fields ----------------------------------------------------------
field() { dpkg-deb -f "$DEB" "$1"; }
dpkg-deb -f "$DEB"
[[ $(field Package) == sctpu ]] || fail "Package: $(field Package)"
[[ $(field Architecture) == "$(dpkg --print-architecture)" ]] ||
    fail "Architecture: $(field Architecture)"
[[ $(field Section) == net ]] || fail "Section: $(field Section)"
[[ $(field Priority) == optional ]] || fail "Priority: $(field Priority)"
[[ $(field Maintainer) =~ ^[^\<]+\ \<[^@\>]+@[^\>]+\>$ ]] ||
    fail "Maintainer is not 'Name <address>': $(field Maintainer)"
# A one-line synopsis, then a long description.
(($(field Description | wc -l) >= 3)) ||
    fail "Description has no long part: $(field Description)"

# Depends: computed by dpkg-shlibdeps, so each library the binary links
# (its DT_NEEDED entries) is provided by a package that Depends names.
depends=$(field Depends)
[[ $depends == *libusrsctp2* ]] || fail "Depends lacks libusrsctp2: $depends"
[[ $depends == *libevent* ]] || fail "Depends lacks libevent: $depends"
# owner PATH: the installed package that ships PATH, under either of its
# names on a merged-/usr system (/lib/... or /usr/lib/...); empty if none.
owner() {
    local p
    for p in "$1" "${1#/usr}" "/usr$1"; do
        dpkg -S "$p" 2>/dev/null | awk -F: 'NR == 1 { print $1 }' &&
            return 0
    done
}
needed=$(readelf -d "$BUILD_DIR/src/sctpu" |
    sed -n 's/.*(NEEDED).*Shared library: \[\(.*\)\]/\1/p')
[[ -n $needed ]] || fail "readelf shows no NEEDED libraries in sctpu"
for lib in $needed; do
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && !p { print $NF; p = 1 }')
    [[ -n $path ]] || fail "ldconfig does not know $lib"
    pkg=$(owner "$(readlink -f "$path")")
    [[ -n $pkg ]] || pkg=$(owner "$path")
    [[ -n $pkg ]] || fail "no installed package ships $path ($lib)"
    tr ',' '\n' <<<"$depends" | awk '{ print $1 }' | grep -qFx "$pkg" ||
        fail "sctpu links $lib (package $pkg), which Depends lacks: $depends"
    echo "links $lib: $pkg in Depends"
done

# --- contents ----------------------------------------------------------------
dpkg-deb -c "$DEB" >"$WORK/contents"
missing=()
for f in "${DEB_FILES[@]}"; do
    grep -q " \.$f\( -> .*\)\?$" "$WORK/contents" || missing+=("$f")
done
((${#missing[@]} == 0)) || {
    show "$WORK/contents"
    fail "the package lacks ${missing[*]}"
}
# Everything root-owned; nothing group- or world-writable.
awk '$2 != "root/root" { print "not root-owned: " $0; bad = 1 }
     $1 !~ /^l/ && $1 ~ /^.....w|^........w/ { print "writable by others: " $0; bad = 1 }
     END { exit bad }' "$WORK/contents" || fail "ownership or permissions, above"
# The links are relative symlinks to sctpu, next to it.
for t in sctpu-echo sctpu-perf; do
    grep -Eq "^lrwxrwxrwx .* \./usr/bin/$t -> sctpu$" "$WORK/contents" ||
        fail "/usr/bin/$t is not a symlink to sctpu: $(grep "/usr/bin/$t" "$WORK/contents")"
done
grep -Eq '^-rwxr-xr-x root/root .* \./usr/bin/sctpu$' "$WORK/contents" ||
    fail "/usr/bin/sctpu is not 755: $(grep '/usr/bin/sctpu$' "$WORK/contents")"
# Directories 755, documentation and data 644.
awk '$1 ~ /^d/ && $1 != "drwxr-xr-x" { print; bad = 1 }
     $6 ~ /^\.\/usr\/share\// && $1 ~ /^-/ && $1 != "-rw-r--r--" { print; bad = 1 }
     END { exit bad }' "$WORK/contents" ||
    fail "directories must be 755 and files under /usr/share 644 (above)"

# --- the files themselves ----------------------------------------------------
dpkg-deb -x "$DEB" "$WORK/root"
readelf -S "$WORK/root/usr/bin/sctpu" >"$WORK/sections"
grep -q '\.symtab' "$WORK/sections" && fail "/usr/bin/sctpu is not stripped"
"$WORK/root/usr/bin/sctpu-perf" --version | grep -q '^sctpu-perf ' ||
    fail "the packaged sctpu-perf does not run"
# copyright in DEP-5 (machine-readable) form, one Files paragraph at least.
first=$(sed -n 1p "$WORK/root/usr/share/doc/sctpu/copyright")
[[ $first == 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' ]] ||
    fail "copyright is not DEP-5: $first"
grep -q '^Files: \*$' "$WORK/root/usr/share/doc/sctpu/copyright" ||
    fail "copyright has no 'Files: *' paragraph"
# The changelog's entry is this very version.
first=$(zcat "$WORK/root/usr/share/doc/sctpu/changelog.Debian.gz" | sed -n 1p)
[[ $first == "sctpu ($(field Version)) "* ]] ||
    fail "changelog.Debian.gz starts '$first', not version $(field Version)"
# Man pages are gzipped roff, completions are shell that parses.
for t in "${DEB_TOOLS[@]}"; do
    (($(zcat "$WORK/root/usr/share/man/man1/$t.1.gz" | grep -c '^\.TH ') == 1)) ||
        fail "$t.1.gz is not a gzipped man page"
    bash -n "$WORK/root/usr/share/bash-completion/completions/$t" ||
        fail "the bash completion for $t does not parse"
done

# --- lintian -----------------------------------------------------------------
deb_lintian

echo "PASS: $(basename "$DEB"): Depends: $depends; $(wc -l <"$WORK/contents") entries, lintian clean"
