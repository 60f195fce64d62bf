#!/usr/bin/python3
"""Catalog cases modelled on Syft's cataloger tests: for each, a small rootfs
written here (never copied from Syft: the files are written from the formats'
documentation, with the package sets Syft's tests expect) and the purls a
correct cataloger reports. Used by inventory_formats.sh.

    syft_expectations.py build DIR        writes DIR/<case>/rootfs and DIR/<case>/want
    syft_expectations.py score DIR CASE SBOM
        compares a CycloneDX SBOM of DIR/CASE/rootfs with DIR/CASE/want and
        prints "CASE expected=N found=N extra=N" (+ the misses and extras)
    syft_expectations.py formats          the formats the cases cover, one a line

Jars are built here with zipfile (fixed timestamps), so nothing binary is
stored in the repository.
"""

import io
import json
import os
import sys
import zipfile

OPENWRT = 'ID="openwrt"\nVERSION_ID="23.05.3"\nPRETTY_NAME="OpenWrt 23.05.3"\n'
MARINER = 'ID=mariner\nVERSION_ID="2.0"\nPRETTY_NAME="CBL-Mariner/Linux"\n'
DEBIAN = 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'


def jar(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def manifest(attrs):
    return "Manifest-Version: 1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in attrs) + "\r\n"


def pom_xml(g, a, v, parent=None):
    par = ""
    if parent:
        par = f"<parent><groupId>{parent[0]}</groupId><artifactId>{parent[1]}</artifactId><version>{parent[2]}</version></parent>"
    gid = f"<groupId>{g}</groupId>" if g else ""
    ver = f"<version>{v}</version>" if v else ""
    return f'<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">{par}{gid}<artifactId>{a}</artifactId>{ver}</project>\n'


# Each case: name, formats it covers, files (path -> str|bytes), wanted purls.
CASES = []


def case(name, fmt, files, want):
    CASES.append((name, fmt, files, sorted(want)))


# --- OS databases -------------------------------------------------------------

case("dpkg-distroless", "dpkg status.d", {
    "etc/os-release": DEBIAN,
    # Syft: image-distroless-deb: one stanza file, its md5sums and a preinst.
    "var/lib/dpkg/status.d/libsqlite3-0": "Package: libsqlite3-0\nVersion: 3.40.1-2\nArchitecture: amd64\n"
    "Source: sqlite3\nMaintainer: x\nInstalled-Size: 1\nDescription: SQLite 3 shared library\n",
    "var/lib/dpkg/status.d/libsqlite3-0.md5sums": "0123456789abcdef0123456789abcdef  usr/lib/x86_64-linux-gnu/libsqlite3.so.0\n",
    "var/lib/dpkg/status.d/libsqlite3-0.preinst": "#!/bin/sh\nset -e\n# Package: not-a-package\nexit 0\n",
}, ["pkg:deb/debian/libsqlite3-0@3.40.1-2?arch=amd64&distro=debian-12&upstream=sqlite3"])

case("opkg-status", "opkg status", {
    "etc/os-release": OPENWRT,
    # Syft: debian/testdata/var/lib/opkg/status (dropbear, busybox, kernel-modules).
    "usr/lib/opkg/status": "Package: dropbear\nVersion: 2024.85-r0\nDepends: libc, zlib\nStatus: install user installed\n"
    "Architecture: x86_64\nInstalled-Time: 1714492800\nLicense: MIT\n\n"
    "Package: busybox\nVersion: 1.36.1-r3\nDepends: libc\nStatus: install user installed\nArchitecture: x86_64\n"
    "License: GPL-2.0-only\n\n"
    "Package: kernel-modules\nVersion: 6.6.0-r0\nStatus: install user installed\nArchitecture: x86_64\n",
}, ["pkg:deb/openwrt/dropbear@2024.85-r0?arch=x86_64&distro=openwrt-23.05.3",
    "pkg:deb/openwrt/busybox@1.36.1-r3?arch=x86_64&distro=openwrt-23.05.3",
    "pkg:deb/openwrt/kernel-modules@6.6.0-r0?arch=x86_64&distro=openwrt-23.05.3"])

case("rpm-container-manifest", "rpm container manifest", {
    "etc/os-release": MARINER,
    # Syft: redhat/testdata/container-manifest-2 (the same five packages).
    "var/lib/rpmmanifest/container-manifest-2": "".join(
        "\t".join(cols) + "\n" for cols in [
            ["mariner-release", "2.0-12.cm2", "1653816591", "1653753130", "Microsoft Corporation", "(none)", "580", "noarch", "0", "mariner-release-2.0-12.cm2.src.rpm"],
            ["filesystem", "1.1-9.cm2", "1653816591", "1653628924", "Microsoft Corporation", "(none)", "7596", "x86_64", "0", "filesystem-1.1-9.cm2.src.rpm"],
            ["glibc", "2.35-2.cm2", "1653816591", "1653628955", "Microsoft Corporation", "(none)", "10855265", "x86_64", "0", "glibc-2.35-2.cm2.src.rpm"],
            ["openssl-libs", "1.1.1k-15.cm2", "1653816591", "1653631609", "Microsoft Corporation", "(none)", "4365048", "x86_64", "0", "openssl-1.1.1k-15.cm2.src.rpm"],
            ["vim", "9.0-1.cm2", "1653816591", "1653753130", "Microsoft Corporation", "2", "45000", "x86_64", "2", "vim-9.0-1.cm2.src.rpm"],
        ]),
}, ["pkg:rpm/mariner/mariner-release@2.0-12.cm2?arch=noarch&distro=mariner-2.0",
    "pkg:rpm/mariner/filesystem@1.1-9.cm2?arch=x86_64&distro=mariner-2.0",
    "pkg:rpm/mariner/glibc@2.35-2.cm2?arch=x86_64&distro=mariner-2.0",
    "pkg:rpm/mariner/openssl-libs@1.1.1k-15.cm2?arch=x86_64&distro=mariner-2.0&upstream=openssl",
    "pkg:rpm/mariner/vim@9.0-1.cm2?arch=x86_64&distro=mariner-2.0&epoch=2"])

# --- Python ---------------------------------------------------------------------

case("python-egg-info-case", "python installed (*.dist-info, *.egg-info)", {
    "usr/lib/python3/site-packages/Upper-1.0.DIST-INFO/METADATA": "Metadata-Version: 2.1\nName: Upper\nVersion: 1.0\n",
    "usr/lib/python3/site-packages/Shout-2.0.EGG-INFO/PKG-INFO": "Metadata-Version: 1.1\nName: Shout\nVersion: 2.0\n",
    "usr/lib/python3/site-packages/requests-2.31.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n",
    # Syft excludes CPython's own metadata (python package cataloger tests).
    "usr/local/lib/python2.7/lib-dynload/Python-2.7.egg-info": "Metadata-Version: 1.0\nName: Python\nVersion: 2.7.18\n",
}, ["pkg:pypi/upper@1.0", "pkg:pypi/shout@2.0", "pkg:pypi/requests@2.31.0"])

case("uv-lock", "uv.lock", {
    # Syft: python/testdata/uv/simple-deps (the project and its four requests deps).
    "app/uv.lock": 'version = 1\nrequires-python = ">=3.11"\n\n'
    + "".join(f'[[package]]\nname = "{n}"\nversion = "{v}"\nsource = {{ registry = "https://pypi.org/simple" }}\n\n'
              for n, v in [("certifi", "2025.1.31"), ("charset-normalizer", "3.4.1"), ("idna", "3.10"),
                           ("requests", "2.32.3"), ("urllib3", "2.3.0")])
    + '[[package]]\nname = "simple-deps"\nversion = "0.1.0"\nsource = { virtual = "." }\ndependencies = [\n    { name = "requests" },\n]\n',
}, ["pkg:pypi/certifi@2025.1.31", "pkg:pypi/charset-normalizer@3.4.1", "pkg:pypi/idna@3.10",
    "pkg:pypi/requests@2.32.3", "pkg:pypi/urllib3@2.3.0", "pkg:pypi/simple-deps@0.1.0"])

case("pdm-lock", "pdm.lock", {
    "app/pdm.lock": '[metadata]\ngroups = ["default", "dev"]\nlock_version = "4.5.0"\n\n'
    + "".join(f'[[package]]\nname = "{n}"\nversion = "{v}"\ngroups = [{g}]\n\n'
              for n, v, g in [("certifi", "2024.8.30", '"default"'), ("chardet", "3.0.4", '"default"'),
                              ("idna", "2.7", '"default"'), ("requests", "2.19.1", '"default"'),
                              ("urllib3", "1.23", '"default"'), ("pytest", "8.3.3", '"dev"')]),
}, ["pkg:pypi/certifi@2024.8.30", "pkg:pypi/chardet@3.0.4", "pkg:pypi/idna@2.7", "pkg:pypi/requests@2.19.1",
    "pkg:pypi/urllib3@1.23", "pkg:pypi/pytest@8.3.3"])

# --- JavaScript -------------------------------------------------------------------

case("pnpm-multi-document", "pnpm-lock.yaml", {
    "app/pnpm-lock.yaml": "---\nlockfileVersion: '9.0'\n\nimporters:\n  .:\n    packageManagerDependencies:\n"
    "      pnpm:\n        specifier: 9.15.0\n        version: 9.15.0\n\npackages:\n\n  pnpm@9.15.0:\n"
    "    resolution: {integrity: sha512-a}\n\n---\nlockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n"
    "      lodash:\n        specifier: ^4\n        version: 4.17.21\n\npackages:\n\n  lodash@4.17.21:\n"
    "    resolution: {integrity: sha512-b}\n\n  '@types/node@20.11.5':\n    resolution: {integrity: sha512-c}\n",
}, ["pkg:npm/pnpm@9.15.0", "pkg:npm/lodash@4.17.21", "pkg:npm/%40types/node@20.11.5"])

case("yarn-v1-alias", "yarn.lock", {
    # Syft: javascript yarn-v1 alias fixtures (the real package from `resolved`).
    "app/yarn.lock": "# THIS IS AN AUTOGENERATED FILE.\n# yarn lockfile v1\n\n\n"
    '"@babel/code-frame@^7.0.0":\n  version "7.10.4"\n'
    '  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.10.4.tgz#168da1a36e90da68ae8d49c0f1b48c7c6249213a"\n\n'
    'string-width-cjs@npm:string-width@^4.2.0:\n  version "4.2.3"\n'
    '  resolved "https://registry.yarnpkg.com/string-width/-/string-width-4.2.3.tgz#269c7117d27b05ad2e536830a8ec895ef9c6d010"\n\n'
    'wrap-ansi-cjs@^7.0.0:\n  version "7.0.0"\n'
    '  resolved "https://registry.yarnpkg.com/wrap-ansi/-/wrap-ansi-7.0.0.tgz#67e145cff510a6a6984bdf1152911d69d2eb9e43"\n\n'
    'my-async@^3.2.3:\n  version "3.2.3"\n'
    '  resolved "https://registry.npmjs.org/async/-/async-3.2.3.tgz#ac53dafd3f4720ee9e8a160628f18ea91df196c9"\n',
}, ["pkg:npm/%40babel/code-frame@7.10.4", "pkg:npm/string-width@4.2.3", "pkg:npm/wrap-ansi@7.0.0",
    "pkg:npm/async@3.2.3"])

case("bun-lock", "bun.lock", {
    # Syft: javascript/test-fixtures/bun (direct and dev dependencies, a trailing comma).
    "app/bun.lock": '{\n  "lockfileVersion": 1,\n  "workspaces": {\n    "": {\n      "name": "test-project",\n'
    '      "dependencies": { "lodash": "^4.17.21", "axios": "^1.6.0" },\n'
    '      "devDependencies": { "typescript": "^5.0.0" },\n    },\n  },\n  "packages": {\n'
    '    "axios": ["axios@1.6.0", "", { "dependencies": { "follow-redirects": "^1.15.0" } }, "sha512-a"],\n'
    '    "follow-redirects": ["follow-redirects@1.15.6", "", {}, "sha512-b"],\n'
    '    "lodash": ["lodash@4.17.21", "", {}, "sha512-c"],\n'
    '    "typescript": ["typescript@5.3.3", "", { "bin": { "tsc": "bin/tsc" } }, "sha512-d"],\n  }\n}\n',
}, ["pkg:npm/axios@1.6.0", "pkg:npm/follow-redirects@1.15.6", "pkg:npm/lodash@4.17.21", "pkg:npm/typescript@5.3.3"])

# --- Go -----------------------------------------------------------------------------

case("go-mod-exclude", "go.mod", {
    # Syft: golang/testdata/go-mod-fixtures/many-packages (replace and exclude).
    "src/app/go.mod": "module (\n    github.com/anchore/syft\n)\n\ngo 1.14\n\nrequire (\n"
    "\tgithub.com/adrg/xdg v0.2.1\n\tgithub.com/anchore/go-testutils v0.0.0-20200624184116-66aa578126db\n"
    "\tgithub.com/anchore/go-version v1.2.2-0.20200701162849-18adb9c92b9b\n"
    "\tgithub.com/anchore/stereoscope v0.0.0-20200706164556-7cf39d7f4639\n"
    "\tgithub.com/anchore/archiver/v3 v3.5.1\n\t//github.com/ignore/this v9.9.9  // indirect\n"
    "\tgithub.com/bmatcuk/doublestar v1.3.1  // indirect\n\tgithub.com/go-test/deep v1.0.6  // a comment\n)\n\n"
    "replace github.com/bmatcuk/doublestar => github.com/bmatcuk/doublestar v8.8.8\n\n"
    "replace github.com/anchore/archiver/v3 v3.5.1 => github.com/anchore/archiver/v3 v3.5.2\n\n"
    "exclude github.com/adrg/xdg v0.2.1\n",
}, ["pkg:golang/github.com/anchore/archiver/v3@v3.5.2",
    "pkg:golang/github.com/anchore/go-testutils@v0.0.0-20200624184116-66aa578126db",
    "pkg:golang/github.com/anchore/go-version@v1.2.2-0.20200701162849-18adb9c92b9b",
    "pkg:golang/github.com/anchore/stereoscope@v0.0.0-20200706164556-7cf39d7f4639",
    "pkg:golang/github.com/bmatcuk/doublestar@v8.8.8", "pkg:golang/github.com/go-test/deep@v1.0.6"])

# --- Java -----------------------------------------------------------------------------

case("jar-pom-xml-and-name", "java archives (jar, war, ear)", {
    # No pom.properties: the jar's own pom.xml names it (Syft: java archive tests).
    "opt/app/lib/whatever.jar": jar([
        ("META-INF/MANIFEST.MF", manifest([("Implementation-Title", "JUnit"), ("Implementation-Version", "4.13.2")])),
        ("META-INF/maven/junit/junit/pom.xml", pom_xml("junit", "junit", "4.13.2")),
    ]),
    # Manifest only: the file name's artifact id, not the display title's case.
    "opt/app/lib/jackson-core-2.15.2.jar": jar([
        ("META-INF/MANIFEST.MF", manifest([("Implementation-Title", "Jackson-core"), ("Implementation-Version", "2.15.2")])),
    ]),
    "opt/app/lib/commons-lang3-3.12.0.jar": jar([
        ("META-INF/MANIFEST.MF", manifest([("Implementation-Title", "Apache Commons Lang"),
                                           ("Implementation-Version", "3.12.0")])),
    ]),
}, ["pkg:maven/junit/junit@4.13.2", "pkg:maven/jackson-core@2.15.2", "pkg:maven/commons-lang3@3.12.0"])

case("jenkins-plugins", "Jenkins plugins (.hpi, .jpi)", {
    "var/jenkins_home/plugins/git.jpi": jar([
        ("META-INF/MANIFEST.MF", manifest([("Short-Name", "git"), ("Plugin-Version", "5.2.1"),
                                           ("Group-Id", "org.jenkins-ci.plugins"), ("Long-Name", "Git plugin")])),
    ]),
    "usr/share/jenkins/ref/plugins/example.hpi": jar([
        ("META-INF/MANIFEST.MF", manifest([("Short-Name", "example"), ("Plugin-Version", "1.0.0"),
                                           ("Group-Id", "io.jenkins.plugins")])),
        ("META-INF/maven/io.jenkins.plugins/example/pom.properties",
         "groupId=io.jenkins.plugins\nartifactId=example\nversion=1.0.0\n"),
    ]),
}, ["pkg:maven/org.jenkins-ci.plugins/git@5.2.1", "pkg:maven/io.jenkins.plugins/example@1.0.0"])

case("gradle-lockfile", "gradle.lockfile", {
    # Syft: java/testdata/gradle/gradle.lockfile (four dependencies).
    "src/app/gradle.lockfile": "# This is a Gradle generated file for dependency locking.\n"
    "# Manual edits can break the build and are not advised.\n# This file is expected to be part of source control.\n"
    "joda-time:joda-time:2.2=compileClasspath,runtimeClasspath,testCompileClasspath,testRuntimeClasspath\n"
    "junit:junit:4.12=testCompileClasspath,testRuntimeClasspath\n"
    "org.hamcrest:hamcrest-core:1.3=testCompileClasspath,testRuntimeClasspath\n"
    "empty=annotationProcessor,testAnnotationProcessor\norg.apache.commons:commons-text:1.8=compileClasspath\n",
}, ["pkg:maven/joda-time/joda-time@2.2", "pkg:maven/junit/junit@4.12", "pkg:maven/org.hamcrest/hamcrest-core@1.3",
    "pkg:maven/org.apache.commons/commons-text@1.8"])

case("pom-xml-declared", "pom.xml (declared dependencies)", {
    # Syft: java pom.xml tests (properties resolved within the POM).
    "src/app/pom.xml": '<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n'
    "  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.mycompany.app</groupId>\n  <artifactId>my-app</artifactId>\n"
    "  <version>1.0</version>\n  <properties><junit.version>4.12</junit.version></properties>\n  <dependencies>\n"
    "    <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>${junit.version}</version>"
    "<scope>test</scope></dependency>\n"
    "    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-lang3</artifactId>"
    "<version>3.12.0</version></dependency>\n  </dependencies>\n</project>\n",
}, ["pkg:maven/junit/junit@4.12", "pkg:maven/org.apache.commons/commons-lang3@3.12.0"])

# --- .NET -------------------------------------------------------------------------------

case("nuget-packages-lock", "NuGet packages.lock.json", {
    "src/App/packages.lock.json": json.dumps({"version": 1, "dependencies": {
        "net8.0": {
            "Humanizer": {"type": "Direct", "requested": "[2.14.1, )", "resolved": "2.14.1", "contentHash": "A=="},
            "Humanizer.Core": {"type": "Transitive", "resolved": "2.14.1", "contentHash": "B=="},
            "Newtonsoft.Json": {"type": "Direct", "requested": "[13.0.3, )", "resolved": "13.0.3", "contentHash": "C=="},
            "Shared": {"type": "Project"},
        },
        "net8.0/linux-x64": {
            "Microsoft.NETCore.App.Runtime.linux-x64": {"type": "Direct", "requested": "[8.0.0, )", "resolved": "8.0.0"},
        }}}, indent=2),
}, ["pkg:nuget/Humanizer@2.14.1", "pkg:nuget/Humanizer.Core@2.14.1", "pkg:nuget/Newtonsoft.Json@13.0.3",
    "pkg:nuget/Microsoft.NETCore.App.Runtime.linux-x64@8.0.0"])


def build(root):
    for name, _fmt, files, want in CASES:
        for rel, content in files.items():
            path = os.path.join(root, name, "rootfs", rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(content if isinstance(content, bytes) else content.encode())
        with open(os.path.join(root, name, "want"), "w") as f:
            f.write("".join(p + "\n" for p in want))
    print("\n".join(c[0] for c in CASES))


def score(root, name, sbom):
    want = set(open(os.path.join(root, name, "want")).read().split())
    doc = json.load(open(sbom))
    got = {c["purl"] for c in doc.get("components", []) if c.get("type") == "library" and "purl" in c}
    # A file the catalogers could not read makes the SBOM partial: none of
    # these fixtures is malformed, so any diagnostic is a cataloger bug.
    diags = [p["value"] for p in doc.get("metadata", {}).get("properties", []) if p.get("name") == "drydock:diagnostic"]
    missing, extra = sorted(want - got), sorted(got - want)
    print(f"{name} expected={len(want)} found={len(want & got)} extra={len(extra)} diagnostics={len(diags)}")
    for p in missing:
        print(f"  missing {p}")
    for p in extra:
        print(f"  extra {p}")
    for d in diags:
        print(f"  diagnostic {d}")
    return 0 if not missing and not extra and not diags else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["build"]:
        build(sys.argv[2])
    elif sys.argv[1:2] == ["score"]:
        sys.exit(score(sys.argv[2], sys.argv[3], sys.argv[4]))
    elif sys.argv[1:2] == ["formats"]:
        print("\n".join(sorted({c[1] for c in CASES})))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
