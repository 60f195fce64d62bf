"""Hostile inputs for the vulnerability database: `db import` of malformed,
oversized and malicious advisory files, and scans against a corrupt
database. Loaded by make_corpus.py (build(c), c = that module)."""
import io
import os
import tarfile
import zipfile


def build(c):
    w = c.write_file
    cache = os.path.join(c.OUT, "vuln_cache_garbage", "db")
    os.makedirs(cache)
    with open(os.path.join(cache, "drydock.db"), "wb") as f:
        f.write(b"\x00garbage that is not a database\n" * 100)
    rootfs = c.write_dir("vuln_rootfs", [("etc/os-release", b"ID=debian\nVERSION_ID=11\n"),
                                         ("var/lib/dpkg/status",
                                          b"Package: zlib1g\nStatus: install ok installed\nSource: zlib\n"
                                          b"Version: 1:1.2.11.dfsg-2\nArchitecture: amd64\n")])
    c.case("vuln_scan_garbage_database", "dir:" + rootfs, exit=(2,), stderr=r"drydock\.db",
           args=["--scanners", "vuln", "--cache-dir", os.path.dirname(cache)],
           why="a vulnerability database that is not SQLite: one line naming the file")
    cache2 = os.path.join(c.OUT, "vuln_cache_sqlite_garbage", "db")
    os.makedirs(cache2)
    with open(os.path.join(cache2, "drydock.db"), "wb") as f:
        f.write(b"SQLite format 3\x00" + bytes(c.RNG.getrandbits(8) for _ in range(16384)))
    c.case("vuln_scan_sqlite_garbage_database", "dir:" + rootfs, exit=(2,), stderr=r"drydock\.db|database",
           args=["--scanners", "vuln", "--cache-dir", os.path.dirname(cache2)],
           why="an SQLite magic followed by garbage pages")

    def imp(name, target, exit=(0, 2), stderr=r".", why=""):
        c.case(name, target, exit=exit, stderr=stderr, command="db import", flags=["--quiet"], why=why)

    imp("vuln_import_not_a_source", w("vuln_random.bin", bytes(c.RNG.getrandbits(8) for _ in range(4096))),
        exit=(2,), stderr=r"not a known advisory source", why="a file no importer knows")
    d = c.write_dir("vuln_osv_garbage", [("GHSA-1.json", b'{"id": "GHSA-1", "affected": [' + b"[" * 100000),
                                         ("GHSA-2.json", b'{"id": 7, "affected": {"x": null}}'),
                                         ("GHSA-3.json", b"\xff\xfe not json"),
                                         ("PYSEC-1.yaml", b"id: PYSEC-1\naffected: [[[[[\n")])
    imp("vuln_import_osv_garbage", d, why="malformed OSV JSON and YAML: warnings, the rest imported")
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("GHSA-big.json", b'{"id": "GHSA-big", "details": "' + b"A" * (300 << 20) + b'"}')
    imp("vuln_import_zip_bomb", w("vuln_bomb.zip", z.getvalue()),
        why="a 300 MiB advisory deflated to a few hundred KiB inside an OSV zip")
    t = io.BytesIO()
    with tarfile.open(fileobj=t, mode="w:gz") as tf:
        data = b'{"id": "ALSA-1", "affected": []}'
        for name in ("../../escape.json", "/abs/escape.json", "advisories/almalinux9/ALSA-1.json"):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    imp("vuln_import_tar_traversal", w("vuln_traversal.tar.gz", t.getvalue()),
        why="member names that climb out: nothing is extracted, nothing written")
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
        b"%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n" % ((bytes([98 + i]),) * 2 + (bytes([97 + i]),) * 9)
        for i in range(9))
    wd = c.write_dir("vuln_wolfi_bomb", [("x.advisories.yaml", b"package:\n  name: x\n" + bomb + b"advisories: []\n")])
    imp("vuln_import_yaml_alias_bomb", wd, why="billion laughs in a Wolfi advisories file")
    dl = c.write_dir("vuln_debian_junk", [("data/DSA/list", b"\t[bullseye] - pkg 1.0\n" * 500000 +
                                             b"[01 Jan 2023] DSA-1 x - y\n\t{" + b"CVE-1 " * 100000 + b"}\n")])
    imp("vuln_import_debian_list_junk", os.path.join(dl, "data", "DSA", "list"),
        why="half a million release lines before any header, then a 600 KB CVE line")
    loop = os.path.join(c.OUT, "vuln_symlink_loop")
    os.makedirs(os.path.join(loop, "vulns"))
    os.symlink("..", os.path.join(loop, "vulns", "up"))
    with open(os.path.join(loop, "vulns", "GHSA-x.json"), "w") as f:
        f.write('{"id": "GHSA-x", "affected": [{"package": {"ecosystem": "npm", "name": "x"}, "versions": ["1"]}]}')
    imp("vuln_import_symlink_loop", loop, why="a directory symlink pointing up: no endless walk")
