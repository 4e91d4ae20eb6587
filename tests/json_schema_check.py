#!/usr/bin/python3
"""json_schema_check.py - validate sctpu's JSON documents against a schema.

usage: json_schema_check.py SCHEMA [--mutate] FILE...

Every non-empty line of each FILE is one JSON document (-J writes each
document on one line; a server writes one per test, --json-stream one per
event), and each must validate against SCHEMA (docs/*.schema.json, JSON
Schema draft 2020-12). A file with no document fails.

--mutate proves the schema can fail: for each document it applies the
damage below that fits it (a required key removed or renamed, a number
turned into a string, another schema_version) and requires every damaged
copy to be rejected; a document no damage fits fails too.

Runs on Debian's /usr/bin/python3 with python3-jsonschema (4.10 or later);
exits 77 (skip) when that module is missing.
"""
import copy
import json
import sys

try:
    import jsonschema
except ImportError:
    print("SKIP: python3-jsonschema is missing (apt-get install "
          "python3-jsonschema)")
    sys.exit(77)


def walk(doc, path):
    """The object holding the last step of path, and that step; None when
    the path is not in doc. Steps are keys, or 0 for an array's first."""
    node = doc
    for step in path[:-1]:
        if isinstance(step, int):
            if not isinstance(node, list) or len(node) <= step:
                return None
        elif not isinstance(node, dict) or step not in node:
            return None
        node = node[step]
    last = path[-1]
    if isinstance(node, dict) and last in node:
        return node, last
    return None


def remove(doc, path):
    hit = walk(doc, path)
    if hit is None:
        return False
    del hit[0][hit[1]]
    return True


def rename(doc, path):
    hit = walk(doc, path)
    if hit is None:
        return False
    node, key = hit
    node[key + "_renamed"] = node.pop(key)
    return True


def stringify(doc, path):
    hit = walk(doc, path)
    if hit is None or not isinstance(hit[0][hit[1]], (int, float)):
        return False
    hit[0][hit[1]] = str(hit[0][hit[1]])
    return True


def set_value(value):
    def apply(doc, path):
        hit = walk(doc, path)
        if hit is None:
            return False
        hit[0][hit[1]] = value
        return True
    return apply


# (what, damage, path): each must make a document that has the path fail.
MUTATIONS = [
    ("no schema_version", remove, ["schema_version"]),
    ("schema_version 2", set_value(2), ["schema_version"]),
    ("schema_version as a string", stringify, ["schema_version"]),
    ("start renamed", rename, ["start"]),
    ("intervals removed", remove, ["intervals"]),
    ("end renamed", rename, ["end"]),
    ("start.test_start.num_streams removed", remove,
     ["start", "test_start", "num_streams"]),
    ("start.system_info renamed", rename, ["start", "system_info"]),
    ("start.connected[0].local_port renamed", rename,
     ["start", "connected", 0, "local_port"]),
    ("intervals[0].sum.bytes as a string", stringify,
     ["intervals", 0, "sum", "bytes"]),
    ("intervals[0].streams[0].bits_per_second removed", remove,
     ["intervals", 0, "streams", 0, "bits_per_second"]),
    ("intervals[0].streams[0].snd_wnd removed", remove,
     ["intervals", 0, "streams", 0, "snd_wnd"]),
    ("end.sum_sent.bytes renamed", rename, ["end", "sum_sent", "bytes"]),
    ("end.sum_received removed", remove, ["end", "sum_received"]),
    ("end.streams[0].sender.seconds removed", remove,
     ["end", "streams", 0, "sender", "seconds"]),
    ("end.streams[0].sender.mean_rtt removed", remove,
     ["end", "streams", 0, "sender", "mean_rtt"]),
    ("end.cpu_utilization_percent.host_user removed", remove,
     ["end", "cpu_utilization_percent", "host_user"]),
    ("data removed (--json-stream)", remove, ["data"]),
    ("data.test_start removed (--json-stream start)", remove,
     ["data", "test_start"]),
    ("data.sum renamed (--json-stream interval)", rename, ["data", "sum"]),
    ("compare.backends[0].status removed", remove,
     ["compare", "backends", 0, "status"]),
    ("compare.settings renamed", rename, ["compare", "settings"]),
    ("tool removed (--version -J)", remove, ["tool"]),
    ("features renamed (--version -J)", rename, ["features"]),
    ("udp_gso removed (--check -J)", remove, ["udp_gso"]),
    ("rtt_us.p99 removed (sctpu-echo)", remove, ["rtt_us", "p99"]),
    ("sent renamed (sctpu-echo)", rename, ["sent"]),
]


def errors_of(validator, doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(e.path))


def main(argv):
    mutate = "--mutate" in argv
    args = [a for a in argv[1:] if a != "--mutate"]
    if len(args) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    failed = []
    checked = 0
    damaged = 0
    for name in args[1:]:
        with open(name, encoding="utf-8") as f:
            lines = [ln for ln in f.read().splitlines() if ln.strip()]
        if not lines:
            failed.append(f"{name}: no JSON document in it")
        for n, line in enumerate(lines, 1):
            where = f"{name}:{n}"
            try:
                doc = json.loads(line)
            except ValueError as e:
                failed.append(f"{where}: not JSON: {e}")
                continue
            checked += 1
            for e in errors_of(validator, doc)[:5]:
                failed.append(f"{where}: /{'/'.join(map(str, e.path))}: "
                              f"{e.message[:200]}")
            if not mutate:
                continue
            fits = 0
            for what, damage, path in MUTATIONS:
                bad = copy.deepcopy(doc)
                if not damage(bad, path):
                    continue
                fits += 1
                damaged += 1
                if validator.is_valid(bad):
                    failed.append(f"{where}: the schema accepts it with "
                                  f"{what}")
            if fits == 0:
                failed.append(f"{where}: no damage fits this document")
    for f in failed:
        print("FAIL: " + f, file=sys.stderr)
    print(f"{checked} documents checked against {args[0]}"
          + (f", {damaged} damaged copies" if mutate else "")
          + (f": {len(failed)} problems" if failed else ": all valid"
             + (" (and every damaged copy rejected)" if mutate else "")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
