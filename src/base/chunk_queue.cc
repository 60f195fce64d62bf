#include "base/chunk_queue.h"

namespace drydock {

Chunk ChunkPool::Get() {
  {
    std::lock_guard lock(mu_);
    if (!free_.empty()) {
      Chunk c = std::move(free_.back());
      free_.pop_back();
      c.size = 0;
      return c;
    }
  }
  // make_unique_for_overwrite: no zero-fill of a buffer we overwrite anyway.
  return Chunk{std::make_unique_for_overwrite<std::byte[]>(chunk_size_), chunk_size_, 0};
}

void ChunkPool::Put(Chunk c) {
  if (!c.data) return;  // views and empty chunks are not pooled
  std::lock_guard lock(mu_);
  if (free_.size() < 32) free_.push_back(std::move(c));
}

bool ChunkQueue::Push(Chunk c) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return closed_ || q_.size() < depth_; });
  if (closed_) return false;
  q_.push_back(std::move(c));
  cv_.notify_all();
  return true;
}

bool ChunkQueue::Pop(Chunk& out) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return closed_ || !q_.empty(); });
  if (q_.empty()) return false;
  out = std::move(q_.front());
  q_.pop_front();
  cv_.notify_all();
  return true;
}

void ChunkQueue::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

}  // namespace drydock
