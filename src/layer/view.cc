#include "layer/view.h"

#include <algorithm>
#include <map>
#include <memory_resource>

#include "base/path.h"

namespace drydock {

namespace {

// Erases `dir`'s descendants (not `dir` itself) from the sorted map.
template <typename Map>
void EraseBelow(Map& nodes, std::string_view dir) {
  const std::string prefix = dir == "/" ? std::string("/") : std::string(dir) + "/";
  auto it = nodes.lower_bound(std::string_view(prefix));
  while (it != nodes.end() && it->first.starts_with(prefix)) it = nodes.erase(it);
}

}  // namespace

FileSystemView::FileSystemView(std::vector<std::shared_ptr<const LayerResult>> layers) : layers_(std::move(layers)) {
  // Layers apply in order, each erasing and replacing what is below it: a
  // map while building (its nodes from one arena, its keys borrowed from
  // the layers), then flattened.
  std::pmr::monotonic_buffer_resource arena;
  std::pmr::map<std::string_view, Node> nodes(&arena);
  for (size_t i = 0; i < layers_.size(); ++i) {
    const LayerResult& l = *layers_[i];
    // A layer's whiteouts and opaque markers hide lower layers only, so they
    // apply before its own entries.
    for (const auto& dir : l.opaque_dirs) EraseBelow(nodes, dir);
    for (const auto& w : l.whiteouts) {
      nodes.erase(std::string_view(w));
      EraseBelow(nodes, w);
    }
    for (const auto& e : l.entries) {
      auto [it, inserted] = nodes.try_emplace(std::string_view(e.path), Node{&e, static_cast<int>(i)});
      if (!inserted) {
        // A non-directory replacing a directory hides everything below it.
        if (it->second.file->type == EntryType::kDir && e.type != EntryType::kDir) EraseBelow(nodes, e.path);
        it->second = Node{&e, static_cast<int>(i)};
      }
    }
  }
  nodes_.reserve(nodes.size());
  // The key must be the path of the node's own FileNode (a replaced node's
  // key points into the entry it replaced, in a layer that may differ).
  for (const auto& [path, node] : nodes) nodes_.push_back(Entry{node.file->path, node});
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
