#include "vuln/cvss.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace drydock {
namespace {

// Splits "K:V/K:V" into a map; a repeated or malformed metric is an error.
Result<std::map<std::string, std::string>> Metrics(std::string_view vector, std::string_view body) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= body.size(); ++i) {
    if (i != body.size() && body[i] != '/') continue;
    std::string_view part = body.substr(start, i - start);
    start = i + 1;
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == part.size()) {
      return InputError("cvss: {}: malformed metric '{}'", vector, part);
    }
    auto [it, fresh] = out.emplace(std::string(part.substr(0, colon)), std::string(part.substr(colon + 1)));
    if (!fresh) return InputError("cvss: {}: metric {} repeated", vector, it->first);
  }
  return out;
}

// Looks up metric `key` in `m` and returns the weight of its value.
Result<double> Weight(std::string_view vector, const std::map<std::string, std::string>& m, const std::string& key,
                      std::initializer_list<std::pair<const char*, double>> table) {
  auto it = m.find(key);
  if (it == m.end()) return InputError("cvss: {}: missing metric {}", vector, key);
  for (const auto& [v, w] : table) {
    if (it->second == v) return w;
  }
  return InputError("cvss: {}: {}:{} is not a valid value", vector, key, it->second);
}

// CVSS v3.1 Roundup (spec Appendix A: integer arithmetic avoids float error).
double Roundup31(double x) {
  const long long i = std::llround(x * 100000);
  if (i % 10000 == 0) return static_cast<double>(i) / 100000.0;
  return (std::floor(static_cast<double>(i) / 10000.0) + 1) / 10.0;
}

double Roundup30(double x) { return std::ceil(x * 10) / 10; }

Result<double> Score3(std::string_view vector, std::string_view body, bool v31) {
  ASSIGN_OR_RETURN(auto m, Metrics(vector, body));
  auto sit = m.find("S");
  if (sit == m.end()) return InputError("cvss: {}: missing metric S", vector);
  if (sit->second != "U" && sit->second != "C")
    return InputError("cvss: {}: S:{} is not a valid value", vector, sit->second);
  const bool changed = sit->second == "C";
  ASSIGN_OR_RETURN(double av, Weight(vector, m, "AV", {{"N", 0.85}, {"A", 0.62}, {"L", 0.55}, {"P", 0.2}}));
  ASSIGN_OR_RETURN(double ac, Weight(vector, m, "AC", {{"L", 0.77}, {"H", 0.44}}));
  ASSIGN_OR_RETURN(double pr,
                   Weight(vector, m, "PR", {{"N", 0.85}, {"L", changed ? 0.68 : 0.62}, {"H", changed ? 0.5 : 0.27}}));
  ASSIGN_OR_RETURN(double ui, Weight(vector, m, "UI", {{"N", 0.85}, {"R", 0.62}}));
  ASSIGN_OR_RETURN(double c, Weight(vector, m, "C", {{"H", 0.56}, {"L", 0.22}, {"N", 0}}));
  ASSIGN_OR_RETURN(double i, Weight(vector, m, "I", {{"H", 0.56}, {"L", 0.22}, {"N", 0}}));
  ASSIGN_OR_RETURN(double a, Weight(vector, m, "A", {{"H", 0.56}, {"L", 0.22}, {"N", 0}}));
  const double iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const double expl = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0.0;
  const double raw = changed ? std::min(1.08 * (impact + expl), 10.0) : std::min(impact + expl, 10.0);
  return v31 ? Roundup31(raw) : Roundup30(raw);
}

Result<double> Score2(std::string_view vector, std::string_view body) {
  ASSIGN_OR_RETURN(auto m, Metrics(vector, body));
  ASSIGN_OR_RETURN(double av, Weight(vector, m, "AV", {{"L", 0.395}, {"A", 0.646}, {"N", 1.0}}));
  ASSIGN_OR_RETURN(double ac, Weight(vector, m, "AC", {{"H", 0.35}, {"M", 0.61}, {"L", 0.71}}));
  ASSIGN_OR_RETURN(double au, Weight(vector, m, "Au", {{"M", 0.45}, {"S", 0.56}, {"N", 0.704}}));
  ASSIGN_OR_RETURN(double c, Weight(vector, m, "C", {{"N", 0}, {"P", 0.275}, {"C", 0.660}}));
  ASSIGN_OR_RETURN(double i, Weight(vector, m, "I", {{"N", 0}, {"P", 0.275}, {"C", 0.660}}));
  ASSIGN_OR_RETURN(double a, Weight(vector, m, "A", {{"N", 0}, {"P", 0.275}, {"C", 0.660}}));
  const double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const double expl = 20 * av * ac * au;
  const double f = impact == 0 ? 0 : 1.176;
  const double base = ((0.6 * impact) + (0.4 * expl) - 1.5) * f;
  return std::round(base * 10) / 10;
}

// ---- CVSS 4.0 ----
//
// Data from the FIRST CVSS v4.0 reference calculator (cvss_lookup.js,
// max_composed.js, max_severity.js; Copyright FIRST, Red Hat, and
// contributors; BSD-2-Clause): the score of each of the 270 macrovectors
// (EQ1..EQ6 digits), the highest-severity vectors of each EQ level, and the
// depth of each EQ level.
struct MacroScore {
  const char* mv;
  double score;
};
constexpr MacroScore kMacroScores[] = {
    {"000000", 10},  {"000001", 9.9}, {"000010", 9.8}, {"000011", 9.5}, {"000020", 9.5}, {"000021", 9.2},
    {"000100", 10},  {"000101", 9.6}, {"000110", 9.3}, {"000111", 8.7}, {"000120", 9.1}, {"000121", 8.1},
    {"000200", 9.3}, {"000201", 9},   {"000210", 8.9}, {"000211", 8},   {"000220", 8.1}, {"000221", 6.8},
    {"001000", 9.8}, {"001001", 9.5}, {"001010", 9.5}, {"001011", 9.2}, {"001020", 9},   {"001021", 8.4},
    {"001100", 9.3}, {"001101", 9.2}, {"001110", 8.9}, {"001111", 8.1}, {"001120", 8.1}, {"001121", 6.5},
    {"001200", 8.8}, {"001201", 8},   {"001210", 7.8}, {"001211", 7},   {"001220", 6.9}, {"001221", 4.8},
    {"002001", 9.2}, {"002011", 8.2}, {"002021", 7.2}, {"002101", 7.9}, {"002111", 6.9}, {"002121", 5},
    {"002201", 6.9}, {"002211", 5.5}, {"002221", 2.7}, {"010000", 9.9}, {"010001", 9.7}, {"010010", 9.5},
    {"010011", 9.2}, {"010020", 9.2}, {"010021", 8.5}, {"010100", 9.5}, {"010101", 9.1}, {"010110", 9},
    {"010111", 8.3}, {"010120", 8.4}, {"010121", 7.1}, {"010200", 9.2}, {"010201", 8.1}, {"010210", 8.2},
    {"010211", 7.1}, {"010220", 7.2}, {"010221", 5.3}, {"011000", 9.5}, {"011001", 9.3}, {"011010", 9.2},
    {"011011", 8.5}, {"011020", 8.5}, {"011021", 7.3}, {"011100", 9.2}, {"011101", 8.2}, {"011110", 8},
    {"011111", 7.2}, {"011120", 7},   {"011121", 5.9}, {"011200", 8.4}, {"011201", 7},   {"011210", 7.1},
    {"011211", 5.2}, {"011220", 5},   {"011221", 3},   {"012001", 8.6}, {"012011", 7.5}, {"012021", 5.2},
    {"012101", 7.1}, {"012111", 5.2}, {"012121", 2.9}, {"012201", 6.3}, {"012211", 2.9}, {"012221", 1.7},
    {"100000", 9.8}, {"100001", 9.5}, {"100010", 9.4}, {"100011", 8.7}, {"100020", 9.1}, {"100021", 8.1},
    {"100100", 9.4}, {"100101", 8.9}, {"100110", 8.6}, {"100111", 7.4}, {"100120", 7.7}, {"100121", 6.4},
    {"100200", 8.7}, {"100201", 7.5}, {"100210", 7.4}, {"100211", 6.3}, {"100220", 6.3}, {"100221", 4.9},
    {"101000", 9.4}, {"101001", 8.9}, {"101010", 8.8}, {"101011", 7.7}, {"101020", 7.6}, {"101021", 6.7},
    {"101100", 8.6}, {"101101", 7.6}, {"101110", 7.4}, {"101111", 5.8}, {"101120", 5.9}, {"101121", 5},
    {"101200", 7.2}, {"101201", 5.7}, {"101210", 5.7}, {"101211", 5.2}, {"101220", 5.2}, {"101221", 2.5},
    {"102001", 8.3}, {"102011", 7},   {"102021", 5.4}, {"102101", 6.5}, {"102111", 5.8}, {"102121", 2.6},
    {"102201", 5.3}, {"102211", 2.1}, {"102221", 1.3}, {"110000", 9.5}, {"110001", 9},   {"110010", 8.8},
    {"110011", 7.6}, {"110020", 7.6}, {"110021", 7},   {"110100", 9},   {"110101", 7.7}, {"110110", 7.5},
    {"110111", 6.2}, {"110120", 6.1}, {"110121", 5.3}, {"110200", 7.7}, {"110201", 6.6}, {"110210", 6.8},
    {"110211", 5.9}, {"110220", 5.2}, {"110221", 3},   {"111000", 8.9}, {"111001", 7.8}, {"111010", 7.6},
    {"111011", 6.7}, {"111020", 6.2}, {"111021", 5.8}, {"111100", 7.4}, {"111101", 5.9}, {"111110", 5.7},
    {"111111", 5.7}, {"111120", 4.7}, {"111121", 2.3}, {"111200", 6.1}, {"111201", 5.2}, {"111210", 5.7},
    {"111211", 2.9}, {"111220", 2.4}, {"111221", 1.6}, {"112001", 7.1}, {"112011", 5.9}, {"112021", 3},
    {"112101", 5.8}, {"112111", 2.6}, {"112121", 1.5}, {"112201", 2.3}, {"112211", 1.3}, {"112221", 0.6},
    {"200000", 9.3}, {"200001", 8.7}, {"200010", 8.6}, {"200011", 7.2}, {"200020", 7.5}, {"200021", 5.8},
    {"200100", 8.6}, {"200101", 7.4}, {"200110", 7.4}, {"200111", 6.1}, {"200120", 5.6}, {"200121", 3.4},
    {"200200", 7},   {"200201", 5.4}, {"200210", 5.2}, {"200211", 4},   {"200220", 4},   {"200221", 2.2},
    {"201000", 8.5}, {"201001", 7.5}, {"201010", 7.4}, {"201011", 5.5}, {"201020", 6.2}, {"201021", 5.1},
    {"201100", 7.2}, {"201101", 5.7}, {"201110", 5.5}, {"201111", 4.1}, {"201120", 4.6}, {"201121", 1.9},
    {"201200", 5.3}, {"201201", 3.6}, {"201210", 3.4}, {"201211", 1.9}, {"201220", 1.9}, {"201221", 0.8},
    {"202001", 6.4}, {"202011", 5.1}, {"202021", 2},   {"202101", 4.7}, {"202111", 2.1}, {"202121", 1.1},
    {"202201", 2.4}, {"202211", 0.9}, {"202221", 0.4}, {"210000", 8.8}, {"210001", 7.5}, {"210010", 7.3},
    {"210011", 5.3}, {"210020", 6},   {"210021", 5},   {"210100", 7.3}, {"210101", 5.5}, {"210110", 5.9},
    {"210111", 4},   {"210120", 4.1}, {"210121", 2},   {"210200", 5.4}, {"210201", 4.3}, {"210210", 4.5},
    {"210211", 2.2}, {"210220", 2},   {"210221", 1.1}, {"211000", 7.5}, {"211001", 5.5}, {"211010", 5.8},
    {"211011", 4.5}, {"211020", 4},   {"211021", 2.1}, {"211100", 6.1}, {"211101", 5.1}, {"211110", 4.8},
    {"211111", 1.8}, {"211120", 2},   {"211121", 0.9}, {"211200", 4.6}, {"211201", 1.8}, {"211210", 1.7},
    {"211211", 0.7}, {"211220", 0.8}, {"211221", 0.2}, {"212001", 5.3}, {"212011", 2.4}, {"212021", 1.4},
    {"212101", 2.4}, {"212111", 1.2}, {"212121", 0.5}, {"212201", 1},   {"212211", 0.3}, {"212221", 0.1},
};

// NaN when the macrovector does not exist.
double Lookup(const std::string& mv) {
  for (const auto& e : kMacroScores) {
    if (mv == e.mv) return e.score;
  }
  return std::nan("");
}

const std::vector<std::string>& Eq1Max(int l) {
  static const std::vector<std::string> k[] = {{"AV:N/PR:N/UI:N/"},
                                               {"AV:A/PR:N/UI:N/", "AV:N/PR:L/UI:N/", "AV:N/PR:N/UI:P/"},
                                               {"AV:P/PR:N/UI:N/", "AV:A/PR:L/UI:P/"}};
  return k[l];
}
const std::vector<std::string>& Eq2Max(int l) {
  static const std::vector<std::string> k[] = {{"AC:L/AT:N/"}, {"AC:H/AT:N/", "AC:L/AT:P/"}};
  return k[l];
}
const std::vector<std::string>& Eq3Eq6Max(int eq3, int eq6) {
  static const std::vector<std::string> k00 = {"VC:H/VI:H/VA:H/CR:H/IR:H/AR:H/"};
  static const std::vector<std::string> k01 = {"VC:H/VI:H/VA:L/CR:M/IR:M/AR:H/", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M/"};
  static const std::vector<std::string> k10 = {"VC:L/VI:H/VA:H/CR:H/IR:H/AR:H/", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H/"};
  static const std::vector<std::string> k11 = {"VC:L/VI:H/VA:L/CR:H/IR:M/AR:H/", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M/",
                                               "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M/", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H/",
                                               "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M/"};
  static const std::vector<std::string> k21 = {"VC:L/VI:L/VA:L/CR:H/IR:H/AR:H/"};
  static const std::vector<std::string> none;
  if (eq3 == 0) return eq6 == 0 ? k00 : k01;
  if (eq3 == 1) return eq6 == 0 ? k10 : k11;
  return eq6 == 1 ? k21 : none;
}
const std::vector<std::string>& Eq4Max(int l) {
  static const std::vector<std::string> k[] = {{"SC:H/SI:S/SA:S/"}, {"SC:H/SI:H/SA:H/"}, {"SC:L/SI:L/SA:L/"}};
  return k[l];
}
const std::vector<std::string>& Eq5Max(int l) {
  static const std::vector<std::string> k[] = {{"E:A/"}, {"E:P/"}, {"E:U/"}};
  return k[l];
}
double MaxSeverity(int eq, int level, int eq6 = 0) {
  switch (eq) {
    case 1:
      return std::array{1, 4, 5}[level];
    case 2:
      return std::array{1, 2}[level];
    case 3:
      if (level == 0) return eq6 == 0 ? 7 : 6;
      if (level == 1) return 8;
      return 10;
    case 4:
      return std::array{6, 5, 4}[level];
  }
  return 1;
}

// Metric value within a "K:V/K:V/" string.
std::string ValueIn(const std::string& s, const std::string& key) {
  const std::string needle = key + ":";
  size_t p = 0;
  while ((p = s.find(needle, p)) != std::string::npos) {
    if (p == 0 || s[p - 1] == '/') {
      size_t end = s.find('/', p);
      return s.substr(p + needle.size(), end - p - needle.size());
    }
    ++p;
  }
  return "";
}

double Level(const std::string& metric, const std::string& v) {
  static const std::map<std::string, std::map<std::string, double>> k = {
      {"AV", {{"N", 0.0}, {"A", 0.1}, {"L", 0.2}, {"P", 0.3}}},
      {"PR", {{"N", 0.0}, {"L", 0.1}, {"H", 0.2}}},
      {"UI", {{"N", 0.0}, {"P", 0.1}, {"A", 0.2}}},
      {"AC", {{"L", 0.0}, {"H", 0.1}}},
      {"AT", {{"N", 0.0}, {"P", 0.1}}},
      {"VC", {{"H", 0.0}, {"L", 0.1}, {"N", 0.2}}},
      {"VI", {{"H", 0.0}, {"L", 0.1}, {"N", 0.2}}},
      {"VA", {{"H", 0.0}, {"L", 0.1}, {"N", 0.2}}},
      {"SC", {{"H", 0.1}, {"L", 0.2}, {"N", 0.3}}},
      {"SI", {{"S", 0.0}, {"H", 0.1}, {"L", 0.2}, {"N", 0.3}}},
      {"SA", {{"S", 0.0}, {"H", 0.1}, {"L", 0.2}, {"N", 0.3}}},
      {"CR", {{"H", 0.0}, {"M", 0.1}, {"L", 0.2}}},
      {"IR", {{"H", 0.0}, {"M", 0.1}, {"L", 0.2}}},
      {"AR", {{"H", 0.0}, {"M", 0.1}, {"L", 0.2}}},
  };
  auto it = k.find(metric);
  if (it == k.end()) return 0;
  auto jt = it->second.find(v);
  return jt == it->second.end() ? 0 : jt->second;
}

Result<double> Score4(std::string_view vector, std::string_view body) {
  ASSIGN_OR_RETURN(auto raw, Metrics(vector, body));
  // Allowed values; base metrics are mandatory.
  static const std::map<std::string, std::string> kAllowed = {
      {"AV", "NALP"},   {"AC", "LH"},     {"AT", "NP"},    {"PR", "NLH"},    {"UI", "NPA"},   {"VC", "HLN"},
      {"VI", "HLN"},    {"VA", "HLN"},    {"SC", "HLN"},   {"SI", "HLN"},    {"SA", "HLN"},   {"E", "XAPU"},
      {"CR", "XHML"},   {"IR", "XHML"},   {"AR", "XHML"},  {"MAV", "XNALP"}, {"MAC", "XLH"},  {"MAT", "XNP"},
      {"MPR", "XNLH"},  {"MUI", "XNPA"},  {"MVC", "XHLN"}, {"MVI", "XHLN"},  {"MVA", "XHLN"}, {"MSC", "XHLN"},
      {"MSI", "XSHLN"}, {"MSA", "XSHLN"}, {"S", "XNP"},    {"AU", "XNY"},    {"R", "XAUI"},   {"V", "XDC"},
      {"RE", "XLMH"},   {"U", ""}};
  for (const auto& [k, v] : raw) {
    auto it = kAllowed.find(k);
    if (it == kAllowed.end()) return InputError("cvss: {}: unknown metric {}", vector, k);
    if (k == "U") continue;  // Provider Urgency: X, Clear, Green, Amber, Red
    if (v.size() != 1 || it->second.find(v[0]) == std::string::npos) {
      return InputError("cvss: {}: {}:{} is not a valid value", vector, k, v);
    }
  }
  for (const char* k : {"AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"}) {
    if (!raw.count(k)) return InputError("cvss: {}: missing metric {}", vector, k);
  }
  // The effective value of a metric (reference calculator's m()).
  auto m = [&](const std::string& k) -> std::string {
    auto get = [&](const std::string& key) {
      auto it = raw.find(key);
      return it == raw.end() ? std::string("X") : it->second;
    };
    const std::string sel = get(k);
    if (k == "E" && sel == "X") return "A";
    if ((k == "CR" || k == "IR" || k == "AR") && sel == "X") return "H";
    const std::string mod = get("M" + k);
    if (mod != "X") return mod;
    return sel;
  };
  if (m("VC") == "N" && m("VI") == "N" && m("VA") == "N" && m("SC") == "N" && m("SI") == "N" && m("SA") == "N") {
    return 0.0;
  }
  int eq1, eq2, eq3, eq4, eq5, eq6;
  const bool av_n = m("AV") == "N", pr_n = m("PR") == "N", ui_n = m("UI") == "N";
  if (av_n && pr_n && ui_n)
    eq1 = 0;
  else if ((av_n || pr_n || ui_n) && m("AV") != "P")
    eq1 = 1;
  else
    eq1 = 2;
  eq2 = (m("AC") == "L" && m("AT") == "N") ? 0 : 1;
  if (m("VC") == "H" && m("VI") == "H")
    eq3 = 0;
  else if (m("VC") == "H" || m("VI") == "H" || m("VA") == "H")
    eq3 = 1;
  else
    eq3 = 2;
  if (m("MSI") == "S" || m("MSA") == "S")
    eq4 = 0;
  else if (m("SC") == "H" || m("SI") == "H" || m("SA") == "H")
    eq4 = 1;
  else
    eq4 = 2;
  const std::string e = m("E");
  eq5 = e == "A" ? 0 : e == "P" ? 1 : 2;
  eq6 = ((m("CR") == "H" && m("VC") == "H") || (m("IR") == "H" && m("VI") == "H") || (m("AR") == "H" && m("VA") == "H"))
            ? 0
            : 1;
  auto mv = [](int a, int b, int c, int d, int e5, int f) { return fmt::format("{}{}{}{}{}{}", a, b, c, d, e5, f); };
  double value = Lookup(mv(eq1, eq2, eq3, eq4, eq5, eq6));
  if (std::isnan(value)) return InputError("cvss: {}: no macrovector score", vector);

  const double s_eq1 = Lookup(mv(eq1 + 1, eq2, eq3, eq4, eq5, eq6));
  const double s_eq2 = Lookup(mv(eq1, eq2 + 1, eq3, eq4, eq5, eq6));
  double s_eq3eq6;
  if (eq3 == 1 && eq6 == 1)
    s_eq3eq6 = Lookup(mv(eq1, eq2, eq3 + 1, eq4, eq5, eq6));
  else if (eq3 == 0 && eq6 == 1)
    s_eq3eq6 = Lookup(mv(eq1, eq2, eq3 + 1, eq4, eq5, eq6));
  else if (eq3 == 1 && eq6 == 0)
    s_eq3eq6 = Lookup(mv(eq1, eq2, eq3, eq4, eq5, eq6 + 1));
  else if (eq3 == 0 && eq6 == 0) {
    const double left = Lookup(mv(eq1, eq2, eq3, eq4, eq5, eq6 + 1));
    const double right = Lookup(mv(eq1, eq2, eq3 + 1, eq4, eq5, eq6));
    s_eq3eq6 = left > right ? left : right;  // NaN compares false: right, as the reference does
  } else {
    s_eq3eq6 = Lookup(mv(eq1, eq2, eq3 + 1, eq4, eq5, eq6 + 1));
  }
  const double s_eq4 = Lookup(mv(eq1, eq2, eq3, eq4 + 1, eq5, eq6));
  const double s_eq5 = Lookup(mv(eq1, eq2, eq3, eq4, eq5 + 1, eq6));

  static const char* kDist[] = {"AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA", "CR", "IR", "AR"};
  std::map<std::string, double> dist;
  bool found = false;
  for (const auto& a : Eq1Max(eq1)) {
    for (const auto& b : Eq2Max(eq2)) {
      for (const auto& c : Eq3Eq6Max(eq3, eq6)) {
        for (const auto& d : Eq4Max(eq4)) {
          for (const auto& f : Eq5Max(eq5)) {
            const std::string max = a + b + c + d + f;
            bool negative = false;
            for (const char* k : kDist) {
              dist[k] = Level(k, m(k)) - Level(k, ValueIn(max, k));
              if (dist[k] < 0) negative = true;
            }
            found = true;
            if (!negative) goto done;
          }
        }
      }
    }
  }
done:
  if (!found) return InputError("cvss: {}: no highest-severity vector", vector);
  const double d_eq1 = dist["AV"] + dist["PR"] + dist["UI"];
  const double d_eq2 = dist["AC"] + dist["AT"];
  const double d_eq3eq6 = dist["VC"] + dist["VI"] + dist["VA"] + dist["CR"] + dist["IR"] + dist["AR"];
  const double d_eq4 = dist["SC"] + dist["SI"] + dist["SA"];
  const double step = 0.1;
  int n = 0;
  double sum = 0;
  auto add = [&](double lower, double distance, double max_severity) {
    const double available = value - lower;
    if (std::isnan(available)) return;
    ++n;
    sum += available * (distance / (max_severity * step));
  };
  add(s_eq1, d_eq1, MaxSeverity(1, eq1));
  add(s_eq2, d_eq2, MaxSeverity(2, eq2));
  add(s_eq3eq6, d_eq3eq6, MaxSeverity(3, eq3, eq6));
  add(s_eq4, d_eq4, MaxSeverity(4, eq4));
  if (!std::isnan(value - s_eq5)) ++n;  // EQ5's proportion is always 0
  if (n > 0) value -= sum / n;
  value = std::clamp(value, 0.0, 10.0);
  return std::round(value * 10) / 10;
}

}  // namespace

Result<double> CvssBaseScore(std::string_view vector) {
  std::string_view v = vector;
  while (!v.empty() && (v.back() == ' ' || v.back() == '\n' || v.back() == '\r')) v.remove_suffix(1);
  if (v.size() > 512) return InputError("cvss: vector longer than 512 bytes");
  if (v.rfind("CVSS:3.1/", 0) == 0) return Score3(vector, v.substr(9), true);
  if (v.rfind("CVSS:3.0/", 0) == 0) return Score3(vector, v.substr(9), false);
  if (v.rfind("CVSS:4.0/", 0) == 0) return Score4(vector, v.substr(9));
  if (v.rfind("CVSS:2.0/", 0) == 0) return Score2(vector, v.substr(9));
  if (v.size() > 2 && v.front() == '(' && v.back() == ')') v = v.substr(1, v.size() - 2);
  if (v.rfind("AV:", 0) == 0 && v.find("Au:") != std::string_view::npos) return Score2(vector, v);
  return InputError("cvss: {}: unknown vector version", vector);
}

std::string_view CvssRating(double s) {
  if (s <= 0) return "NONE";
  if (s < 4.0) return "LOW";
  if (s < 7.0) return "MEDIUM";
  if (s < 9.0) return "HIGH";
  return "CRITICAL";
}

Severity SeverityFromScore(double s) {
  if (s <= 0) return Severity::kUnknown;
  if (s < 4.0) return Severity::kLow;
  if (s < 7.0) return Severity::kMedium;
  if (s < 9.0) return Severity::kHigh;
  return Severity::kCritical;
}

}  // namespace drydock
