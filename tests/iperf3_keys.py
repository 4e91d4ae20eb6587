#!/usr/bin/python3
"""iperf3_keys.py - does sctpu-perf's -J document have iperf3's keys?

usage: iperf3_keys.py PERF_JSON_MD IPERF3_JSON SCTPU_JSON [-R] [LABEL]

Every key path of IPERF3_JSON (arrays normalised: intervals[].streams[].rtt)
must be in SCTPU_JSON with the same JSON type (number, string, bool,
object, array; null matches nothing but null), except the paths
docs/perf-json.md lists as deliberately absent, between its
"iperf3-absent:begin" and "iperf3-absent:end" markers, one
"- `path`: why" line each ("- `path` (-R): why" for a key absent
from -R runs only: give -R then). That list is read from there only. A listed
path that sctpu-perf does print is an error too (the list went stale).
"""
import json
import re
import sys


def kind(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if v is None:
        return "null"
    return "object" if isinstance(v, dict) else "array"


def paths(doc, prefix="", out=None):
    """{path: set of types}; array elements all under path[]."""
    if out is None:
        out = {}
    if prefix:
        out.setdefault(prefix, set()).add(kind(doc))
    if isinstance(doc, dict):
        for k, v in doc.items():
            paths(v, f"{prefix}.{k}" if prefix else k, out)
    elif isinstance(doc, list):
        for v in doc:
            paths(v, prefix + "[]", out)
    return out


def absent_list(md, reverse):
    text = open(md, encoding="utf-8").read()
    m = re.search(r"iperf3-absent:begin.*?\n(.*?)<!-- iperf3-absent:end",
                  text, re.S)
    if m is None:
        sys.exit(f"FAIL: {md} has no iperf3-absent:begin/end block")
    entries = re.findall(r"^- `([^`]+)`( \(-R\))?:", m.group(1), re.M)
    if not entries:
        sys.exit(f"FAIL: the iperf3-absent block of {md} lists nothing")
    # "(-R)": absent from -R documents only
    return {k for k, only_r in entries if reverse or not only_r}


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__.strip().splitlines()[2])
    reverse = "-R" in argv[4:]
    rest = [a for a in argv[4:] if a != "-R"]
    label = rest[0] if rest else ""
    absent = absent_list(argv[1], reverse)
    with open(argv[2], encoding="utf-8") as f:
        ip3 = paths(json.load(f))
    with open(argv[3], encoding="utf-8") as f:
        ours = paths(json.load(f))
    problems = []
    present = 0
    for p in sorted(ip3):
        if p in absent:
            if p in ours:
                problems.append(f"{p}: listed as absent, but sctpu-perf "
                                f"prints it")
            continue
        if p not in ours:
            problems.append(f"{p}: missing (iperf3: {'/'.join(ip3[p])})")
        elif not ip3[p] <= ours[p] and not (ip3[p] - {"null"}) <= ours[p]:
            problems.append(f"{p}: iperf3 {'/'.join(sorted(ip3[p]))}, "
                            f"sctpu-perf {'/'.join(sorted(ours[p]))}")
        else:
            present += 1
    excluded = len([p for p in ip3 if p in absent])
    for p in problems:
        print(f"FAIL{label}: {p}", file=sys.stderr)
    print(f"{label.strip() or 'run'}: {len(ip3)} iperf3 key paths, "
          f"{present} in sctpu-perf's document with iperf3's type, "
          f"{excluded} deliberately absent, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
