// The HTML and markdown scan reports: their escapers case by case, golden
// files of a hostile image built and scanned here (file names, labels,
// history, ENV, a package and an advisory holding markup, quotes, pipes,
// backticks, newlines and invalid UTF-8), and the proof that none of it
// gets out: the page holds no tag or attribute but its own, and every
// markdown table row keeps its column count (checked against cmark-gfm,
// GitHub's renderer, when it is installed).
//
// Regenerate the golden files with:
//   DRYDOCK_UPDATE_GOLDEN=1 ./drydock_tests --gtest_filter='HtmlMarkdown*'
// and review the diff like code.
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/scan.h"
#include "report/html_writer.h"
#include "report/report.h"
#include "report/text.h"
#include "support/image_builder.h"
#include "support/tar_builder.h"
#include "vuln/db.h"

namespace drydock {
namespace {

using testing::File;
using testing::TempDir;

const std::string kTestdata = DRYDOCK_TESTDATA;

// What the image carries: a script, an attribute break-out, a cell
// break-out, a pipe, backticks, a newline and bytes that are not UTF-8
// (tar names only: an image config is JSON, which must be UTF-8).
const std::string kScript = "<script>alert(1)</script>";
const std::string kRetitle = "<script>document.title='pwned'</script>";
const std::string kHover = "\"onmouseover=alert(1) x=\"";
const std::string kCell = "</td>|`tick`\n# line2";
const std::string kEvilDir = "app/" + kScript + kHover + "|`t`\nx\xff\xfe";
const std::string kEvilPackage = "evil|" + kScript + "`x`\n" + kHover;
const std::string kEnvValue = "Zx9qLm2Rv7tPw4Kd";
constexpr char kToken[] = "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";

// The hostile image, scanned once for every test here: vuln (a two-advisory
// database built here), secret and misconfig, with the inventory.
class HostileFixture {
 public:
  HostileFixture() {
    const std::string db = dir_.path() + "/db/drydock.db";
    const Status built = BuildDatabaseAtomically(db, [](DbWriter& w) -> Status {
      Advisory deb;
      deb.id = "DSA-5678-1";
      deb.aliases = {"CVE-2024-0727"};
      deb.source = "osv";
      deb.title = "openssl: " + kScript + " | `x` [link](http://e.example) @team";
      deb.description = "description with " + kHover + " and </td>";
      deb.affected.push_back(
          Affected{"debian:12", "openssl", "DISTRO", {{"", "3.0.13-1~deb12u1", "", ""}}, {}, "", "fixed", "HIGH"});
      RETURN_IF_ERROR(w.Add(std::move(deb)));
      Advisory npm;
      npm.id = "GHSA-35jh-r3h4-6jhm";
      npm.aliases = {"CVE-2021-23337"};
      npm.source = "osv";
      npm.title = "Command injection in lodash " + kRetitle;
      npm.severity = "MEDIUM";
      npm.affected.push_back(Affected{"npm", "lodash", "SEMVER", {{"0", "4.17.21", "", ""}}, {}, "", "", ""});
      RETURN_IF_ERROR(w.Add(std::move(npm)));
      return w.AddSource(DbSourceInfo{"osv", "here", "2024-05-01T00:00:00Z", 1, 2, 2, 0});
    });
    EXPECT_TRUE(built.ok()) << built.error().message;

    const std::string base = testing::MakeTar({
        File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian <b>12</b> | `x`\"\n"),
        File("var/lib/dpkg/status",
             "Package: openssl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0.11-1~deb12u1\n\n"
             "Package: evil|" +
                 kScript + "`x`\xff\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0\n\n"),
    });
    const std::string app = testing::MakeTar({
        File("app/node_modules/lodash/package.json", R"({"name": "lodash", "version": "4.17.20"})"),
        File("app/node_modules/evil/package.json",
             nlohmann::json{{"name", kEvilPackage}, {"version", "1.0|`v`<i>"}}.dump()),
        File(kEvilDir + "/.env", std::string("GITHUB_TOKEN=") + kToken + "\n"),
    });
    testing::BlobStore store;
    nlohmann::json desc = store.AddImage({base, app}, "amd64", "", [](nlohmann::json& cfg) {
      cfg["created"] = "2024-05-01T12:00:00Z";
      cfg["config"]["Env"] = {"PATH=/usr/bin", "EVIL=" + kScript + kEnvValue};
      cfg["config"]["Labels"] = {{"org.example.evil", kScript + kHover + kCell}, {kHover + "key", "v|`x`"}};
      cfg["config"]["Cmd"] = {"sh", "-c", kRetitle};
      cfg["history"] = {
          {{"created_by", "/bin/sh -c #(nop) ADD file:0123abcd in / "}},
          {{"created_by", "RUN echo '" + kRetitle + "' " + kHover + " " + kCell + " # buildkit"}},
      };
    });
    for (const auto& [path, bytes] : store.blobs()) dir_.Write("oci/" + path, bytes);
    dir_.Write("oci/oci-layout", R"({"imageLayoutVersion": "1.0.0"})");
    dir_.Write("oci/index.json", testing::IndexJson({desc}));

    ScanOptions opts;
    opts.source = testing::Amd64Host();
    opts.scanners = {"vuln", "secret", "misconfig"};
    opts.inventory = true;
    opts.vuln_db = db;
    auto scan = ScanImage("oci:" + dir_.path() + "/oci", opts);
    EXPECT_TRUE(scan.ok()) << scan.error().message;
    if (scan.ok()) scan_ = std::move(scan).value();
    scan_.target = "oci:hostile";  // not the temp dir
    // A policy's word on two findings, in hostile words too: one dismissed,
    // one under investigation.
    for (auto it = scan_.findings.begin(); it != scan_.findings.end(); ++it) {
      if (it->rule_id != "DD-IMG-009") continue;
      it->suppression = Suppression{"ignorefile", ".drydockignore:3", "accepted " + kScript + kCell, "", "", ""};
      scan_.suppressed.push_back(*it);
      scan_.findings.erase(it);
      break;
    }
    for (Finding& f : scan_.findings) {
      if (f.vuln && f.vuln->package_name == "lodash") {
        f.vex_note = Suppression{"vex", "vex.json: statements[0]", "looking " + kHover, "", "", "under_investigation"};
      }
    }
  }

  const ScanResult& scan() const { return scan_; }

 private:
  TempDir dir_;
  ScanResult scan_;
};

const ScanResult& Hostile() {
  static const HostileFixture* fixture = new HostileFixture();  // built once for every test here
  return fixture->scan();
}

ReportOptions TestOptions() { return ReportOptions{.color = false, .tool_version = "0.0.0-test"}; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++n;
  return n;
}

TEST(HtmlMarkdownEscape, EscapeHtml) {
  struct Case {
    std::string name, raw, want;
  };
  const std::vector<Case> cases = {
      {"plain text is kept", "usr/lib/libssl.so.3", "usr/lib/libssl.so.3"},
      {"a tag becomes text", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
      {"quotes cannot end an attribute", "\"onmouseover='x'", "&quot;onmouseover=&#39;x&#39;"},
      {"an ampersand is escaped once", "&amp;", "&amp;amp;"},
      {"a newline becomes a space", "line\nbreak\r\n", "line break"},
      {"invalid UTF-8 is shown as bytes", "a\xff\xfe", "a\\xff\\xfe"},
      {"terminal escapes are shown", "\x1b[2J", "\\x1b[2J"},
      {"bidi overrides are shown", "x\xe2\x80\xaey", "x\\xe2\\x80\\xaey"},
      {"UTF-8 is kept", "café", "café"},
  };
  for (const Case& c : cases) EXPECT_EQ(report::EscapeHtml(c.raw), c.want) << c.name;
}

TEST(HtmlMarkdownEscape, HtmlWriterEscapesTextAndAttributes) {
  report::HtmlWriter w;
  w.Element("td", "</td><script>", {{"title", "\"><b x=\""}});
  EXPECT_EQ(std::move(w).Take(), "<td title=\"&quot;&gt;&lt;b x=&quot;\">&lt;/td&gt;&lt;script&gt;</td>\n");
}

TEST(HtmlMarkdownEscape, MarkdownTextAndCode) {
  struct Case {
    std::string name, raw, text, code;
  };
  const std::vector<Case> cases = {
      {"plain", "openssl", "openssl", "`openssl`"},
      {"pipe stays in the cell", "a|b", "a\\|b", "`a\\|b`"},
      {"backticks get a longer fence", "a`b``c", "a\\`b\\`\\`c", "```a`b``c```"},
      {"edge backtick is padded", "`x", "\\`x", "`` `x ``"},
      {"markup is escaped", "<b>&", "&lt;b&gt;&amp;", "`<b>&`"},
      {"leading heading and list marks", "# - x", "\\# - x", "`# - x`"},
      {"newline joins the line", "a\nb", "a b", "`a b`"},
      {"a mention is broken", "@team", "@&#8203;team", "`@team`"},
      {"a bare URL does not link", "see http://e.example", "see http\\://e.example", "`see http://e.example`"},
      {"www does not link", "WWW.e.example", "WWW\\.e.example", "`WWW.e.example`"},
      // Renderers disagree on "\\|": the code span gives way to escaped prose.
      {"backslash before a pipe", "a\\|b", "a\\\\\\|b", "a\\\\\\|b"},
      {"empty", "", "", "-"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(report::MarkdownText(c.raw), c.text) << c.name;
    EXPECT_EQ(report::MarkdownCode(c.raw), c.code) << c.name;
  }
}

bool UpdateGolden() {
  const char* v = std::getenv("DRYDOCK_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

TEST(HtmlMarkdownReport, MatchesGoldenFiles) {
  struct Case {
    ReportFormat format;
    std::string file;
  };
  const std::vector<Case> cases = {
      {ReportFormat::kHtml, "scan-hostile.html"},
      {ReportFormat::kMarkdown, "scan-hostile.md"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    const std::string path = kTestdata + "/golden/" + c.file;
    const std::string got = Render(c.format, Hostile(), TestOptions());
    if (UpdateGolden()) {
      ASSERT_TRUE(WriteOutput(path, got).ok());
      continue;
    }
    EXPECT_EQ(got, ReadFile(path)) << "regenerate with DRYDOCK_UPDATE_GOLDEN=1 and review the diff";
  }
}

TEST(HtmlMarkdownReport, TheFixtureHasEveryKindOfFinding) {
  std::set<std::string> kinds;
  for (const Finding& f : Hostile().findings) kinds.insert(std::string(FindingKindName(f.kind)));
  EXPECT_EQ(kinds, (std::set<std::string>{"misconfiguration", "secret", "vulnerability"}));
  EXPECT_EQ(Hostile().suppressed.size(), 1u);
  ASSERT_TRUE(Hostile().inventory.has_value());
  const auto& pkgs = Hostile().inventory->packages;
  EXPECT_TRUE(std::any_of(pkgs.begin(), pkgs.end(), [](const Package& p) { return p.name == kEvilPackage; }));
}

// The tags and attributes the HTML writer is used with; anything else in
// the document came from data.
const std::set<std::string> kOurTags = {"!DOCTYPE", "html", "head",   "meta",  "title",  "style",   "body",    "header",
                                        "h1",       "h2",   "h3",     "p",     "code",   "main",    "section", "dl",
                                        "dt",       "dd",   "table",  "thead", "tbody",  "tr",      "th",      "td",
                                        "span",     "form", "label",  "input", "output", "details", "summary", "ul",
                                        "li",       "div",  "footer", "script"};
const std::set<std::string> kOurAttributes = {"lang",  "charset", "http-equiv", "content",       "name",
                                              "title", "class",   "id",         "data-severity", "hidden",
                                              "type",  "value",   "checked",    "placeholder"};

// Reads `html` as a browser's tokenizer would for our subset: every '<'
// opens a tag (the style sheet and script are skipped as raw text), and a
// tag's attributes are name="value" pairs. Fails the test for a tag or an
// attribute the writer never writes, a '>' in text, or an unquoted value.
void ExpectOnlyOurMarkup(const std::string& html) {
  size_t i = 0;
  int scripts = 0;
  while (i < html.size()) {
    if (html[i] != '<') {
      ASSERT_NE(html[i], '>') << "a '>' in text at " << i << ": " << html.substr(i > 40 ? i - 40 : 0, 80);
      ++i;
      continue;
    }
    size_t j = i + 1;
    if (j < html.size() && html[j] == '/') ++j;
    const size_t name_start = j;
    while (j < html.size() && (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == '!')) ++j;
    const std::string name = html.substr(name_start, j - name_start);
    ASSERT_TRUE(kOurTags.contains(name)) << "tag <" << name << "> at " << i << ": " << html.substr(i, 80);
    while (j < html.size() && html[j] != '>') {
      if (html[j] == ' ') {
        ++j;
        continue;
      }
      const size_t attr_start = j;
      while (j < html.size() && html[j] != '=' && html[j] != ' ' && html[j] != '>') ++j;
      const std::string attr = html.substr(attr_start, j - attr_start);
      if (name == "!DOCTYPE") continue;
      ASSERT_TRUE(kOurAttributes.contains(attr)) << "attribute " << attr << " in " << html.substr(i, 120);
      ASSERT_EQ(html[j], '=') << "attribute without a value in " << html.substr(i, 120);
      ASSERT_EQ(html[j + 1], '"') << "unquoted value in " << html.substr(i, 120);
      const size_t close = html.find('"', j + 2);
      ASSERT_NE(close, std::string::npos);
      const std::string value = html.substr(j + 2, close - j - 2);
      EXPECT_EQ(value.find_first_of("<>'"), std::string::npos) << "unescaped value " << value;
      j = close + 1;
    }
    i = j + 1;
    if (html[name_start - 1] != '/' && (name == "script" || name == "style")) {
      scripts += name == "script";
      const size_t end = html.find("</" + name + ">", i);
      ASSERT_NE(end, std::string::npos);
      i = end;
    }
  }
  EXPECT_EQ(scripts, 1) << "one script: the report's own";
}

TEST(HtmlMarkdownReport, HtmlHoldsNoMarkupButItsOwn) {
  const std::string html = RenderHtml(Hostile(), TestOptions());
  ExpectOnlyOurMarkup(html);
  EXPECT_EQ(Count(html, "<script"), 1u);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find(kHover), std::string::npos);
  // What the image said is there, as text.
  EXPECT_NE(html.find("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("\\xff\\xfe"), std::string::npos);
  EXPECT_EQ(html.find(kEnvValue), std::string::npos) << "ENV values are never shown";
  EXPECT_EQ(html.find(kToken), std::string::npos) << "nor a secret";
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_NE(html.find("script-src &#39;sha256-"), std::string::npos);
}

TEST(HtmlMarkdownReport, HtmlHasOneRowPerFindingAndPackage) {
  const std::string html = RenderHtml(Hostile(), TestOptions());
  EXPECT_EQ(Count(html, "<tr class=\"finding\""), Hostile().findings.size());
  EXPECT_EQ(Count(html, "<tr class=\"package\""), Hostile().inventory->packages.size());
  EXPECT_EQ(Count(html, "<tr class=\"suppressed\""), Hostile().suppressed.size());
  EXPECT_NE(html.find("<section id=\"vulnerabilities\">"), std::string::npos);
  EXPECT_NE(html.find("<section id=\"secrets\">"), std::string::npos);
  EXPECT_NE(html.find("<section id=\"misconfigurations\">"), std::string::npos);
  ScanResult no_inventory = Hostile();
  no_inventory.inventory.reset();
  EXPECT_EQ(RenderHtml(no_inventory, TestOptions()).find("<section id=\"packages\">"), std::string::npos);
}

TEST(HtmlMarkdownReport, SameInputSameBytesWhateverTheOrder) {
  ScanResult reversed = Hostile();
  std::reverse(reversed.findings.begin(), reversed.findings.end());
  for (ReportFormat f : {ReportFormat::kHtml, ReportFormat::kMarkdown}) {
    EXPECT_EQ(Render(f, reversed, TestOptions()), Render(f, Hostile(), TestOptions()));
  }
}

// The cells of a table row. Precondition (asserted by the caller): no pipe
// follows a backslash that is itself escaped, so every GFM reading agrees
// that a pipe after a backslash is text.
size_t Cells(const std::string& row) {
  size_t n = 0;
  for (size_t i = 0; i < row.size(); ++i) n += row[i] == '|' && (i == 0 || row[i - 1] != '\\');
  return n - 1;
}

TEST(HtmlMarkdownReport, MarkdownRowsKeepTheirColumns) {
  const std::string md = RenderMarkdown(Hostile(), TestOptions());
  EXPECT_EQ(md.find("\\\\|"), std::string::npos);
  std::istringstream in(md);
  std::string line;
  size_t columns = 0;
  int tables = 0;
  while (std::getline(in, line)) {
    if (!line.starts_with("|")) {
      columns = 0;
      continue;
    }
    SCOPED_TRACE(line);
    ASSERT_TRUE(line.ends_with(" |"));
    if (columns == 0) {
      columns = Cells(line);
      ++tables;
    }
    EXPECT_EQ(Cells(line), columns) << "a cell split or merged";
  }
  EXPECT_GE(tables, 4);  // summary, vulnerabilities, other findings, layers
  EXPECT_EQ(md.find(kEnvValue), std::string::npos);
  EXPECT_EQ(md.find(kToken), std::string::npos);
}

// Renders `md` with cmark-gfm (GitHub's renderer, tables and autolinks on);
// "" when it is not installed.
std::string CmarkGfm(const std::string& md) {
  TempDir dir;
  const std::string in = dir.Write("in.md", md);
  const std::string cmd = "cmark-gfm -e table -e autolink -e strikethrough '" + in + "' 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return "";
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int rc = ::pclose(p);
  return WIFEXITED(rc) && WEXITSTATUS(rc) == 0 ? out : "";
}

TEST(HtmlMarkdownReport, GitHubRendersTheMarkdownAsWritten) {
  const std::string md = RenderMarkdown(Hostile(), TestOptions());
  const std::string html = CmarkGfm(md);
  if (html.empty()) GTEST_SKIP() << "cmark-gfm not installed (scripts/deps --test)";
  // Every row of a table has as many cells as its header.
  std::istringstream in(html);
  std::string line;
  size_t header = 0, cells = 0;
  while (std::getline(in, line)) {
    if (line == "<tr>") cells = 0;
    if (line.starts_with("<th")) ++cells;
    if (line.starts_with("<td")) ++cells;
    if (line == "</tr>") {
      if (header == 0) header = cells;
      EXPECT_EQ(cells, header) << html;
    }
    if (line == "</table>") header = 0;
  }
  EXPECT_EQ(Count(html, "<table>"), Count(md, "\n| --- |")) << "every table is a table";
  EXPECT_EQ(html.find("<script"), std::string::npos) << "no tag from the image";
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("<a "), std::string::npos) << "no link from the image";
  EXPECT_EQ(html.find("<h1"), std::string::npos) << "no heading from the image";
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

TEST(HtmlMarkdownReport, MarkdownCollapsesFindingsBelowTheFloor) {
  ScanResult scan;
  scan.target = "app.tar";
  for (Severity s : {Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow, Severity::kUnknown}) {
    Finding f;
    f.rule_id = "DD-" + std::string(SeverityName(s));
    f.severity = s;
    f.title = "a finding";
    scan.findings.push_back(f);
  }
  struct Case {
    std::string name;
    std::optional<Severity> floor;
    std::string open;    // the heading of the open part
    std::string closed;  // the <details> summary, "" for none
  };
  const std::vector<Case> cases = {
      {"no --severity: HIGH and above open", std::nullopt, "### Findings at HIGH or above (2)",
       "<details><summary>3 findings below HIGH</summary>"},
      {"floor LOW", Severity::kLow, "### Findings at LOW or above (4)",
       "<details><summary>1 finding below LOW</summary>"},
      {"floor CRITICAL", Severity::kCritical, "### CRITICAL findings (1)",
       "<details><summary>4 findings below CRITICAL</summary>"},
      {"floor UNKNOWN: everything open", Severity::kUnknown, "### Findings (5)", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ReportOptions opts = TestOptions();
    opts.severity_floor = c.floor;
    const std::string md = RenderMarkdown(scan, opts);
    EXPECT_NE(md.find(c.open), std::string::npos) << md;
    if (c.closed.empty()) {
      EXPECT_EQ(md.find("<details><summary>"), std::string::npos) << md;
    } else {
      EXPECT_NE(md.find(c.closed), std::string::npos) << md;
      EXPECT_LT(md.find(c.open), md.find(c.closed));
    }
  }
  scan.findings.clear();
  EXPECT_NE(RenderMarkdown(scan, TestOptions()).find("\nNo findings.\n"), std::string::npos);
}

}  // namespace
}  // namespace drydock
