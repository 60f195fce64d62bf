// The compare report as GitHub-flavoured Markdown, for a pull-request
// comment. Image text never reaches the document raw: names, versions,
// paths and instructions go into code spans and prose (titles, the OS name)
// is escaped, both by the helpers in text.h that the scan's markdown report
// shares.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "report/common.h"
#include "report/compare.h"
#include "report/text.h"

namespace drydock {
namespace {

using report::Sanitize;

// Sections longer than this collapse into <details>; rows beyond kMaxRows
// are cut (a comment holds at most 65,536 characters), with a count.
constexpr size_t kCollapseAfter = 10;
constexpr size_t kMaxRows = 100;
constexpr size_t kTitleWidth = 100;

using Row = std::vector<std::string>;  // cells, already escaped

// Short names for the shared escapers (text.h).
std::string Text(std::string_view raw) { return report::MarkdownText(raw); }
std::string Code(std::string_view raw) { return report::MarkdownCode(raw); }
std::string TableLine(const Row& cells) { return report::MarkdownRow(cells); }

// One section: a heading and a table, or a <details> block when long.
std::string Section(std::string_view title, const Row& header, const std::vector<Row>& rows) {
  if (rows.empty()) return "";
  std::string table = TableLine(header) + TableLine(Row(header.size(), "---"));
  for (size_t i = 0; i < rows.size() && i < kMaxRows; ++i) table += TableLine(rows[i]);
  if (rows.size() > kMaxRows) {
    table += fmt::format("\n… and {} more (`--format json` lists every one).\n", rows.size() - kMaxRows);
  }
  const std::string name = fmt::format("{} ({})", title, rows.size());
  if (rows.size() > kCollapseAfter) {
    return fmt::format("\n<details><summary>{}</summary>\n\n{}\n</details>\n", name, table);
  }
  return fmt::format("\n### {}\n\n{}", name, table);
}

std::string PackageWhere(const Package& p) { return Code(p.evidence.empty() ? "" : p.evidence.front().Location()); }

std::string Vulnerabilities(std::string_view title, const std::vector<Finding>& findings) {
  std::vector<Row> rows;
  for (const Finding& f : findings) {
    const VulnerabilityDetail v = f.vuln.value_or(VulnerabilityDetail{});
    std::string fixed;
    for (const auto& x : v.fixed_versions) fixed += (fixed.empty() ? "" : ", ") + x;
    rows.push_back({std::string(SeverityName(f.severity)), Code(v.id.empty() ? f.rule_id : v.id), Code(v.package_name),
                    Code(v.installed_version), Code(fixed), Text(report::TruncateEnd(Sanitize(f.title), kTitleWidth))});
  }
  return Section(title, {"Severity", "ID", "Package", "Installed", "Fixed in", "Title"}, rows);
}

std::string Findings(std::string_view title, const std::vector<Finding>& findings) {
  std::vector<Row> rows;
  for (const Finding& f : findings) {
    std::string where = Code(report::LocationText(f.location, 200));
    if (!f.more_locations.empty()) where += fmt::format(" +{} more", f.more_locations.size());
    std::string text = Text(report::TruncateEnd(Sanitize(f.title), kTitleWidth));
    if (f.kind == FindingKind::kSecret && !f.evidence.empty()) text += ": " + Code(f.evidence);
    rows.push_back({std::string(SeverityName(f.severity)), Code(f.rule_id), where, text});
  }
  return Section(title, {"Severity", "Rule", "Location", "Title"}, rows);
}

std::string ChangedPackages(const std::vector<PackageChange>& changes) {
  std::vector<Row> rows;
  for (const PackageChange& ch : changes) {
    const std::string where_a = PackageWhere(ch.a);
    const std::string where_b = PackageWhere(ch.b);
    rows.push_back({Code(ch.a.type), Code(ch.a.FullName()), Code(ch.a.version), Code(ch.b.version),
                    where_a == where_b ? where_a : where_a + " → " + where_b});
  }
  return Section("Packages changed", {"Type", "Name", "A", "B", "Location"}, rows);
}

std::string PackageList(std::string_view title, const std::vector<Package>& packages) {
  std::vector<Row> rows;
  for (const Package& p : packages)
    rows.push_back({Code(p.type), Code(p.FullName()), Code(p.version), PackageWhere(p)});
  return Section(title, {"Type", "Name", "Version", "Location"}, rows);
}

std::string Layers(const Comparison& c) {
  std::vector<Row> rows;
  auto row = [&](const LayerSummary* a, const LayerSummary* b, std::string status) {
    const LayerSummary& l = b ? *b : *a;
    rows.push_back({a ? std::to_string(a->index + 1) : "-", b ? std::to_string(b->index + 1) : "-", std::move(status),
                    report::HumanBytes(l.tar_bytes), Code(report::CreatedBy(l.created_by))});
  };
  for (const CompareLayerRow& r : CompareLayerRows(c)) {
    row(r.a, r.b, r.a && r.b ? "shared" : (r.b ? "**new**" : "removed"));
  }
  return Section("Layers", {"A", "B", "Status", "Size", "Created by"}, rows);
}

}  // namespace

std::string RenderCompareMarkdown(const Comparison& c, const ReportOptions& opts) {
  std::string out = "## drydock compare\n\n";
  out += "**" + Text(IntroducedLine(c)) + "**\n";
  for (const auto& [name, side] : {std::pair{"A", &c.a}, std::pair{"B", &c.b}}) {
    if (side->diagnostics == 0) continue;
    out += fmt::format("\n> **Note:** the scan of {} is partial ({} diagnostic{}: see `--format json`).\n", name,
                       side->diagnostics, side->diagnostics == 1 ? "" : "s");
  }
  out += "\n" + TableLine({"", "A", "B", "Change"}) + TableLine({"---", "---", "---", "---"});
  out += TableLine({"Target", Code(c.a.target), Code(c.b.target), ""});
  for (const CompareSummaryRow& r : CompareSummary(c)) {
    const bool code = r.label == "Image ID" || r.label == "Platform";
    out += TableLine({r.label, code ? Code(r.a) : Text(r.a), code ? Code(r.b) : Text(r.b), Text(r.change)});
  }
  out += Vulnerabilities("New vulnerabilities", c.vulnerabilities_new);
  out += Vulnerabilities("Fixed vulnerabilities", c.vulnerabilities_fixed);
  out += Findings("Added findings", c.findings_added);
  out += Findings("Removed findings", c.findings_removed);
  out += ChangedPackages(c.packages_changed);
  out += PackageList("Packages added", c.packages_added);
  out += PackageList("Packages removed", c.packages_removed);
  out += Layers(c);
  return out + fmt::format("\n<sub>drydock {}</sub>\n", Text(report::ToolVersion(opts.tool_version)));
}

}  // namespace drydock
