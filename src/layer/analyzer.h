// Analyzers declare up front what they want to see of each layer; the
// pipeline buffers each wanted file once and offers it to every analyzer that
// wants it, on the layer's walker thread. Nothing is written to disk.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "layer/layer.h"

namespace drydock {

// Which files an analyzer wants. A file is wanted if it matches any glob,
// basename or suffix, or if `all_regular_files` is set; files larger than
// `max_size` are not buffered (a diagnostic says so). When `magic` is not
// empty, a wanted file is kept only if its content starts with one of the
// listed prefixes (checked on the first block, before the rest is read).
// Prefer basenames and suffixes to globs: they cost a hash-free compare per
// entry, a glob a match.
struct FileWants {
  std::vector<std::string> globs;      // on clean paths, e.g. "/etc/os-release", "/**/*.jar"
  std::vector<std::string> basenames;  // e.g. "package.json"
  std::vector<std::string> suffixes;   // e.g. ".jar", ".deps.json"
  std::vector<std::string> magic;      // e.g. "\x7fELF"
  bool executable = false;             // also want regular files with any x bit set
  bool all_regular_files = false;
  int64_t max_size = 1 << 20;
  // Keep the bytes in LayerResult::captured so the merged view can serve
  // them to later stages (catalogers, image checks).
  bool capture = false;
  // Content sniffing: when set, called with the first bytes of a wanted file
  // (at least 16, up to the first data block, or the whole file if shorter);
  // false drops the file before the rest is read (e.g. binary content).
  bool (*keep_head)(std::string_view head) = nullptr;
  // Files over max_size are skipped without a diagnostic: for analyzers that
  // want every file and do not expect to read the large binaries.
  bool quiet_over_limit = false;
};

// A per-layer analysis. One object serves every layer of a scan and may be
// called from several walker threads at once, so implementations keep no
// mutable state outside `out`.
class LayerAnalyzer {
 public:
  virtual ~LayerAnalyzer() = default;
  virtual std::string_view name() const = 0;
  virtual const FileWants& wants() const = 0;
  // What else, besides the code and wants(), decides this analyzer's
  // results (e.g. a digest of user-supplied rules): part of the layer cache
  // key (layer/cache.h). Empty when the code alone decides.
  virtual std::string cache_key() const { return {}; }
  // `content` is the whole file (it was at most wants().max_size bytes; a
  // larger file never reaches OnFile).
  virtual void OnFile(const FileNode& node, std::string_view content, LayerResult& out) const = 0;
};

// An analyzer that only captures files for the merged view.
class CaptureAnalyzer final : public LayerAnalyzer {
 public:
  explicit CaptureAnalyzer(FileWants wants) : wants_(std::move(wants)) { wants_.capture = true; }
  std::string_view name() const override { return "capture"; }
  const FileWants& wants() const override { return wants_; }
  void OnFile(const FileNode&, std::string_view, LayerResult&) const override {}

 private:
  FileWants wants_;
};

}  // namespace drydock
