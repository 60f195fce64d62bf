// SARIF 2.1.0 (OASIS), shaped for GitHub code scanning: rules carry a
// "security-severity" score, results a partial fingerprint that survives
// re-runs. Validated against the schema by tests/validate_sarif.sh.
#include <map>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/common.h"
#include "report/json_objects.h"
#include "report/report.h"

namespace drydock {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kSchemaUri[] = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr char kInformationUri[] = "https://github.com/drydock/drydock";
constexpr char kFingerprintKey[] = "drydock/v1";

// GitHub orders and filters alerts by this CVSS-like score.
std::string SecurityScore(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "9.5";
    case Severity::kHigh:
      return "8.0";
    case Severity::kMedium:
      return "5.5";
    case Severity::kLow:
      return "2.0";
    case Severity::kUnknown:
      break;
  }
  return "0.0";
}

// A vulnerability's own CVSS base score when one was computed (GitHub ranks
// alerts by it); otherwise the severity's representative score.
std::string SecurityScore(const Finding& f) {
  double best = -1;
  if (f.vuln) {
    for (const auto& c : f.vuln->cvss) best = std::max(best, c.score);
  }
  return best >= 0 ? fmt::format("{:.1f}", best) : SecurityScore(f.severity);
}

std::string Level(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh:
      return "error";
    case Severity::kMedium:
      return "warning";
    case Severity::kLow:
    case Severity::kUnknown:
      break;
  }
  return "note";
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// A relative URI reference for an image path or a target name. Only
// unreserved bytes, '/' and the sub-delimiters stay literal; everything else
// (space, '%', '?', '#', non-ASCII bytes) is percent-encoded. ':' is encoded
// too, so "alpine:3.19" cannot be read as a URI with scheme "alpine".
std::string UriReference(std::string_view s) {
  while (!s.empty() && s.front() == '/') s.remove_prefix(1);
  constexpr std::string_view kKeep = "/!$&'()*+,;=@";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || kKeep.find(ch) != std::string_view::npos) {
      out.push_back(ch);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// helpUri must be an absolute URI; references come from vulnerability data,
// so only plain http(s) URLs without bytes that need escaping are used.
bool IsSimpleHttpUrl(std::string_view s) {
  if (s.rfind("https://", 0) != 0 && s.rfind("http://", 0) != 0) return false;
  constexpr std::string_view kAllowed = ":/?#[]@!$&'()*+,;=%";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (!IsUnreserved(c) && kAllowed.find(ch) == std::string_view::npos) return false;
  }
  return true;
}

// "Image runs as root" -> "ImageRunsAsRoot": SARIF's human-readable rule name.
std::string RuleName(const Finding& f) {
  std::string out;
  bool upper = true;
  for (char ch : f.title) {
    const auto c = static_cast<unsigned char>(ch);
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      upper = true;
      continue;
    }
    out.push_back(upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : ch);
    upper = false;
  }
  return out.empty() ? f.rule_id : out;
}

Json Text(const std::string& text) { return Json{{"text", text}}; }

std::string HelpMarkdown(const Finding& f) {
  std::string md = fmt::format("**{}**\n", f.title);
  if (!f.description.empty()) md += fmt::format("\n{}\n", f.description);
  if (!f.remediation.empty()) md += fmt::format("\n**Remediation:** {}\n", f.remediation);
  if (!f.references.empty()) {
    md += "\n**References:**\n";
    for (const std::string& ref : f.references) md += fmt::format("- {}\n", ref);
  }
  return md;
}

// One rule per distinct rule id, described by its first (most severe, as
// findings are sorted) finding.
struct RuleTable {
  std::map<std::string, int> index;  // rule id -> position in rules
  Json rules = Json::array();
};

Json RuleJson(const Finding& f) {
  Json rule = Json::object();
  rule["id"] = f.rule_id;
  rule["name"] = RuleName(f);
  rule["shortDescription"] = Text(f.title);
  rule["fullDescription"] = Text(f.description.empty() ? f.title.str() : f.description.str());
  for (const std::string& ref : f.references) {
    if (IsSimpleHttpUrl(ref)) {
      rule["helpUri"] = ref;
      break;
    }
  }
  const std::string& help = !f.remediation.empty()   ? f.remediation.str()
                           : !f.description.empty() ? f.description.str()
                                                    : f.title.str();
  rule["help"] = {{"text", help}, {"markdown", HelpMarkdown(f)}};
  rule["defaultConfiguration"] = {{"level", Level(f.severity)}};
  rule["properties"] = {{"tags", Json::array({"security", FindingKindName(f.kind), SeverityName(f.severity)})},
                        {"security-severity", SecurityScore(f)}};
  return rule;
}

RuleTable BuildRules(const report::FindingList& findings) {
  RuleTable table;
  for (const Finding& f : findings) {
    if (table.index.count(f.rule_id) > 0) continue;
    table.index[f.rule_id] = static_cast<int>(table.rules.size());
    table.rules.push_back(RuleJson(f));
  }
  return table;
}

std::string MessageText(const Finding& f) {
  std::string text = f.title;
  if (f.vuln) {
    const VulnerabilityDetail& v = *f.vuln;
    text += fmt::format("\nPackage: {} {}", v.package_name, v.installed_version);
    std::string fixed;
    for (const auto& x : v.fixed_versions) fixed += (fixed.empty() ? "" : ", ") + x;
    text += fmt::format("\nFixed version: {}", fixed.empty() ? "none (" + v.status + ")" : fixed);
    if (!v.aliases.empty()) {
      std::string aliases;
      for (const auto& a : v.aliases) aliases += (aliases.empty() ? "" : ", ") + a;
      text += "\nAliases: " + aliases;
    }
  }
  if (!f.location.config_field.empty()) text += fmt::format("\nConfig field: {}", f.location.config_field);
  if (!f.evidence.empty()) text += fmt::format("\nEvidence: {}", f.evidence);
  return text;
}

Json LocationJson(const Finding& f, const ScanResult& scan) {
  // Findings without a file (config fields, image-wide checks) point at the
  // image itself: GitHub requires a location on every result.
  const std::string& name = !f.location.path.empty()        ? f.location.path
                            : !scan.image.reference.empty() ? scan.image.reference
                                                            : scan.target;
  Json physical = Json::object();
  physical["artifactLocation"] = {{"uri", UriReference(name)}};
  if (f.location.line > 0) physical["region"] = {{"startLine", f.location.line}};
  if (f.location.line > 0 && f.location.column > 0) physical["region"]["startColumn"] = f.location.column;
  Json out = Json::array({{{"physicalLocation", physical}}});
  // The same secret found elsewhere: additional locations.
  for (const Location& l : f.more_locations) {
    const std::string& other = !l.path.empty() ? l.path : !l.config_field.empty() ? l.config_field : name;
    Json p = Json::object();
    p["artifactLocation"] = {{"uri", UriReference(other)}};
    if (l.line > 0) p["region"] = {{"startLine", l.line}};
    out.push_back({{"physicalLocation", p}});
  }
  return out;
}

Json ResultProperties(const Finding& f) {
  Json props = Json::object();
  props["kind"] = FindingKindName(f.kind);
  props["severity"] = SeverityName(f.severity);
  if (f.location.layer_index >= 0) props["layer_index"] = f.location.layer_index;
  if (!f.location.diff_id.empty()) props["diff_id"] = f.location.diff_id;
  if (!f.location.created_by.empty()) props["created_by"] = f.location.created_by;
  if (!f.location.config_field.empty()) props["config_field"] = f.location.config_field;
  return props;
}

// A suppressed finding is a result with an external suppression, which
// code scanning shows as dismissed: who suppressed it, where, and why.
Json SuppressionsJson(const Suppression& why) {
  Json sup = Json::object();
  sup["kind"] = "external";
  sup["status"] = "accepted";
  sup["justification"] = fmt::format("{} ({}: {})", why.reason, why.kind, why.source);
  Json props = Json::object();
  props["drydock_kind"] = why.kind;
  props["source"] = why.source;
  if (!why.status.empty()) props["vex_status"] = why.status;
  if (!why.justification.empty()) props["vex_justification"] = why.justification;
  if (!why.expires.empty()) props["expires"] = why.expires;
  sup["properties"] = std::move(props);
  return Json::array({std::move(sup)});
}

Json ResultJson(const Finding& f, int rule_index, const ScanResult& scan) {
  Json r = Json::object();
  r["ruleId"] = f.rule_id;
  r["ruleIndex"] = rule_index;
  r["level"] = Level(f.severity);
  r["message"] = Text(MessageText(f));
  r["locations"] = LocationJson(f, scan);
  r["partialFingerprints"] = {{kFingerprintKey, f.fingerprint}};
  if (f.suppression) r["suppressions"] = SuppressionsJson(*f.suppression);
  r["properties"] = ResultProperties(f);
  if (f.vex_note) {
    // A VEX statement that does not suppress (under_investigation, affected).
    r["properties"]["vex_status"] = f.vex_note->status;
    r["properties"]["vex_source"] = f.vex_note->source;
  }
  return r;
}

// Diagnostics become tool notifications, so a partial scan is visible in
// SARIF too.
Json InvocationJson(const ScanResult& scan) {
  Json notes = Json::array();
  for (const Diagnostic& d : scan.diagnostics) {
    notes.push_back({{"level", "warning"}, {"message", Text(fmt::format("{}: {}", d.where, d.message))}});
  }
  Json inv = Json::object();
  inv["executionSuccessful"] = true;
  inv["toolExecutionNotifications"] = std::move(notes);
  return Json::array({inv});
}

Json RunProperties(const ScanResult& scan) {
  Json props = Json::object();
  if (!scan.target.empty()) props["target"] = scan.target;
  if (!scan.image.config_digest.empty()) props["image_id"] = scan.image.config_digest.str();
  props["partial"] = !scan.diagnostics.empty();
  return props;
}

// Live audits: WARN outcomes are already results (their findings, kind
// "fail"); every other outcome becomes a result of kind pass, informational,
// review (NOTE) or notApplicable, level none.
void AddOutcomeResults(const ScanResult& scan, RuleTable& rules, Json& results) {
  for (const CheckOutcome& o : scan.outcomes) {
    if (o.status == CheckStatus::kWarn) continue;
    const std::string rule_id = "DD-CIS-" + o.id;
    if (rules.index.count(rule_id) == 0) {
      rules.index[rule_id] = static_cast<int>(rules.rules.size());
      Json rule = Json::object();
      rule["id"] = rule_id;
      rule["name"] = rule_id;
      rule["shortDescription"] = Text(o.title);
      rule["help"] = Text(o.remediation);
      rules.rules.push_back(std::move(rule));
    }
    const char* kind = o.status == CheckStatus::kPass   ? "pass"
                       : o.status == CheckStatus::kInfo ? "informational"
                       : o.status == CheckStatus::kNote ? "review"
                                                        : "notApplicable";
    Json r = Json::object();
    r["ruleId"] = rule_id;
    r["ruleIndex"] = rules.index.at(rule_id);
    r["kind"] = kind;
    r["level"] = "none";
    r["message"] = Text(fmt::format("{} {}: {}", CheckStatusName(o.status), o.title, o.evidence));
    Json physical = Json::object();
    physical["artifactLocation"] = {{"uri", UriReference(o.target)}};
    r["locations"] = Json::array({{{"physicalLocation", physical}}});
    r["properties"] = {{"cis", o.id}, {"level", o.level}, {"status", CheckStatusName(o.status)}, {"target", o.target}};
    results.push_back(std::move(r));
  }
}

}  // namespace

std::string RenderSarif(const ScanResult& scan, const ReportOptions& opts) {
  std::string out;
  RenderSarifTo(scan, opts, [&](std::string_view piece) { out.append(piece); });
  return out;
}

void RenderSarifTo(const ScanResult& scan, const ReportOptions& opts, const std::function<void(std::string_view)>& out) {
  report::FindingList all = report::PreparedFindings(scan);
  all.Append(report::PreparedSuppressed(scan));
  RuleTable rules = BuildRules(all);

  // The results are streamed (WriteSpliced): the findings' one at a time,
  // then the live audit's outcomes.
  Json outcomes = Json::array();
  if (!scan.outcomes.empty()) AddOutcomeResults(scan, rules, outcomes);

  Json driver = Json::object();
  driver["name"] = "drydock";
  driver["version"] = report::ToolVersion(opts.tool_version);
  driver["informationUri"] = kInformationUri;
  driver["rules"] = std::move(rules.rules);

  Json run = Json::object();
  run["tool"] = {{"driver", std::move(driver)}};
  run["invocations"] = InvocationJson(scan);
  run["columnKind"] = "utf16CodeUnits";
  run["results"] = "\x01" "results";
  run["properties"] = RunProperties(scan);

  Json doc = Json::object();
  doc["$schema"] = kSchemaUri;
  doc["version"] = "2.1.0";
  doc["runs"] = Json::array({std::move(run)});
  const std::string skeleton = doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  doc = Json();
  report::WriteSpliced(skeleton,
                       {{"results", "\x01" "results", 3, all.size() + outcomes.size(), [&](size_t i) {
                          if (i >= all.size()) return outcomes[i - all.size()];
                          const Finding& f = all[i];
                          Json r = ResultJson(f, rules.index.at(f.rule_id), scan);
                          if (!scan.outcomes.empty()) r["kind"] = "fail";  // beside the audit's pass results
                          return r;
                        }}},
                       out);
}

}  // namespace drydock
