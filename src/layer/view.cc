#include "layer/view.h"

#include <algorithm>
#include <map>
#include <memory_resource>

#include "base/path.h"

namespace drydock {

namespace {

// The prefix every path below `dir` starts with.
std::string Below(std::string_view dir) { return dir == "/" ? std::string("/") : std::string(dir) + "/"; }

// The sorted array, with the nodes at and below each whiteout and below each
// opaque dir removed.
template <typename Vec>
void EraseHidden(Vec& nodes, const LayerResult& l) {
  if (l.whiteouts.empty() && l.opaque_dirs.empty()) return;
  std::vector<bool> gone(nodes.size());
  auto first = [&](std::string_view p) {
    return std::lower_bound(nodes.begin(), nodes.end(), p,
                            [](const auto& e, std::string_view q) { return e.path < q; });
  };
  auto mark_below = [&](std::string_view dir) {
    const std::string prefix = Below(dir);
    for (auto it = first(prefix); it != nodes.end() && it->path.starts_with(prefix); ++it) {
      gone[static_cast<size_t>(it - nodes.begin())] = true;
    }
  };
  auto mark = [&](std::string_view path) {
    if (auto it = first(path); it != nodes.end() && it->path == path)
      gone[static_cast<size_t>(it - nodes.begin())] = true;
  };
  for (const auto& d : l.opaque_dirs) mark_below(d);
  for (const auto& w : l.whiteouts) {
    mark(w);
    mark_below(w);
  }
  size_t out = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!gone[i]) nodes[out++] = nodes[i];
  }
  nodes.resize(out);
}

// Applies layer `i`'s entries to the sorted array in one merge when none of
// them replaces a directory with a non-directory (the one case in which an
// entry erases others: what was below the directory). False, with `nodes`
// untouched, when one does.
template <typename Vec>
bool MergeEntries(Vec& nodes, const LayerResult& l, int i) {
  using Entry = typename Vec::value_type;
  std::vector<const FileNode*> mine;
  mine.reserve(l.entries.size());
  for (const auto& e : l.entries) mine.push_back(&e);
  // Stable: entries at one path stay in archive order, the last one wins.
  // Many layers are written in path order already: then a check suffices.
  auto by_path = [](const FileNode* a, const FileNode* b) { return a->path < b->path; };
  if (!std::is_sorted(mine.begin(), mine.end(), by_path)) std::stable_sort(mine.begin(), mine.end(), by_path);
  Vec merged;
  merged.reserve(nodes.size() + mine.size());
  auto below = nodes.begin();
  for (size_t k = 0; k < mine.size();) {
    const std::string_view path = mine[k]->path;
    while (below != nodes.end() && below->path < path) merged.push_back(*below++);
    const FileNode* prev = nullptr;
    if (below != nodes.end() && below->path == path) prev = (below++)->node.file;
    for (; k < mine.size() && mine[k]->path == path; ++k) {
      if (prev != nullptr && prev->type == EntryType::kDir && mine[k]->type != EntryType::kDir) return false;
      prev = mine[k];
    }
    merged.push_back(Entry{prev->path, FileSystemView::Node{prev, i}});
  }
  merged.insert(merged.end(), below, nodes.end());
  nodes = std::move(merged);
  return true;
}

// Erases `dir`'s descendants (not `dir` itself) from the sorted map.
template <typename Map>
void EraseBelow(Map& nodes, std::string_view dir) {
  const std::string prefix = Below(dir);
  auto it = nodes.lower_bound(std::string_view(prefix));
  while (it != nodes.end() && it->first.starts_with(prefix)) it = nodes.erase(it);
}

// Applies layer `i`'s entries one by one, in archive order (what
// MergeEntries cannot do): a map for the duration of the layer, its nodes
// from one arena.
template <typename Vec>
void ApplyEntries(Vec& nodes, const LayerResult& l, int i) {
  using Entry = typename Vec::value_type;
  std::pmr::monotonic_buffer_resource arena;
  std::pmr::map<std::string_view, FileSystemView::Node> m(&arena);
  for (const auto& e : nodes) m.emplace_hint(m.end(), e.path, e.node);
  for (const auto& e : l.entries) {
    auto [it, inserted] = m.try_emplace(std::string_view(e.path), FileSystemView::Node{&e, i});
    if (!inserted) {
      // A non-directory replacing a directory hides everything below it.
      if (it->second.file->type == EntryType::kDir && e.type != EntryType::kDir) EraseBelow(m, e.path);
      it->second = FileSystemView::Node{&e, i};
    }
  }
  nodes.clear();
  nodes.reserve(m.size());
  // The key is the path of the node's own FileNode (a replaced node's map
  // key points into the entry it replaced).
  for (const auto& [path, node] : m) nodes.push_back(Entry{node.file->path, node});
}

}  // namespace

FileSystemView::FileSystemView(std::vector<std::shared_ptr<const LayerResult>> layers) : layers_(std::move(layers)) {
  for (size_t i = 0; i < layers_.size(); ++i) {
    const LayerResult& l = *layers_[i];
    // A layer's whiteouts and opaque markers hide lower layers only, so they
    // apply before its own entries.
    EraseHidden(nodes_, l);
    if (!MergeEntries(nodes_, l, static_cast<int>(i))) ApplyEntries(nodes_, l, static_cast<int>(i));
  }
}

const FileSystemView::Node* FileSystemView::Lookup(std::string_view path) const {
  auto it = std::lower_bound(nodes_.begin(), nodes_.end(), path,
                             [](const Entry& e, std::string_view p) { return e.path < p; });
  return it == nodes_.end() || it->path != path ? nullptr : &it->node;
}

std::optional<std::string> FileSystemView::ResolvePath(std::string_view path, int budget) const {
  // Walk component by component so a symlinked directory in the middle of
  // the path is followed too, always relative to the image root.
  std::string done;  // resolved prefix, "" means root
  std::string rest = CleanPath(path);
  while (!rest.empty() && rest != "/") {
    size_t next = rest.find('/', 1);
    std::string comp = rest.substr(1, next == std::string::npos ? std::string::npos : next - 1);
    rest = next == std::string::npos ? std::string() : rest.substr(next);
    std::string cur = done + "/" + comp;
    const Node* n = Lookup(cur);
    if (n && n->file->type == EntryType::kSymlink) {
      if (--budget < 0) return std::nullopt;
      std::string target = JoinPath(done.empty() ? "/" : done, n->file->link_target);
      rest = target + rest;
      rest = CleanPath(rest);
      done.clear();
      continue;
    }
    done = std::move(cur);
  }
  return done.empty() ? std::string("/") : done;
}

const FileSystemView::Node* FileSystemView::Resolve(std::string_view path) const {
  auto p = ResolvePath(path, 40);
  if (!p) return nullptr;
  const Node* n = Lookup(*p);
  if (n && n->file->type == EntryType::kHardlink) {
    // Hardlink targets are clean paths; one hop, as hardlinks do not chain.
    const Node* t = Lookup(n->file->link_target);
    return t && t->file->is_regular() && t->layer == n->layer ? t : n;
  }
  return n;
}

std::optional<std::string_view> FileSystemView::ReadFile(std::string_view path) const {
  auto p = ResolvePath(path, 40);
  if (!p) return std::nullopt;
  const Node* n = Lookup(*p);
  if (n == nullptr) return std::nullopt;
  if (n->file->type != EntryType::kFile && n->file->type != EntryType::kHardlink) return std::nullopt;
  const auto& cap = layers_[static_cast<size_t>(n->layer)]->captured;
  auto it = cap.find(*p);
  if (it == cap.end() && n->file->type == EntryType::kHardlink) it = cap.find(n->file->link_target);
  if (it == cap.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::vector<FileSystemView::Version> FileSystemView::History(std::string_view path) const {
  std::vector<Version> out;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const auto& cap = layers_[i]->captured;
    auto it = cap.find(std::string(path));
    if (it != cap.end()) out.push_back({static_cast<int>(i), it->second});
  }
  return out;
}

void FileSystemView::ForEach(const std::function<void(const std::string&, const Node&)>& fn) const {
  // The node's own path: the same bytes as the key, as a std::string.
  for (const auto& [path, node] : nodes_) fn(node.file->path, node);
}

}  // namespace drydock
