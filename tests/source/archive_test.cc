// docker-archive sources end to end: classic `docker save` archives and
// Docker >= 25's OCI-in-tar, plain (indexed, read by offset) and compressed
// (streamed), opened by prefix or bare path, read through the layer
// pipeline and verified.
#include <gtest/gtest.h>

#include <optional>
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
using testing::Dir;
using testing::File;
using testing::Gzip;
using testing::ImageConfigJson;
using testing::IndexJson;
using testing::MakeTar;
using testing::ScanTarget;
using testing::Tagged;
using testing::TarEntry;
using testing::TempDir;
using testing::Zstd;

const std::string kRepoTag = "example.com/app:1.0";

const std::string& Layer1() {
  static const std::string t = MakeTar({Dir("etc/"), File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n")});
  return t;
}
const std::string& Layer2() {
  static const std::string t = MakeTar({Dir("app/"), File("app/run.sh", "#!/bin/sh\nexec app\n", 0755)});
  return t;
}

// A classic `docker save`: <config-hex>.json, <id>/layer.tar (+ json,
// VERSION) and manifest.json. The config's diff_ids come from
// `config_layers`, the manifest's Layers from `layers`; `missing` names a
// layer the manifest lists that the archive lacks.
std::string ClassicSave(const std::vector<std::string>& layers, const std::vector<std::string>& config_layers,
                        const std::string& missing = "") {
  const std::string config = ImageConfigJson(config_layers).dump();
  const std::string config_name = Sha256Of(config).hex + ".json";
  std::vector<TarEntry> members = {File(config_name, config)};
  json layer_names = json::array();
  for (const auto& layer : layers) {
    const std::string id = Sha256Of(layer).hex;
    members.push_back(Dir(id + "/"));
    members.push_back(File(id + "/VERSION", "1.0"));
    members.push_back(File(id + "/json", R"({"id":")" + id + R"("})"));
    members.push_back(File(id + "/layer.tar", layer));
    layer_names.push_back(id + "/layer.tar");
  }
  if (!missing.empty()) layer_names.push_back(missing);
  json manifest = json::array({{{"Config", config_name}, {"RepoTags", {kRepoTag}}, {"Layers", layer_names}}});
  members.push_back(File("manifest.json", manifest.dump()));
  return MakeTar(members);
}

// Docker >= 25: an OCI layout in a tar, with or without the docker-save
// manifest.json beside it. `tamper` replaces the first layer blob's bytes
// (keeping its digest-named path).
std::string OciInTar(bool with_manifest_json, bool tamper = false) {
  BlobStore store;
  const json desc = store.AddImage({Layer1(), Layer2()});
  const json manifest = json::parse(store.blobs().at(BlobPathOf(desc)));
  std::vector<TarEntry> members = {
      File("oci-layout", R"({"imageLayoutVersion":"1.0.0"})"),
      File("index.json", IndexJson({Tagged(desc, "1.0")})),
  };
  for (const auto& [path, bytes] : store.blobs()) {
    const bool first_layer = path == BlobPathOf(manifest["layers"][0]);
    members.push_back(File(path, tamper && first_layer ? Gzip(Layer2()) : bytes));
  }
  if (with_manifest_json) {
    json layers = json::array();
    for (const auto& l : manifest["layers"]) layers.push_back(BlobPathOf(l));
    json m = json::array({{{"Config", BlobPathOf(manifest["config"])}, {"RepoTags", {kRepoTag}}, {"Layers", layers}}});
    members.push_back(File("manifest.json", m.dump()));
  }
  return MakeTar(members);
}

TEST(DockerArchive, ReadsEveryLayout) {
  const std::string classic = ClassicSave({Layer1(), Layer2()}, {Layer1(), Layer2()});
  struct Case {
    std::string name;
    std::string file_name;
    std::string bytes;
    std::string prefix;  // "docker-archive:" or "" for a bare path
    std::optional<std::vector<std::string>> want_repo_tags;
  };
  const Case cases[] = {
      {"classic docker save by prefix", "app.tar", classic, "docker-archive:", std::vector{kRepoTag}},
      {"classic docker save by bare path", "app.tar", classic, "", std::vector{kRepoTag}},
      {"gzip-compressed archive is streamed", "app.tar.gz", Gzip(classic), "", std::vector{kRepoTag}},
      {"zstd-compressed archive is streamed", "app.tar.zst", Zstd(classic), "docker-archive:", std::vector{kRepoTag}},
      {"OCI-in-tar with manifest.json", "oci.tar", OciInTar(true), "", std::vector{kRepoTag}},
      {"OCI-in-tar with index.json only", "oci.tar", OciInTar(false), "docker-archive:", std::nullopt},
      {"gzip-compressed OCI-in-tar is streamed", "oci.tar.gz", Gzip(OciInTar(true)), "", std::vector{kRepoTag}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir tmp;
    const std::string path = tmp.Write(c.file_name, c.bytes);
    auto got = ScanTarget(c.prefix + path, Amd64Host());
    ASSERT_TRUE(got.ok()) << got.error().message;
    const ImageInfo& info = got->info;
    EXPECT_EQ(info.source_kind, "docker-archive");
    if (c.want_repo_tags) {
      EXPECT_EQ(info.repo_tags, *c.want_repo_tags);
    }
    ASSERT_EQ(info.layers.size(), 2u);
    EXPECT_EQ(info.config.diff_ids, (std::vector<Digest>{Sha256Of(Layer1()), Sha256Of(Layer2())}));
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(info.layers[i].index, i);
      EXPECT_EQ(info.layers[i].diff_id, info.config.diff_ids[i]);
      EXPECT_EQ(info.layers[i].created_by, "layer " + std::to_string(i));
    }
    EXPECT_EQ(info.config.user, "app");
    ASSERT_EQ(got->layers.size(), 2u);
    EXPECT_EQ(got->layers[0]->captured.at("/etc/os-release"), "ID=alpine\nVERSION_ID=3.19.1\n");
    EXPECT_EQ(got->layers[1]->captured.at("/app/run.sh"), "#!/bin/sh\nexec app\n");
  }
}

// `docker save` (before Docker 25) writes a layer whose diff_id it has
// already saved as a symlink to the first copy (moby
// image/tarexport/save.go: os.Symlink(relPath, layerPath)), e.g. for the
// empty layer repeated in many older images.
std::string ClassicSaveWithRepeatedLayer() {
  const std::string config = ImageConfigJson({Layer1(), Layer1()}).dump();
  const std::string config_name = Sha256Of(config).hex + ".json";
  const std::string id1(64, 'a');
  const std::string id2(64, 'b');
  json manifest = json::array(
      {{{"Config", config_name}, {"RepoTags", {kRepoTag}}, {"Layers", {id1 + "/layer.tar", id2 + "/layer.tar"}}}});
  return MakeTar({
      File(config_name, config),
      Dir(id1 + "/"),
      File(id1 + "/layer.tar", Layer1()),
      Dir(id2 + "/"),
      testing::Symlink(id2 + "/layer.tar", "../" + id1 + "/layer.tar"),
      File("manifest.json", manifest.dump()),
  });
}

TEST(DockerArchive, RepeatedLayerSavedAsASymlinkIsRead) {
  struct Case {
    std::string name;
    std::string file_name;
    std::string bytes;
  };
  const Case cases[] = {
      {"plain archive", "app.tar", ClassicSaveWithRepeatedLayer()},
      {"streamed archive", "app.tar.gz", Gzip(ClassicSaveWithRepeatedLayer())},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir tmp;
    auto got = ScanTarget(tmp.Write(c.file_name, c.bytes), Amd64Host());
    if (!got.ok()) {
      ADD_FAILURE() << got.error().message;
      continue;
    }
    ASSERT_EQ(got->layers.size(), 2u);
    EXPECT_EQ(got->layers[1]->diff_id, Sha256Of(Layer1()));
    EXPECT_EQ(got->layers[1]->captured.at("/etc/os-release"), "ID=alpine\nVERSION_ID=3.19.1\n");
  }
}

TEST(DockerArchive, StreamedLayerWhoseFirstBytesLookLikeJsonIsStillALayer) {
  // Docker >= 25 stores layers uncompressed under blobs/; a layer whose
  // first member is named "[x]" or "{x}" begins with '[' or '{'.
  for (const std::string first : {"[x]", "{x}"}) {
    SCOPED_TRACE(first);
    const std::string layer = MakeTar({File(first, "bracket"), File("etc/hostname", "box\n")});
    BlobStore store;
    const json config = store.Add(testing::kOciConfigType, ImageConfigJson({layer}).dump());
    const json layer_desc = store.Add(testing::kOciLayerTarType, layer);
    const json manifest = {
        {"schemaVersion", 2}, {"mediaType", testing::kOciManifestType}, {"config", config}, {"layers", {layer_desc}}};
    const json desc = store.Add(testing::kOciManifestType, manifest.dump());
    std::vector<TarEntry> members = {File("oci-layout", R"({"imageLayoutVersion":"1.0.0"})"),
                                     File("index.json", IndexJson({desc}))};
    for (const auto& [path, bytes] : store.blobs()) members.push_back(File(path, bytes));
    json m =
        json::array({{{"Config", BlobPathOf(config)}, {"RepoTags", {kRepoTag}}, {"Layers", {BlobPathOf(layer_desc)}}}});
    members.push_back(File("manifest.json", m.dump()));
    TempDir tmp;
    auto got = ScanTarget(tmp.Write("oci.tar.gz", Gzip(MakeTar(members))), Amd64Host());
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(got->layers.at(0)->captured.at("/" + first), "bracket");
  }
}

TEST(DockerArchive, ClassicConfigDigestIsTheConfigFileHash) {
  TempDir tmp;
  const std::string path = tmp.Write("app.tar", ClassicSave({Layer1()}, {Layer1()}));
  auto got = ScanTarget(path, Amd64Host());
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->info.config_digest, Sha256Of(ImageConfigJson({Layer1()}).dump()));
}

TEST(DockerArchive, RefusesBrokenArchives) {
  const std::string classic = ClassicSave({Layer1(), Layer2()}, {Layer1(), Layer2()});
  const size_t after_layer1 = (classic.find(Layer1()) + Layer1().size() + 511) / 512 * 512;
  struct Case {
    std::string name;
    std::string file_name;
    std::string bytes;
    std::vector<std::string> want_in_error;
  };
  const Case cases[] = {
      {"more layers than diff_ids",
       "app.tar",
       ClassicSave({Layer1(), Layer2()}, {Layer1()}),
       {"2 layers", "1 diff_ids"}},
      {"fewer layers than diff_ids",
       "app.tar",
       ClassicSave({Layer1()}, {Layer1(), Layer2()}),
       {"1 layers", "2 diff_ids"}},
      {"layer named by manifest.json but absent",
       "app.tar",
       ClassicSave({Layer1()}, {Layer1(), Layer2()}, "ffff/layer.tar"),
       {"layer 2 of 2", "ffff/layer.tar", "missing"}},
      {"absent layer in a streamed archive",
       "app.tar.gz",
       Gzip(ClassicSave({Layer1()}, {Layer1(), Layer2()}, "ffff/layer.tar")),
       {"layer 2 of 2", "missing"}},
      {"OCI-in-tar layer blob that does not match its digest",
       "oci.tar",
       OciInTar(true, /*tamper=*/true),
       {"layer 1 of 2", "digest mismatch"}},
      {"OCI-in-tar via index.json, tampered layer",
       "oci.tar",
       OciInTar(false, /*tamper=*/true),
       {"layer 1 of 2", "digest mismatch"}},
      {"neither manifest.json nor index.json",
       "app.tar",
       MakeTar({File("x/layer.tar", Layer1())}),
       {"neither manifest.json nor index.json"}},
      {"config named by manifest.json is absent",
       "app.tar",
       MakeTar({File("manifest.json", R"([{"Config":"nope.json","Layers":[]}])")}),
       {"nope.json", "missing"}},
      {"manifest.json is not JSON", "app.tar", MakeTar({File("manifest.json", "[{")}), {"manifest.json"}},
      {"archive cut short inside a layer",
       "app.tar",
       classic.substr(0, classic.find(Layer1()) + 1000),
       {"app.tar", "runcated"}},
      // Cut at the header after the first layer: libarchive sees a clean
      // end, so what is reported is the manifest that never came.
      {"archive cut short between members", "app.tar", classic.substr(0, after_layer1), {"manifest.json"}},
      {"not an archive at all", "app.tar", std::string(2000, 'x'), {"app.tar"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir tmp;
    const std::string path = tmp.Write(c.file_name, c.bytes);
    auto got = ScanTarget("docker-archive:" + path, Amd64Host());
    ASSERT_FALSE(got.ok());
    testing::ExpectMentions(got.error().message, c.want_in_error);
  }
}

TEST(OpenSource, RefusesUnusableTargets) {
  struct Case {
    std::string name;
    std::string target;
    Error::Kind want_kind;
    std::string want_in_error;
  };
  const Case cases[] = {
      {"empty target", "", Error::Kind::kUsage, "no target"},
      {"an invalid registry reference", "registry:example.com/App:1", Error::Kind::kInput, "lowercase"},
      {"a missing file that is plainly a path", "./no/such/image.tar", Error::Kind::kInput, "no such file"},
      {"a missing archive by name", "nosuch-image.tar", Error::Kind::kInput, "no such file"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto got = OpenSource(c.target, Amd64Host());
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().kind, c.want_kind);
    EXPECT_NE(got.error().message.find(c.want_in_error), std::string::npos) << got.error().message;
  }
}

TEST(DockerArchive, MissingFileIsAnEnvironmentError) {
  TempDir tmp;
  auto got = ScanTarget("docker-archive:" + tmp.path() + "/nope.tar", Amd64Host());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().kind, Error::Kind::kEnvironment);
  EXPECT_NE(got.error().message.find("nope.tar"), std::string::npos) << got.error().message;
}

}  // namespace
}  // namespace drydock
