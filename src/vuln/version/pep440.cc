// PEP 440 ordering as implemented by packaging 23.0's packaging.version.Version:
// the same accepted syntax as its VERSION_PATTERN (case-insensitive, optional
// "v" prefix, surrounding whitespace, "-", "_" and "." as optional separators,
// implicit post releases "1.0-1", alternative spellings alpha/beta/c/pre/
// preview/rev/r) and the same ordering as its _cmpkey: epoch, release with
// trailing zeros dropped, then pre/post/dev with the sentinels packaging uses
// (a dev-only release sorts before any pre-release of it; no pre sorts after
// every pre; no post before any post; no dev after any dev), then the local
// version compared segment-wise (numbers above strings, numbers numerically,
// strings lexically in lower case, a shorter prefix first). Numbers are kept
// as digit strings, so arbitrarily long ones compare without overflow.
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "vuln/version/version.h"

namespace drydock {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsSep(char c) { return c == '-' || c == '_' || c == '.'; }
// Python's str whitespace in the ASCII range (re's \s on a str pattern).
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f'); }

int Sign(int v) { return v < 0 ? -1 : v > 0 ? 1 : 0; }

std::string_view StripZeros(std::string_view d) {
  while (d.size() > 1 && d.front() == '0') d.remove_prefix(1);
  return d;
}

// Compares two non-empty decimal digit strings by value.
int CompareNumbers(std::string_view a, std::string_view b) {
  a = StripZeros(a);
  b = StripZeros(b);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return Sign(a.compare(b));
}

bool IsZero(std::string_view d) { return StripZeros(d) == "0"; }

// One optional "label + number" part (pre, post or dev). `present` false means
// the part is absent; `number` empty means an implicit 0.
struct Part {
  bool present = false;
  int label = 0;  // pre: 0 = a, 1 = b, 2 = rc
  std::string_view number;
};

struct Parsed {
  std::string_view epoch;  // empty: 0
  // "1.2.3" as written, trailing zero components dropped ("" for "0"):
  // walked in place, so a parse allocates nothing.
  std::string_view release;
  Part pre, post, dev;
  bool has_local = false;
  std::vector<std::string> local;  // lower-cased segments
};

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  bool Parse(Parsed& out) {
    while (i_ < s_.size() && IsSpace(s_[i_])) ++i_;
    size_t end = s_.size();
    while (end > i_ && IsSpace(s_[end - 1])) --end;
    s_ = s_.substr(0, end);
    if (i_ < s_.size() && Lower(s_[i_]) == 'v') ++i_;
    // Epoch: digits followed by '!'; otherwise those digits start the release.
    size_t j = i_;
    while (j < s_.size() && IsDigit(s_[j])) ++j;
    if (j > i_ && j < s_.size() && s_[j] == '!') {
      out.epoch = s_.substr(i_, j - i_);
      i_ = j + 1;
    }
    const size_t release = i_;
    std::string_view first;
    if (!Digits(first)) return false;
    while (i_ + 1 < s_.size() && s_[i_] == '.' && IsDigit(s_[i_ + 1])) {
      ++i_;
      std::string_view more;
      Digits(more);
    }
    out.release = s_.substr(release, i_ - release);
    ParsePre(out.pre);
    ParsePost(out.post);
    ParseLabelled({"dev"}, out.dev);
    if (i_ < s_.size() && s_[i_] == '+') {
      ++i_;
      out.has_local = true;
      if (!ParseLocal(out.local)) return false;
    }
    return i_ == s_.size();
  }

 private:
  bool Digits(std::string_view& d) {
    const size_t start = i_;
    while (i_ < s_.size() && IsDigit(s_[i_])) ++i_;
    d = s_.substr(start, i_ - start);
    return i_ > start;
  }

  // Length of the longest of `labels` at position `at` (case-insensitive), and
  // which one; 0 if none matches.
  size_t MatchLabel(size_t at, std::initializer_list<std::string_view> labels, int& which) const {
    size_t best = 0;
    int k = 0;
    for (std::string_view l : labels) {
      if (at + l.size() <= s_.size()) {
        bool eq = true;
        for (size_t n = 0; n < l.size() && eq; ++n) eq = Lower(s_[at + n]) == l[n];
        if (eq && l.size() > best) {
          best = l.size();
          which = k;
        }
      }
      ++k;
    }
    return best;
  }

  // [-_.]? label [-_.]? [0-9]*  — the separator before the label is taken
  // only when a label follows; the one after is always taken.
  bool ParseLabelled(std::initializer_list<std::string_view> labels, Part& part, int* which = nullptr) {
    size_t at = i_;
    if (at < s_.size() && IsSep(s_[at])) ++at;
    int w = 0;
    const size_t len = MatchLabel(at, labels, w);
    if (len == 0) return false;
    i_ = at + len;
    if (i_ < s_.size() && IsSep(s_[i_])) ++i_;
    part.present = true;
    Digits(part.number);
    if (which != nullptr) *which = w;
    return true;
  }

  void ParsePre(Part& pre) {
    int w = 0;
    if (!ParseLabelled({"a", "b", "c", "rc", "alpha", "beta", "pre", "preview"}, pre, &w)) return;
    static constexpr int kNormal[] = {0, 1, 2, 2, 0, 1, 2, 2};
    pre.label = kNormal[w];
  }

  void ParsePost(Part& post) {
    // "-N" is an implicit post release.
    if (i_ + 1 < s_.size() && s_[i_] == '-' && IsDigit(s_[i_ + 1])) {
      ++i_;
      post.present = true;
      Digits(post.number);
      return;
    }
    ParseLabelled({"post", "rev", "r"}, post);
  }

  // [a-z0-9]+ ([-_.][a-z0-9]+)*
  bool ParseLocal(std::vector<std::string>& local) {
    for (;;) {
      const size_t start = i_;
      while (i_ < s_.size() && IsAlnum(s_[i_])) ++i_;
      if (i_ == start) return false;
      std::string seg(s_.substr(start, i_ - start));
      std::transform(seg.begin(), seg.end(), seg.begin(), Lower);
      local.push_back(std::move(seg));
      if (i_ + 1 < s_.size() && IsSep(s_[i_]) && IsAlnum(s_[i_ + 1])) {
        ++i_;
        continue;
      }
      return true;
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

Result<Parsed> Parse(std::string_view s) {
  Parsed p;
  if (!Parser(s).Parse(p)) return InputError("pep440: {}: invalid version", s.substr(0, 80));
  for (;;) {
    const size_t dot = p.release.rfind('.');
    const std::string_view last = dot == std::string_view::npos ? p.release : p.release.substr(dot + 1);
    if (!IsZero(last)) break;
    if (dot == std::string_view::npos) {
      p.release = std::string_view();
      break;
    }
    p.release = p.release.substr(0, dot);
  }
  return p;
}

// The first dot-separated component of `rest`, which loses it and its dot.
std::string_view NextComponent(std::string_view& rest) {
  const size_t dot = rest.find('.');
  const std::string_view c = rest.substr(0, dot);
  rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  return c;
}

int CompareNumberOrZero(std::string_view a, std::string_view b) {
  return CompareNumbers(a.empty() ? "0" : a, b.empty() ? "0" : b);
}

// Rank of the pre part in _cmpkey: 0 = dev-only release (-Infinity),
// 1 = an actual pre-release, 2 = no pre (Infinity).
int PreRank(const Parsed& p) {
  if (p.pre.present) return 1;
  if (!p.post.present && p.dev.present) return 0;
  return 2;
}

bool AllDigits(std::string_view s) { return std::all_of(s.begin(), s.end(), IsDigit); }

int CompareLocal(const Parsed& a, const Parsed& b) {
  if (a.has_local != b.has_local) return a.has_local ? 1 : -1;
  const size_t n = std::min(a.local.size(), b.local.size());
  for (size_t k = 0; k < n; ++k) {
    const std::string& x = a.local[k];
    const std::string& y = b.local[k];
    const bool xn = AllDigits(x), yn = AllDigits(y);
    if (xn != yn) return xn ? 1 : -1;
    const int c = xn ? CompareNumbers(x, y) : Sign(x.compare(y));
    if (c != 0) return c;
  }
  return a.local.size() == b.local.size() ? 0 : a.local.size() < b.local.size() ? -1 : 1;
}

int Compare(const Parsed& a, const Parsed& b) {
  if (int c = CompareNumberOrZero(a.epoch, b.epoch); c != 0) return c;
  std::string_view ra_left = a.release, rb_left = b.release;
  while (!ra_left.empty() || !rb_left.empty()) {
    // After trailing zeros are dropped, a missing component is "absent", and
    // Python's tuple order puts a shorter prefix first.
    if (ra_left.empty()) return -1;
    if (rb_left.empty()) return 1;
    if (int c = CompareNumbers(NextComponent(ra_left), NextComponent(rb_left)); c != 0) return c;
  }
  const int ra = PreRank(a), rb = PreRank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 1) {
    if (a.pre.label != b.pre.label) return a.pre.label < b.pre.label ? -1 : 1;
    if (int c = CompareNumberOrZero(a.pre.number, b.pre.number); c != 0) return c;
  }
  if (a.post.present != b.post.present) return a.post.present ? 1 : -1;
  if (a.post.present) {
    if (int c = CompareNumberOrZero(a.post.number, b.post.number); c != 0) return c;
  }
  if (a.dev.present != b.dev.present) return a.dev.present ? -1 : 1;
  if (a.dev.present) {
    if (int c = CompareNumberOrZero(a.dev.number, b.dev.number); c != 0) return c;
  }
  return CompareLocal(a, b);
}

}  // namespace

Result<int> ComparePep440(std::string_view a, std::string_view b) {
  ASSIGN_OR_RETURN(const Parsed pa, Parse(a));
  ASSIGN_OR_RETURN(const Parsed pb, Parse(b));
  return Compare(pa, pb);
}

}  // namespace drydock
