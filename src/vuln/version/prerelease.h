// The SemVer 2.0 §11 prerelease precedence that the Cargo and NuGet
// comparators share (cargo.cc, nuget.cc). Internal to
// src/vuln/version/: callers outside it compare through CompareVersions.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace drydock {

// True when `s` is non-empty and every character is an ASCII digit.
bool AllDigits(std::string_view s);

// Orders two runs of ASCII digits by numeric value, however long and with
// leading zeros ignored: -1, 0 or 1.
int CompareNumericText(std::string_view a, std::string_view b);

// Orders two prerelease identifiers: numerically when both are digits,
// a numeric one before an alphanumeric one, otherwise bytewise. -1, 0 or 1.
int ComparePrereleaseIdentifier(std::string_view a, std::string_view b);

// Orders two versions' prerelease identifier lists, -1, 0 or 1: an empty list
// (a release) after any prerelease; otherwise identifier by identifier, and a
// list that is a proper prefix of the other first. `Id` is std::string or
// std::string_view; case folding, if the scheme wants it, is the caller's.
template <typename Id>
int ComparePrerelease(const std::vector<Id>& a, const std::vector<Id>& b) {
  if (a.empty() || b.empty()) return (a.empty() ? 1 : 0) - (b.empty() ? 1 : 0);
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (int c = ComparePrereleaseIdentifier(a[i], b[i]); c != 0) return c;
  }
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return 0;
}

}  // namespace drydock
