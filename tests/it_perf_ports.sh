#!/usr/bin/env bash
# it_perf_ports.sh - sctpu-perf -P N on one UDP port, or (--udp-per-assoc)
# on a UDP port per association, the way iperf3 -P gives each TCP
# connection its own 5-tuple for ECMP, RSS and load balancers.
#
# One `sctpu-perf -s` serves every run, one after another:
#
#   per       -P 4 --udp-per-assoc   4 distinct start.connected[].local_port;
#                                    each seen_as is its own local endpoint,
#                                    and the server accepted the test's 4
#                                    associations from 4 distinct endpoints
#   shared    -P 4                   1 local port, 1 endpoint at the server
#   fixed     --local-udp-port 40000 --udp-per-assoc -P 3
#                                    exactly ports 40000, 40001, 40002
#   verify    --verify --nstreams 4 --udp-per-assoc -P 4
#                                    exit 0, no error, 4 ports
#   overflow  --local-udp-port 65534 --udp-per-assoc -P 4
#                                    exit 2 and the range in the message
#   inuse     --local-udp-port 41000 --udp-per-assoc -P 3 with 41001 taken
#                                    exit 2, the port-in-use hint
#
# usage: bash tests/it_perf_ports.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"

start_perf_server server
SRV_LOG=$WORK/server.log

# client NAME ARGS...: one bounded -J run of 1 s against the server;
# stdout to $WORK/NAME.out, stderr to $WORK/NAME.err; the server's log
# lines for this run (from its start) to $WORK/NAME.srv. A non-zero exit
# fails the test at once.
client() {
    local name=$1 rc=0 try from
    shift
    # The server is busy until the previous test has fully closed, which
    # can lag its client's exit by a moment: retry, bounded.
    for ((try = 0; try < 50; try++)); do
        rc=0
        from=$(wc -l <"$SRV_LOG")
        # shellcheck disable=SC2086
        timeout 30 $SCTPU_WRAP "$PERF_BIN" -c 127.0.0.1 -J -t 1 "$@" \
            >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
        if ((rc != 1)) || ! grep -q 'server is busy' "$WORK/$name.err"; then
            break
        fi
        sleep 0.1
    done
    tail -n +"$((from + 1))" "$SRV_LOG" >"$WORK/$name.srv"
    echo "$name: sctpu-perf -c 127.0.0.1 -J -t 1 $*: exit $rc"
    if ((rc != 0)); then
        cat "$WORK/$name.out" "$WORK/$name.err" "$SRV_LOG" >&2
        fail "$name: exited $rc"
    fi
}

# expect_usage NAME REGEX ARGS...: exit 2 and a stderr line matching REGEX.
expect_usage() {
    local name=$1 re=$2 rc=0
    shift 2
    timeout 10 "$PERF_BIN" -c 127.0.0.1 -t 1 "$@" \
        >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
    echo "$name: sctpu-perf -c 127.0.0.1 -t 1 $*: exit $rc"
    ((rc == 2)) || fail "$name: exit $rc, want 2 ($(cat "$WORK/$name.err"))"
    grep -Eq -- "$re" "$WORK/$name.err" ||
        fail "$name: stderr lacks /$re/: $(cat "$WORK/$name.err")"
}

client per -P 4 --udp-per-assoc
client shared -P 4
client fixed --local-udp-port 40000 --udp-per-assoc -P 3
client verify --verify --nstreams 4 -l 1000 --udp-per-assoc -P 4

# ---------------------------------------------------------------- the checks
python3 - "$WORK" <<'PY' || fail "see the lines above"
import json, os, re, sys

work = sys.argv[1]
failures = []


def check(name, cond, what):
    if not cond:
        failures.append(f"{name}: {what}")


def ports(name, nassoc, nports, exact=None):
    with open(os.path.join(work, name + ".out")) as f:
        j = json.load(f)
    check(name, j.get("error") in (None, ""), f"error {j.get('error')!r}")
    conns = j["start"]["connected"]
    check(name, len(conns) == nassoc, f"{len(conns)} connected, want {nassoc}")
    local = [c["local_port"] for c in conns]
    check(name, len(set(local)) == nports,
          f"local ports {local}: want {nports} distinct")
    if exact is not None:
        check(name, sorted(local) == exact, f"local ports {local}, want {exact}")
    # No NAT on loopback: the server saw each association at its own
    # local endpoint, as this client reports it.
    for c in conns:
        want = f"{c['local_host']}:{c['local_port']}"
        check(name, c.get("seen_as") == want,
              f"association {c['socket']} seen as {c.get('seen_as')!r}, "
              f"not {want!r}")
    # The server's side: this test's associations and where they came from.
    with open(os.path.join(work, name + ".srv")) as f:
        seen = re.findall(r"Accepted association \d+ of test \d+ from (\S+)",
                          f.read())
    check(name, len(seen) == nassoc, f"server accepted {seen}")
    check(name, len(set(seen)) == nports,
          f"server saw endpoints {seen}: want {nports} distinct")
    check(name, set(seen) == {c.get("seen_as") for c in conns},
          f"server endpoints {sorted(set(seen))} are not the client's")


ports("per", 4, 4)
ports("shared", 4, 1)
ports("fixed", 3, 3, [40000, 40001, 40002])
ports("verify", 4, 4)
for f in failures:
    print("FAIL:", f, file=sys.stderr)
sys.exit(1 if failures else 0)
PY

# ------------------------------------------------------------ usage errors
expect_usage overflow \
    '^sctpu-perf: --local-udp-port 65534 with --udp-per-assoc -P 4 needs UDP ports 65534-65537, past 65535' \
    --local-udp-port 65534 --udp-per-assoc -P 4

# Another program holds the second association's port: exit 2 with the
# hint, not a hang and not a test on fewer ports.
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 41001))
print("bound", flush=True)
time.sleep(60)
' >"$WORK/holder.log" &
PIDS+=("$!")
wait_for_line "$WORK/holder.log" '^bound$' 10
expect_usage inuse '41001.*another program on this UDP port' \
    --local-udp-port 41000 --udp-per-assoc -P 3

stop_server "$SERVER_PID"
echo "PASS: it_perf_ports"
