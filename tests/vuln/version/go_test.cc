// Edge cases of the x/mod/semver comparator beyond the oracle vectors: short
// forms, +incompatible, huge numbers, and the ordering of invalid strings.
#include <gtest/gtest.h>

#include <string>

#include "vuln/version/version.h"
#include "vuln/version/cases.h"

namespace drydock {
namespace {

TEST(CompareGoTest, OrdersAsXModSemver) {
  const std::string huge(100000, '9');
  const OrderCase cases[] = {
      {"v1", "v1.0.0", 0, "major-only short form is .0.0"},
      {"v1.2", "v1.2.0", 0, "major.minor short form is .0"},
      {"v2.0.0+incompatible", "v2.0.0", 0, "+incompatible is ignored"},
      {"v1.0.0+a.b", "v1.0.0+c", 0, "build metadata is ignored"},
      {"v1.0.0", "v1.0.0-rc.1", 1, "release above its prerelease"},
      {"v1.0.0-rc.2", "v1.0.0-rc.10", -1, "numeric identifiers compare numerically"},
      {"v1.0.0-1", "v1.0.0-a", -1, "numeric identifier below alphanumeric"},
      {"v1.0.0-a", "v1.0.0-a.0", -1, "shorter prerelease prefix is smaller"},
      {"v0.0.0-20210101000000-abcdefabcdef", "v0.0.0", -1, "pseudo-version below its release"},
      {"v" + huge + ".0.0", "v" + huge.substr(1) + ".0.0", 1, "huge numbers by length"},
      {"v1.0.0-" + huge, "v1.0.0-" + huge, 0, "huge equal numbers"},
      {"1.2.3", "v0.0.0", -1, "invalid below valid"},
      {"v1.02.3", "garbage", 0, "invalid equals invalid"},
      {"", "v0.0.0-0", -1, "empty is invalid"},
      {"v1.2-pre", "v0.0.0", -1, "short form with prerelease is invalid"},
      {"v1.2.3-01", "v0.0.0", -1, "leading zero prerelease is invalid"},
      {"v1.2.3+", "v0.0.0", -1, "empty build is invalid"},
      {std::string(100000, 'v'), "v0", -1, "100k-character garbage is invalid"},
  };
  ExpectOrders(CompareGo, cases);
}

}  // namespace
}  // namespace drydock
