#!/usr/bin/env bash
# it_perf_compat.sh - EXTRAS (the server's CPU parts and, under -R or
# --bidir, its RTT and window extremes) between peers of mixed versions.
# The old peer is real: sctpu as of git commit a960d92 (before EXTRAS, with
# decoders as strict as today's), built from this repository's history into
# the test's scratch directory (about 15 s niced on 2 cores).
#
#   new client -> old server   the tests run as before (forward, -R), the
#                              keys are absent, the old server logs no
#                              protocol error
#   old client -> new server   the test runs (-R), the new server logs no
#                              protocol error and exits 0 (-1)
#   new client -> new server   remote_user + remote_system = remote_total,
#                              close to the server's own host_user and
#                              host_system; under -R and --bidir each sender
#                              entry the server filled is exactly the
#                              server's own -J sender entry
#                              (and a --csv server fills them too)
#
# usage: bash tests/it_perf_compat.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

OLD_COMMIT=a960d92
NEW_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $NEW_BIN ]] || fail "$NEW_BIN is not built"
command -v git >/dev/null || skip "git is missing: the old peer is built from history"
# A shallow clone lacks it: deepen it from its origin once, if that answers.
if ! git -C "$REPO_DIR" cat-file -e "$OLD_COMMIT^{commit}" 2>/dev/null &&
    [[ $(git -C "$REPO_DIR" rev-parse --is-shallow-repository 2>/dev/null) == true ]]; then
    timeout 120 git -C "$REPO_DIR" fetch -q --unshallow 2>/dev/null || true
fi
git -C "$REPO_DIR" cat-file -e "$OLD_COMMIT^{commit}" 2>/dev/null ||
    skip "commit $OLD_COMMIT is not in $REPO_DIR (a shallow clone?)"

# The old peer, built as a user would (no -Werror: another compiler may warn).
mkdir -p "$WORK/old-src"
git -C "$REPO_DIR" archive "$OLD_COMMIT" | tar -x -C "$WORK/old-src"
if ! { timeout 240 nice -n 19 cmake -S "$WORK/old-src" -B "$WORK/old-build" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCTPU_TESTS=OFF &&
    timeout 240 nice -n 19 cmake --build "$WORK/old-build" -j2 \
        --target sctpu; } >"$WORK/old-build.log" 2>&1; then
    tail -30 "$WORK/old-build.log" >&2
    fail "could not build sctpu at $OLD_COMMIT"
fi
OLD_BIN="$WORK/old-build/src/sctpu-perf"
[[ -x $OLD_BIN ]] || fail "$OLD_BIN is missing after the build"

PORT=5371
UDP=9971

# server BIN NAME [FORMAT]: a one-off server (-1) whose document (-J, or
# FORMAT) goes to $WORK/NAME.json and its banner to NAME.log; pid in
# SERVER_PID.
server() {
    local bin=$1 name=$2 format=${3:--J}
    "$bin" -s -1 "$format" -p $PORT --udp-port $UDP >"$WORK/$name.json" \
        2>"$WORK/$name.log" &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    wait_for_line "$WORK/$name.log" "^Server listening on SCTP port $PORT" 20
}

# client BIN NAME ARGS...: its -J run against the server, exit 0 wanted,
# then the server must exit 0 too (a protocol error makes it log and
# abort the test, not exit cleanly with -1).
client() {
    local bin=$1 name=$2 srv=$3
    shift 3
    local wrap=()
    [[ $bin == "$NEW_BIN" ]] && read -r -a wrap <<<"$SCTPU_WRAP"
    run_bounded 60 "$name" "${wrap[@]}" "$bin" -c 127.0.0.1 -p $PORT \
        --udp-port $UDP -t 1 -P 2 "$@" -J
    want_rc "$name" 0
    gone "$SERVER_PID" 10 || fail "$srv: the -1 server did not exit"
    [[ $RC == 0 ]] || { show "$WORK/$srv.log"; fail "$srv: exit $RC"; }
    if grep -Ei "unexpected control|malformed" "$WORK/$srv.log" \
        "$WORK/$name.err"; then
        fail "$name: a protocol complaint (above)"
    fi
}

# new client -> old server
for shape in forward reverse; do
    args=()
    [[ $shape == reverse ]] && args=(-R)
    server "$OLD_BIN" "old_srv_$shape"
    client "$NEW_BIN" "new_old_$shape" "old_srv_$shape" "${args[@]}"
done
# old client -> new server
server "$NEW_BIN" new_srv_old
client "$OLD_BIN" old_new_reverse new_srv_old -R
# new <-> new
server "$NEW_BIN" new_srv_reverse
client "$NEW_BIN" new_new_reverse new_srv_reverse -R
server "$NEW_BIN" new_srv_bidir
client "$NEW_BIN" new_new_bidir new_srv_bidir --bidir
# a server printing CSV samples its intervals all the same
server "$NEW_BIN" new_srv_csv --csv
client "$NEW_BIN" new_new_csv new_srv_csv -R

/usr/bin/python3 - "$WORK" <<'PY' || fail "the EXTRAS checks failed (above)"
import json, sys
work = sys.argv[1]
KEYS = ("min_rtt", "mean_rtt", "max_rtt", "max_snd_cwnd", "max_snd_wnd")
bad = []
def doc(name):
    return json.load(open(f"{work}/{name}"))
def senders(d):
    return [s["sender"] for s in d["end"]["streams"] if "sender" in s]

# The old server tells nothing more: the keys are absent, not made up.
for shape in ("forward", "reverse"):
    d = doc(f"new_old_{shape}.out")
    cpu = d["end"]["cpu_utilization_percent"]
    if "remote_user" in cpu or "remote_system" in cpu or \
            cpu["remote_total"] < 0:
        bad.append(f"new->old {shape}: cpu {cpu}")
    for s in senders(d):
        have = [k for k in KEYS if k in s]
        # forward: this client sent and has its own; -R: nothing
        want = list(KEYS) if shape == "forward" else []
        if have != want:
            bad.append(f"new->old {shape} [{s['socket']}]: {have}")
# The old client still reads the new server: its counts are there.
# (its document predates the sender entries' shape: count what it has)
d = doc("old_new_reverse.out")
got = sum(st.get(k, {}).get("bytes", 0) for st in d["end"]["streams"]
          for k in ("sender", "receiver"))
if got <= 0:
    bad.append(f"old->new: no bytes in {d['end']['streams']}")

# new <-> new: the server's own figures, carried over.
for s in senders(doc("new_new_csv.out")):
    if not all(k in s for k in KEYS) or s["max_rtt"] <= 0:
        bad.append(f"server --csv: sender {s}")
for shape in ("reverse", "bidir"):
    c, s = doc(f"new_new_{shape}.out"), doc(f"new_srv_{shape}.json")
    cc, sc = c["end"]["cpu_utilization_percent"], \
        s["end"]["cpu_utilization_percent"]
    if abs(cc["remote_user"] + cc["remote_system"] - cc["remote_total"]) > 0.011:
        bad.append(f"{shape}: remote parts do not add up: {cc}")
    # the same process over the same test, read a moment later
    for mine, theirs in (("remote_user", "host_user"),
                         ("remote_system", "host_system")):
        if abs(cc[mine] - sc[theirs]) > 5:
            bad.append(f"{shape}: {mine} {cc[mine]}, server {sc[theirs]}")
    # the server's sender entries (it sent: sender true in its document)
    theirs = {x["socket"]: x for x in senders(s)}
    filled = sum(all(k in x for k in KEYS) for x in senders(c))
    for x in senders(c):
        t = theirs.get(x["socket"])
        # the server's direction: its sender entry counted the same bytes
        # (this client's own, under --bidir, counted others)
        if t is None or t["bytes"] != x["bytes"]:
            continue
        for k in KEYS:
            if x.get(k) != t.get(k):
                bad.append(f"{shape} [{x['socket']}]: {k} {x.get(k)}, "
                           f"server {t.get(k)}")
        if not (0 < x["min_rtt"] <= x["mean_rtt"] <= x["max_rtt"]):
            bad.append(f"{shape} [{x['socket']}]: rtts {x}")
        if x["max_snd_cwnd"] <= 0 or x["max_snd_wnd"] <= 0:
            bad.append(f"{shape} [{x['socket']}]: windows {x}")
    want_filled = 2 if shape == "reverse" else 4
    if filled != want_filled:
        bad.append(f"{shape}: {filled} sender entries with the keys, "
                   f"want {want_filled}")
for b in bad:
    print("BAD:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
echo "PASS: EXTRAS across versions (old = $OLD_COMMIT)"
