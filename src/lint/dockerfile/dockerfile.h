// A Dockerfile parser that splits instructions the way BuildKit's frontend
// (moby/buildkit frontend/dockerfile/parser) does: parser directives
// (`# syntax=`, `# escape=`), line continuations with comments and blank
// lines inside them, heredocs (`<<EOF`, `<<-EOF`, quoted delimiters, several
// per instruction), JSON (exec) form with malformed JSON falling back to shell
// form, `--flag=value` options, ONBUILD, and ARG/ENV expansion scoped per
// stage. Pure function of its input; thread-compatible.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drydock {

// Bounds that keep hostile input cheap: larger files are refused with an
// input error rather than parsed.
inline constexpr size_t kMaxDockerfileBytes = 16u << 20;
inline constexpr size_t kMaxDockerfileInstructionBytes = 4u << 20;
inline constexpr size_t kMaxExpandedWordBytes = 1u << 20;         // one expanded word
inline constexpr size_t kMaxDockerfileExpandedBytes = 64u << 20;  // all expanded text of a file

struct DockerfileFlag {
  std::string name;   // "mount", "from", "chown" (without the dashes)
  std::string value;  // "type=cache,target=/root/.cache"; "" when absent
  bool has_value = false;
};

struct Heredoc {
  std::string name;     // delimiter word ("EOF")
  bool expand = true;   // false when the delimiter was quoted
  bool chomp = false;   // <<- strips leading tabs
  std::string content;  // the body, one '\n' after each line
};

struct Instruction {
  std::string keyword;   // upper case: "RUN", "FROM"; unknown words kept as written, upper-cased
  std::string original;  // the instruction text as written (continuations joined with '\n')
  std::string joined;    // continuation lines joined as BuildKit's Node.Original (what `Step N/M :` prints)
  int line = 0;          // 1-based line of the keyword
  int end_line = 0;      // last line (continuations, heredoc bodies)
  int column = 1;        // 1-based column of the keyword
  std::vector<DockerfileFlag> flags;
  // Shell form: the text after the flags, continuation lines joined (as
  // BuildKit joins them: the escape and newline removed). Exec form: the
  // raw JSON text.
  std::string rest;
  bool json = false;                     // exec form (a valid JSON array of strings)
  std::vector<std::string> args;         // exec form: the array; else words of `rest` split on whitespace
  std::vector<Heredoc> heredocs;         // RUN/COPY/ADD heredocs, in order
  std::shared_ptr<Instruction> onbuild;  // ONBUILD's trigger instruction
  // Rule ids from "# drydock ignore=…" or "# hadolint ignore=DL…" on the line before.
  std::vector<std::string> ignore;
  int stage = -1;                        // index into Dockerfile::stages; -1 before the first FROM
  // Word arguments after ARG/ENV expansion (FROM, COPY, ADD, WORKDIR, USER,
  // EXPOSE, ENV, ARG, LABEL, VOLUME, STOPSIGNAL, HEALTHCHECK flags): the
  // args with variables substituted from the stage's scope.
  std::vector<std::string> expanded;
  bool empty_continuation = false;  // a blank line inside a continuation
  // Some expanded word used a variable whose value is unknown at lint time
  // (not defined in the file, or an ARG without a default): "unknown, not
  // invalid" for rules that judge the value (WORKDIR ${work}, EXPOSE ${PORT}).
  bool unknown_value = false;

  // The value of flag `name` (last occurrence), or nullopt.
  std::optional<std::string> Flag(std::string_view name) const;
};

struct Stage {
  int index = 0;
  std::string name;      // "builder" from FROM … AS builder (as written); "" if unnamed
  std::string base;      // the image reference after expansion ("golang:1.22")
  std::string base_raw;  // as written ("golang:${GO_VERSION}")
  std::string platform;  // --platform value as written
  size_t from = 0;       // index of its FROM in Dockerfile::instructions
  size_t end = 0;        // one past its last instruction
  int line = 0;
  int base_stage = -1;  // FROM refers to an earlier stage by name
};

struct Dockerfile {
  std::string path;
  std::map<std::string, std::string> directives;  // lower-case key → value ("syntax", "escape", "check")
  char escape = '\\';
  std::vector<Instruction> instructions;
  std::vector<Stage> stages;
  // Variables used but never defined (in the stage's ARG/ENV scope),
  // with the instruction index that used them.
  std::vector<std::pair<size_t, std::string>> undefined_vars;
  // "# hadolint global ignore=…" / "# drydock global ignore=…": ids dropped for the whole file.
  std::vector<std::string> global_ignore;
  std::vector<int> pragma_lines;  // lines of every ignore pragma comment (Hadolint DL1001)
};

// Parses a Dockerfile. `path` only names the file in errors. Fails (input
// error) on what BuildKit refuses to parse: NUL bytes, a bad escape
// directive, a duplicate directive, an unterminated heredoc, oversized input.
// Unknown instructions parse (the rules report them).
Result<Dockerfile> ParseDockerfile(std::string_view text, std::string_view path = "Dockerfile");

// Expands $VAR, ${VAR}, ${VAR:-word}, ${VAR-word}, ${VAR:+word}, ${VAR+word}
// like BuildKit's shell lexer does for Dockerfile words (no command
// substitution); `escape` protects a '$'. Single quotes suppress expansion,
// and quotes are removed when `unquote` is set. Names used but missing from
// `vars` are appended to `missing` (if given).
std::string ExpandWord(std::string_view word, const std::map<std::string, std::string>& vars, char escape = '\\',
                       bool unquote = false, std::vector<std::string>* missing = nullptr);

// Splits `s` into words the way Dockerfile ENV/LABEL/ARG key=value lists are
// split: on unquoted whitespace, quotes kept.
std::vector<std::string> SplitWords(std::string_view s, char escape = '\\');

// Removes one level of quotes and escapes from a word.
std::string Unquote(std::string_view s, char escape = '\\');

// key=value pairs of ENV/LABEL/ARG ("ENV a=1 b=2", legacy "ENV a 1 2").
// Values are unquoted. ARG without a value gives has_value=false.
struct KeyValue {
  std::string key;
  std::string value;
  bool has_value = true;
};
std::vector<KeyValue> ParseKeyValues(const Instruction& ins, char escape = '\\');

}  // namespace drydock
