// Text helpers the human-facing writers share (table, compare table and
// markdown); private to src/report. Everything that came from an image goes
// through Sanitize before it reaches a terminal or a document.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "model/finding.h"

namespace drydock::report {

// Terminal-safe text on one line: whitespace runs become one space, C0/C1
// controls, DEL, the bidi overrides and invalid UTF-8 bytes become \xNN
// escapes; leading and trailing spaces are trimmed.
std::string Sanitize(std::string_view s);

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

}  // namespace drydock::report
