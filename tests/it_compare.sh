#!/usr/bin/env bash
# it_compare.sh - --backend all and --compare, for sctpu-perf and
# sctpu-echo, on loopback.
#
#   server    `-s --backend all` serves usrsctp; where this host's kernel
#             has no SCTP (this test asks --check) it says in one line
#             that the kernel is unavailable and serves usrsctp only,
#             else it lists a kernel listener too
#   perf      `-c 127.0.0.1 --compare -t 1`, text and -J: the fairness
#             header (4 MiB buffers, SACK 200 ms / 2, MTU), a column per
#             backend; usrsctp's figures are real (throughput both ways,
#             bytes, SRTT, cwnd, RTO, PMTU, CPU); the kernel's column is
#             either "unavailable: <reason>" or real figures too; exit 0.
#             -w 1M shows as the buffers used
#   echo      `-c 127.0.0.1 --compare -n 20 -i 0`, text and -J: 20 sent and
#             verified on usrsctp, RTT percentiles in order, the kernel
#             column as above; the settings say SACK 200 ms / 2 (text),
#             and --sack-delay 10 --sack-freq 1 as given (JSON)
#   failure   no server on that port: the usrsctp column says failed, the
#             exit status is 1
#
# usage: bash tests/it_compare.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

PERF_BIN="$BUILD_DIR/src/sctpu-perf"
[[ -x $PERF_BIN && -x $ECHO_BIN ]] || fail "sctpu is not built"

# Does this host run kernel SCTP? The comparison must say what --check says.
"$PERF_BIN" --check -J >"$WORK/check.json" || true
KERNEL_OK=$(json_get "$WORK/check.json" \
    '[b["usable"] for b in j["backends"] if b["name"] == "kernel"][0]')
echo "kernel SCTP usable here: $KERNEL_OK"

# serves_all_backends LOG BANNER: a `-s --backend all` server's log lists
# its usrsctp listener (the line starting with BANNER) and, as --check
# says, a kernel listener, or exactly one line that the kernel is
# unavailable and no kernel listener.
serves_all_backends() {
    local log=$1 banner=$2
    grep -q "^$banner .*(backend usrsctp: usrsctp [^)]*)[^)]*)\$" "$log" ||
        fail "no usrsctp listener line: $(cat "$log")"
    if [[ $KERNEL_OK == False ]]; then
        wait_for_line "$log" \
            '--backend all: kernel is unavailable here \(.+\): serving usrsctp only$' 5
        [[ $(grep -c 'kernel is unavailable' "$log") == 1 ]] ||
            fail "the kernel's absence is not said exactly once: $(cat "$log")"
        ! grep -q '(backend kernel:' "$log" ||
            fail "a kernel listener is listed on a host without kernel SCTP"
    else
        grep -q '(backend kernel: Linux [^)]*)$' "$log" ||
            fail "no kernel listener line: $(cat "$log")"
    fi
}

# --- server: one process, every backend this host runs -------------------
start_perf_server perf --backend all
PERF_SRV=$SERVER_PID
serves_all_backends "$WORK/perf.log" 'Server listening on SCTP port 5201 over UDP'

# --- perf --compare, text -------------------------------------------------
rc=0
"$PERF_BIN" -c 127.0.0.1 --compare -t 1 >"$WORK/cmp.txt" 2>"$WORK/cmp.err" || rc=$?
[[ $rc == 0 ]] || fail "perf --compare exited $rc: $(cat "$WORK/cmp.txt" "$WORK/cmp.err")"
for want in \
    '^  socket buffers: sndbuf 4.00 MBytes, rcvbuf 4.00 MBytes ' \
    '^  SACK delay 200 ms, SACK every 2 packets, nodelay off$' \
    '^  MTU [0-9]+ bytes ' \
    '^=== backend usrsctp ===$' \
    '^ +usrsctp +kernel$' \
    '^Stack \(client\) +usrsctp [0-9.]+ \([a-z]+\) +(Linux |-)' \
    '^Throughput \(sender\) +[0-9.]+ [KMG]bits/sec ' \
    '^Throughput \(receiver\) +[0-9.]+ [KMG]bits/sec ' \
    '^SRTT \(client, end\) +[0-9.]+ ms ' \
    '^CPU server +[0-9.]+% '; do
    grep -Eq -- "$want" "$WORK/cmp.txt" ||
        fail "perf --compare text lacks /$want/: $(cat "$WORK/cmp.txt")"
done
if [[ $KERNEL_OK == False ]]; then
    grep -Eq '^Status +ok +unavailable: .*SCTP' "$WORK/cmp.txt" ||
        fail "the kernel column does not say why it is unavailable"
    grep -q '=== backend kernel ===' "$WORK/cmp.txt" &&
        fail "a kernel run was attempted on a host without kernel SCTP"
else
    grep -Eq '^Status +ok +ok$' "$WORK/cmp.txt" || fail "a backend failed"
fi

# --- perf --compare -J (and -w 1M) ----------------------------------------
rc=0
"$PERF_BIN" -c 127.0.0.1 --compare -t 1 -w 1M -J >"$WORK/cmp.json" \
    2>"$WORK/cmpj.err" || rc=$?
[[ $rc == 0 ]] || fail "perf --compare -J exited $rc: $(cat "$WORK/cmpj.err")"
python3 - "$WORK/cmp.json" "$KERNEL_OK" <<'PY' || fail "perf --compare -J: see above"
import json, os, sys
j = json.load(open(sys.argv[1]))["compare"]
kernel_ok = sys.argv[2] == "True"
bad = []
s = j["settings"]
for k, v in (("sndbuf", 1 << 20), ("rcvbuf", 1 << 20), ("sack_delay_ms", 200),
             ("sack_freq", 2), ("nodelay", False), ("host", "127.0.0.1")):
    if s.get(k) != v:
        bad.append(f"settings.{k} = {s.get(k)!r}, want {v!r}")
if not (s.get("mtu") or 0) > 0:
    bad.append(f"settings.mtu = {s.get('mtu')!r}")
cols = {c["backend"]: c for c in j["backends"]}
if [c["backend"] for c in j["backends"]] != ["usrsctp", "kernel"]:
    bad.append(f"columns {list(cols)}")
def figures(c):
    if c.get("status") != "ok":
        bad.append(f"{c['backend']}: status {c.get('status')} {c.get('reason')}")
        return
    for k in ("sender_bits_per_second", "receiver_bits_per_second",
              "sent_bytes", "received_bytes", "cwnd", "rto_ms", "pmtu",
              "cpu_client_percent", "cpu_server_percent"):
        if not (c.get(k) or 0) > 0:
            bad.append(f"{c['backend']}.{k} = {c.get(k)!r}, want > 0")
    if c.get("srtt_us") is None or c["retransmits"] < 0:
        bad.append(f"{c['backend']}: srtt_us/retransmits missing")
    if c["sent_bytes"] != c["received_bytes"]:
        bad.append(f"{c['backend']}: sent {c['sent_bytes']} != received "
                   f"{c['received_bytes']}")
figures(cols["usrsctp"])
if not (cols["usrsctp"].get("stack") or "").startswith("usrsctp "):
    bad.append(f"usrsctp.stack = {cols['usrsctp'].get('stack')!r}")
if cols["kernel"].get("stack") not in (None, "Linux " + os.uname().release):
    bad.append(f"kernel.stack = {cols['kernel'].get('stack')!r}")
if kernel_ok:
    figures(cols["kernel"])
elif (cols["kernel"].get("status") != "unavailable" or
      "SCTP" not in cols["kernel"].get("reason", "") or
      "sender_bits_per_second" in cols["kernel"]):
    bad.append(f"kernel column {cols['kernel']}")
for b in bad:
    print("FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
stop_server "$PERF_SRV"

# --- echo: server and --compare, text and -J ------------------------------
start_echo_server echo --backend all
ECHO_SRV=$SERVER_PID
serves_all_backends "$WORK/echo.log" 'sctpu-echo server: SCTP port 7 over UDP'
rc=0
"$ECHO_BIN" -c 127.0.0.1 --compare -n 20 -i 0 -q >"$WORK/ecmp.txt" \
    2>"$WORK/ecmp.err" || rc=$?
[[ $rc == 0 ]] || fail "echo --compare exited $rc: $(cat "$WORK/ecmp.txt" "$WORK/ecmp.err")"
for want in '^Sent +20 ' '^Verified +20 ' '^RTT p99 +[0-9]+ us ' \
    '^  socket buffers: sndbuf 4.00 MBytes, rcvbuf 4.00 MBytes ' \
    '^  SACK delay 200 ms, SACK every 2 packets, nodelay on '; do
    grep -Eq -- "$want" "$WORK/ecmp.txt" ||
        fail "echo --compare text lacks /$want/: $(cat "$WORK/ecmp.txt")"
done
rc=0
"$ECHO_BIN" -c 127.0.0.1 --compare -n 20 -i 0 --sack-delay 10 --sack-freq 1 \
    -J >"$WORK/ecmp.json" 2>"$WORK/ecmpj.err" || rc=$?
[[ $rc == 0 ]] || fail "echo --compare -J exited $rc: $(cat "$WORK/ecmpj.err")"
python3 - "$WORK/ecmp.json" "$KERNEL_OK" <<'PY' || fail "echo --compare -J: see above"
import json, sys
j = json.load(open(sys.argv[1]))["compare"]
kernel_ok = sys.argv[2] == "True"
bad = []
s = j["settings"]
for k, v in (("sack_delay_ms", 10), ("sack_freq", 1), ("nodelay", True)):
    if s.get(k) != v:
        bad.append(f"settings.{k} = {s.get(k)!r}, want {v!r}")
cols = {c["backend"]: c for c in j["backends"]}
def figures(c):
    if c.get("status") != "ok" or c["sent"] != 20 or c["verified"] != 20:
        bad.append(f"{c['backend']}: {c}")
        return
    r = c["rtt_us"]
    seq = [r["min"], r["p50"], r["p90"], r["p99"], r["max"]]
    if not (0 < seq[0] and seq == sorted(seq)):
        bad.append(f"{c['backend']}: RTT percentiles {seq}")
figures(cols["usrsctp"])
if kernel_ok:
    figures(cols["kernel"])
elif (cols["kernel"].get("status") != "unavailable" or
      "SCTP" not in cols["kernel"].get("reason", "")):
    bad.append(f"kernel column {cols['kernel']}")
for b in bad:
    print("FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
stop_server "$ECHO_SRV"

# --- a run that fails: nothing listens there ------------------------------
rc=0
"$PERF_BIN" -c 127.0.0.1 -p 5999 --udp-port 9990 --compare -t 1 --timeout 2 \
    >"$WORK/fail.txt" 2>&1 || rc=$?
[[ $rc == 1 ]] || fail "a failed usrsctp run exited $rc, not 1: $(cat "$WORK/fail.txt")"
grep -Eq '^Status +failed' "$WORK/fail.txt" ||
    fail "the failed run's column does not say so: $(cat "$WORK/fail.txt")"
echo "PASS: it_compare"
