// Checks on what the final filesystem holds, from entry names and modes
// (no file contents): CIS 4.8 setuid/setgid files, sudo, credential and
// stray development files left behind, world-writable entries, package
// manager caches, sshd, and — for distroless goals — a shell, a package
// manager and compilers in the final image.
#include <algorithm>
#include <map>

#include "check/image/check.h"
#include "check/image/groups.h"

namespace drydock {

namespace {

// Findings listing files stop here; one more finding counts the rest.
constexpr size_t kMaxListed = 50;

std::string_view Basename(std::string_view p) { return p.substr(p.rfind('/') + 1); }
std::string_view Dirname(std::string_view p) {
  size_t s = p.rfind('/');
  return s == 0 ? "/" : p.substr(0, s);
}

bool IsVirtual(std::string_view p) {
  return p.starts_with("/proc/") || p.starts_with("/sys/") || p.starts_with("/dev/") || p == "/proc" || p == "/sys" ||
         p == "/dev";
}

void Overflow(const CheckRule& rule, size_t total, std::string_view what, std::vector<Finding>& out) {
  if (total <= kMaxListed) return;
  Finding f = MakeFinding(rule);
  f.evidence = fmt::format("{} more {} not listed ({} in all)", total - kMaxListed, what, total);
  out.push_back(std::move(f));
}

void CheckSetuid(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  size_t n = 0;
  in.fs.ForEach([&](const std::string& path, const FileSystemView::Node& node) {
    if (!node.file || !node.file->is_regular() || (node.file->mode & 06000) == 0) return;
    if (++n > kMaxListed) return;
    Finding f = FindingAtPath(rule, in, path, node.layer);
    const bool suid = node.file->mode & 04000, sgid = node.file->mode & 02000;
    f.evidence = fmt::format("mode {:04o} ({}), owner {}:{}", node.file->mode & 07777,
                             suid && sgid ? "setuid and setgid"
                             : suid       ? "setuid"
                                          : "setgid",
                             node.file->uid, node.file->gid);
    out.push_back(std::move(f));
  });
  Overflow(rule, n, "setuid/setgid files", out);
}

// The first of `paths` present (and resolvable) in the view: its path and node.
std::optional<std::pair<std::string, FileSystemView::Node>> FirstPresent(
    const ImageCheckInput& in, std::initializer_list<std::string_view> paths) {
  for (auto p : paths) {
    const auto* node = in.fs.Lookup(p);
    if (node && in.fs.Resolve(p)) return std::make_pair(std::string(p), *node);
  }
  return std::nullopt;
}

void CheckSudo(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  if (auto hit = FirstPresent(in, {"/usr/bin/sudo", "/bin/sudo", "/usr/sbin/sudo", "/usr/bin/doas"})) {
    Finding f = FindingAtPath(rule, in, hit->first, hit->second.layer);
    f.evidence = fmt::format("{} is installed", hit->first);
    out.push_back(std::move(f));
  }
  const auto& history = in.image.config.history;
  for (size_t i = 0; i < history.size(); ++i) {
    HistoryStep step = ParseHistoryStep(history[i].created_by);
    if (step.instruction != "RUN") continue;
    for (const auto& c : ShellCommands(step.args)) {
      if (c.empty() || c[0] != "sudo") continue;
      Finding f = FindingAtHistory(rule, in, i);
      f.evidence = "sudo is used in a RUN instruction";
      out.push_back(std::move(f));
      break;
    }
  }
}

// Credential files by name. `parent` (when set) is the directory name the
// file must be in.
struct NamedFile {
  std::string_view name;
  std::string_view parent;
  std::string_view what;
};
constexpr NamedFile kCredentialFiles[] = {
    {"id_rsa", "", "SSH private key"},
    {"id_dsa", "", "SSH private key"},
    {"id_ecdsa", "", "SSH private key"},
    {"id_ed25519", "", "SSH private key"},
    {"credentials", ".aws", "AWS credentials"},
    {"config.json", ".docker", "Docker registry credentials"},
    {".git-credentials", "", "git credentials"},
    {".netrc", "", "netrc credentials"},
    {".pgpass", "", "PostgreSQL password file"},
    {".pypirc", "", "PyPI credentials"},
    {".npmrc", "", "npm configuration (often an auth token)"},
    {".htpasswd", "", "htpasswd password hashes"},
    {"credentials.json", "", "service account credentials"},
    {".env", "", "dotenv file"},
    {".env.local", "", "dotenv file"},
    {".env.production", "", "dotenv file"},
    {".env.prod", "", "dotenv file"},
};

void CheckCredentialFiles(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  size_t n = 0;
  in.fs.ForEach([&](const std::string& path, const FileSystemView::Node& node) {
    if (!node.file || !node.file->is_regular()) return;
    std::string_view base = Basename(path);
    for (const auto& c : kCredentialFiles) {
      if (base != c.name || (!c.parent.empty() && Basename(Dirname(path)) != c.parent)) continue;
      if (++n > kMaxListed) return;
      Finding f = FindingAtPath(rule, in, path, node.layer);
      f.evidence = fmt::format("{} left in the image ({} bytes)", c.what, node.file->size);
      out.push_back(std::move(f));
      return;
    }
  });
  Overflow(rule, n, "credential files", out);
}

void CheckStrayFiles(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  size_t n = 0;
  in.fs.ForEach([&](const std::string& path, const FileSystemView::Node& node) {
    if (!node.file) return;
    std::string_view base = Basename(path);
    bool dir = node.file->type == EntryType::kDir;
    std::string_view what;
    if (dir && (base == ".git" || base == ".svn" || base == ".hg")) {
      what = "version control metadata (history, remotes, maybe credentials)";
    } else if (dir && (base == ".vscode" || base == ".idea")) {
      what = "editor settings";
    } else if (!dir && base == ".DS_Store") {
      what = "macOS Finder metadata";
    } else {
      return;
    }
    // Only the top of a tree: .git/ once, not every file below it.
    if (++n > kMaxListed) return;
    Finding f = FindingAtPath(rule, in, path, node.layer);
    f.evidence = fmt::format("{} {} left in the image", path, what);
    out.push_back(std::move(f));
  });
  Overflow(rule, n, "stray development files", out);
}

void CheckWorldWritable(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  size_t n = 0;
  in.fs.ForEach([&](const std::string& path, const FileSystemView::Node& node) {
    if (!node.file || IsVirtual(path)) return;
    const FileNode& e = *node.file;
    if (e.type != EntryType::kFile && e.type != EntryType::kDir) return;
    if ((e.mode & 0002) == 0 || (e.type == EntryType::kDir && (e.mode & 01000))) return;
    if (++n > kMaxListed) return;
    Finding f = FindingAtPath(rule, in, path, node.layer);
    f.evidence = fmt::format("{} with mode {:04o}: world-writable{}", e.type == EntryType::kDir ? "directory" : "file",
                             e.mode & 07777, e.type == EntryType::kDir ? " without the sticky bit" : "");
    out.push_back(std::move(f));
  });
  Overflow(rule, n, "world-writable entries", out);
}

// Package manager caches: a directory prefix and which distros use it.
struct Cache {
  std::string_view prefix;  // files below it count
  std::string_view what;
  enum { kAny, kApt, kApk, kRpm } family;
};
constexpr Cache kCaches[] = {
    {"/var/lib/apt/lists/", "apt package lists", Cache::kApt},
    {"/var/cache/apt/", "apt package cache", Cache::kApt},
    {"/var/cache/apk/", "apk package cache", Cache::kApk},
    {"/var/cache/yum/", "yum cache", Cache::kRpm},
    {"/var/cache/dnf/", "dnf cache", Cache::kRpm},
    {"/.cache/pip/", "pip cache", Cache::kAny},
    {"/.npm/_cacache/", "npm cache", Cache::kAny},
    {"/.cache/yarn/", "yarn cache", Cache::kAny},
    {"/usr/local/share/.cache/yarn/", "yarn cache", Cache::kAny},
    {"/.cache/go-build/", "Go build cache", Cache::kAny},
};

bool CacheApplies(const Cache& c, const std::optional<OsRelease>& os) {
  switch (c.family) {
    case Cache::kApt:
      return !IsApkDistro(os);  // an apt cache check never fires on Alpine/Wolfi
    case Cache::kApk:
      return !IsAptDistro(os);
    case Cache::kRpm:
      return !IsAptDistro(os) && !IsApkDistro(os);
    case Cache::kAny:
      return true;
  }
  return true;
}

// Where `path` is inside cache `c`: the cache directory, or "" when not.
std::string CacheDir(const Cache& c, std::string_view path) {
  if (c.prefix.starts_with("/var/") || c.prefix.starts_with("/usr/")) {
    return path.starts_with(c.prefix) ? std::string(c.prefix.substr(0, c.prefix.size() - 1)) : "";
  }
  size_t at = path.find(c.prefix);  // in any home directory
  return at == std::string_view::npos ? "" : std::string(path.substr(0, at + c.prefix.size() - 1));
}

void CheckCaches(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  struct Seen {
    std::string_view what;
    size_t files = 0;
    int64_t bytes = 0;
    int layer = -1;  // the latest layer that added to it
  };
  std::map<std::string, Seen> found;
  in.fs.ForEach([&](const std::string& path, const FileSystemView::Node& node) {
    if (!node.file || !node.file->is_regular()) return;
    std::string_view base = Basename(path);
    if (base == "lock" || path.find("/partial/") != std::string::npos) return;  // apt's empty skeleton
    for (const auto& c : kCaches) {
      if (!CacheApplies(c, in.os)) continue;
      std::string dir = CacheDir(c, path);
      if (dir.empty()) continue;
      // /var/cache/apt holds only pkgcache.bin/srcpkgcache.bin and archives
      // after a clean; count those as leftovers too.
      Seen& s = found[dir];
      s.what = c.what;
      ++s.files;
      s.bytes += node.file->size;
      s.layer = std::max(s.layer, node.layer);
      break;
    }
  });
  for (const auto& [dir, s] : found) {
    Finding f = FindingAtPath(rule, in, dir, s.layer);
    f.evidence = fmt::format("{} left in {}: {} files, {} bytes", s.what, dir, s.files, s.bytes);
    out.push_back(std::move(f));
  }
}

void CheckSsh(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  for (const auto& p : in.image.config.exposed_ports) {
    if (p != "22/tcp" && p != "22") continue;
    Finding f = MakeFinding(rule);
    f.location.config_field = "config.ExposedPorts";
    for (size_t i = 0; i < in.image.config.history.size(); ++i) {
      HistoryStep step = ParseHistoryStep(in.image.config.history[i].created_by);
      if (step.instruction == "EXPOSE" && (" " + step.args + " ").find(" 22") != std::string::npos)
        f = FindingAtHistory(rule, in, i), f.location.config_field = "config.ExposedPorts";
    }
    f.evidence = "EXPOSE 22: the image offers SSH";
    out.push_back(std::move(f));
  }
  if (auto hit = FirstPresent(
          in, {"/usr/sbin/sshd", "/usr/bin/sshd", "/sbin/sshd", "/usr/sbin/dropbear", "/usr/bin/dropbear"})) {
    Finding f = FindingAtPath(rule, in, hit->first, hit->second.layer);
    f.evidence = fmt::format("SSH server {} is installed", hit->first);
    out.push_back(std::move(f));
  }
}

// Binaries that matter for distroless goals, by name, in the usual bin dirs.
bool InBinDir(std::string_view path) {
  std::string_view dir = Dirname(path);
  return dir == "/bin" || dir == "/sbin" || dir == "/usr/bin" || dir == "/usr/sbin" || dir == "/usr/local/bin" ||
         dir == "/usr/local/sbin" || dir == "/usr/local/go/bin" || dir == "/usr/lib/go/bin" ||
         (dir.starts_with("/usr/lib/jvm/") && dir.ends_with("/bin")) || dir == "/root/.cargo/bin";
}

// Reports each of the present binaries `names` (one finding per path).
void ReportBinaries(const ImageCheckInput& in, const CheckRule& rule, std::span<const std::string_view> names,
                    std::string_view what, bool versioned, std::vector<Finding>& out) {
  in.fs.ForEach([&](const std::string& path, const FileSystemView::Node& node) {
    if (!node.file ||
        (!node.file->is_regular() && node.file->type != EntryType::kSymlink && node.file->type != EntryType::kHardlink))
      return;
    if (!InBinDir(path)) return;
    std::string_view base = Basename(path);
    bool hit = false;
    for (auto n : names) {
      // gcc-12, clang-16: the versioned names distributions install.
      hit |= base == n || (versioned && base.starts_with(n) && base.size() > n.size() + 1 && base[n.size()] == '-' &&
                           base[n.size() + 1] >= '0' && base[n.size() + 1] <= '9');
    }
    if (!hit || !in.fs.Resolve(path)) return;
    Finding f = FindingAtPath(rule, in, path, node.layer);
    f.evidence = fmt::format("{} {} is in the final image", what, path);
    out.push_back(std::move(f));
  });
}

constexpr std::string_view kShells[] = {"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish"};
constexpr std::string_view kPackageManagers[] = {"apt", "apt-get",  "dpkg", "apk",    "yum",
                                                 "dnf", "microdnf", "rpm",  "zypper", "pacman"};
constexpr std::string_view kBuildTools[] = {"gcc",   "g++",   "cc", "c++",   "clang", "clang++", "tcc",     "make",
                                            "cmake", "ninja", "go", "rustc", "cargo", "javac",   "gfortran"};

void CheckShell(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  ReportBinaries(in, rule, kShells, "shell", false, out);
}
void CheckPackageManager(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  ReportBinaries(in, rule, kPackageManagers, "package manager", false, out);
}
void CheckBuildTools(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  ReportBinaries(in, rule, kBuildTools, "compiler/build tool", true, out);
}

}  // namespace

void FileChecks(std::vector<CheckRule>& rules) {
  rules.push_back(CheckRule{
      .id = "DD-CIS-4.8",
      .cis = "4.8",
      .severity = Severity::kLow,
      .title = "setuid/setgid file",
      .rationale = "setuid and setgid binaries run with their owner's privileges: each is a privilege escalation "
                   "path for a process that gets code execution in the container.",
      .remediation = "Remove the bits in the Dockerfile where they are not needed: RUN find / -xdev -perm /6000 "
                     "-type f -exec chmod a-s {} + (and run with --security-opt no-new-privileges).",
      .references = {"CIS Docker Benchmark v1.6.0 4.8", "Dockle CIS-DI-0008"},
      .run = &CheckSetuid,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-001",
      .cis = "",
      .severity = Severity::kMedium,
      .title = "sudo in the image",
      .rationale = "sudo in a container is a ready-made privilege escalation (and a sign that the image expects "
                   "to change users at run time instead of being built to run as one).",
      .remediation = "Do not install sudo; do root work in RUN steps before USER, and drop to the user with USER. "
                     "For a runtime switch use gosu/su-exec from an entrypoint that then execs the service.",
      .references = {"Dockle DKL-DI-0001", "Hadolint DL3004"},
      .run = &CheckSudo,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-005",
      .cis = "",
      .severity = Severity::kHigh,
      .title = "Credential file left in the image",
      .rationale = "Files in any layer ship with the image, even if a later layer deletes them: keys, tokens and "
                   "password files become readable by everyone who can pull it.",
      .remediation = "Keep them out of the build context (.dockerignore) and pass secrets with "
                     "RUN --mount=type=secret at build time or as runtime secrets; rotate what leaked.",
      .references = {"Dockle CIS-DI-0010", "https://docs.docker.com/build/building/secrets/"},
      .run = &CheckCredentialFiles,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-006",
      .cis = "",
      .severity = Severity::kLow,
      .title = "Development files left in the image",
      .rationale = ".git, .svn, editor settings and Finder metadata add size and leak source history, remotes and "
                   "sometimes credentials.",
      .remediation = "Add them to .dockerignore (.git, .vscode, .idea, **/.DS_Store) and copy only what the image "
                     "needs.",
      .references = {"Dockle DKL-LI-0003"},
      .run = &CheckStrayFiles,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-007",
      .cis = "",
      .severity = Severity::kMedium,
      .title = "World-writable file or directory without sticky bit",
      .rationale = "Any user in the container can replace a world-writable file or rename entries of a "
                   "world-writable directory that has no sticky bit: a path to tamper with programs or configs.",
      .remediation = "chmod o-w the path in the Dockerfile (or chmod 1777 for a shared scratch directory like /tmp); "
                     "set ownership with COPY --chown instead of chmod 777.",
      .references = {"CIS Docker Benchmark v1.6.0 4 (image hygiene)"},
      .run = &CheckWorldWritable,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-008",
      .cis = "",
      .severity = Severity::kLow,
      .title = "Package manager cache left in the image",
      .rationale = "Package lists and downloaded packages add size to every pull and record what was available at "
                   "build time; they serve no purpose at run time.",
      .remediation = "Clean in the same RUN that installs: apt-get install … && rm -rf /var/lib/apt/lists/*; "
                     "apk add --no-cache; pip install --no-cache-dir; npm ci && npm cache clean --force; or use "
                     "RUN --mount=type=cache.",
      .references = {"Dockle DKL-DI-0005", "Dockle DKL-DI-0004", "Hadolint DL3009", "Hadolint DL3019"},
      .run = &CheckCaches,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-013",
      .cis = "",
      .severity = Severity::kMedium,
      .title = "SSH in the image",
      .rationale = "An SSH server in a container is a second way in with its own credentials to manage; use "
                   "docker exec for access.",
      .remediation = "Remove the SSH server and EXPOSE 22; use docker exec / kubectl exec for debugging.",
      .references = {"CIS Docker Benchmark v1.6.0 5.7 (sshd in containers)"},
      .run = &CheckSsh,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-014",
      .cis = "",
      .severity = Severity::kLow,
      .title = "Shell in the final image (informational)",
      .rationale = "A shell lets an attacker who gets code execution run arbitrary commands; distroless images "
                   "ship none.",
      .remediation = "Build in one stage and copy only the application into a distroless or scratch final stage "
                     "(FROM gcr.io/distroless/static, FROM scratch).",
      .references = {"https://docs.docker.com/build/building/multi-stage/"},
      .run = &CheckShell,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-015",
      .cis = "",
      .severity = Severity::kLow,
      .title = "Package manager in the final image (informational)",
      .rationale = "A package manager lets an attacker install tools; the final image needs none once its "
                   "packages are installed.",
      .remediation = "Install in a build stage and copy the result into a distroless or scratch final stage.",
      .references = {"CIS Docker Benchmark v1.6.0 4.3", "https://docs.docker.com/build/building/multi-stage/"},
      .run = &CheckPackageManager,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-016",
      .cis = "",
      .severity = Severity::kMedium,
      .title = "Compiler or build tool in the final image",
      .rationale = "Compilers and build tools are needed to build, not to run: they add size and vulnerabilities "
                   "and let an attacker build exploits inside the container.",
      .remediation = "Use a multi-stage build: compile in a builder stage and COPY --from=builder only the "
                     "artifacts into the final stage.",
      .references = {"CIS Docker Benchmark v1.6.0 4.3", "Dockle CIS-DI-0003",
                     "https://docs.docker.com/build/building/multi-stage/"},
      .run = &CheckBuildTools,
  });
}

}  // namespace drydock
