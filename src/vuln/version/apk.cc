// Alpine version ordering as apk-tools implements it (src/version.c at
// alpinelinux/apk-tools HEAD 90b974fd: token_first, token_next, token_cmp,
// apk_version_compare; character classes from src/ctype.c).
//
// Grammar: digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#}. A version is
// read as a sequence of tokens, each allowed only after the ones before it
// in that order: the initial number, ".number", one lowercase letter,
// "_suffix" with an optional number, "~" and lowercase hex digits, "-r" and
// a number. Tokens are compared pairwise while both sides have the same kind
// of token: numbers numerically (as digit strings, so nothing overflows),
// except that a ".number" with a leading zero on either side compares as a
// string; letters by character; suffixes _alpha < _beta < _pre < _rc <
// (none) < _cvs < _svn < _git < _hg < _p; commit hashes as strings. When one
// side runs out of tokens or has a different kind of token next, a
// pre-release suffix loses, otherwise the side whose next token kind comes
// earlier in the grammar is greater, the end counting as last (so "1.0-r1"
// > "1.0", "1.0~abc" > "1.0", "1.0.1" > "1.0a").
//
// Like apk, this compares lazily: an ordering decided before either string
// reaches a token apk cannot parse stands, so "1.0" < "1.0bc" and
// "23_foo" > "4_beta" as in apk-tools' own test data. Where apk would let
// an invalid token decide (it ranks the side with an invalid token lower, and
// two invalid tails as equal), drydock returns an InputError instead.
#include <string_view>

#include "vuln/version/version.h"

namespace drydock {
namespace {

// In grammar order; the comparison relies on it.
enum class Kind { kInitialDigit, kDigit, kLetter, kSuffix, kSuffixNo, kCommitHash, kRevisionNo, kEnd, kInvalid };

// In ordering order; kNone sits between pre- and post-release suffixes.
enum class Suffix { kInvalid, kAlpha, kBeta, kPre, kRc, kNone, kCvs, kSvn, kGit, kHg, kP };

struct Token {
  Kind kind = Kind::kInitialDigit;
  Suffix suffix = Suffix::kInvalid;
  std::string_view value;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }

// Splits the longest prefix of `s` whose characters satisfy `pred`.
template <typename Pred>
std::string_view TakeWhile(std::string_view& s, Pred pred) {
  size_t n = 0;
  while (n < s.size() && pred(s[n])) ++n;
  const std::string_view out = s.substr(0, n);
  s.remove_prefix(n);
  return out;
}

Suffix SuffixValue(std::string_view s) {
  static constexpr struct {
    std::string_view name;
    Suffix value;
  } kSuffixes[] = {
      {"alpha", Suffix::kAlpha}, {"beta", Suffix::kBeta}, {"pre", Suffix::kPre},
      {"rc", Suffix::kRc},       {"cvs", Suffix::kCvs},   {"svn", Suffix::kSvn},
      {"git", Suffix::kGit},     {"hg", Suffix::kHg},     {"p", Suffix::kP},
  };
  for (const auto& k : kSuffixes) {
    if (k.name == s) return k.value;
  }
  return Suffix::kInvalid;
}

void ParseDigits(Token& t, std::string_view& s) {
  t.value = TakeWhile(s, IsDigit);
  if (t.value.empty()) t.kind = Kind::kInvalid;
}

Token First(std::string_view& s) {
  Token t;
  ParseDigits(t, s);
  return t;
}

void Next(Token& t, std::string_view& s) {
  if (s.empty()) {
    t.kind = Kind::kEnd;
    return;
  }
  const char c = s.front();
  if (IsLower(c)) {
    if (t.kind > Kind::kDigit) return void(t.kind = Kind::kInvalid);
    t.value = s.substr(0, 1);
    t.kind = Kind::kLetter;
    s.remove_prefix(1);
  } else if (c == '.' || IsDigit(c)) {
    if (c == '.') {
      if (t.kind > Kind::kDigit) return void(t.kind = Kind::kInvalid);
      s.remove_prefix(1);
    }
    if (t.kind == Kind::kInitialDigit || t.kind == Kind::kDigit) {
      t.kind = Kind::kDigit;
    } else if (t.kind == Kind::kSuffix) {
      t.kind = Kind::kSuffixNo;
    } else {
      return void(t.kind = Kind::kInvalid);
    }
    ParseDigits(t, s);
  } else if (c == '_') {
    if (t.kind > Kind::kSuffixNo) return void(t.kind = Kind::kInvalid);
    s.remove_prefix(1);
    t.value = TakeWhile(s, IsLower);
    t.suffix = SuffixValue(t.value);
    t.kind = t.suffix == Suffix::kInvalid ? Kind::kInvalid : Kind::kSuffix;
  } else if (c == '~') {
    if (t.kind >= Kind::kCommitHash) return void(t.kind = Kind::kInvalid);
    s.remove_prefix(1);
    t.value = TakeWhile(s, IsHex);
    t.kind = t.value.empty() ? Kind::kInvalid : Kind::kCommitHash;
  } else if (c == '-') {
    if (t.kind >= Kind::kRevisionNo || s.substr(0, 2) != "-r") return void(t.kind = Kind::kInvalid);
    s.remove_prefix(2);
    t.kind = Kind::kRevisionNo;
    ParseDigits(t, s);
  } else {
    t.kind = Kind::kInvalid;
  }
}

int Sign(int c) { return c < 0 ? -1 : c > 0 ? 1 : 0; }

// Numeric comparison of two non-empty digit strings of any length.
int CompareNumbers(std::string_view a, std::string_view b) {
  while (a.size() > 1 && a.front() == '0') a.remove_prefix(1);
  while (b.size() > 1 && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return Sign(a.compare(b));
}

// Compares two tokens of the same kind.
int CompareTokens(const Token& a, const Token& b) {
  switch (a.kind) {
    case Kind::kDigit:
      // A leading zero on either side means a string comparison (as Gentoo).
      if (a.value.front() == '0' || b.value.front() == '0') return Sign(a.value.compare(b.value));
      return CompareNumbers(a.value, b.value);
    case Kind::kInitialDigit:
    case Kind::kSuffixNo:
    case Kind::kRevisionNo:
      return CompareNumbers(a.value, b.value);
    case Kind::kLetter:
      return Sign(static_cast<unsigned char>(a.value.front()) - static_cast<unsigned char>(b.value.front()));
    case Kind::kSuffix:
      return a.suffix < b.suffix ? -1 : a.suffix > b.suffix ? 1 : 0;
    default:
      return Sign(a.value.compare(b.value));
  }
}

bool IsPreRelease(const Token& t) { return t.kind == Kind::kSuffix && t.suffix < Suffix::kNone; }

}  // namespace

Result<int> CompareApk(std::string_view a, std::string_view b) {
  std::string_view ra = a, rb = b;
  Token ta = First(ra), tb = First(rb);
  for (; ta.kind == tb.kind && ta.kind < Kind::kEnd; Next(ta, ra), Next(tb, rb)) {
    if (const int r = CompareTokens(ta, tb); r != 0) return r;
  }
  if (ta.kind == Kind::kInvalid) return InputError("apk: {}: invalid version", a.substr(0, 80));
  if (tb.kind == Kind::kInvalid) return InputError("apk: {}: invalid version", b.substr(0, 80));
  if (ta.kind == tb.kind) return 0;
  // The longer side is newer unless what it has next is a pre-release suffix.
  if (IsPreRelease(ta)) return -1;
  if (IsPreRelease(tb)) return 1;
  return ta.kind > tb.kind ? -1 : 1;
}

}  // namespace drydock
