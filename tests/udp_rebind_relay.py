#!/usr/bin/env python3
"""A UDP relay that changes its source port toward the server, the way a
NAT that rebinds does (docker-proxy opens a new backend socket after a
failed send; home routers after an idle timeout).

    udp_rebind_relay.py LISTEN_PORT SERVER_PORT EVERY

Relays between one client (the first to send to 127.0.0.1:LISTEN_PORT)
and 127.0.0.1:SERVER_PORT. After every EVERY datagrams from the client it
closes its socket toward the server and opens a new one, so the server
sees the same client arrive from a new port. Prints "ready" once
listening, and "rebinds N" when it ends (SIGTERM)."""
import selectors
import signal
import socket
import sys


def backend():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect(("127.0.0.1", server_port))
    return s


listen_port, server_port, every = (int(a) for a in sys.argv[1:4])
front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
front.bind(("127.0.0.1", listen_port))
back = backend()
sel = selectors.DefaultSelector()
sel.register(front, selectors.EVENT_READ)
sel.register(back, selectors.EVENT_READ)
client = None
relayed = 0
rebinds = 0
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
            continue  # ICMP errors of a connected socket: the server is gone
        if key.fileobj is front:
            client = client or addr
            if addr != client:
                continue
            relayed += 1
            if relayed % every == 0:
                sel.unregister(back)
                back.close()
                back = backend()
                sel.register(back, selectors.EVENT_READ)
                rebinds += 1
            back.send(data)
        elif client is not None and key.fileobj is back:
            front.sendto(data, client)
print("rebinds %d" % rebinds, flush=True)
