// The Dockerfile lint driver, the helpers the rule groups share, and the
// ENV/ARG credential heuristic.
#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdint>
#include <map>
#include <set>

#include "lint/groups.h"

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

bool Cli::Has(std::initializer_list<std::string_view> names) const {
  for (const auto& [n, v] : opts) {
    for (std::string_view want : names) {
      if (n == want) return true;
    }
  }
  return false;
}

int Cli::Count(std::string_view name) const {
  int c = 0;
  for (const auto& o : opts) c += o.first == name;
  return c;
}

std::string Cli::Value(std::string_view name) const {
  std::string v;
  for (const auto& o : opts) {
    if (o.first == name) v = o.second;
  }
  return v;
}

Cli ParseCli(const std::vector<std::string>& argv, size_t from, std::initializer_list<std::string_view> valued) {
  auto takes = [&](std::string_view n) { return std::find(valued.begin(), valued.end(), n) != valued.end(); };
  Cli c;
  bool ended = false;
  for (size_t i = from; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (ended || a.size() < 2 || a[0] != '-') {
      c.words.push_back(a);
      continue;
    }
    if (a == "--") {
      ended = true;
      continue;
    }
    if (a[1] == '-') {
      std::string name = a.substr(2), value;
      if (size_t eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.resize(eq);
      } else if (takes(name) && i + 1 < argv.size()) {
        value = argv[++i];
      }
      c.opts.emplace_back(std::move(name), std::move(value));
      continue;
    }
    for (size_t k = 1; k < a.size(); ++k) {
      std::string name(1, a[k]);
      if (k + 1 < a.size() && a[k + 1] == '=') {
        c.opts.emplace_back(std::move(name), a.substr(k + 2));
        break;
      }
      if (takes(name)) {
        std::string value = k + 1 < a.size() ? a.substr(k + 1) : (i + 1 < argv.size() ? argv[++i] : "");
        c.opts.emplace_back(std::move(name), std::move(value));
        break;
      }
      c.opts.emplace_back(std::move(name), "");
    }
  }
  return c;
}

std::vector<Mount> Mounts(const Instruction& ins) {
  std::vector<Mount> out;
  for (const DockerfileFlag& f : ins.flags) {
    if (f.name != "mount") continue;
    Mount m;
    size_t i = 0;
    const std::string& v = f.value;
    while (i <= v.size()) {
      size_t c = v.find(',', i);
      if (c == std::string::npos) c = v.size();
      std::string_view kv = std::string_view(v).substr(i, c - i);
      size_t eq = kv.find('=');
      std::string_view k = kv.substr(0, eq), val = eq == std::string_view::npos ? "" : kv.substr(eq + 1);
      if (k == "type") m.type = std::string(val);
      if (k == "target" || k == "dst" || k == "destination") m.target = std::string(val);
      if (k == "from") m.from = std::string(val);
      i = c + 1;
    }
    out.push_back(std::move(m));
  }
  return out;
}

bool CacheMountAt(const Instruction& ins, std::string_view dir) {
  for (const Mount& m : Mounts(ins)) {
    if ((m.type == "cache" || m.type == "tmpfs") && m.target.find(dir) != std::string::npos) return true;
  }
  return false;
}

std::vector<bool> StagesUsedLater(const Dockerfile& df) {
  std::vector<bool> used(df.stages.size(), false);
  if (!used.empty()) used.back() = true;
  std::map<std::string, int> by_name;  // lower-case stage name → index
  for (const Stage& s : df.stages) {
    if (s.base_stage >= 0) used[static_cast<size_t>(s.base_stage)] = true;
    if (!s.name.empty()) by_name.emplace(Lower(s.name), s.index);
  }
  auto mark = [&](const std::string& ref, int before) {
    int idx = -1;
    if (!ref.empty() && ref.size() < 10 && ref.find_first_not_of("0123456789") == std::string::npos) {
      idx = std::stoi(ref);
    } else if (auto it = by_name.find(Lower(ref)); it != by_name.end()) {
      idx = it->second;
    }
    if (idx >= 0 && idx < before && idx < static_cast<int>(used.size())) used[static_cast<size_t>(idx)] = true;
  };
  for (const Instruction& ins : df.instructions) {
    if (auto f = ins.Flag("from")) mark(*f, ins.stage);
    if (ins.keyword == "RUN") {
      for (const Mount& m : Mounts(ins)) {
        if (!m.from.empty()) mark(m.from, ins.stage);
      }
    }
  }
  return used;
}

std::vector<int> StageChain(const Dockerfile& df, int stage) {
  std::vector<int> out;
  while (stage >= 0 && out.size() < kMaxStageChain) {
    out.push_back(stage);
    stage = df.stages[static_cast<size_t>(stage)].base_stage;
  }
  return out;
}

int FinalStage(const Dockerfile& df) { return static_cast<int>(df.stages.size()) - 1; }

}  // namespace lint

namespace {

std::vector<LintRule> BuildDockerfileRules() {
  std::vector<LintRule> rules;
#define DRYDOCK_LINT_GROUP(fn) fn(rules);
#include "lint/dockerfile/checks.inc"
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

// Rule id → the Hadolint DL numbers it references ("DL3008"), so a
// "# hadolint ignore=DL3008" silences the drydock rule.
const std::map<std::string, std::vector<std::string>, std::less<>>& HadolintIds() {
  static const auto* k = [] {
    auto* m = new std::map<std::string, std::vector<std::string>, std::less<>>;
    for (const LintRule& r : DockerfileRules()) {
      for (std::string_view ref : r.references) {
        if (ref.starts_with("Hadolint DL") && ref.size() >= 15) (*m)[std::string(r.id)].emplace_back(ref.substr(9, 6));
      }
    }
    return m;
  }();
  return *k;
}

bool Named(const std::vector<std::string>& ids, const Finding& f) {
  if (std::find(ids.begin(), ids.end(), f.rule_id) != ids.end()) return true;
  auto it = HadolintIds().find(f.rule_id);
  if (it == HadolintIds().end()) return false;
  for (const std::string& dl : it->second) {
    if (std::find(ids.begin(), ids.end(), dl) != ids.end()) return true;
  }
  return false;
}

// Rules that judge a whole stage or file, not one instruction: not re-run
// over ONBUILD triggers (the child build's stage is not known here).
bool StageLevel(std::string_view id) {
  return id == "DD-DF-017" || id == "DD-DF-022" || id == "DD-DF-024" || id == "DD-DF-026" || id == "DD-DF-028" ||
         id == "DD-DF-029" || id == "DD-DF-079" || id == "DD-DF-086";
}

// The ONBUILD triggers of each stage as the child build sees them: a
// Dockerfile "FROM scratch" + the triggers, linted, and the findings moved to
// the ONBUILD lines.
void LintOnbuild(const Dockerfile& df, const LintOptions& opts, std::vector<Finding>& out) {
  std::map<int, std::vector<const Instruction*>> by_stage;
  for (const Instruction& ins : df.instructions) {
    if (!ins.onbuild || ins.onbuild->keyword.empty()) continue;
    const std::string& k = ins.onbuild->keyword;
    if (k == "ONBUILD" || k == "FROM" || k == "MAINTAINER") continue;
    by_stage[ins.stage].push_back(&ins);
  }
  size_t header_budget = 4u << 20;
  for (const auto& [stage, triggers] : by_stage) {
    std::string text;
    if (df.escape != '\\') text = "# escape=`\n";
    text += "FROM scratch\n";
    // The child starts from this stage's image: its WORKDIR, SHELL, USER and
    // ENV (and those of the stages it is built on) hold there too. Only the
    // last of each is kept, within a byte budget (a hostile chain of stages
    // cannot make the headers quadratic).
    std::map<std::string, std::string> state;  // "WORKDIR" / "ENV name" → instruction text
    std::vector<int> chain = lint::StageChain(df, stage);
    for (auto c = chain.rbegin(); c != chain.rend(); ++c) {
      const Stage& st = df.stages[static_cast<size_t>(*c)];
      for (size_t i = st.from + 1; i < st.end; ++i) {
        const Instruction& x = df.instructions[i];
        if (x.keyword == "WORKDIR" || x.keyword == "SHELL" || x.keyword == "USER") {
          state[x.keyword] = x.joined;
        } else if (x.keyword == "ENV") {
          for (const KeyValue& kv : ParseKeyValues(x, df.escape)) state["ENV " + kv.key] = x.joined;
        }
      }
    }
    std::set<std::string> added;
    for (const auto& [key, line] : state) {
      if (header_budget < line.size() + 1) break;
      if (!added.insert(line).second) continue;
      header_budget -= line.size() + 1;
      text += line + "\n";
    }
    const int header = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    std::vector<std::pair<int, int>> starts;  // child line → parent line
    int line = header + 1;
    for (const Instruction* ins : triggers) {
      std::string_view o = ins->original;
      size_t k = 0;
      while (k < o.size() && o[k] != ' ' && o[k] != '\t' && o[k] != '\n') ++k;
      while (k < o.size() && (o[k] == ' ' || o[k] == '\t')) ++k;
      std::string body(o.substr(k));
      starts.emplace_back(line, ins->line);
      line += 1 + static_cast<int>(std::count(body.begin(), body.end(), '\n'));
      text += body + "\n";
    }
    auto child = ParseDockerfile(text, df.path);
    if (!child.ok()) continue;
    LintOptions copts = opts;
    copts.forbid_inline_ignores = false;
    for (Finding& f : LintDockerfile(*child, copts)) {
      if (f.location.line <= header || StageLevel(f.rule_id)) continue;
      auto it = std::upper_bound(starts.begin(), starts.end(), std::make_pair(f.location.line, INT32_MAX));
      if (it == starts.begin()) continue;
      --it;
      f.location.line = it->second + (f.location.line - it->first);
      f.location.column = 1;
      out.push_back(std::move(f));
    }
  }
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
  LintOnbuild(df, opts, out);
  const auto ignores = IgnoresByLine(df);
  if (!ignores.empty() || !df.global_ignore.empty()) {
    std::erase_if(out, [&](const Finding& f) {
      if (Named(df.global_ignore, f)) return true;
      auto it = ignores.find(f.location.line);
      return it != ignores.end() && Named(*it->second, f);
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
