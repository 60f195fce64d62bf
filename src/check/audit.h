// The live audits: CIS Docker Benchmark 1.6 checks, numbered as Docker Bench
// for Security numbers them. Container checks (§5) judge one container's
// inspect document plus what the daemon says; host checks (§1-3, 6, 7) judge
// a host filesystem (a --root mount or "/") plus, when reachable, the daemon.
// Rules are tables (container_*.cc, host_*.cc) listed in container_checks.inc
// and host_checks.inc. Every rule yields one CheckOutcome per target; WARN
// outcomes also become Findings.
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

// What the daemon says, shared by every container's checks.
struct DaemonContext {
  std::optional<DaemonInfo> info;
  // daemon.json (or the dockerd command line) sets no-new-privileges.
  bool no_new_privileges = false;
  // The network named "bridge" is docker0 (com.docker.network.bridge.name).
  bool default_bridge_is_docker0 = false;
};

struct ContainerCheckInput {
  const ContainerInspect& c;
  const DaemonContext& daemon;
  // The processes from /containers/{id}/top when the user opted in (--top)
  // and the container runs; otherwise sshd is judged from the image command.
  const std::optional<ProcessList>& processes;
};

struct ContainerCheck {
  std::string_view id;  // "5.4"
  int level;
  Severity severity;  // of the WARN finding
  std::string_view title;
  std::string_view field;  // the inspect field it reads: "HostConfig.CapAdd"
  std::string_view remediation;
  Verdict (*run)(const ContainerCheckInput& in);
  bool daemon_wide = false;  // judged once for the daemon (5.1), not per container
};

// Every container check, ordered by CIS id.
std::span<const ContainerCheck> ContainerChecks();

// --skip / --only: ids or whole sections ("5", "5.1", "2.1" selects 2.1 and
// 2.1.x but not 2.10). Empty `only` selects everything.
struct CheckSelection {
  std::vector<std::string> only;
  std::vector<std::string> skip;
  bool Selected(std::string_view id) const;
};

// Orders CIS ids numerically ("5.2" < "5.10").
bool CisIdLess(std::string_view a, std::string_view b);

// Runs the selected container checks on one container; appends one outcome
// per check and a finding per WARN.
void RunContainerChecks(const ContainerCheckInput& in, const CheckSelection& sel, std::vector<CheckOutcome>& outcomes,
                        std::vector<Finding>& findings);

// Runs the selected daemon-wide §5 checks (5.1) once, target "daemon".
void RunDaemonWideChecks(const DaemonContext& daemon, const CheckSelection& sel, std::vector<CheckOutcome>& outcomes,
                         std::vector<Finding>& findings);

// CIS §4 (container images) for what the audited containers run, judged by
// the image rules themselves (check/image_*.cc) on what the Engine API says
// — the image's config and history; no file is read (`drydock image
// docker:NAME` reads them):
//   4.1 per container: the user it runs as (its Config.User: the image's
//       USER unless `--user` overrode it), as Docker Bench judges it;
//   4.6, 4.7, 4.9, 4.10 per image (target: its first tag, else its id);
//   4.5 once (target "daemon"): DOCKER_CONTENT_TRUST=1 in drydock's
//       environment, where Docker Bench reads it;
//   4.2-4.4, 4.8, 4.11, 4.12 once: NOTE, manual review items.
// 4.7 and 4.9 report INFO when found (Docker Bench's statuses for them).
void RunContainerUserCheck(const ContainerInspect& c, const ImageInfo& image, const CheckSelection& sel,
                           std::vector<CheckOutcome>& outcomes, std::vector<Finding>& findings);
void RunImageConfigChecks(const ImageInfo& image, const CheckSelection& sel, std::vector<CheckOutcome>& outcomes,
                          std::vector<Finding>& findings);
void RunImageSectionChecks(bool content_trust, const CheckSelection& sel, std::vector<CheckOutcome>& outcomes,
                           std::vector<Finding>& findings);

// The target name of an image outcome: its first repo tag, else its short id.
std::string ImageTarget(const ImageInfo& image);

// Builds the finding for a WARN outcome.
Finding AuditFinding(const CheckOutcome& o, Severity severity, std::string_view field);

}  // namespace drydock
