// Edge cases of the PEP 440 comparator (packaging 23.0 rules) beyond the
// oracle vectors: normalisation, sentinel ordering, local versions, huge
// numbers and invalid input.
#include <gtest/gtest.h>

#include <string>

#include "vuln/version/version.h"
#include "vuln/version/cases.h"

namespace drydock {
namespace {

TEST(Pep440Compare, OrdersLikePackaging) {
  const OrderCase cases[] = {
      {"1.0.0", "1", 0, "trailing zeros are insignificant"},
      {"V1.0RC1", "1.0rc1", 0, "case and v prefix"},
      {" \t1.0\n", "1.0", 0, "surrounding whitespace"},
      {"1.0-1", "1.0.post1", 0, "implicit post release"},
      {"1.0rev2", "1.0-r-2", 0, "post spellings"},
      {"1.0alpha1", "1.0a1", 0, "pre spellings"},
      {"1.0c1", "1.0rc1", 0, "c is rc"},
      {"1.0preview", "1.0rc0", 0, "preview is rc"},
      {"1.0-a_1", "1.0a1", 0, "separators in pre"},
      {"1.0a.", "1.0a0", 0, "pre label with trailing separator"},
      {"1!0.1", "2.0", 1, "epoch wins"},
      {"1.0.dev1", "1.0a1", -1, "dev-only before pre"},
      {"1.0rc9", "1.0", -1, "pre before release"},
      {"1.0.post0", "1.0", 1, "post after release"},
      {"1.0a1.dev1", "1.0a1", -1, "pre dev before pre"},
      {"1.0.post1.dev1", "1.0.post1", -1, "post dev before post"},
      {"1.0.post1.dev1", "1.0", 1, "post dev after release"},
      {"1.0+abc", "1.0", 1, "local after public"},
      {"1.0+1", "1.0+zzz", 1, "local numbers above strings"},
      {"1.0+010", "1.0+9", 1, "local numbers numerically"},
      {"1.0+a-b_c", "1.0+a.b.c", 0, "local separators equivalent"},
      {"1.0+a.1", "1.0+a", 1, "local longer prefix after"},
      {"1.0+ABC", "1.0+abc", 0, "local case-insensitive"},
      {"1.99999999999999999999999999", "1.100000000000000000000000000", -1, "huge numbers"},
      {"1.0010", "1.10", 0, "leading zeros"},
      {"0", "0.0.0", 0, "zero is the empty release"},
  };
  ExpectOrders(ComparePep440, cases);
}

TEST(Pep440Compare, RejectsInvalidVersions) {
  const std::string cases[] = {
      "",
      " ",
      "v",
      "1.",
      "1.0-",
      "a1",
      "1.0+",
      "1.0+a..b",
      "1.0+a_",
      "1!",
      "1.0foo",
      "1.0-1-1",
      "1..0",
      "1.0 .post1",
      "1.0post1dev1x",
      "1.0+a+b",
      std::string(100000, 'x'),
  };
  for (const auto& bad : cases) ExpectRejects(ComparePep440, bad, "1.0", {"pep440: ", 200});
}

TEST(Pep440Compare, HandlesHugeInputs) {
  const std::string long_release = "1" + std::string(50000, '0') + "." + std::string(50000, '9');
  auto r = ComparePep440(long_release, "2");
  ASSERT_TRUE(r.ok());
  EXPECT_GT(*r, 0);
  std::string many_parts = "1";
  for (int i = 0; i < 30000; ++i) many_parts += ".0";
  auto z = ComparePep440(many_parts, "1");
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(*z, 0);
}

}  // namespace
}  // namespace drydock
