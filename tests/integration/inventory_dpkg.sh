#!/usr/bin/env bash
# drydock's dpkg cataloger against dpkg-query on a real Debian root filesystem.
#
#   tests/integration/inventory_dpkg.sh DRYDOCK_BINARY
#
# Builds (once, then cached) a Debian 12 rootfs with debootstrap --variant=minbase
# from the mirror this machine's apt sources name, then installs a few packages
# in a chroot: curl, a second architecture's libc6 (Multi-Arch: same, so
# info/NAME:ARCH.list files for two architectures) and netbase, removed again so
# it stays in the database as config-files. Then checks that drydock lists
# exactly the packages dpkg-query lists (name, version, architecture, source),
# without the config-files one, from the rootfs as dir:ROOTFS and from a
# two-layer docker archive (layer 1 the debootstrap tree, layer 2 what the apt
# step changed), where each package must come from the layer that installed it.
# A hand-written status file with every dpkg state checks which states count.
#
# The rootfs tarballs are cached in ${XDG_CACHE_HOME:-$HOME/.cache}/drydock-tests/
# under a key made of this script's CACHE_VERSION and the architecture; bump
# CACHE_VERSION when the build steps change. Needs root (debootstrap, chroot).
# Prints "ok - ..." / "not ok - ..." per check and ends with
# "inventory-dpkg: N passed, N failed"; without its tools it prints
# "skipped: ..." and exits 0, except under CI=true, where that is a failure.
set -uo pipefail

CACHE_VERSION=1
SUITE=bookworm
EXTRA_PKGS=(curl netbase)
REMOVED_PKG=netbase

DRYDOCK=${1:?usage: inventory_dpkg.sh DRYDOCK_BINARY}
PY=/usr/bin/python3
T_NAME=inventory-dpkg
T_CHECK_SHOW=always # a passing check shows its output too
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

[[ -x "$DRYDOCK" ]] || skip_or_fail "drydock binary not found at $DRYDOCK"
[[ -x "$PY" ]] || skip_or_fail "$PY not found"
command -v dpkg-query >/dev/null || skip_or_fail "dpkg-query not found"
command -v debootstrap >/dev/null || skip_or_fail "debootstrap not found (scripts/deps --test)"
((EUID == 0)) || skip_or_fail "debootstrap and chroot need root"

workdir "${TMPDIR:-/tmp}/drydock-inv-dpkg.XXXXXX"

# The helpers: mirror lookup, drydock/dpkg-query comparison, archive building.
cat >"$W/tools.py" <<'PYEOF'
import glob, hashlib, io, json, os, sys, tarfile

def mirror(suite):
    """The first deb URI the apt sources give for `suite` (one-line and deb822 files)."""
    files = ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list"))
    for f in files:
        try:
            lines = open(f).read().splitlines()
        except OSError:
            continue
        for line in lines:
            words = line.split("#", 1)[0].split()
            if len(words) >= 3 and words[0] == "deb":
                rest = [w for w in words[1:] if not w.startswith("[")]
                if len(rest) >= 2 and rest[1] == suite:
                    return rest[0]
    for f in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        try:
            text = open(f).read()
        except OSError:
            continue
        for stanza in text.split("\n\n"):
            fields = {}
            for line in stanza.splitlines():
                if ":" in line and not line.startswith(("#", " ")):
                    k, v = line.split(":", 1)
                    fields[k.strip().lower()] = v.split()
            if "deb" in fields.get("types", []) and suite in fields.get("suites", []) and fields.get("uris"):
                return fields["uris"][0]
    return ""

def dpkg_rows(path):
    """dpkg-query rows: state, package, version, arch, source, source version."""
    rows = []
    for line in open(path).read().splitlines():
        if line:
            rows.append(tuple(line.split("\t")))
    return rows

def drydock_debs(path):
    return [p for p in json.load(open(path)).get("packages", []) if p.get("type") == "deb"]

def on_disk(rows):
    # Packages whose files are installed: dpkg-query -W also prints removed
    # packages whose conffiles remain (config-files) and bare database entries.
    return [r for r in rows if r[0] not in ("config-files", "not-installed")]

def compare(query_out, report, what, expect=None):
    rows = on_disk(dpkg_rows(query_out))
    want = {(r[1], r[3]): r for r in rows}
    got = {}
    for p in drydock_debs(report):
        got.setdefault((p["name"], p.get("arch", "")), []).append(p)
    problems = []
    if what == "missing":
        problems = ["missing %s:%s %s" % (k[0], k[1], want[k][2]) for k in sorted(set(want) - set(got))]
    elif what == "extra":
        problems = ["extra %s:%s %s" % (k[0], k[1], got[k][0]["version"]) for k in sorted(set(got) - set(want))]
        problems += ["listed %d times: %s:%s" % (len(v), k[0], k[1]) for k, v in sorted(got.items()) if len(v) > 1]
    elif what == "version":
        for k in sorted(set(want) & set(got)):
            if got[k][0]["version"] != want[k][2]:
                problems.append("%s:%s version %s, dpkg-query %s" % (k[0], k[1], got[k][0]["version"], want[k][2]))
    elif what == "source":
        for k in sorted(set(want) & set(got)):
            p = got[k][0]
            mine = (p.get("source_name", ""), p.get("source_version") or p["version"])
            if mine != (want[k][4], want[k][5]):
                problems.append("%s:%s source %s %s, dpkg-query %s %s" % (k[0], k[1], mine[0], mine[1], want[k][4], want[k][5]))
    elif what == "count":
        print("deb: drydock %d, dpkg-query %d (of %d entries)" % (len(drydock_debs(report)), len(rows), len(dpkg_rows(query_out))))
        if expect is not None and len(rows) != int(expect):
            print("dpkg-query lists %d installed, expected %s" % (len(rows), expect))
            return 1
        return 0 if len(drydock_debs(report)) == len(rows) and rows else 1
    for p in problems[:20]:
        print(p)
    if len(problems) > 20:
        print("... and %d more" % (len(problems) - 20))
    return 1 if problems else 0

def absent(report, name):
    names = [p["name"] for p in drydock_debs(report)]
    if name in names:
        print("%s is listed" % name)
        return 1
    return 0

def listed_by(query_out, name, state):
    for r in dpkg_rows(query_out):
        if r[1] == name:
            if r[0] == state:
                return 0
            print("%s is %s in dpkg-query, not %s" % (name, r[0], state))
            return 1
    print("dpkg-query does not list %s" % name)
    return 1

def evidence(report, status_path):
    problems = []
    for p in drydock_debs(report):
        ev = p.get("evidence") or []
        if p.get("layer_index", -1) < 0:
            problems.append("%s: no layer" % p["name"])
        if not ev or ev[0].get("path") != status_path or ev[0].get("cataloger") != "dpkg" or ev[0].get("layer_index", -1) < 0:
            problems.append("%s: evidence %s" % (p["name"], json.dumps(ev)))
    for x in problems[:20]:
        print(x)
    return 1 if problems or not drydock_debs(report) else 0

def layers(report, base_query_out):
    """Packages the base tree had (same version and arch) come from layer 0, the rest from layer 1."""
    base = {(r[1], r[3], r[2]) for r in on_disk(dpkg_rows(base_query_out))}
    problems = []
    counts = [0, 0]
    for p in drydock_debs(report):
        want = 0 if (p["name"], p.get("arch", ""), p["version"]) in base else 1
        counts[want] += 1
        got = p.get("layer_index", -1)
        ev = (p.get("evidence") or [{}])[0].get("layer_index", -1)
        if got != want or ev != want:
            problems.append("%s:%s layer %s (evidence %s), want %d" % (p["name"], p.get("arch"), got, ev, want))
    print("deb packages from layer 1: %d, from layer 2: %d" % (counts[0], counts[1]))
    for x in problems[:20]:
        print(x)
    return 1 if problems or counts[1] == 0 else 0

def key(ti):
    return (ti.type, ti.size if ti.isfile() else 0, int(ti.mtime), ti.mode, ti.uid, ti.gid, ti.linkname)

def make_archive(base_tar, full_tar, out):
    """A docker-save archive: layer 1 = base_tar, layer 2 = what full_tar changed (with whiteouts)."""
    with tarfile.open(base_tar) as tf:
        base = {os.path.normpath(m.name): key(m) for m in tf}
    layer2 = out + ".layer2.tar"
    seen = set()
    with tarfile.open(full_tar) as src, tarfile.open(layer2, "w", format=tarfile.PAX_FORMAT) as dst:
        members = list(src)
        names = {os.path.normpath(m.name): m for m in members}
        wanted = set()
        for m in members:
            n = os.path.normpath(m.name)
            seen.add(n)
            if base.get(n) != key(m):
                wanted.add(n)
                if m.islnk():
                    wanted.add(os.path.normpath(m.linkname))
        for m in members:
            n = os.path.normpath(m.name)
            if n in wanted:
                dst.addfile(m, src.extractfile(m) if m.isfile() else None)
        gone = sorted(n for n in base if n not in seen)
        top = []
        for n in gone:
            if not any(n.startswith(t + "/") for t in top):
                top.append(n)
        for n in top:
            d, b = os.path.split(n)
            wh = tarfile.TarInfo(os.path.join(d, ".wh." + b))
            dst.addfile(wh, io.BytesIO(b""))
    def digest(path):
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return "sha256:" + h.hexdigest()
    diff_ids = [digest(base_tar), digest(layer2)]
    config = {
        "architecture": "amd64", "os": "linux", "config": {},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created_by": "debootstrap --variant=minbase"}, {"created_by": "apt-get install"}],
    }
    config_bytes = json.dumps(config).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    manifest = [{"Config": config_name, "RepoTags": ["drydock-test/debian:minbase"],
                 "Layers": ["l1/layer.tar", "l2/layer.tar"]}]
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
        for name, data in ((config_name, config_bytes), ("manifest.json", json.dumps(manifest).encode())):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
        t.add(base_tar, "l1/layer.tar")
        t.add(layer2, "l2/layer.tar")
    os.unlink(layer2)
    return 0

if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "mirror":
        m = mirror(args[0])
        print(m)
        sys.exit(0 if m else 1)
    sys.exit({"compare": compare, "absent": absent, "listed-by": listed_by, "evidence": evidence,
              "layers": layers, "make-archive": make_archive}[cmd](*args))
PYEOF
tools() { "$PY" "$W/tools.py" "$@"; }

QUERY_FMT='${db:Status-Status}\t${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n'
query() {
  dpkg-query --admindir="$1" -W -f="$QUERY_FMT" >"$2" 2>"$2.err" && return 0
  notok "dpkg-query --admindir=$1 -W"
  sed 's/^/#   /' "$2.err"
}
scan() { "$DRYDOCK" image "$1" --list-all-pkgs --format json --output "$2"; }

# ---- 1. which dpkg states are inventory: a hand-written database --------------------------
mkdir -p "$W/states/var/lib/dpkg/info" "$W/states/var/lib/dpkg/updates"
: >"$W/states/var/lib/dpkg/available"
{
  n=0
  for st in "install ok installed" "hold ok installed" "deinstall ok installed" "install ok unpacked" \
    "install ok half-configured" "install reinstreq half-installed" "install ok triggers-awaited" \
    "install ok triggers-pending" "deinstall ok config-files" "purge ok not-installed"; do
    n=$((n + 1))
    printf 'Package: state%d\nStatus: %s\nPriority: optional\nArchitecture: amd64\nSource: src%d (1:%d.0-1)\nVersion: 1:%d.0-1+b1\nMaintainer: Nobody <n@example.org>\n' \
      "$n" "$st" "$n" "$n" "$n"
    # dpkg refuses these states without the triggers they wait for.
    [[ $st == *triggers-awaited ]] && printf 'Triggers-Awaited: state1\n'
    [[ $st == *triggers-pending ]] && printf 'Triggers-Pending: ldconfig\n'
    printf 'Description: %s\n\n' "$st"
  done
} >"$W/states/var/lib/dpkg/status"
query "$W/states/var/lib/dpkg" "$W/states.query"
scan "dir:$W/states" "$W/states.json" || notok "drydock scans the hand-written database"
check "dpkg states: 8 of the 10 states count as installed" tools compare "$W/states.query" "$W/states.json" count 8
check "dpkg states: the packages dpkg-query lists with their files on disk are listed" tools compare "$W/states.query" "$W/states.json" missing
check "dpkg states: config-files and not-installed packages are not" tools compare "$W/states.query" "$W/states.json" extra
check "dpkg states: versions with epochs and architectures agree" tools compare "$W/states.query" "$W/states.json" version
check "dpkg states: source name and version (binNMU) agree" tools compare "$W/states.query" "$W/states.json" source

# ---- 2. a real Debian rootfs ----------------------------------------------------------------
ARCH=$(dpkg --print-architecture)
case $ARCH in
  amd64) FOREIGN=i386 ;;
  arm64) FOREIGN=armhf ;;
  *) FOREIGN= ;;
esac
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/drydock-tests/debian-$SUITE-minbase-v$CACHE_VERSION-$ARCH
if [[ ! -f $CACHE/full.tar.gz || ! -f $CACHE/base.tar.gz ]]; then
  MIRROR=$(tools mirror "$SUITE") || skip_or_fail "no apt source for $SUITE on this machine to debootstrap from"
  echo "# building the $SUITE rootfs from $MIRROR (cached in $CACHE)"
  R=$W/build
  if ! debootstrap --variant=minbase "$SUITE" "$R" "$MIRROR" >"$W/debootstrap.log" 2>&1; then
    tail -n 20 "$W/debootstrap.log" | sed 's/^/#   /'
    notok "debootstrap $SUITE"
    finish
  fi
  mkdir -p "$CACHE"
  tar -C "$R" --numeric-owner -czf "$W/base.tar.gz" .
  apt_in() { chroot "$R" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get -q -y "$@"; }
  extra=("${EXTRA_PKGS[@]}")
  if [[ -n $FOREIGN ]]; then
    chroot "$R" dpkg --add-architecture "$FOREIGN"
    extra+=("libc6:$FOREIGN")
  fi
  echo "deb $MIRROR $SUITE main" >"$R/etc/apt/sources.list"
  if ! { apt_in update && apt_in install --no-install-recommends "${extra[@]}" && apt_in remove "$REMOVED_PKG" &&
    apt_in clean; } >"$W/apt.log" 2>&1; then
    tail -n 20 "$W/apt.log" | sed 's/^/#   /'
    notok "apt-get install ${extra[*]} in the chroot"
    finish
  fi
  rm -rf "$R/var/lib/apt/lists/"*
  tar -C "$R" --numeric-owner -czf "$W/full.tar.gz" .
  mv "$W/base.tar.gz" "$CACHE/base.tar.gz.tmp" && mv "$CACHE/base.tar.gz.tmp" "$CACHE/base.tar.gz"
  mv "$W/full.tar.gz" "$CACHE/full.tar.gz.tmp" && mv "$CACHE/full.tar.gz.tmp" "$CACHE/full.tar.gz"
  rm -rf "$R"
fi

gzip -dc "$CACHE/base.tar.gz" >"$W/base.tar"
gzip -dc "$CACHE/full.tar.gz" >"$W/full.tar"
mkdir -p "$W/rootfs" "$W/base"
tar -C "$W/rootfs" --numeric-owner -xf "$W/full.tar"
tar -C "$W/base" --numeric-owner -xf "$W/base.tar" ./var/lib/dpkg
query "$W/rootfs/var/lib/dpkg" "$W/rootfs.query"
query "$W/base/var/lib/dpkg" "$W/base.query"

scan "dir:$W/rootfs" "$W/rootfs.json" || notok "drydock scans dir:ROOTFS"
check "dir:ROOTFS: the package count equals dpkg-query's installed count" tools compare "$W/rootfs.query" "$W/rootfs.json" count
check "dir:ROOTFS: no package dpkg-query lists is missing" tools compare "$W/rootfs.query" "$W/rootfs.json" missing
check "dir:ROOTFS: no extra package" tools compare "$W/rootfs.query" "$W/rootfs.json" extra
check "dir:ROOTFS: same version and architecture for every package" tools compare "$W/rootfs.query" "$W/rootfs.json" version
check "dir:ROOTFS: same source name and version as \${source:Package} \${source:Version}" tools compare "$W/rootfs.query" "$W/rootfs.json" source
check "dir:ROOTFS: dpkg-query lists $REMOVED_PKG as config-files" tools listed-by "$W/rootfs.query" "$REMOVED_PKG" config-files
check "dir:ROOTFS: drydock does not list the removed $REMOVED_PKG" tools absent "$W/rootfs.json" "$REMOVED_PKG"
check "dir:ROOTFS: every package has its layer and dpkg evidence" tools evidence "$W/rootfs.json" /var/lib/dpkg/status

tools make-archive "$W/base.tar" "$W/full.tar" "$W/image.tar" || notok "build the docker archive"
rm -f "$W/full.tar"
scan "docker-archive:$W/image.tar" "$W/image.json" || notok "drydock scans the docker archive"
check "docker-archive: no package dpkg-query lists is missing" tools compare "$W/rootfs.query" "$W/image.json" missing
check "docker-archive: no extra package" tools compare "$W/rootfs.query" "$W/image.json" extra
check "docker-archive: same version and architecture for every package" tools compare "$W/rootfs.query" "$W/image.json" version
check "docker-archive: each package comes from the layer that installed it" tools layers "$W/image.json" "$W/base.query"
finish
