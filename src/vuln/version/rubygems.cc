// RubyGems ordering as implemented by Gem::Version#<=> in RubyGems 3.3.15:
// a version is valid when it matches Gem::Version::ANCHORED_VERSION_PATTERN
// (digits, then ".alnum" segments, then an optional "-" tail of alnum/"-"
// segments, surrounding whitespace allowed; blank means "0"); "-" is read as
// ".pre."; the string is scanned into runs of digits (numbers) and runs of
// letters (strings); canonical_segments drops trailing zeros separately from
// the leading numeric part and from the part starting at the first string;
// segments compare pairwise with a missing one read as 0, a string below a
// number, numbers by value and strings bytewise. Numbers stay digit strings,
// so arbitrarily long ones compare without overflow.
#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

#include "vuln/version/version.h"

namespace drydock {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
// Ruby's \s: space, \t, \n, \v, \f, \r.
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

int Sign(int v) { return v < 0 ? -1 : v > 0 ? 1 : 0; }

struct Segment {
  bool number = false;
  std::string_view text;  // digits without leading zeros ("0" for zero), or letters
};

bool IsZero(const Segment& s) { return s.number && s.text == "0"; }

// [0-9]+ (\.[0-9a-zA-Z]+)* (-[0-9A-Za-z-]+ (\.[0-9A-Za-z-]+)*)?  on the
// whitespace-stripped string, or an empty string.
bool MatchesPattern(std::string_view s) {
  if (s.empty()) return true;
  size_t i = 0;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i == 0) return false;
  while (i + 1 < s.size() && s[i] == '.' && IsAlnum(s[i + 1])) {
    ++i;
    while (i < s.size() && IsAlnum(s[i])) ++i;
  }
  if (i == s.size()) return true;
  if (s[i] != '-') return false;
  // The tail: "-" then segments of [0-9A-Za-z-]+ separated by single dots.
  ++i;
  auto tail_char = [](char c) { return IsAlnum(c) || c == '-'; };
  for (;;) {
    const size_t start = i;
    while (i < s.size() && tail_char(s[i])) ++i;
    if (i == start) return false;
    if (i == s.size()) return true;
    if (s[i] != '.') return false;
    ++i;
  }
}

// Splits into digit runs and letter runs ("-" is ".pre.", so it adds a "pre"
// string segment), then applies canonical_segments.
std::vector<Segment> CanonicalSegments(std::string_view s) {
  std::vector<Segment> segs;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '-') {
      segs.push_back({false, "pre"});
      ++i;
      continue;
    }
    const size_t start = i;
    if (IsDigit(s[i])) {
      while (i < s.size() && IsDigit(s[i])) ++i;
      std::string_view d = s.substr(start, i - start);
      while (d.size() > 1 && d.front() == '0') d.remove_prefix(1);
      segs.push_back({true, d});
    } else if (IsAlpha(s[i])) {
      while (i < s.size() && IsAlpha(s[i])) ++i;
      segs.push_back({false, s.substr(start, i - start)});
    } else {
      ++i;
    }
  }
  const auto first_string = std::find_if(segs.begin(), segs.end(), [](const Segment& g) { return !g.number; });
  std::vector<Segment> out;
  out.reserve(segs.size());
  auto append_trimmed = [&out](auto begin, auto end) {
    while (end != begin && IsZero(*(end - 1))) --end;
    out.insert(out.end(), begin, end);
  };
  append_trimmed(segs.begin(), first_string);
  append_trimmed(first_string, segs.end());
  return out;
}

Result<std::vector<Segment>> Parse(std::string_view raw) {
  std::string_view s = raw;
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  if (!MatchesPattern(s)) return InputError("rubygems: {}: malformed version number", raw.substr(0, 80));
  return CanonicalSegments(s);
}

int CompareSegment(const Segment& a, const Segment& b) {
  if (a.number != b.number) return a.number ? 1 : -1;
  if (a.number && a.text.size() != b.text.size()) return a.text.size() < b.text.size() ? -1 : 1;
  return Sign(a.text.compare(b.text));
}

}  // namespace

Result<int> CompareRubyGems(std::string_view a, std::string_view b) {
  ASSIGN_OR_RETURN(const std::vector<Segment> sa, Parse(a));
  ASSIGN_OR_RETURN(const std::vector<Segment> sb, Parse(b));
  const Segment zero{true, "0"};
  const size_t n = std::max(sa.size(), sb.size());
  for (size_t k = 0; k < n; ++k) {
    const Segment& x = k < sa.size() ? sa[k] : zero;
    const Segment& y = k < sb.size() ? sb[k] : zero;
    if (int c = CompareSegment(x, y); c != 0) return c;
  }
  return 0;
}

}  // namespace drydock
