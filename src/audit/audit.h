// The live audits: CIS Docker Benchmark 1.6 checks, numbered as Docker Bench
// for Security numbers them. Container checks (§5, audit/container/) judge
// one container's inspect document plus what the daemon says; host checks
// (§1-3, 6, 7, audit/host/) judge a host filesystem (a --root mount or "/",
// read through HostFs, audit/host_fs.h) plus, when reachable, the daemon.
// Rules are tables, one file per group, listed in each folder's checks.inc.
// Every rule yields one CheckOutcome per target; WARN outcomes also become
// Findings. This header holds what both audits share.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/inspect.h"
#include "model/audit.h"
#include "model/finding.h"

namespace drydock {

// What a rule decided and the exact field/value that decided it.
struct Verdict {
  CheckStatus status = CheckStatus::kPass;
  std::string evidence;
};

// --skip / --only: ids or whole sections ("5", "5.1", "2.1" selects 2.1 and
// 2.1.x but not 2.10). Empty `only` selects everything.
struct CheckSelection {
  std::vector<std::string> only;
  std::vector<std::string> skip;
  bool Selected(std::string_view id) const;
};

// Orders CIS ids numerically ("5.2" < "5.10").
bool CisIdLess(std::string_view a, std::string_view b);

// Builds outcomes' verdicts.
Verdict Pass(std::string evidence);
Verdict Warn(std::string evidence);

// "[a b]" like docker inspect prints a list, "[]" when empty.
std::string ListText(const std::vector<std::string>& v);

// Builds the finding for a WARN outcome.
Finding AuditFinding(const CheckOutcome& o, Severity severity, std::string_view field);

}  // namespace drydock
