#include "model/finding.h"

#include <algorithm>
#include <array>
#include <string>
#include <tuple>

#include "base/digest.h"
#include "base/sort.h"

namespace drydock {
namespace {

constexpr std::array<std::string_view, 5> kSeverityNames = {"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

}  // namespace

std::string_view SeverityName(Severity s) {
  const auto i = static_cast<size_t>(s);
  return i < kSeverityNames.size() ? kSeverityNames[i] : "UNKNOWN";
}

Result<Severity> ParseSeverity(std::string_view s) {
  for (size_t i = 0; i < kSeverityNames.size(); ++i) {
    if (EqualsIgnoreCase(s, kSeverityNames[i])) return static_cast<Severity>(i);
  }
  return InputError("unknown severity {:?} (want UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL)",
                    std::string(s.substr(0, 40)));
}

std::string_view FindingKindName(FindingKind k) {
  switch (k) {
    case FindingKind::kVulnerability:
      return "vulnerability";
    case FindingKind::kSecret:
      return "secret";
    case FindingKind::kMisconfiguration:
      return "misconfiguration";
    case FindingKind::kLicense:
      return "license";
  }
  return "misconfiguration";
}

void Finding::Fingerprint() {
  // NUL separators keep ("a", "bc") and ("ab", "c") apart; paths never hold NUL.
  std::string key;
  key.reserve(rule_id.size() + location.diff_id.size() + location.path.size() + location.config_field.size() + 16);
  key.append(rule_id).push_back('\0');
  key.append(location.diff_id).push_back('\0');
  key.append(location.path).push_back('\0');
  key.append(std::to_string(location.line)).push_back('\0');
  key.append(location.config_field);
  fingerprint = Sha256Of(key).hex.substr(0, 16);
}

bool FindingBefore(const Finding& a, const Finding& b) {
  // Line, layer and config field break the remaining ties so that report
  // output is deterministic whatever order the scanners ran in.
  auto key = [](const Finding& f) {
    return std::tie(f.rule_id, f.location.path, f.location.line, f.location.layer_index, f.location.config_field,
                    f.fingerprint);
  };
  if (a.severity != b.severity) return a.severity > b.severity;
  return key(a) < key(b);
}

void SortFindings(std::vector<Finding>& findings) { StableSortInPlace(findings, FindingBefore); }

}  // namespace drydock
