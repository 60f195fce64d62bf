#include "vuln/version/semver_range.h"

#include <cctype>

#include "vuln/version/version.h"

namespace drydock {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

bool IsWild(std::string_view p) { return p.empty() || p == "x" || p == "X" || p == "*"; }

// A partial version: up to three numeric parts (wildcards end it), an
// optional prerelease (only with all three parts).
struct Partial {
  int given = 0;  // numeric parts given
  unsigned long long n[3] = {0, 0, 0};
  std::string pre;  // "-alpha.1" or ""
};

Result<Partial> ParsePartial(std::string_view s) {
  Partial p;
  std::string v = Trim(s);
  while (!v.empty() && (v[0] == 'v' || v[0] == '=')) v.erase(0, 1);
  v = Trim(v);
  if (auto plus = v.find('+'); plus != std::string::npos) v.resize(plus);
  std::string core = v;
  if (auto dash = v.find('-'); dash != std::string::npos) {
    core = v.substr(0, dash);
    p.pre = v.substr(dash);
    if (p.pre.size() == 1) return InputError("semver range: {}: empty prerelease", s);
  }
  size_t start = 0;
  bool wild = false;
  for (size_t i = 0; i <= core.size(); ++i) {
    if (i != core.size() && core[i] != '.') continue;
    std::string_view part = std::string_view(core).substr(start, i - start);
    start = i + 1;
    if (IsWild(part)) {
      if (core.empty() && part.empty()) break;
      wild = true;
      continue;
    }
    if (wild) return InputError("semver range: {}: number after a wildcard", s);
    if (part.size() > 16) return InputError("semver range: {}: number too large", s);
    for (char c : part) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return InputError("semver range: {}: not a version", s);
    }
    if (p.given >= 3) return InputError("semver range: {}: too many parts", s);
    p.n[p.given++] = std::stoull(std::string(part));
  }
  if (p.given < 3) p.pre.clear();
  return p;
}

std::string Ver(unsigned long long a, unsigned long long b, unsigned long long c, std::string_view pre = "") {
  return std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c) + std::string(pre);
}

// Desugars one comparator token (operator + partial) into primitives.
Status Desugar(std::string_view op, std::string_view ver, std::vector<SemverComparator>& out) {
  ASSIGN_OR_RETURN(Partial p, ParsePartial(ver));
  const int g = p.given;
  const auto M = p.n[0], m = p.n[1], pt = p.n[2];
  if (op == "~" || op == "~>") {
    if (g == 0) return Ok();
    out.push_back({">=", Ver(M, m, pt, p.pre)});
    out.push_back({"<", g == 1 ? Ver(M + 1, 0, 0, "-0") : Ver(M, m + 1, 0, "-0")});
    return Ok();
  }
  if (op == "^") {
    if (g == 0) return Ok();
    out.push_back({">=", Ver(M, m, pt, p.pre)});
    if (g == 1 || M != 0)
      out.push_back({"<", Ver(M + 1, 0, 0, "-0")});
    else if (g == 2 || m != 0)
      out.push_back({"<", Ver(M, m + 1, 0, "-0")});
    else
      out.push_back({"<", Ver(M, m, pt + 1, "-0")});
    return Ok();
  }
  if (op.empty() || op == "=") {
    if (g == 0) return Ok();  // "*": any
    if (g == 3) {
      out.push_back({"=", Ver(M, m, pt, p.pre)});
      return Ok();
    }
    out.push_back({">=", Ver(M, m, 0)});
    out.push_back({"<", g == 1 ? Ver(M + 1, 0, 0, "-0") : Ver(M, m + 1, 0, "-0")});
    return Ok();
  }
  // X-ranges with a primitive operator (node-semver replaceXRange).
  if (g == 3) {
    out.push_back({std::string(op), Ver(M, m, pt, p.pre)});
    return Ok();
  }
  if (g == 0) {
    if (op == ">" || op == "<") out.push_back({"<", "0.0.0-0"});  // nothing
    return Ok();
  }
  if (op == ">") {
    out.push_back({">=", g == 1 ? Ver(M + 1, 0, 0, "-0") : Ver(M, m + 1, 0, "-0")});
  } else if (op == "<=") {
    out.push_back({"<", g == 1 ? Ver(M + 1, 0, 0, "-0") : Ver(M, m + 1, 0, "-0")});
  } else if (op == "<") {
    out.push_back({"<", Ver(M, g == 2 ? m : 0, 0, "-0")});
  } else if (op == ">=") {
    out.push_back({">=", Ver(M, g == 2 ? m : 0, 0)});
  } else {
    return InputError("semver range: unknown operator '{}'", op);
  }
  return Ok();
}

Result<std::vector<SemverComparator>> ParseSet(std::string_view set) {
  std::vector<SemverComparator> out;
  std::string s = Trim(set);
  // Hyphen range "A - B".
  if (auto h = s.find(" - "); h != std::string::npos) {
    ASSIGN_OR_RETURN(Partial a, ParsePartial(s.substr(0, h)));
    ASSIGN_OR_RETURN(Partial b, ParsePartial(s.substr(h + 3)));
    if (a.given > 0) out.push_back({">=", Ver(a.n[0], a.n[1], a.n[2], a.pre)});
    if (b.given == 3)
      out.push_back({"<=", Ver(b.n[0], b.n[1], b.n[2], b.pre)});
    else if (b.given == 2)
      out.push_back({"<", Ver(b.n[0], b.n[1] + 1, 0, "-0")});
    else if (b.given == 1)
      out.push_back({"<", Ver(b.n[0] + 1, 0, 0, "-0")});
    return out;
  }
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size()) break;
    size_t o = i;
    while (o < s.size() && std::string_view("<>=~^").find(s[o]) != std::string_view::npos) ++o;
    std::string op = s.substr(i, o - i);
    size_t v = o;
    while (v < s.size() && std::isspace(static_cast<unsigned char>(s[v]))) ++v;  // "<= 1.2.3"
    size_t e = v;
    while (e < s.size() && !std::isspace(static_cast<unsigned char>(s[e]))) ++e;
    if (op == "~>") op = "~";
    if (op != "" && op != "=" && op != "<" && op != "<=" && op != ">" && op != ">=" && op != "~" && op != "^") {
      return InputError("semver range: unknown operator '{}'", op);
    }
    if (v == e && op.empty()) break;
    RETURN_IF_ERROR(Desugar(op, std::string_view(s).substr(v, e - v), out));
    i = e;
  }
  return out;
}

struct Parsed {
  unsigned long long n[3] = {0, 0, 0};
  bool pre = false;
};

Result<Parsed> ParseVersion(std::string_view v) {
  ASSIGN_OR_RETURN(Partial p, ParsePartial(v));
  if (p.given != 3) return InputError("semver: {}: not a full version", v);
  Parsed out;
  for (int k = 0; k < 3; ++k) out.n[k] = p.n[k];
  out.pre = !p.pre.empty();
  return out;
}

}  // namespace

Result<std::vector<std::vector<SemverComparator>>> ParseSemverRange(std::string_view range) {
  if (range.size() > 4096) return InputError("semver range: longer than 4096 bytes");
  std::vector<std::vector<SemverComparator>> sets;
  size_t start = 0;
  for (;;) {
    size_t bar = range.find("||", start);
    std::string_view part = range.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    ASSIGN_OR_RETURN(auto set, ParseSet(part));
    sets.push_back(std::move(set));
    if (bar == std::string_view::npos) break;
    start = bar + 2;
  }
  return sets;
}

Result<bool> SemverSatisfies(std::string_view range, std::string_view version) {
  ASSIGN_OR_RETURN(auto sets, ParseSemverRange(range));
  std::string v = Trim(version);
  while (!v.empty() && (v[0] == 'v' || v[0] == '=')) v.erase(0, 1);
  ASSIGN_OR_RETURN(Parsed pv, ParseVersion(v));
  for (const auto& set : sets) {
    bool all = true;
    for (const auto& c : set) {
      ASSIGN_OR_RETURN(int r, CompareSemver(v, c.version));
      const bool ok = c.op == "<"    ? r < 0
                      : c.op == "<=" ? r <= 0
                      : c.op == ">"  ? r > 0
                      : c.op == ">=" ? r >= 0
                                     : r == 0;
      if (!ok) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    if (pv.pre) {
      // Only when a comparator of this set names a prerelease of the same tuple.
      bool allowed = false;
      for (const auto& c : set) {
        auto cv = ParseVersion(c.version);
        if (cv.ok() && cv->pre && cv->n[0] == pv.n[0] && cv->n[1] == pv.n[1] && cv->n[2] == pv.n[2]) allowed = true;
      }
      if (!allowed) continue;
    }
    return true;
  }
  return false;
}

}  // namespace drydock
