#!/usr/bin/python3
"""Writes the seed corpora for the fuzz targets into fuzz/corpus/<target>/.

Seeds are small (a few KB), deterministic (fixed mtimes, gzip mtime 0) and
named seed-*; files named crash-*/regress-* in the same directories are
minimised crash reproducers kept as regression cases and are left alone.

    /usr/bin/python3 fuzz/make_seeds.py            # rewrite the seeds
"""

import gzip
import hashlib
import io
import json
import os
import struct
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def sha(b):
    return hashlib.sha256(b).hexdigest()


def zstd_raw(data):
    """A zstd frame of raw (stored) blocks: valid zstd without a zstd library."""
    out = bytearray(b"\x28\xb5\x2f\xfd")
    out += bytes([0x00, 13 << 3])  # no checksum/FCS; window 8 MiB
    blocks = [data[i:i + 65536] for i in range(0, len(data), 65536)] or [b""]
    for i, blk in enumerate(blocks):
        last = 1 if i == len(blocks) - 1 else 0
        hdr = last | (0 << 1) | (len(blk) << 3)
        out += struct.pack("<I", hdr)[:3] + blk
    return bytes(out)


def tar_bytes(entries, fmt=tarfile.PAX_FORMAT):
    """entries: (name, type, data_or_linkname, mode)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tf:
        for name, typ, payload, mode in entries:
            ti = tarfile.TarInfo(name)
            ti.mtime = 0
            ti.mode = mode
            ti.type = typ
            data = None
            if typ in (tarfile.SYMTYPE, tarfile.LNKTYPE):
                ti.linkname = payload
            elif typ == tarfile.REGTYPE:
                data = payload
                ti.size = len(payload)
            elif typ in (tarfile.CHRTYPE, tarfile.BLKTYPE):
                ti.devmajor, ti.devminor = 1, 3
            tf.addfile(ti, io.BytesIO(data) if data is not None else None)
    # Drop tarfile's padding to a 10 KiB record: keep the data and the two
    # zero blocks that end an archive, so seeds stay small.
    raw = buf.getvalue().rstrip(b"\0")
    end = -(-len(raw) // 512) * 512
    return raw.ljust(end, b"\0") + b"\0" * 1024


OS_RELEASE = b'ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n'
PASSWD = b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/sbin/nologin\n"

R, D, S, L = tarfile.REGTYPE, tarfile.DIRTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE

LAYER_BASE = [
    ("etc", D, None, 0o755),
    ("etc/os-release", R, OS_RELEASE, 0o644),
    ("etc/passwd", R, PASSWD, 0o644),
    ("etc/passwd.bak", L, "etc/passwd", 0o644),
    ("usr/lib", D, None, 0o755),
    ("usr/lib/os-release", S, "../../etc/os-release", 0o777),
    ("bin/su", R, b"\x7fELF", 0o4755),
    ("dev/null", tarfile.CHRTYPE, None, 0o666),
    ("run/fifo", tarfile.FIFOTYPE, None, 0o644),
]
LAYER_UPPER = [
    ("etc/.wh.passwd.bak", R, b"", 0o644),
    ("usr/.wh..wh..opq", R, b"", 0o644),
    ("etc/evil", S, "../../../../tmp/x", 0o777),
    ("etc/evil/owned", R, b"owned\n", 0o644),
    ("etc/loop", S, "loop", 0o777),
    ("a/" + "b" * 150 + "/c", R, b"long", 0o644),
    ("./etc/../etc/./shadow", R, b"root:*:1::::::\n", 0o600),
]


def config_json(diff_ids, history=True):
    cfg = {
        "architecture": "amd64",
        "os": "linux",
        "created": "2024-01-01T00:00:00Z",
        "config": {
            "User": "app",
            "Env": ["PATH=/usr/bin:/bin", "API_KEY=placeholder"],
            "Entrypoint": ["/bin/sh", "-c"],
            "Cmd": ["echo hi"],
            "WorkingDir": "/app",
            "ExposedPorts": {"80/tcp": {}, "22/tcp": {}},
            "Volumes": {"/data": {}},
            "Labels": {"org.opencontainers.image.source": "https://example.com/x"},
            "Healthcheck": {"Test": ["CMD-SHELL", "true"], "Interval": 30000000000},
            "StopSignal": "SIGTERM",
        },
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + d for d in diff_ids]},
    }
    if history:
        cfg["history"] = [
            {"created": "2024-01-01T00:00:00Z", "created_by": "/bin/sh -c #(nop) ADD file:abc in /"},
            {"created_by": "/bin/sh -c #(nop) ENV A=b", "empty_layer": True},
            {"created_by": "RUN /bin/sh -c apk add curl # buildkit", "comment": "buildkit.dockerfile.v0"},
        ][: len(diff_ids) + 1]
    return json.dumps(cfg, indent=1).encode()


def add(files, target, name, data):
    files.setdefault(target, {})[name] = data


def manifest_seeds(files):
    d1, d2 = sha(b"1"), sha(b"2")
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + d1, "size": 500,
             "platform": {"os": "linux", "architecture": "amd64"},
             "annotations": {"org.opencontainers.image.ref.name": "latest"}},
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + d2, "size": 500,
             "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + d2, "size": 5,
             "platform": {"os": "unknown", "architecture": "unknown"},
             "annotations": {"vnd.docker.reference.type": "attestation-manifest"}},
        ],
    }
    add(files, "manifest", "seed-index-oci", b"\x00" + json.dumps(index).encode())
    mlist = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
        "manifests": [{"mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                       "digest": "sha256:" + d1, "size": 7,
                       "platform": {"os": "linux", "architecture": "arm", "variant": "v7"}}],
    }
    add(files, "manifest", "seed-index-docker", b"\x00" + json.dumps(mlist).encode())
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:" + d1, "size": 9},
        "layers": [
            {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:" + d2, "size": 10},
            {"mediaType": "application/vnd.oci.image.layer.v1.tar+zstd", "digest": "sha256:" + d1, "size": 11},
            {"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:" + d2, "size": 12},
        ],
    }
    add(files, "manifest", "seed-manifest-oci", b"\x01" + json.dumps(manifest).encode())
    dmanifest = dict(manifest)
    dmanifest["mediaType"] = "application/vnd.docker.distribution.manifest.v2+json"
    dmanifest["config"] = {"mediaType": "application/vnd.docker.container.image.v1+json",
                           "digest": "sha256:" + d1, "size": 9}
    dmanifest["layers"] = [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                            "digest": "sha256:" + d2, "size": 10}]
    add(files, "manifest", "seed-manifest-docker", b"\x01" + json.dumps(dmanifest).encode())
    save = [{"Config": d1 + ".json", "RepoTags": ["example:1.0", "example:latest"],
             "Layers": ["a" * 64 + "/layer.tar", "blobs/sha256/" + d2]}]
    add(files, "manifest", "seed-save", b"\x02" + json.dumps(save).encode())
    add(files, "manifest", "seed-config", b"\x03" + config_json([d1, d2]))
    add(files, "manifest", "seed-config-min", b"\x03" + json.dumps(
        {"rootfs": {"type": "layers", "diff_ids": []}, "config": None}).encode())
    # Go's encoding/json semantics: last key wins, keys match case-insensitively
    # (Unicode simple folding: "U\u017fer" is User).
    add(files, "manifest", "seed-config-go-keys", b"\x03" + (
        '{"config":{"User":"app","user":"root","U\u017fer":"x","Env":["A=1"],"env":["B=2"]},'
        '"rootfs":{"type":"layers","diff_ids":[]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}'
        % d1).encode())
    nested = {"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.index.v1+json", "digest": "sha256:" + d2, "size": 1}] * 4 +
        [{"mediaType": "application/vnd.example.artifact+json", "digest": "sha256:" + d1, "size": 1}]}
    add(files, "manifest", "seed-index-nested", b"\x00" + json.dumps(nested).encode())
    add(files, "manifest", "seed-platform", b"\x04linux/arm64/v8")
    add(files, "manifest", "seed-platform-alias", b"\x04linux/x86_64")
    add(files, "manifest", "seed-digest", b"\x04sha256:" + d1.encode())


def structured_layer(records):
    """The fuzz_util.h BuildLayerTar spec form."""
    parts = []
    for typ, name, link, content in records:
        head = typ + name + ("\t" + link if link else "")
        parts.append(head + "\n" + content)
    return "%%%\n".join(parts).encode()


STRUCT_LAYER = [
    ("5", "etc/", "", ""),
    ("0", "etc/os-release", "", OS_RELEASE.decode()),
    ("0", "etc/passwd", "", PASSWD.decode()),
    ("1", "etc/passwd.bak", "etc/passwd", ""),
    ("2", "usr/lib/os-release", "../../etc/os-release", ""),
    ("2", "etc/evil", "../../../../tmp/x", ""),
    ("0", "etc/evil/owned", "", "owned\n"),
    ("0", "etc/.wh.gone", "", ""),
    ("0", "usr/.wh..wh..opq", "", ""),
    ("2", "etc/loop", "loop", ""),
]


def layer_seeds(files):
    base = tar_bytes(LAYER_BASE)
    upper = tar_bytes(LAYER_UPPER)
    add(files, "layer_tar", "seed-raw-tar", b"\x00\xff" + base)
    add(files, "layer_tar", "seed-raw-tar-upper", b"\x00\x07" + upper)
    add(files, "layer_tar", "seed-raw-gnu", b"\x00\xff" + tar_bytes(LAYER_UPPER, tarfile.GNU_FORMAT))
    add(files, "layer_tar", "seed-raw-gzip", b"\x00\x0c" + gzip.compress(base, mtime=0))
    add(files, "layer_tar", "seed-raw-zstd", b"\x00\x0c" + zstd_raw(upper))
    add(files, "layer_tar", "seed-raw-empty-tar", b"\x00\xff" + b"\0" * 1024)
    spec = structured_layer(STRUCT_LAYER)
    for mode in (1, 2, 3):
        add(files, "layer_tar", "seed-struct-%d" % mode, bytes([mode, 0xff]) + spec)


def docker_save_classic(layers):
    """A classic docker-save tar; layers: list of layer tar bytes."""
    diff_ids = [sha(t) for t in layers]
    cfg = config_json(diff_ids)
    cfg_name = sha(cfg) + ".json"
    entries, paths = [], []
    for i, t in enumerate(layers):
        d = ("%064x" % (i + 1))
        entries.append((d, D, None, 0o755))
        entries.append((d + "/VERSION", R, b"1.0", 0o644))
        entries.append((d + "/layer.tar", R, t, 0o644))
        paths.append(d + "/layer.tar")
    entries.append((cfg_name, R, cfg, 0o644))
    man = [{"Config": cfg_name, "RepoTags": ["example:1.0"], "Layers": paths}]
    entries.append(("manifest.json", R, json.dumps(man).encode(), 0o644))
    entries.append(("repositories", R, b'{"example":{"1.0":"x"}}', 0o644))
    return tar_bytes(entries, tarfile.USTAR_FORMAT)


def docker_save_oci(layers, compress):
    """Docker >= 25 OCI-in-tar save; compress: 'gzip', 'zstd' or ''."""
    blobs = {}
    descs, diff_ids = [], []
    for t in layers:
        diff_ids.append("sha256:" + sha(t))
        b = gzip.compress(t, mtime=0) if compress == "gzip" else zstd_raw(t) if compress == "zstd" else t
        blobs[sha(b)] = b
        mt = "application/vnd.oci.image.layer.v1.tar" + ("+" + compress if compress else "")
        descs.append({"mediaType": mt, "digest": "sha256:" + sha(b), "size": len(b)})
    cfg = config_json([d[7:] for d in diff_ids])
    blobs[sha(cfg)] = cfg
    man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                 "digest": "sha256:" + sha(cfg), "size": len(cfg)},
                      "layers": descs}).encode()
    blobs[sha(man)] = man
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                            "digest": "sha256:" + sha(man), "size": len(man),
                            "annotations": {"io.containerd.image.name": "docker.io/library/example:1.0",
                                            "org.opencontainers.image.ref.name": "1.0"}}]}
    entries = [("blobs", D, None, 0o755), ("blobs/sha256", D, None, 0o755)]
    for h, b in blobs.items():
        entries.append(("blobs/sha256/" + h, R, b, 0o644))
    entries.append(("oci-layout", R, b'{"imageLayoutVersion":"1.0.0"}', 0o644))
    entries.append(("index.json", R, json.dumps(index).encode(), 0o644))
    save = [{"Config": "blobs/sha256/" + sha(cfg), "RepoTags": ["example:1.0"],
             "Layers": ["blobs/sha256/" + d["digest"][7:] for d in descs]}]
    entries.append(("manifest.json", R, json.dumps(save).encode(), 0o644))
    return tar_bytes(entries, tarfile.USTAR_FORMAT)


def archive_seeds(files):
    base, upper = tar_bytes(LAYER_BASE), tar_bytes(LAYER_UPPER)
    add(files, "docker_archive", "seed-raw-classic", b"\x00" + docker_save_classic([base, upper]))
    add(files, "docker_archive", "seed-raw-oci-gzip", b"\x00" + docker_save_oci([base, upper], "gzip"))
    add(files, "docker_archive", "seed-raw-oci-zstd", b"\x00" + docker_save_oci([base], "zstd"))

    layer = b"%%%\n" + structured_layer(STRUCT_LAYER)
    cfg = config_json(["@U0@"]).decode().encode()
    classic = b"@@@\n".join([
        b"1111/layer.tar\n" + layer,
        b"@R0@.json\n" + cfg,
        b'manifest.json\n[{"Config":"@R0@.json","RepoTags":["x:1"],"Layers":["1111/layer.tar"]}]',
    ])
    for mode in (1, 2, 3):
        add(files, "docker_archive", "seed-struct-classic-%d" % mode, bytes([mode]) + classic)
    # manifest.json paths that need cleaning, and a second manifest.json.
    unclean = b"@@@\n".join([
        b"1111/layer.tar\n" + layer,
        b"@R0@.json\n" + cfg,
        b'manifest.json\n[{"Config":"x.json","Layers":[]}]',
        b'manifest.json\n[{"Config":"./@R0@.json","RepoTags":["x:1"],"Layers":["./1111//layer.tar"]}]',
    ])
    add(files, "docker_archive", "seed-struct-unclean-paths", b"\x01" + unclean)
    mts = {1: "tar", 2: "tar+gzip", 3: "tar+zstd"}
    for mode in (1, 2, 3):
        oci = b"@@@\n".join([
            b"blobs/sha256/@S@\n" + layer,
            b"blobs/sha256/@S@\n" + cfg,
            ('blobs/sha256/@S@\n{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",'
             '"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:@R1@","size":@Z1@},'
             '"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.%s","digest":"sha256:@R0@","size":@Z0@}]}'
             % mts[mode]).encode(),
            b'index.json\n{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",'
            b'"digest":"sha256:@R2@","size":@Z2@}]}',
            b'oci-layout\n{"imageLayoutVersion":"1.0.0"}',
            b'manifest.json\n[{"Config":"blobs/sha256/@R1@","RepoTags":["x:1"],"Layers":["blobs/sha256/@R0@"]}]',
        ])
        add(files, "docker_archive", "seed-struct-oci-%d" % mode, bytes([mode]) + oci)


def main():
    files = {}
    manifest_seeds(files)
    layer_seeds(files)
    archive_seeds(files)
    total = 0
    for target, seeds in files.items():
        d = os.path.join(CORPUS, target)
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            if old.startswith("seed-"):
                os.unlink(os.path.join(d, old))
        for name, data in sorted(seeds.items()):
            assert len(data) < 64 * 1024, (name, len(data))
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
            total += 1
    print("make_seeds: wrote %d seeds under %s" % (total, CORPUS), file=sys.stderr)


if __name__ == "__main__":
    main()
