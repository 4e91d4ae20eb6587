#!/usr/bin/env bash
# docs_install: `cmake --install` (as a Debian package build runs it:
# DESTDIR, prefix /usr) puts the man pages and the shell completion where
# man, bash-completion and zsh look for them:
#   usr/share/man/man1/{sctpu,sctpu-echo,sctpu-perf}.1.gz  gzip -9n (no
#       name, no time stamp: Debian policy, reproducible), found by man -w
#   usr/share/bash-completion/completions/sctpu, and sctpu-echo and
#       sctpu-perf linking to it; bash-completion's on-demand loader,
#       pointed at the tree (XDG_DATA_DIRS), loads it for each name
#   usr/share/zsh/vendor-completions/_sctpu
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ -d $BUILD_DIR/man ]] ||
    skip "man pages not built (no scdoc at configure time, or SCTPU_MAN=OFF)"
dest=$WORK/dest
DESTDIR=$dest cmake --install "$BUILD_DIR" --prefix /usr >"$WORK/install.log" ||
    fail "cmake --install failed: $(cat "$WORK/install.log")"
share=$dest/usr/share

for page in sctpu sctpu-echo sctpu-perf sctpu-plot sctpu-sweep; do
    gz=$share/man/man1/$page.1.gz
    [[ -f $gz ]] || fail "$gz was not installed"
    gzip -t "$gz" || fail "$gz is not a valid gzip file"
    zcmp -s "$gz" "$BUILD_DIR/man/$page.1" || fail "$gz is not the built page"
    # gzip header: FLG (byte 3) without FNAME (0x08), MTIME (4-7) zero
    read -r flg m0 m1 m2 m3 < <(od -An -tu1 -j3 -N5 "$gz")
    ((!(flg & 8))) || fail "$gz carries a file name (gzip without -n)"
    ((m0 + m1 + m2 + m3 == 0)) || fail "$gz carries a time stamp (gzip without -n)"
    found=$(MANPATH=$share/man man -w "$page" 2>/dev/null) || true
    [[ $found == "$gz" ]] || fail "man -w $page found '$found', not $gz"
done
echo "ok: man pages installed gzipped (-9n) and found by man"

comp=$share/bash-completion/completions
[[ -f $comp/sctpu && ! -L $comp/sctpu ]] || fail "$comp/sctpu missing"
cmp -s "$comp/sctpu" "$REPO_DIR/completions/sctpu.bash" ||
    fail "$comp/sctpu is not completions/sctpu.bash"
for name in sctpu-echo sctpu-perf; do
    [[ $(readlink "$comp/$name") == sctpu ]] ||
        fail "$comp/$name does not link to sctpu"
done
[[ -f $share/zsh/vendor-completions/_sctpu ]] ||
    fail "zsh/vendor-completions/_sctpu was not installed"
echo "ok: completion files installed"

library=/usr/share/bash-completion/bash_completion
[[ -r $library ]] ||
    skip "$library is missing (Debian: bash-completion): on-demand loading not checked"
for name in sctpu sctpu-echo sctpu-perf; do
    # shellcheck disable=SC2016 # expanded by the inner bash
    got=$(XDG_DATA_DIRS=$share HOME=$WORK bash -c '
        source "$1" && __load_completion "$2" && complete -p "$2"' \
        _ "$library" "$name" 2>&1) ||
        fail "bash-completion did not load a completion for $name: $got"
    [[ $got == *"-F _sctpu $name" ]] ||
        fail "bash-completion loaded '$got' for $name"
done
echo "PASS: installed where man, bash-completion and zsh find them"
