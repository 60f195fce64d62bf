#!/usr/bin/python3
"""Compares Docker Bench's container_runtime (and 4.1) results with drydock's outcomes.

audit_compare.py BENCH_LOG_JSON DRYDOCK_JSON DIFFERENCES_MD "ID NAME;ID NAME;…" [--table]

Docker Bench reports one result per check with the offending containers as
"items" (a container, or "container:detail"); a running container not listed
passed. drydock reports one outcome per check per container. The comparison is
per (check, container). Without --table: exits non-zero unless the set of
disagreements equals the documented set in DIFFERENCES_MD, rows of the table
under "## Documented disagreements":  | 5.2 | * | N/A | WARN | reason |
(container "*" covers every container with that pair of verdicts; a trailing
"?" marks a row that depends on the host, e.g. whether it has AppArmor or runs
an sshd: it may be absent, but nothing outside the table may appear).
"""
import json
import re
import sys


def bench_results(path, containers):
    doc = json.load(open(path))
    by_name = {}
    ids = {}
    for pair in containers.split(";"):
        if pair.strip():
            cid, name = pair.split()
            ids[cid] = name
    names = set(ids.values())
    for section in doc.get("tests", []):
        for r in section.get("results", []):
            cid = r["id"]
            # §5, and 4.1 (judged per running container by both; the other §4
            # items are per image, and Docker Bench audits every image).
            if not (cid.startswith("5.") or cid == "4.1"):
                continue
            status = r["result"]
            if cid == "5.1":
                by_name[(cid, "daemon")] = status
                continue
            flagged = set()
            for item in r.get("items", []):
                head = item.split(":")[0]
                flagged.add(ids.get(head, head))
                if ":" in item:
                    flagged.add(item.split(":", 1)[1])
            for n in names:
                if status in ("NOTE", "INFO") and not r.get("items"):
                    by_name[(cid, n)] = status
                else:
                    by_name[(cid, n)] = status if n in flagged else "PASS"
    return by_name, names


def main():
    bench, names = bench_results(sys.argv[1], sys.argv[4])
    dd = {}
    for o in json.load(open(sys.argv[2])).get("outcomes", []):
        dd[(o["id"], o["target"])] = o["status"]
    documented = []
    in_section = False
    for line in open(sys.argv[3]):
        if line.startswith("## "):
            in_section = line.strip() == "## Documented disagreements"
        m = re.match(r"^\|\s*(5\.\d+)\s*\|\s*(\S+)\s*\|\s*(\S+)\s*\|\s*(\S+)\s*\|", line)
        if in_section and m:
            check, container, ours, theirs = m.groups()
            optional = container.endswith("?")
            documented.append((check, container.rstrip("?"), ours, theirs, optional))
    checks = sorted({k[0] for k in bench}, key=lambda s: [int(x) for x in s.split(".")])
    diffs = []
    agree = {}
    for c in checks:
        a = d = 0
        for key in sorted(k for k in bench if k[0] == c):
            b = bench[key]
            got = dd.get(key, "MISSING")
            if got == b:
                a += 1
            else:
                d += 1
                diffs.append((c, key[1], got, b))
        agree[c] = (a, d)
    if "--table" in sys.argv:
        total_a = sum(v[0] for v in agree.values())
        total_d = sum(v[1] for v in agree.values())
        print(f"agreement with Docker Bench: {len(checks)} checks x {len(names)} running containers: "
              f"{total_a} agree, {total_d} differ")
        print(f"{'check':7} {'agree':>5} {'differ':>6}  differences (drydock vs Docker Bench)")
        for c in checks:
            a, d = agree[c]
            detail = sorted({f"{g}/{b}" for (cc, _, g, b) in diffs if cc == c})
            print(f"{c:7} {a:5} {d:6}  {' '.join(detail)}")
        return 0
    def covered(diff):
        return any(r[0] == diff[0] and r[1] in ("*", diff[1]) and r[2] == diff[2] and r[3] == diff[3]
                   for r in documented)
    undocumented = [x for x in diffs if not covered(x)]
    unused = [r for r in documented
              if not r[4] and not any(r[0] == x[0] and r[1] in ("*", x[1]) and r[2] == x[2] and r[3] == x[3] for x in diffs)]
    for x in undocumented:
        print(f"undocumented disagreement: {x[0]} {x[1]}: drydock {x[2]}, Docker Bench {x[3]}")
    for r in unused:
        print(f"documented disagreement no longer seen: {' '.join(r[:4])}")
    return 1 if undocumented or unused else 0


if __name__ == "__main__":
    sys.exit(main())
