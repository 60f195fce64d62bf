// A pull stream of bytes: the one interface every byte producer (files,
// archive members, sockets) offers to the layer pipeline.
#pragma once

#include <cstddef>
#include <span>

#include "base/result.h"

namespace drydock {

// Read fills up to dst.size() bytes and returns how many; 0 means end of
// stream. Errors name the stream. Not thread-safe.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual Result<size_t> Read(std::span<std::byte> dst) = 0;
};

}  // namespace drydock
