// The streaming layer pipeline: compression sniffing, blob and diff_id
// hashing, tar walking into entries/whiteouts, analyzer wants and captures,
// refusals (corrupt streams, bombs, entry limits), and LayerCollector's
// verification of results against the image's manifest and config.
#include "layer/pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "support/tar_builder.h"

namespace drydock {
namespace {

using testing::Dir;
using testing::Fifo;
using testing::File;
using testing::Gzip;
using testing::Hardlink;
using testing::MakeTar;
using testing::MemoryStream;
using testing::OpaqueMarker;
using testing::Symlink;
using testing::TarFormat;
using testing::Whiteout;
using testing::Zstd;

// Small, odd-sized chunks and a shallow queue, so even small layers cross
// many chunk boundaries and the stages block on each other.
PipelineOptions SmallChunks() {
  PipelineOptions o;
  o.chunk_size = 4099;
  o.queue_depth = 2;
  return o;
}

LayerResult Process(const std::string& blob, const std::vector<const LayerAnalyzer*>& analyzers = {},
                    const PipelineOptions& opts = SmallChunks()) {
  MemoryStream s(blob);
  return ProcessLayerBlob("blob", s, analyzers, opts);
}

const FileNode* FindEntry(const LayerResult& r, std::string_view path) {
  for (const auto& e : r.entries) {
    if (e.path == path) return &e;
  }
  return nullptr;
}

std::string ErrorText(const LayerResult& r) { return r.error ? r.error->message : "(no error)"; }

// Deterministic bytes that do not compress (an LCG's high bytes).
std::string Incompressible(size_t n) {
  std::string s(n, '\0');
  uint64_t x = 0x9e3779b97f4a7c15ull;
  for (auto& ch : s) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    ch = static_cast<char>(x >> 56);
  }
  return s;
}

// A layer big enough to span several 4099-byte chunks.
std::string SampleTar() {
  return MakeTar({
      Dir("etc/"),
      File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
      File("usr/share/blob.bin", Incompressible(20000)),
      File("usr/share/text.txt", std::string(30000, 'z')),
  });
}

// Records every file it is offered as a finding whose evidence is the
// content, so tests see exactly what the pipeline handed over.
class RecordingAnalyzer final : public LayerAnalyzer {
 public:
  explicit RecordingAnalyzer(FileWants w) : wants_(std::move(w)) {}
  std::string_view name() const override { return "recorder"; }
  const FileWants& wants() const override { return wants_; }
  void OnFile(const FileNode& node, std::string_view content, LayerResult& out) const override {
    Finding f;
    f.rule_id = "TEST";
    f.location.path = node.path;
    f.evidence = std::string(content);
    out.findings.push_back(std::move(f));
  }

 private:
  FileWants wants_;
};

TEST(ProcessLayerBlob, CompressionAndDigests) {
  const std::string tar = SampleTar();
  const std::string gz = Gzip(tar);
  // Two gzip members back to back decode as one stream, as gzip(1) does.
  const std::string two_members = Gzip(tar.substr(0, 10000)) + Gzip(tar.substr(10000));
  struct Case {
    std::string name;
    std::string blob;
    std::string want_compression;
  };
  const Case cases[] = {
      {"plain tar: blob digest is the diff_id", tar, "none"},
      {"gzip tar", gz, "gzip"},
      {"zstd tar", Zstd(tar), "zstd"},
      {"concatenated gzip members", two_members, "gzip"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    LayerResult r = Process(c.blob);
    ASSERT_FALSE(r.error) << ErrorText(r);
    EXPECT_EQ(r.compression, c.want_compression);
    EXPECT_EQ(r.blob_digest, Sha256Of(c.blob));
    EXPECT_EQ(r.diff_id, Sha256Of(tar));
    EXPECT_EQ(r.blob_bytes, static_cast<int64_t>(c.blob.size()));
    EXPECT_EQ(r.tar_bytes, static_cast<int64_t>(tar.size()));
    EXPECT_EQ(r.entries.size(), 4u);
  }
}

TEST(ProcessLayerBlob, ProgressReportsEveryBlobByte) {
  const std::string gz = Gzip(SampleTar());
  PipelineOptions opts = SmallChunks();
  int64_t total = 0;
  opts.on_progress = [&](int64_t n) { total += n; };  // called on this thread only
  LayerResult r = Process(gz, {}, opts);
  ASSERT_FALSE(r.error) << ErrorText(r);
  EXPECT_EQ(total, static_cast<int64_t>(gz.size()));
}

TEST(ProcessLayerBlob, EntriesKeepTypeModeOwnerAndLinks) {
  const std::string tar = MakeTar({
      Dir("./"),
      Dir("usr/bin/", 0755),
      File("usr/bin/su", "su-binary", 04755),
      File("usr/bin/wall", "wall", 02755, 0, 5),
      Dir("tmp/", 01777),
      File("home/app/notes", "hello", 0600, 1000, 1001),
      Symlink("bin", "usr/bin"),
      Hardlink("usr/bin/su-again", "usr/bin/su"),
      Fifo("run/fifo"),
      File("../../escape", "x"),
  });
  struct Case {
    std::string path;
    EntryType type;
    uint32_t mode;
    uint32_t uid;
    uint32_t gid;
    int64_t size;
    std::string link_target;
  };
  const Case cases[] = {
      {"/usr/bin", EntryType::kDir, 0755, 0, 0, 0, ""},
      {"/usr/bin/su", EntryType::kFile, 04755, 0, 0, 9, ""},
      {"/usr/bin/wall", EntryType::kFile, 02755, 0, 5, 4, ""},
      {"/tmp", EntryType::kDir, 01777, 0, 0, 0, ""},
      {"/home/app/notes", EntryType::kFile, 0600, 1000, 1001, 5, ""},
      {"/bin", EntryType::kSymlink, 0777, 0, 0, 0, "usr/bin"},
      {"/usr/bin/su-again", EntryType::kHardlink, 0644, 0, 0, 0, "/usr/bin/su"},
      {"/run/fifo", EntryType::kFifo, 0644, 0, 0, 0, ""},
      {"/escape", EntryType::kFile, 0644, 0, 0, 1, ""},
  };
  LayerResult r = Process(tar);
  ASSERT_FALSE(r.error) << ErrorText(r);
  EXPECT_EQ(r.entries.size(), std::size(cases)) << "the \"./\" root entry is not recorded";
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    const FileNode* e = FindEntry(r, c.path);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(EntryTypeName(e->type), EntryTypeName(c.type));
    EXPECT_EQ(e->mode, c.mode) << std::oct << e->mode;
    EXPECT_EQ(e->uid, c.uid);
    EXPECT_EQ(e->gid, c.gid);
    EXPECT_EQ(e->size, c.size);
    EXPECT_EQ(e->link_target, c.link_target);
  }
}

TEST(ProcessLayerBlob, WhiteoutsAreRecordedApartFromEntries) {
  const std::string tar = MakeTar({
      Dir("etc/"),
      Whiteout("etc", "foo"),
      Whiteout("", "rootfile"),
      Dir("var/cache/"),
      OpaqueMarker("var/cache"),
      OpaqueMarker(""),
      File("var/cache/new", "n"),
  });
  LayerResult r = Process(tar);
  ASSERT_FALSE(r.error) << ErrorText(r);
  EXPECT_EQ(r.whiteouts, (std::vector<std::string>{"/etc/foo", "/rootfile"}));
  EXPECT_EQ(r.opaque_dirs, (std::vector<std::string>{"/var/cache", "/"}));
  std::vector<std::string> paths;
  for (const auto& e : r.entries) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/etc", "/var/cache", "/var/cache/new"}));
}

TEST(ProcessLayerBlob, WhiteoutsNamingNothingDeleteNothing) {
  struct Case {
    std::string name;
    std::string marker;  // basename of the whiteout entry in /etc
  };
  const Case cases[] = {
      {"empty victim", ".wh."},
      {"victim is the directory itself", ".wh.."},
      {"victim is the parent directory", ".wh..."},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    LayerResult r = Process(MakeTar({Dir("etc/"), File("etc/" + c.marker, "", 0)}));
    ASSERT_FALSE(r.error) << ErrorText(r);
    EXPECT_TRUE(r.whiteouts.empty()) << r.whiteouts[0];
    EXPECT_TRUE(r.opaque_dirs.empty());
    ASSERT_EQ(r.entries.size(), 1u) << "the marker is not an entry either";
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].where, "/etc/" + c.marker);
  }
}

TEST(ProcessLayerBlob, CaptureAnalyzerKeepsWantedFilesOnly) {
  const std::string big(100, 'b');
  const std::string tar = MakeTar({
      File("etc/passwd", "root:x:0:0::/root:/bin/sh\n"),
      File("etc/ssl/openssl.cnf", "nested"),
      File("etc/big", big),
      File("etc/exact", std::string(64, 'e')),
      File("usr/x", "not wanted"),
      Symlink("etc/link", "/usr/x"),
      Hardlink("etc/passwd-", "etc/passwd"),
      Hardlink("usr/passwd-copy", "etc/passwd"),
  });
  CaptureAnalyzer capture(FileWants{.globs = {"/etc/*"}, .max_size = 64});
  LayerResult r = Process(tar, {&capture});
  ASSERT_FALSE(r.error) << ErrorText(r);
  struct Case {
    std::string name;
    std::string path;
    std::optional<std::string> want;  // nullopt: not captured
  };
  const Case cases[] = {
      {"wanted file captured", "/etc/passwd", "root:x:0:0::/root:/bin/sh\n"},
      {"file at exactly max_size captured", "/etc/exact", std::string(64, 'e')},
      {"star does not reach into subdirectories", "/etc/ssl/openssl.cnf", std::nullopt},
      {"file over max_size not captured", "/etc/big", std::nullopt},
      {"unwanted file not captured", "/usr/x", std::nullopt},
      {"symlink has no content", "/etc/link", std::nullopt},
      {"wanted hardlink to a captured file gets its content", "/etc/passwd-", "root:x:0:0::/root:/bin/sh\n"},
      {"unwanted hardlink not captured", "/usr/passwd-copy", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto it = r.captured.find(c.path);
    if (c.want) {
      ASSERT_NE(it, r.captured.end());
      EXPECT_EQ(it->second, *c.want);
    } else {
      EXPECT_EQ(it, r.captured.end());
    }
  }
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].where, "/etc/big");
  EXPECT_NE(r.diagnostics[0].message.find("capture"), std::string::npos) << r.diagnostics[0].message;
}

TEST(ProcessLayerBlob, AnalyzersSeeWantedContentAndAddFindings) {
  const std::string tar = MakeTar({
      File("app/package.json", R"({"name":"a"})"),
      File("srv/lib/app.jar", "PK-jar"),
      File("srv/other.txt", "other"),
      File("app/nested/package.json", R"({"name":"b"})"),
  });
  RecordingAnalyzer rec(FileWants{.globs = {"/**/*.jar"}, .basenames = {"package.json"}});
  LayerResult r = Process(tar, {&rec});
  ASSERT_FALSE(r.error) << ErrorText(r);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& f : r.findings) got.emplace_back(f.location.path, f.evidence);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{
                     {"/app/package.json", R"({"name":"a"})"},
                     {"/srv/lib/app.jar", "PK-jar"},
                     {"/app/nested/package.json", R"({"name":"b"})"},
                 }));
  EXPECT_TRUE(r.captured.empty()) << "a non-capturing analyzer keeps no bytes";
}

TEST(ProcessLayerBlob, LongNamesAreKeptWhole) {
  std::string long_name;
  while (long_name.size() < 290) long_name += "component/";
  long_name += std::string(300 - long_name.size(), 'f');
  ASSERT_EQ(long_name.size(), 300u);
  const std::string long_target = "/opt/" + std::string(150, 't');
  struct Case {
    std::string name;
    TarFormat format;
  };
  const Case cases[] = {
      {"pax extended headers", TarFormat::kPax},
      {"GNU long name records", TarFormat::kGnu},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string tar = MakeTar({File(long_name, "x"), Symlink("lnk", long_target)}, c.format);
    LayerResult r = Process(tar);
    ASSERT_FALSE(r.error) << ErrorText(r);
    ASSERT_EQ(r.entries.size(), 2u);
    EXPECT_EQ(r.entries[0].path, "/" + long_name);
    EXPECT_EQ(r.entries[1].link_target, long_target);
  }
}

TEST(ProcessLayerBlob, TrailingBytesAfterTheTarEndAreIgnored) {
  const std::string tar = MakeTar({File("etc/hostname", "box\n")});
  const std::string garbage = "\x13\x37 not a tar header, just junk after the end markers " + std::string(700, 'j');
  struct Case {
    std::string name;
    std::string blob;
  };
  const Case cases[] = {
      {"plain tar with garbage appended", tar + garbage},
      {"gzip of a tar with garbage appended", Gzip(tar + garbage)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    LayerResult r = Process(c.blob);
    ASSERT_FALSE(r.error) << ErrorText(r);
    ASSERT_EQ(r.entries.size(), 1u);
    EXPECT_EQ(r.entries[0].path, "/etc/hostname");
    EXPECT_EQ(r.blob_digest, Sha256Of(c.blob));
  }
}

TEST(ProcessLayerBlob, RefusesBrokenOrHostileBlobs) {
  const std::string tar = SampleTar();
  const std::string gz = Gzip(tar);
  const std::string zst = Zstd(tar);
  // The gzip trailer is CRC32 then ISIZE, both little-endian.
  std::string bad_crc = gz;
  for (size_t i = bad_crc.size() - 8; i < bad_crc.size() - 4; ++i) bad_crc[i] = static_cast<char>(~bad_crc[i]);

  const std::string zeros_tar = MakeTar({File("zeros", std::string(8 << 20, '\0'))});
  PipelineOptions bomb_opts = SmallChunks();
  bomb_opts.chunk_size = 1 << 16;
  bomb_opts.min_bomb_bytes = 1 << 20;
  bomb_opts.max_ratio = 10;

  std::vector<testing::TarEntry> many;
  for (int i = 0; i < 20; ++i) many.push_back(File("f" + std::to_string(i), "x"));
  PipelineOptions ten_entries = SmallChunks();
  ten_entries.max_entries_per_layer = 10;

  struct Case {
    std::string name;
    std::string blob;
    PipelineOptions opts;
    std::vector<std::string> want_in_error;
  };
  const Case cases[] = {
      {"truncated gzip", gz.substr(0, gz.size() / 2), SmallChunks(), {"gzip", "unexpected end"}},
      {"gzip with its CRC flipped", bad_crc, SmallChunks(), {"gzip", "CRC"}},
      {"gzip followed by garbage", gz + "garbage!", SmallChunks(), {"gzip", "trailing garbage"}},
      {"truncated zstd", zst.substr(0, zst.size() / 2), SmallChunks(), {"zstd"}},
      {"gzip bomb", Gzip(zeros_tar), bomb_opts, {"gzip", "bomb"}},
      {"zstd bomb", Zstd(zeros_tar), bomb_opts, {"zstd", "bomb"}},
      {"more entries than the limit", MakeTar(many), ten_entries, {"too many entries"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    LayerResult r = Process(c.blob, {}, c.opts);
    ASSERT_TRUE(r.error);
    testing::ExpectMentions(r.error->message, c.want_in_error);
    EXPECT_EQ(r.blob_digest, Sha256Of(c.blob)) << "the whole blob was read, so its digest is known";
  }
}

TEST(ProcessLayerBlob, BombIsRefusedSoonAfterTheLimit) {
  // zstd packs 16 MiB of zeros into well under one 64 KiB input chunk. The
  // guard should stop inflating near min_bomb_bytes, not only once the
  // whole chunk has been inflated: a 1 MiB chunk of zstd can otherwise
  // expand to tens of GiB before the first check.
  const std::string zeros_tar = MakeTar({File("zeros", std::string(16 << 20, '\0'))});
  PipelineOptions opts = SmallChunks();
  opts.chunk_size = 1 << 16;
  opts.min_bomb_bytes = 1 << 20;
  opts.max_ratio = 10;
  struct Case {
    std::string name;
    std::string blob;
  };
  const Case cases[] = {
      {"zstd", Zstd(zeros_tar)},
      {"gzip", Gzip(zeros_tar)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    LayerResult r = Process(c.blob, {}, opts);
    ASSERT_TRUE(r.error);
    // "…: refusing a decompression bomb (N bytes from M compressed)"
    const size_t open = r.error->message.find("bomb (");
    ASSERT_NE(open, std::string::npos) << r.error->message;
    const int64_t inflated = std::stoll(r.error->message.substr(open + 6));
    EXPECT_LE(inflated, opts.min_bomb_bytes + 2 * opts.chunk_size) << r.error->message;
  }
}

TEST(ProcessLayerBlob, ModestRatioIsNotABomb) {
  // 2 MiB that gzip cannot shrink: ratio ~1, over min_bomb_bytes.
  const std::string tar = MakeTar({File("random.bin", Incompressible(2 << 20))});
  PipelineOptions opts = SmallChunks();
  opts.chunk_size = 1 << 16;
  opts.min_bomb_bytes = 1 << 20;
  opts.max_ratio = 10;
  LayerResult r = Process(Gzip(tar), {}, opts);
  EXPECT_FALSE(r.error) << ErrorText(r);
  EXPECT_EQ(r.diff_id, Sha256Of(tar));
}

TEST(ProcessLayerBlob, StreamReadErrorLeavesNoDigests) {
  const std::string tar = SampleTar();
  testing::FailingStream s(tar.substr(0, 10000), "disk on fire");
  LayerResult r = ProcessLayerBlob("blob", s, {}, SmallChunks());
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find("disk on fire"), std::string::npos) << r.error->message;
  EXPECT_TRUE(r.blob_digest.empty());
  EXPECT_TRUE(r.diff_id.empty());
}

// Take(): results matched to the image's layers and verified.
TEST(LayerCollector, TakeVerifiesEachLayer) {
  const std::string tar = MakeTar({File("etc/hostname", "box\n")});
  const std::string gz = Gzip(tar);
  const Digest other = Sha256Of("something else");
  struct Case {
    std::string name;
    std::string blob;                        // handed to the collector as "l0"
    std::string layer_name;                  // LayerBlob::name in the image
    Digest blob_digest;                      // manifest's claim (empty: none)
    int64_t blob_size;                       // manifest's claim (-1: none)
    Digest diff_id;                          // config's claim
    std::vector<std::string> want_in_error;  // empty: success
  };
  const Case cases[] = {
      {"verified gzip layer", gz, "l0", Sha256Of(gz), static_cast<int64_t>(gz.size()), Sha256Of(tar), {}},
      {"docker-save layer without a blob digest", tar, "l0", Digest{}, -1, Sha256Of(tar), {}},
      {"blob digest mismatch", gz, "l0", other, -1, Sha256Of(tar), {"layer 1 of 1", "digest mismatch", other.str()}},
      {"blob size mismatch", gz, "l0", Sha256Of(gz), 3, Sha256Of(tar), {"layer 1 of 1", "size mismatch"}},
      {"diff_id mismatch", gz, "l0", Sha256Of(gz), -1, other, {"layer 1 of 1", "diff_id mismatch", other.str()}},
      {"missing blob", gz, "l9", Sha256Of(gz), -1, Sha256Of(tar), {"layer 1 of 1", "\"l9\"", "missing"}},
      {"unreadable layer", gz.substr(0, gz.size() - 10), "l0", Digest{}, -1, Sha256Of(tar), {"layer 1 of 1", "gzip"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    LayerCollector collector({}, SmallChunks());
    MemoryStream s(c.blob);
    ASSERT_TRUE(collector.OnLayerBlob("l0", static_cast<int64_t>(c.blob.size()), s).ok());
    ImageInfo image;
    image.config.diff_ids = {c.diff_id};
    Layer layer;
    layer.index = 0;
    layer.blob = LayerBlob{c.layer_name, "", c.blob_digest, c.blob_size};
    layer.diff_id = c.diff_id;
    image.layers = {layer};
    auto got = collector.Take(image);
    if (c.want_in_error.empty()) {
      ASSERT_TRUE(got.ok()) << got.error().message;
      ASSERT_EQ(got->size(), 1u);
      EXPECT_EQ((*got)[0]->diff_id, Sha256Of(tar));
      EXPECT_EQ(image.layers[0].uncompressed_size, static_cast<int64_t>(tar.size()));
    } else {
      ASSERT_FALSE(got.ok());
      testing::ExpectMentions(got.error().message, c.want_in_error);
    }
  }
}

TEST(LayerCollector, TakeReturnsResultsInLayerOrderAndReusesSharedBlobs) {
  const std::string a = MakeTar({File("a", "1")});
  const std::string b = MakeTar({File("b", "2")});
  LayerCollector collector({}, SmallChunks());
  // Arrival order differs from layer order, as in a streamed archive.
  for (const auto& [name, blob] : {std::pair{"B", b}, std::pair{"A", a}}) {
    MemoryStream s(blob);
    ASSERT_TRUE(collector.OnLayerBlob(name, -1, s).ok());
  }
  ImageInfo image;
  image.config.diff_ids = {Sha256Of(a), Sha256Of(b), Sha256Of(a)};
  for (int i = 0; i < 3; ++i) {
    Layer l;
    l.index = i;
    l.blob.name = i == 1 ? "B" : "A";
    image.layers.push_back(l);
  }
  auto got = collector.Take(image);
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0]->entries.at(0).path, "/a");
  EXPECT_EQ((*got)[1]->entries.at(0).path, "/b");
  EXPECT_EQ((*got)[2].get(), (*got)[0].get());
  EXPECT_EQ(image.layers[1].diff_id, Sha256Of(b));
}

}  // namespace
}  // namespace drydock
