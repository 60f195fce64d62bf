// Helpers shared by the binary catalogers' tests (java, go, rust-auditable,
// generic binary): run one cataloger's on_file on some bytes, and scan a
// whole image built from layer tars with the inventory on.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "cli/scan.h"
#include "support/image_builder.h"
#include "support/tar_builder.h"

namespace drydock::testing {

// The cataloger table row called `id`; fails the test when there is none.
inline const Cataloger* CatalogerById(std::string_view id) {
  for (const auto& c : Catalogers()) {
    if (c.id == id) return &c;
  }
  ADD_FAILURE() << "no cataloger " << id;
  return nullptr;
}

// What `id`'s on_file finds in `content` stored at `path` (mode 0755),
// with evidence filled as the pipeline fills it.
inline LayerResult RunOnFile(std::string_view id, const std::string& path, std::string_view content) {
  LayerResult out;
  const Cataloger* c = CatalogerById(id);
  if (c == nullptr || c->on_file == nullptr) return out;
  FileNode node{.path = path, .type = EntryType::kFile, .mode = 0755, .size = static_cast<int64_t>(content.size())};
  c->on_file(node, content, out);
  for (auto& p : out.packages) {
    for (auto& e : p.evidence) {
      if (e.cataloger.empty()) e.cataloger = std::string(c->id);
      if (e.path.empty()) e.path = path;
    }
  }
  return out;
}

// The inventory of an OCI image whose layers are `layer_tars` (bottom
// first), scanned end to end with the catalogers on and the checks off.
inline Result<ScanResult> ScanLayers(const std::vector<std::string>& layer_tars) {
  TempDir dir;
  BlobStore store;
  nlohmann::json desc = store.AddImage(layer_tars);
  for (const auto& [path, bytes] : store.blobs()) dir.Write(path, bytes);
  dir.Write("oci-layout", R"({"imageLayoutVersion": "1.0.0"})");
  dir.Write("index.json", IndexJson({desc}));
  ScanOptions opts;
  opts.inventory = true;
  opts.checks = false;
  return ScanImage("oci:" + dir.path(), opts);
}

// The packages of `inv` of type `type`.
inline std::vector<Package> OfType(const Inventory& inv, std::string_view type) {
  std::vector<Package> out;
  for (const auto& p : inv.packages) {
    if (p.type == type) out.push_back(p);
  }
  return out;
}

}  // namespace drydock::testing
