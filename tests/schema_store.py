"""The JSON schemas in tests/testdata/schemas as validators, offline.

Used by tests/validate_sbom.sh and tests/validate_vex.sh: every schema is kept
under its $id (or draft-04 id) and its file name, so no $ref leaves the folder.
"""
import json
import os

import jsonschema
import jsonschema._utils
import jsonschema._validators


# jsonschema 4.10 (Debian 12) sorts the extra items of an array to word an
# error, and crashes on a list of objects (CycloneDX's licenseChoice tries its
# one-expression branch on every license list). Word it unsorted.
def _extras_msg(extras):
    extras = list(extras)
    return ", ".join(repr(extra) for extra in extras), "was" if len(extras) == 1 else "were"


jsonschema._utils.extras_msg = _extras_msg
jsonschema._validators.extras_msg = _extras_msg


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class SchemaStore:
    def __init__(self, schema_dir):
        self.dir = schema_dir
        self.store = {}
        for name in os.listdir(schema_dir):
            if name.endswith(".json"):
                s = load(os.path.join(schema_dir, name))
                for key in ("$id", "id"):
                    if isinstance(s, dict) and isinstance(s.get(key), str):
                        self.store[s[key]] = s
                        self.store[s[key].rstrip("#")] = s
                self.store[name] = s

    def validator(self, name):
        """A checked validator of schema file `name`, with format checks on."""
        schema = self.store[name]
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        base = schema.get("$id", schema.get("id", ""))
        resolver = jsonschema.RefResolver(base_uri=base, referrer=schema, store=self.store)
        return cls(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())
