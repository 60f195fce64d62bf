"""The vulnerability suite (see vuln.sh). Prints "ok - …" / "not ok - …" per
check and ends with "vuln: N passed, N failed[, N skipped]"."""
import functools
import http.server
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import yaml
from packaging.version import InvalidVersion, Version

DRY = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.path.join(ROOT, "..", "shared", "data", "advisories")
FIXTURES = os.path.join(ROOT, "tests", "testdata", "vuln")
# VULN_SUITE_NO_SHARED=1 runs the fixture-only path a fresh clone takes.
HAVE_SHARED = os.path.isdir(SHARED) and os.environ.get("VULN_SUITE_NO_SHARED") != "1"
COUNTS = {"pass": 0, "fail": 0, "skip": 0}


def ok(desc):
    print("ok - " + desc)
    COUNTS["pass"] += 1


def notok(desc, detail=""):
    print("not ok - " + desc)
    for line in str(detail).splitlines()[:25]:
        print("#   " + line)
    COUNTS["fail"] += 1


def skipped(desc):
    print("skip - " + desc)
    COUNTS["skip"] += 1


def check(desc, cond, detail=""):
    (ok(desc) if cond else notok(desc, detail))
    return cond


def finish():
    line = "vuln: %d passed, %d failed" % (COUNTS["pass"], COUNTS["fail"])
    if COUNTS["skip"]:
        line += ", %d skipped" % COUNTS["skip"]
    print(line)
    sys.exit(1 if COUNTS["fail"] else 0)


TMP = tempfile.mkdtemp(prefix="drydock-vuln-")
ENV = {k: v for k, v in os.environ.items() if not k.startswith("DRYDOCK_")}
ENV.update({"XDG_CACHE_HOME": os.path.join(TMP, "cache"), "HOME": os.path.join(TMP, "home")})


def drydock(*args, env=None, timeout=600):
    return subprocess.run([DRY] + list(args), env=env or ENV, cwd=TMP, capture_output=True, text=True,
                          timeout=timeout)


def write(root, rel, text, mode=0o644):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


# ---------------------------------------------------------------- the rootfs
DEB_PACKAGES = [  # (binary, source, binary version, source version)
    ("openssl", "openssl", "1.1.1n-0+deb11u3", None),
    ("libssl1.1", "openssl", "1.1.1n-0+deb11u3", None),
    ("zlib1g", "zlib", "1:1.2.11.dfsg-2+deb11u1", None),
    ("curl", "curl", "7.74.0-1.3+deb11u3", None),
    ("libcurl4", "curl", "7.74.0-1.3+deb11u3", None),
    ("linux-libc-dev", "linux", "5.10.149-2", None),
    ("base-files", "base-files", "11.1+deb11u5", None),
    ("libexpat1", "expat", "2.2.10-2+deb11u4+b1", "2.2.10-2+deb11u4"),
]
PYPI = [("PyYAML", "5.3.1"), ("Jinja2", "2.11.2"), ("urllib3", "1.26.4")]
GEMS = [("rack", "2.2.3"), ("nokogiri", "1.11.1")]
CRATES = [("smallvec", "1.6.0"), ("hyper", "0.14.9")]
NPM = [("lodash", "4.17.15")]
GOMODS = [("golang.org/x/text", "v0.3.5"), ("golang.org/x/net", "v0.0.0-20210226172049-e18ecbb05110")]


def debian_rootfs(root):
    write(root, "etc/os-release", 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nNAME="Debian GNU/Linux"\n'
          'VERSION_ID="11"\nVERSION_CODENAME=bullseye\nID=debian\n')
    stanzas = []
    for name, src, ver, srcver in DEB_PACKAGES:
        source = src if srcver is None else "%s (%s)" % (src, srcver)
        stanzas.append("Package: %s\nStatus: install ok installed\nArchitecture: amd64\nSource: %s\n"
                       "Version: %s\nDescription: test\n" % (name, source, ver))
    write(root, "var/lib/dpkg/status", "\n".join(stanzas))
    for name, ver in PYPI:
        write(root, "usr/lib/python3/dist-packages/%s-%s.dist-info/METADATA" % (name, ver),
              "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, ver))
    write(root, "app/ruby/Gemfile.lock", "GEM\n  remote: https://rubygems.org/\n  specs:\n" +
          "".join("    %s (%s)\n" % g for g in GEMS) + "\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n" +
          "".join("  %s\n" % g[0] for g in GEMS))
    write(root, "app/rust/Cargo.lock", "version = 3\n\n" + "".join(
        '[[package]]\nname = "%s"\nversion = "%s"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n\n'
        % c for c in CRATES))
    lock = {"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
            "packages": {"": {"name": "app", "version": "1.0.0", "dependencies": {n: v for n, v in NPM}}}}
    for n, v in NPM:
        lock["packages"]["node_modules/" + n] = {"version": v, "resolved": "https://example.invalid/%s-%s.tgz" % (n, v)}
    write(root, "app/node/package-lock.json", json.dumps(lock, indent=2))
    write(root, "app/go/go.mod", "module example.com/app\n\ngo 1.19\n\nrequire (\n" +
          "".join("\t%s %s\n" % m for m in GOMODS) + ")\n")


def alpine_rootfs(root):
    write(root, "etc/os-release", 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.11.6\n')
    write(root, "lib/apk/db/installed",
          "P:libssl1.1\nV:1.1.1d-r2\nA:x86_64\no:openssl\nL:OpenSSL\n\n"
          "P:musl\nV:1.1.24-r2\nA:x86_64\no:musl\nL:MIT\n\n")


def scan(target, *extra):
    r = drydock("image", target, "--scanners", "vuln", "--format", "json", "--quiet", *extra)
    if r.returncode != 0:
        return None, r
    return json.loads(r.stdout), r


def vuln_pairs(report):
    """{(package, vulnerability id)} from a JSON report."""
    out = set()
    for f in report["findings"]:
        v = f.get("vulnerability")
        if v:
            out.add((v["package"], v["id"]))
    return out


# ------------------------------------------------------------------ oracles
def dpkg_lt(a, b):
    return subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0


def debian_oracle(release="bullseye"):
    """Expected {(binary, id)} from the DSA/DLA/DTSA lists, compared with dpkg."""
    lists = [os.path.join(SHARED, "debian-security-tracker", "data", d, "list") for d in ("DSA", "DLA", "DTSA")]
    by_source = {}
    for name, src, ver, srcver in DEB_PACKAGES:
        by_source.setdefault(src, []).append((name, srcver or ver))
    want = set()
    for path in lists:
        cves = []
        adv = None
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("["):
                    adv = line.split("]", 1)[1].split()[0]
                    cves = []
                elif line.strip().startswith("{"):
                    cves = [c for c in line.strip().strip("{}").split() if c.startswith("CVE-")]
                elif line.strip().startswith("[" + release + "]"):
                    parts = line.split("]", 1)[1].split()
                    if len(parts) < 3 or parts[0] != "-" or parts[1] not in by_source:
                        continue
                    fixed = parts[2]
                    for binary, installed in by_source[parts[1]]:
                        if parts[1] == "linux":
                            continue  # no kernel in this image: kernel CVEs are not reported
                        if fixed.startswith("<"):
                            if fixed in ("<not-affected>", "<ignored>"):
                                continue
                        elif not dpkg_lt(installed, fixed):
                            continue
                        for i in (cves or [adv]):
                            want.add((binary, i))
    return want


def osv_affected(entry, version):
    v = Version(version)
    if version in entry.get("versions", []):
        return True
    for r in entry.get("ranges", []):
        if r.get("type") not in ("ECOSYSTEM", "SEMVER"):
            continue
        lo = None
        for e in r.get("events", []):
            try:
                if "introduced" in e:
                    lo = Version("0") if e["introduced"] == "0" else Version(e["introduced"])
                elif "fixed" in e and lo is not None:
                    if lo <= v < Version(e["fixed"]):
                        return True
                    lo = None
                elif "last_affected" in e and lo is not None:
                    if lo <= v <= Version(e["last_affected"]):
                        return True
                    lo = None
            except InvalidVersion:
                lo = None
        if lo is not None and v >= lo:
            return True
    return False


def report_ids(adv_id, aliases):
    if adv_id.startswith("CVE-"):
        return [adv_id]
    cves = [a for a in aliases if a.startswith("CVE-")]
    return cves or [adv_id]


def pypi_oracle():
    want = set()
    for name, ver in PYPI:
        d = os.path.join(SHARED, "pypa-advisory-database", "vulns", name.lower())
        if not os.path.isdir(d):
            continue
        for fn in sorted(os.listdir(d)):
            with open(os.path.join(d, fn)) as f:
                doc = yaml.safe_load(f)
            if doc.get("withdrawn"):
                continue
            for a in doc.get("affected", []):
                if a["package"]["name"].lower() == name.lower() and osv_affected(a, ver):
                    for i in report_ids(doc["id"], doc.get("aliases") or []):
                        want.add((name, i))
    return want


# ------------------------------------------------------------------- stages
def stage_import():
    if HAVE_SHARED:
        srcs = sorted(os.path.join(SHARED, d) for d in os.listdir(SHARED) if os.path.isdir(os.path.join(SHARED, d)))
    else:
        srcs = sorted(os.path.join(FIXTURES, d) for d in os.listdir(FIXTURES)
                      if os.path.isdir(os.path.join(FIXTURES, d)))
    t0 = time.monotonic()
    r = drydock("db", "import", *srcs, timeout=1200)
    secs = time.monotonic() - t0
    if not check("db import of %d sources (%s) exits 0 in %.1f s" % (
            len(srcs), "../shared advisories" if HAVE_SHARED else "in-repo fixtures", secs),
            r.returncode == 0, r.stderr + r.stdout):
        finish()
    print(r.stdout, end="")
    st = drydock("db", "status")
    check("db status exits 0 and lists sources", st.returncode == 0 and "SOURCE" in st.stdout, st.stderr)
    print(st.stdout, end="")
    rows = {}
    for line in st.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[1].isdigit():
            rows[parts[0]] = int(parts[1])
    if HAVE_SHARED:
        # ../shared/data/advisories/PROVENANCE.md gives these counts.
        for source, least in (("osv-pypa", 2600), ("go-vulndb", 4200), ("rustsec", 1150), ("nodejs-npm", 460),
                              ("rubysec", 1300), ("debian-dsa", 5000), ("debian-dla", 3400), ("debian-dtsa", 200),
                              ("osv-almalinux", 2400), ("alpine-secdb", 100), ("wolfi", 1000)):
            n = rows.get(source, 0)
            check("source %s imported with >= %d advisories (%d)" % (source, least, n), n >= least, st.stdout)
    return rows


def stage_scans():
    deb = os.path.join(TMP, "rootfs-debian")
    debian_rootfs(deb)
    report, r = scan("dir:" + deb)
    if not check("scan of the Debian 11 rootfs exits 0", report is not None, r.stderr):
        return
    got = vuln_pairs(report)
    debs = {d[0] for d in DEB_PACKAGES}
    got_deb = {p for p in got if p[0] in debs}
    if HAVE_SHARED:
        want = debian_oracle()
        check("Debian findings equal the dpkg --compare-versions oracle over DSA/DLA/DTSA (%d pairs)" % len(want),
              got_deb == want and len(want) > 0,
              "missing: %s\nextra: %s" % (sorted(want - got_deb)[:15], sorted(got_deb - want)[:15]))
        want_py = pypi_oracle()
        got_py = {p for p in got if p[0] in {n for n, _ in PYPI}}
        check("PyPI findings equal the python3-packaging oracle over the PyPA advisories (%d pairs)" % len(want_py),
              got_py == want_py and len(want_py) > 0,
              "missing: %s\nextra: %s" % (sorted(want_py - got_py)[:15], sorted(got_py - want_py)[:15]))
        ids = {i for _, i in got}
        aliases = set()
        for f in report["findings"]:
            v = f.get("vulnerability") or {}
            aliases.update(v.get("aliases", []))
            aliases.add(v.get("id"))
        for pkg, known in (("smallvec", "RUSTSEC-2021-0003"), ("golang.org/x/text", "GO-2021-0113"),
                           ("rack", "CVE-2022-30122"), ("lodash", None), ("nokogiri", None), ("hyper", None),
                           ("golang.org/x/net", None)):
            have = [i for p, i in got if p == pkg]
            if known:
                check("%s: known advisory %s reported (as id or alias)" % (pkg, known), known in aliases and have,
                      sorted(have))
            else:
                check("%s: at least one advisory reported" % pkg, bool(have), sorted(ids)[:10])
        check("no findings for linux-libc-dev (no kernel in the image)",
              not any(p == "linux-libc-dev" for p, _ in got))
        check("no findings for base-files", not any(p == "base-files" for p, _ in got))
        fixed = [f for f in report["findings"] if f.get("vulnerability", {}).get("package") == "libssl1.1"]
        check("libssl1.1 findings carry fixed version 1.1.1n-0+deb11u4 and status fixed",
              fixed and all(f["vulnerability"]["fixed_versions"] == ["1.1.1n-0+deb11u4"] and
                            f["vulnerability"]["status"] == "fixed" for f in fixed),
              json.dumps(fixed[:1], indent=1))
        cvss = [f for f in report["findings"] if f.get("vulnerability", {}).get("cvss")]
        check("some findings carry CVSS base scores computed from vectors", bool(cvss))
        check("every finding has a severity source or is UNKNOWN",
              all(f["severity"] == "UNKNOWN" or f["vulnerability"].get("severity_source")
                  for f in report["findings"] if f.get("vulnerability")))
    else:
        # The in-repo fixtures hold DSA-5343-1 (openssl, bullseye) and the tracker's CVE-2023-0286.
        check("the Debian rootfs gets CVE-2023-0286 on openssl and libssl1.1 from the fixtures",
              {("openssl", "CVE-2023-0286"), ("libssl1.1", "CVE-2023-0286")} <= got, sorted(got)[:20])

    alp = os.path.join(TMP, "rootfs-alpine")
    alpine_rootfs(alp)
    report, r = scan("dir:" + alp)
    if check("scan of the Alpine 3.11 rootfs exits 0", report is not None, r.stderr):
        pairs = vuln_pairs(report)
        if HAVE_SHARED:
            check("Alpine: libssl1.1 1.1.1d-r2 has CVE-2019-1551 (fixed 1.1.1d-r3)", ("libssl1.1", "CVE-2019-1551") in pairs,
                  sorted(pairs))
            check("Alpine: CVE-2019-1547 (fixed 1.1.1d-r1) is not reported", ("libssl1.1", "CVE-2019-1547") not in pairs)

    # Gates, formats.
    r = drydock("image", "dir:" + deb, "--scanners", "vuln", "--severity", "HIGH,CRITICAL", "--exit-code", "3", "-q")
    check("--severity HIGH,CRITICAL --exit-code 3 exits 3 on the Debian rootfs", r.returncode == 3, r.stderr)
    clean = os.path.join(TMP, "rootfs-clean")
    write(clean, "etc/os-release", "ID=debian\nVERSION_ID=\"11\"\n")
    write(clean, "var/lib/dpkg/status", "Package: base-files\nStatus: install ok installed\nVersion: 11.1+deb11u5\n"
          "Architecture: amd64\n")
    r = drydock("image", "dir:" + clean, "--scanners", "vuln", "--exit-code", "3", "-q")
    check("a clean rootfs exits 0 with --exit-code 3", r.returncode == 0, r.stderr + r.stdout)
    for fmt, validator in (("sarif", "validate_sarif.sh"), ("cyclonedx", "validate_sbom.sh")):
        out = os.path.join(TMP, "report." + fmt)
        r = drydock("image", "dir:" + deb, "--scanners", "vuln", "--format", fmt, "-o", out, "-q")
        v = subprocess.run(["bash", os.path.join(ROOT, "tests", validator), out], capture_output=True, text=True)
        check("--format %s with vulnerabilities validates against its schema" % fmt,
              r.returncode == 0 and v.returncode in (0, 77), r.stderr + v.stdout + v.stderr)
    with open(os.path.join(TMP, "report.cyclonedx")) as f:
        bom = json.load(f)
    check("CycloneDX lists the vulnerabilities, each affecting a component",
          bom.get("vulnerabilities") and all(v["affects"][0]["ref"] in {c["bom-ref"] for c in bom["components"]}
                                             for v in bom["vulnerabilities"]))
    r = drydock("image", "dir:" + deb, "--format", "json", "-q")
    report = json.loads(r.stdout) if r.returncode == 0 else {}
    check("the default scanners (no --scanners) include vuln once a database exists",
          r.returncode == 0 and vuln_pairs(report) and vuln_pairs(report) == vuln_pairs(scan("dir:" + deb)[0] or
                                                                                    {"findings": []}), r.stderr)
    r = drydock("image", "dir:" + deb, "--scanners", "vuln", "-q")
    check("table output has the vulnerability columns", r.returncode == 0 and "INSTALLED" in r.stdout and
          "FIXED" in r.stdout, r.stderr)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_tree():
    """Downloadable copies of the fixtures, named as upstream names them:
    an OSV all.zip per ecosystem, the tracker's export as .../json, a tar.gz."""
    import zipfile
    serve = os.path.join(TMP, "serve")
    os.makedirs(os.path.join(serve, "go"))
    os.makedirs(os.path.join(serve, "tracker", "data"))
    osv = os.path.join(FIXTURES, "osv")
    with zipfile.ZipFile(os.path.join(serve, "go", "all.zip"), "w") as z:
        for fn in sorted(os.listdir(osv)):
            if fn.startswith("GO-"):
                z.write(os.path.join(osv, fn), fn)
    shutil.copy(os.path.join(FIXTURES, "debian-json", "tracker.json"), os.path.join(serve, "tracker", "data", "json"))
    shutil.copy(os.path.join(osv, "almalinux-sample.tar.gz"), serve)
    return serve, ["go/all.zip", "tracker/data/json", "almalinux-sample.tar.gz"]


def stage_update():
    serve, names = serve_tree()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=serve))
    port = httpd.server_address[1]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        cache = os.path.join(TMP, "update-cache")
        cfg = os.path.join(TMP, "drydock-update.yaml")
        with open(cfg, "w") as f:
            f.write("cache-dir: %s\ndb:\n  max-age: 1d\n  sources:\n" % cache)
            for n in names:
                f.write("    - url: http://127.0.0.1:%d/%s\n" % (port, n))
        r = drydock("--config", cfg, "db", "update")
        check("db update from a loopback HTTP server (%d sources) exits 0" % len(names), r.returncode == 0,
              r.stderr + r.stdout)
        st = drydock("--config", cfg, "db", "status")
        check("db status after update names the URLs it came from and has the tracker and OSV sources",
              st.returncode == 0 and ("http://127.0.0.1:%d/" % port) in st.stdout and
              "debian-tracker-json" in st.stdout and "osv-almalinux" in st.stdout, st.stdout + st.stderr)
        deb = os.path.join(TMP, "rootfs-debian")
        r = drydock("--config", cfg, "image", "dir:" + deb, "--scanners", "vuln", "--format", "json", "-q")
        hit = [f for f in json.loads(r.stdout)["findings"] if f["rule_id"] == "CVE-2023-0286" and
               f["vulnerability"]["package"] in ("openssl", "libssl1.1")] if r.returncode == 0 else []
        check("after update, openssl 1.1.1n-0+deb11u3 has CVE-2023-0286 rated HIGH by the tracker's urgency",
              len(hit) == 2 and all(f["severity"] == "HIGH" and f["vulnerability"]["severity_source"] == "distro"
                                    for f in hit), r.stderr + json.dumps(hit[:1], indent=1))
        before = st.stdout.split("advisories:")[1].split()[0] if "advisories:" in st.stdout else ""
        with open(cfg, "a") as f:
            f.write("    - url: http://127.0.0.1:%d/missing.zip\n" % port)
        r = drydock("--config", cfg, "db", "update", "-q")
        check("db update with a 404 source exits 2 with one line naming the URL",
              r.returncode == 2 and "missing.zip" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr)
        st = drydock("--config", cfg, "db", "status")
        after = st.stdout.split("advisories:")[1].split()[0] if "advisories:" in st.stdout else "?"
        check("the failed update left the database as it was (%s advisories)" % before, before == after and before,
              st.stdout)
        leftovers = [f for f in os.listdir(os.path.join(cache, "db")) if f != "drydock.db"]
        check("no temp files or downloads left in the cache", not leftovers, leftovers)
        old = os.path.join(TMP, "old-config.yaml")
        with open(old, "w") as f:
            f.write("cache-dir: %s\ndb:\n  max-age: 1s\n" % cache)
        time.sleep(2)
        r = drydock("--config", old, "image", "dir:" + deb, "--scanners", "vuln", "--format", "json", "-o",
                    os.path.join(TMP, "x.json"))
        check("a database older than db.max-age gets a one-line warning on stderr",
              r.returncode == 0 and "days old" in r.stderr and "db update" in r.stderr, r.stderr)
    finally:
        httpd.shutdown()


def stage_kill9():
    cache = os.path.join(TMP, "kill-cache")
    env = dict(ENV, DRYDOCK_CACHE_DIR=cache)
    small = [os.path.join(FIXTURES, d) for d in sorted(os.listdir(FIXTURES)) if os.path.isdir(os.path.join(FIXTURES, d))]
    big = [os.path.join(SHARED, "go-vulndb")] if HAVE_SHARED else small
    r = drydock("db", "import", *small, env=env)
    if not check("kill -9: a first database is built", r.returncode == 0, r.stderr):
        return

    def count():
        st = drydock("db", "status", env=env)
        return st.stdout.split("advisories:")[1].split()[0] if st.returncode == 0 else None

    old = count()
    t0 = time.monotonic()
    r = drydock("db", "import", *big, env=env)
    full = time.monotonic() - t0
    new = count()
    r = drydock("db", "import", *small, env=env)  # back to the old content
    seed = int(os.environ.get("DRYDOCK_TEST_SEED", "5"))
    print("# seed %d (DRYDOCK_TEST_SEED): the kill moments" % seed)
    rng = random.Random(seed)
    seen = []
    for i in range(8):
        p = subprocess.Popen([DRY, "db", "import", *big], env=env, cwd=TMP, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, full * 1.3))
        p.send_signal(signal.SIGKILL)
        p.wait()
        seen.append(count())
    check("kill -9 at 8 random moments of a %.1f s import: the database always opens, holding the old (%s) "
          "or the new (%s) content: %s" % (full, old, new, seen), all(c in (old, new) for c in seen), seen)
    r = drydock("db", "import", *small, env=env)
    leftovers = [f for f in os.listdir(os.path.join(cache, "db")) if f != "drydock.db"]
    check("the next import removes the temp files killed builds left", r.returncode == 0 and not leftovers, leftovers)


def main():
    if not os.access(DRY, os.X_OK):
        print("skipped: no drydock binary at " + DRY)
        return 0
    try:
        r = drydock("image", "dir:" + TMP, "--scanners", "vuln")
        check("a vuln scan without a database exits 2 with one line saying to import or update",
              r.returncode == 2 and "db import" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr)
        r = drydock("image", "dir:" + TMP, "--format", "json")
        err = r.stderr.strip().splitlines()
        check("the default scanners without a database: exit 0 and one warning that vulnerabilities are skipped",
              r.returncode == 0 and len(err) == 1 and "no vulnerability database" in err[0] and
              "vulnerabilities skipped" in err[0] and "db update" in err[0], r.stderr)
        stage_import()
        stage_scans()
        stage_update()
        stage_kill9()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    finish()


if __name__ == "__main__":
    main()
