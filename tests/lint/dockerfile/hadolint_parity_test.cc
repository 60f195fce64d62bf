// Parity with Hadolint's own rule tests: every (snippet, DL rule, flagged?)
// case of tests/testdata/hadolint_parity/cases.txt is linted, and the drydock
// rules mapped to the DL number (those whose first Hadolint reference is
// "Hadolint DLnnnn") must agree with Hadolint's verdict. The figures
// (flagged-recall, false-fire rate) are printed; the cases where drydock
// deliberately differs are listed in kDivergent with the reason.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "lint/lint.h"

namespace drydock {
namespace {

struct ParityCase {
  std::string dl;
  bool flag = false;
  bool onbuild = false;
  std::string desc;
  std::vector<std::string> trusted;
  std::string labels;  // "name:type,…"
  bool strict = false;
  std::string text;
  int line = 0;  // line of the case header in cases.txt
};

std::vector<ParityCase> LoadCases() {
  std::ifstream in(std::string(DRYDOCK_TESTDATA) + "/hadolint_parity/cases.txt");
  std::vector<ParityCase> out;
  std::string l;
  int n = 0;
  while (std::getline(in, l)) {
    ++n;
    if (l.starts_with("=== trusted ") && !out.empty()) {
      std::stringstream ss(l.substr(12));
      for (std::string r; std::getline(ss, r, ',');) out.back().trusted.push_back(r);
      continue;
    }
    if (l.starts_with("=== labels ") && !out.empty()) {
      std::string v = l.substr(11);
      if (v.ends_with(" strict")) {
        out.back().strict = true;
        v.resize(v.size() - 7);
      }
      out.back().labels = v;
      continue;
    }
    if (l.starts_with("=== DL")) {
      ParityCase c;
      std::stringstream ss(l.substr(4));
      std::string verdict, word;
      ss >> c.dl >> verdict;
      c.flag = verdict == "flag";
      while (ss >> word && word != "|") c.onbuild = c.onbuild || word == "onbuild";
      std::getline(ss, c.desc);
      c.line = n;
      out.push_back(std::move(c));
      continue;
    }
    if (!out.empty()) out.back().text += l + "\n";
  }
  return out;
}

// DL number → the drydock rule ids mapped to it.
std::map<std::string, std::set<std::string>> Mapping() {
  std::map<std::string, std::set<std::string>> m;
  for (const LintRule& r : DockerfileRules()) {
    for (std::string_view ref : r.references) {
      if (!ref.starts_with("Hadolint DL")) continue;
      // Only the first Hadolint reference: a rule that also cites another
      // DL number ("see also") is not that rule's counterpart.
      m[std::string(ref.substr(9, 6))].insert(std::string(r.id));
      break;
    }
  }
  return m;
}

// The 51 DL rules docs/lint.md mapped before the parity work (the issue's
// "before" set); the figures are given for these and for every DL rule.
const std::set<std::string>& OriginallyMapped() {
  static const std::set<std::string> k = {
      "DL3000", "DL3001", "DL3002", "DL3003", "DL3004", "DL3006", "DL3007", "DL3008", "DL3009", "DL3011", "DL3012",
      "DL3013", "DL3014", "DL3015", "DL3016", "DL3018", "DL3019", "DL3020", "DL3021", "DL3022", "DL3023", "DL3024",
      "DL3025", "DL3026", "DL3027", "DL3028", "DL3029", "DL3030", "DL3032", "DL3033", "DL3034", "DL3036", "DL3037",
      "DL3038", "DL3040", "DL3041", "DL3042", "DL3043", "DL3044", "DL3045", "DL3046", "DL3047", "DL3048", "DL3059",
      "DL3060", "DL4000", "DL4001", "DL4003", "DL4004", "DL4005", "DL4006"};
  return k;
}

// Cases (by header line in cases.txt) where drydock deliberately disagrees
// with Hadolint's verdict, and why.
const std::map<int, std::string>& Divergent() {
  static const std::map<int, std::string> k = {
#include "lint/dockerfile/hadolint_parity_divergent.inc"
  };
  return k;
}

// "name:type,…" from cases.txt into the label schema options.
void ApplyLabelSchema(const std::string& labels, bool strict, LintOptions& opts) {
  std::stringstream ss(labels);
  for (std::string kv; std::getline(ss, kv, ',');) {
    size_t colon = kv.find(':');
    if (colon == std::string::npos) continue;
    std::string type = kv.substr(colon + 1);
    opts.label_schema[kv.substr(0, colon)] = type == "rawtext" ? "text" : type;
  }
  opts.strict_labels = strict;
}

bool Flagged(const ParityCase& c, const std::set<std::string>& ids) {
  std::string text = c.text;
  // Hadolint lints fragments; drydock wants a stage to put them in.
  bool has_from = false;
  std::stringstream ss(text);
  for (std::string l; std::getline(ss, l);) {
    std::string u = l.substr(0, 5);
    for (char& ch : u) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (u == "FROM ") has_from = true;
  }
  if (!has_from && c.dl != "DL3061") text = "FROM scratch\n" + text;
  auto df = ParseDockerfile(text, "Dockerfile");
  if (!df.ok()) return false;
  LintOptions opts;
  opts.trusted_registries = c.trusted;
  opts.forbid_inline_ignores = c.dl == "DL1001";
  ApplyLabelSchema(c.labels, c.strict, opts);
  for (const Finding& f : LintDockerfile(*df, opts)) {
    if (ids.contains(f.rule_id)) return true;
  }
  return false;
}

struct Tally {
  int flag = 0, caught = 0, pass = 0, fired = 0;
};

TEST(HadolintParity, EveryCaseAgreesOrIsADocumentedDivergence) {
  const auto cases = LoadCases();
  ASSERT_GT(cases.size(), 800u);
  const auto mapping = Mapping();
  std::map<std::string, Tally> per;
  Tally orig, all;
  std::set<int> seen_divergent;
  for (const ParityCase& c : cases) {
    auto it = mapping.find(c.dl);
    const bool got = it != mapping.end() && Flagged(c, it->second);
    Tally& t = per[c.dl];
    for (Tally* x : {&t, &all, OriginallyMapped().contains(c.dl) ? &orig : nullptr}) {
      if (!x) continue;
      if (c.flag) {
        ++x->flag;
        x->caught += got;
      } else {
        ++x->pass;
        x->fired += got;
      }
    }
    const bool divergent = Divergent().contains(c.line);
    if (divergent) seen_divergent.insert(c.line);
    if (got != c.flag && !divergent) {
      ADD_FAILURE() << "cases.txt:" << c.line << " " << c.dl << (c.onbuild ? " (onbuild)" : "") << ":" << c.desc
                    << ": Hadolint " << (c.flag ? "flags" : "accepts") << ", drydock "
                    << (got ? "flags" : "does not flag") << "\n"
                    << c.text;
    }
    if (got == c.flag && divergent) {
      ADD_FAILURE() << "cases.txt:" << c.line << " is listed as divergent but now agrees: drop it";
    }
  }
  for (const auto& [dl, t] : per) {
    std::printf("%s %s flagged %d/%d, false fires %d/%d\n", dl.c_str(),
                mapping.contains(dl) ? "mapped  " : "unmapped", t.caught, t.flag, t.fired, t.pass);
  }
  auto pct = [](int a, int b) { return b ? 100.0 * a / b : 0.0; };
  std::printf("originally mapped rules (%zu): flagged-recall %.1f%% (%d/%d), false-fire %.1f%% (%d/%d)\n",
              OriginallyMapped().size(), pct(orig.caught, orig.flag), orig.caught, orig.flag,
              pct(orig.fired, orig.pass), orig.fired, orig.pass);
  std::printf("all DL rules with cases (%zu): flagged-recall %.1f%% (%d/%d), false-fire %.1f%% (%d/%d)\n",
              per.size(), pct(all.caught, all.flag), all.caught, all.flag, pct(all.fired, all.pass), all.fired,
              all.pass);
  EXPECT_EQ(seen_divergent.size(), Divergent().size()) << "a divergent entry names no case";
}

}  // namespace
}  // namespace drydock
