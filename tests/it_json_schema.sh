#!/usr/bin/env bash
# it_json_schema.sh - every kind of JSON document sctpu prints validates
# against its schema (docs/perf-json.schema.json, docs/echo-json.schema.json),
# and the schemas reject damaged copies of them.
#
# Real runs on loopback, one `sctpu-perf -s --backend all -J` serving all:
#
#   perf client -J   -t 1; -t 1 -P 2; -R; --bidir; --rr 64/64;
#                    --stream (2 streams); --impair loss=1%; --json-stream;
#                    --compare -J; connection refused (the error document)
#   perf server -J   its stdout: one document per test above
#   perf/echo/sctpu  --version -J (either order; the same versions as the
#                    text --version), --check -J
#   echo client -J   20 echoes; connection refused
#
# Then tests/json_schema_check.py --mutate damages every document (a
# required key removed or renamed, a number made a string, another
# schema_version) and requires each damaged copy to be rejected: the
# schema can fail. About 15 s.
#
# usage: bash tests/it_json_schema.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
SCTPU_BIN="$BUILD_DIR/src/sctpu"
CHECK=(/usr/bin/python3 "$TESTS_DIR/json_schema_check.py")
[[ -x $PERF_BIN && -x $ECHO_BIN ]] || fail "sctpu is not built"
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null ||
    skip "python3-jsonschema is missing (apt-get install python3-jsonschema)"

PORT=5231
UDP=9931
# SCTPU_WRAP is a command prefix (e.g. "valgrind -q"): split it on purpose.
# shellcheck disable=SC2086
$SCTPU_WRAP "$PERF_BIN" -s -p $PORT --udp-port $UDP --backend all -J \
    >"$WORK/server.json" 2>"$WORK/server.err" &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_for_line "$WORK/server.err" "^Server listening on SCTP port $PORT" 20

# perf NAME WANT_RC ARGS...: one client run, its stdout in $WORK/NAME.json.
PERF_DOCS=()
perf() {
    local name=$1 want=$2
    shift 2
    run_bounded 60 "$name" "$PERF_BIN" -c 127.0.0.1 -p $PORT --udp-port $UDP \
        "$@"
    want_rc "$name" "$want"
    mv "$WORK/$name.out" "$WORK/$name.json"
    PERF_DOCS+=("$WORK/$name.json")
}

perf plain 0 -t 1 -J
perf p2 0 -t 1 -P 2 -J
perf reverse 0 -t 1 -R -J
perf bidir 0 -t 1 --bidir -J
perf rr 0 -t 1 --rr 64/64 -J
perf stream 0 -t 1 --nstreams 2 --stream 0:len=200,rate=200k \
    --stream 1:len=16k,rate=4M -J
perf impair 0 -t 1 --impair loss=1%,seed=3 -J
perf jstream 0 -t 1 -P 2 --json-stream
perf compare 0 -t 1 --compare -J

stop_server "$SERVER_PID"
# one document per test the server ran: 8 runs and --compare's (1 or 2)
ndocs=$(grep -c '^{' "$WORK/server.json" || true)
((ndocs >= 9)) || {
    show "$WORK/server.json" "$WORK/server.err"
    fail "the server wrote $ndocs JSON documents, want 9 or more"
}
PERF_DOCS+=("$WORK/server.json")

# nothing listens any more: the error document
perf refused 1 -t 1 -J
grep -q '"error":' "$WORK/refused.json" || fail "refused: no error key"

"$PERF_BIN" --version -J >"$WORK/perf_version.json" || fail "perf --version -J"
"$SCTPU_BIN" --version -J >"$WORK/sctpu_version.json" || fail "sctpu --version -J"
"$ECHO_BIN" --version -J >"$WORK/echo_version.json" || fail "echo --version -J"
"$ECHO_BIN" -J --version >"$WORK/echo_version_first.json" ||
    fail "echo -J --version"
# --version -J says what the text --version says, for the right tool
for tool in sctpu-perf sctpu-echo sctpu; do
    "$BUILD_DIR/src/$tool" --version >"$WORK/$tool.version.txt" ||
        fail "$tool --version"
    "$BUILD_DIR/src/$tool" --version -J >"$WORK/$tool.version.json" ||
        fail "$tool --version -J"
    /usr/bin/python3 - "$tool" "$WORK/$tool.version.txt" \
        "$WORK/$tool.version.json" <<'PY' || fail "$tool --version -J: see above"
import json, sys
tool, txt, js = sys.argv[1:]
lines = dict(l.split(" ", 1) for l in open(txt).read().splitlines())
j = json.load(open(js))
want = {"tool": tool, "name": "sctpu", "version": lines[tool],
        "usrsctp": lines["usrsctp"], "libevent": lines["libevent"],
        "crc32c": lines["CRC32c"], "allocator": lines["allocator"]}
bad = {k: (j.get(k), v) for k, v in want.items() if j.get(k) != v}
if bad or "usrsctp" not in j["backends"] or "csv" not in j["features"]:
    sys.exit(f"FAIL: {tool} --version -J vs text: {bad} {j}")
PY
done
cmp -s "$WORK/echo_version.json" "$WORK/echo_version_first.json" ||
    fail "sctpu-echo -J --version differs from --version -J"
rc=0
"$SCTPU_BIN" --version --bogus >/dev/null 2>"$WORK/bogus.err" || rc=$?
[[ $rc == 2 ]] || fail "sctpu --version --bogus: exit $rc, want 2"
"$PERF_BIN" --check -J >"$WORK/check.json" || true
PERF_DOCS+=("$WORK/perf_version.json" "$WORK/sctpu_version.json"
    "$WORK/check.json")

# --- sctpu-echo -------------------------------------------------------
start_echo_server echo -p $PORT --udp-port $UDP
run_bounded 30 echo "$ECHO_BIN" -c 127.0.0.1 -p $PORT --udp-port $UDP \
    -n 20 -i 0.01 -J
want_rc echo 0
stop_server "$SERVER_PID"
run_bounded 30 echo_refused "$ECHO_BIN" -c 127.0.0.1 -p $PORT \
    --udp-port $UDP -n 5 -J
want_rc echo_refused 1
ECHO_DOCS=("$WORK/echo.out" "$WORK/echo_refused.out"
    "$WORK/echo_version.json" "$WORK/check.json")

# --- the checks -------------------------------------------------------
"${CHECK[@]}" "$REPO_DIR/docs/perf-json.schema.json" --mutate \
    "${PERF_DOCS[@]}" || fail "sctpu-perf's documents: see above"
"${CHECK[@]}" "$REPO_DIR/docs/echo-json.schema.json" --mutate \
    "${ECHO_DOCS[@]}" || fail "sctpu-echo's documents: see above"

# A document the schema rejects makes the checker fail (not only copies
# it damaged itself): sum_sent renamed in a real document.
sed 's/"sum_sent":/"sum_snt":/' "$WORK/plain.json" >"$WORK/broken.json"
rc=0
"${CHECK[@]}" "$REPO_DIR/docs/perf-json.schema.json" "$WORK/broken.json" \
    >"$WORK/broken.log" 2>&1 || rc=$?
[[ $rc == 1 ]] || { show "$WORK/broken.log"; fail "a broken document passed (exit $rc)"; }
grep -q "sum_sent" "$WORK/broken.log" ||
    { show "$WORK/broken.log"; fail "the checker did not name sum_sent"; }
echo "PASS: every document validates, every damaged copy is rejected"
