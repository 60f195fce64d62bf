#!/usr/bin/python3
"""Helpers for the shell-level integration tests (standard library only).

  oci-in-tar CLASSIC.tar OUT.tar [--gzip]
      Rewrite a classic `docker save` archive into the layout Docker >= 25 writes
      (OCI image layout inside the tar plus a classic-shaped manifest.json whose
      paths point into blobs/sha256/). With --gzip the layers are gzip-compressed,
      their media type is ...tar+gzip and their digests are recomputed.
  multi-platform AMD64.tar ARM64.tar OUTDIR TAG
      Make an OCI layout directory whose index.json names TAG -> a nested image
      index with two manifests: linux/arm64 (first; ARM64.tar's image with its
      config's architecture set to arm64) and linux/amd64 (AMD64.tar's image).
  corrupt CLASSIC.tar OUT.tar
      Copy the archive with one byte flipped inside a file's data in the first
      layer that has a regular file, so the tar still parses but the layer no
      longer matches its diff_id. Prints "<layer index> <diff_id> <member path>".
  findings REPORT.json
      Print the normalised findings (rule_id, path, diff_id, id), one per line.
  compare BASE.json OTHER.json [--ignore-rule RULE]
      Exit 0 when both reports have the same normalised findings, same OS and
      same layer diff_ids; otherwise print what differs and exit 1.
  healthcheck-dropped CLASSIC.tar OCIDIR
      Exit 0 when the archive's config has a Healthcheck and the config of the
      first image in the OCI layout OCIDIR has none (skopeo's conversion to an
      OCI config keeps only the fields the OCI spec defines).
  get REPORT.json DOTTED.PATH
      Print one value of a report (e.g. artifact.os.id); "" when absent.
  max-severity REPORT.json
      Print the highest severity among the findings (or NONE).
  check-layers REPORT.json CLASSIC.tar
      Exit 0 when the report's artifact.layers carry, in order, the archive's
      diff_ids and the created_by of the history entries that made a layer.
  sarif-ok FILE
      Exit 0 when FILE is a SARIF 2.1.0 log with at least one run.
"""

import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

SEVERITIES = ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"]


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def read_classic(path):
    """Returns (manifest entry, {member name: bytes}) of a classic archive."""
    with tarfile.open(path) as tf:
        files = {}
        links = {}
        for m in tf.getmembers():
            if m.isfile():
                files[m.name] = tf.extractfile(m).read()
            elif m.issym():
                links[m.name] = os.path.normpath(os.path.join(os.path.dirname(m.name), m.linkname))
        # Docker writes a repeated layer once and links the others to it.
        for name, target in links.items():
            if target in files:
                files[name] = files[target]
    manifest = json.loads(files["manifest.json"])
    if len(manifest) != 1:
        raise SystemExit("expected one image in %s" % path)
    return manifest[0], files


class TarWriter:
    """Writes a deterministic tar the way Docker's archive.Tar does: dirs first."""

    def __init__(self, path):
        self.tf = tarfile.open(path, "w", format=tarfile.PAX_FORMAT)
        self.dirs = set()

    def _dir(self, name):
        if not name or name in self.dirs:
            return
        self._dir(os.path.dirname(name))
        info = tarfile.TarInfo(name + "/")
        info.type = tarfile.DIRTYPE
        info.mode = 0o755
        self.tf.addfile(info)
        self.dirs.add(name)

    def add(self, name, data, mtime=0):
        self._dir(os.path.dirname(name))
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mode = 0o644
        info.mtime = mtime
        self.tf.addfile(info, io.BytesIO(data))

    def close(self):
        self.tf.close()


def oci_in_tar(classic, out, use_gzip):
    entry, files = read_classic(classic)
    config_bytes = files[entry["Config"]]
    config = json.loads(config_bytes)
    diff_ids = config["rootfs"]["diff_ids"]
    blobs = {}  # hex -> bytes
    layer_descs = []
    layer_paths = []
    for i, layer_path in enumerate(entry["Layers"]):
        raw = files[layer_path]
        if "sha256:" + sha256_hex(raw) != diff_ids[i]:
            raise SystemExit("layer %d of %s does not match its diff_id" % (i, classic))
        media = "application/vnd.oci.image.layer.v1.tar"
        blob = raw
        if use_gzip:
            blob = gzip.compress(raw, compresslevel=6, mtime=0)
            media += "+gzip"
        hexd = sha256_hex(blob)
        blobs[hexd] = blob
        layer_descs.append({"mediaType": media, "digest": "sha256:" + hexd, "size": len(blob)})
        layer_paths.append("blobs/sha256/" + hexd)
        # Docker 25 also writes each layer's legacy v1 JSON as an unreferenced blob.
        legacy_dir = os.path.dirname(layer_path)
        legacy = files.get(legacy_dir + "/json") if legacy_dir else None
        if legacy is not None:
            blobs[sha256_hex(legacy)] = legacy
    config_hex = sha256_hex(config_bytes)
    blobs[config_hex] = config_bytes
    platform = {"architecture": config.get("architecture", "amd64"), "os": config.get("os", "linux")}
    if config.get("variant"):
        platform["variant"] = config["variant"]
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": "sha256:" + config_hex,
            "size": len(config_bytes),
            "platform": platform,
        },
        "layers": layer_descs,
    }
    manifest_bytes = json.dumps(manifest, separators=(",", ":")).encode()
    manifest_hex = sha256_hex(manifest_bytes)
    blobs[manifest_hex] = manifest_bytes
    index_manifests = []
    for tag in entry.get("RepoTags") or []:
        name, _, ver = tag.rpartition(":")
        full = name if "/" in name else "docker.io/library/" + name
        index_manifests.append({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "sha256:" + manifest_hex,
            "size": len(manifest_bytes),
            "annotations": {
                "io.containerd.image.name": full + ":" + ver,
                "org.opencontainers.image.ref.name": ver,
            },
            "platform": platform,
        })
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": index_manifests,
    }
    classic_manifest = [{
        "Config": "blobs/sha256/" + config_hex,
        "RepoTags": entry.get("RepoTags"),
        "Layers": layer_paths,
    }]
    w = TarWriter(out)
    for hexd in sorted(blobs):
        w.add("blobs/sha256/" + hexd, blobs[hexd])
    w.add("index.json", json.dumps(index, separators=(",", ":")).encode())
    w.add("manifest.json", (json.dumps(classic_manifest, separators=(",", ":")) + "\n").encode())
    w.add("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
    if "repositories" in files:
        w.add("repositories", files["repositories"])
    w.close()


def multi_platform(amd64_tar, arm64_tar, outdir, tag):
    blobs_dir = os.path.join(outdir, "blobs", "sha256")
    os.makedirs(blobs_dir, exist_ok=True)

    def put(data):
        hexd = sha256_hex(data)
        with open(os.path.join(blobs_dir, hexd), "wb") as f:
            f.write(data)
        return {"digest": "sha256:" + hexd, "size": len(data)}

    descs = []
    for path, arch in ((arm64_tar, "arm64"), (amd64_tar, "amd64")):
        entry, files = read_classic(path)
        config = json.loads(files[entry["Config"]])
        config["architecture"] = arch
        config_desc = dict(mediaType="application/vnd.oci.image.config.v1+json",
                           **put(json.dumps(config, separators=(",", ":")).encode()))
        layers = [dict(mediaType="application/vnd.oci.image.layer.v1.tar", **put(files[l]))
                  for l in entry["Layers"]]
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": config_desc, "layers": layers}
        desc = dict(mediaType="application/vnd.oci.image.manifest.v1+json",
                    **put(json.dumps(manifest, separators=(",", ":")).encode()))
        desc["platform"] = {"architecture": arch, "os": "linux"}
        descs.append(desc)
    nested = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
              "manifests": descs}
    nested_desc = dict(mediaType="application/vnd.oci.image.index.v1+json",
                       **put(json.dumps(nested, separators=(",", ":")).encode()))
    nested_desc["annotations"] = {"org.opencontainers.image.ref.name": tag}
    with open(os.path.join(outdir, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                   "manifests": [nested_desc]}, f)
    with open(os.path.join(outdir, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')


def corrupt(classic, out):
    entry, _ = read_classic(classic)
    with tarfile.open(classic) as tf:
        members = tf.getmembers()
        data = {m.name: tf.extractfile(m).read() for m in members if m.isfile()}
    config = json.loads(data[entry["Config"]])
    target = None
    for i, layer_path in enumerate(entry["Layers"]):
        raw = bytearray(data[layer_path])
        with tarfile.open(fileobj=io.BytesIO(bytes(raw))) as inner:
            for m in inner.getmembers():
                if m.isfile() and m.size > 64:
                    raw[m.offset_data + m.size // 2] ^= 0x5A
                    target = (i, config["rootfs"]["diff_ids"][i], layer_path)
                    break
        if target:
            data[layer_path] = bytes(raw)
            break
    if not target:
        raise SystemExit("no layer with a regular file to corrupt in %s" % classic)
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tw:
        for m in members:
            if m.isfile():
                m.size = len(data[m.name])
                tw.addfile(m, io.BytesIO(data[m.name]))
            else:
                tw.addfile(m)
    print("%d %s %s" % target)


def load(path):
    with open(path) as f:
        return json.load(f)


def norm_findings(report):
    rows = []
    for f in report.get("findings") or []:
        loc = f.get("location") or {}
        rows.append((f.get("rule_id", ""), loc.get("path", "") or "",
                     loc.get("diff_id", "") or "", f.get("id", "")))
    return sorted(rows)


def dig(obj, dotted):
    for part in dotted.split("."):
        if isinstance(obj, list):
            try:
                obj = obj[int(part)]
            except (ValueError, IndexError):
                return None
        elif isinstance(obj, dict):
            obj = obj.get(part)
        else:
            return None
        if obj is None:
            return None
    return obj


def compare(a_path, b_path, ignore=()):
    a, b = load(a_path), load(b_path)
    problems = []
    fa = [r for r in norm_findings(a) if r[0] not in ignore]
    fb = [r for r in norm_findings(b) if r[0] not in ignore]
    if fa != fb:
        problems.append("findings differ:\n  only in %s: %s\n  only in %s: %s" % (
            a_path, sorted(set(fa) - set(fb)), b_path, sorted(set(fb) - set(fa))))
    for key in ("artifact.os.id", "artifact.os.version_id"):
        if dig(a, key) != dig(b, key):
            problems.append("%s: %r vs %r" % (key, dig(a, key), dig(b, key)))
    la = [l.get("diff_id") for l in dig(a, "artifact.layers") or []]
    lb = [l.get("diff_id") for l in dig(b, "artifact.layers") or []]
    if la != lb:
        problems.append("layer diff_ids differ: %s vs %s" % (la, lb))
    if problems:
        print("\n".join(problems))
        return 1
    return 0


def check_layers(report_path, classic):
    entry, files = read_classic(classic)
    config = json.loads(files[entry["Config"]])
    diff_ids = config["rootfs"]["diff_ids"]
    made = [h.get("created_by", "") for h in config.get("history") or [] if not h.get("empty_layer")]
    got = dig(load(report_path), "artifact.layers") or []
    problems = []
    if [l.get("diff_id") for l in got] != diff_ids:
        problems.append("diff_ids %s, want %s" % ([l.get("diff_id") for l in got], diff_ids))
    if len(made) == len(diff_ids) and [l.get("created_by", "") for l in got] != made:
        problems.append("created_by %s, want %s" % ([l.get("created_by") for l in got], made))
    idx = [l.get("index") for l in got]
    if idx not in (list(range(len(got))), list(range(1, len(got) + 1))):
        problems.append("indexes %s" % [l.get("index") for l in got])
    if problems:
        print("; ".join(problems))
        return 1
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "oci-in-tar":
        oci_in_tar(args[0], args[1], "--gzip" in args[2:])
    elif cmd == "multi-platform":
        multi_platform(args[0], args[1], args[2], args[3])
    elif cmd == "corrupt":
        corrupt(args[0], args[1])
    elif cmd == "findings":
        for row in norm_findings(load(args[0])):
            print("\t".join(row))
    elif cmd == "compare":
        ignore = [args[i + 1] for i, a in enumerate(args) if a == "--ignore-rule"]
        return compare(args[0], args[1], ignore)
    elif cmd == "healthcheck-dropped":
        entry, files = read_classic(args[0])
        had = (json.loads(files[entry["Config"]]).get("config") or {}).get("Healthcheck")
        blob = lambda d: os.path.join(args[1], "blobs", *d.split(":", 1))
        index = load(os.path.join(args[1], "index.json"))
        manifest = load(blob(index["manifests"][0]["digest"]))
        has = (load(blob(manifest["config"]["digest"])).get("config") or {}).get("Healthcheck")
        return 0 if had and not has else 1
    elif cmd == "get":
        v = dig(load(args[0]), args[1])
        print("" if v is None else (json.dumps(v) if isinstance(v, (dict, list)) else v))
    elif cmd == "max-severity":
        sev = [f.get("severity", "UNKNOWN") for f in load(args[0]).get("findings") or []]
        print(max(sev, key=SEVERITIES.index) if sev else "NONE")
    elif cmd == "check-layers":
        return check_layers(args[0], args[1])
    elif cmd == "sarif-ok":
        doc = load(args[0])
        return 0 if doc.get("version") == "2.1.0" and doc.get("runs") else 1
    else:
        print("unknown command " + cmd, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
