// The container audit (CIS §5, and §4 for the images the containers run):
// rules as tables over one container's inspect document and what the daemon
// says. The list of groups is checks.inc; each group file appends its rules.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "engine/inspect.h"
#include "model/audit.h"
#include "model/finding.h"
#include "model/image.h"

namespace drydock {

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

// Runs the selected container checks on one container; appends one outcome
// per check and a finding per WARN.
void RunContainerChecks(const ContainerCheckInput& in, const CheckSelection& sel, std::vector<CheckOutcome>& outcomes,
                        std::vector<Finding>& findings);

// Runs the selected daemon-wide §5 checks (5.1) once, target "daemon".
void RunDaemonWideChecks(const DaemonContext& daemon, const CheckSelection& sel, std::vector<CheckOutcome>& outcomes,
                         std::vector<Finding>& findings);

// CIS §4 (container images) for what the audited containers run, judged by
// the image rules themselves (check/image/) on what the Engine API says
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

}  // namespace drydock
