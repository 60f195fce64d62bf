// CIS §5 checks on what a container exposes or reaches on the host: swarm
// mode, host mounts, published ports, devices, mount propagation, the
// default bridge and the Docker socket.
#include <algorithm>
#include <array>
#include <charconv>

#include "base/path.h"
#include "audit/container/groups.h"

namespace drydock {

namespace {

Verdict Swarm(const ContainerCheckInput& in) {
  if (!in.daemon.info) return {CheckStatus::kNote, "GET /info unavailable"};
  const std::string ev = fmt::format("Swarm.LocalNodeState={:?}", in.daemon.info->swarm_state);
  return in.daemon.info->swarm_state == "active" ? Warn(ev) : Pass(ev);
}

constexpr std::array<std::string_view, 8> kSensitiveDirs = {"/",    "/boot", "/dev", "/etc",
                                                            "/lib", "/proc", "/sys", "/usr"};

Verdict SensitiveMounts(const ContainerCheckInput& in) {
  std::vector<std::string> hits;
  for (const ContainerMount& m : in.c.mounts) {
    if (m.type != "bind" || m.source.empty() || m.source.front() != '/') continue;
    const std::string src = CleanPath(m.source);
    const std::string dir = src.empty() ? "/" : src;
    if (std::find(kSensitiveDirs.begin(), kSensitiveDirs.end(), dir) == kSensitiveDirs.end()) continue;
    // As the benchmark and Docker Bench: read-write mounts of these dirs.
    if (m.rw) hits.push_back(fmt::format("{}:{} (rw)", dir, m.destination));
  }
  if (!hits.empty()) return Warn("Mounts " + ListText(hits));
  return Pass(
      fmt::format("{} mount(s), no read-write mount of / /boot /dev /etc /lib /proc /sys /usr", in.c.mounts.size()));
}

// The ports the container publishes: what the daemon bound when it runs,
// else what it is configured to bind (a created or stopped container).
const std::vector<PortPublish>& Published(const ContainerInspect& c) {
  return c.ports.empty() ? c.port_config : c.ports;
}

std::string PortText(const PortPublish& p) {
  return fmt::format("{}:{}->{}", p.host_ip.empty() ? "*" : p.host_ip, p.host_port.empty() ? "?" : p.host_port,
                     p.container_port);
}

Verdict PrivilegedPorts(const ContainerCheckInput& in) {
  std::vector<std::string> hits;
  for (const PortPublish& p : Published(in.c)) {
    int port = 0;
    auto [ptr, ec] = std::from_chars(p.host_port.data(), p.host_port.data() + p.host_port.size(), port);
    if (ec == std::errc() && ptr == p.host_port.data() + p.host_port.size() && port < 1025) {
      hits.push_back(PortText(p));
    }
  }
  return hits.empty() ? Pass("no host port below 1025") : Warn("ports " + ListText(hits));
}

Verdict OpenPorts(const ContainerCheckInput& in) {
  std::vector<std::string> all;
  for (const PortPublish& p : Published(in.c)) all.push_back(PortText(p));
  return all.empty() ? Pass("no published port") : Warn("ports " + ListText(all) + " (review that each is needed)");
}

Verdict Wildcard(const ContainerCheckInput& in) {
  std::vector<std::string> hits;
  for (const PortPublish& p : Published(in.c)) {
    if (p.host_ip.empty() || p.host_ip == "0.0.0.0" || p.host_ip == "::") hits.push_back(PortText(p));
  }
  return hits.empty() ? Pass("every published port names a host address") : Warn("ports " + ListText(hits));
}

Verdict Devices(const ContainerCheckInput& in) {
  const std::string ev = "HostConfig.Devices=" + ListText(in.c.devices);
  return in.c.devices.empty() ? Pass(ev) : Verdict{CheckStatus::kInfo, ev};
}

Verdict Propagation(const ContainerCheckInput& in) {
  std::vector<std::string> hits;
  for (const ContainerMount& m : in.c.mounts) {
    if (m.propagation.find("shared") != std::string::npos) hits.push_back(m.destination + ":" + m.propagation);
  }
  return hits.empty() ? Pass("no mount with shared propagation") : Warn("Mounts " + ListText(hits));
}

Verdict DefaultBridge(const ContainerCheckInput& in) {
  const bool on_bridge = std::find(in.c.networks.begin(), in.c.networks.end(), "bridge") != in.c.networks.end();
  const std::string ev = "NetworkSettings.Networks=" + ListText(in.c.networks);
  if (on_bridge && in.daemon.default_bridge_is_docker0) return {CheckStatus::kInfo, ev + " (docker0)"};
  return Pass(ev);
}

Verdict DockerSocket(const ContainerCheckInput& in) {
  for (const ContainerMount& m : in.c.mounts) {
    if (m.source.find("docker.sock") != std::string::npos || m.destination.find("docker.sock") != std::string::npos) {
      return Warn(fmt::format("Mounts {}:{}", m.source, m.destination));
    }
  }
  return Pass("docker.sock not mounted");
}

}  // namespace

void ContainerExposureChecks(std::vector<ContainerCheck>& rules) {
  rules.insert(
      rules.end(),
      {
          {"5.1", 1, Severity::kLow, "Ensure swarm mode is not Enabled, if not needed", "Swarm.LocalNodeState",
           "docker swarm leave (if swarm mode was enabled in error)", &Swarm, /*daemon_wide=*/true},
          {"5.6", 1, Severity::kHigh, "Ensure sensitive host system directories are not mounted on containers",
           "Mounts", "do not bind-mount /, /boot, /dev, /etc, /lib, /proc, /sys or /usr (above all read-write)",
           &SensitiveMounts},
          {"5.8", 1, Severity::kMedium, "Ensure privileged ports are not mapped within containers",
           "NetworkSettings.Ports", "publish on a host port above 1024: -p 8080:80", &PrivilegedPorts},
          {"5.9", 1, Severity::kLow, "Ensure that only needed ports are open on the container", "NetworkSettings.Ports",
           "publish only the ports the service needs", &OpenPorts},
          {"5.14", 1, Severity::kMedium, "Ensure that incoming container traffic is bound to a specific host interface",
           "NetworkSettings.Ports", "publish on one address: -p 10.2.3.4:8080:80", &Wildcard},
          {"5.18", 1, Severity::kMedium, "Ensure that host devices are not directly exposed to containers",
           "HostConfig.Devices", "do not use --device unless required (and then read-only: :r)", &Devices},
          {"5.20", 1, Severity::kMedium, "Ensure mount propagation mode is not set to shared", "Mounts",
           "do not mount volumes with shared or rshared propagation", &Propagation},
          {"5.30", 2, Severity::kLow, "Ensure that Docker's default bridge 'docker0' is not used",
           "NetworkSettings.Networks", "run containers on a user-defined network (docker network create)",
           &DefaultBridge},
          {"5.32", 1, Severity::kCritical, "Ensure that the Docker socket is not mounted inside any containers",
           "Mounts", "do not mount /var/run/docker.sock into containers", &DockerSocket},
      });
}

}  // namespace drydock
