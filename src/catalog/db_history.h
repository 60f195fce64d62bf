// Layer attribution for package databases that each layer rewrites whole
// (dpkg's status file, apk's installed file): which layer introduced each
// entry of the database the merged view shows.
//
// Promises: reads only the captured versions FileSystemView::History
// returns; calls `keys_of` once per older version, never on the final one;
// pure, safe from any thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "layer/view.h"

namespace drydock {

// For each key of `final_keys` (the entries of the version of `path` that
// layer `final_layer` wrote, the one in the merged view): the lowest layer L
// such that every captured version of `path` from L up to `final_layer` holds
// the key and no layer in between deleted the file. A key only the final
// version holds maps to `final_layer`. `keys_of` lists the keys of one older
// version's content.
std::unordered_map<std::string, int> IntroducingLayers(
    const FileSystemView& fs, std::string_view path, int final_layer, const std::vector<std::string>& final_keys,
    const std::function<std::unordered_set<std::string>(std::string_view content)>& keys_of);

}  // namespace drydock
