// The compare diff: packages added, removed and changed (duplicates at
// several paths kept apart), vulnerabilities fixed and new by package
// identity, findings by fingerprint, layers by diff_id.
#include "model/compare.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace drydock {
namespace {

Package Pkg(std::string type, std::string name, std::string version, std::string path, std::string arch = "") {
  Package p;
  p.type = std::move(type);
  p.name = std::move(name);
  p.version = std::move(version);
  p.arch = std::move(arch);
  p.evidence.push_back({"test", std::move(path), "", 0});
  p.purl = "pkg:" + p.type + "/" + p.name + "@" + p.version;
  p.id = p.purl + "#" + p.evidence[0].path;
  return p;
}

Package Deb(std::string name, std::string version, std::string arch = "amd64") {
  return Pkg("deb", std::move(name), std::move(version), "/var/lib/dpkg/status", std::move(arch));
}

Finding Vuln(std::string id, const Package& p, Severity sev = Severity::kHigh) {
  Finding f;
  f.rule_id = id;
  f.kind = FindingKind::kVulnerability;
  f.severity = sev;
  f.location.path = p.evidence[0].path;
  VulnerabilityDetail v;
  v.id = std::move(id);
  v.package_name = p.FullName();
  v.package_id = p.id;
  v.installed_version = p.version;
  f.vuln = std::move(v);
  f.Fingerprint();
  return f;
}

Finding Check(std::string rule, std::string path, std::string diff_id = "", Severity sev = Severity::kMedium) {
  Finding f;
  f.rule_id = std::move(rule);
  f.kind = FindingKind::kMisconfiguration;
  f.severity = sev;
  f.location.path = std::move(path);
  f.location.diff_id = std::move(diff_id);
  f.Fingerprint();
  return f;
}

LayerSummary Layer(int index, std::string diff_id, std::string created_by = "") {
  LayerSummary l;
  l.index = index;
  l.diff_id = std::move(diff_id);
  l.tar_bytes = 1000 * (index + 1);
  l.created_by = std::move(created_by);
  return l;
}

ScanResult Scan(std::vector<Package> packages, std::vector<Finding> findings = {},
                std::vector<LayerSummary> layers = {}) {
  ScanResult s;
  s.scanners = {"vuln", "misconfig"};
  s.inventory = Inventory{};
  s.inventory->packages = std::move(packages);
  SortPackages(s.inventory->packages);
  s.findings = std::move(findings);
  s.summary.layers = std::move(layers);
  return s;
}

std::string Name(const Package& p) {
  return p.type + ":" + p.FullName() + (p.arch.empty() ? "" : ":" + p.arch) + "@" + p.version + " " +
         p.evidence[0].path;
}

// The comparison in words, one string per entry.
struct Got {
  std::vector<std::string> added, removed, changed, fixed, fresh, findings_added, findings_removed;
  std::vector<std::string> layers;  // "A#-B#"
  int64_t packages_unchanged = 0, vulnerabilities_unchanged = 0, findings_unchanged = 0;
  bool operator==(const Got&) const = default;
};

Got Describe(const Comparison& c) {
  Got g;
  for (const auto& p : c.packages_added) g.added.push_back(Name(p));
  for (const auto& p : c.packages_removed) g.removed.push_back(Name(p));
  for (const auto& ch : c.packages_changed)
    g.changed.push_back(Name(ch.a) + " -> " + ch.b.version + " " + ch.b.evidence[0].path);
  for (const auto& f : c.vulnerabilities_fixed) g.fixed.push_back(f.vuln->id + " " + f.vuln->installed_version);
  for (const auto& f : c.vulnerabilities_new) g.fresh.push_back(f.vuln->id + " " + f.vuln->installed_version);
  for (const auto& f : c.findings_added) g.findings_added.push_back(f.rule_id + " " + f.location.path);
  for (const auto& f : c.findings_removed) g.findings_removed.push_back(f.rule_id + " " + f.location.path);
  for (const auto& l : c.layers_shared) g.layers.push_back(std::to_string(l.a.index) + "-" + std::to_string(l.b.index));
  for (const auto& l : c.layers_only_a) g.layers.push_back(std::to_string(l.index) + "-");
  for (const auto& l : c.layers_only_b) g.layers.push_back("-" + std::to_string(l.index));
  g.packages_unchanged = c.packages_unchanged;
  g.vulnerabilities_unchanged = c.vulnerabilities_unchanged;
  g.findings_unchanged = c.findings_unchanged;
  return g;
}

void PrintTo(const Got& g, std::ostream* os) {
  auto list = [&](const char* name, const std::vector<std::string>& v) {
    *os << "\n  " << name << ":";
    for (const auto& s : v) *os << " [" << s << "]";
  };
  list("added", g.added);
  list("removed", g.removed);
  list("changed", g.changed);
  list("fixed", g.fixed);
  list("new", g.fresh);
  list("findings_added", g.findings_added);
  list("findings_removed", g.findings_removed);
  list("layers", g.layers);
  *os << "\n  unchanged: " << g.packages_unchanged << " packages, " << g.vulnerabilities_unchanged << " vulns, "
      << g.findings_unchanged << " findings";
}

TEST(Compare, Table) {
  const Package lodash_a = Pkg("npm", "lodash", "4.17.20", "/app/node_modules/lodash/package.json");
  const Package lodash_b = Pkg("npm", "lodash", "4.17.21", "/app/node_modules/lodash/package.json");
  const Package lodash_vendored =
      Pkg("npm", "lodash", "3.10.1", "/app/node_modules/x/node_modules/lodash/package.json");
  const Package openssl_a = Deb("openssl", "3.0.11-1~deb12u1");
  const Package openssl_b = Deb("openssl", "3.0.13-1~deb12u1");
  const Package zlib = Deb("zlib1g", "1:1.2.13.dfsg-1");
  struct Case {
    std::string name;
    ScanResult a;
    ScanResult b;
    Got want;
  };
  std::vector<Case> cases;
  cases.push_back({"identical images change nothing",
                   Scan({openssl_a, zlib}, {Check("DD-CIS-4.1", "")}, {Layer(0, "sha256:1")}),
                   Scan({openssl_a, zlib}, {Check("DD-CIS-4.1", "")}, {Layer(0, "sha256:1")}),
                   {.layers = {"0-0"}, .packages_unchanged = 2, .findings_unchanged = 1}});
  cases.push_back({"an OS package at another version is one change",
                   Scan({openssl_a, zlib}),
                   Scan({openssl_b, zlib}),
                   {.changed = {"deb:openssl:amd64@3.0.11-1~deb12u1 /var/lib/dpkg/status -> 3.0.13-1~deb12u1 "
                                "/var/lib/dpkg/status"},
                    .packages_unchanged = 1}});
  cases.push_back({"packages only in B are added, only in A removed",
                   Scan({zlib}),
                   Scan({openssl_a}),
                   {.added = {"deb:openssl:amd64@3.0.11-1~deb12u1 /var/lib/dpkg/status"},
                    .removed = {"deb:zlib1g:amd64@1:1.2.13.dfsg-1 /var/lib/dpkg/status"}}});
  cases.push_back({"another architecture is another OS package",
                   Scan({Deb("libc6", "2.36-9", "amd64")}),
                   Scan({Deb("libc6", "2.36-9", "i386")}),
                   {.added = {"deb:libc6:i386@2.36-9 /var/lib/dpkg/status"},
                    .removed = {"deb:libc6:amd64@2.36-9 /var/lib/dpkg/status"}}});
  cases.push_back({"one of two copies at two paths upgraded: one change, the other copy unchanged",
                   Scan({lodash_a, lodash_vendored}),
                   Scan({lodash_b, lodash_vendored}),
                   {.changed = {"npm:lodash@4.17.20 /app/node_modules/lodash/package.json -> 4.17.21 "
                                "/app/node_modules/lodash/package.json"},
                    .packages_unchanged = 1}});
  cases.push_back(
      {"a second copy at another path is added, not a change of the first",
       Scan({lodash_a}),
       Scan({lodash_a, lodash_vendored}),
       {.added = {"npm:lodash@3.10.1 /app/node_modules/x/node_modules/lodash/package.json"}, .packages_unchanged = 1}});
  cases.push_back({"two copies replaced by two at other paths cannot be paired: removed and added",
                   Scan({lodash_a, lodash_vendored}),
                   Scan({Pkg("npm", "lodash", "4.17.21", "/srv/a/node_modules/lodash/package.json"),
                         Pkg("npm", "lodash", "3.10.2", "/srv/b/node_modules/lodash/package.json")}),
                   {.added = {"npm:lodash@3.10.2 /srv/b/node_modules/lodash/package.json",
                              "npm:lodash@4.17.21 /srv/a/node_modules/lodash/package.json"},
                    .removed = {"npm:lodash@3.10.1 /app/node_modules/x/node_modules/lodash/package.json",
                                "npm:lodash@4.17.20 /app/node_modules/lodash/package.json"}}});
  cases.push_back(
      {"a package whose path holds its version is one change",
       Scan({Pkg("pypi", "requests", "2.31.0", "/usr/lib/python3/site-packages/requests-2.31.0.dist-info/METADATA")}),
       Scan({Pkg("pypi", "requests", "2.32.3", "/usr/lib/python3/site-packages/requests-2.32.3.dist-info/METADATA")}),
       {.changed = {"pypi:requests@2.31.0 /usr/lib/python3/site-packages/requests-2.31.0.dist-info/METADATA "
                    "-> 2.32.3 /usr/lib/python3/site-packages/requests-2.32.3.dist-info/METADATA"}}});
  cases.push_back(
      {"the same version moved to another path is unchanged",
       Scan({Pkg("pypi", "six", "1.16.0", "/usr/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA")}),
       Scan({Pkg("pypi", "six", "1.16.0", "/usr/lib/python3.12/site-packages/six-1.16.0.dist-info/METADATA")}),
       {.packages_unchanged = 1}});
  cases.push_back(
      {"an upgrade that fixes a CVE: fixed; one that does not: unchanged; a new package's CVE: new",
       Scan({openssl_a, lodash_a},
            {Vuln("CVE-2024-0727", openssl_a), Vuln("CVE-2023-5678", openssl_a), Vuln("CVE-2021-23337", lodash_a)}),
       Scan({openssl_b, lodash_a, zlib}, {Vuln("CVE-2024-0727", openssl_b), Vuln("CVE-2021-23337", lodash_a),
                                          Vuln("CVE-2023-45853", zlib, Severity::kCritical)}),
       {.added = {"deb:zlib1g:amd64@1:1.2.13.dfsg-1 /var/lib/dpkg/status"},
        .changed = {"deb:openssl:amd64@3.0.11-1~deb12u1 /var/lib/dpkg/status -> 3.0.13-1~deb12u1 "
                    "/var/lib/dpkg/status"},
        .fixed = {"CVE-2023-5678 3.0.11-1~deb12u1"},
        .fresh = {"CVE-2023-45853 1:1.2.13.dfsg-1"},
        .packages_unchanged = 1,
        .vulnerabilities_unchanged = 2}});
  cases.push_back(
      {"the same CVE in two copies of a package is two vulnerabilities",
       Scan({lodash_a, lodash_vendored}, {Vuln("CVE-2021-23337", lodash_a)}),
       Scan({lodash_a, lodash_vendored}, {Vuln("CVE-2021-23337", lodash_a), Vuln("CVE-2021-23337", lodash_vendored)}),
       {.fresh = {"CVE-2021-23337 3.10.1"}, .packages_unchanged = 2, .vulnerabilities_unchanged = 1}});
  cases.push_back({"findings by fingerprint: the same one in both is unchanged, the rest added or removed",
                   Scan({}, {Check("DD-CIS-4.1", ""), Check("DD-IMG-DOTENV", "/app/.env", "sha256:2")}),
                   Scan({}, {Check("DD-CIS-4.1", ""), Check("DD-IMG-DOTENV", "/app/.env", "sha256:3"),
                             Check("DD-IMG-SUID", "/usr/bin/su", "sha256:3")}),
                   {.findings_added = {"DD-IMG-DOTENV /app/.env", "DD-IMG-SUID /usr/bin/su"},
                    .findings_removed = {"DD-IMG-DOTENV /app/.env"},
                    .findings_unchanged = 1}});
  cases.push_back({"layers by diff_id: shared wherever they sit, the rest only in A or only in B",
                   Scan({}, {}, {Layer(0, "sha256:1"), Layer(1, "sha256:2"), Layer(2, "sha256:3")}),
                   Scan({}, {}, {Layer(0, "sha256:1"), Layer(1, "sha256:3"), Layer(2, "sha256:4")}),
                   {.layers = {"0-0", "2-1", "1-", "-2"}}});
  cases.push_back({"a diff_id twice in A and once in B shares one layer",
                   Scan({}, {}, {Layer(0, "sha256:e"), Layer(1, "sha256:e")}),
                   Scan({}, {}, {Layer(0, "sha256:e")}),
                   {.layers = {"0-0", "1-"}}});
  cases.push_back({"layers without a diff_id (dir: targets) are never shared",
                   Scan({}, {}, {Layer(0, "")}),
                   Scan({}, {}, {Layer(0, "")}),
                   {.layers = {"0-", "-0"}}});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Describe(Compare(c.a, c.b)), c.want);
  }
}

TEST(Compare, VulnerabilitiesAreComparedOnlyWhenBothScansRanTheScanner) {
  const Package p = Deb("openssl", "3.0.11-1~deb12u1");
  ScanResult a = Scan({p}, {Vuln("CVE-1", p)});
  ScanResult b = Scan({p});
  b.scanners = {"misconfig"};
  const Comparison c = Compare(a, b);
  EXPECT_FALSE(c.vulnerabilities_compared);
  EXPECT_TRUE(c.vulnerabilities_fixed.empty());
  EXPECT_TRUE(c.packages_compared);
}

TEST(Compare, PackagesAreComparedOnlyWhenBothScansHaveAnInventory) {
  ScanResult a = Scan({Deb("zlib1g", "1")});
  ScanResult b = Scan({});
  b.inventory.reset();
  const Comparison c = Compare(a, b);
  EXPECT_FALSE(c.packages_compared);
  EXPECT_TRUE(c.packages_removed.empty());
  EXPECT_FALSE(c.b.packages.has_value());
}

TEST(Compare, IntroducedIsTheNewVulnerabilitiesAndTheAddedFindings) {
  const Package p = Deb("zlib1g", "1");
  ScanResult a = Scan({p}, {Check("DD-CIS-4.6", ""), Vuln("CVE-OLD", p, Severity::kLow)});
  ScanResult b = Scan({p}, {Check("DD-CIS-4.1", "", "", Severity::kHigh), Vuln("CVE-NEW", p, Severity::kCritical)});
  const Comparison c = Compare(a, b);
  std::vector<std::string> got;
  for (const Finding* f : Introduced(c)) got.push_back(f->rule_id);
  EXPECT_EQ(got, (std::vector<std::string>{"CVE-NEW", "DD-CIS-4.1"}));
  EXPECT_EQ(c.a.vulnerabilities, 1);
  EXPECT_EQ(c.a.findings, 1);
}

TEST(Compare, SizesAndCountsComeFromEachSide) {
  ScanResult a = Scan({Deb("a", "1"), Deb("b", "1")}, {}, {Layer(0, "sha256:1")});
  a.target = "a.tar";
  a.summary.total_tar_bytes = 1000;
  a.summary.total_blob_bytes = 400;
  a.summary.files = 10;
  a.image.config.os = "linux";
  a.image.config.architecture = "arm64";
  a.image.config.variant = "v8";
  ScanResult b = a;
  b.target = "b.tar";
  b.summary.total_tar_bytes = 1500;
  b.diagnostics.push_back({"layer 1", "bad"});
  const Comparison c = Compare(a, b);
  EXPECT_EQ(c.a.target, "a.tar");
  EXPECT_EQ(c.b.target, "b.tar");
  EXPECT_EQ(c.a.platform, "linux/arm64/v8");
  EXPECT_EQ(c.a.total_tar_bytes, 1000);
  EXPECT_EQ(c.b.total_tar_bytes, 1500);
  EXPECT_EQ(c.a.total_blob_bytes, 400);
  EXPECT_EQ(c.a.files, 10);
  EXPECT_EQ(c.a.packages, 2);
  EXPECT_EQ(c.a.layers, 1);
  EXPECT_EQ(c.a.diagnostics, 0u);
  EXPECT_EQ(c.b.diagnostics, 1u);
}

}  // namespace
}  // namespace drydock
