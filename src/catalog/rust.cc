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
  for (const auto& f : FindCaptured(in.fs, IsCargoLock)) {
    auto tables = lang::ReadTomlTables(f.content, "package");
    if (!tables.ok()) {
      out.Skip(f.path, "Cargo.lock: " + tables.error().message);
      continue;
    }
    lang::PackageSink sink(f, pkgtype::kCargo, out);
    for (const auto& t : *tables) {
      const std::string_view source = t.Get("source");
      // Entries without a source are the workspace's own crates (members
      // and path dependencies). Unlike Trivy we leave them out: they are
      // the software being scanned, not a dependency fetched from a
      // registry, and a local crate that shares a crates.io name ("log",
      // "config") would otherwise be matched against that crate's
      // advisories.
      if (source.empty()) continue;
      bool added = false;
      Package* p = sink.Add("", std::string(t.Get("name")), std::string(t.Get("version")), &added);
      if (p == nullptr || !added) continue;
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
                  .collect = CollectCargoLock});
}

}  // namespace drydock
