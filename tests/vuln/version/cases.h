// The table-driven loops the per-scheme comparator tests share
// (version_<scheme>_test.cc): an ordering table checked both ways round, and
// strings each comparator must reject.
#pragma once

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <string_view>

#include "vuln/version/version.h"

namespace drydock {

// A per-scheme comparator: CompareDpkg, CompareApk, ...
using VersionComparator = Result<int> (*)(std::string_view, std::string_view);

// `a` compared with `b` has the sign `want`; `name` says which behaviour (empty
// where a comment beside the table row says it).
struct OrderCase {
  std::string a, b;
  int want;
  std::string name = {};
};

// Checks each case both ways round: compare(a, b) succeeds with the sign
// `want` and compare(b, a) with the opposite one. Failures name the case.
inline void ExpectOrders(VersionComparator compare, std::span<const OrderCase> cases) {
  const auto sign = [](int v) { return v < 0 ? -1 : v > 0 ? 1 : 0; };
  for (const OrderCase& c : cases) {
    SCOPED_TRACE(c.name.empty() ? c.a.substr(0, 40) + " vs " + c.b.substr(0, 40) : c.name);
    auto r = compare(c.a, c.b);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(sign(*r), c.want) << c.a << " vs " << c.b;
    auto back = compare(c.b, c.a);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(sign(*back), -c.want) << c.b << " vs " << c.a << " (reversed)";
  }
}

// What a rejection must look like: the message starts with `prefix` (the
// scheme's name and ": "), holds `why` when that is not empty, and is at most
// `max_size` characters (the offending string is truncated in it).
struct Rejection {
  std::string_view prefix;
  size_t max_size;
};

// Checks that compare(bad, other) and compare(other, bad) are both input
// errors, the first one as `want` says.
inline void ExpectRejects(VersionComparator compare, const std::string& bad, const std::string& other,
                          const Rejection& want, std::string_view why = {}) {
  SCOPED_TRACE(bad.substr(0, 40) + " vs " + other.substr(0, 40));
  auto r = compare(bad, other);
  ASSERT_FALSE(r.ok()) << "accepted";
  EXPECT_EQ(r.error().kind, Error::Kind::kInput);
  EXPECT_EQ(r.error().message.rfind(want.prefix, 0), 0u) << r.error().message;
  if (!why.empty()) {
    EXPECT_NE(r.error().message.find(why), std::string::npos) << r.error().message;
  }
  EXPECT_LE(r.error().message.size(), want.max_size) << "the string is truncated in the message";
  EXPECT_FALSE(compare(other, bad).ok()) << "accepted the other way round";
}

}  // namespace drydock
