// The matchers the policy sources share: dates and RFC 3339 times, UTF-8,
// purls, version ranges and path globs. All of it is linear (globs:
// pattern × path) in its input, whatever the input holds.
#include <time.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

#include <fmt/format.h>

#include "base/path.h"
#include "policy/internal.h"

namespace drydock::policy {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysIn(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};

// Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Exactly `n` ASCII digits at `s[pos]`.
bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    const int hi = i + 2 < s.size() ? HexValue(s[i + 1]) : -1;
    const int lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) return InputError("bad percent-escape at byte {}", i);
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One pattern character (or class) at p[i] against `c`; `len` is how many
// pattern bytes it took. A '[' without its ']' is a literal '['.
bool OneMatches(std::string_view p, size_t i, char c, size_t& len) {
  if (p[i] == '?') {
    len = 1;
    return true;
  }
  if (p[i] == '[') {
    size_t j = i + 1;
    const bool negate = j < p.size() && (p[j] == '!' || p[j] == '^');
    if (negate) ++j;
    const size_t first = j;
    bool hit = false;
    for (; j < p.size() && (p[j] != ']' || j == first); ++j) {
      if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
        hit = hit || (static_cast<unsigned char>(c) >= static_cast<unsigned char>(p[j]) &&
                      static_cast<unsigned char>(c) <= static_cast<unsigned char>(p[j + 2]));
        j += 2;
      } else {
        hit = hit || c == p[j];
      }
    }
    if (j < p.size()) {
      len = j - i + 1;
      return hit != negate;
    }
  }
  len = 1;
  return p[i] == c;
}

// One path component against one component pattern: the iterative
// star-backtracking match, O(pattern × component) at worst.
bool ComponentMatch(std::string_view p, std::string_view s) {
  size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    size_t len = 0;
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (pi < p.size() && OneMatches(p, pi, s[si], len)) {
      pi += len;
      ++si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::vector<std::string_view> Components(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

// ---- dates -----------------------------------------------------------------------

std::string Date::str() const { return fmt::format("{:04}-{:02}-{:02}", year, month, day); }

Result<Date> ParseDate(std::string_view s) {
  Date d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !Digits(s, 0, 4, d.year) || !Digits(s, 5, 2, d.month) ||
      !Digits(s, 8, 2, d.day)) {
    return InputError("{:?} is not a date (want YYYY-MM-DD)", Printable(s, 40));
  }
  if (d.year < 1) return InputError("{}: year 0000 is not a date", s);
  if (d.month < 1 || d.month > 12) return InputError("{}: there is no month {:02}", s, d.month);
  if (d.day < 1 || d.day > DaysIn(d.year, d.month)) {
    return InputError("{}: {} {} has {} days", s, kMonths[d.month - 1], d.year, DaysIn(d.year, d.month));
  }
  return d;
}

Result<Date> Today(const char* env, int64_t now) {
  if (env != nullptr && *env != '\0') {
    auto d = ParseDate(env);
    if (!d.ok()) return UsageError("DRYDOCK_TODAY: {}", d.error().message);
    return d;
  }
  const time_t t = static_cast<time_t>(now);
  struct tm tm {};
  if (gmtime_r(&t, &tm) == nullptr) return EnvError("cannot tell today's date from the clock");
  return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::optional<Instant> ParseRfc3339(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' ||
      !Digits(s, 0, 4, y) || !Digits(s, 5, 2, mo) || !Digits(s, 8, 2, d) || !Digits(s, 11, 2, h) ||
      !Digits(s, 14, 2, mi) || !Digits(s, 17, 2, sec)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysIn(y, mo) || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  size_t i = 19;
  int32_t nanos = 0;
  if (i < s.size() && s[i] == '.') {
    size_t n = 0;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++n) {
      if (n < 9) nanos = nanos * 10 + (s[i] - '0');
    }
    if (n == 0) return std::nullopt;
    for (; n < 9; ++n) nanos *= 10;
  }
  int offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh, om;
    if (i + 6 != s.size() || s[i + 3] != ':' || !Digits(s, i + 1, 2, oh) || !Digits(s, i + 4, 2, om) || oh > 23 ||
        om > 59) {
      return std::nullopt;
    }
    offset = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  const int64_t secs = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + std::min(sec, 59) - offset;
  return Instant{secs, nanos};
}

bool IsUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

// ---- purls -----------------------------------------------------------------------

std::string Purl::Identity() const { return type + "/" + ns + "/" + name; }

const std::string* Purl::Qualifier(std::string_view key) const {
  for (const auto& [k, v] : qualifiers) {
    if (k == key) return &v;
  }
  return nullptr;
}

Result<Purl> ParsePurl(std::string_view s) {
  if (s.size() < 4 || Lower(s.substr(0, 4)) != "pkg:")
    return InputError("{:?} is not a purl (want pkg:…)", Printable(s, 80));
  std::string_view rest = s.substr(4);
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  Purl p;
  if (size_t hash = rest.find('#'); hash != std::string_view::npos) {
    ASSIGN_OR_RETURN(p.subpath, PercentDecode(rest.substr(hash + 1)));
    rest = rest.substr(0, hash);
  }
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    std::string_view qs = rest.substr(q + 1);
    rest = rest.substr(0, q);
    while (!qs.empty()) {
      size_t amp = qs.find('&');
      std::string_view kv = qs.substr(0, amp);
      qs = amp == std::string_view::npos ? std::string_view() : qs.substr(amp + 1);
      if (kv.empty()) continue;
      size_t eq = kv.find('=');
      if (eq == std::string_view::npos || eq == 0) {
        return InputError("{:?}: qualifier {:?} is not key=value", Printable(s, 80), Printable(kv, 40));
      }
      ASSIGN_OR_RETURN(std::string value, PercentDecode(kv.substr(eq + 1)));
      if (!value.empty()) p.qualifiers.emplace_back(Lower(kv.substr(0, eq)), std::move(value));
    }
    std::sort(p.qualifiers.begin(), p.qualifiers.end());
  }
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return InputError("{:?}: no type/name", Printable(s, 80));
  p.type = Lower(rest.substr(0, slash));
  for (char c : p.type) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-')) {
      return InputError("{:?}: bad type {:?}", Printable(s, 80), Printable(p.type, 40));
    }
  }
  rest = rest.substr(slash + 1);
  // The version follows an '@' after the last '/' (an unencoded npm scope
  // "@types/node" is a namespace, not a version).
  const size_t last_slash = rest.rfind('/');
  const size_t at = rest.rfind('@');
  if (at != std::string_view::npos && (last_slash == std::string_view::npos || at > last_slash)) {
    ASSIGN_OR_RETURN(p.version, PercentDecode(rest.substr(at + 1)));
    rest = rest.substr(0, at);
  }
  std::vector<std::string> segments;
  for (std::string_view seg : Components(rest)) {
    ASSIGN_OR_RETURN(std::string decoded, PercentDecode(seg));
    segments.push_back(std::move(decoded));
  }
  if (segments.empty() || segments.back().empty()) return InputError("{:?}: no name", Printable(s, 80));
  p.name = std::move(segments.back());
  segments.pop_back();
  for (size_t i = 0; i < segments.size(); ++i) p.ns += (i ? "/" : "") + segments[i];
  if (p.type == "pypi") {
    p.name = Lower(p.name);
    std::replace(p.name.begin(), p.name.end(), '_', '-');
  }
  return p;
}

bool PurlCovers(const Purl& general, const Purl& specific) {
  if (general.type != specific.type || general.ns != specific.ns || general.name != specific.name) return false;
  if (!general.version.empty() && general.version != specific.version) return false;
  for (const auto& [k, v] : general.qualifiers) {
    const std::string* got = specific.Qualifier(k);
    if (got == nullptr || *got != v) return false;
  }
  return true;
}

// ---- version ranges --------------------------------------------------------------

Result<VersionRange> ParseVersionRange(std::string_view text, VersionScheme scheme) {
  VersionRange range;
  range.scheme = scheme;
  std::string_view rest = text;
  while (true) {
    const size_t comma = rest.find(',');
    std::string_view part = Trim(rest.substr(0, comma));
    using Op = VersionRange::Op;
    static constexpr std::pair<std::string_view, Op> kOps[] = {{"<=", Op::kLe}, {">=", Op::kGe}, {"==", Op::kEq},
                                                               {"!=", Op::kNe}, {"<", Op::kLt},  {">", Op::kGt},
                                                               {"=", Op::kEq}};
    bool found = false;
    for (const auto& [spelling, op] : kOps) {
      if (part.starts_with(spelling)) {
        std::string_view v = Trim(part.substr(spelling.size()));
        const bool spaced = std::any_of(v.begin(), v.end(), [](char c) {
          return static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) == 0x7f;
        });
        if (v.empty() || spaced) {
          return InputError("{:?}: want one version after {}", Printable(part, 80), spelling);
        }
        if (auto ok = CompareVersions(scheme, v, v); !ok.ok()) {
          // The comparator quotes the version as given: keep it one line.
          return InputError("{:?}: not a {} version: {}", Printable(v, 80), VersionSchemeName(scheme),
                            Printable(ok.error().message, 200));
        }
        range.bounds.push_back({op, std::string(v)});
        found = true;
        break;
      }
    }
    if (!found) {
      return InputError("{:?}: want a comparison such as \"< 1.2.3\" (operators < <= > >= = !=)", Printable(part, 80));
    }
    if (range.bounds.size() > 16) return InputError("more than 16 comparisons");
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return range;
}

bool InRange(const VersionRange& range, std::string_view version) {
  if (version.empty()) return false;
  for (const auto& b : range.bounds) {
    auto c = CompareVersions(range.scheme, version, b.version);
    if (!c.ok()) return false;
    const int v = *c;
    bool hold = false;
    switch (b.op) {
      case VersionRange::Op::kLt:
        hold = v < 0;
        break;
      case VersionRange::Op::kLe:
        hold = v <= 0;
        break;
      case VersionRange::Op::kGt:
        hold = v > 0;
        break;
      case VersionRange::Op::kGe:
        hold = v >= 0;
        break;
      case VersionRange::Op::kEq:
        hold = v == 0;
        break;
      case VersionRange::Op::kNe:
        hold = v != 0;
        break;
    }
    if (!hold) return false;
  }
  return true;
}

// ---- globs -----------------------------------------------------------------------

Result<Glob> CompileGlob(std::string_view pattern) {
  if (pattern.empty()) return InputError("empty path pattern");
  if (pattern.size() > kMaxPatternBytes) return InputError("path pattern longer than {} bytes", kMaxPatternBytes);
  if (pattern.find('\0') != std::string_view::npos) return InputError("NUL in path pattern");
  Glob g;
  for (std::string_view seg : Components(pattern)) g.segments.emplace_back(seg);
  if (g.segments.empty()) return InputError("path pattern {:?} names no file", Printable(pattern, 80));
  return g;
}

bool Glob::Match(std::string_view path) const {
  const std::vector<std::string_view> comps = Components(path);
  const size_t n = comps.size();
  // next[j]: segments[i+1..] match comps[j..]; built from the last segment up.
  std::vector<char> next(n + 1, 0), cur(n + 1, 0);
  next[n] = 1;
  for (size_t i = segments.size(); i-- > 0;) {
    const std::string& seg = segments[i];
    if (seg == "**") {
      cur[n] = next[n];
      for (size_t j = n; j-- > 0;) cur[j] = next[j] || cur[j + 1];
    } else {
      cur[n] = 0;
      for (size_t j = 0; j < n; ++j) cur[j] = next[j + 1] && ComponentMatch(seg, comps[j]);
    }
    std::swap(cur, next);
  }
  return next[0] != 0;
}

}  // namespace drydock::policy
