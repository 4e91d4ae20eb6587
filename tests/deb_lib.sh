# shellcheck shell=bash
# tests/deb_lib.sh - the Debian package for the .deb tests (sourced after
# tests/lib.sh): tools_deb_package.sh checks it on this machine,
# lab_deb_install.sh installs it in a clean container.

# What the package must install, besides the docs: the multi-call binary,
# its two links, a man page and a bash completion for each name, and the
# zsh completion. The man pages and completions come from man/ and
# completions/ (their own install() rules).
# shellcheck disable=SC2034 # used by the tests that source this
DEB_TOOLS=(sctpu sctpu-echo sctpu-perf)
DEB_FILES=(
    /usr/bin/sctpu
    /usr/bin/sctpu-echo
    /usr/bin/sctpu-perf
    /usr/bin/sctpu-plot
    /usr/bin/sctpu-sweep
    /usr/share/man/man1/sctpu.1.gz
    /usr/share/man/man1/sctpu-echo.1.gz
    /usr/share/man/man1/sctpu-perf.1.gz
    /usr/share/man/man1/sctpu-plot.1.gz
    /usr/share/man/man1/sctpu-sweep.1.gz
    /usr/share/bash-completion/completions/sctpu
    /usr/share/bash-completion/completions/sctpu-echo
    /usr/share/bash-completion/completions/sctpu-perf
    /usr/share/zsh/vendor-completions/_sctpu
    /usr/share/doc/sctpu/README.md
    /usr/share/doc/sctpu/copyright
    /usr/share/doc/sctpu/changelog.Debian.gz
    /usr/share/lintian/overrides/sctpu
)
for f in "$REPO_DIR"/docs/*.md; do
    DEB_FILES+=("/usr/share/doc/sctpu/$(basename "$f")")
done

# deb_require: the programs these tests need, or skip (77).
# tools/install-deps.sh installs them (dpkg-dev, lintian).
deb_require() {
    local p
    for p in cpack dpkg-deb dpkg-shlibdeps lintian; do
        command -v "$p" >/dev/null ||
            skip "$p is missing (tools/install-deps.sh installs dpkg-dev and lintian)"
    done
    [[ -f $BUILD_DIR/CPackConfig.cmake ]] ||
        fail "$BUILD_DIR has no CPackConfig.cmake (cmake/packaging.cmake)"
}

# deb_build: `cpack -G DEB` on the build tree, the package into $WORK/deb
# (the build tree itself is left as it was). Sets DEB to its path, after
# checking its name: sctpu_<version>-<release>_<arch>.deb, with the
# version the binary reports.
deb_build() {
    local version release arch
    (cd "$WORK" && cpack -G DEB --config "$BUILD_DIR/CPackConfig.cmake" \
        -B "$WORK/deb") >"$WORK/cpack.log" 2>&1 ||
        { show "$WORK/cpack.log"; fail "cpack -G DEB failed"; }
    version=$("$BUILD_DIR/src/sctpu" --version | sed -n '1s/^sctpu //p')
    [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
        fail "sctpu --version gives no version: $("$BUILD_DIR/src/sctpu" --version | head -1)"
    release=$(sed -n 's/^SCTPU_DEB_RELEASE:STRING=//p' "$BUILD_DIR/CMakeCache.txt")
    arch=$(dpkg --print-architecture)
    DEB=$WORK/deb/sctpu_${version}-${release}_${arch}.deb
    [[ -f $DEB ]] || {
        ls -l "$WORK/deb" >&2
        fail "cpack made no $(basename "$DEB")"
    }
    [[ $(find "$WORK/deb" -maxdepth 1 -name '*.deb' | wc -l) == 1 ]] ||
        fail "cpack made more than one package: $(ls "$WORK/deb")"
    echo "built $(basename "$DEB") ($(stat -c %s "$DEB") bytes)"
}

# deb_lintian: lintian finds no error and no warning in $DEB, other than
# those the package's own overrides file accounts for (lintian reads it
# from the package). Informational tags are shown, not failed on.
deb_lintian() {
    local rc=0
    lintian --fail-on error,warning "$DEB" >"$WORK/lintian.out" 2>&1 || rc=$?
    # "running with root privileges is not recommended!" is lintian's own.
    grep -v '^running with root privileges' "$WORK/lintian.out" || true
    if ((rc != 0)) || grep -q '^[EW]: ' "$WORK/lintian.out"; then
        fail "lintian: errors or warnings (exit $rc), above"
    fi
    echo "lintian: no errors or warnings"
}
