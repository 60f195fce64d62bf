// The outcome model of the live audits (`drydock containers`, `drydock
// host`): one CheckOutcome per CIS check per target, whatever its status.
// WARN outcomes are also reported as Findings (model/finding.h); the other
// statuses exist only here, because Docker Bench prints them too and a CI
// report (JUnit) wants one test case per check per container.
#pragma once

#include <string>
#include <string_view>

namespace drydock {

enum class CheckStatus {
  kPass,           // the check ran and the target complies
  kWarn,           // the target does not comply (also a Finding)
  kInfo,           // informational: a manual review item with data
  kNote,           // cannot be decided automatically; review by hand
  kNotApplicable,  // the check does not apply here (no swarm, no systemd, rootless…)
};

// "PASS", "WARN", "INFO", "NOTE", "N/A".
std::string_view CheckStatusName(CheckStatus s);

struct CheckOutcome {
  std::string id;  // CIS Docker Benchmark 1.6 id as Docker Bench numbers it: "5.4"
  int level = 1;   // CIS profile level (1 or 2)
  CheckStatus status = CheckStatus::kPass;
  std::string title;        // the benchmark's recommendation
  std::string target;       // container name ("web"), file ("/etc/docker/daemon.json") or "daemon"
  std::string evidence;     // the exact field and value or file mode/owner that decided it
  std::string remediation;  // the `docker run` flag, daemon.json key or command
};

inline std::string_view CheckStatusName(CheckStatus s) {
  switch (s) {
    case CheckStatus::kPass:
      return "PASS";
    case CheckStatus::kWarn:
      return "WARN";
    case CheckStatus::kInfo:
      return "INFO";
    case CheckStatus::kNote:
      return "NOTE";
    case CheckStatus::kNotApplicable:
      break;
  }
  return "N/A";
}

}  // namespace drydock
