// Fuzzes the layer pipeline (decompress by magic, hash, tar walk, capture)
// and the merged view over its result.
//
// Input: byte 0 selects the mode, byte 1 the stream's read sizes; the rest is
//   mode % 4 == 0: the raw layer blob (tar, gzip, zstd or garbage);
//   mode % 4 == 1: a structured layer (fuzz_util.h BuildLayerTar), plain;
//   mode % 4 == 2: the same, gzip-compressed;
//   mode % 4 == 3: the same, zstd-compressed.
// The structured modes let the fuzzer reach whiteouts, links and capture
// with valid tar framing; the raw mode covers the decoders and tar parser.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/path.h"
#include "fuzz_util.h"
#include "layer/analyzer.h"
#include "layer/pipeline.h"
#include "layer/view.h"

namespace drydock::fuzz {
namespace {

constexpr int64_t kMaxCapture = 4096;

void CheckResult(const LayerResult& r, std::string_view blob) {
  if (r.error) {
    FUZZ_CHECK(!r.error->message.empty(), "layer error with an empty message");
    return;
  }
  FUZZ_CHECK(r.blob_bytes == static_cast<int64_t>(blob.size()), "blob_bytes %lld, input %zu",
             static_cast<long long>(r.blob_bytes), blob.size());
  FUZZ_CHECK(r.blob_digest == Sha256Of(blob), "blob digest is not sha256 of the blob");
  if (r.compression == "none") {
    FUZZ_CHECK(r.diff_id == r.blob_digest, "uncompressed layer: diff_id != blob digest");
  }
  for (const FileNode& n : r.entries) {
    FUZZ_CHECK(IsCleanPath(n.path), "unclean entry path %s", Printable(n.path).c_str());
    FUZZ_CHECK((n.mode & ~07777u) == 0, "mode %o has type bits", n.mode);
    FUZZ_CHECK(n.size >= 0, "negative size");
    if (n.type == EntryType::kHardlink) {
      FUZZ_CHECK(IsCleanPath(n.link_target), "unclean hardlink target %s", Printable(n.link_target).c_str());
    }
    (void)EntryTypeName(n.type);
  }
  for (const std::string& w : r.whiteouts) {
    FUZZ_CHECK(IsCleanPath(w), "unclean whiteout %s", Printable(w).c_str());
    // ".wh." names a file in its own directory; ".wh..", ".wh..." would name
    // the directory or its parent, which containerd and moby refuse
    // ("invalid whiteout"). Deleting "/" would hide every lower layer.
    FUZZ_CHECK(w != "/" && !w.empty(), "whiteout of the root (from a .wh.. or .wh... entry)");
  }
  for (const std::string& o : r.opaque_dirs) FUZZ_CHECK(IsCleanPath(o), "unclean opaque dir %s", Printable(o).c_str());
  for (const auto& [path, content] : r.captured) {
    FUZZ_CHECK(IsCleanPath(path), "unclean captured path %s", Printable(path).c_str());
    FUZZ_CHECK(static_cast<int64_t>(content.size()) <= kMaxCapture, "captured %zu bytes > max_size", content.size());
  }
}

void ExerciseView(const std::vector<std::shared_ptr<const LayerResult>>& layers) {
  FileSystemView view(layers);
  static const char* const kProbes[] = {
      "/",         "/etc",        "/etc/passwd", "/etc/os-release",   "/usr/lib/os-release",
      "/etc/evil", "/etc/evil/x", "/a/b/c",      "/../../etc/passwd", "",
  };
  auto probe = [&](std::string_view p) {
    const FileSystemView::Node* n = view.Resolve(p);
    if (n != nullptr) {
      FUZZ_CHECK(n->file != nullptr, "resolved node without a file");
      FUZZ_CHECK(n->layer >= 0 && n->layer < static_cast<int>(layers.size()), "node layer %d out of range", n->layer);
    }
    (void)view.Lookup(p);
    std::optional<std::string_view> content = view.ReadFile(p);
    if (content) {
      FUZZ_CHECK(static_cast<int64_t>(content->size()) <= kMaxCapture, "ReadFile returned more than captured");
    }
  };
  for (const char* p : kProbes) probe(p);
  size_t visited = 0;
  std::string prev;
  view.ForEach([&](const std::string& path, const FileSystemView::Node& node) {
    FUZZ_CHECK(IsCleanPath(path), "unclean view path %s", Printable(path).c_str());
    FUZZ_CHECK(visited == 0 || prev < path, "ForEach not in path order");
    FUZZ_CHECK(node.file != nullptr, "view node without a file");
    prev = path;
    // Resolve every path of small views: links, loops and escapes.
    if (visited++ < 256) probe(path);
  });
  FUZZ_CHECK(visited == view.size(), "ForEach visited %zu of %zu", visited, view.size());
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock;
  using namespace drydock::fuzz;
  if (size < 2) return 0;
  const int mode = data[0] % 4;
  // Mostly whole-chunk reads; now and then short, odd-sized ones.
  const size_t piece = data[1] < 8 ? size_t{data[1]} * 37 + 1 : size_t{64} << 10;
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);

  std::string blob;
  switch (mode) {
    case 0:
      blob.assign(rest);
      break;
    case 1:
      blob = BuildLayerTar(rest);
      break;
    case 2:
      blob = Gzip(BuildLayerTar(rest));
      break;
    case 3:
      blob = Zstd(BuildLayerTar(rest));
      break;
  }

  FileWants wants;
  wants.globs = {"/etc/**"};
  wants.basenames = {"os-release", "package.json"};
  wants.max_size = kMaxCapture;
  CaptureAnalyzer capture(wants);
  std::vector<const LayerAnalyzer*> analyzers = {&capture};

  PipelineOptions opts;
  // Small enough that multi-chunk inputs happen, large enough that the
  // three pipeline threads hand over rarely (hand-overs dominate exec time).
  opts.chunk_size = 64 << 10;
  opts.queue_depth = 4;
  // Keep bombs cheap for the fuzzer: refuse past 64 MiB at ratio 1000.
  opts.min_bomb_bytes = int64_t{64} << 20;
  opts.max_entries_per_layer = 100'000;

  SpanStream stream(blob, piece);
  auto result = std::make_shared<LayerResult>(ProcessLayerBlob("fuzz/layer.tar", stream, analyzers, opts));
  CheckResult(*result, blob);
  if (result->error) {
    Say("layer", result->error->message);
    return 0;
  }
  Say("layer", result->compression + ", " + std::to_string(result->entries.size()) + " entries, " +
                   std::to_string(result->whiteouts.size()) + " whiteouts, " + std::to_string(result->captured.size()) +
                   " captured");

  // One layer, then the same layer twice so its whiteouts and opaque dirs
  // apply to a lower layer.
  ExerciseView({result});
  ExerciseView({result, result});
  return 0;
}
