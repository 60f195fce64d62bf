#include "vuln/version/version.h"

namespace drydock {

std::string_view VersionSchemeName(VersionScheme s) {
  switch (s) {
    case VersionScheme::kDpkg:
      return "dpkg";
    case VersionScheme::kApk:
      return "apk";
    case VersionScheme::kRpm:
      return "rpm";
    case VersionScheme::kPep440:
      return "pep440";
    case VersionScheme::kSemver:
      return "semver";
    case VersionScheme::kGo:
      return "go";
    case VersionScheme::kMaven:
      return "maven";
    case VersionScheme::kRubyGems:
      return "rubygems";
    case VersionScheme::kCargo:
      return "cargo";
    case VersionScheme::kNuGet:
      return "nuget";
    case VersionScheme::kComposer:
      return "composer";
  }
  return "unknown";
}

Result<int> CompareVersions(VersionScheme scheme, std::string_view a, std::string_view b) {
  switch (scheme) {
    case VersionScheme::kDpkg:
      return CompareDpkg(a, b);
    case VersionScheme::kApk:
      return CompareApk(a, b);
    case VersionScheme::kRpm:
      return CompareRpm(a, b);
    case VersionScheme::kPep440:
      return ComparePep440(a, b);
    case VersionScheme::kSemver:
      return CompareSemver(a, b);
    case VersionScheme::kGo:
      return CompareGo(a, b);
    case VersionScheme::kMaven:
      return CompareMaven(a, b);
    case VersionScheme::kRubyGems:
      return CompareRubyGems(a, b);
    case VersionScheme::kCargo:
      return CompareCargo(a, b);
    case VersionScheme::kNuGet:
      return CompareNuGet(a, b);
    case VersionScheme::kComposer:
      return CompareComposer(a, b);
  }
  return InputError("unknown version scheme");
}

}  // namespace drydock
