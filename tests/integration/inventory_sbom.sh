#!/usr/bin/env bash
# SBOMs from real scans, validated against the CycloneDX 1.6 and SPDX 2.3
# schemas (in-repo copies, python3-jsonschema) and checked for byte-identical
# reruns.
#
#   tests/integration/inventory_sbom.sh DRYDOCK_BINARY
#
# Builds a small two-layer image in a temp dir (Debian os-release, a dpkg
# status with a DEP-5 copyright, node_modules, a Python dist-info, a
# Cargo.lock, a composer installed.json: the catalogers that know these list
# packages, the others list none, and every check holds either way), writes it
# as a plain rootfs (dir:), a classic `docker save` archive and, with skopeo,
# an OCI layout; then for each target and format: drydock exits 0, the SBOM
# validates, a second run is byte-identical. Plus: timestamps (config created,
# SOURCE_DATE_EPOCH), the image's id, layers and manifest digest against the
# archive's config and skopeo, CycloneDX and SPDX listing the same purls as
# drydock's JSON report, `image --format` equal to `sbom`, and the golden
# files. Prints "ok - …" / "not ok - …" per check and ends with
# "inventory-sbom: N passed, N failed[, N skipped]".
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3
TOOLS=("$PY" "$ROOT/tests/integration/sbom_tools.py")
VALIDATE=$ROOT/tests/validate_sbom.sh
T_NAME=inventory-sbom
T_CHECK_LINES=20
# shellcheck source=lib.sh
source "$ROOT/tests/integration/lib.sh"

need_drydock "${1:-$ROOT/build/drydock}"
[[ -x "$PY" ]] || skip_or_fail "$PY not found"
"$PY" -c 'import jsonschema' 2>/dev/null ||
  skip_or_fail "python3-jsonschema not installed (scripts/deps --test installs it)"

workdir "${TMPDIR:-/tmp}/drydock-sbom.XXXXXX"
unset SOURCE_DATE_EPOCH

# ---- fixtures: two layers ------------------------------------------------------
base=$W/layers/base
app=$W/layers/app
mkdir -p "$base/etc" "$base/var/lib/dpkg/info" "$base/usr/share/doc/bsdutils" "$base/usr/bin"
cat >"$base/etc/os-release" <<'EOF'
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
EOF
cat >"$base/var/lib/dpkg/status" <<'EOF'
Package: bsdutils
Essential: yes
Status: install ok installed
Priority: required
Section: utils
Installed-Size: 355
Maintainer: util-linux packagers <util-linux@packages.debian.org>
Architecture: amd64
Multi-Arch: foreign
Source: util-linux (2.38.1-5+deb12u1)
Version: 1:2.38.1-5+deb12u1
Description: basic utilities from 4.4BSD-Lite

Package: libc6
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 12987
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Description: GNU C Library: Shared libraries
EOF
printf '/.\n/usr\n/usr/bin\n/usr/bin/logger\n' >"$base/var/lib/dpkg/info/bsdutils.list"
printf '#!/bin/sh\n' >"$base/usr/bin/logger"
cat >"$base/usr/share/doc/bsdutils/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: util-linux

Files: *
Copyright: 1980-2023 The util-linux authors
License: GPL-2+

Files: lib/*
Copyright: 2008-2012 Karel Zak
License: LGPL-2.1+

Files: login-utils/logger.c
Copyright: 1983, 1993 The Regents of the University of California
License: BSD-3-clause
EOF

mkdir -p "$app/app/node_modules/@types/node" "$app/app/node_modules/lodash" \
  "$app/usr/lib/python3/dist-packages/requests-2.31.0.dist-info" "$app/app/vendor/composer"
cat >"$app/app/node_modules/@types/node/package.json" <<'EOF'
{"name": "@types/node", "version": "20.11.5", "license": "MIT"}
EOF
cat >"$app/app/node_modules/lodash/package.json" <<'EOF'
{"name": "lodash", "version": "4.17.21", "license": "MIT"}
EOF
cat >"$app/usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA" <<'EOF'
Metadata-Version: 2.1
Name: requests
Version: 2.31.0
License: Apache 2.0
Classifier: License :: OSI Approved :: Apache Software License
EOF
cat >"$app/app/Cargo.lock" <<'EOF'
version = 3

[[package]]
name = "serde"
version = "1.0.195"
EOF
cat >"$app/app/vendor/composer/installed.json" <<'EOF'
{"packages": [{"name": "monolog/monolog", "version": "3.5.0", "license": ["MIT"], "type": "library"}]}
EOF

rootfs=$W/rootfs
mkdir -p "$rootfs"
cp -a "$base/." "$rootfs/" && cp -a "$app/." "$rootfs/"
archive=$W/app.tar
created="2024-05-01T14:00:00.5+02:00"
if ! "${TOOLS[@]}" make-archive "$archive" "example.com/team/app:1.0" "$created" "$base" "$app"; then
  notok "build the test archive"
  finish
fi

targets=("dir:$rootfs" "docker-archive:$archive")
names=(dir archive)
if command -v skopeo >/dev/null 2>&1 &&
  skopeo copy -q "docker-archive:$archive" "oci:$W/oci:1.0" >"$W/skopeo.log" 2>&1; then
  targets+=("oci:$W/oci:1.0")
  names+=(oci)
elif [[ "${CI:-}" == true ]]; then
  notok "skopeo copy docker-archive -> oci (scripts/deps --test installs skopeo)"
else
  skip "OCI layout target: skopeo missing or failed"
fi

# ---- every target, both formats: exit 0, valid, byte-identical rerun ---------------
for i in "${!targets[@]}"; do
  t=${targets[$i]}
  n=${names[$i]}
  for fmt in cyclonedx spdx-json; do
    out=$W/$n.$fmt.json
    if "$DRYDOCK" sbom "$t" --format "$fmt" --output "$out" --quiet 2>"$W/err"; then
      ok "$n $fmt: drydock sbom exits 0"
    else
      notok "$n $fmt: drydock sbom exits 0"
      sed 's/^/#   /' "$W/err"
      continue
    fi
    check "$n $fmt: validates against the schema" "$VALIDATE" "$out"
    "$DRYDOCK" sbom "$t" --format "$fmt" --output "$out.2" --quiet 2>/dev/null
    check "$n $fmt: a second run is byte-identical" cmp "$out" "$out.2"
  done
  if [[ -f $W/$n.cyclonedx.json && -f $W/$n.spdx-json.json ]]; then
    same "$n: CycloneDX and SPDX list the same purls" \
      "$("${TOOLS[@]}" purls "$W/$n.cyclonedx.json")" "$("${TOOLS[@]}" purls "$W/$n.spdx-json.json")"
  fi
  # The same packages as drydock's own JSON listing, once that lists packages.
  if "$DRYDOCK" image "$t" --list-all-pkgs --format json --output "$W/$n.report.json" --quiet 2>/dev/null; then
    if report_purls=$("${TOOLS[@]}" purls "$W/$n.report.json"); then
      same "$n: the SBOM lists the purls of the JSON report" "$report_purls" \
        "$("${TOOLS[@]}" purls "$W/$n.cyclonedx.json")"
    else
      skip "$n: the JSON report lists no packages yet"
    fi
  else
    notok "$n: drydock image --list-all-pkgs --format json exits 0"
  fi
done

# ---- what the documents say about the image -------------------------------------------
cdx=$W/archive.cyclonedx.json
spdx=$W/archive.spdx-json.json
same "archive: timestamp is the config's created time in UTC" "2024-05-01T12:00:00Z" \
  "$("${TOOLS[@]}" get "$cdx" metadata.timestamp)"
same "archive: SPDX created is the same time" "2024-05-01T12:00:00Z" \
  "$("${TOOLS[@]}" get "$spdx" creationInfo.created)"
same "archive: the image version is its id (sha256 of the config)" "$("${TOOLS[@]}" config-digest "$archive")" \
  "$("${TOOLS[@]}" get "$cdx" metadata.component.version)"
same "archive: layer diff_ids are the config's" "$("${TOOLS[@]}" diff-ids "$archive")" \
  "$("${TOOLS[@]}" cdx-diff-ids "$cdx")"
same "dir: the OS is a component" "operating-system debian 12" \
  "$("${TOOLS[@]}" get "$W/dir.cyclonedx.json" components.0.type) $("${TOOLS[@]}" get "$W/dir.cyclonedx.json" \
    components.0.name) $("${TOOLS[@]}" get "$W/dir.cyclonedx.json" components.0.version)"
same "dir: no config, so the timestamp is the epoch" "1970-01-01T00:00:00Z" \
  "$("${TOOLS[@]}" get "$W/dir.cyclonedx.json" metadata.timestamp)"
if [[ -f $W/oci.cyclonedx.json ]]; then
  digest=$(skopeo inspect "oci:$W/oci:1.0" 2>/dev/null | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["Digest"])')
  same "oci: the image version is the manifest digest skopeo reports" "$digest" \
    "$("${TOOLS[@]}" get "$W/oci.cyclonedx.json" metadata.component.version)"
  same "oci: SPDX versionInfo of the image is the same digest" "$digest" \
    "$("${TOOLS[@]}" get "$W/oci.spdx-json.json" packages.0.versionInfo)"
fi

for fmt in cyclonedx spdx-json; do
  SOURCE_DATE_EPOCH=1700000000 "$DRYDOCK" sbom "docker-archive:$archive" --format "$fmt" --quiet \
    >"$W/sde.$fmt.json" 2>/dev/null
  path=metadata.timestamp
  [[ $fmt == spdx-json ]] && path=creationInfo.created
  same "archive $fmt: SOURCE_DATE_EPOCH sets the timestamp" "2023-11-14T22:13:20Z" \
    "$("${TOOLS[@]}" get "$W/sde.$fmt.json" "$path")"
  "$DRYDOCK" image "docker-archive:$archive" --format "$fmt" --quiet >"$W/image.$fmt.json" 2>/dev/null
  check "archive $fmt: drydock image --format $fmt writes what drydock sbom writes" \
    cmp "$W/archive.$fmt.json" "$W/image.$fmt.json"
done

# ---- the golden documents (packages of every kind) ------------------------------------
for g in sbom.cdx.json sbom.spdx.json sbom-empty.cdx.json sbom-empty.spdx.json; do
  check "golden $g validates against the schema" "$VALIDATE" "$ROOT/tests/testdata/golden/$g"
done

finish
