// The layer pipeline: one streaming pass per layer blob. The reading thread
// hashes the blob as stored; a second thread decompresses (gzip, zstd or
// none, by magic) and hashes the tar; a third walks the tar entries and feeds
// the analyzers. Bounded queues between them cap memory at a few MiB per
// layer in flight. Results are matched to the image's layers and verified
// against the manifest digests and the config's diff_ids afterwards.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "layer/analyzer.h"
#include "layer/layer.h"
#include "model/image.h"
#include "source/source.h"

namespace drydock {

struct PipelineOptions {
  int64_t chunk_size = 1 << 20;
  int queue_depth = 8;
  // A layer that inflates to more than max_ratio times its compressed size
  // and more than min_bomb_bytes in all is refused as a decompression bomb.
  int64_t max_ratio = 1000;
  int64_t min_bomb_bytes = int64_t{1} << 30;
  int64_t max_entries_per_layer = 5'000'000;
  // Called with the number of blob bytes just read (any thread).
  std::function<void(int64_t)> on_progress;
};

// Processes one layer blob from a stream. Never throws; failures land in
// LayerResult::error.
LayerResult ProcessLayerBlob(const std::string& name, ByteStream& stream,
                             const std::vector<const LayerAnalyzer*>& analyzers, const PipelineOptions& opts);

// Walks a root filesystem directory as if it were one layer. Symlinks are
// recorded, never followed; special files are recorded, never opened.
LayerResult ProcessRootfsDir(const std::string& name, const std::string& dir,
                             const std::vector<const LayerAnalyzer*>& analyzers, const PipelineOptions& opts);

class LayerStore;

// The BlobSink that runs the pipeline on every blob a source hands over and
// keeps the results by blob name. Thread-safe.
//
// With a `cache` (layer/cache.h; not owned, may be null), HaveLayer answers
// from it — the result a cold read would have produced — and Take stores
// each layer it verified that was read rather than cached.
class LayerCollector final : public BlobSink {
 public:
  LayerCollector(std::vector<const LayerAnalyzer*> analyzers, PipelineOptions opts, const LayerStore* cache = nullptr);
  Status OnLayerBlob(const std::string& name, int64_t declared, ByteStream& stream) override;
  Status OnRootfsDir(const std::string& name, const std::string& dir) override;
  bool HaveLayer(const Layer& layer, int64_t declared) override;
  // Keeps an empty result for the layer (compression "skipped", `why` as
  // its diagnostic); Take accepts it unverified and never caches it.
  void OnSkippedLayer(const Layer& layer, const std::string& why) override;

  // Matches results to `image.layers` (by LayerBlob::name), checks the blob
  // digest and the diff_id of each, and fills Layer::uncompressed_size.
  // Returns the results in layer order; a missing or unverifiable layer is an
  // error that names it ("layer 3 (sha256:ab12…): …").
  Result<std::vector<std::shared_ptr<const LayerResult>>> Take(ImageInfo& image);

  // Layers HaveLayer answered, and the layer cache bytes Take wrote.
  int layers_from_cache() const;
  int64_t bytes_stored() const;

 private:
  std::vector<const LayerAnalyzer*> analyzers_;
  PipelineOptions opts_;
  const LayerStore* cache_;
  std::string analyzer_key_;  // when cache_ is set
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<const LayerResult>> results_;
  std::set<std::string> from_cache_;  // blob names
  int64_t bytes_stored_ = 0;
};

}  // namespace drydock
