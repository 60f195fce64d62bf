// ScanImage wires source → pipeline → view → checks; these cases check the
// wiring decisions it owns (platform refusal, findings and summary).
#include "cli/scan.h"

#include <gtest/gtest.h>

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

TEST(ScanImage, RejectsScannersItDoesNotHave) {
  ScanOptions opts;
  opts.scanners = {"license-audit"};
  auto r = ScanImage("dir:/nonexistent", opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::kUsage);
}

}  // namespace
}  // namespace drydock
