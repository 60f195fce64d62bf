// RPM version ordering: `[EPOCH:]VERSION[-RELEASE]`, split at the first ':'
// and the last '-', compared as rpm 4.18's python binding rpm.labelCompare
// does (python/header-py.c: labelCompare, compare_values; lib/rpmvercmp.c:
// rpmvercmp).
//
// labelCompare compares epoch, then version, then release, each with
// rpmvercmp; a missing epoch is "0"; a missing release sorts before any
// present one. rpmvercmp: equal strings are equal; otherwise skip
// separators (anything but ASCII letters, digits, '~' and '^'); '~' sorts
// before everything, even the end; '^' sorts after the end but before any
// other segment; then compare one segment of digits or letters: a digit
// segment beats a letter segment, digit segments compare numerically (as
// digit strings, so nothing overflows), letter segments by strcmp; when one
// side runs out, the one with anything left is newer.
//
// rpm itself accepts nearly any bytes; drydock rejects what cannot be an
// EVR: an empty string, an empty or non-numeric epoch, an empty version or
// release, and whitespace or control characters.
#include <optional>
#include <string_view>

#include "vuln/version/version.h"

namespace drydock {
namespace {

struct Evr {
  std::string_view epoch = "0";
  std::string_view version;
  std::optional<std::string_view> release;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }

Error Invalid(std::string_view v, std::string_view why) { return InputError("rpm: {}: {}", v.substr(0, 80), why); }

Result<Evr> Parse(std::string_view in) {
  if (in.empty()) return Invalid(in, "empty version");
  for (char c : in) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u == 0x7f) return Invalid(in, "whitespace or control character");
  }
  Evr v;
  std::string_view s = in;
  if (const size_t colon = s.find(':'); colon != std::string_view::npos) {
    v.epoch = s.substr(0, colon);
    if (v.epoch.empty()) return Invalid(in, "empty epoch");
    for (char c : v.epoch) {
      if (!IsDigit(c)) return Invalid(in, "epoch is not a number");
    }
    s.remove_prefix(colon + 1);
  }
  if (const size_t hyphen = s.rfind('-'); hyphen != std::string_view::npos) {
    v.release = s.substr(hyphen + 1);
    if (v.release->empty()) return Invalid(in, "empty release");
    s = s.substr(0, hyphen);
  }
  v.version = s;
  if (v.version.empty()) return Invalid(in, "empty version");
  return v;
}

int Sign(int c) { return c < 0 ? -1 : c > 0 ? 1 : 0; }

int RpmVerCmp(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  size_t i = 0, j = 0;
  const auto at = [](std::string_view s, size_t k) { return k < s.size() ? s[k] : '\0'; };
  while (i < a.size() || j < b.size()) {
    while (i < a.size() && !IsAlnum(a[i]) && a[i] != '~' && a[i] != '^') ++i;
    while (j < b.size() && !IsAlnum(b[j]) && b[j] != '~' && b[j] != '^') ++j;
    const char ca = at(a, i), cb = at(b, j);
    if (ca == '~' || cb == '~') {
      if (ca != '~') return 1;
      if (cb != '~') return -1;
      ++i;
      ++j;
      continue;
    }
    if (ca == '^' || cb == '^') {
      if (i >= a.size()) return -1;
      if (j >= b.size()) return 1;
      if (ca != '^') return 1;
      if (cb != '^') return -1;
      ++i;
      ++j;
      continue;
    }
    if (i >= a.size() || j >= b.size()) break;
    const bool numeric = IsDigit(ca);
    const auto in_segment = numeric ? IsDigit : IsAlpha;
    size_t ei = i, ej = j;
    while (ei < a.size() && in_segment(a[ei])) ++ei;
    while (ej < b.size() && in_segment(b[ej])) ++ej;
    // A digit segment against a letter one: the digits are newer.
    if (ej == j) return numeric ? 1 : -1;
    std::string_view sa = a.substr(i, ei - i), sb = b.substr(j, ej - j);
    if (numeric) {
      while (!sa.empty() && sa.front() == '0') sa.remove_prefix(1);
      while (!sb.empty() && sb.front() == '0') sb.remove_prefix(1);
      if (sa.size() != sb.size()) return sa.size() < sb.size() ? -1 : 1;
    }
    if (const int c = sa.compare(sb); c != 0) return Sign(c);
    i = ei;
    j = ej;
  }
  if (i >= a.size() && j >= b.size()) return 0;
  return i >= a.size() ? -1 : 1;
}

}  // namespace

Result<int> CompareRpm(std::string_view a, std::string_view b) {
  ASSIGN_OR_RETURN(const Evr va, Parse(a));
  ASSIGN_OR_RETURN(const Evr vb, Parse(b));
  if (const int c = RpmVerCmp(va.epoch, vb.epoch); c != 0) return c;
  if (const int c = RpmVerCmp(va.version, vb.version); c != 0) return c;
  if (va.release.has_value() != vb.release.has_value()) return va.release.has_value() ? 1 : -1;
  if (!va.release.has_value()) return 0;
  return RpmVerCmp(*va.release, *vb.release);
}

}  // namespace drydock
