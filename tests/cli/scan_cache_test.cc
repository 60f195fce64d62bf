// ScanImage with the layer cache: a warm scan reads no layer and renders
// byte-identical reports in every format, also when one secret is found in
// a cached layer and in the config (the two findings merge as in a cold
// scan); layer_cache = false neither reads nor writes it.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "cli/scan.h"
#include "report/report.h"
#include "support/image_builder.h"
#include "support/tar_builder.h"

namespace drydock {
namespace {

using testing::BlobStore;
using testing::TempDir;

const std::string kToken = "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";

// An OCI layout (gzip layers) with an OS, accounts, a package, and one
// token both in a file of layer 2 and in the config's Env. Returns the
// target; `layer_blobs` gets the layer blobs' paths.
std::string Layout(const TempDir& dir, std::vector<std::string>* layer_blobs) {
  BlobStore store;
  const std::string base =
      testing::MakeTar({testing::File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
                        testing::File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
                        testing::File("lib/apk/db/installed", "P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\n")});
  const std::string app = testing::MakeTar({testing::File("app/.env", "GITHUB_TOKEN=" + kToken + "\n"),
                                            testing::File("app/big.txt", std::string(100000, 'x'))});
  nlohmann::json desc = store.AddImage({base, app}, "amd64", "",
                                       [&](nlohmann::json& cfg) { cfg["config"]["Env"] = {"GITHUB_TOKEN=" + kToken}; });
  for (const auto& [path, bytes] : store.blobs()) dir.Write(path, bytes);
  dir.Write("oci-layout", R"({"imageLayoutVersion": "1.0.0"})");
  dir.Write("index.json", testing::IndexJson({desc}));
  for (const auto& [path, bytes] : store.blobs()) {
    if (bytes.size() > 2 && static_cast<unsigned char>(bytes[0]) == 0x1f)
      layer_blobs->push_back(dir.path() + "/" + path);
  }
  return "oci:" + dir.path();
}

std::vector<std::pair<std::string, std::string>> Reports(const ScanResult& r) {
  ReportOptions ropts;
  ropts.tool_version = "test";
  return {{"table", RenderTable(r, ropts)},    {"json", RenderJson(r, ropts)},
          {"sarif", RenderSarif(r, ropts)},    {"cyclonedx", RenderCycloneDx(r, ropts)},
          {"spdx-json", RenderSpdx(r, ropts)}, {"junit", RenderJunit(r, ropts)}};
}

void Damage(const std::string& path) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(path) / 2));
  f.put('\x55');
}

TEST(ScanImageWithLayerCache, WarmScanReadsNoLayerAndReportsTheSame) {
  TempDir image, cache;
  std::vector<std::string> blobs;
  const std::string target = Layout(image, &blobs);
  ASSERT_EQ(blobs.size(), 2u);
  ScanOptions opts;
  opts.scanners = {"secret", "misconfig"};
  opts.inventory = true;
  opts.cache_dir = cache.path();
  auto cold = ScanImage(target, opts);
  ASSERT_TRUE(cold.ok()) << cold.error().message;
  size_t merged = 0;
  for (const auto& f : cold->findings) {
    if (f.kind == FindingKind::kSecret && !f.more_locations.empty()) merged++;
  }
  ASSERT_EQ(merged, 1u) << "the token in the file and in Env is one finding";
  ASSERT_TRUE(std::filesystem::exists(cache.path() + "/layers"));

  // Damaged blobs prove the warm scan does not read them.
  for (const auto& b : blobs) Damage(b);
  auto warm = ScanImage(target, opts);
  ASSERT_TRUE(warm.ok()) << warm.error().message;
  const auto want = Reports(*cold), got = Reports(*warm);
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got[i].second, want[i].second) << want[i].first;

  ScanOptions no_cache = opts;
  no_cache.layer_cache = false;
  auto read = ScanImage(target, no_cache);
  ASSERT_FALSE(read.ok()) << "without the cache the damaged layers are read";
  EXPECT_NE(read.error().message.find("layer"), std::string::npos) << read.error().message;
}

TEST(ScanImageWithLayerCache, NoLayerCacheWritesNoEntry) {
  TempDir image, cache;
  std::vector<std::string> blobs;
  const std::string target = Layout(image, &blobs);
  ScanOptions opts;
  opts.scanners = {"misconfig"};
  opts.cache_dir = cache.path();
  opts.layer_cache = false;
  ASSERT_TRUE(ScanImage(target, opts).ok());
  EXPECT_FALSE(std::filesystem::exists(cache.path() + "/layers"));
}

}  // namespace
}  // namespace drydock
