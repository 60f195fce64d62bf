// Edge cases of the x/mod/semver comparator beyond the oracle vectors: short
// forms, +incompatible, huge numbers, and the ordering of invalid strings.
#include <gtest/gtest.h>

#include <string>

#include "vuln/version.h"

namespace drydock {
namespace {

int Sign(int c) { return c < 0 ? -1 : c > 0 ? 1 : 0; }

TEST(CompareGoTest, OrdersAsXModSemver) {
  const std::string huge(100000, '9');
  struct Case {
    const char* name;
    std::string a, b;
    int want;
  };
  const Case cases[] = {
      {"major-only short form is .0.0", "v1", "v1.0.0", 0},
      {"major.minor short form is .0", "v1.2", "v1.2.0", 0},
      {"+incompatible is ignored", "v2.0.0+incompatible", "v2.0.0", 0},
      {"build metadata is ignored", "v1.0.0+a.b", "v1.0.0+c", 0},
      {"release above its prerelease", "v1.0.0", "v1.0.0-rc.1", 1},
      {"numeric identifiers compare numerically", "v1.0.0-rc.2", "v1.0.0-rc.10", -1},
      {"numeric identifier below alphanumeric", "v1.0.0-1", "v1.0.0-a", -1},
      {"shorter prerelease prefix is smaller", "v1.0.0-a", "v1.0.0-a.0", -1},
      {"pseudo-version below its release", "v0.0.0-20210101000000-abcdefabcdef", "v0.0.0", -1},
      {"huge numbers by length", "v" + huge + ".0.0", "v" + huge.substr(1) + ".0.0", 1},
      {"huge equal numbers", "v1.0.0-" + huge, "v1.0.0-" + huge, 0},
      {"invalid below valid", "1.2.3", "v0.0.0", -1},
      {"invalid equals invalid", "v1.02.3", "garbage", 0},
      {"empty is invalid", "", "v0.0.0-0", -1},
      {"short form with prerelease is invalid", "v1.2-pre", "v0.0.0", -1},
      {"leading zero prerelease is invalid", "v1.2.3-01", "v0.0.0", -1},
      {"empty build is invalid", "v1.2.3+", "v0.0.0", -1},
      {"100k-character garbage is invalid", std::string(100000, 'v'), "v0", -1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = CompareGo(c.a, c.b);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(Sign(*r), c.want);
    auto back = CompareGo(c.b, c.a);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(Sign(*back), -c.want);
  }
}

}  // namespace
}  // namespace drydock
