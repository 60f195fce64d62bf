// RubySec ruby-advisory-db: gems/<gem>/<id>.yml (ecosystem "rubygems") and
// rubies/<engine>/<id>.yml (ecosystem "ruby": the interpreter). Fields: gem
// or engine, cve ("2023-50725"), ghsa ("gc3j-…"), osvdb, url, title, date,
// description, cvss_v2/v3/v4 (scores), patched_versions and
// unaffected_versions (Gem::Requirement strings), related.url.
#include "vuln/cvss.h"
#include "vuln/feed/common.h"
#include "vuln/feed/importers.h"

namespace drydock {
using importer::Get;
using importer::Str;
using importer::Strs;

Result<std::vector<Advisory>> ParseRubySec(std::string_view bytes, bool ruby_interpreter,
                                           std::vector<std::string>& warnings) {
  (void)warnings;
  ASSIGN_OR_RETURN(nlohmann::json j, importer::ParseYaml(bytes));
  if (!j.is_object()) return InputError("rubysec: not a mapping");
  Advisory a;
  a.source = "rubysec";
  const std::string package = Str(j, ruby_interpreter ? "engine" : "gem");
  if (package.empty()) return InputError("rubysec: no {}", ruby_interpreter ? "engine" : "gem");
  const std::string cve = Str(j, "cve"), ghsa = Str(j, "ghsa"), osvdb = Str(j, "osvdb");
  if (!cve.empty()) a.aliases.push_back("CVE-" + cve);
  if (!ghsa.empty()) a.aliases.push_back("GHSA-" + ghsa);
  if (!osvdb.empty()) a.aliases.push_back("OSVDB-" + osvdb);
  if (a.aliases.empty()) return InputError("rubysec: no cve, ghsa or osvdb id");
  a.id = a.aliases.front();
  a.title = importer::Truncate(Str(j, "title"), 512);
  a.description = importer::Truncate(Str(j, "description"), 2048);
  a.published = Str(j, "date");
  if (std::string url = Str(j, "url"); !url.empty()) a.references.push_back(url);
  for (auto& u : Strs(Get(j, "related"), "url")) a.references.push_back(std::move(u));
  // Scores only (no vectors): the severity is the newest version's band.
  for (const char* key : {"cvss_v4", "cvss_v3", "cvss_v2"}) {
    const std::string s = Str(j, key);
    if (s.empty()) continue;
    char* end = nullptr;
    double score = std::strtod(s.c_str(), &end);
    if (end != s.c_str() && score >= 0 && score <= 10) {
      a.severity = std::string(SeverityName(SeverityFromScore(score)));
      break;
    }
  }
  std::vector<importer::Interval> safe;
  for (const char* key : {"patched_versions", "unaffected_versions"}) {
    for (const auto& req : Strs(j, key)) {
      ASSIGN_OR_RETURN(importer::Interval i, importer::ParseRequirement(req, importer::ReqDialect::kRubyGems));
      safe.push_back(std::move(i));
    }
  }
  Affected aff;
  aff.ecosystem = ruby_interpreter ? "ruby" : "rubygems";
  aff.package = package;
  aff.range_type = "ECOSYSTEM";
  ASSIGN_OR_RETURN(aff.ranges, importer::ComplementToRanges(std::move(safe), VersionScheme::kRubyGems));
  a.affected.push_back(std::move(aff));
  return std::vector<Advisory>{std::move(a)};
}

Status ImportRubySec(const std::string& path, const AdvisorySink& sink, ImportStats& stats) {
  if (stats.source.empty()) stats.source = "rubysec";
  std::vector<std::string> warnings;
  auto want = [](const std::string& n) {
    return (n.size() > 4 && n.compare(n.size() - 4, 4, ".yml") == 0) ||
           (n.size() > 5 && n.compare(n.size() - 5, 5, ".yaml") == 0);
  };
  return importer::ForEachFile(path, want, [&](const std::string& name, std::string_view bytes) {
    const bool rubies = name.find("/rubies/") != std::string::npos || name.rfind("rubies/", 0) == 0;
    return importer::Deliver(name, ParseRubySec(bytes, rubies, warnings), warnings, sink, stats);
  });
}

}  // namespace drydock
