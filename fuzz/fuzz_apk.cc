// Fuzzes the apk cataloger: the installed database's records and the layer
// attribution over its history. The input is split on "\n%%%\n": the first
// part is /lib/apk/db/installed in layer 0, each further part the same file
// rewritten by the next layer (at most four layers). Besides "no crash", it
// asserts what the headers promise: every package is an apk with a name,
// version and apk evidence in a real layer; owned files are clean absolute
// paths.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/path.h"
#include "catalog/catalog.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock;
  using namespace drydock::fuzz;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts = Split(in, "\n%%%\n");
  if (parts.size() > 4) parts.resize(4);

  std::vector<std::shared_ptr<const LayerResult>> layers;
  for (std::string_view p : parts) {
    auto l = std::make_shared<LayerResult>();
    l->entries.push_back(FileNode{.path = "/lib/apk/db/installed",
                                  .type = EntryType::kFile,
                                  .mode = 0644,
                                  .size = static_cast<int64_t>(p.size())});
    l->captured["/lib/apk/db/installed"] = std::string(p);
    layers.push_back(std::move(l));
  }
  FileSystemView fs(layers);

  for (const auto& c : Catalogers()) {
    if (c.id != "apk" || c.collect == nullptr) continue;
    CatalogOutput out;
    c.collect(CatalogInput{fs, std::nullopt}, out);
    Say("apk",
        std::to_string(out.packages.size()) + " packages, " + std::to_string(out.diagnostics.size()) + " diagnostics");
    for (const Package& p : out.packages) {
      FUZZ_CHECK(p.type == "apk", "type %s", p.type.c_str());
      FUZZ_CHECK(!p.name.empty() && !p.version.empty(), "package without name or version");
      FUZZ_CHECK(p.name.find('/') == std::string::npos, "name with a slash: %s", Printable(p.name).c_str());
      FUZZ_CHECK(!p.source_name.empty(), "package without a source name");
      FUZZ_CHECK(p.evidence.size() == 1, "%zu evidences", p.evidence.size());
      const PackageEvidence& e = p.evidence[0];
      FUZZ_CHECK(e.cataloger == "apk" && e.path == "/lib/apk/db/installed", "evidence %s %s", e.cataloger.c_str(),
                 Printable(e.path).c_str());
      FUZZ_CHECK(e.layer_index >= 0 && e.layer_index < static_cast<int>(layers.size()), "layer %d", e.layer_index);
      for (const auto& f : p.files) {
        FUZZ_CHECK(IsCleanPath(f) && f.size() > 1, "owned file %s", Printable(f).c_str());
      }
    }
    for (const auto& d : out.diagnostics) FUZZ_CHECK(!d.message.empty(), "empty diagnostic");
  }
  return 0;
}
