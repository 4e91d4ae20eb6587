#!/usr/bin/env bash
# it_perf_csv.sh - sctpu-perf --csv from real runs, parsed with Python's csv:
#
#   client  -t 2 -P 2 -i 0.5 --csv    header first, the documented columns
#                                     (docs/perf-csv.md), 16 cells a line;
#                                     interval lines, then the totals; the
#                                     intervals' bytes add up to the totals'
#                                     (the client's own count: exactly)
#   client  -R ... --logfile FILE     the CSV goes to FILE, stdout stays
#                                     empty; lines say s2c / receiver
#   client  --bidir -t 1 --csv        both directions, each summing up
#   server  -s --csv                  its own CSV, one header per test;
#                                     its receiver intervals add up to its
#                                     totals; its banner goes to stderr
#   errors  --csv -J, --csv --json-stream, --csv --compare: exit 2 with a
#           message naming both
#
# About 8 s.
#
# usage: bash tests/it_perf_csv.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
PORT=5251
UDP=9951

# SCTPU_WRAP is a command prefix (e.g. "valgrind -q"): split it on purpose.
# shellcheck disable=SC2086
$SCTPU_WRAP "$PERF_BIN" -s -p $PORT --udp-port $UDP --csv \
    >"$WORK/server.csv" 2>"$WORK/server.err" &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_for_line "$WORK/server.err" "^Server listening on SCTP port $PORT" 20

client() {
    local name=$1
    shift
    run_bounded 30 "$name" "$PERF_BIN" -c 127.0.0.1 -p $PORT --udp-port $UDP \
        "$@"
    want_rc "$name" 0
}

client fwd -t 2 -P 2 -i 0.5 --csv
client rev -t 1 -R -i 0.5 --csv --logfile "$WORK/rev.csv"
[[ ! -s $WORK/rev.out ]] || { show "$WORK/rev.out"; fail "--logfile: stdout is not empty"; }
client bidir -t 1 --bidir --csv
stop_server "$SERVER_PID"

/usr/bin/python3 - "$WORK" <<'PY' || fail "the CSV checks above failed"
import csv, sys

work = sys.argv[1]
COLUMNS = ["timestamp", "kind", "direction", "role", "associations",
           "start_s", "end_s", "seconds", "bytes", "bits_per_second",
           "messages", "messages_per_second", "retransmits", "cwnd_bytes",
           "srtt_us", "omitted"]
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def load(name, tests=1):
    """The data lines of a CSV file, checked line by line."""
    with open(f"{work}/{name}", newline="") as f:
        rows = list(csv.reader(f))
    check(rows and rows[0] == COLUMNS, f"{name}: header {rows[:1]}")
    check(sum(r == COLUMNS for r in rows) == tests,
          f"{name}: {sum(r == COLUMNS for r in rows)} headers, want {tests}")
    data = [dict(zip(COLUMNS, r)) for r in rows if r != COLUMNS]
    for i, r in enumerate(rows):
        check(len(r) == len(COLUMNS), f"{name}:{i + 1}: {len(r)} cells")
    for d in data:
        check(d["kind"] in ("interval", "end"), f"{name}: kind {d['kind']}")
        check(d["direction"] in ("c2s", "s2c"), f"{name}: {d['direction']}")
        check(d["role"] in ("sender", "receiver"), f"{name}: {d['role']}")
        secs = float(d["end_s"]) - float(d["start_s"])
        check(abs(float(d["seconds"]) - secs) < 1e-5, f"{name}: seconds {d}")
        if secs > 0:
            bps = int(d["bytes"]) * 8 / secs
            check(abs(float(d["bits_per_second"]) - bps) <= 1 + bps * 1e-5,
                  f"{name}: bits_per_second {d}")
        check((d["retransmits"] != "") == (d["role"] == "sender"),
              f"{name}: retransmits cell {d}")
        check(d["omitted"] in ("0", "1"), f"{name}: omitted {d}")
        check(float(d["timestamp"]) > 1.6e9, f"{name}: timestamp {d}")
    # in each test (a header each), the end lines follow every interval
    segments, seg = [], None
    for r in rows:
        if r == COLUMNS:
            seg = []
            segments.append(seg)
        elif seg is not None:
            seg.append(r[1])
    for kinds in segments:
        check("end" in kinds and "interval" not in kinds[kinds.index("end"):],
              f"{name}: lines out of order {kinds}")
    return data


def adds_up(name, data, direction, role, exact):
    iv = [d for d in data if d["kind"] == "interval" and
          d["direction"] == direction and d["role"] == role and
          d["omitted"] == "0"]
    end = [d for d in data if d["kind"] == "end" and
           d["direction"] == direction and d["role"] == role]
    check(len(end) == 1, f"{name}: {len(end)} end lines {direction} {role}")
    check(len(iv) >= 1, f"{name}: no interval lines {direction} {role}")
    if len(end) != 1 or not iv:
        return
    total = int(end[0]["bytes"])
    summed = sum(int(d["bytes"]) for d in iv)
    check(total > 0, f"{name}: nothing moved {direction} {role}")
    if exact:
        check(summed == total, f"{name}: intervals {summed} != end {total}")
    else:
        check(abs(summed - total) <= total * 0.01,
              f"{name}: intervals {summed} vs end {total}")
    print(f"{name} {direction} {role}: {len(iv)} intervals, {summed} bytes,"
          f" end {total}")


fwd = load("fwd.out")
check(len([d for d in fwd if d["kind"] == "interval"]) >= 3,
      "fwd: fewer than 3 intervals in -t 2 -i 0.5")
check(all(d["associations"] == "2" for d in fwd), "fwd: not 2 associations")
check(all(d["cwnd_bytes"] != "" and int(d["srtt_us"]) > 0 for d in fwd
          if d["kind"] == "interval"), "fwd: sender intervals lack SCTP cells")
adds_up("fwd", fwd, "c2s", "sender", True)
rev = load("rev.csv")
check(all(d["direction"] == "s2c" for d in rev), "rev: not all s2c")
adds_up("rev", rev, "s2c", "receiver", True)
bidir = load("bidir.out")
adds_up("bidir", bidir, "c2s", "sender", True)
adds_up("bidir", bidir, "s2c", "receiver", True)
srv = load("server.csv", tests=3)
srv1 = srv[:[d["kind"] for d in srv].index("end") + 1]
adds_up("server", srv1, "c2s", "receiver", True)

for f in failures:
    print("FAIL: " + f, file=sys.stderr)
sys.exit(1 if failures else 0)
PY

# --csv goes with no other output format
for other in -J --json-stream --compare; do
    run_bounded 10 "excl$other" "$PERF_BIN" -c 127.0.0.1 --csv "$other"
    want_rc "excl$other" 2
    if ! grep -q -- "--csv" "$WORK/excl$other.err" ||
        ! grep -q -- "${other}" "$WORK/excl$other.err"; then
        show "$WORK/excl$other.err"
        fail "--csv $other: no clear message"
    fi
done
echo "PASS: --csv lines parse, add up, and exclude -J"
