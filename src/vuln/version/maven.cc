// Maven ordering as implemented by org.apache.maven.artifact.versioning.
// ComparableVersion in maven-artifact 3.8.7: the lower-cased string is split
// into items at ".", at "-" (which also opens a nested list) and at
// digit/letter transitions (which also open a nested list); numbers compare by
// value, qualifiers by the order alpha < beta < milestone < rc = cr <
// snapshot < "" = ga = final = release < sp < any other qualifier (others
// lexically), with "a1"/"b1"/"m1" read as alpha/beta/milestone; each list is
// normalised by dropping trailing null items (0, "", empty lists, skipping over
// a trailing non-empty list); a missing item compares as null. Every string
// is a valid Maven version.
//
// In ComparableVersion a new list is only ever appended as the last item of
// the current list, which then never grows again, so the nesting is a chain:
// it is stored here as a vector of levels (level k+1 is the trailing list item
// of level k) and compared iteratively, so deeply nested hostile input cannot
// exhaust the stack. Numbers stay digit strings (no overflow). Only ASCII is
// lower-cased and only ASCII digits are digits; Java would also fold and read
// other Unicode letters and digits.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "vuln/version/version.h"

namespace drydock {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
int Sign(int v) { return v < 0 ? -1 : v > 0 ? 1 : 0; }

// Index of "" in the qualifier order; unknown qualifiers rank after all.
constexpr int kReleaseRank = 5;
constexpr int kUnknownRank = 7;

// An IntItem (digits without leading zeros) or a StringItem (rank in the
// qualifier order, and its text when it is not a known qualifier).
struct Scalar {
  bool is_int = false;
  std::string_view text;
  int rank = 0;

  bool IsNull() const { return is_int ? text == "0" : rank == kReleaseRank; }
};

struct Level {
  std::vector<Scalar> items;
};

// Levels of the chain; level k has a trailing list item iff k + 1 < size().
using Chain = std::vector<Level>;

Scalar MakeInt(std::string_view digits) {
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  return Scalar{true, digits.empty() ? std::string_view("0") : digits, 0};
}

Scalar MakeString(std::string_view s, bool followed_by_digit) {
  if (followed_by_digit && s.size() == 1) {
    if (s == "a") s = "alpha";
    if (s == "b") s = "beta";
    if (s == "m") s = "milestone";
  }
  if (s == "ga" || s == "final" || s == "release") s = "";
  if (s == "cr") s = "rc";
  static constexpr std::string_view kQualifiers[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};
  for (int i = 0; i < 7; ++i) {
    if (s == kQualifiers[i]) return Scalar{false, {}, i};
  }
  return Scalar{false, s, kUnknownRank};
}

Chain ParseMaven(std::string_view v) {
  Chain chain(1);
  bool is_digit = false;
  size_t start = 0;
  auto item = [&](bool digit, size_t from, size_t to) {
    const std::string_view s = v.substr(from, to - from);
    chain.back().items.push_back(digit ? MakeInt(s) : MakeString(s, false));
  };
  for (size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '.' || c == '-') {
      if (i == start) {
        chain.back().items.push_back(MakeInt("0"));
      } else {
        item(is_digit, start, i);
      }
      start = i + 1;
      if (c == '-') chain.emplace_back();
    } else if (IsDigit(c)) {
      if (!is_digit && i > start) {
        // ".X1" is read as "-X1": a qualifier followed by a number opens a list
        // unless it starts one.
        if (!chain.back().items.empty()) chain.emplace_back();
        chain.back().items.push_back(MakeString(v.substr(start, i - start), true));
        start = i;
        chain.emplace_back();
      }
      is_digit = true;
    } else {
      if (is_digit && i > start) {
        item(true, start, i);
        start = i;
        chain.emplace_back();
      }
      is_digit = false;
    }
  }
  if (v.size() > start) {
    // Likewise a trailing ".X" is read as "-X".
    if (!is_digit && !chain.back().items.empty()) chain.emplace_back();
    item(is_digit, start, v.size());
  }
  // Normalise innermost first: an empty trailing list is dropped, then the
  // trailing null items before it (a non-empty trailing list is skipped).
  for (size_t k = chain.size(); k-- > 0;) {
    if (k + 2 == chain.size() && chain[k + 1].items.empty()) chain.pop_back();
    auto& items = chain[k].items;
    while (!items.empty() && items.back().IsNull()) items.pop_back();
  }
  return chain;
}

int ScalarVsNull(const Scalar& s) {
  if (s.is_int) return s.text == "0" ? 0 : 1;
  return s.rank < kReleaseRank ? -1 : s.rank == kReleaseRank ? 0 : 1;
}

// The list at level k compared with null: the first of its items (nested
// lists included) that does not compare equal to null decides (MNG-6964).
int ListVsNull(const Chain& c, size_t k) {
  for (; k < c.size(); ++k) {
    for (const Scalar& s : c[k].items) {
      if (int r = ScalarVsNull(s); r != 0) return r;
    }
  }
  return 0;
}

int ScalarVsScalar(const Scalar& a, const Scalar& b) {
  if (a.is_int != b.is_int) return a.is_int ? 1 : -1;
  if (a.is_int) {
    if (a.text.size() != b.text.size()) return a.text.size() < b.text.size() ? -1 : 1;
    return Sign(a.text.compare(b.text));
  }
  if (a.rank != b.rank) return a.rank < b.rank ? -1 : 1;
  return a.rank == kUnknownRank ? Sign(a.text.compare(b.text)) : 0;
}

// A scalar compared with a list: a number is above, a qualifier below.
int ScalarVsList(const Scalar& s) { return s.is_int ? 1 : -1; }

int CompareChains(const Chain& a, const Chain& b) {
  size_t ka = 0, kb = 0;
  for (;;) {
    const auto& ia = a[ka].items;
    const auto& ib = b[kb].items;
    const bool la = ka + 1 < a.size(), lb = kb + 1 < b.size();
    const size_t na = ia.size() + (la ? 1 : 0), nb = ib.size() + (lb ? 1 : 0);
    bool descend = false;
    for (size_t j = 0; j < na || j < nb; ++j) {
      const bool a_none = j >= na, b_none = j >= nb;
      const bool a_list = !a_none && j == ia.size(), b_list = !b_none && j == ib.size();
      int r = 0;
      if (a_list && b_list) {
        descend = true;  // both lists are the last items of their levels
        break;
      }
      if (a_none) {
        r = b_list ? -ListVsNull(b, kb + 1) : -ScalarVsNull(ib[j]);
      } else if (b_none) {
        r = a_list ? ListVsNull(a, ka + 1) : ScalarVsNull(ia[j]);
      } else if (a_list) {
        r = -ScalarVsList(ib[j]);
      } else if (b_list) {
        r = ScalarVsList(ia[j]);
      } else {
        r = ScalarVsScalar(ia[j], ib[j]);
      }
      if (r != 0) return r;
    }
    if (!descend) return 0;
    ++ka;
    ++kb;
  }
}

}  // namespace

Result<int> CompareMaven(std::string_view a, std::string_view b) {
  std::string la(a), lb(b);
  for (auto* s : {&la, &lb}) {
    for (char& c : *s) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return CompareChains(ParseMaven(la), ParseMaven(lb));
}

}  // namespace drydock
