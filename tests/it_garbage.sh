#!/usr/bin/env bash
# it_garbage.sh - the server keeps serving after garbage on its UDP port.
#
# A python3 flood sends, from several UDP source ports, in rounds:
#   short      0..11 random bytes (the server drops them: < 12 bytes)
#   bad CRC    12 bytes .. 64 KiB with a wrong CRC32c (dropped too)
#   truncated  12..20 bytes with a valid CRC32c (these reach usrsctp)
#   chunks     a common header and random chunks of known and unknown
#              types, lengths right and wrong, valid CRC32c (usrsctp)
# while a verified client runs; a second client runs after the flood. The
# server must survive, both clients must verify every echo, no garbage may
# become an association, and the server's exit counters must show exactly
# the short and bad-CRC datagrams sent (less any the kernel dropped for
# want of buffer, which /proc/net/snmp counts in this private netns).
# The flood's CRC32c is the script's own; a wrong one would show as extra
# "bad CRC32c" drops, so the counters check it too.
# SCTPU_GARBAGE_SEED=N repeats a run's garbage exactly.
source "$(dirname "$0")/lib.sh"
in_private_netns "$@"

UDP_PORT=9899
# Garbage datagrams per second; far fewer under valgrind and the like.
RATE=2000
[[ -z $SCTPU_WRAP ]] || RATE=200
# Bounded backoff, so a rare kernel drop cannot outlast --timeout.
RTO=(--rto-min 200 --rto-max 1000 --rto-initial 1000)
SEED=${SCTPU_GARBAGE_SEED:-$RANDOM}
echo "garbage seed: $SEED (SCTPU_GARBAGE_SEED=$SEED repeats it)"

cat >"$WORK/flood.py" <<'EOF'
import json, os, random, socket, struct, sys, time

host, port, seed, stop_file, out, rate = sys.argv[1], int(sys.argv[2]), \
    int(sys.argv[3]), sys.argv[4], sys.argv[5], float(sys.argv[6])
rng = random.Random(seed)

# CRC32c (Castagnoli), reflected polynomial 0x82F63B78, as SCTP uses it.
TABLE = []
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    TABLE.append(c)

def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF

assert crc32c(b"123456789") == 0xE3069283

def with_crc(pkt, good=True):
    """pkt with its checksum field (bytes 8..11, little-endian) set."""
    pkt = bytearray(pkt)
    pkt[8:12] = b"\0\0\0\0"
    crc = crc32c(pkt)
    if not good:
        crc ^= 1 << rng.randrange(32)
    pkt[8:12] = struct.pack("<I", crc)
    return bytes(pkt)

def rbytes(n):
    return bytes(rng.getrandbits(8) for _ in range(n))

def header():
    vtag = rng.choice([0, rng.getrandbits(32)])
    return struct.pack("!HHI", rng.getrandbits(16), rng.choice([7, 7, 0,
                       rng.getrandbits(16)]), vtag) + b"\0\0\0\0"

# DATA INIT INIT-ACK SACK HB HB-ACK ABORT SHUTDOWN SHUTDOWN-ACK ERROR
# COOKIE-ECHO COOKIE-ACK ECNE CWR SHUTDOWN-COMPLETE AUTH I-DATA ASCONF-ACK
# RE-CONFIG PAD NR-SACK FORWARD-TSN ASCONF I-FORWARD-TSN, and any byte.
TYPES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 64, 128,
         130, 132, 16, 192, 193, 194]

def chunk():
    ctype = rng.choice(TYPES) if rng.random() < 0.9 else rng.getrandbits(8)
    body = rbytes(rng.choice([0, 1, 3, 4, 12, 16, 20, rng.randrange(200)]))
    if ctype in (1, 2) and rng.random() < 0.6:
        # INIT / INIT-ACK: plausible fixed part, then random parameters
        body = struct.pack("!IIHHI", rng.getrandbits(32), rng.getrandbits(32),
                           rng.randrange(70000) & 0xFFFF,
                           rng.randrange(70000) & 0xFFFF,
                           rng.getrandbits(32))
        for _ in range(rng.randrange(4)):
            ptype = rng.choice([5, 6, 7, 9, 11, 12, 0x8000, 0x8002, 0x8003,
                                0x8004, 0x8008, 0xC000, 0xC006,
                                rng.getrandbits(16)])
            pbody = rbytes(rng.randrange(24))
            plen = len(pbody) + 4
            plen = rng.choice([plen, plen, 0, 3, rng.getrandbits(16)])
            body += struct.pack("!HH", ptype, plen) + pbody
    clen = len(body) + 4
    clen = rng.choice([clen, clen, clen, 0, 1, 3, clen + 4, clen - 1,
                       rng.getrandbits(16)]) & 0xFFFF
    pad = b"\0" * (-len(body) % 4) if rng.random() < 0.8 else b""
    return struct.pack("!BBH", ctype, rng.getrandbits(8), clen) + body + pad

def one_round():
    """One round of garbage: [(kind, datagram)]."""
    out = []
    for n in range(12):                     # every short length, twice
        out.append(("short", rbytes(n)))
        out.append(("short", rbytes(rng.randrange(12))))
    for _ in range(20):
        n = rng.choice([12, 13, 16, 20, 100, 1000, 1452, rng.randrange(12, 3000)])
        out.append(("bad_crc", with_crc(rbytes(n), good=False)))
    for _ in range(6):                      # bad CRC on real-looking packets
        pkt = header() + b"".join(chunk() for _ in range(rng.randrange(1, 4)))
        out.append(("bad_crc", with_crc(pkt, good=False)))
    for n in range(12, 21):                 # truncated, CRC valid
        out.append(("valid_crc", with_crc(header() + rbytes(n - 12))))
    for _ in range(30):                     # random chunks, CRC valid
        pkt = header() + b"".join(chunk() for _ in range(rng.randrange(1, 5)))
        out.append(("valid_crc", with_crc(pkt)))
    # One well-formed INIT (vtag 0, no parameters): usrsctp must answer it
    # with an INIT-ACK, which shows valid-CRC garbage does reach usrsctp.
    init = struct.pack("!BBHIIHHI", 1, 0, 20, rng.getrandbits(32) | 1,
                       65536, 10, 10, rng.getrandbits(32))
    out.append(("valid_crc", with_crc(struct.pack("!HHI", 1024 +
                rng.randrange(60000), 7, 0) + b"\0\0\0\0" + init)))
    rng.shuffle(out)
    return out

MIN_ROUNDS = 20                             # about 1,800 datagrams
sent = {"short": 0, "bad_crc": 0, "valid_crc": 0}
socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(8)]
dest = (host, port)

replies = {}

def drain():
    """Read usrsctp's answers (so no reply queue overflows and shows in
    the netns-wide RcvbufErrors), by first chunk type."""
    for s in socks:
        while True:
            try:
                pkt = s.recv(70000, socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                break
            t = pkt[12] if len(pkt) > 12 else -1
            replies[t] = replies.get(t, 0) + 1

def first_chunk(pkt):
    """The type of pkt's first chunk if it is well-formed, else -1 (as
    the server's sctp_wire reads it)."""
    if len(pkt) < 16:
        return -1
    clen = struct.unpack("!H", pkt[14:16])[0]
    return pkt[12] if 4 <= clen <= len(pkt) - 12 else -1

# What the server keeps state for: an endpoint that sent a COOKIE-ECHO
# (even a bad one) becomes a peer; before that, its INITs are answered
# statelessly and anything else is "unknown peer".
admitted = set()
sent["unknown"] = 0
sent["stateless"] = 0
sent["malformed"] = 0

def chunks(pkt):
    """(type, chunk bytes) of each well-formed chunk, as sctp_wire walks
    them: a chunk whose length is below 4 or past the end stops the walk
    (the padding of the last one may be cut off)."""
    off = 12
    while off + 4 <= len(pkt):
        clen = struct.unpack("!H", pkt[off + 2:off + 4])[0]
        if clen < 4 or clen > len(pkt) - off:
            return
        yield pkt[off], pkt[off:off + clen]
        off += (clen + 3) & ~3

def init_params_ok(pkt):
    """What the server's sctp_wire_init_params_ok says: every parameter of
    each INIT / INIT-ACK at least 4 bytes and inside its chunk."""
    for t, c in chunks(pkt):
        if t not in (1, 2):
            continue
        if len(c) < 20:
            return False
        p = c[20:]
        while p:
            if len(p) < 4:
                return False
            plen = struct.unpack("!H", p[2:4])[0]
            if plen < 4 or plen > len(p):
                return False
            p = p[(plen + 3) & ~3:]
    return True

def send(kind, pkt):
    s = rng.choice(socks)
    try:
        s.sendto(pkt, dest)
    except OSError as e:                    # e.g. ENOBUFS: not sent, not counted
        print("send failed: %s" % e, file=sys.stderr)
        return
    sent[kind] += 1
    if kind != "valid_crc":
        return
    if not init_params_ok(pkt):
        sent["malformed"] += 1
        return
    if s in admitted:
        return
    t = first_chunk(pkt)
    if t == 10:
        admitted.add(s)
    elif t == 1:
        sent["stateless"] += 1
    else:
        sent["unknown"] += 1

# A few large datagrams first (the server reads up to 64 KiB).
for n in (9000, 65507):
    send("bad_crc", with_crc(rbytes(n), good=False))
    send("valid_crc", with_crc(header() + chunk() + rbytes(n - 200)))

print("flooding", flush=True)
# Paced at `rate` datagrams/s: a flood the server cannot keep up with
# would only measure the kernel's drops (and starve the real client).
rounds, n, start = 0, 0, time.monotonic()
deadline = start + 150
while time.monotonic() < deadline:
    for kind, pkt in one_round():
        send(kind, pkt)
        n += 1
        ahead = start + n / rate - time.monotonic()
        if ahead > 0.002:
            time.sleep(ahead)
    rounds += 1
    drain()
    if rounds >= MIN_ROUNDS and os.path.exists(stop_file):
        break
sent["rounds"] = rounds
sent["peers"] = len(admitted)
sent["init_acks"] = replies.get(2, 0)
sent["replies"] = {str(k): v for k, v in sorted(replies.items())}
with open(out, "w") as f:
    json.dump(sent, f)
print("flood done: %s" % sent, flush=True)
EOF

udp_rcvbuf_errors() {
    awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
                   else print $c["RcvbufErrors"] }' /proc/net/snmp
}
kdrops0=$(udp_rcvbuf_errors)

start_echo_server server --udp-port "$UDP_PORT" "${RTO[@]}"

python3 "$WORK/flood.py" 127.0.0.1 "$UDP_PORT" "$SEED" "$WORK/stop" \
    "$WORK/flood.json" "$RATE" >"$WORK/flood.log" 2>&1 &
FLOOD_PID=$!
PIDS+=("$FLOOD_PID")
wait_for_line "$WORK/flood.log" '^flooding' 20

# Client 1, during the flood.
rc1=0
timeout 120 $SCTPU_WRAP "$ECHO_BIN" -c 127.0.0.1 --udp-port "$UDP_PORT" \
    -n 200 -i 0 -l 1,1000,60000 --timeout 10 "${RTO[@]}" -q -J \
    >"$WORK/c1.json" 2>"$WORK/c1.err" || rc1=$?
touch "$WORK/stop"
grep -q '^flood done' "$WORK/flood.log" &&
    fail "the flood ended before client 1 did; client 1 did not overlap it"
wait_for_line "$WORK/flood.log" '^flood done' 40
wait "$FLOOD_PID" || fail "the flood script failed"
cat "$WORK/flood.log"
kill -0 "$SERVER_PID" 2>/dev/null || fail "the server died during the flood"

# Client 2, after the flood.
rc2=0
timeout 120 $SCTPU_WRAP "$ECHO_BIN" -c 127.0.0.1 --udp-port "$UDP_PORT" \
    -n 200 -i 0 -l 1,1000,60000 --timeout 10 "${RTO[@]}" -q -J \
    >"$WORK/c2.json" 2>"$WORK/c2.err" || rc2=$?
kill -0 "$SERVER_PID" 2>/dev/null || fail "the server died after the flood"

for c in c1 c2; do
    echo "$c: $(cat "$WORK/$c.json")"
    cat "$WORK/$c.err" >&2
done
# Client 2's SHUTDOWN-COMPLETE may reach the server just after it exits.
for ((i = 0; i < 100; i++)); do
    (($(grep -c ' closed: ' "$WORK/server.log") >= 2)) && break
    sleep 0.05
done
kdrops=$(($(udp_rcvbuf_errors) - kdrops0))
stop_server "$SERVER_PID"
cat "$WORK/server.log"

[[ $rc1 == 0 ]] || fail "client 1 (during the flood) exited with $rc1"
[[ $rc2 == 0 ]] || fail "client 2 (after the flood) exited with $rc2"
for c in c1 c2; do
    sent=$(json_get "$WORK/$c.json" 'j["sent"]')
    verified=$(json_get "$WORK/$c.json" 'j["verified"]')
    [[ $sent == 200 && $verified == 200 ]] ||
        fail "$c: verified $verified of $sent (want 200 of 200)"
done

served=$(grep -E '^served [0-9]+ associations' "$WORK/server.log") ||
    fail "no 'served' line in the server log"
read -r n_assoc n_in n_dropped n_short n_bad n_unknown n_malformed < <(python3 -c '
import re, sys
m = re.match(r"served (\d+) associations; (\d+) datagrams in, (\d+) dropped "
             r"\((\d+) short, (\d+) bad CRC32c, (\d+) unknown peer, "
             r"(\d+) malformed\)", sys.argv[1])
print(*m.groups())' "$served")
[[ -n $n_unknown ]] || fail "cannot parse the served line: $served"
want_short=$(json_get "$WORK/flood.json" 'j["short"]')
want_bad=$(json_get "$WORK/flood.json" 'j["bad_crc"]')
want_valid=$(json_get "$WORK/flood.json" 'j["valid_crc"]')
init_acks=$(json_get "$WORK/flood.json" 'j["init_acks"]')
echo "sent short=$want_short bad_crc=$want_bad valid_crc=$want_valid;" \
     "server counted short=$n_short bad_crc=$n_bad unknown_peer=$n_unknown" \
     "of $n_in datagrams;" \
     "kernel UDP RcvbufErrors=$kdrops"

# "dropped" is the sum of its causes, nothing else.
((n_dropped == n_short + n_bad + n_unknown + n_malformed)) ||
    fail "dropped $n_dropped != $n_short short + $n_bad bad CRC32c +" \
        "$n_unknown unknown peer + $n_malformed malformed"
# An INIT or INIT-ACK with a parameter shorter than its header or past
# its chunk never reaches usrsctp (whoever sends it), as the flood counted.
want_malformed=$(json_get "$WORK/flood.json" 'j["malformed"]')
echo "malformed: sent $want_malformed, counted $n_malformed"
((n_malformed <= want_malformed && n_malformed >= want_malformed - kdrops &&
    want_malformed > 0)) ||
    fail "server counted $n_malformed malformed INITs, want $want_malformed"
# A listener keeps state only for an endpoint that sent a COOKIE-ECHO:
# before that, its INITs are answered statelessly and the rest is
# "unknown peer", as the flood counted.
want_unknown=$(json_get "$WORK/flood.json" 'j["unknown"]')
want_stateless=$(json_get "$WORK/flood.json" 'j["stateless"]')
n_stateless=$(sed -nE 's/^ingress: ([0-9]+) INITs answered statelessly.*/\1/p' \
    "$WORK/server.log")
echo "unknown peer: sent $want_unknown, counted $n_unknown;" \
    "stateless INITs: sent $want_stateless (+2 clients), counted $n_stateless"
((n_unknown <= want_unknown && n_unknown >= want_unknown - kdrops)) ||
    fail "server counted $n_unknown datagrams from an unknown peer, want $want_unknown"
# the two clients' INITs are stateless too
((n_stateless <= want_stateless + 2 && n_stateless >= want_stateless + 2 - kdrops)) ||
    fail "server answered $n_stateless INITs statelessly, want $want_stateless + 2"
grep -qE '^peer table: [0-9]+ now \([0-9]+ with associations\), peak [0-9]+, cap 4096, 0 evicted$' \
    "$WORK/server.log" || fail "no peer table line: $(tail -4 "$WORK/server.log")"
[[ $n_assoc == 2 ]] ||
    fail "server served $n_assoc associations, want 2 (garbage became one?)"
[[ $(grep -c 'closed: 200 messages' "$WORK/server.log") == 2 ]] ||
    fail "want two associations closed after 200 echoes"
if ((kdrops == 0)); then
    # Every datagram arrived: the counts must be exact.
    [[ $n_short == "$want_short" ]] ||
        fail "server counted $n_short short datagrams, sent $want_short"
    [[ $n_bad == "$want_bad" ]] ||
        fail "server counted $n_bad bad-CRC datagrams, sent $want_bad"
else
    echo "note: the kernel dropped $kdrops datagrams for want of buffer"
    ((n_short >= want_short - kdrops && n_short <= want_short)) ||
        fail "server counted $n_short short datagrams, sent $want_short"
    ((n_bad >= want_bad - kdrops && n_bad <= want_bad)) ||
        fail "server counted $n_bad bad-CRC datagrams, sent $want_bad"
fi
((init_acks > 0)) ||
    fail "no INIT-ACK came back: valid-CRC garbage did not reach usrsctp"
((n_in >= want_short + want_bad + want_valid - kdrops)) ||
    fail "server saw only $n_in datagrams"
echo "PASS: server survived $((want_short + want_bad + want_valid)) garbage datagrams"
