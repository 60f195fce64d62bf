// Edge cases of the RubyGems comparator (Gem::Version#<=>, RubyGems 3.3.15)
// beyond the oracle vectors: canonical segments, prerelease strings, huge
// numbers and malformed input.
#include <gtest/gtest.h>

#include <string>

#include "vuln/version.h"

namespace drydock {
namespace {

struct Case {
  const char* name;
  std::string a, b;
  int want;  // sign of the result
};

int SignOf(int v) { return v < 0 ? -1 : v > 0 ? 1 : 0; }

TEST(RubyGemsCompare, OrdersLikeGemVersion) {
  const Case cases[] = {
      {"trailing zeros dropped", "1.0.0", "1", 0},
      {"blank is zero", "", "0", 0},
      {"whitespace stripped", " 1.2\n", "1.2", 0},
      {"string below number", "1.0.a", "1.0.0", -1},
      {"prerelease before release", "1.0.rc1", "1.0", -1},
      {"dash means pre", "1.0-1", "1.0.pre.1", 0},
      {"letter digit boundary", "1.0a1", "1.0.a.1", 0},
      {"zeros before a string kept apart", "1.0.a", "1.a", 0},
      {"trailing zeros of the string part dropped", "1.a.0", "1.a", 0},
      {"strings bytewise", "1.0.B", "1.0.a", -1},
      {"numbers by value", "1.10", "1.9", 1},
      {"leading zeros", "1.01", "1.1", 0},
      {"huge numbers", "1.123456789012345678901234567890", "1.123456789012345678901234567891", -1},
  };
  for (const auto& c : cases) {
    auto r = CompareRubyGems(c.a, c.b);
    ASSERT_TRUE(r.ok()) << c.name << ": " << r.error().message;
    EXPECT_EQ(SignOf(*r), c.want) << c.name << ": " << c.a << " vs " << c.b;
  }
}

TEST(RubyGemsCompare, RejectsMalformedVersions) {
  const std::string cases[] = {
      "a", "1a", "1.", ".1", "1..2", "1.0-", "1.0-a.", "1_0", "1 0", "v1.0", "1.0+b", std::string(100000, '.'),
  };
  for (const auto& bad : cases) {
    auto r = CompareRubyGems(bad, "1.0");
    ASSERT_FALSE(r.ok()) << "accepted " << bad.substr(0, 40);
    EXPECT_EQ(r.error().kind, Error::Kind::kInput);
    EXPECT_NE(r.error().message.find("rubygems: "), std::string::npos);
    EXPECT_LE(r.error().message.size(), 200u);
    EXPECT_FALSE(CompareRubyGems("1.0", bad).ok());
  }
}

TEST(RubyGemsCompare, HandlesHugeInputs) {
  std::string many = "1";
  for (int i = 0; i < 30000; ++i) many += ".0a";
  auto r = CompareRubyGems(many, many + ".1");
  ASSERT_TRUE(r.ok());
  EXPECT_LT(*r, 0);
  const std::string digits = "9" + std::string(100000, '9');
  auto d = CompareRubyGems(digits, "1");
  ASSERT_TRUE(d.ok());
  EXPECT_GT(*d, 0);
}

}  // namespace
}  // namespace drydock
