#!/bin/sh
# tools/kernel-vm/selftest-guest.sh SHARE HOST_IP [PROGRAM]
# Runs inside the kernel-SCTP VM (busybox sh), started by
# tools/kernel-vm.sh selftest: checks that the guest has what the kernel
# backend and the interop tests need. One "ok"/"FAIL" line per check; the
# exit status is the number of failures. SHARE is the folder shared with the
# host (the guest copies SHARE/token to SHARE/reply for the host to check);
# PROGRAM, if given, is a host-built sctpu program to run with --version.
share=$1
host_ip=$2
program=${3:-}
fails=0

ok() { echo "ok   $*"; }
bad() {
    echo "FAIL $*"
    fails=$((fails + 1))
}
# check DESCRIPTION CMD...: run CMD, show its output only if it fails.
check() {
    desc=$1
    shift
    if "$@" >/tmp/check.out 2>&1; then
        ok "$desc"
    else
        bad "$desc"
        sed 's/^/     /' /tmp/check.out
    fi
}
# sctp_counter NAME: a counter of /proc/net/sctp/snmp ("Name value" lines);
# udp_in: UDP's InDatagrams from the "Udp:" names/values line pair of
# /proc/net/snmp.
sctp_counter() { awk -v n="$1" '$1 == n { print $2 }' /proc/net/sctp/snmp; }
udp_in() {
    awk '$1 == "Udp:" { if (!h) { for (i = 2; i <= NF; i++) if ($i == "InDatagrams") c = i; h = 1 } else print $c }' /proc/net/snmp
}
# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
    n=$(($1 * 10))
    shift
    while ! "$@" >/dev/null 2>&1; do
        n=$((n - 1))
        [ "$n" -gt 0 ] || return 1
        sleep 0.1
    done
}

echo "guest kernel $(uname -r), $(grep -c '' /etc/vm/modules) modules loaded"

check "/proc/net/sctp/snmp is readable" grep -q '^SctpCurrEstab' /proc/net/sctp/snmp

check "sysctl -w net.sctp.udp_port=9899" sysctl -w net.sctp.udp_port=9899
check "net.sctp.udp_port reads back 9899" \
    test "$(sysctl -n net.sctp.udp_port)" = 9899
check "sysctl -w net.sctp.encap_port=9899" sysctl -w net.sctp.encap_port=9899
# The kernel's SCTP-over-UDP socket: local port 9899 = 0x26AB.
check "kernel listens on UDP 9899 for SCTP" \
    grep -q ':26AB 00000000:0000 07' /proc/net/udp

# A kernel SCTP association over loopback. With encap_port set, the kernel
# sends its SCTP packets inside UDP, so UDP's counter must move too.
sctp_darn -H 127.0.0.1 -P 5000 -l >/tmp/listener.out 2>&1 &
listener=$!
check "sctp_darn listens on SCTP port 5000" \
    wait_for 5 grep -q ' 5000 .*127\.0\.0\.1' /proc/net/sctp/eps
passive0=$(sctp_counter SctpPassiveEstabs)
data0=$(sctp_counter SctpInOrderChunks)
udp0=$(udp_in)
echo "hello from sctp_darn" |
    sctp_darn -H 127.0.0.1 -P 5001 -h 127.0.0.1 -p 5000 -s >/tmp/client.out 2>&1
check "sctp_darn client associated" \
    wait_for 5 test "$(sctp_counter SctpPassiveEstabs)" -gt "$passive0"
check "the listener received DATA" \
    wait_for 5 test "$(sctp_counter SctpInOrderChunks)" -gt "$data0"
check "the association ran over UDP (Udp InDatagrams grew)" \
    test "$(udp_in)" -gt "$udp0"
kill "$listener" 2>/dev/null
wait "$listener" 2>/dev/null

check "ping the host side of the tap ($host_ip)" ping -c 1 -W 5 "$host_ip"

check "tc adds netem to eth0" tc qdisc add dev eth0 root netem loss 1% delay 1ms
check "tc shows the netem qdisc" sh -c 'tc qdisc show dev eth0 | grep -q "netem.*loss 1%"'
check "tc removes it" tc qdisc del dev eth0 root

check "9p: write into the shared folder" cp "$share/token" "$share/reply"

if [ -n "$program" ]; then
    check "host-built $program --version runs" "$program" --version
fi

echo "guest checks: $fails failed"
exit "$fails"
