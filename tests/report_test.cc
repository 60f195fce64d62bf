// Report writers: golden files for every format, the JSON shape, SARIF schema
// validation, finding ids and the atomic output writer.
//
// Regenerate the golden files with:
//   DRYDOCK_UPDATE_GOLDEN=1 ./drydock_tests --gtest_filter='Report*'
// and review the diff like code.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model/audit.h"
#include "model/finding.h"
#include "model/scan.h"
#include "report/report.h"

namespace drydock {
namespace {

namespace fs = std::filesystem;

const std::string kTestdata = DRYDOCK_TESTDATA;
const std::string kSourceDir = DRYDOCK_SOURCE_DIR;
constexpr char kEnvSecret[] = "hunter2-do-not-print";

Digest FakeDigest(char fill) { return Digest{"sha256", std::string(64, fill)}; }

ScanResult SampleScan() {
  ScanResult scan;
  scan.target = "docker-archive:build/app.tar";
  scan.scanners = {"secret", "misconfig"};

  ImageInfo& image = scan.image;
  image.source_kind = "docker-archive";
  image.reference = "example.com/team/app:1.2.3";
  image.repo_tags = {"example.com/team/app:1.2.3"};
  image.config_digest = FakeDigest('a');
  image.manifest_digest = FakeDigest('b');
  ImageConfig& config = image.config;
  config.architecture = "amd64";
  config.os = "linux";
  config.created = "2024-05-01T12:00:00Z";
  config.env = {"PATH=/usr/local/bin:/usr/bin", std::string("API_TOKEN=") + kEnvSecret};
  config.entrypoint = {"/docker-entrypoint.sh"};
  config.cmd = {"nginx", "-g", "daemon off;"};
  config.working_dir = "/app";
  config.exposed_ports = {"22/tcp", "80/tcp"};
  config.volumes = {"/data"};
  config.labels = {{"org.opencontainers.image.source", "https://github.com/example/app"}};

  scan.summary.os = OsRelease{"debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)", "/etc/os-release"};
  scan.summary.layers = {
      {0, "sha256:" + std::string(64, '1'), "sha256:" + std::string(64, 'c'),
       "application/vnd.docker.image.rootfs.diff.tar.gzip", "gzip", 29'150'000, 77'830'000, 4'120,
       "/bin/sh -c #(nop) ADD "
       "file:9a7c2e8f3b1d4c6e5f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6 in / "},
      {1, "sha256:" + std::string(64, '2'), "sha256:" + std::string(64, 'd'),
       "application/vnd.docker.image.rootfs.diff.tar.gzip", "gzip", 12'400'000, 41'000'000, 1'873,
       "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends nginx curl "
       "ca-certificates && rm -rf /var/lib/apt/lists/* # buildkit"},
      {2, "sha256:" + std::string(64, '3'), "sha256:" + std::string(64, 'e'),
       "application/vnd.docker.image.rootfs.diff.tar.gzip", "gzip", 2'048, 10'240, 3, "COPY app/ /app/ # buildkit"},
  };
  scan.summary.total_tar_bytes = 77'830'000 + 41'000'000 + 10'240;
  scan.summary.total_blob_bytes = 29'150'000 + 12'400'000 + 2'048;
  scan.summary.files = 5'990;

  // Deliberately not in report order: the writers sort.
  Finding dotenv;
  dotenv.rule_id = "DD-IMG-DOTENV";
  dotenv.kind = FindingKind::kMisconfiguration;
  dotenv.severity = Severity::kLow;
  dotenv.title = "Environment file left in the image";
  dotenv.description = ".env files usually hold credentials meant for one environment.";
  dotenv.remediation = "Exclude .env files with .dockerignore.";
  dotenv.location = {2, "sha256:" + std::string(64, '3'), "COPY app/ /app/ # buildkit", "/app/static/café menu/.env", 0,
                     ""};
  dotenv.references = {"https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0010"};

  Finding root;
  root.rule_id = "DD-CIS-4.1";
  root.kind = FindingKind::kMisconfiguration;
  root.severity = Severity::kMedium;
  root.title = "Image runs as root";
  root.description = "No USER is set, so containers run as root unless the operator overrides it.";
  root.remediation = "Add a USER instruction with a non-root user.";
  root.location.config_field = "config.User";
  root.evidence = "config.User is empty";
  root.references = {"CIS Docker Benchmark 4.1"};

  Finding key;
  key.rule_id = "DD-SECRET-AWS-ACCESS-KEY";
  key.kind = FindingKind::kSecret;
  key.severity = Severity::kHigh;
  key.title = "AWS access key ID";
  key.description = "An AWS access key ID grants API access to an AWS account.";
  key.remediation = "Rotate the key and pass credentials at run time, not in image layers.";
  key.location = {2, "sha256:" + std::string(64, '3'), "COPY app/ /app/ # buildkit", "/app/config/settings.py", 12, ""};
  key.evidence = "AKIA************WXYZ";
  key.references = {"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"};

  scan.findings = {dotenv, root, key};
  scan.diagnostics = {{"layer 1 (sha256:222222222222) /var/lib/dpkg/status", "malformed stanza at line 40; skipped"}};
  return scan;
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

// A fresh directory under the test temp dir, removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    std::string templ = testing::TempDir() + "drydock-report-XXXXXX";
    path_ = ::mkdtemp(templ.data()) ? templ : "";
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ReportGolden, MatchesGoldenFiles) {
  struct Case {
    ReportFormat format;
    std::string file;
  };
  const std::vector<Case> cases = {
      {ReportFormat::kJson, "scan.json"},
      {ReportFormat::kSarif, "scan.sarif"},
      {ReportFormat::kTable, "scan.txt"},
      {ReportFormat::kHtml, "scan.html"},
      {ReportFormat::kMarkdown, "scan.md"},
  };
  const ScanResult scan = SampleScan();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    const std::string path = kTestdata + "/golden/" + c.file;
    const std::string got = Render(c.format, scan, TestOptions());
    if (UpdateGolden()) {
      ASSERT_TRUE(WriteOutput(path, got).ok());
      continue;
    }
    EXPECT_EQ(got, ReadFile(path)) << "regenerate with DRYDOCK_UPDATE_GOLDEN=1 and review the diff";
  }
}

TEST(ReportGolden, RenderingIsDeterministicWhateverTheInputOrder) {
  ScanResult reversed = SampleScan();
  std::reverse(reversed.findings.begin(), reversed.findings.end());
  for (ReportFormat f : {ReportFormat::kJson, ReportFormat::kSarif, ReportFormat::kTable, ReportFormat::kHtml,
                         ReportFormat::kMarkdown}) {
    EXPECT_EQ(Render(f, reversed, TestOptions()), Render(f, SampleScan(), TestOptions()));
  }
}

TEST(ReportJson, HasDocumentedShape) {
  using Json = nlohmann::json;
  const Json doc = Json::parse(RenderJson(SampleScan(), TestOptions()));
  struct Case {
    std::string pointer;
    Json::value_t type;
  };
  const std::vector<Case> cases = {
      {"/schema_version", Json::value_t::number_unsigned},
      {"/tool/name", Json::value_t::string},
      {"/tool/version", Json::value_t::string},
      {"/target", Json::value_t::string},
      {"/artifact/image_id", Json::value_t::string},
      {"/artifact/os", Json::value_t::object},
      {"/artifact/os/pretty_name", Json::value_t::string},
      {"/artifact/repo_tags", Json::value_t::array},
      {"/artifact/entrypoint", Json::value_t::array},
      {"/artifact/labels", Json::value_t::object},
      {"/artifact/env_count", Json::value_t::number_unsigned},
      {"/artifact/healthcheck", Json::value_t::null},
      {"/artifact/layers/0/index", Json::value_t::number_unsigned},
      {"/artifact/layers/0/tar_bytes", Json::value_t::number_unsigned},
      {"/artifact/total_tar_bytes", Json::value_t::number_unsigned},
      {"/scanners", Json::value_t::array},
      {"/partial", Json::value_t::boolean},
      {"/diagnostics/0/where", Json::value_t::string},
      {"/summary/CRITICAL", Json::value_t::number_unsigned},
      {"/summary/UNKNOWN", Json::value_t::number_unsigned},
      {"/findings/0/id", Json::value_t::string},
      {"/findings/0/location/layer_index", Json::value_t::number_unsigned},
      {"/findings/0/location/line", Json::value_t::number_unsigned},
      {"/findings/0/references", Json::value_t::array},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.pointer);
    const Json::json_pointer ptr(c.pointer);
    ASSERT_TRUE(doc.contains(ptr));
    EXPECT_EQ(doc.at(ptr).type(), c.type);
  }
  EXPECT_EQ(doc["schema_version"], 2);
  EXPECT_EQ(doc["partial"], true);
  EXPECT_EQ(doc["artifact"]["env_count"], 2);
  EXPECT_EQ(doc["summary"], (Json{{"CRITICAL", 0}, {"HIGH", 1}, {"MEDIUM", 1}, {"LOW", 1}, {"UNKNOWN", 0}}));
  ASSERT_EQ(doc["findings"].size(), 3u);
  // Sorted by severity; location keys without a value are omitted.
  EXPECT_EQ(doc["findings"][0]["severity"], "HIGH");
  EXPECT_EQ(doc["findings"][1]["location"], (Json{{"config_field", "config.User"}}));
  EXPECT_EQ(doc["findings"][2]["location"]["path"], "/app/static/café menu/.env");
  EXPECT_FALSE(doc["findings"][2]["location"].contains("line"));
}

// A live audit's SARIF: the WARN outcomes' findings say kind "fail", every
// other outcome is its own result (pass, informational, …): a consumer can
// tell passed checks from failed ones (audit.sh checks it on a real daemon).
TEST(ReportSarif, LiveAuditResultsSayPassOrFail) {
  ScanResult scan;
  scan.target = "containers";
  Finding warn;
  warn.rule_id = "DD-CIS-5.4";
  warn.kind = FindingKind::kMisconfiguration;
  warn.severity = Severity::kHigh;
  warn.title = "Privileged container";
  warn.location.path = "web";
  warn.Fingerprint();
  scan.findings.push_back(warn);
  scan.outcomes.push_back(CheckOutcome{"5.4", 1, CheckStatus::kWarn, "Privileged container", "web", "privileged", ""});
  scan.outcomes.push_back(CheckOutcome{"5.10", 1, CheckStatus::kPass, "Memory limit", "web", "512m", ""});
  scan.outcomes.push_back(CheckOutcome{"5.2", 1, CheckStatus::kInfo, "SELinux", "web", "", ""});
  const nlohmann::json doc = nlohmann::json::parse(RenderSarif(scan, TestOptions()));
  std::vector<std::string> kinds;
  for (const auto& r : doc["runs"][0]["results"]) kinds.push_back(r.value("kind", "(none)") + " " + r.value("ruleId", ""));
  EXPECT_EQ(kinds, (std::vector<std::string>{"fail DD-CIS-5.4", "pass DD-CIS-5.10", "informational DD-CIS-5.2"}));
  // An image scan has no outcomes: its results carry no kind (SARIF's default, fail).
  scan.outcomes.clear();
  const nlohmann::json image = nlohmann::json::parse(RenderSarif(scan, TestOptions()));
  EXPECT_FALSE(image["runs"][0]["results"][0].contains("kind"));
}

TEST(ReportJson, EmptyScanRendersNullOsAndNoFindings) {
  const nlohmann::json doc = nlohmann::json::parse(RenderJson(ScanResult{}, TestOptions()));
  EXPECT_TRUE(doc["artifact"]["os"].is_null());
  EXPECT_TRUE(doc["findings"].empty());
  EXPECT_EQ(doc["partial"], false);
  EXPECT_FALSE(doc["artifact"].contains("user"));
}

TEST(Report, NoFormatPrintsEnvValues) {
  for (ReportFormat f : {ReportFormat::kJson, ReportFormat::kSarif, ReportFormat::kTable, ReportFormat::kHtml,
                         ReportFormat::kMarkdown}) {
    EXPECT_EQ(Render(f, SampleScan(), TestOptions()).find(kEnvSecret), std::string::npos);
  }
}

TEST(Report, HostileNamesDoNotBreakOutput) {
  ScanResult scan = SampleScan();
  scan.findings[0].location.path = "/tmp/\xff\xfe bad\x1b[2Jname";
  scan.findings[0].title = "title with\nnewline and \xe2\x80\xae bidi override";

  // Invalid UTF-8 must neither throw nor produce invalid JSON.
  for (ReportFormat f : {ReportFormat::kJson, ReportFormat::kSarif}) {
    const std::string out = Render(f, scan, TestOptions());
    EXPECT_TRUE(nlohmann::json::accept(out));
  }
  const std::string table = RenderTable(scan, TestOptions());
  EXPECT_EQ(table.find('\x1b'), std::string::npos);
  EXPECT_EQ(table.find("\xe2\x80\xae"), std::string::npos);
  EXPECT_NE(table.find("/tmp/\\xff\\xfe bad\\x1b[2Jname"), std::string::npos);
}

TEST(ReportTable, ColourOnlyWhenAsked) {
  ReportOptions opts = TestOptions();
  EXPECT_EQ(RenderTable(SampleScan(), opts).find('\x1b'), std::string::npos);
  opts.color = true;
  EXPECT_NE(RenderTable(SampleScan(), opts).find("\x1b[31mHIGH\x1b[0m"), std::string::npos);
}

TEST(ReportTable, SaysNoFindingsWhenEmpty) {
  ScanResult scan = SampleScan();
  scan.findings.clear();
  const std::string out = RenderTable(scan, TestOptions());
  EXPECT_NE(out.find("No findings."), std::string::npos);
  EXPECT_EQ(out.find("Total:"), std::string::npos);
}

TEST(ReportSarif, UrisArePercentEncodedRelativeReferences) {
  const nlohmann::json doc = nlohmann::json::parse(RenderSarif(SampleScan(), TestOptions()));
  const nlohmann::json& results = doc["runs"][0]["results"];
  ASSERT_EQ(results.size(), 3u);
  auto uri = [&](size_t i) {
    return results[i]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>();
  };
  EXPECT_EQ(uri(0), "app/config/settings.py");
  EXPECT_EQ(uri(1), "example.com/team/app%3A1.2.3");  // config field: the image itself
  EXPECT_EQ(uri(2), "app/static/caf%C3%A9%20menu/.env");
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 12);
  EXPECT_EQ(results[1]["properties"]["config_field"], "config.User");
  EXPECT_EQ(results[0]["level"], "error");
  EXPECT_EQ(results[1]["level"], "warning");
  EXPECT_EQ(results[2]["level"], "note");
}

// Runs tests/validate_sarif.sh; returns its exit status (77: validator missing).
int ValidateSarif(const std::string& path) {
  const std::string cmd = "'" + kSourceDir + "/tests/validate_sarif.sh' '" + path + "'";
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(ReportSarif, ValidatesAgainstSchema) {
  ScratchDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string path = dir.path() + "/scan.sarif";
  ASSERT_TRUE(WriteOutput(path, RenderSarif(SampleScan(), TestOptions())).ok());
  const int rc = ValidateSarif(path);
  if (rc == 77) GTEST_SKIP() << "python3-jsonschema not installed";
  EXPECT_EQ(rc, 0);
}

TEST(ReportSarif, ValidatorRejectsInvalidDocument) {
  ScratchDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string path = dir.path() + "/bad.sarif";
  ASSERT_TRUE(WriteOutput(path, R"({"version": "2.1.0", "runs": [{"results": []}]})").ok());
  const int rc = ValidateSarif(path);
  if (rc == 77) GTEST_SKIP() << "python3-jsonschema not installed";
  EXPECT_NE(rc, 0);
}

TEST(ReportFinding, ParseSeverity) {
  struct Case {
    std::string input;
    bool ok;
    Severity want;
  };
  const std::vector<Case> cases = {
      {"high", true, Severity::kHigh},
      {"HIGH", true, Severity::kHigh},
      {"Critical", true, Severity::kCritical},
      {"unknown", true, Severity::kUnknown},
      {"bogus", false, {}},
      {"", false, {}},
      {"HIGHER", false, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    const Result<Severity> got = ParseSeverity(c.input);
    ASSERT_EQ(got.ok(), c.ok);
    if (c.ok) {
      EXPECT_EQ(*got, c.want);
    }
  }
}

TEST(ReportFinding, SeverityNamesRoundTrip) {
  for (Severity s : {Severity::kUnknown, Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    const Result<Severity> got = ParseSeverity(SeverityName(s));
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, s);
  }
}

TEST(ReportFinding, FingerprintDependsOnRuleAndLocationOnly) {
  Finding base;
  base.rule_id = "DD-CIS-4.1";
  base.location = {1, "sha256:" + std::string(64, '1'), "RUN x", "/etc/passwd", 3, ""};
  struct Case {
    std::string name;
    void (*mutate)(Finding&);
    bool same;
  };
  const std::vector<Case> cases = {
      {"equal location", [](Finding&) {}, true},
      {"other title", [](Finding& f) { f.title = "reworded"; }, true},
      {"other severity", [](Finding& f) { f.severity = Severity::kCritical; }, true},
      {"other created_by", [](Finding& f) { f.location.created_by = "RUN y"; }, true},
      {"other path", [](Finding& f) { f.location.path = "/etc/shadow"; }, false},
      {"other line", [](Finding& f) { f.location.line = 4; }, false},
      {"other layer", [](Finding& f) { f.location.diff_id = "sha256:" + std::string(64, '2'); }, false},
      {"other rule", [](Finding& f) { f.rule_id = "DD-CIS-4.6"; }, false},
      {"field boundary",
       [](Finding& f) {
         f.location.path = "/etc/passwd3";
         f.location.line = 0;
       },
       false},
  };
  Finding want = base;
  want.Fingerprint();
  ASSERT_EQ(want.fingerprint.size(), 16u);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Finding f = base;
    c.mutate(f);
    f.Fingerprint();
    EXPECT_EQ(f.fingerprint == want.fingerprint, c.same);
  }
}

TEST(ReportFinding, SortFindingsBySeverityThenRuleThenPath) {
  auto make = [](Severity s, std::string rule, std::string path) {
    Finding f;
    f.severity = s;
    f.rule_id = std::move(rule);
    f.location.path = std::move(path);
    return f;
  };
  std::vector<Finding> findings = {make(Severity::kLow, "A", "/a"), make(Severity::kHigh, "B", "/b"),
                                   make(Severity::kHigh, "A", "/z"), make(Severity::kHigh, "A", "/c")};
  SortFindings(findings);
  std::vector<std::string> got;
  for (const Finding& f : findings) got.push_back(f.rule_id + f.location.path);
  EXPECT_EQ(got, (std::vector<std::string>{"A/c", "A/z", "B/b", "A/a"}));
}

TEST(ReportParseFormat, AcceptsKnownNamesOnly) {
  EXPECT_EQ(*ParseReportFormat("json"), ReportFormat::kJson);
  EXPECT_EQ(*ParseReportFormat("sarif"), ReportFormat::kSarif);
  EXPECT_EQ(*ParseReportFormat("table"), ReportFormat::kTable);
  EXPECT_EQ(*ParseReportFormat("html"), ReportFormat::kHtml);
  EXPECT_EQ(*ParseReportFormat("markdown"), ReportFormat::kMarkdown);
  const Result<ReportFormat> bad = ParseReportFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, Error::Kind::kUsage);
}

TEST(ReportOutput, ReplacesExistingFileAndLeavesNoTempFile) {
  ScratchDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string path = dir.path() + "/report.json";
  std::ofstream(path) << "old content that is longer than the new one\n";
  ASSERT_TRUE(WriteOutput(path, "new\n").ok());
  EXPECT_EQ(ReadFile(path), "new\n");
  EXPECT_EQ(ListDir(dir.path()), std::vector<std::string>{"report.json"});
}

TEST(ReportOutput, ReplacesSymlinkInsteadOfWritingThroughIt) {
  ScratchDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string victim = dir.path() + "/victim";
  const std::string link = dir.path() + "/report.json";
  std::ofstream(victim) << "precious\n";
  ASSERT_EQ(::symlink(victim.c_str(), link.c_str()), 0);
  ASSERT_TRUE(WriteOutput(link, "report\n").ok());
  EXPECT_EQ(ReadFile(victim), "precious\n");
  EXPECT_FALSE(fs::is_symlink(link));
  EXPECT_EQ(ReadFile(link), "report\n");
}

TEST(ReportOutput, WritesIntoFifoInsteadOfReplacingIt) {
  ScratchDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string fifo = dir.path() + "/pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // A non-blocking reader lets the writer's open() succeed at once.
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  const Status s = WriteOutput(fifo, "through the pipe\n");
  char buf[64] = {};
  const ssize_t n = ::read(reader, buf, sizeof buf);
  ::close(reader);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "through the pipe\n");
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(ListDir(dir.path()), std::vector<std::string>{"pipe"});
}

TEST(ReportOutput, GivesReportTheUsualFileMode) {
  ScratchDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string path = dir.path() + "/report.txt";
  const mode_t old_mask = ::umask(022);
  const Status s = WriteOutput(path, "x");
  ::umask(old_mask);
  ASSERT_TRUE(s.ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST(ReportOutput, FailureIsAnEnvironmentErrorNamingThePath) {
  ScratchDir dir;
  ASSERT_FALSE(dir.path().empty());
  struct Case {
    std::string name;
    std::string path;
  };
  const std::vector<Case> cases = {
      {"missing directory", dir.path() + "/no/such/dir/report.json"},
      {"target is a directory", dir.path()},
  };
  fs::create_directory(dir.path() + "/sub");
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Status s = WriteOutput(c.path, "x");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind, Error::Kind::kEnvironment);
    EXPECT_NE(s.error().message.find(c.path), std::string::npos) << s.error().message;
  }
  EXPECT_EQ(ListDir(dir.path()), std::vector<std::string>{"sub"});
}

}  // namespace
}  // namespace drydock
