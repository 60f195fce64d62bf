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
#include <nlohmann/json.hpp>

#include "report/common.h"
#include "report/report.h"

namespace drydock {
namespace {

constexpr size_t kCreatedByWidth = 64;  // keeps a layer row within 80 columns
constexpr size_t kLocationWidth = 48;

// Decodes one UTF-8 sequence at the front of `s`; returns its length, or 0
// when the bytes are not valid UTF-8 (overlong, surrogate, truncated).
size_t DecodeUtf8(std::string_view s, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  size_t len = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// C0/C1 controls, DEL, and the bidi overrides that can make text display
// in a different order than it reads ("Trojan Source").
bool IsUnsafeCodePoint(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// Terminal-safe text on one line: whitespace runs become one space, unsafe
// code points and invalid bytes become \xNN escapes.
std::string Sanitize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    char32_t cp = 0;
    size_t len = DecodeUtf8(s, cp);
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else if (len == 0 || IsUnsafeCodePoint(cp)) {
      if (len == 0) len = 1;
      for (size_t i = 0; i < len; ++i) {
        out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i]));
      }
    } else {
      out.append(s.substr(0, len));
    }
    s.remove_prefix(len);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Display width of sanitised (valid UTF-8) text, one column per code point.
size_t Width(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Byte offset of the n-th code point of sanitised text.
size_t OffsetOfCodePoint(std::string_view s, size_t n) {
  size_t seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (seen++ == n) return i;
  }
  return s.size();
}

std::string TruncateEnd(std::string s, size_t max) {
  if (Width(s) <= max) return s;
  s.resize(OffsetOfCodePoint(s, max - 1));
  return s + "…";
}

// Keeps the tail: the end of a long path names the file.
std::string TruncateStart(const std::string& s, size_t max) {
  const size_t w = Width(s);
  if (w <= max) return s;
  return "…" + s.substr(OffsetOfCodePoint(s, w - (max - 1)));
}

std::string HumanBytes(int64_t n) {
  if (n < 0) return "?";
  if (n < 1024) return fmt::format("{} B", n);
  constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = static_cast<double>(n);
  size_t u = 0;
  for (v /= 1024; v >= 1024 && u + 1 < std::size(kUnits); v /= 1024) ++u;
  return fmt::format("{:.1f} {}", v, kUnits[u]);
}

// docker history shows "/bin/sh -c #(nop)  CMD […]" for metadata steps;
// the instruction alone reads better.
std::string CreatedBy(const std::string& created_by) {
  std::string_view s = created_by;
  constexpr std::string_view kNop = "/bin/sh -c #(nop)";
  if (s.rfind(kNop, 0) == 0) s.remove_prefix(kNop.size());
  std::string text = Sanitize(s);  // also trims the leading spaces docker leaves
  return text.empty() ? "-" : TruncateEnd(std::move(text), kCreatedByWidth);
}

struct Style {
  bool color = false;
  std::string Paint(std::string_view text, std::string_view sgr) const {
    if (!color || sgr.empty()) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", sgr, text);
  }
};

std::string_view SeverityColor(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "1;31";
    case Severity::kHigh:
      return "31";
    case Severity::kMedium:
      return "33";
    case Severity::kLow:
      return "34";
    case Severity::kUnknown:
      break;
  }
  return "";
}

struct Cell {
  std::string text;  // already sanitised
  std::string_view sgr = {};
};
using Row = std::vector<Cell>;

// Left-aligned columns two spaces apart; the last column is not padded, so
// lines carry no trailing spaces.
std::string FormatTable(const Row& header, const std::vector<Row>& rows, const Style& style) {
  std::vector<size_t> widths(header.size(), 0);
  auto widen = [&](const Row& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i].text));
    }
  };
  widen(header);
  for (const Row& row : rows) widen(row);
  auto line = [&](const Row& row) {
    std::string out = "  ";
    for (size_t i = 0; i < row.size(); ++i) {
      out += style.Paint(row[i].text, row[i].sgr);
      if (i + 1 < row.size()) out += std::string(widths[i] - Width(row[i].text) + 2, ' ');
    }
    while (out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header);
  for (const Row& row : rows) out += line(row);
  return out;
}

std::string JoinOrDash(const std::vector<std::string>& items) {
  if (items.empty()) return "-";
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + Sanitize(item);
  return out;
}

// Exec-form arrays are shown as docker shows them: ["nginx","-g","daemon off;"].
std::string ExecForm(const std::vector<std::string>& args) {
  if (args.empty()) return "-";
  nlohmann::json arr = args;
  return Sanitize(arr.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string OsName(const ScanResult& scan) {
  if (!scan.summary.os) return "unknown";
  const OsRelease& os = *scan.summary.os;
  if (!os.pretty_name.empty()) return Sanitize(os.pretty_name) + (os.distroless ? " (distroless)" : "");
  const std::string s = Sanitize(fmt::format("{} {}", os.id, os.version_id));
  return s.empty() ? "unknown" : s;
}

std::string PlatformName(const ImageConfig& config) {
  std::string s = config.os;
  for (const std::string* part : {&config.architecture, &config.variant}) {
    if (!part->empty()) s += (s.empty() ? "" : "/") + *part;
  }
  return s.empty() ? "-" : Sanitize(s);
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

std::string LocationText(const Location& loc) {
  std::string where;
  if (!loc.path.empty()) {
    where = Sanitize(loc.path);
    if (loc.line > 0) where += fmt::format(":{}", loc.line);
    // Lint findings (the only ones with a column) also name the field.
    if (loc.line > 0 && loc.column > 0) where += fmt::format(":{}", loc.column);
    if (loc.column > 0 && !loc.config_field.empty()) where += " " + Sanitize(loc.config_field);
  } else if (!loc.config_field.empty()) {
    where = Sanitize(loc.config_field);
  }
  if (loc.layer_index >= 0) {
    where +=
        where.empty() ? fmt::format("layer {}", loc.layer_index + 1) : fmt::format(" (layer {})", loc.layer_index + 1);
  }
  return where.empty() ? "-" : TruncateStart(where, kLocationWidth);
}

std::string_view KindHeading(FindingKind k) {
  switch (k) {
    case FindingKind::kVulnerability:
      return "Vulnerabilities";
    case FindingKind::kSecret:
      return "Secrets";
    case FindingKind::kMisconfiguration:
      return "Misconfigurations";
    case FindingKind::kLicense:
      return "Licenses";
  }
  return "Findings";
}

// Advisory titles can be whole paragraphs (PyPA copies the description).
constexpr size_t kVulnTitleWidth = 72;

// Vulnerabilities read best as Trivy prints them: what to upgrade, to what.
std::string VulnerabilitySection(const std::vector<Finding>& findings, const Style& style) {
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
                    {Sanitize(v.status)},
                    {TruncateEnd(Sanitize(f.title), kVulnTitleWidth)}});
  }
  if (rows.empty()) return "";
  return fmt::format("\n{}\n", style.Paint(fmt::format("Vulnerabilities ({})", rows.size()), "1")) +
         FormatTable({{"SEVERITY"}, {"ID"}, {"PACKAGE"}, {"INSTALLED"}, {"FIXED"}, {"STATUS"}, {"TITLE"}}, rows, style);
}

std::string FindingSection(FindingKind kind, const std::vector<Finding>& findings, const Style& style) {
  if (kind == FindingKind::kVulnerability) return VulnerabilitySection(findings, style);
  std::vector<Row> rows;
  for (const Finding& f : findings) {
    if (f.kind != kind) continue;
    std::string where = LocationText(f.location);
    if (!f.more_locations.empty()) where += fmt::format(" +{} more", f.more_locations.size());
    // Secrets show their redacted match (the evidence never holds a full secret).
    std::string title = kind == FindingKind::kSecret && !f.evidence.empty() ? f.title + ": " + f.evidence : f.title;
    rows.push_back({{std::string(SeverityName(f.severity)), SeverityColor(f.severity)},
                    {Sanitize(f.rule_id)},
                    {where},
                    {Sanitize(title)}});
  }
  if (rows.empty()) return "";
  return fmt::format("\n{}\n", style.Paint(fmt::format("{} ({})", KindHeading(kind), rows.size()), "1")) +
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

std::string TotalLine(const std::vector<Finding>& findings, const Style& style) {
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
std::string AuditTable(const ScanResult& scan, const std::vector<Finding>& findings, const Style& style) {
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
  const std::vector<Finding> findings = report::PreparedFindings(scan);
  if (!scan.outcomes.empty()) return AuditTable(scan, findings, style);
  std::string out = HeaderBlock(scan, style) + LayerSection(scan, style) + PackageSection(scan, style);
  for (FindingKind kind :
       {FindingKind::kVulnerability, FindingKind::kSecret, FindingKind::kMisconfiguration, FindingKind::kLicense}) {
    out += FindingSection(kind, findings, style);
  }
  out += DiagnosticSection(scan, style);
  out += findings.empty() ? "\nNo findings.\n" : TotalLine(findings, style);
  return out;
}

}  // namespace drydock
