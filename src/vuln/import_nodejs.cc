// Node.js security-wg vuln/npm/<n>.json: the legacy npm advisory format
// (id, module_name, cves, vulnerable_versions and patched_versions as
// node-semver ranges, title, overview, references, cvss_vector).
#include "vuln/import_common.h"
#include "vuln/importers.h"
#include "vuln/semver_range.h"

namespace drydock {
using importer::Get;
using importer::Str;
using importer::Strs;

Result<std::vector<Advisory>> ParseNodeNpm(std::string_view bytes, std::vector<std::string>& warnings) {
  ASSIGN_OR_RETURN(nlohmann::json j, importer::ParseJson(bytes));
  if (!j.is_object()) return InputError("nodejs: not an object");
  const std::string num = Str(j, "id");
  const std::string module = Str(j, "module_name");
  const std::string vulnerable = importer::Trim(Str(j, "vulnerable_versions"));
  if (num.empty() || module.empty()) return InputError("nodejs: missing id or module_name");
  Advisory a;
  a.source = "nodejs-npm";
  a.id = "NSWG-ECO-" + num;
  a.aliases = Strs(j, "cves");
  a.title = importer::Truncate(Str(j, "title"), 512);
  a.description = importer::Truncate(Str(j, "overview"), 2048);
  a.published = Str(j, "publish_date");
  a.modified = Str(j, "updated_at");
  a.references = Strs(j, "references");
  if (std::string v = Str(j, "cvss_vector"); v.rfind("CVSS:3", 0) == 0 || v.rfind("CVSS:4", 0) == 0) {
    a.cvss.emplace_back(v.substr(5, 3), v);
  }
  Affected aff;
  aff.ecosystem = "npm";
  aff.package = module;
  aff.range_type = "SEMVER";
  aff.raw_range = vulnerable.empty() ? "*" : vulnerable;
  // The same set as OSV events, for showing fixed versions.
  auto sets = ParseSemverRange(aff.raw_range);
  if (!sets.ok()) return sets.error().Wrap(a.id + ": vulnerable_versions");
  std::vector<importer::Interval> intervals;
  for (const auto& set : *sets) {
    importer::Interval iv;
    bool empty = false;
    for (const auto& c : set) {
      auto tighten_lo = [&](const std::string& v, bool incl) -> Status {
        if (iv.lo.empty()) {
          iv.lo = v;
          iv.lo_incl = incl;
          return Ok();
        }
        ASSIGN_OR_RETURN(int r, CompareSemver(v, iv.lo));
        if (r > 0 || (r == 0 && !incl)) {
          iv.lo = v;
          iv.lo_incl = incl;
        }
        return Ok();
      };
      auto tighten_hi = [&](const std::string& v, bool incl) -> Status {
        if (iv.hi.empty()) {
          iv.hi = v;
          iv.hi_incl = incl;
          return Ok();
        }
        ASSIGN_OR_RETURN(int r, CompareSemver(v, iv.hi));
        if (r < 0 || (r == 0 && !incl)) {
          iv.hi = v;
          iv.hi_incl = incl;
        }
        return Ok();
      };
      // "x.y.z-0" bounds are node-semver's way to exclude prereleases of x.y.z.
      std::string v = c.version;
      if (v.size() > 2 && v.compare(v.size() - 2, 2, "-0") == 0) v.resize(v.size() - 2);
      if (c.op == ">=")
        RETURN_IF_ERROR(tighten_lo(v, true));
      else if (c.op == ">")
        RETURN_IF_ERROR(tighten_lo(v, false));
      else if (c.op == "<")
        RETURN_IF_ERROR(tighten_hi(v, false));
      else if (c.op == "<=")
        RETURN_IF_ERROR(tighten_hi(v, true));
      else if (c.op == "=") {
        RETURN_IF_ERROR(tighten_lo(v, true));
        RETURN_IF_ERROR(tighten_hi(v, true));
      }
      if (c.version == "0.0.0-0" && c.op == "<") empty = true;
    }
    if (!empty) intervals.push_back(std::move(iv));
  }
  auto ranges = importer::IntervalsToRanges(std::move(intervals), VersionScheme::kSemver);
  if (ranges.ok())
    aff.ranges = std::move(*ranges);
  else
    warnings.push_back(a.id + ": " + ranges.error().message);
  a.affected.push_back(std::move(aff));
  return std::vector<Advisory>{std::move(a)};
}

Status ImportNodeNpm(const std::string& path, const AdvisorySink& sink, ImportStats& stats) {
  if (stats.source.empty()) stats.source = "nodejs-npm";
  std::vector<std::string> warnings;
  auto want = [](const std::string& n) {
    const std::string base = n.substr(n.find_last_of("/!") + 1);
    return base.size() > 5 && base.compare(base.size() - 5, 5, ".json") == 0 && base != "index.json";
  };
  return importer::ForEachFile(path, want, [&](const std::string& name, std::string_view bytes) {
    return importer::Deliver(name, ParseNodeNpm(bytes, warnings), warnings, sink, stats);
  });
}

}  // namespace drydock
