// The VEX fixtures of tests/testdata/policy against the real schemas
// (tests/validate_vex.sh: OpenVEX 0.2.0, CycloneDX 1.5 and 1.6), then what
// drydock makes of them: which of a Debian 11 image's openssl, libssl1.1 and
// curl findings each suppresses, and why. Also the documented policy and
// ignore-file examples, and the in-repo schema copies against ../shared.
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "policy/internal.h"
#include "policy/policy.h"

namespace drydock::policy {
namespace {

namespace fs = std::filesystem;

const std::string kSourceDir = DRYDOCK_SOURCE_DIR;
const std::string kDir = std::string(DRYDOCK_TESTDATA) + "/policy/";

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int ValidateVex(const std::vector<std::string>& files) {
  std::string cmd = "'" + kSourceDir + "/tests/validate_vex.sh'";
  for (const std::string& f : files) cmd += " '" + kDir + f + "'";
  const int rc = std::system((cmd + " >/dev/null").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(PolicyFixtures, ValidateAgainstTheRealSchemas) {
  for (const char* f : {"openvex-not-affected.json", "openvex-image.json", "openvex-later-affected.json",
                        "cyclonedx-1.5-vex.json", "cyclonedx-1.6-vex.json"}) {
    SCOPED_TRACE(f);
    const int rc = ValidateVex({f});
    if (rc == 77) GTEST_SKIP() << "python3-jsonschema not installed";
    EXPECT_EQ(rc, 0);
  }
  for (const char* f : {"invalid/openvex-bad-status.json", "invalid/cyclonedx-1.6-bad-state.json"}) {
    SCOPED_TRACE(f);
    const int rc = ValidateVex({f});
    if (rc == 77) GTEST_SKIP() << "python3-jsonschema not installed";
    EXPECT_EQ(rc, 1);
    // drydock refuses them too.
    VexSet set;
    EXPECT_FALSE(AddVexDocument(set, Read(kDir + f), f).ok());
  }
}

Finding Vuln(const std::string& id, const std::string& pkg, const std::string& version) {
  Finding f;
  f.rule_id = id;
  f.kind = FindingKind::kVulnerability;
  f.location.path = "/var/lib/dpkg/status";
  VulnerabilityDetail v;
  v.id = id;
  if (id == "CVE-2023-0286") v.aliases = {"DSA-5343-1"};
  v.package_name = pkg;
  v.package_id = pkg + "-id";
  v.installed_version = version;
  std::string encoded = version;
  if (size_t plus = encoded.find('+'); plus != std::string::npos) encoded.replace(plus, 1, "%2B");
  v.purl = "pkg:deb/debian/" + pkg + "@" + encoded + "?arch=amd64&distro=debian-11";
  f.vuln = v;
  return f;
}

// What each fixture does to the findings of the integration test's image.
TEST(PolicyFixtures, SuppressWhatTheySay) {
  const std::vector<Finding> findings = {
      Vuln("CVE-2023-0286", "openssl", "1.1.1n-0+deb11u3"),
      Vuln("CVE-2023-0286", "libssl1.1", "1.1.1n-0+deb11u3"),
      Vuln("CVE-2023-0286", "curl", "7.74.0-1.3+deb11u3"),
      Vuln("CVE-2023-27533", "curl", "7.74.0-1.3+deb11u3"),
  };
  ImageInfo image;
  image.config_digest = Digest{"sha256", std::string(64, 'b')};
  struct Case {
    std::vector<std::string> files;
    std::vector<std::string> suppressed;  // "package id (kind status)"
    std::vector<std::string> noted;
  };
  const std::vector<Case> cases = {
      {{"openvex-not-affected.json"}, {"openssl CVE-2023-0286 (vex not_affected)"}, {}},
      {{"openvex-not-affected.json", "openvex-later-affected.json"}, {}, {"openssl CVE-2023-0286 affected"}},
      {{"openvex-image.json"}, {"libssl1.1 CVE-2023-0286 (vex fixed)"}, {"curl CVE-2023-27533 under_investigation"}},
      {{"cyclonedx-1.5-vex.json"}, {"openssl CVE-2023-0286 (vex fixed)", "curl CVE-2023-27533 (vex not_affected)"}, {}},
      {{"cyclonedx-1.6-vex.json", "openvex-image.json"},
       // CycloneDX's not_affected (2024-03-02) is later than the image's under_investigation (2024-02-01).
       {"openssl CVE-2023-0286 (vex fixed)", "libssl1.1 CVE-2023-0286 (vex fixed)",
        "curl CVE-2023-27533 (vex not_affected)"},
       {}},
  };
  for (const Case& c : cases) {
    std::string name;
    for (const auto& f : c.files) name += f + " ";
    SCOPED_TRACE(name);
    LoadOptions opts;
    opts.today = Date{2024, 6, 1};
    opts.default_ignore_files = {};
    for (const auto& f : c.files) opts.vex_files.push_back(kDir + f);
    auto p = Load(opts);
    ASSERT_TRUE(p.ok()) << p.error().message;
    const Applied a = Apply(*p, findings, {nullptr, &image});
    std::vector<std::string> got, noted;
    for (const Finding& f : a.suppressed) {
      got.push_back(f.vuln->package_name + " " + f.rule_id + " (" + f.suppression->kind + " " + f.suppression->status +
                    ")");
    }
    for (const Finding& f : a.kept) {
      if (f.vex_note) noted.push_back(f.vuln->package_name + " " + f.rule_id + " " + f.vex_note->status);
    }
    EXPECT_EQ(got, c.suppressed);
    EXPECT_EQ(noted, c.noted);
  }
}

TEST(PolicyFixtures, TheDocumentedExamplesLoad) {
  LoadOptions opts;
  opts.today = Date{2024, 6, 1};
  opts.default_ignore_files = {};
  opts.ignore_file = kDir + "drydockignore";
  opts.policy_file = kDir + "policy.yaml";
  auto p = Load(opts);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_TRUE(p->warnings().empty());
  const std::vector<Finding> findings = {
      Vuln("CVE-2023-0286", "openssl", "1.1.1n-0+deb11u3"),
      Vuln("CVE-2023-0286", "libssl1.1", "1.1.1n-0+deb11u3"),
      Vuln("CVE-2023-27533", "curl", "7.74.0-1.3+deb11u3"),
  };
  const Applied a = Apply(*p, findings, {});
  ASSERT_EQ(a.suppressed.size(), 3u);
  EXPECT_EQ(a.suppressed[0].suppression->kind, "policy");      // the purl range
  EXPECT_EQ(a.suppressed[1].suppression->kind, "ignorefile");  // libssl1.1 by the DSA alias
  EXPECT_EQ(a.suppressed[1].suppression->reason, "every CVE of this advisory, until the rebuild lands");
  EXPECT_EQ(a.suppressed[2].suppression->kind, "policy");  // the policy comes first
}

TEST(PolicyFixtures, SchemaCopiesMatchShared) {
  const fs::path shared = fs::path(kSourceDir) / ".." / "shared" / "data" / "schemas";
  if (!fs::is_directory(shared)) GTEST_SKIP() << "skipped: ../shared not present";
  for (const char* f : {"openvex_json_schema.json", "bom-1.5.schema.json", "bom-1.6.schema.json"}) {
    SCOPED_TRACE(f);
    EXPECT_EQ(Read(std::string(DRYDOCK_TESTDATA) + "/schemas/" + f), Read((shared / f).string()));
  }
}

}  // namespace
}  // namespace drydock::policy
