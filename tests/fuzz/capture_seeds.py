#!/usr/bin/env python3
"""Capture real client sessions as seeds for fuzz_usrsctp_ingress.

    tests/fuzz/capture_seeds.py BUILD_DIR CORPUS_DIR

For each session below, runs an sctpu server on 127.0.0.1 and its client
through a UDP relay on 127.0.0.1 (no tcpdump needed), keeps every datagram
the client sent, and writes them in fuzz_usrsctp_ingress's input format
(see the top of tests/fuzz/fuzz_usrsctp_ingress.c) to
CORPUS_DIR/usrsctp_ingress/seed-<session>:
  the INIT as it is (only its CRC32c filled in), every later packet with
  the listener's tag and State Cookie put in (ctl bits 3 and 4), so that
  the session replays against a listener whose tags are random.
At most 64 packets (the target's limit) are kept. Everything stays on
loopback; the ports are ephemeral.
"""
import os
import selectors
import socket
import struct
import subprocess
import sys
import time

MAX_RECORDS = 64
FIX_TAG_AND_COOKIE = 8 | 16


def free_udp_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_udp_bound(port, timeout=5.0):
    """Until something has bound 127.0.0.1:port (the server is up)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return
        finally:
            s.close()
        time.sleep(0.02)
    raise SystemExit(f"capture_seeds: no server on udp/{port}")


def capture(server_cmd, client_cmd, server_port):
    """Run server and client (client through the relay); return the
    client's datagrams in order."""
    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind(("127.0.0.1", 0))
    back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    back.bind(("127.0.0.1", 0))
    back.connect(("127.0.0.1", server_port))
    relay_port = front.getsockname()[1]
    server = subprocess.Popen(server_cmd, stdout=subprocess.DEVNULL)
    try:
        wait_udp_bound(server_port)
        client = subprocess.Popen(
            [a.replace("RELAY", str(relay_port)) for a in client_cmd],
            stdout=subprocess.DEVNULL)
        sel = selectors.DefaultSelector()
        sel.register(front, selectors.EVENT_READ)
        sel.register(back, selectors.EVENT_READ)
        peer = None
        sent = []
        while client.poll() is None or sel.select(0.2):
            for key, _ in sel.select(0.2):
                if key.fileobj is front:
                    data, peer = front.recvfrom(65536)
                    sent.append(data)
                    try:
                        back.send(data)
                    except ConnectionRefusedError:
                        pass  # the server has gone (--once)
                else:
                    try:
                        data = back.recv(65536)
                    except ConnectionRefusedError:
                        continue  # ICMP: the server has gone
                    if peer is not None:
                        front.sendto(data, peer)
        if client.returncode != 0:
            raise SystemExit(f"capture_seeds: client failed: {client_cmd}")
        return sent
    finally:
        server.terminate()
        server.wait()
        front.close()
        back.close()


def records(packets, rebind_after=None):
    out = bytearray()
    for i, pkt in enumerate(packets[:MAX_RECORDS]):
        is_init = len(pkt) > 12 and pkt[12] == 1
        ctl = 0 if is_init else FIX_TAG_AND_COOKIE
        # Source 1 is another port of source 0's address: a NAT rebinding.
        src = 1 if rebind_after is not None and i >= rebind_after else 0
        out += struct.pack(">BBH", ctl, src, len(pkt)) + pkt
    return bytes(out)


def main():
    build, corpus = sys.argv[1], sys.argv[2]
    echo = os.path.join(build, "src", "sctpu-echo")
    perf = os.path.join(build, "src", "sctpu-perf")
    outdir = os.path.join(corpus, "usrsctp_ingress")
    os.makedirs(outdir, exist_ok=True)
    sessions = {
        # name: (server, client, rebind_after)
        "echo-small": ("echo", ["-n", "4", "-i", "0"], None),
        "echo-fragmented": ("echo", ["-n", "2", "-i", "0", "-l", "3000"],
                            None),
        "echo-unordered-window": ("echo", ["-n", "6", "-i", "0", "-u",
                                           "--window", "3", "-l", "1,200"],
                                  None),
        "echo-rebinding": ("echo", ["-n", "4", "-i", "0"], 3),
        "perf-verify": ("perf", ["-k", "8", "-l", "200", "--verify"], None),
    }
    for name, (kind, extra, rebind_after) in sessions.items():
        port = free_udp_port()
        if kind == "echo":
            server = [echo, "-s", "--once", "-B", "127.0.0.1",
                      "--udp-port", str(port)]
            client = [echo, "-c", "127.0.0.1", "--udp-port", "RELAY"] + extra
        else:
            # On the SCTP port the target listens on (sctpu-echo's 7).
            server = [perf, "-s", "-1", "-B", "127.0.0.1", "-p", "7",
                      "--udp-port", str(port)]
            client = [perf, "-c", "127.0.0.1", "-p", "7", "--udp-port",
                      "RELAY"] + extra
        packets = capture(server, client, port)
        data = records(packets, rebind_after)
        with open(os.path.join(outdir, "seed-" + name), "wb") as f:
            f.write(data)
        print(f"seed-{name}: {min(len(packets), MAX_RECORDS)} packets, "
              f"{len(data)} bytes")


main()
