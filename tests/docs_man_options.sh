#!/usr/bin/env bash
# docs_man_options: each tool's man page documents exactly the options its
# --help lists, short and long, in both directions (tests/docs_options.py
# reads the option column of --help and the option lines of the page's
# OPTIONS sections). Fails listing every option only one of them has.
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MAN_DIR=$BUILD_DIR/man
[[ -d $MAN_DIR ]] ||
    skip "man pages not built (no scdoc at configure time, or SCTPU_MAN=OFF)"
command -v man >/dev/null || skip "man is missing (Debian: man-db)"
PY=/usr/bin/python3
[[ -x $PY ]] || skip "$PY is missing"

# tool_help TOOL: its --help (the scripts from tools/, the rest built).
tool_help() {
    case $1 in
    sctpu-plot | sctpu-sweep) "$PY" "$REPO_DIR/tools/$1" --help ;;
    *) "$BUILD_DIR/src/$1" --help ;;
    esac
}

bad=0
for tool in sctpu-echo sctpu-perf sctpu-plot sctpu-sweep; do
    tool_help "$tool" >"$WORK/help.txt" || fail "$tool --help exited $?"
    "$PY" "$TESTS_DIR/docs_options.py" help <"$WORK/help.txt" >"$WORK/help" ||
        fail "no options read from $tool --help"
    # Wide enough that no option line wraps.
    MANWIDTH=250 LC_ALL=C.UTF-8 man -l "$MAN_DIR/$tool.1" >"$WORK/man.txt" \
        2>/dev/null || fail "man -l $tool.1 failed"
    "$PY" "$TESTS_DIR/docs_options.py" man <"$WORK/man.txt" >"$WORK/man" ||
        fail "no options read from $tool.1"
    only_help=$(comm -23 "$WORK/help" "$WORK/man")
    only_man=$(comm -13 "$WORK/help" "$WORK/man")
    if [[ -n $only_help ]]; then
        echo "FAIL: $tool --help has options $tool.1 lacks: ${only_help//$'\n'/ }" >&2
        bad=1
    fi
    if [[ -n $only_man ]]; then
        echo "FAIL: $tool.1 has options $tool --help lacks: ${only_man//$'\n'/ }" >&2
        bad=1
    fi
    echo "$tool: $(wc -l <"$WORK/help") options in --help," \
        "$(wc -l <"$WORK/man") in $tool.1"
done
((bad == 0)) || exit 1
echo "PASS: man pages and --help list the same options"
