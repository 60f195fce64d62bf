// The compare report as JSON. Field names and the omission rule are a
// public contract, documented in docs/json-format.md ("The compare
// report"); the embedded finding, package and layer objects are the scan
// report's.
#include <string>

#include "report/common.h"
#include "report/compare.h"
#include "report/json_objects.h"

namespace drydock {
namespace {

using report::Json;
using report::PutString;

constexpr int kCompareSchemaVersion = 1;

Json SideJson(const CompareSide& s) {
  Json j = Json::object();
  PutString(j, "target", s.target);
  PutString(j, "image_id", s.image_id);
  PutString(j, "manifest_digest", s.manifest_digest);
  PutString(j, "platform", s.platform);
  j["os"] = report::OsJson(s.os);
  j["scanners"] = s.scanners;
  j["partial"] = s.diagnostics > 0;
  j["layers"] = s.layers;
  j["total_tar_bytes"] = s.total_tar_bytes;
  j["total_blob_bytes"] = s.total_blob_bytes;
  j["files"] = s.files;
  j["packages"] = s.packages ? Json(*s.packages) : Json(nullptr);
  j["vulnerabilities"] = s.vulnerabilities;
  j["findings"] = s.findings;
  return j;
}

Json Change(int64_t a, int64_t b) { return Json{{"a", a}, {"b", b}, {"change", b - a}}; }

Json BySeverity(const std::vector<Finding>& findings) {
  const report::SeverityCounts counts = report::CountBySeverity(findings);
  Json j = Json::object();
  for (Severity s : report::kSeveritiesDescending) j[std::string(SeverityName(s))] = counts[static_cast<size_t>(s)];
  return j;
}

Json Findings(const std::vector<Finding>& findings) {
  Json arr = Json::array();
  for (const Finding& f : findings) arr.push_back(report::FindingJson(f));
  return arr;
}

Json Packages(const std::vector<Package>& packages) {
  Json arr = Json::array();
  for (const Package& p : packages) arr.push_back(report::PackageJson(p));
  return arr;
}

Json Layers(const std::vector<LayerSummary>& layers) {
  Json arr = Json::array();
  for (const LayerSummary& l : layers) arr.push_back(report::LayerJson(l));
  return arr;
}

Json SummaryJson(const Comparison& c) {
  Json j = Json::object();
  j["size"] = {{"tar_bytes", Change(c.a.total_tar_bytes, c.b.total_tar_bytes)},
               {"blob_bytes", Change(c.a.total_blob_bytes, c.b.total_blob_bytes)},
               {"files", Change(c.a.files, c.b.files)}};
  j["layers"] = {
      {"shared", c.layers_shared.size()}, {"only_a", c.layers_only_a.size()}, {"only_b", c.layers_only_b.size()}};
  j["packages"] = {{"compared", c.packages_compared},
                   {"added", c.packages_added.size()},
                   {"removed", c.packages_removed.size()},
                   {"changed", c.packages_changed.size()},
                   {"unchanged", c.packages_unchanged}};
  j["vulnerabilities"] = {{"compared", c.vulnerabilities_compared},
                          {"new", c.vulnerabilities_new.size()},
                          {"fixed", c.vulnerabilities_fixed.size()},
                          {"unchanged", c.vulnerabilities_unchanged},
                          {"new_by_severity", BySeverity(c.vulnerabilities_new)},
                          {"fixed_by_severity", BySeverity(c.vulnerabilities_fixed)}};
  j["findings"] = {{"added", c.findings_added.size()},
                   {"removed", c.findings_removed.size()},
                   {"unchanged", c.findings_unchanged},
                   {"added_by_severity", BySeverity(c.findings_added)},
                   {"removed_by_severity", BySeverity(c.findings_removed)}};
  j["introduced"] = Introduced(c).size();
  return j;
}

}  // namespace

std::string RenderCompareJson(const Comparison& c, const ReportOptions& opts) {
  Json doc = Json::object();
  doc["schema_version"] = kCompareSchemaVersion;
  doc["report"] = "compare";
  doc["tool"] = {{"name", "drydock"}, {"version", report::ToolVersion(opts.tool_version)}};
  doc["a"] = SideJson(c.a);
  doc["b"] = SideJson(c.b);
  doc["summary"] = SummaryJson(c);

  Json changed = Json::array();
  for (const PackageChange& ch : c.packages_changed) {
    Json j = Json::object();
    PutString(j, "type", ch.a.type);
    PutString(j, "name", ch.a.FullName());
    PutString(j, "arch", ch.a.arch);
    PutString(j, "from", ch.a.version);
    PutString(j, "to", ch.b.version);
    j["a"] = report::PackageJson(ch.a);
    j["b"] = report::PackageJson(ch.b);
    changed.push_back(std::move(j));
  }
  doc["packages"] = {
      {"added", Packages(c.packages_added)}, {"removed", Packages(c.packages_removed)}, {"changed", changed}};
  doc["vulnerabilities"] = {{"new", Findings(c.vulnerabilities_new)}, {"fixed", Findings(c.vulnerabilities_fixed)}};
  doc["findings"] = {{"added", Findings(c.findings_added)}, {"removed", Findings(c.findings_removed)}};

  Json shared = Json::array();
  for (const SharedLayer& l : c.layers_shared) {
    Json j = Json::object();
    PutString(j, "diff_id", l.b.diff_id);
    j["a_index"] = l.a.index;
    j["b_index"] = l.b.index;
    j["tar_bytes"] = l.b.tar_bytes;
    j["files"] = l.b.files;
    PutString(j, "created_by", l.b.created_by);
    shared.push_back(std::move(j));
  }
  doc["layers"] = {{"shared", shared}, {"only_a", Layers(c.layers_only_a)}, {"only_b", Layers(c.layers_only_b)}};
  // Names from tar headers need not be UTF-8: replaced (U+FFFD), never thrown.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace drydock
