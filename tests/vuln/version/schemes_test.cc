// Cargo, NuGet and Composer ordering against vectors derived from each
// library's documented ordering (tests/testdata/versions/{cargo,nuget,
// composer}.txt; where each comes from is said at the top of each file).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "vuln/version/version.h"

namespace drydock {
namespace {

void CheckVectors(VersionScheme scheme, const std::string& file) {
  std::ifstream in(std::string(DRYDOCK_TESTDATA) + "/versions/" + file);
  ASSERT_TRUE(in) << file;
  std::string line;
  int n = 0, checked = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    std::string a, op, b;
    f >> a >> op >> b;
    const int want = op == "<" ? -1 : op == ">" ? 1 : 0;
    for (int dir = 0; dir < 2; ++dir) {
      auto r = dir == 0 ? CompareVersions(scheme, a, b) : CompareVersions(scheme, b, a);
      ASSERT_TRUE(r.ok()) << file << ":" << n << ": " << r.error().message;
      const int got = (*r > 0) - (*r < 0);
      EXPECT_EQ(got, dir == 0 ? want : -want) << file << ":" << n << ": " << line << (dir ? " (reversed)" : "");
    }
    ++checked;
  }
  EXPECT_GT(checked, 10) << file;
}

TEST(VersionSchemes, Cargo) { CheckVectors(VersionScheme::kCargo, "cargo.txt"); }
TEST(VersionSchemes, NuGet) { CheckVectors(VersionScheme::kNuGet, "nuget.txt"); }
TEST(VersionSchemes, Composer) { CheckVectors(VersionScheme::kComposer, "composer.txt"); }

TEST(VersionSchemes, RejectInvalid) {
  struct Case {
    VersionScheme scheme;
    const char* v;
  } bad[] = {
      {VersionScheme::kCargo, "1.2"},
      {VersionScheme::kCargo, "01.2.3"},
      {VersionScheme::kCargo, "1.2.3-"},
      {VersionScheme::kCargo, "1.2.3-01"},
      {VersionScheme::kCargo, "v1.2.3"},
      {VersionScheme::kNuGet, "1.2.3.4.5"},
      {VersionScheme::kNuGet, "1.x"},
      {VersionScheme::kNuGet, "1.0-"},
      {VersionScheme::kComposer, "foo"},
      {VersionScheme::kComposer, ""},
      {VersionScheme::kComposer, "1.0.0-gamma"},
  };
  for (const auto& c : bad) {
    EXPECT_FALSE(CompareVersions(c.scheme, c.v, c.v).ok()) << VersionSchemeName(c.scheme) << " " << c.v;
  }
}

TEST(VersionSchemes, Names) {
  EXPECT_EQ(VersionSchemeName(VersionScheme::kCargo), "cargo");
  EXPECT_EQ(VersionSchemeName(VersionScheme::kNuGet), "nuget");
  EXPECT_EQ(VersionSchemeName(VersionScheme::kComposer), "composer");
}

}  // namespace
}  // namespace drydock
