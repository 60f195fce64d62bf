// Debian version ordering: `[epoch:]upstream[-revision]` as deb-version(7)
// defines it and dpkg 1.21 implements it (lib/dpkg/version.c,
// lib/dpkg/parsehelp.c: parseversion, verrevcmp, dpkg_version_compare).
//
// Validity is what `dpkg --validate-version` accepts (errors and warnings
// both reject): blanks trimmed at both ends, no embedded blanks; the epoch
// (before the first ':') a decimal number in 0..INT_MAX, something after
// it; the revision after the last '-' non-empty; the upstream version
// non-empty, starting with a digit, made of [A-Za-z0-9.+~:-]; the revision
// of [A-Za-z0-9.+~].
//
// Ordering: epochs numerically, then upstream, then revision with
// verrevcmp: alternating non-digit runs (compared character by character,
// '~' before the end, the end before letters, letters before other
// characters) and digit runs (compared numerically, as digit strings so
// that no length overflows).
#include <string_view>

#include "vuln/version/version.h"

namespace drydock {
namespace {

struct DpkgVersion {
  std::string_view epoch;  // decimal digits, leading zeros stripped; empty means 0
  std::string_view upstream;
  std::string_view revision;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Shown(std::string_view s) { return s.substr(0, 80); }

Error Invalid(std::string_view v, std::string_view why) { return InputError("dpkg: {}: {}", Shown(v), why); }

// Compares two digit strings without leading zeros as numbers.
int CompareDigits(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  const int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

Result<DpkgVersion> Parse(std::string_view in) {
  std::string_view s = in;
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  if (s.empty()) return Invalid(in, "version string is empty");
  for (char c : s) {
    if (IsBlank(c)) return Invalid(in, "version string has embedded spaces");
  }
  DpkgVersion v;
  if (const size_t colon = s.find(':'); colon != std::string_view::npos) {
    // strtol: an optional sign, then digits.
    std::string_view e = s.substr(0, colon);
    bool negative = false;
    if (!e.empty() && (e.front() == '+' || e.front() == '-')) {
      negative = e.front() == '-';
      e.remove_prefix(1);
    }
    if (e.empty()) return Invalid(in, "epoch in version is empty");
    for (char c : e) {
      if (!IsDigit(c)) return Invalid(in, "epoch in version is not number");
    }
    while (!e.empty() && e.front() == '0') e.remove_prefix(1);
    if (negative && !e.empty()) return Invalid(in, "epoch in version is negative");
    if (CompareDigits(e, "2147483647") > 0) return Invalid(in, "epoch in version is too big");
    if (colon + 1 == s.size()) return Invalid(in, "nothing after colon in version number");
    v.epoch = e;
    s.remove_prefix(colon + 1);
  }
  if (const size_t hyphen = s.rfind('-'); hyphen != std::string_view::npos) {
    v.revision = s.substr(hyphen + 1);
    if (v.revision.empty()) return Invalid(in, "revision number is empty");
    s = s.substr(0, hyphen);
  }
  v.upstream = s;
  if (v.upstream.empty()) return Invalid(in, "version number is empty");
  if (!IsDigit(v.upstream.front())) return Invalid(in, "version number does not start with digit");
  for (char c : v.upstream) {
    if (!IsDigit(c) && !IsAlpha(c) && std::string_view(".-+~:").find(c) == std::string_view::npos) {
      return Invalid(in, "invalid character in version number");
    }
  }
  for (char c : v.revision) {
    if (!IsDigit(c) && !IsAlpha(c) && std::string_view(".+~").find(c) == std::string_view::npos) {
      return Invalid(in, "invalid character in revision number");
    }
  }
  return v;
}

// Weight of one character of a non-digit run; 0 stands for the end (and for
// a digit, which ends the run).
int Order(std::string_view s, size_t i) {
  if (i >= s.size()) return 0;
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (IsDigit(static_cast<char>(c))) return 0;
  if (IsAlpha(static_cast<char>(c))) return c;
  if (c == '~') return -1;
  return c + 256;
}

int VerRevCmp(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    while ((i < a.size() && !IsDigit(a[i])) || (j < b.size() && !IsDigit(b[j]))) {
      const int ac = Order(a, i), bc = Order(b, j);
      if (ac != bc) return ac < bc ? -1 : 1;
      ++i;
      ++j;
    }
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    const size_t da = i, db = j;
    while (i < a.size() && IsDigit(a[i])) ++i;
    while (j < b.size() && IsDigit(b[j])) ++j;
    if (const int c = CompareDigits(a.substr(da, i - da), b.substr(db, j - db)); c != 0) return c;
  }
  return 0;
}

}  // namespace

Result<int> CompareDpkg(std::string_view a, std::string_view b) {
  ASSIGN_OR_RETURN(const DpkgVersion va, Parse(a));
  ASSIGN_OR_RETURN(const DpkgVersion vb, Parse(b));
  if (const int c = CompareDigits(va.epoch, vb.epoch); c != 0) return c;
  if (const int c = VerRevCmp(va.upstream, vb.upstream); c != 0) return c;
  return VerRevCmp(va.revision, vb.revision);
}

}  // namespace drydock
