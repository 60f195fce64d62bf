#!/usr/bin/env bash
# Validates a SARIF file against the SARIF 2.1.0 JSON schema, plus what GitHub
# code scanning relies on that the schema cannot say (ruleIndex names the
# rule, every result has a fingerprint, artifact URIs are relative and
# percent-encoded).
#
# Usage: tests/validate_sarif.sh FILE.sarif
# Schema: tests/testdata/schemas/ (in-repo copy) first, else ../shared/data/schemas/.
# Exit: 0 valid, or skipped because no schema is present; 1 invalid;
#       2 usage; 77 skipped because python3-jsonschema is not installed.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 FILE.sarif" >&2
  exit 2
fi
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
schema="$repo/tests/testdata/schemas/sarif-schema-2.1.0.json"
if [[ ! -f "$schema" ]]; then
  shared="$repo/../shared/data/schemas"
  if [[ ! -d "$shared" ]]; then
    echo "skipped: ../shared not present"
    exit 0
  fi
  schema="$shared/sarif-schema-2.1.0.json"
fi
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
  echo "skipped: python3-jsonschema not installed (apt-get install python3-jsonschema)" >&2
  exit 77
fi

program="$(cat <<'PY'
import json
import re
import sys

import jsonschema

schema_path, doc_path = sys.argv[1], sys.argv[2]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
try:
    with open(doc_path, encoding="utf-8") as f:
        doc = json.load(f)
except (OSError, ValueError) as e:
    print(f"{doc_path}: cannot read JSON: {e}")
    sys.exit(1)

# The schema is draft-04 and names itself with "id"; registering it under
# that id keeps every $ref offline.
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
store = {schema["id"]: schema, schema["id"].rstrip("#"): schema}
resolver = jsonschema.RefResolver(base_uri=schema["id"], referrer=schema, store=store)
validator = cls(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())
errors = [
    f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
    for e in validator.iter_errors(doc)
]

# RFC 3986 relative reference: only unreserved, sub-delims, ':', '@', '/'
# and well-formed %XX escapes.
URI_REF = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$")


def check_run(i, run):
    rules = run.get("tool", {}).get("driver", {}).get("rules", [])
    for r, rule in enumerate(rules):
        score = rule.get("properties", {}).get("security-severity")
        if score is not None and not re.fullmatch(r"\d+(\.\d+)?", score):
            yield f"runs/{i}/tool/driver/rules/{r}: security-severity {score!r} is not a number"
    for j, res in enumerate(run.get("results", [])):
        where = f"runs/{i}/results/{j}"
        idx = res.get("ruleIndex")
        if idx is not None and (idx >= len(rules) or rules[idx].get("id") != res.get("ruleId")):
            yield f"{where}: ruleIndex {idx} does not name rule {res.get('ruleId')!r}"
        if not res.get("partialFingerprints"):
            yield f"{where}: no partialFingerprints"
        for k, loc in enumerate(res.get("locations", [])):
            uri = loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri")
            if uri is not None and (uri.startswith("/") or not URI_REF.match(uri)):
                yield f"{where}/locations/{k}: artifact uri {uri!r} is not a relative, encoded URI reference"


if not errors:
    for i, run in enumerate(doc["runs"]):
        errors.extend(check_run(i, run))
for e in errors[:20]:
    print(f"{doc_path}: {e}")
if errors:
    print(f"{doc_path}: INVALID ({len(errors)} errors)")
    sys.exit(1)
print(f"{doc_path}: valid SARIF 2.1.0")
PY
)"
exec /usr/bin/python3 -c "$program" "$schema" "$1"
