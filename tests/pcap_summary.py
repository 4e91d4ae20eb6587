#!/usr/bin/env python3
"""pcap_summary.py FILE [TSHARK_ARGS...] - what tshark reads in a --pcap
file, as one JSON object for tests/it_pcap.sh:

  frames         packets tshark read
  tshark_rc      tshark's exit status (0: the file is well formed)
  order          the chunk types (names) in the order they first appear
  data_tsns      {SCTP source port: distinct DATA TSNs it sent}
  data_chunks    {SCTP source port: DATA chunks it sent (retransmits too)}
  checksum       {"good": n, "bad": n, "unverified": n} per packet, from
                 tshark's own CRC32c check (-o sctp.checksum:CRC-32C)
  max_caplen, cut  the largest captured length; packets with caplen < len
  shutdown_last  no DATA chunk after the first SHUTDOWN
"""
import json
import subprocess
import sys

NAMES = {0: "DATA", 1: "INIT", 2: "INIT_ACK", 3: "SACK", 4: "HEARTBEAT",
         5: "HEARTBEAT_ACK", 6: "ABORT", 7: "SHUTDOWN", 8: "SHUTDOWN_ACK",
         10: "COOKIE_ECHO", 11: "COOKIE_ACK", 14: "SHUTDOWN_COMPLETE"}
FIELDS = ["frame.len", "frame.cap_len", "sctp.srcport", "sctp.chunk_type",
          "sctp.data_tsn", "sctp.checksum.status"]


def main():
    path = sys.argv[1]
    cmd = ["tshark", "-n", "-r", path, "-o", "sctp.checksum:CRC-32C",
           "-T", "fields", "-E", "separator=|", "-E", "aggregator=,"]
    cmd += sys.argv[2:]
    for f in FIELDS:
        cmd += ["-e", f]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, check=False)
    out = {"frames": 0, "tshark_rc": p.returncode, "order": [],
           "data_tsns": {}, "data_chunks": {},
           "checksum": {"good": 0, "bad": 0, "unverified": 0},
           "max_caplen": 0, "cut": 0, "shutdown_last": True,
           "tshark_stderr": p.stderr.strip()[-300:]}
    tsns = {}
    shut = False
    for line in p.stdout.splitlines():
        flen, caplen, sport, types, dtsn, ck = line.split("|")
        out["frames"] += 1
        out["max_caplen"] = max(out["max_caplen"], int(caplen))
        if int(caplen) < int(flen):
            out["cut"] += 1
        key = {"1": "good", "0": "bad"}.get(ck, "unverified")
        out["checksum"][key] += 1
        for t in filter(None, types.split(",")):
            name = NAMES.get(int(t), "type%s" % t)
            if name not in out["order"]:
                out["order"].append(name)
            if name == "SHUTDOWN":
                shut = True
            if name == "DATA":
                out["data_chunks"][sport] = out["data_chunks"].get(sport, 0) + 1
                if shut:
                    out["shutdown_last"] = False
        for t in filter(None, dtsn.split(",")):
            tsns.setdefault(sport, set()).add(int(t))
    out["data_tsns"] = {k: len(v) for k, v in tsns.items()}
    json.dump(out, sys.stdout)
    print()


main()
