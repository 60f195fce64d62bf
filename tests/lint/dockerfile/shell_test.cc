// The RUN tokenizer: commands, operators, quotes, subshells, set -e.
#include <gtest/gtest.h>

#include "lint/dockerfile/shell.h"

namespace drydock {
namespace {

std::string Describe(const ShellScript& s) {
  std::string out;
  for (const auto& c : s.commands) {
    if (!out.empty()) out += " " + c.op_before + " ";
    std::string words;
    for (const auto& w : c.argv) words += (words.empty() ? "" : " ") + w;
    out += "[" + words + "]";
  }
  return out;
}

TEST(Shell, SplitsCommands) {
  struct Case {
    std::string script, want;
  };
  const std::vector<Case> cases = {
      {"apt-get update && apt-get install -y curl", "[apt-get update] && [apt-get install -y curl]"},
      {"a || b; c & d", "[a] || [b] ; [c] & [d]"},
      {"curl -fsSL https://x | sh -", "[curl -fsSL https://x] | [sh -]"},
      {"echo 'a && b' \"c | d\"", "[echo a && b c | d]"},
      {"echo a\\ b", "[echo a b]"},
      {"(cd /src && make) && make install", "[cd /src] && [make] && [make install]"},
      {"if [ -f x ]; then rm x; fi", "[[ -f x ]] ; [rm x]"},
      {"for f in a b; do echo $f; done", "[echo $f]"},
      {"make 2>&1 >/dev/null | tee log", "[make] | [tee log]"},
      {"echo hi > /tmp/x && cat < /tmp/x", "[echo hi] && [cat]"},
      {"echo $(date +%s) `id -u`", "[echo $(date +%s) `id -u`]"},
      {"a # comment && b\nc", "[a] \n [c]"},
      {"FOO=1 BAR=2 make", "[FOO=1 BAR=2 make]"},
      {"echo 'unterminated", "[echo unterminated]"},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(Describe(ParseShell(c.script)), c.want) << c.script;
}

TEST(Shell, Flags) {
  EXPECT_TRUE(ParseShell("set -eux; a | b").errexit);
  EXPECT_TRUE(ParseShell("set -o pipefail && a | b").pipefail);
  EXPECT_TRUE(ParseShell("set -euxo pipefail; a | b").pipefail);
  EXPECT_FALSE(ParseShell("a | b").pipefail);
  EXPECT_TRUE(ParseShell("a | b").has_pipe);
  EXPECT_FALSE(ParseShell("a || b").has_pipe);
  auto s = ParseShell("a | b");
  ASSERT_EQ(s.commands.size(), 2u);
  EXPECT_TRUE(s.commands[0].piped_out);
  EXPECT_FALSE(s.commands[1].piped_out);
  EXPECT_EQ(ParseShell("(cd x && y)").commands[0].depth, 1);
}

TEST(Shell, EffectiveArgv) {
  struct Case {
    std::string script;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"sudo -E apt-get install x", {"apt-get", "install", "x"}},
      {"DEBIAN_FRONTEND=noninteractive apt-get install -y x", {"apt-get", "install", "-y", "x"}},
      {"env A=1 pip install y", {"pip", "install", "y"}},
      {"sudo -u app npm i", {"npm", "i"}},
      {"gosu postgres initdb", {"initdb"}},
      {"/usr/bin/apt-get update", {"/usr/bin/apt-get", "update"}},
  };
  for (const auto& c : cases) {
    auto s = ParseShell(c.script);
    ASSERT_EQ(s.commands.size(), 1u) << c.script;
    EXPECT_EQ(EffectiveArgv(s.commands[0]), c.want) << c.script;
  }
  EXPECT_EQ(ProgramName({"/usr/bin/apt-get"}), "apt-get");
}

TEST(Shell, BoundedOnHugeInput) {
  std::string script;
  for (int i = 0; i < 200000; ++i) script += "a;";
  EXPECT_EQ(ParseShell(script, 1000).commands.size(), 1000u);
}

}  // namespace
}  // namespace drydock
