// The human compare report. As in table.cc, every string from an image or
// from vulnerability data is sanitised before it reaches the terminal.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "report/compare.h"
#include "report/text.h"

namespace drydock {
namespace {

using report::Cell;
using report::FormatTable;
using report::Row;
using report::Sanitize;
using report::SeverityColor;
using report::Style;

constexpr size_t kTitleWidth = 72;
constexpr size_t kWhereWidth = 48;

std::string OrDash(const std::string& s) { return s.empty() ? "-" : Sanitize(s); }

std::string PackageWhere(const Package& p) {
  return p.evidence.empty() ? "-" : report::TruncateStart(Sanitize(p.evidence.front().Location()), kWhereWidth);
}

std::string Heading(const Style& style, std::string_view title, size_t n) {
  return fmt::format("\n{}\n", style.Paint(fmt::format("{} ({})", title, n), "1"));
}

std::string Header(const Comparison& c, const Style& style) {
  std::string out;
  for (const auto& [label, side] : {std::pair{"A:", &c.a}, std::pair{"B:", &c.b}}) {
    out += fmt::format("{} {}", style.Paint(label, "1"), side->target.empty() ? "-" : Sanitize(side->target));
    if (side->diagnostics > 0) {
      out += fmt::format(" (partial scan: {} diagnostic{})", side->diagnostics, side->diagnostics == 1 ? "" : "s");
    }
    out += "\n";
  }
  std::vector<Row> rows;
  for (const CompareSummaryRow& r : CompareSummary(c)) {
    rows.push_back({{r.label}, {Sanitize(r.a)}, {Sanitize(r.b)}, {Sanitize(r.change)}});
  }
  return out + "\n" + FormatTable({{""}, {"A"}, {"B"}, {"CHANGE"}}, rows, style);
}

std::string VulnerabilitySection(std::string_view title, const std::vector<Finding>& findings, const Style& style) {
  if (findings.empty()) return "";
  std::vector<Row> rows;
  for (const Finding& f : findings) {
    const VulnerabilityDetail v = f.vuln.value_or(VulnerabilityDetail{});
    std::string fixed;
    for (const auto& x : v.fixed_versions) fixed += (fixed.empty() ? "" : ", ") + x;
    rows.push_back({{std::string(SeverityName(f.severity)), SeverityColor(f.severity)},
                    {OrDash(v.id.empty() ? f.rule_id : v.id)},
                    {OrDash(v.package_name)},
                    {OrDash(v.installed_version)},
                    {OrDash(fixed)},
                    {report::TruncateEnd(Sanitize(f.title), kTitleWidth)}});
  }
  return Heading(style, title, rows.size()) +
         FormatTable({{"SEVERITY"}, {"ID"}, {"PACKAGE"}, {"INSTALLED"}, {"FIXED"}, {"TITLE"}}, rows, style);
}

std::string FindingSection(std::string_view title, const std::vector<Finding>& findings, const Style& style) {
  if (findings.empty()) return "";
  std::vector<Row> rows;
  for (const Finding& f : findings) {
    std::string where = report::LocationText(f.location);
    if (!f.more_locations.empty()) where += fmt::format(" +{} more", f.more_locations.size());
    // Secrets show their redacted match, as in the scan table.
    const std::string text =
        f.kind == FindingKind::kSecret && !f.evidence.empty() ? f.title + ": " + f.evidence : f.title.str();
    rows.push_back({{std::string(SeverityName(f.severity)), SeverityColor(f.severity)},
                    {Sanitize(f.rule_id)},
                    {where},
                    {report::TruncateEnd(Sanitize(text), kTitleWidth)}});
  }
  return Heading(style, title, rows.size()) +
         FormatTable({{"SEVERITY"}, {"RULE"}, {"LOCATION"}, {"TITLE"}}, rows, style);
}

std::string ChangedPackages(const std::vector<PackageChange>& changes, const Style& style) {
  if (changes.empty()) return "";
  std::vector<Row> rows;
  for (const PackageChange& ch : changes) {
    const std::string where_a = PackageWhere(ch.a);
    const std::string where_b = PackageWhere(ch.b);
    rows.push_back({{Sanitize(ch.a.type)},
                    {Sanitize(ch.a.FullName())},
                    {OrDash(ch.a.version)},
                    {OrDash(ch.b.version)},
                    {where_a == where_b ? where_a : where_a + " → " + where_b}});
  }
  return Heading(style, "Packages changed", rows.size()) +
         FormatTable({{"TYPE"}, {"NAME"}, {"A"}, {"B"}, {"LOCATION"}}, rows, style);
}

std::string PackageList(std::string_view title, const std::vector<Package>& packages, const Style& style) {
  if (packages.empty()) return "";
  std::vector<Row> rows;
  for (const Package& p : packages) {
    rows.push_back({{Sanitize(p.type)}, {Sanitize(p.FullName())}, {OrDash(p.version)}, {PackageWhere(p)}});
  }
  return Heading(style, title, rows.size()) + FormatTable({{"TYPE"}, {"NAME"}, {"VERSION"}, {"LOCATION"}}, rows, style);
}

std::string LayerSection(const Comparison& c, const Style& style) {
  std::vector<Row> rows;
  auto row = [&](const LayerSummary* a, const LayerSummary* b, std::string_view status, std::string_view sgr) {
    const LayerSummary& l = b ? *b : *a;
    rows.push_back({{a ? std::to_string(a->index + 1) : "-"},
                    {b ? std::to_string(b->index + 1) : "-"},
                    {std::string(status), sgr},
                    {report::HumanBytes(l.tar_bytes)},
                    {report::CreatedBy(l.created_by)}});
  };
  for (const CompareLayerRow& r : CompareLayerRows(c)) {
    if (r.a && r.b) {
      row(r.a, r.b, "shared", "");
    } else if (r.b) {
      row(nullptr, r.b, "new", "32");
    } else {
      row(r.a, nullptr, "removed", "31");
    }
  }
  if (rows.empty()) return "";
  return Heading(style, "Layers", rows.size()) +
         FormatTable({{"A"}, {"B"}, {"STATUS"}, {"SIZE"}, {"CREATED BY"}}, rows, style);
}

}  // namespace

std::string RenderCompareTable(const Comparison& c, const ReportOptions& opts) {
  const Style style{opts.color};
  std::string out = Header(c, style);
  out += VulnerabilitySection("New vulnerabilities", c.vulnerabilities_new, style);
  out += VulnerabilitySection("Fixed vulnerabilities", c.vulnerabilities_fixed, style);
  out += FindingSection("Added findings", c.findings_added, style);
  out += FindingSection("Removed findings", c.findings_removed, style);
  out += ChangedPackages(c.packages_changed, style);
  out += PackageList("Packages added", c.packages_added, style);
  out += PackageList("Packages removed", c.packages_removed, style);
  out += LayerSection(c, style);
  return out + "\n" + IntroducedLine(c) + "\n";
}

}  // namespace drydock
