// Internal to lint/: the Dockerfile and compose rule groups (one file
// each) and the helpers they share. The group lists are
// dockerfile/checks.inc and compose/checks.inc.
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "lint/lint.h"

namespace drydock {

#define DRYDOCK_LINT_GROUP(fn) void fn(std::vector<LintRule>& rules);
#include "lint/compose/checks.inc"
#include "lint/dockerfile/checks.inc"
#undef DRYDOCK_LINT_GROUP

namespace lint {

// A finding for `rule` at instruction `ins` of `df`; evidence is the
// instruction text (one line, shortened) unless given.
Finding At(const LintRule& rule, const Dockerfile& df, const Instruction& ins, std::string evidence = {});

// Calls fn(index, instruction, command, effective argv) for every simple
// command of every RUN.
using CommandFn = std::function<void(size_t, const Instruction&, const ShellCommand&, const std::vector<std::string>&)>;
void ForEachCommand(const DockerfileCheckInput& in, const CommandFn& fn);

// argv has one of `flags` ("--yes"), or a short-option cluster containing
// `short_flag` ("-qy" has 'y'); short_flag 0 checks the long forms only.
bool HasFlag(const std::vector<std::string>& argv, std::initializer_list<std::string_view> flags, char short_flag = 0);

// argv[1..] contains `word`.
bool HasWord(const std::vector<std::string>& argv, std::string_view word);

// Non-option arguments after the subcommand at argv[sub] (options that take
// a value listed in `valued` skip that value).
std::vector<std::string> Operands(const std::vector<std::string>& argv, size_t sub,
                                  std::initializer_list<std::string_view> valued = {});

// The index of the first argument equal to one of `subs`, or 0.
size_t Subcommand(const std::vector<std::string>& argv, std::initializer_list<std::string_view> subs);

// A command line split the way its program's option parser sees it:
// `valued` names the options that take a value (without dashes: "o",
// "target-release"); "--x=v" and "-xV" carry their value inline, a short
// cluster "-yqq" is three options, "-q=2" is q with value 2, and "--" ends
// the options.
struct Cli {
  std::vector<std::string> words;                           // non-option words (subcommand, operands)
  std::vector<std::pair<std::string, std::string>> opts;  // name (no dashes) → value ("" if none)
  bool Has(std::initializer_list<std::string_view> names) const;
  int Count(std::string_view name) const;
  std::string Value(std::string_view name) const;  // last value of `name`, "" if none
};
Cli ParseCli(const std::vector<std::string>& argv, size_t from, std::initializer_list<std::string_view> valued);

// RUN --mount flags.
struct Mount {
  std::string type = "bind";
  std::string target;
  std::string from;
};
std::vector<Mount> Mounts(const Instruction& ins);
// A cache or tmpfs mount whose target contains `dir`: nothing written there stays in the layer.
bool CacheMountAt(const Instruction& ins, std::string_view dir);

// Per stage: it ships (the last one), or a later stage builds FROM it,
// copies from it or mounts it. One pass over the file.
std::vector<bool> StagesUsedLater(const Dockerfile& df);
inline bool UsedLater(const std::vector<bool>& used, int stage) {
  return stage < 0 || static_cast<size_t>(stage) >= used.size() || used[static_cast<size_t>(stage)];
}

// `stage` and the earlier stages it is built FROM, nearest first, at most
// kMaxStageChain of them (hostile chains stay linear).
inline constexpr size_t kMaxStageChain = 64;
std::vector<int> StageChain(const Dockerfile& df, int stage);

// The stage index of the last FROM, or -1.
int FinalStage(const Dockerfile& df);

// Upper-cases ASCII.
std::string Upper(std::string_view s);
std::string Lower(std::string_view s);

// One-line, shortened instruction text for evidence.
std::string Shorten(std::string_view s, size_t max = 160);

}  // namespace lint
}  // namespace drydock
