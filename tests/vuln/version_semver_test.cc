// Edge cases of the node-semver (strict) comparator beyond the oracle vectors:
// prerelease precedence, build metadata, number limits, hostile input.
#include <gtest/gtest.h>

#include <string>

#include "vuln/version.h"

namespace drydock {
namespace {

int Sign(int c) { return c < 0 ? -1 : c > 0 ? 1 : 0; }

TEST(CompareSemverTest, OrdersAsNodeSemver) {
  struct Case {
    const char* name;
    std::string a, b;
    int want;
  };
  const Case cases[] = {
      {"release above its prerelease", "1.0.0", "1.0.0-alpha", 1},
      {"numeric identifiers compare numerically", "1.0.0-alpha.2", "1.0.0-alpha.10", -1},
      {"numeric identifier below alphanumeric", "1.0.0-1", "1.0.0-a", -1},
      {"alphanumeric compares by code unit", "1.0.0-Beta", "1.0.0-alpha", -1},
      {"shorter prerelease prefix is smaller", "1.0.0-alpha", "1.0.0-alpha.1", -1},
      {"build metadata is ignored", "1.0.0+build.1", "1.0.0+other", 0},
      {"leading v is accepted", "v1.2.3", "1.2.3", 0},
      {"surrounding whitespace is trimmed", " 1.2.3\t", "1.2.3", 0},
      {"major compares numerically", "10.0.0", "9.99.99", 1},
      {"largest safe integer is valid", "9007199254740991.0.0", "1.0.0", 1},
      {"digit-led alphanumeric identifier", "1.0.0-0a", "1.0.0-1", 1},
      // node compares numeric identifiers as doubles: both round to 2^53.
      {"huge numeric identifiers compare as doubles", "1.0.0-9007199254740993", "1.0.0-9007199254740992", 0},
      {"first numerically equal pair ends the comparison", "1.0.0-9007199254740993.a", "1.0.0-9007199254740992.b", 0},
      {"huge numeric identifiers of different size", "1.0.0-99999999999999999999", "1.0.0-9007199254740992", 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = CompareSemver(c.a, c.b);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(Sign(*r), c.want);
    auto back = CompareSemver(c.b, c.a);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(Sign(*back), -c.want);
  }
}

TEST(CompareSemverTest, RejectsWhatStrictParsingRejects) {
  const std::string hundred_k(100000, '1');
  const std::string invalid[] = {
      "",
      "   ",
      "1.2",
      "1.2.3.4",
      "=1.2.3",
      "01.2.3",
      "1.02.3",
      "1.2.3-01",
      "1.2.3-",
      "1.2.3-a..b",
      "1.2.3+",
      "1.2.3+a..b",
      "1.2.3-a_b",
      "V1.2.3",
      "vv1.2.3",
      "9007199254740992.0.0",
      "99999999999999999999999.0.0",
      "1.2.3-" + std::string(251, 'a'),  // 257 characters: over MAX_LENGTH
      hundred_k,
      "1.2.3-" + hundred_k,
  };
  for (const auto& v : invalid) {
    SCOPED_TRACE(v.substr(0, 40));
    auto r = CompareSemver(v, "1.0.0");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, Error::Kind::kInput);
    EXPECT_EQ(r.error().message.rfind("semver: ", 0), 0u) << r.error().message;
    EXPECT_LT(r.error().message.size(), 160u) << "the string is truncated in the message";
    EXPECT_FALSE(CompareSemver("1.0.0", v).ok());
  }
}

TEST(CompareSemverTest, ErrorNamesTheString) {
  auto r = CompareSemver("1.0.0", "1.2.3-01");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("1.2.3-01"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace drydock
