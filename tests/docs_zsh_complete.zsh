# tests/docs_zsh_complete.zsh FPATH_DIR LINE: complete LINE<TAB> in a real
# interactive zsh (in a pseudo-terminal, zsh/zpty) with compinit and
# FPATH_DIR first on fpath, and print every candidate zsh's completion
# system added, one a line. Helper of docs_completion_zsh.sh.
zmodload zsh/zpty || exit 3
setup=$(mktemp) || exit 3
cat >$setup <<SETUP
RPROMPT=
unsetopt zle_bracketed_paste 2>/dev/null
fpath=(${(q)1} \$fpath)
autoload -U compinit
compinit -u -D
# Every candidate added for display goes to the terminal as
# <CAND>...</CAND>; calls that only collect into an array (-O, -A, -D)
# pass straight through.
compadd() {
    if [[ -n \${(M)@:#-*[OAD]*} ]]; then
        builtin compadd "\$@"
        return
    fi
    local -a hits
    local h
    builtin compadd -O hits "\$@"
    for h in \$hits; do
        print -rn -- "<CAND>\$h</CAND>"
    done
    builtin compadd "\$@"
}
# ^X^T completes as Tab does, then prints <DONE>: the end of the output.
sctpu_complete() {
    zle complete-word
    print -rn -- "<DONE>"
}
zle -N sctpu_complete
bindkey '^X^T' sctpu_complete
PROMPT='<PROMPT>'
SETUP
zpty z zsh -f -i || exit 3
zpty -w z "source ${(q)setup}"
# zle reads keys once the prompt is out.
zpty -r z line '*<PROMPT>*' || exit 3
rm -f $setup
zpty -w -n z "$2"$'\C-x\C-t'
zpty -r z out '*<DONE>*' || exit 3
zpty -d z
print -r -- $out | grep -o "<CAND>[^<]*</CAND>" | sed "s/^<CAND>//; s/<\/CAND>$//"
