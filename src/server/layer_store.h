// The shared layer results of a fleet: LayerStore (layer/cache.h) over the
// layers table, keyed by the same entry key as the local cache (diff_id +
// analyzer key) and holding the same bytes (EncodeLayerEntry), verified the
// same way on load. A layer one worker analysed is never analysed again by
// a worker of the same build.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "layer/cache.h"
#include "server/pg.h"

namespace drydock::server {

// Thread-safe: one connection behind a mutex, (re)connected on demand. A
// database error is a miss on Load and is ignored on Store (the store only
// saves time), and the connection is retried on the next call.
class PgLayerStore final : public LayerStore {
 public:
  explicit PgLayerStore(std::string url) : url_(std::move(url)) {}
  std::optional<LayerResult> Load(std::string_view key) const override;
  Result<int64_t> Store(std::string_view key, const LayerResult& r) const override;

  int64_t hits() const { return hits_.load(); }
  int64_t misses() const { return misses_.load(); }

 private:
  pg::Conn* Connection() const;  // with mu_ held; null when it cannot connect

  std::string url_;
  mutable std::mutex mu_;
  mutable std::unique_ptr<pg::Conn> conn_;
  mutable std::atomic<int64_t> hits_{0};
  mutable std::atomic<int64_t> misses_{0};
};

}  // namespace drydock::server
