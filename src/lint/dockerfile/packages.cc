// Dockerfile rules about RUN commands: package managers (pinning,
// non-interactive flags, caches cleaned in the same layer) and shell habits
// (Hadolint DL3001-DL3060 and DL4001-DL4006 classes).
#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "lint/groups.h"

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

bool IsVar(std::string_view s) { return s.find('$') != std::string_view::npos; }

// The RUN's commands in order with their effective argv.
struct Step {
  const ShellCommand* cmd;
  const Argv* argv;
};
std::vector<Step> Steps(const DockerfileCheckInput& in, size_t i) {
  std::vector<Step> out;
  for (size_t j = 0; j < in.scripts[i].commands.size(); ++j) {
    if (!in.argvs[i][j].empty()) out.push_back({&in.scripts[i].commands[j], &in.argvs[i][j]});
  }
  return out;
}

// An install command and a cleanup command of one RUN: the cleanup counts only
// after the first install (cleaning first and installing after leaves the cache).
template <typename Installs, typename Cleans>
bool InstallWithoutCleanup(const DockerfileCheckInput& in, size_t i, Installs installs, Cleans cleans) {
  int first_install = -1;
  bool cleaned = false;
  const auto steps = Steps(in, i);
  for (size_t k = 0; k < steps.size(); ++k) {
    if (first_install < 0 && installs(*steps[k].argv)) first_install = static_cast<int>(k);
    if (first_install >= 0 && static_cast<int>(k) > first_install && cleans(*steps[k].argv)) cleaned = true;
  }
  return first_install >= 0 && !cleaned;
}

bool RemovesPath(const Argv& a, std::string_view dir) {
  if (ProgramName(a) != "rm") return false;
  for (size_t k = 1; k < a.size(); ++k) {
    if (a[k].find(dir) != std::string::npos) return true;
  }
  return false;
}

// ---- apt ----

const std::initializer_list<std::string_view> kAptValued = {"o", "c", "t", "target-release", "option", "config-file"};

bool IsApt(const Argv& a) {
  const std::string p = ProgramName(a);
  return p == "apt-get" || p == "apt";
}
lint::Cli AptCli(const Argv& a) { return lint::ParseCli(a, 1, kAptValued); }
bool AptSub(const lint::Cli& c, std::initializer_list<std::string_view> subs) {
  if (c.words.empty()) return false;
  for (std::string_view s : subs) {
    if (c.words[0] == s) return true;
  }
  return false;
}

void AptPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    if (!IsApt(argv)) return;
    lint::Cli c = AptCli(argv);
    if (!AptSub(c, {"install"})) return;
    for (size_t k = 1; k < c.words.size(); ++k) {
      const std::string& p = c.words[k];
      if (p.find('=') == std::string::npos && !IsPathOrFile(p) && !IsVar(p)) {
        out.push_back(At(rule, in.df, ins, fmt::format("apt-get install {} (no =version)", p)));
        return;
      }
    }
  });
}

// apt lists kept: an `apt-get update` in a RUN that never removes
// /var/lib/apt/lists afterwards and mounts no cache or tmpfs over them;
// only in a stage that ships or that a later stage uses.
void AptListsCleaned(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  const std::vector<bool> used = lint::StagesUsedLater(in.df);
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN" || !lint::UsedLater(used, ins.stage)) continue;
    if (lint::CacheMountAt(ins, "/var/lib/apt/lists") ||
        (lint::CacheMountAt(ins, "/var/lib/apt") && lint::CacheMountAt(ins, "/var/cache/apt")))
      continue;
    auto update = [](const Argv& a) {
      const std::string p = ProgramName(a);
      if (p != "apt-get" && p != "apt" && p != "aptitude") return false;
      lint::Cli c = AptCli(a);
      return AptSub(c, {"update"});
    };
    auto clean = [](const Argv& a) { return RemovesPath(a, "/var/lib/apt/lists"); };
    if (InstallWithoutCleanup(in, i, update, clean)) out.push_back(At(rule, in.df, ins));
  }
}

void AptYes(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    if (ProgramName(argv) != "apt-get") return;
    lint::Cli c = AptCli(argv);
    if (!AptSub(c, {"install", "upgrade", "dist-upgrade", "remove", "purge", "autoremove"})) return;
    if (c.Has({"y", "yes", "assume-yes"})) return;
    // -qq, -q -q, -q=2, --quiet --quiet imply -y.
    int quiet = c.Count("q") + c.Count("quiet");
    if (c.Value("q") == "2" || c.Value("quiet") == "2") quiet = 2;
    if (quiet >= 2) return;
    for (const auto& [n, v] : c.opts) {
      if ((n == "o" || n == "option") && lint::Lower(v).starts_with("apt::get::assume-yes=") &&
          !lint::Lower(v).ends_with("=false") && !v.ends_with("=0"))
        return;
    }
    out.push_back(At(rule, in.df, ins));
  });
}

void AptNoRecommends(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    if (!IsApt(argv)) return;
    lint::Cli c = AptCli(argv);
    if (!AptSub(c, {"install"}) || c.words.size() < 2) return;
    bool ok = c.Has({"no-install-recommends"});
    for (const auto& [n, v] : c.opts) {
      if ((n == "o" || n == "option") && (v.find("APT::Install-Recommends=false") != std::string::npos ||
                                          v.find("APT::Install-Recommends=0") != std::string::npos))
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

lint::Cli ApkCli(const Argv& a) {
  return lint::ParseCli(a, 1,
                        {"t", "virtual", "X", "repository", "p", "root", "repositories-file", "keys-dir", "arch",
                         "cache-dir", "cache-max-age"});
}

void ApkPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    if (ProgramName(argv) != "apk") return;
    lint::Cli c = ApkCli(argv);
    if (c.words.empty() || c.words[0] != "add") return;
    for (size_t k = 1; k < c.words.size(); ++k) {
      const std::string& p = c.words[k];
      if (p.find_first_of("=<>~") == std::string::npos && !IsPathOrFile(p) && !IsVar(p)) {
        out.push_back(At(rule, in.df, ins, fmt::format("apk add {} (no =version)", p)));
        return;
      }
    }
  });
}

void ApkNoCache(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN" || lint::CacheMountAt(ins, "/var/cache/apk")) continue;
    auto adds = [](const Argv& a) {
      if (ProgramName(a) != "apk") return false;
      lint::Cli c = ApkCli(a);
      return !c.words.empty() && c.words[0] == "add" && !c.Has({"no-cache"});
    };
    auto cleans = [](const Argv& a) {
      if (RemovesPath(a, "/var/cache/apk")) return true;
      if (ProgramName(a) != "apk") return false;
      lint::Cli c = ApkCli(a);
      return c.words.size() >= 2 && c.words[0] == "cache" && (c.words[1] == "clean" || c.words[1] == "purge");
    };
    if (InstallWithoutCleanup(in, i, adds, cleans)) out.push_back(At(rule, in.df, ins));
  }
}

// ---- pip ----

const std::initializer_list<std::string_view> kPipValued = {
    "abi", "b", "build", "e", "editable", "extra-index-url", "f", "find-links", "i", "index-url", "implementation",
    "no-binary", "only-binary", "platform", "prefix", "progress-bar", "proxy", "python", "python-version", "root",
    "root-user-action", "src", "t", "target", "trusted-host", "upgrade-strategy", "r", "requirement", "c",
    "constraint", "cache-dir", "log", "retries", "timeout", "exists-action", "cert", "client-cert", "global-option",
    "install-option", "config-settings", "C", "report", "spec", "pip-args", "suffix"};

// A pip (pip, pip2, pip3, pip3.12, pipx, python -m pip) install: its options and words after "install".
bool PipInstall(const Argv& argv, lint::Cli& cli) {
  const std::string p = ProgramName(argv);
  size_t from = 0;
  if (p == "pip" || p == "pip2" || p == "pip3" || p == "pipx" || (p.starts_with("pip2.") && p.size() > 5) ||
      (p.starts_with("pip3.") && p.size() > 5)) {
    from = 1;
  } else if (p.starts_with("python")) {
    for (size_t i = 1; i + 1 < argv.size(); ++i) {
      if (argv[i] == "-m" && argv[i + 1] == "pip") {
        from = i + 2;
        break;
      }
      if (argv[i] == "-mpip") {
        from = i + 1;
        break;
      }
      if (!argv[i].starts_with("-")) return false;
    }
    if (from == 0) return false;
  } else {
    return false;
  }
  cli = lint::ParseCli(argv, from, kPipValued);
  if (cli.words.empty() || cli.words[0] != "install") return false;
  cli.words.erase(cli.words.begin());
  return true;
}

bool PipPinned(std::string_view p) {
  static const std::initializer_list<std::string_view> kVcs = {"git+", "git:", "hg+", "svn+", "svn:", "bzr+"};
  bool vcs = false;
  for (std::string_view v : kVcs) vcs = vcs || p.starts_with(v);
  if (vcs) return p.find('@', p.find("://") == std::string_view::npos ? 0 : p.find("://") + 3) != std::string_view::npos &&
                  p.rfind('@') > p.find("://") + 3;
  if (p.find_first_of("=<>!~") != std::string_view::npos) return true;
  return p.ends_with(".whl") || p.ends_with(".tar.gz") || p.ends_with(".zip") || p.find('/') != std::string_view::npos ||
         p == "." || IsVar(p);
}

void PipPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    lint::Cli c;
    if (!PipInstall(argv, c)) return;
    if (c.Has({"r", "requirement", "c", "constraint"})) return;
    if (std::find(c.words.begin(), c.words.end(), ".") != c.words.end()) return;
    for (const std::string& p : c.words) {
      if (!PipPinned(p)) {
        out.push_back(At(rule, in.df, ins, fmt::format("pip install {} (no ==version)", p)));
        return;
      }
    }
  });
}

// PIP_NO_CACHE_DIR's value turns the cache off unless it is 0/off/no/false.
bool Truthy(std::string_view v) {
  const std::string l = lint::Lower(v);
  return !l.empty() && l != "0" && l != "off" && l != "no" && l != "false";
}

// The value ENV gives `name` at each instruction (inherited through FROM
// an earlier stage); nullopt where it is not set. One pass over the file.
std::vector<std::optional<std::string>> EnvValues(const Dockerfile& df, std::string_view name) {
  std::vector<std::optional<std::string>> at(df.instructions.size());
  std::vector<std::optional<std::string>> stage_end(df.stages.size());
  std::optional<std::string> cur;
  for (size_t i = 0; i < df.instructions.size(); ++i) {
    const Instruction& ins = df.instructions[i];
    if (ins.keyword == "FROM" && ins.stage >= 0) {
      const int base = df.stages[static_cast<size_t>(ins.stage)].base_stage;
      cur = base >= 0 ? stage_end[static_cast<size_t>(base)] : std::nullopt;
    }
    if (ins.keyword == "ENV") {
      for (const KeyValue& kv : ParseKeyValues(ins, df.escape)) {
        if (kv.key == name) cur = kv.value;
      }
    }
    at[i] = cur;
    if (ins.stage >= 0) stage_end[static_cast<size_t>(ins.stage)] = cur;
  }
  return at;
}

void PipNoCache(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  const auto envs = EnvValues(in.df, "PIP_NO_CACHE_DIR");
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN" || lint::CacheMountAt(ins, ".cache/pip")) continue;
    bool off = envs[i] && Truthy(*envs[i]);
    for (const Step& st : Steps(in, i)) {
      const Argv& argv = *st.argv;
      // export PIP_NO_CACHE_DIR=1 / VAR=1 pip … set it for what follows / that command.
      if (ProgramName(argv) == "export") {
        for (const std::string& w : argv) {
          if (w.starts_with("PIP_NO_CACHE_DIR=")) off = Truthy(w.substr(17));
        }
      }
      bool here = off;
      for (const std::string& w : st.cmd->argv) {
        if (w.find('=') == std::string::npos || w.starts_with("-")) break;
        if (w.starts_with("PIP_NO_CACHE_DIR=")) here = Truthy(w.substr(17));
      }
      lint::Cli c;
      if (!PipInstall(argv, c) || ProgramName(argv) == "pipx" || here) continue;
      if (!c.Has({"no-cache-dir"})) {
        out.push_back(At(rule, in.df, ins));
        break;
      }
    }
  }
}

// ---- npm / gem / yarn ----

bool NpmPinned(std::string_view p) {
  for (std::string_view g : {"git://", "git+ssh://", "git+http://", "git+https://", "github:", "git@"}) {
    if (p.starts_with(g)) return p.find('#') != std::string_view::npos;
  }
  for (std::string_view pre : {"/", "./", "../", "~/", "http://", "https://", "file:"}) {
    if (p.starts_with(pre)) return true;
  }
  if (p.ends_with(".tar") || p.ends_with(".tar.gz") || p.ends_with(".tgz") || p == "." || IsVar(p)) return true;
  return p.find('@', p.starts_with("@") ? 1 : 0) != std::string_view::npos;
}

void NpmPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    if (ProgramName(argv) != "npm") return;
    lint::Cli c = lint::ParseCli(argv, 1,
                                 {"loglevel", "registry", "prefix", "cache", "userconfig", "globalconfig", "tag",
                                  "workspace", "w", "omit", "include", "install-strategy", "C"});
    if (c.words.empty() || (c.words[0] != "install" && c.words[0] != "i" && c.words[0] != "add")) return;
    for (size_t k = 1; k < c.words.size(); ++k) {
      if (!NpmPinned(c.words[k])) {
        out.push_back(At(rule, in.df, ins, fmt::format("npm install {} (no @version)", c.words[k])));
        return;
      }
    }
  });
}

void GemPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& full) {
    if (ProgramName(full) != "gem") return;
    // After "--" come the gem's build options, not gems.
    Argv argv(full.begin(), std::find(full.begin(), full.end(), std::string("--")));
    lint::Cli c = lint::ParseCli(argv, 1,
                                 {"v", "version", "i", "install-dir", "n", "bindir", "source", "s", "platform", "P",
                                  "trust-policy", "build-root", "document", "g", "file", "config-file"});
    if (c.words.empty() || (c.words[0] != "install" && c.words[0] != "i")) return;
    if (c.Has({"v", "version"})) return;
    // The gems are the words right after the subcommand; a word after a
    // later unknown option is that option's value (--use-system-libraries true).
    std::vector<std::string> gems;
    bool started = false;
    for (size_t k = 1; k < argv.size(); ++k) {
      if (!started) {
        started = argv[k] == "install" || argv[k] == "i";
        continue;
      }
      if (argv[k].starts_with("-")) {
        if (!gems.empty()) break;
        continue;
      }
      gems.push_back(argv[k]);
    }
    for (const std::string& p : gems) {
      if (p.find(':') == std::string::npos && !IsPathOrFile(p) && !p.ends_with(".gem") && !IsVar(p)) {
        out.push_back(At(rule, in.df, ins, fmt::format("gem install {} (no -v version)", p)));
        return;
      }
    }
  });
}

void YarnCacheClean(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  const std::vector<bool> used = lint::StagesUsedLater(in.df);
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN" || !lint::UsedLater(used, ins.stage)) continue;
    if (lint::CacheMountAt(ins, "/usr/local/share/.cache/yarn") || lint::CacheMountAt(ins, ".yarn/cache") ||
        lint::CacheMountAt(ins, ".cache/yarn"))
      continue;
    auto installs = [](const Argv& a) {
      if (ProgramName(a) != "yarn") return false;
      lint::Cli c = lint::ParseCli(a, 1, {"cache-folder", "modules-folder", "network-timeout", "registry"});
      return c.words.empty() || c.words[0] == "install" || c.words[0] == "add";
    };
    auto cleans = [](const Argv& a) {
      if (ProgramName(a) != "yarn") return false;
      lint::Cli c = lint::ParseCli(a, 1, {});
      return c.words.size() >= 2 && c.words[0] == "cache" && c.words[1] == "clean";
    };
    if (InstallWithoutCleanup(in, i, installs, cleans)) out.push_back(At(rule, in.df, ins));
  }
}

// ---- yum / dnf / microdnf / zypper ----

const std::initializer_list<std::string_view> kRpmValued = {
    "setopt", "enablerepo", "disablerepo", "repo", "repoid", "installroot", "releasever", "x", "exclude", "c",
    "config", "d", "debuglevel", "e", "errorlevel", "downloaddir", "destdir", "forcearch", "repofrompath",
    "setopt", "best", "rpmverbosity"};

struct RpmCmd {
  bool ok = false;
  lint::Cli cli;
  std::string sub;      // "install", "module" → "module install"
  size_t operands = 1;  // index of the first operand in cli.words
};

RpmCmd ParseRpm(const Argv& a, std::initializer_list<std::string_view> progs) {
  RpmCmd r;
  const std::string p = ProgramName(a);
  if (std::find(progs.begin(), progs.end(), p) == progs.end()) return r;
  r.cli = lint::ParseCli(a, 1, kRpmValued);
  if (r.cli.words.empty()) return r;
  r.sub = r.cli.words[0];
  if ((r.sub == "module" || r.sub == "group") && r.cli.words.size() > 1) {
    r.sub += " " + r.cli.words[1];
    r.operands = 2;
  }
  r.ok = true;
  return r;
}

bool OneOf(std::string_view s, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

const std::initializer_list<std::string_view> kYumInstalls = {
    "install", "groupinstall", "localinstall", "reinstall", "update", "upgrade", "module install", "group install"};
const std::initializer_list<std::string_view> kDnfInstalls = {
    "install", "in",  "upgrade", "up",  "upgrade-minimal", "up-min", "reinstall", "rei", "groupinstall",
    "localinstall", "update", "module install", "group install", "distro-sync", "downgrade"};

void RpmYes(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out,
            std::initializer_list<std::string_view> progs, std::initializer_list<std::string_view> subs) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    RpmCmd r = ParseRpm(argv, progs);
    if (!r.ok || !(OneOf(r.sub, subs) || OneOf(r.sub, {"remove", "erase", "autoremove"}))) return;
    if (!r.cli.Has({"y", "assumeyes"})) out.push_back(At(rule, in.df, ins));
  });
}
void YumYes(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  RpmYes(in, rule, out, {"yum"}, kYumInstalls);
}
void DnfYes(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  RpmYes(in, rule, out, {"dnf", "microdnf"}, kDnfInstalls);
}

void RpmClean(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out,
              std::initializer_list<std::string_view> progs, std::initializer_list<std::string_view> subs,
              std::initializer_list<std::string_view> cache_dirs) {
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN") continue;
    bool mounted = false;
    for (std::string_view d : cache_dirs) mounted = mounted || lint::CacheMountAt(ins, d);
    if (mounted) continue;
    // Each program cleans its own cache: dnf install … && microdnf clean all leaves dnf's.
    for (std::string_view prog : progs) {
      auto installs = [&](const Argv& a) {
        RpmCmd r = ParseRpm(a, {prog});
        return r.ok && OneOf(r.sub, subs);
      };
      auto cleans = [&](const Argv& a) {
        for (std::string_view d : cache_dirs) {
          if (RemovesPath(a, d)) return true;
        }
        RpmCmd r = ParseRpm(a, {prog});
        return r.ok && (r.sub == "clean" || r.sub == "cc");
      };
      if (InstallWithoutCleanup(in, i, installs, cleans)) {
        out.push_back(At(rule, in.df, ins));
        break;
      }
    }
  }
}
void YumClean(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  RpmClean(in, rule, out, {"yum"}, kYumInstalls, {"/var/cache/yum"});
}
void DnfClean(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  RpmClean(in, rule, out, {"dnf", "microdnf"}, kDnfInstalls,
           {"/var/cache/libdnf5", ".cache/libdnf5", "/var/cache/dnf", "/var/cache/yum"});
}
void ZypperClean(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  RpmClean(in, rule, out, {"zypper"}, {"install", "in", "source-install", "si", "patch", "update", "up"},
           {"/var/cache/zypp"});
}

// rpm-style versions are written name-1.2.3 (yum/dnf) or name=1.2 / name>=1
// (zypper); modules pin a stream with name:stream.
void RpmPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out,
            std::initializer_list<std::string_view> progs, bool zypper) {
  static const std::regex kVersioned("-[0-9][0-9A-Za-z.:_+~*-]*$");
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    RpmCmd r = ParseRpm(argv, progs);
    if (!r.ok || !OneOf(r.sub, {"install", "in", "module install"})) return;
    const bool module = r.sub == "module install";
    for (size_t k = r.operands; k < r.cli.words.size(); ++k) {
      const std::string& p = r.cli.words[k];
      bool pinned = module                ? p.find(':') != std::string::npos
                    : zypper              ? p.find_first_of("=<>") != std::string::npos
                                          : std::regex_search(p, kVersioned);
      if (!pinned && !IsPathOrFile(p) && !IsVar(p) && !p.starts_with("@")) {
        out.push_back(At(rule, in.df, ins, fmt::format("{} {} {} (no version)", ProgramName(argv), r.sub, p)));
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
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    RpmCmd r = ParseRpm(argv, {"zypper"});
    if (!r.ok || !OneOf(r.sub, {"install", "in", "update", "up", "remove", "rm", "patch", "dist-upgrade", "dup",
                                "source-install", "si"}))
      return;
    if (!r.cli.Has({"non-interactive", "n", "y", "no-confirm"})) out.push_back(At(rule, in.df, ins));
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
      // sh/dash have no pipefail (Hadolint flags "sh -o pipefail" too).
      shell_pipefail[ins.stage] =
          (pf && prog != "sh" && prog != "dash") || (prog != "sh" && prog != "bash" && prog != "ash" && prog != "dash" &&
                                                     prog != "zsh" && prog != "ksh" && prog != "mksh");
    }
    if (ins.keyword != "RUN" || ins.json) continue;
    // SHELL is inherited from the earlier stage this one is built FROM.
    bool pf = false;
    for (int st : lint::StageChain(in.df, ins.stage)) {
      if (auto it = shell_pipefail.find(st); it != shell_pipefail.end()) {
        pf = it->second;
        break;
      }
    }
    if (pf) continue;
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
    if (HasFlag(argv, {"--progress", "-q", "--quiet", "-nv", "--no-verbose", "-O-", "--output-file", "-o",
                       "--append-output", "-a"},
                'q'))
      return;
    out.push_back(At(rule, in.df, ins));
  });
}


// Hadolint DL3062: go install/get/run of a module needs @version (not
// @latest); local paths are fine. For go run only the package is judged.
void GoPin(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    if (ProgramName(argv) != "go") return;
    lint::Cli c = lint::ParseCli(argv, 1, {"o", "C", "modfile", "overlay", "pkgdir", "tags", "exec", "ldflags", "gcflags",
                                          "asmflags", "p", "mod", "toolexec", "pgo"});
    if (c.words.empty() || (c.words[0] != "install" && c.words[0] != "get" && c.words[0] != "run")) return;
    const bool run = c.words[0] == "run";
    for (size_t k = 1; k < c.words.size() && (!run || k == 1); ++k) {
      const std::string& p = c.words[k];
      if (p.starts_with("/") || p.starts_with(".") || IsVar(p) || p.ends_with(".go")) continue;
      const size_t at = p.rfind('@');
      if (at == std::string::npos || p.substr(at + 1) == "latest" || at + 1 == p.size()) {
        out.push_back(At(rule, in.df, ins, fmt::format("go {} {} (no @version)", c.words[0], p)));
        return;
      }
    }
  });
}

// Hadolint DL3035: zypper dist-upgrade in a build.
void ZypperDistUpgrade(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    RpmCmd r = ParseRpm(argv, {"zypper"});
    if (r.ok && (r.sub == "dist-upgrade" || r.sub == "dup")) out.push_back(At(rule, in.df, ins));
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
  r.push_back({"DD-DF-098",
               Severity::kMedium,
               "Pin versions in go install",
               pin_why,
               "go install golang.org/x/tools/gopls@v0.15.3",
               {"Hadolint DL3062"},
               GoPin});
  r.push_back({"DD-DF-103",
               Severity::kLow,
               "zypper dist-upgrade in the build",
               "dist-upgrade moves the base image to another distribution release outside its release process.",
               "Use a newer base image instead.",
               {"Hadolint DL3035"},
               ZypperDistUpgrade});
}

}  // namespace drydock
