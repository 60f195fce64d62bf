// Composer versions: Composer\Semver\VersionParser::normalize() turns a
// version into its four-part normalized form ("v1.2" -> "1.2.0.0",
// "1.0-RC1" -> "1.0.0.0-RC1", "2.0.x-dev" -> "2.0.9999999.9999999-dev",
// "dev-main" kept), and two normalized versions are ordered by PHP's
// version_compare(), as Composer\Semver\Comparator does.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "vuln/version/version.h"

namespace drydock {
namespace {

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Matches VersionParser's modifier suffix at `s`:
//   [._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?$
// Appends the normalized suffix to `out`; false when `s` is not one.
bool Modifiers(std::string_view s, std::string& out) {
  static const char* kWords[] = {"stable", "beta", "b", "rc", "alpha", "a", "patch", "pl", "p"};
  auto parse_tail = [](std::string_view t, std::string& num, bool& dev) {
    // ((?:[.-]?\d+)*+)?([.-]?dev)?$
    size_t i = 0;
    for (;;) {
      size_t j = i;
      if (j < t.size() && (t[j] == '.' || t[j] == '-')) ++j;
      size_t k = j;
      while (k < t.size() && IsDigit(t[k])) ++k;
      if (k == j) break;
      num.append(t.substr(i, k - i));
      i = k;
    }
    std::string_view rest = t.substr(i);
    if (rest.empty()) return true;
    if (rest[0] == '.' || rest[0] == '-') rest.remove_prefix(1);
    if (Lower(rest) == "dev") {
      dev = true;
      return true;
    }
    return false;
  };
  for (int sep = 0; sep < 2; ++sep) {
    std::string_view t = s;
    if (sep == 1) {
      if (t.empty() || (t[0] != '.' && t[0] != '_' && t[0] != '-')) continue;
      t.remove_prefix(1);
    }
    // No stability word: only an optional dev.
    {
      std::string num;
      bool dev = false;
      std::string_view r = t;
      if (r.empty() || Lower(r) == "dev" || ((r[0] == '.' || r[0] == '-') && Lower(r.substr(1)) == "dev")) {
        if (!r.empty()) out += "-dev";
        return true;
      }
      (void)num;
      (void)dev;
    }
    for (const char* w : kWords) {
      const size_t n = std::char_traits<char>::length(w);
      if (t.size() < n || Lower(t.substr(0, n)) != w) continue;
      std::string num;
      bool dev = false;
      if (!parse_tail(t.substr(n), num, dev)) continue;
      std::string word = w;
      if (word != "stable") {
        if (word == "a")
          word = "alpha";
        else if (word == "b")
          word = "beta";
        else if (word == "p" || word == "pl")
          word = "patch";
        else if (word == "rc")
          word = "RC";
        size_t strip = 0;
        while (strip < num.size() && (num[strip] == '.' || num[strip] == '-')) ++strip;
        out += "-" + word + num.substr(strip);
      }
      if (dev) out += "-dev";
      return true;
    }
  }
  return false;
}

Result<std::string> Normalize(std::string_view raw) {
  std::string v(raw);
  auto trim = [](std::string& s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(s.begin());
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  };
  trim(v);
  if (auto as = v.find(" as "); as != std::string::npos) {
    v.resize(as);
    trim(v);
  }
  if (auto hash = v.find('#'); hash != std::string::npos && hash > 0) v.resize(hash);
  for (const char* flag : {"@stable", "@rc", "@beta", "@alpha", "@dev"}) {
    const size_t n = std::char_traits<char>::length(flag);
    if (v.size() > n && Lower(std::string_view(v).substr(v.size() - n)) == flag) v.resize(v.size() - n);
  }
  if (v.empty()) return InputError("composer: empty version");
  const std::string low = Lower(v);
  if (low == "master" || low == "trunk" || low == "default") return "dev-" + v;
  if (low.rfind("dev-", 0) == 0) return "dev-" + v.substr(4);
  if (auto plus = v.find('+'); plus != std::string::npos && plus > 0) v.resize(plus);

  size_t i = 0;
  if (i < v.size() && (v[i] == 'v' || v[i] == 'V')) ++i;
  size_t d = i;
  while (d < v.size() && IsDigit(v[d])) ++d;
  if (d == i) return InputError("composer: {}: invalid version", raw);
  std::vector<std::string> parts;
  std::string out;
  if (d - i <= 5) {
    // Classical: up to four dotted numbers.
    parts.push_back(v.substr(i, d - i));
    size_t p = d;
    while (parts.size() < 4 && p + 1 < v.size() && v[p] == '.' && IsDigit(v[p + 1])) {
      size_t q = p + 1;
      while (q < v.size() && IsDigit(v[q])) ++q;
      parts.push_back(v.substr(p + 1, q - p - 1));
      p = q;
    }
    std::string head;
    for (size_t k = 0; k < 4; ++k) head += (k ? "." : "") + (k < parts.size() ? parts[k] : std::string("0"));
    std::string suffix;
    if (Modifiers(std::string_view(v).substr(p), suffix)) return head + suffix;
  } else {
    // Date versions (20230101, 2023.01.01-12): separators become dots.
    size_t p = i;
    std::string head;
    while (p < v.size() && (IsDigit(v[p]) || v[p] == '.' || v[p] == ':' || v[p] == '-')) {
      size_t q = p;
      while (q < v.size() && IsDigit(v[q])) ++q;
      if (q == p) break;
      head += (head.empty() ? "" : ".") + v.substr(p, q - p);
      p = q;
      if (p + 1 < v.size() && (v[p] == '.' || v[p] == ':' || v[p] == '-') && IsDigit(v[p + 1]))
        ++p;
      else
        break;
    }
    std::string suffix;
    if (Modifiers(std::string_view(v).substr(p), suffix)) return head + suffix;
  }
  // Branches: "1.x-dev", "2.0.*-dev".
  std::string_view b = v;
  if (b.size() > 3 && Lower(b.substr(b.size() - 3)) == "dev") {
    b.remove_suffix(3);
    if (!b.empty() && (b.back() == '.' || b.back() == '-')) b.remove_suffix(1);
    if (!b.empty() && (b[0] == 'v' || b[0] == 'V')) b.remove_prefix(1);
    std::vector<std::string> bp;
    size_t s = 0;
    bool ok = !b.empty();
    for (size_t k = 0; k <= b.size() && ok; ++k) {
      if (k != b.size() && b[k] != '.') continue;
      std::string part(b.substr(s, k - s));
      s = k + 1;
      if (part == "x" || part == "X" || part == "*")
        part = "9999999";
      else if (part.empty() || !std::all_of(part.begin(), part.end(), IsDigit))
        ok = false;
      bp.push_back(part);
    }
    if (ok && bp.size() <= 4) {
      while (bp.size() < 4) bp.push_back("9999999");
      return bp[0] + "." + bp[1] + "." + bp[2] + "." + bp[3] + "-dev";
    }
  }
  return InputError("composer: {}: invalid version", raw);
}

// PHP's php_canonicalize_version.
std::string Canonicalize(std::string_view v) {
  std::string q;
  if (v.empty()) return q;
  auto isndig = [](char c) { return !IsDigit(c) && c != '.'; };
  char lp = v[0];
  q.push_back(v[0]);
  for (size_t i = 1; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '-' || c == '_' || c == '+') {
      if (q.back() != '.') q.push_back('.');
    } else if ((isndig(lp) && IsDigit(c)) || (IsDigit(lp) && isndig(c))) {
      if (q.back() != '.') q.push_back('.');
      q.push_back(c);
    } else if (!std::isalnum(static_cast<unsigned char>(c))) {
      if (q.back() != '.') q.push_back('.');
    } else {
      q.push_back(c);
    }
    lp = c;
  }
  return q;
}

int SpecialOrder(std::string_view form) {
  static const std::pair<const char*, int> kForms[] = {{"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2},
                                                       {"RC", 3},  {"rc", 3},    {"#", 4}, {"pl", 5},   {"p", 5}};
  for (const auto& [name, order] : kForms) {
    if (form.substr(0, std::char_traits<char>::length(name)) == name) return order;
  }
  return -1;
}

int CompareSpecial(std::string_view a, std::string_view b) {
  const int x = SpecialOrder(a), y = SpecialOrder(b);
  return (x > y) - (x < y);
}

int CompareDigits(std::string_view a, std::string_view b) {
  while (a.size() > 1 && a[0] == '0') a.remove_prefix(1);
  while (b.size() > 1 && b[0] == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  const int c = a.compare(b);
  return (c > 0) - (c < 0);
}

std::vector<std::string_view> SplitParts(std::string_view s) {
  std::vector<std::string_view> out;
  size_t st = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '.') {
      out.push_back(s.substr(st, i - st));
      st = i + 1;
    }
  }
  return out;
}

// PHP's php_version_compare on two canonical strings.
int PhpVersionCompare(std::string_view a, std::string_view b) {
  const std::string ca = Canonicalize(a), cb = Canonicalize(b);
  const auto pa = SplitParts(ca), pb = SplitParts(cb);
  size_t i = 0;
  for (; i < pa.size() && i < pb.size(); ++i) {
    const bool da = !pa[i].empty() && IsDigit(pa[i][0]), db = !pb[i].empty() && IsDigit(pb[i][0]);
    int c;
    if (da && db)
      c = CompareDigits(pa[i], pb[i]);
    else if (!da && !db)
      c = CompareSpecial(pa[i], pb[i]);
    else if (da)
      c = CompareSpecial("#N#", pb[i]);
    else
      c = CompareSpecial(pa[i], "#N#");
    if (c != 0) return c;
  }
  if (i < pa.size()) return (!pa[i].empty() && IsDigit(pa[i][0])) ? 1 : CompareSpecial(pa[i], "#N#");
  if (i < pb.size()) return (!pb[i].empty() && IsDigit(pb[i][0])) ? -1 : CompareSpecial("#N#", pb[i]);
  return 0;
}

}  // namespace

Result<int> CompareComposer(std::string_view a, std::string_view b) {
  ASSIGN_OR_RETURN(std::string x, Normalize(a));
  ASSIGN_OR_RETURN(std::string y, Normalize(b));
  return PhpVersionCompare(x, y);
}

}  // namespace drydock
