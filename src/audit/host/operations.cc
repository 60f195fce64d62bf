// CIS §6 security operations (image and container sprawl, from GET /info)
// and §7 swarm configuration (not applicable unless swarm mode is active).
#include "audit/host/groups.h"

namespace drydock {

namespace {

Result<HostVerdict> ImageSprawl(const HostCheckInput& in) {
  if (!in.info) return On("daemon", NotApplicable("daemon not reachable (offline --root audit)"));
  return On("daemon",
            Info(fmt::format("{} image(s) on the daemon; remove unused ones (docker image prune)", in.info->images)));
}

Result<HostVerdict> ContainerSprawl(const HostCheckInput& in) {
  if (!in.info) return On("daemon", NotApplicable("daemon not reachable (offline --root audit)"));
  return On("daemon",
            Info(fmt::format("{} container(s), {} running", in.info->containers, in.info->containers_running)));
}

// A §7 check: not applicable without swarm, a manual review item with it.
Result<HostVerdict> SwarmItem(const HostCheckInput& in) {
  if (!in.info) return On("daemon", NotApplicable("daemon not reachable: swarm state unknown"));
  if (in.info->swarm_state != "active") {
    return On("daemon",
              NotApplicable(fmt::format("swarm mode is off (Swarm.LocalNodeState={:?})", in.info->swarm_state)));
  }
  return On("daemon", Note("swarm mode is active: review with docker node/service/network inspect"));
}

Result<HostVerdict> Managers(const HostCheckInput& in) {
  if (!in.info || in.info->swarm_state != "active") return SwarmItem(in);
  const std::string ev = fmt::format("Swarm.Managers={}", in.info->swarm_managers);
  return On("daemon", in.info->swarm_managers > 1 && in.info->swarm_managers % 2 == 0 ? Warn(ev) : Pass(ev));
}

#define SWARM(id, level, title, fix) \
  HostCheck { id, level, Severity::kLow, title, "Swarm", fix, &SwarmItem }

}  // namespace

void HostOperationsChecks(std::vector<HostCheck>& rules) {
  rules.insert(
      rules.end(),
      {
          {"6.1", 1, Severity::kLow, "Ensure that image sprawl is avoided", "Images",
           "remove unused images: docker image prune -a", &ImageSprawl},
          {"6.2", 1, Severity::kLow, "Ensure that container sprawl is avoided", "Containers",
           "remove stopped containers: docker container prune", &ContainerSprawl},
          {"7.1", 1, Severity::kLow, "Ensure that the minimum number of manager nodes have been created in a swarm",
           "Swarm.Managers", "keep an odd, minimal number of managers (docker node demote)", &Managers},
          SWARM("7.2", 1, "Ensure that swarm services are bound to a specific host interface",
                "docker swarm init --listen-addr <addr>"),
          SWARM("7.3", 1, "Ensure that all Docker swarm overlay networks are encrypted",
                "docker network create --opt encrypted --driver overlay"),
          SWARM("7.4", 1,
                "Ensure that Docker's secret management commands are used for managing secrets in a swarm "
                "cluster",
                "use docker secret"),
          SWARM("7.5", 1, "Ensure that swarm manager is run in auto-lock mode", "docker swarm update --autolock"),
          SWARM("7.6", 1, "Ensure that the swarm manager auto-lock key is rotated periodically",
                "docker swarm unlock-key --rotate"),
          SWARM("7.7", 1, "Ensure that node certificates are rotated as appropriate",
                "docker swarm update --cert-expiry"),
          SWARM("7.8", 1, "Ensure that CA certificates are rotated as appropriate", "docker swarm ca --rotate"),
          SWARM("7.9", 1, "Ensure that management plane traffic is separated from data plane traffic",
                "docker swarm init --advertise-addr <mgmt> --data-path-addr <data>"),
      });
}

}  // namespace drydock
