// Test support: the purls of what one cataloger's collect finds in a
// one-layer view, with the OS `os` (or none), sorted.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/lang_test_util.h"
#include "model/package.h"
#include "model/scan.h"

namespace drydock::testing {

inline std::vector<std::string> PurlsOf(std::string_view id, const std::map<std::string, std::string>& files,
                                        const std::optional<OsRelease>& os = std::nullopt) {
  const CatalogOutput out = RunCollect(id, files);
  std::vector<std::string> got;
  for (const auto& p : out.packages) got.push_back(MakePurl(p, os));
  std::sort(got.begin(), got.end());
  return got;
}

}  // namespace drydock::testing
