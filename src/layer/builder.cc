#include "layer/builder.h"

#include <algorithm>

#include "base/path.h"

namespace drydock {

namespace {
constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";
}  // namespace

LayerBuilder::LayerBuilder(const std::vector<const LayerAnalyzer*>& analyzers, int64_t max_entries, LayerResult& out)
    : analyzers_(analyzers), max_entries_(max_entries), out_(out) {}

bool LayerBuilder::Wants(const LayerAnalyzer& a, const FileNode& node) const {
  const FileWants& w = a.wants();
  if (w.all_regular_files) return true;
  if (w.executable && node.is_regular() && (node.mode & 0111) != 0) return true;
  std::string_view base = Basename(node.path);
  for (const auto& b : w.basenames) {
    if (b == base) return true;
  }
  for (const auto& s : w.suffixes) {
    if (base.size() > s.size() && base.ends_with(s)) return true;
  }
  for (const auto& g : w.globs) {
    if (GlobMatch(g, node.path)) return true;
  }
  return false;
}

bool LayerBuilder::Add(FileNode node, int64_t* want_bytes) {
  *want_bytes = 0;
  pending_.clear();
  pending_capture_ = false;
  pending_magic_ = false;
  if (static_cast<int64_t>(out_.entries.size()) >= max_entries_) {
    over_limit_ = true;
    return false;
  }
  std::string_view base = Basename(node.path);
  if (base.substr(0, kWhiteoutPrefix.size()) == kWhiteoutPrefix) {
    std::string dir(Dirname(node.path));
    std::string_view victim = base.substr(kWhiteoutPrefix.size());
    if (base == kOpaqueMarker) {
      out_.opaque_dirs.push_back(dir);
    } else if (victim.empty() || victim == "." || victim == "..") {
      // ".wh.", ".wh.." and ".wh..." would name nothing, the directory or its
      // parent; containerd and moby refuse them, so they delete nothing here.
      out_.diagnostics.push_back({node.path, "invalid whiteout ignored"});
    } else {
      out_.whiteouts.push_back(JoinPath(dir, victim));
    }
    return false;
  }
  if (node.type == EntryType::kHardlink) {
    // Tar stores the bytes once, under the first name; give captured
    // content to the second name too so the view can serve either.
    auto it = out_.captured.find(node.link_target);
    if (it != out_.captured.end()) {
      for (const auto* a : analyzers_) {
        if (a->wants().capture && Wants(*a, node)) {
          out_.captured[node.path] = it->second;
          break;
        }
      }
    }
  }
  if (node.is_regular()) {
    int64_t limit = 0;
    for (const auto* a : analyzers_) {
      if (!Wants(*a, node)) continue;
      if (node.size > a->wants().max_size) {
        if (a->wants().quiet_over_limit) continue;
        out_.diagnostics.push_back(
            {node.path, "larger than the analyzer limit, not read by " + std::string(a->name())});
        continue;
      }
      pending_.push_back(a);
      pending_capture_ |= a->wants().capture;
      pending_magic_ |= !a->wants().magic.empty() || a->wants().keep_head != nullptr;
      limit = std::max(limit, a->wants().max_size);
    }
    if (!pending_.empty()) *want_bytes = std::min(node.size, limit);
  }
  out_.entries.push_back(std::move(node));
  return true;
}

bool LayerBuilder::KeepAfterHead(std::string_view head) {
  if (!pending_magic_) return !pending_.empty();
  std::erase_if(pending_, [&](const LayerAnalyzer* a) {
    if (a->wants().keep_head != nullptr && !a->wants().keep_head(head)) return true;
    const auto& magic = a->wants().magic;
    if (magic.empty()) return false;
    for (const auto& m : magic) {
      if (head.starts_with(m)) return false;
    }
    return true;
  });
  pending_magic_ = false;
  pending_capture_ = false;
  for (const auto* a : pending_) pending_capture_ |= a->wants().capture;
  return !pending_.empty();
}

void LayerBuilder::Diagnose(std::string message) {
  out_.diagnostics.push_back({out_.entries.empty() ? std::string() : out_.entries.back().path, std::move(message)});
}

void LayerBuilder::Content(std::string& content) {
  if (pending_.empty() || out_.entries.empty()) return;
  const FileNode& node = out_.entries.back();
  for (const auto* a : pending_) a->OnFile(node, content, out_);
  if (pending_capture_) out_.captured[node.path] = std::move(content);
  pending_.clear();
}

}  // namespace drydock
