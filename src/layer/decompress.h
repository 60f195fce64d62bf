// Internal to layer/: streaming decompressors for layer blobs, chosen by the
// blob's magic bytes (not its media type, which archives often get wrong).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"

namespace drydock {

enum class Compression { kNone, kGzip, kZstd };
std::string_view CompressionName(Compression c);
Compression SniffCompression(std::span<const std::byte> head);

// Feeds compressed bytes in, calls `emit` with decompressed bytes. Errors
// describe the data ("gzip: invalid deflate block at input offset 1234").
class Decompressor {
 public:
  // Receives output as it is produced; an error stops decompression at once
  // and is returned by Feed (a bomb must not finish a 16 GB Feed call).
  using Emit = std::function<Status(std::span<const std::byte>)>;
  virtual ~Decompressor() = default;
  virtual Status Feed(std::span<const std::byte> in, const Emit& emit) = 0;
  // End of input: errors if the stream is incomplete.
  virtual Status Finish() = 0;
};

std::unique_ptr<Decompressor> MakeDecompressor(Compression c, size_t out_chunk);

}  // namespace drydock
