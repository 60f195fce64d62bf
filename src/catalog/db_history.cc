#include "catalog/db_history.h"

namespace drydock {

namespace {

// True when `path` equals `dir` or lies below it.
bool Under(std::string_view path, std::string_view dir) {
  if (dir == "/" || dir.empty()) return true;
  return path.starts_with(dir) && (path.size() == dir.size() || path[dir.size()] == '/');
}

// True when layer `l` removes `path` from the layers below it: a whiteout
// of the path or a parent, or an opaque parent directory.
bool Deletes(const LayerResult& l, std::string_view path) {
  for (const auto& w : l.whiteouts) {
    if (Under(path, w)) return true;
  }
  for (const auto& d : l.opaque_dirs) {
    if (Under(path, d) && path != d) return true;
  }
  return false;
}

}  // namespace

std::unordered_map<std::string, int> IntroducingLayers(
    const FileSystemView& fs, std::string_view path, int final_layer, const std::vector<std::string>& final_keys,
    const std::function<std::unordered_set<std::string>(std::string_view content)>& keys_of) {
  std::unordered_map<std::string, int> layer_of;
  for (const auto& k : final_keys) layer_of.emplace(k, final_layer);
  std::vector<const std::string*> alive;
  alive.reserve(final_keys.size());
  for (const auto& k : final_keys) alive.push_back(&k);

  const auto versions = fs.History(path);
  const auto& layers = fs.layers();
  int above = final_layer;  // the lowest layer accepted so far
  for (auto v = versions.rbegin(); v != versions.rend() && !alive.empty(); ++v) {
    if (v->layer >= final_layer) continue;
    // A layer between this version and the one above that deleted the file
    // means the file was written anew: older versions do not count.
    bool deleted = false;
    for (int l = v->layer + 1; l <= above && !deleted; ++l) deleted = Deletes(*layers[static_cast<size_t>(l)], path);
    if (deleted) break;
    const auto keys = keys_of(v->content);
    std::vector<const std::string*> still;
    for (const std::string* k : alive) {
      if (keys.contains(*k)) {
        layer_of[*k] = v->layer;
        still.push_back(k);
      }
    }
    alive = std::move(still);
    above = v->layer;
  }
  return layer_of;
}

}  // namespace drydock
