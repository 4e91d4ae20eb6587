#!/usr/bin/env bash
# it_perf_bidir_fair.sh - under --bidir both ends send and receive on one
# association, and neither direction starves the other.
#
# A reader that drains its association until the stack says EAGAIN never
# gets back to its own sender while the peer refills the queue as fast as
# it is read: --bidir once moved 135 MB one way and 0 bytes the other.
# sctpu-perf reads a bounded amount per readiness event (perf_flow.c), so:
#
#   usrsctp  --bidir -t 2 -l 64k: both directions carry data, and the
#            smaller is at least 20 % of the larger (client's -J totals)
#   -P 2     the same with two associations
#
# usrsctp cannot starve this way on loopback (its data arrives only when
# the loop reads the UDP socket), so this guards against regressions; the
# kernel backend, where the starvation was found, is checked in the VM
# (tests/vm_kernel_backend.sh: --bidir, both directions carry data).
#
# usage: bash tests/it_perf_bidir_fair.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"

# fair NAME ARGS...: one --bidir run against the server; both directions'
# byte totals must be > 0 and within a factor of 5 of each other.
fair() {
    local name=$1 fwd rev
    shift
    timeout 30 "$PERF_BIN" -c 127.0.0.1 -p 5461 --bidir -t 2 -l 64k -J "$@" \
        >"$WORK/$name.json" 2>"$WORK/$name.err" ||
        fail "$name: client exited $?: $(cat "$WORK/$name.err")"
    fwd=$(json_get "$WORK/$name.json" 'j["end"]["sum_sent"]["bytes"]')
    rev=$(json_get "$WORK/$name.json" \
        'j["end"]["sum_received_bidir_reverse"]["bytes"]')
    echo "$name: client to server $fwd bytes, server to client $rev bytes"
    ((fwd > 0 && rev > 0)) ||
        fail "$name: a direction starved (forward $fwd, reverse $rev bytes)"
    ((fwd * 5 >= rev && rev * 5 >= fwd)) ||
        fail "$name: unfair: forward $fwd vs reverse $rev bytes (want each >= 20 % of the other)"
}

start_perf_server server -p 5461
fair usrsctp
fair usrsctp-P2 -P 2
stop_server "$SERVER_PID"

# The kernel backend's --bidir (where the starvation was found) runs in the
# VM: tests/vm_kernel_backend.sh, both directions must carry data.
echo "PASS"
