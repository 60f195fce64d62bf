// Rust crates from Cargo.lock (`[[package]]` tables: name, version,
// source). Crates compiled into binaries (cargo-auditable) are the
// rust_auditable cataloger's.
#include <string>
#include <string_view>
#include <vector>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/lockfile_util.h"

namespace drydock {

namespace {

bool IsCargoLock(std::string_view path) { return Basename(path) == "Cargo.lock"; }

void CollectCargoLock(const CatalogInput& in, CatalogOutput& out) {
  for (const auto& f : FindCaptured(in, IsCargoLock)) {
    auto tables = lang::ReadTomlTables(f.content, "package");
    if (!tables.ok()) {
      out.Skip(f.path, "Cargo.lock: " + tables.error().message);
      continue;
    }
    lang::PackageSink sink(f, pkgtype::kCargo, out);
    for (const auto& t : *tables) {
      const std::string_view source = t.Get("source");
      bool added = false;
      Package* p = sink.Add("", std::string(t.Get("name")), std::string(t.Get("version")), &added);
      if (p == nullptr || !added) continue;
      // Entries without a source are the workspace's own crates (members
      // and path dependencies). Like Trivy and Syft we list them, since
      // they are software in the image too, but mark them: a local crate
      // that shares a crates.io name ("log", "config") is not that crate,
      // and a matcher must not take it for one.
      if (source.empty()) {
        p->metadata["cargo.local"] = "true";
        continue;
      }
      // Git and other non-registry sources are kept, so a report can say
      // where the code came from.
      if (!source.starts_with("registry+") && !source.starts_with("sparse+")) {
        p->metadata["cargo.source"] = source;
      }
    }
  }
}

}  // namespace

void RustCatalogers(std::vector<Cataloger>& rows) {
  rows.push_back({.id = "cargo-lock",
                  .view_wants = lang::Wants({"Cargo.lock"}, {}, lang::kMaxLockFileSize),
                  .collect = CollectCargoLock,
                  .lockfile = true});
}

}  // namespace drydock
