// What the container and host audits share: verdicts, the --only/--skip
// selection, CIS id order and the finding a WARN outcome becomes.
#include "audit/audit.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace drydock {

Verdict Pass(std::string evidence) { return {CheckStatus::kPass, std::move(evidence)}; }
Verdict Warn(std::string evidence) { return {CheckStatus::kWarn, std::move(evidence)}; }

std::string ListText(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + v[i];
  return out + "]";
}

namespace {

std::vector<int> IdParts(std::string_view id) {
  std::vector<int> parts;
  size_t i = 0;
  while (i < id.size()) {
    size_t j = id.find('.', i);
    if (j == std::string_view::npos) j = id.size();
    int n = 0;
    std::from_chars(id.data() + i, id.data() + j, n);
    parts.push_back(n);
    i = j + 1;
  }
  return parts;
}

}  // namespace

bool CisIdLess(std::string_view a, std::string_view b) { return IdParts(a) < IdParts(b); }

bool CheckSelection::Selected(std::string_view id) const {
  auto covers = [&](const std::string& sel) {
    return id == sel || (id.size() > sel.size() && id.starts_with(sel) && id[sel.size()] == '.');
  };
  if (std::any_of(skip.begin(), skip.end(), covers)) return false;
  return only.empty() || std::any_of(only.begin(), only.end(), covers);
}

Finding AuditFinding(const CheckOutcome& o, Severity severity, std::string_view field) {
  Finding f;
  f.rule_id = "DD-CIS-" + o.id;
  f.kind = FindingKind::kMisconfiguration;
  f.severity = severity;
  f.title = o.title;
  f.description = fmt::format("CIS Docker Benchmark 1.6 {} (level {}) fails for {}.", o.id, o.level, o.target);
  f.remediation = o.remediation;
  f.location.path = o.target;
  f.location.config_field = std::string(field);
  f.evidence = o.evidence;
  f.references = {fmt::format("CIS Docker Benchmark v1.6.0 {}", o.id)};
  f.Fingerprint();
  return f;
}

}  // namespace drydock
