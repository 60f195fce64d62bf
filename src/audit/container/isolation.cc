// CIS §5 checks on what isolates a container from the host: LSM profiles,
// capabilities, privileged mode, namespaces, seccomp, no-new-privileges.
#include <algorithm>
#include <array>
#include <cctype>

#include "audit/container/groups.h"

namespace drydock {

namespace {

std::string Upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

bool Contains(const std::vector<std::string>& v, std::string_view needle) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return s.find(needle) != std::string::npos; });
}

Verdict AppArmor(const ContainerCheckInput& in) {
  const std::string ev = fmt::format("AppArmorProfile={:?}", in.c.apparmor_profile);
  // "If applicable": a daemon without AppArmor cannot apply a profile.
  if (in.daemon.info && !in.daemon.info->HasSecurityOption("apparmor")) {
    return {CheckStatus::kNotApplicable, ev + "; the daemon has no AppArmor (SecurityOptions)"};
  }
  if (in.c.apparmor_profile.empty() || in.c.apparmor_profile == "unconfined") return Warn(ev);
  return Pass(ev);
}

Verdict SELinux(const ContainerCheckInput& in) {
  const std::string ev = "HostConfig.SecurityOpt=" + ListText(in.c.security_opt);
  if (in.daemon.info && !in.daemon.info->HasSecurityOption("selinux")) {
    return {CheckStatus::kNotApplicable, ev + "; the daemon has no SELinux support (SecurityOptions)"};
  }
  return in.c.security_opt.empty() ? Warn(ev) : Pass(ev);
}

// Docker's default capability set: adding one of these changes nothing.
constexpr std::array<std::string_view, 14> kDefaultCaps = {
    "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER", "FSETID",  "KILL",   "MKNOD",
    "NET_BIND_SERVICE", "NET_RAW", "SETFCAP",      "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"};

Verdict Capabilities(const ContainerCheckInput& in) {
  std::vector<std::string> extra;
  for (const std::string& cap : in.c.cap_add) {
    std::string u = Upper(cap);
    if (u.starts_with("CAP_")) u.erase(0, 4);
    if (std::find(kDefaultCaps.begin(), kDefaultCaps.end(), u) == kDefaultCaps.end()) extra.push_back(cap);
  }
  const std::string ev = "HostConfig.CapAdd=" + ListText(in.c.cap_add);
  if (!extra.empty()) return Warn(ev + "; beyond the default set: " + ListText(extra));
  return Pass(ev);
}

Verdict Privileged(const ContainerCheckInput& in) {
  return in.c.privileged ? Warn("HostConfig.Privileged=true") : Pass("HostConfig.Privileged=false");
}

Verdict HostMode(std::string_view field, const std::string& mode) {
  const std::string ev = fmt::format("HostConfig.{}={:?}", field, mode);
  return mode == "host" ? Warn(ev) : Pass(ev);
}

Verdict NetworkHost(const ContainerCheckInput& in) { return HostMode("NetworkMode", in.c.network_mode); }
Verdict PidHost(const ContainerCheckInput& in) { return HostMode("PidMode", in.c.pid_mode); }
Verdict IpcHost(const ContainerCheckInput& in) { return HostMode("IpcMode", in.c.ipc_mode); }
Verdict UtsHost(const ContainerCheckInput& in) { return HostMode("UTSMode", in.c.uts_mode); }

Verdict UsernsHost(const ContainerCheckInput& in) {
  const std::string ev = fmt::format("HostConfig.UsernsMode={:?}", in.c.userns_mode);
  return Upper(in.c.userns_mode).find("HOST") != std::string::npos ? Warn(ev) : Pass(ev);
}

Verdict Seccomp(const ContainerCheckInput& in) {
  const std::string ev = "HostConfig.SecurityOpt=" + ListText(in.c.security_opt);
  if (Contains(in.c.security_opt, "seccomp:unconfined") || Contains(in.c.security_opt, "seccomp=unconfined")) {
    return Warn(ev);
  }
  return Pass(ev);
}

Verdict NoNewPrivileges(const ContainerCheckInput& in) {
  if (in.daemon.no_new_privileges) return Pass("daemon sets no-new-privileges for every container");
  const std::string ev = "HostConfig.SecurityOpt=" + ListText(in.c.security_opt);
  return Contains(in.c.security_opt, "no-new-privileges") ? Pass(ev) : Warn(ev);
}

Verdict CgroupParent(const ContainerCheckInput& in) {
  const std::string ev = fmt::format("HostConfig.CgroupParent={:?}", in.c.cgroup_parent);
  return in.c.cgroup_parent.empty() ? Pass(ev) : Warn(ev);
}

}  // namespace

void ContainerIsolationChecks(std::vector<ContainerCheck>& rules) {
  rules.insert(
      rules.end(),
      {
          {"5.2", 1, Severity::kMedium, "Ensure that, if applicable, an AppArmor Profile is enabled", "AppArmorProfile",
           "run with --security-opt apparmor=<profile> (or keep Docker's default docker-default profile)", &AppArmor},
          {"5.3", 2, Severity::kMedium, "Ensure that, if applicable, SELinux security options are set",
           "HostConfig.SecurityOpt", "run with --security-opt label=level:<level> on an SELinux host", &SELinux},
          {"5.4", 1, Severity::kHigh, "Ensure that Linux kernel capabilities are restricted within containers",
           "HostConfig.CapAdd", "run with --cap-drop=all --cap-add=<only the capabilities needed>", &Capabilities},
          {"5.5", 1, Severity::kCritical, "Ensure that privileged containers are not used", "HostConfig.Privileged",
           "do not run containers with --privileged", &Privileged},
          {"5.10", 1, Severity::kHigh, "Ensure that the host's network namespace is not shared",
           "HostConfig.NetworkMode", "do not run with --network=host", &NetworkHost},
          {"5.16", 1, Severity::kHigh, "Ensure that the host's process namespace is not shared", "HostConfig.PidMode",
           "do not run with --pid=host", &PidHost},
          {"5.17", 1, Severity::kHigh, "Ensure that the host's IPC namespace is not shared", "HostConfig.IpcMode",
           "do not run with --ipc=host", &IpcHost},
          {"5.21", 1, Severity::kMedium, "Ensure that the host's UTS namespace is not shared", "HostConfig.UTSMode",
           "do not run with --uts=host", &UtsHost},
          {"5.22", 1, Severity::kHigh, "Ensure the default seccomp profile is not Disabled", "HostConfig.SecurityOpt",
           "do not run with --security-opt seccomp=unconfined", &Seccomp},
          {"5.25", 2, Severity::kLow, "Ensure that cgroup usage is confirmed", "HostConfig.CgroupParent",
           "do not use --cgroup-parent unless required", &CgroupParent},
          {"5.26", 1, Severity::kMedium, "Ensure that the container is restricted from acquiring additional privileges",
           "HostConfig.SecurityOpt",
           "run with --security-opt=no-new-privileges (or set \"no-new-privileges\": true in daemon.json)",
           &NoNewPrivileges},
          {"5.31", 1, Severity::kHigh, "Ensure that the host's user namespaces are not shared", "HostConfig.UsernsMode",
           "do not run with --userns=host", &UsernsHost},
      });
}

}  // namespace drydock
