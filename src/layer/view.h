// The merged filesystem view: the layers applied bottom to top, with
// whiteouts (".wh.NAME") and opaque directories (".wh..wh..opq") honoured.
// Maps each final path to its entry and the layer that provided it; holds no
// file contents of its own (captured bytes stay in the layer results). This
// is the read-only interface catalogers and image checks see.
//
// The paths are not copied: the view's index borrows them from the layer
// results it keeps alive, and once built it is one sorted array (a lookup is
// a binary search, ForEach a linear walk), so a view over a 50k-file image
// costs one allocation of 32 bytes a path.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "layer/layer.h"

namespace drydock {

class FileSystemView {
 public:
  struct Node {
    const FileNode* file = nullptr;
    int layer = -1;  // index into the layer list
  };

  // `layers` bottom first; the view keeps them alive.
  explicit FileSystemView(std::vector<std::shared_ptr<const LayerResult>> layers);

  // The node at exactly this clean path (no symlink resolution), or null.
  const Node* Lookup(std::string_view path) const;
  // Follows symlinks (in any component, relative or absolute, clamped at the
  // image root, at most 40 hops) and hardlinks. Null if missing or looping.
  const Node* Resolve(std::string_view path) const;
  // The bytes of a file some analyzer captured, after resolving links.
  // nullopt if the file is missing, not regular, or was not captured.
  std::optional<std::string_view> ReadFile(std::string_view path) const;
  // The path with every symlink resolved (as Resolve does), or nullopt.
  std::optional<std::string> RealPath(std::string_view path) const { return ResolvePath(path, 40); }
  // Every captured version of the file at exactly `path`, bottom layer
  // first, including versions a later layer replaced or deleted (for
  // attributing a database's entries to the layer that added them).
  struct Version {
    int layer = -1;
    std::string_view content;
  };
  std::vector<Version> History(std::string_view path) const;
  // Visits every node in path order.
  void ForEach(const std::function<void(const std::string&, const Node&)>& fn) const;
  size_t size() const { return nodes_.size(); }
  const std::vector<std::shared_ptr<const LayerResult>>& layers() const { return layers_; }

 private:
  std::optional<std::string> ResolvePath(std::string_view path, int budget) const;
  struct Entry {
    std::string_view path;  // borrowed from a layer's FileNode
    Node node;
  };
  std::vector<std::shared_ptr<const LayerResult>> layers_;
  std::vector<Entry> nodes_;  // sorted by path, one per path
};

}  // namespace drydock
