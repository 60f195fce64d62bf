// The container check runner: table assembly, selection, outcomes and
// findings.
#include <algorithm>

#include "audit/container/groups.h"

namespace drydock {

namespace {

std::vector<ContainerCheck> BuildTable() {
  std::vector<ContainerCheck> rules;
#define DRYDOCK_CONTAINER_CHECK_GROUP(fn) fn(rules);
#include "audit/container/checks.inc"
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

std::span<const ContainerCheck> ContainerChecks() {
  static const std::vector<ContainerCheck> table = BuildTable();
  return table;
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
