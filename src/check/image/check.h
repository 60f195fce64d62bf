// Image checks: rules as data. Each rule has an id, a CIS reference, a
// severity, rationale and remediation, and a function that looks at the image
// config and the merged filesystem view and appends findings. The list of
// rules is explicit (checks.inc), one line per check group.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "layer/analyzer.h"
#include "layer/view.h"
#include "model/finding.h"
#include "model/image.h"
#include "model/scan.h"

namespace drydock {

struct ImageCheckInput {
  const ImageInfo& image;
  const FileSystemView& fs;
  const std::optional<OsRelease>& os;
};

struct CheckRule;
using CheckFn = void (*)(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out);

struct CheckRule {
  std::string_view id;   // "DD-CIS-4.1"
  std::string_view cis;  // "4.1" or ""
  Severity severity;
  std::string_view title;
  std::string_view rationale;
  std::string_view remediation;
  std::vector<std::string_view> references;
  CheckFn run;
};

// Every image check, in a fixed order.
std::span<const CheckRule> ImageCheckRules();

// The files the image checks read from the merged view.
FileWants ImageCheckWants();

// Runs every rule; findings get rule metadata filled from the table.
std::vector<Finding> RunImageChecks(const ImageCheckInput& in);

// A misconfiguration finding with the metadata of a rule-table row (id,
// severity, title, rationale, remediation, references: CheckRule and
// LintRule alike); the caller fills location and evidence.
template <class Rule>
Finding RuleFinding(const Rule& rule) {
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
inline Finding MakeFinding(const CheckRule& rule) { return RuleFinding(rule); }

// Shared with the Dockerfile and compose lint (lint/): one notion of a
// secret-looking ENV/ARG.
// CIS 4.10: whether an ENV/ARG `name`=`value` looks like a secret kept in
// the image. Names alone (DB_PASSWORD, API_TOKEN) count when the value is
// set and is not a reference (a path, $VAR, a placeholder); *_KEY names only
// with a key-like value; obvious secret values (AKIA…, ghp_…, private key
// blocks, URLs with a password) count whatever the name.
bool LooksLikeSecret(std::string_view name, std::string_view value);

// `created_by` with the values of secret-looking ENV/ARG assignments and
// RUN build arguments redacted (findings copy it into their location).
std::string RedactCreatedBy(std::string_view created_by);

// `value` redacted for evidence: its first two characters (when it is long
// enough to keep the rest secret) and its length.
std::string RedactValue(std::string_view value);

}  // namespace drydock
