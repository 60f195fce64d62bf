#!/usr/bin/env bash
# Catalog formats against Syft's test expectations: each case of
# syft_expectations.py (a small rootfs written from the format's
# documentation, with the packages Syft's cataloger tests expect) is scanned
# as dir:ROOT; its CycloneDX and SPDX SBOMs must validate
# (tests/validate_sbom.sh) and the CycloneDX purls must be exactly the
# expected ones, with no diagnostic (none of the fixtures is malformed). The closing "# expected packages found" line is the figure
# docs/sbom.md quotes (run it with another binary to compare).
# Usage: tests/integration/inventory_formats.sh DRYDOCK
set -uo pipefail

T_NAME=inventory-formats
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
need_drydock "${1:-}"
workdir
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
cases=$("$py" "$here/syft_expectations.py" build "$W") || {
  notok "building the fixtures"
  finish
}
total_want=0
total_found=0
total_extra=0
total_diag=0
for c in $cases; do
  if ! "$DRYDOCK" sbom "dir:$W/$c/rootfs" --format cyclonedx --output "$W/$c.cdx.json" 2>"$W/$c.err" ||
    ! "$DRYDOCK" sbom "dir:$W/$c/rootfs" --format spdx-json --output "$W/$c.spdx.json" 2>>"$W/$c.err"; then
    notok "$c: drydock sbom failed"
    detail "$(cat "$W/$c.err")"
    continue
  fi
  check "$c: CycloneDX and SPDX validate" "$here/../validate_sbom.sh" "$W/$c.cdx.json" "$W/$c.spdx.json"
  out=$("$py" "$here/syft_expectations.py" score "$W" "$c" "$W/$c.cdx.json")
  rc=$?
  read -r _ want found extra diags <<<"$(head -1 <<<"$out" | tr '=' ' ' | awk '{print $1, $3, $5, $7, $9}')"
  total_want=$((total_want + want))
  total_found=$((total_found + found))
  total_extra=$((total_extra + extra))
  total_diag=$((total_diag + diags))
  if ((rc == 0)); then
    ok "$c: the expected packages, nothing else, no diagnostic ($found)"
  else
    notok "$c: $(head -1 <<<"$out")"
    detail "$(tail -n +2 <<<"$out")"
  fi
done
if ((total_want > 0)); then
  echo "# expected packages found: $total_found/$total_want ($((100 * total_found / total_want))%), unexpected: $total_extra, diagnostics: $total_diag"
fi
finish
