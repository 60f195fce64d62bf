// The shared text helpers (text.h).
#include "report/text.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace drydock::report {
namespace {

constexpr size_t kCreatedByWidth = 64;  // keeps a layer row within 80 columns

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

// Byte offset of the n-th code point of sanitised text.
size_t OffsetOfCodePoint(std::string_view s, size_t n) {
  size_t seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (seen++ == n) return i;
  }
  return s.size();
}

}  // namespace

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

size_t Width(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
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
std::string Instruction(std::string_view created_by) {
  constexpr std::string_view kNop = "/bin/sh -c #(nop)";
  if (created_by.starts_with(kNop)) created_by.remove_prefix(kNop.size());
  return Sanitize(created_by);  // also trims the leading spaces docker leaves
}

std::string CreatedBy(const std::string& created_by) {
  std::string text = Instruction(created_by);
  return text.empty() ? "-" : TruncateEnd(std::move(text), kCreatedByWidth);
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

std::string ExecForm(const std::vector<std::string>& args) {
  if (args.empty()) return "-";
  nlohmann::json arr = args;
  return Sanitize(arr.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

bool KindReported(const ScanResult& scan, FindingKind kind) {
  if (std::any_of(scan.findings.begin(), scan.findings.end(), [&](const Finding& f) { return f.kind == kind; })) {
    return true;
  }
  std::string_view scanner;
  if (kind == FindingKind::kVulnerability) scanner = "vuln";
  if (kind == FindingKind::kSecret) scanner = "secret";
  if (kind == FindingKind::kMisconfiguration) scanner = "misconfig";
  return !scanner.empty() && std::find(scan.scanners.begin(), scan.scanners.end(), scanner) != scan.scanners.end();
}

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

std::string LocationText(const Location& loc, size_t max_width) {
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
  return where.empty() ? "-" : TruncateStart(where, max_width);
}

std::string_view KindTitle(FindingKind kind) {
  switch (kind) {
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

const char* MarkupEntity(char ch, const char* apos) {
  switch (ch) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return apos != nullptr ? "&quot;" : nullptr;
    case '\'':
      return apos;
    default:
      return nullptr;
  }
}

std::string MarkdownText(std::string_view raw) {
  const std::string s = Sanitize(raw);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    if (const char* entity = MarkupEntity(ch, nullptr)) {
      out += entity;
      continue;
    }
    switch (ch) {
      case '@':
        out += "@&#8203;";  // no mention, no e-mail autolink
        break;
      case ':':
      case '.': {
        // GitHub links bare "scheme://" and "www." text; an escaped ':' or
        // '.' reads the same and links nothing.
        const std::string_view before = std::string_view(s).substr(0, i);
        const bool www = ch == '.' && before.size() >= 3 &&
                         std::equal(before.end() - 3, before.end(), "www",
                                    [](char a, char b) { return static_cast<char>(a | 0x20) == b; });
        if ((ch == ':' && s.compare(i + 1, 2, "//") == 0) || www) out.push_back('\\');
        out.push_back(ch);
        break;
      }
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '(':
      case ')':
      case '~':
      case '$':
      case '#':
      case '!':
      case '|':
        out.push_back('\\');
        out.push_back(ch);
        break;
      default:
        out.push_back(ch);
    }
  }
  return out;
}

std::string MarkdownCode(std::string_view raw) {
  const std::string s = Sanitize(raw);
  if (s.empty()) return "-";
  if (s.find("\\|") != std::string::npos) return MarkdownText(raw);
  size_t longest = 0, run = 0;
  std::string body;
  body.reserve(s.size());
  for (char ch : s) {
    run = ch == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    // A GFM table splits cells before inline parsing, code spans included;
    // it drops the backslash of "\|" again.
    if (ch == '|') body.push_back('\\');
    body.push_back(ch);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = s.front() == '`' || s.back() == '`';
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string MarkdownRow(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const std::string& c : cells) out += " " + c + " |";
  return out + "\n";
}

}  // namespace drydock::report
