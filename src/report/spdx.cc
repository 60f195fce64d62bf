// SPDX 2.3 JSON: one package for the image (CONTAINER), one for the OS, one
// per inventory package; DOCUMENT DESCRIBES image, image CONTAINS the rest.
// Validated against the 2.3 and 2.3.1 schemas by
// tests/integration/inventory_sbom.sh; field choices are documented in
// docs/sbom.md.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/digest.h"
#include "report/common.h"
#include "report/report.h"
#include "report/sbom_common.h"

namespace drydock {
namespace {

using Json = nlohmann::ordered_json;
using report::License;
using report::LicenseKind;

constexpr char kNoAssertion[] = "NOASSERTION";
constexpr char kNamespaceBase[] = "https://drydock.invalid/spdx/";
constexpr char kImageId[] = "SPDXRef-Image";
constexpr char kOsId[] = "SPDXRef-OperatingSystem";

// Non-SPDX license texts become LicenseRef-… ids, declared once each in
// hasExtractedLicensingInfos. Refs are assigned over the sorted set of all
// texts, so the result does not depend on package order; texts whose
// readable form collides get a hash suffix.
class LicenseRefs {
 public:
  explicit LicenseRefs(const std::vector<std::vector<License>>& per_package) {
    std::set<std::string> texts;
    for (const auto& licenses : per_package) {
      for (const License& l : licenses) {
        if (l.kind == LicenseKind::kOther) texts.insert(l.text);
        if (l.kind == LicenseKind::kExpression) {
          for (std::string& r : report::LicenseRefsIn(l.text)) named_.insert(std::move(r));
        }
      }
    }
    std::map<std::string, int> base_count;
    for (const std::string& t : texts) ++base_count[report::LicenseRefFor(t)];
    std::set<std::string> used = named_;
    for (const std::string& t : texts) {
      std::string ref = report::LicenseRefFor(t);
      if (base_count[ref] > 1 || used.count(ref) > 0) ref += "-" + Sha256Of(t).hex.substr(0, 8);
      for (int n = 2; used.count(ref) > 0; ++n) ref = fmt::format("{}-{}", report::LicenseRefFor(t), n);
      used.insert(ref);
      by_text_.emplace(t, std::move(ref));
    }
  }

  const std::string& For(const std::string& text) const { return by_text_.at(text); }

  // hasExtractedLicensingInfos, sorted by licenseId.
  Json Extracted() const {
    std::map<std::string, Json> entries;
    for (const auto& [text, ref] : by_text_) {
      entries[ref] = {{"licenseId", ref}, {"extractedText", text}, {"name", report::TruncateUtf8(text, 120)}};
    }
    for (const std::string& ref : named_) {
      if (entries.count(ref) > 0) continue;
      entries[ref] = {{"licenseId", ref},
                      {"extractedText", ref},
                      {"comment", "named in package metadata; the license text was not in the image"}};
    }
    Json out = Json::array();
    for (auto& [ref, entry] : entries) out.push_back(std::move(entry));
    return out;
  }

 private:
  std::map<std::string, std::string> by_text_;
  std::set<std::string> named_;  // LicenseRef-… written in expressions
};

// SPDXIDs of the packages: "SPDXRef-Package-<type>-<id>", made unique.
std::vector<std::string> PackageSpdxIds(const std::vector<Package>& packages) {
  std::set<std::string> used = {kImageId, kOsId};
  std::vector<std::string> out;
  for (const Package& p : packages) {
    std::string type = report::Idstring(p.type, 32);
    std::string id = report::Idstring(p.id, 64);
    const std::string base = "SPDXRef-Package-" + (type.empty() ? "unknown" : type) + "-" + (id.empty() ? "noid" : id);
    std::string candidate = base;
    for (int n = 2; !used.insert(candidate).second; ++n) candidate = fmt::format("{}-{}", base, n);
    out.push_back(std::move(candidate));
  }
  return out;
}

std::string SourceInfo(const Package& p) {
  std::vector<std::string> parts;
  if (!p.source_name.empty()) {
    parts.push_back("built package from: " + p.source_name +
                    (p.source_version.empty() ? std::string() : " " + p.source_version));
  }
  for (const PackageEvidence& e : p.evidence) {
    std::string s = "acquired package info from " + (e.cataloger.empty() ? std::string("drydock") : e.cataloger) +
                    ": " + e.Location();
    if (e.layer_index >= 0) s += fmt::format(" (layer_index {})", e.layer_index);
    parts.push_back(std::move(s));
  }
  if (!p.diff_id.empty()) parts.push_back("introduced by layer " + p.diff_id);
  std::string out;
  for (const std::string& s : parts) out += (out.empty() ? "" : "; ") + s;
  return out;
}

Json PurlRef(const std::string& purl) {
  return Json::array(
      {{{"referenceCategory", "PACKAGE-MANAGER"}, {"referenceType", "purl"}, {"referenceLocator", purl}}});
}

// The fields every package carries where drydock asserts nothing.
void PutNoAssertions(Json& j) {
  j["supplier"] = kNoAssertion;
  j["downloadLocation"] = kNoAssertion;
  j["filesAnalyzed"] = false;
}

Json PackageJson(const Package& p, const std::string& spdx_id, const std::vector<License>& licenses,
                 const LicenseRefs& refs) {
  Json j = Json::object();
  j["name"] = p.FullName();
  j["SPDXID"] = spdx_id;
  if (!p.version.empty()) j["versionInfo"] = p.version;
  PutNoAssertions(j);
  if (std::string info = SourceInfo(p); !info.empty()) j["sourceInfo"] = std::move(info);
  j["licenseConcluded"] = kNoAssertion;
  std::string declared = report::JoinLicenses(licenses, [&](const std::string& text) { return refs.For(text); });
  j["licenseDeclared"] = declared.empty() ? kNoAssertion : declared;
  j["copyrightText"] = kNoAssertion;
  j["externalRefs"] = PurlRef(p.purl);
  j["primaryPackagePurpose"] = "LIBRARY";
  return j;
}

Json ImagePackageJson(const ScanResult& scan, const std::string& purl) {
  Json j = Json::object();
  j["name"] = report::ImageDisplayName(scan);
  j["SPDXID"] = kImageId;
  if (std::string v = report::ImageVersion(scan); !v.empty()) j["versionInfo"] = std::move(v);
  PutNoAssertions(j);
  j["licenseConcluded"] = kNoAssertion;
  j["licenseDeclared"] = kNoAssertion;
  j["copyrightText"] = kNoAssertion;
  if (!purl.empty()) j["externalRefs"] = PurlRef(purl);
  j["primaryPackagePurpose"] = "CONTAINER";
  return j;
}

Json OsPackageJson(const OsRelease& os) {
  Json j = Json::object();
  j["name"] = os.id;
  j["SPDXID"] = kOsId;
  if (!os.version_id.empty()) j["versionInfo"] = os.version_id;
  PutNoAssertions(j);
  if (!os.source_path.empty()) j["sourceInfo"] = "acquired package info from " + os.source_path;
  j["licenseConcluded"] = kNoAssertion;
  j["licenseDeclared"] = kNoAssertion;
  j["copyrightText"] = kNoAssertion;
  if (!os.pretty_name.empty()) j["description"] = os.pretty_name;
  j["primaryPackagePurpose"] = "OPERATING_SYSTEM";
  return j;
}

Json Relationship(const std::string& from, const char* type, const std::string& to) {
  return {{"spdxElementId", from}, {"relationshipType", type}, {"relatedSpdxElement", to}};
}

}  // namespace

std::string RenderSpdx(const ScanResult& scan, const ReportOptions& opts) {
  const std::vector<Package> packages = report::SbomPackages(scan);
  const std::string hash = report::DocumentHash(scan, packages);
  const std::string name = report::ImageDisplayName(scan);
  std::vector<std::vector<License>> licenses;
  licenses.reserve(packages.size());
  for (const Package& p : packages) licenses.push_back(report::PackageLicenses(p));
  const LicenseRefs refs(licenses);
  const std::vector<std::string> ids = PackageSpdxIds(packages);

  Json doc = Json::object();
  doc["spdxVersion"] = "SPDX-2.3";
  doc["dataLicense"] = "CC0-1.0";
  doc["SPDXID"] = "SPDXRef-DOCUMENT";
  doc["name"] = name;
  const std::string slug = report::Idstring(name, 64);
  doc["documentNamespace"] =
      kNamespaceBase + (slug.empty() ? std::string("image") : slug) + "-" + report::UuidFromHash(hash);

  Json creation = Json::object();
  creation["created"] = report::SbomTimestamp(scan.image.config, std::getenv("SOURCE_DATE_EPOCH"));
  creation["creators"] = Json::array({"Tool: drydock-" + report::ToolVersion(opts.tool_version)});
  const size_t diagnostics =
      !scan.diagnostics.empty() || !scan.inventory ? scan.diagnostics.size() : scan.inventory->diagnostics.size();
  if (diagnostics > 0) {
    creation["comment"] = fmt::format(
        "partial inventory: {} file(s) could not be read; see drydock's json report for the diagnostics", diagnostics);
  }
  doc["creationInfo"] = std::move(creation);

  const std::string image_purl = report::ImagePurl(scan);
  const auto& os = scan.summary.os;
  const bool has_os = os && !os->id.empty();
  Json pkgs = Json::array();
  pkgs.push_back(ImagePackageJson(scan, image_purl));
  if (has_os) pkgs.push_back(OsPackageJson(*os));
  for (size_t i = 0; i < packages.size(); ++i) pkgs.push_back(PackageJson(packages[i], ids[i], licenses[i], refs));
  doc["packages"] = std::move(pkgs);

  if (Json extracted = refs.Extracted(); !extracted.empty()) doc["hasExtractedLicensingInfos"] = std::move(extracted);

  Json rels = Json::array();
  rels.push_back(Relationship("SPDXRef-DOCUMENT", "DESCRIBES", kImageId));
  if (has_os) rels.push_back(Relationship(kImageId, "CONTAINS", kOsId));
  for (const std::string& id : ids) rels.push_back(Relationship(kImageId, "CONTAINS", id));
  doc["relationships"] = std::move(rels);
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace drydock
