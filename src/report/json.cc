// The JSON report. Field names and the omission rule are a public contract,
// documented in docs/json-format.md: keep the two in step, and only add
// fields within a schema_version.
#include <string>

#include <nlohmann/json.hpp>

#include "report/common.h"
#include "report/json_objects.h"
#include "report/report.h"

namespace drydock {
namespace report {
namespace {

// 2: `suppressed` (findings an ignore file, policy or VEX suppressed) and a
// finding's `vex` note.
constexpr int kSchemaVersion = 2;

template <class Str>
Json StringArray(const std::vector<Str>& values) {
  Json arr = Json::array();
  for (const std::string& v : values) arr.push_back(v);
  return arr;
}

}  // namespace

void WriteSpliced(std::string_view skeleton, const std::vector<ArraySplice>& splices, const ReportSink& out) {
  size_t at = 0;
  for (const ArraySplice& s : splices) {
    const std::string pad(static_cast<size_t>(s.depth) * 2, ' ');
    const std::string head = "\n" + pad + Json(s.key).dump() + ": ";
    const std::string needle = head + Json(s.mark).dump();
    const size_t hit = skeleton.find(needle, at);
    if (hit == std::string_view::npos) continue;  // a document without that key
    out(skeleton.substr(at, hit + head.size() - at));
    at = hit + needle.size();
    if (s.n == 0) {
      out("[]");
      continue;
    }
    const std::string inner = "\n" + pad + "  ";
    std::string piece = "[";
    for (size_t i = 0; i < s.n; ++i) {
      const std::string e = s.element(i).dump(2, ' ', false, Json::error_handler_t::replace);
      piece += i == 0 ? inner : "," + inner;
      // Re-indent the element's own lines (a dumped string never holds a
      // raw newline, so every newline is a line break of the layout).
      size_t from = 0;
      for (size_t nl = e.find('\n'); nl != std::string::npos; nl = e.find('\n', from)) {
        piece.append(e, from, nl - from);
        piece += inner;
        from = nl + 1;
      }
      piece.append(e, from, std::string::npos);
      if (piece.size() >= (1u << 16)) {
        out(piece);
        piece.clear();
      }
    }
    piece += "\n" + pad + "]";
    out(piece);
  }
  out(skeleton.substr(at));
}

void PutString(Json& obj, const char* key, const std::string& value) {
  if (!value.empty()) obj[key] = value;
}

Json OsJson(const std::optional<OsRelease>& os) {
  if (!os) return nullptr;
  Json j = Json::object();
  PutString(j, "id", os->id);
  PutString(j, "version_id", os->version_id);
  PutString(j, "codename", os->version_codename);
  PutString(j, "pretty_name", os->pretty_name);
  if (os->distroless) j["distroless"] = true;
  return j;
}

Json LayerJson(const LayerSummary& layer) {
  Json j = Json::object();
  j["index"] = layer.index;
  PutString(j, "diff_id", layer.diff_id);
  PutString(j, "blob_digest", layer.blob_digest);
  PutString(j, "media_type", layer.media_type);
  PutString(j, "compression", layer.compression);
  j["blob_bytes"] = layer.blob_bytes;
  j["tar_bytes"] = layer.tar_bytes;
  j["files"] = layer.files;
  PutString(j, "created_by", layer.created_by);
  return j;
}

namespace {

Json ArtifactJson(const ScanResult& scan) {
  const ImageInfo& image = scan.image;
  const ImageConfig& config = image.config;
  Json j = Json::object();
  PutString(j, "source_kind", image.source_kind);
  PutString(j, "reference", image.reference);
  j["repo_tags"] = StringArray(image.repo_tags);
  PutString(j, "image_id", image.config_digest.str());
  PutString(j, "manifest_digest", image.manifest_digest.str());
  j["os"] = OsJson(scan.summary.os);
  PutString(j, "architecture", config.architecture);
  PutString(j, "variant", config.variant);
  PutString(j, "os_name", config.os);
  PutString(j, "user", config.user);
  j["entrypoint"] = StringArray(config.entrypoint);
  j["cmd"] = StringArray(config.cmd);
  PutString(j, "working_dir", config.working_dir);
  j["exposed_ports"] = StringArray(config.exposed_ports);
  j["volumes"] = StringArray(config.volumes);
  j["labels"] = Json::object();
  for (const auto& [key, value] : config.labels) j["labels"][key] = value;
  // Only the count: ENV values are where secrets are most often passed.
  j["env_count"] = config.env.size();
  j["healthcheck"] = config.healthcheck ? StringArray(config.healthcheck->test) : Json(nullptr);
  PutString(j, "created", config.created);
  j["layers"] = Json::array();
  for (const LayerSummary& layer : scan.summary.layers) j["layers"].push_back(LayerJson(layer));
  j["total_tar_bytes"] = scan.summary.total_tar_bytes;
  j["total_blob_bytes"] = scan.summary.total_blob_bytes;
  j["files"] = scan.summary.files;
  return j;
}

Json LocationJson(const Location& loc) {
  Json j = Json::object();
  if (loc.layer_index >= 0) j["layer_index"] = loc.layer_index;
  PutString(j, "diff_id", loc.diff_id);
  PutString(j, "created_by", loc.created_by);
  PutString(j, "path", loc.path);
  if (loc.line > 0) j["line"] = loc.line;
  if (loc.column > 0) j["column"] = loc.column;
  PutString(j, "config_field", loc.config_field);
  return j;
}

Json VulnerabilityJson(const VulnerabilityDetail& v) {
  Json j = Json::object();
  j["id"] = v.id;
  j["aliases"] = StringArray(v.aliases);
  j["package"] = v.package_name;
  PutString(j, "package_id", v.package_id);
  PutString(j, "purl", v.purl);
  j["installed_version"] = v.installed_version;
  j["fixed_versions"] = StringArray(v.fixed_versions);
  j["status"] = v.status;
  PutString(j, "severity_source", v.severity_source);
  j["cvss"] = Json::array();
  for (const auto& c : v.cvss) {
    j["cvss"].push_back(Json{{"version", c.version}, {"vector", c.vector}, {"base_score", c.score}});
  }
  PutString(j, "data_source", v.data_source);
  PutString(j, "published", v.published);
  return j;
}

// findings[].vex and suppressed[].suppression: the omission rule holds.
Json SuppressionJson(const Suppression& s, bool with_kind) {
  Json j = Json::object();
  if (with_kind) PutString(j, "kind", s.kind);
  PutString(j, "status", s.status);
  PutString(j, "source", s.source);
  PutString(j, "reason", s.reason);
  PutString(j, "justification", s.justification);
  PutString(j, "expires", s.expires);
  return j;
}

}  // namespace

Json FindingJson(const Finding& f) {
  Json j = Json::object();
  PutString(j, "id", f.fingerprint);
  PutString(j, "rule_id", f.rule_id);
  j["kind"] = FindingKindName(f.kind);
  j["severity"] = SeverityName(f.severity);
  PutString(j, "title", f.title);
  PutString(j, "description", f.description);
  PutString(j, "remediation", f.remediation);
  j["location"] = LocationJson(f.location);
  if (!f.more_locations.empty()) {
    j["more_locations"] = Json::array();
    for (const Location& l : f.more_locations) j["more_locations"].push_back(LocationJson(l));
  }
  PutString(j, "evidence", f.evidence);
  j["references"] = StringArray(f.references);
  if (f.vuln) j["vulnerability"] = VulnerabilityJson(*f.vuln);
  if (f.vex_note) j["vex"] = SuppressionJson(*f.vex_note, false);
  if (f.suppression) j["suppression"] = SuppressionJson(*f.suppression, true);
  return j;
}

Json PackageJson(const Package& p) {
  Json j = Json::object();
  PutString(j, "id", p.id);
  PutString(j, "type", p.type);
  PutString(j, "namespace", p.namespace_);
  PutString(j, "name", p.name);
  PutString(j, "version", p.version);
  PutString(j, "arch", p.arch);
  PutString(j, "source_name", p.source_name);
  PutString(j, "source_version", p.source_version);
  j["licenses"] = StringArray(p.licenses);
  PutString(j, "purl", p.purl);
  if (p.layer_index >= 0) j["layer_index"] = p.layer_index;
  PutString(j, "diff_id", p.diff_id);
  PutString(j, "created_by", p.created_by);
  j["evidence"] = Json::array();
  for (const PackageEvidence& e : p.evidence) {
    Json ej = Json::object();
    PutString(ej, "cataloger", e.cataloger);
    PutString(ej, "path", e.path);
    PutString(ej, "inner", e.inner);
    if (e.layer_index >= 0) ej["layer_index"] = e.layer_index;
    j["evidence"].push_back(std::move(ej));
  }
  j["metadata"] = Json::object();
  for (const auto& [k, v] : p.metadata) j["metadata"][k] = v;
  return j;
}

namespace {

Json SummaryJson(const report::FindingList& findings) {
  const report::SeverityCounts counts = report::CountBySeverity(findings);
  Json j = Json::object();
  for (Severity s : report::kSeveritiesDescending) {
    j[std::string(SeverityName(s))] = counts[static_cast<size_t>(s)];
  }
  return j;
}

}  // namespace
}  // namespace report

std::string RenderJson(const ScanResult& scan, const ReportOptions& opts) {
  std::string out;
  RenderJsonTo(scan, opts, [&](std::string_view piece) { out.append(piece); });
  return out;
}

void RenderJsonTo(const ScanResult& scan, const ReportOptions& opts, const report::ReportSink& out) {
  using report::Json, report::PutString, report::StringArray;
  const report::FindingList findings = report::PreparedFindings(scan);
  Json doc = Json::object();
  doc["schema_version"] = report::kSchemaVersion;
  doc["tool"] = {{"name", "drydock"}, {"version", report::ToolVersion(opts.tool_version)}};
  PutString(doc, "target", scan.target);
  doc["artifact"] = report::ArtifactJson(scan);
  doc["scanners"] = StringArray(scan.scanners);
  doc["partial"] = !scan.diagnostics.empty();
  doc["diagnostics"] = Json::array();
  for (const Diagnostic& d : scan.diagnostics) {
    Json j = Json::object();
    PutString(j, "where", d.where);
    PutString(j, "message", d.message);
    doc["diagnostics"].push_back(std::move(j));
  }
  if (scan.inventory) {
    // Present only when the inventory ran (--list-all-pkgs, sbom).
    doc["packages"] = Json::array();
    for (const Package& p : scan.inventory->packages) doc["packages"].push_back(report::PackageJson(p));
  }
  doc["summary"] = report::SummaryJson(findings);
  // The two arrays that grow with the scan are streamed (WriteSpliced).
  const report::FindingList suppressed = report::PreparedSuppressed(scan);
  doc["findings"] = "\x01" "findings";
  // Left out of `findings`, `summary` and the --exit-code gate; each says why.
  doc["suppressed"] = "\x01" "suppressed";
  if (!scan.outcomes.empty()) {
    // Live audits only (containers, host): every check result, PASS included.
    doc["outcomes"] = Json::array();
    for (const CheckOutcome& o : scan.outcomes) {
      Json j = Json::object();
      j["id"] = o.id;
      j["level"] = o.level;
      j["status"] = CheckStatusName(o.status);
      j["title"] = o.title;
      j["target"] = o.target;
      PutString(j, "evidence", o.evidence);
      PutString(j, "remediation", o.remediation);
      doc["outcomes"].push_back(std::move(j));
    }
  }
  // Names from tar headers need not be UTF-8; replace (U+FFFD) rather than
  // throw, so a hostile file name cannot stop the report.
  const std::string skeleton = doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  doc = Json();
  report::WriteSpliced(skeleton,
                       {{"findings", "\x01" "findings", 1, findings.size(),
                         [&](size_t i) { return report::FindingJson(findings[i]); }},
                        {"suppressed", "\x01" "suppressed", 1, suppressed.size(),
                         [&](size_t i) { return report::FindingJson(suppressed[i]); }}},
                       out);
}

}  // namespace drydock
