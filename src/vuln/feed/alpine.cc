// Alpine secdb: v3.X/{main,community}.yaml with distroversion, reponame and
// packages[].pkg{name, secfixes{"<fixed version>": [CVE …]}}. The key "0"
// lists CVEs that never affected the package in that branch.
#include <map>

#include "vuln/feed/common.h"
#include "vuln/feed/importers.h"

namespace drydock {
using importer::Get;
using importer::Str;

Result<std::vector<Advisory>> ParseAlpineSecdb(std::string_view bytes, std::vector<std::string>& warnings) {
  ASSIGN_OR_RETURN(nlohmann::json j, importer::ParseYaml(bytes));
  if (!j.is_object()) return InputError("alpine-secdb: not a mapping");
  std::string branch = Str(j, "distroversion");
  if (!branch.empty() && branch[0] == 'v') branch.erase(0, 1);
  if (branch.empty()) return InputError("alpine-secdb: no distroversion");
  const std::string eco = "alpine:" + branch;
  // One advisory per CVE of this branch file, keyed and ordered by id.
  std::map<std::string, Advisory> by_id;
  for (const auto& entry : Get(j, "packages")) {
    const auto& pkg = Get(entry, "pkg");
    const std::string name = Str(pkg, "name");
    const auto& fixes = Get(pkg, "secfixes");
    if (name.empty()) {
      warnings.push_back("package entry without a name");
      continue;
    }
    if (!fixes.is_object()) continue;
    for (const auto& [version, ids] : fixes.items()) {
      std::vector<std::string> tokens;
      auto take = [&](const std::string& s) {
        size_t i = 0;
        while (i < s.size()) {
          while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
          size_t e = i;
          while (e < s.size() && s[e] != ' ' && s[e] != '\t') ++e;
          if (e > i) tokens.push_back(s.substr(i, e - i));
          i = e;
        }
      };
      if (ids.is_array()) {
        for (const auto& id : ids) {
          if (id.is_string()) take(id.get<std::string>());
        }
      } else if (ids.is_string()) {
        take(ids.get<std::string>());
      }
      for (const auto& id : tokens) {
        // Ids look like CVE-2019-1234, XSA-123, GHSA-…; a trailing comment
        // word such as "(backport)" is not an id.
        if (id.empty() || id[0] == '(' || id.find('-') == std::string::npos) continue;
        Advisory& a = by_id[id];
        if (a.id.empty()) {
          a.id = id;
          a.source = "alpine-secdb";
          a.title = id + " in Alpine " + branch;
        }
        Affected aff;
        aff.ecosystem = eco;
        aff.package = name;
        aff.range_type = "DISTRO";
        if (version == "0") {
          aff.status = "not_affected";
        } else {
          aff.status = "fixed";
          aff.ranges.push_back(AffectedRange{"", version, "", ""});
        }
        a.affected.push_back(std::move(aff));
      }
    }
  }
  std::vector<Advisory> out;
  out.reserve(by_id.size());
  for (auto& [id, a] : by_id) out.push_back(std::move(a));
  return out;
}

Status ImportAlpineSecdb(const std::string& path, const AdvisorySink& sink, ImportStats& stats) {
  if (stats.source.empty()) stats.source = "alpine-secdb";
  std::vector<std::string> warnings;
  auto want = [](const std::string& n) {
    return (n.size() > 5 && n.compare(n.size() - 5, 5, ".yaml") == 0) ||
           (n.size() > 4 && n.compare(n.size() - 4, 4, ".yml") == 0);
  };
  return importer::ForEachFile(path, want, [&](const std::string& name, std::string_view bytes) {
    return importer::Deliver(name, ParseAlpineSecdb(bytes, warnings), warnings, sink, stats);
  });
}

}  // namespace drydock
