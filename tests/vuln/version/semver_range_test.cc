// node-semver range matching, cases from node-semver's documented range
// grammar (README "Ranges", "Advanced Range Syntax") and the ranges the
// Node.js security-wg advisories use.
#include "vuln/version/semver_range.h"

#include <gtest/gtest.h>

namespace drydock {
namespace {

struct Case {
  const char* range;
  const char* version;
  bool want;
};

const Case kCases[] = {
    {"<=1.5.1", "1.5.1", true},
    {"<=1.5.1", "1.5.2", false},
    {"<= 1.0.3", "1.0.3", true},
    {"*", "9.9.9", true},
    {"*", "1.0.0-beta", false},  // prereleases need an explicit comparator
    {"<3.5.1 || >=4.0.0 <4.1.3 || >=5.0.0 <5.6.1", "4.1.2", true},
    {"<3.5.1 || >=4.0.0 <4.1.3 || >=5.0.0 <5.6.1", "4.1.3", false},
    {"<3.5.1 || >=4.0.0 <4.1.3 || >=5.0.0 <5.6.1", "3.9.0", false},
    {">=3.0.0 <=3.9.1 || =3.10.2", "3.10.2", true},
    {">=2.2.6 <2.47.0 || >2.51.0 <=2.67.0", "2.51.0", false},
    {">=2.2.6 <2.47.0 || >2.51.0 <=2.67.0", "2.51.1", true},
    {">=2.0.0-alpha8 <=2.0.0-rc2", "2.0.0-beta", true},
    {">=2.0.0-alpha8 <=2.0.0-rc2", "2.0.0", false},
    {"^1.2.3", "1.9.0", true},
    {"^1.2.3", "2.0.0", false},
    {"^0.2.3", "0.2.9", true},
    {"^0.2.3", "0.3.0", false},
    {"^0.0.3", "0.0.4", false},
    {"~1.2.3", "1.2.9", true},
    {"~1.2.3", "1.3.0", false},
    {"~1", "1.9.9", true},
    {"1.x", "1.4.0", true},
    {"1.x", "2.0.0", false},
    {"1.2.x", "1.2.7", true},
    {"1.2.3 - 2.3", "2.3.9", true},
    {"1.2.3 - 2.3", "2.4.0", false},
    {"1.2 - 2.3.4", "1.2.0", true},
    {">1.2", "1.2.9", false},
    {">1.2", "1.3.0", true},
    {"<=1.2", "1.2.9", true},
    {"<1.2", "1.1.9", true},
    {"<1.2", "1.2.0", false},
    {"2.1.4", "2.1.4", true},
    {"2.1.4", "2.1.5", false},
    {"<0.0.0", "0.0.0", false},
    {"v1.0.0", "1.0.0", true},
};

TEST(SemverRange, Satisfies) {
  for (const auto& c : kCases) {
    auto r = SemverSatisfies(c.range, c.version);
    ASSERT_TRUE(r.ok()) << c.range << " " << c.version << ": " << r.error().message;
    EXPECT_EQ(*r, c.want) << "'" << c.range << "' vs " << c.version;
  }
}

TEST(SemverRange, RejectsGarbage) {
  for (const char* bad : {"!1.0.0", ">=abc", "1.2.3.4.5", "~>x.y.z q"}) {
    EXPECT_FALSE(SemverSatisfies(bad, "1.0.0").ok()) << bad;
  }
  EXPECT_FALSE(SemverSatisfies("*", "not-a-version").ok());
}

}  // namespace
}  // namespace drydock
