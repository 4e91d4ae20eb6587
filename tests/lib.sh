# tests/lib.sh - shared helpers for the shell-driven tests (sourced).
#
# Every test runs in a network namespace of its own (unshare -n) with only
# loopback up, so tests can use fixed ports, run in parallel, and never
# send a packet off this machine. Exit 77 means "skipped" to ctest.

set -euo pipefail

BUILD_DIR=${1:?usage: $0 BUILD_DIR}
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
ECHO_BIN="$BUILD_DIR/src/sctpu-echo"
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$TESTS_DIR/.." && pwd)
# Under valgrind or a slow sanitizer build, give everything more time.
SCTPU_WRAP=${SCTPU_WRAP:-}

# skip REASON: this test cannot run here; exit 77, which ctest reports as
# "Skipped" (every test has SKIP_RETURN_CODE 77), and tools/test-all.sh
# lists each skip with its reason at the end of a local run. With
# SCTPU_NO_SKIP=1 (CI: .ci/run) a skip is a failure instead, so that CI
# cannot go green without running every test.
skip() {
    if [[ ${SCTPU_NO_SKIP:-} == 1 ]]; then
        echo "FAIL: cannot run here, and SCTPU_NO_SKIP=1 forbids skipping: $*" >&2
        exit 1
    fi
    echo "SKIP: $*"
    exit 77
}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Re-run this script inside a fresh network namespace with lo up.
in_private_netns() {
    if [[ ${SCTPU_IN_NETNS:-} == 1 ]]; then
        ip link set lo up
        return 0
    fi
    command -v unshare >/dev/null || skip "unshare (util-linux) is missing"
    unshare -n true 2>/dev/null || skip "cannot create a network namespace (needs root)"
    # exec skips the EXIT trap: drop this instance's scratch dir first.
    rm -rf "$WORK"
    trap - EXIT
    SCTPU_IN_NETNS=1 exec unshare -n -- bash "$0" "$@"
}

WORK=$(mktemp -d /tmp/sctpu-test.XXXXXX)
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
# A signal (ctest timeout, ^C) must still run cleanup through EXIT.
trap 'exit 143' TERM INT

# wait_for_line FILE REGEX [SECONDS]: poll until FILE has a matching line.
wait_for_line() {
    local file=$1 re=$2 limit=${3:-10} i
    for ((i = 0; i < limit * 20; i++)); do
        if grep -Eq -- "$re" "$file" 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    echo "--- $file:" >&2
    cat "$file" >&2 || true
    fail "timed out waiting for /$re/ in $file"
}

# start_echo_server NAME ARGS...: start a server, wait until it listens.
# Its stdout+stderr go to $WORK/NAME.log; its pid is in SERVER_PID.
start_echo_server() {
    local name=$1
    shift
    $SCTPU_WRAP "$ECHO_BIN" -s "$@" >"$WORK/$name.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    wait_for_line "$WORK/$name.log" 'sctpu-echo server: SCTP port' 20
}

# start_perf_server NAME ARGS...: the same for sctpu-perf -s.
start_perf_server() {
    local name=$1
    shift
    # SCTPU_WRAP is a command prefix (e.g. "valgrind -q"): split on purpose.
    # shellcheck disable=SC2086
    $SCTPU_WRAP "$BUILD_DIR/src/sctpu-perf" -s "$@" >"$WORK/$name.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    wait_for_line "$WORK/$name.log" '^Server listening on SCTP port' 20
}

# stop_server PID: SIGTERM, then require a clean exit within 5 s.
stop_server() {
    local pid=$1 i
    kill -TERM "$pid"
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$pid" 2>/dev/null && fail "server $pid ignored SIGTERM for 5 s"
    wait "$pid"
}

# show FILE...: print each file to stderr under its name (what a failing
# check wants to see).
show() {
    local f
    for f in "$@"; do
        echo "--- $f:" >&2
        cat "$f" >&2 || true
    done
}

# run_bounded SECONDS NAME PROGRAM ARGS...: run a client to completion
# (killed after SECONDS), stdout/stderr to $WORK/NAME.out/.err, status in
# RC. $SCTPU_WRAP (e.g. valgrind) goes in front when set.
run_bounded() {
    local limit=$1 name=$2
    shift 2
    RC=0
    # shellcheck disable=SC2086
    timeout "$limit" $SCTPU_WRAP "$@" >"$WORK/$name.out" \
        2>"$WORK/$name.err" || RC=$?
    echo "$name: $(basename "$1") ${*:2} -> exit $RC"
}

# want_rc NAME WANT: the last run_bounded NAME exited with WANT.
want_rc() {
    [[ $RC == "$2" ]] || {
        show "$WORK/$1.out" "$WORK/$1.err"
        fail "$1: exit $RC, want $2"
    }
}

# gone PID SECONDS: wait (bounded) until PID exits, its status in RC;
# returns 1 if it is still running after SECONDS.
gone() {
    local pid=$1 limit=$2 i
    for ((i = 0; i < limit * 20; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$pid" 2>/dev/null && return 1
    RC=0
    wait "$pid" || RC=$?
}

# nft_packets TABLE: the packets counted by the one counter of inet TABLE
# (a rule with "counter drop": how many it dropped).
nft_packets() {
    nft list table inet "$1" | grep -o 'packets [0-9]*' | awk '{print $2}'
}

# silent_udp_port PORT: in this test's netns, drop every datagram to UDP
# PORT on input, so a client there hears nothing at all: no ICMP port
# unreachable (which sctpu reports at once) and no ABORT.
silent_udp_port() {
    command -v nft >/dev/null || fail "nft (nftables) is missing"
    nft -f - <<NFT || fail "cannot add the nft drop rule for UDP $1"
table inet sctpu_silent_$1 {
    chain input {
        type filter hook input priority 0; policy accept;
        udp dport $1 drop
    }
}
NFT
}

# udp_bound PORT: is some socket bound to UDP PORT (IPv4 or IPv6)?
udp_bound() {
    local port=$1
    if command -v ss >/dev/null; then
        [[ -n $(ss -Hnlu "sport = :$port" 2>/dev/null) ]]
    else
        local hex
        hex=$(printf ':%04X ' "$port")
        cat /proc/net/udp /proc/net/udp6 2>/dev/null | awk '{print $2}' |
            grep -q -- "${hex% }\$"
    fi
}

# wait_udp_bound PORT SECONDS PID: poll until PORT is bound; fail if PID dies.
wait_udp_bound() {
    local port=$1 limit=$2 pid=$3 i
    for ((i = 0; i < limit * 20; i++)); do
        udp_bound "$port" && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

# usrsctp_examples: build usrsctp's own example programs (echo_server,
# client, tsctp ...; tools/build-usrsctp-examples.sh) into
# $BUILD_DIR/usrsctp-examples and set EXAMPLES to it. Their sources are
# Debian's libusrsctp-dev examples, or its source package where
# /usr/share/doc was stripped (tools/install-deps.sh fetches it: tests run
# in namespaces with no network). Skips (77) only when neither is at hand.
usrsctp_examples() {
    usrsctp_examples_or_reason || skip "$EXAMPLES_MISSING"
}

# usrsctp_examples_or_reason: the same, but where the programs cannot be
# had, return 1 with the reason in EXAMPLES_MISSING instead of skipping,
# for a test that still has other parts to run (it must skip at its end).
usrsctp_examples_or_reason() {
    local err=$WORK/usrsctp-examples.err rc=0
    EXAMPLES="$BUILD_DIR/usrsctp-examples"
    bash "$REPO_DIR/tools/build-usrsctp-examples.sh" "$EXAMPLES" 2>"$err" ||
        rc=$?
    cat "$err" >&2
    case $rc in
    0) return 0 ;;
    3)
        EXAMPLES_MISSING="no usrsctp example programs: $(tail -n 1 "$err" |
            sed 's/^build-usrsctp-examples: //') (tools/install-deps.sh fetches the sources)"
        return 1
        ;;
    *) fail "tools/build-usrsctp-examples.sh failed (status $rc)" ;;
    esac
}

# stop_foreign PID: usrsctp's programs have no clean stop; TERM, then KILL.
stop_foreign() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 40; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# vm_require [kernel-backend]: what the VM lab (tools/kernel-vm.sh) needs
# of this machine, or skip (77): root (its tap device and namespace),
# x86_64 (it boots Debian's x86_64 kernels), and apt-get and dpkg-deb (to
# fetch and unpack them). With kernel-backend the build must have the
# kernel backend too, or the test fails: the guest can only run what was
# built, and a build without it is a mistake, not this machine's limit.
vm_require() {
    [[ $(id -u) == 0 ]] || skip "needs root (network namespace, tap device)"
    [[ $(uname -m) == x86_64 ]] || skip "the VM lab boots x86_64 Debian kernels only"
    if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
        skip "needs Debian's apt-get and dpkg-deb"
    fi
    [[ ${1:-} != kernel-backend ]] ||
        grep -q '^SCTPU_HAVE_NETINET_SCTP_H:INTERNAL=1' "$BUILD_DIR/CMakeCache.txt" ||
        fail "this build has no kernel backend (install libsctp-dev)"
}

# json_get FILE EXPR: evaluate a Python expression on the parsed JSON `j`.
json_get() {
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# loss_lab SRV_IP CLI_IP LOSS_PCT UDP_PORT: two hosts on a veth pair, this
# netns (server side, sctpu-a) and a child netns (client side, sctpu-b),
# each dropping LOSS_PCT % of the encapsulated packets it receives (no
# netem here: nftables drops at random). Drops are on the input hooks so
# both directions lose packets and no sender sees an error from its own
# send (an output-hook drop returns EPERM to sendto). Defines in_child
# (run a command in the client's netns) and CHILD; skips (77) when the
# machine cannot do it. Both netns die with their last process.
loss_lab() {
    local srv_ip=$1 cli_ip=$2 pct=$3 port=$4 i

    command -v nft >/dev/null || skip "nft (nftables) is missing"
    command -v nsenter >/dev/null || skip "nsenter (util-linux) is missing"
    nft list tables >/dev/null 2>&1 || skip "nftables is not usable here"
    ip link add sctpu-a type veth peer name sctpu-b 2>/dev/null ||
        skip "cannot create a veth pair"

    # The child netns: a process that only holds it, killed by cleanup.
    netns_holder
    CHILD=$NETNS_PID

    ip link set sctpu-b netns "$CHILD"
    ip addr add "$srv_ip/24" dev sctpu-a
    ip link set sctpu-a up
    in_child ip link set lo up
    in_child ip addr add "$cli_ip/24" dev sctpu-b
    in_child ip link set sctpu-b up

    # sctpu sends with UDP GSO; a veth passes a GSO buffer whole, so the
    # peer's input hook would drop a whole burst as one "packet".
    # gso_max_segs 1 cuts every buffer before the veth: each SCTP packet
    # is dropped (or not) on its own. Failing that, no GSO at all.
    if ! ip link set sctpu-a gso_max_segs 1 2>/dev/null ||
        ! in_child ip link set sctpu-b gso_max_segs 1 2>/dev/null; then
        echo "note: cannot set gso_max_segs; running with SCTPU_UDP_GSO=0"
        export SCTPU_UDP_GSO=0
    fi

    # Each side counts every encapsulated packet it receives, then drops
    # pct % of them.
    nft -f - <<NFT
table inet sctpu_loss {
    chain input {
        type filter hook input priority 0; policy accept;
        udp dport $port counter
        udp dport $port numgen random mod 100 < $pct counter drop
    }
}
NFT
    in_child nft -f - <<NFT
table inet sctpu_loss {
    chain input {
        type filter hook input priority 0; policy accept;
        udp sport $port counter
        udp sport $port numgen random mod 100 < $pct counter drop
    }
}
NFT

    # Wait until both ends have carrier (IPv4 has no DAD to wait for).
    for ((i = 0; i < 100; i++)); do
        ip -o link show sctpu-a | grep -q LOWER_UP &&
            in_child ip -o link show sctpu-b | grep -q LOWER_UP && break
        sleep 0.05
    done
    ((i < 100)) || fail "the veth pair did not come up"
}

in_child() {
    nsenter -t "$CHILD" -n -- "$@"
}

# loss_counters [in_child]: "seen dropped" of one side's input chain.
loss_counters() {
    "$@" nft list table inet sctpu_loss |
        grep -o 'counter packets [0-9]*' |
        awk '{printf "%s ", $3} END {print ""}'
}

# netns_holder: a new network namespace (lo up), held by a process that
# cleanup kills; its pid is in NETNS_PID, for nsenter -t PID -n. The netns
# dies with that process.
netns_holder() {
    local own_ns ns i
    unshare -n -- sleep 600 &
    NETNS_PID=$!
    PIDS+=("$NETNS_PID")
    own_ns=$(readlink /proc/self/ns/net)
    for ((i = 0; i < 100; i++)); do
        ns=$(readlink "/proc/$NETNS_PID/ns/net" 2>/dev/null) || ns=
        [[ -n $ns && $ns != "$own_ns" ]] && break
        sleep 0.05
    done
    [[ -n $ns && $ns != "$own_ns" ]] ||
        fail "a child network namespace did not appear"
    nsenter -t "$NETNS_PID" -n -- ip link set lo up
}

# loss_hook HOOK PCT UDP_PORT: after loss_lab, move both sides' random drops
# to nftables hook HOOK (input or output) at PCT % each, in place of the
# rules loss_lab set. Where the drop happens changes what SCTP sees: on the
# input hook a packet vanishes silently, like loss in a network; on the
# output hook the sender's own sendmsg fails with EPERM, like a host
# firewall refusing it. The table keeps its two counters (seen, dropped),
# so loss_counters reads it as before: on the output hook they count what
# each side sent.
loss_hook() {
    local hook=$1 pct=$2 port=$3 srv_match cli_match
    case $hook in
    input) srv_match=dport cli_match=sport ;;
    output) srv_match=sport cli_match=dport ;;
    *) fail "loss_hook: hook '$hook' is neither input nor output" ;;
    esac
    # Declaring the table first makes the delete safe; nft -f applies the
    # whole file at once, so no packet slips through between the two sets.
    nft -f - <<NFT
table inet sctpu_loss
delete table inet sctpu_loss
table inet sctpu_loss {
    chain $hook {
        type filter hook $hook priority 0; policy accept;
        udp $srv_match $port counter
        udp $srv_match $port numgen random mod 100 < $pct counter drop
    }
}
NFT
    in_child nft -f - <<NFT
table inet sctpu_loss
delete table inet sctpu_loss
table inet sctpu_loss {
    chain $hook {
        type filter hook $hook priority 0; policy accept;
        udp $cli_match $port counter
        udp $cli_match $port numgen random mod 100 < $pct counter drop
    }
}
NFT
}

# run_cmocka PROGRAM: run a cmocka unit test (tests/CMakeLists.txt runs
# every test_*.c this way). cmocka's skip() only prints "[  SKIPPED ] case"
# and exits 0, which ctest would count as a pass: here any skipped case
# makes the whole program a skip, through skip() above. A failure wins
# over a skip: a program that failed exits with its own status.
run_cmocka() {
    local out=$WORK/cmocka.out rc=0 skipped
    "$@" 2>&1 | tee "$out" || rc=$?
    ((rc == 0)) || exit "$rc"
    skipped=$(sed -n 's/^\[  SKIPPED \] \([A-Za-z_][A-Za-z0-9_]*\)$/\1/p' "$out" |
        sort -u | tr '\n' ' ')
    [[ -z $skipped ]] ||
        skip "cmocka skipped ${skipped% } (the test's source says why)"
}

# sctp_sniff NAME [IFACE]: record every SCTP-over-UDP packet this netns
# sends on IFACE (default lo; on lo each packet is seen once, as it goes
# out) to $WORK/NAME.sniff, one JSON object a line: t (seconds), len (IP
# total length), sport and dport (UDP), chunks ([type, a_rwnd or null],
# a_rwnd for INIT, INIT ACK and SACK). Run sctpu with SCTPU_UDP_GSO=0
# meanwhile: a GSO buffer is one record here. Returns once it listens;
# its pid is in SNIFF_PID. sniff_stop ends it (lo only: see there).
sctp_sniff() {
    local name=$1 dev=${2:-lo}
    python3 -u - "$dev" "$WORK/$name.sniff" <<'PY' >"$WORK/$name.sniff.log" 2>&1 &
import json, socket, struct, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
s.bind((sys.argv[1], 0))
out = open(sys.argv[2], "w", buffering=1)
print("ready", flush=True)
while True:
    pkt, addr = s.recvfrom(70000)
    if addr[2] != socket.PACKET_OUTGOING:
        continue
    ip = pkt[14:]
    if ip[0] >> 4 == 4:
        if ip[9] != 17:
            continue
        iplen, l4 = struct.unpack("!H", ip[2:4])[0], ip[(ip[0] & 15) * 4:]
    elif ip[0] >> 4 == 6:
        if ip[6] != 17:
            continue
        iplen, l4 = 40 + struct.unpack("!H", ip[4:6])[0], ip[40:]
    else:
        continue
    sport, dport = struct.unpack("!HH", l4[:4])
    sctp, chunks, off = l4[8:], [], 12
    while off + 4 <= len(sctp):
        ctype, clen = sctp[off], struct.unpack("!H", sctp[off + 2:off + 4])[0]
        rwnd = None
        if ctype in (1, 2):    # INIT, INIT ACK: tag, then a_rwnd
            rwnd = struct.unpack("!I", sctp[off + 8:off + 12])[0]
        elif ctype == 3:       # SACK: cumulative TSN ack, then a_rwnd
            rwnd = struct.unpack("!I", sctp[off + 8:off + 12])[0]
        chunks.append([ctype, rwnd])
        if clen < 4:
            break
        off += (clen + 3) & ~3
    out.write(json.dumps({"t": time.monotonic(), "len": iplen, "sport": sport,
                          "dport": dport, "chunks": chunks}) + "\n")
PY
    SNIFF_PID=$!
    SNIFF_FILE=$WORK/$name.sniff
    PIDS+=("$SNIFF_PID")
    wait_for_line "$WORK/$name.sniff.log" '^ready$' 10
}

# sniff_stop: end the sctp_sniff capture once it has written every packet
# sent so far: a loaded machine leaves packets queued on its socket, so a
# last datagram (to the discard port, 9) marks the end, and it waits for
# that one to be written.
sniff_stop() {
    echo sctpu-sniff-end >/dev/udp/127.0.0.1/9 ||
        fail "sniff_stop: cannot send the end marker"
    wait_for_line "$SNIFF_FILE" '"dport": 9, ' 20
    kill -TERM "$SNIFF_PID" 2>/dev/null || true
    wait "$SNIFF_PID" 2>/dev/null || true
}

# veth_lab SRV_IP CLI_IP: this netns (sctpu-a, SRV_IP/24) and a child netns
# (sctpu-b, CLI_IP/24) on a veth pair, with no impairment: loss_lab
# without the loss, for the load tests. Defines CHILD (in_child runs a
# command there); skips (77) when the machine cannot.
veth_lab() {
    local srv_ip=$1 cli_ip=$2 i
    command -v nsenter >/dev/null || skip "nsenter (util-linux) is missing"
    ip link add sctpu-a type veth peer name sctpu-b 2>/dev/null ||
        skip "cannot create a veth pair"
    netns_holder
    CHILD=$NETNS_PID
    ip link set sctpu-b netns "$CHILD"
    ip addr add "$srv_ip/24" dev sctpu-a
    ip link set sctpu-a up
    in_child ip addr add "$cli_ip/24" dev sctpu-b
    in_child ip link set sctpu-b up
    for ((i = 0; i < 100; i++)); do
        ip -o link show sctpu-a | grep -q LOWER_UP &&
            in_child ip -o link show sctpu-b | grep -q LOWER_UP && break
        sleep 0.05
    done
    ((i < 100)) || fail "the veth pair did not come up"
}

# proc_kb PID FIELD: a Vm* line of /proc/PID/status (VmRSS, VmHWM), in kB;
# empty when PID is gone.
proc_kb() {
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null || true
}

# PEER_TABLE_RE: the usrsctp backend's peer table line in an echo or perf
# server's exit summary (UDP endpoints known to the server).
PEER_TABLE_RE='peer table: ([0-9]+) now \(([0-9]+) with associations\), peak ([0-9]+), cap ([0-9]+), ([0-9]+) evicted'

# peer_table LOG: read that line from server log LOG into PT_NOW, PT_ASSOC,
# PT_PEAK, PT_CAP and PT_EVICTED; returns 1 (all empty) when LOG has none.
peer_table() {
    local line
    PT_NOW= PT_ASSOC= PT_PEAK= PT_CAP= PT_EVICTED=
    line=$(grep -Eo "$PEER_TABLE_RE" "$1" | tail -n 1) || return 1
    read -r PT_NOW PT_ASSOC PT_PEAK PT_CAP PT_EVICTED < <(
        sed -E "s/$PEER_TABLE_RE/\\1 \\2 \\3 \\4 \\5/" <<<"$line")
}

# echo_reports_ok PREFIX N: the -J reports $WORK/PREFIX0.json ..
# PREFIX(N-1).json each verified every echo it sent (at least one), none
# lost or corrupt; prints "p99max p99median sent p50median retransmits"
# over them (RTT in us; the median client's p99 and p50; retransmissions
# summed), or a line per bad report on stderr and returns 1.
echo_reports_ok() {
    python3 - "$WORK/$1" "$2" <<'PY'
import json, sys
prefix, n = sys.argv[1], int(sys.argv[2])
bad, p99, p50, sent, rtx = 0, [], [], 0, 0
for c in range(n):
    try:
        j = json.load(open(f"{prefix}{c}.json"))
        ok = (j["sent"] == j["verified"] >= 1 and j["lost"] == 0
              and j["corrupt"] == 0 and not j.get("error"))
        p99.append(j["rtt_us"]["p99"])
        p50.append(j["rtt_us"]["p50"])
        sent += j["sent"]
        rtx += j["retransmits"]
    except Exception as e:
        ok, j = False, e
    if not ok:
        print(f"client report {prefix}{c}.json: {j}", file=sys.stderr)
        bad += 1
median = lambda v: sorted(v)[len(v) // 2] if v else 0
print(max(p99, default=0), median(p99), sent, median(p50), rtx)
sys.exit(1 if bad else 0)
PY
}

# udp_rcvbuf_errors: datagrams this netns's kernel dropped for want of
# socket receive buffer (/proc/net/snmp Udp RcvbufErrors).
udp_rcvbuf_errors() {
    awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i; h = 1 }
                   else print $c }' /proc/net/snmp
}
