// RustSec advisory-db: crates/<crate>/RUSTSEC-YYYY-NNNN.md, a ```toml fenced
// front matter ([advisory] id, package, date, aliases, cvss, informational,
// withdrawn; [versions] patched, unaffected) followed by Markdown whose first
// "# " heading is the title.
#include <map>

#include "vuln/feed/common.h"
#include "vuln/feed/importers.h"

namespace drydock {
namespace {

// The small TOML subset the front matter uses: [table] headers, and
// key = "string" | 'literal' | [array of strings, possibly multi-line] |
// number/bool | { inline table } (kept raw, unused).
struct TomlDoc {
  std::map<std::string, std::string> scalars;              // "advisory.id" -> value
  std::map<std::string, std::vector<std::string>> arrays;  // "versions.patched" -> values
};

// Reads the string starting at s[i] (a quote); advances i past it.
Result<std::string> TomlString(std::string_view s, size_t& i) {
  const char q = s[i++];
  std::string out;
  while (i < s.size() && s[i] != q) {
    if (q == '"' && s[i] == '\\' && i + 1 < s.size()) {
      char e = s[i + 1];
      i += 2;
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        default:
          out += e;
          break;
      }
      continue;
    }
    out += s[i++];
  }
  if (i >= s.size()) return InputError("toml: unterminated string");
  ++i;
  return out;
}

Result<TomlDoc> ParseToml(std::string_view text) {
  TomlDoc doc;
  std::string table;
  size_t i = 0;
  auto skip_ws = [&](bool newlines) {
    while (i < text.size()) {
      char c = text[i];
      if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n'))
        ++i;
      else if (c == '#') {
        while (i < text.size() && text[i] != '\n') ++i;
      } else
        break;
    }
  };
  while (true) {
    skip_ws(true);
    if (i >= text.size()) break;
    if (text[i] == '[') {
      size_t end = text.find(']', i);
      if (end == std::string_view::npos) return InputError("toml: unterminated table header");
      table = importer::Trim(text.substr(i + 1, end - i - 1));
      i = end + 1;
      continue;
    }
    size_t eq = text.find('=', i);
    size_t nl = text.find('\n', i);
    if (eq == std::string_view::npos || (nl != std::string_view::npos && nl < eq)) {
      return InputError("toml: line without '=' at offset {}", i);
    }
    std::string key = importer::Trim(text.substr(i, eq - i));
    if (key.size() >= 2 && key.front() == '"' && key.back() == '"') key = key.substr(1, key.size() - 2);
    const std::string full = table.empty() ? key : table + "." + key;
    i = eq + 1;
    skip_ws(false);
    if (i >= text.size()) return InputError("toml: {}: missing value", full);
    const char c = text[i];
    if (c == '"' || c == '\'') {
      if (text.substr(i, 3) == "\"\"\"" || text.substr(i, 3) == "'''") {
        size_t end = text.find(text.substr(i, 3), i + 3);
        if (end == std::string_view::npos) return InputError("toml: {}: unterminated string", full);
        doc.scalars[full] = std::string(text.substr(i + 3, end - i - 3));
        i = end + 3;
      } else {
        ASSIGN_OR_RETURN(doc.scalars[full], TomlString(text, i));
      }
    } else if (c == '[') {
      ++i;
      std::vector<std::string> values;
      for (;;) {
        skip_ws(true);
        if (i >= text.size()) return InputError("toml: {}: unterminated array", full);
        if (text[i] == ']') {
          ++i;
          break;
        }
        if (text[i] == ',') {
          ++i;
          continue;
        }
        if (text[i] == '"' || text[i] == '\'') {
          ASSIGN_OR_RETURN(std::string v, TomlString(text, i));
          values.push_back(std::move(v));
        } else {
          size_t s = i;
          while (i < text.size() && text[i] != ',' && text[i] != ']' && text[i] != '\n') ++i;
          values.push_back(importer::Trim(text.substr(s, i - s)));
        }
      }
      doc.arrays[full] = std::move(values);
    } else if (c == '{') {
      int depth = 0;
      bool in_str = false;
      for (; i < text.size(); ++i) {
        if (in_str) {
          if (text[i] == '\\')
            ++i;
          else if (text[i] == '"')
            in_str = false;
        } else if (text[i] == '"')
          in_str = true;
        else if (text[i] == '{' || text[i] == '[')
          ++depth;
        else if ((text[i] == '}' || text[i] == ']') && --depth == 0) {
          ++i;
          break;
        }
      }
    } else {
      size_t s = i;
      while (i < text.size() && text[i] != '\n' && text[i] != '#') ++i;
      doc.scalars[full] = importer::Trim(text.substr(s, i - s));
    }
    skip_ws(false);
  }
  return doc;
}

}  // namespace

Result<std::vector<Advisory>> ParseRustSec(std::string_view bytes, std::vector<std::string>& warnings) {
  (void)warnings;
  size_t open = bytes.find("```toml");
  if (open == std::string_view::npos) return InputError("rustsec: no ```toml front matter");
  size_t body = bytes.find('\n', open);
  if (body == std::string_view::npos) return InputError("rustsec: truncated front matter");
  size_t close = bytes.find("\n```", body);
  if (close == std::string_view::npos) return InputError("rustsec: unterminated front matter");
  ASSIGN_OR_RETURN(TomlDoc doc, ParseToml(bytes.substr(body + 1, close - body)));
  Advisory a;
  a.source = "rustsec";
  a.id = doc.scalars["advisory.id"];
  const std::string package = doc.scalars["advisory.package"];
  if (a.id.empty() || package.empty()) return InputError("rustsec: missing advisory.id or advisory.package");
  if (!doc.scalars["advisory.withdrawn"].empty()) return std::vector<Advisory>{};
  a.aliases = doc.arrays["advisory.aliases"];
  a.published = doc.scalars["advisory.date"];
  if (std::string cvss = doc.scalars["advisory.cvss"]; !cvss.empty()) {
    a.cvss.emplace_back(cvss.rfind("CVSS:4.0", 0) == 0 ? "4.0" : cvss.rfind("CVSS:3.0", 0) == 0 ? "3.0" : "3.1", cvss);
  }
  if (std::string url = doc.scalars["advisory.url"]; !url.empty()) a.references.push_back(url);
  for (auto& r : doc.arrays["advisory.references"]) a.references.push_back(r);
  a.references.push_back("https://rustsec.org/advisories/" + a.id + ".html");
  // Markdown: the first "# " heading is the title, the rest the description.
  std::string_view md = bytes.substr(std::min(bytes.size(), close + 4));
  if (size_t h = md.find("# "); h != std::string_view::npos) {
    size_t eol = md.find('\n', h);
    a.title = importer::Trim(md.substr(h + 2, eol == std::string_view::npos ? std::string_view::npos : eol - h - 2));
    if (eol != std::string_view::npos) a.description = importer::Truncate(importer::Trim(md.substr(eol + 1)), 2048);
  }
  std::vector<importer::Interval> safe;
  for (const char* key : {"versions.patched", "versions.unaffected"}) {
    for (const auto& req : doc.arrays[key]) {
      ASSIGN_OR_RETURN(importer::Interval i, importer::ParseRequirement(req, importer::ReqDialect::kCargo));
      safe.push_back(std::move(i));
    }
  }
  Affected aff;
  aff.ecosystem = "cargo";
  aff.package = package;
  aff.range_type = "SEMVER";
  ASSIGN_OR_RETURN(aff.ranges, importer::ComplementToRanges(std::move(safe), VersionScheme::kCargo));
  a.affected.push_back(std::move(aff));
  return std::vector<Advisory>{std::move(a)};
}

Status ImportRustSec(const std::string& path, const AdvisorySink& sink, ImportStats& stats) {
  if (stats.source.empty()) stats.source = "rustsec";
  std::vector<std::string> warnings;
  auto want = [](const std::string& n) {
    if (n.size() < 3 || n.compare(n.size() - 3, 3, ".md") != 0) return false;
    const std::string base = n.substr(n.find_last_of("/!") + 1);
    return base.rfind("RUSTSEC-", 0) == 0 || base.rfind("CVE-", 0) == 0 || base.rfind("GHSA-", 0) == 0;
  };
  return importer::ForEachFile(path, want, [&](const std::string& name, std::string_view bytes) {
    return importer::Deliver(name, ParseRustSec(bytes, warnings), warnings, sink, stats);
  });
}

}  // namespace drydock
