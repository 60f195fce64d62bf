// The compare writers on two small images built here and scanned for real
// (inventory, a vulnerability database built by the test, secrets and the
// image checks): golden files for table, json and markdown, and the proof
// that hostile names (pipes, backticks, newlines, <script>) cannot break
// out of a markdown table cell or reach a terminal raw.
//
// Regenerate the golden files with:
//   DRYDOCK_UPDATE_GOLDEN=1 ./drydock_tests --gtest_filter='CompareReport*'
// and review the diff like code.
#include "report/compare.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/scan.h"
#include "support/image_builder.h"
#include "support/tar_builder.h"
#include "vuln/db.h"

namespace drydock {
namespace {

using testing::BlobStore;
using testing::File;
using testing::TempDir;

const std::string kTestdata = DRYDOCK_TESTDATA;

// The hostile strings, from the image: a package name and version, a
// directory and a file name, and a build step.
const std::string kEvilName = "evil|`pkg`\n<script>alert(1)</script>";
const std::string kEvilDir = "we|rd`<script>`\nname";
const std::string kEvilFile = "app/conf|ig``x`\n<script>.env";
const std::string kEvilStep = "RUN echo '|`<script>`|' > /x # @team [x](http://e.example)";
constexpr char kToken[] = "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";

std::string Stanza(const std::string& name, const std::string& version) {
  return "Package: " + name + "\nStatus: install ok installed\nArchitecture: amd64\nVersion: " + version + "\n\n";
}

std::string NpmPackage(const std::string& name, const std::string& version) {
  return nlohmann::json{{"name", name}, {"version", version}}.dump();
}

std::string BaseLayer() {
  return testing::MakeTar({
      File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
      File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"),
      File("var/lib/dpkg/status", Stanza("base-files", "12.4+deb12u5") + Stanza("openssl", "3.0.11-1~deb12u1") +
                                      Stanza("zlib1g", "1:1.2.13.dfsg-1")),
  });
}

// Writes an OCI layout of `layers` with `steps` as their history into a
// new directory under `root`; returns its oci: target.
std::string Layout(const TempDir& root, const std::string& name, const std::vector<std::string>& layers,
                   const std::vector<std::string>& steps, const std::string& user) {
  BlobStore store;
  nlohmann::json desc = store.AddImage(layers, "amd64", "", [&](nlohmann::json& cfg) {
    cfg["created"] = "2024-05-01T12:00:00Z";
    cfg["config"]["User"] = user;
    cfg["history"] = nlohmann::json::array();
    for (const auto& s : steps) cfg["history"].push_back({{"created_by", s}});
  });
  for (const auto& [path, bytes] : store.blobs()) root.Write(name + "/" + path, bytes);
  root.Write(name + "/oci-layout", R"({"imageLayoutVersion": "1.0.0"})");
  root.Write(name + "/index.json", testing::IndexJson({desc}));
  return "oci:" + root.path() + "/" + name;
}

Advisory Adv(std::string id, std::string alias, std::string severity, Affected affected) {
  Advisory a;
  a.id = std::move(id);
  a.aliases = {std::move(alias)};
  a.source = "osv";
  a.title = "title of " + a.id;
  a.severity = std::move(severity);
  a.affected.push_back(std::move(affected));
  return a;
}

Affected Npm(std::string package, std::string fixed) {
  Affected a;
  a.ecosystem = "npm";
  a.package = std::move(package);
  a.range_type = "SEMVER";
  a.ranges.push_back({"0", std::move(fixed), "", ""});
  return a;
}

Affected Debian(std::string package, std::string fixed) {
  Affected a;
  a.ecosystem = "debian:12";
  a.package = std::move(package);
  a.range_type = "DISTRO";
  a.ranges.push_back({"", std::move(fixed), "", ""});
  a.status = "fixed";
  a.severity = "HIGH";
  return a;
}

// The two images scanned and compared: A the base, B with openssl and
// lodash upgraded, minimist and a leaked token added, the hostile package
// at another version, a USER set, and one layer in common.
class CompareFixture {
 public:
  CompareFixture() {
    const std::string db = dir_.path() + "/db/drydock.db";
    const Status built = BuildDatabaseAtomically(db, [](DbWriter& w) -> Status {
      RETURN_IF_ERROR(w.Add(Adv("DSA-5678-1", "CVE-2024-0727", "", Debian("openssl", "3.0.13-1~deb12u1"))));
      RETURN_IF_ERROR(w.Add(Adv("GHSA-35jh-r3h4-6jhm", "CVE-2021-23337", "HIGH", Npm("lodash", "4.17.21"))));
      RETURN_IF_ERROR(w.Add(Adv("GHSA-xvch-5gv4-984h", "CVE-2021-44906", "CRITICAL", Npm("minimist", "1.2.6"))));
      return w.AddSource(DbSourceInfo{"osv", "here", "2024-05-01T00:00:00Z", 1, 3, 3, 0});
    });
    EXPECT_TRUE(built.ok()) << built.error().message;

    const std::string base = BaseLayer();
    const std::string app_a = testing::MakeTar({
        File("app/node_modules/lodash/package.json", NpmPackage("lodash", "4.17.20")),
        File("app/node_modules/x/node_modules/lodash/package.json", NpmPackage("lodash", "3.10.1")),
        File("app/node_modules/" + kEvilDir + "/package.json", NpmPackage(kEvilName, "1.0.0")),
    });
    const std::string upgrade = testing::MakeTar({
        File("var/lib/dpkg/status", Stanza("base-files", "12.4+deb12u5") + Stanza("openssl", "3.0.13-1~deb12u1") +
                                        Stanza("zlib1g", "1:1.2.13.dfsg-1")),
    });
    const std::string app_b = testing::MakeTar({
        File("app/node_modules/lodash/package.json", NpmPackage("lodash", "4.17.21")),
        File("app/node_modules/x/node_modules/lodash/package.json", NpmPackage("lodash", "3.10.1")),
        File("app/node_modules/minimist/package.json", NpmPackage("minimist", "1.2.5")),
        File("app/node_modules/" + kEvilDir + "/package.json", NpmPackage(kEvilName, "1.0.1|`x`<b>")),
        File(kEvilFile, std::string("GITHUB_TOKEN=") + kToken + "\n"),
    });
    const std::string a = Layout(dir_, "a", {base, app_a}, {"ADD rootfs.tar /", "COPY app/ /app/"}, "");
    const std::string b =
        Layout(dir_, "b", {base, upgrade, app_b}, {"ADD rootfs.tar /", kEvilStep, "COPY app/ /app/"}, "app");

    ScanOptions opts;
    opts.source = testing::Amd64Host();
    opts.scanners = {"vuln", "secret", "misconfig"};
    opts.inventory = true;
    opts.vuln_db = db;
    for (auto [target, name, out] : {std::tuple{a, "oci:a", &a_}, std::tuple{b, "oci:b", &b_}}) {
      auto scan = ScanImage(target, opts);
      EXPECT_TRUE(scan.ok()) << scan.error().message;
      if (!scan.ok()) continue;
      *out = std::move(scan).value();
      out->target = name;  // not the temp dir
    }
  }

  const ScanResult& a() const { return a_; }
  const ScanResult& b() const { return b_; }

 private:
  TempDir dir_;
  ScanResult a_;
  ScanResult b_;
};

const CompareFixture& Fixture() {
  static const CompareFixture* fixture = new CompareFixture();  // built once for every test here
  return *fixture;
}

ReportOptions TestOptions() { return ReportOptions{.color = false, .tool_version = "0.0.0-test"}; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool UpdateGolden() {
  const char* v = std::getenv("DRYDOCK_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

TEST(CompareReport, MatchesGoldenFiles) {
  struct Case {
    CompareFormat format;
    std::string file;
  };
  const std::vector<Case> cases = {
      {CompareFormat::kTable, "compare.txt"},
      {CompareFormat::kJson, "compare.json"},
      {CompareFormat::kMarkdown, "compare.md"},
  };
  const Comparison c = Compare(Fixture().a(), Fixture().b());
  for (const Case& k : cases) {
    SCOPED_TRACE(k.file);
    const std::string path = kTestdata + "/golden/" + k.file;
    const std::string got = RenderCompare(k.format, c, TestOptions());
    if (UpdateGolden()) {
      ASSERT_TRUE(WriteOutput(path, got).ok());
      continue;
    }
    EXPECT_EQ(got, ReadFile(path)) << "regenerate with DRYDOCK_UPDATE_GOLDEN=1 and review the diff";
  }
}

TEST(CompareReport, JsonListsWhatChanged) {
  const Comparison c = Compare(Fixture().a(), Fixture().b());
  const nlohmann::json doc = nlohmann::json::parse(RenderCompareJson(c, TestOptions()));
  auto names = [](const nlohmann::json& arr, const char* key) {
    std::vector<std::string> out;
    for (const auto& x : arr) out.push_back(x.at(key).get<std::string>());
    return out;
  };
  struct Case {
    std::string what;
    std::vector<std::string> got;
    std::vector<std::string> want;
  };
  std::vector<std::string> changed;
  for (const auto& x : doc["packages"]["changed"]) {
    changed.push_back(x["name"].get<std::string>() + " " + x["from"].get<std::string>() + " -> " +
                      x["to"].get<std::string>());
  }
  std::vector<std::string> findings_added;
  for (const auto& x : doc["findings"]["added"]) findings_added.push_back(x["rule_id"].get<std::string>());
  const std::vector<Case> cases = {
      {"packages added", names(doc["packages"]["added"], "name"), {"minimist"}},
      {"packages removed", names(doc["packages"]["removed"], "name"), {}},
      {"packages changed",
       changed,
       {"openssl 3.0.11-1~deb12u1 -> 3.0.13-1~deb12u1", kEvilName + " 1.0.0 -> 1.0.1|`x`<b>",
        "lodash 4.17.20 -> 4.17.21"}},
      {"vulnerabilities new", names(doc["vulnerabilities"]["new"], "rule_id"), {"CVE-2021-44906"}},
      {"vulnerabilities fixed", names(doc["vulnerabilities"]["fixed"], "rule_id"), {"CVE-2021-23337", "CVE-2024-0727"}},
      {"layers shared", names(doc["layers"]["shared"], "diff_id"), {Sha256Of(BaseLayer()).str()}},
  };
  for (const Case& k : cases) EXPECT_EQ(k.got, k.want) << k.what;
  EXPECT_EQ(doc["summary"]["vulnerabilities"]["unchanged"], 1) << "the vendored lodash 3.10.1 keeps its CVE";
  EXPECT_EQ(doc["layers"]["only_a"].size(), 1u);
  EXPECT_EQ(doc["layers"]["only_b"].size(), 2u);
  ASSERT_FALSE(findings_added.empty());
  EXPECT_NE(std::find(findings_added.begin(), findings_added.end(), "DD-SECRET-github-pat"), findings_added.end())
      << ::testing::PrintToString(findings_added);
  EXPECT_EQ(doc.dump().find(kToken), std::string::npos) << "the secret itself is never in a report";
}

// Cuts `line` into code spans and the rest, as CommonMark does: a run of n
// backticks opens a span closed by the next run of exactly n.
std::string OutsideCodeSpans(const std::string& line) {
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] != '`' || (i > 0 && line[i - 1] == '\\')) {
      out.push_back(line[i++]);
      continue;
    }
    size_t n = 0;
    while (i + n < line.size() && line[i + n] == '`') ++n;
    size_t j = i + n;
    size_t close = std::string::npos;
    while (j < line.size()) {
      if (line[j] != '`') {
        ++j;
        continue;
      }
      size_t m = 0;
      while (j + m < line.size() && line[j + m] == '`') ++m;
      if (m == n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close == std::string::npos) {
      out.append(line, i, n);  // no closer: literal backticks
      i += n;
      continue;
    }
    out += "CODE";
    i = close + n;
  }
  return out;
}

// The cells of a GFM table row: split at pipes no backslash escapes.
size_t CellCount(const std::string& line) {
  size_t pipes = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '|') continue;
    size_t backslashes = 0;
    while (backslashes < i && line[i - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 0) ++pipes;
  }
  return pipes - 1;
}

TEST(CompareReport, MarkdownKeepsImageTextInsideItsCells) {
  const std::string md = RenderCompareMarkdown(Compare(Fixture().a(), Fixture().b()), TestOptions());
  std::istringstream in(md);
  std::string line;
  size_t columns = 0;  // of the table being read; 0 between tables
  int tables = 0;
  const std::vector<std::string> our_tags = {"<details>", "</details>", "<summary>", "</summary>", "<sub>", "</sub>"};
  while (std::getline(in, line)) {
    SCOPED_TRACE(line);
    std::string outside = OutsideCodeSpans(line);
    for (const auto& tag : our_tags) {
      for (size_t at; (at = outside.find(tag)) != std::string::npos;) outside.erase(at, tag.size());
    }
    EXPECT_EQ(outside.find('<'), std::string::npos) << "raw HTML outside a code span";
    EXPECT_EQ(outside.find("](http"), std::string::npos) << "a link from the image";
    EXPECT_EQ(outside.find("@team"), std::string::npos) << "a mention from the image";
    if (!line.starts_with("|")) {
      columns = 0;
      continue;
    }
    ASSERT_TRUE(line.ends_with(" |"));
    const size_t cells = CellCount(line);
    if (columns == 0) {
      columns = cells;
      ++tables;
    }
    EXPECT_EQ(cells, columns) << "a cell split or merged";
  }
  EXPECT_GE(tables, 5);
  EXPECT_NE(md.find("evil\\|"), std::string::npos) << "the hostile name is in the report, escaped";
}

TEST(CompareReport, MarkdownCollapsesLongListsAndCutsVeryLongOnes) {
  struct Case {
    size_t packages;
    bool collapsed;
    size_t rows_shown;
    std::string cut;
  };
  const std::vector<Case> cases = {
      {10, false, 10, ""},
      {11, true, 11, ""},
      {120, true, 100, "… and 20 more"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.packages);
    Comparison c;
    c.packages_compared = true;
    for (size_t i = 0; i < k.packages; ++i) {
      Package p;
      p.type = "npm";
      p.name = fmt::format("pkg{:03}", i);
      p.version = "1.0.0";
      p.evidence.push_back({"npm-package", "/app/node_modules/" + p.name + "/package.json", "", 1});
      c.packages_added.push_back(std::move(p));
    }
    const std::string md = RenderCompareMarkdown(c, TestOptions());
    const std::string title = fmt::format("Packages added ({})", k.packages);
    EXPECT_EQ(md.find("<details><summary>" + title + "</summary>") != std::string::npos, k.collapsed);
    EXPECT_EQ(md.find("### " + title) != std::string::npos, !k.collapsed);
    size_t rows = 0;
    for (size_t at = 0; (at = md.find("| `npm` |", at)) != std::string::npos; ++at) ++rows;
    EXPECT_EQ(rows, k.rows_shown);
    EXPECT_EQ(!k.cut.empty() && md.find(k.cut) != std::string::npos, !k.cut.empty());
  }
}

TEST(CompareReport, TableCarriesNoRawControlOrNewlineFromTheImage) {
  const std::string text = RenderCompareTable(Compare(Fixture().a(), Fixture().b()), TestOptions());
  EXPECT_NE(text.find("evil|`pkg` <script>alert(1)</script>"), std::string::npos) << "one line, as the table shows it";
  for (char ch : text) EXPECT_TRUE(ch == '\n' || static_cast<unsigned char>(ch) >= 0x20) << int(ch);
}

}  // namespace
}  // namespace drydock
