// The host check runner, daemon.json reader and unit lookup.
#include <algorithm>

#include "audit/host/host.h"
#include "audit/host/groups.h"
#include "model/json_util.h"

namespace drydock {

namespace {

std::vector<HostCheck> BuildTable() {
  std::vector<HostCheck> rules;
#define DRYDOCK_HOST_CHECK_GROUP(fn) fn(rules);
#include "audit/host/checks.inc"
#undef DRYDOCK_HOST_CHECK_GROUP
  std::stable_sort(rules.begin(), rules.end(),
                   [](const HostCheck& a, const HostCheck& b) { return CisIdLess(a.id, b.id); });
  return rules;
}

Result<std::optional<bool>> OptBool(simdjson::dom::element obj, std::string_view key, std::string_view what) {
  auto e = json::Get(obj, key);
  if (!e) return std::optional<bool>{};
  bool b = false;
  if (e->get(b)) return InputError("{}: {:?} is not a boolean", what, std::string(key));
  return std::optional<bool>(b);
}

}  // namespace

std::span<const HostCheck> HostChecks() {
  static const std::vector<HostCheck> table = BuildTable();
  return table;
}

Result<DaemonConfig> ParseDaemonConfig(std::string_view text, std::string_view path) {
  const std::string what = std::string(path);
  simdjson::dom::parser parser;
  ASSIGN_OR_RETURN(simdjson::dom::element root, json::Parse(parser, text, what));
  if (!root.is_object()) return InputError("{}: not a JSON object", what);
  DaemonConfig c;
  c.present = true;
  c.path = what;
  ASSIGN_OR_RETURN(c.icc, OptBool(root, "icc", what));
  ASSIGN_OR_RETURN(c.iptables, OptBool(root, "iptables", what));
  ASSIGN_OR_RETURN(c.live_restore, OptBool(root, "live-restore", what));
  ASSIGN_OR_RETURN(c.userland_proxy, OptBool(root, "userland-proxy", what));
  ASSIGN_OR_RETURN(c.no_new_privileges, OptBool(root, "no-new-privileges", what));
  ASSIGN_OR_RETURN(c.experimental, OptBool(root, "experimental", what));
  ASSIGN_OR_RETURN(c.tls, OptBool(root, "tls", what));
  ASSIGN_OR_RETURN(c.tlsverify, OptBool(root, "tlsverify", what));
  ASSIGN_OR_RETURN(c.log_level, json::String(root, "log-level", what));
  ASSIGN_OR_RETURN(c.log_driver, json::String(root, "log-driver", what));
  ASSIGN_OR_RETURN(c.storage_driver, json::String(root, "storage-driver", what));
  ASSIGN_OR_RETURN(c.cgroup_parent, json::String(root, "cgroup-parent", what));
  ASSIGN_OR_RETURN(c.userns_remap, json::String(root, "userns-remap", what));
  ASSIGN_OR_RETURN(c.seccomp_profile, json::String(root, "seccomp-profile", what));
  ASSIGN_OR_RETURN(c.tlscacert, json::String(root, "tlscacert", what));
  ASSIGN_OR_RETURN(c.tlscert, json::String(root, "tlscert", what));
  ASSIGN_OR_RETURN(c.tlskey, json::String(root, "tlskey", what));
  ASSIGN_OR_RETURN(c.hosts, json::StringArray(root, "hosts", what));
  ASSIGN_OR_RETURN(c.insecure_registries, json::StringArray(root, "insecure-registries", what));
  ASSIGN_OR_RETURN(c.authorization_plugins, json::StringArray(root, "authorization-plugins", what));
  ASSIGN_OR_RETURN(c.storage_opts, json::StringArray(root, "storage-opts", what));
  if (auto u = json::Get(root, "default-ulimits")) {
    if (!u->is_object()) return InputError("{}: \"default-ulimits\" is not an object", what);
    c.default_ulimits = true;
  }
  return c;
}

Result<std::string> FindUnit(const HostCheckInput& in, std::string_view unit, bool* systemd) {
  *systemd = false;
  for (const std::string& dir : in.layout.unit_dirs) {
    ASSIGN_OR_RETURN(auto d, in.fs.Stat(dir));
    if (!d || !d->is_dir) continue;
    *systemd = true;
    std::string path = dir + "/" + std::string(unit);
    ASSIGN_OR_RETURN(auto f, in.fs.Stat(path));
    if (f) return path;
  }
  return std::string();
}

Status RunHostChecks(const HostCheckInput& in, const CheckSelection& sel, std::vector<CheckOutcome>& outcomes,
                     std::vector<Finding>& findings) {
  for (const HostCheck& rule : HostChecks()) {
    if (!sel.Selected(rule.id)) continue;
    ASSIGN_OR_RETURN(HostVerdict v, rule.run(in));
    CheckOutcome o;
    o.id = std::string(rule.id);
    o.level = rule.level;
    o.status = v.verdict.status;
    o.title = std::string(rule.title);
    o.target = std::move(v.target);
    o.evidence = std::move(v.verdict.evidence);
    o.remediation = std::string(rule.remediation);
    if (o.status == CheckStatus::kWarn) findings.push_back(AuditFinding(o, rule.severity, rule.field));
    outcomes.push_back(std::move(o));
  }
  return Ok();
}

}  // namespace drydock
