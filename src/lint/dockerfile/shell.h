// A small POSIX-shell tokenizer for RUN instructions: enough structure for
// lint rules to see each simple command and its arguments. Quotes ('…',
// "…", backslash), command lists (&&, ||, ;, &, newlines), pipelines (|),
// subshells and groups ((…), {…}), compound keywords (if/then/do/…),
// redirections and comments are understood; nothing is executed or
// expanded. Never fails: unbalanced quotes end at the end of the input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace drydock {

struct ShellCommand {
  std::vector<std::string> argv;  // words, quotes removed, redirections dropped
  std::string op_before;          // "", "&&", "||", ";", "|", "&", "\n": what joined it to the previous command
  bool piped_out = false;         // its stdout goes to the next command (… | next)
  int depth = 0;                  // subshell / group nesting
  size_t offset = 0;              // byte offset of its first word in the script
};

struct ShellScript {
  std::vector<ShellCommand> commands;
  bool errexit = false;   // set -e (or -o errexit) before the last command
  bool pipefail = false;  // set -o pipefail
  bool has_pipe = false;  // at least one pipeline
};

// Tokenizes `script`. At most `max_commands` commands are kept (hostile
// inputs stay bounded).
ShellScript ParseShell(std::string_view script, size_t max_commands = 100000);

// The words of the command that actually runs: leading VAR=value
// assignments, and the wrappers sudo/env/exec/nohup/time/command/xargs with
// their options, removed ("sudo -E apt-get install x" → "apt-get install x").
std::vector<std::string> EffectiveArgv(const ShellCommand& cmd);

// The base name of argv[0] ("/usr/bin/apt-get" → "apt-get"); "" if none.
std::string ProgramName(const std::vector<std::string>& argv);

}  // namespace drydock
