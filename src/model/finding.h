// The finding model every scanner produces and every report consumes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drydock {

enum class Severity { kUnknown = 0, kLow, kMedium, kHigh, kCritical };

std::string_view SeverityName(Severity s);           // "UNKNOWN".."CRITICAL"
Result<Severity> ParseSeverity(std::string_view s);  // case-insensitive

enum class FindingKind { kVulnerability, kSecret, kMisconfiguration, kLicense };
std::string_view FindingKindName(FindingKind k);  // "vulnerability", …

// Where a finding is: a file in a layer (path, optional line), or a field of
// the image config ("config.User"), or both absent for image-wide findings.
struct Location {
  int layer_index = -1;      // -1: not tied to a layer
  std::string diff_id;       // "sha256:…" of that layer
  std::string created_by;    // the instruction that made that layer
  std::string path;          // clean path in the image, or empty
  int line = 0;              // 1-based, 0 when not applicable
  std::string config_field;  // e.g. "config.User", "config.Healthcheck"
};

struct Finding {
  std::string rule_id;  // "DD-CIS-4.1", stable
  FindingKind kind = FindingKind::kMisconfiguration;
  Severity severity = Severity::kUnknown;
  std::string title;        // one line
  std::string description;  // rationale
  std::string remediation;  // what to change
  Location location;
  std::string evidence;                 // redacted; never a full secret
  std::vector<std::string> references;  // "CIS Docker Benchmark 4.1", URLs
  std::string fingerprint;              // stable across runs: rule + location hash

  // Computes `fingerprint` from the rule id and the location (not from
  // severity, title or evidence, so wording changes keep ids stable).
  void Fingerprint();
};

// A per-file problem that does not stop the scan (e.g. an unreadable member
// or a malformed package file). A scan with diagnostics is reported partial.
struct Diagnostic {
  std::string where;  // "layer 2 (sha256:…) /etc/passwd"
  std::string message;
};

// Orders findings for reports: severity descending, then rule id, then path.
void SortFindings(std::vector<Finding>& findings);

}  // namespace drydock
