// Fuzzes what the SBOM writers parse from image content: license strings
// (SPDX expressions), config `created` dates, SOURCE_DATE_EPOCH values and
// image names, and renders whole documents from fuzzed packages. The first
// input byte selects the mode (mod 5); the rest is the input. Besides "no
// crash", it asserts what sbom_common.h promises: canonical forms are fixed
// points, rendered documents are JSON with unique ids, and rendering twice
// gives the same bytes.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_util.h"
#include "model/scan.h"
#include "report/report.h"
#include "report/sbom_common.h"

namespace drydock::fuzz {
namespace {

using report::LicenseKind;

void FuzzLicense(std::string_view s) {
  const report::License l = report::ClassifyLicense(s);
  if (l.kind == LicenseKind::kId) {
    const auto id = report::CanonicalLicenseId(l.text);
    FUZZ_CHECK(id && *id == l.text, "id %s is not canonical", l.text.c_str());
  }
  if (l.kind == LicenseKind::kExpression) {
    // The canonical form reads back as itself.
    const report::License again = report::ClassifyLicense(l.text);
    FUZZ_CHECK(again.text == l.text, "expression not a fixed point: %s -> %s", l.text.c_str(), again.text.c_str());
    for (const std::string& ref : report::LicenseRefsIn(l.text)) {
      FUZZ_CHECK(ref.size() > 11, "empty LicenseRef in %s", l.text.c_str());
    }
  }
  const std::string ref = report::LicenseRefFor(s);
  FUZZ_CHECK(ref.rfind("LicenseRef-", 0) == 0 && ref.size() > 11 && ref.size() <= 11 + 64, "bad ref %s", ref.c_str());
  FUZZ_CHECK(report::Idstring(ref, 200) == ref, "ref %s is not an idstring", ref.c_str());
}

void FuzzDate(std::string_view s) {
  const auto got = report::NormalizeRfc3339(s);
  if (!got) return;
  FUZZ_CHECK(got->size() == 20 && (*got)[19] == 'Z', "bad normal form %s", got->c_str());
  const auto again = report::NormalizeRfc3339(*got);
  FUZZ_CHECK(again && *again == *got, "date not a fixed point: %s", got->c_str());
}

void FuzzEpoch(std::string_view s) {
  const std::string value(s);  // NUL-terminated; an embedded NUL just ends it early
  ImageConfig config;
  const std::string ts = report::SbomTimestamp(config, value.c_str());
  FUZZ_CHECK(report::NormalizeRfc3339(ts) == ts, "timestamp %s is not normal", ts.c_str());
}

void FuzzImageName(std::string_view s) {
  const auto name = report::ParseImageName(s);
  if (!name) return;
  FUZZ_CHECK(!name->repository_url.empty() && !name->name.empty(), "empty parts of %s", std::string(s).c_str());
  const std::string again_ref = name->repository_url + (name->tag.empty() ? "" : ":" + name->tag);
  const auto again = report::ParseImageName(again_ref);
  FUZZ_CHECK(again && again->repository_url == name->repository_url && again->tag == name->tag,
             "image name not a fixed point: %s", again_ref.c_str());
}

// Packages from lines: each group of six lines is type, namespace, name,
// version, license, evidence path; an empty id and purl are filled by the
// writers. The first package repeats as the last (same id), so id
// uniqueness is exercised.
void FuzzRender(std::string_view s) {
  std::vector<std::string> lines;
  size_t i = 0;
  while (i <= s.size() && lines.size() < 600) {
    size_t j = s.find('\n', i);
    if (j == std::string_view::npos) j = s.size();
    lines.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  ScanResult scan;
  scan.image.reference = lines.empty() ? "" : lines[0];
  scan.image.config.created = lines.size() > 1 ? lines[1] : "";
  scan.summary.os = OsRelease{lines.size() > 2 ? lines[2] : "", "1", "", "", ""};
  Inventory inv;
  for (size_t k = 3; k + 6 <= lines.size(); k += 6) {
    Package p;
    p.type = lines[k];
    p.namespace_ = lines[k + 1];
    p.name = lines[k + 2];
    p.version = lines[k + 3];
    p.licenses = {lines[k + 4], lines[k + 4] + " AND MIT"};
    p.evidence = {{"fuzz", lines[k + 5], "", 0}};
    p.metadata[lines[k + 4]] = lines[k + 2];
    inv.packages.push_back(std::move(p));
  }
  if (!inv.packages.empty()) inv.packages.push_back(inv.packages.front());
  scan.inventory = std::move(inv);

  const ReportOptions opts{.color = false, .tool_version = "fuzz"};
  const std::string cdx = RenderCycloneDx(scan, opts);
  const std::string spdx = RenderSpdx(scan, opts);
  FUZZ_CHECK(cdx == RenderCycloneDx(scan, opts), "CycloneDX differs between runs");
  FUZZ_CHECK(spdx == RenderSpdx(scan, opts), "SPDX differs between runs");
  const auto c = nlohmann::json::parse(cdx, nullptr, /*allow_exceptions=*/false);
  const auto d = nlohmann::json::parse(spdx, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!c.is_discarded() && !d.is_discarded(), "a writer produced invalid JSON");

  std::set<std::string> refs = {c["metadata"]["component"]["bom-ref"].get<std::string>()};
  for (const auto& comp : c["components"]) {
    FUZZ_CHECK(refs.insert(comp["bom-ref"].get<std::string>()).second, "duplicate bom-ref");
  }
  std::set<std::string> ids;
  for (const auto& p : d["packages"]) {
    const std::string id = p["SPDXID"];
    FUZZ_CHECK(id.rfind("SPDXRef-", 0) == 0 && report::Idstring(id.substr(8), 400) == id.substr(8), "illegal SPDXID %s",
               id.c_str());
    FUZZ_CHECK(ids.insert(id).second, "duplicate SPDXID %s", id.c_str());
  }
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock::fuzz;
  if (size < 1) return 0;
  std::string_view doc(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      FuzzLicense(doc);
      break;
    case 1:
      FuzzDate(doc);
      break;
    case 2:
      FuzzImageName(doc);
      break;
    case 3:
      FuzzRender(doc);
      break;
    case 4:
      FuzzEpoch(doc);
      break;
  }
  return 0;
}
