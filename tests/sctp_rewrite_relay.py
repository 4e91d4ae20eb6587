#!/usr/bin/env python3
"""A UDP relay that reads, and may rewrite, the SCTP DATA chunks carried
in the UDP payload (RFC 6951: the SCTP common header, then the chunks),
recomputing the CRC32c of every packet it changes.

    sctp_rewrite_relay.py LISTEN_PORT SERVER_PORT MODE [ARG...]

Relays between one client (the first to send to 127.0.0.1:LISTEN_PORT)
and 127.0.0.1:SERVER_PORT. MODE says what to change:

  pass                  nothing (only count)
  ppid FROM TO          toward the client: PPID FROM becomes TO
  stream-swap           toward the client: stream id s becomes s ^ 1
  unordered             toward the client: every DATA chunk gets the U flag
  corrupt EVERY PPID    toward the server: in every EVERY-th DATA chunk
                        with PPID PPID, flip the last byte of user data

Only DATA (chunk type 0) is rewritten; I-DATA (RFC 8260) is counted, so
a test can see that none was used. The CRC32c of every packet is checked
before anything is changed (bad_crc counts failures: the relay's CRC is
then wrong, and a rewritten packet would be dropped by the receiver).

Prints "ready" once listening; on SIGTERM, one JSON line of counts per
direction (datagrams, data chunks, idata chunks, unordered, ppids and
sids seen, rewritten, bad_crc)."""
import json
import selectors
import signal
import socket
import struct
import sys


# CRC32c as tests/sctp_forge.py computes it (one copy; it runs nothing on
# import).
from sctp_forge import crc32c  # noqa: E402


def sctp_crc(pkt):
    """The packet's CRC32c with the checksum field taken as zero; SCTP
    sends it least significant byte first (RFC 9260, Appendix A)."""
    return struct.pack("<I", crc32c(pkt[:8] + b"\0\0\0\0" + pkt[12:]))


listen_port, server_port, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
margs = [int(a, 0) for a in sys.argv[4:]]
if mode not in ("pass", "ppid", "stream-swap", "unordered", "corrupt"):
    sys.exit("unknown mode " + mode)


def new_counts():
    return {"datagrams": 0, "data": 0, "idata": 0, "unordered": 0,
            "ppids": {}, "sids": {}, "rewritten": 0, "bad_crc": 0}


counts = {"to_server": new_counts(), "to_client": new_counts()}
corrupt_seen = 0


def rewrite_data(pkt, off, to_client):
    """Change the DATA chunk at off as MODE says; True if it changed."""
    global corrupt_seen
    flags = pkt[off + 1]
    length = struct.unpack_from("!H", pkt, off + 2)[0]
    sid = struct.unpack_from("!H", pkt, off + 8)[0]
    ppid = struct.unpack_from("!I", pkt, off + 12)[0]
    if to_client and mode == "ppid" and ppid == margs[0]:
        struct.pack_into("!I", pkt, off + 12, margs[1])
        return True
    if to_client and mode == "stream-swap":
        struct.pack_into("!H", pkt, off + 8, sid ^ 1)
        return True
    if to_client and mode == "unordered" and not flags & 0x04:
        pkt[off + 1] = flags | 0x04
        return True
    if not to_client and mode == "corrupt" and ppid == margs[1] and length > 16:
        corrupt_seen += 1
        if corrupt_seen % margs[0] == 0:
            pkt[off + length - 1] ^= 0xFF
            return True
    return False


def relay(data, to_client):
    c = counts["to_client" if to_client else "to_server"]
    c["datagrams"] += 1
    pkt = bytearray(data)
    if len(pkt) < 12:
        return data
    if sctp_crc(pkt) != pkt[8:12]:
        c["bad_crc"] += 1
        return data
    changed = False
    off = 12
    while off + 4 <= len(pkt):
        ctype = pkt[off]
        length = struct.unpack_from("!H", pkt, off + 2)[0]
        if length < 4 or off + length > len(pkt):
            break
        if ctype == 64:
            c["idata"] += 1
        if ctype == 0 and length >= 16:
            c["data"] += 1
            if pkt[off + 1] & 0x04:
                c["unordered"] += 1
            for key, val in (("ppids", struct.unpack_from("!I", pkt, off + 12)[0]),
                             ("sids", struct.unpack_from("!H", pkt, off + 8)[0])):
                c[key][str(val)] = c[key].get(str(val), 0) + 1
            if rewrite_data(pkt, off, to_client):
                c["rewritten"] += 1
                changed = True
        off += (length + 3) & ~3
    if changed:
        pkt[8:12] = sctp_crc(pkt)
    return bytes(pkt)


front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
front.bind(("127.0.0.1", listen_port))
back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
back.connect(("127.0.0.1", server_port))
sel = selectors.DefaultSelector()
sel.register(front, selectors.EVENT_READ)
sel.register(back, selectors.EVENT_READ)
client = None
running = True


def stop(signum, frame):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)
print("ready", flush=True)
while running:
    for key, _ in sel.select(timeout=0.2):
        try:
            data, addr = key.fileobj.recvfrom(65536)
        except OSError:
            continue  # ICMP errors of the connected socket: server gone
        if key.fileobj is front:
            client = client or addr
            if addr == client:
                back.send(relay(data, False))
        elif client is not None:
            front.sendto(relay(data, True), client)
print(json.dumps(counts, sort_keys=True), flush=True)
