#!/usr/bin/env python3
"""A UDP relay that changes its source port toward the server, the way a
NAT that rebinds does (docker-proxy opens a new backend socket after a
failed send; home routers after an idle timeout).

    udp_rebind_relay.py LISTEN_PORT SERVER_PORT EVERY [FAIL_EVERY [SPLIT [GAP_MS]]]

Relays between one client (the first to send to 127.0.0.1:LISTEN_PORT)
and 127.0.0.1:SERVER_PORT.

- EVERY > 0: after every EVERY datagrams from the client, close the socket
  toward the server and open a new one, so the server sees the same
  client arrive from a new port.
- FAIL_EVERY > 0: every FAIL_EVERY-th datagram from the server is lost,
  and the socket toward the server with it, as docker-proxy does when a
  send to the client fails. Until the client sends again, the server's
  packets reach a closed port: only the client can revive the path.
- GAP_MS > 0: a rebinding after EVERY datagrams waits until GAP_MS have
  passed since the last one, so that the server's path probe has time to
  be answered from the port it probed.
- SPLIT > 0: at each rebinding only the client's datagrams from SCTP port
  SPLIT (one association of several on the client's endpoint) go to the
  new socket; the others keep the first socket for good, so the server
  sees one association of the endpoint move and the rest stay.

Prints "ready" once listening, and "rebinds N" when it ends (SIGTERM)."""
import selectors
import signal
import socket
import sys
import time

args = [int(a) for a in sys.argv[1:]]
listen_port, server_port, every = args[:3]
fail_every = args[3] if len(args) > 3 else 0
split = args[4] if len(args) > 4 else 0
gap = args[5] / 1000.0 if len(args) > 5 else 0.0

front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
front.bind(("127.0.0.1", listen_port))
sel = selectors.DefaultSelector()
sel.register(front, selectors.EVENT_READ)
back = None          # the socket toward the server; opened on demand
stay = None          # with SPLIT: the one the other associations keep
client = None
from_client = 0
from_server = 0
rebinds = 0
rebound_at = time.monotonic()
since = 0            # datagrams from the client through this back socket
running = True


def open_back():
    global back
    back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    back.connect(("127.0.0.1", server_port))
    sel.register(back, selectors.EVENT_READ)


def close_back():
    global back
    sel.unregister(back)
    back.close()
    back = None


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
            if split and int.from_bytes(data[:2], "big") != split:
                if stay is None and back is None:
                    open_back()
                (stay or back).send(data)
                continue
            from_client += 1
            since += 1
            if back is not None and every and since >= every and \
                    time.monotonic() - rebound_at >= gap:
                if split and stay is None:
                    # the first move: the others keep this socket
                    stay = back
                    back = None
                else:
                    close_back()
            if back is None:
                if from_client > 1:
                    rebinds += 1
                open_back()
                since = 1
                rebound_at = time.monotonic()
            back.send(data)
        elif key.fileobj is stay:
            front.sendto(data, client)
        elif key.fileobj is back:
            from_server += 1
            if fail_every and from_server % fail_every == 0:
                close_back()
            elif client is not None:
                front.sendto(data, client)
print("rebinds %d" % rebinds, flush=True)
print("datagrams %d from the client, %d from the server"
      % (from_client, from_server), flush=True)
