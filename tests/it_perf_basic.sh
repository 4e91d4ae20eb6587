#!/usr/bin/env bash
# it_perf_basic.sh - sctpu-perf client runs against one server, checked
# number by number from the -J document (and once from the text output).
#
# One `sctpu-perf -s` serves every run, one after another:
#
#   time      -t 2                 bytes flowed, sent == received, 1.9-2.6 s
#   bytes     -n 10M -l 64k        exactly 10485760 bytes on both sides
#   blocks    -k 1000 -l 1000      exactly 1000 messages, 1000000 bytes
#   parallel  -P 4 -t 1 -u         4 associations; SUM == sum of them;
#                                  test_start.unordered
#   streams   --nstreams 8 -k 800  sids 0..7 with 100 messages each
#   reverse   -R -n 5M             the server sends (its own output says
#                                  so), 5 MiB on each side
#   bidir     --bidir -t 1         both directions flow, each balanced
#   rate      -b 50M -t 3 -l 10k   never over 50 Mbit/s on the sender's own
#                                  clock; best second within 10 % of 50
#   iperf3    iperf3's own flags   (-p --sctp --bandwidth --len --nstreams
#                                  --parallel), in JSON and in text
#   bidirtext --bidir -P 2 -n 4M -u  text: [SUM][TX] and [SUM][RX] each 8 MiB
#                                  (not both directions' 16), on the server
#                                  too; "unordered" in the connect line and
#                                  every column header
#   rtext     -R -P 2 -n 2M        text: the client's receiver-only table
#
# Every JSON run's intervals: as many as the run had seconds (-t N: N),
# none empty or a sliver with no data, regular ones end at or after k * -i,
# each has messages_per_second, each sum row is its rows' total, and they
# add up to this end's totals, the last ending where that direction ended.
# Every text table (client and server): each column label stands over
# cells of its own, aligned.
#
# All JSON checks run in one python3 process at the end, and every failed
# check is listed (not only the first). Total run time is about 20 s.
#
# usage: bash tests/it_perf_basic.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN ]] || fail "$PERF_BIN is not built"
T0=$SECONDS

# SCTPU_WRAP is a command prefix (e.g. "valgrind -q"): split it on purpose.
# shellcheck disable=SC2086
$SCTPU_WRAP "$PERF_BIN" -s >"$WORK/server.log" 2>"$WORK/server.err" &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_for_line "$WORK/server.log" '^Server listening on SCTP port 5201' 20

# client NAME ARGS...: one bounded client run against the server; its
# stdout goes to $WORK/NAME.out, stderr to $WORK/NAME.err. A non-zero
# exit fails the test at once, with both shown.
client() {
    local name=$1 rc=0 t try
    shift
    # The server is busy until the previous test's association has fully
    # closed, which can lag its client's exit by a moment: retry, bounded.
    for ((try = 0; try < 50; try++)); do
        rc=0
        t=$(date +%s.%N)
        # shellcheck disable=SC2086
        timeout 30 $SCTPU_WRAP "$PERF_BIN" -c 127.0.0.1 "$@" \
            >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
        if ((rc != 1)) || ! grep -q 'server is busy' "$WORK/$name.err"; then
            break
        fi
        echo "$name: the server was still busy; trying again"
        sleep 0.1
    done
    printf '%-9s %-50s exit %d, %.2f s\n' "$name" "$*" "$rc" \
        "$(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
    if ((rc != 0)); then
        echo "--- $name stdout:" >&2
        cat "$WORK/$name.out" >&2
        echo "--- $name stderr:" >&2
        cat "$WORK/$name.err" >&2
        echo "--- server:" >&2
        cat "$WORK/server.log" "$WORK/server.err" >&2
        fail "$name: sctpu-perf -c 127.0.0.1 $* exited $rc"
    fi
}

client time -t 2 -J
client bytes -n 10M -l 64k -J
client blocks -k 1000 -l 1000 -J
client parallel -P 4 -t 1 -u -J
client streams --nstreams 8 -k 800 -l 1000 -J
client reverse -R -n 5M -J --get-server-output
client bidir --bidir -t 1 -J
client rate -b 50M -t 3 -l 10k -J
IPERF3=(-p 5201 --sctp -i 1 -t 2 --bandwidth 10G --len 10k --nstreams 4
    --parallel 2)
client iperf3 "${IPERF3[@]}" -J
client text "${IPERF3[@]}"
client bidirtext --bidir -P 2 -n 4M -l 64k -u --get-server-output
client rtext -R -P 2 -n 2M -l 64k

# ---------------------------------------------------------------- JSON checks
cat >"$WORK/check.py" <<'PY'
import json, math, os, re, sys

work = sys.argv[1]
failures = []
MiB = 1024 * 1024


def load(name):
    with open(os.path.join(work, name + ".out")) as f:
        return json.load(f)


def check(name, cond, what):
    if not cond:
        failures.append(f"{name}: {what}")
    return cond


def dirs(j):
    """Per-association sender and receiver halves of end.streams.

    Accepts iperf3's shape (one entry with both "sender" and "receiver")
    and one entry per half alike: returns ([sender...], [receiver...]).
    """
    snd, rcv = [], []
    for s in j["end"]["streams"]:
        if "sender" in s:
            snd.append(s["sender"])
        if "receiver" in s:
            rcv.append(s["receiver"])
    return snd, rcv


def common(name, j):
    """What every successful run must have."""
    check(name, j.get("error") in (None, ""), f"error {j.get('error')!r}")
    e = j["end"]
    ss, sr = dict(e["sum_sent"]), dict(e["sum_received"])
    # --bidir, as iperf3: sum_* is the forward direction and
    # sum_*_bidir_reverse the other; together they are everything.
    ss["bytes"] += e.get("sum_sent_bidir_reverse", {}).get("bytes", 0)
    sr["bytes"] += e.get("sum_received_bidir_reverse", {}).get("bytes", 0)
    check(name, ss["bytes"] > 0, f"sum_sent.bytes {ss['bytes']}")
    check(name, sr["bytes"] == ss["bytes"],
          f"sum_received.bytes {sr['bytes']} != sum_sent.bytes {ss['bytes']}")
    snd, rcv = dirs(j)
    check(name, sum(d["bytes"] for d in snd) == ss["bytes"],
          f"sender bytes {[d['bytes'] for d in snd]} do not add up to "
          f"sum_sent.bytes {ss['bytes']}")
    check(name, sum(d["bytes"] for d in rcv) == sr["bytes"],
          f"receiver bytes {[d['bytes'] for d in rcv]} do not add up to "
          f"sum_received.bytes {sr['bytes']}")
    check(name, sum(s["bytes"] for s in e["sctp_streams"]) == sr["bytes"],
          f"end.sctp_streams bytes add up to "
          f"{sum(s['bytes'] for s in e['sctp_streams'])}, "
          f"not sum_received.bytes {sr['bytes']}")
    return e, ss, sr, snd, rcv


def by_socket(halves):
    out = {}
    for d in halves:
        out.setdefault(d["socket"], []).append(d)
    return out


def intervals(name, j):
    """What every run's intervals must show (-i 1, this end's view)."""
    ivs = j["intervals"]
    ts = j["start"]["test_start"]
    # every result records the backend and its stack
    check(name, j["start"]["backend"] == "usrsctp"
          and j["start"]["stack"].startswith("usrsctp "),
          "start.backend/stack: %r %r" % (j["start"].get("backend"),
                                          j["start"].get("stack")))
    bidir, reverse = ts["bidir"] == 1, ts["reverse"] == 1
    counted = [iv for iv in ivs if not iv["sum"]["omitted"]]
    check(name, counted, "no intervals at all")
    for k, iv in enumerate(counted, 1):
        parts = iv["streams"] + [iv[x] for x in ("sum", "sum_bidir_reverse")
                                 if x in iv]
        for p in parts:
            check(name, p["seconds"] > 0,
                  f"interval {k}: an empty period {p['start']}-{p['end']}")
            check(name, "messages_per_second" in p and
                  abs(p["messages_per_second"] * p["seconds"] -
                      p["messages"]) < 1e-6 * max(1, p["messages"]),
                  f"interval {k}: messages_per_second does not match "
                  f"messages / seconds in {p}")
        moved = sum(p["bytes"] for p in iv["streams"])
        check(name, moved > 0 or iv["sum"]["seconds"] >= 0.1,
              f"interval {k}: a {iv['sum']['seconds']:.4f} s sliver that "
              f"moved nothing")
        if k < len(counted):
            # The next one starts at a regular boundary: k s from the
            # start, never before (a row may end earlier: its direction
            # ended).
            at = counted[k]["streams"][0]["start"]
            check(name, k <= at < k + 0.5,
                  f"interval {k + 1} starts at {at}, not at {k} s")
    if ivs:
        check(name, ivs[0]["streams"][0]["start"] == 0,
              f"the first interval starts at {ivs[0]['streams'][0]['start']}")
    # This end's own counts: the sender rows (client sending) or the
    # receiver rows (-R); under --bidir both.
    e = j["end"]
    own = []
    if bidir:
        own = [(True, e["sum_sent"]), (False, e["sum_received_bidir_reverse"])]
    else:
        own = [(not reverse, e["sum_sent" if not reverse else "sum_received"])]
    # -t N -i 1: exactly N intervals (no sliver after the last). A byte
    # or block count ends where it ends: one interval per second begun,
    # less a last one that moved nothing in under 0.1 s.
    longest = max(t["seconds"] for _, t in own)
    if ts["duration"] > 0:
        want = {ts["duration"]}
    else:
        want = {max(1, math.ceil(longest - 0.1)), max(1, math.ceil(longest))}
    check(name, len(counted) in want,
          f"{len(counted)} intervals for a {longest:.3f} s run "
          f"(-t {ts['duration']}), want {' or '.join(map(str, sorted(want)))}")
    for sender, total in own:
        rows = [s for iv in counted for s in iv["streams"]
                if s["sender"] == sender]
        if not check(name, rows, f"no {'sender' if sender else 'receiver'} "
                     f"rows in the intervals"):
            continue
        # Each interval's sum row (sum_bidir_reverse for the other
        # direction under --bidir) is its rows' total; together they are
        # this direction's total.
        key = "sum_bidir_reverse" if bidir and not sender else "sum"
        for k, iv in enumerate(counted, 1):
            part = sum(s["bytes"] for s in iv["streams"]
                       if s["sender"] == sender)
            check(name, iv[key]["bytes"] == part,
                  f"interval {k}: {key}.bytes {iv[key]['bytes']} is not its "
                  f"rows' {part}")
        check(name, sum(iv[key]["bytes"] for iv in counted) == total["bytes"],
              f"interval {key}.bytes add up to "
              f"{sum(iv[key]['bytes'] for iv in counted)}, not {total['bytes']}")
        check(name, sum(s["bytes"] for s in rows) == total["bytes"],
              f"{'sender' if sender else 'receiver'} interval bytes add up "
              f"to {sum(s['bytes'] for s in rows)}, not {total['bytes']}")
        # (A last interval that moved nothing is left out: then the last
        # row ends less than 0.1 s before its direction did.)
        gap = total["seconds"] - max(s["end"] for s in rows)
        check(name, abs(gap) < 1e-6 or 0 < gap < 0.1,
              f"the last {'sender' if sender else 'receiver'} interval ends "
              f"at {max(s['end'] for s in rows)}, its direction at "
              f"{total['seconds']}")


# -t 2
def t_time(j):
    e, ss, sr, snd, rcv = common("time", j)
    for key, s in (("sum_sent", ss), ("sum_received", sr)):
        check("time", 1.9 <= s["seconds"] <= 2.6,
              f"{key}.seconds {s['seconds']:.3f} not within [1.9, 2.6]")
    check("time", len(j["intervals"]) == 2,
          f"{len(j['intervals'])} intervals for -t 2 -i 1, want 2")


# -n 10M -l 64k: exact
def t_bytes(j):
    e, ss, sr, snd, rcv = common("bytes", j)
    for key, v in (("sum_sent", ss["bytes"]), ("sum_received", sr["bytes"]),
                   ("sender", snd[0]["bytes"]), ("receiver", rcv[0]["bytes"])):
        check("bytes", v == 10 * MiB, f"{key}.bytes {v} != {10 * MiB}")
    check("bytes", len(snd) == 1 and len(rcv) == 1,
          f"{len(snd)} sender / {len(rcv)} receiver entries for one association")
    check("bytes", snd[0].get("messages") == 160 and rcv[0].get("messages") == 160,
          f"messages sent {snd[0].get('messages')} received "
          f"{rcv[0].get('messages')}, want 160 (10 MiB / 64 KiB)")


# -k 1000 -l 1000: exact
def t_blocks(j):
    e, ss, sr, snd, rcv = common("blocks", j)
    for key, d in (("sender", snd[0]), ("receiver", rcv[0])):
        check("blocks", d.get("messages") == 1000,
              f"{key}.messages {d.get('messages')} != 1000")
        check("blocks", d["bytes"] == 1000000,
              f"{key}.bytes {d['bytes']} != 1000000")
    for key, s in (("sum_sent", ss), ("sum_received", sr)):
        check("blocks", s["bytes"] == 1000000, f"{key}.bytes {s['bytes']}")
        if "messages" in s:
            check("blocks", s["messages"] == 1000, f"{key}.messages {s['messages']}")


# -P 4 -t 1
def t_parallel(j):
    e, ss, sr, snd, rcv = common("parallel", j)
    conn = j["start"]["connected"]
    check("parallel", len(conn) == 4, f"{len(conn)} entries in start.connected")
    check("parallel", j["start"]["test_start"].get("unordered") is True,
          "test_start.unordered is not true under -u")
    socks = sorted(c["socket"] for c in conn)
    check("parallel", len(set(socks)) == 4, f"connected sockets {socks}")
    bs, br = by_socket(snd), by_socket(rcv)
    check("parallel", sorted(bs) == socks and sorted(br) == socks,
          f"end.streams senders for {sorted(bs)}, receivers for {sorted(br)}, "
          f"want one of each for {socks}")
    for s in socks:
        if len(bs.get(s, [])) == 1 and len(br.get(s, [])) == 1:
            check("parallel", bs[s][0]["bytes"] == br[s][0]["bytes"] > 0,
                  f"association {s}: sent {bs[s][0]['bytes']}, "
                  f"received {br[s][0]['bytes']}")
    last = j["intervals"][-1] if j["intervals"] else None
    if check("parallel", last is not None, "no intervals"):
        check("parallel", len(last["streams"]) == 4,
              f"{len(last['streams'])} streams in an interval, want 4")
        check("parallel", last["sum"]["bytes"] ==
              sum(s["bytes"] for s in last["streams"]),
              "an interval's sum is not the sum of its streams")


# --nstreams 8 -k 800 -l 1000
def t_streams(j):
    e, ss, sr, snd, rcv = common("streams", j)
    sids = sorted(s["sid"] for s in e["sctp_streams"])
    check("streams", sids == list(range(8)), f"end.sctp_streams sids {sids}")
    for s in e["sctp_streams"]:
        check("streams", s["messages"] == 100 and s["bytes"] == 100000,
              f"sid {s['sid']}: {s['messages']} messages, {s['bytes']} bytes")
    check("streams", sr["bytes"] == 800000, f"received {sr['bytes']} bytes")
    per_assoc = [s for x in j["end"]["streams"] for s in x.get("sctp_streams", [])]
    check("streams", sorted(s["sid"] for s in per_assoc) == list(range(8)),
          f"end.streams[].sctp_streams sids "
          f"{sorted(s['sid'] for s in per_assoc)}")


# -R -n 5M: the server sends, the client receives
def t_reverse(j):
    e, ss, sr, snd, rcv = common("reverse", j)
    check("reverse", j["start"]["test_start"]["reverse"] == 1,
          "test_start.reverse is not 1")
    for key, v in (("sum_sent", ss["bytes"]), ("sum_received", sr["bytes"])):
        check("reverse", v == 5 * MiB, f"{key}.bytes {v} != {5 * MiB}")
    rows = [s for iv in j["intervals"] for s in iv["streams"]]
    check("reverse", rows and all(not s["sender"] for s in rows),
          "the client's interval rows are not all receiver rows under -R")
    # The transfer is too short for an interval: the server's own report
    # (--get-server-output) must have the sender line and no receiver line.
    srv = j.get("server_output_text") or ""
    check("reverse", re.search(r"^\[ *1\] .* sender$", srv, re.M) and
          not re.search(r" receiver$", srv, re.M),
          f"the server's output is not a sender's: {srv!r}")


# --bidir -t 1: both directions, each balanced
def t_bidir(j):
    e, ss, sr, snd, rcv = common("bidir", j)
    check("bidir", j["start"]["test_start"]["bidir"] == 1,
          "test_start.bidir is not 1")
    check("bidir", len(snd) == 2 and len(rcv) == 2,
          f"{len(snd)} sender and {len(rcv)} receiver halves, want 2 and 2")
    sb = sorted(d["bytes"] for d in snd)
    rb = sorted(d["bytes"] for d in rcv)
    check("bidir", len(sb) == 2 and sb == rb and all(b > 0 for b in sb),
          f"per-direction bytes sent {sb} vs received {rb}")
    fwd = sum(iv.get("sum", {}).get("bytes", 0) for iv in j["intervals"])
    rev = sum(iv.get("sum_bidir_reverse", {}).get("bytes", 0)
              for iv in j["intervals"])
    check("bidir", fwd > 0 and rev > 0,
          f"interval bytes forward {fwd}, reverse (sum_bidir_reverse) {rev}")


# -b 50M -t 3 -l 10k
# Measured on the run's own clock, and robust to a loaded machine: load
# can only slow a sender, never speed it up.
#  - Never over: the pacer earns credit at 50 Mbit/s from its start, with
#    one automatic burst (10 ms) up front, so in its own sender seconds it
#    cannot have sent more than that (plus the message that crossed).
#  - Not slow: a pacer that is off runs off in every second, but a stall
#    (a CPU-starved sender, as next to the runs before it under ASan)
#    costs only the seconds it hit; so the best full interval must be
#    within 10 % of 50.
#  - The receiver's total, on its own clock, is not over 50 + 10 %.
def t_rate(j):
    e, ss, sr, snd, rcv = common("rate", j)
    rate, blk = 50e6, j["start"]["test_start"]["blksize"]
    most = rate / 8 * (ss["seconds"] + 0.010) + blk
    check("rate", ss["bytes"] <= most,
          f"sent {ss['bytes']} bytes in {ss['seconds']:.3f} s, more than "
          f"50 Mbit/s allows ({most:.0f})")
    full = [iv["sum"] for iv in j["intervals"] if iv["sum"]["seconds"] >= 0.9]
    if check("rate", len(full) >= 2, f"{len(full)} full intervals in -t 3"):
        best = max(iv["bits_per_second"] for iv in full)
        check("rate", 45e6 <= best <= 55e6,
              f"best interval {best / 1e6:.2f} Mbit/s is not within 10 % of "
              f"50 (intervals: "
              f"{[round(iv['bits_per_second'] / 1e6, 2) for iv in full]})")
    check("rate", sr["bits_per_second"] <= rate * 1.1,
          f"receiver rate {sr['bits_per_second'] / 1e6:.2f} Mbit/s is over "
          f"50 + 10 %")


# iperf3's command line, JSON: 2 associations, 4 data streams used on each
def t_iperf3(j):
    e, ss, sr, snd, rcv = common("iperf3", j)
    check("iperf3", len(j["start"]["connected"]) == 2,
          f"{len(j['start']['connected'])} associations, want 2")
    ts = j["start"]["test_start"]
    check("iperf3", (ts["num_streams"], ts["blksize"], ts["sctp_streams"]) ==
          (2, 10240, 4), f"test_start {ts}")
    used = {}
    for s in e["sctp_streams"]:
        used.setdefault(s["socket"], set()).add(s["sid"])
    check("iperf3", sorted(used) == sorted(c["socket"] for c in
                                          j["start"]["connected"]) and
          all(v == {0, 1, 2, 3} for v in used.values()),
          f"sids used per association {used}, want 0-3 on each of 2")


# Each run's checks; an exception (a missing key, unparsable output) is
# one more failure, and the other runs are still checked.
for name in ("time", "bytes", "blocks", "parallel", "streams", "reverse",
             "bidir", "rate", "iperf3"):
    try:
        globals()["t_" + name](load(name))
        intervals(name, load(name))
    except Exception as exc:  # noqa: BLE001 - report, then go on
        failures.append(f"{name}: {type(exc).__name__}: {exc}")

for f in failures:
    print("FAIL:", f)
print(f"{len(failures)} JSON check(s) failed")
sys.exit(1 if failures else 0)
PY

json_rc=0
python3 "$WORK/check.py" "$WORK" || json_rc=$?

# ---------------------------------------------------------------- text checks
text_failures=0
text_expect() { text_expect_in text "$@"; }
text_expect_in() { # text_expect_in RUN REGEX WHAT: a line of RUN's output matches
    if ! grep -Eq -- "$2" "$WORK/$1.out"; then
        echo "FAIL: $1: no $3 (/$2/)"
        text_failures=$((text_failures + 1))
    fi
}
text_reject_in() { # text_reject_in RUN REGEX WHAT: no line of RUN's output matches
    if grep -Eq -- "$2" "$WORK/$1.out"; then
        echo "FAIL: $1: $3: $(grep -E -m1 -- "$2" "$WORK/$1.out")"
        text_failures=$((text_failures + 1))
    fi
}
text_expect '^\[ ID\] +Interval +Transfer +Bitrate +Msgs/s +Rtx +Cwnd +Rwnd +SRTT-us +RTO-ms +PMTU$' \
    'interval header with Msgs/s, Rtx, Cwnd, Rwnd, SRTT-us, RTO-ms and PMTU columns'
text_reject_in text 'SRTT-ms' 'an SRTT column in milliseconds (usrsctp measures us)'
text_expect '^\[ +1\] +0\.00-[01]\.[0-9]{2} +sec .* [0-9]+ +[0-9]+$' \
    'first interval of association 1, with its SCTP columns'
text_expect '^\[ +1\] +0\.00-[0-9.]+ +sec .* sender$' 'sender line of [  1]'
text_expect '^\[ +2\] +0\.00-[0-9.]+ +sec .* receiver$' 'receiver line of [  2]'
text_expect '^\[SUM\] +0\.00-[0-9.]+ +sec .* sender$' '[SUM] sender line'
text_expect '^\[SUM\] +0\.00-[0-9.]+ +sec .* receiver$' '[SUM] receiver line'
text_expect '^SCTP streams' 'SCTP streams table'
text_expect '^\[ ID\] +SID +Messages +Transfer +Bitrate +PPID$' 'SCTP streams header with its PPID column'
text_expect 'sctpu-perf Done' 'closing line'
text_reject_in text 'unordered' '"unordered" without -u'
# The streams table: sids 0-3 for each of the two associations.
for id in 1 2; do
    sids=$(sed -n '/^SCTP streams/,/^CPU\|^$/p' "$WORK/text.out" |
        awk -v id="$id" '$1 == "[" && $2 == id "]" { print $3 }
                         $1 == "[" id "]" { print $2 }' | sort -n | xargs)
    if [[ $sids != "0 1 2 3" ]]; then
        echo "FAIL: text: association $id lists sids '$sids', want '0 1 2 3'"
        text_failures=$((text_failures + 1))
    fi
done

# --bidir -P 2 -n 4M: 4 MiB each way on each association, so each
# direction's [SUM] is 8 MiB, as its sender and as its receiver counted it,
# in the client's output and in the server's.
sed '/^Server output:/q' "$WORK/bidirtext.out" >"$WORK/bidirclient.out"
sed -n '/^Server output:/,$p' "$WORK/bidirtext.out" >"$WORK/bidirserver.out"
for dir in TX RX; do
    for role in sender receiver; do
        text_expect_in bidirclient \
            "^\[SUM\]\[$dir\] +0\.00-[0-9.]+ +sec +8\.00 MBytes .* $role\$" \
            "[SUM][$dir] $role line of 8.00 MBytes"
    done
    text_expect_in bidirclient \
        "^\[ +1\]\[$dir\] +0\.00-[0-9.]+ +sec +4\.00 MBytes .* sender\$" \
        "[  1][$dir] sender line of 4.00 MBytes"
done
text_expect_in bidirserver '^\[SUM\]\[TX\] +0\.00-[0-9.]+ +sec +8\.00 MBytes .* sender$' \
    "the server's [SUM][TX] sender line of 8.00 MBytes"
text_expect_in bidirserver '^\[SUM\]\[RX\] +0\.00-[0-9.]+ +sec +8\.00 MBytes .* receiver$' \
    "the server's [SUM][RX] receiver line of 8.00 MBytes"
text_reject_in bidirtext '^\[SUM\].* 16\.0 MBytes' 'a [SUM] of both directions'
# -u: said in the connect line and over every table of both ends.
text_expect_in bidirtext '^Connecting to host .*unordered SCTP delivery \(-u\), not UDP' \
    'unordered delivery in the connect line'
if grep -E '^\[ ID\] +Interval' "$WORK/bidirtext.out" | grep -qv 'SCTP unordered'; then
    echo "FAIL: bidirtext: a column header without the unordered mark"
    text_failures=$((text_failures + 1))
fi
text_expect_in bidirserver '^\[ ID\] +Interval.*\(SCTP unordered\)$' \
    "the server's headers marked unordered"

# -R -P 2 -n 2M: the client only receives: its interval header has no
# sender columns; the sums are 4 MiB each.
text_expect_in rtext '^\[ ID\] +Interval +Transfer +Bitrate +Msgs/s$' \
    'a receiver-only interval header'
text_reject_in rtext '^\[ ID\] +Interval.*Cwnd' 'sender columns over receiver lines'
for role in sender receiver; do
    text_expect_in rtext "^\[SUM\] +0\.00-[0-9.]+ +sec +4\.00 MBytes .* $role\$" \
        "[SUM] $role line of 4.00 MBytes"
done
if ((text_failures)); then
    for run in text bidirtext rtext; do
        echo "--- $run run:"
        cat "$WORK/$run.out"
    done
fi

# The server survived all of it and still stops cleanly.
stop_server "$SERVER_PID"
if grep -qiE 'error|abort' "$WORK/server.err"; then
    echo "--- server stderr:" >&2
    cat "$WORK/server.err" >&2
    fail "the server reported errors"
fi
n=$(grep -c '^Accepted association 1 of test' "$WORK/server.log" || true)
((n >= 12)) || fail "the server logged $n tests, want 12"

# Every text table, the client's and the server's: each label over cells
# of its own, none over blanks only, no cell across a column edge; and no
# interval starts before its boundary (-i 1: 0.99 instead of 1.00).
cat >"$WORK/tables.py" <<'PY'
import re, sys

FREE = ("Interval", "(SCTP unordered)", "verified/missing/dup/corrupt/ooo")
failures = []


def labels(header):
    """(label, right edge) of a header line: words joined by one space."""
    for m in re.finditer(r"\S+(?: \S+)*", header):
        if not m.group().startswith("[ ID]") and m.group() not in FREE:
            yield m.group(), m.end()
        elif m.group().startswith("[ ID] ") and m.group()[6:] not in FREE:
            yield m.group()[6:], m.end()


for path in sys.argv[1:]:
    lines = open(path).read().split("\n")
    for i, header in enumerate(lines):
        if not header.startswith("[ ID]"):
            continue
        rows = []
        for row in lines[i + 1:]:
            if not row.startswith("[") or row.startswith("[ ID]"):
                break
            rows.append(row)
        for label, edge in labels(header):
            crossing = [r for r in rows if len(r) > edge and r[edge] != " "]
            if crossing:
                failures.append(f"{path}: a cell crosses the edge of "
                                f"{label!r}:\n  {header}\n  {crossing[0]}")
            if not any(len(r) >= edge and r[edge - 1] != " " for r in rows):
                failures.append(f"{path}: {label!r} stands over no cells:\n"
                                f"  {header}\n  " + "\n  ".join(rows[:3]))
    for line in lines:
        m = re.match(r"^\[(?: +\d+|SUM)\](?:\[[TR]X\])? +(\d+\.\d+)-", line)
        if m and 0 < float(m.group(1)) % 1 >= 0.5:
            failures.append(f"{path}: an interval starts before its "
                            f"boundary: {line}")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
PY
python3 "$WORK/tables.py" "$WORK/text.out" "$WORK/bidirtext.out" \
    "$WORK/rtext.out" "$WORK/server.log" || text_failures=$((text_failures + 1))

((json_rc == 0 && text_failures == 0)) ||
    fail "checks failed (listed above): JSON exit $json_rc," \
        "$text_failures text check(s)"
echo "PASS: 12 sctpu-perf runs checked in $((SECONDS - T0)) s"
