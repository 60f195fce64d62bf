// The `image` scan: source → layer pipeline → merged view → checks → a
// ScanResult for the reports. The one place that wires the stages together.
#pragma once

#include <functional>
#include <string>
#include <vector>

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
  std::function<void(int64_t)> on_progress;  // blob bytes read
};

// Scans `target`. Errors are fatal (exit 2): the target cannot be read or a
// layer fails verification.
Result<ScanResult> ScanImage(const std::string& target, const ScanOptions& opts);

}  // namespace drydock
