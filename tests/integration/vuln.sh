#!/usr/bin/env bash
# Vulnerability scanning end to end: `db import` of every advisory source
# shipped in ../shared/data/advisories (or the small in-repo fixtures when
# that is absent), `db status`, scans of a Debian 11 and an Alpine 3.11 rootfs
# holding packages at affected versions (dpkg, apk, Python, Go, Ruby, Rust,
# npm), whose findings are compared with independent oracles (dpkg
# --compare-versions over the DSA list, python3-packaging over the PyPA
# advisories) and with known advisory ids; `db update` from a loopback HTTP
# server; and kill -9 during a database build leaving a usable database.
#
#   tests/integration/vuln.sh DRYDOCK_BINARY
#
# Last line: "vuln: N passed, N failed[, N skipped]".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
exec /usr/bin/python3 "$ROOT/tests/integration/vuln_suite.py" "${1:-$ROOT/build/drydock}"
