#!/usr/bin/env bash
# docs_man_render: each built man page (man/*.1.scd -> BUILD/man/*.1)
# renders without a single warning, both through groff with every warning
# on (-ww; -t for the EXIT STATUS table) and through man(1) as a reader
# sees it at 80 columns (man --warnings: also lines it cannot break), and
# has the sections a man page needs. Installing gzipped is checked too:
# the .gz must hold exactly the page.
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MAN_DIR=$BUILD_DIR/man
[[ -d $MAN_DIR ]] ||
    skip "man pages not built (no scdoc at configure time, or SCTPU_MAN=OFF)"
command -v groff >/dev/null || skip "groff is missing (Debian: groff-base)"
command -v man >/dev/null || skip "man is missing (Debian: man-db)"

pages=(sctpu sctpu-echo sctpu-perf sctpu-plot sctpu-sweep)
for page in "${pages[@]}"; do
    roff=$MAN_DIR/$page.1
    [[ -s $roff ]] || fail "$roff was not built"
    zcmp -s "$roff.gz" "$roff" || fail "$roff.gz does not hold $roff"

    warnings=$(groff -t -man -ww -z "$roff" 2>&1)
    [[ -z $warnings ]] || fail "groff -t -man -ww on $page.1:"$'\n'"$warnings"

    text=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$roff" 2>"$WORK/err")
    [[ ! -s $WORK/err ]] ||
        fail "man --warnings -l $page.1:"$'\n'"$(cat "$WORK/err")"

    for section in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES "EXIT STATUS" \
        "SEE ALSO"; do
        grep -qx "$section" <<<"$text" || fail "$page.1 has no $section section"
    done
    # The one EXIT STATUS table names 0, 1 (or "0, 1, 2") and 2.
    status=$(sed -n '/^EXIT STATUS$/,/^[A-Z]/p' <<<"$text")
    for code in 0 2; do
        grep -qE "^ +│${code}[ ,]" <<<"$status" ||
            fail "$page.1: the EXIT STATUS table has no row for $code"
    done
    # No scdoc placeholder left unconfigured.
    if grep -q '@[A-Z_]*@' <<<"$text"; then
        fail "$page.1 still has a @VAR@ placeholder"
    fi
    echo "ok: $page.1 renders without warnings"
done

# The tools' pages document SIGINT/SIGTERM in the exit status table.
for page in sctpu-echo sctpu-perf; do
    MANWIDTH=80 LC_ALL=C.UTF-8 man -l "$MAN_DIR/$page.1" 2>/dev/null |
        sed -n '/^EXIT STATUS$/,/^[A-Z]/p' | grep -q SIGINT ||
        fail "$page.1: EXIT STATUS does not say what SIGINT does"
done
echo "PASS: ${#pages[@]} man pages render cleanly"
