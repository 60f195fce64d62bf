// The compose lint driver.
#include <algorithm>

#include "base/sort.h"
#include "lint/groups.h"

namespace drydock {

namespace {

std::vector<LintRule> BuildComposeRules() {
  std::vector<LintRule> rules;
#define DRYDOCK_LINT_GROUP(fn) fn(rules);
#include "lint/compose/checks.inc"
#undef DRYDOCK_LINT_GROUP
  return rules;
}

}  // namespace

std::span<const LintRule> ComposeRules() {
  static const std::vector<LintRule> rules = BuildComposeRules();
  return rules;
}

std::vector<Finding> LintCompose(const ComposeProject& project, const LintOptions&) {
  std::vector<Finding> out;
  for (const LintRule& rule : ComposeRules()) {
    if (rule.compose) rule.compose(project, rule, out);
  }
  for (Finding& f : out) f.Fingerprint();
  // In place: a project of 20,000 services has ~260,000 findings, and
  // std::stable_sort's buffer would hold half of them again.
  StableSortInPlace(out, [](const Finding& a, const Finding& b) {
    return std::tie(a.location.path, a.location.line, a.rule_id) <
           std::tie(b.location.path, b.location.line, b.rule_id);
  });
  return out;
}

}  // namespace drydock
