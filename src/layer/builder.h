// Internal to layer/: turns walked entries (from a tar stream or a directory)
// into a LayerResult — whiteout handling, the wants of every analyzer, and
// dispatch of buffered file contents. Used by one walker thread per layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "layer/analyzer.h"
#include "layer/layer.h"

namespace drydock {

class LayerBuilder {
 public:
  LayerBuilder(const std::vector<const LayerAnalyzer*>& analyzers, int64_t max_entries, LayerResult& out);

  // Records an entry. Returns false when the entry is a whiteout marker
  // (recorded as such, no content wanted) or over the entry limit.
  // Otherwise returns true and sets *want_bytes to the number of content
  // bytes to buffer (0 = not wanted).
  bool Add(FileNode node, int64_t* want_bytes);
  // The bytes of the entry last added with want_bytes > 0: offered to each
  // analyzer that wanted it, and kept for the view if one captures (then
  // `content` is moved from; otherwise it is left alone, so the walker can
  // reuse its buffer). (Files over an analyzer's limit were never wanted:
  // Add left a diagnostic.)
  void Content(std::string& content);
  // Called with the first bytes of the entry last added (at least 16, or
  // the whole file if shorter): drops the analyzers whose FileWants::magic
  // the bytes do not start with. Returns false when no analyzer wants the
  // file any more (the caller stops reading it; Content is not called).
  bool KeepAfterHead(std::string_view head);
  // Records a problem with the current entry that does not stop the walk.
  void Diagnose(std::string message);
  bool over_limit() const { return over_limit_; }

 private:
  bool Wants(const LayerAnalyzer& a, const FileNode& node) const;
  const std::vector<const LayerAnalyzer*>& analyzers_;
  int64_t max_entries_;
  LayerResult& out_;
  bool over_limit_ = false;
  std::vector<const LayerAnalyzer*> pending_;  // analyzers wanting the last entry
  bool pending_capture_ = false;
  bool pending_magic_ = false;  // some pending analyzer filters on magic
};

}  // namespace drydock
