// The `image` scan: source → layer pipeline → merged view → checks → a
// ScanResult for the reports. The one place that wires the stages together.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "layer/cache.h"
#include "layer/view.h"
#include "model/scan.h"
#include "source/source.h"

namespace drydock {

struct ScanOptions {
  SourceOptions source;
  std::vector<std::string> scanners = {"misconfig"};
  // Run the catalogers and fill ScanResult::inventory.
  bool inventory = false;
  // Run the image checks (misconfig findings); off for `sbom`.
  bool checks = true;
  // --secret-config FILE for the secret scanner ("" = built-in rules only).
  std::string secret_config;
  // The cache dir: the compiled secret rules are kept under secret/ there,
  // the layer cache under layers/ ("" = no caches: every layer is read and
  // the secret rules are compiled on every run).
  std::string cache_dir;
  // The layer cache (layer/cache.h): layers read before are taken from it
  // rather than read, and the layers read are stored, the cache then cut to
  // cache_max_bytes (least recently used first). --no-cache turns it off.
  bool layer_cache = true;
  int64_t cache_max_bytes = kDefaultLayerCacheBytes;
  // Another layer store to use instead of the cache dir's (fleet workers:
  // PostgreSQL); not owned. Set, it is used even with layer_cache off.
  const LayerStore* layer_store = nullptr;
  // When set, receives how many layers were read and how many the store
  // answered.
  struct LayerCounts {
    int read = 0;
    int from_store = 0;
  };
  LayerCounts* layer_counts = nullptr;
  std::function<void(int64_t)> on_progress;  // blob bytes read
  // The vulnerability database (scanner "vuln"); opened read-only.
  std::string vuln_db;
  bool include_unfixed = true;
};

// Scans `target`. Errors are fatal (exit 2): the target cannot be read or a
// layer fails verification.
Result<ScanResult> ScanImage(const std::string& target, const ScanOptions& opts);

// An image read through the pipeline, for stages that need the merged
// filesystem itself (harden): the image, its layer results, the view over
// them (the files the image checks read are captured when `opts` asks for
// "misconfig" with checks on) and the detected OS.
struct ReadImageResult {
  ImageInfo image;
  std::vector<std::shared_ptr<const LayerResult>> layers;
  std::unique_ptr<FileSystemView> view;
  std::optional<OsRelease> os;
};

// Reads `target` as ScanImage does (same errors), without running checks or
// catalogers.
Result<ReadImageResult> ReadImage(const std::string& target, const ScanOptions& opts);

}  // namespace drydock
