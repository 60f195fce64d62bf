// OSV (https://ossf.github.io/osv-schema/) in JSON or YAML, from any
// ecosystem: PyPA's advisory-database (YAML), Go vulndb, AlmaLinux, and any
// other OSV export (.zip / .tar.gz archives included).
#include <algorithm>
#include <cctype>

#include "vuln/feed/common.h"
#include "vuln/feed/importers.h"

namespace drydock {
using importer::Get;
using importer::Str;
using importer::Strs;
using nlohmann::json;

namespace {

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// GHSA's "MODERATE" is MEDIUM everywhere else; Red Hat style words map too.
std::string NormalizeSeverity(std::string s) {
  s = Upper(importer::Trim(s));
  if (s == "MODERATE") return "MEDIUM";
  if (s == "IMPORTANT") return "HIGH";
  if (s == "LOW" || s == "MEDIUM" || s == "HIGH" || s == "CRITICAL") return s;
  return "";
}

std::string SourceFor(const std::string& ecosystem_key) {
  if (ecosystem_key == "pypi") return "osv-pypa";
  if (ecosystem_key == "go") return "go-vulndb";
  if (ecosystem_key.rfind("almalinux", 0) == 0) return "osv-almalinux";
  return "osv";
}

void AddCvss(Advisory& a, const std::string& vector) {
  if (vector.rfind("CVSS:3.1/", 0) == 0)
    a.cvss.emplace_back("3.1", vector);
  else if (vector.rfind("CVSS:3.0/", 0) == 0)
    a.cvss.emplace_back("3.0", vector);
  else if (vector.rfind("CVSS:4.0/", 0) == 0)
    a.cvss.emplace_back("4.0", vector);
  else if (vector.rfind("AV:", 0) == 0)
    a.cvss.emplace_back("2.0", vector);
}

Result<Advisory> OsvRecord(const json& j, std::string_view source) {
  if (!j.is_object()) return InputError("osv: not an object");
  Advisory a;
  a.id = Str(j, "id");
  if (a.id.empty()) return InputError("osv: no id");
  a.aliases = Strs(j, "aliases");
  a.title = importer::Truncate(Str(j, "summary"), 512);
  a.description = importer::Truncate(Str(j, "details"), 2048);
  if (a.title.empty()) {
    std::string d = a.description.substr(0, a.description.find('\n'));
    a.title = importer::Truncate(d, 200);
  }
  a.published = Str(j, "published");
  a.modified = Str(j, "modified");
  for (const auto& s : Get(j, "severity")) {
    if (s.is_object()) AddCvss(a, Str(s, "score"));
  }
  a.severity = NormalizeSeverity(Str(Get(j, "database_specific"), "severity"));
  for (const auto& r : Get(j, "references")) {
    std::string url = Str(r, "url");
    if (!url.empty()) a.references.push_back(std::move(url));
  }
  std::string eco_of_first;
  for (const auto& aff : Get(j, "affected")) {
    const json& pkg = Get(aff, "package");
    Affected out;
    out.ecosystem = OsvEcosystemKey(Str(pkg, "ecosystem"));
    out.package = NormalizePackageName(out.ecosystem, Str(pkg, "name"));
    if (out.ecosystem.empty() || out.package.empty()) continue;
    if (eco_of_first.empty()) eco_of_first = out.ecosystem;
    for (const auto& range : Get(aff, "ranges")) {
      const std::string type = Str(range, "type");
      if (type != "ECOSYSTEM" && type != "SEMVER") continue;  // GIT ranges name commits
      if (out.range_type.empty()) out.range_type = type;
      AffectedRange cur;
      bool have = false;
      for (const auto& ev : Get(range, "events")) {
        if (!ev.is_object()) continue;
        if (ev.contains("introduced")) {
          if (have) out.ranges.push_back(std::move(cur));
          cur = AffectedRange{};
          cur.introduced = Str(ev, "introduced");
          if (cur.introduced == "0") cur.introduced.clear();
          have = true;
        } else if (ev.contains("fixed") || ev.contains("last_affected") || ev.contains("limit")) {
          if (!have) cur = AffectedRange{};
          if (ev.contains("fixed")) cur.fixed = Str(ev, "fixed");
          if (ev.contains("last_affected")) cur.last_affected = Str(ev, "last_affected");
          if (ev.contains("limit")) cur.limit = Str(ev, "limit");
          out.ranges.push_back(std::move(cur));
          cur = AffectedRange{};
          have = false;
        }
      }
      if (have) out.ranges.push_back(std::move(cur));
    }
    out.versions = Strs(aff, "versions");
    // Per-package severity: GHSA-style database_specific, AlmaLinux-style
    // ecosystem_specific.
    out.severity = NormalizeSeverity(Str(Get(aff, "ecosystem_specific"), "severity"));
    if (out.severity.empty()) out.severity = NormalizeSeverity(Str(Get(aff, "database_specific"), "severity"));
    for (const auto& s : Get(aff, "severity")) {
      if (s.is_object()) AddCvss(a, Str(s, "score"));
    }
    if (out.ranges.empty() && out.versions.empty()) continue;  // only GIT ranges: nothing to match
    a.affected.push_back(std::move(out));
  }
  const bool distro = eco_of_first.rfind("almalinux", 0) == 0;
  if (distro) {
    // ALSA advisories name the CVEs they fix in `related`; their summary
    // starts with Red Hat's severity word ("Important: pcs security update").
    for (auto& r : Strs(j, "related")) {
      if (std::find(a.aliases.begin(), a.aliases.end(), r) == a.aliases.end()) a.aliases.push_back(std::move(r));
    }
    if (a.severity.empty()) {
      if (auto colon = a.title.find(':'); colon != std::string::npos)
        a.severity = NormalizeSeverity(a.title.substr(0, colon));
    }
  }
  std::sort(a.cvss.begin(), a.cvss.end());
  a.cvss.erase(std::unique(a.cvss.begin(), a.cvss.end()), a.cvss.end());
  a.source = source.empty() ? SourceFor(eco_of_first) : std::string(source);
  return a;
}

Result<std::vector<Advisory>> OsvDocument(const json& j, std::string_view source, std::vector<std::string>& warnings) {
  std::vector<Advisory> out;
  // A single record, or an array of records (some exports batch them).
  if (j.is_array()) {
    for (const auto& rec : j) {
      if (!Str(rec, "withdrawn").empty()) continue;  // retracted: not an advisory any more
      auto a = OsvRecord(rec, source);
      if (a.ok())
        out.push_back(std::move(*a));
      else
        warnings.push_back(a.error().message);
    }
    return out;
  }
  if (!Str(j, "withdrawn").empty()) return out;
  ASSIGN_OR_RETURN(Advisory a, OsvRecord(j, source));
  out.push_back(std::move(a));
  return out;
}

}  // namespace

std::string OsvEcosystemKey(std::string_view eco) {
  if (eco.empty()) return "";
  std::string e(eco);
  std::string lower = e;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "crates.io") return "cargo";
  if (lower == "packagist") return "composer";
  if (lower == "go" || lower == "pypi" || lower == "npm" || lower == "rubygems" || lower == "maven" ||
      lower == "nuget") {
    return lower;
  }
  // "AlmaLinux:9" -> "almalinux:9", "Alpine:v3.18" -> "alpine:3.18", "Debian:11".
  if (auto colon = lower.find(':'); colon != std::string::npos) {
    std::string release = lower.substr(colon + 1);
    if (!release.empty() && release[0] == 'v') release.erase(0, 1);
    return lower.substr(0, colon) + ":" + release;
  }
  return lower;
}

std::string NormalizePackageName(std::string_view eco, std::string_view name) {
  std::string n = importer::Trim(name);
  if (eco == "pypi") {
    // PEP 503: lower-case, runs of -_. become one '-'.
    std::string out;
    for (char c : n) {
      if (c == '-' || c == '_' || c == '.') {
        if (out.empty() || out.back() != '-') out.push_back('-');
      } else {
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      }
    }
    return out;
  }
  if (eco == "nuget" || eco == "composer" || eco == "npm" || eco == "rubygems" || eco == "cargo" || eco == "wolfi" ||
      eco.rfind("alpine", 0) == 0 || eco.rfind("debian", 0) == 0) {
    // Case-insensitive registries (npm and crates.io names are lower-case in
    // practice; gem and distro names are compared as written but are
    // lower-case by policy).
    if (eco == "nuget" || eco == "composer") {
      for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return n;
}

Result<std::vector<Advisory>> ParseOsvJson(std::string_view bytes, std::string_view source,
                                           std::vector<std::string>& warnings) {
  ASSIGN_OR_RETURN(json j, importer::ParseJson(bytes));
  return OsvDocument(j, source, warnings);
}

Result<std::vector<Advisory>> ParseOsvYaml(std::string_view bytes, std::string_view source,
                                           std::vector<std::string>& warnings) {
  ASSIGN_OR_RETURN(json j, importer::ParseYaml(bytes));
  return OsvDocument(j, source, warnings);
}

Status ImportOsv(const std::string& path, const AdvisorySink& sink, ImportStats& stats) {
  std::vector<std::string> warnings;
  auto want = [](const std::string& name) {
    auto ends = [&](std::string_view s) {
      return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
    };
    return ends(".json") || ends(".yaml") || ends(".yml");
  };
  return importer::ForEachFile(path, want, [&](const std::string& name, std::string_view bytes) -> Status {
    const bool json_file = name.size() >= 5 && name.compare(name.size() - 5, 5, ".json") == 0;
    // index files of OSV exports are not advisories.
    const std::string base = name.substr(name.find_last_of("/!") + 1);
    if (base == "index.json" || base == "aliases.json" || base == "modules.json") return Status();
    auto parsed = json_file ? ParseOsvJson(bytes, stats.source, warnings) : ParseOsvYaml(bytes, stats.source, warnings);
    if (stats.source.empty() && parsed.ok() && !parsed->empty()) stats.source = parsed->front().source;
    return importer::Deliver(name, std::move(parsed), warnings, sink, stats);
  });
}

}  // namespace drydock
