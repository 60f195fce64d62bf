// Edge cases of the Maven comparator (ComparableVersion, maven-artifact
// 3.8.7) beyond the oracle vectors: qualifier order, aliases, list nesting,
// normalisation and hostile input (every string is a valid Maven version).
#include <gtest/gtest.h>

#include <string>

#include "vuln/version/version.h"
#include "vuln/version/cases.h"

namespace drydock {
namespace {

TEST(MavenCompare, OrdersLikeComparableVersion) {
  const OrderCase cases[] = {
      {"1-alpha", "1-beta", -1, "alpha before beta"},
      {"1-beta", "1-milestone", -1, "beta before milestone"},
      {"1-milestone", "1-rc", -1, "milestone before rc"},
      {"1-cr1", "1-rc1", 0, "cr is rc"},
      {"1-rc", "1-snapshot", -1, "rc before snapshot"},
      {"1-SNAPSHOT", "1", -1, "snapshot before release"},
      {"1-ga", "1.final", 0, "ga final release are the release"},
      {"1.RELEASE", "1", 0, "release alias"},
      {"1-sp", "1", 1, "sp after release"},
      {"1-xyz", "1-sp", 1, "unknown after sp"},
      {"1-abc", "1-abd", -1, "unknown qualifiers lexically"},
      {"1-a1", "1-alpha-1", 0, "a1 is alpha 1"},
      {"1-a", "1-alpha", 1, "lone a is unknown"},
      {"1.0-Beta", "1.0-beta", 0, "case-insensitive"},
      {"1.0.0", "1", 0, "trailing zeros"},
      {"1..1", "1.0.1", 0, "empty components are zero"},
      {"1.0.SP1", "1-sp1", 0, "dot qualifier like dash"},
      {"1-1", "1.1", -1, "dash list after number"},
      {"1.1", "1.sp", 1, "number above qualifier"},
      {"", "0", 0, "empty string is zero"},
      {"1.99999999999999999999999", "1.100000000000000000000000", -1, "huge numbers"},
      {"1.999999999", "1.1000000000", -1, "int vs long item"},
      {"1.007", "1.7", 0, "leading zeros"},
  };
  ExpectOrders(CompareMaven, cases);
}

TEST(MavenCompare, HandlesHostileInput) {
  std::string nested;
  for (int i = 0; i < 50000; ++i) nested += "1-";
  auto r = CompareMaven(nested, nested + "1");
  ASSERT_TRUE(r.ok());
  EXPECT_LT(*r, 0);
  std::string alternating;
  for (int i = 0; i < 25000; ++i) alternating += "a1";
  auto s = CompareMaven(alternating, alternating);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, 0);
  auto junk = CompareMaven(std::string(100000, '-'), "\xff\xfe.!");
  EXPECT_TRUE(junk.ok());
}

}  // namespace
}  // namespace drydock
