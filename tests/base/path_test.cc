// Lexical path handling for untrusted tar names: cleaning clamps at the
// root, joins, dir/base names, and the glob matcher analyzers declare
// their wants with.
#include "base/path.h"

#include <gtest/gtest.h>

#include <string>

namespace drydock {
namespace {

using namespace std::string_literals;

TEST(CleanPath, Cases) {
  struct Case {
    std::string name;
    std::string input;
    std::string want;
  };
  const Case cases[] = {
      {"relative name becomes absolute", "etc/passwd", "/etc/passwd"},
      {"absolute name kept", "/etc/passwd", "/etc/passwd"},
      {"dot slash prefix dropped", "./etc/passwd", "/etc/passwd"},
      {"inner dot components dropped", "/etc/./ssl/./certs", "/etc/ssl/certs"},
      {"double slashes collapse", "etc//ssl///certs", "/etc/ssl/certs"},
      {"trailing slash dropped", "usr/lib/", "/usr/lib"},
      {"dot dot goes up one", "/usr/lib/../bin", "/usr/bin"},
      {"dot dot at root clamps", "../../etc/passwd", "/etc/passwd"},
      {"dot dot past root mid path clamps", "/a/../../../b", "/b"},
      {"only dot dots is root", "../..", "/"},
      {"empty is root", "", "/"},
      {"dot slash is root", "./", "/"},
      {"lone slash is root", "/", "/"},
      {"NUL truncates the name", "etc/passwd\0/../../shadow"s, "/etc/passwd"},
      {"NUL inside a component truncates it", "etc/pass\0wd"s, "/etc/pass"},
      {"dots inside names are kept", "/a/..b/c..", "/a/..b/c.."},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(CleanPath(c.input), c.want);
  }
}

TEST(JoinPath, Cases) {
  struct Case {
    std::string name;
    std::string dir;
    std::string rel;
    std::string want;
  };
  const Case cases[] = {
      {"relative target joins the dir", "/usr/bin", "python3", "/usr/bin/python3"},
      {"relative target with dot dot", "/usr/bin", "../lib/x", "/usr/lib/x"},
      {"absolute target ignores the dir", "/usr/bin", "/etc/alternatives/x", "/etc/alternatives/x"},
      {"escaping target clamps at root", "/a", "../../../../etc/passwd", "/etc/passwd"},
      {"root dir", "/", "etc", "/etc"},
      {"empty target is the dir", "/usr/bin", "", "/usr/bin"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(JoinPath(c.dir, c.rel), c.want);
  }
}

TEST(DirnameBasename, Cases) {
  struct Case {
    std::string input;
    std::string dir;
    std::string base;
  };
  const Case cases[] = {
      {"/a/b/c", "/a/b", "c"},
      {"/a", "/", "a"},
      {"/", "/", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(Dirname(c.input), c.dir);
    EXPECT_EQ(Basename(c.input), c.base);
  }
}

TEST(GlobMatch, Cases) {
  struct Case {
    std::string name;
    std::string pattern;
    std::string path;
    bool want;
  };
  const Case cases[] = {
      {"literal matches itself", "/etc/passwd", "/etc/passwd", true},
      {"literal does not match a prefix", "/etc/passwd", "/etc/passwd-", false},
      {"star matches within a component", "/etc/*", "/etc/passwd", true},
      {"star does not cross a slash", "/etc/*", "/etc/ssl/openssl.cnf", false},
      {"star matches an empty run", "/etc/passwd*", "/etc/passwd", true},
      {"star in the middle", "/usr/lib/*.so", "/usr/lib/libc.so", true},
      {"double star matches many components", "/usr/**/*.jar", "/usr/share/java/lib/a.jar", true},
      {"slash double star slash matches zero components", "/usr/**/lib", "/usr/lib", true},
      {"slash double star slash matches one component", "/usr/**/lib", "/usr/local/lib", true},
      {"double star slash needs a component boundary", "/usr/**/lib", "/usr/xlib", false},
      {"leading double star matches any depth", "/**/*.jar", "/app.jar", true},
      {"trailing double star matches everything below", "/opt/**", "/opt/a/b/c", true},
      {"question mark matches one character", "/etc/passw?", "/etc/passwd", true},
      {"question mark needs a character", "/etc/passwd?", "/etc/passwd", false},
      {"question mark does not match a slash", "/etc?passwd", "/etc/passwd", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(GlobMatch(c.pattern, c.path), c.want);
  }
}

TEST(Printable, Cases) {
  struct Case {
    std::string name;
    std::string input;
    size_t max;
    std::string want;
  };
  const Case cases[] = {
      {"plain text unchanged", "etc/passwd", 200, "etc/passwd"},
      {"control bytes escaped", "a\nb\x01"s, 200, "a\\x0ab\\x01"},
      {"NUL escaped", "a\0b"s, 200, "a\\x00b"},
      {"backslash doubled", "a\\b", 200, "a\\\\b"},
      {"cut at max with an ellipsis", "abcdefgh", 4, "abcd…"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Printable(c.input, c.max), c.want);
  }
}

}  // namespace
}  // namespace drydock
