// Fuzzes the Dockerfile parser, the RUN tokenizer and every Dockerfile rule.
// Besides "no crash", it asserts what the headers promise: instructions are
// in line order with 1-based lines and columns, keywords are upper case,
// stages index their FROMs, and every finding names a rule from the table,
// the file and a line.

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "lint/lint.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto df = ParseDockerfile(in, "Dockerfile");
  if (!df.ok()) {
    FUZZ_CHECK(!df.error().message.empty(), "empty error");
    FUZZ_CHECK(df.error().message.find('\n') == std::string::npos, "multi-line error");
    return 0;
  }
  int last_line = 0;
  for (const Instruction& ins : df->instructions) {
    FUZZ_CHECK(ins.line > last_line, "line %d after %d", ins.line, last_line);
    FUZZ_CHECK(ins.end_line >= ins.line && ins.column >= 1, "end %d col %d", ins.end_line, ins.column);
    last_line = ins.end_line;
    for (char c : ins.keyword) FUZZ_CHECK(!std::islower(static_cast<unsigned char>(c)), "keyword case");
    FUZZ_CHECK(ins.stage < static_cast<int>(df->stages.size()), "stage %d", ins.stage);
  }
  for (const Stage& s : df->stages) {
    FUZZ_CHECK(s.from < df->instructions.size() && df->instructions[s.from].keyword == "FROM", "stage FROM");
    FUZZ_CHECK(s.end >= s.from && s.end <= df->instructions.size(), "stage end");
  }
  std::set<std::string_view> ids;
  for (const LintRule& r : DockerfileRules()) ids.insert(r.id);
  LintOptions opts;
  opts.trusted_registries = {"docker.io", "*.example.com"};
  // Every optional rule on: the label schema (one label per type), strict
  // labels and the DL1001 pragma rule.
  opts.label_schema = {{"url", "url"},    {"date", "rfc3339"}, {"license", "spdx"}, {"rev", "githash"},
                       {"ver", "semver"}, {"mail", "email"},   {"name", "text"}};
  opts.strict_labels = true;
  opts.forbid_inline_ignores = true;
  for (const Finding& f : LintDockerfile(*df, opts)) {
    FUZZ_CHECK(ids.contains(f.rule_id), "rule %s", f.rule_id.c_str());
    FUZZ_CHECK(f.location.path == "Dockerfile" && f.location.line >= 1, "location");
  }
  return 0;
}
