// Test support: zip archives (jars) built in memory, stored or deflated with
// zlib, with knobs to make them lie (declared sizes, CRC, entry count) for
// the hostile-input cases. Java itself is not needed to make a jar.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace drydock::testing {

struct ZipFileEntry {
  std::string name;
  std::string data;
  bool deflate = true;
  // Lies for hostile cases: what the headers declare instead of the truth.
  std::optional<uint64_t> declared_size;
  std::optional<uint32_t> declared_crc;
  uint16_t flags = 0;
  std::optional<uint16_t> method;  // instead of 0 / 8
};

struct ZipOptions {
  std::string prefix;   // bytes before the archive (an executable jar's launch script)
  std::string comment;  // archive comment after the end record
  bool zip64 = false;   // write Zip64 end records and extra fields
  std::optional<uint64_t> declared_entries;
};

std::string MakeZip(const std::vector<ZipFileEntry>& entries, const ZipOptions& opts = {});

// Raw deflate of `data` (what a zip entry holds).
std::string RawDeflate(const std::string& data);

}  // namespace drydock::testing
