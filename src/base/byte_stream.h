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
  // The whole remaining stream as memory that stays valid for the life of
  // the stream (a mapped file range), or an empty span when the stream is
  // not in memory. Readers that can use it skip a copy; they must not call
  // Read afterwards.
  virtual std::span<const std::byte> Mapped() { return {}; }
  // The reader is done with `part` of Mapped(): its pages may be dropped
  // from this process (they stay in the page cache). Thread-safe.
  virtual void Release(std::span<const std::byte> /*part*/) {}
};

}  // namespace drydock
