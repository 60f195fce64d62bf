// Version ordering per ecosystem, exact to the real implementations (dpkg,
// apk-tools, rpm, packaging (PEP 440), node-semver, x/mod/semver, Maven's
// ComparableVersion, RubyGems). The vulnerability matcher compares an
// installed version with advisory bounds through this one entry point; it
// never falls back to another scheme's rules.
#pragma once

#include <optional>
#include <string_view>

#include "base/result.h"

namespace drydock {

// The schemes are listed in schemes.inc, one line each.
enum class VersionScheme {
#define DRYDOCK_VERSION_SCHEME(id, name, purl_type, compare) id,
#include "vuln/version/schemes.inc"
#undef DRYDOCK_VERSION_SCHEME
};

// How many schemes the table has (VersionScheme values are 0 … this - 1).
inline constexpr int kVersionSchemeCount = 0
#define DRYDOCK_VERSION_SCHEME(id, name, purl_type, compare) +1
#include "vuln/version/schemes.inc"
#undef DRYDOCK_VERSION_SCHEME
    ;

// "dpkg", "apk", "rpm", "pep440", "semver", "go", "maven", "rubygems", "cargo",
// "nuget", "composer".
std::string_view VersionSchemeName(VersionScheme s);

// The scheme that orders versions of packages of purl type `type` ("deb" →
// dpkg, "pypi" → pep440, "npm" → semver); nullopt for a type with none.
std::optional<VersionScheme> SchemeForPurlType(std::string_view type);

// Compares `a` with `b` under `scheme`: negative if a < b, 0 if equal, positive
// if a > b. An error (kInput) when either string is not a valid version for
// the scheme, naming the string and why ("pep440: 1.0.0-foo: invalid local
// segment"). Pure and thread-safe; no allocation beyond the parse.
Result<int> CompareVersions(VersionScheme scheme, std::string_view a, std::string_view b);

// One file per scheme (dpkg.cc, apk.cc, …) defines its comparator.
#define DRYDOCK_VERSION_SCHEME(id, name, purl_type, compare) Result<int> compare(std::string_view a, std::string_view b);
#include "vuln/version/schemes.inc"
#undef DRYDOCK_VERSION_SCHEME

}  // namespace drydock
