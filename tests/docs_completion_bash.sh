#!/usr/bin/env bash
# docs_completion_bash: completions/sctpu.bash completes real command lines
# the way a user at a prompt gets them: COMP_WORDS/COMP_CWORD/COMP_LINE/
# COMP_POINT set as bash sets them, the function `complete` registered for
# the command called, COMPREPLY checked. Run twice: on the script alone,
# and with bash-completion's library loaded first, as in an interactive
# shell on Debian (then files come from its _filedir).
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SCRIPT=$REPO_DIR/completions/sctpu.bash
LIBRARY=/usr/share/bash-completion/bash_completion

# A directory to complete file names in.
mkdir -p "$WORK/files/sub"
touch "$WORK/files/xa.log" "$WORK/files/xb.pcap" "$WORK/files/y"

# complete_words WORD... : COMPREPLY, sorted, one a line, for the command
# line made of the WORDs, completed at the end of the last one (give ""
# to complete a new word). Runs in a fresh bash so no state leaks.
complete_words() {
    local with_lib=$1
    shift
    # shellcheck disable=SC2016 # expanded by the inner bash
    bash -c '
        lib=$1 script=$2
        shift 2
        if [[ -n $lib ]]; then
            # Non-interactive: the library still loads and defines its
            # helpers (_filedir, _known_hosts_real ...).
            source "$lib" || exit 3
        fi
        source "$script" || exit 3
        COMP_WORDS=("$@")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="${COMP_WORDS[*]}"
        COMP_POINT=${#COMP_LINE}
        func=$(complete -p "${COMP_WORDS[0]}" 2>/dev/null |
               sed -n "s/.*-F \([^ ]*\) .*/\1/p")
        [[ -n $func ]] || { echo "no completion for ${COMP_WORDS[0]}" >&2; exit 4; }
        "$func" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" \
            "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
        printf "%s\n" "${COMPREPLY[@]}" | sed "/^$/d" | sort
    ' _ "$with_lib" "$SCRIPT" "$@"
}

# expect LIB WANT WORD...: the completions must be exactly WANT (words
# separated by spaces; "" for none).
expect() {
    local lib=$1 want=$2 got
    shift 2
    got=$(complete_words "$lib" "$@") || fail "completing '$*' failed"
    got=${got//$'\n'/ }
    want=$(tr ' ' '\n' <<<"$want" | sed '/^$/d' | sort | tr '\n' ' ')
    want=${want% }
    [[ $got == "$want" ]] ||
        fail "${lib:+(with bash-completion) }'$*<TAB>': want [$want], got [$got]"
    echo "ok: ${lib:+(bash-completion) }'$*' -> [$got]"
}

# includes LIB WORDS WORD...: the completions include every one of WORDS
# and none of the words after "!".
includes() {
    local lib=$1 words=$2 got w neg=0
    shift 2
    got=$(complete_words "$lib" "$@") || fail "completing '$*' failed"
    for w in $words; do
        if [[ $w == '!' ]]; then
            neg=1
        elif ((neg == 0)) && ! grep -qxF -- "$w" <<<"$got"; then
            fail "'$*<TAB>' does not offer $w; got: ${got//$'\n'/ }"
        elif ((neg == 1)) && grep -qxF -- "$w" <<<"$got"; then
            fail "'$*<TAB>' offers $w, which it must not"
        fi
    done
    echo "ok: ${lib:+(bash-completion) }'$*' offers $words ($(wc -l <<<"$got") words)"
}

run_cases() {
    local lib=$1 f=$WORK/files
    expect "$lib" "--backend" sctpu-perf --back
    expect "$lib" "kernel" sctpu-perf --backend k
    expect "$lib" "usrsctp kernel all" sctpu-echo --backend ""
    expect "$lib" "ttl rtx buf" sctpu-perf --pr-policy ""
    expect "$lib" "fcfs fair" sctpu-perf -c h --scheduler f
    expect "$lib" "tx rx both" sctpu perf --impair-dir ""
    expect "$lib" "EF" sctpu-echo --dscp E
    # "--backend=k": bash splits it at '=' (COMP_WORDBREAKS), or it
    # arrives whole.
    expect "$lib" "kernel" sctpu-perf --backend = k
    expect "$lib" "kernel" sctpu-perf --backend=k
    # sctpu-echo's one-dash long options (-backend as --backend)
    expect "$lib" "kernel" sctpu-echo -backend k
    # numbers: nothing to offer, and no options either
    expect "$lib" "" sctpu-perf -t ""
    # the tool first for sctpu, its options after
    expect "$lib" "echo" sctpu e
    includes "$lib" "echo perf sctpu-echo sctpu-perf --help" sctpu ""
    includes "$lib" "-c --client -s -P --pr-policy --rr ! --udp -Z --ip" \
        sctpu perf -
    includes "$lib" "-c --ip --once --hold ! --rr --logfile" sctpu echo -
    # an option sctpu-echo does not have is not offered to it
    expect "$lib" "" sctpu-echo --logf
    # hosts (from /etc/hosts, as bash's own hostname completion reads it)
    if grep -qw localhost /etc/hosts 2>/dev/null; then
        includes "$lib" "localhost" sctpu-perf -c local
        includes "$lib" "localhost" sctpu-echo -ip local
    fi
    # files
    expect "$lib" "$f/xa.log $f/xb.pcap" sctpu-perf --logfile "$f/x"
    expect "$lib" "$f/xa.log $f/xb.pcap" sctpu-echo --pcap "$f/x"
    includes "$lib" "$f/y $f/sub" sctpu-perf -c h --pcap "$f/"
}

run_cases ""
if [[ -r $LIBRARY ]]; then
    run_cases "$LIBRARY"
else
    skip "$LIBRARY is missing (Debian: bash-completion); the script alone passed"
fi
echo "PASS: bash completion"
