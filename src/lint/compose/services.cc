// Compose rules: the runtime checks (CIS Docker Benchmark §5 and the seed
// practices) applied statically to each service of the merged model.
// Findings carry the file and line of the offending key and the service in
// config_field ("services.web.privileged").
#include <set>

#include "lint/groups.h"

namespace drydock {

namespace {

using lint::Lower;
using lint::Upper;

struct Service {
  const std::string& name;
  const ComposeNode& node;
};

template <typename Fn>
void ForEachService(const ComposeProject& p, Fn fn) {
  const ComposeNode* services = p.root.Get("services");
  if (!services || !services->IsMap()) return;
  for (const auto& [name, node] : services->map) {
    if (node.IsMap()) fn(Service{name, node});
  }
}

Finding At(const LintRule& rule, const Service& s, const ComposeNode& where, std::string_view field,
           std::string evidence) {
  Finding f = RuleFinding(rule);
  f.location.path = where.file;
  f.location.line = where.line;
  f.location.column = where.column;
  f.location.config_field = field.empty() ? "services." + s.name : fmt::format("services.{}.{}", s.name, field);
  f.evidence = std::move(evidence);
  return f;
}

bool Truthy(const ComposeNode* n) {
  if (!n || !n->IsScalar()) return false;
  const std::string v = Lower(n->scalar);
  return v == "true" || v == "yes" || v == "on" || v == "1";
}

std::vector<std::string> Strings(const ComposeNode* n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n->IsScalar()) out.push_back(n->scalar);
  if (n->IsSeq()) {
    for (const auto& e : n->seq) {
      if (e.IsScalar()) out.push_back(e.scalar);
    }
  }
  return out;
}

void Privileged(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    const ComposeNode* n = s.node.Get("privileged");
    if (Truthy(n)) out.push_back(At(rule, s, *n, "privileged", "privileged: true"));
  });
}

std::string Cap(std::string c) {
  c = Upper(c);
  if (c.starts_with("CAP_")) c = c.substr(4);
  return c;
}

// A finding per `cap_add` entry that is in `caps`.
void CapAddIn(const std::set<std::string, std::less<>>& caps, const ComposeProject& p, const LintRule& rule,
              std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    const ComposeNode* n = s.node.Get("cap_add");
    for (const std::string& c : Strings(n)) {
      if (caps.contains(Cap(c))) out.push_back(At(rule, s, *n, "cap_add", "cap_add: " + Cap(c)));
    }
  });
}

void CapAddDangerous(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  static const std::set<std::string, std::less<>> k = {
      "ALL", "SYS_ADMIN", "SYS_MODULE", "SYS_RAWIO", "SYS_PTRACE", "DAC_READ_SEARCH", "BPF", "PERFMON", "SYS_BOOT"};
  CapAddIn(k, p, rule, out);
}

void CapAddNetwork(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  static const std::set<std::string, std::less<>> k = {
      "NET_ADMIN", "NET_RAW", "SYS_TIME", "MKNOD", "SETFCAP", "LINUX_IMMUTABLE", "SYSLOG", "MAC_ADMIN", "MAC_OVERRIDE"};
  CapAddIn(k, p, rule, out);
}

void CapDropAll(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    for (const std::string& c : Strings(s.node.Get("cap_drop"))) {
      if (Cap(c) == "ALL") return;
    }
    if (Truthy(s.node.Get("privileged"))) return;  // reported as privileged
    out.push_back(At(rule, s, s.node, "cap_drop", "no cap_drop: [ALL]"));
  });
}

void NamespaceHost(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out, std::string_view key) {
  ForEachService(p, [&](const Service& s) {
    const ComposeNode* n = s.node.Get(key);
    if (n && n->IsScalar() && Lower(n->scalar) == "host") {
      out.push_back(At(rule, s, *n, key, fmt::format("{}: host", key)));
    }
  });
}
void NetworkHost(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  NamespaceHost(p, rule, out, "network_mode");
}
void PidHost(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  NamespaceHost(p, rule, out, "pid");
}
void IpcHost(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  NamespaceHost(p, rule, out, "ipc");
}
void UsernsHost(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  NamespaceHost(p, rule, out, "userns_mode");
}
void UtsHost(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  NamespaceHost(p, rule, out, "uts");
}

// A bind mount's host path: short syntax "src:dst[:mode]" or long syntax.
struct Mount {
  std::string source;
  std::string target;
  bool read_only = false;
  const ComposeNode* node = nullptr;
};

std::vector<Mount> Mounts(const Service& s) {
  std::vector<Mount> out;
  const ComposeNode* v = s.node.Get("volumes");
  if (!v || !v->IsSeq()) return out;
  for (const ComposeNode& e : v->seq) {
    Mount m;
    m.node = &e;
    if (e.IsScalar()) {
      const std::string& t = e.scalar;
      size_t c1 = t.find(':');
      if (c1 == std::string::npos) continue;  // anonymous volume
      size_t c2 = t.find(':', c1 + 1);
      m.source = t.substr(0, c1);
      m.target = t.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
      m.read_only = c2 != std::string::npos && t.substr(c2 + 1).find("ro") != std::string::npos;
    } else if (e.IsMap()) {
      if (const ComposeNode* t = e.Get("type"); t && t->scalar != "bind") continue;
      if (const ComposeNode* src = e.Get("source")) m.source = src->scalar;
      if (const ComposeNode* dst = e.Get("target")) m.target = dst->scalar;
      m.read_only = Truthy(e.Get("read_only"));
    }
    // Named volumes ("data:/var/lib/x") are not host paths.
    if (!m.source.starts_with("/") && !m.source.starts_with(".") && !m.source.starts_with("~")) continue;
    out.push_back(std::move(m));
  }
  return out;
}

void DockerSocket(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    for (const Mount& m : Mounts(s)) {
      if (m.source.ends_with("docker.sock") || m.source.ends_with("containerd.sock") ||
          m.source.ends_with("podman.sock") || m.source == "/var/run" || m.source == "/run") {
        out.push_back(At(rule, s, *m.node, "volumes", fmt::format("{} mounted at {}", m.source, m.target)));
      }
    }
  });
}

void SensitiveHostPath(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  static const std::vector<std::string_view> kPaths = {
      "/",        "/etc",         "/proc", "/sys",  "/dev",        "/boot",           "/root", "/var/lib/docker",
      "/var/log", "/lib/modules", "/usr",  "/home", "/etc/docker", "/var/lib/kubelet"};
  ForEachService(p, [&](const Service& s) {
    for (const Mount& m : Mounts(s)) {
      std::string src = m.source;
      while (src.size() > 1 && src.back() == '/') src.pop_back();
      for (std::string_view k : kPaths) {
        const bool hit =
            src == k ||
            (k != "/" && src.starts_with(std::string(k) + "/") &&
             (k == "/etc" || k == "/proc" || k == "/sys" || k == "/var/lib/docker" || k == "/boot" || k == "/root"));
        if (!hit || src.ends_with(".sock")) continue;
        out.push_back(At(rule, s, *m.node, "volumes",
                         fmt::format("host {} mounted at {}{}", m.source, m.target, m.read_only ? " (ro)" : "")));
        break;
      }
    }
  });
}

void ReadOnly(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    if (!Truthy(s.node.Get("read_only"))) out.push_back(At(rule, s, s.node, "read_only", "read_only is not set"));
  });
}

void UserRoot(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    const ComposeNode* u = s.node.Get("user");
    if (!u) {
      out.push_back(At(rule, s, s.node, "user", "user is not set: the image's USER (often root) applies"));
      return;
    }
    std::string name = u->scalar.substr(0, u->scalar.find(':'));
    if (name == "root" || name == "0") out.push_back(At(rule, s, *u, "user", "user: " + u->scalar));
  });
}

void SecurityOptUnconfined(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    const ComposeNode* n = s.node.Get("security_opt");
    for (const std::string& o : Strings(n)) {
      const std::string l = Lower(o);
      if (l.find("unconfined") != std::string::npos || l == "label:disable" || l == "label=disable") {
        out.push_back(At(rule, s, *n, "security_opt", "security_opt: " + o));
      }
    }
  });
}

void NoNewPrivileges(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    const ComposeNode* n = s.node.Get("security_opt");
    for (const std::string& o : Strings(n)) {
      const std::string l = Lower(o);
      if (l == "no-new-privileges" || l == "no-new-privileges:true" || l == "no-new-privileges=true") return;
    }
    out.push_back(At(rule, s, n ? *n : s.node, "security_opt", "no-new-privileges is not set"));
  });
}

const ComposeNode* Limit(const Service& s, std::initializer_list<std::string_view> top, std::string_view deploy_key) {
  for (std::string_view k : top) {
    if (const ComposeNode* n = s.node.Get(k)) return n;
  }
  const ComposeNode* d = s.node.Get("deploy");
  const ComposeNode* r = d ? d->Get("resources") : nullptr;
  const ComposeNode* l = r ? r->Get("limits") : nullptr;
  return l ? l->Get(deploy_key) : nullptr;
}

void MemoryLimit(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    if (!Limit(s, {"mem_limit"}, "memory")) out.push_back(At(rule, s, s.node, "mem_limit", "no memory limit"));
  });
}
void CpuLimit(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    if (!Limit(s, {"cpus", "cpu_quota", "cpu_shares"}, "cpus"))
      out.push_back(At(rule, s, s.node, "cpus", "no CPU limit"));
  });
}
void PidsLimit(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    if (!Limit(s, {"pids_limit"}, "pids")) out.push_back(At(rule, s, s.node, "pids_limit", "no pids limit"));
  });
}

bool InternalImage(std::string_view image) {
  static constexpr std::string_view k[] = {
      "postgres", "mysql", "mariadb",   "mongo", "redis",    "memcached", "elasticsearch", "rabbitmq", "cassandra",
      "couchdb",  "etcd",  "zookeeper", "kafka", "influxdb", "neo4j",     "clickhouse",    "valkey",   "minio"};
  std::string_view repo = image.substr(0, image.find(':'));
  repo = repo.substr(repo.rfind('/') == std::string_view::npos ? 0 : repo.rfind('/') + 1);
  for (std::string_view n : k) {
    if (repo.starts_with(n)) return true;
  }
  return false;
}

void PublicPorts(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    const ComposeNode* img = s.node.Get("image");
    if (!img || !InternalImage(img->scalar)) return;
    const ComposeNode* ports = s.node.Get("ports");
    if (!ports || !ports->IsSeq()) return;
    for (const ComposeNode& e : ports->seq) {
      std::string host_ip;
      bool published = false;
      if (e.IsScalar()) {
        // [ip:]host:container[/proto]; an IPv6 host ip is bracketed.
        const std::string& t = e.scalar;
        size_t colons = std::count(t.begin(), t.end(), ':');
        published = colons >= 1;
        if (colons >= 2) host_ip = t.substr(0, t.rfind(':', t.rfind(':') - 1));
      } else if (e.IsMap()) {
        published = e.Get("published") != nullptr;
        if (const ComposeNode* ip = e.Get("host_ip")) host_ip = ip->scalar;
      }
      if (!published) continue;
      if (host_ip.empty() || host_ip == "0.0.0.0" || host_ip == "::" || host_ip == "[::]") {
        out.push_back(
            At(rule, s, e, "ports",
               fmt::format("{} publishes {} on all interfaces", img->scalar, e.IsScalar() ? e.scalar : "a port")));
      }
    }
  });
}

void SecretEnvironment(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    const ComposeNode* env = s.node.Get("environment");
    if (!env || !env->IsMap()) return;
    for (const auto& [k, v] : env->map) {
      if (!v.IsScalar() || !LooksLikeSecret(k, v.scalar)) continue;
      out.push_back(At(rule, s, v, "environment." + k, fmt::format("{}={}", k, RedactValue(v.scalar))));
    }
  });
}

void LatestImage(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    const ComposeNode* img = s.node.Get("image");
    if (!img || !img->IsScalar() || img->scalar.find('@') != std::string::npos) return;
    const std::string& ref = img->scalar;
    const size_t slash = ref.rfind('/');
    const size_t colon = ref.rfind(':');
    const bool tagged = colon != std::string::npos && (slash == std::string::npos || colon > slash);
    if (!tagged || ref.ends_with(":latest")) {
      out.push_back(At(rule, s, *img, "image", tagged ? ref : ref + " (no tag: latest)"));
    }
  });
}

void RestartAlways(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    const ComposeNode* r = s.node.Get("restart");
    if (!r || !r->IsScalar()) return;
    if (Lower(r->scalar) == "always" || Lower(r->scalar) == "unless-stopped") {
      out.push_back(At(rule, s, *r, "restart", "restart: " + r->scalar + " (use on-failure:5)"));
    }
  });
}

void Devices(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    const ComposeNode* n = s.node.Get("devices");
    for (const std::string& d : Strings(n)) out.push_back(At(rule, s, *n, "devices", "device " + d));
  });
}

void CgroupHost(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  NamespaceHost(p, rule, out, "cgroup");
}

void Sysctls(const ComposeProject& p, const LintRule& rule, std::vector<Finding>& out) {
  ForEachService(p, [&](const Service& s) {
    const ComposeNode* n = s.node.Get("sysctls");
    if (!n) return;
    if (n->IsMap()) {
      for (const auto& [k, v] : n->map) {
        if (k.starts_with("kernel.") && !k.starts_with("kernel.shm") && !k.starts_with("kernel.msg") &&
            !k.starts_with("kernel.sem"))
          out.push_back(At(rule, s, v, "sysctls", "sysctl " + k));
      }
    }
  });
}

}  // namespace

void ComposeServiceRules(std::vector<LintRule>& r) {
  auto add = [&](std::string_view id, Severity sev, std::string_view title, std::string_view why, std::string_view fix,
                 std::vector<std::string_view> refs, ComposeCheckFn fn) {
    r.push_back(LintRule{id, sev, title, why, fix, std::move(refs), nullptr, fn});
  };
  add("DD-CMP-001", Severity::kCritical, "Service runs privileged",
      "privileged gives the container every capability and all host devices: it is root on the host.",
      "Remove privileged: true; add only the capabilities the service needs.",
      {"CIS Docker Benchmark 5.4", "Trivy KSV017"}, Privileged);
  add("DD-CMP-002", Severity::kHigh, "Service adds a dangerous capability",
      "ALL, SYS_ADMIN, SYS_MODULE, SYS_PTRACE and similar capabilities allow container escapes.",
      "Drop the capability; if truly needed, isolate the service.", {"CIS Docker Benchmark 5.3"}, CapAddDangerous);
  add("DD-CMP-003", Severity::kMedium, "Service adds a sensitive capability",
      "NET_ADMIN, NET_RAW, SYS_TIME, MKNOD … widen what a compromised service can do to the host and network.",
      "Remove it from cap_add unless the service needs it.", {"CIS Docker Benchmark 5.3"}, CapAddNetwork);
  add("DD-CMP-004", Severity::kLow, "Service does not drop all capabilities",
      "Docker's default capability set is larger than most services need.",
      "cap_drop: [ALL] and cap_add only what is needed (e.g. NET_BIND_SERVICE).",
      {"CIS Docker Benchmark 5.3", "Seed practice: --cap-drop ALL"}, CapDropAll);
  add("DD-CMP-005", Severity::kHigh, "Service shares the host network namespace",
      "network_mode: host exposes host interfaces and services bound to localhost.",
      "Use a user-defined bridge network and publish the needed ports.", {"CIS Docker Benchmark 5.9"}, NetworkHost);
  add("DD-CMP-006", Severity::kHigh, "Service shares the host PID namespace",
      "pid: host lets the container see and signal every host process.", "Remove pid: host.",
      {"CIS Docker Benchmark 5.15"}, PidHost);
  add("DD-CMP-007", Severity::kMedium, "Service shares the host IPC namespace", "ipc: host exposes host shared memory.",
      "Remove ipc: host.", {"CIS Docker Benchmark 5.16"}, IpcHost);
  add("DD-CMP-008", Severity::kMedium, "Service shares the host user namespace",
      "userns_mode: host disables user-namespace remapping for the service.", "Remove userns_mode: host.",
      {"CIS Docker Benchmark 5.30"}, UsernsHost);
  add("DD-CMP-009", Severity::kCritical, "Docker socket mounted into a service",
      "Access to the Docker socket is root on the host.",
      "Do not mount the socket; use a narrowly scoped API proxy if you must.", {"CIS Docker Benchmark 5.31"},
      DockerSocket);
  add("DD-CMP-010", Severity::kHigh, "Sensitive host path mounted",
      "Mounting /, /etc, /proc, /sys, /boot, /var/lib/docker … lets the container read or change the host.",
      "Mount only application directories, read-only where possible.", {"CIS Docker Benchmark 5.5"}, SensitiveHostPath);
  add("DD-CMP-011", Severity::kLow, "Root filesystem is writable",
      "A writable root filesystem lets an attacker persist tools and modify the application.",
      "read_only: true, with tmpfs for the paths that must be writable.",
      {"CIS Docker Benchmark 5.12", "Seed practice: --read-only"}, ReadOnly);
  add("DD-CMP-012", Severity::kMedium, "Service runs as root",
      "Without user: (or with user: root) the service runs as root unless the image sets USER.",
      "user: \"10001:10001\" (a non-root UID the image supports).",
      {"CIS Docker Benchmark 4.1", "Seed practice: non-root users"}, UserRoot);
  add("DD-CMP-013", Severity::kHigh, "seccomp, AppArmor or SELinux confinement disabled",
      "security_opt with unconfined profiles or label:disable removes a kernel-level defence.",
      "Remove the option, or supply a custom profile.",
      {"CIS Docker Benchmark 5.1", "CIS Docker Benchmark 5.2", "CIS Docker Benchmark 5.21"}, SecurityOptUnconfined);
  add("DD-CMP-014", Severity::kMedium, "no-new-privileges is not set",
      "Without it setuid binaries can raise privileges inside the container.",
      "security_opt: [\"no-new-privileges:true\"]", {"CIS Docker Benchmark 5.25", "Seed practice: no-new-privileges"},
      NoNewPrivileges);
  add("DD-CMP-015", Severity::kLow, "No memory limit",
      "A service without a memory limit can exhaust the host's memory.",
      "mem_limit: 512m (or deploy.resources.limits.memory).",
      {"CIS Docker Benchmark 5.10", "Seed practice: resource limits"}, MemoryLimit);
  add("DD-CMP-016", Severity::kLow, "No CPU limit", "A service without a CPU limit can starve its neighbours.",
      "cpus: \"1.0\" (or deploy.resources.limits.cpus).",
      {"CIS Docker Benchmark 5.11", "Seed practice: resource limits"}, CpuLimit);
  add("DD-CMP-017", Severity::kLow, "No pids limit", "Without a pids limit a fork bomb takes down the host.",
      "pids_limit: 200 (or deploy.resources.limits.pids).", {"CIS Docker Benchmark 5.29"}, PidsLimit);
  add("DD-CMP-018", Severity::kMedium, "Internal service published on all interfaces",
      "A database or cache published without a host IP listens on 0.0.0.0 and bypasses host firewalls.",
      "Publish on 127.0.0.1:PORT:PORT, or not at all (use the compose network).", {"CIS Docker Benchmark 5.14"},
      PublicPorts);
  add("DD-CMP-019", Severity::kHigh, "Secret passed in environment",
      "Environment variables are visible in docker inspect, /proc and crash dumps.",
      "Use top-level secrets: and mount them (service secrets:), or *_FILE variables.",
      {"CIS Docker Benchmark 4.10", "Seed practice: secrets at runtime"}, SecretEnvironment);
  add("DD-CMP-020", Severity::kMedium, "Image uses :latest or no tag",
      "The service runs whatever :latest points to when it is pulled.", "Pin an exact tag or digest.",
      {"Seed practice: pinned images", "Trivy DS001"}, LatestImage);
  add("DD-CMP-021", Severity::kLow, "restart: always",
      "An always-restarting service in a crash loop hides failures and can be used to amplify attacks.",
      "restart: on-failure:5 (or deploy.restart_policy with max_attempts).", {"CIS Docker Benchmark 5.14"},
      RestartAlways);
  add("DD-CMP-022", Severity::kMedium, "Host device mapped into a service",
      "Devices give direct access to host hardware.", "Remove devices: unless required.", {"CIS Docker Benchmark 5.17"},
      Devices);
  add("DD-CMP-023", Severity::kMedium, "Service shares the host UTS namespace",
      "uts: host lets the container change the host's hostname.", "Remove uts: host.", {"CIS Docker Benchmark 5.20"},
      UtsHost);
  add("DD-CMP-024", Severity::kMedium, "Service shares the host cgroup namespace",
      "cgroup: host exposes the host's cgroup tree.", "Remove cgroup: host.", {"CIS Docker Benchmark 5.24"},
      CgroupHost);
  add("DD-CMP-025", Severity::kMedium, "Kernel sysctl set from a service",
      "kernel.* sysctls other than IPC ones affect the whole host.", "Remove the sysctl.",
      {"Docker run reference --sysctl"}, Sysctls);
}

}  // namespace drydock
