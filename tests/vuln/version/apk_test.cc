// Edge cases of the apk comparator beyond apk-tools' own vectors: token
// order, suffix order, leading zeros, commit hashes, hostile sizes, and
// invalid input (an error once an unparsable token would decide).
#include <gtest/gtest.h>

#include <string>

#include "vuln/version/version.h"
#include "vuln/version/cases.h"

namespace drydock {
namespace {

TEST(VersionApk, OrdersEdgeCases) {
  const OrderCase cases[] = {
      {"1.0_alpha", "1.0_beta", -1},                                  // pre-release suffixes in order
      {"1.0_rc1", "1.0", -1},                                         // a pre-release before the release
      {"1.0", "1.0_p1", -1},                                          // a post-release after it
      {"1.0_cvs", "1.0_p", -1},                                       // post-release suffixes in order
      {"1.0_alpha1", "1.0_alpha", 1},                                 // a suffix number after none
      {"1.0a", "1.0", 1},                                             // a letter after the end
      {"1.0a", "1.0b", -1},                                           // letters by character
      {"1.0a", "1.0.1", -1},                                          // a ".number" after a letter
      {"1.0-r1", "1.0", 1},                                           // a revision after none
      {"1.0-r10", "1.0-r9", 1},                                       // revisions numerically
      {"1.0~abc", "1.0", 1},                                          // a commit hash after the end
      {"1.0~abc-r1", "1.0~abd-r0", -1},                               // hashes as strings
      {"010", "10", 0},                                               // the first number numerically
      {"1.010", "1.10", -1},                                          // a leading zero: string order
      {"1.01", "1.001", 1},                                           // a leading zero: string order
      {"1.0", "1.0bc", -1},                                           // decided before the invalid tail
      {"23_foo", "4_beta", 1},                                        // decided before the invalid suffix
      {"1.99999999999999999999999", "1.99999999999999999999998", 1},  // no overflow
      {"1." + std::string(100000, '9'), "1." + std::string(99999, '9'), 1},
  };
  ExpectOrders(CompareApk, cases);
}

TEST(VersionApk, RejectsInvalidVersionsWhereTheyDecide) {
  struct Case {
    std::string a, b;
  };
  const Case cases[] = {
      {"", "1.0"},
      {"", ""},
      {"a", "1.0"},
      {".1", "1.0"},
      {"1.0bc", "1.0bd"},
      {"1.0_foo", "1.0"},
      {"1.0_", "1.0"},
      {"1.0~", "1.0"},
      {"1.0~xyz", "1.0"},
      {"1.0-r", "1.0"},
      {"1.0-1", "1.0"},
      {"1.0-r1-r2", "1.0-r1"},
      {"1.0-r1.1", "1.0-r1"},
      {"1.0-r1_p", "1.0-r1_p"},  // equal up to an invalid token on both sides
      {"1.0 ", "1.0"},
      {std::string("1.0\0", 4), "1.0"},
      {"1." + std::string(100000, 'X'), "1.0"},
  };
  for (const auto& c : cases) ExpectRejects(CompareApk, c.a, c.b, {"apk: ", 5 + 80 + 2 + 20}, "invalid version");
}

}  // namespace
}  // namespace drydock
