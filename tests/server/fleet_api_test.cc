// Fleet mode's pure parts: the POST /v1/scans body parser, the target
// policy, the request key, and the ScanResult codec clients decode.
#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include <fstream>

#include "layer/cache.h"
#include "server/api.h"

namespace drydock {
namespace {

TEST(ScanRequest, ParsesOrRefusesEachBody) {
  struct Case {
    const char* body;
    bool ok;
    const char* error_has;
  } cases[] = {
      {R"({"target":"registry:r/app:1"})", true, ""},
      {R"({"target":"/i/a.tar","options":{"scanners":["vuln","secret"],"inventory":true,"checks":false,)"
       R"("include_unfixed":false,"platform":"linux/arm64"}})",
       true, ""},
      {R"({"target":)", false, "not JSON"},
      {R"(["registry:r/app"])", false, "object"},
      {R"({"options":{}})", false, "missing"},
      {R"({"target":""})", false, "missing or empty"},
      {R"({"target":5})", false, "must be a string"},
      {R"({"target":"x","extra":1})", false, "unknown key"},
      {R"({"target":"x","options":{"scanners":["rootkit"]}})", false, "not a scanner"},
      {R"({"target":"x","options":{"scanners":["vuln","vuln"]}})", false, "twice"},
      {R"({"target":"x","options":{"inventory":"yes"}})", false, "true or false"},
      {R"({"target":"x","options":{"colour":true}})", false, "unknown key"},
      {R"({"target":"a\u0000b"})", false, "control bytes"},
  };
  for (const Case& c : cases) {
    auto r = server::ParseScanRequest(c.body);
    EXPECT_EQ(r.ok(), c.ok) << c.body;
    if (!r.ok()) {
      EXPECT_NE(r.error().message.find(c.error_has), std::string::npos) << r.error().message;
    }
  }
  EXPECT_FALSE(server::ParseScanRequest("{\"target\":\"" + std::string(5000, 'a') + "\"}").ok());
}

TEST(ScanRequest, KeyDependsOnTargetAndOptionsOnly) {
  auto a = server::ParseScanRequest(R"({"target":"registry:r/a","options":{"checks":true}})");
  auto b = server::ParseScanRequest(R"({"options":{},"target":"registry:r/a"})");
  auto c = server::ParseScanRequest(R"({"target":"registry:r/a","options":{"inventory":true}})");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(server::RequestKey(*a), server::RequestKey(*b));  // defaults spelled out or not
  EXPECT_NE(server::RequestKey(*a), server::RequestKey(*c));
  auto back = server::ParseOptionsJson(server::OptionsJson(c->options));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->inventory);
}

TEST(TargetPolicy, AllowsOnlyWhatItNames) {
  const auto dir = std::filesystem::temp_directory_path() / ("dd-policy-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir / "images");
  std::ofstream(dir / "images/a.tar") << "x";
  std::filesystem::create_symlink("/etc", dir / "images/escape");
  auto p = server::TargetPolicy::Parse("registry,path:" + (dir / "images").string());
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_TRUE(p->Check("registry:r/app:1").ok());
  EXPECT_TRUE(p->Check((dir / "images/a.tar").string()).ok());
  EXPECT_TRUE(p->Check("docker-archive:" + (dir / "images/a.tar").string()).ok());
  EXPECT_FALSE(p->Check((dir / "images/escape/passwd").string()).ok());
  EXPECT_FALSE(p->Check((dir / "images/../images2/a.tar").string()).ok());
  EXPECT_FALSE(p->Check("/etc/passwd").ok());
  EXPECT_FALSE(p->Check("docker:alpine").ok());
  EXPECT_FALSE(p->Check("alpine").ok());
  auto def = server::TargetPolicy();
  EXPECT_TRUE(def.Check("registry:r/app").ok());
  EXPECT_FALSE(def.Check((dir / "images/a.tar").string()).ok());
  EXPECT_FALSE(server::TargetPolicy::Parse("everything").ok());
  std::filesystem::remove_all(dir);
}

ScanResult Sample() {
  ScanResult s;
  s.target = "/images/a.tar";
  s.scanners = {"misconfig", "secret"};
  s.image.source_kind = "docker-archive";
  s.image.reference = s.target;
  s.image.repo_tags = {"app:1"};
  s.image.config_digest = *Digest::Parse("sha256:" + std::string(64, 'a'));
  s.image.config.user = "app";
  s.image.config.env = {"PATH=/bin"};
  s.image.config.labels = {{"a", "1"}, {"b", "2"}};
  s.image.config.healthcheck = Healthcheck{{"CMD", "true"}};
  s.image.config.diff_ids = {*Digest::Parse("sha256:" + std::string(64, 'b'))};
  s.image.config.history = {{"2024", "ADD x /", "", false}};
  Layer l;
  l.blob.name = "x/layer.tar";
  l.blob.size = 10;
  l.diff_id = s.image.config.diff_ids[0];
  l.created_by = "ADD x /";
  s.image.layers = {l};
  s.summary.os = OsRelease{"alpine", "3.19", "", "Alpine", "/etc/os-release", false};
  s.summary.layers = {{0, l.diff_id.str(), "", "", "none", 10, 10, 3, "ADD x /"}};
  s.summary.files = 3;
  Finding f;
  f.rule_id = "DD-CIS-4.1";
  f.title = "root";
  f.severity = Severity::kHigh;
  s.findings = {f};
  f.suppression = Suppression{"ignore", ".drydockignore", "ok", "", "", ""};
  s.suppressed = {f};
  Package p;
  p.type = "apk";
  p.name = "musl";
  p.version = "1.2";
  s.inventory = Inventory{{p}, {{"/lib/apk/db/installed", "bad"}}, {"apk"}};
  s.diagnostics = {{"layer 1", "unreadable"}};
  return s;
}

TEST(ScanResultCodec, RoundTripIsCanonical) {
  const std::string enc = EncodeScanResult(Sample());
  auto dec = DecodeScanResult(enc);
  ASSERT_TRUE(dec.ok()) << dec.error().message;
  EXPECT_EQ(EncodeScanResult(*dec), enc);
  EXPECT_EQ(dec->image.config.labels.size(), 2u);
  ASSERT_TRUE(dec->inventory.has_value());
  EXPECT_EQ(dec->inventory->packages[0].name, "musl");
  EXPECT_EQ(dec->suppressed[0].suppression->source, ".drydockignore");
}

TEST(ScanResultCodec, EveryFlippedByteAndTruncationIsRefused) {
  const std::string enc = EncodeScanResult(Sample());
  for (size_t i = 0; i < enc.size(); ++i) {
    std::string bad = enc;
    bad[i] ^= 0x20;
    EXPECT_FALSE(DecodeScanResult(bad).ok()) << "flip at " << i;
    EXPECT_FALSE(DecodeScanResult(std::string_view(enc).substr(0, i)).ok()) << "cut at " << i;
  }
}

}  // namespace
}  // namespace drydock
