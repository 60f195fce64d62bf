// Matching: the inventory against a database built by the test.
#include "vuln/match.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "vuln/db.h"

namespace drydock {
namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/drydock-vulndb-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

Advisory Adv(std::string id, std::vector<std::string> aliases, std::string source, Affected a) {
  Advisory x;
  x.id = std::move(id);
  x.aliases = std::move(aliases);
  x.source = std::move(source);
  x.title = "title of " + x.id;
  x.affected.push_back(std::move(a));
  return x;
}

Affected Ranged(std::string eco, std::string pkg, std::string introduced, std::string fixed) {
  Affected a;
  a.ecosystem = std::move(eco);
  a.package = std::move(pkg);
  a.range_type = "ECOSYSTEM";
  a.ranges.push_back(AffectedRange{std::move(introduced), std::move(fixed), "", ""});
  return a;
}

Affected Distro(std::string eco, std::string pkg, std::string fixed, std::string status, std::string sev = "") {
  Affected a;
  a.ecosystem = std::move(eco);
  a.package = std::move(pkg);
  a.range_type = "DISTRO";
  if (!fixed.empty()) a.ranges.push_back(AffectedRange{"", std::move(fixed), "", ""});
  a.status = std::move(status);
  a.severity = std::move(sev);
  return a;
}

Package Pkg(std::string type, std::string name, std::string version, std::string source = "",
            std::string source_version = "") {
  Package p;
  p.type = std::move(type);
  p.name = std::move(name);
  p.version = std::move(version);
  p.source_name = std::move(source);
  p.source_version = std::move(source_version);
  p.id = p.type + "/" + p.name + "@" + p.version;
  p.evidence.push_back({"test", "/var/lib/dpkg/status", "", 0});
  return p;
}

// Builds a database from `advisories` and matches `packages` on `os`.
std::vector<Finding> Match(const std::vector<Advisory>& advisories, const std::vector<Package>& packages,
                           const std::optional<OsRelease>& os) {
  TempDir dir;
  const std::string path = (dir.path / "db" / "drydock.db").string();
  EXPECT_TRUE(BuildDatabaseAtomically(path, [&](DbWriter& w) -> Status {
                for (const auto& a : advisories) RETURN_IF_ERROR(w.Add(a));
                return w.AddSource(DbSourceInfo{"test", "here", "", 1, 1, 1, 0});
              }).ok());
  auto db = VulnDb::Open(path);
  EXPECT_TRUE(db.ok()) << db.error().message;
  Inventory inv;
  inv.packages = packages;
  auto got = MatchInventory(inv, os, *db);
  EXPECT_TRUE(got.ok());
  return got.ok() ? *got : std::vector<Finding>{};
}

OsRelease Os(std::string id, std::string version) {
  OsRelease o;
  o.id = std::move(id);
  o.version_id = std::move(version);
  return o;
}

TEST(MatchTest, DebianBinaryMatchesThroughItsSourcePackageAndVersion) {
  // libssl1.1 comes from source openssl; the tracker names the source. The
  // binNMU binary version (+b1) must not hide the source version.
  auto got = Match(
      {Adv("DSA-5139-1", {"CVE-2022-1292"}, "debian-dsa", Distro("debian:11", "openssl", "1.1.1n-0+deb11u2", "fixed"))},
      {Pkg("deb", "libssl1.1", "1.1.1n-0+deb11u1+b1", "openssl", "1.1.1n-0+deb11u1")}, Os("debian", "11"));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].rule_id, "CVE-2022-1292");
  ASSERT_TRUE(got[0].vuln);
  EXPECT_EQ(got[0].vuln->aliases, std::vector<std::string>{"DSA-5139-1"});
  EXPECT_EQ(got[0].vuln->fixed_versions, std::vector<std::string>{"1.1.1n-0+deb11u2"});
  EXPECT_EQ(got[0].vuln->status, "fixed");
  EXPECT_EQ(got[0].vuln->installed_version, "1.1.1n-0+deb11u1+b1");
}

TEST(MatchTest, EachCaseOneBehaviour) {
  struct Case {
    const char* name;
    std::vector<Advisory> advisories;
    Package pkg;
    std::optional<OsRelease> os;
    std::vector<std::string> want_ids;
    std::string want_status;
  };
  const std::vector<Case> cases = {
      {"fixed version installed is not affected",
       {Adv("DSA-1", {"CVE-1"}, "debian-dsa", Distro("debian:11", "zlib", "1:1.2.11.dfsg-2+deb11u2", "fixed"))},
       Pkg("deb", "zlib1g", "1:1.2.11.dfsg-2+deb11u2", "zlib"),
       Os("debian", "11.6"),
       {},
       ""},
      {"other release's advisory does not apply",
       {Adv("DSA-1", {"CVE-1"}, "debian-dsa", Distro("debian:12", "zlib", "1:1.2.13.dfsg-1", "fixed"))},
       Pkg("deb", "zlib1g", "1:1.2.11.dfsg-2", "zlib"),
       Os("debian", "11"),
       {},
       ""},
      {"not-affected status never matches",
       {Adv("CVE-9", {}, "debian-tracker-json", Distro("debian:11", "zlib", "", "not_affected"))},
       Pkg("deb", "zlib1g", "1:1.2.11.dfsg-2", "zlib"),
       Os("debian", "11"),
       {},
       ""},
      {"no-dsa is reported as will_not_fix",
       {Adv("CVE-7", {}, "debian-tracker-json", Distro("debian:11", "zlib", "", "will_not_fix"))},
       Pkg("deb", "zlib1g", "1:1.2.11.dfsg-2", "zlib"),
       Os("debian", "11"),
       {"CVE-7"},
       "will_not_fix"},
      {"epoch is compared, never dropped",
       {Adv("ALSA-1", {"CVE-2"}, "osv-almalinux", Ranged("almalinux:9", "openssl-libs", "0", "1:3.0.7-6.el9_2"))},
       Pkg("rpm", "openssl-libs", "3.0.7-27.el9", "openssl"),
       Os("almalinux", "9.3"),
       {"CVE-2"},
       "fixed"},
      {"PyPI names match after PEP 503 normalization",
       {Adv("PYSEC-1", {"CVE-3"}, "osv-pypa", Ranged("pypi", "pyyaml", "0", "5.4"))},
       Pkg("pypi", "PyYAML", "5.3.1"),
       std::nullopt,
       {"CVE-3"},
       "fixed"},
      {"PEP 440 ordering: 5.4rc1 is before 5.4",
       {Adv("PYSEC-1", {}, "osv-pypa", Ranged("pypi", "pyyaml", "0", "5.4"))},
       Pkg("pypi", "pyyaml", "5.4rc1"),
       std::nullopt,
       {"PYSEC-1"},
       "fixed"},
      {"Go stdlib version from the toolchain",
       {Adv("GO-2023-1", {"CVE-4"}, "go-vulndb", Ranged("go", "stdlib", "1.21.0-0", "1.21.4"))},
       Pkg("golang", "stdlib", "v1.21.3"),
       std::nullopt,
       {"CVE-4"},
       "fixed"},
      {"kernel CVEs skip linux-libc-dev when no kernel ships",
       {Adv("DSA-2", {"CVE-5"}, "debian-dsa", Distro("debian:11", "linux", "5.10.1", "fixed"))},
       Pkg("deb", "linux-libc-dev", "5.10.0", "linux"),
       Os("debian", "11"),
       {},
       ""},
      {"a package of another ecosystem with the same name is not matched",
       {Adv("GHSA-x", {}, "osv", Ranged("npm", "core", "0", "9.9.9"))},
       Pkg("maven", "core", "1.0"),
       std::nullopt,
       {},
       ""},
      {"last_affected bound is inclusive",
       {Adv("RUSTSEC-1", {}, "rustsec",
            [] {
              Affected a = Ranged("cargo", "smallvec", "", "");
              a.ranges[0].last_affected = "1.6.0";
              return a;
            }())},
       Pkg("cargo", "smallvec", "1.6.0"),
       std::nullopt,
       {"RUSTSEC-1"},
       "affected"},
      {"explicit versions list",
       {Adv("GHSA-v", {}, "osv",
            [] {
              Affected a;
              a.ecosystem = "rubygems";
              a.package = "rack";
              a.versions = {"2.2.3", "2.2.4"};
              return a;
            }())},
       Pkg("gem", "rack", "2.2.4"),
       std::nullopt,
       {"GHSA-v"},
       "affected"},
      {"Alpine matches by origin at the major.minor branch",
       {Adv("alpine-CVE-6", {"CVE-6"}, "alpine-secdb", Distro("alpine:3.11", "openssl", "1.1.1g-r0", "fixed"))},
       Pkg("apk", "libssl1.1", "1.1.1d-r3", "openssl"),
       Os("alpine", "3.11.6"),
       {"CVE-6"},
       "fixed"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto got = Match(c.advisories, {c.pkg}, c.os);
    std::vector<std::string> ids;
    for (const auto& f : got) ids.push_back(f.rule_id);
    EXPECT_EQ(ids, c.want_ids);
    if (!got.empty()) {
      EXPECT_EQ(got[0].vuln->status, c.want_status);
    }
  }
}

TEST(MatchTest, SameCveFromTwoSourcesIsOneFindingWithEveryAlias) {
  auto got =
      Match({Adv("DSA-9", {"CVE-2022-1"}, "debian-dsa", Distro("debian:11", "curl", "7.74.0-1.3+deb11u2", "fixed")),
             Adv("CVE-2022-1", {}, "debian-tracker-json",
                 Distro("debian:11", "curl", "7.74.0-1.3+deb11u2", "fixed", "HIGH"))},
            {Pkg("deb", "libcurl4", "7.74.0-1.3+deb11u1", "curl")}, Os("debian", "11"));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].vuln->aliases, std::vector<std::string>{"DSA-9"});
  EXPECT_EQ(got[0].severity, Severity::kHigh);
  EXPECT_EQ(got[0].vuln->severity_source, "distro");
}

TEST(MatchTest, UnratedFindingTakesAnotherSourcesRatingOfTheSameCve) {
  Advisory ghsa = Adv("GHSA-aaaa", {"CVE-2022-37434"}, "osv", Ranged("pypi", "other", "0", "1"));
  ghsa.cvss.push_back({"3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"});
  auto got = Match({Adv("DSA-5218-1", {"CVE-2022-37434"}, "debian-dsa",
                        Distro("debian:11", "zlib", "1:1.2.11.dfsg-2+deb11u2", "fixed")),
                    ghsa},
                   {Pkg("deb", "zlib1g", "1:1.2.11.dfsg-2+deb11u1", "zlib")}, Os("debian", "11"));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].severity, Severity::kCritical);
  EXPECT_EQ(got[0].vuln->severity_source, "cvss-3.1 (osv)");
  ASSERT_EQ(got[0].vuln->cvss.size(), 1u);
  EXPECT_DOUBLE_EQ(got[0].vuln->cvss[0].score, 9.8);
}

TEST(MatchTest, KernelCvesApplyWhenTheImageShipsAKernel) {
  auto got =
      Match({Adv("DSA-2", {"CVE-5"}, "debian-dsa", Distro("debian:11", "linux", "5.10.1", "fixed"))},
            {Pkg("deb", "linux-libc-dev", "5.10.0", "linux"), Pkg("deb", "linux-image-amd64", "5.10.0", "linux")},
            Os("debian", "11"));
  EXPECT_EQ(got.size(), 2u);
}

TEST(MatchTest, DatabaseRoundTripKeepsRangesAndLists) {
  std::vector<AffectedRange> r = {{"", "1.2", "", ""}, {"2.0", "", "2.5", "3.0"}};
  auto back = DecodeRanges(EncodeRanges(r));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].introduced, "2.0");
  EXPECT_EQ(back[1].last_affected, "2.5");
  EXPECT_EQ(back[1].limit, "3.0");
  EXPECT_EQ(back[0].fixed, "1.2");
  EXPECT_EQ(SplitList(JoinList({"a", "", "b"})), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_TRUE(SplitList("").empty());
}

TEST(MatchTest, ImportKeepsOtherSourcesAndReplacesTheReimportedOne) {
  TempDir dir;
  const std::string path = (dir.path / "drydock.db").string();
  auto build = [&](const std::string& source, int n, bool keep) {
    return BuildDatabaseAtomically(path, [&](DbWriter& w) -> Status {
      for (int i = 0; i < n; ++i) {
        RETURN_IF_ERROR(w.Add(Adv(source + "-" + std::to_string(i), {}, source, Ranged("npm", "x", "0", "1"))));
      }
      if (keep) RETURN_IF_ERROR(w.CopyFrom(path, {source}));
      return w.AddSource(DbSourceInfo{source, "o", "", 1, n, n, 0});
    });
  };
  ASSERT_TRUE(build("a", 3, true).ok());
  ASSERT_TRUE(build("b", 2, true).ok());
  ASSERT_TRUE(build("a", 1, true).ok());
  auto db = VulnDb::Open(path);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*db->CountAdvisories(), 3);
  auto rows = db->Lookup("npm", "x");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->rows.size(), 3u);
  for (const auto& row : rows->rows) EXPECT_TRUE(db->Advisory(row.advisory).ok());
  auto sources = db->Sources();
  ASSERT_EQ(sources->size(), 2u);
  EXPECT_EQ((*sources)[0].advisories, 1);
}

TEST(MatchTest, MissingOrForeignDatabaseIsAClearError) {
  TempDir dir;
  auto missing = VulnDb::Open((dir.path / "none.db").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("db import"), std::string::npos);
  const std::string junk = (dir.path / "junk.db").string();
  FILE* f = std::fopen(junk.c_str(), "w");
  std::fputs("not sqlite at all, just text that is long enough to look like a file header....", f);
  std::fclose(f);
  auto bad = VulnDb::Open(junk);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("junk.db"), std::string::npos);
}

TEST(MatchTest, FailedBuildLeavesTheOldDatabase) {
  TempDir dir;
  const std::string path = (dir.path / "drydock.db").string();
  ASSERT_TRUE(BuildDatabaseAtomically(path, [&](DbWriter& w) -> Status {
                return w.Add(Adv("A-1", {}, "a", Ranged("npm", "x", "0", "1")));
              }).ok());
  auto s = BuildDatabaseAtomically(path, [&](DbWriter& w) -> Status {
    RETURN_IF_ERROR(w.Add(Adv("A-2", {}, "a", Ranged("npm", "x", "0", "1"))));
    return InputError("source broke half way");
  });
  EXPECT_FALSE(s.ok());
  auto db = VulnDb::Open(path);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*db->CountAdvisories(), 1);
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path)) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1u) << "the temp file of the failed build is removed";
}

}  // namespace
}  // namespace drydock
