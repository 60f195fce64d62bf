#!/usr/bin/python3
"""Writes the seed corpora of fuzz_elf and fuzz_zip into fuzz/corpus/{elf,zip}/.

Seeds are small and deterministic, named seed-*; regress-* files beside them
are minimised crash reproducers and are left alone. The first two bytes of
each seed are the targets' mode and flag bytes (see fuzz_elf.cc and
fuzz_zip.cc).

    /usr/bin/python3 fuzz/make_bin_seeds.py
"""

import io
import json
import os
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def uvarint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def elf64(sections):
    """ELF64 LE, one PT_LOAD per section at 0x400000 + offset (as fuzz_elf.cc lays out)."""
    eh, ph, sh = 64, 56, 64
    off = eh + len(sections) * ph
    at = []
    for _, data in sections:
        off = (off + 15) & ~15
        at.append(off)
        off += len(data)
    names = b"\0"
    name_at = []
    for n, _ in sections:
        name_at.append(len(names))
        names += n + b"\0"
    shstr = len(names)
    names += b".shstrtab\0"
    names_at = off
    off += len(names)
    shoff = (off + 7) & ~7
    out = bytearray(b"\x7fELF\x02\x01\x01" + b"\0" * 9)
    out += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0, eh, shoff, 0, eh, ph, len(sections), sh, len(sections) + 2,
                       len(sections) + 1)
    for (n, data), a in zip(sections, at):
        flags = 5 if n == b".text" else 6 if (b"data" in n or n == b".go.buildinfo") else 4
        out += struct.pack("<IIQQQQQQ", 1, flags, a, 0x400000 + a, 0x400000 + a, len(data), len(data), 16)
    for (_, data), a in zip(sections, at):
        out += b"\0" * (a - len(out)) + data
    out += b"\0" * (names_at - len(out)) + names
    out += b"\0" * (shoff - len(out))
    out += struct.pack("<IIQQQQIIQQ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    for (n, data), a, na in zip(sections, at, name_at):
        w = 1 if (b"data" in n or n == b".go.buildinfo") else 0
        x = 4 if n == b".text" else 0
        out += struct.pack("<IIQQQQIIQQ", na, 1, 2 | w | x, 0x400000 + a, a, len(data), 0, 0, 16, 0)
    out += struct.pack("<IIQQQQIIQQ", shstr, 3, 0, 0, names_at, len(names), 0, 0, 1, 0)
    return bytes(out)


MODINFO = (b"0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6"
           b"path\texample.com/app\nmod\texample.com/app\t(devel)\t\n"
           b"dep\tgithub.com/BurntSushi/toml\tv1.3.2\th1:x=\n"
           b"dep\tgolang.org/x/net\tv0.17.0\th1:y=\n=>\tgithub.com/fork/net\tv0.17.1\th1:z=\n"
           b"build\t-compiler=gc\nbuild\tCGO_ENABLED=0\n"
           b"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2")


def go_inline():
    blob = b"\xff Go buildinf:\x08\x02" + b"\0" * 16 + uvarint(8) + b"go1.21.3" + uvarint(len(MODINFO)) + MODINFO
    return blob


def pclntab(files):
    tab = b"\xf1\xff\xff\xff\0\0\x01\x08"
    ft = b"".join(f + b"\0" for f in files)
    start = 8 + 8 * 8
    tab += struct.pack("<8Q", 1, len(files), 0x401000, start, start, start, start + len(ft), start + len(ft))
    return tab + ft


def elf_seeds():
    struct_sep = b"%%%\n"
    # Raw files (mode 0).
    write("elf", "raw-go-inline", b"\x00\x00" + elf64([(b".text", b"\x90" * 16), (b".go.buildinfo", go_inline())]))
    write("elf", "raw-rodata-anchors", b"\x00\x00" + elf64([
        (b".rodata", b"\0OpenSSL 3.0.11 19 Sep 2023\0nginx/1.25.3\0curl/8.4.0\0"
                     b"3.11.2\0%.80s (%.80s) %.80s\0ruby 3.2.2 (2023-03-30 revision x) [x]\0"
                     b"This is perl 5, version 36, subversion 0 (\0 version 2.8.3, released 2023/09/08\0"
                     b"7.2.3buildkitsandbox-1700000000000000000\0\0openjdk\0java\x000.0\x0017.0.9+9\0"
                     b"crypto/evp/evp_enc.c\0")]))
    deps = json.dumps({"packages": [{"name": "a", "version": "1.0.0", "source": "crates.io"},
                                    {"name": "b", "version": "0.1.0", "source": "local", "root": True,
                                     "dependencies": [0], "kind": "build"}]}).encode()
    write("elf", "raw-dep-v0", b"\x00\x00" + elf64([(b".dep-v0", zlib.compress(deps))]))
    write("elf", "raw-stripped-go", b"\x00\x00" + elf64([
        (b".rodata", b"xxxxxxxxgo1.20.5\x01\x02"),
        (b".gopclntab", pclntab([b"runtime/proc.go", b"example.com/app/main.go",
                                 b"github.com/!burnt!sushi/toml@v1.3.2/decode.go"]))]))
    write("elf", "raw-truncated", b"\x00\x00" + elf64([(b".rodata", b"nginx/1.2.3\0")])[:70])
    # Structured (modes 1 and 2).
    write("elf", "struct-go-inline", b"\x01\x00.go.buildinfo\n" + go_inline() + struct_sep + b".rodata\nhello\0")
    ptr = b"\xff Go buildinf:\x08\x00" + struct.pack("<QQ", 0x400000 + 0x100, 0x400000 + 0x110) + b"\0" * 0
    write("elf", "struct-go-pointers", b"\x01\x00.go.buildinfo\n" + ptr + struct_sep + b".data\n" + b"\0" * 32)
    write("elf", "struct-dep-v0", b"\x01\x01.dep-v0\n" + zlib.compress(deps))
    write("elf", "struct-sstrip-rodata", b"\x02\x00.rodata\nBusyBox v1.36.1 (x)\0@(#)Bash version 5.2.15(1)\0")
    write("elf", "struct-pclntab", b"\x01\x00.gopclntab\n" + pclntab([b"/home/builder/go/pkg/mod/rsc.io/quote@v1.5.2/q.go"]) +
          struct_sep + b".rodata\ngo1.19.13\0" + struct_sep + b".data\n" + b"\0" * 16)


def jar(entries, compress=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2023, 1, 1, 0, 0, 0))
            info.compress_type = compress
            z.writestr(info, data)
    return buf.getvalue()


def zip_seeds():
    pom = b"groupId=org.example\nartifactId=lib\nversion=1.2.3\n"
    mf = b"Manifest-Version: 1.0\r\nImplementation-Title: lib\r\nImplementation-Version: 1.2.3\r\nBundle-License: MIT\r\n\r\n"
    inner = jar([("META-INF/maven/org.inner/inner/pom.properties", b"groupId=org.inner\nartifactId=inner\nversion=2\n")])
    write("zip", "raw-jar", b"\x00\x00" + jar([("META-INF/MANIFEST.MF", mf),
                                               ("META-INF/maven/org.example/lib/pom.properties", pom)]))
    write("zip", "raw-nested", b"\x00\x00" + jar([("META-INF/maven/a/b/pom.properties", b"version=1\n"),
                                                  ("BOOT-INF/lib/inner-2.jar", inner)], zipfile.ZIP_STORED))
    write("zip", "raw-manifest-only", b"\x00\x00" + jar([("META-INF/MANIFEST.MF", mf)]))
    write("zip", "raw-truncated", b"\x00\x00" + jar([("a.txt", b"x" * 100)])[:-10])
    write("zip", "raw-small-bomb", b"\x00\x00" + jar([("lib/zeros.jar", b"\0" * (2 << 20))]))
    sep = b"%%%\n"
    write("zip", "struct-poms", b"\x01\x01META-INF/maven/g/a/pom.properties\n" + pom + sep +
          b"META-INF/MANIFEST.MF\n" + mf)
    write("zip", "struct-nested", b"\x01\x03META-INF/maven/g/a/pom.properties\nversion=1\n" + sep +
          b"BOOT-INF/lib/x-1.0.jar\nMETA-INF/maven/g/x/pom.properties\nversion=1.0\n~~~\nMETA-INF/MANIFEST.MF\n" + mf)
    write("zip", "struct-prefix-zip64", b"\x01\x07META-INF/maven/g/a/pom.properties\n" + pom)


if __name__ == "__main__":
    elf_seeds()
    zip_seeds()
