#!/usr/bin/python3
"""Writes an rpm ndb package database (Packages.db) holding the header blobs
in BLOBDIR (one file per package, named by its header number), following
the layout of rpm's lib/backend/ndb/rpmpkg.c:

  header (32 bytes, little endian): 'RpmP', version 0, generation,
      slot page count, next package index
  slot pages (4096 bytes each) of 16-byte slots: 'Slot', package index,
      block offset, block count (offset 0 = free slot); the header takes
      the first two slots of page 0
  blobs at block offset * 16: 'BlbS', package index, timestamp, length,
      the header blob, zero padding to a 16-byte block, then a tail of
      adler32(head + blob + padding), length, 'BlbE'

One slot is left free between the first two packages, as an erased package
leaves it.

usage: mkndb.py BLOBDIR OUT
"""
import os
import struct
import sys
import zlib

PAGE, SLOT, BLK = 4096, 16, 16


def main():
    blobdir, out = sys.argv[1], sys.argv[2]
    names = sorted(os.listdir(blobdir), key=int)
    blobs = [(int(n), open(os.path.join(blobdir, n), "rb").read()) for n in names]
    # The header takes two slots; one more stays free (below).
    slotnpages = (len(blobs) + 3 + PAGE // SLOT - 1) // (PAGE // SLOT)
    slots = []  # (pkgidx, blkoff, blkcnt) or None for a free slot
    data = bytearray()
    blkoff = slotnpages * PAGE // BLK
    for i, (idx, blob) in enumerate(blobs):
        head = struct.pack("<4sIII", b"BlbS", idx, 1700000000, len(blob))
        blkcnt = (16 + len(blob) + 12 + BLK - 1) // BLK
        pad = blkcnt * BLK - (16 + len(blob) + 12)
        body = head + blob + b"\0" * pad
        tail = struct.pack("<II4s", zlib.adler32(body), len(blob), b"BlbE")
        data += body + tail
        slots.append((idx, blkoff, blkcnt))
        blkoff += blkcnt
        if i == 0:
            slots.append(None)
    pages = bytearray(PAGE * slotnpages)
    struct.pack_into("<4sIIII", pages, 0, b"RpmP", 0, 7, slotnpages, blobs[-1][0] + 1)
    for n in range(2, slotnpages * PAGE // SLOT):
        s = slots[n - 2] if n - 2 < len(slots) else None
        struct.pack_into("<4sIII", pages, n * SLOT, b"Slot", *(s or (0, 0, 0)))
    with open(out, "wb") as f:
        f.write(pages + data)


if __name__ == "__main__":
    main()
