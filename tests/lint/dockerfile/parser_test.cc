// The Dockerfile parser: BuildKit's splitting rules case by case, and the
// corpus of real-world-shaped Dockerfiles in testdata/dockerfiles (their
// expected instruction lists are in expected.tsv, written by make_corpus.py).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lint/dockerfile/dockerfile.h"

namespace drydock {
namespace {

std::string Keywords(const Dockerfile& df) {
  std::string out;
  for (const auto& i : df.instructions) out += (out.empty() ? "" : ",") + i.keyword;
  return out;
}

struct SplitCase {
  std::string name;
  std::string text;
  std::string keywords;           // comma-separated
  std::vector<std::string> rest;  // Instruction::rest per instruction ("" skips)
};

TEST(DockerfileParser, SplitsInstructionsLikeBuildKit) {
  const std::vector<SplitCase> cases = {
      {"simple", "FROM alpine:3.20\nRUN echo hi\n", "FROM,RUN", {"alpine:3.20", "echo hi"}},
      {"continuation_joins_without_separator", "RUN echo a \\\n  b\n", "RUN", {"echo a   b"}},
      {"continuation_with_trailing_blanks", "RUN echo a \\  \t\n  b\n", "RUN", {"echo a   b"}},
      {"comment_inside_continuation_vanishes", "RUN a \\\n# note\n  && b\n", "RUN", {"a   && b"}},
      {"indented_comment_inside_continuation", "RUN a \\\n    # note\n  && b\n", "RUN", {"a   && b"}},
      {"blank_line_inside_continuation_skipped", "RUN a \\\n\n  && b\nCMD x\n", "RUN,CMD", {"a   && b", "x"}},
      {"crlf_line_endings", "FROM x\r\nRUN a \\\r\n b\r\n", "FROM,RUN", {"x", "a  b"}},
      {"keyword_case_insensitive", "from x\nrun y\n", "FROM,RUN", {"x", "y"}},
      {"leading_whitespace", "   FROM x\n\tRUN y\n", "FROM,RUN", {"x", "y"}},
      {"escape_backtick", "# escape=`\nFROM x\nRUN a `\n b\nCOPY a\\ b\\\n", "FROM,RUN,COPY", {"x", "a  b", "a\\ b\\"}},
      {"backslash_not_continuation_with_backtick", "# escape=`\nRUN dir c:\\\nRUN x\n", "RUN,RUN", {"dir c:\\", "x"}},
      {"directive_after_comment_is_comment", "# hello\n# escape=`\nRUN a `\nRUN b\n", "RUN,RUN", {"a `", "b"}},
      {"directive_after_instruction_ignored", "FROM x\n# escape=`\nRUN a \\\n b\n", "FROM,RUN", {"x", "a  b"}},
      {"bom_stripped",
       "\xEF\xBB\xBF"
       "FROM x\n",
       "FROM",
       {"x"}},
      {"eof_in_continuation", "RUN a \\", "RUN", {"a"}},
      {"flags_extracted", "COPY --from=build --chown=1:1 /a /b\n", "COPY", {"/a /b"}},
      {"run_mount_flags", "RUN --mount=type=cache,target=/c --network=none make\n", "RUN", {"make"}},
      {"env_not_flagged", "ENV --x=1\n", "ENV", {"--x=1"}},
      {"heredoc_body_is_not_instructions", "RUN <<EOF\nFROM not\nRUN not\nEOF\nCMD y\n", "RUN,CMD", {"<<EOF", "y"}},
      {"two_heredocs", "RUN <<A cat && <<B cat\n1\nA\n2\nB\nCMD z\n", "RUN,CMD", {"", "z"}},
      {"heredoc_chomp_tabs", "COPY <<-EOT /f\n\tx\n\tEOT\nCMD z\n", "COPY,CMD", {"", "z"}},
      {"heredoc_quoted", "RUN python3 <<'PY'\nprint(1)\nPY\n", "RUN", {""}},
      {"here_string_is_not_heredoc", "RUN cat <<<hi\nCMD z\n", "RUN,CMD", {"cat <<<hi", "z"}},
      {"heredoc_in_cmd_not_parsed", "CMD cat <<EOF\nRUN y\n", "CMD,RUN", {"cat <<EOF", "y"}},
      {"onbuild", "ONBUILD RUN make\n", "ONBUILD", {"RUN make"}},
      {"empty_file", "", "", {}},
      {"only_comments", "# a\n# b\n", "", {}},
      {"unknown_instruction_kept", "FROM x\nFOO bar\n", "FROM,FOO", {"x", "bar"}},
  };
  for (const auto& c : cases) {
    auto df = ParseDockerfile(c.text);
    ASSERT_TRUE(df.ok()) << c.name << ": " << df.error().message;
    EXPECT_EQ(Keywords(*df), c.keywords) << c.name;
    for (size_t i = 0; i < c.rest.size() && i < df->instructions.size(); ++i) {
      if (!c.rest[i].empty()) {
        EXPECT_EQ(df->instructions[i].rest, c.rest[i]) << c.name << " #" << i;
      }
    }
  }
}

TEST(DockerfileParser, LinesAndColumns) {
  auto df = ParseDockerfile("# c\n\nFROM x\n  RUN a \\\n  b\n\nCMD [\"y\"]\n");
  ASSERT_TRUE(df.ok());
  ASSERT_EQ(df->instructions.size(), 3u);
  EXPECT_EQ(df->instructions[0].line, 3);
  EXPECT_EQ(df->instructions[1].line, 4);
  EXPECT_EQ(df->instructions[1].column, 3);
  EXPECT_EQ(df->instructions[1].end_line, 5);
  EXPECT_EQ(df->instructions[2].line, 7);
}

TEST(DockerfileParser, JsonAndShellForm) {
  struct Case {
    std::string text;
    bool json;
    std::vector<std::string> args;
  };
  const std::vector<Case> cases = {
      {"CMD [\"a\", \"b c\"]", true, {"a", "b c"}},
      {"CMD [ \"a\" ]", true, {"a"}},
      {"CMD ['a', 'b']", false, {"['a',", "'b']"}},
      {"ENTRYPOINT [\"a\",]", false, {"[\"a\",]"}},
      {"CMD [\"a\", 1]", false, {"[\"a\",", "1]"}},
      {"RUN [\"sh\", \"-c\", \"x\"]", true, {"sh", "-c", "x"}},
      {"HEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]", true, {"CMD", "curl", "-f", "http://localhost/"}},
      {"SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]", true, {"/bin/bash", "-o", "pipefail", "-c"}},
      {"CMD echo [\"a\"]", false, {"echo", "[\"a\"]"}},
  };
  for (const auto& c : cases) {
    auto df = ParseDockerfile(c.text + "\n");
    ASSERT_TRUE(df.ok()) << c.text;
    ASSERT_EQ(df->instructions.size(), 1u) << c.text;
    EXPECT_EQ(df->instructions[0].json, c.json) << c.text;
    EXPECT_EQ(df->instructions[0].args, c.args) << c.text;
  }
}

TEST(DockerfileParser, Heredocs) {
  auto df = ParseDockerfile("FROM x\nRUN <<EOF bash && <<-\"B\" cat\nset -e\necho $HOME\nEOF\n\tb1\n\tB\nCMD y\n");
  ASSERT_TRUE(df.ok()) << df.error().message;
  ASSERT_EQ(df->instructions.size(), 3u);
  const auto& h = df->instructions[1].heredocs;
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].name, "EOF");
  EXPECT_TRUE(h[0].expand);
  EXPECT_EQ(h[0].content, "set -e\necho $HOME\n");
  EXPECT_EQ(h[1].name, "B");
  EXPECT_FALSE(h[1].expand);
  EXPECT_TRUE(h[1].chomp);
  EXPECT_EQ(h[1].content, "b1\n");
  EXPECT_EQ(df->instructions[1].end_line, 7);
  EXPECT_EQ(df->instructions[2].line, 8);
}

TEST(DockerfileParser, RejectsWhatBuildKitRejects) {
  struct Case {
    std::string name, text, error;
  };
  const std::vector<Case> cases = {
      {"unterminated_heredoc", "FROM x\nRUN <<EOF\necho\n", "unterminated heredoc"},
      {"nul_byte", std::string("FROM x\0", 7), "NUL byte"},
      {"bad_escape", "# escape=x\nFROM x\n", "invalid escape"},
      {"duplicate_escape", "# escape=`\n# escape=\\\nFROM x\n", "only one escape"},
      {"duplicate_syntax", "# syntax=a\n# syntax=b\nFROM x\n", "only one syntax"},
  };
  for (const auto& c : cases) {
    auto df = ParseDockerfile(c.text, "Dockerfile");
    ASSERT_FALSE(df.ok()) << c.name;
    EXPECT_NE(df.error().message.find(c.error), std::string::npos) << c.name << ": " << df.error().message;
    EXPECT_EQ(df.error().message.find('\n'), std::string::npos) << c.name;
  }
}

TEST(DockerfileParser, StagesAndVariableScopes) {
  auto df = ParseDockerfile(
      "ARG GO=1.22\nARG UNUSED\nFROM golang:${GO}-alpine AS Build\nARG GO\nENV A=1 B=$A\nENV C=${A}x\n"
      "WORKDIR /src/${C}\nCOPY --chown=${A}:${A} x /y/\nFROM build AS test\nRUN echo\nFROM scratch\n"
      "COPY --from=build /a /b\nUSER ${NOPE:-1000}\nLABEL v=${GO}\n");
  ASSERT_TRUE(df.ok());
  ASSERT_EQ(df->stages.size(), 3u);
  EXPECT_EQ(df->stages[0].base, "golang:1.22-alpine");
  EXPECT_EQ(df->stages[0].name, "Build");
  EXPECT_EQ(df->stages[1].base_stage, 0);
  EXPECT_EQ(df->stages[2].base, "scratch");
  const auto& ins = df->instructions;
  EXPECT_EQ(ins[4].expanded, (std::vector<std::string>{"A=1", "B="}));  // B sees A from before the ENV
  EXPECT_EQ(ins[5].expanded, (std::vector<std::string>{"C=1x"}));
  EXPECT_EQ(ins[6].expanded, (std::vector<std::string>{"/src/1x"}));
  EXPECT_EQ(ins[7].Flag("chown"), "1:1");
  EXPECT_EQ(ins[12].expanded, (std::vector<std::string>{"1000"}));
  EXPECT_EQ(ins[13].expanded, (std::vector<std::string>{"v="}));  // GO not re-declared in the last stage
  std::vector<std::string> undefined;
  for (const auto& [i, name] : df->undefined_vars) undefined.push_back(name);
  EXPECT_NE(std::find(undefined.begin(), undefined.end(), "GO"), undefined.end());
  EXPECT_EQ(std::find(undefined.begin(), undefined.end(), "NOPE"), undefined.end());  // has a default
}

TEST(DockerfileParser, ExpandWord) {
  const std::map<std::string, std::string> vars = {{"A", "x"}, {"E", ""}};
  struct Case {
    std::string in, want;
  };
  const std::vector<Case> cases = {
      {"$A", "x"},          {"${A}", "x"},       {"${A:-d}", "x"}, {"${E:-d}", "d"}, {"${E-d}", ""}, {"${U-d}", "d"},
      {"${A:+y}", "y"},     {"${E:+y}", ""},     {"${E+y}", "y"},  {"\\$A", "$A"},   {"'$A'", "$A"}, {"\"$A\"", "x"},
      {"a${A}b$A", "axbx"}, {"${U:-${A}}", "x"}, {"$", "$"},       {"${A", "${A"},
  };
  for (const auto& c : cases) EXPECT_EQ(ExpandWord(c.in, vars, '\\', true), c.want) << c.in;
}

TEST(DockerfileParser, IgnoreComment) {
  auto df = ParseDockerfile("FROM x\n# drydock ignore=DD-DF-031,dd-df-034\nRUN apt-get install y\nRUN z\n");
  ASSERT_TRUE(df.ok());
  EXPECT_EQ(df->instructions[1].ignore, (std::vector<std::string>{"DD-DF-031", "DD-DF-034"}));
  EXPECT_TRUE(df->instructions[2].ignore.empty());
}

// Every corpus file parses to exactly the instructions its template has.
TEST(DockerfileParser, Corpus) {
  const std::string dir = std::string(DRYDOCK_TESTDATA) + "/dockerfiles";
  std::ifstream expected(dir + "/expected.tsv");
  ASSERT_TRUE(expected) << dir;
  std::string line;
  int n = 0;
  while (std::getline(expected, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream row(line);
    std::string file, stages, keywords;
    std::getline(row, file, '\t');
    std::getline(row, stages, '\t');
    std::getline(row, keywords, '\t');
    std::ifstream in(dir + "/" + file, std::ios::binary);
    ASSERT_TRUE(in) << file;
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto df = ParseDockerfile(text, file);
    ASSERT_TRUE(df.ok()) << file << ": " << df.error().message;
    EXPECT_EQ(Keywords(*df), keywords) << file;
    EXPECT_EQ(std::to_string(df->stages.size()), stages) << file;
    ++n;
  }
  EXPECT_GE(n, 100);
}

}  // namespace
}  // namespace drydock
