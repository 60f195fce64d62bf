// An in-memory reader of zip archives (jar, war, ear …) over borrowed bytes,
// with limits, for the Java cataloger. Promises: the central directory is
// found from the end (EOCD within the last 64 KiB + 22 bytes, Zip64 records
// when present); data prepended to the archive (launch scripts of
// executable jars) is allowed for; every offset and size read from the
// archive is checked against the buffer; stored and deflate entries are
// read, others (encrypted, bzip2, …) give an error for that entry only.
// Inflated output is bounded per entry (size and compression ratio) and
// per archive tree through a ZipBudget, so zip bombs end in a kBomb error
// after bounded work and memory. CRC-32 is checked on whole reads.
// Thread-safe: a ZipArchive is immutable after Open.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drydock {

struct ZipLimits {
  uint64_t max_entries = 100000;
  uint64_t max_entry_bytes = uint64_t{256} << 20;  // inflated size of one entry
  // An entry that inflates to more than max_ratio times its compressed
  // size, once past min_ratio_bytes, is a bomb.
  uint64_t max_ratio = 200;
  uint64_t min_ratio_bytes = uint64_t{1} << 20;
};

// Inflated bytes left for one archive and everything nested in it.
struct ZipBudget {
  uint64_t remaining = uint64_t{1} << 30;
};

struct ZipEntry {
  std::string name;  // as stored (may hold "..", NUL, non-UTF-8: untrusted)
  uint16_t flags = 0;
  uint16_t method = 0;  // 0 stored, 8 deflate
  uint32_t crc32 = 0;
  uint64_t compressed_size = 0;
  uint64_t size = 0;          // uncompressed, as declared
  uint64_t local_offset = 0;  // of the local header, adjusted for prepended data

  bool is_dir() const { return !name.empty() && name.back() == '/'; }
};

// Errors of ReadEntry: kBomb when a limit on inflated bytes was hit (the
// caller should give up on the whole archive), kBad for a damaged or
// unsupported entry (the caller may go on with the next).
struct ZipReadError {
  enum class Kind { kBad, kBomb };
  Kind kind = Kind::kBad;
  std::string message;
};

class ZipArchive {
 public:
  // Reads the central directory of `bytes` (which must outlive the
  // archive). Errors: no end-of-central-directory record, a directory that
  // does not fit, more than limits.max_entries entries, a malformed record.
  static Result<ZipArchive> Open(std::string_view bytes, const ZipLimits& limits = {});

  const std::vector<ZipEntry>& entries() const { return entries_; }

  // The content of `e`, inflated. At most `max_bytes` bytes are returned;
  // with `prefix_ok` a longer entry is cut there (no CRC check, only the
  // prefix is inflated), otherwise it is an error. Every inflated byte is
  // charged to `budget`; running out of it is a kBomb error.
  struct Read {
    std::string data;
    bool ok = false;
    ZipReadError error;
  };
  Read ReadEntry(const ZipEntry& e, ZipBudget& budget, uint64_t max_bytes, bool prefix_ok = false) const;

 private:
  std::string_view bytes_;
  ZipLimits limits_;
  std::vector<ZipEntry> entries_;
};

}  // namespace drydock
