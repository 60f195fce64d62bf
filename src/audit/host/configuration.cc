// CIS §1 host configuration: the data root's partition, who controls the
// daemon (docker group), and audit rules for the Docker files and binaries
// (read from /etc/audit/audit.rules and /etc/audit/rules.d/*.rules).
#include <cstdlib>
#include <sstream>

#include "audit/host/groups.h"

namespace drydock {

Result<std::optional<GroupEntry>> FindGroup(const HostFs& fs, std::string_view name) {
  ASSIGN_OR_RETURN(auto text, fs.Read("/etc/group"));
  if (!text) return std::optional<GroupEntry>{};
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    // name:password:gid:member,member
    std::vector<std::string> f;
    size_t i = 0;
    for (int k = 0; k < 3; ++k) {
      size_t j = line.find(':', i);
      if (j == std::string::npos) break;
      f.push_back(line.substr(i, j - i));
      i = j + 1;
    }
    if (f.size() != 3 || f[0] != name) continue;
    GroupEntry g;
    g.gid = static_cast<gid_t>(std::strtoul(f[2].c_str(), nullptr, 10));
    std::string members = line.substr(i);
    size_t a = 0;
    while (a < members.size()) {
      size_t b = members.find(',', a);
      if (b == std::string::npos) b = members.size();
      if (b > a) g.members.push_back(members.substr(a, b - a));
      a = b + 1;
    }
    return std::optional<GroupEntry>(std::move(g));
  }
  return std::optional<GroupEntry>{};
}

namespace {

// Mount points from fstab (and /proc/self/mounts on a live host).
Result<bool> IsMountPoint(const HostCheckInput& in, const std::string& dir) {
  std::vector<std::string> tables;
  ASSIGN_OR_RETURN(auto fstab, in.fs.Read("/etc/fstab"));
  if (fstab) tables.push_back(*fstab);
  if (in.live) {
    HostFs proc("/");
    ASSIGN_OR_RETURN(auto mounts, proc.Read("/proc/self/mounts", 8 << 20));
    if (mounts) tables.push_back(*mounts);
  }
  for (const std::string& t : tables) {
    std::istringstream s(t);
    std::string dev, mnt;
    std::string line;
    while (std::getline(s, line)) {
      std::istringstream l(line);
      if (l >> dev >> mnt && !dev.starts_with("#") && mnt == dir) return true;
    }
  }
  return false;
}

Result<HostVerdict> Partition(const HostCheckInput& in) {
  const std::string dir = in.info && !in.info->docker_root_dir.empty() ? in.info->docker_root_dir : in.layout.data_root;
  ASSIGN_OR_RETURN(bool mounted, IsMountPoint(in, dir));
  if (mounted) return On(dir, Pass(dir + " is a separate mount (fstab/mounts)"));
  return On(dir, Warn(dir + " is not a separate partition in /etc/fstab" + (in.live ? " or /proc/self/mounts" : "")));
}

Result<HostVerdict> DockerGroup(const HostCheckInput& in) {
  ASSIGN_OR_RETURN(auto g, FindGroup(in.fs, "docker"));
  if (!g) return On("/etc/group", NotApplicable("no docker group"));
  if (g->members.empty()) return On("/etc/group", Pass("docker group has no members"));
  return On("/etc/group", Info("docker group members: " + ListText(g->members) + " (each is root-equivalent)"));
}

// Every audit rule line of the root.
Result<std::optional<std::string>> AuditRules(const HostFs& fs) {
  std::string all;
  bool any = false;
  ASSIGN_OR_RETURN(auto main, fs.Read("/etc/audit/audit.rules"));
  if (main) {
    any = true;
    all += *main + "\n";
  }
  ASSIGN_OR_RETURN(auto names, fs.List("/etc/audit/rules.d"));
  for (const std::string& n : names) {
    if (!n.ends_with(".rules")) continue;
    ASSIGN_OR_RETURN(auto text, fs.Read("/etc/audit/rules.d/" + n));
    if (text) {
      any = true;
      all += *text + "\n";
    }
  }
  if (!any) return std::optional<std::string>{};
  return std::optional<std::string>(std::move(all));
}

bool HasWatch(const std::string& rules, const std::string& path) {
  std::istringstream s(rules);
  std::string line;
  while (std::getline(s, line)) {
    if (line.starts_with("#")) continue;
    std::istringstream l(line);
    std::string tok, prev;
    while (l >> tok) {
      if (prev == "-w" && tok == path) return true;
      if (prev == "-F" && (tok == "path=" + path || tok == "dir=" + path)) return true;
      prev = tok;
    }
  }
  return false;
}

Result<HostVerdict> Audited(const HostCheckInput& in, const std::string& path) {
  if (path.empty()) return On("", NotApplicable("file not found"));
  ASSIGN_OR_RETURN(auto st, in.fs.Stat(path));
  if (!st) return On(path, NotApplicable("file not found"));
  ASSIGN_OR_RETURN(auto rules, AuditRules(in.fs));
  if (!rules) return On(path, Warn("no audit rules (/etc/audit/audit.rules and /etc/audit/rules.d absent)"));
  if (HasWatch(*rules, path)) return On(path, Pass("audit rule -w " + path));
  return On(path, Warn("no audit rule watches " + path));
}

Result<HostVerdict> AuditedUnit(const HostCheckInput& in, std::string_view unit) {
  bool systemd = false;
  ASSIGN_OR_RETURN(std::string path, FindUnit(in, unit, &systemd));
  if (!systemd) return On(std::string(unit), NotApplicable("no systemd unit directories"));
  if (path.empty()) return On(std::string(unit), NotApplicable("unit file not found"));
  return Audited(in, path);
}

#define AUDIT_RULE(id, path)                                                                                        \
  HostCheck {                                                                                                       \
    id, 2, Severity::kLow, "Ensure auditing is configured for Docker files and directories - " path, "audit rules", \
        "add -w " path " -k docker to /etc/audit/rules.d/docker.rules and restart auditd",                          \
        [](const HostCheckInput& in) { return Audited(in, path); }                                                  \
  }

}  // namespace

void HostConfigurationChecks(std::vector<HostCheck>& rules) {
  rules.insert(
      rules.end(),
      {
          {"1.1.1", 2, Severity::kLow, "Ensure a separate partition for containers has been created", "fstab",
           "put the Docker data root (/var/lib/docker) on its own partition", &Partition},
          {"1.1.2", 1, Severity::kMedium, "Ensure only trusted users are allowed to control Docker daemon",
           "/etc/group docker", "remove untrusted users from the docker group (gpasswd -d USER docker)", &DockerGroup},
          {"1.1.3", 1, Severity::kLow, "Ensure auditing is configured for the Docker daemon", "audit rules",
           "add -w /usr/bin/dockerd -k docker to /etc/audit/rules.d/docker.rules",
           [](const HostCheckInput& in) { return Audited(in, "/usr/bin/dockerd"); }},
          AUDIT_RULE("1.1.4", "/run/containerd"),
          AUDIT_RULE("1.1.5", "/var/lib/docker"),
          AUDIT_RULE("1.1.6", "/etc/docker"),
          {"1.1.7", 2, Severity::kLow,
           "Ensure auditing is configured for Docker files and directories - docker.service", "audit rules",
           "add -w <docker.service path> -k docker to /etc/audit/rules.d/docker.rules",
           [](const HostCheckInput& in) { return AuditedUnit(in, "docker.service"); }},
          {"1.1.8", 2, Severity::kLow,
           "Ensure auditing is configured for Docker files and directories - containerd.sock", "audit rules",
           "add -w /run/containerd/containerd.sock -k docker to /etc/audit/rules.d/docker.rules",
           [](const HostCheckInput& in) { return Audited(in, "/run/containerd/containerd.sock"); }},
          {"1.1.9", 2, Severity::kLow, "Ensure auditing is configured for Docker files and directories - docker.socket",
           "audit rules", "add -w <docker.socket path> -k docker to /etc/audit/rules.d/docker.rules",
           [](const HostCheckInput& in) { return AuditedUnit(in, "docker.socket"); }},
          AUDIT_RULE("1.1.10", "/etc/default/docker"),
          AUDIT_RULE("1.1.11", "/etc/docker/daemon.json"),
          AUDIT_RULE("1.1.12", "/etc/containerd/config.toml"),
          AUDIT_RULE("1.1.13", "/etc/sysconfig/docker"),
          AUDIT_RULE("1.1.14", "/usr/bin/containerd"),
          AUDIT_RULE("1.1.15", "/usr/bin/containerd-shim"),
          AUDIT_RULE("1.1.16", "/usr/bin/containerd-shim-runc-v1"),
          AUDIT_RULE("1.1.17", "/usr/bin/containerd-shim-runc-v2"),
          AUDIT_RULE("1.1.18", "/usr/bin/runc"),
          {"1.2.1", 1, Severity::kLow, "Ensure the container host has been Hardened", "",
           "harden the host OS (CIS OS benchmark)",
           [](const HostCheckInput&) -> Result<HostVerdict> { return On("host", Note("manual review")); }},
          {"1.2.2", 1, Severity::kLow, "Ensure that the version of Docker is up to date", "ServerVersion",
           "keep Docker up to date",
           [](const HostCheckInput& in) -> Result<HostVerdict> {
             if (!in.info) return On("daemon", Note("daemon not reachable: version unknown"));
             return On("daemon",
                       Info("ServerVersion=" + in.info->server_version + " (compare with the current release)"));
           }},
      });
}

}  // namespace drydock
