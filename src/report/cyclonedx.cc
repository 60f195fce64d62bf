// CycloneDX 1.6 JSON: the image as metadata.component, the OS as an
// "operating-system" component, one "library" component per package.
// Validated against the 1.6 schema by tests/integration/inventory_sbom.sh;
// field choices are documented in docs/sbom.md.
#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/common.h"
#include "report/report.h"
#include "report/sbom_common.h"

namespace drydock {
namespace {

using Json = nlohmann::ordered_json;
using report::License;
using report::LicenseKind;

constexpr char kSchemaUri[] = "http://cyclonedx.org/schema/bom-1.6.schema.json";
constexpr size_t kMaxCreatedBy = 200;  // properties stay short; the json report has the full text

void AddProperty(Json& props, std::string name, std::string value) {
  if (value.empty()) return;
  props.push_back({{"name", std::move(name)}, {"value", std::move(value)}});
}

// CycloneDX wants either a list of single licenses or exactly one
// expression. All-SPDX input that includes an expression becomes one
// expression joined with AND; input with a non-SPDX name stays a list, the
// names (and any expression, as syft does) as named licenses.
Json LicensesJson(const Package& p) {
  const std::vector<License> licenses = report::PackageLicenses(p);
  bool has_other = false;
  bool has_expression = false;
  for (const License& l : licenses) {
    has_other = has_other || l.kind == LicenseKind::kOther;
    has_expression = has_expression || l.kind == LicenseKind::kExpression;
  }
  Json out = Json::array();
  if (!has_other && has_expression) {
    out.push_back({{"expression", report::JoinLicenses(licenses, [](const std::string& s) { return s; })}});
    return out;
  }
  for (const License& l : licenses) {
    if (l.kind == LicenseKind::kId) {
      out.push_back({{"license", {{"id", l.text}}}});
    } else {
      out.push_back({{"license", {{"name", l.text}}}});
    }
  }
  return out;
}

// Group for the ecosystems whose names have one (Maven group, npm scope,
// Composer vendor); others print their full name.
bool UsesGroup(const Package& p) {
  return p.type == pkgtype::kMaven || p.type == pkgtype::kNpm || p.type == pkgtype::kComposer;
}

Json EvidenceJson(const Package& p) {
  Json occurrences = Json::array();
  for (const PackageEvidence& e : p.evidence) {
    Json o = {{"location", e.Location()}};
    std::string context = e.cataloger.empty() ? std::string() : "cataloger: " + e.cataloger;
    if (e.layer_index >= 0) context += fmt::format("{}layer_index: {}", context.empty() ? "" : "; ", e.layer_index);
    if (!context.empty()) o["additionalContext"] = context;
    occurrences.push_back(std::move(o));
  }
  return {{"occurrences", std::move(occurrences)}};
}

Json PackageProperties(const Package& p) {
  Json props = Json::array();
  AddProperty(props, "drydock:package_type", p.type);
  AddProperty(props, "drydock:arch", p.arch);
  AddProperty(props, "drydock:source_name", p.source_name);
  AddProperty(props, "drydock:source_version", p.source_version);
  if (p.layer_index >= 0) AddProperty(props, "drydock:layer_index", std::to_string(p.layer_index));
  AddProperty(props, "drydock:layer_diff_id", p.diff_id);
  AddProperty(props, "drydock:created_by", report::TruncateUtf8(p.created_by, kMaxCreatedBy));
  std::vector<std::string> catalogers;
  for (const PackageEvidence& e : p.evidence) {
    if (!e.cataloger.empty() && std::find(catalogers.begin(), catalogers.end(), e.cataloger) == catalogers.end()) {
      catalogers.push_back(e.cataloger);
    }
  }
  for (std::string& c : catalogers) AddProperty(props, "drydock:cataloger", std::move(c));
  for (const auto& [key, value] : p.metadata) AddProperty(props, "drydock:meta:" + key, value);
  return props;
}

Json ComponentJson(const Package& p) {
  Json c = Json::object();
  c["type"] = "library";
  c["bom-ref"] = p.id;
  if (UsesGroup(p) && !p.namespace_.empty()) {
    c["group"] = p.namespace_;
    c["name"] = p.name;
  } else {
    c["name"] = p.FullName();
  }
  if (!p.version.empty()) c["version"] = p.version;
  if (Json licenses = LicensesJson(p); !licenses.empty()) c["licenses"] = std::move(licenses);
  c["purl"] = p.purl;
  if (!p.evidence.empty()) c["evidence"] = EvidenceJson(p);
  if (Json props = PackageProperties(p); !props.empty()) c["properties"] = std::move(props);
  return c;
}

std::string OsRef(const OsRelease& os) { return "os:" + os.id + (os.version_id.empty() ? "" : "@" + os.version_id); }

Json OsComponentJson(const OsRelease& os) {
  Json c = Json::object();
  c["type"] = "operating-system";
  c["bom-ref"] = OsRef(os);
  c["name"] = os.id;
  if (!os.version_id.empty()) c["version"] = os.version_id;
  if (!os.pretty_name.empty()) c["description"] = os.pretty_name;
  Json props = Json::array();
  AddProperty(props, "drydock:os:codename", os.version_codename);
  AddProperty(props, "drydock:os:source_path", os.source_path);
  if (!props.empty()) c["properties"] = std::move(props);
  return c;
}

Json ImageComponentJson(const ScanResult& scan, const std::string& ref, const std::string& purl) {
  const ImageInfo& image = scan.image;
  Json c = Json::object();
  c["type"] = "container";
  c["bom-ref"] = ref;
  c["name"] = report::ImageDisplayName(scan);
  if (std::string v = report::ImageVersion(scan); !v.empty()) c["version"] = std::move(v);
  if (!purl.empty()) c["purl"] = purl;
  Json props = Json::array();
  AddProperty(props, "drydock:image:id", image.config_digest.str());
  AddProperty(props, "drydock:image:manifest_digest", image.manifest_digest.str());
  AddProperty(props, "drydock:image:source_kind", image.source_kind);
  for (const std::string& tag : image.repo_tags) AddProperty(props, "drydock:image:repo_tag", tag);
  AddProperty(props, "drydock:image:os", image.config.os);
  AddProperty(props, "drydock:image:architecture", image.config.architecture);
  AddProperty(props, "drydock:image:variant", image.config.variant);
  for (const Layer& l : image.layers) {
    if (!l.diff_id.empty()) AddProperty(props, "drydock:image:layer_diff_id", l.diff_id.str());
  }
  if (!props.empty()) c["properties"] = std::move(props);
  return c;
}

Json MetadataProperties(const ScanResult& scan) {
  Json props = Json::array();
  if (const auto& os = scan.summary.os) {
    AddProperty(props, "drydock:os", os->pretty_name.empty() ? os->id + " " + os->version_id : os->pretty_name);
    AddProperty(props, "drydock:os:id", os->id);
    AddProperty(props, "drydock:os:version_id", os->version_id);
  }
  AddProperty(props, "drydock:target", scan.target);
  // The scan's diagnostics include the inventory's; a scan built by hand may
  // carry only the latter.
  const std::vector<Diagnostic>& diags =
      !scan.diagnostics.empty() || !scan.inventory ? scan.diagnostics : scan.inventory->diagnostics;
  AddProperty(props, "drydock:partial", diags.empty() ? "false" : "true");
  for (const Diagnostic& d : diags) AddProperty(props, "drydock:diagnostic", d.where + ": " + d.message);
  if (scan.inventory) {
    for (const std::string& c : scan.inventory->catalogers) AddProperty(props, "drydock:cataloger_ran", c);
  }
  return props;
}

}  // namespace

std::string_view RatingMethod(std::string_view cvss_version) {
  if (cvss_version == "4.0") return "CVSSv4";
  if (cvss_version == "3.1") return "CVSSv31";
  if (cvss_version == "3.0") return "CVSSv3";
  if (cvss_version == "2.0") return "CVSSv2";
  return "other";
}

// CVSS qualitative rating of a base score (the same bands in 3.x and 4.0).
std::string_view RatingOfScore(double score) {
  if (score >= 9.0) return "critical";
  if (score >= 7.0) return "high";
  if (score >= 4.0) return "medium";
  if (score > 0.0) return "low";
  return "none";
}

std::string LowerSeverity(Severity s) {
  std::string out(SeverityName(s));
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// OpenVEX's not_affected justifications in CycloneDX's words.
std::string_view CdxJustification(std::string_view j) {
  if (j == "component_not_present" || j == "vulnerable_code_not_present") return "code_not_present";
  if (j == "vulnerable_code_not_in_execute_path") return "code_not_reachable";
  if (j == "vulnerable_code_cannot_be_controlled_by_adversary") return "requires_environment";
  if (j == "inline_mitigations_already_exist") return "protected_by_mitigating_control";
  return j;  // already CycloneDX's (a CycloneDX VEX input), or empty
}

// vulnerabilities[].analysis for a suppressed finding or one a VEX statement
// is about. CycloneDX has no "accepted risk": an ignore file or policy entry
// is written as not_affected with the reason in `detail`, so that a tool
// reading this BOM as VEX suppresses it too.
Json AnalysisJson(const Suppression& why) {
  Json a = Json::object();
  std::string_view justification;
  if (why.kind != "vex") {
    a["state"] = "not_affected";
  } else if (why.status == "fixed") {
    a["state"] = "resolved";
  } else if (why.status == "under_investigation") {
    a["state"] = "in_triage";
  } else if (why.status == "affected") {
    a["state"] = "exploitable";
  } else if (why.justification == "false_positive") {
    a["state"] = "false_positive";
  } else {
    a["state"] = "not_affected";
    justification = CdxJustification(why.justification);
  }
  if (!justification.empty()) a["justification"] = justification;
  a["detail"] = fmt::format("{} ({} {})", why.reason, why.kind == "vex" ? "VEX" : why.kind, why.source);
  return a;
}

// The vulnerability findings as CycloneDX vulnerabilities (the SBOM is then
// also a VEX document): each affects the component of its package.
// Suppressed ones are included with their analysis.
Json VulnerabilitiesJson(const ScanResult& scan, const std::vector<Package>& packages) {
  std::set<std::string> refs;
  for (const Package& p : packages) refs.insert(p.id);
  Json out = Json::array();
  report::FindingList findings = report::PreparedFindings(scan);
  findings.Append(report::PreparedSuppressed(scan));
  for (const Finding& f : findings) {
    if (f.kind != FindingKind::kVulnerability || !f.vuln || !refs.count(f.vuln->package_id)) continue;
    const VulnerabilityDetail& v = *f.vuln;
    Json j = Json::object();
    j["bom-ref"] = "vuln:" + f.fingerprint;
    j["id"] = v.id;
    if (!v.data_source.empty()) j["source"] = {{"name", v.data_source}};
    Json ratings = Json::array();
    for (const auto& c : v.cvss) {
      ratings.push_back({{"score", c.score},
                         {"severity", RatingOfScore(c.score)},
                         {"method", RatingMethod(c.version)},
                         {"vector", c.vector}});
    }
    if (ratings.empty() || v.severity_source == "distro" || v.severity_source == "advisory") {
      Json r = {{"severity", LowerSeverity(f.severity)}, {"method", "other"}};
      if (!v.severity_source.empty()) r["source"] = {{"name", v.severity_source}};
      ratings.push_back(std::move(r));
    }
    j["ratings"] = std::move(ratings);
    if (!v.aliases.empty()) {
      Json refs_json = Json::array();
      for (const auto& a : v.aliases) refs_json.push_back({{"id", a}, {"source", {{"name", v.data_source}}}});
      j["references"] = std::move(refs_json);
    }
    if (!f.title.empty()) j["description"] = f.title;
    if (!f.remediation.empty()) j["recommendation"] = f.remediation;
    Json advisories = Json::array();
    for (const auto& r : f.references) {
      if (r.starts_with("https://") || r.starts_with("http://")) advisories.push_back({{"url", r}});
    }
    if (!advisories.empty()) j["advisories"] = std::move(advisories);
    if (!v.published.empty()) j["published"] = v.published;
    Json versions = Json::array({{{"version", v.installed_version}, {"status", "affected"}}});
    for (const auto& fx : v.fixed_versions) versions.push_back({{"version", fx}, {"status", "unaffected"}});
    if (f.suppression) {
      j["analysis"] = AnalysisJson(*f.suppression);
    } else if (f.vex_note) {
      j["analysis"] = AnalysisJson(*f.vex_note);
    }
    j["affects"] = Json::array({{{"ref", v.package_id}, {"versions", std::move(versions)}}});
    out.push_back(std::move(j));
  }
  return out;
}

std::string RenderCycloneDx(const ScanResult& scan, const ReportOptions& opts) {
  const std::vector<Package> packages = report::SbomPackages(scan);
  const std::string hash = report::DocumentHash(scan, packages);
  const std::string image_purl = report::ImagePurl(scan);
  // Package refs are 16 hex digits and the OS ref starts "os:", so neither
  // can collide with the image's.
  const std::string image_ref = image_purl.empty() ? "image:" + hash.substr(0, 16) : image_purl;

  Json doc = Json::object();
  doc["$schema"] = kSchemaUri;
  doc["bomFormat"] = "CycloneDX";
  doc["specVersion"] = "1.6";
  doc["serialNumber"] = "urn:uuid:" + report::UuidFromHash(hash);
  doc["version"] = 1;

  Json metadata = Json::object();
  metadata["timestamp"] = report::SbomTimestamp(scan.image.config, std::getenv("SOURCE_DATE_EPOCH"));
  metadata["tools"] = {{"components", Json::array({{{"type", "application"},
                                                    {"name", "drydock"},
                                                    {"version", report::ToolVersion(opts.tool_version)}}})}};
  metadata["component"] = ImageComponentJson(scan, image_ref, image_purl);
  if (Json props = MetadataProperties(scan); !props.empty()) metadata["properties"] = std::move(props);
  doc["metadata"] = std::move(metadata);

  Json components = Json::array();
  Json image_deps = Json::array();
  Json os_deps = Json::array();
  const auto& os = scan.summary.os;
  const bool has_os = os && !os->id.empty();
  if (has_os) {
    components.push_back(OsComponentJson(*os));
    image_deps.push_back(OsRef(*os));
  }
  for (const Package& p : packages) {
    components.push_back(ComponentJson(p));
    // OS packages hang under the OS component, the rest under the image
    // (as Trivy draws it).
    (has_os && IsOsPackageType(p.type) ? os_deps : image_deps).push_back(p.id);
  }
  doc["components"] = std::move(components);

  Json deps = Json::array();
  deps.push_back({{"ref", image_ref}, {"dependsOn", std::move(image_deps)}});
  if (has_os) deps.push_back({{"ref", OsRef(*os)}, {"dependsOn", std::move(os_deps)}});
  doc["dependencies"] = std::move(deps);
  if (Json vulns = VulnerabilitiesJson(scan, packages); !vulns.empty()) doc["vulnerabilities"] = std::move(vulns);
  // Names from tar headers need not be UTF-8; replace (U+FFFD) rather than
  // throw, so a hostile file name cannot stop the report.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace drydock
