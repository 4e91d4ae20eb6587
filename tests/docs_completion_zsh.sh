#!/usr/bin/env bash
# docs_completion_zsh: completions/_sctpu parses (zsh -n), and completes
# real command lines in an interactive zsh with compinit, driven through a
# pseudo-terminal by tests/docs_zsh_complete.zsh: option names, the
# enumerated values (--backend, --pr-policy, --scheduler, --impair-dir,
# --dscp), files for --logfile/--pcap, and the tool after `sctpu`.
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v zsh >/dev/null || skip "zsh is missing (Debian: zsh)"
SCRIPT=$REPO_DIR/completions/_sctpu
zsh -n "$SCRIPT" || fail "zsh -n: $SCRIPT does not parse"
head -1 "$SCRIPT" | grep -qx '#compdef sctpu sctpu-echo sctpu-perf' ||
    fail "$SCRIPT does not start with #compdef sctpu sctpu-echo sctpu-perf"
zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zsh/zpty module"
echo "ok: zsh -n, #compdef"

# Only _sctpu in the directory put first on fpath.
mkdir -p "$WORK/fpath" "$WORK/files/sub"
cp "$SCRIPT" "$WORK/fpath/"
touch "$WORK/files/xa.log" "$WORK/files/xb.pcap" "$WORK/files/y"

candidates() {
    timeout 60 zsh -f "$TESTS_DIR/docs_zsh_complete.zsh" "$WORK/fpath" "$1" |
        sort -u
}

# expect LINE WANT: completing LINE offers exactly the words of WANT.
expect() {
    local got want
    got=$(candidates "$1") || fail "zsh: completing '$1' did not finish"
    got=${got//$'\n'/ }
    want=$(tr ' ' '\n' <<<"$2" | sed '/^$/d' | sort -u | tr '\n' ' ')
    want=${want% }
    [[ $got == "$want" ]] || fail "zsh: '$1<TAB>': want [$want], got [$got]"
    echo "ok: '$1' -> [$got]"
}

# includes LINE WORDS: completing LINE offers every one of WORDS, and none
# of those after a "!".
includes() {
    local got w neg=0
    got=$(candidates "$1") || fail "zsh: completing '$1' did not finish"
    for w in $2; do
        if [[ $w == '!' ]]; then
            neg=1
        elif ((neg == 0)) && ! grep -qxF -- "$w" <<<"$got"; then
            fail "zsh: '$1<TAB>' does not offer $w; got: ${got//$'\n'/ }"
        elif ((neg == 1)) && grep -qxF -- "$w" <<<"$got"; then
            fail "zsh: '$1<TAB>' offers $w, which it must not"
        fi
    done
    echo "ok: '$1' offers $2 ($(wc -l <<<"$got") candidates)"
}

expect "sctpu-perf --back" "--backend"
expect "sctpu-perf --backend " "usrsctp kernel all"
expect "sctpu-perf --backend=k" "kernel"
expect "sctpu perf --pr-policy " "ttl rtx buf"
expect "sctpu-perf --scheduler f" "fcfs fair"
expect "sctpu-echo --impair-dir " "tx rx both"
expect "sctpu-echo --dscp E" "EF"
expect "sctpu-perf -t " ""
expect "sctpu-perf --logfile $WORK/files/x" "xa.log xb.pcap"
expect "sctpu-echo --pcap $WORK/files/x" "xa.log xb.pcap"
includes "sctpu " "echo perf sctpu-echo sctpu-perf"
includes "sctpu perf --" "--client --server --pr-policy --rr --stream ! --udp --zerocopy --ip"
includes "sctpu-echo --" "--client --ip --once --hold ! --rr --logfile"
echo "PASS: zsh completion"
