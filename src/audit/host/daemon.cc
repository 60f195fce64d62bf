// CIS §2 daemon configuration, from daemon.json and (when the daemon answers)
// GET /info. The dockerd command line is not read: drydock audits the files
// and the API, which is also what works against a --root mount.
#include <algorithm>

#include "audit/host/groups.h"

namespace drydock {

namespace {

std::string Target(const HostCheckInput& in) { return in.config.present ? in.config.path : in.layout.daemon_json; }

std::string BoolText(const std::optional<bool>& b) { return !b ? "unset" : *b ? "true" : "false"; }

// A daemon.json boolean the benchmark wants to have the value `want`;
// `dflt` is Docker's default when unset.
Result<HostVerdict> Key(const HostCheckInput& in, std::string_view key, const std::optional<bool>& v, bool want,
                        bool dflt) {
  const std::string ev = fmt::format("daemon.json {:?}: {}", std::string(key), BoolText(v));
  return On(Target(in), v.value_or(dflt) == want ? Pass(ev) : Warn(ev));
}

Result<HostVerdict> Rootless(const HostCheckInput& in) {
  if (in.layout.rootless || (in.info && in.info->HasSecurityOption("rootless"))) {
    return On("daemon", Pass("rootless daemon (SecurityOptions name=rootless)"));
  }
  return On("daemon", Info("the daemon runs as root; consider rootless mode"));
}

Result<HostVerdict> LogLevel(const HostCheckInput& in) {
  const std::string& l = in.config.log_level;
  const std::string ev = fmt::format("daemon.json \"log-level\": {:?}", l.empty() ? "unset (info)" : l);
  return On(Target(in), l.empty() || l == "info" ? Pass(ev) : Warn(ev));
}

Result<HostVerdict> Insecure(const HostCheckInput& in) {
  std::vector<std::string> regs = in.config.insecure_registries;
  if (in.info) {
    for (const std::string& r : in.info->insecure_registries) {
      // The daemon always lists loopback; that is not a configured one.
      if (r != "127.0.0.0/8" && r != "::1/128" && std::find(regs.begin(), regs.end(), r) == regs.end())
        regs.push_back(r);
    }
  }
  const std::string ev = "insecure registries " + ListText(regs);
  return On(Target(in), regs.empty() ? Pass(ev) : Warn(ev));
}

Result<HostVerdict> Aufs(const HostCheckInput& in) {
  std::string d = in.info ? in.info->storage_driver : in.config.storage_driver;
  const std::string ev = fmt::format("storage driver {:?}", d);
  return On("daemon", d == "aufs" ? Warn(ev) : Pass(ev));
}

Result<HostVerdict> Tls(const HostCheckInput& in) {
  bool tcp = false;
  for (const std::string& h : in.config.hosts) tcp = tcp || h.starts_with("tcp://");
  if (!tcp) return On(Target(in), NotApplicable("the daemon does not listen on tcp (daemon.json \"hosts\")"));
  const bool verify = in.config.tlsverify.value_or(false);
  const bool files = !in.config.tlscacert.empty() && !in.config.tlscert.empty() && !in.config.tlskey.empty();
  const std::string ev = fmt::format("hosts {} tlsverify={} tlscacert/tlscert/tlskey {}", ListText(in.config.hosts),
                                     verify, files ? "set" : "missing");
  return On(Target(in), verify && files ? Pass(ev) : Warn(ev));
}

Result<HostVerdict> Ulimits(const HostCheckInput& in) {
  return On(Target(in), in.config.default_ulimits ? Pass("daemon.json \"default-ulimits\" set")
                                                  : Info("daemon.json \"default-ulimits\" unset"));
}

Result<HostVerdict> Userns(const HostCheckInput& in) {
  if (in.layout.rootless || (in.info && in.info->HasSecurityOption("rootless"))) {
    return On("daemon", Pass("rootless daemon: containers run in the user's namespace"));
  }
  if (!in.config.userns_remap.empty() || (in.info && in.info->HasSecurityOption("userns"))) {
    return On(Target(in), Pass(fmt::format("daemon.json \"userns-remap\": {:?}", in.config.userns_remap)));
  }
  return On(Target(in), Warn("daemon.json \"userns-remap\" unset"));
}

Result<HostVerdict> CgroupParent(const HostCheckInput& in) {
  if (in.config.cgroup_parent.empty()) return On(Target(in), Pass("daemon.json \"cgroup-parent\" unset (default)"));
  return On(Target(in), Info(fmt::format("daemon.json \"cgroup-parent\": {:?} (confirm)", in.config.cgroup_parent)));
}

Result<HostVerdict> BaseSize(const HostCheckInput& in) {
  for (const std::string& o : in.config.storage_opts) {
    if (o.find("dm.basesize") != std::string::npos) return On(Target(in), Warn("storage-opts " + o));
  }
  return On(Target(in), Pass("dm.basesize not changed"));
}

Result<HostVerdict> Authz(const HostCheckInput& in) {
  std::vector<std::string> p = in.config.authorization_plugins;
  if (in.info && p.empty()) p = in.info->authorization_plugins;
  const std::string ev = "authorization plugins " + ListText(p);
  return On(Target(in), p.empty() ? Warn(ev) : Pass(ev));
}

Result<HostVerdict> RemoteLogging(const HostCheckInput& in) {
  std::string d = !in.config.log_driver.empty() ? in.config.log_driver : in.info ? in.info->logging_driver : "";
  if (d.empty()) d = "json-file";
  const std::string ev = fmt::format("log driver {:?}", d);
  return On("daemon", d == "json-file" || d == "local" || d == "none" ? Warn(ev) : Pass(ev));
}

Result<HostVerdict> LiveRestore(const HostCheckInput& in) {
  if (in.info && in.info->swarm_state == "active") {
    return On("daemon", NotApplicable("swarm mode is active (live-restore is incompatible)"));
  }
  const bool on = in.config.live_restore.value_or(false) || (in.info && in.info->live_restore);
  const std::string ev = fmt::format("live-restore {}", on);
  return On(Target(in), on ? Pass(ev) : Warn(ev));
}

Result<HostVerdict> Seccomp(const HostCheckInput& in) {
  if (in.config.seccomp_profile.empty())
    return On(Target(in), Info("daemon.json \"seccomp-profile\" unset (Docker's default)"));
  return On(Target(in), Pass(fmt::format("daemon.json \"seccomp-profile\": {:?}", in.config.seccomp_profile)));
}

Result<HostVerdict> Experimental(const HostCheckInput& in) {
  const bool on = in.config.experimental.value_or(false) || (in.info && in.info->experimental);
  return On("daemon", on ? Warn("experimental features enabled") : Pass("experimental features disabled"));
}

}  // namespace

void HostDaemonChecks(std::vector<HostCheck>& rules) {
  rules.insert(
      rules.end(),
      {
          {"2.1", 1, Severity::kLow, "Run the Docker daemon as a non-root user, if possible", "SecurityOptions",
           "run the daemon in rootless mode (dockerd-rootless-setuptool.sh install)", &Rootless},
          {"2.2", 1, Severity::kMedium, "Ensure network traffic is restricted between containers on the default bridge",
           "daemon.json icc", "set \"icc\": false in daemon.json",
           [](const HostCheckInput& in) { return Key(in, "icc", in.config.icc, false, true); }},
          {"2.3", 1, Severity::kLow, "Ensure the logging level is set to 'info'", "daemon.json log-level",
           "set \"log-level\": \"info\" in daemon.json", &LogLevel},
          {"2.4", 1, Severity::kMedium, "Ensure Docker is allowed to make changes to iptables", "daemon.json iptables",
           "remove \"iptables\": false from daemon.json",
           [](const HostCheckInput& in) { return Key(in, "iptables", in.config.iptables, true, true); }},
          {"2.5", 1, Severity::kHigh, "Ensure insecure registries are not used", "daemon.json insecure-registries",
           "remove \"insecure-registries\" from daemon.json", &Insecure},
          {"2.6", 1, Severity::kMedium, "Ensure aufs storage driver is not used", "Driver",
           "use overlay2 (\"storage-driver\": \"overlay2\")", &Aufs},
          {"2.7", 1, Severity::kHigh, "Ensure TLS authentication for Docker daemon is configured", "daemon.json hosts",
           "set \"tlsverify\": true, \"tlscacert\", \"tlscert\", \"tlskey\" when listening on tcp", &Tls},
          {"2.8", 1, Severity::kLow, "Ensure the default ulimit is configured appropriately",
           "daemon.json default-ulimits", "set \"default-ulimits\" in daemon.json if needed", &Ulimits},
          {"2.9", 2, Severity::kMedium, "Enable user namespace support", "daemon.json userns-remap",
           "set \"userns-remap\": \"default\" in daemon.json", &Userns},
          {"2.10", 2, Severity::kLow, "Ensure the default cgroup usage has been confirmed", "daemon.json cgroup-parent",
           "leave \"cgroup-parent\" unset unless required", &CgroupParent},
          {"2.11", 1, Severity::kLow, "Ensure base device size is not changed until needed", "daemon.json storage-opts",
           "remove dm.basesize from \"storage-opts\"", &BaseSize},
          {"2.12", 2, Severity::kMedium, "Ensure that authorization for Docker client commands is enabled",
           "daemon.json authorization-plugins", "set \"authorization-plugins\" in daemon.json", &Authz},
          {"2.13", 2, Severity::kLow, "Ensure centralized and remote logging is configured", "LoggingDriver",
           "set \"log-driver\" to a remote driver (syslog, journald, fluentd, …)", &RemoteLogging},
          {"2.14", 2, Severity::kMedium, "Ensure containers are restricted from acquiring new privileges",
           "daemon.json no-new-privileges", "set \"no-new-privileges\": true in daemon.json",
           [](const HostCheckInput& in) {
             return Key(in, "no-new-privileges", in.config.no_new_privileges, true, false);
           }},
          {"2.15", 1, Severity::kLow, "Ensure live restore is enabled", "daemon.json live-restore",
           "set \"live-restore\": true in daemon.json", &LiveRestore},
          {"2.16", 1, Severity::kLow, "Ensure Userland Proxy is Disabled", "daemon.json userland-proxy",
           "set \"userland-proxy\": false in daemon.json",
           [](const HostCheckInput& in) { return Key(in, "userland-proxy", in.config.userland_proxy, false, true); }},
          {"2.17", 2, Severity::kLow, "Ensure that a daemon-wide custom seccomp profile is applied if appropriate",
           "daemon.json seccomp-profile", "set \"seccomp-profile\" in daemon.json if appropriate", &Seccomp},
          {"2.18", 1, Severity::kMedium, "Ensure that experimental features are not implemented in production",
           "ExperimentalBuild", "remove \"experimental\": true from daemon.json", &Experimental},
      });
}

}  // namespace drydock
