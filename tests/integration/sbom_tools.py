#!/usr/bin/python3
"""Helpers for tests/integration/inventory_sbom.sh (standard library only).

  make-archive OUT.tar TAG CREATED LAYERDIR...
      Write a classic `docker save` archive: one uncompressed layer per
      LAYERDIR (its files, sorted, owner root, mtime 0), a config whose
      rootfs lists their diff_ids, history entries naming each layer, the
      given `created` time and RepoTags [TAG]. Same input, same bytes.
  config-digest ARCHIVE
      Print "sha256:<hex>" of the archive's config (the image id).
  diff-ids ARCHIVE
      Print the config's rootfs.diff_ids, one per line.
  cdx-diff-ids CDX.json
      Print the drydock:image:layer_diff_id properties of the CycloneDX
      metadata component, one per line.
  get FILE DOTTED.PATH
      Print one value of a JSON document ("metadata.component.version",
      "packages.0.name"); "" when absent.
  purls FILE
      Print the sorted purls of the packages a document lists: CycloneDX
      library components, SPDX packages other than the image and the OS, or
      the `packages` of drydock's JSON report. Exit 3 when a JSON report has
      no `packages` key (the listing is not there yet).
"""

import hashlib
import io
import json
import os
import sys
import tarfile


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def layer_tar(root):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        entries = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in dirnames + filenames:
                entries.append(os.path.join(dirpath, name))
        for path in sorted(entries):
            rel = os.path.relpath(path, root)
            info = tarfile.TarInfo(rel)
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            if os.path.isdir(path):
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tf.addfile(info)
            else:
                with open(path, "rb") as f:
                    data = f.read()
                info.size = len(data)
                info.mode = 0o755 if os.access(path, os.X_OK) else 0o644
                tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def make_archive(out, tag, created, layer_dirs):
    layers = [layer_tar(d) for d in layer_dirs]
    diff_ids = ["sha256:" + sha256_hex(t) for t in layers]
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": created,
        "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "User": "1000"},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [
            {"created": created, "created_by": "COPY %s / # buildkit" % os.path.basename(d)} for d in layer_dirs
        ],
    }
    config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    config_name = sha256_hex(config_bytes) + ".json"
    members = [(config_name, config_bytes)]
    layer_names = []
    for i, t in enumerate(layers):
        name = "layer%d/layer.tar" % i
        layer_names.append(name)
        members.append((name, t))
    manifest = [{"Config": config_name, "RepoTags": [tag], "Layers": layer_names}]
    members.append(("manifest.json", json.dumps(manifest, separators=(",", ":")).encode()))
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tf:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            info.mode = 0o644
            tf.addfile(info, io.BytesIO(data))


def read_archive(path):
    with tarfile.open(path) as tf:
        manifest = json.load(tf.extractfile("manifest.json"))[0]
        config_bytes = tf.extractfile(manifest["Config"]).read()
    return manifest, config_bytes


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def get(doc, dotted):
    cur = doc
    for part in dotted.split("."):
        if isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        elif isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return ""
    return cur if isinstance(cur, str) else json.dumps(cur)


def purls(doc):
    if doc.get("bomFormat") == "CycloneDX":
        return [c.get("purl", "") for c in doc.get("components", []) if c.get("type") == "library"]
    if "spdxVersion" in doc:
        out = []
        for p in doc.get("packages", []):
            if p.get("primaryPackagePurpose") in ("CONTAINER", "OPERATING_SYSTEM"):
                continue
            out += [r["referenceLocator"] for r in p.get("externalRefs", []) if r.get("referenceType") == "purl"]
        return out
    if "packages" not in doc:
        sys.exit(3)
    return [p.get("purl", "") for p in doc["packages"]]


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "make-archive" and len(argv) >= 6:
        make_archive(argv[2], argv[3], argv[4], argv[5:])
    elif cmd == "config-digest" and len(argv) == 3:
        print("sha256:" + sha256_hex(read_archive(argv[2])[1]))
    elif cmd == "diff-ids" and len(argv) == 3:
        print("\n".join(json.loads(read_archive(argv[2])[1])["rootfs"]["diff_ids"]))
    elif cmd == "cdx-diff-ids" and len(argv) == 3:
        props = load(argv[2])["metadata"]["component"].get("properties", [])
        print("\n".join(p["value"] for p in props if p["name"] == "drydock:image:layer_diff_id"))
    elif cmd == "get" and len(argv) == 4:
        print(get(load(argv[2]), argv[3]))
    elif cmd == "purls" and len(argv) == 3:
        for p in sorted(purls(load(argv[2]))):
            print(p)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
