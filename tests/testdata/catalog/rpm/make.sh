#!/usr/bin/env bash
# Builds real rpm databases of a few tiny packages, in all three formats:
#   make.sh OUTDIR          OUTDIR/{sqlite,ndb,bdb}-root/ root filesystems and
#                           OUTDIR/expected.tsv (what `rpm -qa` says), OUTDIR/rpms/
#   make.sh --testdata      also refreshes the small committed copies beside
#                           this script (see PROVENANCE.md)
# Needs rpm (rpmbuild, rpm), python3 and db5.3-util. The sqlite database is
# written by rpm itself; the Berkeley DB one by db5.3_load from the same header
# blobs (and read back by rpm's own bdb_ro backend as a check); Debian's rpm
# has no ndb backend, so mkndb.py writes Packages.db from the format in rpm's
# lib/backend/ndb/rpmpkg.c.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3

refresh=0
if [[ ${1:-} == --testdata ]]; then
  refresh=1
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
else
  out=${1:?usage: make.sh OUTDIR | --testdata}
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
specs=$out/specs top=$out/top
mkdir -p "$specs" "$top"

# hello: no epoch, noarch, MIT.
cat >"$specs/hello.spec" <<'SPEC'
Name: hello
Version: 1.0
Release: 1
Summary: says hello
License: MIT
BuildArch: noarch
%description
A test package.
%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/doc/hello
echo '#!/bin/sh' > %{buildroot}/usr/bin/hello
echo hi > %{buildroot}/usr/share/doc/hello/README
%files
%attr(0755,root,root) /usr/bin/hello
%dir /usr/share/doc/hello
/usr/share/doc/hello/README
SPEC

# libfoo: epoch 2, x86_64, an SPDX expression, a vendor, and a subpackage
# whose source rpm is libfoo's.
cat >"$specs/libfoo.spec" <<'SPEC'
Name: libfoo
Epoch: 2
Version: 3.4.5
Release: 6.el9
Summary: a library
License: GPL-2.0-or-later AND MIT
Vendor: Drydock Tests
%description
A test library.
%package devel
Summary: headers
License: MIT
%description devel
Headers.
%install
mkdir -p %{buildroot}/usr/lib64 %{buildroot}/etc %{buildroot}/usr/include
echo lib > %{buildroot}/usr/lib64/libfoo.so.3
ln -s libfoo.so.3 %{buildroot}/usr/lib64/libfoo.so
echo conf > %{buildroot}/etc/foo.conf
echo '#define FOO 1' > %{buildroot}/usr/include/foo.h
%files
/usr/lib64/libfoo.so.3
%config(noreplace) /etc/foo.conf
%files devel
/usr/lib64/libfoo.so
/usr/include/foo.h
SPEC

# zepoch: an explicit Epoch 0 (which is not the same as no epoch).
cat >"$specs/zepoch.spec" <<'SPEC'
Name: zepoch
Epoch: 0
Version: 0.9
Release: 2
Summary: epoch zero
License: BSD-3-Clause
BuildArch: noarch
%description
A test package.
%install
mkdir -p %{buildroot}/usr/share/zepoch
echo data > %{buildroot}/usr/share/zepoch/data.txt
%files
/usr/share/zepoch/data.txt
SPEC

# manyfiles: a header larger than one 4 KiB page, so the Berkeley DB value
# spans a chain of overflow pages.
cat >"$specs/manyfiles.spec" <<'SPEC'
Name: manyfiles
Version: 2024.1
Release: 3
Summary: lots of files
License: Apache-2.0
BuildArch: noarch
%description
A test package.
%install
for d in alpha beta; do
  mkdir -p %{buildroot}/usr/share/manyfiles/$d
  for i in $(seq 1 30); do echo $i > %{buildroot}/usr/share/manyfiles/$d/file-number-$i.txt; done
done
%files
/usr/share/manyfiles
SPEC

for s in "$specs"/*.spec; do
  rpmbuild -bb --target x86_64 --define "_topdir $top" --define '_build_id_links none' \
    --define '_buildhost drydock.test' --define 'source_date_epoch_from_changelog 0' \
    --define 'use_source_date_epoch_as_buildtime 1' "$s" >"$out/rpmbuild.log" 2>&1 ||
    { cat "$out/rpmbuild.log" >&2; exit 1; }
done
mkdir -p "$out/rpms"
find "$top/RPMS" -name '*.rpm' -exec cp {} "$out/rpms/" \;

# sqlite: rpm's own database, with the test key imported (a gpg-pubkey
# pseudo-package, which is not a package).
sq=$out/sqlite-root
rm -rf "$sq"
mkdir -p "$sq"
rpm --root "$sq" --dbpath /var/lib/rpm --initdb
rpm --root "$sq" --dbpath /var/lib/rpm -i --justdb --nodeps --noscripts --ignorearch --ignoreos \
  "$out"/rpms/*.rpm 2>/dev/null
rpm --root "$sq" --dbpath /var/lib/rpm --import "$here/test-pubkey.asc"
rm -f "$sq/var/lib/rpm/.rpm.lock"

qf='%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\t%{LICENSE}\t%{VENDOR}\n'
rpm --root "$sq" --dbpath /var/lib/rpm -qa --qf "$qf" | LC_ALL=C sort >"$out/expected.tsv"

# The header blobs, in header-number order.
$py - "$sq/var/lib/rpm/rpmdb.sqlite" "$out/blobs" <<'PY'
import os, sqlite3, sys
db, outdir = sys.argv[1], sys.argv[2]
os.makedirs(outdir, exist_ok=True)
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
for hnum, blob in con.execute("SELECT hnum, blob FROM Packages ORDER BY hnum"):
    with open(os.path.join(outdir, "%04d" % hnum), "wb") as f:
        f.write(blob)
PY

# ndb (SUSE; /usr/lib/sysimage/rpm as openSUSE and Fedora >= 36 keep it).
nd=$out/ndb-root
rm -rf "$nd"
mkdir -p "$nd/usr/lib/sysimage/rpm"
$py "$here/mkndb.py" "$out/blobs" "$nd/usr/lib/sysimage/rpm/Packages.db"

# Berkeley DB hash, as rpm < 4.16 wrote it: key = header number (host
# order), value = header blob; key 0 holds the next free header number.
bd=$out/bdb-root
rm -rf "$bd"
mkdir -p "$bd/var/lib/rpm"
$py - "$out/blobs" "$out/bdb.dump" <<'PY'
import os, struct, sys
blobs, dump = sys.argv[1], sys.argv[2]
names = sorted(os.listdir(blobs))
with open(dump, "w") as f:
    f.write("VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=4096\nHEADER=END\n")
    f.write(" " + struct.pack("<I", 0).hex() + "\n")
    f.write(" " + struct.pack("<I", int(names[-1]) + 1).hex() + "\n")
    for n in names:
        f.write(" " + struct.pack("<I", int(n)).hex() + "\n")
        f.write(" " + open(os.path.join(blobs, n), "rb").read().hex() + "\n")
    f.write("DATA=END\n")
PY
db5.3_load -f "$out/bdb.dump" "$bd/var/lib/rpm/Packages"
# rpm's read-only Berkeley DB backend must agree with the sqlite listing.
rpm --root "$bd" --dbpath /var/lib/rpm --define '_db_backend bdb_ro' -qa --qf "$qf" 2>/dev/null |
  LC_ALL=C sort >"$out/bdb-check.tsv"
cmp -s "$out/expected.tsv" "$out/bdb-check.tsv" || { echo "make.sh: rpm reads the bdb differently" >&2; exit 1; }

if (( refresh )); then
  cp "$nd/usr/lib/sysimage/rpm/Packages.db" "$here/Packages.db"
  cp "$bd/var/lib/rpm/Packages" "$here/Packages"
  cp "$out/expected.tsv" "$here/expected.tsv"
  # A small sqlite copy with rpm's Packages table only (rpm's own file
  # carries a dozen index tables and is 200 KiB), in WAL mode as rpm
  # leaves it.
  rm -f "$here/rpmdb.sqlite"
  $py - "$sq/var/lib/rpm/rpmdb.sqlite" "$here/rpmdb.sqlite" <<'PY'
import sqlite3, sys
src = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
dst = sqlite3.connect(sys.argv[2])
dst.execute("PRAGMA page_size=1024")
dst.execute("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)")
dst.executemany("INSERT INTO Packages VALUES (?, ?)", src.execute("SELECT hnum, blob FROM Packages"))
dst.commit()
dst.execute("PRAGMA journal_mode=WAL")
dst.close()
PY
  rm -f "$here/rpmdb.sqlite-wal" "$here/rpmdb.sqlite-shm"
  ls -l "$here"
fi
