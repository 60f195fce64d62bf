#include "cli/progress.h"

#include <cstdio>

#include <fmt/format.h>

namespace drydock {

void Progress::Add(int64_t bytes) {
  if (!enabled_) return;
  int64_t done = done_ += bytes;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  if (now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  double mib = static_cast<double>(done) / (1 << 20);
  std::string line = fmt::format("\r  reading layers: {:.0f} MiB", mib);
  if (total_ > 0) line += fmt::format(" / {:.0f} MiB", static_cast<double>(total_) / (1 << 20));
  if (secs > 0.2) line += fmt::format("  {:.0f} MiB/s", mib / secs);
  std::fputs(line.c_str(), stderr);
  drawn_ = true;
}

void Progress::Done() {
  std::lock_guard lock(mu_);
  if (drawn_) std::fputs("\r\033[K", stderr);
  drawn_ = false;
}

}  // namespace drydock
