#!/usr/bin/env bash
# tests/vm_lksctp.sh - tools we did not write against sctpu: lksctp-tools'
# sctp_test and sctp_darn (Debian's, in the VM lab, tools/kernel-vm.sh)
# with sctpu's kernel backend, over the guest's loopback. One boot.
#
#   sctp_test -s  -> sctpu-perf -s --no-control   one-to-one (-T) and
#                    one-to-many sockets; the sink counts every message and
#                    byte sctp_test says it sent, on the streams it used
#   sctp_darn -s  -> sctpu-perf -s --no-control   lines from stdin; each is
#                    one message of the line plus its NUL; sctp_darn's exit
#                    status is the length of its last message (it returns
#                    the last sendmsg's result)
#   sctpu-perf -c --no-control -> sctp_test -l    one-to-one and
#                    one-to-many: sctp_test prints (and flushes) one
#                    "Data N bytes." line per message; the counts agree
#   sctpu-perf -c --no-control -> sctp_darn -l    one-to-one, in its
#                    interactive mode: stdin says "rcv" once per message
#                    and once for the end, so it exits by itself and its
#                    buffered output is complete
#   sctp_test -s -D -> sctpu-echo -s              sctp_test reads back each
#                    message it sent; both ends count 10 messages
#   sctpu-echo -c -> sctp_darn -l -e              sctp_darn's echo mode
#                    (an option its usage text does not list) answers on
#                    stream 0 with PPID 0, so one stream, and sctpu-echo
#                    must say once that the server does not echo PPIDs and
#                    still verify every payload
#
# Not tested: sctp_test or sctp_darn as an sctpu-perf *client* with the
# control channel (they cannot speak it: that is what --no-control is for),
# and sctpu-perf -R/--bidir with them (both need the control channel).
# lksctp-tools has no echo client that checks payloads; sctp_test -D only
# prints what comes back, so the byte counts are compared here.
#
# usage: bash tests/vm_lksctp.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

vm_require kernel-backend

B="$BUILD_DIR/src"
L=127.0.0.1
cat >"$WORK/guest.sh" <<GUEST
set -u
cd "$WORK"
K="--backend kernel"
# wait_listen PORT: until an SCTP endpoint listens there (/proc/net/sctp/eps
# has LPORT in column 6).
wait_listen() {
    i=0
    until awk -v p=\$1 '\$6 == p { f = 1 } END { exit !f }' /proc/net/sctp/eps; do
        i=\$((i + 1)); [ \$i -le 100 ] || return 1; sleep 0.1
    done
}
# wait_line FILE TEXT: until FILE has TEXT (10 s at most).
wait_line() {
    i=0
    until grep -q "\$2" "\$1" 2>/dev/null; do
        i=\$((i + 1)); [ \$i -le 100 ] || return 1; sleep 0.1
    done
}
# sink NAME PORT: sctpu-perf -s --no-control for one association.
sink() {
    "$B/sctpu-perf" -s --no-control \$K -1 -J -p \$2 >\$1.json 2>\$1.err &
    SINK=\$!
    wait_listen \$2 || echo "\$1-listen 1" >>rc
}
sink_done() { wait \$SINK; echo "\$1-sink \$?" >>rc; }

# 1. sctp_test one-to-one (-T), then one-to-many over streams 0-3.
sink st-T 6001
timeout 30 sctp_test -H $L -P 7001 -h $L -p 6001 -s -T -c 4 -x 3 >st-T.out 2>&1
echo "st-T-tool \$?" >>rc
sink_done st-T
sink st-M 6002
timeout 30 sctp_test -H $L -P 7002 -h $L -p 6002 -s -c 3 -x 2 -M 3 -o 1 \
    >st-M.out 2>&1
echo "st-M-tool \$?" >>rc
sink_done st-M

# 2. sctp_darn sends stdin's lines.
sink sd 6003
printf 'one\nline number two\nthree three three\n' >sd.in
timeout 30 sctp_darn -H $L -P 7003 -h $L -p 6003 -s <sd.in >sd.out 2>&1
echo "sd-tool \$?" >>rc
sink_done sd

# 3. sctpu-perf --no-control into sctp_test -l, one-to-many then -T.
for mode in M T; do
    port=6004; flag=
    [ \$mode = T ] && port=6005 && flag=-T
    timeout 60 sctp_test -H $L -P \$port -l \$flag -d 1 >tl-\$mode.out 2>&1 &
    TOOL=\$!
    wait_listen \$port || echo "tl-\$mode-listen 1" >>rc
    "$B/sctpu-perf" -c $L -p \$port --no-control \$K -n 256k -l 16k --nstreams 2 \
        -J >tl-\$mode.json 2>tl-\$mode.err
    echo "tl-\$mode-perf \$?" >>rc
    end='SHUTDOWN_COMPLETE'
    [ \$mode = T ] && end='No association is present now'
    wait_line tl-\$mode.out "\$end" || echo "tl-\$mode-end 1" >>rc
    kill \$TOOL 2>/dev/null
done

# 4. sctpu-perf --no-control into sctp_darn -l (one-to-one, interactive):
# 4 messages, then the read that sees the end.
printf 'rcv\nrcv\nrcv\nrcv\nrcv\n' >dl.in
timeout 60 sctp_darn -H $L -P 6006 -l -t -I <dl.in >dl.out 2>&1 &
TOOL=\$!
wait_listen 6006 || echo "dl-listen 1" >>rc
"$B/sctpu-perf" -c $L -p 6006 --no-control \$K -n 64k -l 16k -J >dl.json 2>dl.err
echo "dl-perf \$?" >>rc
wait \$TOOL
echo "dl-tool \$?" >>rc

# 5. sctp_test -D reads back what sctpu-echo -s echoes.
"$B/sctpu-echo" -s \$K -p 6007 >es.log 2>&1 &
ECHO=\$!
wait_listen 6007 || echo "es-listen 1" >>rc
timeout 30 sctp_test -H $L -P 7007 -h $L -p 6007 -s -T -D -c 4 -x 1 >es-T.out 2>&1
echo "es-T-tool \$?" >>rc
timeout 30 sctp_test -H $L -P 7008 -h $L -p 6007 -s -D -c 4 -x 1 >es-M.out 2>&1
echo "es-M-tool \$?" >>rc
wait_line es.log 'sctp/7008 closed' || echo "es-end 1" >>rc
kill \$ECHO 2>/dev/null

# 6. sctpu-echo against sctp_darn's echo mode, one-to-many then -t.
for mode in M T; do
    port=6008; flag=
    [ \$mode = T ] && port=6009 && flag=-t
    sctp_darn -H $L -P \$port -l -e \$flag >de-\$mode.out 2>&1 &
    TOOL=\$!
    wait_listen \$port || echo "de-\$mode-listen 1" >>rc
    "$B/sctpu-echo" -c $L -p \$port \$K -n 20 -i 0 -l 1,1000,30000 --nstreams 1 \
        -J >de-\$mode.json 2>de-\$mode.err
    echo "de-\$mode-echo \$?" >>rc
    kill \$TOOL 2>/dev/null
done
exit 0 # the verdicts are in rc
GUEST

bash "$REPO_DIR/tools/kernel-vm.sh" run --share "$BUILD_DIR" --share "$WORK" \
    --libs-of "$B/sctpu" --timeout 240 -- sh "$WORK/guest.sh" ||
    fail "tools/kernel-vm.sh run failed (exit $?)"
[[ -f $WORK/rc ]] || fail "the guest wrote no results"
python3 - "$WORK" <<'PY' || fail "results (above)"
import json, re, sys
work = sys.argv[1]
rc = dict(l.split() for l in open(f"{work}/rc"))

def text(name):
    return open(f"{work}/{name}").read()

def show(name):
    try:
        return text(name)[-1500:]
    except OSError:
        return "(none)"

def want(key, status=0):
    assert key in rc, f"{key}: did not run"
    assert int(rc[key]) == status, f"{key}: exit {rc[key]}, want {status}"

for k in rc:
    assert not k.endswith(("-listen", "-end")), f"{k}: timed out"

def sink_end(name):
    want(f"{name}-sink")
    end = json.load(open(f"{work}/{name}.json"))["end"]
    r = end["sum_received"]
    return r["messages"], r["bytes"], sorted(s["sid"] for s in end["sctp_streams"])

# 1. sctp_test -> sink: what it says it sent is what arrived.
for name, cycles in (("st-T", 3), ("st-M", 2)):
    want(f"{name}-tool")
    sent = [int(n) for n in re.findall(r"sendmsg\(sk=\d+, assoc=\d+\) *(\d+) bytes",
                                       text(f"{name}.out"))]
    assert len(sent) == 10 * cycles, (name, len(sent))
    msgs, nbytes, sids = sink_end(name)
    assert (msgs, nbytes) == (len(sent), sum(sent)), (name, msgs, nbytes,
                                                      len(sent), sum(sent))
    if name == "st-M":
        used = sorted({int(s) for s in re.findall(r"SNDRCV\(stream=(\d+)",
                                                   text(f"{name}.out"))})
        assert sids == used and len(used) > 1, (sids, used)
    print(f"sctp_test {name[3:]} -> sctpu-perf: {msgs} messages, {nbytes} "
          f"bytes, streams {sids}")

# 2. sctp_darn -s: a message per line, the line and its NUL.
lines = open(f"{work}/sd.in").read().splitlines(keepends=True)
sizes = [len(l) + 1 for l in lines]
want("sd-tool", sizes[-1])
msgs, nbytes, _ = sink_end("sd")
assert (msgs, nbytes) == (len(sizes), sum(sizes)), (msgs, nbytes, sizes)
print(f"sctp_darn -> sctpu-perf: {msgs} messages, {nbytes} bytes")

def perf_sent(name):
    want(f"{name}-perf")
    s = json.load(open(f"{work}/{name}.json"))["end"]["sum_sent"]
    return s["messages"], s["bytes"]

# 3. sctpu-perf -> sctp_test -l.
for mode in ("M", "T"):
    got = [int(n) for n in re.findall(r"Data (\d+) bytes\.", text(f"tl-{mode}.out"))]
    sent = perf_sent(f"tl-{mode}")
    assert sent == (16, 256 << 10), sent
    assert (len(got), sum(got)) == sent, (mode, len(got), sum(got), sent)
    print(f"sctpu-perf -> sctp_test -l ({mode}): {sent[0]} messages, "
          f"{sent[1]} bytes, both sides")

# 4. sctpu-perf -> sctp_darn -l.
want("dl-tool")
got = [int(n) for n in re.findall(r"DATA\((\d+)\)", text("dl.out"))]
sent = perf_sent("dl")
# the last read returned 0: the end of the association
assert got[-1:] == [0], got
got = got[:-1]
assert sent == (4, 64 << 10) and (len(got), sum(got)) == sent, (got, sent)
print(f"sctpu-perf -> sctp_darn -l: {sent[0]} messages, {sent[1]} bytes, "
      "both sides")

# 5. sctp_test -D -> sctpu-echo -s: everything came back, and the server
# counted the same.
log = text("es.log")
for mode, port in (("T", 7007), ("M", 7008)):
    want(f"es-{mode}-tool")
    out = text(f"es-{mode}.out")
    sent = [int(n) for n in re.findall(r"sendmsg\(sk=\d+, assoc=\d+\) *(\d+) bytes", out)]
    back = [int(n) for n in re.findall(r"recvmsg\(sk=\d+\) Data (\d+) bytes", out)]
    assert len(sent) == 10 and back == sent, (mode, sent, back)
    m = re.search(rf"sctp/{port} closed: (\d+) messages, (\d+) bytes echoed", log)
    assert m and (int(m[1]), int(m[2])) == (10, sum(sent)), (mode, log)
    print(f"sctp_test -D ({mode}) -> sctpu-echo -s: 10 messages, "
          f"{sum(sent)} bytes echoed and read back")

# 6. sctpu-echo -> sctp_darn -e.
for mode in ("M", "T"):
    want(f"de-{mode}-echo")
    e = json.load(open(f"{work}/de-{mode}.json"))
    assert e["sent"] == e["verified"] == 20 and e["corrupt"] == 0, e
    err = text(f"de-{mode}.err")
    assert err.count("the server does not echo PPIDs") == 1, err
    print(f"sctpu-echo -> sctp_darn -e ({mode}): 20/20 verified, "
          f"{e['verified_bytes']} bytes (PPIDs not echoed, said once)")
PY
echo "PASS: lksctp-tools' sctp_test and sctp_darn and sctpu agree, both ways"
