#include "catalog/zip.h"

#include <zlib.h>

#include <algorithm>
#include <optional>

#include "catalog/elf.h"

namespace drydock {

namespace {

constexpr uint32_t kEocdSig = 0x06054b50;
constexpr uint32_t kEocd64Sig = 0x06064b50;
constexpr uint32_t kLocatorSig = 0x07064b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kLocalSig = 0x04034b50;
constexpr size_t kEocdSize = 22;
constexpr size_t kCentralSize = 46;
constexpr size_t kLocalSize = 30;

uint64_t U(std::string_view b, uint64_t at, int size) { return ReadUintAt(b, at, size, true).value_or(0); }

bool Fits(std::string_view b, uint64_t at, uint64_t size) { return at <= b.size() && size <= b.size() - at; }

struct Eocd {
  uint64_t pos = 0;  // where the record that gave cd_size sits
  uint64_t entries = 0;
  uint64_t cd_size = 0;
  uint64_t cd_offset = 0;
};

// The last end-of-central-directory record whose comment reaches exactly
// to the end of the file, else the last one found at all (some writers pad).
Result<Eocd> FindEocd(std::string_view b) {
  if (b.size() < kEocdSize) return InputError("zip: too short to be an archive ({} bytes)", b.size());
  const uint64_t lowest = b.size() > kEocdSize + 0xffff ? b.size() - kEocdSize - 0xffff : 0;
  std::optional<uint64_t> any;
  for (uint64_t p = b.size() - kEocdSize + 1; p-- > lowest;) {
    if (U(b, p, 4) != kEocdSig) continue;
    if (p + kEocdSize + U(b, p + 20, 2) == b.size()) {
      any = p;
      break;
    }
    if (!any) any = p;
  }
  if (!any) return InputError("zip: no end of central directory record");
  Eocd e;
  e.pos = *any;
  e.entries = U(b, e.pos + 10, 2);
  e.cd_size = U(b, e.pos + 12, 4);
  e.cd_offset = U(b, e.pos + 16, 4);
  // Zip64: the locator sits right before the EOCD and points at the real
  // counts. Archives with prepended data have it where the locator says
  // plus the same shift, i.e. right before the locator.
  if (e.pos >= 20 && U(b, e.pos - 20, 4) == kLocatorSig) {
    const uint64_t loc = e.pos - 20;
    uint64_t at = U(b, loc + 8, 8);
    if (!(Fits(b, at, 56) && U(b, at, 4) == kEocd64Sig) && loc >= 56) at = loc - 56;
    if (!Fits(b, at, 56) || U(b, at, 4) != kEocd64Sig) return InputError("zip: Zip64 end record missing");
    e.pos = at;
    e.entries = U(b, at + 32, 8);
    e.cd_size = U(b, at + 40, 8);
    e.cd_offset = U(b, at + 48, 8);
  }
  return e;
}

// Fills the 0xffffffff fields of `e` from a Zip64 extra field (id 1).
void ApplyZip64Extra(std::string_view extra, ZipEntry& e, bool need_size, bool need_csize, bool need_offset) {
  uint64_t i = 0;
  while (i + 4 <= extra.size()) {
    const uint64_t id = U(extra, i, 2);
    const uint64_t len = U(extra, i + 2, 2);
    if (!Fits(extra, i + 4, len)) return;
    if (id == 1) {
      std::string_view f = extra.substr(i + 4, len);
      uint64_t at = 0;
      auto next = [&](uint64_t& field) {
        if (at + 8 <= f.size()) field = U(f, at, 8);
        at += 8;
      };
      if (need_size) next(e.size);
      if (need_csize) next(e.compressed_size);
      if (need_offset) next(e.local_offset);
      return;
    }
    i += 4 + len;
  }
}

// A raw-deflate zlib stream, ended on scope exit.
struct Inflater {
  z_stream z{};
  bool live = false;
  Inflater() { live = inflateInit2(&z, -MAX_WBITS) == Z_OK; }
  ~Inflater() {
    if (live) inflateEnd(&z);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
};

}  // namespace

Result<ZipArchive> ZipArchive::Open(std::string_view bytes, const ZipLimits& limits) {
  ASSIGN_OR_RETURN(Eocd eocd, FindEocd(bytes));
  if (eocd.entries > limits.max_entries) {
    return InputError("zip: {} entries, more than the limit of {}", eocd.entries, limits.max_entries);
  }
  if (eocd.cd_size > eocd.pos) return InputError("zip: central directory ({} bytes) does not fit", eocd.cd_size);
  // Where the directory really is; a difference from where the archive
  // says it is means bytes were prepended, and every offset moves by that.
  const uint64_t cd_at = eocd.pos - eocd.cd_size;
  if (eocd.cd_offset > cd_at) {
    return InputError("zip: central directory offset {} is past the directory's end", eocd.cd_offset);
  }
  const uint64_t shift = cd_at - eocd.cd_offset;
  if (eocd.entries > eocd.cd_size / kCentralSize) {
    return InputError("zip: {} entries cannot fit a {}-byte central directory", eocd.entries, eocd.cd_size);
  }
  ZipArchive z;
  z.bytes_ = bytes;
  z.limits_ = limits;
  z.entries_.reserve(eocd.entries);
  uint64_t p = cd_at;
  const uint64_t end = eocd.pos;
  for (uint64_t i = 0; i < eocd.entries; ++i) {
    if (p + kCentralSize > end || U(bytes, p, 4) != kCentralSig) {
      return InputError("zip: central directory entry {} is malformed", i);
    }
    ZipEntry e;
    e.flags = static_cast<uint16_t>(U(bytes, p + 8, 2));
    e.method = static_cast<uint16_t>(U(bytes, p + 10, 2));
    e.crc32 = static_cast<uint32_t>(U(bytes, p + 16, 4));
    e.compressed_size = U(bytes, p + 20, 4);
    e.size = U(bytes, p + 24, 4);
    const uint64_t name_len = U(bytes, p + 28, 2);
    const uint64_t extra_len = U(bytes, p + 30, 2);
    const uint64_t comment_len = U(bytes, p + 32, 2);
    e.local_offset = U(bytes, p + 42, 4);
    const uint64_t var = name_len + extra_len + comment_len;
    if (p + kCentralSize + var > end) return InputError("zip: central directory entry {} is truncated", i);
    e.name = std::string(bytes.substr(p + kCentralSize, name_len));
    ApplyZip64Extra(bytes.substr(p + kCentralSize + name_len, extra_len), e, e.size == 0xffffffff,
                    e.compressed_size == 0xffffffff, e.local_offset == 0xffffffff);
    e.local_offset += shift;
    z.entries_.push_back(std::move(e));
    p += kCentralSize + var;
  }
  return z;
}

ZipArchive::Read ZipArchive::ReadEntry(const ZipEntry& e, ZipBudget& budget, uint64_t max_bytes, bool prefix_ok) const {
  Read r;
  auto fail = [&](ZipReadError::Kind kind, std::string message) {
    r.data.clear();
    r.error = {kind, std::move(message)};
    return std::move(r);
  };
  using K = ZipReadError::Kind;
  if (e.flags & 1) return fail(K::kBad, "encrypted entry");
  if (e.method != 0 && e.method != 8)
    return fail(K::kBad, "unsupported compression method " + std::to_string(e.method));
  if (e.size > limits_.max_entry_bytes) {
    return fail(K::kBomb, "declares " + std::to_string(e.size) + " bytes, over the limit of " +
                              std::to_string(limits_.max_entry_bytes));
  }
  if (e.size > max_bytes && !prefix_ok) {
    return fail(K::kBad, "is " + std::to_string(e.size) + " bytes, larger than the " + std::to_string(max_bytes) +
                             " bytes read");
  }
  const uint64_t lh = e.local_offset;
  if (!Fits(bytes_, lh, kLocalSize) || U(bytes_, lh, 4) != kLocalSig) return fail(K::kBad, "local header missing");
  const uint64_t data_at = lh + kLocalSize + U(bytes_, lh + 26, 2) + U(bytes_, lh + 28, 2);
  if (!Fits(bytes_, data_at, e.compressed_size)) return fail(K::kBad, "data runs past the end of the archive");
  const std::string_view in = bytes_.substr(data_at, e.compressed_size);
  const uint64_t want = std::min(e.size, max_bytes);

  if (e.method == 0) {
    if (e.compressed_size != e.size) return fail(K::kBad, "stored entry with differing sizes");
    if (want > budget.remaining) return fail(K::kBomb, "archive inflates to more than the total limit");
    budget.remaining -= want;
    r.data.assign(in.substr(0, want));
  } else {
    Inflater inflater;
    if (!inflater.live) return fail(K::kBad, "zlib: cannot initialise");
    z_stream* z = &inflater.z;
    r.data.reserve(static_cast<size_t>(std::min<uint64_t>(want, 1 << 20)));
    // zlib counts in uInt: feed the input in pieces it can take.
    std::string_view rest = in;
    char buf[64 << 10];
    bool done = false;
    while (!done) {
      if (z->avail_in == 0 && !rest.empty()) {
        const size_t n = std::min<size_t>(rest.size(), 1 << 30);
        z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(rest.data()));
        z->avail_in = static_cast<uInt>(n);
        rest.remove_prefix(n);
      }
      z->next_out = reinterpret_cast<Bytef*>(buf);
      z->avail_out = sizeof(buf);
      const int rc = inflate(z, Z_NO_FLUSH);
      const size_t got = sizeof(buf) - z->avail_out;
      if (rc == Z_STREAM_END) done = true;
      if (rc != Z_OK && rc != Z_STREAM_END) {
        if (rc == Z_BUF_ERROR && rest.empty() && z->avail_in == 0) return fail(K::kBad, "deflate data is truncated");
        if (rc != Z_BUF_ERROR) return fail(K::kBad, std::string("deflate: ") + (z->msg ? z->msg : "corrupt data"));
      }
      const uint64_t total = r.data.size() + got;
      if (total > limits_.max_entry_bytes) return fail(K::kBomb, "inflates past the per-entry limit");
      if (total > limits_.min_ratio_bytes && total / limits_.max_ratio > e.compressed_size) {
        return fail(K::kBomb, "compression ratio over " + std::to_string(limits_.max_ratio) + ":1");
      }
      if (got > budget.remaining) return fail(K::kBomb, "archive inflates to more than the total limit");
      budget.remaining -= got;
      if (total > e.size) {
        return fail(K::kBad, "inflates to more than its declared " + std::to_string(e.size) + " bytes");
      }
      r.data.append(buf, std::min<uint64_t>(got, want - std::min<uint64_t>(want, r.data.size())));
      if (prefix_ok && r.data.size() >= want && want < e.size) {
        r.ok = true;
        return r;
      }
      if (got == 0 && rc == Z_BUF_ERROR) return fail(K::kBad, "deflate data is truncated");
    }
    if (r.data.size() != e.size) {
      return fail(K::kBad, "inflates to " + std::to_string(r.data.size()) + " bytes, not the declared " +
                               std::to_string(e.size));
    }
  }
  if (r.data.size() == e.size) {
    const uLong crc = crc32_z(0L, reinterpret_cast<const Bytef*>(r.data.data()), r.data.size());
    if (crc != e.crc32) return fail(K::kBad, "CRC-32 mismatch");
  }
  r.ok = true;
  return r;
}

}  // namespace drydock
