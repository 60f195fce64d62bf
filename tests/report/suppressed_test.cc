// Suppressed findings in every report: the JSON `suppressed` array with its
// `suppression` objects, SARIF results with external suppressions (schema
// valid), CycloneDX analysis states (schema valid), and the table's summary
// line and --show-suppressed section.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "model/scan.h"
#include "report/report.h"

namespace drydock {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const std::string kSourceDir = DRYDOCK_SOURCE_DIR;

Package Pkg(const std::string& name, const std::string& version) {
  Package p;
  p.type = "deb";
  p.namespace_ = "debian";
  p.name = name;
  p.version = version;
  p.purl = "pkg:deb/debian/" + name + "@" + version + "?arch=amd64&distro=debian-11";
  p.id = std::string(16 - name.size() % 16, '0') + name.substr(0, name.size() % 16);
  p.evidence = {{"dpkg", "/var/lib/dpkg/status", "", 0}};
  p.layer_index = 0;
  return p;
}

Finding Vuln(const std::string& id, const Package& p, Severity sev) {
  Finding f;
  f.rule_id = id;
  f.kind = FindingKind::kVulnerability;
  f.severity = sev;
  f.title = "A vulnerability in " + p.name;
  f.location.layer_index = 0;
  f.location.path = "/var/lib/dpkg/status";
  VulnerabilityDetail v;
  v.id = id;
  v.package_name = p.name;
  v.package_id = p.id;
  v.purl = p.purl;
  v.installed_version = p.version;
  v.fixed_versions = {"9.9"};
  v.status = "fixed";
  v.data_source = "debian-dsa";
  f.vuln = v;
  f.Fingerprint();
  return f;
}

Suppression Why(std::string kind, std::string source, std::string reason, std::string status = "",
                std::string justification = "", std::string expires = "") {
  return Suppression{std::move(kind),          std::move(source),  std::move(reason),
                     std::move(justification), std::move(expires), std::move(status)};
}

ScanResult SampleScan() {
  ScanResult scan;
  scan.target = "docker-archive:app.tar";
  scan.scanners = {"vuln", "secret", "misconfig"};
  scan.image.source_kind = "docker-archive";
  scan.image.config_digest = Digest{"sha256", std::string(64, 'a')};
  scan.image.config.os = "linux";
  scan.image.config.architecture = "amd64";
  scan.image.config.created = "2024-05-01T12:00:00Z";
  scan.summary.os = OsRelease{"debian", "11", "bullseye", "Debian GNU/Linux 11 (bullseye)", "/etc/os-release"};
  const Package openssl = Pkg("openssl", "1.1.1n-0+deb11u3"), curl = Pkg("curl", "7.74.0-1.3+deb11u3"),
                zlib = Pkg("zlib1g", "1.2.11.dfsg-2");
  scan.inventory = Inventory{{openssl, curl, zlib}, {}, {"dpkg"}};

  Finding kept = Vuln("CVE-2023-0002", curl, Severity::kMedium);
  kept.vex_note = Why("vex", "vex.json: statements[1]", "VEX: under_investigation", "under_investigation");
  Finding root;
  root.rule_id = "DD-CIS-4.1";
  root.kind = FindingKind::kMisconfiguration;
  root.severity = Severity::kMedium;
  root.title = "Image runs as root";
  root.location.config_field = "config.User";
  scan.findings = {kept, root};

  Finding by_vex = Vuln("CVE-2023-0286", openssl, Severity::kHigh);
  by_vex.suppression = Why("vex", "vex.json: statements[0]", "X.400 names are never parsed", "not_affected",
                           "vulnerable_code_not_in_execute_path");
  Finding by_policy = Vuln("CVE-2022-0001", zlib, Severity::kCritical);
  by_policy.suppression =
      Why("policy", "policy.yaml:3 (ignore[0])", "rebuilt with the fix backported", "", "", "2030-01-31");
  Finding by_ignore;
  by_ignore.rule_id = "DD-SECRET-github-pat";
  by_ignore.kind = FindingKind::kSecret;
  by_ignore.severity = Severity::kHigh;
  by_ignore.title = "GitHub token";
  by_ignore.location = {1, "sha256:" + std::string(64, '2'), "COPY . /app", "/app/test/fixture.env", 3, ""};
  by_ignore.evidence = "ghp_****";
  by_ignore.suppression = Why("ignorefile", ".drydockignore:4", "a revoked token in a fixture");
  scan.suppressed = {by_ignore, by_policy, by_vex};  // not in report order: writers sort
  return scan;
}

ReportOptions Options(bool show = false) {
  ReportOptions o;
  o.tool_version = "0.0.0-test";
  o.show_suppressed = show;
  return o;
}

// Writes `content` to a temp file and runs tests/SCRIPT on it; its exit
// status (77: python3-jsonschema missing).
int Validate(const std::string& script, const std::string& content, const std::string& name) {
  const fs::path dir = fs::path(testing::TempDir()) / ("drydock-suppressed-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / name).string();
  EXPECT_TRUE(WriteOutput(path, content).ok());
  const std::string cmd = "'" + kSourceDir + "/tests/" + script + "' '" + path + "' >/dev/null";
  const int rc = std::system(cmd.c_str());
  std::error_code ec;
  fs::remove_all(dir, ec);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(ReportSuppressed, JsonCarriesThemApartWithTheirSuppression) {
  const Json doc = Json::parse(RenderJson(SampleScan(), Options()));
  EXPECT_EQ(doc["schema_version"], 2);
  ASSERT_EQ(doc["findings"].size(), 2u);
  EXPECT_EQ(doc["summary"]["CRITICAL"], 0);  // the suppressed CRITICAL is not counted
  EXPECT_EQ(doc["summary"]["MEDIUM"], 2);
  const Json& kept = doc["findings"][0]["rule_id"] == "CVE-2023-0002" ? doc["findings"][0] : doc["findings"][1];
  EXPECT_EQ(kept["vex"], (Json{{"status", "under_investigation"},
                               {"source", "vex.json: statements[1]"},
                               {"reason", "VEX: under_investigation"}}));
  EXPECT_FALSE(kept.contains("suppression"));
  const Json& s = doc["suppressed"];
  ASSERT_EQ(s.size(), 3u);
  // Report order: severity, then rule id.
  EXPECT_EQ(s[0]["rule_id"], "CVE-2022-0001");
  EXPECT_EQ(s[0]["suppression"], (Json{{"kind", "policy"},
                                       {"source", "policy.yaml:3 (ignore[0])"},
                                       {"reason", "rebuilt with the fix backported"},
                                       {"expires", "2030-01-31"}}));
  EXPECT_EQ(s[1]["rule_id"], "CVE-2023-0286");
  EXPECT_EQ(s[1]["suppression"]["kind"], "vex");
  EXPECT_EQ(s[1]["suppression"]["status"], "not_affected");
  EXPECT_EQ(s[1]["suppression"]["justification"], "vulnerable_code_not_in_execute_path");
  EXPECT_EQ(s[1]["vulnerability"]["package"], "openssl");
  EXPECT_EQ(s[2]["suppression"]["kind"], "ignorefile");
  EXPECT_EQ(s[2]["id"].get<std::string>().size(), 16u);
  // Without suppressions the array is there, empty.
  ScanResult plain = SampleScan();
  plain.suppressed.clear();
  EXPECT_EQ(Json::parse(RenderJson(plain, Options()))["suppressed"], Json::array());
}

TEST(ReportSuppressed, SarifMarksThemWithExternalSuppressions) {
  const std::string sarif = RenderSarif(SampleScan(), Options());
  const Json doc = Json::parse(sarif);
  const Json& results = doc["runs"][0]["results"];
  ASSERT_EQ(results.size(), 5u);
  int suppressed = 0;
  for (const Json& r : results) {
    if (!r.contains("suppressions")) continue;
    ++suppressed;
    const Json& sup = r["suppressions"][0];
    EXPECT_EQ(sup["kind"], "external");
    EXPECT_EQ(sup["status"], "accepted");
    if (r["ruleId"] == "CVE-2023-0286") {
      EXPECT_EQ(sup["justification"], "X.400 names are never parsed (vex: vex.json: statements[0])");
      EXPECT_EQ(sup["properties"]["vex_justification"], "vulnerable_code_not_in_execute_path");
    }
  }
  EXPECT_EQ(suppressed, 3);
  for (const Json& r : results) {
    if (r["ruleId"] == "CVE-2023-0002") {
      EXPECT_EQ(r["properties"]["vex_status"], "under_investigation");
    }
  }
  const int rc = Validate("validate_sarif.sh", sarif, "suppressed.sarif");
  if (rc == 77) GTEST_SKIP() << "python3-jsonschema not installed";
  EXPECT_EQ(rc, 0);
}

TEST(ReportSuppressed, CycloneDxCarriesTheAnalysisState) {
  const std::string cdx = RenderCycloneDx(SampleScan(), Options());
  const Json doc = Json::parse(cdx);
  std::map<std::string, Json> by_id;
  for (const Json& v : doc["vulnerabilities"]) by_id[v["id"]] = v;
  ASSERT_EQ(by_id.size(), 3u);
  EXPECT_EQ(by_id["CVE-2023-0286"]["analysis"],
            (Json{{"state", "not_affected"},
                  {"justification", "code_not_reachable"},
                  {"detail", "X.400 names are never parsed (VEX vex.json: statements[0])"}}));
  EXPECT_EQ(by_id["CVE-2022-0001"]["analysis"],
            (Json{{"state", "not_affected"},
                  {"detail", "rebuilt with the fix backported (policy policy.yaml:3 (ignore[0]))"}}));
  EXPECT_EQ(by_id["CVE-2023-0002"]["analysis"]["state"], "in_triage");
  const int rc = Validate("validate_sbom.sh", cdx, "suppressed.cdx.json");
  if (rc == 77) GTEST_SKIP() << "python3-jsonschema not installed";
  EXPECT_EQ(rc, 0);
}

TEST(ReportSuppressed, TableCountsThemAndListsThemWhenAsked) {
  const std::string quiet = RenderTable(SampleScan(), Options(false));
  EXPECT_NE(quiet.find("Total: 2 (CRITICAL: 0, HIGH: 0, MEDIUM: 2, LOW: 0, UNKNOWN: 0), 3 suppressed "
                       "(--show-suppressed lists them)\n"),
            std::string::npos)
      << quiet;
  EXPECT_EQ(quiet.find("Suppressed ("), std::string::npos);
  EXPECT_EQ(quiet.find("CVE-2023-0286"), std::string::npos);
  EXPECT_NE(quiet.find("fixed, VEX: under_investigation"), std::string::npos) << quiet;

  const std::string shown = RenderTable(SampleScan(), Options(true));
  EXPECT_NE(shown.find("Suppressed (3)"), std::string::npos) << shown;
  for (const char* want :
       {"CVE-2022-0001", "zlib1g 1.2.11.dfsg-2", "policy.yaml:3 (ignore[0])", "rebuilt with the fix backported",
        "X.400 names are never parsed "
        "[vulnerable_code_not_in_execute_path]",
        ".drydockignore:4", "/app/test/fixture.env:3", "ignorefile"}) {
    EXPECT_NE(shown.find(want), std::string::npos) << want << "\n" << shown;
  }
  EXPECT_NE(shown.find("), 3 suppressed\n"), std::string::npos) << shown;

  ScanResult all = SampleScan();
  all.findings.clear();
  EXPECT_NE(RenderTable(all, Options()).find("\nNo findings; 3 suppressed (--show-suppressed lists them).\n"),
            std::string::npos);
  all.suppressed.clear();
  EXPECT_NE(RenderTable(all, Options()).find("\nNo findings.\n"), std::string::npos);
}

}  // namespace
}  // namespace drydock
