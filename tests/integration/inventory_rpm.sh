#!/usr/bin/env bash
# inventory-rpm: drydock's rpm packages against the real rpm tools.
#   tests/integration/inventory_rpm.sh DRYDOCK
# Builds, in a temporary directory, root filesystems holding the rpm database
# in each format (tests/testdata/catalog/rpm/make.sh):
#   - five real packages built with rpmbuild: rpm writes the sqlite database;
#     the Berkeley DB file comes from db5.3_load; the ndb file from mkndb.py;
#   - 1500 more headers made with python3-rpm, added to each: a database of
#     many buckets and overflow chains, as big distributions have.
# and compares drydock's listing (name, epoch, version, release, arch,
# source rpm, license, vendor) with `rpm -qa` on the same database (sqlite;
# Berkeley DB through rpm's bdb_ro backend) or, for ndb, which Debian's rpm
# cannot read, with python3-rpm's reading of the very header blobs written.
# Zero missing, zero extra. Then a corrupted database must be diagnosed, not
# fatal. Ends with "inventory-rpm: N passed, N failed".
set -uo pipefail

drydock=${1:?usage: inventory_rpm.sh DRYDOCK}
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../testdata/catalog/rpm
py=/usr/bin/python3
T_NAME=inventory-rpm
T_OK="PASS "
T_NOTOK="FAIL "
# shellcheck source=lib.sh
source "$here/lib.sh"
workdir
tmp=$W

for tool in rpm rpmbuild db5.3_load "$py"; do
  command -v "$tool" >/dev/null 2>&1 || { notok "tool $tool is missing (scripts/deps --test installs it)"; finish; }
done
"$py" -c 'import rpm' 2>/dev/null || { notok "python3-rpm is missing (scripts/deps --test installs it)"; finish; }

if ! bash "$data/make.sh" "$tmp/db" >"$tmp/make.log" 2>&1; then
  cat "$tmp/make.log"
  notok "make.sh builds the packages and the three databases"
  finish
fi
ok "make.sh builds the packages and the three databases (rpm reads the Berkeley DB back identically)"

qf='%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\t%{LICENSE}\t%{VENDOR}\n'

# drydock's rpm packages of ROOT in the query format above, sorted; its
# diagnostics go to $2.
drydock_list() {
  "$drydock" image "dir:$1" --list-all-pkgs --format json 2>/dev/null |
    "$py" -c '
import json, sys
d = json.load(sys.stdin)
with open(sys.argv[1], "w") as f:
    for x in d.get("diagnostics", []):
        f.write(x["where"] + ": " + x["message"] + "\n")
for p in d["packages"]:
    if p["type"] != "rpm":
        continue
    md = p.get("metadata") or {}
    evr = p["version"]
    epoch = md.get("rpm.epoch", "(none)")
    if "rpm.epoch" in md:
        assert evr.startswith(epoch + ":"), evr
        evr = evr[len(epoch) + 1:]
    version, release = evr.rsplit("-", 1)
    src = p["source_name"] + "-" + p["source_version"] + ".src.rpm" if p.get("source_name") else "(none)"
    lic = p["licenses"][0] if p.get("licenses") else "(none)"
    print("\t".join([p["name"], epoch, version, release, p.get("arch") or "(none)", src, lic,
                     md.get("rpm.vendor", "(none)")]))
' "$2" | LC_ALL=C sort
}

# rpm -qa on ROOT (extra rpm arguments follow), without gpg-pubkey.
rpm_list() {
  local root=$1
  shift
  rpm --root "$root" --dbpath /var/lib/rpm "$@" -qa --qf "$qf" 2>/dev/null | grep -v '^gpg-pubkey' | LC_ALL=C sort
}

# python3-rpm's reading of a directory of header blobs, without gpg-pubkey.
blob_list() {
  "$py" - "$1" <<'PY' | LC_ALL=C sort
import os, rpm, sys
def s(v):
    if v is None or v == b"" or v == "" or v == []:
        return "(none)"
    return v.decode() if isinstance(v, bytes) else str(v)
for n in sorted(os.listdir(sys.argv[1])):
    h = rpm.hdr(open(os.path.join(sys.argv[1], n), "rb").read())
    if s(h[rpm.RPMTAG_NAME]) == "gpg-pubkey":
        continue
    tags = [rpm.RPMTAG_NAME, rpm.RPMTAG_EPOCH, rpm.RPMTAG_VERSION, rpm.RPMTAG_RELEASE, rpm.RPMTAG_ARCH,
            rpm.RPMTAG_SOURCERPM, rpm.RPMTAG_LICENSE, rpm.RPMTAG_VENDOR]
    print("\t".join(s(h[t]) for t in tags))
PY
}

# compare NAME WANT_FILE GOT_FILE DIAG_FILE
compare() {
  local n
  n=$(wc -l <"$2")
  if [[ $n -eq 0 ]]; then
    notok "$1: the oracle listed nothing"
    return
  fi
  if cmp -s "$2" "$3" && [[ ! -s $4 ]]; then
    ok "$1: $n packages, zero missing, zero extra, no diagnostics"
  else
    notok "$1"
    echo "  missing (oracle only) / extra (drydock only):"
    diff "$2" "$3" | grep '^[<>]' | head -20 | sed 's/^</  missing/; s/^>/  extra  /'
    sed 's/^/  diagnostic: /' "$4" | head -5
  fi
}

small=$tmp/db
# The five real packages, each format.
drydock_list "$small/sqlite-root" "$tmp/d1" >"$tmp/got1"
rpm_list "$small/sqlite-root" >"$tmp/want1"
compare "sqlite written by rpm (rpm -qa)" "$tmp/want1" "$tmp/got1" "$tmp/d1"

drydock_list "$small/bdb-root" "$tmp/d2" >"$tmp/got2"
rpm_list "$small/bdb-root" --define '_db_backend bdb_ro' >"$tmp/want2"
compare "Berkeley DB (rpm -qa with bdb_ro)" "$tmp/want2" "$tmp/got2" "$tmp/d2"

drydock_list "$small/ndb-root" "$tmp/d3" >"$tmp/got3"
blob_list "$small/blobs" >"$tmp/want3"
compare "ndb in /usr/lib/sysimage/rpm (python3-rpm on the blobs)" "$tmp/want3" "$tmp/got3" "$tmp/d3"
if cmp -s "$tmp/want1" "$tmp/want3"; then
  ok "python3-rpm on the blobs agrees with rpm -qa"
else
  notok "python3-rpm on the blobs agrees with rpm -qa"
fi

# 1500 synthetic headers more: epochs on every third, three arches, file lists.
big=$tmp/big
mkdir -p "$big/blobs"
cp "$small"/blobs/* "$big/blobs/"
"$py" - "$big/blobs" <<'PY'
import os, rpm, sys
for i in range(7, 1507):
    h = rpm.hdr()
    h[rpm.RPMTAG_NAME] = "synth%04d" % i
    h[rpm.RPMTAG_VERSION] = "1.%d" % (i % 13)
    h[rpm.RPMTAG_RELEASE] = "%d.el8" % (i % 5)
    if i % 3 == 0:
        h[rpm.RPMTAG_EPOCH] = i % 4
    h[rpm.RPMTAG_ARCH] = ["x86_64", "noarch", "i686"][i % 3]
    h[rpm.RPMTAG_OS] = "linux"
    h[rpm.RPMTAG_LICENSE] = "MIT or GPL+"
    if i % 7:
        h[rpm.RPMTAG_SOURCERPM] = "synth-src%d-1.%d-%d.el8.src.rpm" % (i // 10, i % 13, i % 5)
    if i % 11 == 0:
        h[rpm.RPMTAG_VENDOR] = "Vendor %d" % i
    nfiles = max(1, i % 40)
    h[rpm.RPMTAG_DIRNAMES] = ["/usr/share/synth%04d/" % i, "/etc/"]
    h[rpm.RPMTAG_BASENAMES] = ["file-%d" % j for j in range(nfiles)]
    h[rpm.RPMTAG_DIRINDEXES] = [j % 2 for j in range(nfiles)]
    open(os.path.join(sys.argv[1], "%04d" % i), "wb").write(h.unload())
PY

# Berkeley DB of them all, as make.sh writes one.
mkdir -p "$big/bdb-root/var/lib/rpm"
"$py" - "$big/blobs" "$big/bdb.dump" <<'PY'
import os, struct, sys
names = sorted(os.listdir(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    f.write("VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=4096\nHEADER=END\n")
    f.write(" %s\n %s\n" % (struct.pack("<I", 0).hex(), struct.pack("<I", int(names[-1]) + 1).hex()))
    for n in names:
        f.write(" %s\n %s\n" % (struct.pack("<I", int(n)).hex(), open(os.path.join(sys.argv[1], n), "rb").read().hex()))
    f.write("DATA=END\n")
PY
db5.3_load -f "$big/bdb.dump" "$big/bdb-root/var/lib/rpm/Packages"
drydock_list "$big/bdb-root" "$tmp/d4" >"$tmp/got4"
rpm_list "$big/bdb-root" --define '_db_backend bdb_ro' >"$tmp/want4"
compare "Berkeley DB of 1505 packages (rpm -qa with bdb_ro)" "$tmp/want4" "$tmp/got4" "$tmp/d4"

# The same headers added to rpm's own sqlite database.
mkdir -p "$big/sqlite-root/var/lib/rpm"
cp "$small/sqlite-root/var/lib/rpm/rpmdb.sqlite" "$big/sqlite-root/var/lib/rpm/"
"$py" - "$big/sqlite-root/var/lib/rpm/rpmdb.sqlite" "$big/blobs" <<'PY'
import os, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for n in sorted(os.listdir(sys.argv[2])):
    if int(n) > 6:
        db.execute("INSERT INTO Packages VALUES (?, ?)", (int(n), open(os.path.join(sys.argv[2], n), "rb").read()))
db.commit()
db.close()
PY
drydock_list "$big/sqlite-root" "$tmp/d5" >"$tmp/got5"
rpm_list "$big/sqlite-root" >"$tmp/want5"
compare "sqlite of 1505 packages (rpm -qa)" "$tmp/want5" "$tmp/got5" "$tmp/d5"

mkdir -p "$big/ndb-root/usr/lib/sysimage/rpm"
"$py" "$data/mkndb.py" "$big/blobs" "$big/ndb-root/usr/lib/sysimage/rpm/Packages.db"
drydock_list "$big/ndb-root" "$tmp/d6" >"$tmp/got6"
blob_list "$big/blobs" >"$tmp/want6"
compare "ndb of 1505 packages (python3-rpm on the blobs)" "$tmp/want6" "$tmp/got6" "$tmp/d6"

# A Berkeley DB whose first multi-page overflow chain loops back on itself:
# the scan goes on, says which page, and lists the other packages.
cp -r "$small/bdb-root" "$tmp/loop-root"
page=$("$py" - "$tmp/loop-root/var/lib/rpm/Packages" <<'PY'
import struct, sys
path = sys.argv[1]
b = bytearray(open(path, "rb").read())
for pg in range(1, len(b) // 4096):
    at = pg * 4096
    if b[at + 25] == 7 and struct.unpack_from("<I", b, at + 16)[0] != 0:
        struct.pack_into("<I", b, at + 16, pg)
        open(path, "wb").write(b)
        print(pg)
        break
PY
)
drydock_list "$tmp/loop-root" "$tmp/d7" >"$tmp/got7"
if [[ -n $page ]] && grep -q "page $page: overflow chain loops" "$tmp/d7" && [[ $(wc -l <"$tmp/got7") -eq 4 ]]; then
  ok "a looping overflow chain is a diagnostic (page $page), the other 4 packages are listed"
else
  notok "a looping overflow chain is a diagnostic (page ${page:-?}), the other 4 packages are listed"
  sed 's/^/  /' "$tmp/d7" "$tmp/got7" | head
fi

finish
