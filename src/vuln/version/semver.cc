// SemVer 2.0.0 ordering as node-semver 7's `semver.compare` does it, on the
// strings its strict parser (`semver.valid`, options.loose = false) accepts.
// Facts taken from node-semver (lib/internal/re.js, lib/internal/constants.js,
// lib/internal/identifiers.js, classes/semver.js):
//  - the input, at most 256 characters before trimming, is trimmed of
//    whitespace and must match `v?MAJOR.MINOR.PATCH(-PRE)?(+BUILD)?`; MAJOR,
//    MINOR, PATCH are `0|[1-9][0-9]*` and at most Number.MAX_SAFE_INTEGER;
//    "=1.2.3", "1.2", "01.2.3" are invalid (only the loose parser takes them);
//  - prerelease identifiers are `0|[1-9][0-9]*` or contain a non-digit from
//    [A-Za-z-] (so "01" is invalid); build identifiers are any non-empty
//    [0-9A-Za-z-]+ and are ignored by the ordering;
//  - a version without prerelease is greater than one with; identifiers
//    compare left to right, numeric ones as JavaScript numbers (`+id`, so two
//    digit strings beyond 2^53 that round to the same double are equal, as in
//    node, and then end the comparison: the identifiers after them are not
//    compared), numeric below alphanumeric, alphanumeric by code unit; a shorter
//    list that is a prefix of the longer is smaller.
// JavaScript's trim() also strips non-ASCII whitespace; only ASCII whitespace
// is trimmed here, so such a string is rejected rather than accepted.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "vuln/version/version.h"

namespace drydock {
namespace {

constexpr size_t kMaxLength = 256;                      // node-semver MAX_LENGTH
constexpr uint64_t kMaxSafeInteger = 9007199254740991;  // Number.MAX_SAFE_INTEGER

struct SemverParts {
  uint64_t major = 0, minor = 0, patch = 0;
  std::string_view prerelease;  // without the leading '-'; empty if none
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentChar(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

std::string Shown(std::string_view v) {
  if (v.size() <= 80) return std::string(v);
  return std::string(v.substr(0, 80)) + "...";
}

Error Invalid(std::string_view v, std::string_view why) { return InputError("semver: {}: {}", Shown(v), why); }

// Consumes `0|[1-9][0-9]*` from the front of `s` into `out` (at most
// MAX_SAFE_INTEGER). Returns an empty string on success, else the reason.
std::string_view TakeNumber(std::string_view& s, uint64_t& out) {
  size_t n = 0;
  while (n < s.size() && IsDigit(s[n])) ++n;
  if (n == 0) return "expected a number";
  if (n > 1 && s[0] == '0') return "leading zero in a number";
  // MAX_SAFE_INTEGER has 16 digits; longer never fits, shorter never overflows.
  if (n > 16) return "number larger than 2^53-1";
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = v * 10 + static_cast<uint64_t>(s[i] - '0');
  if (v > kMaxSafeInteger) return "number larger than 2^53-1";
  out = v;
  s.remove_prefix(n);
  return {};
}

// Checks a dot-separated identifier list; `numeric_rules` applies the
// prerelease rule that all-digit identifiers have no leading zero.
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

Result<SemverParts> Parse(std::string_view raw) {
  if (raw.size() > kMaxLength) return Invalid(raw, "longer than 256 characters");
  std::string_view s = raw;
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  if (s.empty()) return Invalid(raw, "empty version");
  if (s[0] == 'v') s.remove_prefix(1);
  SemverParts p;
  if (auto why = TakeNumber(s, p.major); !why.empty()) return Invalid(raw, why);
  if (s.empty() || s[0] != '.') return Invalid(raw, "expected MAJOR.MINOR.PATCH");
  s.remove_prefix(1);
  if (auto why = TakeNumber(s, p.minor); !why.empty()) return Invalid(raw, why);
  if (s.empty() || s[0] != '.') return Invalid(raw, "expected MAJOR.MINOR.PATCH");
  s.remove_prefix(1);
  if (auto why = TakeNumber(s, p.patch); !why.empty()) return Invalid(raw, why);
  if (!s.empty() && s[0] == '-') {
    const size_t end = s.find('+');
    p.prerelease = s.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1);
    if (!ValidIdentifiers(p.prerelease, true)) return Invalid(raw, "invalid prerelease");
    s.remove_prefix(1 + p.prerelease.size());
  }
  if (!s.empty() && s[0] == '+') {
    if (!ValidIdentifiers(s.substr(1), false)) return Invalid(raw, "invalid build metadata");
    s = {};
  }
  if (!s.empty()) return Invalid(raw, "unexpected characters after the version");
  return p;
}

// JavaScript's `+id` on a digit string: the correctly rounded double (the
// string is at most 256 characters, so it is finite).
double JsNumber(std::string_view digits) {
  double d = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), d);
  return d;
}

int CompareIdentifier(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  const bool anum = AllDigits(a), bnum = AllDigits(b);
  if (anum && bnum) {
    const double x = JsNumber(a), y = JsNumber(b);
    return x == y ? 0 : x < y ? -1 : 1;
  }
  if (anum) return -1;
  if (bnum) return 1;
  return a < b ? -1 : 1;
}

// Splits off the identifier before the next '.'.
std::string_view NextIdentifier(std::string_view& s) {
  const size_t dot = s.find('.');
  const std::string_view id = s.substr(0, dot);
  s.remove_prefix(dot == std::string_view::npos ? s.size() : dot + 1);
  return id;
}

int ComparePrerelease(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a.empty() == b.empty() ? 0 : a.empty() ? 1 : -1;
  while (!a.empty() && !b.empty()) {
    const std::string_view x = NextIdentifier(a), y = NextIdentifier(b);
    // node returns at the first identifiers that differ as strings, even when
    // they compare equal as numbers; the rest of the lists is not looked at.
    if (x != y) return CompareIdentifier(x, y);
  }
  return a.empty() == b.empty() ? 0 : a.empty() ? -1 : 1;
}

int CompareNumber(uint64_t a, uint64_t b) { return a == b ? 0 : a < b ? -1 : 1; }

}  // namespace

Result<int> CompareSemver(std::string_view a, std::string_view b) {
  ASSIGN_OR_RETURN(const SemverParts pa, Parse(a));
  ASSIGN_OR_RETURN(const SemverParts pb, Parse(b));
  if (int c = CompareNumber(pa.major, pb.major); c != 0) return c;
  if (int c = CompareNumber(pa.minor, pb.minor); c != 0) return c;
  if (int c = CompareNumber(pa.patch, pb.patch); c != 0) return c;
  return ComparePrerelease(pa.prerelease, pb.prerelease);
}

}  // namespace drydock
