#!/usr/bin/env bash
# lab_assoc_memory.sh - what an idle association costs the echo server
# (issue 12): 1000 associations from one client process (sctpu-echo -P
# 1000 --hold), every echo verified, then all of them idle while the
# server's VmRSS is read.
#
# Asserted: the client reports all 1000 associations up and verified,
# holds them, and after SIGINT closes all 1000 gracefully (exit 0); the
# server logged 1000 associations and its summary says it served 1000;
# and the server's RSS growth per association, printed as
# "FIGURE: idle association ...", stays under BOUND_KIB.
#
# The bound: this figure measured 9.5-9.7 KiB per association in
# repeated runs with glibc's malloc and 10.6-10.7 with mimalloc (linked
# when found, SCTPU_MIMALLOC=AUTO), RelWithDebInfo on Debian 12, against
# 142-145 KiB before issue 12. 13 KiB is 1.2x the larger: room for
# noise, and it still fails if either change of issue 12 is undone: a
# client that allows the server 2048 outbound streams (142 KiB: usrsctp's
# per-stream structures) or a 64 KiB buffer made for every session at
# accept (13.9 KiB with glibc, 14.7 with mimalloc). ASan's shadow memory
# and quarantine, or a SCTPU_WRAP like valgrind, make RSS meaningless:
# there the figure is only printed.
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"

N=1000
BOUND_KIB=13
SANITIZED=0
grep -q '^SCTPU_SANITIZE:BOOL=ON' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null &&
    SANITIZED=1
[[ -n $SCTPU_WRAP ]] && SANITIZED=1

# Caps raised for the run: the default --max-associations is 1024, and
# the default --idle-timeout (60 s) would close idle associations.
start_echo_server server --max-associations "$N" --idle-timeout 0
sleep 0.5 # the server's own start-up settles
before=$(proc_kb "$SERVER_PID" VmRSS)
[[ -n $before ]] || fail "cannot read the server's VmRSS"

# shellcheck disable=SC2086
$SCTPU_WRAP "$ECHO_BIN" -c 127.0.0.1 -P "$N" --hold 600 -q --timeout 30 \
    >"$WORK/client.out" 2>"$WORK/client.err" &
CLIENT_PID=$!
PIDS+=("$CLIENT_PID")
wait_for_line "$WORK/client.out" "^all $N associations up and verified \($N echoes\)" 120
wait_for_line "$WORK/client.out" "^holding $N associations idle" 5
up=$(grep -cE '^\[ *[0-9]+\] association from ' "$WORK/server.log" || true)
((up == N)) || { show "$WORK/server.log"; fail "the server logged $up associations, not $N"; }
grep -q 'failed after' "$WORK/server.log" &&
    { show "$WORK/server.log"; fail "the server saw an association fail"; }

# Idle now; read twice, 1 s apart, and keep the larger.
sleep 1
after=$(proc_kb "$SERVER_PID" VmRSS)
sleep 1
again=$(proc_kb "$SERVER_PID" VmRSS)
[[ -n $after && -n $again ]] || fail "the server died while the associations idled"
((again > after)) && after=$again
per=$(awk -v a="$before" -v b="$after" -v n="$N" 'BEGIN { printf "%.1f", (b - a) / n }')
echo "FIGURE: idle association on the echo server: $per KiB each" \
    "(VmRSS $before -> $after KiB with $N associations from one sctpu-echo -P $N)"

# End the hold: every association shuts down gracefully.
kill -INT "$CLIENT_PID"
gone "$CLIENT_PID" 60 || fail "the client did not end within 60 s of SIGINT"
((RC == 0)) || { show "$WORK/client.out" "$WORK/client.err"; fail "client exit $RC"; }
grep -q "^associations: $N of $N up, $N verified, $N closed gracefully; $N echoes verified" \
    "$WORK/client.out" || { show "$WORK/client.out"; fail "the client's summary"; }
stop_server "$SERVER_PID"
grep -q "^served $N associations;" "$WORK/server.log" ||
    { show "$WORK/server.log"; fail "the server's summary does not say $N served"; }
closed=$(grep -cE '^\[ *[0-9]+\] .* closed: 1 messages, 64 bytes echoed' \
    "$WORK/server.log" || true)
((closed == N)) || { show "$WORK/server.log"; fail "$closed of $N associations closed after their 1 echo"; }
echo "server: served $N associations, each closed after its one echo"

if ((SANITIZED)); then
    echo "sanitizer or wrapper build: the memory figure is not asserted"
    exit 0
fi
awk -v p="$per" -v b="$BOUND_KIB" 'BEGIN { exit !(p <= b) }' ||
    fail "an idle association costs the server $per KiB, more than the bound $BOUND_KIB KiB"
echo "PASS: $per KiB per idle association (bound $BOUND_KIB KiB)"
