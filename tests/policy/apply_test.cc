// Apply: which findings each source suppresses and why — ids and aliases,
// fingerprints, purls with version ranges that must not over-match, paths
// and layers, VEX statements decided by timestamp, the order between
// sources — and Load: the default ignore files, missing and odd files.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "policy/internal.h"
#include "policy/policy.h"

namespace drydock::policy {
namespace {

namespace fs = std::filesystem;

const Date kToday{2024, 6, 1};
const std::string kLayer0 = "sha256:" + std::string(64, '1');
const std::string kLayer1 = "sha256:" + std::string(64, '2');

Finding Vuln(std::string id, std::string name, std::string version, std::vector<std::string> aliases = {},
             std::string ns = "debian", std::string type = "deb") {
  Finding f;
  f.rule_id = id;
  f.kind = FindingKind::kVulnerability;
  f.severity = Severity::kHigh;
  f.location.layer_index = 0;
  f.location.diff_id = kLayer0;
  f.location.path = "/var/lib/dpkg/status";
  VulnerabilityDetail v;
  v.id = id;
  v.aliases = std::move(aliases);
  v.package_name = name;
  v.package_id = "id-" + name + "-" + version;
  v.installed_version = version;
  std::string encoded;
  for (char c : version) encoded += c == '+' ? std::string("%2B") : c == ':' ? std::string("%3A") : std::string(1, c);
  v.purl = "pkg:" + type + "/" + ns + "/" + name + "@" + encoded + "?arch=amd64&distro=debian-11";
  f.vuln = std::move(v);
  return f;
}

Finding Misconfig(std::string rule, std::string path, std::string layer = "") {
  Finding f;
  f.rule_id = std::move(rule);
  f.kind = FindingKind::kMisconfiguration;
  f.location.path = std::move(path);
  f.location.diff_id = std::move(layer);
  return f;
}

struct Sources {
  std::string ignore;
  std::string policy;
  std::vector<std::string> vex;
  Date today = kToday;
};

Policy Make(const Sources& s) {
  auto d = std::make_shared<PolicyData>();
  if (!s.ignore.empty()) {
    auto f = ParseIgnoreFile(s.ignore, ".drydockignore", s.today, d->warnings);
    EXPECT_TRUE(f.ok()) << f.error().message;
    if (f.ok()) d->ignore = std::move(*f);
  }
  if (!s.policy.empty()) {
    auto p = ParsePolicyFile(s.policy, "policy.yaml", s.today, d->warnings);
    EXPECT_TRUE(p.ok()) << p.error().message;
    if (p.ok()) d->policy = std::move(*p);
  }
  for (size_t i = 0; i < s.vex.size(); ++i) {
    const Status st = AddVexDocument(d->vex, s.vex[i], "vex" + std::to_string(i) + ".json");
    EXPECT_TRUE(st.ok()) << st.error().message;
  }
  IndexVex(d->vex);
  return Policy(std::move(d));
}

// The rule ids (and package versions) of what Apply suppressed.
std::vector<std::string> Suppressed(const Applied& a) {
  std::vector<std::string> out;
  for (const Finding& f : a.suppressed)
    out.push_back(f.rule_id + (f.vuln ? " " + f.vuln->package_name + "@" + f.vuln->installed_version : ""));
  return out;
}

std::string OpenVex(const std::string& timestamp, const std::string& statements) {
  return R"({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex", "author": "test",
             "version": 1, "timestamp": ")" +
         timestamp + R"(", "statements": [)" + statements + "]}";
}

std::string Statement(const std::string& vuln, const std::string& product, const std::string& status,
                      const std::string& extra = "") {
  std::string s = R"({"vulnerability": {"name": ")" + vuln + R"("}, "products": [{"@id": ")" + product +
                  R"("}], "status": ")" + status + "\"";
  if (status == "not_affected") s += R"(, "justification": "vulnerable_code_not_present")";
  if (status == "affected") s += R"(, "action_statement": "upgrade")";
  return s + extra + "}";
}

TEST(PolicyApply, IgnoreFileMatchesIdsAliasesRulesAndFingerprints) {
  Finding secret = Misconfig("DD-SECRET-github-pat", "/app/.env");
  secret.kind = FindingKind::kSecret;
  Finding root = Misconfig("DD-CIS-4.1", "");
  root.location.config_field = "config.User";
  root.Fingerprint();
  Finding dotenv = Misconfig("DD-IMG-005", "/app/.env");
  dotenv.Fingerprint();
  const std::vector<Finding> findings = {
      Vuln("CVE-2023-0286", "openssl", "1.1.1n-0+deb11u3", {"DSA-5343-1"}),
      Vuln("CVE-2023-0215", "openssl", "1.1.1n-0+deb11u3", {"DSA-5343-1", "GHSA-xxxx"}),
      Vuln("CVE-2022-1234", "zlib1g", "1:1.2.11.dfsg-2"),
      secret,
      root,
      dotenv,
  };
  struct Case {
    std::string name;
    std::string ignore;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"by id", "CVE-2022-1234\n", {"CVE-2022-1234 zlib1g@1:1.2.11.dfsg-2"}},
      {"by an alias: every vulnerability that has it",
       "DSA-5343-1\n",
       {"CVE-2023-0286 openssl@1.1.1n-0+deb11u3", "CVE-2023-0215 openssl@1.1.1n-0+deb11u3"}},
      {"by a GHSA alias", "GHSA-xxxx\n", {"CVE-2023-0215 openssl@1.1.1n-0+deb11u3"}},
      {"by rule id", "DD-CIS-4.1\n", {"DD-CIS-4.1"}},
      {"by fingerprint", dotenv.fingerprint + "\n", {"DD-IMG-005"}},
      {"a secret by Trivy's short rule id", "github-pat\n", {"DD-SECRET-github-pat"}},
      {"ids are case-sensitive, as Trivy's", "cve-2022-1234\n", {}},
      {"a prefix is not an id", "CVE-2022\n", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Applied a = Apply(Make({.ignore = c.ignore}), findings, {});
    EXPECT_EQ(Suppressed(a), c.want);
    EXPECT_EQ(a.kept.size() + a.suppressed.size(), findings.size());
  }
  const Applied a = Apply(Make({.ignore = "\n\nCVE-2022-1234 exp:2030-01-01 # not reachable\n"}), findings, {});
  ASSERT_EQ(a.suppressed.size(), 1u);
  const Suppression& why = *a.suppressed[0].suppression;
  EXPECT_EQ(why.kind, "ignorefile");
  EXPECT_EQ(why.source, ".drydockignore:3");
  EXPECT_EQ(why.reason, "not reachable");
  EXPECT_EQ(why.expires, "2030-01-01");
  const Applied bare = Apply(Make({.ignore = "CVE-2022-1234\n"}), findings, {});
  EXPECT_EQ(bare.suppressed[0].suppression->reason, "listed in .drydockignore");
}

TEST(PolicyApply, ExpiredEntriesNoLongerSuppress) {
  const std::vector<Finding> findings = {Vuln("CVE-2023-1234", "openssl", "1.1.1n-0+deb11u3")};
  struct Case {
    Date today;
    size_t suppressed;
  };
  for (const Case& c : std::vector<Case>{{{2024, 1, 30}, 1}, {{2024, 1, 31}, 0}, {{2025, 1, 1}, 0}}) {
    SCOPED_TRACE(c.today.str());
    const Policy ig = Make({.ignore = "CVE-2023-1234 exp:2024-01-31\n", .today = c.today});
    EXPECT_EQ(Apply(ig, findings, {}).suppressed.size(), c.suppressed);
    EXPECT_EQ(ig.warnings().size(), 1 - c.suppressed);
    const Policy pol =
        Make({.policy = "ignore:\n  - id: CVE-2023-1234\n    reason: r\n    expires: 2024-01-31\n", .today = c.today});
    EXPECT_EQ(Apply(pol, findings, {}).suppressed.size(), c.suppressed);
    EXPECT_EQ(pol.warnings().size(), 1 - c.suppressed);
  }
}

TEST(PolicyApply, PurlRangeDoesNotOverMatch) {
  const std::vector<Finding> findings = {
      Vuln("CVE-2023-0286", "openssl", "1.1.1n-0+deb11u3"),                // in range
      Vuln("CVE-2023-0286", "openssl", "1.1.1n-0+deb11u5"),                // the bound itself
      Vuln("CVE-2023-0286", "openssl", "1.1.1n-0+deb11u10"),               // u10 > u5
      Vuln("CVE-2023-0286", "openssl", "1:1.1.1a-1"),                      // an epoch: newer
      Vuln("CVE-2023-0286", "libssl1.1", "1.1.1n-0+deb11u3"),              // another binary of the source
      Vuln("CVE-2023-0286", "openssl-dev", "1.1.1n-0+deb11u3"),            // a longer name
      Vuln("CVE-2023-0286", "openssl", "1.1.1n-0+deb11u3", {}, "ubuntu"),  // another namespace
      Vuln("CVE-2023-0286", "openssl", "1.1.1", {}, "", "pypi"),           // another ecosystem
  };
  const Policy p = Make({.policy = R"(ignore:
  - purl: pkg:deb/debian/openssl
    versions: "< 1.1.1n-0+deb11u5"
    reason: fixed in our rebuild
)"});
  const Applied a = Apply(p, findings, {});
  EXPECT_EQ(Suppressed(a), (std::vector<std::string>{"CVE-2023-0286 openssl@1.1.1n-0+deb11u3"}));
  EXPECT_EQ(a.suppressed[0].suppression->source, "policy.yaml:2 (ignore[0])");
  EXPECT_EQ(a.suppressed[0].suppression->kind, "policy");

  struct Case {
    std::string name;
    std::string entry;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"a purl with a version: only that version",
       "purl: pkg:deb/debian/openssl@1.1.1n-0%2Bdeb11u5",
       {"CVE-2023-0286 openssl@1.1.1n-0+deb11u5"}},
      {"a purl without one: every version",
       "purl: pkg:deb/debian/openssl",
       {"CVE-2023-0286 openssl@1.1.1n-0+deb11u3", "CVE-2023-0286 openssl@1.1.1n-0+deb11u5",
        "CVE-2023-0286 openssl@1.1.1n-0+deb11u10", "CVE-2023-0286 openssl@1:1.1.1a-1"}},
      {"qualifiers must match", "purl: pkg:deb/debian/openssl?arch=arm64", {}},
      {"an id narrows a purl", "purl: pkg:deb/debian/openssl\n    id: CVE-2099-0001", {}},
      {"a range with two bounds",
       "purl: pkg:deb/debian/openssl\n    versions: '>= 1.1.1n-0+deb11u4, <= 1.1.1n-0+deb11u10'",
       {"CVE-2023-0286 openssl@1.1.1n-0+deb11u5", "CVE-2023-0286 openssl@1.1.1n-0+deb11u10"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Suppressed(Apply(Make({.policy = "ignore:\n  - " + c.entry + "\n    reason: r\n"}), findings, {})),
              c.want);
  }
}

TEST(PolicyApply, PathsAndLayersMustHoldForEveryLocation) {
  Finding once = Misconfig("DD-SECRET-x", "/opt/app/testdata/key.pem", kLayer1);
  Finding twice = Misconfig("DD-SECRET-y", "/opt/app/testdata/a.pem", kLayer1);
  Location elsewhere = twice.location;
  elsewhere.path = "/etc/ssl/private/a.pem";
  twice.more_locations = {elsewhere};
  Finding config = Misconfig("DD-CIS-4.1", "", kLayer1);
  const std::vector<Finding> findings = {once, twice, config};
  EXPECT_EQ(Suppressed(Apply(Make({.policy = "ignore:\n  - path: /opt/app/testdata/**\n    reason: fixtures\n"}),
                             findings, {})),
            (std::vector<std::string>{"DD-SECRET-x"}));
  EXPECT_EQ(
      Suppressed(Apply(Make({.policy = "ignore:\n  - layer: " + kLayer1 + "\n    reason: base\n"}), findings, {})),
      (std::vector<std::string>{"DD-SECRET-x", "DD-SECRET-y", "DD-CIS-4.1"}));
  EXPECT_EQ(
      Suppressed(Apply(Make({.policy = "ignore:\n  - layer: " + kLayer0 + "\n    reason: base\n"}), findings, {})),
      (std::vector<std::string>{}));
  // Keys of one entry all hold: a rule in a layer.
  EXPECT_EQ(
      Suppressed(Apply(Make({.policy = "ignore:\n  - layer: " + kLayer1 + "\n    id: DD-CIS-4.1\n    reason: b\n"}),
                       findings, {})),
      (std::vector<std::string>{"DD-CIS-4.1"}));
}

TEST(PolicyApply, TheFirstMatchingEntryOfAFileWins) {
  const std::vector<Finding> findings = {Vuln("CVE-1", "openssl", "1.0")};
  const Applied a = Apply(Make({.policy = R"(ignore:
  - path: /var/lib/**
    reason: third by id, first in the file
  - id: CVE-1
    reason: second
  - purl: pkg:deb/debian/openssl
    reason: third
)"}),
                          findings, {});
  ASSERT_EQ(a.suppressed.size(), 1u);
  EXPECT_EQ(a.suppressed[0].suppression->reason, "third by id, first in the file");
  const Applied b = Apply(Make({.ignore = "CVE-1 # first\nCVE-1 # second\n"}), findings, {});
  EXPECT_EQ(b.suppressed[0].suppression->reason, "first");
}

TEST(PolicyApply, SourcesAreConsultedPolicyThenIgnoreFileThenVex) {
  const std::vector<Finding> findings = {Vuln("CVE-1", "openssl", "1.0")};
  const std::string vex = OpenVex("2024-01-01T00:00:00Z", Statement("CVE-1", "pkg:deb/debian/openssl", "not_affected"));
  const std::string policy = "ignore:\n  - id: CVE-1\n    reason: ours\n";
  struct Case {
    Sources sources;
    std::string kind;
  };
  const std::vector<Case> cases = {
      {{.ignore = "CVE-1\n", .policy = policy, .vex = {vex}}, "policy"},
      {{.ignore = "CVE-1\n", .vex = {vex}}, "ignorefile"},
      {{.vex = {vex}}, "vex"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.kind);
    const Applied a = Apply(Make(c.sources), findings, {});
    ASSERT_EQ(a.suppressed.size(), 1u);
    EXPECT_EQ(a.suppressed[0].suppression->kind, c.kind);
  }
  // A VEX "affected" does not undo the user's own suppression.
  const std::string affected =
      OpenVex("2030-01-01T00:00:00Z", Statement("CVE-1", "pkg:deb/debian/openssl", "affected"));
  EXPECT_EQ(Apply(Make({.ignore = "CVE-1\n", .vex = {affected}}), findings, {}).suppressed.size(), 1u);
}

TEST(PolicyApply, VexMatchesByIdOrAliasAndProductPurl) {
  const std::vector<Finding> findings = {
      Vuln("CVE-2023-0286", "openssl", "1.1.1n-0+deb11u3", {"DSA-5343-1"}),
      Vuln("CVE-2023-0286", "openssl", "1.1.1n-0+deb11u5", {"DSA-5343-1"}),
      Vuln("CVE-2023-0286", "libssl1.1", "1.1.1n-0+deb11u3", {"DSA-5343-1"}),
  };
  struct Case {
    std::string name;
    std::string statement;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"a versioned purl: that version only",
       Statement("CVE-2023-0286", "pkg:deb/debian/openssl@1.1.1n-0%2Bdeb11u3", "not_affected"),
       {"CVE-2023-0286 openssl@1.1.1n-0+deb11u3"}},
      {"an unversioned purl: every version",
       Statement("CVE-2023-0286", "pkg:deb/debian/openssl", "fixed"),
       {"CVE-2023-0286 openssl@1.1.1n-0+deb11u3", "CVE-2023-0286 openssl@1.1.1n-0+deb11u5"}},
      {"the statement names an alias of the finding",
       Statement("DSA-5343-1", "pkg:deb/debian/libssl1.1", "not_affected"),
       {"CVE-2023-0286 libssl1.1@1.1.1n-0+deb11u3"}},
      {"the finding's id is an alias in the statement",
       R"({"vulnerability": {"name": "GHSA-zzzz", "aliases": ["CVE-2023-0286"]}, "products": [{"@id": "pkg:deb/debian/libssl1.1"}], "status": "fixed"})",
       {"CVE-2023-0286 libssl1.1@1.1.1n-0+deb11u3"}},
      {"another vulnerability", Statement("CVE-2023-0287", "pkg:deb/debian/openssl", "not_affected"), {}},
      {"identifiers.purl",
       R"({"vulnerability": {"name": "CVE-2023-0286"}, "products": [{"@id": "https://x", "identifiers": {"purl": "pkg:deb/debian/libssl1.1"}}], "status": "fixed"})",
       {"CVE-2023-0286 libssl1.1@1.1.1n-0+deb11u3"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Suppressed(Apply(Make({.vex = {OpenVex("2024-01-01T00:00:00Z", c.statement)}}), findings, {})), c.want);
  }
  const Applied a =
      Apply(Make({.vex = {OpenVex("2024-01-01T00:00:00Z",
                                  Statement("CVE-2023-0286", "pkg:deb/debian/libssl1.1", "not_affected",
                                            R"(, "impact_statement": "X.400 names are never parsed")"))}}),
            findings, {});
  ASSERT_EQ(a.suppressed.size(), 1u);
  const Suppression& why = *a.suppressed[0].suppression;
  EXPECT_EQ(why.kind, "vex");
  EXPECT_EQ(why.source, "vex0.json: statements[0]");
  EXPECT_EQ(why.status, "not_affected");
  EXPECT_EQ(why.justification, "vulnerable_code_not_present");
  EXPECT_EQ(why.reason, "X.400 names are never parsed");
}

TEST(PolicyApply, ConflictingVexStatementsAreDecidedByTimestamp) {
  const std::vector<Finding> findings = {Vuln("CVE-1", "openssl", "1.0")};
  const std::string p = "pkg:deb/debian/openssl";
  const std::string old_na = OpenVex("2024-01-01T00:00:00Z", Statement("CVE-1", p, "not_affected"));
  const std::string new_aff = OpenVex("2024-06-01T00:00:00Z", Statement("CVE-1", p, "affected"));
  const std::string newer_na = OpenVex("2024-07-01T00:00:00Z", Statement("CVE-1", p, "not_affected"));
  const std::string same_time_aff = OpenVex("2024-01-01T00:00:00Z", Statement("CVE-1", p, "affected"));
  struct Case {
    std::string name;
    std::vector<std::string> docs;
    bool suppressed;
    std::string note;  // the kept finding's VEX status
  };
  const std::vector<Case> cases = {
      {"a later affected overrides not_affected", {old_na, new_aff}, false, "affected"},
      {"whatever the order of the files", {new_aff, old_na}, false, "affected"},
      {"a later not_affected overrides affected", {new_aff, newer_na}, true, ""},
      {"equal times: the later file wins", {old_na, same_time_aff}, false, "affected"},
      {"equal times: the later file wins (2)", {same_time_aff, old_na}, true, ""},
      {"a statement's own timestamp beats its document's",
       {OpenVex("2024-12-01T00:00:00Z",
                Statement("CVE-1", p, "not_affected", R"(, "timestamp": "2023-01-01T00:00:00Z")")),
        new_aff},
       false,
       "affected"},
      {"under_investigation does not suppress",
       {OpenVex("2024-01-01T00:00:00Z", Statement("CVE-1", p, "under_investigation"))},
       false,
       "under_investigation"},
      {"a later under_investigation reopens",
       {old_na, OpenVex("2024-02-01T00:00:00Z", Statement("CVE-1", p, "under_investigation"))},
       false,
       "under_investigation"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Applied a = Apply(Make({.vex = c.docs}), findings, {});
    ASSERT_EQ(a.suppressed.size(), c.suppressed ? 1u : 0u);
    if (!c.suppressed) {
      ASSERT_TRUE(a.kept[0].vex_note.has_value());
      EXPECT_EQ(a.kept[0].vex_note->status, c.note);
    }
  }
  // Within one document: the later statement of two with the same time.
  const Applied one = Apply(Make({.vex = {OpenVex("2024-01-01T00:00:00Z", Statement("CVE-1", p, "not_affected") + "," +
                                                                              Statement("CVE-1", p, "affected"))}}),
                            findings, {});
  EXPECT_TRUE(one.suppressed.empty());
}

TEST(PolicyApply, VexProductsThatNameTheImage) {
  ImageInfo image;
  image.repo_tags = {"registry.example.com/team/app:1.2"};
  image.manifest_digest = Digest{"sha256", std::string(64, 'b')};
  image.config_digest = Digest{"sha256", std::string(64, 'a')};
  Inventory inv;
  Package gobin;
  gobin.purl = "pkg:golang/example.com/app@v1.0.0";
  inv.packages = {gobin};
  const Subject subject{&inv, &image};
  const std::vector<Finding> findings = {Vuln("CVE-1", "openssl", "1.0"), Vuln("CVE-1", "zlib", "1.0")};
  const std::string b = "sha256%3A" + std::string(64, 'b');
  struct Case {
    std::string name;
    std::string products;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"the image by manifest digest: every package",
       R"([{"@id": "pkg:oci/app@)" + b + R"("}])",
       {"CVE-1 openssl@1.0", "CVE-1 zlib@1.0"}},
      {"the image by image id",
       R"([{"@id": "pkg:oci/app@sha256%3A)" + std::string(64, 'a') + R"("}])",
       {"CVE-1 openssl@1.0", "CVE-1 zlib@1.0"}},
      {"the image by name",
       R"([{"@id": "pkg:oci/app?repository_url=registry.example.com/team/app"}])",
       {"CVE-1 openssl@1.0", "CVE-1 zlib@1.0"}},
      {"another image", R"([{"@id": "pkg:oci/app@sha256%3A)" + std::string(64, 'c') + R"("}])", {}},
      {"another name", R"([{"@id": "pkg:oci/other"}])", {}},
      {"a subcomponent of the image",
       R"([{"@id": "pkg:oci/app@)" + b + R"(", "subcomponents": [{"@id": "pkg:deb/debian/zlib"}]}])",
       {"CVE-1 zlib@1.0"}},
      {"a subcomponent of another image",
       R"([{"@id": "pkg:oci/app@sha256%3A)" + std::string(64, 'c') +
           R"(", "subcomponents": [{"@id": "pkg:deb/debian/zlib"}]}])",
       {}},
      {"a subcomponent of a package in the image",
       R"([{"@id": "pkg:golang/example.com/app", "subcomponents": [{"@id": "pkg:deb/debian/zlib"}]}])",
       {"CVE-1 zlib@1.0"}},
      {"a subcomponent of a package not in the image",
       R"([{"@id": "pkg:golang/example.com/other", "subcomponents": [{"@id": "pkg:deb/debian/zlib"}]}])",
       {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string st = R"({"vulnerability": {"name": "CVE-1"}, "products": )" + c.products +
                           R"(, "status": "not_affected", "justification": "component_not_present"})";
    EXPECT_EQ(Suppressed(Apply(Make({.vex = {OpenVex("2024-01-01T00:00:00Z", st)}}), findings, subject)), c.want);
  }
}

TEST(PolicyApply, CycloneDxRefsAndVersions) {
  const std::vector<Finding> findings = {Vuln("CVE-1", "openssl", "1.0"), Vuln("CVE-1", "openssl", "2.0"),
                                         Vuln("CVE-1", "zlib", "1.0")};
  auto cdx = [](const std::string& affects, const std::string& state = "not_affected") {
    return R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
               "components": [{"type": "library", "name": "openssl", "bom-ref": "ssl", "purl": "pkg:deb/debian/openssl"}],
               "vulnerabilities": [{"id": "CVE-1", "analysis": {"state": ")" +
           state + R"(", "justification": "code_not_reachable"}, "affects": )" + affects + "}]}";
  };
  struct Case {
    std::string name;
    std::string doc;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"a bom-ref of the document's component", cdx(R"([{"ref": "ssl"}])"), {"CVE-1 openssl@1.0", "CVE-1 openssl@2.0"}},
      {"a purl", cdx(R"([{"ref": "pkg:deb/debian/zlib"}])"), {"CVE-1 zlib@1.0"}},
      {"a drydock package id (its SBOM's bom-ref)", cdx(R"([{"ref": "id-openssl-2.0"}])"), {"CVE-1 openssl@2.0"}},
      {"listed versions narrow it",
       cdx(R"([{"ref": "ssl", "versions": [{"version": "2.0", "status": "unaffected"}]}])"),
       {"CVE-1 openssl@2.0"}},
      {"ranges alone apply to nothing", cdx(R"([{"ref": "ssl", "versions": [{"range": "vers:deb/<3.0"}]}])"), {}},
      {"resolved is fixed", cdx(R"([{"ref": "pkg:deb/debian/zlib"}])", "resolved"), {"CVE-1 zlib@1.0"}},
      {"false_positive is not_affected",
       cdx(R"([{"ref": "pkg:deb/debian/zlib"}])", "false_positive"),
       {"CVE-1 zlib@1.0"}},
      {"in_triage does not suppress", cdx(R"([{"ref": "pkg:deb/debian/zlib"}])", "in_triage"), {}},
      {"exploitable does not suppress", cdx(R"([{"ref": "pkg:deb/debian/zlib"}])", "exploitable"), {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Suppressed(Apply(Make({.vex = {c.doc}}), findings, {})), c.want);
  }
}

TEST(PolicyApply, FingerprintsAreComputedAndOrderKept) {
  std::vector<Finding> findings = {Misconfig("DD-A", "/a"), Misconfig("DD-B", "/b"), Misconfig("DD-C", "/c")};
  const Applied none = Apply(Policy(), findings, {});
  ASSERT_EQ(none.kept.size(), 3u);
  for (const Finding& f : none.kept) EXPECT_EQ(f.fingerprint.size(), 16u);
  Finding b = findings[1];
  b.Fingerprint();
  const Applied a = Apply(Make({.ignore = b.fingerprint + "\nDD-A\n"}), findings, {});
  EXPECT_EQ(Suppressed(a), (std::vector<std::string>{"DD-A", "DD-B"}));
  ASSERT_EQ(a.kept.size(), 1u);
  EXPECT_EQ(a.kept[0].rule_id, "DD-C");
  EXPECT_FALSE(a.kept[0].suppression.has_value());
}

// ---- Load -------------------------------------------------------------------------

class PolicyLoad : public testing::Test {
 protected:
  void SetUp() override {
    std::string templ = testing::TempDir() + "drydock-policy-XXXXXX";
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string dir_;
};

TEST_F(PolicyLoad, DefaultIgnoreFilesOursFirstThenTrivys) {
  LoadOptions opts;
  opts.today = kToday;
  opts.default_ignore_files = {dir_ + "/.drydockignore", dir_ + "/.trivyignore"};
  auto none = Load(opts);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  Write(".trivyignore", "CVE-T\n");
  auto trivy = Load(opts);
  ASSERT_TRUE(trivy.ok());
  ASSERT_TRUE(trivy->data().ignore.has_value());
  EXPECT_EQ(trivy->data().ignore->lines[0].id, "CVE-T");
  Write(".drydockignore", "CVE-D\n");
  auto ours = Load(opts);
  ASSERT_TRUE(ours.ok());
  EXPECT_EQ(ours->data().ignore->lines[0].id, "CVE-D");
  EXPECT_EQ(ours->data().ignore->lines.size(), 1u);  // not both
  // An explicit --ignorefile replaces the defaults.
  opts.ignore_file = Write("mine", "CVE-M\n");
  auto mine = Load(opts);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->data().ignore->lines[0].id, "CVE-M");
}

TEST_F(PolicyLoad, FilesThatCannotBeUsedAreErrorsNamingThem) {
  struct Case {
    std::string name;
    LoadOptions opts;
    std::string error;
  };
  const std::string dir = dir_;
  std::vector<Case> cases;
  // No default ignore file is looked for in the test's working directory.
  LoadOptions base;
  base.default_ignore_files = {};
  {
    LoadOptions o = base;
    o.ignore_file = dir + "/missing";
    cases.push_back({"missing ignore file", o, "missing: cannot read the ignore file: No such file"});
  }
  {
    LoadOptions o = base;
    o.ignore_file = dir;
    cases.push_back({"a directory", o, ": the ignore file is a directory"});
  }
  {
    LoadOptions o = base;
    o.ignore_file = Write(".trivyignore.yaml", "vulnerabilities: []\n");
    cases.push_back({"Trivy's YAML ignore file", o, "a YAML ignore file (Trivy's .trivyignore.yaml)"});
  }
  {
    LoadOptions o = base;
    o.policy_file = dir + "/nope.yaml";
    cases.push_back({"missing policy", o, "nope.yaml: cannot read the ignore policy"});
  }
  {
    LoadOptions o = base;
    o.vex_files = {Write("ok.json", R"({"bomFormat": "CycloneDX", "specVersion": "1.6"})"), dir + "/gone.json"};
    cases.push_back({"missing VEX", o, "gone.json: cannot read the VEX document"});
  }
  {
    LoadOptions o = base;
    o.default_ignore_files = {Write(".drydockignore", "CVE-1 exp:2024-02-30\n")};
    cases.push_back({"a bad default file", o, ".drydockignore:1: exp: 2024-02-30: February 2024 has 29 days"});
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto p = Load(c.opts);
    ASSERT_FALSE(p.ok());
    EXPECT_NE(p.error().message.find(c.error), std::string::npos) << p.error().message;
  }
}

}  // namespace
}  // namespace drydock::policy
