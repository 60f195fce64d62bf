// Version ordering per ecosystem, exact to the real implementations (dpkg,
// apk-tools, rpm, packaging (PEP 440), node-semver, x/mod/semver, Maven's
// ComparableVersion, RubyGems). The vulnerability matcher compares an
// installed version with advisory bounds through this one entry point; it
// never falls back to another scheme's rules.
#pragma once

#include <string_view>

#include "base/result.h"

namespace drydock {

enum class VersionScheme { kDpkg, kApk, kRpm, kPep440, kSemver, kGo, kMaven, kRubyGems, kCargo, kNuGet, kComposer };

// "dpkg", "apk", "rpm", "pep440", "semver", "go", "maven", "rubygems", "cargo",
// "nuget", "composer".
std::string_view VersionSchemeName(VersionScheme s);

// Compares `a` with `b` under `scheme`: negative if a < b, 0 if equal, positive
// if a > b. An error (kInput) when either string is not a valid version for
// the scheme, naming the string and why ("pep440: 1.0.0-foo: invalid local
// segment"). Pure and thread-safe; no allocation beyond the parse.
Result<int> CompareVersions(VersionScheme scheme, std::string_view a, std::string_view b);

// One file per scheme (version_<name>.cc) defines its comparator; the
// dispatch is in version.cc.
Result<int> CompareDpkg(std::string_view a, std::string_view b);
Result<int> CompareApk(std::string_view a, std::string_view b);
Result<int> CompareRpm(std::string_view a, std::string_view b);
Result<int> ComparePep440(std::string_view a, std::string_view b);
Result<int> CompareSemver(std::string_view a, std::string_view b);
Result<int> CompareGo(std::string_view a, std::string_view b);
Result<int> CompareMaven(std::string_view a, std::string_view b);
Result<int> CompareRubyGems(std::string_view a, std::string_view b);
// Cargo: SemVer 2.0 precedence (semver crate), build metadata ignored.
Result<int> CompareCargo(std::string_view a, std::string_view b);
// NuGet.Versioning: up to four numeric parts, missing ones 0; prerelease
// labels compared case-insensitively; metadata ignored.
Result<int> CompareNuGet(std::string_view a, std::string_view b);
// Composer\Semver: VersionParser::normalize, then PHP version_compare.
Result<int> CompareComposer(std::string_view a, std::string_view b);

}  // namespace drydock
