// Python packages from uv.lock (uv's universal lock file, TOML): one
// `[[package]]` table per distribution with name, version and `source`, an
// inline table naming where it comes from (registry, git, url, path,
// directory, editable, virtual). The project itself and its workspace
// members are listed too (source editable/virtual/directory/path): they
// are kept, marked python.local, as for Cargo's local crates.
// uv.lock does not say which packages only dev groups need without
// resolving the graph from [package.dev-dependencies]; scope is not marked.
#include <string>
#include <string_view>
#include <vector>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/lockfile_util.h"

namespace drydock {

namespace {

bool IsUvLock(std::string_view path) { return Basename(path) == "uv.lock"; }

// The kind of an inline `source = { KIND = "…" }` table.
std::string_view SourceKind(std::string_view raw) {
  raw = lang::Trim(raw);
  if (!raw.starts_with('{')) return {};
  raw.remove_prefix(1);
  raw = lang::Trim(raw);
  size_t end = 0;
  while (end < raw.size() && raw[end] != ' ' && raw[end] != '=' && raw[end] != '\t') ++end;
  return raw.substr(0, end);
}

void CollectUvLock(const CatalogInput& in, CatalogOutput& out) {
  for (const auto& f : FindCaptured(in, IsUvLock)) {
    auto tables = lang::ReadTomlTables(f.content, "package");
    if (!tables.ok()) {
      out.Skip(f.path, "uv.lock: " + tables.error().message);
      continue;
    }
    lang::PackageSink sink(f, pkgtype::kPypi, out);
    for (const auto& t : *tables) {
      bool added = false;
      Package* p = sink.Add("", std::string(t.Get("name")), std::string(t.Get("version")), &added);
      if (p == nullptr || !added) continue;
      const std::string_view kind = SourceKind(t.Get("source"));
      if (kind == "editable" || kind == "virtual" || kind == "directory" || kind == "path") {
        p->metadata["python.local"] = "true";
      } else if (kind == "git" || kind == "url") {
        p->metadata["python.source"] = std::string(kind);
      }
    }
  }
}

}  // namespace

void UvCatalogers(std::vector<Cataloger>& rows) {
  rows.push_back({.id = "python-uv-lock",
                  .view_wants = lang::Wants({"uv.lock"}, {}, lang::kMaxLockFileSize),
                  .collect = CollectUvLock,
                  .lockfile = true});
}

}  // namespace drydock
