// Node.js security-wg vuln/npm/<n>.json: the legacy npm advisory format
// (id, module_name, cves, vulnerable_versions and patched_versions as
// node-semver ranges, title, overview, references, cvss_vector).
#include <algorithm>

#include "vuln/feed/common.h"
#include "vuln/feed/importers.h"
#include "vuln/version/semver_range.h"

namespace drydock {
using importer::Get;
using importer::Str;
using importer::Strs;

namespace {

// "<=1.5.1" vulnerable with ">=1.5.2" patched: the advisory's fixed version
// is 1.5.2, not "last affected 1.5.1". Each interval that ends at an
// inclusive bound takes the lowest patched lower bound above it as its
// exclusive end, unless another interval starts in between.
Status FixFromPatched(std::string_view patched, std::vector<importer::Interval>& intervals) {
  if (patched.empty()) return Ok();
  ASSIGN_OR_RETURN(auto sets, ParseSemverRange(patched));
  std::vector<std::string> bounds;
  for (const auto& set : sets) {
    for (const auto& c : set) {
      if (c.op != ">=") continue;
      std::string v = c.version;
      if (v.size() > 2 && v.compare(v.size() - 2, 2, "-0") == 0) v.resize(v.size() - 2);
      bounds.push_back(std::move(v));
    }
  }
  auto above = [](const std::string& v, const std::string& floor) {
    auto r = CompareSemver(v, floor);
    return r.ok() && *r > 0;
  };
  for (auto& iv : intervals) {
    if (iv.hi.empty() || !iv.hi_incl) continue;
    const std::string* best = nullptr;
    for (const auto& b : bounds) {
      if (above(b, iv.hi) && (best == nullptr || above(*best, b))) best = &b;
    }
    if (best == nullptr) continue;
    const bool overlaps = std::any_of(intervals.begin(), intervals.end(), [&](const importer::Interval& o) {
      return &o != &iv && !o.lo.empty() && above(o.lo, iv.hi) && !above(o.lo, *best) && o.lo != *best;
    });
    if (overlaps) continue;
    iv.hi = *best;
    iv.hi_incl = false;
  }
  return Ok();
}

}  // namespace

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
  if (auto s = FixFromPatched(importer::Trim(Str(j, "patched_versions")), intervals); !s.ok()) {
    warnings.push_back(a.id + ": patched_versions: " + s.error().message);
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
