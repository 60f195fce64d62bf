// Helpers shared by the report writers (private to src/report).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "model/finding.h"
#include "model/scan.h"

namespace drydock::report {

// The findings of `scan` in report order (SortFindings), each with its
// fingerprint computed when the scanner left it empty.
std::vector<Finding> PreparedFindings(const ScanResult& scan);
// scan.suppressed, prepared the same way.
std::vector<Finding> PreparedSuppressed(const ScanResult& scan);

// Number of findings per severity, indexed by static_cast<int>(Severity).
using SeverityCounts = std::array<int64_t, 5>;
SeverityCounts CountBySeverity(const std::vector<Finding>& findings);

// Severities from CRITICAL down to UNKNOWN: the order summaries list them in.
inline constexpr std::array<Severity, 5> kSeveritiesDescending = {
    Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow, Severity::kUnknown};

// opts.tool_version, or the version this binary was built as when empty.
std::string ToolVersion(const std::string& requested);

}  // namespace drydock::report
