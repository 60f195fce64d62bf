// Edge cases of the dpkg comparator beyond the oracle vectors: ordering
// corners, hostile sizes, and the strings dpkg --validate-version rejects.
#include <gtest/gtest.h>

#include <string>

#include "vuln/version/version.h"
#include "vuln/version/cases.h"

namespace drydock {
namespace {

TEST(VersionDpkg, OrdersEdgeCases) {
  const OrderCase cases[] = {
      {"1.0~rc1", "1.0", -1},                                         // tilde before the end
      {"1.0~~", "1.0~", -1},                                          // two tildes before one
      {"1.0a", "1.0+", -1},                                           // letters before other characters
      {"1.0", "1.0a", -1},                                            // the end before letters
      {"1:0.1", "2.0", 1},                                            // epoch first
      {"0:1.0", "1.0", 0},                                            // missing epoch is 0
      {"007:1.0", "7:1.0", 0},                                        // epoch numerically
      {"1.010", "1.10", 0},                                           // leading zeros ignored
      {"1.0-1", "1.0", 1},                                            // revision after upstream
      {"1.0-0", "1.0", 0},                                            // revision "0" equals none
      {"1:2-3-4", "1:2-3-5", -1},                                     // revision after the last hyphen
      {"1:1.2:3", "1:1.2:4", -1},                                     // colons in upstream after an epoch
      {" 1.0\t", "1.0", 0},                                           // blanks trimmed as dpkg does
      {"1.99999999999999999999999", "1.99999999999999999999998", 1},  // no overflow
      {"1." + std::string(100000, '9'), "1." + std::string(99999, '9'), 1},
  };
  ExpectOrders(CompareDpkg, cases);
}

TEST(VersionDpkg, RejectsInvalidVersions) {
  struct Case {
    std::string v, why;
  };
  const Case cases[] = {
      {"", "version string is empty"},
      {"   ", "version string is empty"},
      {"1.0 2", "embedded spaces"},
      {":1.0", "epoch in version is empty"},
      {"a:1.0", "epoch in version is not number"},
      {"-1:1.0", "epoch in version is negative"},
      {"2147483648:1.0", "epoch in version is too big"},
      {"99999999999999999999999:1.0", "epoch in version is too big"},
      {"1:", "nothing after colon"},
      {"1.0-", "revision number is empty"},
      {"-1", "version number is empty"},
      {"a", "does not start with digit"},
      {"1.0_1", "invalid character in version number"},
      {"1.0-1_2", "invalid character in revision number"},
      {std::string(100000, 'x'), "does not start with digit"},
  };
  for (const auto& c : cases) ExpectRejects(CompareDpkg, c.v, "1.0", {"dpkg: ", 6 + 80 + 2 + 60}, c.why);
}

}  // namespace
}  // namespace drydock
