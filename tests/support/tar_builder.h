// Test support: tar archives built in memory with libarchive's writer, the
// compressors layer blobs use, a ByteStream over a string that hands its
// bytes out in small uneven pieces, and a temporary directory. Tests build
// their images from these instead of storing binary fixtures.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/byte_stream.h"

namespace drydock::testing {

// The tar dialect to write. kPax stores long names in pax extended headers,
// kGnu in GNU 'L'/'K' records, kUstar only fits 255-byte names.
enum class TarFormat { kPax, kUstar, kGnu };

// One member of a tar archive. Build them with the helpers below.
struct TarEntry {
  enum class Type { kFile, kDir, kSymlink, kHardlink, kFifo };
  Type type = Type::kFile;
  std::string path;      // as stored: "etc/passwd", "./x", "../y"…
  std::string content;   // regular files
  std::string target;    // symlink target or hardlink target path
  uint32_t mode = 0644;  // permission bits incl. setuid/setgid/sticky
  uint32_t uid = 0;
  uint32_t gid = 0;
};

TarEntry File(std::string path, std::string content, uint32_t mode = 0644, uint32_t uid = 0, uint32_t gid = 0);
TarEntry Dir(std::string path, uint32_t mode = 0755);
TarEntry Symlink(std::string path, std::string target);
TarEntry Hardlink(std::string path, std::string target);
TarEntry Fifo(std::string path);
// "DIR/.wh.NAME": the layer deletes DIR/NAME.
TarEntry Whiteout(std::string_view dir, std::string_view name);
// "DIR/.wh..wh..opq": the layer hides DIR's lower contents.
TarEntry OpaqueMarker(std::string_view dir);

// The tar bytes of `entries` in order, ending with the two zero blocks and
// no padding to a record size. Aborts the test binary on a libarchive error
// (the inputs are the test's own).
std::string MakeTar(const std::vector<TarEntry>& entries, TarFormat format = TarFormat::kPax);

// One gzip member / one zstd frame holding `data`.
std::string Gzip(std::string_view data);
std::string Zstd(std::string_view data);

// A ByteStream over a copy of `data` that returns at most `piece` bytes per
// Read, so consumers see short, unaligned reads.
class MemoryStream final : public ByteStream {
 public:
  explicit MemoryStream(std::string data, size_t piece = 7) : data_(std::move(data)), piece_(piece) {}
  Result<size_t> Read(std::span<std::byte> dst) override;

 private:
  std::string data_;
  size_t piece_;
  size_t pos_ = 0;
};

// A ByteStream that returns `data` and then fails with an environment error
// whose message is `message`.
class FailingStream final : public ByteStream {
 public:
  FailingStream(std::string data, std::string message) : data_(std::move(data)), message_(std::move(message)) {}
  Result<size_t> Read(std::span<std::byte> dst) override;

 private:
  std::string data_;
  std::string message_;
  size_t pos_ = 0;
};

// A fresh directory under $TMPDIR (or /tmp), removed with its contents when
// the object goes away.
// Adds a test failure for each of `wants` that `message` does not contain.
void ExpectMentions(const std::string& message, const std::vector<std::string>& wants);

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `content` to path()/rel, creating parent directories.
  std::string Write(std::string_view rel, std::string_view content) const;

 private:
  std::string path_;
};

}  // namespace drydock::testing
