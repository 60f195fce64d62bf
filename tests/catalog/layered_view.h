// Test support for the OS package catalogers: merged views built from
// per-layer file maps (every file captured, as the pipeline would for a
// cataloger that wants it), one cataloger's collect step run on them, and
// testdata files read from tests/testdata.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/path.h"
#include "catalog/catalog.h"

namespace drydock::testing {

// One layer: regular files (path → content, all captured), symlinks
// (path → target), directories, and the paths it deletes.
struct ViewLayer {
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> symlinks;
  std::vector<std::string> dirs;
  std::vector<std::string> whiteouts;
};

inline FileSystemView MakeView(const std::vector<ViewLayer>& specs) {
  std::vector<std::shared_ptr<const LayerResult>> layers;
  for (const auto& s : specs) {
    auto r = std::make_shared<LayerResult>();
    for (const auto& d : s.dirs) r->entries.push_back(FileNode{.path = d, .type = EntryType::kDir, .mode = 0755});
    for (const auto& [path, target] : s.symlinks) {
      r->entries.push_back(FileNode{.path = path, .type = EntryType::kSymlink, .mode = 0777, .link_target = target});
    }
    for (const auto& [path, content] : s.files) {
      r->entries.push_back(
          FileNode{.path = path, .type = EntryType::kFile, .mode = 0644, .size = static_cast<int64_t>(content.size())});
      r->captured[path] = content;
    }
    r->whiteouts = s.whiteouts;
    layers.push_back(std::move(r));
  }
  return FileSystemView(std::move(layers));
}

// Runs the collect step of the cataloger `id` on `fs`.
inline CatalogOutput RunCataloger(std::string_view id, const FileSystemView& fs,
                                  const std::optional<OsRelease>& os = std::nullopt) {
  CatalogOutput out;
  for (const auto& c : Catalogers()) {
    if (c.id == id && c.collect) c.collect(CatalogInput{fs, os}, out);
  }
  return out;
}

// True when the cataloger `id` asks the pipeline to capture `path`.
inline bool CatalogerWants(std::string_view id, std::string_view path) {
  for (const auto& c : Catalogers()) {
    if (c.id != id) continue;
    std::string_view base = path.substr(path.rfind('/') + 1);
    for (const auto& b : c.view_wants.basenames) {
      if (b == base) return true;
    }
    for (const auto& s : c.view_wants.suffixes) {
      if (base.size() > s.size() && base.ends_with(s)) return true;
    }
    for (const auto& g : c.view_wants.globs) {
      if (GlobMatch(g, path)) return true;
    }
  }
  return false;
}

// The bytes of tests/testdata/<rel>; fails the test when it cannot be read.
inline std::string Testdata(std::string_view rel) {
  std::ifstream in(std::string(DRYDOCK_TESTDATA) + "/" + std::string(rel), std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read testdata " << rel;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The package named `name` (and `arch`, when not empty) in `pkgs`, or null.
inline const Package* FindPackage(const std::vector<Package>& pkgs, std::string_view name, std::string_view arch = "") {
  for (const auto& p : pkgs) {
    if (p.name == name && (arch.empty() || p.arch == arch)) return &p;
  }
  return nullptr;
}

// Adds a failure unless some diagnostic of `out` contains `want`; with
// `want` empty, unless there is none at all.
inline void ExpectDiagnostic(const std::vector<Diagnostic>& diags, std::string_view want) {
  if (want.empty()) {
    EXPECT_TRUE(diags.empty()) << "unexpected diagnostic: " << diags.front().where << ": " << diags.front().message;
    return;
  }
  bool found = false;
  std::string all;
  for (const auto& d : diags) {
    found |= d.message.find(want) != std::string::npos;
    all += d.where + ": " + d.message + "\n";
  }
  EXPECT_TRUE(found) << "no diagnostic mentions \"" << want << "\"; got:\n" << all;
}

}  // namespace drydock::testing
