#!/usr/bin/env bash
# it_perf_ppid.sh - sctpu-perf --ppid on the wire, as the receiver counted
# it, and the association set-up time.
#
#   fwd       --nstreams 4 --ppid 18,60 -n 2M --verify -J: the server
#             received PPIDs 18,60,18,60 on sids 0-3 (end.sctp_streams and
#             end.streams[].sctp_streams), none mixed, no verify errors;
#             start.connected[].setup_us > 0, test_start.ppids [18,60]
#   rev       the same with -R: the client received them, so the server
#             sent with the client's PPIDs
#   default   no --ppid: every stream carries 0x73637064 (1935896676)
#   text      -R --nstreams 2 --ppid 0x2e: the PPID column shows 46 on
#             both streams; the connect line ends "set up in N us)"
#   raw       --no-control against a --no-control server: the client uses
#             its PPIDs alone; the server's table shows them
#
# usage: bash tests/it_perf_ppid.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"

start_perf_server server -p 5411 --udp-port 9921
CLIENT=(timeout 30 "$PERF_BIN" -c 127.0.0.1 -p 5411 --udp-port 9921)

# run NAME ARGS...: one client run into $WORK/NAME.out; must exit 0. The
# server may still be closing the previous test: retry while busy.
run() {
    local name=$1 rc try
    shift
    for ((try = 0; try < 50; try++)); do
        rc=0
        "${CLIENT[@]}" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
        if ((rc != 1)) || ! grep -q 'server is busy' "$WORK/$name.err"; then
            break
        fi
        sleep 0.1
    done
    ((rc == 0)) || fail "$name: exit $rc: $(cat "$WORK/$name.out" "$WORK/$name.err")"
}

# check_json NAME WANT: the receiver's per-stream PPIDs in NAME's -J
# document are WANT (a Python list), in both stream lists.
check_json() {
    python3 - "$WORK/$1.out" "$1" "$2" <<'PY' || fail "$2: see above"
import json, sys
j = json.load(open(sys.argv[1]))
name, want = sys.argv[2], eval(sys.argv[3])
e = j["end"]
bad = []
flat = sorted(e["sctp_streams"], key=lambda s: s["sid"])
got = [s["ppid"] for s in flat]
if got != want:
    bad.append(f"end.sctp_streams ppids {got}, want {want}")
if any(s["ppid_mixed"] for s in flat):
    bad.append("a stream is ppid_mixed")
per = sorted((s for x in e["streams"] for s in x.get("sctp_streams", [])),
             key=lambda s: s["sid"])
if [s["ppid"] for s in per] != want:
    bad.append(f"end.streams[].sctp_streams ppids {[s['ppid'] for s in per]}")
if [s["sid"] for s in flat] != list(range(len(want))):
    bad.append(f"sids {[s['sid'] for s in flat]}")
for c in j["start"]["connected"]:
    if not c.get("setup_us", 0) > 0:
        bad.append(f"connected[{c['socket']}].setup_us {c.get('setup_us')}")
v = e.get("verify")
if v is not None and (v["verified"] == 0 or v["missing"] or v["corrupt"]):
    bad.append(f"verify {v}")
for b in bad:
    print(f"FAIL: {name}: {b}")
print(f"{name}: ppids {got}")
sys.exit(1 if bad else 0)
PY
}

run fwd --nstreams 4 --ppid 18,60 -n 2M --verify -J
check_json fwd '[18, 60, 18, 60]'
[[ $(json_get "$WORK/fwd.out" 'j["start"]["test_start"]["ppids"]') == "[18, 60]" ]] ||
    fail "fwd: test_start.ppids is not [18, 60]"

run rev --nstreams 4 --ppid 18,60 -n 2M --verify -J -R
check_json rev '[18, 60, 18, 60]'

run default --nstreams 2 -n 1M -J
check_json default '[1935896676, 1935896676]'

run text --nstreams 2 --ppid 0x2e -n 1M -R
grep -Eq '^\[ +1\] local .*path MTU [0-9]+, set up in [0-9]+ us\)$' "$WORK/text.out" ||
    fail "text: no set-up time in the connect line: $(cat "$WORK/text.out")"
grep -Eq '^\[ ID\] +SID +Messages +Transfer +Bitrate +PPID$' "$WORK/text.out" ||
    fail "text: no PPID column: $(cat "$WORK/text.out")"
ppids=$(awk '/^SCTP streams/ { s = 1; next } s && /^\[ +1\]/ { print $NF }' \
    "$WORK/text.out" | xargs)
[[ $ppids == "46 46" ]] || fail "text: PPID column '$ppids', want '46 46'"
stop_server "$SERVER_PID"

# --no-control: nothing carries the list to the server; the client uses it.
start_perf_server raw -p 5412 --udp-port 9922 --no-control
timeout 30 "$PERF_BIN" -c 127.0.0.1 -p 5412 --udp-port 9922 --no-control \
    --nstreams 3 --ppid 3,46 -n 1M >"$WORK/rawc.out" 2>&1 ||
    fail "raw: client exited $?: $(cat "$WORK/rawc.out")"
wait_for_line "$WORK/raw.log" '^\[ +1\] +2 ' 10
ppids=$(awk '/^SCTP streams/ { s = 1; next } s && /^\[ +1\]/ { print $NF }' \
    "$WORK/raw.log" | xargs)
[[ $ppids == "3 46 3" ]] || fail "raw: server's PPID column '$ppids', want '3 46 3': $(cat "$WORK/raw.log")"
stop_server "$SERVER_PID"

echo "PASS: --ppid reaches the receiver per stream, both ways and raw; set-up time shown"
