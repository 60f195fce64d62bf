#!/usr/bin/python3
"""Report comparisons and log queries for tests/integration/registry.sh
(standard library only).

  same-report ARCHIVE.json REGISTRY.json [MANIFEST.json]
      Exit 0 when the two JSON reports agree on everything but the fields
      that say where the image was read from (DROPPED below, each with why);
      print what was compared and which dropped fields differed. With the
      registry manifest (skopeo inspect --raw), also check that the registry
      report's layers carry that manifest's blob digests, sizes and
      compression, in order.
  same-sbom ARCHIVE.cdx REGISTRY.cdx
      The same for two CycloneDX documents (SBOM_DROPPED).
  same-bytes A B
      Exit 0 when the files are byte-identical; else print the first
      differing JSON paths (or line).
  get FILE.json DOTTED.PATH
      Print one value ("" when absent; lists and objects as JSON).
  layer-digests MANIFEST.json
      Print the manifest's layer digests, one a line.
  log PROXY.LOG QUERY
      Facts from a registry_servers.py token-proxy log, one "key=value" a
      line: token requests (and how they authenticated), the tokens each
      request presented, blob and manifest GETs, 401s, Basic credentials
      sent to the registry (never wanted), expired-token refusals.
      QUERY is "summary" or one key.
"""

import hashlib
import json
import re
import sys

# Fields that legitimately differ between `drydock image X.tar` and
# `drydock image registry:…` of the same image, with the reason:
DROPPED = [
    # What the user typed and where it was read from.
    (r"target", "the argument as given"),
    (r"artifact\.reference", "the argument as given"),
    (r"artifact\.source_kind", "docker-archive vs registry"),
    # Names: the archive's RepoTags come from `docker save`; a registry image
    # is named by its repository and tag there, and by its manifest digest.
    (r"artifact\.repo_tags(\.\d+)?", "the archive's docker tag vs the registry's name"),
    (r"artifact\.manifest_digest", "only a registry has a manifest digest"),
    # Blobs: `docker save` writes plain tars; skopeo gzip-compresses layers
    # when it pushes (checked against the manifest instead). diff_ids, file
    # counts and tar sizes must still agree.
    (r"artifact\.layers\.\d+\.(blob_digest|compression|blob_bytes|media_type)", "plain tar in the archive, gzip in the registry"),
    (r"artifact\.total_blob_bytes", "plain tar in the archive, gzip in the registry"),
]
SBOM_DROPPED = [
    # How the image itself is named: the archive by its config digest (the
    # image id), a registry image by its manifest digest and an oci purl with
    # its repository_url; the bom-ref (replaced by "<image>" in both before
    # comparing) and the serialNumber are derived from that name.
    (r"serialNumber", "derived from the image's name"),
    (r"metadata\.component\.version", "image id (archive) vs manifest digest (registry), checked apart"),
    (r"metadata\.component\.purl", "only a registry image has a pkg:oci purl (repository_url, tag)"),
    (r"metadata\.component\.name", "the argument as given"),
    (r"metadata\.properties\.drydock:target", "the argument as given"),
    (r"metadata\.component\.properties\.drydock:image:source_kind", "docker-archive vs registry"),
    (r"metadata\.component\.properties\.drydock:image:repo_tag", "the archive's docker tag vs the registry's name"),
    (r"metadata\.component\.properties\.drydock:image:manifest_digest", "only a registry has a manifest digest"),
]


def load(path):
    with open(path) as f:
        return json.load(f)


def flatten(obj, prefix="", out=None, props=False):
    """{dotted path: leaf}. With props, CycloneDX "properties" lists become
    objects keyed by name (a repeated name: a list of its values)."""
    if out is None:
        out = {}
    if props and isinstance(obj, list) and all(isinstance(p, dict) and set(p) == {"name", "value"} for p in obj) and obj:
        grouped = {}
        for p in obj:
            grouped.setdefault(p["name"], []).append(p["value"])
        obj = {k: (v[0] if len(v) == 1 else v) for k, v in grouped.items()}
    if isinstance(obj, dict):
        if not obj:
            out[prefix] = {}
        for k, v in obj.items():
            flatten(v, prefix + "." + k if prefix else k, out, props)
    elif isinstance(obj, list):
        if not obj:
            out[prefix] = []
        for i, v in enumerate(obj):
            flatten(v, "%s.%d" % (prefix, i), out, props)
    else:
        out[prefix] = obj
    return out


def diff(a, b, dropped, props=False):
    fa, fb = flatten(a, props=props), flatten(b, props=props)
    rx = [(re.compile("^" + r + "(\\.\\d+)?$"), why) for r, why in dropped]
    bad, skipped = [], {}
    for k in sorted(set(fa) | set(fb)):
        va, vb = fa.get(k, "<absent>"), fb.get(k, "<absent>")
        if va == vb:
            continue
        why = next((w for r, w in rx if r.match(k)), None)
        if why is None:
            bad.append("%s: %s vs %s" % (k, json.dumps(va)[:150], json.dumps(vb)[:150]))
        else:
            skipped.setdefault(re.sub(r"\.\d+", ".N", k), why)
    return bad, skipped


def same_report(a_path, b_path, manifest_path=None):
    a, b = load(a_path), load(b_path)
    bad, skipped = diff(a, b, DROPPED)
    pk = [p.get("id") for p in b.get("packages") or []]
    fk = [f.get("id") for f in b.get("findings") or []]
    kinds = {}
    for f in b.get("findings") or []:
        kinds[f.get("kind")] = kinds.get(f.get("kind"), 0) + 1
    print("compared: %d packages, %d findings (%s), %d layers" % (
        len(pk), len(fk), ", ".join("%d %s" % (n, k) for k, n in sorted(kinds.items())),
        len((b.get("artifact") or {}).get("layers") or [])))
    if skipped:
        print("differ as expected: " + "; ".join("%s (%s)" % kv for kv in skipped.items()))
    if [p.get("id") for p in a.get("packages") or []] != pk:
        bad.append("package ids differ")
    if [f.get("id") for f in a.get("findings") or []] != fk:
        bad.append("finding ids (fingerprints) differ")
    if manifest_path:
        m = load(manifest_path)
        with open(manifest_path, "rb") as f:
            want_digest = "sha256:" + hashlib.sha256(f.read()).hexdigest()
        got_digest = (b.get("artifact") or {}).get("manifest_digest")
        if got_digest != want_digest:
            bad.append("registry report's manifest_digest %s, the pushed manifest's is %s" % (got_digest, want_digest))
        got = [(l.get("blob_digest"), l.get("blob_bytes"), l.get("compression"))
               for l in (b.get("artifact") or {}).get("layers") or []]
        want = [(l["digest"], l["size"], "gzip" if l["mediaType"].endswith("gzip") else
                 ("zstd" if l["mediaType"].endswith("zstd") else "none")) for l in m["layers"]]
        if got != want:
            bad.append("registry report layers (blob_digest, blob_bytes, compression) %s, manifest says %s" % (got, want))
    for line in bad:
        print(line)
    return 1 if bad else 0


def rename(obj, old, new):
    """obj with every string equal to old replaced by new."""
    if isinstance(obj, dict):
        return {k: rename(v, old, new) for k, v in obj.items()}
    if isinstance(obj, list):
        return [rename(v, old, new) for v in obj]
    return new if obj == old else obj


def same_sbom(a_path, b_path):
    a, b = load(a_path), load(b_path)
    for doc in (a, b):
        ref = (doc.get("metadata") or {}).get("component", {}).get("bom-ref")
        if ref:
            doc.update(rename(doc, ref, "<image>"))
    bad, skipped = diff(a, b, SBOM_DROPPED, props=True)
    comps = b.get("components") or []
    print("compared: %d components, %d dependency entries" % (len(comps), len(b.get("dependencies") or [])))
    if skipped:
        print("differ as expected: " + "; ".join("%s (%s)" % kv for kv in skipped.items()))
    if not comps:
        bad.append("no components")
    for line in bad:
        print(line)
    return 1 if bad else 0


def same_bytes(a_path, b_path):
    with open(a_path, "rb") as f:
        a = f.read()
    with open(b_path, "rb") as f:
        b = f.read()
    if a == b:
        return 0
    try:
        bad, _ = diff(json.loads(a), json.loads(b), [])
        print("\n".join(bad[:20]) or "same JSON, different bytes")
    except ValueError:
        al, bl = a.splitlines(), b.splitlines()
        i = next((i for i, (x, y) in enumerate(zip(al, bl)) if x != y), min(len(al), len(bl)))
        print("line %d differs" % (i + 1))
    return 1


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
    return obj


def log_facts(path):
    entries = [json.loads(l) for l in open(path) if l.strip()]
    reg = [e for e in entries if e["path"].startswith("/v2/")]
    tok = [e for e in entries if e["path"] == "/token"]
    issued = [e for e in tok if e.get("status") == 200]
    blobs = [e for e in reg if "/blobs/" in e["path"] and e["method"] == "GET"]
    facts = {
        "token_requests": len(tok),
        "tokens_issued": len(issued),
        "token_auth": ",".join(sorted({e.get("auth", "") for e in tok})),
        "token_grants": ",".join(sorted({e.get("grant", "") for e in tok if e.get("grant")})),
        "token_scopes": ",".join(sorted({s for e in tok for s in e.get("scope", [])})),
        "token_refused": sum(1 for e in tok if e.get("status") != 200),
        "requests": len(reg),
        "blob_gets": len(blobs),
        "blob_gets_ok": sum(1 for e in blobs if e.get("status") == 200),
        "manifest_gets": sum(1 for e in reg if "/manifests/" in e["path"] and e["method"] == "GET"),
        "unauthorized": sum(1 for e in reg if e.get("status") == 401),
        "expired_refusals": sum(1 for e in reg if e.get("expired")),
        "basic_to_registry": sum(1 for e in reg if e.get("auth") == "basic"),
        "tokens_presented": ",".join(sorted({e["token"] for e in reg if e.get("token")},
                                            key=lambda t: int(t[1:]))),
        "blob_digests": ",".join(e["path"].rsplit("/", 1)[-1] for e in blobs),
        "blob_tokens": ",".join(sorted({e["token"] for e in blobs if e.get("token")}, key=lambda t: int(t[1:]))),
        "authorized_ok": sum(1 for e in reg if e.get("auth") == "bearer" and e.get("status") in (200, 307)),
    }
    return facts


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "same-report":
        return same_report(*args[:3])
    if cmd == "same-sbom":
        return same_sbom(args[0], args[1])
    if cmd == "same-bytes":
        return same_bytes(args[0], args[1])
    if cmd == "get":
        v = dig(load(args[0]), args[1])
        print("" if v is None else (json.dumps(v) if isinstance(v, (dict, list)) else v))
        return 0
    if cmd == "layer-digests":
        for l in load(args[0])["layers"]:
            print(l["digest"])
        return 0
    if cmd == "log":
        facts = log_facts(args[0])
        if args[1] == "summary":
            print(" ".join("%s=%s" % kv for kv in facts.items()))
        else:
            print(facts[args[1]])
        return 0
    print("unknown command " + cmd, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
