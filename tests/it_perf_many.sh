#!/usr/bin/env bash
# it_perf_many.sh - sctpu-perf -P 1000 from one client process (issue 13):
#
#   -P 1000 --verify -k 5 -l 64 against a server with --max-associations
#       1000: all 1000 established (start.connect), setup_us percentiles
#       present and ordered, every association's 5 messages verified (0
#       missing/duplicate/corrupt/out of order each), 5000 in all; the
#       text summary prints [SUM] lines, not 1000 rows; the server's own
#       summary says 5000 verified too
#   --connect-rate 500 with -P 1000: the set-ups take >= 1.8 s (1000 at
#       500/s is 2 s; an unpaced run takes a fraction of that), against a
#       server whose --timeout 1 is shorter than that gathering
#   -P 200 against --max-associations 100: exit 1 within 20 s, the
#       server's reason (its --max-associations) in the error
#   -P 500 --udp-per-assoc under ulimit -n 200: exit 2 at once, saying
#       how many descriptors it needs and what RLIMIT_NOFILE allows
#
# usage: bash tests/it_perf_many.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
N=1000
K=5

start_perf_server srv -p 7481 --udp-port 9481 --max-associations $N
SRV=$SERVER_PID
CLI=("$PERF_BIN" -c 127.0.0.1 -p 7481 --udp-port 9481 --timeout 30)

# 1. -P 1000, every association verified
run_bounded 60 many "${CLI[@]}" -P $N -k $K -l 64 --verify -J
want_rc many 0
python3 - "$WORK/many.out" $N $K <<'PY' || {
import json, sys
j = json.load(open(sys.argv[1]))
n, k = int(sys.argv[2]), int(sys.argv[3])
c = j["start"]["connect"]
assert c["associations"] == n and c["established"] == n and c["failed"] == 0, c
s = c["setup_us"]
assert 0 < s["p50"] <= s["p90"] <= s["p99"] <= s["max"], s
assert len(j["start"]["connected"]) == n, len(j["start"]["connected"])
streams = j["end"]["streams"]
assert len(streams) == n, len(streams)
seen = set()
for e in streams:
    sock = e["sender"]["socket"]
    seen.add(sock)
    assert e["sender"]["messages"] == k, e["sender"]
    assert e["receiver"]["messages"] == k, e["receiver"]
    ver = sum(x["verified"] for x in e["sctp_streams"])
    bad = sum(x["missing"] + x["duplicate"] + x["corrupt"] + x["out_of_order"]
              for x in e["sctp_streams"])
    assert ver == k and bad == 0, (sock, e["sctp_streams"])
assert seen == set(range(1, n + 1)), "sockets are not 1..N"
v = j["end"]["verify"]
assert v["verified"] == n * k and v["missing"] == v["corrupt"] == 0, v
print("many: %d associations, set-up p50 %d us, p99 %d us, max %d us; "
      "%d messages verified" % (n, s["p50"], s["p99"], s["max"], v["verified"]))
PY
    show "$WORK/many.err"
    fail "many: the -J does not show $N verified associations"
}

# the same in text: [SUM] lines, not one row per association
run_bounded 60 many-text "${CLI[@]}" -P $N -k $K -l 64 --verify
want_rc many-text 0
grep -q "^Associations: $N asked, $N established, 0 failed" "$WORK/many-text.out" ||
    { show "$WORK/many-text.out"; fail "many-text: no Associations line"; }
grep -Eq '^Set-up time \(INIT to COMM_UP\): p50 [0-9.]+ ms, p90 [0-9.]+ ms, p99 [0-9.]+ ms, max [0-9.]+ ms' \
    "$WORK/many-text.out" || fail "many-text: no set-up percentiles"
grep -q "^Verify: $((N * K)) verified, 0 missing, 0 duplicate, 0 corrupt" \
    "$WORK/many-text.out" || fail "many-text: not all verified"
lines=$(wc -l <"$WORK/many-text.out")
((lines < 40)) || { show "$WORK/many-text.out"; fail "many-text: $lines lines for -P $N"; }
grep -q '^\[  2\]' "$WORK/many-text.out" && fail "many-text: association 2 listed without -V"

stop_server "$SRV"
# the server's summaries of both tests: all verified at its end too
n_ok=$(grep -c "^Verify: $((N * K)) verified, 0 missing, 0 duplicate, 0 corrupt, 0 out of order" \
    "$WORK/srv.log")
((n_ok == 2)) || { show "$WORK/srv.log"; fail "server: $n_ok of 2 tests fully verified"; }
echo "server: both tests' $((N * K)) messages verified at its end"

# 2. --connect-rate 500: 1000 set-ups cannot take less than ~2 s
# The server's --timeout 1 is shorter than the gathering: each HELLO is
# progress, and the data's watchdog counts from START, not the set-up.
start_perf_server srv-rate -p 7482 --udp-port 9482 --max-associations $N \
    --timeout 1
SRV=$SERVER_PID
CLI=("$PERF_BIN" -c 127.0.0.1 -p 7482 --udp-port 9482 --timeout 30)
run_bounded 60 rate "${CLI[@]}" -P $N -k 1 -l 64 --connect-rate 500/s -J
want_rc rate 0
secs=$(json_get "$WORK/rate.out" 'j["start"]["connect"]["seconds"]')
rate=$(json_get "$WORK/rate.out" 'j["start"]["connect"]["connect_rate"]')
est=$(json_get "$WORK/rate.out" 'j["start"]["connect"]["established"]')
echo "rate: $est set-ups at --connect-rate $rate took $secs s"
[[ $rate == 500 && $est == "$N" ]] || fail "rate: connect_rate $rate, established $est"
awk -v s="$secs" 'BEGIN { exit !(s >= 1.8 && s < 20) }' ||
    fail "rate: 1000 set-ups at 500/s took $secs s, not about 2 s"
stop_server "$SRV"

# 3. more than the server allows: a clear error, exit 1, no hang
start_perf_server srv-cap -p 7483 --udp-port 9483 --max-associations 100
SRV=$SERVER_PID
start=$SECONDS
run_bounded 30 cap "$PERF_BIN" -c 127.0.0.1 -p 7483 --udp-port 9483 -P 200 -k 1
want_rc cap 1
took=$((SECONDS - start))
((took <= 20)) || fail "cap: the refusal took $took s"
# refused at its HELLO (the test needs 200) or, when the 101st INIT wins
# the race, at the server's accept: either way the cap is named
grep -Eq "error: .*(--max-associations 100|allows 100 \(--max-associations\))" \
    "$WORK/cap.out" "$WORK/cap.err" || {
    show "$WORK/cap.out" "$WORK/cap.err"
    fail "cap: the error does not name the server's --max-associations"
}
echo "cap: -P 200 against --max-associations 100 refused in ${took} s:" \
    "$(grep -h "max-associations" "$WORK/cap.out" "$WORK/cap.err" | head -1)"
stop_server "$SRV"

# 4. a descriptor per association past RLIMIT_NOFILE: said before any INIT
run_bounded 10 nofile bash -c 'ulimit -n 200 && exec "$@"' _ "$PERF_BIN" \
    -c 127.0.0.1 -p 7483 --udp-port 9483 -P 500 --udp-per-assoc -k 1
want_rc nofile 2
grep -q "^sctpu-perf: error: -P 500 needs about 564 file descriptors (one per association with --udp-per-assoc), but RLIMIT_NOFILE allows 200" \
    "$WORK/nofile.err" || { show "$WORK/nofile.err"; fail "nofile: no clear error"; }
echo "nofile: $(cat "$WORK/nofile.err")"
echo "it_perf_many: OK"
