#!/usr/bin/python3
"""Builds the hostile-input corpus for drydock's robustness promises.

    /usr/bin/python3 tests/hostile/make_corpus.py OUTDIR

Writes one docker-archive tar or OCI layout directory per case into OUTDIR and
OUTDIR/cases.json, a list of
    {name, target, args, exit: [allowed codes], stderr: regex for the one
     stderr line when the exit is 2, report / no_report: regexes the JSON
     report must (not) match when the exit is 0, must_not_exist: paths a
     traversal must not have created, why}
tests/hostile/run.sh runs drydock on each and checks the outcome. Everything is
generated here, deterministically, from a fixed seed: nothing large is stored
in the repository. Budget: well under 30 s and 200 MB.
"""

import gzip
import hashlib
import importlib
import json
import os
import random
import re
import stat
import struct
import subprocess
import sys
import zlib

RNG = random.Random(20240601)
OUT = None
CASES = []

# --------------------------------------------------------------------------
# tar, byte-exact (Python's tarfile cannot write most of what we need).


def _octal(v, width):
    return (b"%0*o" % (width - 1, v)) + b"\0"


def _b256(v, width):
    """GNU base-256 numeric field, for values octal cannot hold."""
    return b"\x80" + v.to_bytes(width - 1, "big")


def tar_header(name, typ=b"0", size=0, link=b"", mode=0o644, size_field=None, gnu=False, tail=None):
    """One 512-byte header. `size_field` overrides the 12-byte size field;
    `tail` is a dict offset -> bytes poked in before the checksum."""
    h = bytearray(512)
    h[0:min(len(name), 100)] = name[:100]
    h[100:108] = _octal(mode & 0o7777, 8)
    h[108:116] = _octal(0, 8)
    h[116:124] = _octal(0, 8)
    h[124:136] = size_field if size_field is not None else _octal(size, 12)
    h[136:148] = _octal(0, 12)
    h[156:157] = typ
    h[157:157 + min(len(link), 100)] = link[:100]
    h[257:265] = b"ustar  \0" if gnu else b"ustar\x0000"
    h[265:269] = b"root"
    h[297:301] = b"root"
    for off, val in (tail or {}).items():
        h[off:off + len(val)] = val
    h[148:156] = b"        "
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def pad(data):
    return data + b"\0" * ((512 - len(data) % 512) % 512)


def pax_record(key, value):
    body = b" " + key + b"=" + value + b"\n"
    n = len(body) + 1
    while len(str(n)) + len(body) != n:
        n += 1
    return str(n).encode() + body


class Tar:
    """Builds a tar stream from parts; names and data are bytes."""

    def __init__(self):
        self.parts = []

    def raw(self, b):
        self.parts.append(b)
        return self

    def pax(self, records, typ=b"x"):
        data = b"".join(pax_record(k, v) for k, v in records)
        self.parts.append(tar_header(b"PaxHeader/x", typ, len(data)) + pad(data))
        return self

    def entry(self, name, typ=b"0", data=b"", link=b"", mode=0o644):
        recs = []
        if len(name) > 100:
            recs.append((b"path", name))
        if len(link) > 100:
            recs.append((b"linkpath", link))
        if recs:
            self.pax(recs)
        has_data = typ in (b"0", b"7")
        self.parts.append(tar_header(name, typ, len(data) if has_data else 0, link, mode))
        if has_data:
            self.parts.append(pad(data))
        return self

    def file(self, name, data=b"", mode=0o644):
        return self.entry(name, b"0", data, mode=mode)

    def dir(self, name, mode=0o755):
        return self.entry(name, b"5", mode=mode)

    def symlink(self, name, target):
        return self.entry(name, b"2", link=target, mode=0o777)

    def hardlink(self, name, target):
        return self.entry(name, b"1", link=target)

    def bytes(self, end=True):
        return b"".join(self.parts) + (b"\0" * 1024 if end else b"")


def sha(b):
    return hashlib.sha256(b).hexdigest()


def gz(b):
    return gzip.compress(b, compresslevel=6, mtime=0)


def zstd_frame(blocks):
    """A zstd frame from ('raw', bytes) and ('rle', byte, count) blocks (any
    count: split into 128 KiB blocks here); no library needed, and RLE
    blocks make bombs cheap to build."""
    out = [b"\x28\xb5\x2f\xfd" + bytes([0x00, 13 << 3])]  # window 8 MiB
    flat = []
    for blk in blocks:
        if blk[0] == "raw":
            flat.append((0, blk[1], 1))
        else:
            full, rest = divmod(blk[2], 128 << 10)
            if full:
                flat.append((1, (blk[1], 128 << 10), full))
            if rest:
                flat.append((1, (blk[1], rest), 1))
    for i, (typ, payload, repeat) in enumerate(flat):
        last_run = i == len(flat) - 1
        if typ == 0:
            one = (struct.pack("<I", (len(payload) << 3))[:3], payload)
        else:
            one = (struct.pack("<I", (1 << 1) | (payload[1] << 3))[:3], bytes([payload[0]]))
        block = one[0] + one[1]
        if repeat > 1:
            out.append(block * (repeat - 1))
        if last_run:
            hdr = bytes([one[0][0] | 1]) + one[0][1:]
            out.append(hdr + one[1])
        else:
            out.append(block)
    return b"".join(out)


def zst(b):
    chunks = [b[i:i + 65536] for i in range(0, len(b), 65536)] or [b""]
    return zstd_frame([("raw", c) for c in chunks])


# --------------------------------------------------------------------------
# Images.

OS_ALPINE = b'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n'
OS_WOLFI = b'ID=wolfi\nNAME="Wolfi"\nPRETTY_NAME="Wolfi"\nVERSION_ID=20230201\n'


def base_layer():
    return (Tar().dir(b"etc").file(b"etc/os-release", OS_ALPINE)
            .file(b"etc/passwd", b"root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n")
            .dir(b"bin").file(b"bin/sh", b"\x7fELF-not-really", 0o755).bytes())


def upper_layer():
    return Tar().dir(b"app").file(b"app/main.py", b"print('hi')\n").bytes()


def config_json(diff_ids, history=None, extra=None, arch="amd64"):
    cfg = {
        "architecture": arch, "os": "linux", "created": "2024-01-01T00:00:00Z",
        "config": {"User": "app", "Env": ["PATH=/usr/bin:/bin"], "Cmd": ["/bin/sh"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history if history is not None else
        [{"created_by": "/bin/sh -c #(nop) ADD layer%d" % i} for i in range(len(diff_ids))],
    }
    if extra:
        cfg["config"].update(extra)
    return json.dumps(cfg).encode()


def classic(layers, diff_ids=None, config=None, manifest=None, layer_paths=None, extra=(), omit=()):
    """A classic docker-save archive. `layers` are the layer blobs as stored;
    diff_ids default to their digests. Returns the archive bytes."""
    if diff_ids is None:
        diff_ids = ["sha256:" + sha(b) for b in layers]
    if config is None:
        config = config_json(diff_ids)
    cfg_name = sha(config) + ".json"
    if layer_paths is None:
        layer_paths = ["%064x/layer.tar" % (i + 1) for i in range(len(layers))]
    if manifest is None:
        manifest = json.dumps([{"Config": cfg_name, "RepoTags": ["hostile:1"], "Layers": layer_paths}]).encode()
    t = Tar()
    written = set()
    for path, blob in zip(layer_paths, layers):
        if path in omit or path in written:
            continue
        written.add(path)
        t.dir(os.path.dirname(path).encode()).file(b"%s/VERSION" % os.path.dirname(path).encode(), b"1.0")
        t.file(path.encode(), blob)
    if cfg_name not in omit:
        t.file(cfg_name.encode(), config)
    for name, data in extra:
        t.file(name, data)
    if "manifest.json" not in omit:
        t.file(b"manifest.json", manifest)
    return t.bytes()


MT = {
    "": "application/vnd.oci.image.layer.v1.tar",
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
}
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_INDEX = "application/vnd.oci.image.index.v1+json"
LAYOUT_OK = b'{"imageLayoutVersion":"1.0.0"}'


def oci(layer_tars, compress="gzip", blobs_override=None, diff_ids=None, config=None, layer_mts=None,
        platform=None, arch="amd64"):
    """The blobs of one OCI image. Returns (blobs: dict hex->bytes,
    manifest descriptor dict). `blobs_override` maps a layer index to the
    bytes stored instead of the compressed layer (its descriptor then names
    those bytes)."""
    blobs, descs = {}, []
    for i, t in enumerate(layer_tars):
        b = gz(t) if compress == "gzip" else zst(t) if compress == "zstd" else t
        if blobs_override and i in blobs_override:
            b = blobs_override[i]
        blobs[sha(b)] = b
        mt = layer_mts[i] if layer_mts else MT[compress]
        descs.append({"mediaType": mt, "digest": "sha256:" + sha(b), "size": len(b)})
    if diff_ids is None:
        diff_ids = ["sha256:" + sha(t) for t in layer_tars]
    cfg = config if config is not None else config_json(diff_ids, arch=arch)
    blobs[sha(cfg)] = cfg
    man = json.dumps({"schemaVersion": 2, "mediaType": MT_MANIFEST,
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                 "digest": "sha256:" + sha(cfg), "size": len(cfg)},
                      "layers": descs}).encode()
    blobs[sha(man)] = man
    desc = {"mediaType": MT_MANIFEST, "digest": "sha256:" + sha(man), "size": len(man),
            "annotations": {"org.opencontainers.image.ref.name": "1"}}
    if platform:
        desc["platform"] = platform
    return blobs, desc, cfg, descs


def index_json(descs):
    return json.dumps({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": descs}).encode()


def oci_files(blobs, index, layout=LAYOUT_OK, save_manifest=None):
    files = [("oci-layout", layout)] if layout is not None else []
    files += [("blobs/sha256/" + h, b) for h, b in blobs.items()]
    if index is not None:
        files.append(("index.json", index))
    if save_manifest is not None:
        files.append(("manifest.json", save_manifest))
    return files


def write_dir(name, files):
    root = os.path.join(OUT, name)
    for path, data in files:
        p = os.path.join(root, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
    os.makedirs(root, exist_ok=True)
    return root


def files_tar(files):
    t = Tar()
    for path, data in files:
        t.file(path.encode(), data)
    return t.bytes()


def write_file(name, data):
    p = os.path.join(OUT, name)
    with open(p, "wb") as f:
        f.write(data)
    return p


# --------------------------------------------------------------------------
# Cases.

# "layer 2 (sha256:ab12…)" or "layer 2 of 3 (sha256:ab12…)".
LAYER_ERR = r"layer \d+( of \d+)? \(sha256:[0-9a-f]{6}"


def case(name, target, exit, stderr=None, report=None, no_report=None, args=(), must_not_exist=(), why="",
         command="image", flags=None):
    assert re.fullmatch(r"[a-z0-9_]+", name), name
    assert all(c["name"] != name for c in CASES), name
    if 2 in exit:
        assert stderr, name
        re.compile(stderr)
    CASES.append({"name": name, "target": target, "args": list(args), "exit": list(exit),
                  "stderr": stderr, "report": report, "no_report": no_report,
                  "must_not_exist": list(must_not_exist), "why": why, "command": command, "flags": flags})


def archive_case(name, data, exit, **kw):
    path = write_file(name + ".tar", data)
    case(name, "docker-archive:" + path, exit, **kw)


def oci_dir_case(name, files, exit, **kw):
    case(name, "oci:" + write_dir(name, files), exit, **kw)


def baselines():
    archive_case("valid_classic", classic([base_layer(), upper_layer()]), [0], report=r"alpine",
                 why="sanity: a well-formed classic docker save scans")
    path = write_file("valid_bare_path.tar", classic([base_layer()]))
    case("valid_bare_path", path, [0], report=r"alpine", why="sanity: a bare path resolves to the archive")
    blobs, desc, cfg, ldescs = oci([base_layer(), upper_layer()], "gzip")
    save = json.dumps([{"Config": "blobs/sha256/" + sha(cfg), "RepoTags": ["hostile:1"],
                        "Layers": ["blobs/sha256/" + d["digest"][7:] for d in ldescs]}]).encode()
    archive_case("valid_oci_in_tar_gzip", files_tar(oci_files(blobs, index_json([desc]), save_manifest=save)),
                 [0], report=r"alpine", why="sanity: Docker >= 25 OCI-in-tar save with gzip layers")
    blobs, desc, _, _ = oci([base_layer()], "zstd")
    oci_dir_case("valid_oci_layout_zstd", oci_files(blobs, index_json([desc])), [0], report=r"alpine",
                 why="sanity: OCI layout with a zstd layer")
    # Index -> index -> manifest, every digest real: legal, must scan.
    blobs, desc, _, _ = oci([base_layer()], "gzip")
    inner = index_json([desc])
    blobs[sha(inner)] = inner
    outer = index_json([{"mediaType": MT_INDEX, "digest": "sha256:" + sha(inner), "size": len(inner)}])
    oci_dir_case("valid_oci_nested_index", oci_files(blobs, outer), [0], report=r"alpine",
                 why="an index that points to another index (legal) is followed")


def truncation():
    full = classic([base_layer(), upper_layer()])
    archive_case("truncated_outer_tar", full[: len(full) // 2 + 100], [2],
                 stderr=r"(?i)(truncat|unexpected end|premature|short|eof|incomplete)",
                 why="outer tar cut in the middle of a layer member")
    layer = base_layer()[:700]  # inside etc/os-release's data block
    archive_case("truncated_layer_tar", classic([layer]), [2],
                 stderr=LAYER_ERR + r".*(?i:truncat|unexpected end|premature|eof|incomplete)",
                 why="layer tar cut inside a member; diff_id matches the cut bytes, so only the tar walk can notice")
    base = base_layer()
    cut = gz(base)[:-40]
    blobs, desc, cfg, _ = oci([base], "gzip", blobs_override={0: cut})
    oci_dir_case("truncated_gzip_layer", oci_files(blobs, index_json([desc])), [2],
                 stderr=LAYER_ERR + r".*(?i:gzip|deflate|truncat|unexpected end|premature|eof)",
                 why="gzip stream cut before its end; the blob digest names the cut bytes")
    bad = bytearray(gz(base))
    bad[-8] ^= 0xFF  # CRC32 trailer
    blobs, desc, _, _ = oci([base], "gzip", blobs_override={0: bytes(bad)})
    oci_dir_case("bad_gzip_crc", oci_files(blobs, index_json([desc])), [2],
                 stderr=LAYER_ERR + r".*(?i:crc|checksum|gzip)",
                 why="gzip CRC32 trailer wrong; data otherwise intact")
    garbage = b"\x28\xb5\x2f\xfd" + bytes(RNG.getrandbits(8) for _ in range(300))
    blobs, desc, _, _ = oci([base], "zstd", blobs_override={0: garbage})
    oci_dir_case("zstd_garbage", oci_files(blobs, index_json([desc])), [2],
                 stderr=LAYER_ERR + r".*(?i:zstd)",
                 why="zstd magic followed by garbage")
    noise = bytes(RNG.getrandbits(8) for _ in range(4096))
    archive_case("layer_not_a_tar", classic([noise]), [2], stderr=LAYER_ERR,
                 why="layer blob is random bytes (no known magic, not a tar)")
    blob = gz(base[:1024]) + gz(base[1024:])
    blobs, desc, _, _ = oci([base], "gzip", blobs_override={0: blob})
    oci_dir_case("gzip_multi_member", oci_files(blobs, index_json([desc])), [0], report=r"alpine",
                 why="a layer of two concatenated gzip members is one valid gzip stream (RFC 1952, Go's reader)")


def digests():
    base, up = base_layer(), upper_layer()
    archive_case("diff_id_mismatch", classic([base, up], diff_ids=["sha256:" + sha(base), "sha256:" + sha(b"x")]),
                 [2], stderr=LAYER_ERR + r".*(?i:diff_?id|digest|mismatch)",
                 why="config diff_id of layer 1 does not match its tar")
    blobs, desc, cfg, ldescs = oci([base], "gzip")
    h = ldescs[0]["digest"][7:]
    blobs[h] = gz(up)  # stored under the wrong name
    oci_dir_case("oci_blob_digest_mismatch", oci_files(blobs, index_json([desc])), [2],
                 stderr=r"(?i)sha256:" + h[:6] + r".*(digest|mismatch)|(digest|mismatch).*sha256:" + h[:6],
                 why="OCI layer blob content does not hash to its name")
    blobs, desc, _, _ = oci([base], "gzip")
    man = blobs[desc["digest"][7:]]
    blobs[desc["digest"][7:]] = man.replace(b'"schemaVersion": 2', b'"schemaVersion":  2')
    oci_dir_case("oci_manifest_digest_mismatch", oci_files(blobs, index_json([desc])), [2],
                 stderr=r"(?i)(digest|mismatch)",
                 why="manifest blob edited after its digest was taken")
    archive_case("wrong_diff_ids_count", classic([base, up], diff_ids=["sha256:" + sha(base)]), [2],
                 stderr=r"(?i)diff_?ids?",
                 why="config lists 1 diff_id, manifest 2 layers")
    archive_case("config_diff_id_traversal", classic([base], diff_ids=["sha256:../../../../etc/passwd"]), [2],
                 stderr=r"(?i)(digest|diff_?id)", why="diff_id that is not a digest")
    archive_case("duplicate_layer_in_manifest",
                 classic([base, base], layer_paths=["%064x/layer.tar" % 7] * 2), [0], report=r"alpine",
                 why="the same layer tar listed twice (docker does this for identical layers)")


def missing():
    base = base_layer()
    archive_case("missing_layer_blob", classic([base], omit={"%064x/layer.tar" % 1}), [2],
                 stderr=r"(?i)(missing|not found|no such|not in|does not contain|absent|not present)",
                 why="manifest.json names a layer the archive lacks")
    cfg = config_json(["sha256:" + sha(base)])
    archive_case("missing_config", classic([base], config=cfg, omit={sha(cfg) + ".json"}), [2],
                 stderr=r"(?i)config", why="manifest.json names a config the archive lacks")
    archive_case("no_manifest", Tar().file(b"hello.txt", b"hi\n").dir(b"x").bytes(), [2],
                 stderr=r"(?i)(manifest\.json|index\.json)", why="tar with neither manifest.json nor index.json")
    archive_case("empty_file", b"", [2], stderr=r"(?i)(empty|manifest|index|not a tar|format|archive)",
                 why="zero-byte target")
    archive_case("zero_blocks_only", b"\0" * 10240, [2], stderr=r"(?i)(manifest\.json|index\.json|empty)",
                 why="a valid but empty tar")
    t = Tar()
    for d in (b"a", b"a/b", b"c", b"blobs", b"blobs/sha256"):
        t.dir(d)
    archive_case("only_directories_archive", t.bytes(), [2], stderr=r"(?i)(manifest\.json|index\.json)",
                 why="archive of directories only")
    blobs, desc, _, _ = oci([base], "gzip")
    del blobs[desc["digest"][7:]]
    oci_dir_case("oci_missing_manifest_blob", oci_files(blobs, index_json([desc])), [2],
                 stderr=r"(?i)(missing|not found|no such|does not exist|absent|not present)",
                 why="index.json names a manifest blob that is absent")
    blobs, desc, _, _ = oci([base], "gzip")
    oci_dir_case("oci_missing_index", oci_files(blobs, None), [2], stderr=r"(?i)index\.json",
                 why="oci-layout but no index.json")


def bad_json():
    base = base_layer()
    archive_case("manifest_not_json", classic([base], manifest=b"this is not json {"), [2],
                 stderr=r"(?i)manifest\.json", why="manifest.json is not JSON")
    archive_case("manifest_zero_entries", classic([base], manifest=b"[]"), [2],
                 stderr=r"(?i)manifest\.json", why="manifest.json lists no image")
    archive_case("config_not_json", classic([base], config=b"\x00\x01garbage{"), [2],
                 stderr=r"(?i)config", why="config is not JSON")
    archive_case("deep_nesting_manifest", classic([base], manifest=b"[" * 100000), [2],
                 stderr=r"(?i)manifest\.json", why="100k nested arrays")
    deep_cfg = b'{"a":' * 50000 + b"1" + b"}" * 50000
    archive_case("deep_nesting_config", classic([base], config=deep_cfg), [2],
                 stderr=r"(?i)config", why="50k nested objects in the config")
    blobs, _, _, _ = oci([base], "gzip")
    oci_dir_case("deep_nesting_index", oci_files(blobs, b'{"manifests":' + b"[" * 100000), [2],
                 stderr=r"(?i)index\.json", why="100k nested arrays in index.json")
    did = ["sha256:" + sha(base)]
    huge = config_json(did, extra={"Labels": {"x": "A" * (17 << 20)}})
    archive_case("huge_json_string_config", classic([base], config=huge), [2],
                 stderr=r"(?i)config.*(too large|too big|exceed|limit|MiB|bytes|size)",
                 why="17 MiB config, over the 16 MiB metadata limit")
    big = config_json(did, extra={"Labels": {"x": "B" * (4 << 20)}})
    archive_case("large_json_string_ok", classic([base], config=big), [0], report=r"alpine",
                 why="4 MiB label string: under the limit, must scan")


def oci_structure():
    base = base_layer()
    # A self-referencing index: stored under a name that is not its digest.
    blobs, _, _, _ = oci([base], "gzip")
    fake = "%064x" % 0xC1C1E
    blobs[fake] = index_json([{"mediaType": MT_INDEX, "digest": "sha256:" + fake, "size": 200}])
    oci_dir_case("oci_index_self_cycle",
                 oci_files(blobs, index_json([{"mediaType": MT_INDEX, "digest": "sha256:" + fake, "size": 200}])),
                 [2], stderr=r"(?i)(cycle|loop|recurs|depth|nest|digest|mismatch)",
                 why="index blob that lists itself (only possible if digests are not verified)")
    blobs, _, _, _ = oci([base], "gzip")
    a, b = "%064x" % 0xAAAA, "%064x" % 0xBBBB
    blobs[a] = index_json([{"mediaType": MT_INDEX, "digest": "sha256:" + b, "size": 200}])
    blobs[b] = index_json([{"mediaType": MT_INDEX, "digest": "sha256:" + a, "size": 200}])
    oci_dir_case("oci_index_ab_cycle",
                 oci_files(blobs, index_json([{"mediaType": MT_INDEX, "digest": "sha256:" + a, "size": 200}])),
                 [2], stderr=r"(?i)(cycle|loop|recurs|depth|nest|digest|mismatch)",
                 why="index A -> index B -> index A")
    # Fan-out: index.json lists one 13 MB sub-index 256 times; it lists
    # 100,000 manifests. Flattened naively that is 25.6 million descriptors.
    blobs, _, _, _ = oci([base], "gzip")
    entry = b'{"mediaType":"%s","digest":"sha256:%%064x","size":1}' % MT_MANIFEST.encode()
    sub = b'{"schemaVersion":2,"manifests":[' + b",".join(entry % i for i in range(100000)) + b"]}"
    blobs[sha(sub)] = sub
    sd = {"mediaType": MT_INDEX, "digest": "sha256:" + sha(sub), "size": len(sub)}
    oci_dir_case("oci_index_fanout", oci_files(blobs, index_json([sd] * 256)), [2],
                 stderr=r"(?i)(index|manifest|blob|sha256)",
                 why="256 references to a 100k-entry sub-index: bounded work and memory (dedupe, cap)")
    blobs, desc, _, _ = oci([base], "gzip", layer_mts=["application/vnd.example.weird.layer"])
    oci_dir_case("unknown_layer_media_type", oci_files(blobs, index_json([desc])), [2],
                 stderr=r"(?i)media ?type", why="layer media type nobody knows")
    blobs, desc, _, _ = oci([base], "gzip")
    art = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.example.artifact.v1+json"}).encode()
    blobs[sha(art)] = art
    odd = {"mediaType": "application/vnd.example.artifact.v1+json", "digest": "sha256:" + sha(art),
           "size": len(art)}
    oci_dir_case("unknown_manifest_in_index", oci_files(blobs, index_json([odd, desc])), [0], report=r"alpine",
                 why="an index entry of unknown media type next to a real image is skipped")
    blobs, _, _, _ = oci([base], "gzip")
    bad = {"mediaType": MT_MANIFEST, "digest": "sha256:../../../../../../etc/passwd", "size": 10}
    oci_dir_case("oci_digest_traversal", oci_files(blobs, index_json([bad])), [2], stderr=r"(?i)digest",
                 why="descriptor digest sha256:../../… must be refused, never used as a path")
    blobs, desc, cfg, _ = oci([base], "gzip")
    man = json.dumps({"schemaVersion": 2, "mediaType": MT_MANIFEST,
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                 "digest": "sha256:" + sha(cfg), "size": len(cfg)},
                      "layers": [{"mediaType": MT["gzip"], "digest": "sha256:../../x", "size": 1}]}).encode()
    blobs[sha(man)] = man
    oci_dir_case("oci_layer_digest_traversal",
                 oci_files(blobs, index_json([{"mediaType": MT_MANIFEST, "digest": "sha256:" + sha(man),
                                               "size": len(man)}])),
                 [2], stderr=r"(?i)digest", why="layer digest sha256:../../x")
    blobs, desc, _, _ = oci([base], "gzip")
    oci_dir_case("oci_layout_missing", oci_files(blobs, index_json([desc]), layout=None), [2],
                 stderr=r"(?i)(oci-layout|oci layout|not an oci)", why="no oci-layout file")
    oci_dir_case("oci_layout_wrong_version",
                 oci_files(blobs, index_json([desc]), layout=b'{"imageLayoutVersion":"2.0.0"}'), [2],
                 stderr=r"(?i)(oci-layout|version)", why="imageLayoutVersion 2.0.0")
    oci_dir_case("oci_index_zero_manifests", oci_files(blobs, index_json([])), [2],
                 stderr=r"(?i)(no (image|manifest)|zero|empty|manifests)", why="index.json with no manifests")
    descs, allb = [], {}
    for arch in ("arm64", "s390x"):
        b_, d_, _, _ = oci([base], "gzip", platform={"os": "linux", "architecture": arch}, arch=arch)
        allb.update(b_)
        descs.append(d_)
    oci_dir_case("oci_platform_not_found", oci_files(allb, index_json(descs)), [2],
                 stderr=r"(?i)linux/amd64", args=["--platform", "linux/amd64"],
                 why="multi-platform index without the requested platform; message names it")


def traversal():
    base = base_layer()
    esc = os.path.join(OUT, "escape")
    up = "../" * 40
    # The /tmp canaries are named after this corpus dir, so runs side by side
    # (release and ASan) never look at each other's paths.
    token = hashlib.sha256(os.path.abspath(OUT).encode()).hexdigest()[:12]
    canary_x = "/tmp/drydock-hostile-x-" + token
    canary_y = "/tmp/drydock-hostile-y-" + token
    layer = (Tar().file((up + esc.lstrip("/") + "/traversal_rel").encode(), b"x")
             .file((esc + "/traversal_abs").encode(), b"x")
             .file(("../../../.." + canary_x).encode(), b"x")
             .file(b"/etc/absolute-file", b"x")
             .file(b"../../etc/os-release", OS_ALPINE).bytes())
    archive_case("member_path_traversal", classic([layer]), [0], report=r"alpine",
                 must_not_exist=[esc, canary_x],
                 why="../ and absolute member names are cleaned inside the image, never written anywhere")
    l1 = (Tar().dir(b"etc").file(b"etc/os-release", OS_ALPINE)
          .symlink(b"etc/evil", (up + esc.lstrip("/") + "/symlink_rel").encode())
          .symlink(b"etc/evil2", (esc + "/symlink_abs").encode())
          .symlink(b"etc/tmpx", ("../../../.." + canary_y).encode()).bytes())
    l2 = (Tar().file(b"etc/evil/owned", b"owned\n").file(b"etc/evil2/owned", b"owned\n")
          .file(b"etc/tmpx/owned", b"owned\n").bytes())
    archive_case("symlink_escape_write_through", classic([l1, l2]), [0], report=r"alpine",
                 must_not_exist=[esc, canary_y],
                 why="symlink out of the image, then a file 'through' it in a later layer")
    host = ""
    try:
        with open("/etc/os-release", "rb") as f:
            m = re.search(rb'^PRETTY_NAME="?([^"\n]+)', f.read(), re.M)
            host = m.group(1).decode() if m else ""
    except OSError:
        pass
    layer = (Tar().dir(b"etc").symlink(b"etc/os-release", b"../../../../../../../../etc/os-release")
             .dir(b"usr").dir(b"usr/lib").symlink(b"usr/lib/os-release", b"/etc/os-release")
             .symlink(b"etc/debian_version", b"/../../etc/debian_version").bytes())
    archive_case("symlink_to_host_os_release", classic([layer]), [0],
                 no_report=re.escape(host) if host else r"\x00NEVER", report=None,
                 why="os-release symlinked 'out' must resolve inside the image (a loop), never to the host's")
    layer = (Tar().dir(b"etc").file(b"etc/os-release", OS_ALPINE)
             .hardlink(b"etc/ghost", b"etc/does-not-exist")
             .hardlink(b"etc/shadow-copy", b"../../../../etc/shadow")
             .hardlink(b"etc/self", b"etc/self").bytes())
    archive_case("hardlink_missing_target", classic([layer]), [0], report=r"alpine",
                 why="hardlinks to missing, escaping and self targets")
    layer = (Tar().dir(b"etc").file(b"etc/os-release-real", OS_ALPINE)
             .symlink(b"a", b"b").symlink(b"b", b"a").symlink(b"self", b"self")
             .symlink(b"etc/os-release", b"os-release").bytes())
    archive_case("symlink_loops", classic([layer]), [0], why="symlink loops, including os-release -> itself")
    t = Tar().dir(b"etc").file(b"etc/l0", OS_ALPINE)
    for i in range(1, 100):
        t.symlink(b"etc/l%d" % i, b"l%d" % (i - 1))
    t.symlink(b"etc/os-release", b"l99")
    archive_case("symlink_chain_100", classic([t.bytes()]), [0],
                 why="a 100-hop symlink chain: past the 40-hop limit, must stop, not recurse")
    blobs_cfg = config_json(["sha256:" + sha(base)])
    man = json.dumps([{"Config": sha(blobs_cfg) + ".json", "RepoTags": [], "Layers": ["../../../etc/passwd"]}])
    archive_case("manifest_layer_path_traversal",
                 classic([base], config=blobs_cfg, manifest=man.encode(), layer_paths=["../../../etc/passwd"],
                         omit={"../../../etc/passwd"}),
                 [2], stderr=r"(?i)(\.\./|outside|invalid|unsafe|travers|not found|missing|does not contain|not in)",
                 why="manifest.json layer path ../../../etc/passwd: never read outside the archive")
    man = json.dumps([{"Config": "/etc/passwd", "RepoTags": [], "Layers": ["%064x/layer.tar" % 1]}])
    archive_case("manifest_config_absolute", classic([base], manifest=man.encode()), [2],
                 stderr=r"(?i)config", why="manifest.json Config /etc/passwd")
    good = classic([base])
    outer = Tar().file((up + esc.lstrip("/") + "/outer_rel").encode(), b"x").file(
        (esc + "/outer_abs").encode(), b"x")
    archive_case("outer_member_traversal", b"".join(outer.parts) + good, [0], report=r"alpine",
                 must_not_exist=[esc], why="outer tar members with ../ and absolute names are never written")


def tar_oddities():
    base = base_layer()
    # Size field declares 100 GiB; the data is 100 bytes then the stream ends.
    huge = 100 << 30
    layer = (Tar().dir(b"etc").pax([(b"size", str(huge).encode())])
             .raw(tar_header(b"etc/os-release", b"0", 0) + pad(b"A" * 100)).bytes(end=False))
    archive_case("huge_declared_size_pax", classic([layer]), [2],
                 stderr=LAYER_ERR + r".*(?i:truncat|unexpected end|premature|eof|incomplete|size)",
                 why="pax size=100 GiB with 100 bytes of data, on a file analyzers want")
    b256 = _b256(huge, 12)
    layer = Tar().dir(b"etc").raw(tar_header(b"etc/passwd", b"0", size_field=b256) + pad(b"B" * 100)).bytes(end=False)
    archive_case("huge_declared_size_base256", classic([layer]), [2],
                 stderr=LAYER_ERR + r".*(?i:truncat|unexpected end|premature|eof|incomplete|size)",
                 why="GNU base-256 size field of 100 GiB, little data")
    man = b'[{"Config":"x.json","RepoTags":[],"Layers":[]}]'
    outer = tar_header(b"manifest.json", b"0", size_field=b256) + pad(man)
    archive_case("outer_member_huge_size", outer, [2],
                 stderr=r"(?i)(manifest\.json|truncat|too large|unexpected end|limit|eof)",
                 why="outer manifest.json declares 100 GiB")
    # 4096-deep path.
    deep = b"d/" * 4096 + b"file"
    layer = Tar().file(b"etc/os-release", OS_ALPINE).file(deep, b"deep\n").dir(b"d/" * 4096 + b"dir").hardlink(
        b"etc/deep-link", deep).bytes()
    archive_case("deep_path_4096", classic([layer]), [0], report=r"alpine", why="a file 4096 directories deep")
    layer = Tar().file(b"etc/os-release", OS_ALPINE).file(b"x" * 10000, b"long\n").file(
        b"etc/" + b"y" * 10000 + b"/z", b"z").bytes()
    archive_case("long_name_10k", classic([layer]), [0], report=r"alpine", why="10,000-character file names")
    layer = (Tar().file(b"etc/os-release", OS_ALPINE)
             .pax([(b"path", b"etc/nul\x00hidden/../../x")]).raw(tar_header(b"placeholder", b"0", 3) + pad(b"nul"))
             .file(b"etc/caf\xe9", b"latin1\n").bytes())
    archive_case("nul_in_pax_path", classic([layer]), [0], report=r"alpine", why="pax path with an embedded NUL")
    layer = (Tar().file(b"etc/os-release", OS_ALPINE)
             .file(b"etc/\xff\xfe\xfd", b"x").file(b"etc/caf\xe9", b"x").file(b"etc/\x1b[31mred\x07", b"x")
             .pax([(b"hdrcharset", b"BINARY"), (b"path", b"etc/pax-\xc3\x28-bad")]).raw(
                 tar_header(b"p", b"0", 1) + pad(b"x"))
             .file(b"etc/\xed\xa0\x80surrogate", b"x").bytes())
    archive_case("non_utf8_names", classic([layer]), [0], report=r"alpine",
                 why="non-UTF-8, control-character and surrogate names; the JSON report must stay valid")
    # GNU old sparse: 1 MiB logical file, two 512-byte data chunks.
    sp = b""
    for off, n in ((0, 512), (524288, 512)):
        sp += _octal(off, 12) + _octal(n, 12)
    hdr = tar_header(b"etc/sparse", b"S", 1024, gnu=True, tail={386: sp, 482: b"\0", 483: _octal(1 << 20, 12)})
    layer = Tar().file(b"etc/os-release", OS_ALPINE).raw(hdr + b"S" * 1024).bytes()
    archive_case("sparse_gnu", classic([layer]), [0], report=r"alpine", why="GNU old-format sparse member")
    # The same, claiming a 32 TiB logical size, on a file analyzers want.
    sp = _octal(0, 12) + _octal(512, 12) + _b256((1 << 45) - 512, 12) + _octal(512, 12)
    hdr = tar_header(b"etc/os-release", b"S", 1024, gnu=True,
                     tail={386: sp, 482: b"\0", 483: _b256(1 << 45, 12)})
    layer = Tar().file(b"etc/passwd", b"root:x:0:0::/:/bin/sh\n").raw(hdr + b"S" * 1024).bytes()
    archive_case("sparse_gnu_32tib", classic([layer]), [0, 2], stderr=LAYER_ERR,
                 why="sparse member whose logical size is 32 TiB: must not read (or allocate) the holes")
    smap = pad(b"2\n0\n512\n524288\n512\n")
    layer = (Tar().file(b"etc/os-release", OS_ALPINE)
             .pax([(b"GNU.sparse.major", b"1"), (b"GNU.sparse.minor", b"0"), (b"GNU.sparse.name", b"etc/sparse1"),
                   (b"GNU.sparse.realsize", b"1048576")])
             .raw(tar_header(b"GNUSparseFile.0/sparse1", b"0", len(smap) + 1024) + smap + b"P" * 1024).bytes())
    archive_case("sparse_pax_1_0", classic([layer]), [0], report=r"alpine", why="pax 1.0 sparse member")
    layer = (Tar().file(b"etc/os-release", OS_ALPINE).raw(tar_header(b"PaxHeader/x", b"x", 19) +
                                                          pad(b"99999999999 path=x\n"))
             .raw(tar_header(b"etc/after", b"0", 2) + pad(b"ok")).bytes())
    archive_case("pax_record_huge_length", classic([layer]), [0, 2], stderr=LAYER_ERR,
                 why="pax record whose length field is 99,999,999,999")
    layer = (Tar().file(b"etc/os-release", OS_ALPINE)
             .raw(tar_header(b"PaxHeader/x", b"x", 1 << 30) + pad(pax_record(b"path", b"etc/x"))).bytes(end=False))
    archive_case("pax_header_huge_size", classic([layer]), [2], stderr=LAYER_ERR,
                 why="pax extended header member declaring 1 GiB, with 512 bytes present")
    layer = base + bytes(RNG.getrandbits(8) for _ in range(4096))
    archive_case("layer_trailing_garbage", classic([layer]), [0], report=r"alpine",
                 why="valid tar followed by 4 KiB of garbage (inside the diff_id)")
    layer = (Tar().dir(b"etc").file(b"etc/os-release", b"ID=debian\nVERSION_ID=12\n")
             .file(b"etc/os-release", OS_ALPINE).dir(b"etc").file(b"etc/passwd", b"a").file(b"etc/passwd", b"b")
             .bytes())
    archive_case("duplicate_entries", classic([layer]), [0], report=r"alpine", no_report=r'"debian"',
                 why="the same path twice in one layer: the last one wins")
    t = Tar().dir(b"etc").file(b"etc/os-release", OS_ALPINE)
    t.raw(tar_header(b"dev/null", b"3")).raw(tar_header(b"dev/sda", b"4")).raw(tar_header(b"etc/fifo", b"6"))
    t.raw(tar_header(b"etc/passwd", b"6")).raw(tar_header(b"etc/weird", b"Z", 0))
    archive_case("devices_and_fifos", classic([t.bytes()]), [0], report=r"alpine",
                 why="device, FIFO (named like a wanted file) and unknown-type entries are recorded, never opened")
    archive_case("layer_only_directories", classic([Tar().dir(b"a").dir(b"a/b").dir(b"c").bytes()]), [0],
                 why="a layer of directories only")


def whiteouts():
    base = base_layer()
    l2 = Tar().file(b".wh.nothere", b"").file(b"nodir/.wh.x", b"").file(b"etc/.wh.nope", b"").bytes()
    archive_case("whiteout_nonexistent", classic([base, l2]), [0], report=r"alpine",
                 why="whiteouts of paths no lower layer has")
    l2 = Tar().file(b".wh..wh..opq", b"").dir(b"etc").file(b"etc/os-release", OS_WOLFI).bytes()
    archive_case("opaque_whiteout_root", classic([base, l2]), [0], report=r"wolfi", no_report=r"Alpine Linux",
                 why="opaque whiteout at the root hides every lower file")
    l2 = Tar().file(b"etc/.wh..wh..opq", b"").file(b"etc/.wh..wh..wh..opq", b"").file(b"bin/.wh.sh", b"").bytes()
    archive_case("odd_whiteouts", classic([base, l2]), [0], no_report=r"alpine",
                 why="opaque etc/ (hides os-release), a nested marker name, a whiteout of a file")
    l2 = Tar().dir(b"usr").file(b"usr/.wh...", b"").file(b".wh...", b"").file(b"bin/.wh..", b"").file(
        b".wh.", b"").file(b"etc/.wh.", b"").bytes()
    archive_case("whiteout_dotdot", classic([base, l2]), [0, 2], report=r"alpine", stderr=r"(?i)whiteout",
                 why="'.wh...', '.wh..' and '.wh.' name the parent, the dir itself or nothing; containerd and "
                     "moby refuse them ('invalid whiteout'): refuse too, or ignore them, but never erase the "
                     "whole lower image")
    layers = [Tar().file(b"l%d" % i, b"x").bytes() for i in range(127)] + [base]
    archive_case("many_layers_128", classic(layers), [0], report=r"alpine", why="128 layers")


def host_pretty_name():
    try:
        with open("/etc/os-release", "rb") as f:
            m = re.search(rb'^PRETTY_NAME="?([^"\n]+)', f.read(), re.M)
            return m.group(1).decode() if m else ""
    except OSError:
        return ""


def differentials():
    """Inputs where a lax parser would see a different image than docker does."""
    base = base_layer()
    did = ["sha256:" + sha(base)]
    cfg = config_json(did).replace(b'"User": "app"', b'"User": "app", "User": "root"')
    assert cfg.count(b'"User"') == 2
    archive_case("config_duplicate_user_key", classic([base], config=cfg), [0, 2],
                 report=r'"user": "root"', stderr=r"(?i)duplicate",
                 why="config with User twice: docker (Go) takes the last (root); a scanner taking the first "
                     "would miss a root image. Take the last, or refuse")
    cfg = config_json(did).replace(b'"User": "app"', b'"User": "app", "user": "root"')
    archive_case("config_case_insensitive_user", classic([base], config=cfg), [0, 2],
                 report=r'"user": "root"', stderr=r"(?i)(duplicate|\buser\b)",
                 why="Go's encoding/json (docker, containerd) matches keys case-insensitively, last one wins: "
                     "this image runs as root")
    cfg = config_json(did).replace(b'"User": "app"', '"User": "app", "U\u017fer": "root"'.encode())
    archive_case("config_unicode_fold_user", classic([base], config=cfg), [0, 2],
                 report=r'"user": "root"', stderr=r"(?i)(duplicate|\buser\b|u\S*er)",
                 why="Go's case-insensitive match is Unicode simple folding: 'U\u017fer' (long s) is User too")
    lp = "%064x/layer.tar" % 1
    man = json.dumps([{"Config": "./" + sha(config_json(did)) + ".json", "RepoTags": ["x:1"],
                       "Layers": ["./" + lp.replace("/", "//")]}]).encode()
    archive_case("manifest_unclean_paths", classic([base], manifest=man), [0], report=r"alpine",
                 why="manifest.json paths './ID//layer.tar' name the same members (docker load cleans them)")
    cfg_app = config_json(did)
    cfg_root = config_json(did).replace(b'"User": "app"', b'"User": "root"')
    lp = "%064x/layer.tar" % 1
    t = (Tar().dir(b"%064x" % 1).file(lp.encode(), base)
         .file((sha(cfg_app) + ".json").encode(), cfg_app).file((sha(cfg_root) + ".json").encode(), cfg_root)
         .file(b"manifest.json", json.dumps([{"Config": sha(cfg_app) + ".json", "Layers": [lp]}]).encode())
         .file(b"manifest.json", json.dumps([{"Config": sha(cfg_root) + ".json", "Layers": [lp]}]).encode()))
    archive_case("outer_duplicate_manifest", t.bytes(), [0, 2], report=r'"user": "root"',
                 stderr=r"(?i)(duplicate|twice|more than one)",
                 why="two manifest.json members: docker load keeps the last; scan the same image or refuse")


def special_files():
    """OCI layouts and archives whose files are not regular files: reading
    them must neither block nor run forever."""
    base = base_layer()
    blobs, desc, cfg, ldescs = oci([base], "gzip")
    lh = ldescs[0]["digest"][7:]
    root = write_dir("oci_blob_dev_zero", oci_files(blobs, index_json([desc])))
    os.unlink(os.path.join(root, "blobs/sha256", lh))
    os.symlink("/dev/zero", os.path.join(root, "blobs/sha256", lh))
    case("oci_blob_dev_zero", "oci:" + root, [2], stderr=r"(?i)(sha256:" + lh[:6] + r"|blob|layer)",
         why="layer blob is a symlink to /dev/zero: endless zeros must be cut off (declared size, bomb limit)")
    root = write_dir("oci_config_dev_zero", oci_files(blobs, index_json([desc])))
    ch = sha(cfg)
    os.unlink(os.path.join(root, "blobs/sha256", ch))
    os.symlink("/dev/zero", os.path.join(root, "blobs/sha256", ch))
    case("oci_config_dev_zero", "oci:" + root, [2], stderr=r"(?i)(config|sha256:" + ch[:6] + ")",
         why="config blob is /dev/zero: metadata reads are bounded")
    root = write_dir("oci_blob_fifo", oci_files(blobs, index_json([desc])))
    os.unlink(os.path.join(root, "blobs/sha256", lh))
    os.mkfifo(os.path.join(root, "blobs/sha256", lh))
    case("oci_blob_fifo", "oci:" + root, [2], stderr=r"(?i)(sha256:" + lh[:6] + r"|blob|layer|regular|fifo)",
         why="layer blob is a FIFO nobody writes: must not block forever")
    root = write_dir("oci_index_fifo", oci_files(blobs, None))
    os.mkfifo(os.path.join(root, "index.json"))
    case("oci_index_fifo", "oci:" + root, [2], stderr=r"(?i)index\.json",
         why="index.json is a FIFO: must not block forever")
    case("archive_is_dev_zero", "docker-archive:/dev/zero", [2], stderr=r"(?i)(/dev/zero|manifest|index|regular)",
         why="the archive is /dev/zero")
    d = os.path.join(OUT, "archive_is_directory.tar")
    os.makedirs(d)
    case("archive_is_directory", "docker-archive:" + d, [2], stderr=r"(?i)(director|not a (tar|file)|archive)",
         why="docker-archive: naming a directory")
    l1 = Tar().dir(b"etc").file(b"etc/os-release", b"ID=debian\n").dir(b"opt").file(b"opt/x", b"1").bytes()
    l2 = Tar().file(b"etc", b"now a file").file(b"opt/x/y", b"under a file").bytes()
    l3 = (Tar().file(b"etc/os-release", OS_ALPINE).hardlink(b"opt/hl-dir", b"etc").symlink(b"opt", b"etc")
          .file(b"opt/through", b"via symlinked dir").bytes())
    archive_case("file_dir_conflicts", classic([l1, l2, l3]), [0], report=r"alpine",
                 why="dir replaced by a file, files under a file, hardlink to a dir, dir replaced by a symlink")


def mkdeep(root, depth):
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=fd)
        nfd = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = nfd
    wfd = os.open("deep-file", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
    os.write(wfd, b"deep\n")
    os.close(wfd)
    os.symlink("../../../../../../..", "up", dir_fd=fd)
    os.close(fd)


def rootfs_dirs():
    """dir: targets (an unpacked root filesystem on disk)."""
    def rootfs(name):
        r = os.path.join(OUT, name)
        os.makedirs(os.path.join(r, "etc"))
        os.makedirs(os.path.join(r, "usr/lib"))
        return r

    r = rootfs("rootfs_fifo")
    os.mkfifo(os.path.join(r, "etc/os-release"))
    os.mkfifo(os.path.join(r, "etc/passwd"))
    with open(os.path.join(r, "usr/lib/os-release"), "wb") as f:
        f.write(OS_ALPINE)
    case("rootfs_fifo", "dir:" + r, [0], report=r"alpine",
         why="FIFOs named like wanted files: recorded, never opened")
    r = rootfs("rootfs_symlink_out")
    os.symlink("/etc/os-release", os.path.join(r, "etc/os-release"))
    os.symlink("../../../../../../../etc/os-release", os.path.join(r, "usr/lib/os-release"))
    os.symlink("/dev/zero", os.path.join(r, "etc/passwd"))
    os.symlink("/", os.path.join(r, "hostroot"))
    host = host_pretty_name()
    case("rootfs_symlink_out", "dir:" + r, [0], no_report=re.escape(host) if host else r"\x00NEVER",
         why="rootfs symlinks to the host's files and to /: resolved inside the rootfs, never followed out")
    r = rootfs("rootfs_symlink_loops")
    os.symlink(".", os.path.join(r, "self"))
    os.symlink("..", os.path.join(r, "usr/parent"))
    os.symlink("b", os.path.join(r, "a"))
    os.symlink("a", os.path.join(r, "b"))
    with open(os.path.join(r, "etc/os-release"), "wb") as f:
        f.write(OS_ALPINE)
    case("rootfs_symlink_loops", "dir:" + r, [0], report=r"alpine", why="directory symlink loops in a rootfs")
    r = rootfs("rootfs_deep_4096")
    with open(os.path.join(r, "etc/os-release"), "wb") as f:
        f.write(OS_ALPINE)
    mkdeep(r, 4096)
    case("rootfs_deep_4096", "dir:" + r, [0, 2], report=r'(?s)(?=.*alpine)(?=.*"partial": false)', stderr=r"(?i)(deep|long|depth|ENAMETOOLONG)",
         why="a rootfs 4096 directories deep (paths beyond PATH_MAX): walk it or fail clearly")
    r = rootfs("rootfs_unreadable")
    with open(os.path.join(r, "etc/os-release"), "wb") as f:
        f.write(OS_ALPINE)
    p = os.path.join(r, "etc/shadow")
    with open(p, "wb") as f:
        f.write(b"root:*:1::::::\n")
    os.chmod(p, 0)
    os.chmod(os.path.join(r, "usr/lib"), 0)
    case("rootfs_unreadable", "dir:" + r, [0, 2], report=r"alpine", stderr=r"(?i)(permission|denied|usr/lib)",
         why="mode-000 file and directory (root reads them anyway; others must get a clear message)")


def rle_blocks(byte, n):
    return [("rle", byte, n)]


def compressed_outer():
    """docker save | gzip / zstd: the whole archive compressed, read as a
    stream. Metadata kept in memory and the outer inflation must be bounded."""
    good = classic([base_layer(), upper_layer()])
    archive_case("valid_gzip_outer", gz(good), [0], report=r"alpine",
                 why="sanity: docker save | gzip")
    archive_case("valid_zstd_outer", zst(good), [0], report=r"alpine",
                 why="sanity: docker save | zstd")
    # 300 JSON-looking members of 15 MiB each: 4.5 GB if all are kept.
    blocks = []
    n = 15 << 20
    for i in range(300):
        blocks.append(("raw", tar_header(b"junk/%03d.json" % i, b"0", n) + b"{"))
        blocks += rle_blocks(0x20, n - 1)
        blocks.append(("raw", b"\0" * ((512 - n % 512) % 512)))
    blocks.append(("raw", b"\0" * 1024))
    archive_case("outer_zstd_metadata_flood", zstd_frame(blocks), [2],
                 stderr=r"(?i)(metadata|too large|too much|limit|manifest\.json|index\.json)",
                 why="compressed archive with 300 x 15 MiB JSON-looking members (4.5 GB): the metadata kept "
                     "while streaming must be bounded in total, not per member")
    # A 64 GiB "layer" member inside 2 MiB of outer zstd.
    base = base_layer()
    size = 64 << 30
    blocks = [("raw", tar_header(b"%064x/layer.tar" % 1, b"0", size_field=_b256(size, 12)))]
    blocks += rle_blocks(0, size)
    blocks.append(("raw", b"\0" * 1024))
    archive_case("outer_zstd_layer_bomb", zstd_frame(blocks), [2],
                 stderr=r"(?i)(bomb|ratio|decompress|inflat|too large|expands)",
                 why="64 GiB layer member in 2 MiB of outer zstd: the outer decompression needs the bomb limit too")


def scale():
    # 200k empty files in one gzip layer (headers built from a template:
    # tar_header() per file is too slow).
    tmpl = tar_header(b"", b"0")
    t_mid, t_tail = tmpl[100:148], tmpl[156:]
    base_sum = sum(tmpl) - sum(tmpl[148:156]) + 8 * 32
    parts = [tar_header(b"data", b"5", mode=0o755)]
    for d in range(200):
        parts.append(tar_header(b"data/d%03d" % d, b"5", mode=0o755))
        for f in range(1000):
            name = b"data/d%03d/f%06d" % (d, d * 1000 + f)
            parts.append(name.ljust(100, b"\0") + t_mid + (b"%06o\0 " % (base_sum + sum(name))) + t_tail)
    parts.append(tar_header(b"etc", b"5", mode=0o755))
    parts.append(tar_header(b"etc/os-release", b"0", len(OS_ALPINE)) + pad(OS_ALPINE))
    tar = b"".join(parts) + b"\0" * 1024
    blobs, desc, _, _ = oci([tar], "gzip")
    oci_dir_case("many_files_200k", oci_files(blobs, index_json([desc])), [0], report=r"alpine",
                 why="200,000 files in one layer: correct, bounded memory")

    # gzip bomb, small: 10 MB of zeros in one file.
    tar = Tar().file(b"etc/os-release", OS_ALPINE).file(b"zeros", bytes(10 << 20)).bytes()
    blobs, desc, _, _ = oci([tar], "gzip")
    oci_dir_case("gzip_bomb_10mb", oci_files(blobs, index_json([desc])), [0], report=r"alpine",
                 why="10 MB of zeros gzip'd to ~10 KB: scanned, bounded")

    # gzip bomb, big: 1.06 GiB of zeros, ratio ~1028 (deflate's ceiling).
    n_chunks, chunk = 68, bytes(16 << 20)
    header = tar_header(b"etc/bomb", b"0", n_chunks * len(chunk))
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = co.compress(header) + co.flush(zlib.Z_FULL_FLUSH)
    body = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    tail = co.compress(bytes(1024)) + co.flush(zlib.Z_FINISH)
    crc = zlib.crc32(header)
    h = hashlib.sha256(header)
    for _ in range(n_chunks):
        crc = zlib.crc32(chunk, crc)
        h.update(chunk)
    crc = zlib.crc32(bytes(1024), crc)
    h.update(bytes(1024))
    total = len(header) + n_chunks * len(chunk) + 1024
    blob = (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + head + body * n_chunks + tail +
            struct.pack("<II", crc, total & 0xFFFFFFFF))
    blobs, desc, _, _ = oci([base_layer()], "gzip", blobs_override={0: blob}, diff_ids=["sha256:" + h.hexdigest()])
    oci_dir_case("gzip_bomb_1gib", oci_files(blobs, index_json([desc])), [0, 2],
                 stderr=LAYER_ERR + r".*(?i:bomb|ratio|decompress|inflat|too large|expands)",
                 why="1.06 GiB of zeros in 1 MB of gzip: refused as a bomb, or scanned in bounded memory")

    # zstd bomb: 4 GiB of zeros as RLE blocks (~128 KB), ratio ~32000.
    header = tar_header(b"etc/bomb", b"0", 4 << 30)
    blocks = [("raw", header), ("rle", 0, (4 << 30) + 1024)]
    blob = zstd_frame(blocks)
    blobs, desc, _, _ = oci([base_layer()], "zstd", blobs_override={0: blob},
                            diff_ids=["sha256:" + sha(b"not computed: a bomb must be refused before")])
    oci_dir_case("zstd_bomb_4gib", oci_files(blobs, index_json([desc])), [2],
                 stderr=LAYER_ERR + r".*(?i:bomb|ratio|decompress|inflat|too large|expands)",
                 why="4 GiB of zeros in 128 KB of zstd: must be refused as a decompression bomb")

    # Dense zstd bomb: 1 MiB of RLE blocks is 32 GiB of output. A bomb check
    # made only between input chunks lets one chunk inflate all of it.
    header = tar_header(b"etc/bomb", b"0", 64 << 30, size_field=_b256(64 << 30, 12))
    blocks = [("raw", header), ("rle", 0, (64 << 30) + 1024)]
    blob = zstd_frame(blocks)
    blobs, desc, _, _ = oci([base_layer()], "zstd", blobs_override={0: blob},
                            diff_ids=["sha256:" + sha(b"not computed: a bomb must be refused before")])
    oci_dir_case("zstd_bomb_dense_64gib", oci_files(blobs, index_json([desc])), [2],
                 stderr=LAYER_ERR + r".*(?i:bomb|ratio|decompress|inflat|too large|expands)",
                 why="64 GiB of zeros in 2 MiB of zstd RLE blocks (32 GiB per MiB): must be refused within "
                     "the time limit, i.e. checked as output grows, not once per input chunk")


# --------------------------------------------------------------------------
# Package metadata (the catalogers): malformed files are skipped with a
# diagnostic, the rest of the inventory is still listed.

INV = ["--list-all-pkgs"]
GOOD_NPM = b'{"name": "still-listed", "version": "1.0.0"}'


def inv_image(name, files, partial=True, why=""):
    """An image with one good npm package and the hostile `files`; the good
    package must still be listed and, when `partial`, the report must say
    the inventory is partial (a diagnostic names the bad file)."""
    t = Tar().dir(b"etc").file(b"etc/os-release", OS_ALPINE)
    t.dir(b"app").dir(b"app/node_modules").dir(b"app/node_modules/still-listed")
    t.file(b"app/node_modules/still-listed/package.json", GOOD_NPM)
    for path, data, mode in files:
        t.file(path, data, mode)
    report = r'(?s)"partial": true.*"name": "still-listed"' if partial else r'"name": "still-listed"'
    archive_case(name, classic([t.bytes()]), [0], args=INV, report=report, why=why)


def zip_local(name, data, method=0, csize=None, usize=None, crc=None):
    comp = data
    if method == 8:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        comp = c.compress(data) + c.flush()
    crc = zlib.crc32(data) if crc is None else crc
    csize = len(comp) if csize is None else csize
    usize = len(data) if usize is None else usize
    head = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, csize, usize, len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, crc, csize, usize,
                          len(name), 0, 0, 0, 0, 0, 0) + name
    return head + comp, central


def make_zip(entries, count_override=None, cd_offset_override=None):
    body, centrals = b"", []
    for name, data, method in entries:
        local, central = zip_local(name, data, method)
        # patch the local header offset into the central record
        central = central[:42] + struct.pack("<I", len(body)) + central[46:]
        body += local
        centrals.append(central)
    cd = b"".join(centrals)
    n = len(entries) if count_override is None else count_override
    off = len(body) if cd_offset_override is None else cd_offset_override
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n & 0xFFFF, n & 0xFFFF, len(cd), off, 0)
    return body + cd + eocd


def elf_header(shoff, shnum, shstrndx, phoff=0, phnum=0):
    e = bytearray(64)
    e[0:4] = b"\x7fELF"
    e[4], e[5], e[6] = 2, 1, 1
    struct.pack_into("<HHIQQQIHHHHHH", e, 16, 2, 62, 1, 0x401000, phoff, shoff, 0, 64, 56, phnum, 64, shnum,
                     shstrndx)
    return bytes(e)


def inventory():
    inv_image("inv_dpkg_status_garbage",
              [(b"var/lib/dpkg/status", bytes(RNG.getrandbits(8) for _ in range(20000)), 0o644)],
              why="binary garbage as the dpkg database")
    inv_image("inv_dpkg_status_no_blank_lines",
              [(b"var/lib/dpkg/status", b"Package: a\nStatus: install ok installed\nVersion: 1\n" * 20000, 0o644)],
              why="20000 repeated fields in one stanza")
    inv_image("inv_apk_db_huge_file_list",
              [(b"lib/apk/db/installed", b"P:x\nV:1-r0\nF:usr\n" + b"R:f\n" * 200000 + b"\n", 0o644)],
              partial=False, why="200k file lines under one package")
    inv_image("inv_npm_truncated_package_json",
              [(b"app/node_modules/broken/package.json", b'{"name": "broken", "vers', 0o644)],
              why="truncated JSON: a diagnostic, the other package still listed")
    inv_image("inv_npm_lock_deep_nesting",
              [(b"app/package-lock.json",
                b'{"lockfileVersion": 1, "dependencies": ' + b'{"a": {"version": "1.0.0", "dependencies": ' * 5000 +
                b'{}' + b'}}' * 5000 + b'}', 0o644)],
              why="5000-deep package-lock v1 dependency tree: bounded recursion")
    inv_image("inv_yarn_lock_garbage",
              [(b"app/yarn.lock", bytes(RNG.getrandbits(8) for _ in range(50000)), 0o644)],
              why="binary garbage as yarn.lock")
    inv_image("inv_pnpm_lock_deep_yaml",
              [(b"app/pnpm-lock.yaml", b"packages: " + b"[" * 100000 + b"]" * 100000 + b"\n", 0o644)],
              why="100k-deep YAML flow sequence: the YAML parser must not overflow the stack")
    inv_image("inv_python_metadata_binary",
              [(b"usr/lib/python3/site-packages/x-1.0.dist-info/METADATA", b"\x00\xff" * 30000, 0o644)],
              why="binary METADATA")
    inv_image("inv_poetry_lock_unterminated",
              [(b"app/poetry.lock", b'[[package]]\nname = "x\nversion = "1' + b"[" * 10000, 0o644)],
              why="unterminated TOML strings and tables")
    inv_image("inv_gemspec_and_gemfile_lock_garbage",
              [(b"usr/lib/ruby/gems/3.1.0/specifications/x-1.gemspec", b"s.name = " + b'"' * 10000, 0o644),
               (b"app/Gemfile.lock", b"GEM\n  specs:\n" + b"    (((((\n" * 10000, 0o644)],
              why="hostile Ruby metadata")
    inv_image("inv_cargo_composer_deps_garbage",
              [(b"app/Cargo.lock", b"[[package]]\n" * 50000, 0o644),
               (b"app/composer.lock", b'{"packages": [' + b'[' * 50000, 0o644),
               (b"app/x.deps.json", b'{"libraries": {"a/1": ' + b'{"x": ' * 10000, 0o644)],
              why="hostile Cargo.lock, composer.lock and deps.json")
    bomb = make_zip([(b"META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n", 0),
                     (b"lib/big.jar", b"\0" * (256 << 20), 8)])
    inv_image("inv_jar_zip_bomb", [(b"app/app.jar", bomb, 0o644)],
              why="a jar whose nested lib/big.jar is 256 MiB of zeros (~256 KiB deflated): refused as a bomb")
    inner = make_zip([(b"META-INF/maven/g/a/pom.properties", b"groupId=g\nartifactId=a\nversion=1\n", 0)])
    nested = inner
    for i in range(12):
        nested = make_zip([(b"lib/n%d.jar" % i, nested, 0)])
    inv_image("inv_jar_nested_12_deep", [(b"app/deep.jar", nested, 0o644)], partial=False,
              why="jars nested 12 deep: recursion is capped")
    inv_image("inv_jar_lying_central_directory",
              [(b"app/lie.jar", make_zip([(b"a.txt", b"x", 0)], count_override=65535, cd_offset_override=0x7FFFFFF0),
                0o644)],
              why="a central directory that claims 65535 entries at an offset past the end")
    inv_image("inv_elf_bogus_sections",
              [(b"usr/local/bin/tool", elf_header(0xFFFFFFFFFFFF0000, 65535, 65534) + b"\0" * 4096, 0o755),
               (b"usr/local/bin/tool2", elf_header(64, 65535, 3) + b"\xff" * 8192, 0o755)],
              why="ELF headers whose section tables point past the end or claim 65535 sections")
    inv_image("inv_go_buildinfo_huge_varint",
              [(b"usr/local/bin/gobin",
                elf_header(0, 0, 0) + b"\0" * 64 + b"\xff Go buildinf:" + bytes([8, 2]) + b"\0" * 14 +
                b"\xff" * 9 + b"\x01" + b"go1.21" + b"\0" * 1000, 0o755)],
              why="Go buildinfo whose version string length is a 2^63 varint")
    inv_image("inv_rpmdb_sqlite_garbage",
              [(b"var/lib/rpm/rpmdb.sqlite", b"SQLite format 3\0" + bytes(RNG.getrandbits(8) for _ in range(8192)),
                0o644)],
              why="an rpmdb.sqlite with a valid magic and garbage pages")
    inv_image("inv_rpmdb_bdb_garbage",
              [(b"var/lib/rpm/Packages", b"\0" * 12 + b"\x61\x15\x06\x00" + bytes(RNG.getrandbits(8) for _ in range(16384)),
                0o644)],
              why="a Berkeley DB Packages file with the hash magic and garbage pages")
    inv_image("inv_pom_deep_nesting",
              [(b"src/app/pom.xml", b"<project>" + b"<a>" * 200000 + b"</a>" * 200000 + b"</project>", 0o644)],
              why="a pom.xml nested 200000 deep: refused past the depth cap, no recursion")
    inv_image("inv_pom_entity_declarations",
              [(b"src/app/pom.xml", b'<!DOCTYPE p [<!ENTITY a "' + b"x" * 1000 + b'">' +
                b"".join(b'<!ENTITY a%d "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' % i for i in range(10)) +
                b"]><project><version>&a9;</version></project>", 0o644)],
              why="a billion-laughs DOCTYPE in a pom.xml: the internal subset is refused, nothing expanded")
    inv_image("inv_bun_lock_unterminated",
              [(b"app/bun.lock", b'{"packages": {"a": ["a@1.0.0"' + b", /*" + b"x" * 100000, 0o644)],
              why="a bun.lock with an unterminated comment")
    inv_image("inv_bun_lock_cycle",
              [(b"app/bun.lock", json.dumps({
                  "workspaces": {"": {"dependencies": {"p0": "1"}}},
                  "packages": {f"p{i}": [f"p{i}@1.0.0", "", {"dependencies": {f"p{(i + 1) % 5000}": "1"}}]
                               for i in range(5000)}}).encode(), 0o644)],
              partial=False, why="a bun.lock whose 5000 packages form one dependency cycle: walked once")
    inv_image("inv_pnpm_many_documents",
              [(b"app/pnpm-lock.yaml", b"---\nlockfileVersion: '9.0'\npackages:\n  a@1.0.0: {}\n" * 100000, 0o644)],
              partial=False, why="a pnpm-lock.yaml of 100000 YAML documents: the document count is capped")
    inv_image("inv_gradle_lockfile_garbage",
              [(b"app/gradle.lockfile", bytes(RNG.getrandbits(8) | 1 for _ in range(20000)), 0o644)],
              why="binary garbage as a gradle.lockfile")
    inv_image("inv_rpm_manifest_garbage",
              [(b"var/lib/rpmmanifest/container-manifest-2", b"\t" * 100000 + b"\n" + b"x\ty\n" * 10000, 0o644)],
              why="a container manifest of tabs and short lines: bounded diagnostics")


def main():
    global OUT
    if len(sys.argv) != 2:
        print("usage: make_corpus.py OUTDIR", file=sys.stderr)
        return 2
    OUT = os.path.abspath(sys.argv[1])
    if os.path.exists(OUT):
        subprocess.run(["rm", "-rf", "--", OUT], check=True)  # copes with the 4096-deep tree
    os.makedirs(OUT)
    for build in (baselines, truncation, digests, missing, bad_json, oci_structure, traversal, tar_oddities,
                  whiteouts, differentials, special_files, rootfs_dirs, compressed_outer, scale, inventory):
        build()
    # More cases live beside this file, one module per scanner or command
    # (cases_NAME.py, each with build(corpus) using this module's helpers).
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    for fn in sorted(os.listdir(here)):
        if fn.startswith("cases_") and fn.endswith(".py"):
            importlib.import_module(fn[:-3]).build(sys.modules[__name__])
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(CASES, f, indent=1)
    print("make_corpus: %d cases in %s" % (len(CASES), OUT), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
