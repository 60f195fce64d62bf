#!/usr/bin/env bash
# `drydock compare` end to end: two related FROM-scratch images built with a
# private dockerd (busybox, a fake dpkg status, python dist-info). The second
# changes a dpkg package's version and a python package (whose dist-info
# path holds its version), adds a python package, a layer that writes a
# token to a file, and a USER. Both are `docker save`d and compared (against
# a two-advisory OSV database imported here) in every format: the JSON's
# adds, removes and changes are checked exactly with python3, the markdown's
# tables line by line, the table for its sections; then --exit-code and
# --severity, the same comparison through docker:NAME, an image against
# itself, a missing database and an unreadable target.
#
#   tests/integration/compare.sh DRYDOCK_BINARY
#
# Last line: "compare: N passed, N failed[, N skipped]" or "skipped: why".
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
T_NAME=compare
T_CHECK_LINES=40
# shellcheck source=lib.sh
source "$ROOT/tests/integration/lib.sh"

need_drydock "${1:-$ROOT/build/drydock}"
[[ -x "$PY" ]] || skip_or_fail "$PY not found"
need_static_busybox

workdir /tmp/dd-compare.XXXXXX DRYDOCK_COMPARE_KEEP
# Every drydock run here uses its own cache (and so its own database).
export DRYDOCK_CACHE_DIR=$W/cache

start_dockerd || skip_or_fail "cannot start a private dockerd: $DD_WHY"
D() { "$DOCKER_CLI" "$@"; }

# ---- build contexts ------------------------------------------------------------
# A GitHub token (ghp_ + 30 base62 + their CRC32 checksum), from a fixed seed
# (DRYDOCK_TEST_SEED overrides it, printed), so every run plants the same.
SEED=${DRYDOCK_TEST_SEED:-20261207}
echo "# seed $SEED (DRYDOCK_TEST_SEED)"
TOKEN=$("$PY" -c 'import random,string,sys,zlib; R=random.Random(int(sys.argv[1])); a=string.ascii_letters+string.digits; b="".join(R.choice(a) for _ in range(30)); v=zlib.crc32(b.encode()); B="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"; print("ghp_"+b+"".join(B[v//62**i%62] for i in range(5,-1,-1)))' "$SEED")
ctx=$W/ctx
mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/etc" "$ctx/rootfs/tmp" "$ctx/rootfs/home/app"
cp "$BUSYBOX" "$ctx/rootfs/bin/busybox"
for a in sh ls cat echo mkdir true; do ln -s busybox "$ctx/rootfs/bin/$a"; done
chmod 1777 "$ctx/rootfs/tmp"
cat >"$ctx/rootfs/etc/os-release" <<'EOF'
NAME="Drydock Compare Linux"
ID=ddlinux
VERSION_ID="1.0"
PRETTY_NAME="Drydock Compare Linux 1.0"
EOF
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' >"$ctx/rootfs/etc/passwd"
printf 'root:x:0:\napp:x:1000:\n' >"$ctx/rootfs/etc/group"

stanza() { printf 'Package: %s\nStatus: install ok installed\nArchitecture: amd64\nVersion: %s\n\n' "$1" "$2"; }
dist_info() { # dist_info CONTEXT_DIR NAME VERSION
  local d="$1/usr/lib/python3/dist-packages/$2-$3.dist-info"
  mkdir -p "$d"
  printf 'Metadata-Version: 2.1\nName: %s\nVersion: %s\n' "$2" "$3" >"$d/METADATA"
}
for v in 1 2; do mkdir -p "$ctx/app$v/var/lib/dpkg"; done
{ stanza base-files 12.4; stanza hello 2.10-2; } >"$ctx/app1/var/lib/dpkg/status"
{ stanza base-files 12.4; stanza hello 2.10-3; } >"$ctx/app2/var/lib/dpkg/status"
dist_info "$ctx/app1" requests 2.31.0
dist_info "$ctx/app2" requests 2.32.3
dist_info "$ctx/app2" six 1.16.0

cat >"$ctx/a.Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
COPY app1/ /
CMD ["/bin/sh"]
EOF
cat >"$ctx/b.Dockerfile" <<EOF
FROM scratch
COPY rootfs/ /
COPY app2/ /
RUN mkdir -p /app && echo "GITHUB_TOKEN=$TOKEN" > /app/.env
USER app
CMD ["/bin/sh"]
EOF

# Two advisories: requests < 2.32.0 (fixed by B's upgrade), six < 1.17.0 (new in B).
mkdir -p "$W/osv"
osv() { # osv ID CVE PACKAGE FIXED SEVERITY
  cat >"$W/osv/$1.json" <<EOF
{"id": "$1", "aliases": ["$2"], "summary": "$3 before $4", "modified": "2024-05-01T00:00:00Z",
 "database_specific": {"severity": "$5"},
 "affected": [{"package": {"ecosystem": "PyPI", "name": "$3"},
               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "$4"}]}]}]}
EOF
}
osv GHSA-9wx4-h78v-vm56 CVE-2024-35195 requests 2.32.0 MODERATE
osv GHSA-0000-six0-test CVE-2099-0001 six 1.17.0 LOW
check "db import of two OSV advisories" "$DRYDOCK" db import "$W/osv"

for n in a b; do
  check "$n: docker build (legacy builder, FROM scratch)" \
    env DOCKER_BUILDKIT=0 "$DOCKER_CLI" build -q -t "dd-compare-$n:1" -f "$ctx/$n.Dockerfile" "$ctx"
  check "$n: docker save" D save "dd-compare-$n:1" -o "$W/$n.tar"
done
[[ -s "$W/a.tar" && -s "$W/b.tar" ]] || finish

# compare FORMAT OUT [flags...]: A → B into OUT; prints the exit status.
compare() {
  local format=$1 out=$2
  shift 2
  "$DRYDOCK" compare "$W/a.tar" "$W/b.tar" --format "$format" --output "$out" --no-progress "$@" 2>"$out.err"
  echo $?
}

# ---- json: the exact changes ------------------------------------------------------
rc=$(compare json "$W/cmp.json")
check "json: exit 0 without --exit-code" [ "$rc" = 0 ]
check "json: nothing on stderr (the database is there)" bash -c '[[ ! -s "$1" ]] || { cat "$1"; exit 1; }' _ "$W/cmp.json.err"
check "json: the exact adds, removes and changes" "$PY" - "$W/cmp.json" "$W/a.tar" <<'PYEOF'
import json, sys, tarfile
r = json.load(open(sys.argv[1]))
want_shared = None
with tarfile.open(sys.argv[2]) as t:  # A's first diff_id, from its config
    manifest = json.load(t.extractfile("manifest.json"))
    config = json.load(t.extractfile(manifest[0]["Config"]))
    want_shared = config["rootfs"]["diff_ids"][0]
def same(what, got, want):
    assert got == want, f"{what}: got {got!r}, want {want!r}"
assert r["schema_version"] == 1 and r["report"] == "compare", "header"
p = r["packages"]
same("packages added", [(x["type"], x["name"], x["version"]) for x in p["added"]], [("pypi", "six", "1.16.0")])
same("packages removed", p["removed"], [])
same("packages changed", [(x["type"], x["name"], x["from"], x["to"]) for x in p["changed"]],
     [("deb", "hello", "2.10-2", "2.10-3"), ("pypi", "requests", "2.31.0", "2.32.3")])
v = r["vulnerabilities"]
same("vulnerabilities fixed", [(x["rule_id"], x["vulnerability"]["package"]) for x in v["fixed"]],
     [("CVE-2024-35195", "requests")])
same("vulnerabilities new", [(x["rule_id"], x["vulnerability"]["package"], x["severity"]) for x in v["new"]],
     [("CVE-2099-0001", "six", "LOW")])
f = r["findings"]
added = sorted((x["rule_id"], x["location"].get("path", x["location"].get("config_field", ""))) for x in f["added"])
same("findings added", added, [("DD-IMG-005", "/app/.env"), ("DD-SECRET-github-pat", "/app/.env")])
same("findings removed", [(x["rule_id"], x["location"].get("config_field")) for x in f["removed"]],
     [("DD-CIS-4.1", "config.User")])
secret = [x for x in f["added"] if x["kind"] == "secret"][0]
same("the secret's layer is B's RUN layer", secret["location"]["layer_index"], 2)
l = r["layers"]
same("layers shared", [(x["diff_id"], x["a_index"], x["b_index"]) for x in l["shared"]], [(want_shared, 0, 0)])
same("layers only in A", [x["index"] for x in l["only_a"]], [1])
same("layers only in B", [x["index"] for x in l["only_b"]], [1, 2])
assert "echo \"GITHUB_TOKEN=ghp_****\"" in l["only_b"][1]["created_by"], l["only_b"][1]  # the RUN step, redacted
s = r["summary"]
for k in ("tar_bytes", "blob_bytes", "files"):
    same(f"size {k}", s["size"][k]["change"], s["size"][k]["b"] - s["size"][k]["a"])
same("A's total", s["size"]["tar_bytes"]["a"], r["a"]["total_tar_bytes"])
same("introduced", s["introduced"], 3)
same("unchanged vulnerabilities", s["vulnerabilities"]["unchanged"], 0)
assert s["findings"]["unchanged"] > 0, "the findings both images have"
PYEOF
check "json: the token itself is in no report" bash -c '! grep -qF "$1" "$2"' _ "$TOKEN" "$W/cmp.json"

# ---- markdown: GFM tables that nothing breaks ------------------------------------
rc=$(compare markdown "$W/cmp.md")
check "markdown: exit 0" [ "$rc" = 0 ]
check "markdown: every table is well formed (header, delimiter row, same cell count)" "$PY" - "$W/cmp.md" <<'PYEOF'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
def cells(line):
    n, i = 0, 0
    while i < len(line):
        if line[i] == "|":
            k = 0
            while i - 1 - k >= 0 and line[i - 1 - k] == "\\":
                k += 1
            n += k % 2 == 0
        i += 1
    return n - 1
tables, i = [], 0
while i < len(lines):
    if not lines[i].startswith("|"):
        i += 1
        continue
    block = []
    while i < len(lines) and lines[i].startswith("|"):
        block.append(lines[i])
        i += 1
    tables.append(block)
assert len(tables) >= 6, f"{len(tables)} tables"
for t in tables:
    assert len(t) >= 3, t
    assert re.fullmatch(r"(\| --- )+\|", t[1]), f"delimiter row: {t[1]!r}"
    n = cells(t[0])
    for row in t:
        assert row.endswith(" |"), row
        assert cells(row) == n, f"{cells(row)} cells, want {n}: {row!r}"
    # A blank line (or the start) before each table, so GitHub sees a table.
text = "\n".join(lines)
for heading in ("New vulnerabilities (1)", "Fixed vulnerabilities (1)", "Added findings (2)", "Removed findings (1)",
                "Packages changed (2)", "Packages added (1)", "Layers (4)"):
    assert heading in text, heading
assert "**B adds 1 vulnerability \\(1 LOW\\) and 2 findings" in text, text.split("\n")[2]
PYEOF

# ---- table -------------------------------------------------------------------------
rc=$(compare table "$W/cmp.txt")
check "table: exit 0" [ "$rc" = 0 ]
check "table: summary and sections" bash -c 'for s in "Packages changed (2)" "New vulnerabilities (1)" "Added findings (2)" \
  "Layers (4)" "1 shared, 1 removed, 2 new" "B adds 1 vulnerability (1 LOW) and 2 findings"; do
  grep -qF "$s" "$1" || { echo "missing: $s"; exit 1; }; done' _ "$W/cmp.txt"
check "table: no colour when not a terminal" bash -c '! grep -q $'"'"'\x1b'"'"' "$1"' _ "$W/cmp.txt"

# ---- --exit-code and --severity ----------------------------------------------------------
rc=$(compare json "$W/gate.json" --exit-code 3)
check "--exit-code 3: B adds findings, exit 3" [ "$rc" = 3 ]
rc=$(compare json "$W/gate.json" --exit-code 3 --severity LOW)
check "--exit-code 3 --severity LOW: the new LOW vulnerability, exit 3" [ "$rc" = 3 ]
rc=$(compare json "$W/gate.json" --exit-code 3 --severity MEDIUM)
check "--exit-code 3 --severity MEDIUM: nothing MEDIUM added, exit 0" [ "$rc" = 0 ]
check "--severity MEDIUM: the fixed MEDIUM vulnerability is still listed" "$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert [x["rule_id"] for x in r["vulnerabilities"]["fixed"]] == ["CVE-2024-35195"], r["vulnerabilities"]
assert r["summary"]["introduced"] == 0 and not r["findings"]["added"], r["summary"]' "$W/gate.json"
"$DRYDOCK" compare "$W/a.tar" "$W/a.tar" --exit-code 3 -q -o "$W/self.json" -f json
rc=$?
check "an image against itself: exit 0 with --exit-code, every layer shared, nothing changed" "$PY" -c '
import json, sys
r = json.load(open(sys.argv[1])); s = r["summary"]
assert int(sys.argv[2]) == 0, sys.argv[2]
assert s["layers"]["only_a"] == s["layers"]["only_b"] == 0 and s["layers"]["shared"] == 2, s["layers"]
assert s["packages"]["added"] == s["packages"]["removed"] == s["packages"]["changed"] == 0, s["packages"]
assert s["introduced"] == 0 and s["findings"]["removed"] == 0, s' "$W/self.json" "$rc"

# ---- other forms of the same images ------------------------------------------------------
"$DRYDOCK" compare docker:dd-compare-a:1 "$W/b.tar" -f json -o "$W/engine.json" -q
rc=$?
check "docker:NAME against FILE.tar: exit 0, the same changes (fingerprints are stable across forms)" "$PY" -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert int(sys.argv[3]) == 0, sys.argv[3]
key = lambda r: (r["packages"], r["vulnerabilities"], [x["id"] for x in r["findings"]["added"]],
                 [x["id"] for x in r["findings"]["removed"]], r["summary"]["layers"])
assert key(a) == key(b), "differs"' "$W/cmp.json" "$W/engine.json" "$rc"

# ---- no database ---------------------------------------------------------------------------
DRYDOCK_CACHE_DIR=$W/empty-cache "$DRYDOCK" compare "$W/a.tar" "$W/b.tar" -f json -o "$W/nodb.json" --no-progress 2>"$W/nodb.err"
rc=$?
check "no database, default scanners: exit 0, one warning, vulnerabilities not compared" "$PY" -c '
import json, sys
r = json.load(open(sys.argv[1])); err = open(sys.argv[2]).read().splitlines()
assert int(sys.argv[3]) == 0, sys.argv[3]
assert len(err) == 1 and "warning: no vulnerability database" in err[0] and "vulnerabilities skipped" in err[0], err
assert r["summary"]["vulnerabilities"]["compared"] is False and "vuln" not in r["a"]["scanners"], r["a"]
assert len(r["packages"]["changed"]) == 2, "packages are still compared"' "$W/nodb.json" "$W/nodb.err" "$rc"
DRYDOCK_CACHE_DIR=$W/empty-cache "$DRYDOCK" compare "$W/a.tar" "$W/b.tar" --scanners vuln -q -o /dev/null 2>"$W/nodb2.err"
rc=$?
check "no database, --scanners vuln asked for: exit 2 with one line" \
  bash -c '[[ "$1" == 2 && "$(wc -l <"$2")" == 1 ]] && grep -q "no vulnerability database" "$2" || { echo "exit $1: $(cat "$2")"; exit 1; }' \
  _ "$rc" "$W/nodb2.err"

# ---- errors name the side --------------------------------------------------------------
"$DRYDOCK" compare "$W/a.tar" "$W/no-such.tar" -q -o "$W/err.out" 2>"$W/err.err"
rc=$?
check "unreadable B: exit 2, one line naming B and its target" \
  bash -c '[[ "$1" == 2 && "$(wc -l <"$2")" == 1 ]] && grep -q "^drydock: B (.*no-such.tar): " "$2" || { echo "exit $1: $(cat "$2")"; exit 1; }' \
  _ "$rc" "$W/err.err"
check "unreadable B: no report written" bash -c '[[ ! -e "$1" ]]' _ "$W/err.out"
printf 'not a tar' >"$W/junk.tar"
"$DRYDOCK" compare "$W/junk.tar" "$W/b.tar" -q -o /dev/null 2>"$W/err2.err"
rc=$?
check "unreadable A: exit 2, one line naming A" \
  bash -c '[[ "$1" == 2 && "$(wc -l <"$2")" == 1 ]] && grep -q "^drydock: A (" "$2" || { echo "exit $1: $(cat "$2")"; exit 1; }' \
  _ "$rc" "$W/err2.err"

finish
