#include "check/check.h"
#include "check/groups.h"

namespace drydock {

namespace {

std::vector<CheckRule> BuildRules() {
  std::vector<CheckRule> rules;
#define DRYDOCK_CHECK_GROUP(fn) fn(rules);
#include "check/checks.inc"
#undef DRYDOCK_CHECK_GROUP
  return rules;
}

}  // namespace

std::span<const CheckRule> ImageCheckRules() {
  static const std::vector<CheckRule> kRules = BuildRules();  // immutable after first use
  return kRules;
}

FileWants ImageCheckWants() {
  FileWants w;
  w.globs = {"/etc/passwd", "/etc/group"};
  w.max_size = 1 << 20;
  w.capture = true;
  return w;
}

Finding MakeFinding(const CheckRule& rule) {
  Finding f;
  f.rule_id = std::string(rule.id);
  f.kind = FindingKind::kMisconfiguration;
  f.severity = rule.severity;
  f.title = std::string(rule.title);
  f.description = std::string(rule.rationale);
  f.remediation = std::string(rule.remediation);
  for (auto r : rule.references) f.references.emplace_back(r);
  return f;
}

std::vector<Finding> RunImageChecks(const ImageCheckInput& in) {
  std::vector<Finding> out;
  for (const auto& rule : ImageCheckRules()) rule.run(in, rule, out);
  for (auto& f : out) f.Fingerprint();
  return out;
}

}  // namespace drydock
