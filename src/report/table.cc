// The human report. Every string that came from the image (paths, history,
// labels, evidence) or from vulnerability data is sanitised before it reaches
// the terminal: an escape sequence in a file name must not drive the
// user's terminal.
#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "report/common.h"
#include "report/report.h"
#include "report/text.h"

namespace drydock {
namespace {

constexpr size_t kLocationWidth = 48;

using report::Cell;
using report::CreatedBy;
using report::ExecForm;
using report::FormatTable;
using report::HumanBytes;
using report::LocationText;
using report::OsName;
using report::PlatformName;
using report::Row;
using report::Sanitize;
using report::SeverityColor;
using report::Style;
using report::TruncateEnd;
using report::TruncateStart;

std::string JoinOrDash(const std::vector<std::string>& items) {
  if (items.empty()) return "-";
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + Sanitize(item);
  return out;
}

std::string UserName(const ImageInfo& image) {
  if (!image.config.user.empty()) return Sanitize(image.config.user);
  // A bare root filesystem has no runtime config to default from.
  return image.source_kind == "dir" ? "-" : "root (default)";
}

// Lint scans (dockerfile, compose) read files, not an image: the header
// names the target and the scanner only.
bool IsFileLint(const ScanResult& scan) {
  return scan.image.config_digest.empty() && scan.summary.layers.empty() && scan.scanners.size() == 1 &&
         (scan.scanners[0] == "dockerfile" || scan.scanners[0] == "compose");
}

std::string HeaderBlock(const ScanResult& scan, const Style& style) {
  const ImageConfig& config = scan.image.config;
  const ImageSummary& sum = scan.summary;
  if (IsFileLint(scan)) {
    return fmt::format("{}{} {}\n{}{} {}\n", style.Paint("Target:", "1"), std::string(7, ' '),
                       scan.target.empty() ? "-" : Sanitize(scan.target), style.Paint("Scanner:", "1"),
                       std::string(6, ' '), Sanitize(scan.scanners[0]));
  }
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Target", scan.target.empty() ? "-" : Sanitize(scan.target)},
      {"Image ID", scan.image.config_digest.empty() ? "-" : scan.image.config_digest.short_str()},
      {"OS", OsName(scan)},
      {"Platform", PlatformName(config)},
      {"User", UserName(scan.image)},
      {"Layers", fmt::format("{}, {} ({} compressed)", sum.layers.size(), HumanBytes(sum.total_tar_bytes),
                             HumanBytes(sum.total_blob_bytes))},
      {"Exposed ports", JoinOrDash(config.exposed_ports)},
      {"Entrypoint", ExecForm(config.entrypoint)},
      {"Cmd", ExecForm(config.cmd)},
  };
  if (!scan.diagnostics.empty()) {
    rows.emplace_back("Scan", fmt::format("partial ({} diagnostic{})", scan.diagnostics.size(),
                                          scan.diagnostics.size() == 1 ? "" : "s"));
  }
  std::string out;
  for (const auto& [label, value] : rows) {
    out += fmt::format("{}{} {}\n", style.Paint(label + ":", "1"), std::string(14 - label.size(), ' '), value);
  }
  return out;
}

std::string LayerSection(const ScanResult& scan, const Style& style) {
  if (scan.summary.layers.empty()) return "";
  std::vector<Row> rows;
  for (const LayerSummary& layer : scan.summary.layers) {
    rows.push_back({{std::to_string(layer.index + 1)}, {HumanBytes(layer.tar_bytes)}, {CreatedBy(layer.created_by)}});
  }
  return "\n" + style.Paint("Layers", "1") + "\n" + FormatTable({{"#"}, {"SIZE"}, {"CREATED BY"}}, rows, style);
}

// Advisory titles can be whole paragraphs (PyPA copies the description).
constexpr size_t kVulnTitleWidth = 72;

// Vulnerabilities read best as Trivy prints them: what to upgrade, to what.
std::string VulnerabilitySection(const report::FindingList& findings, const Style& style) {
  std::vector<Row> rows;
  for (const Finding& f : findings) {
    if (f.kind != FindingKind::kVulnerability || !f.vuln) continue;
    const VulnerabilityDetail& v = *f.vuln;
    std::string fixed;
    for (const auto& x : v.fixed_versions) fixed += (fixed.empty() ? "" : ", ") + x;
    rows.push_back({{std::string(SeverityName(f.severity)), SeverityColor(f.severity)},
                    {Sanitize(v.id)},
                    {Sanitize(v.package_name)},
                    {Sanitize(v.installed_version)},
                    {fixed.empty() ? "-" : Sanitize(fixed)},
                    {Sanitize(f.vex_note ? v.status + ", VEX: " + f.vex_note->status : v.status)},
                    {TruncateEnd(Sanitize(f.title), kVulnTitleWidth)}});
  }
  if (rows.empty()) return "";
  return fmt::format("\n{}\n", style.Paint(fmt::format("Vulnerabilities ({})", rows.size()), "1")) +
         FormatTable({{"SEVERITY"}, {"ID"}, {"PACKAGE"}, {"INSTALLED"}, {"FIXED"}, {"STATUS"}, {"TITLE"}}, rows, style);
}

std::string FindingSection(FindingKind kind, const report::FindingList& findings, const Style& style) {
  if (kind == FindingKind::kVulnerability) return VulnerabilitySection(findings, style);
  std::vector<Row> rows;
  for (const Finding& f : findings) {
    if (f.kind != kind) continue;
    std::string where = LocationText(f.location);
    if (!f.more_locations.empty()) where += fmt::format(" +{} more", f.more_locations.size());
    // Secrets show their redacted match (the evidence never holds a full secret).
    std::string title = kind == FindingKind::kSecret && !f.evidence.empty() ? f.title + ": " + f.evidence : f.title.str();
    rows.push_back({{std::string(SeverityName(f.severity)), SeverityColor(f.severity)},
                    {Sanitize(f.rule_id)},
                    {where},
                    {Sanitize(title)}});
  }
  if (rows.empty()) return "";
  return fmt::format("\n{}\n", style.Paint(fmt::format("{} ({})", report::KindTitle(kind), rows.size()), "1")) +
         FormatTable({{"SEVERITY"}, {"RULE"}, {"LOCATION"}, {"TITLE"}}, rows, style);
}

// Every package (--list-all-pkgs, sbom --format table), then the count of
// each type.
std::string PackageSection(const ScanResult& scan, const Style& style) {
  if (!scan.inventory) return "";
  const auto& pkgs = scan.inventory->packages;
  std::vector<Row> rows;
  std::map<std::string, int64_t> by_type;
  for (const Package& p : pkgs) {
    ++by_type[p.type];
    std::string where =
        p.evidence.empty() ? "-" : TruncateStart(Sanitize(p.evidence.front().Location()), kLocationWidth);
    rows.push_back({{Sanitize(p.type)},
                    {Sanitize(p.FullName())},
                    {p.version.empty() ? "-" : Sanitize(p.version)},
                    {p.layer_index >= 0 ? std::to_string(p.layer_index + 1) : "-"},
                    {where}});
  }
  std::string counts;
  for (const auto& [type, n] : by_type) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, type);
  std::string out = fmt::format(
      "\n{}\n", style.Paint(fmt::format("Packages ({}{}{})", pkgs.size(), counts.empty() ? "" : ": ", counts), "1"));
  if (rows.empty()) return out + "  none found\n";
  return out + FormatTable({{"TYPE"}, {"NAME"}, {"VERSION"}, {"LAYER"}, {"LOCATION"}}, rows, style);
}

std::string DiagnosticSection(const ScanResult& scan, const Style& style) {
  if (scan.diagnostics.empty()) return "";
  std::string out = fmt::format(
      "\n{}\n", style.Paint(fmt::format("Diagnostics ({}): the scan is partial", scan.diagnostics.size()), "1"));
  for (const Diagnostic& d : scan.diagnostics) out += fmt::format("  {}: {}\n", Sanitize(d.where), Sanitize(d.message));
  return out;
}

constexpr size_t kReasonWidth = 80;

// --show-suppressed: what was suppressed, by which source, and why.
std::string SuppressedSection(const ScanResult& scan, const Style& style) {
  const report::FindingList suppressed = report::PreparedSuppressed(scan);
  if (suppressed.empty()) return "";
  std::vector<Row> rows;
  for (const Finding& f : suppressed) {
    const Suppression& why = *f.suppression;
    std::string what =
        f.vuln ? Sanitize(f.vuln->package_name + " " + f.vuln->installed_version) : LocationText(f.location);
    rows.push_back(
        {{std::string(SeverityName(f.severity)), SeverityColor(f.severity)},
         {Sanitize(f.rule_id)},
         {what},
         {Sanitize(why.kind)},
         {TruncateStart(Sanitize(why.source), kLocationWidth)},
         {TruncateEnd(Sanitize(why.justification.empty() ? why.reason : why.reason + " [" + why.justification + "]"),
                      kReasonWidth)}});
  }
  return fmt::format("\n{}\n", style.Paint(fmt::format("Suppressed ({})", rows.size()), "1")) +
         FormatTable({{"SEVERITY"}, {"ID"}, {"WHAT"}, {"BY"}, {"SOURCE"}, {"REASON"}}, rows, style);
}

std::string TotalLine(const report::FindingList& findings, const Style& style) {
  const report::SeverityCounts counts = report::CountBySeverity(findings);
  std::string parts;
  for (Severity s : report::kSeveritiesDescending) {
    const std::string name(SeverityName(s));
    const int64_t n = counts[static_cast<size_t>(s)];
    parts += fmt::format("{}{}: {}", parts.empty() ? "" : ", ", n > 0 ? style.Paint(name, SeverityColor(s)) : name, n);
  }
  return fmt::format("\nTotal: {} ({})\n", findings.size(), parts);
}

}  // namespace

std::string_view StatusColor(CheckStatus s) {
  switch (s) {
    case CheckStatus::kPass:
      return "32";
    case CheckStatus::kWarn:
      return "31";
    case CheckStatus::kInfo:
      return "34";
    case CheckStatus::kNote:
      return "33";
    case CheckStatus::kNotApplicable:
      break;
  }
  return "";
}

// Live audits (containers, host): every check outcome, grouped by target as
// Docker Bench prints them, then the totals and the remediation of the WARNs.
std::string AuditTable(const ScanResult& scan, const report::FindingList& findings, const Style& style) {
  std::string out = fmt::format("{}        {}\n", style.Paint("Target:", "1"), Sanitize(scan.target));
  std::vector<Row> rows;
  std::array<int, 5> counts{};
  for (const CheckOutcome& o : scan.outcomes) {
    ++counts[static_cast<size_t>(o.status)];
    rows.push_back({{Sanitize(o.id)},
                    {fmt::format("L{}", o.level)},
                    {std::string(CheckStatusName(o.status)), StatusColor(o.status)},
                    {TruncateEnd(Sanitize(o.target), 40)},
                    {TruncateEnd(Sanitize(o.title), 70)},
                    {TruncateEnd(Sanitize(o.evidence), 90)}});
  }
  out += fmt::format("\n{}\n", style.Paint(fmt::format("CIS Docker Benchmark checks ({})", rows.size()), "1"));
  out += FormatTable({{"ID"}, {"LEVEL"}, {"STATUS"}, {"TARGET"}, {"CHECK"}, {"EVIDENCE"}}, rows, style);
  std::vector<Row> fixes;
  for (const Finding& f : findings) {
    fixes.push_back({{std::string(SeverityName(f.severity)), SeverityColor(f.severity)},
                     {Sanitize(f.rule_id)},
                     {TruncateEnd(Sanitize(f.location.path), 40)},
                     {Sanitize(f.remediation)}});
  }
  if (!fixes.empty()) {
    out += fmt::format("\n{}\n", style.Paint(fmt::format("Remediation ({})", fixes.size()), "1"));
    out += FormatTable({{"SEVERITY"}, {"RULE"}, {"TARGET"}, {"REMEDIATION"}}, fixes, style);
  }
  out += fmt::format("\nChecks: {} PASS, {} WARN, {} INFO, {} NOTE, {} N/A\n", counts[0], counts[1], counts[2],
                     counts[3], counts[4]);
  out += findings.empty() ? "No findings.\n" : TotalLine(findings, style);
  return out;
}

std::string RenderTable(const ScanResult& scan, const ReportOptions& opts) {
  const Style style{opts.color};
  const report::FindingList findings = report::PreparedFindings(scan);
  if (!scan.outcomes.empty()) return AuditTable(scan, findings, style);
  std::string out = HeaderBlock(scan, style) + LayerSection(scan, style) + PackageSection(scan, style);
  for (FindingKind kind :
       {FindingKind::kVulnerability, FindingKind::kSecret, FindingKind::kMisconfiguration, FindingKind::kLicense}) {
    out += FindingSection(kind, findings, style);
  }
  out += DiagnosticSection(scan, style);
  if (opts.show_suppressed) out += SuppressedSection(scan, style);
  // The summary line says how many were suppressed (they are not counted).
  std::string note;
  if (!scan.suppressed.empty()) {
    note = fmt::format("{} suppressed{}", scan.suppressed.size(),
                       opts.show_suppressed ? "" : " (--show-suppressed lists them)");
  }
  if (findings.empty()) return out + (note.empty() ? "\nNo findings.\n" : "\nNo findings; " + note + ".\n");
  std::string total = TotalLine(findings, style);
  if (!note.empty()) total.insert(total.size() - 1, ", " + note);
  return out + total;
}

}  // namespace drydock
