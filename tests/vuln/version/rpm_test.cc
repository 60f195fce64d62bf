// Edge cases of the rpm comparator beyond the oracle vectors: rpmvercmp's
// '~' and '^' rules, labelCompare's missing epoch and release, hostile
// sizes, and the strings drydock rejects as EVRs.
#include <gtest/gtest.h>

#include <string>

#include "vuln/version/version.h"
#include "vuln/version/cases.h"

namespace drydock {
namespace {

TEST(VersionRpm, OrdersEdgeCases) {
  const OrderCase cases[] = {
      {"1.0~rc1", "1.0", -1},                                         // tilde before the end
      {"1.0~~", "1.0~", -1},                                          // two tildes before one
      {"1.0^git1", "1.0", 1},                                         // caret after the end
      {"1.0^git1", "1.0.1", -1},                                      // caret before another segment
      {"1.0~rc1^git1", "1.0~rc1", 1},                                 // caret after a tilde release
      {"1.0a", "1.0.1", -1},                                          // letters before digits
      {"1.0", "1.0a", -1},                                            // anything left over is newer
      {"1_0", "1.0", 0},                                              // separators are all alike
      {"1.010", "1.10", 0},                                           // leading zeros ignored
      {"0:1.0-1", "1.0-1", 0},                                        // missing epoch is 0
      {"00:1.0", "0:1.0", 0},                                         // epochs compared by rpmvercmp
      {"2:0.1", "10:0.1", -1},                                        // epochs numerically
      {"1.0-1", "1.0", 1},                                            // a missing release sorts first
      {"1.0-1-2", "1.0-1-3", -1},                                     // release after the last hyphen
      {"1.0-1.el9", "1.0-1.el10", -1},                                // digit segments numerically
      {"1.0-abc", "1.0-abd", -1},                                     // letter segments by strcmp
      {"1.0-B", "1.0-a", -1},                                         // ASCII order of letters
      {"1.99999999999999999999999", "1.99999999999999999999998", 1},  // no overflow
      {"1." + std::string(100000, '9'), "1." + std::string(99999, '9'), 1},
  };
  ExpectOrders(CompareRpm, cases);
}

TEST(VersionRpm, RejectsInvalidVersions) {
  struct Case {
    std::string v, why;
  };
  const Case cases[] = {
      {"", "empty version"},
      {":1.0", "empty epoch"},
      {"x:1.0", "epoch is not a number"},
      {"1:", "empty version"},
      {"-1", "empty version"},
      {"1.0-", "empty release"},
      {"1.0 -1", "whitespace"},
      {std::string("1.0\0", 4), "control character"},
      {std::string(100000, 'x') + " ", "whitespace"},
  };
  for (const auto& c : cases) ExpectRejects(CompareRpm, c.v, "1.0", {"rpm: ", 5 + 80 + 2 + 40}, c.why);
}

}  // namespace
}  // namespace drydock
