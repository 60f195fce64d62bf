// Where the secret engine meets the image: a LayerAnalyzer that scans every
// regular text file of every layer as it streams past (files a later layer
// deletes or overwrites included), the scan of the image config (Env,
// Labels, history created_by, Entrypoint, Cmd), the merge of one secret
// found in many places, and the redaction of found values in everything a
// report prints.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layer/analyzer.h"
#include "model/scan.h"
#include "secret/engine.h"

namespace drydock::secret {

// Files larger than this are not read (they are skipped without a
// diagnostic: an image holds many large binaries).
constexpr int64_t kMaxFileBytes = 10 << 20;

class SecretAnalyzer final : public LayerAnalyzer {
 public:
  explicit SecretAnalyzer(std::shared_ptr<const Engine> engine);
  std::string_view name() const override { return "secret"; }
  const FileWants& wants() const override { return wants_; }
  std::string cache_key() const override { return engine_->cache_key(); }
  // Skips allow-listed paths and binary content; every confirmed secret
  // becomes a Finding in `out` (location: path and line; the layer's
  // identity is added by the caller). Thread-safe.
  void OnFile(const FileNode& node, std::string_view content, LayerResult& out) const override;

 private:
  std::shared_ptr<const Engine> engine_;
  FileWants wants_;
};

// Secrets in the image config. `values` gets each raw value found, for
// RedactEverywhere; the findings carry only redacted evidence.
std::vector<Finding> ScanImageConfig(const Engine& engine, const ImageInfo& image, std::vector<std::string>& values);

// Merges secret findings with the same value (secret_digest) into one: the
// first place (lowest layer, then path and line; config fields last) is the
// location, the others go to more_locations.
void MergeSameSecrets(std::vector<Finding>& findings);

// Replaces every occurrence of each value with Redact(value) in the image
// config, history, layer summaries, packages' created_by and every
// finding's text and locations — whatever a report may print.
void RedactEverywhere(const std::vector<std::string>& values, ScanResult& result);

}  // namespace drydock::secret
