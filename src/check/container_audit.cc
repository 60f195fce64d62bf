// The container check runner: table assembly, selection, outcomes and
// findings.
#include <algorithm>
#include <charconv>

#include "check/container_groups.h"

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

std::vector<ContainerCheck> BuildTable() {
  std::vector<ContainerCheck> rules;
#define DRYDOCK_CONTAINER_CHECK_GROUP(fn) fn(rules);
#include "check/container_checks.inc"
#undef DRYDOCK_CONTAINER_CHECK_GROUP
  std::stable_sort(rules.begin(), rules.end(),
                   [](const ContainerCheck& a, const ContainerCheck& b) { return CisIdLess(a.id, b.id); });
  return rules;
}

void Record(const ContainerCheck& rule, const Verdict& v, std::string target, std::vector<CheckOutcome>& outcomes,
            std::vector<Finding>& findings) {
  CheckOutcome o;
  o.id = std::string(rule.id);
  o.level = rule.level;
  o.status = v.status;
  o.title = std::string(rule.title);
  o.target = std::move(target);
  o.evidence = v.evidence;
  o.remediation = std::string(rule.remediation);
  if (o.status == CheckStatus::kWarn) findings.push_back(AuditFinding(o, rule.severity, rule.field));
  outcomes.push_back(std::move(o));
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

std::span<const ContainerCheck> ContainerChecks() {
  static const std::vector<ContainerCheck> table = BuildTable();
  return table;
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

void RunContainerChecks(const ContainerCheckInput& in, const CheckSelection& sel, std::vector<CheckOutcome>& outcomes,
                        std::vector<Finding>& findings) {
  for (const ContainerCheck& rule : ContainerChecks()) {
    if (rule.daemon_wide || !sel.Selected(rule.id)) continue;
    Record(rule, rule.run(in), in.c.name.empty() ? in.c.id.substr(0, 12) : in.c.name, outcomes, findings);
  }
}

void RunDaemonWideChecks(const DaemonContext& daemon, const CheckSelection& sel, std::vector<CheckOutcome>& outcomes,
                         std::vector<Finding>& findings) {
  const ContainerInspect none;
  const std::optional<ProcessList> no_processes;
  const ContainerCheckInput in{none, daemon, no_processes};
  for (const ContainerCheck& rule : ContainerChecks()) {
    if (!rule.daemon_wide || !sel.Selected(rule.id)) continue;
    Record(rule, rule.run(in), "daemon", outcomes, findings);
  }
}

}  // namespace drydock
