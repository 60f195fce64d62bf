// CIS §5 checks on resources and runtime behaviour: limits, read-only root,
// restart policy, ulimits, health, and the manual review items.
#include <algorithm>

#include "base/path.h"
#include "audit/container/groups.h"

namespace drydock {

namespace {

Verdict Memory(const ContainerCheckInput& in) {
  const std::string ev = fmt::format("HostConfig.Memory={}", in.c.memory);
  return in.c.memory == 0 ? Warn(ev) : Pass(ev);
}

Verdict Cpu(const ContainerCheckInput& in) {
  const std::string ev = fmt::format("HostConfig.CpuShares={} HostConfig.NanoCpus={}", in.c.cpu_shares, in.c.nano_cpus);
  return in.c.cpu_shares == 0 && in.c.nano_cpus == 0 ? Warn(ev) : Pass(ev);
}

Verdict ReadOnly(const ContainerCheckInput& in) {
  return in.c.readonly_rootfs ? Pass("HostConfig.ReadonlyRootfs=true") : Warn("HostConfig.ReadonlyRootfs=false");
}

Verdict Restart(const ContainerCheckInput& in) {
  const std::string ev = fmt::format("HostConfig.RestartPolicy={{Name:{:?} MaximumRetryCount:{}}}", in.c.restart_policy,
                                     in.c.restart_max_retries);
  return in.c.restart_max_retries > 5 ? Warn(ev) : Pass(ev);
}

Verdict Ulimits(const ContainerCheckInput& in) {
  const std::string ev = "HostConfig.Ulimits=" + ListText(in.c.ulimits);
  if (in.c.ulimits.empty()) return {CheckStatus::kInfo, ev + " (the daemon's default ulimits apply)"};
  return Pass(ev);
}

Verdict Pids(const ContainerCheckInput& in) {
  const std::string ev =
      in.c.pids_limit ? fmt::format("HostConfig.PidsLimit={}", *in.c.pids_limit) : "HostConfig.PidsLimit=null";
  return !in.c.pids_limit || *in.c.pids_limit <= 0 ? Warn(ev) : Pass(ev);
}

Verdict Health(const ContainerCheckInput& in) {
  if (in.c.has_health) return Pass(fmt::format("State.Health.Status={:?}", in.c.health_status));
  return Warn(in.c.config_healthcheck ? "State.Health absent (the container has not started its health check)"
                                      : "State.Health absent (no HEALTHCHECK in the image, no --health-cmd)");
}

bool MentionsSshd(std::string_view s) { return s.find("sshd") != std::string_view::npos; }

Verdict Sshd(const ContainerCheckInput& in) {
  if (in.processes) {
    for (const std::string& p : *in.processes) {
      if (MentionsSshd(p)) return Warn(fmt::format("process {:?} (containers/top)", Printable(p, 120)));
    }
    return Pass(fmt::format("{} process(es), none is sshd (containers/top)", in.processes->size()));
  }
  // Without --top: the command the container was started with.
  std::vector<std::string> argv = {in.c.path};
  argv.insert(argv.end(), in.c.args.begin(), in.c.args.end());
  for (const std::string& a : argv) {
    if (MentionsSshd(a)) return Warn(fmt::format("Path/Args {}", ListText(argv)));
  }
  return Pass(fmt::format("Path/Args {} (use --top to list the running processes)", ListText(argv)));
}

Verdict ExecPrivileged(const ContainerCheckInput&) {
  return {CheckStatus::kNote,
          "docker exec --privileged leaves no trace in the container's configuration; review "
          "the daemon's audit log"};
}

Verdict ExecRoot(const ContainerCheckInput&) {
  return {CheckStatus::kNote,
          "docker exec --user=root leaves no trace in the container's configuration; review the "
          "daemon's audit log"};
}

Verdict LatestImage(const ContainerCheckInput& in) {
  return {CheckStatus::kInfo, fmt::format("Config.Image={:?} Image={:?}", in.c.image, in.c.image_id)};
}

}  // namespace

void ContainerResourceChecks(std::vector<ContainerCheck>& rules) {
  rules.insert(
      rules.end(),
      {
          {"5.7", 1, Severity::kMedium, "Ensure sshd is not run within containers", "Path",
           "uninstall the SSH daemon from the image; use docker exec to enter a container", &Sshd},
          {"5.11", 1, Severity::kMedium, "Ensure that the memory usage for containers is limited", "HostConfig.Memory",
           "run with --memory=<limit>", &Memory},
          {"5.12", 1, Severity::kMedium, "Ensure that CPU priority is set appropriately on containers",
           "HostConfig.CpuShares", "run with --cpu-shares=<weight> or --cpus=<n>", &Cpu},
          {"5.13", 1, Severity::kMedium, "Ensure that the container's root filesystem is mounted as read only",
           "HostConfig.ReadonlyRootfs", "run with --read-only (and --tmpfs for the paths it writes)", &ReadOnly},
          {"5.15", 1, Severity::kLow, "Ensure that the 'on-failure' container restart policy is set to '5'",
           "HostConfig.RestartPolicy", "run with --restart=on-failure:5", &Restart},
          {"5.19", 1, Severity::kLow, "Ensure that the default ulimit is overwritten at runtime if needed",
           "HostConfig.Ulimits", "run with --ulimit <name>=<soft>:<hard> only where needed", &Ulimits},
          {"5.23", 2, Severity::kLow, "Ensure that docker exec commands are not used with the privileged option", "",
           "do not use docker exec --privileged", &ExecPrivileged},
          {"5.24", 2, Severity::kLow, "Ensure that docker exec commands are not used with the user=root option", "",
           "do not use docker exec --user=root", &ExecRoot},
          {"5.27", 1, Severity::kLow, "Ensure that container health is checked at runtime", "State.Health",
           "run with --health-cmd=<command> (or add HEALTHCHECK to the image)", &Health},
          {"5.28", 1, Severity::kLow,
           "Ensure that Docker commands always make use of the latest version of their image", "Config.Image",
           "pin images by digest and pull before running", &LatestImage},
          {"5.29", 1, Severity::kMedium, "Ensure that the PIDs cgroup limit is used", "HostConfig.PidsLimit",
           "run with --pids-limit=<n>", &Pids},
      });
}

}  // namespace drydock
