// Format selection and dispatch for `compare`, and the summary the table
// and markdown writers share.
#include "report/compare.h"

#include <fmt/format.h>

#include "report/common.h"
#include "report/text.h"

namespace drydock {
namespace {

std::string Count(int64_t n) { return std::to_string(n); }

std::string SignedCount(int64_t d) { return d > 0 ? fmt::format("+{}", d) : std::to_string(d); }

std::string SignedBytes(int64_t a, int64_t b) {
  const int64_t d = b - a;
  std::string out = d == 0 ? "0 B" : (d > 0 ? "+" : "-") + report::HumanBytes(d > 0 ? d : -d);
  if (d != 0 && a > 0) out += fmt::format(" ({:+.1f}%)", 100.0 * static_cast<double>(d) / static_cast<double>(a));
  return out;
}

std::string ShortDigest(const std::string& digest) {
  if (digest.empty()) return "-";
  const size_t colon = digest.find(':');
  return colon == std::string::npos ? digest.substr(0, 12) : digest.substr(0, colon + 13);
}

std::string OsText(const CompareSide& s) {
  if (!s.os) return "unknown";
  if (!s.os->pretty_name.empty()) return s.os->pretty_name;
  const std::string name = s.os->id + (s.os->version_id.empty() ? "" : " " + s.os->version_id);
  return name.empty() ? "unknown" : name;
}

// "2 vulnerabilities (1 CRITICAL, 1 LOW)"
std::string CountedBySeverity(const std::vector<Finding>& findings, std::string_view one, std::string_view many) {
  if (findings.empty()) return fmt::format("no {}", many);
  const report::SeverityCounts counts = report::CountBySeverity(findings);
  std::string parts;
  for (Severity s : report::kSeveritiesDescending) {
    const int64_t n = counts[static_cast<size_t>(s)];
    if (n > 0) parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", n, SeverityName(s));
  }
  return fmt::format("{} {} ({})", findings.size(), findings.size() == 1 ? one : many, parts);
}

}  // namespace

Result<CompareFormat> ParseCompareFormat(std::string_view s) {
  if (s == "table") return CompareFormat::kTable;
  if (s == "json") return CompareFormat::kJson;
  if (s == "markdown") return CompareFormat::kMarkdown;
  return UsageError("unknown format {:?} (want table, json or markdown)", std::string(s.substr(0, 40)));
}

std::string RenderCompare(CompareFormat format, const Comparison& c, const ReportOptions& opts) {
  switch (format) {
    case CompareFormat::kJson:
      return RenderCompareJson(c, opts);
    case CompareFormat::kMarkdown:
      return RenderCompareMarkdown(c, opts);
    case CompareFormat::kTable:
      break;
  }
  return RenderCompareTable(c, opts);
}

std::vector<CompareSummaryRow> CompareSummary(const Comparison& c) {
  const CompareSide& a = c.a;
  const CompareSide& b = c.b;
  std::vector<CompareSummaryRow> rows;
  rows.push_back({"Image ID", ShortDigest(a.image_id), ShortDigest(b.image_id),
                  !a.image_id.empty() && a.image_id == b.image_id ? "same image" : ""});
  rows.push_back({"OS", OsText(a), OsText(b), ""});
  rows.push_back({"Platform", a.platform.empty() ? "-" : a.platform, b.platform.empty() ? "-" : b.platform, ""});
  rows.push_back({"Size", report::HumanBytes(a.total_tar_bytes), report::HumanBytes(b.total_tar_bytes),
                  SignedBytes(a.total_tar_bytes, b.total_tar_bytes)});
  rows.push_back({"Compressed", report::HumanBytes(a.total_blob_bytes), report::HumanBytes(b.total_blob_bytes),
                  SignedBytes(a.total_blob_bytes, b.total_blob_bytes)});
  rows.push_back({"Files", Count(a.files), Count(b.files), SignedCount(b.files - a.files)});
  rows.push_back({"Layers", Count(a.layers), Count(b.layers),
                  fmt::format("{} shared, {} removed, {} new", c.layers_shared.size(), c.layers_only_a.size(),
                              c.layers_only_b.size())});
  rows.push_back({"Packages", a.packages ? Count(*a.packages) : "-", b.packages ? Count(*b.packages) : "-",
                  c.packages_compared ? fmt::format("{} added, {} removed, {} changed", c.packages_added.size(),
                                                    c.packages_removed.size(), c.packages_changed.size())
                                      : "not compared"});
  rows.push_back({"Vulnerabilities", c.vulnerabilities_compared ? Count(a.vulnerabilities) : "-",
                  c.vulnerabilities_compared ? Count(b.vulnerabilities) : "-",
                  c.vulnerabilities_compared
                      ? fmt::format("{} fixed, {} new", c.vulnerabilities_fixed.size(), c.vulnerabilities_new.size())
                      : "not compared (the vuln scanner did not run)"});
  rows.push_back({"Findings", Count(a.findings), Count(b.findings),
                  fmt::format("{} added, {} removed", c.findings_added.size(), c.findings_removed.size())});
  return rows;
}

std::vector<CompareLayerRow> CompareLayerRows(const Comparison& c) {
  std::vector<CompareLayerRow> rows;
  size_t shared = 0, only_b = 0;
  while (shared < c.layers_shared.size() || only_b < c.layers_only_b.size()) {
    const bool take_shared =
        only_b == c.layers_only_b.size() ||
        (shared < c.layers_shared.size() && c.layers_shared[shared].b.index < c.layers_only_b[only_b].index);
    if (take_shared) {
      rows.push_back({&c.layers_shared[shared].a, &c.layers_shared[shared].b});
      ++shared;
    } else {
      rows.push_back({nullptr, &c.layers_only_b[only_b++]});
    }
  }
  for (const LayerSummary& l : c.layers_only_a) rows.push_back({&l, nullptr});
  return rows;
}

std::string IntroducedLine(const Comparison& c) {
  const std::string findings = CountedBySeverity(c.findings_added, "finding", "findings");
  if (!c.vulnerabilities_compared) return fmt::format("B adds {}; vulnerabilities were not compared.", findings);
  return fmt::format("B adds {} and {}.", CountedBySeverity(c.vulnerabilities_new, "vulnerability", "vulnerabilities"),
                     findings);
}

}  // namespace drydock
