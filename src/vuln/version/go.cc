// Go module version ordering as golang.org/x/mod/semver.Compare (v0.7.0)
// does it. Facts taken from x/mod/semver/semver.go:
//  - a valid version is `vMAJOR`, `vMAJOR.MINOR` or
//    `vMAJOR.MINOR.PATCH(-PRE)?(+BUILD)?`; numbers are `0|[1-9][0-9]*` of any
//    length (compared as digit strings: by length, then bytewise); "v1" means
//    v1.0.0 and "v1.2" means v1.2.0, and neither short form may carry a
//    prerelease or build suffix;
//  - prerelease identifiers are non-empty [0-9A-Za-z-]+, all-digit ones
//    without a leading zero; build identifiers are non-empty [0-9A-Za-z-]+
//    and are ignored by the ordering (so is "+incompatible");
//  - a version without prerelease is greater than one with; identifiers
//    compare left to right, numeric ones by length then bytewise, numeric
//    below alphanumeric, alphanumeric bytewise; a shorter list that is a
//    prefix of the longer is smaller;
//  - an invalid string is not an error: Compare orders it below every valid
//    version and equal to any other invalid string. This comparator does the
//    same and returns ok, because that is the ordering Go tooling applies.
#include <string_view>

#include "vuln/version/version.h"

namespace drydock {
namespace {

struct GoParts {
  std::string_view major, minor = "0", patch = "0";
  std::string_view prerelease;  // with its leading '-'; empty if none
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentChar(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// Consumes `0|[1-9][0-9]*` from the front of `s` into `out`.
bool TakeNumber(std::string_view& s, std::string_view& out) {
  size_t n = 0;
  while (n < s.size() && IsDigit(s[n])) ++n;
  if (n == 0 || (n > 1 && s[0] == '0')) return false;
  out = s.substr(0, n);
  s.remove_prefix(n);
  return true;
}

// Checks a dot-separated identifier list (without its '-' or '+');
// `numeric_rules` forbids leading zeros in all-digit identifiers.
bool ValidIdentifiers(std::string_view s, bool numeric_rules) {
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] != '.') {
      if (!IsIdentChar(s[i])) return false;
      continue;
    }
    const std::string_view id = s.substr(start, i - start);
    if (id.empty()) return false;
    if (numeric_rules && id.size() > 1 && id[0] == '0' && AllDigits(id)) return false;
    start = i + 1;
  }
  return true;
}

// Returns false when `v` is not a valid Go module version.
bool Parse(std::string_view v, GoParts& p) {
  if (v.empty() || v[0] != 'v') return false;
  v.remove_prefix(1);
  if (!TakeNumber(v, p.major)) return false;
  if (v.empty()) return true;
  if (v[0] != '.') return false;
  v.remove_prefix(1);
  if (!TakeNumber(v, p.minor)) return false;
  if (v.empty()) return true;
  if (v[0] != '.') return false;
  v.remove_prefix(1);
  if (!TakeNumber(v, p.patch)) return false;
  if (!v.empty() && v[0] == '-') {
    p.prerelease = v.substr(0, v.find('+'));
    if (!ValidIdentifiers(p.prerelease.substr(1), true)) return false;
    v.remove_prefix(p.prerelease.size());
  }
  if (!v.empty() && v[0] == '+') return ValidIdentifiers(v.substr(1), false);
  return v.empty();
}

// Digit strings without leading zeros: longer is larger, then bytewise.
int CompareDigits(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a == b ? 0 : a < b ? -1 : 1;
}

// Splits off the identifier before the next '.'.
std::string_view NextIdentifier(std::string_view& s) {
  const size_t dot = s.find('.');
  const std::string_view id = s.substr(0, dot);
  s.remove_prefix(dot == std::string_view::npos ? s.size() : dot + 1);
  return id;
}

int ComparePrerelease(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  if (a.empty()) return 1;
  if (b.empty()) return -1;
  a.remove_prefix(1);
  b.remove_prefix(1);
  while (!a.empty() && !b.empty()) {
    const std::string_view x = NextIdentifier(a), y = NextIdentifier(b);
    if (x == y) continue;
    const bool xnum = AllDigits(x), ynum = AllDigits(y);
    if (xnum != ynum) return xnum ? -1 : 1;
    if (xnum) return CompareDigits(x, y);
    return x < y ? -1 : 1;
  }
  return a.empty() == b.empty() ? 0 : a.empty() ? -1 : 1;
}

}  // namespace

Result<int> CompareGo(std::string_view a, std::string_view b) {
  GoParts pa, pb;
  const bool va = Parse(a, pa), vb = Parse(b, pb);
  if (!va || !vb) return va == vb ? 0 : va ? 1 : -1;
  if (int c = CompareDigits(pa.major, pb.major); c != 0) return c;
  if (int c = CompareDigits(pa.minor, pb.minor); c != 0) return c;
  if (int c = CompareDigits(pa.patch, pb.patch); c != 0) return c;
  return ComparePrerelease(pa.prerelease, pb.prerelease);
}

}  // namespace drydock
