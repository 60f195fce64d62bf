// The `compare` reports: one writer per format renders a Comparison (built
// from two scans already filtered by severity) to a string. Every string
// that came from an image is escaped for the format it lands in.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/compare.h"
#include "report/report.h"

namespace drydock {

enum class CompareFormat { kTable, kJson, kMarkdown };
// "table", "json", "markdown"; a usage error names the choices.
Result<CompareFormat> ParseCompareFormat(std::string_view s);

// Human table for a terminal: the two images, a summary (A, B, change),
// then new and fixed vulnerabilities, added and removed findings, changed,
// added and removed packages and the layers. Colour only with opts.color.
std::string RenderCompareTable(const Comparison& c, const ReportOptions& opts);
// JSON, schema documented in docs/json-format.md ("The compare report").
std::string RenderCompareJson(const Comparison& c, const ReportOptions& opts);
// GitHub-flavoured Markdown for a pull-request comment: a summary table,
// then one section per list (more than 10 rows collapse in <details>, more
// than 100 are cut with a count). Image text is escaped so that it stays
// inside its table cell and cannot add markup, links or mentions.
std::string RenderCompareMarkdown(const Comparison& c, const ReportOptions& opts);

std::string RenderCompare(CompareFormat format, const Comparison& c, const ReportOptions& opts);

// One line of the summary the table and markdown writers share; the text is
// not escaped (each writer escapes it for its format).
struct CompareSummaryRow {
  std::string label;   // "Size", "Packages", …
  std::string a;       // A's value
  std::string b;       // B's value
  std::string change;  // "+2.3 MiB (+3.0%)", "2 added, 1 removed, 3 changed"
};
std::vector<CompareSummaryRow> CompareSummary(const Comparison& c);

// The layers in display order: B's in B's order (shared ones with A's
// twin), then the ones only A has. `a` null: new in B; `b` null: removed.
struct CompareLayerRow {
  const LayerSummary* a = nullptr;
  const LayerSummary* b = nullptr;
};
std::vector<CompareLayerRow> CompareLayerRows(const Comparison& c);

// What B brings in, in words: "B adds 2 vulnerabilities (1 CRITICAL, 1 LOW)
// and 1 finding (1 HIGH).", "B adds no vulnerabilities and no findings.",
// "B adds no findings; vulnerabilities were not compared."
std::string IntroducedLine(const Comparison& c);

}  // namespace drydock
