// The Dockerfile lint driver, the helpers the rule groups share, and the
// ENV/ARG credential heuristic.
#include <algorithm>
#include <cctype>
#include <map>

#include "check/lint_groups.h"

namespace drydock {

namespace lint {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Shorten(std::string_view s, size_t max) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
    if (out.size() >= max) {
      // Do not cut a UTF-8 sequence in half.
      while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
      if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80)) out.pop_back();
      return out + "…";
    }
  }
  return out;
}

Finding At(const LintRule& rule, const Dockerfile& df, const Instruction& ins, std::string evidence) {
  Finding f = RuleFinding(rule);
  f.location.path = df.path;
  f.location.line = ins.line;
  f.location.column = ins.column;
  f.location.created_by = Shorten(ins.keyword + " " + ins.rest);
  f.evidence = evidence.empty() ? f.location.created_by.str() : std::move(evidence);
  return f;
}

void ForEachCommand(const DockerfileCheckInput& in, const CommandFn& fn) {
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN") continue;
    const auto& commands = in.scripts[i].commands;
    for (size_t j = 0; j < commands.size(); ++j) {
      const std::vector<std::string>& argv = in.argvs[i][j];
      if (argv.empty()) continue;
      fn(i, ins, commands[j], argv);
    }
  }
}

bool HasFlag(const std::vector<std::string>& argv, std::initializer_list<std::string_view> flags, char short_flag) {
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    for (std::string_view f : flags) {
      if (a == f || (f.starts_with("--") && a.starts_with(std::string(f) + "="))) return true;
    }
    if (short_flag && a.size() > 1 && a[0] == '-' && a[1] != '-' && a.find(short_flag) != std::string::npos)
      return true;
  }
  return false;
}

bool HasWord(const std::vector<std::string>& argv, std::string_view word) {
  return std::find(argv.begin() + (argv.empty() ? 0 : 1), argv.end(), word) != argv.end();
}

size_t Subcommand(const std::vector<std::string>& argv, std::initializer_list<std::string_view> subs) {
  for (size_t i = 1; i < argv.size(); ++i) {
    if (argv[i].starts_with("-")) continue;
    for (std::string_view s : subs) {
      if (argv[i] == s) return i;
    }
    return 0;  // the first non-option word is the subcommand
  }
  return 0;
}

std::vector<std::string> Operands(const std::vector<std::string>& argv, size_t sub,
                                  std::initializer_list<std::string_view> valued) {
  std::vector<std::string> out;
  for (size_t i = sub + 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.starts_with("-")) {
      for (std::string_view v : valued) {
        if (a == v) {
          ++i;
          break;
        }
      }
      continue;
    }
    out.push_back(a);
  }
  return out;
}

int FinalStage(const Dockerfile& df) { return static_cast<int>(df.stages.size()) - 1; }

}  // namespace lint

namespace {

std::vector<LintRule> BuildDockerfileRules() {
  std::vector<LintRule> rules;
#define DRYDOCK_LINT_GROUP(fn) fn(rules);
#include "check/dockerfile_checks.inc"
#undef DRYDOCK_LINT_GROUP
  return rules;
}

// Line of an instruction → the rule ids its "# drydock ignore=" names.
std::map<int, const std::vector<std::string>*> IgnoresByLine(const Dockerfile& df) {
  std::map<int, const std::vector<std::string>*> out;
  for (const Instruction& ins : df.instructions) {
    if (!ins.ignore.empty()) out[ins.line] = &ins.ignore;
  }
  return out;
}

bool IsShell(std::string_view prog) {
  return prog == "sh" || prog == "bash" || prog == "ash" || prog == "dash" || prog == "zsh";
}

}  // namespace

std::span<const LintRule> DockerfileRules() {
  static const std::vector<LintRule> rules = BuildDockerfileRules();
  return rules;
}

ShellScript RunScript(const Instruction& ins) {
  if (ins.json) {
    ShellScript s;
    if (ins.args.size() >= 3 && IsShell(ProgramName(ins.args)) && ins.args[1] == "-c") return ParseShell(ins.args[2]);
    ShellCommand c;
    c.argv = ins.args;
    if (!c.argv.empty()) s.commands.push_back(std::move(c));
    return s;
  }
  std::string script = ins.rest;
  if (!ins.heredocs.empty()) {
    // The opener words are not commands; a body fed to a shell is.
    std::string stripped;
    for (const std::string& w : SplitWords(ins.rest)) {
      if (w.starts_with("<<")) continue;
      stripped += (stripped.empty() ? "" : " ") + w;
    }
    std::vector<std::string> first = SplitWords(stripped);
    const bool shell_body = first.empty() || IsShell(ProgramName(first));
    script = shell_body && first.empty() ? std::string() : stripped;
    if (shell_body) {
      for (const Heredoc& h : ins.heredocs) script += "\n" + h.content;
    }
  }
  return ParseShell(script);
}

std::vector<Finding> LintDockerfile(const Dockerfile& df, const LintOptions& opts) {
  std::vector<ShellScript> scripts(df.instructions.size());
  for (size_t i = 0; i < df.instructions.size(); ++i) {
    if (df.instructions[i].keyword == "RUN") scripts[i] = RunScript(df.instructions[i]);
  }
  std::vector<std::vector<std::vector<std::string>>> argvs(scripts.size());
  for (size_t i = 0; i < scripts.size(); ++i) {
    for (const ShellCommand& c : scripts[i].commands) argvs[i].push_back(EffectiveArgv(c));
  }
  DockerfileCheckInput in{df, scripts, opts, argvs};
  std::vector<Finding> out;
  for (const LintRule& rule : DockerfileRules()) {
    if (rule.dockerfile) rule.dockerfile(in, rule, out);
  }
  const auto ignores = IgnoresByLine(df);
  if (!ignores.empty()) {
    std::erase_if(out, [&](const Finding& f) {
      auto it = ignores.find(f.location.line);
      return it != ignores.end() && std::find(it->second->begin(), it->second->end(), f.rule_id) != it->second->end();
    });
  }
  for (Finding& f : out) f.Fingerprint();
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.location.line, a.rule_id) < std::tie(b.location.line, b.rule_id);
  });
  // One finding per rule and line is enough (a RUN with two unpinned
  // apt-get installs reports once, naming the first).
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Finding& a, const Finding& b) {
                          return a.rule_id == b.rule_id && a.location.line == b.location.line &&
                                 a.location.path == b.location.path;
                        }),
            out.end());
  return out;
}


}  // namespace drydock
