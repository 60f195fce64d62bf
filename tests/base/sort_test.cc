#include "base/sort.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace drydock {
namespace {

// Elements with few distinct keys (many ties) and a payload that records the
// original position: the result must be std::stable_sort's, element for
// element.
TEST(StableSortInPlace, AgreesWithStableSortOnRandomInputs) {
  const unsigned seed = 20261208;
  std::mt19937 rng(seed);
  for (int round = 0; round < 500; ++round) {
    const size_t n = rng() % 300;
    const int keys = 1 + static_cast<int>(rng() % 20);
    std::vector<std::pair<int, std::string>> v;
    for (size_t i = 0; i < n; ++i) v.emplace_back(static_cast<int>(rng() % keys), "payload " + std::to_string(i));
    auto want = v;
    auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
    std::stable_sort(want.begin(), want.end(), by_key);
    StableSortInPlace(v, by_key);
    ASSERT_EQ(v, want) << "seed " << seed << " round " << round << " n " << n;
  }
}

TEST(StableSortInPlace, EmptyAndSingleAreUnchanged) {
  std::vector<std::string> none;
  StableSortInPlace(none, std::less<>());
  EXPECT_TRUE(none.empty());
  std::vector<std::string> one{"x"};
  StableSortInPlace(one, std::less<>());
  EXPECT_EQ(one, std::vector<std::string>{"x"});
}

}  // namespace
}  // namespace drydock
