// CIS §3 daemon configuration files: ownership and modes of the unit files,
// /etc/docker, certificates and keys, the sockets, daemon.json and the
// distribution defaults files. Evidence is "mode 0644 owner 0:0".
#include <sys/stat.h>

#include "audit/host/groups.h"

namespace drydock {

namespace {

std::string ModeOwner(const HostFileInfo& st) {
  return fmt::format("mode {:04o} owner {}:{}", st.mode & 07777, st.uid, st.gid);
}

// Owner check: uid and gid as wanted (`gid` < 0: the root group; a rootless
// layout wants the user).
Result<HostVerdict> Owner(const HostCheckInput& in, const std::string& path, std::string_view group = "") {
  if (path.empty()) return On("", NotApplicable("file not found"));
  ASSIGN_OR_RETURN(auto st, in.fs.Stat(path));
  if (!st) return On(path, NotApplicable("file not found"));
  gid_t want_gid = 0;
  if (!group.empty()) {
    ASSIGN_OR_RETURN(auto g, FindGroup(in.fs, group));
    if (g) want_gid = g->gid;
  }
  const bool ok = st->uid == in.layout.owner && (in.layout.rootless || st->gid == want_gid);
  return On(path, ok ? Pass(ModeOwner(*st)) : Warn(ModeOwner(*st)));
}

// Mode check: no permission bit outside `max`.
Result<HostVerdict> Mode(const HostCheckInput& in, const std::string& path, mode_t max) {
  if (path.empty()) return On("", NotApplicable("file not found"));
  ASSIGN_OR_RETURN(auto st, in.fs.Stat(path));
  if (!st) return On(path, NotApplicable("file not found"));
  const bool ok = (st->mode & 07777 & ~max) == 0;
  return On(path, ok ? Pass(ModeOwner(*st)) : Warn(fmt::format("{} (want {:04o} or stricter)", ModeOwner(*st), max)));
}

Result<std::string> Unit(const HostCheckInput& in, std::string_view unit, bool* systemd) {
  return FindUnit(in, unit, systemd);
}

Result<HostVerdict> UnitOwner(const HostCheckInput& in, std::string_view unit) {
  bool systemd = false;
  ASSIGN_OR_RETURN(std::string p, Unit(in, unit, &systemd));
  if (!systemd) return On(std::string(unit), NotApplicable("no systemd unit directories"));
  return Owner(in, p);
}

Result<HostVerdict> UnitMode(const HostCheckInput& in, std::string_view unit) {
  bool systemd = false;
  ASSIGN_OR_RETURN(std::string p, Unit(in, unit, &systemd));
  if (!systemd) return On(std::string(unit), NotApplicable("no systemd unit directories"));
  return Mode(in, p, 0644);
}

// Every regular file under /etc/docker/certs.d (two levels: host dir, file).
Result<HostVerdict> CertsD(const HostCheckInput& in, bool owner) {
  const std::string dir = "/etc/docker/certs.d";
  ASSIGN_OR_RETURN(auto hosts, in.fs.List(dir));
  if (hosts.empty()) return On(dir, NotApplicable("no registry certificates"));
  std::vector<std::string> bad;
  size_t files = 0;
  for (const std::string& h : hosts) {
    ASSIGN_OR_RETURN(auto names, in.fs.List(dir + "/" + h));
    for (const std::string& n : names) {
      const std::string p = dir + "/" + h + "/" + n;
      ASSIGN_OR_RETURN(auto st, in.fs.Stat(p));
      if (!st || st->is_dir) continue;
      ++files;
      const bool ok =
          owner ? st->uid == in.layout.owner && (in.layout.rootless || st->gid == 0) : (st->mode & 07777 & ~0444) == 0;
      if (!ok) bad.push_back(p + " " + ModeOwner(*st));
    }
  }
  if (files == 0) return On(dir, NotApplicable("no registry certificates"));
  if (!bad.empty()) return On(dir, Warn(ListText(bad)));
  return On(dir,
            Pass(fmt::format("{} certificate file(s) {}", files, owner ? "owned by root:root" : "0444 or stricter")));
}

Result<HostVerdict> TlsFile(const HostCheckInput& in, const std::string& path, bool owner, mode_t max) {
  if (path.empty()) return On(in.layout.daemon_json, NotApplicable("no TLS file configured in daemon.json"));
  return owner ? Owner(in, path) : Mode(in, path, max);
}

#define OWNER(id, title, path)                                         \
  HostCheck {                                                          \
    id, 1, Severity::kMedium, title, "owner", "chown root:root " path, \
        [](const HostCheckInput& in) { return Owner(in, path); }       \
  }
#define MODE(id, title, path, max)                                   \
  HostCheck {                                                        \
    id, 1, Severity::kMedium, title, "mode", "chmod " #max " " path, \
        [](const HostCheckInput& in) { return Mode(in, path, max); } \
  }

}  // namespace

void HostFileChecks(std::vector<HostCheck>& rules) {
  rules.insert(
      rules.end(),
      {
          {"3.1", 1, Severity::kMedium, "Ensure that the docker.service file ownership is set to root:root", "owner",
           "chown root:root <docker.service>",
           [](const HostCheckInput& in) { return UnitOwner(in, "docker.service"); }},
          {"3.2", 1, Severity::kMedium, "Ensure that docker.service file permissions are appropriately set", "mode",
           "chmod 644 <docker.service>", [](const HostCheckInput& in) { return UnitMode(in, "docker.service"); }},
          {"3.3", 1, Severity::kMedium, "Ensure that docker.socket file ownership is set to root:root", "owner",
           "chown root:root <docker.socket>", [](const HostCheckInput& in) { return UnitOwner(in, "docker.socket"); }},
          {"3.4", 1, Severity::kMedium, "Ensure that docker.socket file permissions are set to 644 or more restrictive",
           "mode", "chmod 644 <docker.socket>", [](const HostCheckInput& in) { return UnitMode(in, "docker.socket"); }},
          OWNER("3.5", "Ensure that the /etc/docker directory ownership is set to root:root", "/etc/docker"),
          MODE("3.6", "Ensure that /etc/docker directory permissions are set to 755 or more restrictively",
               "/etc/docker", 0755),
          {"3.7", 1, Severity::kMedium, "Ensure that registry certificate file ownership is set to root:root", "owner",
           "chown root:root /etc/docker/certs.d/<registry>/*",
           [](const HostCheckInput& in) { return CertsD(in, true); }},
          {"3.8", 1, Severity::kMedium,
           "Ensure that registry certificate file permissions are set to 444 or more restrictively", "mode",
           "chmod 444 /etc/docker/certs.d/<registry>/*", [](const HostCheckInput& in) { return CertsD(in, false); }},
          {"3.9", 1, Severity::kMedium, "Ensure that TLS CA certificate file ownership is set to root:root", "owner",
           "chown root:root <tlscacert>",
           [](const HostCheckInput& in) { return TlsFile(in, in.config.tlscacert, true, 0); }},
          {"3.10", 1, Severity::kMedium,
           "Ensure that TLS CA certificate file permissions are set to 444 or more restrictively", "mode",
           "chmod 444 <tlscacert>",
           [](const HostCheckInput& in) { return TlsFile(in, in.config.tlscacert, false, 0444); }},
          {"3.11", 1, Severity::kMedium, "Ensure that Docker server certificate file ownership is set to root:root",
           "owner", "chown root:root <tlscert>",
           [](const HostCheckInput& in) { return TlsFile(in, in.config.tlscert, true, 0); }},
          {"3.12", 1, Severity::kMedium,
           "Ensure that the Docker server certificate file permissions are set to 444 or more restrictively", "mode",
           "chmod 444 <tlscert>", [](const HostCheckInput& in) { return TlsFile(in, in.config.tlscert, false, 0444); }},
          {"3.13", 1, Severity::kHigh,
           "Ensure that the Docker server certificate key file ownership is set to root:root", "owner",
           "chown root:root <tlskey>", [](const HostCheckInput& in) { return TlsFile(in, in.config.tlskey, true, 0); }},
          {"3.14", 1, Severity::kHigh, "Ensure that the Docker server certificate key file permissions are set to 400",
           "mode", "chmod 400 <tlskey>",
           [](const HostCheckInput& in) { return TlsFile(in, in.config.tlskey, false, 0400); }},
          {"3.15", 1, Severity::kHigh, "Ensure that the Docker socket file ownership is set to root:docker", "owner",
           "chown root:docker /var/run/docker.sock",
           [](const HostCheckInput& in) { return Owner(in, in.layout.docker_sock, "docker"); }},
          {"3.16", 1, Severity::kHigh,
           "Ensure that the Docker socket file permissions are set to 660 or more restrictively", "mode",
           "chmod 660 /var/run/docker.sock",
           [](const HostCheckInput& in) { return Mode(in, in.layout.docker_sock, 0660); }},
          {"3.17", 1, Severity::kMedium, "Ensure that the daemon.json file ownership is set to root:root", "owner",
           "chown root:root /etc/docker/daemon.json",
           [](const HostCheckInput& in) { return Owner(in, in.layout.daemon_json); }},
          {"3.18", 1, Severity::kMedium, "Ensure that daemon.json file permissions are set to 644 or more restrictive",
           "mode", "chmod 644 /etc/docker/daemon.json",
           [](const HostCheckInput& in) { return Mode(in, in.layout.daemon_json, 0644); }},
          OWNER("3.19", "Ensure that the /etc/default/docker file ownership is set to root:root",
                "/etc/default/docker"),
          MODE("3.20", "Ensure that the /etc/default/docker file permissions are set to 644 or more restrictively",
               "/etc/default/docker", 0644),
          MODE("3.21", "Ensure that the /etc/sysconfig/docker file permissions are set to 644 or more restrictively",
               "/etc/sysconfig/docker", 0644),
          OWNER("3.22", "Ensure that the /etc/sysconfig/docker file ownership is set to root:root",
                "/etc/sysconfig/docker"),
          OWNER("3.23", "Ensure that the Containerd socket file ownership is set to root:root",
                "/run/containerd/containerd.sock"),
          MODE("3.24", "Ensure that the Containerd socket file permissions are set to 660 or more restrictively",
               "/run/containerd/containerd.sock", 0660),
      });
}

}  // namespace drydock
