#!/usr/bin/env bash
# it_many_clients.sh - 50 concurrent client processes against one server.
#
# Every client must verify all of its echoes; the server must see 50
# associations open and close. While the clients run, the server's
# VmRSS is sampled from /proc and its peak (VmHWM) is printed as
# "server memory with 50 clients: VmHWM=... kB" (only a loose sanity
# bound is asserted: it is a figure to report, not a limit).
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"

CLIENTS=50
COUNT=50
UDP_PORT=9899
MEM_BOUND_KB=$((500 * 1024))

vm_kb() { # vm_kb PID FIELD: a Vm* line of /proc/PID/status, in kB
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}

start_echo_server server --udp-port "$UDP_PORT"
rss_idle=$(vm_kb "$SERVER_PID" VmRSS)

start=$(date +%s.%N)
CLIENT_PIDS=()
for ((c = 0; c < CLIENTS; c++)); do
    timeout 120 $SCTPU_WRAP "$ECHO_BIN" -c 127.0.0.1 --udp-port "$UDP_PORT" \
        -n "$COUNT" -i 0 -l 1,1000,20000 --nstreams 4 --timeout 10 -J -q \
        >"$WORK/c$c.json" 2>"$WORK/c$c.err" &
    CLIENT_PIDS+=("$!")
    PIDS+=("$!")
done

# Sample the server's memory while any client still runs (bounded).
rss_max=0
deadline=$((SECONDS + 150))
while ((SECONDS < deadline)); do
    rss=$(vm_kb "$SERVER_PID" VmRSS)
    [[ -n $rss ]] || fail "the server died while the clients ran"
    ((rss > rss_max)) && rss_max=$rss
    running=0
    for pid in "${CLIENT_PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null && running=1 && break
    done
    ((running)) || break
    sleep 0.02
done
((running == 0)) || fail "clients still running after 150 s"

end=$(date +%s.%N)
echo "$CLIENTS clients x $COUNT echoes took" \
     "$(python3 -c "print(f'{$end - $start:.2f}')") s"

failed=0
for ((c = 0; c < CLIENTS; c++)); do
    rc=0
    wait "${CLIENT_PIDS[$c]}" || rc=$?
    if [[ $rc != 0 ]]; then
        echo "client $c exited with $rc: $(cat "$WORK/c$c.json")" \
             "$(cat "$WORK/c$c.err")" >&2
        failed=$((failed + 1))
    fi
done
# One python3 for all reports (one per client would take seconds).
bad_reports=$(python3 - "$WORK" "$CLIENTS" "$COUNT" <<'EOF'
import json, sys
work, n, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
bad, p99 = 0, []
for c in range(n):
    try:
        j = json.load(open(f"{work}/c{c}.json"))
        ok = (j["sent"] == j["verified"] == count and j["lost"] == 0
              and j["corrupt"] == 0)
        p99.append(j["rtt_us"]["p99"])
    except Exception as e:
        ok, j = False, e
    if not ok:
        print(f"client {c}: {j}", file=sys.stderr)
        bad += 1
if p99:
    print(f"client rtt p99: min {min(p99)} us, max {max(p99)} us",
          file=sys.stderr)
print(bad)
EOF
)
failed=$((failed + bad_reports))

# The last SHUTDOWN-COMPLETE may reach the server just after a client exits.
for ((i = 0; i < 200; i++)); do
    (($(grep -c ' closed: ' "$WORK/server.log") >= CLIENTS)) && break
    sleep 0.05
done
hwm=$(vm_kb "$SERVER_PID" VmHWM)
rss_end=$(vm_kb "$SERVER_PID" VmRSS)
# The kernel folds per-thread RSS counts into VmHWM lazily, so a sample
# can exceed it by a little; report the larger.
((rss_max > hwm)) && hwm=$rss_max
echo "server memory with $CLIENTS clients: VmHWM=$hwm kB" \
     "(VmRSS idle $rss_idle kB, peak sampled $rss_max kB, after $rss_end kB)"
stop_server "$SERVER_PID"

((failed == 0)) || {
    cat "$WORK/server.log"
    fail "$failed of $CLIENTS clients failed"
}
n_assoc=$(grep -c 'association from' "$WORK/server.log" || true)
n_closed=$(grep -c ' closed: ' "$WORK/server.log" || true)
n_echoed=$(grep -c " closed: $COUNT messages" "$WORK/server.log" || true)
grep -v -E 'association from| closed: ' "$WORK/server.log"
peak=$(awk '/association from/ { n++; if (n > m) m = n } / closed: / { n-- }
            END { print m + 0 }' "$WORK/server.log")
echo "peak concurrent associations at the server: $peak"
((peak >= 2)) || fail "the clients never overlapped at the server"
[[ $n_assoc == "$CLIENTS" ]] || fail "server logged $n_assoc associations"
[[ $n_closed == "$CLIENTS" ]] || fail "server logged $n_closed closes"
[[ $n_echoed == "$CLIENTS" ]] ||
    fail "only $n_echoed associations closed after $COUNT echoes"
grep -q "^served $CLIENTS associations" "$WORK/server.log" ||
    fail "the server's 'served' line does not say $CLIENTS"
((hwm < MEM_BOUND_KB)) || fail "server VmHWM $hwm kB is over $MEM_BOUND_KB kB"
echo "PASS: $CLIENTS concurrent clients, every echo verified"
