// Dockerfile rules about a configured label schema (Hadolint's labelSchema:
// DL3049-DL3056, DL3058). Off unless LintOptions::label_schema names labels,
// as in Hadolint: label name → the type its value must have.
#include <regex>
#include <set>

#include "lint/groups.h"

namespace drydock {

namespace {

using lint::At;

// Calls fn(instruction, key, value) for every LABEL pair.
template <typename Fn>
void ForEachLabel(const Dockerfile& df, Fn fn) {
  for (const Instruction& ins : df.instructions) {
    if (ins.keyword != "LABEL") continue;
    for (const KeyValue& kv : ParseKeyValues(ins, df.escape)) fn(ins, kv.key, kv.value);
  }
}

void MissingLabel(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  if (in.opts.label_schema.empty()) return;
  for (const Stage& s : in.df.stages) {
    std::set<std::string> have;
    for (size_t i = s.from; i < s.end; ++i) {
      const Instruction& ins = in.df.instructions[i];
      if (ins.keyword != "LABEL") continue;
      for (const KeyValue& kv : ParseKeyValues(ins, in.df.escape)) have.insert(kv.key);
    }
    for (const auto& [name, type] : in.opts.label_schema) {
      if (!have.contains(name)) {
        out.push_back(At(rule, in.df, in.df.instructions[s.from], fmt::format("label {} is missing", name)));
        break;
      }
    }
  }
}

void SuperfluousLabel(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  if (in.opts.label_schema.empty() || !in.opts.strict_labels) return;
  ForEachLabel(in.df, [&](const Instruction& ins, const std::string& k, const std::string&) {
    if (!in.opts.label_schema.contains(k))
      out.push_back(At(rule, in.df, ins, fmt::format("label {} is not in the label schema", k)));
  });
}

// Reports schema labels of type `type` whose value fails `valid`.
template <typename Valid>
void TypedLabel(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out, std::string_view type,
                Valid valid) {
  if (in.opts.label_schema.empty()) return;
  ForEachLabel(in.df, [&](const Instruction& ins, const std::string& k, const std::string& v) {
    auto it = in.opts.label_schema.find(k);
    if (it == in.opts.label_schema.end() || (type != "*" && it->second != type)) return;
    if (v.find('$') != std::string::npos) return;  // set from a build arg: unknown
    if (!valid(v)) out.push_back(At(rule, in.df, ins, fmt::format("label {}={:?} is not a valid {}", k, v, it->second)));
  });
}

void EmptyLabel(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  TypedLabel(in, rule, out, "*", [](const std::string& v) { return !v.empty(); });
}

bool ValidUrl(const std::string& v) {
  static const std::regex k(R"(^[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]+[^\s]*$)");
  return std::regex_match(v, k);
}
void UrlLabel(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  TypedLabel(in, rule, out, "url", ValidUrl);
}

bool ValidRfc3339(const std::string& v) {
  static const std::regex k(
      R"(^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$)");
  return std::regex_match(v, k);
}
void DateLabel(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  TypedLabel(in, rule, out, "rfc3339", ValidRfc3339);
}

// An SPDX license expression over the identifiers common in images
// (LicenseRef-… and DocumentRef-… are accepted as the spec allows); ids are
// compared case-insensitively, as SPDX says.
bool ValidSpdx(const std::string& v) {
  static const std::set<std::string, std::less<>> kIds = {
      "0BSD", "AFL-3.0", "AGPL-3.0", "AGPL-3.0-ONLY", "AGPL-3.0-OR-LATER", "APACHE-1.1", "APACHE-2.0", "APSL-2.0",
      "ARTISTIC-2.0", "BSD-1-CLAUSE", "BSD-2-CLAUSE", "BSD-2-CLAUSE-PATENT", "BSD-3-CLAUSE", "BSD-3-CLAUSE-CLEAR",
      "BSD-4-CLAUSE", "BSL-1.0", "BUSL-1.1", "CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "CDDL-1.0", "CDDL-1.1",
      "CPL-1.0", "ECL-2.0", "EPL-1.0", "EPL-2.0", "EUPL-1.1", "EUPL-1.2", "GPL-1.0-ONLY", "GPL-1.0-OR-LATER",
      "GPL-2.0", "GPL-2.0-ONLY", "GPL-2.0-OR-LATER", "GPL-3.0", "GPL-3.0-ONLY", "GPL-3.0-OR-LATER", "ISC",
      "LGPL-2.0-ONLY", "LGPL-2.0-OR-LATER", "LGPL-2.1", "LGPL-2.1-ONLY", "LGPL-2.1-OR-LATER", "LGPL-3.0",
      "LGPL-3.0-ONLY", "LGPL-3.0-OR-LATER", "MIT", "MIT-0", "MPL-1.1", "MPL-2.0", "MPL-2.0-NO-COPYLEFT-EXCEPTION",
      "MS-PL", "MS-RL", "NCSA", "OFL-1.1", "OPENSSL", "OSL-3.0", "PHP-3.01", "POSTGRESQL", "PSF-2.0", "PYTHON-2.0",
      "RUBY", "SSPL-1.0", "UNICODE-DFS-2016", "UNLICENSE", "UPL-1.0", "VIM", "W3C", "WTFPL", "X11", "ZLIB",
      "ZPL-2.1", "CURL", "BLUEOAK-1.0.0", "HPND", "IJG", "LIBPNG", "FTL", "BZIP2-1.0.6", "CC-BY-3.0"};
  static const std::set<std::string, std::less<>> kExceptions = {"CLASSPATH-EXCEPTION-2.0", "LLVM-EXCEPTION",
                                                                  "GCC-EXCEPTION-3.1", "AUTOCONF-EXCEPTION-3.0",
                                                                  "OPENVPN-OPENSSL-EXCEPTION"};
  std::string tok;
  std::vector<std::string> toks;
  for (char c : v) {
    if (c == '(' || c == ')' || c == ' ') {
      if (!tok.empty()) toks.push_back(tok);
      tok.clear();
      if (c != ' ') toks.emplace_back(1, c);
    } else {
      tok.push_back(c);
    }
  }
  if (!tok.empty()) toks.push_back(tok);
  if (toks.empty()) return false;
  bool want_id = true, after_with = false;
  int depth = 0;
  for (const std::string& t : toks) {
    const std::string u = lint::Upper(t);
    if (t == "(") {
      if (!want_id) return false;
      ++depth;
    } else if (t == ")") {
      if (want_id || --depth < 0) return false;
    } else if (u == "AND" || u == "OR" || u == "WITH") {
      if (want_id) return false;
      want_id = true;
      after_with = u == "WITH";
    } else {
      if (!want_id) return false;
      std::string id = u.ends_with("+") ? u.substr(0, u.size() - 1) : u;
      const bool ok = after_with ? kExceptions.contains(id)
                                 : kIds.contains(id) || id.starts_with("LICENSEREF-") || id.starts_with("DOCUMENTREF-");
      if (!ok) return false;
      want_id = after_with = false;
    }
  }
  return !want_id && depth == 0;
}
void SpdxLabel(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  TypedLabel(in, rule, out, "spdx", ValidSpdx);
}

bool ValidGitHash(const std::string& v) {
  return (v.size() == 7 || v.size() == 40) && v.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}
void GitHashLabel(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  TypedLabel(in, rule, out, "githash", ValidGitHash);
}

bool ValidSemver(const std::string& v) {
  // semver.org 2.0.0's grammar.
  static const std::regex k(
      R"(^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-((0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(\.(0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$)");
  return v.size() < 256 && std::regex_match(v, k);
}
void SemverLabel(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  TypedLabel(in, rule, out, "semver", ValidSemver);
}

bool ValidEmail(const std::string& v) {
  static const std::regex k(R"(^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$)");
  return v.size() < 256 && std::regex_match(v, k);
}
void EmailLabel(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  TypedLabel(in, rule, out, "email", ValidEmail);
}

}  // namespace

void DockerfileLabelRules(std::vector<LintRule>& r) {
  const std::string_view why = "The label schema configured for these images requires it.";
  r.push_back({"DD-DF-089", Severity::kLow, "Required label missing", why,
               "Add the label to every stage: LABEL name=value.", {"Hadolint DL3049"}, MissingLabel});
  r.push_back({"DD-DF-090", Severity::kLow, "Label not in the label schema",
               "With strict labels only the labels of the schema are allowed.",
               "Remove the label or add it to the schema.", {"Hadolint DL3050"}, SuperfluousLabel});
  r.push_back({"DD-DF-091", Severity::kLow, "Schema label is empty", why, "Give the label a value.",
               {"Hadolint DL3051"}, EmptyLabel});
  r.push_back({"DD-DF-092", Severity::kLow, "Schema label is not a URL", why, "Use an absolute URL (https://…).",
               {"Hadolint DL3052"}, UrlLabel});
  r.push_back({"DD-DF-093", Severity::kLow, "Schema label is not an RFC 3339 date", why,
               "Use a date-time like 2024-03-10T10:26:33Z.", {"Hadolint DL3053"}, DateLabel});
  r.push_back({"DD-DF-094", Severity::kLow, "Schema label is not an SPDX license expression", why,
               "Use an SPDX identifier or expression (Apache-2.0, MIT OR Apache-2.0).", {"Hadolint DL3054"},
               SpdxLabel});
  r.push_back({"DD-DF-095", Severity::kLow, "Schema label is not a git hash", why,
               "Use the 40-character commit hash (or its 7-character short form).", {"Hadolint DL3055"},
               GitHashLabel});
  r.push_back({"DD-DF-096", Severity::kLow, "Schema label is not a semantic version", why,
               "Use a version like 1.4.2 or 2.0.0-rc.1.", {"Hadolint DL3056"}, SemverLabel});
  r.push_back({"DD-DF-097", Severity::kLow, "Schema label is not an e-mail address", why,
               "Use an address like team@example.com.", {"Hadolint DL3058"}, EmailLabel});
}

}  // namespace drydock
