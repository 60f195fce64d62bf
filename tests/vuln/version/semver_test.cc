// Edge cases of the node-semver (strict) comparator beyond the oracle vectors:
// prerelease precedence, build metadata, number limits, hostile input.
#include <gtest/gtest.h>

#include <string>

#include "vuln/version/version.h"
#include "vuln/version/cases.h"

namespace drydock {
namespace {

TEST(CompareSemverTest, OrdersAsNodeSemver) {
  const OrderCase cases[] = {
      {"1.0.0", "1.0.0-alpha", 1, "release above its prerelease"},
      {"1.0.0-alpha.2", "1.0.0-alpha.10", -1, "numeric identifiers compare numerically"},
      {"1.0.0-1", "1.0.0-a", -1, "numeric identifier below alphanumeric"},
      {"1.0.0-Beta", "1.0.0-alpha", -1, "alphanumeric compares by code unit"},
      {"1.0.0-alpha", "1.0.0-alpha.1", -1, "shorter prerelease prefix is smaller"},
      {"1.0.0+build.1", "1.0.0+other", 0, "build metadata is ignored"},
      {"v1.2.3", "1.2.3", 0, "leading v is accepted"},
      {" 1.2.3\t", "1.2.3", 0, "surrounding whitespace is trimmed"},
      {"10.0.0", "9.99.99", 1, "major compares numerically"},
      {"9007199254740991.0.0", "1.0.0", 1, "largest safe integer is valid"},
      {"1.0.0-0a", "1.0.0-1", 1, "digit-led alphanumeric identifier"},
      // node compares numeric identifiers as doubles: both round to 2^53.
      {"1.0.0-9007199254740993", "1.0.0-9007199254740992", 0, "huge numeric identifiers compare as doubles"},
      {"1.0.0-9007199254740993.a", "1.0.0-9007199254740992.b", 0, "first numerically equal pair ends the comparison"},
      {"1.0.0-99999999999999999999", "1.0.0-9007199254740992", 1, "huge numeric identifiers of different size"},
  };
  ExpectOrders(CompareSemver, cases);
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
  for (const auto& v : invalid) ExpectRejects(CompareSemver, v, "1.0.0", {"semver: ", 159});
}

TEST(CompareSemverTest, ErrorNamesTheString) {
  auto r = CompareSemver("1.0.0", "1.2.3-01");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("1.2.3-01"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace drydock
