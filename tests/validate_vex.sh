#!/usr/bin/env bash
# Validates VEX documents against their real schemas: OpenVEX against
# openvex_json_schema.json (OpenVEX 0.2.0, draft 2020-12), CycloneDX against
# bom-1.5.schema.json or bom-1.6.schema.json by its specVersion (with
# spdx.schema.json and jsf-0.82.schema.json for their $refs). The format is
# told by the document (@context / bomFormat).
#
# Usage: tests/validate_vex.sh FILE...
# Schemas: tests/testdata/schemas/ (in-repo copies; see PROVENANCE.md there).
# Prints one line per file. Exit: 0 all valid; 1 any invalid; 2 usage;
#       77 skipped because python3-jsonschema is not installed.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 FILE..." >&2
  exit 2
fi
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
schemas="$repo/tests/testdata/schemas"
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
  echo "skipped: python3-jsonschema not installed (apt-get install python3-jsonschema)" >&2
  exit 77
fi

program="$(cat <<'PY'
import sys

from schema_store import SchemaStore, load

schema_dir, paths = sys.argv[1], sys.argv[2:]
schemas = SchemaStore(schema_dir)


bad = 0
for path in paths:
    try:
        doc = load(path)
    except (OSError, ValueError) as e:
        print(f"{path}: cannot read JSON: {e}")
        bad += 1
        continue
    if isinstance(doc, dict) and str(doc.get("@context", "")).startswith("https://openvex.dev/ns"):
        schema, kind = "openvex_json_schema.json", "OpenVEX 0.2.0"
    elif isinstance(doc, dict) and doc.get("bomFormat") == "CycloneDX" and doc.get("specVersion") in ("1.5", "1.6"):
        schema, kind = "bom-%s.schema.json" % doc["specVersion"], "CycloneDX " + doc["specVersion"]
    else:
        print(f"{path}: neither OpenVEX nor CycloneDX 1.5/1.6")
        bad += 1
        continue
    errors = sorted(schemas.validator(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors[:10]:
        print(f"{path}: {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}")
    if errors:
        print(f"{path}: INVALID {kind} ({len(errors)} errors)")
        bad += 1
    else:
        print(f"{path}: valid {kind}")
sys.exit(1 if bad else 0)
PY
)"
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$repo/tests${PYTHONPATH:+:$PYTHONPATH}" exec /usr/bin/python3 -c "$program" "$schemas" "$@"
