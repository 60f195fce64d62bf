// Dockerfile rules about RUN commands: package managers (pinning,
// non-interactive flags, caches cleaned in the same layer) and shell habits
// (Hadolint DL3001-DL3060 and DL4001-DL4006 classes).
#include <map>
#include <regex>
#include <set>

#include "check/lint_groups.h"

namespace drydock {

namespace {

using lint::At;
using lint::HasFlag;
using lint::Operands;
using lint::Subcommand;
using Argv = std::vector<std::string>;

// Calls fn for every command of program `prog` whose subcommand is one of `subs`.
template <typename Fn>
void ForEachSub(const DockerfileCheckInput& in, std::initializer_list<std::string_view> progs,
                std::initializer_list<std::string_view> subs, Fn fn) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    const std::string p = ProgramName(argv);
    for (std::string_view want : progs) {
      if (p != want) continue;
      size_t sub = Subcommand(argv, subs);
      if (sub) fn(ins, argv, sub);
    }
  });
}

bool IsPathOrFile(std::string_view s) {
  return s.starts_with("/") || s.starts_with("./") || s.starts_with("../") || s.ends_with(".deb") ||
         s.ends_with(".rpm") || s.ends_with(".apk") || s.ends_with(".whl") || s.ends_with(".tar.gz") ||
         s.ends_with(".tgz") || s.ends_with(".zip") || s.find("://") != std::string_view::npos || s == ".";
}

// ---- apt ----

void AptPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachSub(in, {"apt-get", "apt"}, {"install"}, [&](const Instruction& ins, const Argv& argv, size_t sub) {
    for (const std::string& p : Operands(argv, sub, {"-o", "-t", "--target-release"})) {
      if (p.find('=') == std::string::npos && !IsPathOrFile(p) && p.find('$') == std::string::npos) {
        out.push_back(At(rule, in.df, ins, fmt::format("apt-get install {} (no =version)", p)));
        return;
      }
    }
  });
}

// apt lists kept: an `apt-get update` in a RUN that never removes
// /var/lib/apt/lists (and does not use a cache mount for them).
void AptListsCleaned(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN") continue;
    if (auto m = ins.Flag("mount"); m && m->find("/var/lib/apt") != std::string::npos) continue;
    bool installs = false, cleans = false;
    for (const Argv& a : in.argvs[i]) {
      const std::string p = ProgramName(a);
      if ((p == "apt-get" || p == "apt") && Subcommand(a, {"install"})) installs = true;
      if (p == "rm") {
        for (const auto& w : a) {
          if (w.find("/var/lib/apt/lists") != std::string::npos) cleans = true;
        }
      }
    }
    if (installs && !cleans) out.push_back(At(rule, in.df, ins));
  }
}

void AptYes(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachSub(in, {"apt-get"}, {"install", "upgrade", "dist-upgrade", "remove", "purge", "autoremove"},
             [&](const Instruction& ins, const Argv& argv, size_t) {
               if (!HasFlag(argv, {"--yes", "--assume-yes", "-y"}, 'y') && !HasFlag(argv, {"-qq"}))
                 out.push_back(At(rule, in.df, ins));
             });
}

void AptNoRecommends(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachSub(in, {"apt-get", "apt"}, {"install"}, [&](const Instruction& ins, const Argv& argv, size_t sub) {
    if (Operands(argv, sub, {"-o"}).empty()) return;
    bool ok = HasFlag(argv, {"--no-install-recommends"});
    for (const auto& w : argv) {
      if (w.find("APT::Install-Recommends=false") != std::string::npos ||
          w.find("APT::Install-Recommends=0") != std::string::npos)
        ok = true;
    }
    if (!ok) out.push_back(At(rule, in.df, ins));
  });
}

void AptNotApt(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    if (ProgramName(argv) == "apt") out.push_back(At(rule, in.df, ins));
  });
}

// ---- apk ----

void ApkPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachSub(in, {"apk"}, {"add"}, [&](const Instruction& ins, const Argv& argv, size_t sub) {
    for (const std::string& p : Operands(argv, sub, {"-t", "--virtual", "-X", "--repository", "-p", "--root"})) {
      if (p.find_first_of("=<>~") == std::string::npos && !IsPathOrFile(p) && p.find('$') == std::string::npos) {
        out.push_back(At(rule, in.df, ins, fmt::format("apk add {} (no =version)", p)));
        return;
      }
    }
  });
}

void ApkNoCache(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN") continue;
    if (auto m = ins.Flag("mount"); m && m->find("/var/cache/apk") != std::string::npos) continue;
    bool adds_without = false, cleans = false;
    for (const Argv& a : in.argvs[i]) {
      if (ProgramName(a) != "apk") continue;
      if (Subcommand(a, {"add"}) && !HasFlag(a, {"--no-cache"})) adds_without = true;
      if (Subcommand(a, {"cache"})) cleans = true;
    }
    for (const Argv& a : in.argvs[i]) {
      if (ProgramName(a) == "rm") {
        for (const auto& w : a) {
          if (w.find("/var/cache/apk") != std::string::npos) cleans = true;
        }
      }
    }
    if (adds_without && !cleans) out.push_back(At(rule, in.df, ins));
  }
}

// ---- pip ----

bool IsPip(const Argv& argv, size_t& sub) {
  const std::string p = ProgramName(argv);
  if (p == "pip" || p == "pip3" || (p.starts_with("pip3.") && p.size() > 5)) {
    sub = Subcommand(argv, {"install"});
    return sub != 0;
  }
  if (p.starts_with("python") && argv.size() > 3 && argv[1] == "-m" && argv[2] == "pip") {
    for (size_t i = 3; i < argv.size(); ++i) {
      if (argv[i] == "install") {
        sub = i;
        return true;
      }
      if (!argv[i].starts_with("-")) return false;
    }
  }
  return false;
}

void PipPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    size_t sub = 0;
    if (!IsPip(argv, sub)) return;
    if (HasFlag(argv, {"-r", "--requirement", "-c", "--constraint", "-e", "--editable"})) return;
    for (const std::string& p : Operands(argv, sub,
                                         {"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--target",
                                          "-t", "--prefix", "--root", "--trusted-host"})) {
      if (p.find_first_of("=<>~@") == std::string::npos && !IsPathOrFile(p) && p.find('$') == std::string::npos) {
        out.push_back(At(rule, in.df, ins, fmt::format("pip install {} (no ==version)", p)));
        return;
      }
    }
  });
}

void PipNoCache(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  std::set<int> env_off;  // stages with PIP_NO_CACHE_DIR set
  for (const Instruction& ins : in.df.instructions) {
    if (ins.keyword == "ENV" || ins.keyword == "ARG") {
      for (const auto& kv : ParseKeyValues(ins, in.df.escape)) {
        if (kv.key == "PIP_NO_CACHE_DIR" && kv.value != "0" && lint::Lower(kv.value) != "false")
          env_off.insert(ins.stage);
      }
    }
  }
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    size_t sub = 0;
    if (!IsPip(argv, sub) || env_off.contains(ins.stage)) return;
    if (auto m = ins.Flag("mount"); m && m->find("type=cache") != std::string::npos) return;
    if (!HasFlag(argv, {"--no-cache-dir"})) out.push_back(At(rule, in.df, ins));
  });
}

// ---- npm / gem / yarn ----

void NpmPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachSub(in, {"npm"}, {"install", "i", "add"}, [&](const Instruction& ins, const Argv& argv, size_t sub) {
    for (const std::string& p : Operands(argv, sub, {"--prefix", "--registry"})) {
      const size_t at = p.find('@', p.starts_with("@") ? 1 : 0);
      if (at == std::string::npos && !IsPathOrFile(p) && p.find(".git") == std::string::npos &&
          p.find('$') == std::string::npos) {
        out.push_back(At(rule, in.df, ins, fmt::format("npm install {} (no @version)", p)));
        return;
      }
    }
  });
}

void GemPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachSub(in, {"gem"}, {"install"}, [&](const Instruction& ins, const Argv& argv, size_t sub) {
    if (HasFlag(argv, {"-v", "--version"})) return;
    for (const std::string& p : Operands(argv, sub, {"-i", "--install-dir", "--source", "-n", "--bindir"})) {
      if (p.find(':') == std::string::npos && !IsPathOrFile(p) && !p.ends_with(".gem")) {
        out.push_back(At(rule, in.df, ins, fmt::format("gem install {} (no -v version)", p)));
        return;
      }
    }
  });
}

void YarnCacheClean(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN") continue;
    if (auto m = ins.Flag("mount"); m && m->find("type=cache") != std::string::npos) continue;
    bool installs = false, cleans = false;
    for (const Argv& a : in.argvs[i]) {
      if (ProgramName(a) != "yarn") continue;
      if (a.size() == 1 || Subcommand(a, {"install", "add"})) installs = true;
      if (Subcommand(a, {"cache"}) && lint::HasWord(a, "clean")) cleans = true;
    }
    if (installs && !cleans) out.push_back(At(rule, in.df, ins));
  }
}

// ---- yum / dnf / zypper ----

void RpmYes(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out,
            std::initializer_list<std::string_view> progs) {
  ForEachSub(in, progs, {"install", "update", "upgrade", "remove", "groupinstall", "reinstall"},
             [&](const Instruction& ins, const Argv& argv, size_t) {
               if (!HasFlag(argv, {"--assumeyes", "-y"}, 'y')) out.push_back(At(rule, in.df, ins));
             });
}
void YumYes(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  RpmYes(in, rule, out, {"yum"});
}
void DnfYes(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  RpmYes(in, rule, out, {"dnf", "microdnf"});
}

void RpmClean(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out,
              std::initializer_list<std::string_view> progs, std::string_view cache_dir) {
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN") continue;
    bool installs = false, cleans = false;
    for (const Argv& a : in.argvs[i]) {
      const std::string p = ProgramName(a);
      for (std::string_view want : progs) {
        if (p != want) continue;
        if (Subcommand(a, {"install", "in", "groupinstall"})) installs = true;
        if (Subcommand(a, {"clean", "cc"})) cleans = true;
      }
      if (p == "rm") {
        for (const auto& w : a) {
          if (w.find(cache_dir) != std::string::npos) cleans = true;
        }
      }
    }
    if (installs && !cleans) out.push_back(At(rule, in.df, ins));
  }
}
void YumClean(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  RpmClean(in, rule, out, {"yum"}, "/var/cache/yum");
}
void DnfClean(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  RpmClean(in, rule, out, {"dnf", "microdnf"}, "/var/cache/dnf");
}
void ZypperClean(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  RpmClean(in, rule, out, {"zypper"}, "/var/cache/zypp");
}

// rpm-style versions are written name-1.2.3 (yum/dnf) or name=1.2 / name>=1 (zypper).
void RpmPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out,
            std::initializer_list<std::string_view> progs, bool zypper) {
  static const std::regex kVersioned("-[0-9][0-9A-Za-z.:_+~-]*$");
  ForEachSub(in, progs, {"install", "in"}, [&](const Instruction& ins, const Argv& argv, size_t sub) {
    for (const std::string& p : Operands(argv, sub, {"--setopt", "--enablerepo", "--disablerepo", "-r", "--repo"})) {
      const bool pinned = zypper ? p.find_first_of("=<>") != std::string::npos : std::regex_search(p, kVersioned);
      if (!pinned && !IsPathOrFile(p) && p.find('$') == std::string::npos && !p.starts_with("@")) {
        out.push_back(At(rule, in.df, ins, fmt::format("{} install {} (no version)", ProgramName(argv), p)));
        return;
      }
    }
  });
}
void YumPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  RpmPin(in, rule, out, {"yum"}, false);
}
void DnfPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  RpmPin(in, rule, out, {"dnf", "microdnf"}, false);
}
void ZypperPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  RpmPin(in, rule, out, {"zypper"}, true);
}
void ZypperYes(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachSub(in, {"zypper"}, {"install", "in", "update", "up", "remove", "rm", "patch"},
             [&](const Instruction& ins, const Argv& argv, size_t) {
               if (!HasFlag(argv, {"--non-interactive", "-n", "-y", "--no-confirm"}))
                 out.push_back(At(rule, in.df, ins));
             });
}

// ---- update / upgrade ----

void UpdateAlone(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN") continue;
    bool update = false, install = false;
    for (const Argv& a : in.argvs[i]) {
      const std::string p = ProgramName(a);
      if ((p == "apt-get" || p == "apt") && Subcommand(a, {"update"})) update = true;
      if ((p == "apt-get" || p == "apt") && Subcommand(a, {"install", "upgrade", "dist-upgrade", "full-upgrade"}))
        install = true;
      if (p == "apk" && Subcommand(a, {"update"})) update = true;
      if (p == "apk" && Subcommand(a, {"add", "upgrade"})) install = true;
    }
    if (update && !install) out.push_back(At(rule, in.df, ins, "package index updated in a RUN that installs nothing"));
  }
}

void Upgrade(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    const std::string p = ProgramName(argv);
    if (((p == "apt-get" || p == "apt") && Subcommand(argv, {"upgrade", "dist-upgrade", "full-upgrade"})) ||
        (p == "apk" && Subcommand(argv, {"upgrade"})) ||
        ((p == "yum" || p == "dnf") && Subcommand(argv, {"upgrade", "update"}) &&
         Operands(argv, Subcommand(argv, {"upgrade", "update"})).empty())) {
      out.push_back(
          At(rule, in.df, ins,
             fmt::format("{} {}", p, argv[Subcommand(argv, {"upgrade", "dist-upgrade", "full-upgrade", "update"})])));
    }
  });
}

// ---- shell habits ----

void CdInRun(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand& c, const Argv& argv) {
    // cd inside a subshell "(cd x && make)" does not leak; that is fine.
    if (ProgramName(argv) == "cd" && c.depth == 0) out.push_back(At(rule, in.df, ins));
  });
}

void Sudo(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand& c, const Argv&) {
    if (!c.argv.empty() && ProgramName(c.argv) == "sudo") out.push_back(At(rule, in.df, ins));
  });
}

void PointlessCommand(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  static const std::set<std::string, std::less<>> k = {"ssh",  "vim",       "shutdown", "service", "ps",
                                                       "free", "top",       "kill",     "mount",   "ifconfig",
                                                       "nano", "systemctl", "reboot",   "halt"};
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    const std::string p = ProgramName(argv);
    if (k.contains(p)) out.push_back(At(rule, in.df, ins, fmt::format("{} has no effect in a build step", p)));
  });
}

void CurlAndWget(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  const Instruction* curl = nullptr;
  const Instruction* wget = nullptr;
  int stage = -2;
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    if (ins.stage != stage) {
      curl = wget = nullptr;
      stage = ins.stage;
    }
    const std::string p = ProgramName(argv);
    const bool first_pair = curl && wget;
    if (p == "curl") curl = &ins;
    if (p == "wget") wget = &ins;
    if (!first_pair && curl && wget) out.push_back(At(rule, in.df, ins, "both curl and wget are used"));
  });
}

void Pipefail(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  std::map<int, bool> shell_pipefail;  // per stage, from SHELL
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword == "SHELL") {
      bool pf = false;
      for (const auto& a : ins.args) pf = pf || a.find("pipefail") != std::string::npos;
      // A shell without pipefail semantics (pwsh, cmd) does not need it.
      const std::string prog = ins.args.empty() ? "" : ProgramName(ins.args);
      shell_pipefail[ins.stage] = pf || (prog != "sh" && prog != "bash" && prog != "ash" && prog != "dash");
    }
    if (ins.keyword != "RUN" || ins.json || shell_pipefail[ins.stage]) continue;
    const ShellScript& s = in.scripts[i];
    if (s.has_pipe && !s.pipefail) out.push_back(At(rule, in.df, ins));
  }
}

void UseraddLog(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    if (ProgramName(argv) != "useradd" || HasFlag(argv, {"-l", "--no-log-init"}, 'l')) return;
    for (size_t i = 1; i + 1 < argv.size(); ++i) {
      if (argv[i] == "-u" || argv[i] == "--uid") {
        const std::string& uid = argv[i + 1];
        if (uid.size() > 5 && uid.find_first_not_of("0123456789") == std::string::npos) {
          out.push_back(At(rule, in.df, ins, fmt::format("useradd -u {} without -l", uid)));
        }
      }
    }
  });
}

void LinkShell(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    if (ProgramName(argv) == "ln" && !argv.empty() && (argv.back() == "/bin/sh" || argv.back() == "/usr/bin/sh")) {
      out.push_back(At(rule, in.df, ins));
    }
  });
}

void WgetProgress(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    if (ProgramName(argv) != "wget") return;
    if (HasFlag(argv, {"--progress", "-q", "--quiet", "-nv", "--no-verbose", "-O-"}, 'q')) return;
    out.push_back(At(rule, in.df, ins));
  });
}

}  // namespace

void DockerfilePackageRules(std::vector<LintRule>& r) {
  const std::string_view pin_why =
      "Unpinned packages make builds non-reproducible: the next build may install a different, untested version.";
  r.push_back({"DD-DF-031",
               Severity::kMedium,
               "Pin versions in apt-get install",
               pin_why,
               "apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5",
               {"Hadolint DL3008"},
               AptPin});
  r.push_back({"DD-DF-032",
               Severity::kLow,
               "Delete the apt lists after installing",
               "/var/lib/apt/lists left in the layer adds tens of MiB and stale metadata to the image.",
               "End the RUN with && rm -rf /var/lib/apt/lists/* (or use a cache mount).",
               {"Hadolint DL3009", "Seed practice: layer cleanup"},
               AptListsCleaned});
  r.push_back({"DD-DF-033",
               Severity::kMedium,
               "apt-get without -y",
               "Without -y apt-get asks for confirmation and the build aborts.",
               "Add -y (--yes).",
               {"Hadolint DL3014"},
               AptYes});
  r.push_back({"DD-DF-034",
               Severity::kLow,
               "apt-get install without --no-install-recommends",
               "Recommended packages add size and attack surface the application never uses.",
               "Add --no-install-recommends.",
               {"Hadolint DL3015", "Trivy DS029", "Seed practice: minimal images"},
               AptNoRecommends});
  r.push_back({"DD-DF-035",
               Severity::kLow,
               "Use apt-get, not apt, in scripts",
               "apt has no stable command-line interface and warns when not on a terminal.",
               "Use apt-get (or apt-cache).",
               {"Hadolint DL3027"},
               AptNotApt});
  r.push_back({"DD-DF-036",
               Severity::kMedium,
               "Pin versions in apk add",
               pin_why,
               "apk add --no-cache curl=8.5.0-r0",
               {"Hadolint DL3018"},
               ApkPin});
  r.push_back({"DD-DF-037",
               Severity::kLow,
               "apk add without --no-cache",
               "The apk index cache stays in the layer.",
               "Use apk add --no-cache (no apk update needed).",
               {"Hadolint DL3019", "Trivy DS025", "Seed practice: layer cleanup"},
               ApkNoCache});
  r.push_back({"DD-DF-038",
               Severity::kMedium,
               "Pin versions in pip install",
               pin_why,
               "pip install --no-cache-dir flask==3.0.2 (or -r requirements.txt with pins and hashes).",
               {"Hadolint DL3013"},
               PipPin});
  r.push_back({"DD-DF-039",
               Severity::kLow,
               "pip install without --no-cache-dir",
               "pip's wheel cache stays in the layer.",
               "Add --no-cache-dir (or ENV PIP_NO_CACHE_DIR=1).",
               {"Hadolint DL3042", "Seed practice: layer cleanup"},
               PipNoCache});
  r.push_back({"DD-DF-040",
               Severity::kMedium,
               "Pin versions in npm install",
               pin_why,
               "npm install express@4.19.2, or npm ci with a lock file.",
               {"Hadolint DL3016"},
               NpmPin});
  r.push_back({"DD-DF-041",
               Severity::kMedium,
               "Pin versions in gem install",
               pin_why,
               "gem install bundler -v 2.5.6",
               {"Hadolint DL3028"},
               GemPin});
  r.push_back({"DD-DF-042",
               Severity::kMedium,
               "yum without -y",
               "Without -y yum asks for confirmation and the build aborts.",
               "Add -y.",
               {"Hadolint DL3030"},
               YumYes});
  r.push_back({"DD-DF-043",
               Severity::kLow,
               "yum install without yum clean all",
               "The yum cache stays in the layer.",
               "End the RUN with && yum clean all.",
               {"Hadolint DL3032", "Trivy DS015"},
               YumClean});
  r.push_back({"DD-DF-044",
               Severity::kMedium,
               "Pin versions in yum install",
               pin_why,
               "yum install -y httpd-2.4.57",
               {"Hadolint DL3033"},
               YumPin});
  r.push_back({"DD-DF-045",
               Severity::kMedium,
               "dnf without -y",
               "Without -y dnf asks for confirmation and the build aborts.",
               "Add -y.",
               {"Hadolint DL3038"},
               DnfYes});
  r.push_back({"DD-DF-046",
               Severity::kLow,
               "dnf install without dnf clean all",
               "The dnf cache stays in the layer.",
               "End the RUN with && dnf clean all.",
               {"Hadolint DL3040", "Trivy DS019"},
               DnfClean});
  r.push_back({"DD-DF-047",
               Severity::kMedium,
               "Pin versions in dnf install",
               pin_why,
               "dnf install -y httpd-2.4.57",
               {"Hadolint DL3041"},
               DnfPin});
  r.push_back({"DD-DF-048",
               Severity::kMedium,
               "zypper without -n",
               "Without --non-interactive zypper asks for confirmation and the build aborts.",
               "Use zypper --non-interactive install (-n).",
               {"Hadolint DL3034"},
               ZypperYes});
  r.push_back({"DD-DF-049",
               Severity::kLow,
               "zypper install without zypper clean",
               "The zypper cache stays in the layer.",
               "End the RUN with && zypper clean -a.",
               {"Hadolint DL3036", "Trivy DS020"},
               ZypperClean});
  r.push_back({"DD-DF-050",
               Severity::kMedium,
               "Pin versions in zypper install",
               pin_why,
               "zypper -n install httpd=2.4.57",
               {"Hadolint DL3037"},
               ZypperPin});
  r.push_back({"DD-DF-051",
               Severity::kLow,
               "yarn install without yarn cache clean",
               "The yarn cache stays in the layer.",
               "End the RUN with && yarn cache clean (or use a cache mount).",
               {"Hadolint DL3060"},
               YarnCacheClean});
  r.push_back({"DD-DF-052",
               Severity::kMedium,
               "Package index updated alone",
               "An update in its own RUN is cached: later installs use a stale index and miss security fixes.",
               "Update and install in the same RUN: apt-get update && apt-get install -y …",
               {"Trivy DS017", "CIS Docker Benchmark 4.7"},
               UpdateAlone});
  r.push_back({"DD-DF-053",
               Severity::kLow,
               "Full distribution upgrade in the build",
               "upgrade/dist-upgrade changes many base packages outside the base image's release process.",
               "Use a newer base image tag instead, or upgrade only named packages.",
               {"Hadolint DL3005 (retired)", "Docker best practices"},
               Upgrade});
  r.push_back({"DD-DF-054",
               Severity::kLow,
               "cd in RUN instead of WORKDIR",
               "cd does not persist to the next instruction and hides where later commands run.",
               "Use WORKDIR, or a subshell (cd dir && make).",
               {"Hadolint DL3003", "Trivy DS013"},
               CdInRun});
  r.push_back({"DD-DF-055",
               Severity::kMedium,
               "sudo in RUN",
               "sudo in an image implies a root-equivalent user and unpredictable TTY/signal behaviour.",
               "Run the step as root (USER root … USER app) and do not install sudo; use gosu for entrypoints.",
               {"Hadolint DL3004", "Trivy DS010"},
               Sudo});
  r.push_back({"DD-DF-056",
               Severity::kLow,
               "Command that makes no sense in a build step",
               "ssh, vim, service, shutdown, ps, kill, mount … do nothing useful while building an image.",
               "Remove it; start services from the entrypoint.",
               {"Hadolint DL3001"},
               PointlessCommand});
  r.push_back({"DD-DF-057",
               Severity::kLow,
               "Both curl and wget are used",
               "Two download tools where one suffices: more packages, more attack surface.",
               "Pick one (curl or wget) for the whole stage.",
               {"Hadolint DL4001"},
               CurlAndWget});
  r.push_back({"DD-DF-058",
               Severity::kMedium,
               "Piped RUN without pipefail",
               "/bin/sh -c only sees the exit status of the last command: curl … | tar x succeeds even when the "
               "download fails.",
               "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] or set -o pipefail in the RUN.",
               {"Hadolint DL4006"},
               Pipefail});
  r.push_back(
      {"DD-DF-059",
       Severity::kLow,
       "useradd with a large UID without -l",
       "useradd without -l fills /var/log/lastlog and faillog sparse files up to the UID: gigabytes in the layer.",
       "Use useradd -l (--no-log-init).",
       {"Hadolint DL3046"},
       UseraddLog});
  r.push_back({"DD-DF-060",
               Severity::kMedium,
               "Replacing /bin/sh with ln",
               "Relinking /bin/sh changes every later RUN and the base image's scripts.",
               "Use the SHELL instruction to choose the shell for RUN.",
               {"Hadolint DL4005"},
               LinkShell});
  r.push_back({"DD-DF-061",
               Severity::kLow,
               "wget without --progress",
               "wget's default progress bar floods build logs.",
               "Use wget -q or --progress=dot:giga.",
               {"Hadolint DL3047"},
               WgetProgress});
}

}  // namespace drydock
