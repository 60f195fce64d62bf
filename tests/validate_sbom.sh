#!/usr/bin/env bash
# Validates SBOM files: CycloneDX 1.6 JSON against bom-1.6.schema.json (with
# spdx.schema.json and jsf-0.82.schema.json for its $refs), SPDX 2.3 JSON
# against both the 2.3 and the 2.3.1 (errata) schemas. The format is told by
# the document itself (bomFormat / spdxVersion). Beyond the schemas, it checks
# what they cannot say:
#   CycloneDX: bom-refs unique; every dependency ref names a bom-ref; license
#              expressions parse with ids from the SPDX list; timestamp is
#              RFC 3339.
#   SPDX:      SPDXIDs are "SPDXRef-" + letters, digits, '.', '-' and unique;
#              relationships name existing elements; the document DESCRIBES
#              something; licenseDeclared/Concluded are NOASSERTION, NONE or an
#              expression over listed ids and declared LicenseRef-s; every
#              declared LicenseRef is used once; documentNamespace is an
#              absolute URI without '#'; created is RFC 3339 UTC.
#
# Usage: tests/validate_sbom.sh FILE...
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
import os
import re
import sys

from schema_store import SchemaStore, load

schema_dir, paths = sys.argv[1], sys.argv[2:]
schemas = SchemaStore(schema_dir)


# The SPDX license list as CycloneDX enumerates it: licenses, then exceptions,
# each sorted case-insensitively; the order restarts where exceptions begin.
ids = load(os.path.join(schema_dir, "spdx.schema.json"))["enum"]
split = next(i for i in range(1, len(ids)) if ids[i].lower() < ids[i - 1].lower())
LICENSES = {i.lower() for i in ids[:split]}
EXCEPTIONS = {i.lower() for i in ids[split:]}
IDSTRING = re.compile(r"^[A-Za-z0-9.\-]+$")
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def expression_problem(expr, refs_out=None):
    """None when expr is a valid SPDX license expression (SPDX 2.3 Annex D)."""
    tokens = re.findall(r"\(|\)|[^\s()]+", expr)
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def simple():
        nonlocal pos
        t = peek()
        if t is None:
            return "expression ends early"
        if t.startswith("LicenseRef-"):
            if not IDSTRING.match(t[11:]):
                return f"bad LicenseRef {t!r}"
            if refs_out is not None:
                refs_out.add(t)
        elif t.lower() not in LICENSES and not (t.endswith("+") and t[:-1].lower() in LICENSES):
            return f"{t!r} is not an SPDX license id"
        pos += 1
        if peek() == "WITH":
            pos += 1
            e = peek()
            if e is None or e.lower() not in EXCEPTIONS:
                return f"{e!r} is not an SPDX exception id"
            pos += 1
        return None

    def atom(depth):
        nonlocal pos
        if peek() == "(":
            if depth > 64:
                return "nested too deep"
            pos += 1
            err = either(depth + 1)
            if err:
                return err
            if peek() != ")":
                return "unbalanced parenthesis"
            pos += 1
            return None
        return simple()

    def both(depth):
        nonlocal pos
        err = atom(depth)
        while not err and peek() == "AND":
            pos += 1
            err = atom(depth)
        return err

    def either(depth):
        nonlocal pos
        err = both(depth)
        while not err and peek() == "OR":
            pos += 1
            err = both(depth)
        return err

    if not tokens:
        return "empty expression"
    err = either(0)
    if not err and pos != len(tokens):
        err = f"unexpected {tokens[pos]!r}"
    return err


def walk_components(components, where):
    for i, c in enumerate(components or []):
        yield f"{where}/{i}", c
        yield from walk_components(c.get("components"), f"{where}/{i}/components")


def check_cyclonedx(doc):
    refs = {}
    comp = doc.get("metadata", {}).get("component")
    items = ([("metadata/component", comp)] if comp else []) + list(walk_components(doc.get("components"), "components"))
    for where, c in items:
        ref = c.get("bom-ref")
        if ref is None:
            continue
        if ref in refs:
            yield f"{where}: bom-ref {ref!r} also used at {refs[ref]}"
        refs[ref] = where
        for j, choice in enumerate(c.get("licenses", [])):
            if "expression" in choice:
                err = expression_problem(choice["expression"])
                if err:
                    yield f"{where}/licenses/{j}: {err}"
    for i, d in enumerate(doc.get("dependencies", [])):
        for ref in [d.get("ref")] + d.get("dependsOn", []):
            if ref not in refs:
                yield f"dependencies/{i}: {ref!r} names no bom-ref"
    ts = doc.get("metadata", {}).get("timestamp")
    if ts is not None and not RFC3339.match(ts):
        yield f"metadata/timestamp: {ts!r} is not RFC 3339"


def check_spdx(doc):
    elements = {"SPDXRef-DOCUMENT": "(root)"}
    for kind in ("packages", "files", "snippets"):
        for i, e in enumerate(doc.get(kind, [])):
            sid = e.get("SPDXID", "")
            if not re.match(r"^SPDXRef-[A-Za-z0-9.\-]+$", sid):
                yield f"{kind}/{i}: SPDXID {sid!r} is not SPDXRef-[A-Za-z0-9.-]+"
            if sid in elements:
                yield f"{kind}/{i}: SPDXID {sid!r} also used at {elements[sid]}"
            elements[sid] = f"{kind}/{i}"
    declared = {}
    for i, x in enumerate(doc.get("hasExtractedLicensingInfos", [])):
        lid = x.get("licenseId", "")
        if not lid.startswith("LicenseRef-") or not IDSTRING.match(lid[11:]):
            yield f"hasExtractedLicensingInfos/{i}: licenseId {lid!r} is not LicenseRef-idstring"
        if lid in declared:
            yield f"hasExtractedLicensingInfos/{i}: {lid!r} declared twice"
        declared[lid] = i
    used = set()
    for i, p in enumerate(doc.get("packages", [])):
        for field in ("licenseDeclared", "licenseConcluded"):
            v = p.get(field)
            if v is None or v in ("NOASSERTION", "NONE"):
                continue
            refs = set()
            err = expression_problem(v, refs)
            if err:
                yield f"packages/{i}/{field}: {err} in {v!r}"
            for r in sorted(refs - set(declared)):
                yield f"packages/{i}/{field}: {r} is not in hasExtractedLicensingInfos"
            used |= refs
    for lid in sorted(set(declared) - used):
        yield f"hasExtractedLicensingInfos: {lid} is used by no package"
    described = False
    for i, r in enumerate(doc.get("relationships", [])):
        for key in ("spdxElementId", "relatedSpdxElement"):
            v = r.get(key)
            if v not in elements and v not in ("NOASSERTION", "NONE"):
                yield f"relationships/{i}/{key}: {v!r} names no element"
        described |= r.get("spdxElementId") == "SPDXRef-DOCUMENT" and r.get("relationshipType") == "DESCRIBES"
    if not described and not doc.get("documentDescribes"):
        yield "(root): the document DESCRIBES nothing"
    ns = doc.get("documentNamespace", "")
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://[^\s#]+$", ns):
        yield f"documentNamespace: {ns!r} is not an absolute URI without '#'"
    created = doc.get("creationInfo", {}).get("created", "")
    if not RFC3339_UTC.match(created):
        yield f"creationInfo/created: {created!r} is not YYYY-MM-DDTHH:MM:SSZ"


def errors_of(doc, schema_name):
    v = schemas.validator(schema_name)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}" for e in v.iter_errors(doc)]


failed = 0
for path in paths:
    try:
        doc = load(path)
    except (OSError, ValueError) as e:
        print(f"{path}: INVALID: cannot read JSON: {e}")
        failed += 1
        continue
    if not isinstance(doc, dict):
        print(f"{path}: INVALID: not a JSON object")
        failed += 1
        continue
    if doc.get("bomFormat") == "CycloneDX":
        kind = "CycloneDX 1.6"
        errors = errors_of(doc, "bom-1.6.schema.json")
        errors += list(check_cyclonedx(doc)) if not errors else []
    elif "spdxVersion" in doc:
        kind = "SPDX 2.3"
        errors = [f"[2.3] {e}" for e in errors_of(doc, "spdx-schema-2.3.json")]
        errors += [f"[2.3.1] {e}" for e in errors_of(doc, "spdx-schema-2.3.1.json")]
        if doc.get("spdxVersion") != "SPDX-2.3":
            errors.append(f"spdxVersion: {doc.get('spdxVersion')!r} is not SPDX-2.3")
        errors += list(check_spdx(doc)) if not errors else []
    else:
        print(f"{path}: INVALID: neither CycloneDX (bomFormat) nor SPDX (spdxVersion)")
        failed += 1
        continue
    for e in errors[:20]:
        print(f"{path}: {e}")
    if errors:
        print(f"{path}: INVALID {kind} ({len(errors)} errors)")
        failed += 1
    else:
        print(f"{path}: valid {kind}")
sys.exit(1 if failed else 0)
PY
)"
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$repo/tests${PYTHONPATH:+:$PYTHONPATH}" exec /usr/bin/python3 -c "$program" "$schemas" "$@"
