// Checks on how the image was built, read from its history (the created_by
// of each step, as the legacy builder or BuildKit recorded it): CIS 4.7
// (package index update alone in a layer), CIS 4.9 (ADD instead of COPY),
// ADD of a remote URL, `curl … | sh`, and distro upgrades in the build.
#include <algorithm>
#include <array>

#include <fmt/ranges.h>

#include "check/image/check.h"
#include "check/image/groups.h"

namespace drydock {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool IsUpperWord(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// Strips "|N k=v … " (the build arguments a RUN saw) into `out`.
std::string_view TakeBuildArgs(std::string_view s, HistoryStep& out) {
  if (!s.starts_with('|')) return s;
  size_t sp = s.find(' ');
  int n = 0;
  for (char c : s.substr(1, sp == std::string_view::npos ? 0 : sp - 1)) {
    if (c < '0' || c > '9' || n > 10000) return s;
    n = n * 10 + (c - '0');
  }
  s = sp == std::string_view::npos ? std::string_view() : s.substr(sp + 1);
  for (int i = 0; i < n && !s.empty(); ++i) {
    size_t end = s.find(' ');
    std::string_view kv = s.substr(0, end);
    size_t eq = kv.find('=');
    if (eq != std::string_view::npos) out.build_args.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    s = end == std::string_view::npos ? std::string_view() : s.substr(end + 1);
  }
  return s;
}

std::string_view StripShell(std::string_view s) {
  s = Trim(s);
  for (std::string_view p : {"/bin/sh -c ", "/bin/bash -c ", "cmd /S /C "}) {
    if (s.starts_with(p)) return Trim(s.substr(p.size()));
  }
  return s;
}

// The command name without a leading path or `sudo`/`env` wrapper.
size_t CommandStart(const std::vector<std::string>& words) {
  size_t i = 0;
  while (i < words.size() && (words[i] == "sudo" || words[i] == "env" || words[i].find('=') != std::string::npos)) ++i;
  return i;
}

std::string_view Base(std::string_view w) { return w.substr(w.rfind('/') + 1); }

// "apt-get update", "apt update", "apk update", "yum makecache", …
bool IsIndexUpdate(const std::vector<std::string>& words) {
  size_t i = CommandStart(words);
  if (i >= words.size()) return false;
  std::string_view cmd = Base(words[i]);
  bool apt = cmd == "apt-get" || cmd == "apt" || cmd == "aptitude";
  for (size_t j = i + 1; j < words.size(); ++j) {
    if (words[j].starts_with('-')) continue;
    if ((apt || cmd == "apk") && words[j] == "update") return true;
    if ((cmd == "yum" || cmd == "dnf" || cmd == "microdnf") && words[j] == "makecache") return true;
    return false;
  }
  return false;
}

bool IsInstall(const std::vector<std::string>& words) {
  size_t i = CommandStart(words);
  if (i >= words.size()) return false;
  std::string_view cmd = Base(words[i]);
  for (size_t j = i + 1; j < words.size(); ++j) {
    if (words[j].starts_with('-')) continue;
    const std::string& sub = words[j];
    if (cmd == "apt-get" || cmd == "apt" || cmd == "aptitude")
      return sub == "install" || sub == "upgrade" || sub == "dist-upgrade" || sub == "full-upgrade" ||
             sub == "build-dep";
    if (cmd == "apk") return sub == "add" || sub == "upgrade";
    if (cmd == "yum" || cmd == "dnf" || cmd == "microdnf")
      return sub == "install" || sub == "update" || sub == "upgrade";
    return false;
  }
  return false;
}

// "apt-get upgrade", "apt-get dist-upgrade", "apk upgrade", "yum update", …
std::string UpgradeCommand(const std::vector<std::string>& words) {
  size_t i = CommandStart(words);
  if (i >= words.size()) return "";
  std::string_view cmd = Base(words[i]);
  for (size_t j = i + 1; j < words.size(); ++j) {
    if (words[j].starts_with('-')) continue;
    const std::string& sub = words[j];
    bool hit = false;
    if (cmd == "apt-get" || cmd == "apt" || cmd == "aptitude")
      hit = sub == "upgrade" || sub == "dist-upgrade" || sub == "full-upgrade" || sub == "safe-upgrade";
    else if (cmd == "apk")
      hit = sub == "upgrade";
    else if (cmd == "yum" || cmd == "dnf" || cmd == "microdnf")
      hit = (sub == "upgrade" || sub == "update" || sub == "distro-sync") && j + 1 == words.size();
    return hit ? fmt::format("{} {}", cmd, sub) : "";
  }
  return "";
}

bool IsFetcher(const std::vector<std::string>& words) {
  size_t i = CommandStart(words);
  return i < words.size() && (Base(words[i]) == "curl" || Base(words[i]) == "wget");
}

bool IsShell(const std::vector<std::string>& words) {
  size_t i = CommandStart(words);
  if (i >= words.size()) return false;
  std::string_view b = Base(words[i]);
  return b == "sh" || b == "bash" || b == "ash" || b == "dash" || b == "zsh" || b == "ksh" || b == "python" ||
         b == "python3" || b == "perl";
}

// The pipelines of a command line whose left side downloads and whose right
// side is an interpreter: "curl -fsSL https://x | sh".
bool PipesDownloadToShell(std::string_view cmd) {
  // Split at pipes only (not ||), keeping the other separators inside.
  size_t start = 0;
  std::vector<std::string_view> stages;
  for (size_t i = 0; i < cmd.size(); ++i) {
    if (cmd[i] != '|') continue;
    if (i + 1 < cmd.size() && cmd[i + 1] == '|') {
      ++i;
      continue;
    }
    stages.push_back(cmd.substr(start, i - start));
    start = i + 1;
  }
  stages.push_back(cmd.substr(start));
  for (size_t s = 0; s + 1 < stages.size(); ++s) {
    auto left = ShellCommands(stages[s]);
    auto right = ShellCommands(stages[s + 1]);
    if (!left.empty() && !right.empty() && IsFetcher(left.back()) && IsShell(right.front())) return true;
  }
  return false;
}

template <typename Fn>
void ForEachStep(const ImageCheckInput& in, Fn&& fn) {
  const auto& history = in.image.config.history;
  for (size_t i = 0; i < history.size(); ++i) fn(i, ParseHistoryStep(history[i].created_by));
}

void CheckUpdateAlone(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  ForEachStep(in, [&](size_t i, const HistoryStep& step) {
    if (step.instruction != "RUN") return;
    bool update = false, install = false;
    for (const auto& c : ShellCommands(step.args)) {
      update |= IsIndexUpdate(c);
      install |= IsInstall(c);
    }
    if (!update || install) return;
    Finding f = FindingAtHistory(rule, in, i);
    f.evidence =
        "the package index is updated in a RUN that installs nothing: a cached layer keeps a stale index "
        "for later installs";
    out.push_back(std::move(f));
  });
}

bool IsRemote(std::string_view src) {
  // The legacy builder records a downloaded URL as the bare sha256 of its
  // content ("ADD 2e9c…b4e9 in /opt/x"), local sources as "file:…"/"dir:…".
  const bool legacy_download = src.size() == 64 && src.find_first_not_of("0123456789abcdef") == std::string_view::npos;
  return legacy_download || src.starts_with("http://") || src.starts_with("https://") || src.starts_with("git@") ||
         src.starts_with("ftp://");
}

// The source arguments of an ADD (flags dropped; the last word is the
// destination). The legacy builder writes "file:<hash> in <dest>".
std::vector<std::string> AddSources(std::string_view args) {
  std::vector<std::string> words;
  for (auto& c : ShellCommands(args))
    for (auto& w : c) words.push_back(w);
  std::vector<std::string> out;
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i].starts_with("--")) continue;
    if (words[i] == "in" && i + 2 == words.size()) break;
    out.push_back(words[i]);
  }
  return out;
}

bool IsArchive(std::string_view src) {
  for (std::string_view ext : {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst"}) {
    if (src.ends_with(ext)) return true;
  }
  return false;
}

void CheckAddInsteadOfCopy(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  ForEachStep(in, [&](size_t i, const HistoryStep& step) {
    if (step.instruction != "ADD") return;
    std::vector<std::string> local;
    for (const auto& src : AddSources(step.args)) {
      // Remote sources are DD-IMG-010; archives are the one job only ADD
      // does (extraction); "file:… in /" is a base image's root filesystem.
      if (IsRemote(src) || IsArchive(src)) continue;
      if (src.starts_with("file:") && Trim(step.args).ends_with(" in /")) continue;
      local.push_back(src);
    }
    if (local.empty()) return;
    Finding f = FindingAtHistory(rule, in, i);
    f.evidence = fmt::format("ADD {} (a plain copy: COPY does the same without URL fetching or archive extraction)",
                             fmt::join(local, " "));
    out.push_back(std::move(f));
  });
}

void CheckAddUrl(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  ForEachStep(in, [&](size_t i, const HistoryStep& step) {
    if (step.instruction != "ADD") return;
    for (const auto& src : AddSources(step.args)) {
      if (!IsRemote(src)) continue;
      Finding f = FindingAtHistory(rule, in, i);
      f.evidence = src.find(':') == std::string::npos
                       ? fmt::format("ADD of a downloaded URL (the legacy builder records it as its content hash {})",
                                     src.substr(0, 12))
                       : fmt::format("ADD {} fetches from the network at build time without a checksum", src);
      out.push_back(std::move(f));
      return;
    }
  });
}

void CheckPipeToShell(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  ForEachStep(in, [&](size_t i, const HistoryStep& step) {
    if (step.instruction != "RUN" || !PipesDownloadToShell(step.args)) return;
    Finding f = FindingAtHistory(rule, in, i);
    f.evidence = "a download is piped straight into an interpreter (curl/wget … | sh)";
    out.push_back(std::move(f));
  });
}

void CheckUpgrade(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  ForEachStep(in, [&](size_t i, const HistoryStep& step) {
    if (step.instruction != "RUN") return;
    for (const auto& c : ShellCommands(step.args)) {
      std::string what = UpgradeCommand(c);
      if (what.empty()) continue;
      Finding f = FindingAtHistory(rule, in, i);
      f.evidence = fmt::format("{} in the build: the image content depends on the day it was built", what);
      out.push_back(std::move(f));
      return;
    }
  });
}

}  // namespace

HistoryStep ParseHistoryStep(std::string_view created_by) {
  HistoryStep step;
  std::string_view s = Trim(created_by);
  if (s.ends_with("# buildkit")) s = Trim(s.substr(0, s.size() - 10));
  // Legacy builder metadata steps: "/bin/sh -c #(nop) ADD file:… in /".
  std::string_view shell = StripShell(s);
  if (shell.starts_with("#(nop)")) {
    std::string_view rest = Trim(shell.substr(6));
    size_t sp = rest.find(' ');
    step.instruction = std::string(rest.substr(0, sp));
    step.args = sp == std::string_view::npos ? "" : std::string(Trim(rest.substr(sp + 1)));
    return step;
  }
  size_t sp = s.find(' ');
  std::string_view first = s.substr(0, sp);
  if (IsUpperWord(first) && first != "RUN") {  // BuildKit: "COPY a /b", "ENV K=v"
    step.instruction = std::string(first);
    step.args = sp == std::string_view::npos ? "" : std::string(Trim(s.substr(sp + 1)));
    return step;
  }
  if (first == "RUN") s = sp == std::string_view::npos ? std::string_view() : Trim(s.substr(sp + 1));
  // A RUN: "|2 A=1 B=2 /bin/sh -c cmd" (legacy) or "RUN |1 A=1 /bin/sh -c cmd".
  s = TakeBuildArgs(s, step);
  step.instruction = "RUN";
  step.args = std::string(StripShell(s));
  return step;
}

std::vector<std::vector<std::string>> ShellCommands(std::string_view cmd) {
  std::vector<std::vector<std::string>> out(1);
  std::string word;
  bool in_word = false;
  auto end_word = [&] {
    if (in_word) out.back().push_back(std::move(word));
    word.clear();
    in_word = false;
  };
  auto end_command = [&] {
    end_word();
    if (!out.back().empty()) out.emplace_back();
  };
  char quote = 0;
  for (size_t i = 0; i < cmd.size(); ++i) {
    char c = cmd[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && i + 1 < cmd.size()) {
        word += cmd[++i];
      } else {
        word += c;
      }
      continue;
    }
    switch (c) {
      case '\'':
      case '"':
        quote = c;
        in_word = true;
        break;
      case '\\':
        if (i + 1 < cmd.size() && cmd[i + 1] == '\n') {
          ++i;  // line continuation
        } else if (i + 1 < cmd.size()) {
          word += cmd[++i];
          in_word = true;
        }
        break;
      case ' ':
      case '\t':
        end_word();
        break;
      case ';':
      case '&':
      case '|':
      case '\n':
      case '(':
      case ')':
        end_command();
        break;
      default:
        word += c;
        in_word = true;
    }
  }
  end_word();
  if (out.back().empty()) out.pop_back();
  return out;
}

void HistoryChecks(std::vector<CheckRule>& rules) {
  rules.push_back(CheckRule{
      .id = "DD-CIS-4.7",
      .cis = "4.7",
      .severity = Severity::kMedium,
      .title = "Package index updated alone in a layer",
      .rationale = "A RUN that only updates the package index is cached on its own: later builds reuse the stale "
                   "index and install outdated (or missing) package versions.",
      .remediation = "Update and install in the same RUN: RUN apt-get update && apt-get install -y --no-install-"
                     "recommends pkg && rm -rf /var/lib/apt/lists/* (or apk add --no-cache pkg).",
      .references = {"CIS Docker Benchmark v1.6.0 4.7", "Dockle CIS-DI-0007",
                     "https://docs.docker.com/build/building/best-practices/#apt-get"},
      .run = &CheckUpdateAlone,
  });
  rules.push_back(CheckRule{
      .id = "DD-CIS-4.9",
      .cis = "4.9",
      .severity = Severity::kLow,
      .title = "ADD used instead of COPY",
      .rationale = "ADD also fetches URLs and unpacks archives; using it for plain files hides those behaviours "
                   "and makes a later change of the source silently change what the build does.",
      .remediation = "Use COPY for local files and directories; keep ADD only for a local archive to extract.",
      .references = {"CIS Docker Benchmark v1.6.0 4.9", "Dockle CIS-DI-0009",
                     "https://docs.docker.com/build/building/best-practices/#add-or-copy"},
      .run = &CheckAddInsteadOfCopy,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-010",
      .cis = "",
      .severity = Severity::kMedium,
      .title = "ADD of a remote URL",
      .rationale = "ADD <url> downloads at build time with no integrity check: whoever controls the URL (or the "
                   "network path) controls what goes into the image.",
      .remediation = "Download with curl/wget in a RUN and verify a pinned checksum (sha256sum -c), or use "
                     "ADD --checksum=sha256:… (BuildKit), in a build stage.",
      .references = {"Dockle CIS-DI-0009", "Hadolint DL3020",
                     "https://docs.docker.com/reference/dockerfile/#add---checksum"},
      .run = &CheckAddUrl,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-011",
      .cis = "",
      .severity = Severity::kHigh,
      .title = "Download piped into a shell in the build",
      .rationale = "curl … | sh runs whatever the server sends, unverified, with the build's privileges; a "
                   "compromised or spoofed host ends up inside the image.",
      .remediation = "Download to a file, verify its pinned checksum or signature, then run it; better, install "
                     "from the distribution's signed packages.",
      .references = {"Hadolint DL4006", "https://docs.docker.com/build/building/best-practices/"},
      .run = &CheckPipeToShell,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-012",
      .cis = "",
      .severity = Severity::kLow,
      .title = "Distribution upgrade in the build",
      .rationale = "apt-get upgrade / dist-upgrade (apk upgrade, yum update) makes the image depend on the day it "
                   "was built and may pull packages the base image maintainers did not test together.",
      .remediation = "Rebuild on a newer, pinned base image instead; install only the packages you need, with "
                     "versions pinned.",
      .references = {"Dockle DKL-DI-0003", "Hadolint DL3005"},
      .run = &CheckUpgrade,
  });
}

}  // namespace drydock
