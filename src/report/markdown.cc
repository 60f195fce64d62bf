// The scan as GitHub-flavoured Markdown, for a pull-request comment or
// $GITHUB_STEP_SUMMARY: the counts by kind and severity, the findings at or
// above the severity floor in tables, the others collapsed in <details>,
// and the layers collapsed. Image text goes through text.h's escapers
// (code spans, or prose with everything inline escaped), so it stays in its
// table cell and adds no markup, link or mention.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "report/common.h"
#include "report/report.h"
#include "report/text.h"

namespace drydock {
namespace {

using report::MarkdownCode;
using report::MarkdownRow;
using report::MarkdownText;
using Row = std::vector<std::string>;  // cells, already escaped

// Rows beyond this are cut with a count: a comment holds at most 65,536
// characters and a job summary 1 MiB.
constexpr size_t kMaxRows = 100;
constexpr size_t kTitleWidth = 100;
constexpr Severity kDefaultFloor = Severity::kHigh;

std::string Table(const Row& header, const std::vector<Row>& rows) {
  std::string out = MarkdownRow(header) + MarkdownRow(Row(header.size(), "---"));
  for (size_t i = 0; i < rows.size() && i < kMaxRows; ++i) out += MarkdownRow(rows[i]);
  if (rows.size() > kMaxRows) {
    out += fmt::format("\n… and {} more (`--format json` lists every one).\n", rows.size() - kMaxRows);
  }
  return out;
}

std::string Title(const Finding& f) {
  std::string title = MarkdownText(report::TruncateEnd(report::Sanitize(f.title), kTitleWidth));
  if (f.vex_note) title += " (VEX: " + MarkdownText(f.vex_note->status) + ")";
  return title;
}

std::string FixedText(const VulnerabilityDetail& v) {
  std::string fixed;
  for (const std::string& x : v.fixed_versions) fixed += (fixed.empty() ? "" : ", ") + x;
  return fixed;
}

// The vulnerabilities, then the other findings, of one part of the report.
std::string FindingTables(const std::vector<const Finding*>& findings) {
  std::vector<Row> vulns, others;
  for (const Finding* f : findings) {
    const std::string severity(SeverityName(f->severity));
    if (f->kind == FindingKind::kVulnerability) {
      const VulnerabilityDetail v = f->vuln.value_or(VulnerabilityDetail{});
      const std::string layer = f->location.layer_index >= 0 ? std::to_string(f->location.layer_index + 1) : "-";
      vulns.push_back({severity, MarkdownCode(v.id.empty() ? f->rule_id : v.id), MarkdownCode(v.package_name),
                       MarkdownCode(v.installed_version), MarkdownCode(FixedText(v)), layer, Title(*f)});
      continue;
    }
    std::string where = MarkdownCode(report::LocationText(f->location, 200));
    if (!f->more_locations.empty()) where += fmt::format(" +{} more", f->more_locations.size());
    std::string title = Title(*f);
    if (f->kind == FindingKind::kSecret && !f->evidence.empty()) title += ": " + MarkdownCode(f->evidence);
    others.push_back({severity, std::string(FindingKindName(f->kind)), MarkdownCode(f->rule_id), where, title});
  }
  std::string out;
  if (!vulns.empty()) {
    out += fmt::format("\n**Vulnerabilities ({})**\n\n", vulns.size());
    out += Table({"Severity", "ID", "Package", "Installed", "Fixed in", "Layer", "Title"}, vulns);
  }
  if (!others.empty()) {
    out += fmt::format("\n**{} ({})**\n\n", vulns.empty() ? "Findings" : "Other findings", others.size());
    out += Table({"Severity", "Kind", "Rule", "Location", "Title"}, others);
  }
  return out;
}

std::string SummaryTable(const ScanResult& scan, const report::FindingList& findings) {
  std::map<FindingKind, report::SeverityCounts> counts;
  for (const Finding& f : findings) ++counts[f.kind][static_cast<size_t>(f.severity)];
  std::vector<Row> rows;
  auto row = [&](std::string label, const report::SeverityCounts& c, bool bold) {
    Row r = {std::move(label)};
    int64_t total = 0;
    for (Severity s : report::kSeveritiesDescending) {
      total += c[static_cast<size_t>(s)];
      r.push_back(std::to_string(c[static_cast<size_t>(s)]));
    }
    r.push_back(std::to_string(total));
    if (bold) {
      for (std::string& cell : r) cell = "**" + cell + "**";
    }
    rows.push_back(std::move(r));
  };
  for (FindingKind kind : report::kFindingKinds) {
    if (report::KindReported(scan, kind)) row(std::string(report::KindTitle(kind)), counts[kind], false);
  }
  row("Total", report::CountBySeverity(findings), true);
  return Table({"Kind", "CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN", "Total"}, rows);
}

// What the open part holds: "Findings at HIGH or above", "CRITICAL
// findings", or "Findings" when the floor is UNKNOWN.
std::string FloorTitle(Severity floor) {
  if (floor == Severity::kUnknown) return "Findings";
  if (floor == Severity::kCritical) return "CRITICAL findings";
  return fmt::format("Findings at {} or above", SeverityName(floor));
}

std::string LayerTable(const ScanResult& scan) {
  const auto& layers = scan.summary.layers;
  if (layers.empty()) return "";
  std::vector<Row> rows;
  for (const LayerSummary& l : layers) {
    rows.push_back(
        {std::to_string(l.index + 1), report::HumanBytes(l.tar_bytes), MarkdownCode(report::CreatedBy(l.created_by))});
  }
  return fmt::format("\n<details><summary>Layers ({})</summary>\n\n{}\n</details>\n", layers.size(),
                     Table({"#", "Size", "Created by"}, rows));
}

// One line about the image: OS, platform, size, id.
std::string ImageLine(const ScanResult& scan) {
  if (scan.image.config_digest.empty() && scan.summary.layers.empty()) return "";
  const ImageSummary& sum = scan.summary;
  std::string line = fmt::format("{} · {} · {} layer{}, {}", MarkdownText(report::OsName(scan)),
                                 MarkdownCode(report::PlatformName(scan.image.config)), sum.layers.size(),
                                 sum.layers.size() == 1 ? "" : "s", report::HumanBytes(sum.total_tar_bytes));
  if (!scan.image.config_digest.empty()) line += " · image " + MarkdownCode(scan.image.config_digest.short_str());
  return "\n" + line + "\n";
}

// What an ignore file, a policy or a VEX statement dismissed, collapsed.
std::string SuppressedTable(const ScanResult& scan) {
  if (scan.suppressed.empty()) return "";
  std::vector<Finding> suppressed = scan.suppressed;
  SortFindings(suppressed);
  std::vector<Row> rows;
  for (const Finding& f : suppressed) {
    const Suppression why = f.suppression.value_or(Suppression{});
    const std::string what =
        f.vuln ? f.vuln->package_name + " " + f.vuln->installed_version : report::LocationText(f.location, 200);
    rows.push_back({std::string(SeverityName(f.severity)),
                    MarkdownCode(f.vuln && !f.vuln->id.empty() ? f.vuln->id : f.rule_id), MarkdownCode(what),
                    MarkdownText(why.kind + " " + why.source), MarkdownText(why.reason)});
  }
  return fmt::format("\n<details><summary>{} suppressed</summary>\n\n{}\n</details>\n", rows.size(),
                     Table({"Severity", "ID", "What", "Suppressed by", "Reason"}, rows));
}

}  // namespace

std::string RenderMarkdown(const ScanResult& scan, const ReportOptions& opts) {
  const report::FindingList findings = report::PreparedFindings(scan);
  const Severity floor = opts.severity_floor.value_or(kDefaultFloor);
  std::vector<const Finding*> above, below;
  for (const Finding& f : findings) (f.severity >= floor ? above : below).push_back(&f);

  std::string out = "## drydock: " + MarkdownCode(scan.target.empty() ? "scan" : scan.target) + "\n";
  out += ImageLine(scan);
  if (!scan.diagnostics.empty()) {
    out += fmt::format("\n> **Note:** the scan is partial ({} diagnostic{}: see `--format json`).\n",
                       scan.diagnostics.size(), scan.diagnostics.size() == 1 ? "" : "s");
  }
  out += "\n" + SummaryTable(scan, findings);
  if (findings.empty()) {
    out += "\nNo findings.\n";
  } else {
    out += fmt::format("\n### {} ({})\n", FloorTitle(floor), above.size());
    out += above.empty() ? "\nNone.\n" : FindingTables(above);
  }
  if (!below.empty()) {
    out += fmt::format("\n<details><summary>{} finding{} below {}</summary>\n", below.size(),
                       below.size() == 1 ? "" : "s", SeverityName(floor));
    out += FindingTables(below);
    out += "\n</details>\n";
  }
  out += SuppressedTable(scan);
  out += LayerTable(scan);
  return out + fmt::format("\n<sub>drydock {}</sub>\n", MarkdownText(report::ToolVersion(opts.tool_version)));
}

}  // namespace drydock
