// Edge cases of the RubyGems comparator (Gem::Version#<=>, RubyGems 3.3.15)
// beyond the oracle vectors: canonical segments, prerelease strings, huge
// numbers and malformed input.
#include <gtest/gtest.h>

#include <string>

#include "vuln/version/version.h"
#include "vuln/version/cases.h"

namespace drydock {
namespace {

TEST(RubyGemsCompare, OrdersLikeGemVersion) {
  const OrderCase cases[] = {
      {"1.0.0", "1", 0, "trailing zeros dropped"},
      {"", "0", 0, "blank is zero"},
      {" 1.2\n", "1.2", 0, "whitespace stripped"},
      {"1.0.a", "1.0.0", -1, "string below number"},
      {"1.0.rc1", "1.0", -1, "prerelease before release"},
      {"1.0-1", "1.0.pre.1", 0, "dash means pre"},
      {"1.0a1", "1.0.a.1", 0, "letter digit boundary"},
      {"1.0.a", "1.a", 0, "zeros before a string kept apart"},
      {"1.a.0", "1.a", 0, "trailing zeros of the string part dropped"},
      {"1.0.B", "1.0.a", -1, "strings bytewise"},
      {"1.10", "1.9", 1, "numbers by value"},
      {"1.01", "1.1", 0, "leading zeros"},
      {"1.123456789012345678901234567890", "1.123456789012345678901234567891", -1, "huge numbers"},
  };
  ExpectOrders(CompareRubyGems, cases);
}

TEST(RubyGemsCompare, RejectsMalformedVersions) {
  const std::string cases[] = {
      "a", "1a", "1.", ".1", "1..2", "1.0-", "1.0-a.", "1_0", "1 0", "v1.0", "1.0+b", std::string(100000, '.'),
  };
  for (const auto& bad : cases) ExpectRejects(CompareRubyGems, bad, "1.0", {"rubygems: ", 200});
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
