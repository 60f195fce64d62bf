// The shared readers of the language catalogers: the TOML subset and the
// streaming YAML walk.
#include "catalog/lockfile_util.h"
#include "catalog/yaml_walk.h"

#include <gtest/gtest.h>

#include "catalog/lang_test_util.h"

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
      {"quoted keys and values, comments, document start",
       "# c\n---\n'a@1':  # c\n  \"b\\\"\": 'it''s' # c\n  c: x #y\n  d: \"null\"\n",
       {"a@1: map ", "a@1/b\": scalar it's", "a@1/c: scalar x", "a@1/d: scalar null"},
       ""},
      {"flow collections: maps reported, sequence items not",
       "p:\n  r: {integrity: sha512-x/y==, tarball: 'https://h.invalid/t.tgz'}\n  os: [darwin, {a: 1}]\n  e: {}\n",
       {"p: map ", "p/r: map ", "p/r/integrity: scalar sha512-x/y==", "p/r/tarball: scalar https://h.invalid/t.tgz",
        "p/os: seq ", "p/e: map "},
       ""},
      {"dedent closes maps; an empty value before a sibling is null",
       "a:\n  b:\n    c: 1\n  d:\ne: 2\n",
       {"a: map ", "a/b: map ", "a/b/c: scalar 1", "a/d: null ", "e: scalar 2"},
       ""},
      {"a block sequence", "a:\n- x\n- y: 1\nb: 2\n", {"a: seq ", "b: scalar 2"}, ""},
      {"a block scalar", "a: |\n  text\n  more\nb: 1\n", {"a: scalar text\nmore\n", "b: scalar 1"}, ""},
      {"a multi-line plain scalar", "a: one\n  two\nb: 1\n", {"a: scalar one two", "b: scalar 1"}, ""},
      {"a tab in the indentation", "a:\n\tb: 1\n", {}, "YAML: line"},
  };
  // Both readers, and WalkYaml's choice between them, must give the same.
  using Walker = Status (*)(std::string_view, int, const lang::YamlVisitor&);
  const std::pair<const char*, Walker> walkers[] = {{"WalkYaml", lang::WalkYaml}, {"yaml-cpp", lang::WalkYamlCpp}};
  for (const auto& [walker_name, walk] : walkers)
    for (const auto& c : cases) {
      SCOPED_TRACE(c.name + " / " + walker_name);
      std::vector<std::string> got;
      const Status st =
          walk(c.text, 16, [&](const std::vector<std::string>& path, lang::YamlKind kind, const std::string& value) {
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

// The lock files the real tools wrote are all in the block style the line
// reader takes, and it reports exactly what yaml-cpp reports for them.
TEST(WalkYaml, LineReaderTakesRealLockFilesAndAgreesWithYamlCpp) {
  for (const char* f :
       {"node/pnpm-lock-v5.yaml", "node/pnpm-lock-v6.yaml", "node/pnpm-lock-v9.yaml", "node/yarn-berry.lock"}) {
    SCOPED_TRACE(f);
    const std::string text = testing::CatalogTestdata(f);
    std::vector<std::string> fast, reference;
    auto into = [](std::vector<std::string>& v) {
      return [&v](const std::vector<std::string>& path, lang::YamlKind kind, const std::string& value) {
        std::string s;
        for (const auto& k : path) s += k + "/";
        v.push_back(s + " " + std::to_string(static_cast<int>(kind)) + " " + value);
      };
    };
    EXPECT_TRUE(lang::WalkBlockYaml(text, 64, into(fast)));
    ASSERT_TRUE(lang::WalkYamlCpp(text, 64, into(reference)).ok());
    EXPECT_GT(reference.size(), 50u);
    EXPECT_EQ(fast, reference);
  }
}

}  // namespace
}  // namespace drydock
