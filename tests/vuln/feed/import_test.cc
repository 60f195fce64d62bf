// Advisory importers on small fixtures copied from ../shared/data/advisories
// (tests/testdata/vuln/PROVENANCE.md), and, when ../shared is beside the
// repo, a full import of every shipped source against the counts its
// PROVENANCE.md gives.
#include "vuln/feed/importers.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "vuln/feed/common.h"

namespace drydock {
namespace {

const std::string kData = std::string(DRYDOCK_TESTDATA) + "/vuln";

struct Collected {
  std::vector<Advisory> advisories;
  AdvisorySink sink() {
    return [this](Advisory&& a) -> Status {
      advisories.push_back(std::move(a));
      return Ok();
    };
  }
  const Advisory* Find(const std::string& id) const {
    for (const auto& a : advisories) {
      if (a.id == id) return &a;
    }
    return nullptr;
  }
};

std::string RangesText(const Affected& a) {
  std::string s;
  for (const auto& r : a.ranges) {
    if (!s.empty()) s += " ";
    s += "[" + r.introduced;
    if (!r.fixed.empty()) s += ",fixed " + r.fixed;
    if (!r.last_affected.empty()) s += ",last " + r.last_affected;
    s += "]";
  }
  return s;
}

// What one fixture must yield: the advisory, its aliases, and one affected
// package with its ranges and status.
struct Want {
  const char* path;  // under testdata/vuln
  Status (*import)(const std::string&, const AdvisorySink&, ImportStats&);
  const char* id;
  const char* source;
  const char* alias;  // one alias it must carry ("" = none checked)
  const char* ecosystem;
  const char* package;
  const char* ranges;  // RangesText of that package
  const char* status;
  const char* severity;  // advisory or affected severity ("" = not checked)
};

const Want kWants[] = {
    {"osv/PYSEC-2021-335.yaml", ImportOsv, "PYSEC-2021-335", "osv-pypa", "GHSA-qcx9-j53g-ccgf", "pypi", "accesscontrol",
     "[4.0,fixed 4.3] [5.0,fixed 5.2]", "", ""},
    {"osv/GO-2020-0001.json", ImportOsv, "GO-2020-0001", "go-vulndb", "CVE-2020-36567", "go",
     "github.com/gin-gonic/gin", "[,fixed 1.6.0]", "", ""},
    {"osv/GO-2021-0067.json", ImportOsv, "GO-2021-0067", "go-vulndb", "CVE-2021-27919", "go", "stdlib",
     "[1.16.0-0,fixed 1.16.1]", "", ""},
    {"osv/almalinux-sample.tar.gz", ImportOsv, "ALSA-2022:4587", "osv-almalinux", "CVE-2022-29970", "almalinux:9",
     "pcs", "[,fixed 0.11.1-10.el9]", "", "HIGH"},
    {"rustsec", ImportRustSec, "RUSTSEC-2020-0146", "rustsec", "CVE-2020-36465", "cargo", "generic-array",
     "[0.8.0,fixed 0.8.4] [0.9.0,fixed 0.9.1] [0.10.0,fixed 0.10.1] [0.11.0,fixed 0.11.2] [0.12.0,fixed 0.12.4] "
     "[0.13.0,fixed 0.13.3]",
     "", ""},
    {"rubysec/gems", ImportRubySec, "CVE-2026-54659", "rubysec", "", "rubygems", "pagy", "[43.0.0,fixed 43.5.6]", "",
     ""},
    {"rubysec/rubies", ImportRubySec, "CVE-2022-25857", "rubysec", "", "ruby", "jruby", "[,fixed 9.3.8.0]", "", "HIGH"},
    {"nodejs", ImportNodeNpm, "NSWG-ECO-1", "nodejs-npm", "CVE-2014-7205", "npm", "bassmaster", "[,fixed 1.5.2]", "",
     ""},
    {"nodejs", ImportNodeNpm, "NSWG-ECO-500", "nodejs-npm", "CVE-2019-5432", "npm", "mqtt-packet",
     "[,fixed 3.5.1] [4.0.0,fixed 4.1.3] [5.0.0,fixed 5.6.1] [6.0.0,fixed 6.1.2]", "", ""},
    {"alpine", ImportAlpineSecdb, "CVE-2019-14904", "alpine-secdb", "", "alpine:3.11", "ansible", "[,fixed 2.9.3-r0]",
     "fixed", ""},
    {"debian/data/DSA/list", ImportDebianList, "DSA-5380-1", "debian-dsa", "CVE-2023-1393", "debian:11", "xorg-server",
     "[,fixed 2:1.20.11-1+deb11u6]", "fixed", ""},
    {"debian/data/DSA/list", ImportDebianList, "DSA-2275-1", "debian-dsa", "CVE-2011-2685", "debian:5",
     "openoffice.org", "", "not_affected", ""},
    {"debian/data/DLA/list", ImportDebianList, "DLA-3378-1", "debian-dla", "CVE-2021-46322", "debian:10", "duktape",
     "[,fixed 2.3.0-1+deb10u1]", "fixed", ""},
    {"debian-json/tracker.json", ImportDebianTrackerJson, "CVE-2023-0286", "debian-tracker-json", "", "debian:11",
     "openssl", "[,fixed 1.1.1n-0+deb11u4]", "fixed", "HIGH"},
    {"debian-json/tracker.json", ImportDebianTrackerJson, "CVE-2010-5298", "debian-tracker-json", "", "debian:11",
     "openssl", "", "not_affected", "LOW"},
};

TEST(Import, EachImporterOnItsFixture) {
  for (const auto& w : kWants) {
    Collected got;
    ImportStats stats;
    auto st = w.import(kData + "/" + w.path, got.sink(), stats);
    ASSERT_TRUE(st.ok()) << w.path << ": " << st.error().message;
    EXPECT_EQ(stats.skipped, 0) << w.path << ": " << (stats.warnings.empty() ? "" : stats.warnings[0]);
    const Advisory* a = got.Find(w.id);
    ASSERT_NE(a, nullptr) << w.path << ": no " << w.id;
    EXPECT_EQ(a->source, w.source) << w.id;
    if (*w.alias) {
      EXPECT_NE(std::find(a->aliases.begin(), a->aliases.end(), w.alias), a->aliases.end())
          << w.id << " lacks " << w.alias;
    }
    const Affected* aff = nullptr;
    for (const auto& x : a->affected) {
      if (x.ecosystem == w.ecosystem && x.package == w.package) aff = &x;
    }
    ASSERT_NE(aff, nullptr) << w.id << ": no affected " << w.ecosystem << "/" << w.package;
    EXPECT_EQ(RangesText(*aff), w.ranges) << w.id;
    EXPECT_EQ(aff->status, w.status) << w.id;
    if (*w.severity) {
      EXPECT_TRUE(a->severity == w.severity || aff->severity == w.severity) << w.id;
    }
  }
}

TEST(Import, NodeRangeKeptRaw) {
  Collected got;
  ImportStats stats;
  ASSERT_TRUE(ImportNodeNpm(kData + "/nodejs", got.sink(), stats).ok());
  const Advisory* a = got.Find("NSWG-ECO-500");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->affected[0].raw_range, "<3.5.1 || >=4.0.0 <4.1.3 || >=5.0.0 <5.6.1 || >=6.0.0 <6.1.2");
  ASSERT_EQ(a->cvss.size(), 1u);
  EXPECT_EQ(a->cvss[0].first, "3.0");
}

TEST(Import, DebianTrackerStatuses) {
  Collected got;
  ImportStats stats;
  ASSERT_TRUE(ImportDebianTrackerJson(kData + "/debian-json/tracker.json", got.sink(), stats).ok());
  EXPECT_EQ(got.advisories.size(), 3u);       // CVE-2023-0286 spans two packages: one advisory
  std::map<std::string, std::string> status;  // "pkg debian:N" -> status
  for (const auto& a : got.advisories) {
    for (const auto& x : a.affected) status[a.id + " " + x.package + " " + x.ecosystem] = x.status;
  }
  EXPECT_EQ(status["CVE-2023-0286 openssl debian:12"], "fixed");
  EXPECT_EQ(status["CVE-2023-0286 openssl debian:10"], "end_of_life");
  EXPECT_EQ(status["CVE-2023-0286 curl debian:11"], "will_not_fix");
  EXPECT_EQ(status["CVE-2023-27533 curl debian:11"], "affected");
}

TEST(Import, RequirementsToRanges) {
  using importer::ReqDialect;
  struct Case {
    std::vector<std::string> safe;
    ReqDialect dialect;
    const char* want;
  } cases[] = {
      {{">= 1.2.3"}, ReqDialect::kCargo, "[,fixed 1.2.3]"},
      {{">= 1.2.3, < 2.0.0", ">= 2.1.0"}, ReqDialect::kCargo, "[,fixed 1.2.3] [2.0.0,fixed 2.1.0]"},
      {{}, ReqDialect::kCargo, "[]"},
      {{"< 0.12"}, ReqDialect::kCargo, "[0.12.0]"},
      {{"^0.3.1"}, ReqDialect::kCargo, "[,fixed 0.3.1] [0.4.0]"},
      {{"~1.2"}, ReqDialect::kCargo, "[,fixed 1.2.0] [1.3.0]"},
      {{">= 1.0.0-alpha.2, < 1.0.0"}, ReqDialect::kCargo, "[,fixed 1.0.0-alpha.2] [1.0.0]"},
      {{"> 1.2.3"}, ReqDialect::kCargo, "[,last 1.2.3]"},
      {{"~> 5.2.4, >= 5.2.4.3", ">= 6.0.2.2"}, ReqDialect::kRubyGems, "[,fixed 5.2.4.3] [5.3,fixed 6.0.2.2]"},
      {{"~> 2.0"}, ReqDialect::kRubyGems, "[,fixed 2.0] [3]"},
      {{"< 43.0.0", ">= 43.5.6"}, ReqDialect::kRubyGems, "[43.0.0,fixed 43.5.6]"},
      {{">= 1.0", ">= 0.5, < 2"}, ReqDialect::kRubyGems, "[,fixed 0.5]"},
  };
  for (const auto& c : cases) {
    std::vector<importer::Interval> safe;
    for (const auto& r : c.safe) {
      auto i = importer::ParseRequirement(r, c.dialect);
      ASSERT_TRUE(i.ok()) << r << ": " << i.error().message;
      safe.push_back(*i);
    }
    auto ranges = importer::ComplementToRanges(
        safe, c.dialect == ReqDialect::kCargo ? VersionScheme::kCargo : VersionScheme::kRubyGems);
    ASSERT_TRUE(ranges.ok()) << ranges.error().message;
    Affected a;
    a.ranges = *ranges;
    std::string got = RangesText(a);
    EXPECT_EQ(got.empty() ? "[]" : got, c.want) << (c.safe.empty() ? "(none)" : c.safe[0]);
  }
}

TEST(Import, MalformedFilesAreWarningsNotFailures) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("drydock-import-bad-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    FILE* f = std::fopen((dir / name).c_str(), "wb");
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  };
  write(
      "GOOD.json",
      R"({"id":"OSV-1","affected":[{"package":{"ecosystem":"PyPI","name":"Foo_Bar"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0"}]}]}]})");
  write("BAD1.json", "{\"id\": ");
  write("BAD2.json", std::string(200, '['));
  write("BAD3.json", "[1, 2, 3]");
  Collected got;
  ImportStats stats;
  ASSERT_TRUE(ImportOsv(dir.string(), got.sink(), stats).ok());
  EXPECT_EQ(got.advisories.size(), 1u);
  ASSERT_EQ(got.advisories.size(), 1u);
  EXPECT_EQ(got.advisories[0].affected[0].package, "foo-bar");  // PEP 503
  EXPECT_EQ(stats.files, 4);
  EXPECT_GE(stats.skipped, 3);
  EXPECT_FALSE(stats.warnings.empty());
  fs::remove_all(dir);
}

TEST(Import, SinkErrorStopsTheImport) {
  int calls = 0;
  AdvisorySink failing = [&](Advisory&&) -> Status {
    ++calls;
    return InputError("disk full");
  };
  ImportStats stats;
  auto st = ImportDebianList(kData + "/debian/data/DSA/list", failing, stats);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "disk full");
  EXPECT_EQ(calls, 1);
}

TEST(Import, PathDetectsEverySource) {
  Collected got;
  auto stats = ImportPath(kData, got.sink());
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  std::map<std::string, int64_t> per_source;
  for (const auto& s : *stats) per_source[s.source] += s.advisories;
  for (const char* src : {"osv-pypa", "go-vulndb", "osv-almalinux", "rustsec", "rubysec", "nodejs-npm", "alpine-secdb",
                          "wolfi", "debian-dsa", "debian-dla", "debian-tracker-json"}) {
    EXPECT_GT(per_source[src], 0) << src << " not detected";
  }
  auto none = ImportPath(kData + "/../versions", got.sink());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("not a known advisory source"), std::string::npos);
  EXPECT_FALSE(ImportPath(kData + "/does-not-exist", got.sink()).ok());
}

// patched_versions turns an inclusive last-affected bound into the fixed
// version users upgrade to, only when nothing else starts in between.
TEST(Import, NodeNpmFixedVersionFromPatched) {
  struct Case {
    const char* name;
    const char* vulnerable;
    const char* patched;
    const char* want;
  };
  const Case cases[] = {
      {"last affected becomes fixed", "<=1.5.1", ">=1.5.2", "[,fixed 1.5.2]"},
      {"lowest patched bound above", "<=1.5.1", ">=2.0.0 || >=1.6.0", "[,fixed 1.6.0]"},
      {"no patched bound above stays last", "<=1.5.1", "<0.1.0", "[,last 1.5.1]"},
      {"exclusive bound kept", "<1.5.2", ">=1.5.2", "[,fixed 1.5.2]"},
      {"another range starts in between", "<=1.0.0 || >=1.1.0 <=1.2.0", ">=1.3.0", "[,last 1.0.0] [1.1.0,fixed 1.3.0]"},
      {"no patched versions", "<=1.5.1", "", "[,last 1.5.1]"},
  };
  for (const auto& c : cases) {
    nlohmann::json j = {{"id", 7}, {"module_name", "m"}, {"vulnerable_versions", c.vulnerable},
                        {"patched_versions", c.patched}};
    std::vector<std::string> w;
    auto got = ParseNodeNpm(j.dump(), w);
    ASSERT_TRUE(got.ok()) << c.name;
    ASSERT_EQ(got->size(), 1u) << c.name;
    EXPECT_EQ(RangesText(got->front().affected.front()), c.want) << c.name;
  }
}

TEST(Import, ParsersRejectGarbage) {
  std::vector<std::string> w;
  const std::string junk[] = {"", "\x01\x02\x03", "{", "- - - [", std::string(100, '{'), "```toml\nid = \n```"};
  for (const auto& j : junk) {
    (void)ParseOsvJson(j, "", w);
    (void)ParseOsvYaml(j, "", w);
    (void)ParseRustSec(j, w);
    (void)ParseRubySec(j, false, w);
    (void)ParseNodeNpm(j, w);
    (void)ParseAlpineSecdb(j, w);
    (void)ParseWolfi(j, w);
    (void)ParseDebianList(j, "debian-dsa", w);
    (void)ParseDebianTrackerJson(j, w);
  }
  EXPECT_FALSE(ParseOsvJson("{", "", w).ok());
  EXPECT_FALSE(ParseRustSec("# no front matter", w).ok());
  EXPECT_FALSE(ParseDebianList("just text\n", "debian-dsa", w).ok());
}

// The whole shipped data set: counts from ../shared/data/advisories/PROVENANCE.md.
TEST(Import, SharedAdvisoriesFully) {
  const std::string root = std::string(DRYDOCK_SOURCE_DIR) + "/../shared/data/advisories";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << root << " not present";
  struct Expect {
    const char* dir;
    const char* source;
    int64_t advisories;  // from PROVENANCE.md
    int64_t tolerance;   // withdrawn / informational-only records
  } expects[] = {
      {"pypa-advisory-database", "osv-pypa", 2661, 30}, {"go-vulndb", "go-vulndb", 4291, 50},
      {"rustsec-advisory-db", "rustsec", 1205, 20},     {"nodejs-security-wg-npm", "nodejs-npm", 467, 0},
      {"ruby-advisory-db", "rubysec", 1234 + 147, 10},  {"almalinux-osv", "osv-almalinux", 2443, 0},
      {"wolfi-advisories", "wolfi", 20770, 200},
  };
  for (const auto& e : expects) {
    int64_t n = 0;
    AdvisorySink count = [&](Advisory&&) -> Status {
      ++n;
      return Ok();
    };
    // CPU time: the machines are shared, wall time says more about the neighbours.
    const std::clock_t t0 = std::clock();
    auto stats = ImportPath(root + "/" + e.dir, count);
    const double secs = static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC;
    ASSERT_TRUE(stats.ok()) << e.dir << ": " << stats.error().message;
    int64_t skipped = 0;
    for (const auto& s : *stats) skipped += s.skipped;
    EXPECT_NEAR(static_cast<double>(n), static_cast<double>(e.advisories), static_cast<double>(e.tolerance))
        << e.dir << " (skipped " << skipped << ")";
    std::printf("import %-24s %6lld advisories %4lld skipped %6.2fs CPU %8.0f advisories/s\n", e.dir,
                static_cast<long long>(n), static_cast<long long>(skipped), secs, n / (secs > 0 ? secs : 1));
  }
  // Debian lists: one advisory per DSA/DLA/DTSA header.
  std::map<std::string, int64_t> debian;
  AdvisorySink per_source = [&](Advisory&& a) -> Status {
    ++debian[a.source];
    return Ok();
  };
  auto stats = ImportPath(root + "/debian-security-tracker", per_source);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(debian["debian-dsa"], 5406);
  EXPECT_EQ(debian["debian-dla"], 3534);
  EXPECT_EQ(debian["debian-dtsa"], 208);
  // The whole folder at once: every source detected.
  std::map<std::string, int64_t> all;
  auto everything = ImportPath(root, [&](Advisory&& a) -> Status {
    ++all[a.source];
    return Ok();
  });
  ASSERT_TRUE(everything.ok()) << everything.error().message;
  for (const char* src : {"osv-pypa", "go-vulndb", "osv-almalinux", "rustsec", "rubysec", "nodejs-npm", "alpine-secdb",
                          "wolfi", "debian-dsa", "debian-dla", "debian-dtsa"}) {
    EXPECT_GT(all[src], 0) << src << " not found under " << root;
  }
  // Alpine: one affected entry per id per branch file. PROVENANCE.md counts
  // 12,028 secfixes list items; an item may name several ids
  // ("CVE-2019-1 CVE-2019-2"), which the importer splits.
  int64_t alpine_affected = 0;
  AdvisorySink alpine = [&](Advisory&& a) -> Status {
    alpine_affected += static_cast<int64_t>(a.affected.size());
    return Ok();
  };
  ASSERT_TRUE(ImportPath(root + "/alpine-secdb", alpine).ok());
  EXPECT_GE(alpine_affected, 12028);
  EXPECT_LE(alpine_affected, 13500);
}

}  // namespace
}  // namespace drydock
