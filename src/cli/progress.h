// A one-line progress display on stderr (bytes of layers read, rate), drawn
// at most ten times a second and only when stderr is a terminal.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace drydock {

class Progress {
 public:
  explicit Progress(bool enabled, int64_t total_hint) : enabled_(enabled), total_(total_hint) {}
  ~Progress() { Done(); }
  // Thread-safe.
  void Add(int64_t bytes);
  // Clears the line.
  void Done();

 private:
  bool enabled_;
  int64_t total_;
  std::atomic<int64_t> done_{0};
  std::mutex mu_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
  bool drawn_ = false;
};

}  // namespace drydock
