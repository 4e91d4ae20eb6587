# bash completion for sctpu, sctpu-echo and sctpu-perf           -*- sh -*-
#
# Installed as bash-completion/completions/{sctpu,sctpu-echo,sctpu-perf}
# (one file, the other two names linking to it) so that bash-completion
# loads it on demand for any of the three; `source`ing it works too.
#
# The option lists are written out here rather than read from --help at
# completion time: completion then costs no process and works before the
# binary is on PATH. tests/docs_completion_options.sh keeps them honest:
# it fails when they and each tool's --help differ in either direction.
# shellcheck shell=bash

# _sctpu_options TOOL KIND: the options of TOOL (echo or perf) that take a
# value (KIND arg), that take none (flag), or that --help lists only to
# refuse them (refused: iperf3 options that cannot apply; not offered).
_sctpu_options()
{
    case $1/$2 in
    perf/arg)
        echo "-p --port --udp-port -B --bind --backend --impair --impair-dir
              --pcap --pcap-snaplen --pcap-max -i --interval -w --window
              --sack-delay --sack-freq --rto-min --rto-max --rto-initial
              --hb-interval --mtu -S --tos --dscp --bind-dev --instreams
              --outstreams --max-retrans-path --max-retrans-assoc
              --max-init-retrans --timeout --rcv-timeout -A --affinity
              -T --title --logfile --max-clients --idle-timeout
              --server-bitrate-limit --max-associations --max-peers
              --hello-timeout --max-duration --max-buffer-memory --workers
              -c --client -t --time -n --bytes -k --blockcount -O --omit
              -b --bitrate --bandwidth -l --length --len -P --parallel
              --nstreams --ppid --stream --scheduler --rr --rr-burst
              --pr-policy --pr-value --cport --local-udp-port
              --connect-timeout --connect-rate"
        ;;
    perf/flag)
        echo "-4 --version4 -6 --version6 --compare --encap --pcap-udp
              --check -N --nodelay --no-delay --no-control -J --json
              --csv --json-stream --timestamps -V --verbose --forceflush --sctp
              -h --help -v --version -s --server -1 --one-off --interleave
              -R --reverse --bidir -u --unordered --verify --udp-per-assoc
              --get-server-output"
        ;;
    perf/refused)
        echo "--udp -Z --zerocopy -C --congestion -M --set-mss"
        ;;
    echo/arg)
        echo "-c --client --ip -B --bind -p --port --udp-port
              --local-udp-port --lport --backend --impair --impair-dir
              --pcap --pcap-snaplen --pcap-max -n --count -i --interval
              --window -P --parallel --hold -l --len --nstreams --ppid
              --timeout --reply-ppid --max-associations --max-peers
              --idle-timeout --max-buffered --workers --mtu --sndbuf
              --rcvbuf --bufsize --rto-min --rto-max --rto-initial
              --hb-interval --sack-delay --sack-freq -S --tos --dscp
              --bind-dev --instreams --outstreams --max-retrans-path
              --max-retrans-assoc --max-init-retrans"
        ;;
    echo/flag)
        echo "-s --server -4 -6 --compare --encap --pcap-udp --check
              --strict-ppid -u --unordered --once -J --json -q --quiet
              -V --verbose -h --help -v --version"
        ;;
    esac
}

# _sctpu_values OPTION CUR: fill COMPREPLY with the values OPTION takes.
_sctpu_values()
{
    local opt=$1 cur=$2 words
    case $opt in
    --backend) words="usrsctp kernel all" ;;
    --impair-dir) words="tx rx both" ;;
    --pr-policy) words="ttl rtx buf" ;;
    --scheduler) words="rr fcfs fair prio" ;;
    --dscp)
        words="CS0 CS1 CS2 CS3 CS4 CS5 CS6 CS7 AF11 AF12 AF13 AF21 AF22
               AF23 AF31 AF32 AF33 AF41 AF42 AF43 EF VA"
        ;;
    --impair)
        # the keys; the values are numbers
        words="loss= loss=ge: delay= jitter= reorder= duplicate= corrupt=
               rate= seed="
        compopt -o nospace 2>/dev/null
        ;;
    --logfile | --pcap)
        if declare -F _filedir >/dev/null; then
            _filedir
        else
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        fi
        return
        ;;
    --bind-dev)
        words=$(command ls /sys/class/net 2>/dev/null)
        ;;
    -c | --client | --ip | -B | --bind)
        if declare -F _known_hosts_real >/dev/null; then
            _known_hosts_real -- "$cur"
        else
            mapfile -t COMPREPLY < <(compgen -A hostname -- "$cur")
        fi
        return
        ;;
    *)
        COMPREPLY=() # a number, size or free text
        return
        ;;
    esac
    mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}

_sctpu()
{
    local cmd=${COMP_WORDS[0]##*/} cword=$COMP_CWORD tool first=1
    local cur=${COMP_WORDS[COMP_CWORD]} prev opt
    COMPREPLY=()

    case $cmd in
    sctpu-echo) tool='echo' ;;
    sctpu-perf) tool='perf' ;;
    *)
        # sctpu TOOL ...: the tool first, then its options
        if ((cword == 1)); then
            mapfile -t COMPREPLY < <(compgen -W \
                "echo perf sctpu-echo sctpu-perf -h --help -v --version" \
                -- "$cur")
            return
        fi
        case ${COMP_WORDS[1]} in
        echo | sctpu-echo) tool='echo' ;;
        perf | sctpu-perf) tool='perf' ;;
        *) return ;;
        esac
        first=2
        ;;
    esac

    # The option whose value is being completed: "--opt VAL", or
    # "--opt=VAL", which bash splits at '=' (COMP_WORDBREAKS) or not.
    prev=
    if ((cword > first)); then
        prev=${COMP_WORDS[cword - 1]}
    fi
    if [[ $cur == = ]]; then
        opt=$prev cur=
    elif [[ $prev == = ]] && ((cword - 2 >= first)); then
        opt=${COMP_WORDS[cword - 2]}
    elif [[ $cur == --*=* ]]; then
        opt=${cur%%=*} cur=${cur#*=}
    else
        opt=$prev
    fi
    # sctpu-echo spells long options with one dash too (-ip, -port).
    if [[ $tool == echo && $opt == -[a-z]?* ]]; then
        opt=-$opt
    fi
    # shellcheck disable=SC2046 # a list of words
    if [[ -n $opt ]] && printf '%s\n' $(_sctpu_options "$tool" arg) |
        grep -qxF -- "$opt"; then
        _sctpu_values "$opt" "$cur"
        return
    fi

    if [[ $cur == -* ]]; then
        local words
        words="$(_sctpu_options "$tool" arg) $(_sctpu_options "$tool" flag)"
        mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
    fi
}

complete -F _sctpu sctpu sctpu-echo sctpu-perf
