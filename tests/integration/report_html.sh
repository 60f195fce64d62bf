#!/usr/bin/env bash
# The HTML and markdown reports end to end: a FROM-scratch busybox image built
# on a private dockerd whose file names, labels, ENV, RUN steps, a dpkg
# package and an OSV advisory carry markup meant to run (<script>, a quote
# that would end an attribute, </td>, pipes, backticks, a newline and bytes
# that are not UTF-8). `--format html` is checked as a file (only the
# report's own tags, attributes and script; no network reference) and as a
# page in headless Chromium: a screenshot that is not blank, a DOM with one
# row per finding of the JSON report, the report's own script run (CSP
# hashes right) and the injected ones not (the title stays), with two
# controls: the page with one injection left raw runs it without the CSP and
# not with it. `--format
# markdown` is checked table by table, with cmark-gfm (GitHub's renderer)
# when installed, and for --severity.
#
#   tests/integration/report_html.sh DRYDOCK_BINARY
#
# Last line: "report-html: N passed, N failed[, N skipped]" or "skipped: why".
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
T_NAME=report-html
T_CHECK_LINES=40
# shellcheck source=lib.sh
source "$ROOT/tests/integration/lib.sh"

need_drydock "${1:-$ROOT/build/drydock}"
[[ -x "$PY" ]] || skip_or_fail "$PY not found"
need_static_busybox
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[[ -n "$CHROMIUM" ]] || skip_or_fail "chromium not found (scripts/deps --test installs it)"

workdir /tmp/dd-report-html.XXXXXX DRYDOCK_REPORT_HTML_KEEP
export DRYDOCK_CACHE_DIR=$W/cache

start_dockerd || skip_or_fail "cannot start a private dockerd: $DD_WHY"

# ---- the hostile image -----------------------------------------------------------
RETITLE="<script>document.title='pwned'</script>"
HOVER='"onmouseover=alert(1) x="'
# A GitHub token (ghp_ + 30 base62 + their CRC32 checksum), from a fixed seed
# (DRYDOCK_TEST_SEED overrides it).
TOKEN=$("$PY" -c 'import os,random,string,zlib; R=random.Random(int(os.environ.get("DRYDOCK_TEST_SEED") or 20261207)); a=string.ascii_letters+string.digits; b="".join(R.choice(a) for _ in range(30)); v=zlib.crc32(b.encode()); B="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"; print("ghp_"+b+"".join(B[v//62**i%62] for i in range(5,-1,-1)))')
ENV_VALUE=Zx9qLm2Rv7tPw4Kd
ctx=$W/ctx
mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/etc" "$ctx/rootfs/tmp" "$ctx/rootfs/var/lib/dpkg"
cp "$BUSYBOX" "$ctx/rootfs/bin/busybox"
for a in sh echo mkdir; do ln -s busybox "$ctx/rootfs/bin/$a"; done
chmod 1777 "$ctx/rootfs/tmp"
cat >"$ctx/rootfs/etc/os-release" <<'EOF'
ID=ddlinux
VERSION_ID="1.0"
PRETTY_NAME="Drydock <b>Hostile</b> | Linux"
EOF
# A directory named like a script tag (its "/" makes two levels), one with a
# quote, a pipe, backticks, a newline and two bytes that are not UTF-8.
evil_dir="$ctx/rootfs/app/$RETITLE"
odd_dir="$ctx/rootfs/app/$HOVER|\`tick\`"$'\n'"x"$'\xff\xfe'
mkdir -p "$evil_dir" "$odd_dir"
echo "GITHUB_TOKEN=$TOKEN" >"$evil_dir/.env"
echo "MODE=dev" >"$odd_dir/.env"
{
  printf 'Package: base-files\nStatus: install ok installed\nArchitecture: amd64\nVersion: 12.4\n\n'
  printf 'Package: evil|<script>alert(1)</script>`x`\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0|`v`<i>\n\n'
} >"$ctx/rootfs/var/lib/dpkg/status"
d="$ctx/rootfs/usr/lib/python3/dist-packages/requests-2.31.0.dist-info"
mkdir -p "$d"
printf 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n' >"$d/METADATA"

cat >"$ctx/Dockerfile" <<EOF
FROM scratch
COPY rootfs/ /
LABEL "org.example.evil"="$RETITLE \\"onmouseover=alert(1) x=\\" </td>|\`tick\`" "x'onmouseover'<b>|\`k\`"="v|</td>"
ENV EVIL="<script>alert(1)</script>$ENV_VALUE"
RUN echo '$RETITLE' '</td>|\`tick\`' > /tmp/x
CMD ["/bin/sh"]
EOF
check "docker build (legacy builder, FROM scratch)" \
  env DOCKER_BUILDKIT=0 "$DOCKER_CLI" build -q -t dd-report-html:1 "$ctx"
check "docker save" "$DOCKER_CLI" save dd-report-html:1 -o "$W/image.tar"
[[ -s "$W/image.tar" ]] || finish

mkdir -p "$W/osv"
cat >"$W/osv/GHSA-9wx4-h78v-vm56.json" <<EOF
{"id": "GHSA-9wx4-h78v-vm56", "aliases": ["CVE-2024-35195"], "modified": "2024-05-01T00:00:00Z",
 "summary": "requests $RETITLE | \`x\` [link](http://e.example) @team",
 "database_specific": {"severity": "MODERATE"},
 "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"},
               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.32.0"}]}]}]}
EOF
check "db import of one OSV advisory" "$DRYDOCK" db import "$W/osv"

scan() { # scan FORMAT OUT [flags...]
  local format=$1 out=$2
  shift 2
  "$DRYDOCK" image "$W/image.tar" --scanners vuln,secret,misconfig --format "$format" -o "$out" -q "$@"
}
check "json report (with the packages)" scan json "$W/report.json" --list-all-pkgs
check "html report" scan html "$W/report.html"
check "html report again" scan html "$W/again.html"
check "html: the same bytes from the same image" cmp "$W/report.html" "$W/again.html"

check "the JSON report has every kind of finding" "$PY" - "$W/report.json" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
kinds = {f["kind"] for f in r["findings"]}
assert kinds >= {"vulnerability", "secret", "misconfiguration"}, kinds
assert any("<script>" in f["location"].get("path", "") for f in r["findings"]), "a finding in the hostile dir"
PYEOF

# ---- the file: only our markup -------------------------------------------------------
check "html: only the report's own tags and attributes, one script, nothing from the network" \
  "$PY" - "$W/report.html" "$TOKEN" "$ENV_VALUE" <<'PYEOF'
import sys
from html.parser import HTMLParser
text = open(sys.argv[1], encoding="utf-8").read()
TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "code", "main", "section",
        "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "span", "form", "label", "input", "output",
        "details", "summary", "ul", "li", "div", "footer", "script"}
ATTRS = {"lang", "charset", "http-equiv", "content", "name", "title", "class", "id", "data-severity", "hidden", "type",
         "value", "checked", "placeholder"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.bad, self.scripts, self.csp = [], [], 0, None
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in TAGS:
            self.bad.append(f"tag <{tag}>")
        for k, v in attrs:
            if k not in ATTRS:
                self.bad.append(f"attribute {k}={v!r} on <{tag}>")
        self.scripts += tag == "script"
        if tag == "meta" and dict(attrs).get("http-equiv") == "Content-Security-Policy":
            self.csp = dict(attrs)["content"]
p = P()
p.feed(text)
assert not p.bad, p.bad[:10]
assert p.scripts == 1, f"{p.scripts} scripts"
assert p.csp and "default-src 'none'" in p.csp and "script-src 'sha256-" in p.csp, p.csp
assert "'unsafe-inline'" not in p.csp, p.csp
for needle in ("src=", "href=", "url(", "@import", "<link", "<iframe", "<object"):
    assert needle not in text, f"{needle!r} in the page"
assert sys.argv[2] not in text, "the token"
assert sys.argv[3] not in text, "an ENV value"
assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in text, "the hostile text, escaped"
assert "\\xff\\xfe" in text, "the bytes that are not UTF-8, shown"
PYEOF

# ---- the page: headless Chromium -------------------------------------------------------
chrome() { # chrome ARGS...: headless, no network, a throwaway profile
  local profile
  profile=$(mktemp -d "$W/chrome.XXXXXX")
  HOME=$W timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
    --user-data-dir="$profile" "$@" 2>>"$W/chrome.log"
}
chrome --screenshot="$W/r.png" --window-size=1280,2000 "file://$W/report.html" >/dev/null
check "chromium: a screenshot" test -s "$W/r.png"
T_CHECK_SHOW=always check "the screenshot is not blank (colours, ink, the header band, severity badges)" "$PY" - "$W/r.png" <<'PYEOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, ihdr = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
w, h, depth, ctype, _, _, interlace = ihdr
assert depth == 8 and ctype in (2, 6) and interlace == 0, ihdr
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(idat)
stride = w * bpp
rows, prev, i = [], bytearray(stride), 0
for _ in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line))
    prev = line
colours, ink, navy, red = set(), 0, 0, 0
for row in rows:
    for x in range(0, stride, bpp):
        r, g, b = row[x], row[x + 1], row[x + 2]
        colours.add((r, g, b))
        ink += (r, g, b) != (255, 255, 255)
        navy += abs(r - 0x0d) < 8 and abs(g - 0x25) < 8 and abs(b - 0x38) < 8
        red += abs(r - 0xcf) < 10 and abs(g - 0x22) < 10 and abs(b - 0x2e) < 10 or (r, g, b) == (0x9a, 0x67, 0x00)
print(f"{w}x{h}, {len(colours)} colours, {100 * ink / (w * h):.1f}% not white, header {navy} px, badges {red} px")
assert len(colours) > 50, "too few colours"
assert ink > w * h // 50, "almost blank"
assert navy > 1280 * 40, "no header band"
assert red > 100, "no severity badge"
PYEOF

dom() { chrome --dump-dom "$1" >"$2"; }
dom "file://$W/report.html" "$W/dom.html"
check "chromium: the DOM dump" test -s "$W/dom.html"
check "DOM: one row per finding and per package of the JSON report, the page's script ran, no injected one did" \
  "$PY" - "$W/dom.html" "$W/report.json" <<'PYEOF'
import json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
r = json.load(open(sys.argv[2]))
findings = len(re.findall(r'<tr class="finding"', dom))
assert findings == len(r["findings"]), f"{findings} finding rows, the JSON has {len(r['findings'])}"
packages = len(re.findall(r'<tr class="package"', dom))
assert packages == len(r["packages"]), f"{packages} package rows, the JSON has {len(r['packages'])}"
title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
assert title.startswith("drydock: ") and "pwned" not in title, title
assert re.search(r'<html[^>]* data-js="ready"', dom), "the report's own script did not run (CSP hash?)"
assert re.search(r'<form id="filters">', dom), "the filter form is still hidden"
assert "pwned" not in re.sub(r"&lt;script&gt;document\.title=&#39;pwned&#39;&lt;/script&gt;|"
                             r"&lt;script&gt;document\.title='pwned'&lt;/script&gt;", "", dom), "pwned outside text"
assert "of %d findings shown" % len(r["findings"]) in dom, "the count line"
PYEOF

# Controls: the same page with one injection left raw runs it once the CSP is
# gone (so the check above can fail), and not while the CSP is there.
"$PY" - "$W/report.html" "$W/raw-csp.html" "$W/raw.html" <<'PYEOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
text = text.replace("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;",
                    "<script>document.title='pwned'</script>", 1)
open(sys.argv[2], "w", encoding="utf-8").write(text)
open(sys.argv[3], "w", encoding="utf-8").write(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text))
PYEOF
dom "file://$W/raw.html" "$W/dom-raw.html"
check "control: a raw injection without the CSP runs" grep -q "<title>pwned</title>" "$W/dom-raw.html"
dom "file://$W/raw-csp.html" "$W/dom-raw-csp.html"
check "control: the CSP alone stops a raw injection, and still lets the page's script run" \
  bash -c '! grep -q "<title>pwned</title>" "$1" && grep -q "data-js=\"ready\"" "$1"' _ "$W/dom-raw-csp.html"

dom "file://$W/report.html#severity=HIGH,CRITICAL" "$W/dom-high.html"
check "DOM: #severity=HIGH,CRITICAL hides the other rows" "$PY" - "$W/dom-high.html" "$W/report.json" <<'PYEOF'
import json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
r = json.load(open(sys.argv[2]))
want = sum(f["severity"] in ("HIGH", "CRITICAL") for f in r["findings"])
shown = re.findall(r'<tr class="finding" data-severity="(\w+)">', dom)
hidden = re.findall(r'<tr class="finding" data-severity="(\w+)" hidden="">', dom)
assert len(shown) == want and all(s in ("HIGH", "CRITICAL") for s in shown), (shown, want)
assert len(shown) + len(hidden) == len(r["findings"]), (len(shown), len(hidden))
assert f"{want} of {len(r['findings'])} findings shown" in dom
PYEOF
dom "file://$W/report.html#q=requests" "$W/dom-q.html"
check "DOM: #q=requests shows only the rows that mention it" "$PY" - "$W/dom-q.html" <<'PYEOF'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
rows = re.findall(r'<tr class="(finding|package)"( data-severity="\w+")?( hidden="")?>(.*?)</tr>', dom, re.S)
shown = [body for _, _, hidden, body in rows if not hidden]
assert shown and all("requests" in re.sub(r"<[^>]+>", "", b).lower() for b in shown), len(shown)
assert len(shown) < len(rows), "nothing hidden"
PYEOF

# ---- markdown ----------------------------------------------------------------------------
check "markdown report" scan markdown "$W/report.md"
check "markdown with --severity HIGH,CRITICAL" scan markdown "$W/high.md" --severity HIGH,CRITICAL
MD_CHECK=$(cat <<'PYEOF'
import re, shutil, subprocess, sys
path, token, env_value = sys.argv[1:4]
text = open(path, encoding="utf-8").read()
assert token not in text and env_value not in text, "a secret or an ENV value"
assert "\\\\|" not in text, "a pipe after an escaped backslash: renderers disagree"
def cells(line):  # pipes that no backslash escapes
    return sum(1 for i, ch in enumerate(line) if ch == "|" and (i == 0 or line[i - 1] != "\\")) - 1
tables, block = [], []
for line in text.split("\n") + [""]:
    if line.startswith("|"):
        block.append(line)
    elif block:
        tables.append(block)
        block = []
for t in tables:
    assert len(t) >= 3 and re.fullmatch(r"(\| --- )+\|", t[1]), t[:2]
    for row in t:
        assert row.endswith(" |") and cells(row) == cells(t[0]), f"{cells(row)} cells, want {cells(t[0])}: {row!r}"
cmark = shutil.which("cmark-gfm")
if cmark:
    html = subprocess.run([cmark, "-e", "table", "-e", "autolink", path], capture_output=True, text=True,
                          check=True).stdout
    assert html.count("<table>") == len(tables), (html.count("<table>"), len(tables))
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        counts = [len(re.findall(r"<t[hd][ >]", tr)) for tr in re.findall(r"<tr>.*?</tr>", table, re.S)]
        assert len(set(counts)) == 1, counts
    for bad in ("<script", "<a ", "<b>", "<i>", "<h1"):
        assert bad not in html, f"{bad} in the rendered markdown"
print(f"{len(tables)} tables, {sum(len(t) - 2 for t in tables)} rows" + (", cmark-gfm agrees" if cmark else ""))
PYEOF
)
T_CHECK_SHOW=always check "markdown: every row keeps its columns, nothing renders as markup" \
  "$PY" -c "$MD_CHECK" "$W/report.md" "$TOKEN" "$ENV_VALUE"
check "markdown --severity HIGH,CRITICAL: the same checks" "$PY" -c "$MD_CHECK" "$W/high.md" "$TOKEN" "$ENV_VALUE"
check "markdown: findings below HIGH collapsed without --severity, none with it" "$PY" - "$W/report.md" "$W/high.md" \
  "$W/report.json" <<'PYEOF'
import json, re, sys
md, high = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
r = json.load(open(sys.argv[3]))
below = sum(f["severity"] not in ("HIGH", "CRITICAL") for f in r["findings"])
above = len(r["findings"]) - below
assert f"### Findings at HIGH or above ({above})" in md, md[:600]
assert f"<details><summary>{below} finding{'s' if below != 1 else ''} below HIGH</summary>" in md
assert "below HIGH" not in high and f"### Findings at HIGH or above ({above})" in high
PYEOF

finish
