// Text helpers the human-facing writers share (the tables, the markdown and
// HTML reports); private to src/report. Everything that came from an image
// goes through Sanitize before it reaches a terminal or a document.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "model/finding.h"
#include "model/scan.h"

namespace drydock::report {

// Terminal-safe text on one line: whitespace runs become one space, C0/C1
// controls, DEL, the bidi overrides and invalid UTF-8 bytes become \xNN
// escapes; leading and trailing spaces are trimmed.
std::string Sanitize(std::string_view s);

// The markup entity for `ch` when it is one of & < > (and, with `apos` not
// null, " and ' — a single quote becomes `apos`, "&#39;" for HTML, "&apos;"
// for XML); null for any other byte. Shared by the HTML, JUnit XML and
// Markdown writers so that they escape the same characters the same way.
const char* MarkupEntity(char ch, const char* apos);

// Display width of sanitised (valid UTF-8) text, one column per code point.
size_t Width(std::string_view s);

// Sanitised text cut to `max` columns, ending (or, for TruncateStart,
// starting) with "…" when it was longer.
std::string TruncateEnd(std::string s, size_t max);
std::string TruncateStart(const std::string& s, size_t max);

// "512 B", "1.5 KiB", "77.8 MiB"; "?" for a negative count.
std::string HumanBytes(int64_t n);

// A layer's history instruction for display: docker's "/bin/sh -c #(nop)"
// prefix dropped, sanitised, cut to 64 columns; "-" when empty.
std::string CreatedBy(const std::string& created_by);
// The same, whole: not cut, and "" when empty.
std::string Instruction(std::string_view created_by);

// The image's distribution: os-release's PRETTY_NAME (" (distroless)"
// added), else "ID VERSION_ID", else "unknown"; sanitised.
std::string OsName(const ScanResult& scan);
// "linux/arm64/v8", or "-" when the config names none; sanitised.
std::string PlatformName(const ImageConfig& config);
// An exec-form array as docker shows it, ["nginx","-g","daemon off;"], or
// "-" when empty; sanitised.
std::string ExecForm(const std::vector<std::string>& args);

// Whether a human report has a section (or a summary row) for `kind`: it
// has findings of that kind, or the scanner that finds them ran and found
// none (licenses only in the first case).
bool KindReported(const ScanResult& scan, FindingKind kind);

// The finding kinds in the order human reports show their sections.
inline constexpr std::array<FindingKind, 4> kFindingKinds = {
    FindingKind::kVulnerability, FindingKind::kSecret, FindingKind::kMisconfiguration, FindingKind::kLicense};
// A section's heading: "Vulnerabilities", "Secrets", "Misconfigurations", "Licenses".
std::string_view KindTitle(FindingKind kind);

// Where a finding is, for a table cell: "path:line (layer N)", the config
// field, or "-"; sanitised, the start cut so it fits `max_width` columns.
std::string LocationText(const Location& loc, size_t max_width = 48);

// ANSI colour when enabled (a terminal that wants it).
struct Style {
  bool color = false;
  std::string Paint(std::string_view text, std::string_view sgr) const {
    if (!color || sgr.empty()) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", sgr, text);
  }
};

// The SGR code a severity is painted with ("" for UNKNOWN).
std::string_view SeverityColor(Severity s);

struct Cell {
  std::string text;  // already sanitised
  std::string_view sgr = {};
};
using Row = std::vector<Cell>;

// Left-aligned columns two spaces apart, each line indented by two; the last
// column is not padded, so lines carry no trailing spaces.
std::string FormatTable(const Row& header, const std::vector<Row>& rows, const Style& style);

// GitHub-flavoured Markdown (the markdown and compare markdown reports).
// Both take raw image text and Sanitize it first, so the result is on one
// line; neither lets it leave a table cell, add markup or a link, or
// mention anyone.
//
// Prose: every character with inline meaning backslash-escaped, `<`, `>`
// and `&` as entities, and a zero-width space after `@`.
std::string MarkdownText(std::string_view raw);
// A code span holding `raw` verbatim (a fence longer than any backtick run
// inside, pipes escaped so they stay in their cell); "-" when empty. Text
// with a backslash before a pipe is given as MarkdownText instead: table
// parsers disagree on whether "\\|" ends a cell, and a code span cannot
// escape the backslash.
std::string MarkdownCode(std::string_view raw);
// One table row, "| a | b |\n", of cells already escaped.
std::string MarkdownRow(const std::vector<std::string>& cells);

}  // namespace drydock::report
