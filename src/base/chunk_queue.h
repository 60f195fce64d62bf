// Bounded hand-off of byte chunks between the pipeline's threads. The queue
// bounds memory (depth × chunk size per layer in flight); Close() marks the
// end of the stream. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

namespace drydock {

// A heap buffer with a fill level, or (when `view` is set) a borrowed range
// of memory that outlives the queue, such as a mapped file. Moved, never
// copied.
struct Chunk {
  std::unique_ptr<std::byte[]> data;
  size_t capacity = 0;
  size_t size = 0;
  const std::byte* view = nullptr;
  const std::byte* ptr() const { return view ? view : data.get(); }
  std::span<const std::byte> bytes() const { return {ptr(), size}; }
};

// Recycles chunk buffers so the steady state allocates nothing.
class ChunkPool {
 public:
  explicit ChunkPool(size_t chunk_size) : chunk_size_(chunk_size) {}
  Chunk Get();
  void Put(Chunk c);

 private:
  size_t chunk_size_;
  std::mutex mu_;
  std::vector<Chunk> free_;
};

class ChunkQueue {
 public:
  explicit ChunkQueue(size_t depth) : depth_(depth) {}
  // Blocks while full. Returns false if the queue was closed (chunk dropped).
  bool Push(Chunk c);
  // Blocks while empty; returns false at end of stream.
  bool Pop(Chunk& out);
  // No more pushes; Pop drains what is queued, then returns false.
  void Close();

 private:
  size_t depth_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Chunk> q_;
  bool closed_ = false;
};

}  // namespace drydock
