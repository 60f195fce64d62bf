// Reports: one file per output format. Every writer renders a ScanResult
// (already filtered by severity) to a string; WriteOutput puts it in place
// atomically. Reports never contain full secrets: evidence is redacted by
// the scanners before it reaches a Finding.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "model/scan.h"

namespace drydock {

// The formats are listed in formats.inc, one line each.
enum class ReportFormat {
#define DRYDOCK_REPORT_FORMAT(id, name, render, needs_inventory) id,
#include "report/formats.inc"
#undef DRYDOCK_REPORT_FORMAT
};
Result<ReportFormat> ParseReportFormat(std::string_view s);

struct ReportOptions {
  bool color = false;        // ANSI colour (table only; only on a tty)
  std::string tool_version;  // "0.1.0"
  // The lowest severity --severity chose, unset when it chose none. The
  // markdown report's open table holds the findings at or above it (HIGH
  // when unset); the others are collapsed.
  std::optional<Severity> severity_floor;
  // The table lists scan.suppressed too (with reason and source); the other
  // formats always carry them, marked as suppressed.
  bool show_suppressed = false;
};

// JSON report, schema documented in docs/json-format.md.
std::string RenderJson(const ScanResult& scan, const ReportOptions& opts);
// RenderJson and RenderSarif in pieces to `out`: the findings are dumped one
// at a time, so the report's memory does not grow with the number of
// findings. The pieces joined are RenderJson's / RenderSarif's string.
void RenderJsonTo(const ScanResult& scan, const ReportOptions& opts, const std::function<void(std::string_view)>& out);
void RenderSarifTo(const ScanResult& scan, const ReportOptions& opts, const std::function<void(std::string_view)>& out);
// SARIF 2.1.0: one run, rules for every rule id present, results with
// partialFingerprints and the layer's created_by in properties.
std::string RenderSarif(const ScanResult& scan, const ReportOptions& opts);
// CycloneDX 1.6 JSON: the image as metadata.component, one component per
// package (purl, licenses, evidence locations, layer properties). Requires
// scan.inventory. Byte-identical for the same input (see docs/sbom.md).
std::string RenderCycloneDx(const ScanResult& scan, const ReportOptions& opts);
// SPDX 2.3 JSON: one package for the image, one per inventory package,
// DESCRIBES/CONTAINS relationships. Requires scan.inventory. Byte-identical
// for the same input.
std::string RenderSpdx(const ScanResult& scan, const ReportOptions& opts);
// JUnit XML: one testsuite per scanner and target, one testcase per finding
// (a failure) and, when the scan has check outcomes (live audits), one
// testcase per check per target: WARN fails, PASS passes, INFO/NOTE/N/A are
// skipped with the evidence as the message.
std::string RenderJunit(const ScanResult& scan, const ReportOptions& opts);
// One self-contained HTML page (inline CSS and JS allowed by hash in its
// Content-Security-Policy, nothing loaded from the network) that reads
// without JavaScript: summary, layers, findings by kind with the instruction
// that made their layer, and the packages with their vulnerabilities when
// scan.inventory is set. Every string from the image or the vulnerability
// data is escaped by one writer (html_writer.h). Byte-identical for the
// same input.
std::string RenderHtml(const ScanResult& scan, const ReportOptions& opts);
// GitHub-flavoured Markdown for a pull-request comment or a job summary:
// counts by kind and severity, the findings at or above
// opts.severity_floor in tables and the others collapsed in <details>;
// image text cannot leave its table cell (text.h's escapers).
std::string RenderMarkdown(const ScanResult& scan, const ReportOptions& opts);
// True for the formats that need the inventory (cyclonedx, spdx-json).
bool NeedsInventory(ReportFormat format);
// Human table: summary header, findings grouped by kind, severity totals.
std::string RenderTable(const ScanResult& scan, const ReportOptions& opts);

std::string Render(ReportFormat format, const ScanResult& scan, const ReportOptions& opts);

// Render(format, scan, opts) written to `path` as WriteOutput does, json and
// sarif streamed to the file without the whole report in memory.
Status WriteReport(const std::string& path, ReportFormat format, const ScanResult& scan, const ReportOptions& opts);

// Writes `content` to `path` via a temp file in the same directory and a
// rename, so a killed run never leaves half a report. path "" or "-" means
// stdout.
Status WriteOutput(const std::string& path, std::string_view content);

}  // namespace drydock
