// The host audit (CIS §1-3, 6, 7): rules as tables over a host filesystem
// (HostFs: a --root mount or "/"), the daemon's daemon.json and, when the
// daemon answers, GET /info. The list of groups is checks.inc.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "audit/host_fs.h"

namespace drydock {

// The daemon.json keys the checks read. Absent keys keep these defaults.
struct DaemonConfig {
  bool present = false;  // the file exists
  std::string path;      // where it was read
  std::optional<bool> icc, iptables, live_restore, userland_proxy, no_new_privileges, experimental, tls, tlsverify;
  std::string log_level, log_driver, storage_driver, cgroup_parent, userns_remap, seccomp_profile;
  std::string tlscacert, tlscert, tlskey;
  std::vector<std::string> hosts, insecure_registries, authorization_plugins, storage_opts;
  bool default_ulimits = false;
};

// Parses daemon.json; garbage is an input error naming the file.
Result<DaemonConfig> ParseDaemonConfig(std::string_view text, std::string_view path);

// Where the daemon's files are: the system layout, or a rootless daemon's
// (under the user's home and runtime dir, owned by the user).
struct HostLayout {
  bool rootless = false;
  uid_t owner = 0;  // the uid the daemon files should belong to
  std::string daemon_json = "/etc/docker/daemon.json";
  std::vector<std::string> unit_dirs = {"/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"};
  std::string docker_sock = "/var/run/docker.sock";
  std::string data_root = "/var/lib/docker";
};

struct HostCheckInput {
  const HostFs& fs;
  const HostLayout& layout;
  const DaemonConfig& config;
  const std::optional<DaemonInfo>& info;  // nullopt: no daemon reachable (offline --root audit)
  bool live = false;                      // root is this host ("/"): /proc describes it
};

struct HostVerdict {
  std::string target;  // the file or "daemon"
  Verdict verdict;
};

struct HostCheck {
  std::string_view id;  // "3.1"
  int level;
  Severity severity;
  std::string_view title;
  std::string_view field;  // what it reads: "daemon.json icc", "mode", "owner"
  std::string_view remediation;
  Result<HostVerdict> (*run)(const HostCheckInput& in);
};

std::span<const HostCheck> HostChecks();

// Runs the selected host checks. A hostile tree (symlink loop, unreadable
// daemon.json) fails the run with an input error.
Status RunHostChecks(const HostCheckInput& in, const CheckSelection& sel, std::vector<CheckOutcome>& outcomes,
                     std::vector<Finding>& findings);

// The unit file of `unit` ("docker.service") in the layout's unit dirs,
// "" when absent; sets *systemd when any unit dir exists.
Result<std::string> FindUnit(const HostCheckInput& in, std::string_view unit, bool* systemd);

}  // namespace drydock
