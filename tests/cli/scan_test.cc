// ScanImage wires source → pipeline → view → checks; these cases check the
// wiring decisions it owns (platform refusal, findings and summary).
#include "cli/scan.h"

#include <gtest/gtest.h>

#include "report/report.h"
#include "support/image_builder.h"
#include "support/tar_builder.h"

namespace drydock {
namespace {

using testing::BlobStore;
using testing::TempDir;

// An OCI layout holding one arm64 image whose index entry names no
// platform, so only the config tells what it is.
std::string Arm64Layout(const TempDir& dir) {
  BlobStore store;
  std::string tar = testing::MakeTar({testing::File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n")});
  nlohmann::json desc = store.AddImage({tar}, "arm64", "v8");
  desc.erase("platform");
  for (const auto& [path, bytes] : store.blobs()) dir.Write(path, bytes);
  dir.Write("oci-layout", R"({"imageLayoutVersion": "1.0.0"})");
  dir.Write("index.json", testing::IndexJson({desc}));
  return "oci:" + dir.path();
}

TEST(ScanImage, RefusesAnImageOfAnotherPlatformWhenOneWasAskedFor) {
  TempDir dir;
  ScanOptions opts;
  opts.source.platform = Platform{"linux", "amd64", ""};
  opts.source.platform_explicit = true;
  auto r = ScanImage(Arm64Layout(dir), opts);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("the image is linux/arm64/v8, not linux/amd64"), std::string::npos)
      << r.error().message;
}

TEST(ScanImage, ScansTheOnlyImageWhenNoPlatformWasAskedFor) {
  TempDir dir;
  ScanOptions opts;
  opts.source.platform = Platform{"linux", "amd64", ""};
  auto r = ScanImage(Arm64Layout(dir), opts);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->summary.os.has_value());
  EXPECT_EQ(r->summary.os->id, "alpine");
  EXPECT_EQ(r->summary.layers.size(), 1u);
  std::vector<std::string> rules;
  for (const auto& f : r->findings) {
    if (f.rule_id.starts_with("DD-CIS-")) rules.push_back(f.rule_id);  // the other checks have their own tests
  }
  // The config runs as "app" (no /etc/passwd to contradict it) and has no
  // HEALTHCHECK.
  EXPECT_EQ(rules, (std::vector<std::string>{"DD-CIS-4.6"}));
}

// A password in an ENV step and a token passed as a build ARG: whatever the
// scanners, no report shows either value, though the layer list, the
// package's origin and the findings all quote the build history.
TEST(ScanImage, BuildHistoryValuesAreRedactedInEveryReportWhateverTheScanners) {
  const std::string password = "Zx9qLm2Rv7tPw4Kd";
  const std::string token = "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";
  TempDir dir;
  BlobStore store;
  const std::string tar = testing::MakeTar(
      {testing::File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
       testing::File("lib/apk/db/installed", "P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\n")});
  nlohmann::json desc = store.AddImage({tar}, "amd64", "", [&](nlohmann::json& cfg) {
    cfg["config"]["Env"] = {"DB_PASSWORD=" + password};
    cfg["history"] = {
        {{"created_by", "/bin/sh -c #(nop)  ENV DB_PASSWORD=" + password}, {"empty_layer", true}},
        {{"created_by", "|1 GITHUB_TOKEN=" + token + " /bin/sh -c apk add musl"}},
    };
  });
  for (const auto& [path, bytes] : store.blobs()) dir.Write(path, bytes);
  dir.Write("oci-layout", R"({"imageLayoutVersion": "1.0.0"})");
  dir.Write("index.json", testing::IndexJson({desc}));
  for (const auto& scanners : std::vector<std::vector<std::string>>{{}, {"misconfig"}, {"secret", "misconfig"}}) {
    ScanOptions opts;
    opts.scanners = scanners;
    opts.inventory = true;
    auto r = ScanImage("oci:" + dir.path(), opts);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->inventory->packages.size(), 1u);
    EXPECT_NE(r->inventory->packages[0].created_by.find("apk add musl"), std::string::npos);
    ReportOptions ropts;
    const std::vector<std::pair<std::string, std::string>> reports = {
        {"table", RenderTable(*r, ropts)},    {"json", RenderJson(*r, ropts)},
        {"sarif", RenderSarif(*r, ropts)},    {"cyclonedx", RenderCycloneDx(*r, ropts)},
        {"spdx-json", RenderSpdx(*r, ropts)}, {"junit", RenderJunit(*r, ropts)},
        {"html", RenderHtml(*r, ropts)},      {"markdown", RenderMarkdown(*r, ropts)},
    };
    for (const auto& [format, text] : reports) {
      EXPECT_EQ(text.find(password), std::string::npos) << format << " with " << scanners.size() << " scanners";
      EXPECT_EQ(text.find(token), std::string::npos) << format << " with " << scanners.size() << " scanners";
    }
    EXPECT_NE(RenderJson(*r, ropts).find("apk add musl"), std::string::npos) << "the rest of the step stays";
  }
}

TEST(ScanImage, RejectsScannersItDoesNotHave) {
  ScanOptions opts;
  opts.scanners = {"license-audit"};
  auto r = ScanImage("dir:/nonexistent", opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::kUsage);
}

}  // namespace
}  // namespace drydock
