// OCI image layout directories: tag selection by ref.name annotation,
// platform selection in multi-platform indexes, nested indexes, and the
// digest checks on every JSON blob and layer.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "support/image_builder.h"
#include "support/tar_builder.h"

namespace drydock {
namespace {

using nlohmann::json;
using testing::Amd64Host;
using testing::BlobPathOf;
using testing::BlobStore;
using testing::File;
using testing::IndexJson;
using testing::MakeTar;
using testing::ScanTarget;
using testing::Tagged;
using testing::TempDir;

constexpr char kOciLayout[] = R"({"imageLayoutVersion":"1.0.0"})";

// A layer holding /id with `id` as its content, so a test can tell which
// image it read.
std::string IdLayer(const std::string& id) { return MakeTar({File("id", id)}); }

// Writes oci-layout, index.json and every blob of `store` into `dir`.
void WriteLayout(const TempDir& dir, const BlobStore& store, const std::string& index_json) {
  dir.Write("oci-layout", kOciLayout);
  dir.Write("index.json", index_json);
  for (const auto& [path, bytes] : store.blobs()) dir.Write(path, bytes);
}

// "v1": a multi-platform index (linux/amd64, linux/arm64/v8), each with its
// own config and layer; "v2": a single linux/amd64 manifest.
class MultiPlatformLayout : public ::testing::Test {
 protected:
  void SetUp() override {
    BlobStore store;
    const json amd = store.AddImage({IdLayer("v1-amd64")}, "amd64");
    const json arm = store.AddImage({IdLayer("v1-arm64")}, "arm64", "v8");
    const json v1 = store.AddIndex({amd, arm});
    const json v2 = store.AddImage({IdLayer("v2-amd64")}, "amd64");
    WriteLayout(dir_, store, IndexJson({Tagged(v1, "v1"), Tagged(v2, "v2")}));
  }
  TempDir dir_;
};

SourceOptions For(const std::string& platform, bool explicit_) {
  SourceOptions o = Amd64Host();
  o.platform = Platform::Parse(platform).value();
  o.platform_explicit = explicit_;
  return o;
}

TEST_F(MultiPlatformLayout, SelectsByTagAndPlatform) {
  struct Case {
    std::string name;
    std::string tag;
    std::string platform;
    bool platform_explicit;
    std::string want_id;  // content of /id in the image read
    std::string want_arch;
  };
  const Case cases[] = {
      {"amd64 from the multi-platform index", "v1", "linux/amd64", false, "v1-amd64", "amd64"},
      {"arm64 with its variant", "v1", "linux/arm64/v8", true, "v1-arm64", "arm64"},
      {"arm64 without a variant matches any variant", "v1", "linux/arm64", true, "v1-arm64", "arm64"},
      {"aarch64 is an alias of arm64", "v1", "linux/aarch64", true, "v1-arm64", "arm64"},
      {"single-platform tag", "v2", "linux/amd64", false, "v2-amd64", "amd64"},
      {"single-platform image is used on another host when no platform was asked for", "v2", "linux/s390x", false,
       "v2-amd64", "amd64"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto got = ScanTarget("oci:" + dir_.path() + ":" + c.tag, For(c.platform, c.platform_explicit));
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(got->info.source_kind, "oci-layout");
    EXPECT_EQ(got->info.repo_tags, std::vector<std::string>{c.tag});
    EXPECT_EQ(got->info.config.architecture, c.want_arch);
    EXPECT_FALSE(got->info.manifest_digest.empty());
    ASSERT_EQ(got->layers.size(), 1u);
    EXPECT_EQ(got->layers[0]->captured.at("/id"), c.want_id);
    EXPECT_EQ(got->info.layers[0].diff_id, Sha256Of(IdLayer(c.want_id)));
  }
}

TEST_F(MultiPlatformLayout, RefusesWhatItCannotSelect) {
  struct Case {
    std::string name;
    std::string tag;
    std::string platform;
    bool platform_explicit;
    std::vector<std::string> want_in_error;
  };
  const Case cases[] = {
      {"explicit platform not in the index lists the available ones",
       "v1",
       "linux/s390x",
       true,
       {"linux/s390x", "linux/amd64", "linux/arm64/v8"}},
      {"host platform not in a multi-platform index", "v1", "linux/s390x", false, {"linux/s390x", "linux/amd64"}},
      {"explicit platform a single-platform image lacks", "v2", "linux/s390x", true, {"linux/s390x", "linux/amd64"}},
      {"arm64 variant the index lacks", "v1", "linux/arm64/v7", true, {"linux/arm64/v7", "linux/arm64/v8"}},
      {"unknown tag", "nope", "linux/amd64", false, {"no image tagged", "nope"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto got = ScanTarget("oci:" + dir_.path() + ":" + c.tag, For(c.platform, c.platform_explicit));
    ASSERT_FALSE(got.ok());
    testing::ExpectMentions(got.error().message, c.want_in_error);
  }
}

TEST(OciLayout, OpensByPrefixOrBarePath) {
  BlobStore store;
  const json m = store.AddImage({IdLayer("only")}, "amd64");
  TempDir dir;
  WriteLayout(dir, store, IndexJson({m}));
  struct Case {
    std::string name;
    std::string target;
  };
  const Case cases[] = {
      {"oci: prefix without a tag", "oci:" + dir.path()},
      {"bare directory holding oci-layout", dir.path()},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto got = ScanTarget(c.target, Amd64Host());
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(got->info.source_kind, "oci-layout");
    EXPECT_TRUE(got->info.repo_tags.empty());
    EXPECT_EQ(got->layers.at(0)->captured.at("/id"), "only");
  }
}

// The image's names come from the oci:DIR:TAG argument and the index entry's
// annotations (org.opencontainers.image.ref.name, io.containerd.image.name),
// each once, in that order: the tag checks (DD-IMG-009) judge them all.
TEST(OciLayout, NamesComeFromTheArgumentAndTheAnnotations) {
  struct Case {
    std::string name;
    std::string ref_name;         // "" = no annotation
    std::string containerd_name;  // "" = no annotation
    std::string tag_arg;          // "" = plain oci:DIR
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"no annotations, no tag", "", "", "", {}},
      {"ref.name only", "1.4", "", "", {"1.4"}},
      {"ref.name latest", "latest", "", "", {"latest"}},
      {"containerd name only", "", "docker.io/library/app:1.4", "", {"docker.io/library/app:1.4"}},
      {"both, ref.name first", "latest", "docker.io/library/app:1.4", "", {"latest", "docker.io/library/app:1.4"}},
      {"tag argument and annotations, each once", "1.4", "docker.io/library/app:1.4", "1.4",
       {"1.4", "docker.io/library/app:1.4"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    BlobStore store;
    json m = store.AddImage({IdLayer("named")}, "amd64");
    if (!c.ref_name.empty()) m = Tagged(m, c.ref_name);
    if (!c.containerd_name.empty()) m["annotations"]["io.containerd.image.name"] = c.containerd_name;
    TempDir dir;
    WriteLayout(dir, store, IndexJson({m}));
    auto got = ScanTarget("oci:" + dir.path() + (c.tag_arg.empty() ? "" : ":" + c.tag_arg), Amd64Host());
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(got->info.repo_tags, c.want);
  }
}

// Each case builds its own layout; `build` fills the store and returns the
// index.json text, then may corrupt files on disk.
TEST(OciLayout, RefusesBrokenLayouts) {
  struct Case {
    std::string name;
    std::function<std::string(BlobStore&)> build;
    std::function<void(const TempDir&, const BlobStore&)> corrupt;
    std::vector<std::string> want_in_error;
  };
  auto image = [](BlobStore& s) { return s.AddImage({IdLayer("x")}, "amd64"); };
  auto manifest_of = [](const BlobStore& s, const json& desc) { return json::parse(s.blobs().at(BlobPathOf(desc))); };
  // Rewrites every blob holding `marker` with one byte more, breaking its digest.
  auto append_space_to_blobs_with = [](const TempDir& d, const BlobStore& s, std::string_view marker) {
    for (const auto& [path, bytes] : s.blobs()) {
      if (bytes.find(marker) != std::string::npos) d.Write(path, bytes + " ");
    }
  };
  const Case cases[] = {
      {"manifest blob that does not match its digest",
       [&](BlobStore& s) { return IndexJson({image(s)}); },
       [&](const TempDir& d, const BlobStore& s) { append_space_to_blobs_with(d, s, "\"layers\":["); },
       {"manifest", "digest mismatch"}},
      {"config blob that does not match its digest",
       [&](BlobStore& s) { return IndexJson({image(s)}); },
       [&](const TempDir& d, const BlobStore& s) { append_space_to_blobs_with(d, s, "\"rootfs\""); },
       {"config", "digest mismatch"}},
      {"layer blob that does not match its digest",
       [&](BlobStore& s) { return IndexJson({image(s)}); },
       [&](const TempDir& d, const BlobStore& s) {
         for (const auto& [path, bytes] : s.blobs()) {
           if (bytes.substr(0, 2) == "\x1f\x8b") d.Write(path, testing::Gzip(IdLayer("evil")));
         }
       },
       {"layer 1 of 1", "digest mismatch"}},
      {"layer blob absent",
       [&](BlobStore& s) { return IndexJson({image(s)}); },
       [&](const TempDir& d, const BlobStore& s) {
         for (const auto& [path, bytes] : s.blobs()) {
           if (bytes.substr(0, 2) == "\x1f\x8b") std::filesystem::remove(d.path() + "/" + path);
         }
       },
       {"layer 1 of 1", "missing"}},
      {"manifest blob absent",
       [&](BlobStore& s) { return IndexJson({image(s)}); },
       [&](const TempDir& d, const BlobStore& s) {
         for (const auto& [path, bytes] : s.blobs()) {
           if (bytes.find("\"layers\":[") != std::string::npos) std::filesystem::remove(d.path() + "/" + path);
         }
       },
       {"blobs/sha256/"}},
      {"manifest with more layers than the config has diff_ids",
       [&](BlobStore& s) {
         json desc = image(s);
         json m = manifest_of(s, desc);
         m["layers"].push_back(m["layers"][0]);
         return IndexJson({s.Add(testing::kOciManifestType, m.dump())});
       },
       nullptr,
       {"2 layers", "1 diff_ids"}},
      {"layer with an unsupported media type",
       [&](BlobStore& s) {
         json m = manifest_of(s, image(s));
         m["layers"][0]["mediaType"] = "application/vnd.example.not-a-layer";
         return IndexJson({s.Add(testing::kOciManifestType, m.dump())});
       },
       nullptr,
       {"unsupported media type"}},
      {"descriptor digest that tries to leave blobs/",
       [&](BlobStore&) {
         return IndexJson({json{
             {"mediaType", testing::kOciManifestType}, {"digest", "sha256:../../../../etc/passwd"}, {"size", 10}}});
       },
       nullptr,
       {"sha256:../../../../etc/passwd"}},
      {"index nested nine deep",
       [&](BlobStore& s) {
         json d = image(s);
         for (int i = 0; i < 9; ++i) d = s.AddIndex({d});
         return IndexJson({d});
       },
       nullptr,
       {"nested deeper than 8"}},
      {"index without image manifests", [&](BlobStore&) { return IndexJson({}); }, nullptr, {"no images"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    BlobStore store;
    const std::string index = c.build(store);
    TempDir dir;
    WriteLayout(dir, store, index);
    if (c.corrupt) c.corrupt(dir, store);
    auto got = ScanTarget("oci:" + dir.path(), Amd64Host());
    ASSERT_FALSE(got.ok());
    testing::ExpectMentions(got.error().message, c.want_in_error);
  }
}

TEST(OciLayout, NestedIndexesWithinTheLimitResolve) {
  // A cycle of indexes cannot be built: each index would have to contain
  // its own digest. What the cycle guard must not do is reject an index
  // reached twice on different paths (a diamond) or a chain at the limit.
  struct Case {
    std::string name;
    std::function<std::string(BlobStore&)> build;
  };
  const Case cases[] = {
      {"chain of eight nested indexes",
       [](BlobStore& s) {
         json d = s.AddImage({IdLayer("deep")}, "amd64");
         for (int i = 0; i < 8; ++i) d = s.AddIndex({d});
         return IndexJson({d});
       }},
      {"two indexes sharing one sub-index",
       [](BlobStore& s) {
         const json shared = s.AddIndex({s.AddImage({IdLayer("deep")}, "amd64")});
         const json other = s.AddImage({IdLayer("arm")}, "arm64", "v8");
         return IndexJson({s.AddIndex({shared}), s.AddIndex({shared, other})});
       }},
      {"the same index listed twice",
       [](BlobStore& s) {
         const json idx = s.AddIndex({s.AddImage({IdLayer("deep")}, "amd64")});
         return IndexJson({idx, idx});
       }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    BlobStore store;
    const std::string index = c.build(store);
    TempDir dir;
    WriteLayout(dir, store, index);
    auto got = ScanTarget("oci:" + dir.path(), Amd64Host());
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(got->layers.at(0)->captured.at("/id"), "deep");
  }
}

TEST(OciLayout, RefusesAnUnknownLayoutVersion) {
  BlobStore store;
  const json m = store.AddImage({IdLayer("x")}, "amd64");
  TempDir dir;
  WriteLayout(dir, store, IndexJson({m}));
  dir.Write("oci-layout", R"({"imageLayoutVersion":"2.0.0"})");
  auto got = ScanTarget("oci:" + dir.path(), Amd64Host());
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.error().message.find("imageLayoutVersion"), std::string::npos) << got.error().message;
}

}  // namespace
}  // namespace drydock
