// The result of scanning one target: what reports render and gates judge.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/audit.h"
#include "model/finding.h"
#include "model/image.h"
#include "model/package.h"

namespace drydock {

// From /etc/os-release (or /usr/lib/os-release and distro-specific files).
struct OsRelease {
  std::string id;          // "debian", "alpine"
  std::string version_id;  // "12"
  std::string version_codename;
  std::string pretty_name;
  std::string source_path;  // file it came from
  // A Google distroless image: dpkg metadata only in /var/lib/dpkg/status.d/
  // (no status file), or an os-release naming "Distroless".
  bool distroless = false;
};

// Size and provenance of one layer, for the summary.
struct LayerSummary {
  int index = 0;
  std::string diff_id;
  std::string blob_digest;
  std::string media_type;
  std::string compression;
  int64_t blob_bytes = 0;
  int64_t tar_bytes = 0;
  int64_t files = 0;
  std::string created_by;
};

struct ImageSummary {
  std::optional<OsRelease> os;
  std::vector<LayerSummary> layers;
  int64_t total_tar_bytes = 0;
  int64_t total_blob_bytes = 0;
  int64_t files = 0;  // in the merged view
};

struct ScanResult {
  std::string target;  // as the user named it
  ImageInfo image;
  ImageSummary summary;
  std::vector<Finding> findings;
  // Findings an ignore file, policy or VEX document suppressed (each with
  // Finding::suppression): not in `findings`, so not judged by --exit-code,
  // but kept for the reports to show as dismissed.
  std::vector<Finding> suppressed;
  std::optional<Inventory> inventory;   // when the inventory ran (sbom, --list-all-pkgs)
  std::vector<Diagnostic> diagnostics;  // non-empty means the scan is partial
  std::vector<std::string> scanners;    // which ran: "misconfig", …
  std::vector<CheckOutcome> outcomes;   // live audits: every check result, PASS included
};

}  // namespace drydock
