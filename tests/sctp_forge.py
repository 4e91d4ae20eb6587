#!/usr/bin/env python3
"""Forged SCTP-over-UDP datagrams (RFC 6951) for the ingress tests.

Raw IPv4 with IP_HDRINCL, so a datagram can claim any UDP source endpoint
on loopback, including one a running client has bound (no socket option
lets a second socket share it). Only for the tests' own network namespace.

    sctp_forge.py init SRC_UDP SRC_SCTP DST_UDP DST_SCTP COUNT INTERVAL
        COUNT INITs (verification tag 0, valid CRC32c) from
        127.0.0.1:SRC_UDP sctp/SRC_SCTP to 127.0.0.1:DST_UDP sctp/DST_SCTP,
        INTERVAL seconds apart; prints "sent N".
    sctp_forge.py badinit SRC_UDP SRC_SCTP DST_UDP DST_SCTP COUNT INTERVAL
        the same with a zero-length parameter in each INIT (what spins
        usrsctp 0.9.5.0 forever when it meets an existing association).
    sctp_forge.py endpoints DST_UDP COUNT KIND [RATE]
        one datagram from each of COUNT distinct endpoints (127.0.0.2 and
        up, every source port), KIND "init" (INIT chunks) or "data" (a
        DATA chunk with a random tag), RATE per second (0: as fast as
        possible); prints "sent N".
    sctp_forge.py tagged SRC_UDP DST_UDP SRC_SCTP DST_SCTP VTAG COUNT
        COUNT HEARTBEATs carrying verification tag VTAG from
        127.0.0.1:SRC_UDP (a datagram that claims an association's tag
        from another port: a rebinding, or a spoofed one); prints "sent N".
    sctp_forge.py sniff SRC_UDP DST_UDP
        waits (5 s at most) for an SCTP packet from 127.0.0.1:SRC_UDP to
        DST_UDP that carries a verification tag (not an INIT), and prints
        "tag 0xTAG SRC_SCTP DST_SCTP" (a raw UDP socket sees a copy of
        every datagram delivered here).
"""
import os
import random
import socket
import struct
import sys
import time


def _table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC = _table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _CRC[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283


def sctp_packet(src, dst, vtag, chunks):
    """A common header and chunks, CRC32c filled in (little-endian)."""
    pkt = bytearray(struct.pack("!HHII", src, dst, vtag, 0) + chunks)
    pkt[8:12] = struct.pack("<I", crc32c(pkt))
    return bytes(pkt)


def init_chunk(tag=None):
    tag = tag or (random.getrandbits(32) | 1)
    return struct.pack("!BBHIIHHI", 1, 0, 20, tag, 65536, 10, 10,
                       random.getrandbits(32))


def bad_init_chunk():
    """An INIT whose second parameter has length 0 (a well-formed
    Supported Address Types first)."""
    params = struct.pack("!HHHH", 12, 6, 5, 0) + struct.pack("!HH", 0x7880, 0)
    return struct.pack("!BBHIIHHI", 1, 0, 20 + len(params),
                       random.getrandbits(32) | 1, 65536, 10, 10,
                       random.getrandbits(32)) + params


def data_chunk():
    return struct.pack("!BBHIHHI", 0, 3, 20, random.getrandbits(32), 0, 0,
                       0) + b"abcd"


def heartbeat_chunk():
    info = os.urandom(8)
    return struct.pack("!BBHHH", 4, 0, 4 + 4 + len(info), 1,
                       4 + len(info)) + info


def _ip_checksum(hdr):
    s = sum(struct.unpack("!10H", hdr))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def udp_ipv4(src_ip, src_port, dst_ip, dst_port, payload):
    """An IPv4 packet around a UDP datagram (UDP checksum 0: none)."""
    udp = struct.pack("!HHHH", src_port, dst_port, 8 + len(payload), 0)
    total = 20 + len(udp) + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, random.getrandbits(16),
                      0, 64, socket.IPPROTO_UDP, 0, socket.inet_aton(src_ip),
                      socket.inet_aton(dst_ip))
    hdr = hdr[:10] + struct.pack("!H", _ip_checksum(hdr)) + hdr[12:]
    return hdr + udp + payload


class Raw:
    def __init__(self):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                               socket.IPPROTO_RAW)
        self.s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
        self.sent = 0

    def send(self, src_ip, src_port, dst_port, payload, dst_ip="127.0.0.1"):
        pkt = udp_ipv4(src_ip, src_port, dst_ip, dst_port, payload)
        while True:
            try:
                self.s.sendto(pkt, (dst_ip, 0))
                self.sent += 1
                return
            except BlockingIOError:
                time.sleep(0.001)


def main(argv):
    raw = Raw()
    cmd = argv[0]
    if cmd in ("init", "badinit"):
        su, ss, du, ds, count = (int(a) for a in argv[1:6])
        interval = float(argv[6])
        chunk = init_chunk if cmd == "init" else bad_init_chunk
        for _ in range(count):
            raw.send("127.0.0.1", su, du, sctp_packet(ss, ds, 0, chunk()))
            time.sleep(interval)
    elif cmd == "endpoints":
        du, count, kind = int(argv[1]), int(argv[2]), argv[3]
        rate = float(argv[4]) if len(argv) > 4 else 0
        start = time.monotonic()
        for i in range(count):
            host = 2 + i // 60000
            ip = "127.0.%d.%d" % (host // 256, host % 256)
            port = 1024 + i % 60000
            if kind == "init":
                pkt = sctp_packet(port, 7, 0, init_chunk())
            elif kind == "cookie":
                # a COOKIE-ECHO no server signed: usrsctp rejects it
                pkt = sctp_packet(port, 7, random.getrandbits(32),
                                  struct.pack("!BBH", 10, 0, 36) +
                                  os.urandom(32))
            else:
                pkt = sctp_packet(port, 7, random.getrandbits(32),
                                  data_chunk())
            raw.send(ip, port, du, pkt)
            if rate > 0:
                ahead = start + (i + 1) / rate - time.monotonic()
                if ahead > 0.001:
                    time.sleep(ahead)
    elif cmd == "tagged":
        su, du, ss, ds, vtag, count = (int(a, 0) for a in argv[1:7])
        for _ in range(count):
            raw.send("127.0.0.1", su, du,
                     sctp_packet(ss, ds, vtag, heartbeat_chunk()))
            time.sleep(0.01)
    elif cmd == "sniff":
        su, du = int(argv[1]), int(argv[2])
        sniff = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                              socket.IPPROTO_UDP)
        sniff.settimeout(5)
        while True:
            data = sniff.recv(70000)
            ihl = (data[0] & 15) * 4
            sport, dport = struct.unpack("!HH", data[ihl:ihl + 4])
            sctp = data[ihl + 8:]
            if sport != su or dport != du or len(sctp) < 16:
                continue
            ss, ds, vtag = struct.unpack("!HHI", sctp[:8])
            if vtag != 0 and sctp[12] != 1:
                print("tag 0x%08x %d %d" % (vtag, ss, ds), flush=True)
                return
    else:
        sys.exit("unknown command " + cmd)
    print("sent %d" % raw.sent, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
