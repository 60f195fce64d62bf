// The bounded hand-off between pipeline threads: FIFO order, Close/drain
// semantics, back-pressure, and buffer recycling.
#include "base/chunk_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace drydock {
namespace {

// A chunk whose size tags it, so tests can tell chunks apart.
Chunk Tagged(size_t tag) { return Chunk{std::make_unique<std::byte[]>(16), 16, tag}; }

// What Pop returns, in order, until it reports end of stream.
std::vector<size_t> DrainTags(ChunkQueue& q) {
  std::vector<size_t> out;
  Chunk c;
  while (q.Pop(c)) out.push_back(c.size);
  return out;
}

TEST(ChunkQueue, CloseSemantics) {
  struct Case {
    std::string name;
    std::vector<size_t> pushed_before_close;
    std::vector<size_t> want_popped;
  };
  const Case cases[] = {
      {"pop after close drains what was queued in order", {1, 2, 3}, {1, 2, 3}},
      {"pop on an empty closed queue ends at once", {}, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ChunkQueue q(8);
    for (size_t t : c.pushed_before_close) ASSERT_TRUE(q.Push(Tagged(t)));
    q.Close();
    EXPECT_EQ(DrainTags(q), c.want_popped);
  }
}

TEST(ChunkQueue, PushAfterCloseIsRefused) {
  ChunkQueue q(8);
  ASSERT_TRUE(q.Push(Tagged(1)));
  q.Close();
  EXPECT_FALSE(q.Push(Tagged(2)));
  EXPECT_EQ(DrainTags(q), std::vector<size_t>{1});
}

TEST(ChunkQueue, PushBlocksWhileFullUntilPop) {
  ChunkQueue q(1);
  ASSERT_TRUE(q.Push(Tagged(1)));
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    EXPECT_TRUE(q.Push(Tagged(2)));
    pushed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(pushed.load()) << "Push returned while the queue was full";
  Chunk c;
  ASSERT_TRUE(q.Pop(c));
  EXPECT_EQ(c.size, 1u);
  producer.join();
  EXPECT_TRUE(pushed.load());
  q.Close();
  EXPECT_EQ(DrainTags(q), std::vector<size_t>{2});
}

TEST(ChunkQueue, CloseWakesABlockedPush) {
  ChunkQueue q(1);
  ASSERT_TRUE(q.Push(Tagged(1)));
  std::atomic<int> result{-1};
  std::thread producer([&] { result = q.Push(Tagged(2)) ? 1 : 0; });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  q.Close();
  producer.join();
  EXPECT_EQ(result.load(), 0);
  EXPECT_EQ(DrainTags(q), std::vector<size_t>{1});
}

TEST(ChunkQueue, PopWaitsForAPushFromAnotherThread) {
  ChunkQueue q(4);
  std::thread producer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    q.Push(Tagged(7));
    q.Close();
  });
  EXPECT_EQ(DrainTags(q), std::vector<size_t>{7});
  producer.join();
}

TEST(ChunkPool, RecyclesBuffersWithSizeReset) {
  ChunkPool pool(64);
  Chunk a = pool.Get();
  EXPECT_EQ(a.capacity, 64u);
  EXPECT_EQ(a.size, 0u);
  a.size = 10;
  const std::byte* buf = a.data.get();
  pool.Put(std::move(a));
  Chunk b = pool.Get();
  EXPECT_EQ(b.data.get(), buf);
  EXPECT_EQ(b.size, 0u);
}

}  // namespace
}  // namespace drydock
