// The shared readers of the language catalogers: the TOML subset and the
// streaming YAML walk.
#include "catalog/lockfile_util.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace drydock {
namespace {

TEST(ReadTomlTables, Cases) {
  struct Case {
    std::string name;
    std::string text;
    std::vector<std::string> want;  // "line: key=value;key=value" per table
    std::string want_error;         // substring, "" for success
  };
  const Case cases[] = {
      {"two tables, other tables skipped",
       "[[package]]\nname = \"a\"\n[package.extras]\nname = \"no\"\n[[other]]\nname = \"no\"\n[[package]]\nname = "
       "\"b\"\n",
       {"1: name=a", "7: name=b"},
       ""},
      {"escapes decoded in basic strings, not in literal ones",
       "[[package]]\na = \"q\\\"t\\\\n\\u00e9\"\nb = 'c:\\path'\n",
       {"1: a=q\"t\\n\\u00e9;b=c:\\path"},
       ""},
      {"multi-line strings, with line-ending backslash",
       "[[package]]\nd = \"\"\"\nx\\\n    y\"\"\"\ne = '''a\nb'''\nf = 1\n",
       {"1: d=xy;e=a\nb;f=1"},
       ""},
      {"arrays and inline tables kept raw, nested and multi-line",
       "[[package]]\ndeps = [\n \"a\", # c\n [1, {x = 2}],\n]\nt = {a = \"}\", b = [1]}\n",
       {"1: deps=[\n \"a\", # c\n [1, {x = 2}],\n];t={a = \"}\", b = [1]}"},
       ""},
      {"dotted and quoted keys", "[[package]]\na.b = 1\n\"c d\".'e' = 2\n", {"1: a.b=1;c d.e=2"}, ""},
      {"a table header with spaces", "[[ package ]]\nname = \"a\"\n", {"1: name=a"}, ""},
      {"no trailing newline", "[[package]]\nname = \"a\"", {"1: name=a"}, ""},
      {"empty document", "", {}, ""},
      {"text after a value", "[[package]]\nname = \"a\" b\n", {}, "line 2: unexpected text after a value"},
      {"unterminated multi-line string", "[[package]]\nd = \"\"\"abc\n", {}, "unterminated string"},
      {"unterminated inline table", "[[package]]\nt = {a = 1\n", {}, "unterminated array"},
      {"a bare word", "hello\n", {}, "line 1: expected '='"},
      {"NUL byte", std::string("a = 1\n\0", 7), {}, "binary data"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = lang::ReadTomlTables(c.text, "package");
    if (!c.want_error.empty()) {
      ASSERT_FALSE(r.ok());
      EXPECT_NE(r.error().message.find(c.want_error), std::string::npos) << r.error().message;
      continue;
    }
    ASSERT_TRUE(r.ok()) << r.error().message;
    std::vector<std::string> got;
    for (const auto& t : *r) {
      std::string s = std::to_string(t.line) + ": ";
      for (size_t i = 0; i < t.fields.size(); ++i) s += (i ? ";" : "") + t.fields[i].first + "=" + t.fields[i].second;
      got.push_back(s);
    }
    EXPECT_EQ(got, c.want);
  }
}

TEST(WalkYaml, Cases) {
  struct Case {
    std::string name;
    std::string text;
    std::vector<std::string> want;  // "a/b: kind value"
    std::string want_error;
  };
  const Case cases[] = {
      {"nested maps report every entry with its path",
       "a:\n  b: 1\n  c:\n    d: x\ne: ~\n",
       {"a: map ", "a/b: scalar 1", "a/c: map ", "a/c/d: scalar x", "e: null "},
       ""},
      {"entries inside sequences are not reported", "a:\n  - b: 1\n  - [c]\nd: 2\n", {"a: seq ", "d: scalar 2"}, ""},
      {"flow style and quoted keys", "{'x@1': {v: \"2\"}}", {"x@1: map ", "x@1/v: scalar 2"}, ""},
      {"a complex key is ignored", "? [a, b]\n: {c: 1}\nd: 1\n", {"d: scalar 1"}, ""},
      {"aliases are reported as null", "a: &x 1\nb: *x\n", {"a: scalar 1", "b: null "}, ""},
      {"a scalar document reports nothing", "just text\n", {}, ""},
      {"only the first document", "a: 1\n---\nb: 2\n", {"a: scalar 1"}, ""},
      {"nesting past the cap", "a: " + std::string(50, '[') + std::string(50, ']') + "\n", {}, "nested deeper"},
      {"an unclosed flow map", "a: {b: 1\n", {}, "YAML: line"},
      {"a NUL byte", std::string("a: 1\0", 5), {}, "binary data"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> got;
    const Status st = lang::WalkYaml(
        c.text, 16, [&](const std::vector<std::string>& path, lang::YamlKind kind, const std::string& value) {
          std::string s;
          for (size_t i = 0; i < path.size(); ++i) s += (i ? "/" : "") + path[i];
          const char* k = kind == lang::YamlKind::kScalar ? "scalar"
                          : kind == lang::YamlKind::kNull ? "null"
                          : kind == lang::YamlKind::kMap  ? "map"
                                                          : "seq";
          got.push_back(s + ": " + k + " " + value);
        });
    if (!c.want_error.empty()) {
      ASSERT_FALSE(st.ok());
      EXPECT_NE(st.error().message.find(c.want_error), std::string::npos) << st.error().message;
      continue;
    }
    ASSERT_TRUE(st.ok()) << st.error().message;
    EXPECT_EQ(got, c.want);
  }
}

}  // namespace
}  // namespace drydock
