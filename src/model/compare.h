// `compare A B`: what changed from one scanned image to another. A pure
// function of two ScanResults (no I/O); the reports render its result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/finding.h"
#include "model/package.h"
#include "model/scan.h"

namespace drydock {

// What the comparison shows about one side: the image and its totals.
struct CompareSide {
  std::string target;  // as the user named it
  std::string image_id;
  std::string manifest_digest;
  std::string platform;  // "linux/amd64", "" when the config says nothing
  std::optional<OsRelease> os;
  std::vector<std::string> scanners;  // which ran
  size_t diagnostics = 0;             // > 0: the scan is partial
  int64_t layers = 0;
  int64_t total_tar_bytes = 0;
  int64_t total_blob_bytes = 0;
  int64_t files = 0;
  std::optional<int64_t> packages;  // absent when the inventory did not run
  int64_t vulnerabilities = 0;
  int64_t findings = 0;  // the other kinds
};

// One package in both images under one identity, at another version (or
// found at another place, when that is the only pairing left).
struct PackageChange {
  Package a;
  Package b;
};

// A layer (by diff_id) both images have.
struct SharedLayer {
  LayerSummary a;
  LayerSummary b;
};

struct Comparison {
  CompareSide a;
  CompareSide b;

  // Packages, when both scans ran the inventory. Identity is the type and
  // full name, plus the architecture for OS packages; several packages of
  // one identity (an npm package vendored at two paths) are paired by
  // location first, so they never collapse into one change. Sorted as
  // SortPackages sorts (changes by A's package).
  bool packages_compared = false;
  std::vector<Package> packages_added;    // only in B
  std::vector<Package> packages_removed;  // only in A
  std::vector<PackageChange> packages_changed;
  int64_t packages_unchanged = 0;

  // Vulnerabilities, when both scans ran "vuln": keyed by vulnerability id
  // and package identity (a package whose version changed keeps its
  // identity, so a CVE that survives an upgrade is neither fixed nor new).
  // Sorted as SortFindings sorts.
  bool vulnerabilities_compared = false;
  std::vector<Finding> vulnerabilities_fixed;  // in A, not in B
  std::vector<Finding> vulnerabilities_new;    // in B, not in A
  int64_t vulnerabilities_unchanged = 0;

  // Every other finding, keyed by fingerprint. Sorted as SortFindings sorts.
  std::vector<Finding> findings_added;    // only in B
  std::vector<Finding> findings_removed;  // only in A
  int64_t findings_unchanged = 0;

  // Layers by diff_id (a dir: target's single layer has none and is never
  // shared). Shared and only-in-B layers in B's order, only-in-A in A's.
  std::vector<SharedLayer> layers_shared;
  std::vector<LayerSummary> layers_only_a;
  std::vector<LayerSummary> layers_only_b;
};

// Compares `a` with `b`. Findings without a fingerprint get one.
Comparison Compare(const ScanResult& a, const ScanResult& b);

// What B brings in: its new vulnerabilities and added findings, in report
// order. `compare --exit-code` fails when this is non-empty.
std::vector<const Finding*> Introduced(const Comparison& c);

}  // namespace drydock
