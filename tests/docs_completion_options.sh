#!/usr/bin/env bash
# docs_completion_options: the bash and zsh completions (completions/) know
# exactly the options each tool's --help lists, short and long, in both
# directions; the options --help lists only to refuse them are named in
# the scripts' refused lists instead of being offered. The scripts carry
# their option lists (no --help run at completion time), so this test is
# what keeps them from drifting. Fails listing the differences.
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PY=/usr/bin/python3
[[ -x $PY ]] || skip "$PY is missing"
command -v zsh >/dev/null || skip "zsh is missing (Debian: zsh)"
BASH_SCRIPT=$REPO_DIR/completions/sctpu.bash
ZSH_SCRIPT=$REPO_DIR/completions/_sctpu

bad=0
# compare TOOL WHAT FILE: FILE (sorted) against the tool's --help options.
compare() {
    local only_help only_script
    only_help=$(comm -23 "$WORK/help" "$3")
    only_script=$(comm -13 "$WORK/help" "$3")
    if [[ -n $only_help ]]; then
        echo "FAIL: $1 --help has options $2 lacks: ${only_help//$'\n'/ }" >&2
        bad=1
    fi
    if [[ -n $only_script ]]; then
        echo "FAIL: $2 has options $1 --help lacks: ${only_script//$'\n'/ }" >&2
        bad=1
    fi
    echo "$1: $(wc -l <"$WORK/help") options in --help, $(wc -l <"$3") in $2"
}

for tool in echo perf; do
    "$BUILD_DIR/src/sctpu-$tool" --help >"$WORK/help.txt" ||
        fail "sctpu-$tool --help exited $?"
    "$PY" "$TESTS_DIR/docs_options.py" help <"$WORK/help.txt" >"$WORK/help" ||
        fail "no options read from sctpu-$tool --help"

    # bash: what it offers (arg, flag) and what it knows to refuse.
    # shellcheck disable=SC2016 # expanded by the inner bash
    bash -c 'source "$1" && for k in arg flag refused; do
                 _sctpu_options "$2" $k; done' _ "$BASH_SCRIPT" "$tool" |
        tr ' ' '\n' | sed '/^$/d' | sort -u >"$WORK/bash"
    [[ -s $WORK/bash ]] || fail "no $tool options read from $BASH_SCRIPT"
    compare "sctpu-$tool" "completions/sctpu.bash" "$WORK/bash"

    # zsh: the option names of the _arguments specs, and the refused list.
    # shellcheck disable=SC2016 # expanded by zsh
    zsh -fc 'source "$1" && _sctpu_specs "$2" && print -rl -- $reply &&
             _sctpu_refused "$2" && print -rl -- $reply' _ "$ZSH_SCRIPT" \
        "$tool" >"$WORK/zsh.txt" || fail "zsh could not load $ZSH_SCRIPT"
    "$PY" "$TESTS_DIR/docs_options.py" zsh <"$WORK/zsh.txt" >"$WORK/zsh" ||
        fail "no $tool options read from $ZSH_SCRIPT"
    compare "sctpu-$tool" "completions/_sctpu" "$WORK/zsh"
done
((bad == 0)) || exit 1
echo "PASS: the completions know exactly the options of --help"
