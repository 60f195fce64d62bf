#include "harden/harden.h"

#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace drydock {

namespace {

struct Account {
  std::string name;
  int uid = -1;
  int gid = -1;
  std::string shell;
};

int ToInt(std::string_view s) {
  int v = -1;
  if (s.empty() || s.size() > 9) return -1;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : -1;
}

std::vector<Account> ParseAccounts(std::string_view text) {
  std::vector<Account> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string_view> f;
    size_t start = 0;
    for (size_t i = 0; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == ':') {
        f.push_back(line.substr(start, i - start));
        start = i + 1;
      }
    }
    if (f.size() < 4) continue;
    out.push_back({std::string(f[0]), ToInt(f[2]), ToInt(f[3]), f.size() > 6 ? std::string(f[6]) : ""});
  }
  return out;
}

bool Present(const HardenInput& in, std::string_view path) { return in.fs.Resolve(path) != nullptr; }

// The first of `paths` present in the image, or "".
std::string FirstPresent(const HardenInput& in, std::initializer_list<std::string_view> paths) {
  for (auto p : paths) {
    if (Present(in, p)) return std::string(p);
  }
  return "";
}

bool IsDir(const HardenInput& in, std::string_view path) {
  const auto* n = in.fs.Resolve(path);
  return n && n->file && n->file->type == EntryType::kDir;
}

std::string Slug(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a'), ok = true;
    if (ok)
      out += c;
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 40) out.resize(40);
  return out.empty() ? "app" : out;
}

// "registry:5000/team/app:1.2" → "app".
std::string ImageBaseName(std::string_view ref) {
  size_t slash = ref.rfind('/');
  if (slash != std::string_view::npos) ref = ref.substr(slash + 1);
  size_t colon = ref.find(':');
  if (colon != std::string_view::npos) ref = ref.substr(0, colon);
  size_t at = ref.find('@');
  return Slug(ref.substr(0, at));
}

void DecideUser(const HardenInput& in, HardenProfile& p) {
  std::vector<Account> accounts;
  if (auto passwd = in.fs.ReadFile("/etc/passwd")) accounts = ParseAccounts(*passwd);
  auto by_name = [&](std::string_view n) -> const Account* {
    for (const auto& a : accounts)
      if (a.name == n) return &a;
    return nullptr;
  };
  auto by_uid = [&](int uid) -> const Account* {
    for (const auto& a : accounts)
      if (a.uid == uid) return &a;
    return nullptr;
  };
  std::string_view user = in.image.config.user;
  std::string_view name = user.substr(0, user.find(':'));
  std::string_view group = user.find(':') == std::string_view::npos ? "" : user.substr(user.find(':') + 1);
  auto set = [&](int uid, int gid, std::string nm, std::string why) {
    p.uid = uid;
    p.gid = gid;
    p.user_name = std::move(nm);
    p.user = {fmt::format("{}:{}", uid, gid), std::move(why)};
  };
  int group_id = ToInt(group);
  if (!name.empty()) {
    int uid = ToInt(name);
    const Account* a = uid >= 0 ? by_uid(uid) : by_name(name);
    if (uid < 0 && a) uid = a->uid;
    if (uid > 0) {
      int gid = group_id >= 0 ? group_id : (a && a->gid >= 0 ? a->gid : uid);
      set(uid, gid, a ? a->name : "",
          fmt::format("the image's USER {} is unprivileged; numeric so the runtime can verify it is not root", user));
      return;
    }
  }
  // Root or unknown: pick an existing unprivileged login account, then a
  // well-known service account, else a fresh numeric UID.
  for (const auto& a : accounts) {
    if (a.uid >= 1000 && a.uid < 60000 && a.gid >= 0) {
      set(a.uid, a.gid, a.name,
          fmt::format("the image runs as {}; {:?} (uid {}) is an unprivileged account in /etc/passwd",
                      name.empty() ? "root (no USER)" : std::string(user), a.name, a.uid));
      return;
    }
  }
  for (std::string_view svc : {"app", "www-data", "nginx", "node", "nobody"}) {
    const Account* a = by_name(svc);
    if (a && a->uid > 0 && a->gid >= 0) {
      set(a->uid, a->gid, a->name,
          fmt::format("the image runs as {}; the service account {:?} (uid {}) exists in /etc/passwd",
                      name.empty() ? "root (no USER)" : std::string(user), a->name, a->uid));
      return;
    }
  }
  p.user_created = true;
  set(10001, 10001, "",
      "no unprivileged account in the image: a numeric UID/GID works without one (add RUN adduser -D -u 10001 app "
      "and USER 10001 to the Dockerfile to make it the default)");
  p.notes.push_back(
      "the service now runs as uid 10001: files it must write need to be writable by that uid "
      "(the tmpfs mounts below are)");
}

void AddTmpfs(HardenProfile& p, std::string path, std::string options, std::string why) {
  for (const auto& m : p.tmpfs)
    if (m.path == path) return;
  p.tmpfs.push_back({std::move(path), std::move(options), "", std::move(why)});
}

void DecideWritablePaths(const HardenInput& in, HardenProfile& p) {
  const std::string owned = fmt::format("rw,noexec,nosuid,nodev,size=16m,uid={},gid={},mode=0755", p.uid, p.gid);
  AddTmpfs(p, "/tmp", "rw,noexec,nosuid,nodev,size=64m,mode=1777",
           "the root filesystem is read-only; programs expect a writable /tmp (in memory, no exec, cleared on stop)");
  if (IsDir(in, "/var/tmp"))
    AddTmpfs(p, "/var/tmp", "rw,noexec,nosuid,nodev,size=64m,mode=1777", "scratch space programs expect writable");
  // Known server layouts: where they write pid files, caches and temp files.
  struct Server {
    std::initializer_list<std::string_view> binaries;
    std::string_view what;
    std::initializer_list<std::string_view> writes;
  };
  const Server kServers[] = {
      {{"/usr/sbin/nginx", "/usr/local/nginx/sbin/nginx", "/usr/local/openresty/nginx/sbin/nginx"},
       "nginx",
       {"/var/cache/nginx", "/var/run", "/run", "/var/lib/nginx/tmp", "/var/log/nginx"}},
      {{"/usr/local/apache2/bin/httpd"}, "Apache httpd", {"/usr/local/apache2/logs"}},
      {{"/usr/sbin/apache2"}, "Apache httpd", {"/var/run/apache2", "/var/lock/apache2", "/var/log/apache2"}},
      {{"/usr/lib/postgresql", "/usr/local/bin/postgres"}, "PostgreSQL", {"/var/run/postgresql"}},
      {{"/usr/sbin/php-fpm", "/usr/local/sbin/php-fpm"}, "php-fpm", {"/var/run", "/run"}},
      {{"/usr/sbin/haproxy", "/usr/local/sbin/haproxy"}, "HAProxy", {"/var/run", "/run"}},
  };
  for (const auto& s : kServers) {
    bool hit = false;
    for (auto b : s.binaries) hit |= Present(in, b);
    if (!hit) continue;
    for (auto w : s.writes) {
      if (!IsDir(in, w)) continue;
      // /var/run is usually a symlink to /run: mount the real directory once.
      std::string real = in.fs.RealPath(w).value_or(std::string(w));
      AddTmpfs(p, real, owned, fmt::format("{} writes pid, cache or temp files here", s.what));
    }
  }
  for (const auto& v : in.image.config.volumes) {
    if (v == "/tmp") continue;
    p.volumes.push_back({v, "", fmt::format("{}-{}", p.name, Slug(v)),
                         "declared VOLUME: data the image expects to keep; a named volume stays writable and "
                         "survives restarts (use --tmpfs if it is scratch)"});
  }
}

void DecidePorts(const HardenInput& in, HardenProfile& p) {
  for (const auto& e : in.image.config.exposed_ports) {
    std::string_view s = e;
    size_t slash = s.find('/');
    std::string_view proto = slash == std::string_view::npos ? "tcp" : s.substr(slash + 1);
    int port = ToInt(s.substr(0, slash));
    if (port > 0 && port < 65536 && proto == "tcp") p.ports.push_back(port);
  }
  std::sort(p.ports.begin(), p.ports.end());
  p.ports.erase(std::unique(p.ports.begin(), p.ports.end()), p.ports.end());
  std::vector<int> low;
  for (int port : p.ports)
    if (port < 1024) low.push_back(port);
  if (!low.empty()) {
    p.cap_add.push_back({"NET_BIND_SERVICE", fmt::format("the image listens on port {} (< 1024) as a non-root user",
                                                         fmt::join(low, ", "))});
  }
}

void DecideHealth(const HardenInput& in, HardenProfile& p) {
  const auto& hc = in.image.config.healthcheck;
  if (hc && !hc->test.empty() && !hc->disabled()) return;  // the image's own check applies
  const bool shell = Present(in, "/bin/sh");
  std::vector<std::string> fetch;
  if (std::string w = FirstPresent(in, {"/usr/bin/wget", "/bin/wget"}); !w.empty()) {
    fetch = {w, "-q", "-O", "/dev/null"};
  } else if (std::string c = FirstPresent(in, {"/usr/bin/curl", "/bin/curl"}); !c.empty()) {
    fetch = {c, "-fsS", "-o", "/dev/null"};
  } else if (std::string b = FirstPresent(in, {"/bin/busybox", "/usr/bin/busybox"}); !b.empty()) {
    fetch = {b, "wget", "-q", "-O", "/dev/null"};
  }
  if (p.ports.empty() || fetch.empty()) {
    p.health_advice = p.ports.empty()
                          ? "the image has no HEALTHCHECK and exposes no port: add HEALTHCHECK CMD [\"/app\", "
                            "\"--health\"] (a command that fails when the service is unhealthy) to the Dockerfile"
                          : "the image has no HEALTHCHECK and no wget/curl to probe its port: add a HEALTHCHECK with "
                            "a small static probe binary, or probe from the orchestrator";
    return;
  }
  p.health_exec = fetch;
  p.health_exec.push_back(fmt::format("http://127.0.0.1:{}/", p.ports.front()));
  std::vector<std::string> quoted;
  for (const auto& w : p.health_exec) quoted.push_back(ShellQuote(w));
  if (shell) {
    p.health_cmd = Setting{fmt::format("{} || exit 1", fmt::join(quoted, " ")),
                           fmt::format("the image has no HEALTHCHECK: probe port {} so the engine can tell a hung "
                                       "service from a healthy one (adjust the path)",
                                       p.ports.front())};
  } else {
    p.health_advice = fmt::format(
        "the image has no HEALTHCHECK and no /bin/sh for --health-cmd: add HEALTHCHECK CMD [{}] to the Dockerfile",
        fmt::join(
            [&] {
              std::vector<std::string> j;
              for (const auto& w : p.health_exec)
                j.push_back(nlohmann::json(w).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
              return j;
            }(),
            ", "));
  }
}

void DecideSeccompInputs(const HardenInput& in, HardenProfile& p) {
  for (std::string_view d : {"gdb", "strace", "ltrace", "lldb", "dlv", "perf", "valgrind", "gdbserver"}) {
    for (std::string_view dir : {"/usr/bin/", "/bin/", "/usr/local/bin/", "/usr/sbin/"}) {
      std::string path = std::string(dir) + std::string(d);
      if (Present(in, path)) {
        p.debuggers.push_back(path);
        break;
      }
    }
  }
  p.personality_tools = !FirstPresent(in, {"/usr/bin/setarch", "/usr/bin/linux32", "/usr/bin/linux64", "/usr/bin/i386",
                                           "/usr/bin/x86_64"})
                             .empty();
  p.compat_32bit = !FirstPresent(in, {"/lib/ld-linux.so.2", "/lib/ld-linux-armhf.so.3", "/lib32", "/usr/lib32",
                                      "/usr/lib/i386-linux-gnu", "/usr/libx32", "/libx32"})
                        .empty();
  p.architecture = in.image.config.architecture.empty() ? "amd64" : in.image.config.architecture;
}

// Text for a comment line: control characters (a newline would end the
// comment and let image-controlled text become code) become spaces.
std::string Comment(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

std::string Yaml(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Pads `code` to a column and appends "# why" (comment-prefix `mark`).
std::string WithWhy(std::string_view code, std::string_view why, size_t column = 48) {
  std::string line(code);
  if (why.empty()) return line + "\n";
  if (line.size() < column) line.append(column - line.size(), ' ');
  return fmt::format("{} # {}\n", line, Comment(why));
}

}  // namespace

std::string ShellQuote(std::string_view s) {
  if (!s.empty() && s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@%+=:,./-_") ==
                        std::string_view::npos)
    return std::string(s);
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

HardenProfile DecideProfile(const HardenInput& in, const HardenLimits& limits) {
  HardenProfile p;
  p.limits = limits;
  if (!in.image.repo_tags.empty()) {
    p.image = in.image.repo_tags.front();
  } else if (!in.image.config_digest.empty()) {
    p.image = in.image.config_digest.str();
  } else {
    p.image = in.target;
  }
  std::string_view t = in.target;
  if (t.starts_with("docker-archive:")) t.remove_prefix(15);
  if (in.image.source_kind == "docker-archive") p.load_hint = "docker load -i " + ShellQuote(t);
  if (in.image.source_kind == "oci-layout")
    p.load_hint = "load the OCI layout into the engine first (skopeo copy oci:DIR docker-daemon:NAME:TAG)";
  p.name = limits.name.empty() ? ImageBaseName(p.image.starts_with("sha256:") ? "app" : p.image) : limits.name;
  p.network = limits.network.empty() ? p.name + "-net" : limits.network;
  DecideUser(in, p);
  DecideWritablePaths(in, p);
  DecidePorts(in, p);
  DecideHealth(in, p);
  DecideSeccompInputs(in, p);
  return p;
}

std::string RenderRun(const HardenProfile& p) {
  std::string s;
  s += "#!/usr/bin/env bash\n";
  s += fmt::format("# Least-privilege run profile for {}, generated by drydock harden.\n", Comment(p.image));
  s += "# Every flag is explained on its line. Run this script as is, or copy the one-line form at the end.\n";
  if (!p.load_hint.empty()) s += fmt::format("# The image must be in the engine first: {}\n", Comment(p.load_hint));
  for (const auto& n : p.notes) s += fmt::format("# Note: {}\n", Comment(n));
  s += "set -euo pipefail\n";
  s += "# A narrower seccomp profile: drydock harden IMAGE --format seccomp -o seccomp.json; SECCOMP=seccomp.json\n";
  s += "SECCOMP=${SECCOMP:-}\n\n";
  s += "# A user-defined network: containers on it reach each other by name and nothing else; never --network host.\n";
  s += fmt::format("docker network inspect {0} >/dev/null 2>&1 || docker network create {0} >/dev/null\n\n",
                   ShellQuote(p.network));
  std::vector<std::pair<std::string, std::string>> args;  // flag(s), why
  args.push_back({"--user " + p.user.value, p.user.why});
  args.push_back({"--read-only", "root filesystem read-only: nothing can modify the image's files at run time"});
  for (const auto& m : p.tmpfs) args.push_back({"--tmpfs " + ShellQuote(m.path + ":" + m.options), m.why});
  for (const auto& v : p.volumes) args.push_back({"--volume " + ShellQuote(v.volume + ":" + v.path), v.why});
  args.push_back({"--cap-drop ALL", "drop every Linux capability; the service needs none of root's powers"});
  for (const auto& c : p.cap_add) args.push_back({"--cap-add " + c.value, c.why});
  args.push_back({"--security-opt no-new-privileges:true",
                  "setuid binaries and file capabilities cannot raise privileges after start"});
  args.push_back({"${SECCOMP:+--security-opt seccomp=\"$SECCOMP\"}",
                  "Docker's default seccomp profile applies unless SECCOMP names a narrower one (never unconfined)"});
  args.push_back({fmt::format("--pids-limit {}", p.limits.pids_limit),
                  "caps processes and threads: a fork bomb cannot exhaust the host"});
  args.push_back({fmt::format("--memory {0} --memory-swap {0}", p.limits.memory),
                  "memory limit, no extra swap: a leak is killed here, not on the host (adjust to measured use)"});
  args.push_back({fmt::format("--cpus {}", p.limits.cpus), "CPU quota: one container cannot starve the others"});
  args.push_back({"--network " + ShellQuote(p.network), "the user-defined network created above"});
  args.push_back({"--restart on-failure:5", "restart a crashed service, but give up after 5 failures (CIS 5.15)"});
  if (p.health_cmd) {
    args.push_back({"--health-cmd " + ShellQuote(p.health_cmd->value), p.health_cmd->why});
    args.push_back(
        {"--health-interval 15s --health-timeout 5s --health-retries 3", "how often and how patiently to probe"});
  }
  if (!p.health_advice.empty()) s += fmt::format("# Health: {}\n", Comment(p.health_advice));
  if (!p.ports.empty()) {
    s += fmt::format(
        "# Reach it from the host only if needed: add --publish 127.0.0.1:{0}:{0} (loopback, not every interface).\n",
        p.ports.front());
  }
  s += "args=(\n";
  for (const auto& [flag, why] : args) s += WithWhy("  " + flag, why, 56);
  s += ")\n";
  s += fmt::format("docker run --detach --name {} \"${{args[@]}}\" {}\n", ShellQuote(p.name), ShellQuote(p.image));
  std::string one = "docker run --detach --name " + ShellQuote(p.name);
  for (const auto& [flag, why] : args) {
    if (flag.starts_with("${SECCOMP")) continue;
    one += " " + flag;
  }
  s += "\n# The same as one line (default seccomp profile):\n# " + Comment(one + " " + ShellQuote(p.image)) + "\n";
  return s;
}

std::string RenderCompose(const HardenProfile& p) {
  std::string s;
  s += fmt::format("# Least-privilege compose service for {}, generated by drydock harden.\n", Comment(p.image));
  if (!p.load_hint.empty()) s += fmt::format("# The image must be in the engine first: {}\n", Comment(p.load_hint));
  for (const auto& n : p.notes) s += fmt::format("# Note: {}\n", Comment(n));
  if (!p.health_advice.empty()) s += fmt::format("# Health: {}\n", Comment(p.health_advice));
  s += "services:\n";
  s += fmt::format("  {}:\n", p.name);
  s += fmt::format("    image: {}\n", Yaml(p.image));
  s += WithWhy(fmt::format("    user: {}", Yaml(p.user.value)), p.user.why);
  s += WithWhy("    read_only: true", "root filesystem read-only");
  if (!p.tmpfs.empty()) {
    s += "    tmpfs:\n";
    for (const auto& m : p.tmpfs) s += WithWhy(fmt::format("      - {}", Yaml(m.path + ":" + m.options)), m.why);
  }
  if (!p.volumes.empty()) {
    s += "    volumes:\n";
    for (const auto& v : p.volumes) s += WithWhy(fmt::format("      - {}", Yaml(v.volume + ":" + v.path)), v.why);
  }
  s += WithWhy("    cap_drop: [ALL]", "drop every Linux capability");
  if (!p.cap_add.empty()) {
    s += "    cap_add:\n";
    for (const auto& c : p.cap_add) s += WithWhy(fmt::format("      - {}", c.value), c.why);
  }
  s += "    security_opt:\n";
  s += WithWhy("      - \"no-new-privileges:true\"", "no privilege gain through setuid binaries or file capabilities");
  s += "      # Docker's default seccomp profile applies; for a narrower one add - \"seccomp:./seccomp.json\"\n";
  s += WithWhy(fmt::format("    pids_limit: {}", p.limits.pids_limit), "caps processes and threads");
  s += WithWhy(fmt::format("    mem_limit: {}", Yaml(p.limits.memory)), "memory limit (adjust to measured use)");
  s += WithWhy(fmt::format("    memswap_limit: {}", Yaml(p.limits.memory)), "no extra swap beyond the limit");
  s += WithWhy(fmt::format("    cpus: {}", Yaml(p.limits.cpus)), "CPU quota");
  s += WithWhy("    restart: on-failure:5", "restart a crashed service, give up after 5 failures");
  s += "    networks:\n";
  s += WithWhy(fmt::format("      - {}", Yaml(p.network)), "a user-defined network, never network_mode: host");
  if (!p.health_exec.empty()) {
    s += "    healthcheck:\n";
    std::vector<std::string> test = {"\"CMD\""};
    for (const auto& w : p.health_exec) test.push_back(Yaml(w));
    s += WithWhy(fmt::format("      test: [{}]", fmt::join(test, ", ")), "the image has no HEALTHCHECK");
    s += "      interval: 15s\n      timeout: 5s\n      retries: 3\n";
  }
  s += "networks:\n";
  s += fmt::format("  {}: {{}}\n", Yaml(p.network));
  if (!p.volumes.empty()) {
    s += "volumes:\n";
    for (const auto& v : p.volumes) s += fmt::format("  {}: {{}}\n", Yaml(v.volume));
  }
  return s;
}

std::string RenderKubernetes(const HardenProfile& p) {
  std::string s;
  s += fmt::format("# Least-privilege Pod for {}, generated by drydock harden.\n", Comment(p.image));
  s += "# The securityContext and resources blocks carry over to a Deployment's pod template unchanged.\n";
  for (const auto& n : p.notes) s += fmt::format("# Note: {}\n", Comment(n));
  if (!p.health_advice.empty()) s += fmt::format("# Health: {}\n", Comment(p.health_advice));
  s += "apiVersion: v1\nkind: Pod\nmetadata:\n";
  s += fmt::format("  name: {}\n", Yaml(p.name));
  s += "spec:\n";
  s += WithWhy("  automountServiceAccountToken: false", "no API credentials in the pod unless it needs them");
  s += "  securityContext:\n";
  s += WithWhy("    runAsNonRoot: true", "the kubelet refuses to start the container as root");
  s += WithWhy(fmt::format("    runAsUser: {}", p.uid), p.user.why);
  s += WithWhy(fmt::format("    runAsGroup: {}", p.gid), "the user's primary group");
  s += WithWhy(fmt::format("    fsGroup: {}", p.gid), "volumes are made writable for that group");
  s += "    seccompProfile:\n";
  s += WithWhy("      type: RuntimeDefault", "the runtime's default seccomp profile, never Unconfined");
  bool low_port = !p.cap_add.empty();
  if (low_port) {
    s += "    sysctls:\n";
    s += WithWhy("      - name: net.ipv4.ip_unprivileged_port_start",
                 "a safe, namespaced sysctl: lets the non-root process bind its port below 1024");
    s += fmt::format("        value: \"{}\"\n", p.ports.front());
  }
  s += "  containers:\n";
  s += fmt::format("    - name: {}\n", Yaml(p.name));
  s += fmt::format("      image: {}\n", Yaml(p.image));
  if (!p.ports.empty()) {
    s += "      ports:\n";
    for (int port : p.ports) s += fmt::format("        - containerPort: {}\n", port);
  }
  s += "      securityContext:\n";
  s += WithWhy("        allowPrivilegeEscalation: false", "no-new-privileges: setuid binaries cannot raise privileges");
  s += WithWhy("        readOnlyRootFilesystem: true", "root filesystem read-only; writable paths are emptyDirs");
  s += WithWhy("        privileged: false", "");
  s += "        capabilities:\n";
  s += WithWhy("          drop: [\"ALL\"]", "drop every Linux capability");
  if (!p.cap_add.empty()) {
    std::vector<std::string> caps;
    for (const auto& c : p.cap_add) caps.push_back(Yaml(c.value));
    s += WithWhy(fmt::format("          add: [{}]", fmt::join(caps, ", ")), p.cap_add.front().why);
  }
  s += "      resources:\n";
  std::string mem = p.limits.memory;
  if (!mem.empty() && (mem.back() == 'm' || mem.back() == 'g' || mem.back() == 'k'))
    mem = mem.substr(0, mem.size() - 1) + (mem.back() == 'm' ? "Mi" : mem.back() == 'g' ? "Gi" : "Ki");
  s += WithWhy("        limits:", "the pod's memory and CPU ceiling");
  s += fmt::format("          memory: {}\n          cpu: {}\n", Yaml(mem), Yaml(p.limits.cpus));
  s += WithWhy("        requests:", "what the scheduler reserves");
  s += fmt::format("          memory: {}\n          cpu: \"100m\"\n", Yaml(mem));
  if (!p.health_exec.empty()) {
    std::vector<std::string> cmd;
    for (const auto& w : p.health_exec) cmd.push_back(Yaml(w));
    s += WithWhy("      livenessProbe:", "the image has no HEALTHCHECK: probe its port");
    s += fmt::format("        exec:\n          command: [{}]\n        periodSeconds: 30\n        timeoutSeconds: 5\n",
                     fmt::join(cmd, ", "));
  }
  if (!p.tmpfs.empty() || !p.volumes.empty()) {
    s += "      volumeMounts:\n";
    size_t i = 0;
    for (const auto& m : p.tmpfs)
      s += fmt::format("        - name: tmpfs-{}\n          mountPath: {}\n", i++, Yaml(m.path));
    for (const auto& v : p.volumes)
      s += fmt::format("        - name: {}\n          mountPath: {}\n", Yaml(v.volume), Yaml(v.path));
    s += "  volumes:\n";
    i = 0;
    for (const auto& m : p.tmpfs) {
      s += WithWhy(fmt::format("    - name: tmpfs-{}", i++), m.why);
      s += "      emptyDir:\n        medium: Memory\n        sizeLimit: 64Mi\n";
    }
    for (const auto& v : p.volumes) {
      s += WithWhy(fmt::format("    - name: {}", Yaml(v.volume)), v.why);
      s += "      emptyDir: {}  # replace with a PersistentVolumeClaim for data that must survive the pod\n";
    }
  }
  return s;
}

}  // namespace drydock
