#!/usr/bin/env python3
"""A UDP relay that reorders and duplicates datagrams, for the lab tests
(this kernel has no netem: nftables can drop, but not delay, reorder or
duplicate).

    udp_impair_relay.py LISTEN_IP LISTEN_PORT SERVER_IP SERVER_PORT
                        REORDER_PCT DUP_PCT DELAY_MS SEED

Clients send to LISTEN_IP:LISTEN_PORT; each client endpoint gets a socket
of its own toward SERVER_IP:SERVER_PORT (as a NAT would), and the server's
answers go back to that client. In both directions each datagram is, at
random (seeded: SEED repeats a run):

- held back for 1..DELAY_MS ms with probability REORDER_PCT %, so that
  later datagrams overtake it;
- sent twice with probability DUP_PCT % (the copy after the original).

Prints "ready" once listening. On SIGTERM it prints one line,
"relay: N datagrams, R reordered, D duplicated", where R counts datagrams
that really went out after a later one of the same direction, and exits 0.
"""
import heapq
import random
import selectors
import signal
import socket
import sys
import time

listen_ip, listen_port, server_ip, server_port = (
    sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
reorder_pct, dup_pct, delay_ms, seed = (
    float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7]),
    int(sys.argv[8]))
rng = random.Random(seed)

front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
front.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
front.bind((listen_ip, listen_port))
sel = selectors.DefaultSelector()
sel.register(front, selectors.EVENT_READ, None)
backs = {}          # client endpoint -> its socket toward the server
held = []           # heap of (due, order, sock, data, dest, direction, seq)
order = 0
seqs = [0, 0]       # datagrams seen per direction (0: to server, 1: back)
sent_max = [0, 0]   # highest sequence number sent so far per direction
stats = {"n": 0, "reordered": 0, "dup": 0}
running = True


def stop(*_):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)


def out(sock, data, dest, direction, seq):
    if seq < sent_max[direction]:
        stats["reordered"] += 1
    sent_max[direction] = max(sent_max[direction], seq)
    try:
        if dest is None:
            sock.send(data)
        else:
            sock.sendto(data, dest)
    except OSError:
        pass  # a refused or full path loses the datagram, as a network does


def relay(sock, data, dest, direction):
    global order
    seqs[direction] += 1
    seq = seqs[direction]
    stats["n"] += 1
    copies = 2 if rng.random() * 100 < dup_pct else 1
    stats["dup"] += copies - 1
    for _ in range(copies):
        if rng.random() * 100 < reorder_pct:
            due = time.monotonic() + rng.uniform(1, delay_ms) / 1000
            order += 1
            heapq.heappush(held, (due, order, sock, data, dest, direction, seq))
        else:
            out(sock, data, dest, direction, seq)


def back_for(client):
    sock = backs.get(client)
    if sock is None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        sock.connect((server_ip, server_port))
        sel.register(sock, selectors.EVENT_READ, client)
        backs[client] = sock
    return sock


print("ready", flush=True)
while running:
    now = time.monotonic()
    while held and held[0][0] <= now:
        _, _, sock, data, dest, direction, seq = heapq.heappop(held)
        out(sock, data, dest, direction, seq)
    timeout = max(0.0, held[0][0] - now) if held else 0.2
    try:
        events = sel.select(timeout)
    except InterruptedError:
        continue
    for key, _ in events:
        for _ in range(64):  # drain a burst before looking at the clock
            try:
                if key.data is None:
                    data, client = front.recvfrom(65536, socket.MSG_DONTWAIT)
                    relay(back_for(client), data, None, 0)
                else:
                    data = key.fileobj.recv(65536, socket.MSG_DONTWAIT)
                    relay(front, data, key.data, 1)
            except (BlockingIOError, ConnectionRefusedError):
                break
print(f"relay: {stats['n']} datagrams, {stats['reordered']} reordered, "
      f"{stats['dup']} duplicated", flush=True)
