// The rows a worker stores for an image's vulnerabilities (server/vulns.h):
// one per (id, package, version), sorted, the first fixed version, only
// vulnerability findings.
#include <gtest/gtest.h>

#include "server/vulns.h"

namespace drydock::server {
namespace {

Finding Vuln(const char* id, const char* pkg, const char* ver, Severity sev, std::vector<std::string> fixed) {
  Finding f;
  f.kind = FindingKind::kVulnerability;
  f.rule_id = id;
  f.severity = sev;
  VulnerabilityDetail d;
  d.id = id;
  d.package_name = pkg;
  d.installed_version = ver;
  d.fixed_versions = std::move(fixed);
  f.vuln = Box<VulnerabilityDetail>(std::move(d));
  return f;
}

TEST(ImageVulns, RowsAreOnePerKeySortedWithTheFirstFix) {
  std::vector<Finding> in;
  in.push_back(Vuln("CVE-2024-2", "zlib", "1.2", Severity::kHigh, {}));
  in.push_back(Vuln("CVE-2024-1", "openssl", "3.0.1", Severity::kCritical, {"3.0.2", "3.1.0"}));
  in.push_back(Vuln("CVE-2024-1", "openssl", "3.0.1", Severity::kCritical, {"3.0.2"}));  // from a second source
  in.push_back(Vuln("CVE-2024-1", "libssl3", "3.0.1", Severity::kMedium, {}));
  Finding misconfig;
  misconfig.rule_id = "DD-CIS-4.1";
  in.push_back(misconfig);
  const std::vector<ImageVuln> rows = VulnRows(in);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].id + " " + rows[0].package, "CVE-2024-1 libssl3");
  EXPECT_EQ(rows[1].id + " " + rows[1].package + " " + rows[1].fixed_version + " " + rows[1].severity,
            "CVE-2024-1 openssl 3.0.2 CRITICAL");
  EXPECT_EQ(rows[2].id + " " + rows[2].package + " [" + rows[2].fixed_version + "] " + rows[2].severity,
            "CVE-2024-2 zlib [] HIGH");
  EXPECT_TRUE(VulnRows({misconfig}).empty());
}

TEST(ImageVulns, OrderIsByIdThenPackageThenVersion) {
  const ImageVuln a{"CVE-1", "p", "1", "LOW", ""}, b{"CVE-1", "p", "2", "LOW", ""}, c{"CVE-1", "q", "0", "LOW", ""};
  EXPECT_TRUE(a < b);
  EXPECT_TRUE(b < c);
  EXPECT_FALSE(b < a);
  EXPECT_TRUE(a.SameKey(ImageVuln{"CVE-1", "p", "1", "HIGH", "9"}));
  EXPECT_FALSE(a.SameKey(b));
}

}  // namespace
}  // namespace drydock::server
